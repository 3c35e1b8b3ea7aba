"""
The parks in force live in the store (geo.parkstore): installed by an admin on one server, read by every
other, by the pages and by the CLI; on the embedded workspace and on PostGIS.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

import cli
import words
from geo import db, io, parkstore
from geo.accounts import AccessError, Account
from geo.workspace import Workspace
from tests.conftest import ROOT, login_as
from words.io import error_text

ADMIN = Account("张管理", "admin")
#: A point inside 南宁高新区 (EPSG:4545, from data/parks.geojson).
NANNING = (530_627.0, 2_527_917.0)
RENAMED = "南宁高新区（新边界）"


def _renamed_parks(path: Path, *, crs=4545) -> Path:
    """The shipped parks with 南宁's name changed, written in another CRS (what a bureau installs)."""
    parks = io.read_parks()
    parks.loc[parks["park_id"] == "nanning", "name_zh"] = RENAMED
    io.write_table(parks.to_crs(crs), path)
    return path


def _servers(backend, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """Two app servers' workspace folders: two folders sharing PostGIS, or the one folder embedded."""
    if backend.kind == "postgresql":
        monkeypatch.setenv(db.DATABASE_URL_ENV, backend.target("parks"))
        return tmp_path / "server-a", tmp_path / "server-b"
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    return tmp_path / "ws", tmp_path / "ws"


def test_every_parks_code_has_words():
    for code in parkstore.PARKS_CODES:
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code
    for key in ("data_parks_title", "data_parks_shipped", "data_parks_workspace", "data_parks_current",
                "data_parks_current_no_account", "data_parks_upload", "data_parks_help", "data_parks_install"):
        assert words.has_label("ui", key, "zh") and words.has_label("ui", key, "en"), key
    for table in ("parks", "imagery_files"):
        assert words.has_label("store_table", table, "zh") and words.has_label("store_table", table, "en")
    assert words.has_label("account_action", "install_parks", "zh")


def test_parks_installed_on_one_server_are_read_by_another(store_backend, tmp_path, monkeypatch):
    a, b = _servers(store_backend, tmp_path, monkeypatch)
    before = parkstore.parks_in_force(b)
    assert before.origin == "shipped" and before.path == parkstore.SHIPPED_PARKS
    m = parkstore.install_parks(a, _renamed_parks(tmp_path / "新园区.gpkg"), account=ADMIN,
                                now=datetime(2026, 12, 1, 1, 30, tzinfo=UTC))
    assert m["version"] == 1 and m["parks"] == 12 and m["account"] == "张管理"
    assert m["installed_at"] == "2026-12-01T09:30:00+08:00"  # Beijing time
    held = parkstore.parks_in_force(b)
    assert held.origin == ("store" if store_backend.kind == "postgresql" else "workspace")
    assert held.stamp != before.stamp
    read = parkstore.read_parks(b)
    assert read.set_index("park_id").loc["nanning", "name_zh"] == RENAMED and len(read) == 12
    if store_backend.kind == "postgresql":
        # Server B's copy is in its own cache folder, named by the layer's version; nothing on A's disk is read.
        assert held.path.is_relative_to(b) and not (a / parkstore.PARKS_FILE).exists()
        assert read.crs.to_epsg() == 4545  # as installed
        assert parkstore.parks_in_force(a).stamp == held.stamp  # one revision for every server
    else:
        assert (a / parkstore.PARKS_FILE).is_file() and read.crs.to_epsg() == 4326  # GeoJSON's degrees
    # A second install: a new revision everywhere, the first kept in the history.
    parkstore.install_parks(a, ROOT / "data" / "parks.geojson", account=Account("李管理", "admin"),
                            now=datetime(2026, 12, 2, 2, 0, tzinfo=UTC))
    assert parkstore.parks_in_force(b).stamp not in (before.stamp, held.stamp)
    assert "nanning" in set(parkstore.read_parks(b)["park_id"])
    assert parkstore.read_parks(b).set_index("park_id").loc["nanning", "name_zh"] != RENAMED
    h = parkstore.parks_history(b)
    assert list(h["version"]) == [2, 1] and list(h["current"]) == [True, False]
    assert list(h["account"]) == ["李管理", "张管理"] and list(h["source"]) == ["parks.geojson", "新园区.gpkg"]
    assert h.loc[1, "installed_at"] == pd.Timestamp("2026-12-01 09:30:00")  # Beijing time, no zone


def test_the_store_refuses_a_non_admin_and_bad_files(store_backend, tmp_path, monkeypatch):
    a, b = _servers(store_backend, tmp_path, monkeypatch)
    good = _renamed_parks(tmp_path / "parks.gpkg")
    for acc, code in ((Account("王经办", "officer", ("nanning",)), "access_needs_admin"),
                      (Account("赵科长", "reviewer"), "access_needs_admin"), (Account("钱查看", "viewer"), "access_needs_admin"),
                      (None, "access_no_account")):
        with pytest.raises(AccessError) as err:
            parkstore.install_parks(a, good, account=acc)
        assert err.value.code == code
    err_zh, err_en = words.render(err.value.item, "zh"), words.render(err.value.item, "en")
    assert err_zh and err_en and err_zh != err_en
    with pytest.raises(AccessError) as err:
        parkstore.install_parks(a, good, account=Account("王经办", "officer", ("nanning",)))
    assert words.render(err.value.item, "zh").startswith("安装园区边界须由系统管理员办理，账号“王经办”")
    assert "install park boundaries needs an administrator" in words.render(err.value.item, "en")

    parks = io.read_parks()
    no_id = tmp_path / "无编号.gpkg"
    io.write_table(parks.drop(columns="park_id"), no_id)
    repeated = tmp_path / "重复.gpkg"
    io.write_table(parks.assign(park_id=["nanning"] * len(parks)), repeated)
    no_crs = tmp_path / "无坐标系.gpkg"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio warns of a file without CRS: that is the point
        gpd.GeoDataFrame(parks.drop(columns="geometry"), geometry=list(parks.to_crs(4545).geometry)) \
            .to_file(no_crs, driver="GPKG")
    empty = tmp_path / "空.gpkg"
    io.write_table(parks.iloc[:0], empty)
    cases = {no_id: ("parks_columns_missing", "缺少字段"), repeated: ("parks_id_repeats", "重复"),
             no_crs: ("crs_missing", "没有坐标系"), empty: ("table_no_rows", "没有")}
    for path, (code, zh) in cases.items():
        with pytest.raises(io.DataError) as err:
            parkstore.install_parks(a, path, account=ADMIN)
        assert err.value.code == code, path
        text_zh, text_en = error_text(err.value, "zh", face="cli"), error_text(err.value, "en", face="cli")
        assert zh in text_zh and path.name in text_zh, text_zh
        assert text_en and not any("\u4e00" <= ch <= "\u9fff" for ch in text_en.replace(path.name, "")), text_en
    # Nothing was installed.
    assert parkstore.parks_in_force(b).origin == "shipped" and parkstore.parks_history(b).empty


def test_cli_installs_and_the_commands_read_the_parks_in_force(store_backend, tmp_path, monkeypatch, capsys):
    a, _ = _servers(store_backend, tmp_path, monkeypatch)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(a))
    new = _renamed_parks(tmp_path / "新园区.gpkg")
    assert cli.main(["parks-install", str(new)]) == 0
    out = capsys.readouterr().out
    assert "已安装 12 个园区的边界（第 1 版，来源文件 新园区.gpkg）" in out and "北京时间" in out
    # A table command without --parks reads the parks in force; an explicit --parks still wins.
    x, y = NANNING
    parcels = gpd.GeoDataFrame({"parcel_id": ["N1", "N2"], "park_id": ["nanning"] * 2,
                                "supply_date": pd.to_datetime(["2024-01-05"] * 2)},
                               geometry=[shapely.box(x, y, x + 30, y + 30), shapely.box(x + 60, y, x + 90, y + 30)],
                               crs=4545)
    src = tmp_path / "宗地.gpkg"
    io.write_table(parcels, src)
    assert cli.main(["idle", str(src), "-o", str(tmp_path / "a.csv"), "--as-of", "2026-11-25"]) == 0
    assert RENAMED in capsys.readouterr().out
    assert cli.main(["idle", str(src), "-o", str(tmp_path / "b.csv"), "--as-of", "2026-11-25",
                     "--parks", str(ROOT / "data" / "parks.geojson")]) == 0
    shown = capsys.readouterr().out
    assert RENAMED not in shown and "南宁高新技术产业开发区" in shown
    # An officer of the workspace may not install parks: refused in words, exit 2.
    from tests.conftest import ensure_account

    ensure_account(a, "王经办", "officer", parks=("nanning",))
    assert cli.main(["parks-install", str(ROOT / "data" / "parks.geojson"), "--account", "王经办"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：安装园区边界须由系统管理员办理")
    assert parkstore.parks_history(a)["version"].tolist() == [1]
    # A bad file: the reader's words, naming the file.
    bad = tmp_path / "坏.gpkg"
    io.write_table(io.read_parks().drop(columns="park_id"), bad)
    assert cli.main(["parks-install", str(bad)]) == 2
    assert "坏.gpkg" in capsys.readouterr().err


def _small_parcels(root: Path, url: str | None) -> None:
    x, y = NANNING
    gdf = gpd.GeoDataFrame({"parcel_id": ["N1", "N2", "N3"], "park_id": ["nanning"] * 3,
                            "supply_date": pd.to_datetime(["2024-01-05"] * 3)},
                           geometry=[shapely.box(x + i * 60, y, x + i * 60 + 30, y + 30) for i in range(3)], crs=4545)
    from geo import workspace

    workspace.install(Workspace(root), gdf, "replace", account=ADMIN, source="宗地.gpkg")


def _page(root: Path, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    login_as(at, root)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_pages_of_another_server_draw_the_installed_parks(pg_backend, tmp_path, monkeypatch):
    """Server A installs the parks (and the parcels); the overview and data pages of server B show them."""
    url = pg_backend.target("pages")
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    a, b = tmp_path / "server-a", tmp_path / "server-b"
    _small_parcels(a, url)
    parkstore.install_parks(a, _renamed_parks(tmp_path / "新园区.gpkg"), account=ADMIN)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(b))
    monkeypatch.chdir(ROOT)
    at = _page(b, "views/overview.py")
    table = next(df.value for df in at.dataframe if "园区" in df.value.columns)
    assert RENAMED in set(table["园区"]) and int(table.set_index("园区").loc[RENAMED, "宗地数"]) == 3
    at = _page(b, "views/data.py")
    captions = " ".join(c.value for c in at.caption)
    assert "当前园区边界为第 1 版（12 个园区），来源文件 新园区.gpkg，安装账号“张管理”" in captions
    assert not any(os.path.basename(p) == parkstore.PARKS_FILE for p in os.listdir(b))


def test_an_admin_installs_parks_on_the_data_page(store_backend, tmp_path, monkeypatch):
    a, _ = _servers(store_backend, tmp_path, monkeypatch)
    _small_parcels(a, None)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(a))
    monkeypatch.chdir(ROOT)
    at = _page(a, "views/data.py")
    assert any("示例园区边界" in c.value for c in at.caption)
    data = _renamed_parks(tmp_path / "新园区.gpkg").read_bytes()
    at.file_uploader(key="data_parks_file").upload("新园区.gpkg", data, "application/octet-stream").run()
    assert not at.exception, at.exception
    at.button(key="data_parks_install").click().run()
    assert not at.exception, at.exception
    assert any("已安装 12 个园区的边界" in s.value for s in at.success)
    assert parkstore.read_parks(a).set_index("park_id").loc["nanning", "name_zh"] == RENAMED
    assert parkstore.parks_history(a).loc[0, "account"] == "测试员"
    # A bad file: refused in words, nothing installed.
    bad = io.read_parks().drop(columns="park_id")
    at.file_uploader(key="data_parks_file").upload("坏.geojson", io._bytes_via(bad, ".geojson"),
                                                   "application/geo+json").run()
    at.button(key="data_parks_install").click().run()
    assert not at.exception
    assert any("坏.geojson" in e.value and "缺少字段" in e.value for e in at.error)
    assert len(parkstore.parks_history(a)) == 1


def test_an_officer_sees_no_parks_uploader(tmp_path, monkeypatch):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    root = tmp_path / "ws"
    _small_parcels(root, None)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(root))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    login_as(at, root, "王经办", "officer", parks=("nanning",))
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert not [u for u in at.get("file_uploader") if getattr(u, "key", None) == "data_parks_file"]
    assert any("示例园区边界" in c.value for c in at.caption)
