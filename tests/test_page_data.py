"""数据导入: install_parcels keeps a backup and decisions; the page renders."""

from __future__ import annotations

from datetime import datetime

import geopandas as gpd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geo import io
from geo.review import ReviewStore
from geo.workspace import Workspace, install_parcels
from tests.conftest import ROOT


def _parcels(ids):
    return gpd.GeoDataFrame(
        {"parcel_id": ids}, geometry=[shapely.box(i * 200, 0, i * 200 + 100, 100) for i in range(len(ids))], crs=4545
    )


def test_install_replaces_data_and_keeps_a_backup(tmp_path):
    ws = Workspace(tmp_path / "ws")
    first = install_parcels(_parcels(["A", "B"]), ws, now=datetime(2026, 1, 2, 3, 4, 5))
    ReviewStore(ws.review_path).record("A", action="confirm", user="u")
    second = install_parcels(_parcels(["A", "C", "D"]), ws, now=datetime(2026, 1, 2, 3, 4, 6))
    assert first == second == ws.parcels_path
    assert list(io.read_parcels(ws.parcels_path).gdf["parcel_id"]) == ["A", "C", "D"]
    backups = sorted((ws.root / "backup").iterdir())
    assert [b.name for b in backups] == ["parcels-20260102-030406.gpkg"]
    assert list(io.read_parcels(backups[0]).gdf["parcel_id"]) == ["A", "B"]
    assert ReviewStore(ws.review_path).current().loc["A", "decision"] == "confirmed"


def test_install_refuses_a_table_without_geometry(tmp_path):
    import pandas as pd

    with pytest.raises(io.DataError) as exc:
        install_parcels(pd.DataFrame({"parcel_id": ["A"]}), Workspace(tmp_path))
    assert exc.value.code == "install_no_geometry"
    assert not (tmp_path / "parcels.gpkg").exists()


def test_data_page_renders(sample_workspace, monkeypatch):
    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert at.title[0].value == "数据导入"
    assert str(sample_workspace) in " ".join(c.value for c in at.caption)


ENGLISH_REASON_WORDS = ("duplicate", "detected", "parcel_id", "None", "nan", "NaN", "repaired", "geometry", "row ")


def _data_page(sample_workspace, monkeypatch) -> AppTest:
    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/data.py").run()
    return at


def test_data_page_gbk_shapefile_problems_in_chinese(sample_workspace, monkeypatch):
    at = _data_page(sample_workspace, monkeypatch)
    gbk = sample_workspace / "parcels_gbk.zip"  # the sample's bureau-style file: GBK DBF, no .cpg
    at.file_uploader(key="data_upload").upload(gbk.name, gbk.read_bytes(), "application/zip").run()
    assert not at.exception
    assert not at.error
    assert at.success[0].value.startswith("读取 5000 宗")
    note = at.info[0].value
    assert note.startswith("坐标系：") and "GB18030" in note and "自动识别" in note
    problems = next(df.value for df in at.dataframe if "问题" in df.value.columns)
    assert list(problems.columns) == ["行号", "字段", "问题", "级别"]
    assert set(problems["级别"]) <= {"错误", "警告", "提示"}
    assert problems["行号"].map(lambda v: v == "—" or str(v).isdigit()).all()
    shown = problems.astype(str).to_string()
    for word in ENGLISH_REASON_WORDS:
        assert word not in shown, word
    assert problems["问题"].str.contains("重复").any()  # the sample carries duplicated parcel numbers
    preview = next(df.value for df in at.dataframe if "宗地编号" in df.value.columns)
    text = preview.astype(str).to_string()
    for word in ("industrial", "True", "False", "None", "NaT", "00:00:00"):
        assert word not in text, word
    assert "工业用地" in text


def test_data_page_file_without_crs_says_where_to_enter_it(sample_workspace, monkeypatch, tmp_path):
    import warnings
    import zipfile

    folder = tmp_path / "shp"
    folder.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no CRS is written: that is the point
        gpd.GeoDataFrame({"parcel_id": ["N1"]}, geometry=[shapely.box(500_000, 2_500_000, 500_100, 2_500_100)]).to_file(
            folder / "noprj.shp"
        )
    zpath = tmp_path / "noprj.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for p in folder.iterdir():
            zf.write(p, p.name)
    at = _data_page(sample_workspace, monkeypatch)
    at.file_uploader(key="data_upload").upload(zpath.name, zpath.read_bytes(), "application/zip").run()
    assert not at.exception
    message = at.error[0].value
    assert "noprj.zip" in message and "没有坐标系" in message and "“坐标系”" in message and ".prj" in message
    assert "--crs" not in message
    # Entering the coordinate system on the page reads the file.
    at.text_input(key="data_crs").input("EPSG:4545").run()
    assert not at.error and at.success[0].value.startswith("读取 1 宗")
