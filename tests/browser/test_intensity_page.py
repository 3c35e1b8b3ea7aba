"""
The 用地效率 page in Chromium: the map draws offline, the colouring switches between
FAR compliance and grades, and the what-if slider changes the counts live.
"""

from __future__ import annotations

import time

import pytest
from conftest import map_frame, map_paths, runs_since, wait_for_app

pytestmark = pytest.mark.browser

FAR_BELOW_FILL = "#d73027"  # views.intensity.COMPLIANCE_COLORS["far_below"]
_FOLIUM_IFRAME = "iframe[title*='st_folium'], iframe[title*='streamlit_folium']"
_LEAFLET_FRAME = f'Array.from(document.querySelectorAll("{_FOLIUM_IFRAME}"))'


def _metric_value(page, label: str) -> int:
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    return int(box.get_by_test_id("stMetricValue").inner_text().strip().replace(",", ""))


def _legend(page) -> str:
    return map_frame(page).locator(".gx-legend").first.inner_text()


def test_colouring_switch_and_whatif_slider(page, recorder, streamlit_app, app_run_log):
    page.goto(streamlit_app + "/intensity")
    wait_for_app(page, timeout_ms=60_000)
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    assert "容积率达标情况" in _legend(page)
    red_before = frame.locator(f"path[fill='{FAR_BELOW_FILL}']").count()
    n_before = _metric_value(page, "本园区低效宗数")
    all_before = _metric_value(page, "全部园区低效宗数")

    # colour by grade: the legend lists the 亩均 classes
    page.get_by_test_id("stRadio").filter(has_text="着色方式").get_by_text("按亩均评价等级").click()
    wait_for_app(page)
    page.wait_for_timeout(500)
    map_frame(page).locator(".gx-legend", has_text="优先发展").first.wait_for(timeout=30_000)
    assert "亩均评价等级" in _legend(page)

    # back to FAR, then raise the minimum FAR to the slider's top (3.0)
    page.get_by_test_id("stRadio").filter(has_text="着色方式").get_by_text("按容积率达标情况").click()
    wait_for_app(page)
    map_frame(page).locator(".gx-legend", has_text="容积率达标情况").first.wait_for(timeout=30_000)
    page.wait_for_function(f"() => {_LEAFLET_FRAME}.length === 1 && {_LEAFLET_FRAME}[0].contentWindow.map",
                           timeout=30_000)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # the FAR map drawn and settled
    page.evaluate(f"() => {{ {_LEAFLET_FRAME}[0].contentWindow.map.__gxMark = 1; }}")
    page.wait_for_timeout(1000)
    assert page.evaluate(f"() => {_LEAFLET_FRAME}[0].contentWindow.map.__gxMark") == 1
    thumb = page.get_by_test_id("stSlider").filter(has_text="最低容积率").get_by_role("slider")
    thumb.focus()
    stepped_ms = time.time() * 1000
    thumb.press("End")
    page.wait_for_timeout(500)
    wait_for_app(page, timeout_ms=60_000)
    page.get_by_test_id("stSlider").filter(has_text="最低容积率").get_by_text("3.00").first.wait_for(
        timeout=10_000
    )

    n_after = _metric_value(page, "本园区低效宗数")
    all_after = _metric_value(page, "全部园区低效宗数")
    assert n_after > n_before
    assert all_after > all_before
    delta = (
        page.get_by_test_id("stMetric").filter(has_text="全部园区低效宗数").get_by_test_id("stMetricDelta")
    )
    assert delta.inner_text().strip().lstrip("↑ ").startswith(f"+{all_after - all_before:,}")
    frame = map_frame(page)
    frame.locator(".gx-legend", has_text="容积率达标情况").first.wait_for(timeout=30_000)
    page.wait_for_function(
        "([sel, n]) => document.querySelector(sel).contentDocument.querySelectorAll(\"path[fill='#d73027']\").length > n",
        arg=[_FOLIUM_IFRAME, red_before], timeout=30_000)
    # The step recoloured the parcels it moved in place: the same Leaflet map, not a new one.
    assert page.evaluate(f"() => {_LEAFLET_FRAME}[0].contentWindow.map.__gxMark") == 1
    # and reran the what-if's part of the page only (a fragment), not the login check and the sidebar
    runs = runs_since(app_run_log, stepped_ms)
    assert runs and all(r["fragment"] for r in runs), runs
    # The mouse over a recoloured parcel thickens its outline and leaves its new colour (it used to
    # restore the colour the map was drawn with).
    red = frame.locator(f"path[fill='{FAR_BELOW_FILL}']")
    n_red = red.count()
    # the largest (some parcels are a pixel at this zoom) away from the picked parcel's outline
    biggest = frame.locator("body").evaluate(
        f"""b => {{ const ps = Array.from(b.querySelectorAll("path[fill='{FAR_BELOW_FILL}']"));
            const hl = Array.from(b.querySelectorAll("path[stroke='#00e5ff']")).map(p => p.getBoundingClientRect());
            const near = r => hl.some(h => r.left < h.right + 6 && h.left < r.right + 6
                                            && r.top < h.bottom + 6 && h.top < r.bottom + 6);
            const area = p => {{ const r = p.getBoundingClientRect(); return near(r) ? -1 : r.width * r.height; }};
            return ps.reduce((best, p, i) => area(p) > area(ps[best]) ? i : best, 0); }}""")
    target = red.nth(biggest)
    target.hover()
    page.wait_for_function("el => el.getAttribute('stroke-width') === '3'", arg=target.element_handle(),
                           timeout=10_000)
    page.mouse.move(1, 1)
    page.wait_for_function("el => el.getAttribute('stroke-width') === '1'", arg=target.element_handle(),
                           timeout=10_000)
    assert red.count() == n_red
    # Back to the rule's own minimum: every parcel has its own colour again.
    thumb.focus()
    thumb.press("Home")
    page.wait_for_timeout(500)
    wait_for_app(page, timeout_ms=60_000)
    page.wait_for_function(
        "([sel, n]) => document.querySelector(sel).contentDocument.querySelectorAll(\"path[fill='#d73027']\").length === n",
        arg=[_FOLIUM_IFRAME, red_before], timeout=30_000)
    assert page.evaluate(f"() => {_LEAFLET_FRAME}[0].contentWindow.map.__gxMark") == 1

    page.wait_for_timeout(500)
    assert recorder.foreign_requests() == [], "requests left the app's host"
    assert [(s, u) for s, u in recorder.bad_status if "/app/static/" in u] == []
    assert recorder.dialogs == []


def test_map_click_opens_the_parcel_card(page, recorder, streamlit_app, app_run_log):
    frame, paths = map_paths(page, streamlit_app + "/intensity")
    target = paths.nth(paths.count() // 3)
    target.hover()
    # park names are permanent labels (tooltips without a table): the hovered parcel's has one
    tooltip = frame.locator(".leaflet-tooltip:has(td)")
    tooltip.first.wait_for(timeout=10_000)
    parcel_id = tooltip.first.locator("td").first.inner_text().strip()
    assert parcel_id
    clicked_ms = time.time() * 1000
    target.click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    # the card's selectbox (a combobox input) now holds the clicked parcel
    pick = page.get_by_test_id("stSelectbox").filter(has_text="查看宗地").get_by_role("combobox")
    page.wait_for_function(
        "([el, v]) => el.value === v", arg=[pick.element_handle(), parcel_id], timeout=30_000
    )
    # The click reran the map and the card only (a fragment), not the what-if, charts and tables.
    runs = runs_since(app_run_log, clicked_ms)
    assert runs and all(r["fragment"] for r in runs), runs
    # outlined in the same run that selected it
    map_frame(page).locator("path[stroke='#00e5ff']").first.wait_for(timeout=30_000)
    assert page.get_by_text("控制指标核查").count() >= 1
    # A new map (coloured by grade) with the parcel picked: the parcels' files load after the map is
    # made, all at once (layers.rendered.LOADER_JS), and the outline is brought over them: the last
    # path drawn, not hidden under the parcels that arrived after it.
    page.get_by_test_id("stRadio").filter(has_text="着色方式").get_by_text("按亩均评价等级").click()
    wait_for_app(page)
    map_frame(page).locator(".gx-legend", has_text="优先发展").first.wait_for(timeout=30_000)
    assert page.evaluate(f"() => !!{_LEAFLET_FRAME}[0].contentWindow.__gxData")
    map_frame(page).locator("path[stroke='#00e5ff']").first.wait_for(timeout=30_000)
    last_stroke = page.evaluate(
        f"""() => {{ const w = {_LEAFLET_FRAME}[0].contentWindow; return w.__gxData.then(() => {{
            const ps = w.document.querySelectorAll('.leaflet-overlay-pane path');
            return [ps.length, ps[ps.length - 1].getAttribute('stroke')]; }}); }}""")
    assert last_stroke[0] > 1 and last_stroke[1] == "#00e5ff", last_stroke
    assert recorder.foreign_requests() == []
