"""
The stored workspace: GeoParquet with the reading's derivations kept, read without deriving again.

The embedded store's file format: these tests run without ``GXLAND_DATABASE_URL`` (PostGIS keeps its
versions as tables; tests/test_workspace_import.py runs the store's acts on both backends).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import crs, io, sample
from geo import workspace as w
from geo.accounts import Account
from geo.review import ReviewStore
from geo.workspace import Workspace

# Tests of the folder's files run on the embedded store; those taking `workspace_backend` on both.
pytestmark = pytest.mark.usefixtures("embedded_store")

ADMIN = Account("管理员", "admin")

T0 = datetime(2026, 11, 30, 10, 15)


@pytest.fixture(scope="module")
def parks():
    return io.read_parks()


@pytest.fixture(scope="module")
def raw():
    """Sample parcels as a bureau's file holds them: every status, planted defects, degrees (EPSG:4326)."""
    return sample.make_parcels(sample.make_parks(), n=400, seed=7)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _same_frame(got: gpd.GeoDataFrame, want: gpd.GeoDataFrame) -> None:
    """Every column, its dtype and values, the CRS and the geometry exactly."""
    assert list(got.columns) == list(want.columns)
    assert dict(got.dtypes) == dict(want.dtypes)
    assert got.crs == want.crs
    pd.testing.assert_frame_equal(pd.DataFrame(got.drop(columns="geometry")), pd.DataFrame(want.drop(columns="geometry")))
    assert shapely.equals_exact(np.asarray(got.geometry.array), np.asarray(want.geometry.array), 0).all()


def _no_slow_read(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the parcel file was read the slow way")

    monkeypatch.setattr(w.io, "read_parcels", refuse)


def test_round_trip_keeps_every_column_dtype_crs_geometry_and_problem(tmp_path, parks, raw):
    raw.to_file(tmp_path / "bureau.gpkg", layer="parcels", driver="GPKG")
    slow = io.read_parcels(tmp_path / "bureau.gpkg", parks=parks)
    root = tmp_path / "ws"
    root.mkdir()
    w.write_stored(raw, root / w.STORED_FILE, parks=parks)
    assert w.is_stored_file(root / w.STORED_FILE) and Workspace(root).parcels_path == root / w.STORED_FILE

    fast = w.read_stored(Workspace(root), parks)
    assert list(fast.gdf.columns[-len(w.DERIVED_COLUMNS):]) == list(w.DERIVED_COLUMNS)
    _same_frame(fast.gdf.drop(columns=list(w.DERIVED_COLUMNS)), slow.gdf)
    # what the reading found is kept: the planted defects are still reported, row by row
    pd.testing.assert_frame_equal(fast.problems_frame(), slow.problems_frame())
    assert {"parcel_id_duplicate", "geometry_repaired", "outside_parks"} <= set(fast.problems_frame()["code"])
    assert fast.crs_note == slow.crs_note and fast.summary == slow.summary
    assert fast.refusal is None and fast.unmapped_columns == slow.unmapped_columns


def test_precomputed_columns_equal_the_derived_ones(tmp_path, parks, raw):
    w.write_stored(raw, tmp_path / w.STORED_FILE, parks=parks)
    fast = w.read_stored(Workspace(tmp_path), parks).gdf
    derived = io.read_parcels(tmp_path / w.STORED_FILE, parks=parks).gdf
    m2 = crs.area_m2(derived)
    assert m2.notna().all() and (m2 > 0).all()
    np.testing.assert_array_equal(fast["area_m2"].to_numpy(), m2.to_numpy())
    np.testing.assert_allclose(fast["area_mu"], m2 / crs.M2_PER_MU, rtol=1e-12)
    np.testing.assert_allclose(fast["area_ha"], m2 / crs.M2_PER_HA, rtol=1e-12)
    pd.testing.assert_series_equal(fast["park_id"], derived["park_id"])
    # the idle analysis takes the stored area instead of measuring again, with the same result
    as_of = sample.SAMPLE_AS_OF
    from_stored = pd.DataFrame(w.analyse_idle(fast, as_of=as_of).drop(columns=["geometry", "area_ha"]))
    measured = pd.DataFrame(w.analyse_idle(derived, as_of=as_of).drop(columns="geometry"))
    pd.testing.assert_frame_equal(from_stored, measured[list(from_stored.columns)])
    assert set(measured.columns) == set(from_stored.columns)


def test_stored_file_is_read_without_deriving_anything(tmp_path, parks, raw, monkeypatch):
    w.write_stored(raw, tmp_path / w.STORED_FILE, parks=parks)
    want = w.read_stored(Workspace(tmp_path), parks)
    _no_slow_read(monkeypatch)
    got = w.read_stored(Workspace(tmp_path), parks)
    _same_frame(got.gdf, want.gdf)
    assert not (tmp_path / w.CACHE_DIR).exists()  # nothing converted: the file is the fast one


def test_read_as_any_file_it_gives_the_installed_parcels(tmp_path, parks, raw):
    """`python -m geo idle workspace/parcels.parquet`: the derived columns are not read as the file's own."""
    w.write_stored(raw, tmp_path / w.STORED_FILE, parks=parks)
    loaded = io.read_parcels(tmp_path / w.STORED_FILE, parks=parks)
    assert not set(w.DERIVED_COLUMNS) & set(loaded.gdf.columns)
    assert loaded.unmapped_columns == [] and not loaded.gdf.attrs
    assert "unmapped_columns" not in {n["code"] for n in loaded.crs_note}


def test_other_parks_are_not_trusted(tmp_path, parks, raw):
    w.write_stored(raw, tmp_path / w.STORED_FILE, parks=parks)
    fewer = parks[parks["park_id"] != "nanning"]
    got = w.read_stored(Workspace(tmp_path), fewer)
    want = io.read_parcels(tmp_path / w.STORED_FILE, parks=fewer)
    _same_frame(got.gdf.drop(columns=list(w.DERIVED_COLUMNS)), want.gdf)
    assert w.parks_fingerprint(fewer) != w.parks_fingerprint(parks)


def test_an_older_gpkg_workspace_opens_and_is_converted_beside_the_users_file(tmp_path, parks, raw, monkeypatch):
    gpkg = tmp_path / "parcels.gpkg"
    raw.to_file(gpkg, layer="parcels", driver="GPKG")
    before = _sha(gpkg)
    ws = Workspace(tmp_path)
    assert ws.parcels_path == gpkg
    first = w.read_stored(ws, parks)
    slow = io.read_parcels(gpkg, parks=parks)
    _same_frame(first.gdf.drop(columns=list(w.DERIVED_COLUMNS)), slow.gdf)
    pd.testing.assert_frame_equal(first.problems_frame(), slow.problems_frame())
    cached = list((tmp_path / w.CACHE_DIR).glob("parcels-*.parquet"))
    assert len(cached) == 1 and w.is_stored_file(cached[0])
    assert _sha(gpkg) == before and ws.parcels_path == gpkg  # the user's file: not touched, still the data
    _no_slow_read(monkeypatch)
    again = w.read_stored(ws, parks)
    _same_frame(again.gdf, first.gdf)
    assert again.source == "parcels.gpkg"


def test_changed_gpkg_is_converted_again(tmp_path, parks, raw):
    gpkg = tmp_path / "parcels.gpkg"
    raw.to_file(gpkg, layer="parcels", driver="GPKG")
    ws = Workspace(tmp_path)
    assert len(w.read_stored(ws, parks).gdf) == 400
    raw.head(50).to_file(tmp_path / "new.gpkg", layer="parcels", driver="GPKG")
    (tmp_path / "new.gpkg").replace(gpkg)
    assert len(w.read_stored(ws, parks).gdf) == 50
    assert len(list((tmp_path / w.CACHE_DIR).glob("parcels-*.parquet"))) <= w.MAX_CACHE_FILES


def test_import_into_an_older_workspace_writes_the_stored_file_and_keeps_the_gpkg(tmp_path, parks, raw):
    gpkg = tmp_path / "parcels.gpkg"
    raw.to_file(gpkg, layer="parcels", driver="GPKG")
    before = _sha(gpkg)
    ws = Workspace(tmp_path)
    store = ReviewStore(ws.review_path)
    pid = str(raw["parcel_id"].iloc[0])
    store.record(pid, action="confirm", account=Account("李四", "reviewer"))
    incoming = io.read_parcels(gpkg, parks=parks).gdf.head(100)
    m = w.install(ws, incoming, "replace", account=ADMIN, now=T0, parks=parks, source="new.gpkg")
    assert ws.parcels_path == tmp_path / w.STORED_FILE and w.is_stored_file(ws.parcels_path)
    assert _sha(gpkg) == before  # never deleted, never overwritten
    assert len(w.read_stored(ws, parks).gdf) == 100 == m["counts"]["parcels"]
    v = w.list_versions(ws)
    assert list(v["mode"]) == ["replace", "existing"] and list(v["current"]) == [True, False]
    assert (tmp_path / w.VERSIONS_DIR / m["file"]).suffix == ".parquet"
    # the old data come back, converted to the stored format, as a new version
    r = w.restore(ws, v.loc[1, "version_id"], account=ADMIN, now=T0.replace(minute=5), parks=parks)
    assert r["restored_from"] == v.loc[1, "version_id"] and r["file"].endswith(".parquet")
    back = w.read_stored(ws, parks)
    _same_frame(back.gdf.drop(columns=list(w.DERIVED_COLUMNS)), io.read_parcels(gpkg, parks=parks).gdf)
    assert list(w.list_versions(ws)["current"]) == [True, False, False]
    assert ReviewStore(ws.review_path).current().loc[pid, "decision"] == "confirmed"
    # restoring a stored version copies it as it is
    w.restore(ws, m["version_id"], account=ADMIN, now=T0.replace(minute=6), parks=parks)
    assert _sha(ws.parcels_path) == _sha(tmp_path / w.VERSIONS_DIR / m["file"])
    assert len(w.read_stored(ws, parks).gdf) == 100


def test_imports_do_not_compare_the_derived_columns(tmp_path, parks, raw):
    w.write_stored(raw, tmp_path / w.STORED_FILE, parks=parks)
    current = w.read_stored(Workspace(tmp_path), parks).gdf
    incoming = io.read_parcels(tmp_path / w.STORED_FILE, parks=parks).gdf
    d = w.preview_import(current, incoming, "update")
    assert d.counts["changed"] == 0 and d.counts["unchanged"] == incoming["parcel_id"].nunique()


def test_review_store_revision_changes_with_every_decision(store_backend):
    store = ReviewStore(store_backend.target("review"))
    assert store.revision() == 0
    store.record("A", action="confirm", account=Account("李四", "reviewer"))
    one = store.revision()
    store.record("A", action="stage", stage=next(iter(__import__("geo.review", fromlist=["STAGES"]).STAGES)),
                 account=Account("李四", "reviewer"))
    assert 0 < one < store.revision()
