"""
扩区/升级审查 page in a real browser, offline: a 坐标 TXT written here is uploaded and the
verdict of ``python -m geo assess`` on the same file appears; a polygon drawn with the Draw
tool (Leaflet.draw, served from the app) is reviewed and its checks appear.
"""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd

import cli
import words
from geo import assessment as A
from geo.txt import write_txt
from tests.browser.conftest import REPO_ROOT, map_frame, wait_for_app

APPLICATION = REPO_ROOT / "data" / "sample_application.geojson"
EXCEPTION = "[data-testid='stException']"


def _cli_verdict(path, tmp_path, workspace, monkeypatch) -> str:
    monkeypatch.setenv("GXLAND_WORKSPACE", str(workspace))
    out = tmp_path / "review.json"
    assert cli.main(["assess", str(path), "--park", "nanning", "--kind", "expansion",
                     "--as-of", date.today().isoformat(), "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))["verdict"]


def test_upload_txt_and_see_the_verdict(streamlit_app, browser_workspace, page, recorder, tmp_path, monkeypatch):
    txt = write_txt(gpd.read_file(APPLICATION), tmp_path / "申请范围坐标.txt")
    verdict = words.label("assess_verdict", _cli_verdict(txt, tmp_path, browser_workspace, monkeypatch), "zh")

    page.goto(streamlit_app + "/assess")
    wait_for_app(page)
    page.get_by_text("扩区/升级审查").first.wait_for()
    # the application's uploader (the constraint layers' own uploaders sit in an expander)
    uploader = page.locator("[data-testid='stFileUploader']").filter(has_text="申请范围文件")
    uploader.locator("input[type='file']").first.set_input_files(str(txt))
    page.get_by_text(f"审查结论：{verdict}", exact=False).first.wait_for(timeout=90_000)
    wait_for_app(page, timeout_ms=60_000)
    page.get_by_text("申请范围总面积", exact=False).first.wait_for()
    map_frame(page)  # the review map, drawn from local assets
    assert page.locator(EXCEPTION).count() == 0
    assert page.get_by_text("审查事项").count() >= 1
    assert recorder.foreign_requests() == [], recorder.foreign_requests()[:5]


def test_draw_a_polygon_and_see_the_checks(streamlit_app, page, recorder):
    page.goto(streamlit_app + "/assess")
    wait_for_app(page)
    page.get_by_text("在地图上绘制", exact=True).first.click()
    wait_for_app(page)
    frame = map_frame(page)
    frame.locator(".leaflet-draw-draw-polygon").first.wait_for(timeout=30_000)
    frame.locator(".leaflet-draw-draw-polygon").first.click()
    box = frame.locator(".leaflet-container").first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    points = [(cx - 60, cy - 40), (cx + 60, cy - 40), (cx + 60, cy + 40), (cx - 60, cy + 40)]
    for x, y in points:
        page.mouse.click(x, y)
        page.wait_for_timeout(250)
    page.mouse.click(*points[0])  # closing on the first vertex finishes the polygon
    page.get_by_text("已绘制 1 个区块", exact=False).first.wait_for(timeout=60_000)
    page.get_by_text("审查结论：", exact=False).first.wait_for(timeout=90_000)
    wait_for_app(page, timeout_ms=60_000)
    # The checklist is a canvas grid: its cells are in the page (for screen readers), not visible,
    # and only the rows in view are there.
    cells = page.locator("[data-testid^='glide-cell']")
    cells.filter(has_text="申请范围面积").first.wait_for(state="attached", timeout=30_000)
    labels = [words.label("assess_check", c, "zh") for c in A.load_preset(None)["kinds"]["expansion"]]
    shown = [lab for lab in labels if cells.filter(has_text=lab).count()]
    assert len(shown) >= 5, shown
    assert page.locator(EXCEPTION).count() == 0
    assert recorder.foreign_requests() == [], recorder.foreign_requests()[:5]
