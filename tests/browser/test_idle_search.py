"""Find a parcel by 宗地编号 in any park: typed in the real app, its card opens and the map goes to it."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from conftest import map_frame, wait_for_app

pytestmark = pytest.mark.browser

SELECTBOX_HOLDS = """
id => [...document.querySelectorAll("[data-testid='stSelectbox'] input")].some(e => e.value === id)
"""
EXCEPTION = "[data-testid='stException']"


def test_find_by_number_opens_a_parcel_of_a_park_not_selected(page, browser_workspace, streamlit_app):
    parcels = pd.DataFrame(gpd.read_parquet(browser_workspace / "parcels.parquet").drop(columns="geometry"))
    liuzhou = parcels[parcels["park_id"] == "liuzhou"]["parcel_id"].astype(str)
    pid = liuzhou.iloc[len(liuzhou) // 2]

    page.goto(streamlit_app + "/idle")
    wait_for_app(page)
    map_frame(page)  # 南宁 (the default park) is drawn
    assert not page.evaluate(ZOOMED_IN)  # at the zoom that shows the park's parcels
    assert page.get_by_text("柳州高新技术产业开发区", exact=True).count() == 0  # not among the picked parks

    box = page.get_by_role("textbox", name="按宗地编号查找（全部园区）")
    box.fill(f" {pid.lower()} ")  # as typed: spaces, other case
    box.press("Enter")
    page.wait_for_timeout(500)
    wait_for_app(page)
    page.wait_for_function(SELECTBOX_HOLDS, arg=pid, timeout=30_000)
    assert page.locator(EXCEPTION).count() == 0
    # the card shows the parcel and its park by name
    page.get_by_text(f"宗地编号：{pid}　园区：柳州高新技术产业开发区").wait_for(timeout=30_000)
    assert page.get_by_text("认定说明", exact=False).count() >= 1
    # the map draws the found parcel, outlined, although its park is not selected
    frame = map_frame(page)
    frame.locator("path[stroke='#00e5ff']").first.wait_for(timeout=30_000)
    assert f"parcel={pid}" in page.url
    # and zooms to it: one parcel fills the map (the park's parcels were drawn at a city's zoom)
    page.wait_for_function(ZOOMED_IN, timeout=30_000)


#: True once a Leaflet map in some iframe is at zoom 15 or closer (a parcel of ~100 m fills it).
ZOOMED_IN = """
() => [...document.querySelectorAll('iframe')].some(f => {
    try {
        const w = f.contentWindow;
        return Object.keys(w).some(k => k.startsWith('map_') && w[k] && w[k].getZoom && w[k].getZoom() >= 15);
    } catch (e) { return false; }
})
"""
