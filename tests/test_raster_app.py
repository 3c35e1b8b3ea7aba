"""Imagery on the idle-land and efficiency pages (views/imagery.py), on the sample workspace."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine

BANNED = ("construction_detected", "cleared_not_built", "no_construction", "no_data", "record_doubtful",
          "record_out_of_date", "not_started", "liuzhou", "beihai", "None", "NaN", "nan", "True", "False")


def _idle(app, parks=("liuzhou",)):
    at = app.run()
    at.switch_page("views/idle.py").run()
    at.multiselect(key="idle_parks@zh").set_value(list(parks)).run()
    assert not at.exception
    return at


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [e.value for e in at.error] + [s.value for s in at.success]
    return "\n".join(map(str, parts))


def _banned(text: str) -> list[str]:
    return [w for w in BANNED if re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text)]


def test_overlay_toggle_filter_card_and_download(app):
    at = _idle(app)
    at.toggle(key="idle_imagery_show").set_value(True).run()
    assert not at.exception
    assert any("影像日期" in c.value and "线索" in c.value for c in at.caption)
    at.radio(key="idle_imagery_when").set_value("before").run()
    assert not at.exception
    # Only the records that contradict the imagery.
    n_all = len(at.selectbox(key="idle_pick").options)
    at.checkbox(key="idle_imagery_contradicts").check().run()
    assert not at.exception
    options = at.selectbox(key="idle_pick").options
    assert 0 < len(options) < n_all
    at.selectbox(key="idle_pick").set_value(options[0]).run()
    assert not at.exception
    text = _texts(at)
    assert "影像比对（线索，须实地核查）" in text
    assert any("线索，须实地核查" in w.value and "登记" in w.value for w in at.warning)
    assert "建成占比" in text and "自然资发〔2023〕258号" in text
    assert not _banned(text), _banned(text)
    # The section is made only when opened: closed, it ships no field-check list.
    assert not any(b.label.startswith("下载实地核查清单") for b in at.get("download_button"))
    at.session_state["idle_imagery_open"] = True
    at.run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert any(label.startswith("下载实地核查清单") for label in labels)


def test_field_check_list_bytes(sample_workspace, monkeypatch):
    import geopandas as gpd

    from geo import raster, sample
    from geo.workspace import Workspace

    path = Workspace(sample_workspace).parcels_path
    parcels = gpd.read_parquet(path) if path.suffix == ".parquet" else gpd.read_file(path)
    files = sample.imagery_files(sample_workspace / "imagery")
    g = files[files["park_id"] == "beihai"]
    mine = parcels[parcels["park_id"] == "beihai"]
    ev = raster.zonal_evidence(mine, g["path"].iloc[-1], before=g["path"].iloc[0],
                               patches=sample_workspace / "imagery" / "patches.gpkg")
    from reports import tables

    shown = tables.present(raster.field_check_list(mine, ev), lang="zh", columns="all")
    book = pd.read_excel(io.BytesIO(tables.xlsx_bytes({"实地核查清单": shown})))
    assert {"宗地编号", "核查线索", "现场照片", "核查情况", "影像建成占比"} <= set(book.columns)
    import words

    assert set(book["核查线索"]) == {words.label("raster_lead", c, "zh") for c in raster.LEAD_CODES}
    assert book["核查线索"].str.contains("线索，须实地核查").all()


def _tif(path, *, crs="EPSG:4545", count=1, x0=0.0, y0=0.0):
    with rasterio.open(path, "w", driver="GTiff", width=8, height=8, count=count, dtype="uint8",
                       transform=Affine(10.0, 0.0, x0, 0.0, -10.0, y0), **({"crs": crs} if crs else {})) as dst:
        dst.write(np.ones((count, 8, 8), np.uint8))
    return path.read_bytes()


@pytest.mark.parametrize(("kind", "expected"), [
    ("no_crs", "没有坐标系"), ("far_away", "不重叠"), ("three_bands", "3 个波段"), ("junk", "无法读取"),
])
def test_upload_errors_in_chinese(app, tmp_path, kind, expected, monkeypatch):
    from datetime import date

    from views import imagery

    app.run()  # the session the page functions read
    parks = __import__("geo.io", fromlist=["read_parks"]).read_parks()
    data = {
        "no_crs": lambda: _tif(tmp_path / "a.tif", crs=None),
        "far_away": lambda: _tif(tmp_path / "a.tif", x0=100_000.0, y0=100_000.0),
        "three_bands": lambda: _tif(tmp_path / "a.tif", count=3),
        "junk": lambda: b"not a raster",
    }[kind]()
    monkeypatch.setattr(imagery, "lang", lambda: "zh")
    message = imagery.save_upload(data, "园区影像.tif", "liuzhou", date(2026, 10, 1), parks)
    assert message is not None and expected in message and "园区影像.tif" in message
    assert not _banned(message)


def test_efficiency_page_overlay_card_and_filter(app):
    at = app.run()
    at.switch_page("views/intensity.py").run()
    at.selectbox(key="int_park@zh").set_value("beihai").run()
    assert not at.exception
    at.toggle(key="int_imagery_show").set_value(True).run()
    assert not at.exception
    assert any("影像日期" in c.value for c in at.caption)
    at.checkbox(key="int_imagery_contradicts").check().run()
    assert not at.exception
    options = at.selectbox(key="int_pick").options
    assert options
    text = _texts(at)
    assert "影像比对（线索，须实地核查）" in text and "建成占比" in text
    assert any("线索，须实地核查" in w.value for w in at.warning)
    assert not _banned(text), _banned(text)
    at.session_state["int_imagery_open"] = True
    at.run()
    assert any(b.label.startswith("下载实地核查清单") for b in at.get("download_button"))


def test_every_evidence_class_and_both_leads_on_the_idle_page(app):
    import words
    from geo import raster

    at = _idle(app)
    from geo.idle import IDLE_STATUSES

    at.multiselect(key="idle_statuses@zh").set_value(list(IDLE_STATUSES)).run()  # every status
    at.session_state["idle_imagery_open"] = True  # the imagery section, opened
    at.run()
    assert not at.exception
    table = None
    for d in at.dataframe:
        v = getattr(d.value, "data", d.value)
        if "影像比对结果" in v.columns:
            table = v
    assert table is not None
    counts = dict(zip(table["影像比对结果"], table["宗数"], strict=True))
    for code in raster.EVIDENCE_CODES:
        assert counts[words.label("raster_evidence", code, "zh")] > 0, code
    for code in raster.LEAD_CODES:
        assert counts[words.label("raster_lead", code, "zh")] > 0, code
