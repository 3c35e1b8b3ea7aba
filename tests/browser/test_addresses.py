"""
Every page address works when typed, and the map orients the reader with nothing but the app.

Typing ``http://host/compare`` into the address bar must land on 园区对比, not on the default
page; the overview map draws Guangxi's boundary, the city seats, park labels, a metric-only
scale bar and an attribution without Leaflet's flag, all without a request leaving the host.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import map_frame, wait_for_app
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

#: url_path → the page's title in Chinese (words/ui.py).
PAGES = {
    "overview": "园区总览",
    "idle": "闲置土地",
    "intensity": "用地效率",
    "compare": "园区对比",
    "eco": "生态化改造",
    "data": "数据导入",
    "assess": "扩区/升级审查",
}


def _title(page) -> str:
    h1 = page.locator("h1").first
    h1.wait_for(timeout=30_000)
    return h1.inner_text().strip()


@pytest.mark.parametrize("path", list(PAGES))
def test_typed_address_lands_on_its_page(page, streamlit_app, path):
    page.goto(f"{streamlit_app}/{path}")
    wait_for_app(page, timeout_ms=60_000)
    assert _title(page) == PAGES[path]
    assert urlsplit(page.url).path.rstrip("/") == f"/{path}"  # a query (?parcel=…) may follow
    # the sidebar's navigation marks the same page as current
    current = page.locator("[data-testid='stSidebarNav'] a[aria-current='page']")
    if current.count():
        assert PAGES[path] in current.first.inner_text()


def test_root_address_is_the_overview(page, streamlit_app):
    page.goto(streamlit_app + "/")
    wait_for_app(page, timeout_ms=60_000)
    assert _title(page) == PAGES["overview"]


def test_overview_map_orients_offline(page, recorder, streamlit_app):
    page.goto(streamlit_app + "/overview")
    wait_for_app(page, timeout_ms=60_000)
    frame = map_frame(page)
    frame.locator(".gx-label-city").first.wait_for(timeout=30_000)
    # Guangxi's boundary: a non-interactive dashed outline
    boundary = frame.locator("path[stroke='#555555'][stroke-dasharray]")
    assert boundary.count() >= 1
    assert "leaflet-interactive" not in (boundary.first.get_attribute("class") or "")
    cities = frame.locator(".gx-label-city").all_inner_texts()
    assert len(cities) == 14 and "南宁市" in cities and "崇左市" in cities
    parks = frame.locator(".gx-label-park, .gx-label-selected").all_inner_texts()
    assert "南宁高新区" in parks and all(t.isascii() is False for t in parks)
    # each label beside its point as its direction says (placed by CSS, never measured): the cities'
    # to the left of the point, the parks' to the right or below, each across or beside its point
    where = """e => { const a = e.parentElement.getBoundingClientRect(), r = e.getBoundingClientRect();
                      return [r.left - a.left, r.right - a.left, r.top - a.top, r.bottom - a.top]; }"""
    for left, right, top, bottom in frame.locator(".gx-label-city").evaluate_all(f"els => els.map({where})"):
        assert right <= 0 and top < 0 < bottom, (left, right, top, bottom)
    for left, right, top, bottom in frame.locator(".gx-label-park").evaluate_all(f"els => els.map({where})"):
        assert (left >= 0 and top < 0 < bottom) or (top >= 0 and left < 0 < right), (left, right, top, bottom)
    # metric-only scale bar
    assert frame.locator(".leaflet-control-scale-line").count() == 1
    assert re.fullmatch(r"\d+ k?m", frame.locator(".leaflet-control-scale-line").inner_text().strip())
    # attribution: plain "Leaflet", the sources, no flag
    attribution = frame.locator(".leaflet-control-attribution")
    assert attribution.locator("svg").count() == 0
    text = attribution.inner_text()
    assert text.startswith("Leaflet") and "Natural Earth" in text and "GeoNames" in text
    assert frame.locator(".gx-orientation").inner_text().strip().startswith("自治区界")
    page.wait_for_timeout(1000)
    assert recorder.foreign_requests() == [], "requests left the app's host"
    assert recorder.failed == []


def test_overview_click_selects_and_highlights_the_park(page, recorder, streamlit_app):
    page.goto(streamlit_app + "/overview")
    wait_for_app(page, timeout_ms=60_000)
    frame = map_frame(page)
    marks = frame.locator("path.leaflet-interactive")
    marks.first.wait_for(timeout=30_000)
    target = None
    for i in range(marks.count()):  # find 南宁's marker by its tooltip
        marks.nth(i).hover(force=True)
        tip = frame.locator(".leaflet-tooltip:not(.gx-label)").last
        try:
            text = tip.inner_text(timeout=2_000)
        except PlaywrightTimeout:  # no tooltip under this path: try the next
            continue
        if "南宁高新技术产业开发区" in text:
            target = marks.nth(i)
            break
    assert target is not None, "no park of the map shows 南宁高新技术产业开发区 on hover"
    target.click(force=True)
    page.get_by_text("已选园区：南宁高新技术产业开发区").wait_for(timeout=30_000)
    frame = map_frame(page)
    frame.locator(".gx-label-selected").first.wait_for(timeout=30_000)
    assert frame.locator(".gx-label-selected").all_inner_texts() == ["南宁高新区"]
    assert frame.locator("path[stroke='#00e5ff']").count() >= 1  # outline and ring
    assert recorder.foreign_requests() == []
