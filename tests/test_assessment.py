"""
Application review (geo/assessment.py): overlap and distance arithmetic on box polygons in
EPSG:4545, each check's pass/warn/fail boundary, verdict derivation, presets, project entry
with hand-worked numbers, words for every code.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import words
from geo import assessment as A
from geo.rules import RulesError
from words.assessment import check_text, sources_text, threshold_text

EPSG = 4545
AS_OF = "2026-11-25"


def box(x0, y0, x1, y1):
    return shapely.box(x0, y0, x1, y1)


@pytest.fixture
def parks() -> gpd.GeoDataFrame:
    # Park A (1 km²) and park B 1 km east of it.
    return gpd.GeoDataFrame(
        {"park_id": ["pa", "pb"], "name_zh": ["甲高新区", "乙高新区"], "name_en": ["Park A", "Park B"],
         "level": ["national", "regional"], "city": ["南宁市", "柳州市"],
         "leading_industries": ["新一代信息技术;生物医药", "新材料"], "eco_status": ["completed", "not_started"],
         "eco_year": [2019.0, None], "developable_ha": [100.0, 100.0], "supply_ready_ha": [90.0, 50.0],
         "regional_since_year": [2015, 2025]},
        geometry=[box(500_000, 2_500_000, 501_000, 2_501_000), box(502_000, 2_500_000, 503_000, 2_501_000)],
        crs=EPSG,
    )


@pytest.fixture
def application() -> gpd.GeoDataFrame:
    # Block 1: 500 m × 400 m = 200,000 m², touching park A on its east edge.
    # Block 2: 400 m × 100 m = 40,000 m², 800 m from park A, 200 m × 100 m inside park B.
    return gpd.GeoDataFrame({"land_use": ["industrial", "residential"]},
                            geometry=[box(501_000, 2_500_000, 501_500, 2_500_400),
                                      box(501_800, 2_500_000, 502_200, 2_500_100)], crs=EPSG)


@pytest.fixture
def constraints() -> dict:
    return {
        # 100 m × 100 m of it lies in block 1.
        "basic_farmland": gpd.GeoDataFrame(geometry=[box(501_400, 2_500_300, 501_600, 2_500_500)], crs=EPSG),
        "ecological_red_line": gpd.GeoDataFrame(geometry=[box(510_000, 2_510_000, 511_000, 2_511_000)], crs=EPSG),
        # Holds block 1 whole, block 2 not at all: 200,000 / 240,000.
        "urban_development_boundary": gpd.GeoDataFrame(geometry=[box(500_000, 2_499_000, 501_500, 2_501_000)],
                                                       crs=EPSG),
    }


def fake_evaluation(**row) -> SimpleNamespace:
    """An evaluation of parks pa and pb with hand-set figures (what geo.evaluation would give)."""
    base = {"park_id": "pa", "developable_ha": 100.0, "supply_ready_ha": 90.0, "development_rate": 0.9,
            "supplied_ha": 60.0, "unsupplied_ha": 30.0, "idle_ha": 5.0, "idle_disposed_ha": 2.0, "n_idle": 2,
            "inefficient_ha": 3.0, "n_inefficient": 1, "score": 70.0, "rank": 1}
    base.update(row)
    table = pd.DataFrame([base, {"park_id": "pb", "score": 50.0, "rank": 2}])
    # 15 ha of park A's 60 supplied hectares are not built.
    parcels = pd.DataFrame({"park_id": ["pa", "pa", "pb"], "area_ha": [15.0, 45.0, 10.0],
                            "unbuilt": [True, False, True], "output_wan": [1_000.0, 2_000.0, 5.0],
                            "tax_wan": [60_000.0, 40_000.0, 1.0]})
    return SimpleNamespace(table=table, parcels=parcels)


def check(result, cid) -> dict:
    rows = result.checks[result.checks["id"] == cid]
    assert len(rows) == 1, f"{cid} not emitted"
    return rows.iloc[0].to_dict()


# --------------------------------------------------------------------------- geometry


def test_overlap_and_distance_arithmetic(parks, application, constraints):
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, constraints=constraints)
    assert r.area["total"]["area_m2"] == pytest.approx(240_000)
    assert r.area["total"]["area_km2"] == 0.24
    assert r.area["total"]["area_mu"] == pytest.approx(360)
    assert r.area["total"]["area_ha"] == pytest.approx(24)
    farm = check(r, "basic_farmland")
    assert (farm["status"], farm["value"], farm["args"]["pieces"]) == ("fail", pytest.approx(10_000), [10_000.0])
    red = check(r, "ecological_red_line")
    assert (red["status"], red["value"]) == ("pass", 0.0)
    other = check(r, "overlap_other_parks")
    assert other["status"] == "fail" and other["value"] == pytest.approx(20_000)
    assert other["args"]["parks"] == [{"park_id": "pb", "area_m2": 20_000.0}]
    contiguity = check(r, "contiguity")
    assert contiguity["status"] == "warn" and contiguity["value"] == pytest.approx(800)
    assert contiguity["args"]["blocks"] == [0.0, 800.0]
    urban = check(r, "urban_boundary_share")
    assert urban["value"] == pytest.approx(200_000 / 240_000) and urban["status"] == "fail"
    assert set(r.overlaps["layer"]) == {"basic_farmland", "other_parks"}
    assert r.overlaps.loc[r.overlaps["layer"] == "other_parks", "feature"].tolist() == ["pb"]


def test_four_sides_of_each_block(parks, application, constraints):
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, constraints=constraints)
    b = r.area["blocks"].iloc[0]
    assert (b["east_x"], b["west_x"], b["north_y"], b["south_y"]) == (501_500, 501_000, 2_500_400, 2_500_000)
    assert b["area_km2"] == 0.2
    assert b["east_lon"] > b["west_lon"] and b["north_lat"] > b["south_lat"]


def test_every_overlap_piece_is_listed_and_overlapping_features_are_not_counted_twice(parks):
    app = gpd.GeoDataFrame(geometry=[box(501_000, 2_500_000, 501_100, 2_500_100)], crs=EPSG)
    farmland = gpd.GeoDataFrame(geometry=[box(501_000, 2_500_000, 501_050, 2_500_100),
                                          box(501_000, 2_500_000, 501_050, 2_500_050),
                                          box(501_080, 2_500_000, 501_200, 2_500_100)], crs=EPSG)
    r = A.assess(app, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks,
                 constraints={"basic_farmland": farmland})
    farm = check(r, "basic_farmland")
    assert sorted(farm["args"]["pieces"]) == [2_000.0, 2_500.0, 5_000.0]
    assert farm["value"] == pytest.approx(5_000 + 2_000)  # the union: the second piece lies in the first
    assert r.overlaps["piece"].tolist() == [1, 2, 3]


def test_touching_block_is_contiguous_and_shared_edges_are_not_overlaps(parks):
    app = gpd.GeoDataFrame(geometry=[box(501_000, 2_500_000, 502_000, 2_501_000)], crs=EPSG)
    r = A.assess(app, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, constraints={})
    assert (check(r, "contiguity")["status"], check(r, "contiguity")["value"]) == ("pass", 0.0)
    assert check(r, "overlap_other_parks")["status"] == "pass"  # touches park B along x = 502,000 only


def test_missing_layer_is_a_warning_never_zero(parks, application):
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, constraints={})
    for cid in ("basic_farmland", "ecological_red_line", "urban_boundary_share"):
        c = check(r, cid)
        assert c["status"] == "warn" and c["value"] is None and c["args"]["why"] == "layer_missing"


def test_geographic_application_is_measured_in_its_gk_zone(parks, application, constraints):
    r = A.assess(application.to_crs(4490), park_id="pa", kind="expansion", as_of=AS_OF, parks=parks,
                 constraints=constraints)
    assert r.crs.to_epsg() == EPSG
    assert r.area["total"]["area_m2"] == pytest.approx(240_000, rel=1e-6)
    assert check(r, "basic_farmland")["value"] == pytest.approx(10_000, rel=1e-5)


# --------------------------------------------------------------------------- thresholds and verdict


@pytest.mark.parametrize(("value", "status"), [(0.85, "pass"), (0.8499, "warn"), (0.2, "warn"), (0.1999, "fail"),
                                                (None, "warn"), (float("nan"), "warn")])
def test_min_boundaries(value, status):
    assert A.status_of(value, {"kind": "min", "pass": 0.85, "warn": 0.2}) == status


@pytest.mark.parametrize(("value", "status"), [(0.1, "pass"), (0.1001, "warn"), (0.3, "warn"), (0.3001, "fail")])
def test_max_boundaries(value, status):
    assert A.status_of(value, {"kind": "max", "pass": 0.1, "warn": 0.3}) == status


def test_strict_and_otherwise():
    assert A.status_of(0, {"kind": "min", "pass": 0, "strict": True}) == "fail"
    assert A.status_of(1e-6, {"kind": "min", "pass": 0, "strict": True}) == "pass"
    assert A.status_of(5, {"kind": "max", "pass": 0, "otherwise": "warn"}) == "warn"


@pytest.mark.parametrize(("statuses", "verdict"), [
    (["pass", "pass"], "recommend"), (["pass", "warn"], "recommend_with_conditions"),
    (["warn", "fail", "pass"], "do_not_recommend"), ([], "recommend")])
def test_verdict_from_the_preset_rule(statuses, verdict):
    assert A.derive_verdict(statuses, A.load_preset()["verdict"]["rules"]) == verdict


def test_verdict_follows_the_checks_only(parks, application, constraints):
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, constraints=constraints)
    assert r.verdict == "do_not_recommend"
    assert r.ordered_checks()["status"].tolist()[:3] == ["fail", "fail", "fail"]
    clean = gpd.GeoDataFrame(geometry=[box(501_000, 2_500_500, 501_200, 2_500_700)], crs=EPSG)
    r2 = A.assess(clean, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, constraints=constraints,
                  evaluation=fake_evaluation(idle_disposed_ha=5.0, unbuilt=None))
    statuses = dict(zip(r2.checks["id"], r2.checks["status"], strict=True))
    assert "fail" not in statuses.values()
    assert r2.verdict == "recommend_with_conditions"  # unbuilt land 25 % > 20 %
    assert statuses["unbuilt_land"] == "warn"


# --------------------------------------------------------------------------- the park's record


def test_park_record_hand_worked(parks, application, constraints):
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, constraints=constraints,
                 evaluation=fake_evaluation())
    assert (check(r, "development_rate")["value"], check(r, "development_rate")["status"]) == (0.9, "pass")
    idle = check(r, "idle_land")
    assert idle["value"] == pytest.approx(3 / 60) and idle["status"] == "warn" and idle["args"]["area_ha"] == 3.0
    assert check(r, "inefficient_land")["value"] == pytest.approx(0.05)
    assert check(r, "inefficient_land")["status"] == "pass"
    unbuilt = check(r, "unbuilt_land")
    assert unbuilt["value"] == pytest.approx(0.25) and unbuilt["status"] == "warn"
    assert check(r, "evaluation_score")["status"] == "pass"
    rank = check(r, "evaluation_rank")
    assert (rank["value"], rank["threshold"]["pass"], rank["status"]) == (1.0, 1, "pass")
    crit = check(r, "expansion_criteria_2005")  # tax 100,000 万元 = 10 亿元: met exactly
    assert crit["status"] == "pass" and crit["args"]["tax_wan_per_year"] == 100_000


@pytest.mark.parametrize(("rate", "status"), [(0.85, "pass"), (0.5, "warn"), (0.19, "fail")])
def test_development_rate_boundaries(parks, application, rate, status):
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks,
                 evaluation=fake_evaluation(development_rate=rate))
    assert check(r, "development_rate")["status"] == status


def test_criteria_2005_none_met(parks, application):
    ev = fake_evaluation()
    ev.parcels["tax_wan"] = [1.0, 1.0, 1.0]
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, evaluation=ev)
    assert check(r, "expansion_criteria_2005")["status"] == "warn"  # the investment-environment rank is unknown
    parks = parks.assign(investment_env_rank=[30, None])
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, evaluation=ev)
    assert check(r, "expansion_criteria_2005")["status"] == "fail"
    parks = parks.assign(investment_env_rank=[25, None])
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, evaluation=ev)
    assert check(r, "expansion_criteria_2005")["status"] == "pass"


def test_criteria_2005_only_for_national_parks(parks, application):
    r = A.assess(application, park_id="pb", kind="expansion", as_of=AS_OF, parks=parks)
    assert "expansion_criteria_2005" not in set(r.checks["id"])


def test_without_parcels_the_record_is_unknown_not_passed(parks, application):
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks)
    for cid in ("development_rate", "idle_land", "evaluation_score"):
        assert check(r, cid)["status"] == "warn" and check(r, cid)["args"]["why"] == "no_parcels"


# --------------------------------------------------------------------------- upgrade


def test_upgrade_checks(parks, application, constraints):
    preset = {"plan_leading_industries": {"pa": ["新一代信息技术"]}}
    r = A.assess(application, park_id="pa", kind="upgrade", as_of=AS_OF, parks=parks, constraints=constraints,
                 preset=preset, evaluation=fake_evaluation())
    assert (check(r, "years_at_region_level")["value"], check(r, "years_at_region_level")["status"]) == (11, "pass")
    assert (check(r, "eco_status")["value"], check(r, "eco_status")["status"]) == ("completed", "pass")
    lead = check(r, "leading_industry_match")
    assert lead["value"] == 0.5 and lead["status"] == "pass" and lead["args"]["matched"] == ["新一代信息技术"]
    estate = check(r, "real_estate_share")  # the residential block: 40,000 of 240,000 m²
    assert estate["value"] == pytest.approx(40_000 / 240_000) and estate["status"] == "warn"
    r = A.assess(application, park_id="pb", kind="upgrade", as_of=AS_OF, parks=parks, constraints=constraints)
    assert check(r, "years_at_region_level")["status"] == "warn"  # 1 year
    assert check(r, "eco_status")["status"] == "warn"
    assert check(r, "leading_industry_match")["args"]["why"] == "no_plan_list"


def test_real_estate_share_from_the_parcels_inside(parks):
    # No land use on the application: the parcels inside it decide, by area of intersection.
    app = gpd.GeoDataFrame(geometry=[box(501_000, 2_500_000, 501_200, 2_500_100)], crs=EPSG)
    parcels = gpd.GeoDataFrame(
        {"park_id": ["pa", "pa", "pa"], "land_use": ["0701", "0601", "0701"], "supply_date": [None] * 3},
        geometry=[None, box(501_000, 2_500_000, 501_100, 2_500_100), box(501_100, 2_500_000, 501_300, 2_500_100)],
        crs=EPSG)
    r = A.assess(app, park_id="pa", kind="upgrade", as_of=AS_OF, parks=parks, parcels=parcels,
                 evaluation=fake_evaluation())
    estate = check(r, "real_estate_share")  # 10,000 m² residential of 20,000 m² covered
    assert estate["value"] == pytest.approx(0.5) and estate["status"] == "fail"
    assert estate["args"]["basis"] == "parcels"


# --------------------------------------------------------------------------- presets


def test_presets_load_and_cite():
    p = A.load_preset()
    assert set(p["checks"]) == set(A.CHECK_IDS)
    for kind in A.KINDS:
        assert p["kinds"][kind]
    for cid, spec in p["checks"].items():
        key = spec["source_key"]
        assert words.has_label("assess_source", key) or words.has_label("source", key), cid
    crit = p["checks"]["expansion_criteria_2005"]
    assert (crit["investment_env_rank_max"], crit["output_wan_per_km2_min"], crit["tax_wan_per_year_min"]) == (
        25, 400_000, 100_000)
    assert p["checks"]["development_rate"]["warn"] == 0.20
    assert p["checks"]["development_rate"]["warn_source_key"] == "cleanup_2004"
    assert "商资字〔2005〕96号" in words.label("assess_source", "shangzi_2005_96")
    for cid in ("basic_farmland", "ecological_red_line"):
        assert p["checks"][cid]["kind"] == "zero" and not p["checks"][cid].get("system_default")


def test_bureau_preset_file(tmp_path, parks, application):
    f = tmp_path / "bureau.yaml"
    f.write_text("name: bureau\nchecks:\n  development_rate:\n    pass: 0.95\n", encoding="utf-8")
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, preset=str(f),
                 evaluation=fake_evaluation())
    assert check(r, "development_rate")["status"] == "warn"
    assert r.preset["name"] == "bureau"


def test_preset_by_name(tmp_path, monkeypatch, parks, application):
    (tmp_path / "assessment_strict.yaml").write_text(
        "name: strict\nchecks:\n  contiguity:\n    otherwise: fail\n", encoding="utf-8")
    monkeypatch.setattr(A, "RULES_DIR", tmp_path)
    assert A.available_presets() == ["default", "strict"]
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, preset="strict")
    assert check(r, "contiguity")["status"] == "fail"  # a block 800 m apart, under the stricter preset
    assert r.preset["checks"]["basic_farmland"]["source_key"] == "zhongban_2019_48"  # the rest from the default


def test_bad_presets_are_refused(tmp_path):
    with pytest.raises(RulesError):
        A.load_preset("no_such_preset")
    with pytest.raises(RulesError):
        A.load_preset({"verdict": {"rules": [{"if_any": "maybe", "verdict": "recommend"}]}})
    with pytest.raises(RulesError):
        A.load_preset({"kinds": {"expansion": ["no_such_check"]}})


# --------------------------------------------------------------------------- project entry


@pytest.fixture
def park_parcels() -> gpd.GeoDataFrame:
    # Three industrial parcels of park A, 100 m × 100 m = 15 亩 each: tax 10, 20, 30 万元/亩,
    # output 100, 300, 600 万元/亩 → medians 20 and 300.
    return gpd.GeoDataFrame(
        {"parcel_id": ["p1", "p2", "p3"], "park_id": ["pa"] * 3, "land_use": ["industrial"] * 3,
         "tax_wan": [150.0, 300.0, 450.0], "output_wan": [1_500.0, 4_500.0, 9_000.0]},
        geometry=[box(500_000 + i * 200, 2_500_000, 500_100 + i * 200, 2_500_100) for i in range(3)], crs=EPSG)


def project(**kw) -> gpd.GeoDataFrame:
    # Site 100 m × 200 m = 20,000 m² = 30 亩 = 2 公顷.
    attrs = {"applicant": "某电子公司", "industry_code": "3911", "industry_edition": "2017",
             "floor_area_m2": 24_000.0, "footprint_m2": 8_000.0, "office_area_m2": 1_000.0,
             "green_area_m2": 5_000.0, "total_investment_wan": 4_200.0, "output_wan": 9_000.0,
             "tax_wan": 600.0, "employees": 120}
    attrs.update(kw)
    return gpd.GeoDataFrame({k: [v] for k, v in attrs.items()},
                            geometry=[box(500_300, 2_500_500, 500_400, 2_500_700)], crs=EPSG)


def test_project_entry_hand_worked(parks, park_parcels):
    r = A.assess(project(), park_id="pa", kind="project", as_of=AS_OF, parks=parks, parcels=park_parcels,
                 evaluation=fake_evaluation())
    far = check(r, "project_far")  # 24,000 / 20,000 = 1.2 ≥ 1.0 (GB/T 4754-2017 division 39)
    assert (far["value"], far["threshold"]["pass"], far["status"]) == (pytest.approx(1.2), 1.0, "pass")
    assert (check(r, "project_building_coef")["value"], check(r, "project_building_coef")["status"]) == (
        pytest.approx(0.4), "pass")
    assert check(r, "project_office_share")["value"] == pytest.approx(0.05)
    green = check(r, "project_green_ratio")  # 5,000 / 20,000 = 25 % > 20 %
    assert (green["value"], green["status"]) == (pytest.approx(0.25), "fail")
    inv = check(r, "project_investment")  # 4,200 / 30 亩 = 140 < 150 (national park)
    assert (inv["value"], inv["threshold"]["pass"], inv["status"]) == (pytest.approx(140), 150.0, "fail")
    lead = check(r, "project_leading_industry")
    assert (lead["value"], lead["status"]) == ("新一代信息技术", "pass")
    tax = check(r, "project_tax_per_mu")  # 600 / 30 = 20 = the median
    assert (tax["value"], tax["args"]["median"], tax["status"]) == (pytest.approx(20), pytest.approx(20), "pass")
    out = check(r, "project_output_per_mu")  # 9,000 / 30 = 300 = the median
    assert (out["value"], out["args"]["median"], out["status"]) == (pytest.approx(300), pytest.approx(300), "pass")
    grade = check(r, "project_grade")  # tax ratios 0.5, 1, 1.5 and the project's 1: rank 2 of 4 → p = 0.5 → B
    assert (grade["value"], grade["status"]) == ("B", "pass")
    land = check(r, "project_land_available")  # 2 ha; 3 ha idle not disposed could take it
    assert (land["value"], land["status"]) == (pytest.approx(2.0), "warn")
    assert r.verdict == "do_not_recommend"


def test_project_other_outcomes(parks, park_parcels):
    p = project(floor_area_m2=18_000.0, industry_code="13", industry_edition="2017", tax_wan=300.0)
    r = A.assess(p, park_id="pa", kind="project", as_of=AS_OF, parks=parks, parcels=park_parcels,
                 evaluation=fake_evaluation(idle_ha=1.0, idle_disposed_ha=0.0))
    assert check(r, "project_leading_industry")["status"] == "warn"
    assert check(r, "project_tax_per_mu")["status"] == "warn"  # 10 < 20
    assert check(r, "project_land_available")["status"] == "pass"  # 30 ha unsupplied, 1 ha idle
    r = A.assess(p, park_id="pa", kind="project", as_of=AS_OF, parks=parks, parcels=park_parcels,
                 evaluation=fake_evaluation(unsupplied_ha=1.0, idle_ha=0.0, idle_disposed_ha=0.0))
    assert check(r, "project_land_available")["status"] == "fail"


def test_project_given_as_an_area(parks, park_parcels):
    p = pd.DataFrame({"industry_code": ["3911"], "industry_edition": ["2017"], "area_m2": [20_000.0],
                      "floor_area_m2": [24_000.0], "tax_wan": [600.0]})
    r = A.assess(gpd.GeoDataFrame(p), park_id="pa", kind="project", as_of=AS_OF, parks=parks,
                 parcels=park_parcels, evaluation=fake_evaluation())
    assert check(r, "project_far")["value"] == pytest.approx(1.2)
    assert r.area["total"]["area_mu"] == pytest.approx(30)
    assert check(r, "basic_farmland")["args"]["why"] == "no_site_area"


def test_read_constraints_any_readable_extension(tmp_path):
    layer = gpd.GeoDataFrame({"source": ["bureau"]}, geometry=[box(0, 0, 10, 10)], crs=EPSG)
    layer.to_file(tmp_path / "basic_farmland.gpkg", driver="GPKG")
    layer.to_crs(4326).to_file(tmp_path / "ecological_red_line.geojson", driver="GeoJSON")
    (tmp_path / "notes.txt").write_text("not a layer", encoding="utf-8")
    got = A.read_constraints(tmp_path)
    assert set(got) == set(A.CONSTRAINT_LAYERS)
    assert len(got["basic_farmland"]) == 1 and len(got["ecological_red_line"]) == 1
    assert got["urban_development_boundary"] is None  # missing: its check is a warning, not zero


def test_park_names_in_words(parks, application, constraints):
    r = A.assess(application, park_id="pa", kind="expansion", as_of=AS_OF, parks=parks, constraints=constraints)
    assert r.names("zh") == {"pa": "甲高新区", "pb": "乙高新区"}
    text = check_text(check(r, "overlap_other_parks"), "zh", park_names=r.names("zh"))
    assert "乙高新区 20,000.00 平方米" in text


# --------------------------------------------------------------------------- words


def test_words_for_every_code():
    for kind, codes in (("assess_check", A.CHECK_IDS), ("assess_status", A.STATUSES),
                        ("assess_verdict", A.VERDICTS), ("assess_kind", A.KINDS), ("assess_unit", A.UNITS),
                        ("assess_why", A.WHY_CODES), ("assess_source", A.SOURCE_KEYS),
                        ("assess_layer", A.CONSTRAINT_LAYERS)):
        for code in codes:
            assert words.has_label(kind, code, "zh") and words.has_label(kind, code, "en"), (kind, code)


_CODE_WORD = re.compile(r"[A-Za-z_]{3,}")


@pytest.mark.parametrize("kind", ["expansion", "upgrade", "project"])
def test_every_check_renders_in_both_languages(kind, parks, application, constraints, park_parcels):
    app = project() if kind == "project" else application
    r = A.assess(app, park_id="pa", kind=kind, as_of=AS_OF, parks=parks, constraints=constraints,
                 parcels=park_parcels, evaluation=fake_evaluation())
    for c in A.checks_records(r):
        for lang in ("zh", "en"):
            line = check_text(c, lang, park_names=r.names(lang)) + threshold_text(c, lang) + sources_text(c, lang)
            assert "{" not in line and "None" not in line and "nan" not in line, line
        zh = check_text(c, "zh", park_names=r.names("zh"))
        assert not _CODE_WORD.search(zh), zh
        assert "pb" not in zh


def test_many_pieces_are_summarised_in_the_sentence():
    c = {"id": "basic_farmland", "status": "fail", "value": 2_500.0, "unit": "m2", "threshold": {},
         "source": "zhongban_2019_48", "system_default": [], "args": {"pieces": [100.0] * 25, "n": 25}}
    zh = check_text(c, "zh")
    assert zh.count("100.00 平方米") == 20 and "共 25 处" in zh
