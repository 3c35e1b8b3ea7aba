"""
Several app processes behind HAProxy (``scripts/serve.py --workers 2``), in real Chromium: each
browser is kept on one process — its page, its websocket and its upload reach the process that
holds its session — and a process that dies is started again while HAProxy sends its browsers to
the other one.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from conftest import REPO_ROOT, login_cookie, require_chromium, run_streamlit, wait_for_app

from geo import sample
from scripts.serve import WORKER_COOKIE, healthy

pytestmark = pytest.mark.browser

EXCEPTION = "[data-testid='stException']"
N = 600


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("workers_ws")
    sample.write_sample(root, n=N)
    return root


@pytest.fixture(scope="module")
def run_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workers_log") / "runs.jsonl"


@pytest.fixture(scope="module")
def served(ws, run_log) -> str:
    require_chromium()
    from layers.assets import missing_assets

    if missing_assets():
        pytest.fail("vendored map assets missing: run `python scripts/fetch_assets.py`", pytrace=False)
    env = {"GXLAND_WORKSPACE": str(ws), "GXLAND_RUN_LOG": str(run_log)}
    with run_streamlit(REPO_ROOT / "app.py", env=env, cwd=REPO_ROOT, workers=2) as url:
        yield url


def _logged(run_log: Path) -> list[dict]:
    if not run_log.exists():
        return []
    return [json.loads(x) for x in run_log.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_each_process_prepares_the_data_before_its_first_visitor(served, run_log):
    workers = _workers_of(served)
    assert len(workers) == 2
    deadline = time.monotonic() + 120
    while {r["pid"] for r in _logged(run_log) if r.get("prepared")} != set(workers.values()):
        assert time.monotonic() < deadline, _logged(run_log)
        time.sleep(0.5)
    logged = _logged(run_log)
    assert all(r["failed"] == [] for r in logged if r.get("prepared"))
    assert not [r for r in logged if not r.get("prepared")]  # no page has run yet


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _workers_of(url: str) -> dict[int, int]:
    """``{worker port: pid}`` of the app processes scripts/serve.py started for ``url``."""
    port = url.rsplit(":", 1)[1]
    serve = [int(p.name) for p in Path("/proc").glob("[0-9]*")
             if any(a.endswith("serve.py") for a in _cmdline(int(p.name))) and port in _cmdline(int(p.name))
             and "--run-worker" not in _cmdline(int(p.name))]
    assert len(serve) == 1, serve
    out = {}
    for p in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int(Path(p, "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        args = _cmdline(int(p.name))
        if ppid == serve[0] and "--run-worker" in args:
            out[int(args[args.index("--port") + 1])] = int(p.name)
    return out


def _worker(ctx) -> str | None:
    return {c["name"]: c["value"] for c in ctx.cookies()}.get(WORKER_COOKIE)


def test_two_browsers_two_processes_each_upload_reaches_its_own(browser, served, ws):
    assert len(_workers_of(served)) == 2
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    try:
        pages = [c.new_page() for c in contexts]
        for page in pages:
            login_cookie(page, ws)
            page.goto(served + "/data")
            wait_for_app(page)
            assert page.locator(EXCEPTION).count() == 0
        assert _worker(contexts[0]) and _worker(contexts[1]) and _worker(contexts[0]) != _worker(contexts[1])
        # the upload goes to the process that holds the page's session (its XSRF token, its upload store)
        for page in pages:
            page.locator("input[type='file']").first.set_input_files(str(ws / "parcels_gbk.zip"))
            page.get_by_text(f"读取 {N} 宗", exact=False).wait_for(timeout=60_000)
            assert page.locator(EXCEPTION).count() == 0
    finally:
        for c in contexts:
            c.close()


def test_a_dead_process_is_started_again_and_its_browsers_go_on(browser, served, ws):
    before = _workers_of(served)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        login_cookie(page, ws)
        page.goto(served + "/overview")
        wait_for_app(page)
        mine = int(_worker(context).lstrip("w"))
        port = sorted(before)[mine - 1]  # serve.py numbers its workers by port
        os.kill(before[port], signal.SIGKILL)
        deadline = time.monotonic() + 90
        while not (_workers_of(served).get(port) not in (None, before[port]) and healthy(port)):
            assert time.monotonic() < deadline, "the killed worker was not started again"
            time.sleep(0.5)
        # the browser reloads: a working page, on whichever process HAProxy sends it to
        page.reload()
        wait_for_app(page, timeout_ms=60_000)
        assert page.locator(EXCEPTION).count() == 0
        assert page.locator("[data-testid='stSidebarNav']").count() == 1
    finally:
        context.close()
