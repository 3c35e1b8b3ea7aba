"""Installing without losing anything: modes, the diff, versions, restore, the atomic swap, mappings, registers."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import words
from geo import io
from geo import workspace as w
from geo.accounts import Account
from geo.workspace import Workspace
from tests.conftest import ROOT

#: Who installs and restores: admins only (geo.accounts); the manifests keep the account and role.
ADMIN = Account("管理员", "admin")
ZHANG = Account("张三", "admin")

# Tests of the folder's files run on the embedded store; those taking `workspace_backend` on both.
pytestmark = pytest.mark.usefixtures("embedded_store")

X, Y = 500_000.0, 2_500_000.0


def parcels(ids, parks, far=None, *, x0=0.0):
    """100 m squares 200 m apart along x near 108°E, 22.6°N (EPSG:4545); ``far`` a value column to change."""
    data = {"parcel_id": ids, "park_id": parks}
    if far is not None:
        data["far"] = far
    geoms = [shapely.box(X + x0 + i * 200, Y, X + x0 + i * 200 + 100, Y + 100) for i in range(len(ids))]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=4545)


CURRENT = parcels(["A", "B", "C", "E"], ["p1", "p1", "p2", "p2"], [1.0, 2.0, 3.0, 4.0])
# B same, C's far changed, D new, a row without a number; A and E not in the file.
INCOMING = parcels(["B", "C", "D", None], ["p1", "p2", "p2", "p2"], [2.0, 3.5, 1.0, 1.0], x0=200.0)


def _ids(df):
    return sorted(df["parcel_id"].dropna().astype(str))


# --------------------------------------------------------------------------- the diff and the modes


def test_replace_diff_and_result():
    d = w.preview_import(CURRENT, INCOMING, "replace")
    assert d.counts == {"new": 2, "changed": 1, "unchanged": 1, "removed": 2, "kept": 0, "existing": 0, "no_id": 0}
    assert d.ids("new") == ["D"] and d.ids("removed") == ["A", "E"] and d.ids("unchanged") == ["B"]
    assert d.changed_columns == {"C": ["far"]}
    by_park = d.by_park()
    assert by_park.loc["p1"].to_dict() == {"new": 0, "changed": 0, "unchanged": 1, "removed": 1, "kept": 0,
                                           "existing": 0, "no_id": 0}
    assert (by_park.loc["p2", "new"], by_park.loc["p2", "changed"], by_park.loc["p2", "removed"]) == (2, 1, 1)
    merged = w.merge_import(CURRENT, INCOMING, "replace")
    assert len(merged) == 4 and _ids(merged) == ["B", "C", "D"]


def test_update_touches_only_the_files_numbers():
    d = w.preview_import(CURRENT, INCOMING, "update")
    assert d.counts == {"new": 1, "changed": 1, "unchanged": 1, "removed": 0, "kept": 2, "existing": 0, "no_id": 1}
    assert d.ids("kept") == ["A", "E"]
    merged = w.merge_import(CURRENT, INCOMING, "update")
    assert _ids(merged) == ["A", "B", "C", "D", "E"]
    far = merged.set_index("parcel_id")["far"]
    assert far["A"] == 1.0 and far["C"] == 3.5 and far["E"] == 4.0
    # the counts add up: the parcels after = kept + the file's numbered rows taken
    assert len(merged) == d.counts["kept"] + d.counts["new"] + d.counts["changed"] + d.counts["unchanged"]


def test_add_takes_only_new_numbers_and_reports_the_others():
    d = w.preview_import(CURRENT, INCOMING, "add")
    assert d.counts["new"] == 1 and d.counts["existing"] == 2 and d.counts["changed"] == 0
    assert d.ids("existing") == ["B", "C"]
    merged = w.merge_import(CURRENT, INCOMING, "add")
    assert _ids(merged) == ["A", "B", "C", "D", "E"]
    assert merged.set_index("parcel_id").loc["C", "far"] == 3.0  # not overwritten


def test_one_parks_import_leaves_the_other_parks_alone():
    big = parcels([f"Q{i:03d}" for i in range(50)], ["p1"] * 25 + ["p2"] * 25, list(np.arange(50.0)))
    one_park = big.iloc[25:].copy()
    one_park["far"] = one_park["far"] + 1
    d = w.preview_import(big, one_park, "update")
    assert d.counts["changed"] == 25 and d.counts["kept"] == 25 and d.counts["removed"] == 0
    assert d.by_park().loc["p2", "changed"] == 25 and d.by_park().loc["p1", "kept"] == 25
    assert len(w.merge_import(big, one_park, "update")) == 50


def test_geometry_move_and_new_column_count_as_changes_reprojected_file_does_not():
    moved = CURRENT.copy()
    moved.loc[0, "geometry"] = shapely.box(X, Y, X + 100, Y + 150)
    moved["holder"] = [None, "某公司", None, None]
    d = w.preview_import(CURRENT, moved, "update")
    assert d.changed_columns == {"A": ["geometry"], "B": ["holder"]}
    same_in_degrees = CURRENT.to_crs(4490)
    assert w.preview_import(CURRENT, same_in_degrees, "update").counts["changed"] == 0


def test_unknown_mode_and_update_without_numbers_are_coded_errors():
    with pytest.raises(w.WorkspaceError) as exc:
        w.preview_import(CURRENT, INCOMING, "merge")
    assert exc.value.code == "import_mode_unknown"
    with pytest.raises(w.WorkspaceError) as exc:
        w.preview_import(CURRENT, INCOMING.drop(columns="parcel_id"), "update")
    assert exc.value.code == "import_needs_parcel_id"


# --------------------------------------------------------------------------- install, versions, restore

T0 = datetime(2026, 11, 30, 10, 15, 0)


def test_install_keeps_versions_and_restore_is_a_new_version(workspace_backend, tmp_path):
    ws = Workspace(tmp_path / "ws")
    m1 = w.install(ws, CURRENT, "replace", source="first.zip", account=ZHANG, now=T0)
    assert m1["version_id"] == "0001" and m1["mode"] == "replace" and m1["counts"]["parcels"] == 4
    assert m1["installed_at"] == "2026-11-30T10:15:00+08:00"  # Beijing time
    assert (m1["user"], m1["role"]) == ("张三", "admin")
    m2 = w.install(ws, INCOMING, "update", source="park2.zip", account=ADMIN, now=T0.replace(minute=16))
    assert m2["counts"] == {"new": 1, "changed": 1, "unchanged": 1, "removed": 0, "kept": 2, "existing": 0,
                            "no_id": 1, "parcels": 5}
    assert _ids(io.read_parcels(ws.parcels_path).gdf) == ["A", "B", "C", "D", "E"]

    v = w.list_versions(ws)
    assert list(v.columns) == ["version_id", "installed_at", "mode", "source", "user", "role", "parcels",
                               *w.IMPORT_OUTCOMES, "restored_from", "current"]
    assert list(v["version_id"]) == ["0002", "0001"]
    assert list(v["current"]) == [True, False]
    assert list(v["mode"]) == ["update", "replace"] and list(v["source"]) == ["park2.zip", "first.zip"]
    assert list(v["user"]) == ["管理员", "张三"] and list(v["role"]) == ["admin", "admin"]
    assert list(v["installed_at"]) == [pd.Timestamp("2026-11-30 10:16:00"), pd.Timestamp("2026-11-30 10:15:00")]
    assert list(v["parcels"]) == [5, 4] and (v.loc[0, "new"], v.loc[0, "kept"], v.loc[0, "no_id"]) == (1, 2, 1)

    m3 = w.restore(ws, "1", account=ADMIN, now=T0.replace(minute=17))
    assert m3["version_id"] == "0003" and m3["mode"] == "restore" and m3["restored_from"] == "0001"
    assert m3["counts"] == {"parcels": 4} and (m3["user"], m3["role"]) == ("管理员", "admin")
    assert m3["installed_at"] == "2026-11-30T10:17:00+08:00"
    assert _ids(io.read_parcels(ws.parcels_path).gdf) == ["A", "B", "C", "E"]
    v = w.list_versions(ws)
    assert list(v["version_id"]) == ["0003", "0002", "0001"] and list(v["current"]) == [True, False, False]
    assert (v.loc[0, "mode"], v.loc[0, "restored_from"], v.loc[0, "source"], v.loc[0, "parcels"]) == (
        "restore", "0001", "first.zip", 4)
    # the restore can be undone
    w.restore(ws, "0002", account=ADMIN, now=T0.replace(minute=18))
    assert _ids(io.read_parcels(ws.parcels_path).gdf) == ["A", "B", "C", "D", "E"]
    with pytest.raises(w.WorkspaceError) as exc:
        w.restore(ws, "0099", account=ADMIN)
    assert exc.value.code == "version_not_found"
    assert exc.value.params["versions"] == ["0001", "0002", "0003", "0004"]
    assert len(w.list_versions(ws)) == 4


def test_a_time_with_a_zone_is_kept_as_beijing_time(workspace_backend, tmp_path):
    from datetime import UTC

    ws = Workspace(tmp_path)
    m = w.install(ws, CURRENT, "replace", account=ADMIN, now=datetime(2026, 11, 30, 2, 15, tzinfo=UTC))
    assert m["installed_at"] == "2026-11-30T10:15:00+08:00"
    assert w.list_versions(ws).loc[0, "installed_at"] == pd.Timestamp("2026-11-30 10:15:00")


def test_both_backends_list_the_same_versions_and_hold_the_same_parcels(pg_backend, tmp_path, monkeypatch):
    """The same installs and restore on the embedded store and on PostGIS: the same table, column for column."""
    from geo import db

    def run(ws):
        w.install(ws, CURRENT, "replace", source="first.zip", account=ZHANG, now=T0)
        w.install(ws, INCOMING, "update", source="park2.zip", account=ADMIN, now=T0.replace(minute=16))
        w.restore(ws, "1", account=ADMIN, now=T0.replace(minute=17))
        return w.list_versions(ws), w.read_stored(ws).gdf

    embedded = run(Workspace(tmp_path / "embedded"))
    monkeypatch.setenv(db.DATABASE_URL_ENV, pg_backend.target("same"))
    server = run(Workspace(tmp_path / "server"))
    pd.testing.assert_frame_equal(server[0], embedded[0])
    pd.testing.assert_frame_equal(pd.DataFrame(server[1].drop(columns="geometry")),
                                  pd.DataFrame(embedded[1].drop(columns="geometry")))
    assert server[1].crs == embedded[1].crs and server[1].geom_equals_exact(embedded[1], 0).all()


# Embedded only: the versions are files of the workspace folder, named by id and Beijing time.
def test_versions_are_files_named_by_id_and_beijing_time(tmp_path):
    ws = Workspace(tmp_path / "ws")
    m = w.install(ws, CURRENT, "replace", source="first.zip", account=ZHANG, now=T0)
    assert m["file"] == "0001_2026-11-30T101500+0800.parquet"
    assert (ws.root / "versions" / "0001_2026-11-30T101500+0800.parquet").is_file()
    assert (ws.root / "versions" / "0001_2026-11-30T101500+0800.json").is_file()


# Embedded only: a parcel file found in the folder is the data only where no database holds them
# (on a server the migration brings them in: tests/test_store_pg_parcels.py).
def test_data_found_before_the_first_install_is_kept_as_a_version(tmp_path):
    ws = Workspace(tmp_path)
    io.write_table(CURRENT, tmp_path / "parcels.gpkg")  # as an older workspace holds it
    w.install(ws, INCOMING, "replace", source="new.gpkg", account=ADMIN, now=T0)
    v = w.list_versions(ws)
    assert list(v["mode"]) == ["replace", "existing"]
    assert v.loc[1, "source"] == "parcels.gpkg" and v.loc[1, "parcels"] == 4
    w.restore(ws, v.loc[1, "version_id"], account=ADMIN, now=T0.replace(minute=20))
    assert _ids(io.read_parcels(ws.parcels_path).gdf) == ["A", "B", "C", "E"]
    # a second install does not keep the same data twice
    w.install(ws, INCOMING, "update", account=ADMIN, now=T0.replace(minute=21))
    assert list(w.list_versions(ws)["mode"]).count("existing") == 1


@pytest.mark.parametrize("mode", w.IMPORT_MODES)
def test_review_decisions_survive_every_mode_and_restore(workspace_backend, tmp_path, mode):
    ws = Workspace(tmp_path)
    w.install(ws, CURRENT, "replace", account=ADMIN, now=T0)
    store = ws.review_store()
    store.record("A", action="confirm", account=Account("李四", "officer"))
    store.record("C", action="dismiss", account=Account("李四", "officer"), reason="已动工")
    before = ws.review_store().log()
    w.install(ws, INCOMING, mode, account=ADMIN, now=T0.replace(minute=1))
    w.restore(ws, "0001", account=ADMIN, now=T0.replace(minute=2))
    after = ws.review_store().log()
    pd.testing.assert_frame_equal(before, after)
    cur = ws.review_store().current()
    assert cur.loc["A", "decision"] == "confirmed" and cur.loc["C", "decision"] == "dismissed"


@pytest.mark.parametrize("mode, after", [
    ("replace", ["B", "C", "D"]),
    ("update", ["A", "B", "C", "D", "E"]),
    ("add", ["A", "B", "C", "D", "E"]),
])
def test_installed_counts_are_the_previews(workspace_backend, tmp_path, mode, after):
    """What the install records is what the preview of the installed data said, and the parcels after are as merged."""
    ws = Workspace(tmp_path)
    w.install(ws, CURRENT, "replace", account=ADMIN, now=T0)
    current = io.read_parcels(ws.parcels_path).gdf
    diff = w.preview_import(current, INCOMING, mode)
    m = w.install(ws, INCOMING, mode, account=ADMIN, now=T0.replace(minute=1), source="二期.gpkg")
    got = io.read_parcels(ws.parcels_path).gdf
    assert m["counts"] == {**diff.counts, "parcels": len(w.merge_import(current, INCOMING, mode))}
    assert _ids(got) == after and m["counts"]["parcels"] == len(got)
    v = w.list_versions(ws).iloc[0]
    assert {o: v[o] for o in w.IMPORT_OUTCOMES} == diff.counts and v["parcels"] == len(got)
    if mode != "replace":  # a parcel the file leaves out keeps its values
        assert got.set_index("parcel_id").loc["A", "far"] == 1.0
    assert got.set_index("parcel_id").loc["C", "far"] == (3.0 if mode == "add" else 3.5)


def test_one_parks_install_leaves_the_other_parks_rows_as_they_were(workspace_backend, tmp_path):
    ws = Workspace(tmp_path)
    big = parcels([f"Q{i:03d}" for i in range(50)], ["p1"] * 25 + ["p2"] * 25, list(np.arange(50.0)))
    w.install(ws, big, "replace", account=ADMIN, now=T0)
    one_park = big.iloc[25:].copy()
    one_park["far"] = one_park["far"] + 1
    m = w.install(ws, one_park, "update", account=ADMIN, now=T0.replace(minute=1))
    assert (m["counts"]["changed"], m["counts"]["kept"], m["counts"]["parcels"]) == (25, 25, 50)
    got = io.read_parcels(ws.parcels_path).gdf.set_index("parcel_id")
    assert (got.loc[[f"Q{i:03d}" for i in range(25)], "far"] == np.arange(25.0)).all()
    assert (got.loc[[f"Q{i:03d}" for i in range(25, 50)], "far"] == np.arange(25.0, 50.0) + 1).all()
    assert got.crs.to_epsg() == 4545


def test_installs_and_restores_are_refused_but_to_admins(workspace_backend, tmp_path):
    from geo.accounts import AccessError

    ws = Workspace(tmp_path)
    w.install(ws, CURRENT, "replace", account=ADMIN, now=T0)
    before = w.list_versions(ws)
    for account, code in ((Account("南宁经办", "officer", parks=("p1",)), "access_needs_admin"),
                          (Account("科长", "reviewer"), "access_needs_admin"),
                          (Account("查看", "viewer"), "access_needs_admin"), (None, "access_no_account")):
        with pytest.raises(AccessError) as exc:
            w.install(ws, INCOMING, "update", account=account)
        assert exc.value.code == code
        with pytest.raises(AccessError) as exc:
            w.restore(ws, "1", account=account)
        assert exc.value.code == code
    pd.testing.assert_frame_equal(w.list_versions(ws), before)
    assert _ids(io.read_parcels(ws.parcels_path).gdf) == ["A", "B", "C", "E"]


def _stray(folder):
    return sorted(p.name for p in folder.rglob("*") if p.name.startswith(".incoming") or p.name.endswith("-journal"))


# Embedded only, as the next two: the file swap of the workspace folder (PostGIS installs in one transaction).
def test_crash_between_write_and_replace_leaves_the_old_file_and_no_temp_files(tmp_path, monkeypatch):
    ws = Workspace(tmp_path)
    w.install(ws, CURRENT, "replace", account=ADMIN, now=T0)
    old_bytes = ws.parcels_path.read_bytes()

    real = w.os.replace

    def crash(src, dst):
        # the new data are written, flushed and kept as a version; the swap itself fails
        if Path(dst) == tmp_path / "parcels.parquet":
            assert Path(src).is_file() and Path(src).parent == tmp_path
            raise OSError("simulated power cut")
        return real(src, dst)

    with monkeypatch.context() as patched:
        patched.setattr(w.os, "replace", crash)
        with pytest.raises(OSError):
            w.install(ws, INCOMING, "replace", account=ADMIN, now=T0.replace(minute=1))
    assert ws.parcels_path.read_bytes() == old_bytes
    assert _ids(io.read_parcels(ws.parcels_path).gdf) == ["A", "B", "C", "E"]
    assert _stray(tmp_path) == []
    # no version of data that never became the workspace's
    assert list(w.list_versions(ws)["version_id"]) == ["0001"]
    assert sorted(p.name for p in (tmp_path / "versions").iterdir()) == [
        "0001_2026-11-30T101500+0800.json", "0001_2026-11-30T101500+0800.parquet"]


def test_failed_write_leaves_no_temp_file(tmp_path, monkeypatch):
    ws = Workspace(tmp_path)
    w.install(ws, CURRENT, "replace", account=ADMIN, now=T0)

    def broken(df, path, **kw):
        path.write_bytes(b"half a file")
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(w.io, "write_table", broken)
        with pytest.raises(OSError):
            w.install(ws, INCOMING, "replace", account=ADMIN, now=T0.replace(minute=1))
    assert _stray(tmp_path) == []
    assert _ids(io.read_parcels(ws.parcels_path).gdf) == ["A", "B", "C", "E"]


def test_swap_is_one_rename_onto_the_parcel_file(tmp_path, monkeypatch):
    ws = Workspace(tmp_path)
    w.install(ws, CURRENT, "replace", account=ADMIN, now=T0)
    calls = []
    real = w.os.replace

    def spy(src, dst):
        # at the instant of every rename the parcel file is there and readable
        assert (tmp_path / "parcels.parquet").is_file()
        calls.append((str(src), str(dst)))
        return real(src, dst)

    monkeypatch.setattr(w.os, "replace", spy)
    w.install(ws, INCOMING, "update", account=ADMIN, now=T0.replace(minute=1))
    onto_parcels = [c for c in calls if c[1].endswith("parcels.parquet") and "versions" not in c[1]]
    assert len(onto_parcels) == 1 and ".incoming" in onto_parcels[0][0]


def test_install_without_geometry_is_refused(workspace_backend, tmp_path):
    ws = Workspace(tmp_path / "ws")
    for incoming in (pd.DataFrame({"parcel_id": ["A"]}),
                     gpd.GeoDataFrame({"parcel_id": ["A"]}, geometry=gpd.GeoSeries([None], crs=4545))):
        with pytest.raises(io.DataError) as exc:
            w.install(ws, incoming, "replace", account=ADMIN)
        assert exc.value.code == "install_no_geometry"
    assert list(tmp_path.iterdir()) == [] and w.list_versions(ws).empty
    with pytest.raises(w.WorkspaceError) as exc:
        w.install(ws, CURRENT, "merge", account=ADMIN)
    assert exc.value.code == "import_mode_unknown" and w.list_versions(ws).empty


# --------------------------------------------------------------------------- mappings and registers


def test_mapping_is_remembered_by_the_header_signature(workspace_backend, tmp_path):
    ws = Workspace(tmp_path)
    headers = ["DKBH", "QLR", "BZ1", "JE"]
    assert w.mapping_for(ws, headers) == {}
    w.save_mapping(ws, headers, {"BZ1": "delay_cause", "JE": "land_price_wan"}, units={"land_price_wan": "yuan"})
    # same headers in another order: the same file layout
    assert w.mapping_for(ws, ["JE", "BZ1", "QLR", "DKBH"]) == {"BZ1": "delay_cause", "JE": "land_price_wan"}
    assert w.units_for(ws, headers) == {"land_price_wan": "yuan"}
    assert w.mapping_for(ws, [*headers, "X"]) == {}
    # a newer mapping of the same layout wins
    w.save_mapping(ws, headers, {"BZ1": "delay_cause", "JE": "land_price_wan"}, units={"land_price_wan": "wan"})
    assert w.units_for(ws, headers) == {"land_price_wan": "wan"}
    # kept in the workspace folder, or shared by every server in the database (not in the folder)
    assert (tmp_path / w.MAPPINGS_FILE).is_file() == (workspace_backend.kind == "sqlite")
    assert _stray(tmp_path) == []


def test_register_join_fills_overrides_and_reports_both_sides():
    base = parcels(["A", "B", "C"], ["p1", "p1", "p2"], [1.0, 2.0, 3.0])
    base["holder"] = ["甲", None, "丙"]
    register_ = pd.DataFrame({
        "parcel_id": ["A", "B", "B", "X1", "X2", None],
        "holder": ["甲公司", "乙公司", "乙公司（新）", "某", "某", "无编号"],
        "land_price_wan": [100.0, np.nan, 250.0, 1.0, 2.0, 3.0],
    })
    joined, report = w.join_register(base, register_)
    j = joined.set_index("parcel_id")
    assert list(j["holder"]) == ["甲公司", "乙公司（新）", "丙"]
    assert j.loc["A", "land_price_wan"] == 100.0 and j.loc["B", "land_price_wan"] == 250.0
    assert np.isnan(j.loc["C", "land_price_wan"])
    assert isinstance(joined, gpd.GeoDataFrame) and len(joined) == 3
    assert report["matched"] == 2
    assert (report["unmatched_register"], report["unmatched_register_examples"]) == (2, ["X1", "X2"])
    assert (report["unmatched_parcels"], report["unmatched_parcels_examples"]) == (1, ["C"])
    assert report["duplicate_keys"] == 1
    text = words.render(report["items"], "zh")
    assert "关联 2 宗" in text and "X1、X2" in text and "1 宗在登记表中没有记录，如：C" in text


def test_register_examples_stop_at_ten():
    base = parcels(["A"], ["p1"])
    reg = pd.DataFrame({"parcel_id": [f"R{i}" for i in range(25)], "holder": "某"})
    _, report = w.join_register(base, reg)
    assert report["unmatched_register"] == 25 and len(report["unmatched_register_examples"]) == 10


def test_register_without_key_is_a_coded_error():
    with pytest.raises(w.WorkspaceError) as exc:
        w.join_register(parcels(["A"], ["p1"]), pd.DataFrame({"holder": ["x"]}))
    assert exc.value.code == "register_no_key"


# --------------------------------------------------------------------------- the upload limit and the words


def test_upload_limit_agrees_with_streamlit_and_has_chinese_words():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == w.max_upload_mb()
    w.check_upload_size("a.zip", w.max_upload_mb() * 1024 * 1024)  # at the limit: fine
    with pytest.raises(w.WorkspaceError) as exc:
        w.check_upload_size("大文件.zip", (w.max_upload_mb() + 1) * 1024 * 1024)
    from words.io import error_text

    msg = error_text(exc.value, "zh")
    assert msg.startswith("大文件.zip：") and f"上限 {w.max_upload_mb()} MB" in msg


def test_every_code_has_words():
    for code in (*w.WORKSPACE_ERROR_CODES, *w.REGISTER_CODES):
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code
    for code in w.IMPORT_MODES:
        assert words.has_label("import_mode", code, "zh") and words.has_label("import_mode", code, "en")
    for code in w.VERSION_MODES:
        assert words.has_label("version_mode", code, "zh") and words.has_label("version_mode", code, "en")
    for code in (*w.AREA_UNITS, *w.MONEY_UNITS):
        assert words.has_label("import_unit", code, "zh") and words.has_label("import_unit", code, "en")
    for code in w.IMPORT_OUTCOMES:
        assert words.has_label("import_outcome", code, "zh") and words.has_label("import_outcome", code, "en")
