"""
Above the map limit the idle and efficiency pages draw every parcel with WebGL: the parcels
are files the page fetches from the app itself, drawn in their class colours, with nothing
fetched from outside.
"""

from __future__ import annotations

import pytest
from conftest import REPO_ROOT, RequestRecorder, login_cookie, run_streamlit, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def small_limit_app(browser_workspace):
    # a limit of 10 parcels puts the default selections (≈ 60 idle parcels, a park's parcels) over it
    env = {"GXLAND_WORKSPACE": str(browser_workspace), "GXLAND_MAP_MAX_PARCELS": "10"}
    with run_streamlit(REPO_ROOT / "app.py", env=env, cwd=REPO_ROOT) as url:
        yield url


def _coloured_pixels(png: bytes, rgb: tuple[int, int, int], tol: int = 30) -> int:
    """Pixels of a screenshot within ``tol`` of ``rgb`` drawn at layers.webgl's fill opacity over the page."""
    import io

    import numpy as np
    from PIL import Image

    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    background = np.median(img.reshape(-1, 3), axis=0)  # the blank style's colour: most of the canvas
    alpha = 170 / 255
    fill = alpha * np.array(rgb) + (1 - alpha) * background
    return int((np.abs(img - fill).max(axis=2) <= tol).sum())


@pytest.mark.parametrize(("path", "heading"), [("/idle", "超过单张交互地图的上限 10 宗"),
                                              ("/intensity", "超过单张交互地图的上限 10 宗")])
def test_webgl_map_draws_the_parcels_offline(browser, small_limit_app, browser_workspace, path, heading):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    login_cookie(page, browser_workspace)
    recorder = RequestRecorder(page)
    media = []
    page.on("response", lambda r: media.append((r.status, r.url)) if "/media/" in r.url else None)
    page.goto(small_limit_app + path)
    wait_for_app(page, timeout_ms=60_000)
    assert page.get_by_text(heading, exact=False).count() == 1
    chart = page.locator("[data-testid='stDeckGlJsonChart']")
    chart.wait_for(timeout=30_000)
    page.wait_for_timeout(3000)  # data fetched, style, workers and tiles would be requested by now
    # the parcels came from the app as files (one per class), not in the page's messages
    assert media and all(status == 200 for status, _ in media)
    assert recorder.foreign_requests() == [], "the WebGL map reached outside the app's host"
    assert any("map-style-blank.json" in u for u in recorder.urls)
    # drawn: the legend's class colours are on the canvas (parcels of 100 m are a few pixels here)
    swatches = page.locator(".gx-legend span").evaluate_all("es => es.map(e => getComputedStyle(e).backgroundColor)")
    colours = [tuple(int(v) for v in c[c.index("(") + 1 : c.index(")")].split(",")[:3]) for c in swatches]
    canvas = chart.locator("canvas").first
    canvas.scroll_into_view_if_needed()
    png = canvas.screenshot()
    counts = [_coloured_pixels(png, rgb) for rgb in colours]
    assert sum(counts) > 50 and sum(n > 0 for n in counts) >= 2, f"parcels not drawn in their colours: {counts}"
    context.close()
