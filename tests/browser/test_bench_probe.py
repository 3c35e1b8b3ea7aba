"""
The app benchmark's rule for "drawn" (bench/app.py INIT_JS and PROBE_JS) in Chromium: a DOM change
counts, a canvas's 2D drawing counts (fills, strokes, text), and a change of a canvas's fallback
content — never painted; st.dataframe's grid rewrites the screen-reader table it keeps there
after a debounce — does not count as drawing, but is recorded apart (``lastFallback``).
"""

from __future__ import annotations

import importlib.util

import pytest
from conftest import REPO_ROOT

pytestmark = pytest.mark.browser

HOST = "http://bench.test"
PAGE = "<!doctype html><html><body><div id='d'></div><canvas id='c' width='50' height='50'></canvas></body></html>"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_app_probe", REPO_ROOT / "bench" / "app.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def probe_page(browser):
    bench = _bench()
    context = browser.new_context()
    context.add_init_script(bench.INIT_JS)
    page = context.new_page()
    page.route(f"{HOST}/**", lambda route: route.fulfill(body=PAGE, content_type="text/html; charset=utf-8"))
    page.goto(f"{HOST}/")
    try:
        yield page, bench.PROBE_JS
    finally:
        context.close()


def _look(page, probe_js: str, act: str) -> tuple[dict, dict]:
    before = page.evaluate(probe_js, 0)
    page.wait_for_timeout(30)
    page.evaluate(f"() => {{ {act} }}")
    page.wait_for_timeout(30)  # the observer's records are delivered after the task
    return before, page.evaluate(probe_js, 0)


def test_a_dom_change_counts_as_drawing(probe_page):
    page, probe = probe_page
    before, after = _look(page, probe, "document.getElementById('d').textContent = '宗地';")
    assert after["lastMut"] > before["lastMut"]


def test_a_canvas_fallback_change_is_not_drawing_but_recorded(probe_page):
    page, probe = probe_page
    act = "const t = document.createElement('table'); t.innerHTML = '<tr><td>1</td></tr>'; " \
          "document.getElementById('c').appendChild(t); t.querySelector('td').textContent = '2';"
    before, after = _look(page, probe, act)
    assert after["lastMut"] == before["lastMut"]
    assert after["lastFallback"] > before["lastFallback"] and after["lastPaint"] == before["lastPaint"]


@pytest.mark.parametrize("draw", ["fillRect(0, 0, 5, 5)", "fillText('宗', 5, 5)", "clearRect(0, 0, 5, 5)",
                                  "beginPath(); ctx.rect(0, 0, 5, 5); ctx.fill()"])
def test_2d_canvas_drawing_counts(probe_page, draw):
    page, probe = probe_page
    before, after = _look(page, probe, f"const ctx = document.getElementById('c').getContext('2d'); ctx.{draw};")
    assert after["lastPaint"] > before["lastPaint"] and after["lastMut"] == before["lastMut"]
