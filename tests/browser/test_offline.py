"""
The real app in Chromium: maps draw from locally served assets, nothing leaves the host,
and a click on a parcel selects it.

Pages: ``/`` overview (park boundaries), ``/idle`` idle land (parcels of the picked parks).
"""

from __future__ import annotations

import re

import pytest
from conftest import map_frame, open_panel, wait_for_app

pytestmark = pytest.mark.browser

PATHS = "path.leaflet-interactive"
SELECTBOX_HOLDS = """
id => [...document.querySelectorAll("[data-testid='stSelectbox'] input")].some(e => e.value === id)
"""


def load(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def assert_stayed_home(recorder) -> None:
    assert recorder.urls, "no request was recorded"
    assert recorder.foreign_requests() == [], "requests left the app's host"
    vendor_errors = [(s, u) for s, u in recorder.bad_status if "/app/static/" in u]
    assert vendor_errors == [], "vendored map assets not served: run scripts/fetch_assets.py"
    assert recorder.failed == []
    assert recorder.dialogs == [], "a dialog opened: data text was not escaped"


def test_overview_map_draws_offline(page, recorder, streamlit_app):
    load(page, streamlit_app + "/")
    frame = map_frame(page)
    frame.locator(PATHS).first.wait_for(timeout=30_000)
    assert frame.locator(PATHS).count() >= 1
    assert frame.locator(".gx-legend").count() == 1
    # basemap "none" by default: no tile images at all
    assert frame.locator("img.leaflet-tile").count() == 0
    page.wait_for_timeout(1000)  # late requests (fonts, telemetry) would show up here
    assert_stayed_home(recorder)
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in recorder.urls)


def test_idle_map_click_selects_the_parcel(page, recorder, streamlit_app):
    load(page, streamlit_app + "/idle")
    frame = map_frame(page)
    paths = frame.locator(PATHS)
    paths.first.wait_for(timeout=30_000)
    n = paths.count()
    assert n >= 1
    target = paths.nth(n // 2)
    target.hover()
    tooltip = frame.locator(".leaflet-tooltip").last
    tooltip.wait_for(timeout=10_000)
    # first tooltip row is the parcel id (what is really under the mouse)
    parcel_id = tooltip.locator("td").first.inner_text().strip()
    assert re.fullmatch(r"\S+", parcel_id), parcel_id

    target.click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    # the parcel card's selector (a combobox input) now holds the clicked parcel
    page.wait_for_function(SELECTBOX_HOLDS, arg=parcel_id, timeout=30_000)
    # and the map outlines it on top
    frame = map_frame(page)
    frame.locator("path[stroke='#00e5ff']").first.wait_for(timeout=30_000)
    assert_stayed_home(recorder)


def test_decision_survives_reload(page, recorder, streamlit_app):
    """Click a parcel, record a decision, reload: the card still shows the decision."""
    load(page, streamlit_app + "/idle")
    frame = map_frame(page)
    paths = frame.locator(PATHS)
    paths.first.wait_for(timeout=30_000)
    biggest = paths.evaluate_all(
        "els => els.map(e => e.getBBox().width * e.getBBox().height)"
        ".reduce((best, a, i, all) => a > all[best] ? i : best, 0)"
    )
    target = paths.nth(biggest)
    target.hover()
    tooltip = frame.locator(".leaflet-tooltip").last
    tooltip.wait_for(timeout=10_000)
    parcel_id = tooltip.locator("td").first.inner_text().strip()
    target.click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    page.wait_for_function(SELECTBOX_HOLDS, arg=parcel_id, timeout=30_000)

    open_panel(page, "记录核查意见")  # the review form is drawn when its panel is opened
    page.get_by_text("确认闲置", exact=True).first.click()
    note = f"现场核查 {parcel_id}"
    page.get_by_role("textbox", name="备注").fill(note)
    page.get_by_role("button", name="记录", exact=True).click()
    page.get_by_text("已记录。").wait_for(timeout=30_000)
    wait_for_app(page)
    assert f"parcel={parcel_id}" in page.url

    page.reload()
    wait_for_app(page)
    page.wait_for_function(SELECTBOX_HOLDS, arg=parcel_id, timeout=30_000)
    page.get_by_text("当前结论：已确认闲置").wait_for(timeout=30_000)
    assert page.get_by_text("测试员").count() >= 1  # the logged-in account, never a typed name
    assert_stayed_home(recorder)
