"""Above the map limit the idle page offers a WebGL map: it draws with nothing fetched from outside."""

from __future__ import annotations

import pytest
from conftest import REPO_ROOT, RequestRecorder, login_cookie, run_streamlit, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def small_limit_app(browser_workspace):
    # a limit of 10 parcels puts the default selection (≈ 60 parcels) over it
    env = {"GXLAND_WORKSPACE": str(browser_workspace), "GXLAND_MAP_MAX_PARCELS": "10"}
    with run_streamlit(REPO_ROOT / "app.py", env=env, cwd=REPO_ROOT) as url:
        yield url


def test_webgl_fallback_stays_offline(browser, small_limit_app, browser_workspace):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    login_cookie(page, browser_workspace)
    recorder = RequestRecorder(page)
    page.goto(small_limit_app + "/idle")
    wait_for_app(page)
    assert page.get_by_text("超过单张地图可流畅显示的上限 10 宗", exact=False).count() == 1
    page.get_by_text("改用 WebGL 绘制全部", exact=False).click()
    page.wait_for_timeout(800)
    wait_for_app(page)
    page.locator("[data-testid='stDeckGlJsonChart']").wait_for(timeout=30_000)
    page.wait_for_timeout(2500)  # style, workers and tiles would be requested by now
    assert recorder.foreign_requests() == [], "the WebGL map reached outside the app's host"
    assert any("map-style-blank.json" in u for u in recorder.urls)
    context.close()
