"""
The 闲置土地 page in Chromium: a click on a parcel of the map opens its card and outlines it, and
reruns the map and the card only (a fragment: the filters, lists and work list are not run again).
"""

from __future__ import annotations

import time

import pytest
from conftest import map_frame, map_paths, runs_since, wait_for_app

pytestmark = pytest.mark.browser


def test_map_click_opens_the_card_in_a_fragment_run(page, recorder, streamlit_app, app_run_log):
    frame, paths = map_paths(page, streamlit_app + "/idle")
    pick = page.get_by_test_id("stSelectbox").filter(has_text="查看宗地").get_by_role("combobox")
    first_shown = pick.input_value()
    # A parcel other than the one the card shows: its number from its tooltip.
    for i in range(paths.count() - 1, -1, -1):
        target = paths.nth(i)
        if not target.is_visible():
            continue
        target.hover()
        tooltip = frame.locator(".leaflet-tooltip:has(td)")
        try:
            tooltip.first.wait_for(timeout=3_000)
        except Exception:  # a park outline, not a parcel
            continue
        parcel_id = tooltip.first.locator("td").first.inner_text().strip()
        if parcel_id and parcel_id != first_shown:
            break
    else:
        pytest.fail("no parcel on the idle map other than the one on the card")
    clicked_ms = time.time() * 1000
    target.click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    page.wait_for_function("([el, v]) => el.value === v", arg=[pick.element_handle(), parcel_id], timeout=30_000)
    map_frame(page).locator("path[stroke='#00e5ff']").first.wait_for(timeout=30_000)
    runs = runs_since(app_run_log, clicked_ms)
    assert runs and all(r["fragment"] for r in runs), runs
    # The rest of the page is still there, as the whole run drew it.
    assert page.get_by_text("宗地清单").count() >= 1
    assert recorder.foreign_requests() == []
