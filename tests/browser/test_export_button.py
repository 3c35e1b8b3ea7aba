"""
The download formats behind one "下载本表" button (a popover, mounted when opened): in Chromium, the
button opens the five formats and a click on one downloads the table as the page lists it.
"""

from __future__ import annotations

import csv
import io

import pytest
from conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_idle_list_downloads_through_the_export_button(page, recorder, streamlit_app, tmp_path):
    page.goto(streamlit_app + "/idle")
    wait_for_app(page, timeout_ms=60_000)
    formats = ("Excel 表格", "CSV 表格", "GeoPackage 图层", "GeoJSON 图层", "Shapefile 压缩包")
    for name in formats:  # closed: none of them is drawn
        assert page.get_by_role("button", name=name, exact=True).count() == 0, name
    opener = page.get_by_role("button", name="下载本表").first
    opener.scroll_into_view_if_needed()
    opener.click()
    for name in formats:
        page.get_by_role("button", name=name, exact=True).wait_for(timeout=10_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="CSV 表格", exact=True).click()
    download = info.value
    assert download.suggested_filename.startswith("闲置土地_") and download.suggested_filename.endswith(".csv")
    path = tmp_path / "list.csv"
    download.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert "宗地编号" in rows[0] and len(rows) > 1
    assert recorder.foreign_requests() == [], "requests left the app's host"
