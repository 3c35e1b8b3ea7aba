"""数据导入: the page reads, maps, joins, previews per park, installs by mode, restores; data text stays text."""

from __future__ import annotations

import io as _io
import os
import warnings
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geo import io
from geo import workspace as w
from geo.accounts import Account
from geo.review import ReviewStore
from geo.workspace import Workspace
from tests.conftest import ROOT, login_as

# A point inside 南宁高新区 and one inside 柳州高新区 (EPSG:4545, from data/parks.geojson).
NANNING = (530_627.0, 2_527_917.0)
LIUZHOU = (643_079.0, 2_695_994.0)
HOSTILE = ("![x](http://example.invalid/x.png)", "<img src=x onerror=alert(1)>")


def _gdf(ids, park, *, holder=None, origin=NANNING, extra=None):
    x, y = origin
    # a parcel's place follows its number (N3 is always the third square), so the same number is the same land
    pos = [int(str(i)[1:]) for i in ids]
    geoms = [shapely.box(x + (i % 5) * 40, y + (i // 5) * 40, x + (i % 5) * 40 + 30, y + (i // 5) * 40 + 30)
             for i in pos]
    data = {"parcel_id": ids, "park_id": [park] * len(ids), "holder": holder or [f"公司{i}" for i in ids]}
    data.update(extra or {})
    return gpd.GeoDataFrame(data, geometry=geoms, crs=4545)


def _bytes(gdf, suffix, **kw) -> bytes:
    return io._bytes_via(gdf, suffix, **kw)


@pytest.fixture
def small_ws(tmp_path, monkeypatch):
    """A workspace of 4 parcels in 南宁 and 3 in 柳州 (as installed before any version was kept)."""
    root = tmp_path / "ws"
    root.mkdir()
    both = pd.concat([_gdf(["N1", "N2", "N3", "N4"], "nanning"), _gdf(["L1", "L2", "L3"], "liuzhou", origin=LIUZHOU)],
                     ignore_index=True)
    io.write_table(gpd.GeoDataFrame(both, geometry="geometry", crs=4545), root / "parcels.gpkg")
    monkeypatch.setenv("GXLAND_WORKSPACE", str(root))
    monkeypatch.chdir(ROOT)
    return root


@pytest.fixture
def small_ws_on(workspace_backend, small_ws, tmp_path, monkeypatch):
    """
    ``small_ws`` on each backend. On PostGIS its data are migrated into the database (a version kept as
    found, as the folder's file is on the embedded store) and the app runs on an empty server folder.
    """
    if workspace_backend.kind == "sqlite":
        return small_ws
    from geo import db, migrate

    with monkeypatch.context() as folder:
        folder.delenv(db.DATABASE_URL_ENV)
        migrate.migrate(small_ws, workspace_backend.url)
    server = tmp_path / "server"
    monkeypatch.setenv("GXLAND_WORKSPACE", str(server))
    return server


def _page(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    login_as(at, Path(os.environ["GXLAND_WORKSPACE"]))
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    return at


def _upload(at, name, data, mime="application/octet-stream", key="data_upload"):
    at.file_uploader(key=key).upload(name, data, mime).run()
    assert not at.exception, at.exception
    return at


def _table(at, first_header):
    return next(df.value for df in at.dataframe if first_header in df.value.columns)


def _ids(root):
    return sorted(io.read_parcels(Workspace(root).parcels_path).gdf["parcel_id"].astype(str))


def _all_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success", "title")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


# --------------------------------------------------------------------------- modes, preview, install


def test_update_one_park_previews_per_park_and_installs_only_that_park(small_ws_on):
    small_ws = small_ws_on
    at = _page()
    one = _gdf(["L2", "L3", "L4"], "liuzhou", holder=["公司L2", "新公司", "公司L4"], origin=LIUZHOU)
    _upload(at, "柳州.geojson", _bytes(one, ".geojson"))
    assert at.radio(key="data_imp_mode@zh").value == "update"  # the workspace has data: update by default
    diff = _table(at, "园区")
    row = diff[diff["园区"] == "柳州高新技术产业开发区"].iloc[0]
    assert (row["新增"], row["变更"], row["无变化"], row["保留不动"]) == (1, 1, 1, 1)
    assert diff[diff["园区"] == "南宁高新技术产业开发区"].iloc[0]["保留不动"] == 4
    assert "删除" not in diff.columns
    changed = _table(at, "变更字段")
    assert list(changed["宗地编号"]) == ["L3"] and changed["变更字段"].iloc[0] == "土地使用权人"
    # replace would remove 南宁's parcels: the preview says so before anything happens
    at.radio(key="data_imp_mode@zh").set_value("replace").run()
    diff = _table(at, "园区")
    assert diff[diff["园区"] == "南宁高新技术产业开发区"].iloc[0]["删除"] == 4
    at.radio(key="data_imp_mode@zh").set_value("update").run()
    at.button(key="data_install").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("已导入（版本 0002）：现有宗地 8 宗")
    assert _ids(small_ws) == ["L1", "L2", "L3", "L4", "N1", "N2", "N3", "N4"]
    versions = w.list_versions(Workspace(small_ws))
    assert list(versions["mode"]) == ["update", "existing"] and versions.loc[0, "user"] == "测试员"
    assert versions.loc[0, "role"] == "admin"  # the account's role is kept with the version
    assert versions.loc[0, "source"] == "柳州.geojson"


def test_add_mode_reports_existing_numbers(small_ws):
    at = _page()
    _upload(at, "add.geojson", _bytes(_gdf(["N1", "N9"], "nanning"), ".geojson"))
    at.radio(key="data_imp_mode@zh").set_value("add").run()
    diff = _table(at, "园区")
    total = diff[diff["园区"] == "合计"].iloc[0]
    assert total["新增"] == 1 and total["已有（不导入）"] == 1


def test_page_shows_no_server_path(small_ws):
    at = _page()
    assert at.title[0].value == "数据导入"
    assert str(small_ws) not in _all_text(at)
    assert not at.text_input(key="data_crs").value  # fields for the file, none for a folder
    assert all(ti.key in ("data_crs", "data_encoding", "auth_who", "idle_search") for ti in at.text_input)


# --------------------------------------------------------------------------- layer pick, mapping, register


def test_layer_pick_reads_the_chosen_layer(small_ws, tmp_path):
    path = tmp_path / "two.gpkg"
    io.write_table(_gdf(["N1"], "nanning"), path, layer="第一层")
    io.write_table(_gdf(["N5", "N6"], "nanning"), path, layer="第二层")
    at = _page()
    _upload(at, "two.gpkg", path.read_bytes())
    pick = at.selectbox(key="data_imp_layer_pick")
    assert sorted(pick.options) == ["第一层", "第二层"]
    pick.set_value("第二层").run()
    assert not at.exception
    assert at.success[0].value.startswith("读取 2 宗")


def test_unrecognised_column_is_mapped_and_remembered(small_ws):
    gdf = _gdf(["N1", "N7"], "nanning", extra={"ZDY1": [120.5, 80.0]})
    data = _bytes(gdf, ".geojson")
    at = _page()
    _upload(at, "zdy.geojson", data)
    key = "data_imp_map@zh:ZDY1"
    box = at.selectbox(key=key)
    assert box.value == "" and "“ZDY1”对应" in box.label
    box.set_value("land_price_wan").run()
    assert not at.exception
    recognised = next(m.value for m in at.markdown if m.value.startswith("**识别到的字段**"))
    assert "土地出让价款" in recognised
    at.button(key="data_install").click().run()
    assert not at.exception and at.success[0].value.startswith("已导入")
    got = io.read_parcels(Workspace(small_ws).parcels_path).gdf.set_index("parcel_id")
    assert got.loc["N7", "land_price_wan"] == pytest.approx(80.0)
    # A new session, the same file layout: the mapping is filled in
    at2 = _page()
    _upload(at2, "zdy-again.geojson", _bytes(_gdf(["N8"], "nanning", extra={"ZDY1": [1.0]}), ".geojson"))
    assert at2.selectbox(key=key).value == "land_price_wan"


def test_units_are_chosen_converted_and_remembered(small_ws):
    gdf = _gdf(["N1", "N2"], "nanning", extra={"area_due_m2": [1.5, 3.0], "land_price_wan": [200_000.0, 0.0]})
    at = _page()
    _upload(at, "mu.geojson", _bytes(gdf, ".geojson"))
    area = at.selectbox(key="data_imp_unit@zh:area_due_m2")
    assert area.value == "m2" and area.options == ["平方米", "亩", "公顷"]
    area.set_value("mu").run()
    at.selectbox(key="data_imp_unit@zh:land_price_wan").set_value("yuan").run()
    at.button(key="data_install").click().run()
    assert not at.exception
    got = io.read_parcels(Workspace(small_ws).parcels_path).gdf.set_index("parcel_id")
    assert got.loc["N1", "area_due_m2"] == pytest.approx(1_000.0)  # 1.5 亩
    assert got.loc["N1", "land_price_wan"] == pytest.approx(20.0)  # 200,000 元
    at2 = _page()
    _upload(at2, "mu2.geojson", _bytes(_gdf(["N3"], "nanning", extra={"area_due_m2": [1.0], "land_price_wan": [1.0]}),
                                       ".geojson"))
    assert at2.selectbox(key="data_imp_unit@zh:area_due_m2").value == "mu"


def test_register_join_reports_unmatched_numbers_as_text(small_ws):
    at = _page()
    _upload(at, "n.geojson", _bytes(_gdf(["N1", "N2"], "nanning"), ".geojson"))
    reg = _io.BytesIO()
    pd.DataFrame({"宗地编号": ["N1", *HOSTILE], "土地使用权人": ["登记公司", "某", "某"]}).to_excel(reg, index=False)
    _upload(at, "登记表.xlsx", reg.getvalue(), key="data_imp_register")
    info = " ".join(i.value for i in at.info)
    assert "关联 1 宗" in info
    warn = " ".join(x.value for x in at.warning)
    assert "2 个宗地编号在宗地数据中找不到" in warn and "1 宗在登记表中没有记录，如：N2" in warn
    # hostile numbers are escaped: no image syntax, no tag survives as Markdown/HTML
    assert "\\!\\[x\\](http\\://example.invalid/x.png)" in warn
    assert "&lt;img src=x onerror=alert(1)&gt;" in warn
    assert "![x](" not in warn and "<img" not in warn
    at.button(key="data_install").click().run()
    got = io.read_parcels(Workspace(small_ws).parcels_path).gdf.set_index("parcel_id")
    assert got.loc["N1", "holder"] == "登记公司" and got.loc["N2", "holder"] == "公司N2"


def test_shift_choice_is_offered_for_degrees(small_ws):
    at = _page()
    _upload(at, "datav.geojson", _bytes(_gdf(["S1"], "nanning"), ".geojson"))  # GeoJSON: degrees
    box = at.selectbox(key="data_imp_shifted@zh")
    assert box.options == ["否，按文件坐标", "是，高德、腾讯等互联网地图的加密坐标（国测局加密）", "是，百度地图坐标（百度二次加密）"]
    at2 = _page()
    _upload(at2, "metres.gpkg", _bytes(_gdf(["S2"], "nanning"), ".gpkg"))  # metres: no such choice
    assert not [b for b in at2.selectbox if b.key == "data_imp_shifted@zh"]


def test_refused_file_is_not_installable(small_ws):
    at = _page()
    no_numbers = _gdf(["R1"], "nanning").drop(columns="parcel_id")  # the reader refuses it for install
    _upload(at, "refused.geojson", _bytes(no_numbers, ".geojson"))
    assert at.error[0].value.startswith("该文件不能导入：")
    assert not [b for b in at.button if b.key == "data_install"]


def test_file_over_the_limit_is_refused_in_chinese(small_ws, monkeypatch):
    monkeypatch.setattr(w, "max_upload_mb", lambda: 0)
    at = _page()
    _upload(at, "big.geojson", _bytes(_gdf(["B1"], "nanning"), ".geojson"))
    assert at.error[0].value.startswith("big.geojson：文件大小") and "上限 0 MB" in at.error[0].value


# --------------------------------------------------------------------------- versions and restore


def test_restore_a_version_with_confirmation(small_ws_on, workspace_backend):
    small_ws = small_ws_on
    at = _page()
    _upload(at, "only.geojson", _bytes(_gdf(["X1"], "nanning"), ".geojson"))
    at.radio(key="data_imp_mode@zh").set_value("replace").run()
    at.button(key="data_install").click().run()
    assert _ids(small_ws) == ["X1"]
    Workspace(small_ws).review_store().record("N1", action="confirm", account=Account("测试员", "reviewer"))
    at = _page()
    assert [b.key for b in at.button if b.key.startswith("data_imp_restore_")] == ["data_imp_restore_0001"]
    at.button(key="data_imp_restore_0001").click().run()
    assert "确认将工作空间恢复到版本 0001" in at.warning[0].value
    assert _ids(small_ws) == ["X1"]  # nothing happens before the confirmation
    at.button(key="data_imp_restore_yes").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("已恢复到版本 0001（新版本 0003）")
    assert _ids(small_ws) == ["L1", "L2", "L3", "N1", "N2", "N3", "N4"]
    assert Workspace(small_ws).review_store().current().loc["N1", "decision"] == "confirmed"
    texts = [t.value for t in at.text]
    assert "only.geojson" in texts and "恢复历史版本" in texts
    v = w.list_versions(Workspace(small_ws))
    assert list(v["version_id"]) == ["0003", "0002", "0001"] and list(v["mode"]) == ["restore", "replace", "existing"]
    assert list(v["current"]) == [True, False, False] and (v.loc[0, "user"], v.loc[0, "role"]) == ("测试员", "admin")
    # on a server the versions are in the database, not in the app's folder
    assert (small_ws / w.VERSIONS_DIR).is_dir() == (workspace_backend.kind == "sqlite")


# --------------------------------------------------------------------------- the bureau's files (sample workspace)

ENGLISH_REASON_WORDS = ("duplicate", "detected", "parcel_id", "None", "nan", "NaN", "repaired", "geometry", "row ")


def _sample_page(sample_workspace, monkeypatch) -> AppTest:
    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    return _page()


def test_data_page_gbk_shapefile_problems_in_chinese(sample_workspace, monkeypatch):
    at = _sample_page(sample_workspace, monkeypatch)
    gbk = sample_workspace / "parcels_gbk.zip"  # the sample's bureau-style file: GBK DBF, no .cpg
    _upload(at, gbk.name, gbk.read_bytes(), "application/zip")
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
    # the same parcels as installed: the preview says nothing would change
    assert "导入后不会有变化" in " ".join(i.value for i in at.info)


def test_data_page_file_without_crs_says_where_to_enter_it(small_ws, tmp_path):
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
    at = _page()
    _upload(at, zpath.name, zpath.read_bytes(), "application/zip")
    message = at.error[0].value
    assert "noprj" in message and "没有坐标系" in message and "“坐标系”" in message and "prj" in message
    assert "--crs" not in message
    # Entering the coordinate system on the page reads the file.
    at.text_input(key="data_crs").input("EPSG:4545").run()
    assert not at.error and at.success[0].value.startswith("读取 1 宗")


# --------------------------------------------------------------------------- hostile text on the other pages


def test_officer_name_and_search_text_are_text_on_the_idle_page(small_ws):
    store = ReviewStore(Workspace(small_ws).review_path)
    store.record("N1", action="confirm", account=Account(HOSTILE[0], "reviewer"), note=HOSTILE[1])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    login_as(at, small_ws, "hostile", "admin", display_name=HOSTILE[1])  # shown read-only, never as Markdown
    at.run()
    at.switch_page("views/idle.py").run()
    at.text_input(key="idle_search").input("N1").run()
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "\\!\\[x\\](http\\://example.invalid/x.png)" in info
    at.text_input(key="idle_search").input(HOSTILE[1]).run()
    text = _all_text(at)
    assert "![x](" not in text and "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in " ".join(x.value for x in at.warning)


def test_md_escape_makes_markdown_and_html_literal():
    from views.common import md_escape

    assert md_escape(HOSTILE[0]) == "\\!\\[x\\](http\\://example.invalid/x.png)"
    assert md_escape(HOSTILE[1]) == "&lt;img src=x onerror=alert(1)&gt;"
    assert md_escape("a\\b *c* `d` $e$ ~f~ |h| {i} www.x.cn a@b.cn") == (
        "a\\\\b \\*c\\* \\`d\\` \\$e\\$ \\~f\\~ \\|h\\| \\{i\\} www\\.x.cn a\\@b.cn")
    # block syntax only where it is syntax: at the start of a line
    assert md_escape("# 标题\n- 项\n1. 项") == "\\# 标题  \n\\- 项  \n1\\. 项"
    assert md_escape("Hi-tech 2024-03-01 12.5") == "Hi-tech 2024-03-01 12.5"
    assert md_escape("南宁高新区") == "南宁高新区" and md_escape(None) == "—"


def test_first_import_into_an_empty_workspace(workspace_backend, tmp_path, monkeypatch):
    root = tmp_path / "empty"
    monkeypatch.setenv("GXLAND_WORKSPACE", str(root))
    monkeypatch.chdir(ROOT)
    at = _page()
    assert "尚无历史版本" in " ".join(c.value for c in at.caption)
    _upload(at, "first.geojson", _bytes(_gdf(["N1", "N2"], "nanning"), ".geojson"))
    assert at.radio(key="data_imp_mode@zh").value == "replace"
    assert _table(at, "园区").iloc[-1]["新增"] == 2
    at.button(key="data_install").click().run()
    assert not at.exception and at.success[0].value.startswith("已导入（版本 0001）：现有宗地 2 宗")
    assert _ids(root) == ["N1", "N2"]
    assert "first.geojson" in [x.value for x in at.text]  # the new version is listed


def test_prj_name_is_text(small_ws, tmp_path):
    import pyproj

    name = HOSTILE[0] + HOSTILE[1]
    wkt = pyproj.CRS.from_epsg(4545).to_wkt("WKT1_ESRI")
    wkt = wkt.replace(wkt[len('PROJCS["'):wkt.index('",')], name, 1)
    folder = tmp_path / "prj"
    folder.mkdir()
    _gdf(["P1"], "nanning").to_file(folder / "h.shp")
    (folder / "h.prj").write_text(wkt, encoding="utf-8")
    zpath = tmp_path / "h.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for p in folder.iterdir():
            zf.write(p, p.name)
    at = _page()
    _upload(at, "h.zip", zpath.read_bytes(), "application/zip")
    note = " ".join(i.value for i in at.info)
    if "example" in note:  # the reader names the file's CRS: as text
        assert "\\!\\[x\\](http\\://example.invalid/x.png)&lt;img src=x onerror=alert(1)&gt;" in note
    text = _all_text(at)
    assert "![x](" not in text and "<img" not in text


def test_an_import_prepares_the_shared_analysis_for_the_first_visit(small_ws, monkeypatch):
    """
    After an import the importing server analyses the new version (as of the sidebar's date) before
    the admin's page returns: the idle page opened next, in another session, analyses nothing again.
    """
    import geo.workspace as gw

    calls = []
    real = gw.analyse_idle
    monkeypatch.setattr(gw, "analyse_idle", lambda *a, **k: calls.append(len(a[0])) or real(*a, **k))
    at = _page()
    _upload(at, "柳州.geojson", _bytes(_gdf(["L2", "L9"], "liuzhou", origin=LIUZHOU), ".geojson"))
    at.button(key="data_install").click().run()
    assert not at.exception and at.success[0].value.startswith("已导入（版本 0002）：现有宗地 8 宗")
    assert calls[-1] == 8  # the new version (8 parcels), analysed during the import
    done = len(calls)
    other = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    other.session_state["as_of"] = date(2026, 11, 25)
    login_as(other, small_ws, "另一位", role="reviewer")
    other.switch_page("views/idle.py").run()
    assert not other.exception
    assert len(calls) == done  # found ready: not analysed again
