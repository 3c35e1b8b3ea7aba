"""The parks layer and the seeded sample generator (issue 2 §2)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import crs, sample, workspace
from geo.idle import IDLE_LAND_STATUSES
from geo.schema import PARCEL_COLUMNS, PARK_COLUMNS
from geo.vocab import DELAY_CAUSES, LAND_USE_CLASSES
from geo.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-25"
PARK_IDS = {
    "nanning", "liuzhou", "guilin", "beihai", "wuzhou", "qinzhou",
    "laibin", "liuzhou_hexi", "hezhou", "baise", "yulin", "fangchenggang",
}  # fmt: skip
NATIONAL = {"nanning", "liuzhou", "guilin", "beihai"}
# Where the issue puts each zone (°E, °N).
LOCATIONS = {
    "nanning": (108.3, 22.85), "liuzhou": (109.4, 24.35), "guilin": (110.3, 25.25), "beihai": (109.1, 21.45),
    "wuzhou": (111.3, 23.45), "qinzhou": (108.6, 21.95), "laibin": (109.2, 23.75),
    "liuzhou_hexi": (109.35, 24.3), "hezhou": (111.55, 24.4), "baise": (106.6, 23.9),
    "yulin": (110.15, 22.65), "fangchenggang": (108.35, 21.7),
}  # fmt: skip


@pytest.fixture(scope="module")
def parks() -> gpd.GeoDataFrame:
    return sample.make_parks()


@pytest.fixture(scope="module")
def parcels(parks) -> gpd.GeoDataFrame:
    return sample.make_parcels(parks, design_column=True)


# ----------------------------------------------------------------------- parks
def test_parks_are_the_12_zones_of_2017(parks):
    assert set(parks["park_id"]) == PARK_IDS and parks["park_id"].is_unique
    assert set(parks.loc[parks["level"] == "national", "park_id"]) == NATIONAL
    assert (parks["level"] == "regional").sum() == 8
    assert parks.crs.to_epsg() == 4326
    assert (parks["boundary_source"] == "illustrative").all()
    assert list(parks.columns) == [*sample.PARK_OUTPUT_COLUMNS, "geometry"]
    assert {c.name for c in PARK_COLUMNS} <= set(parks.columns)


def test_parks_have_valid_polygons_with_nanning_one_zone_several_subparks(parks):
    assert parks.is_valid.all()
    kinds = parks.set_index("park_id").geom_type
    assert kinds["nanning"] == "MultiPolygon" and len(parks.set_index("park_id").geometry["nanning"].geoms) == 3
    assert set(kinds) <= {"Polygon", "MultiPolygon"}


def test_parks_sit_at_their_zone_and_do_not_overlap(parks):
    by_id = parks.set_index("park_id")
    for pid, (lon, lat) in LOCATIONS.items():
        b = by_id.geometry[pid].bounds
        assert b[0] - 0.05 <= lon <= b[2] + 0.05 and b[1] - 0.05 <= lat <= b[3] + 0.05, pid
    i, j = parks.sindex.query(parks.geometry, predicate="intersects")
    assert (i == j).all(), "two parks overlap"
    assert not by_id.geometry["liuzhou"].intersects(by_id.geometry["liuzhou_hexi"])


def test_park_land_figures_nest(parks):
    area_ha = crs.area_m2(parks) / crs.M2_PER_HA
    assert (parks["developable_ha"] <= area_ha).all()
    assert (parks["supply_ready_ha"] <= parks["developable_ha"]).all()
    assert (parks["supply_ready_ha"] > 0).all()


def test_park_eco_status_and_years(parks):
    assert set(parks["eco_status"]) == {"not_started", "in_progress", "completed"}
    done = parks["eco_status"] == "completed"
    assert parks.loc[done, "eco_year"].between(2018, 2024).all()
    assert parks.loc[~done, "eco_year"].isna().all()
    since = parks.set_index("park_id")["regional_since_year"]
    assert (since["nanning"], since["guilin"], since["liuzhou"], since["beihai"]) == (1992, 1991, 2010, 2015)
    assert since.drop(list(NATIONAL)).between(2010, 2017).all()  # all 12 existed in Nov 2017
    eco = parks[list(sample.PARK_ECO_COLUMNS)]
    assert eco.isna().any().any() and eco.notna().any().all()  # some indicators missing, none all-empty
    assert parks["leading_industries"].str.split(";").str.len().ge(2).all()


def test_committed_parks_file_is_what_make_parks_gives(parks):
    committed = gpd.read_file(ROOT / "data" / "parks.geojson")
    assert list(committed["park_id"]) == list(parks["park_id"])
    assert committed.geom_equals_exact(parks.geometry, tolerance=1e-7).all()
    pd.testing.assert_series_equal(committed["supply_ready_ha"], parks["supply_ready_ha"], check_dtype=False)


def test_write_parks_round_trips(tmp_path, parks):
    path = sample.write_parks(tmp_path / "sub" / "parks.geojson")
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == 4326 and len(back) == 12
    assert back.geom_equals_exact(parks.geometry, tolerance=1e-7).all()


# --------------------------------------------------------------------- parcels
def test_columns_and_dtypes_match_the_schema(parcels):
    plain = parcels.drop(columns="design_status")
    assert list(plain.columns) == [c.name for c in PARCEL_COLUMNS] + ["geometry"]
    expected = {"str": "str", "date": "datetime64[ns]", "float": "float64", "bool": "bool"}
    for c in PARCEL_COLUMNS:
        assert str(parcels[c.name].dtype) == expected[c.kind], c.name
    assert parcels.crs.to_epsg() == 4326
    assert len(parcels) == 5000


def test_same_seed_same_sample_other_seed_other_sample(parks, parcels):
    again = sample.make_parcels(parks, design_column=True)
    pd.testing.assert_frame_equal(pd.DataFrame(again.drop(columns="geometry")),
                                  pd.DataFrame(parcels.drop(columns="geometry")))
    assert again.geom_equals_exact(parcels.geometry, tolerance=0).all()
    other = sample.make_parcels(parks, seed=7)
    assert not other.geometry.geom_equals_exact(parcels.geometry, tolerance=1e-9).all()


def test_parcels_lie_inside_their_park_except_the_outsiders(parks, parcels):
    valid = parcels[parcels.is_valid]
    joined = gpd.sjoin(valid[["park_id", "geometry"]], parks[["park_id", "geometry"]],
                       predicate="within", how="left", lsuffix="own", rsuffix="park")
    inside = joined["park_id_own"].notna()
    assert (joined.loc[inside, "park_id_own"] == joined.loc[inside, "park_id_park"]).all()
    outsiders = parcels[parcels["park_id"].isna()]
    assert len(outsiders) == 2
    assert not outsiders.geometry.intersects(parks.union_all()).any()


def test_parcels_do_not_overlap(parcels):
    valid = parcels[parcels.is_valid].reset_index(drop=True)
    i, _ = valid.sindex.query(valid.geometry, predicate="overlaps")
    assert len(i) == 0


def test_area_due_is_the_site_area(parcels):
    valid = parcels.is_valid
    site = crs.area_m2(parcels[valid])
    np.testing.assert_allclose(parcels.loc[valid, "area_due_m2"], site, rtol=1e-6, atol=0.05)  # rounded to 0.1 m²
    assert site.median() > 10_000  # blocks of hectares, not building plots
    assert (site > 150_000).any() and (site < 10_000).any()


def test_supplied_area_fits_supply_ready_land(parks, parcels):
    supplied = parcels[parcels["supply_date"].notna() & parcels["park_id"].notna()]
    area_ha = (crs.area_m2(supplied) / crs.M2_PER_HA).groupby(supplied["park_id"]).sum()
    ready = parks.set_index("park_id")["supply_ready_ha"]
    assert (area_ha <= ready.reindex(area_ha.index)).all()
    assert (area_ha >= 0.4 * ready.reindex(area_ha.index)).all()  # parks are well used, not empty


def test_deliberate_defects_are_there(parcels):
    assert parcels["parcel_id"].duplicated().sum() == 1
    assert parcels["parcel_id"].str.fullmatch(r"45\d{4}-GX-\d{6}").all()
    invalid = parcels[~parcels.is_valid]
    assert len(invalid) == 1
    assert shapely.is_valid_reason(invalid.geometry.iloc[0]).startswith("Self-intersection")
    assert parcels["park_id"].isna().sum() == 2
    assert 3 <= parcels["agreed_start_date"].isna().sum() <= 50
    assert parcels["supply_date"].isna().sum() >= 1
    assert (parcels["holder"] == sample.TRICKY_HOLDER).sum() == 1
    done = parcels["builtup"] & parcels["land_use"].isin(["industrial", "storage"])
    small_firms = done & parcels["tax_wan"].notna() & parcels["value_added_wan"].isna()
    assert small_firms.sum() >= 5


def test_every_status_and_exemption_cause_as_designed(parcels):
    from geo.idle import classify_idle

    result = classify_idle(parcels, as_of=AS_OF)
    pd.testing.assert_series_equal(result["idle_status"], parcels["design_status"], check_names=False)
    counts = parcels["design_status"].value_counts()
    assert set(counts.index) == set(sample.DESIGN_STATUSES)
    assert counts.min() >= 3
    exempt = parcels["design_status"] == "idle_exempt"
    assert set(parcels.loc[exempt, "delay_cause"]) == set(DELAY_CAUSES)
    # Fee and recovery only where the holder's cause is recorded; suspected parcels have no
    # cause or one the officer must settle (never the holder's).
    holder_fault = parcels["design_status"].isin(["idle_fee", "idle_recover"])
    assert (parcels.loc[holder_fault, "delay_cause"] == "holder").all()
    suspected = parcels.loc[parcels["design_status"] == "idle_suspected", "delay_cause"]
    assert suspected.isna().sum() >= 3
    assert set(suspected.dropna()) == set(sample.UNRECOGNISED_CAUSES)
    assert set(result.loc[parcels["design_status"] == "idle_suspected", "status_if_holder"]) == {
        "idle_fee", "idle_recover"}
    share = counts / len(parcels)
    assert share["completed"] + share["active"] > 0.8
    assert 0.02 <= share[list(IDLE_LAND_STATUSES)].sum() <= 0.08
    assert share["idle_suspected"] > share["idle_fee"]  # a cause is seldom on file


def test_every_data_conflict_and_extensions(parcels):
    from geo.idle import CONFLICT_CODES, classify_idle, extension_history

    result = classify_idle(parcels, as_of=AS_OF)
    found = result["data_conflicts"].str.split(",").explode()
    counts = found[found != ""].value_counts()
    assert set(counts.index) == set(CONFLICT_CODES)
    assert (result.loc[result["data_conflicts"].str.contains("supply_after_as_of"), "idle_status"]
            == "not_supplied").all()  # fmt: skip
    history = extension_history(parcels, as_of=AS_OF)
    assert history["in_force"].sum() >= 3 and (~history["counts"] & history["readable"]).sum() >= 2
    moved = result["extension_doc_no"].notna()
    assert (result.loc[moved, "agreed_start_in_force"] > parcels.loc[moved, "agreed_start_date"]).all()
    # An agreement in force keeps a parcel whose contract date is long past not yet due.
    assert (result.loc[moved, "idle_status"] == "not_due").sum() >= 3
    assert parcels["supervision_no"].str.fullmatch(r"45\d{4}\d{4}B\d{5}").sum() >= len(parcels) - 5
    assert parcels["contract_no"].notna().sum() >= len(parcels) - 5


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_smallest_sample_still_holds_every_status(parks, seed):
    from geo.idle import classify_idle

    small = sample.make_parcels(parks, n=sample.MIN_PARCELS, seed=seed)
    status = classify_idle(small, as_of=AS_OF)["idle_status"]
    assert status.value_counts().reindex(sample.DESIGN_STATUSES).min() >= 3
    assert set(small.loc[status == "idle_exempt", "delay_cause"]) == set(DELAY_CAUSES)


def test_designed_dates_keep_clear_of_the_one_year_mark(parcels):
    # Kind A clocks start at the agreed date: idle parcels are ≥ 1 year + 20 days past it.
    t = pd.Timestamp(AS_OF)
    not_started = parcels["actual_start_date"].isna() & parcels["halted_since"].isna()
    fee = not_started & (parcels["design_status"] == "idle_fee")
    assert (parcels.loc[fee, "agreed_start_date"] <= t - pd.Timedelta(days=385)).all()
    recover = not_started & (parcels["design_status"] == "idle_recover")
    assert (parcels.loc[recover, "agreed_start_date"] <= t - pd.DateOffset(years=3)).all()


def test_dates_are_ordered_and_within_2008_2026(parcels):
    from geo.idle import classify_idle

    # The parcels carrying a designed data conflict are the exceptions (see the test above).
    p = parcels[classify_idle(parcels, as_of=AS_OF)["data_conflicts"].isin(["", "progress_without_start"])]
    assert p["supply_date"].min() >= pd.Timestamp("2008-01-01")
    for col in ("supply_date", "actual_start_date", "halted_since", "completion_date"):
        assert p[col].max() <= pd.Timestamp(AS_OF), col
    dated = p["agreed_start_date"].notna() & p["supply_date"].notna()
    assert (p.loc[dated, "agreed_start_date"] > p.loc[dated, "supply_date"]).all()
    both = p["actual_start_date"].notna() & p["completion_date"].notna()
    assert (p.loc[both, "completion_date"] > p.loc[both, "actual_start_date"]).all()
    halted = p["actual_start_date"].notna() & p["halted_since"].notna()
    assert (p.loc[halted, "halted_since"] > p.loc[halted, "actual_start_date"]).all()
    # Typical lead time supply → agreed start: 6-12 months.
    lead = (p["agreed_start_date"] - p["supply_date"]).dt.days.dropna()
    assert lead.between(180, 365).mean() > 0.9


def test_land_use_mix_by_park(parcels):
    inside = parcels[parcels["park_id"].notna()]
    assert set(inside["land_use"]) <= set(LAND_USE_CLASSES)
    industrial = (inside["land_use"] == "industrial").groupby(inside["park_id"]).mean()
    assert industrial["nanning"] < 0.3  # 产城融合型 (domain.md §5: 19.40 %)
    led = industrial.drop(["nanning", "guilin"])
    assert led.between(0.5, 0.7).all()


def test_industry_codes_only_on_industrial_and_storage_land(parcels):
    factory = parcels["land_use"].isin(["industrial", "storage"])
    codes = parcels.loc[factory, "industry_code"]
    assert codes.str.fullmatch(r"\d{2}").all()
    assert codes.astype(int).between(13, 43).all()
    assert parcels.loc[~factory, "industry_code"].isna().all()
    top = parcels.loc[factory & (parcels["park_id"] == "liuzhou_hexi"), "industry_code"].value_counts().index[0]
    assert top in {"36", "34", "35", "30"}  # the park's leading industries come first


def test_buildings_and_operations_are_plausible(parcels):
    done = parcels[parcels["builtup"] & parcels["land_use"].isin(["industrial", "storage"])]
    far = (done["floor_area_m2"] + done["floor_area_over_8m_m2"]) / done["area_due_m2"]
    far_min = pd.Series(sample._far_min_by_division(), index=sample._ALL_DIVISIONS)
    below = (far < done["industry_code"].map(far_min)).mean()
    assert 0.05 <= below <= 0.20
    assert far.between(0.5, 1.6).mean() > 0.8
    coverage = done["footprint_m2"] / done["area_due_m2"]
    assert coverage.between(0.22, 0.60).all() and (coverage < 0.30).any()
    assert (done["floor_area_over_8m_m2"] <= done["floor_area_m2"]).all()
    mu = done["area_due_m2"] / crs.M2_PER_MU
    invest_wan_per_mu = (done["total_investment_wan"] + done["land_price_wan"]) / mu
    assert invest_wan_per_mu.between(150, 500).mean() > 0.8 and (invest_wan_per_mu < 150).any()
    tax_wan_per_mu = done["tax_wan"] / mu
    assert tax_wan_per_mu.between(5, 40).mean() > 0.85
    not_done = parcels[~parcels["builtup"]]
    ops = ["output_wan", "tax_wan", "value_added_wan", "energy_tce", "emission_t", "employees", "rd_wan",
           "revenue_wan"]  # fmt: skip
    assert not_done[ops].isna().all().all()
    assert (parcels["builtup"] == (parcels["design_status"] == "completed")).all()


def test_too_few_parcels_or_bad_parks_are_refused(parks):
    with pytest.raises(ValueError, match="at least"):
        sample.make_parcels(parks, n=10)
    with pytest.raises(ValueError, match="park_id"):
        sample.make_parcels(parks.drop(columns="park_id"))


def test_other_as_of_shifts_the_design(parks):
    from geo.idle import classify_idle

    later = sample.make_parcels(parks, n=400, seed=5, as_of=date(2030, 6, 30), design_column=True)
    assert later["completion_date"].max() > pd.Timestamp(AS_OF)
    status = classify_idle(later, as_of="2030-06-30")["idle_status"]
    assert (status == later["design_status"]).all()


# ------------------------------------------------------------------- synthetic
def test_synthetic_is_fast_shaped_like_the_sample_and_seeded():
    big = sample.make_synthetic(20_000, seed=3)
    assert len(big) == 20_000 and big["parcel_id"].is_unique
    assert list(big.columns) == [c.name for c in PARCEL_COLUMNS] + ["geometry"]
    assert big.is_valid.all() and set(big["park_id"]) == PARK_IDS
    again = sample.make_synthetic(20_000, seed=3)
    pd.testing.assert_frame_equal(pd.DataFrame(big.drop(columns="geometry")),
                                  pd.DataFrame(again.drop(columns="geometry")))
    np.testing.assert_allclose(crs.area_m2(big), big["area_due_m2"], rtol=1e-3)


# ------------------------------------------------------------------- workspace
def test_write_sample_writes_stored_parquet_zipped_gbk_shapefile_and_parks(sample_workspace):
    stored = sample_workspace / "parcels.parquet"
    assert workspace.is_stored_file(stored) and Workspace(sample_workspace).parcels_path == stored
    back = gpd.read_parquet(stored)
    assert len(back) == 5000 and back["parcel_id"].duplicated().sum() == 1
    assert not (sample_workspace / "parcels.gpkg").exists()  # one parcel file: no second copy to go stale
    with zipfile.ZipFile(sample_workspace / "parcels_gbk.zip") as zf:
        names = zf.namelist()
        dbf = zf.read("parcels.dbf")
    assert {n.rsplit(".", 1)[1] for n in names} == {"shp", "shx", "dbf", "prj"}  # no .cpg: as bureaus send it
    header = dbf[32 : 32 + 32 * 31]
    assert "宗地编号".encode("gbk") in header and "土地用途".encode("gbk") in header
    assert "工业用地".encode("gbk") in dbf
    assert all(len(h.encode("gbk")) <= 10 for h in sample.dbf_headers().values())
    assert (sample_workspace / "parks.geojson").exists()


def test_gbk_shapefile_reads_back_to_the_same_parcels(sample_workspace):
    from geo import io

    parks = io.read_parks(sample_workspace / "parks.geojson")
    from_zip = io.read_parcels(sample_workspace / "parcels_gbk.zip", parks=parks).gdf
    from_stored = io.read_parcels(sample_workspace / "parcels.parquet", parks=parks).gdf
    for col in ("parcel_id", "land_use", "holder", "delay_cause", "agreed_start_date", "office_area_m2"):
        pd.testing.assert_series_equal(from_zip[col], from_stored[col], check_dtype=False)


def test_write_sample_files_stay_small(tmp_path):
    # (its speed is a benchmark's business, never a test's)
    paths = sample.write_sample(tmp_path, n=5000)
    assert set(paths) == {"parcels", "parcels_gbk", "parks", "cases", "imagery"}
    assert all(p.stat().st_size < 10_000_000 for p in paths.values())
