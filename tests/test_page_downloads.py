"""
The download row under every results table (views.exports.export_buttons) on the idle,
efficiency, compare and eco pages under AppTest: buttons in Chinese, files built only on
click, the Excel file's first row the page's Chinese headers, the GIS files readable.
"""

from __future__ import annotations

import io as _io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from streamlit.delta_generator import DeltaGenerator

from reports import tables

LABELS = {"xlsx": "Excel 表格", "csv": "CSV 表格", "gpkg": "GeoPackage 图层", "geojson": "GeoJSON 图层",
          "zip": "Shapefile 压缩包"}  # fmt: skip
PAGES = {
    "views/idle.py": ("idle_dl", "闲置土地"),
    "views/intensity.py": ("int_dl", "用地效率"),
    "views/compare.py": ("cmp_dl", "园区对比"),
    "views/eco.py": ("eco_dl", "生态化改造"),
}


@pytest.fixture
def captured(monkeypatch):
    """Each download button's arguments by key; and how many files reports.tables built."""
    seen: dict[str, dict] = {}
    built = {"n": 0}
    original = DeltaGenerator.download_button
    export_bytes = tables.export_bytes

    def spy(self, label, data, *args, **kwargs):
        seen[kwargs.get("key")] = {"label": label, "data": data, **kwargs}
        return original(self, label, data, *args, **kwargs)

    def counting(*args, **kwargs):
        built["n"] += 1
        return export_bytes(*args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    monkeypatch.setattr(tables, "export_bytes", counting)
    return seen, built


def _page(app, path: str):
    at = app.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def _shown_frames(at) -> list[pd.DataFrame]:
    return [getattr(d.value, "data", d.value) for d in at.dataframe]


def _first_row(blob: bytes) -> list[str]:
    wb = openpyxl.load_workbook(_io.BytesIO(blob), read_only=True)
    ws = wb.worksheets[0]
    return [c for c in next(ws.iter_rows(max_row=1, values_only=True))]


def _chinese_headers(head: list[str]) -> None:
    assert head, "empty header row"
    codes = [h for h in head if re.fullmatch(r"[a-z0-9_]+", str(h))]
    assert not codes, f"internal names in the header row: {codes}"
    assert all(re.search(r"[\u4e00-\u9fff]", str(h)) for h in head), head


@pytest.mark.parametrize("path", list(PAGES))
def test_page_offers_every_format_built_on_click(app, captured, path):
    seen, built = captured
    key, page_name = PAGES[path]
    at = _page(app, path)
    labels = {b.proto.label for b in at.get("download_button")}
    for fmt, label in LABELS.items():
        assert label in labels, (path, label)
        button = seen[f"{key}_{fmt}"]
        assert callable(button["data"]), "built on every rerun"
        assert re.fullmatch(rf"{page_name}_2026-11-25\.{fmt}", button["file_name"]) or (
            path == "views/intensity.py" and button["file_name"].startswith(page_name)), button["file_name"]
        assert button["mime"] == tables.MIME_TYPES[f".{fmt}"]
    assert built["n"] == 0, "a rerun built a download"
    head = _first_row(seen[f"{key}_xlsx"]["data"]())
    _chinese_headers(head)
    assert head[0] in ("宗地编号", "园区名称", "园区")
    if path in ("views/idle.py", "views/eco.py"):
        # The very table the page shows: its columns, in its order.
        assert any(list(map(str, f.columns)) == head for f in _shown_frames(at)), head
    if path == "views/compare.py":
        assert "得分" in head and "园区编号" not in head


def test_idle_gis_downloads_read_back(app, captured, tmp_path):
    from geo import io as gio

    seen, _ = captured
    at = _page(app, "views/idle.py")
    shown = next(f for f in _shown_frames(at) if "土地用途" in f.columns and "宗地编号" in f.columns)
    for fmt in ("gpkg", "geojson", "zip", "csv"):
        target = tmp_path / f"idle.{fmt}"
        target.write_bytes(seen[f"idle_dl_{fmt}"]["data"]())
        back = gio.read_parcels(target).gdf
        # The table shows one page; the download holds the whole selection, in the same order.
        page = shown["宗地编号"].astype(str).tolist()
        assert back["parcel_id"].tolist()[: len(page)] == page and len(back) >= len(page), fmt
    with zipfile.ZipFile(tmp_path / "idle.zip") as zf:
        names = zf.namelist()
    assert "字段对照表.csv" in names and any(n.endswith(".cpg") for n in names)
