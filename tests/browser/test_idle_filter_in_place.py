"""
The 闲置土地 page in Chromium: a change of the filters or parks shows and hides parcels of the map
already drawn — the same Leaflet map before and after — and what the page shows follows the
filters: no parcel of a status no longer picked is drawn (nor can be hovered or clicked), the map
draws as many parcels as the count says, the legend lists the statuses shown, and the card shows a
parcel the filters show.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import map_paths, wait_for_app

import words
from geo import io
from layers.classes import IDLE_STATUS_COLORS

pytestmark = pytest.mark.browser

_IFRAME = "iframe[title*='st_folium'], iframe[title*='streamlit_folium']"
_WIN = f'document.querySelector("{_IFRAME}").contentWindow'
PARKS_FILE = Path(__file__).resolve().parents[2] / "data" / "parks.geojson"

#: The parcels drawn: fill colour → count (the selected parcel's outline has no fill).
DRAWN_FILLS = f"""() => {{
    const d = {_WIN}.document, out = {{}};
    d.querySelectorAll("path.leaflet-interactive[fill-opacity='0.6']").forEach(p => {{
        const f = p.getAttribute('fill'); out[f] = (out[f] || 0) + 1; }});
    return out;
}}"""
#: The parcel numbers on the map's parts that are on the map now.
SHOWN_IDS = f"""() => {{
    const w = {_WIN}, P = w.__gxShown, ids = [];
    if (!P) return null;
    for (const u in P.parts) {{
        const e = P.parts[u];
        if (!e.subs || !w.map.hasLayer(e.group)) continue;
        e.subs.forEach(l => {{ if (e.group.hasLayer(l) && w.map.hasLayer(l)) ids.push(String(l.feature.properties.parcel_id)); }});
    }}
    return ids;
}}"""


def _count_shown(page) -> int:
    text = page.get_by_text(re.compile(r"^显示 \d+ 宗")).first.inner_text()
    return int(re.match(r"显示 (\d+) 宗", text).group(1))


def _settled(page) -> None:
    """The page has run and the map draws as many parcels as the count under the filters says."""
    page.wait_for_timeout(500)
    wait_for_app(page, timeout_ms=60_000)
    page.wait_for_function(f"n => Object.values(({DRAWN_FILLS})()).reduce((a, b) => a + b, 0) === n",
                           arg=_count_shown(page), timeout=30_000)


def _legend(page) -> str:
    return page.evaluate(f"() => {_WIN}.document.querySelector('.gx-legend').innerText")


def test_filters_and_parks_show_and_hide_parcels_of_the_same_map(page, recorder, streamlit_app):
    map_paths(page, streamlit_app + "/idle")
    _settled(page)
    labels = words.labels("idle_status", "zh")
    fills = page.evaluate(DRAWN_FILLS)
    by_color = {c: k for k, c in IDLE_STATUS_COLORS.items()}
    assert fills and set(fills) <= set(by_color)
    for color in fills:
        assert labels[by_color[color]] in _legend(page)
    page.evaluate(f"() => {{ {_WIN}.map.__gxMark = 1; }}")

    # Take the most common status off the status filter.
    color = max(fills, key=fills.get)
    status, label = by_color[color], labels[by_color[color]]
    n_before = _count_shown(page)
    box = page.get_by_test_id("stMultiSelect").filter(has_text="闲置状态").first
    box.get_by_role("button", name=f"Remove {label}").first.click()
    page.wait_for_function("n => !document.body.innerText.includes(`显示 ${n} 宗`)", arg=n_before, timeout=30_000)
    _settled(page)
    after = page.evaluate(DRAWN_FILLS)
    assert color not in after, f"{status} still drawn"
    assert sum(after.values()) == n_before - fills[color] == _count_shown(page)
    assert label not in _legend(page)
    # The same map: shown and hidden in place, not drawn anew.
    assert page.evaluate(f"() => document.querySelectorAll(\"{_IFRAME}\").length") == 1
    assert page.evaluate(f"() => {_WIN}.map.__gxMark") == 1
    # The card shows a parcel the map shows.
    shown = set(page.evaluate(SHOWN_IDS))
    assert len(shown) == _count_shown(page)
    pick = page.get_by_test_id("stSelectbox").filter(has_text="查看宗地").get_by_role("combobox")
    assert pick.input_value() == "" or pick.input_value() in shown  # a parcel filtered out leaves the card
    # A click on a parcel shown opens its card: the parts shown in place still answer clicks.
    frame = page.frame_locator(_IFRAME).first
    paths = frame.locator("path.leaflet-interactive[fill-opacity='0.6']")
    before = pick.input_value()
    for i in range(paths.count()):
        paths.nth(i).click()
        page.wait_for_timeout(700)
        clicked = page.evaluate(f"() => (({_WIN}.__GLOBAL_DATA__.last_active_drawing || {{}}).properties || {{}}).parcel_id")
        if clicked and clicked != before:
            break
    assert clicked in shown
    page.wait_for_function("([el, v]) => el.value === v", arg=[pick.element_handle(), clicked], timeout=30_000)
    wait_for_app(page)
    assert page.evaluate(f"() => {_WIN}.map.__gxMark") == 1

    # Another park added: its parcels join the same map.
    n_one = _count_shown(page)
    second = str(io.read_parks(PARKS_FILE)["name_zh"].iloc[1])
    parks_box = page.get_by_test_id("stMultiSelect").filter(has_text="选择园区").first
    inp = parks_box.locator("input").first
    inp.click()
    inp.fill(second[:4])
    page.wait_for_timeout(300)
    inp.press("Enter")
    inp.press("Escape")
    page.wait_for_function("n => !document.body.innerText.includes(`显示 ${n} 宗`)", arg=n_one, timeout=30_000)
    _settled(page)
    assert _count_shown(page) > n_one
    assert page.evaluate(f"() => {_WIN}.map.__gxMark") == 1
    assert color not in page.evaluate(DRAWN_FILLS)

    # The status back: its parcels are drawn again, on the same map.
    box.locator("input").first.click()
    box.locator("input").first.fill(label)
    page.wait_for_timeout(300)
    box.locator("input").first.press("Enter")
    box.locator("input").first.press("Escape")
    page.wait_for_function(f"c => ({DRAWN_FILLS})()[c] > 0", arg=color, timeout=30_000)
    _settled(page)
    assert label in _legend(page)
    assert page.evaluate(f"() => {_WIN}.map.__gxMark") == 1
    assert recorder.foreign_requests() == []
