"""The imagery overlay in the real app: turned on for a park with imagery, drawn from the page itself, offline."""

from __future__ import annotations

import pytest
from conftest import map_frame, wait_for_app

pytestmark = pytest.mark.browser

EXCEPTION = "[data-testid='stException']"


def test_overlay_turns_on_and_draws_offline(page, recorder, streamlit_app):
    page.goto(streamlit_app + "/idle")
    wait_for_app(page)
    map_frame(page)
    # Pick 柳州 (the sample has imagery for it) instead of the default park.
    picker = page.get_by_role("combobox", name="选择园区").first
    picker.click()
    picker.fill("柳州高新")
    page.get_by_role("option", name="柳州高新技术产业开发区").first.click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    page.get_by_text("叠加影像", exact=True).click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    assert page.locator(EXCEPTION).count() == 0
    frame = map_frame(page)
    image = frame.locator("img.leaflet-image-layer").first
    image.wait_for(timeout=30_000)
    assert image.get_attribute("src").startswith("data:image/png;base64,")
    # Drawn: the picture decoded (its own pixels) and placed on the map (南宁 is still picked, so the
    # map is at a regional zoom and 柳州's image is small there), and the legend names the classes.
    assert image.evaluate("img => img.complete && img.naturalWidth") > 100
    box = image.bounding_box()
    assert box is not None and box["width"] >= 8 and box["height"] >= 8
    legend = frame.locator(".gx-legend", has_text="影像判读").first
    legend.wait_for(timeout=10_000)
    assert "建设" in legend.inner_text() and "卫片图斑" in legend.inner_text()
    # The earlier date: another image, still nothing fetched from elsewhere.
    page.get_by_text("前时相", exact=True).click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    map_frame(page).locator("img.leaflet-image-layer").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert recorder.foreign_requests() == [], "requests left the app's host"
    assert recorder.failed == []
