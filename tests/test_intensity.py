"""
Floor-area efficiency and control indicators (geo/intensity.py).

Parcels are ``shapely.box`` squares in EPSG:4545 with round sides, so every
expected value is arithmetic: a 100 m × 100 m site is 10,000 m² = 15 亩.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.intensity import (
    FAIL_CODES,
    RULE_IDS,
    analyse_intensity,
    check_compliance,
    industry_division,
    investment_minimum,
    load_control_rules,
    parcel_metrics,
    rule_table,
    summarize_intensity,
)

X0, Y0 = 500_000.0, 2_500_000.0
PARKS = pd.DataFrame(
    {
        "park_id": ["liuzhou", "nanning", "beihai", "county", "nolevel", "nocity"],
        "level": ["regional", "national", "national", "regional", None, "regional"],
        "city": ["柳州市", "南宁", "北海", "凭祥", "柳州", None],
    }
)


def site(side_m: float = 100.0, i: int = 0) -> shapely.Polygon:
    x = X0 + i * 1_000
    return shapely.box(x, Y0, x + side_m, Y0 + side_m)


def parcels(rows: list[dict], *, side_m: float = 100.0) -> gpd.GeoDataFrame:
    """A frame of passing industrial parcels (100 m square), with per-row changes."""
    base = {
        "land_use": "industrial",
        "park_id": "liuzhou",
        "industry_code": "39",
        "industry_edition": 2002,  # 39 electrical machinery, minimum FAR 0.7
        "floor_area_m2": 8_000.0,
        "floor_area_over_8m_m2": 0.0,
        "footprint_m2": 4_000.0,
        "office_area_m2": 500.0,
        "green_area_m2": 1_500.0,
        "total_investment_wan": 3_000.0,  # 200 万元/亩 on 15 亩
        "output_wan": 6_000.0,
        "tax_wan": 300.0,
    }
    recs = [base | r for r in rows]
    return gpd.GeoDataFrame(recs, geometry=[site(side_m, i) for i in range(len(recs))], crs=4545)


# --------------------------------------------------------------------------- metrics


def test_metrics_arithmetic_with_8m_double_count():
    # The example: 6,000 m² of floor area, 1,000 m² of it in storeys over 8 m → FAR 0.7.
    g = parcels(
        [
            {
                "floor_area_m2": 6_000.0,
                "floor_area_over_8m_m2": 1_000.0,
                "footprint_m2": 3_500.0,
                "office_area_m2": 600.0,
                "green_area_m2": 1_200.0,
                "total_investment_wan": 1_500.0,
                "output_wan": 4_500.0,
                "tax_wan": 150.0,
            }
        ]
    )
    m = parcel_metrics(g).iloc[0]
    assert m["area_m2"] == pytest.approx(10_000.0)
    assert m["area_mu"] == pytest.approx(15.0)
    assert m["floor_area_eff_m2"] == pytest.approx(7_000.0)
    assert m["far"] == pytest.approx(0.7)
    assert m["building_coef"] == pytest.approx(0.35)
    assert m["office_share"] == pytest.approx(0.06)
    assert m["green_ratio"] == pytest.approx(0.12)
    assert m["invest_wan_per_mu"] == pytest.approx(100.0)
    assert m["output_wan_per_mu"] == pytest.approx(300.0)
    assert m["tax_wan_per_mu"] == pytest.approx(10.0)
    assert m["missing_inputs"] == []


def test_metrics_index_aligned_and_multipolygon():
    g = parcels([{}, {}])
    g.index = pd.Index([10, 7])
    # Two 50 m × 100 m halves: 10,000 m² in all.
    g.loc[7, "geometry"] = shapely.MultiPolygon(
        [shapely.box(X0, Y0, X0 + 50, Y0 + 100), shapely.box(X0 + 200, Y0, X0 + 250, Y0 + 100)]
    )
    m = parcel_metrics(g)
    assert list(m.index) == [10, 7]
    assert m.loc[7, "far"] == pytest.approx(0.8)


def test_metrics_geographic_crs_measured_in_gk_zone():
    g = parcels([{}])
    m_metric = parcel_metrics(g)
    m_geo = parcel_metrics(g.to_crs(4490))
    assert m_geo["area_m2"].iloc[0] == pytest.approx(m_metric["area_m2"].iloc[0], rel=1e-6)


@pytest.mark.parametrize(
    ("change", "metric", "reason"),
    [
        ({"floor_area_m2": None}, "far", {"code": "column_missing", "measure": "far", "column": "floor_area_m2"}),
        ({"floor_area_m2": "n/a"}, "far",
         {"code": "column_not_number", "measure": "far", "column": "floor_area_m2"}),
        ({"floor_area_m2": -5.0}, "far", {"code": "column_negative", "measure": "far", "column": "floor_area_m2"}),
        ({"floor_area_over_8m_m2": 9_000.0}, "far",
         {"code": "over_8m_exceeds_floor", "measure": "far", "column": "floor_area_over_8m_m2"}),
        ({"footprint_m2": None}, "building_coef",
         {"code": "column_missing", "measure": "building_coef", "column": "footprint_m2"}),
        ({"office_area_m2": None}, "office_share",
         {"code": "column_missing", "measure": "office_share", "column": "office_area_m2"}),
        ({"green_area_m2": None}, "green_ratio",
         {"code": "column_missing", "measure": "green_ratio", "column": "green_area_m2"}),
        ({"total_investment_wan": None}, "invest_wan_per_mu",
         {"code": "column_missing", "measure": "invest_wan_per_mu", "column": "total_investment_wan"}),
        ({"output_wan": None}, "output_wan_per_mu",
         {"code": "column_missing", "measure": "output_wan_per_mu", "column": "output_wan"}),
        ({"tax_wan": None}, "tax_wan_per_mu", {"code": "column_missing", "measure": "tax_wan_per_mu", "column": "tax_wan"}),
    ],
)
def test_missing_input_gives_nan_and_reason(change, metric, reason):
    g = parcels([{}, change])
    g["floor_area_m2"] = g["floor_area_m2"].astype(object)
    m = parcel_metrics(g)
    assert not np.isnan(m[metric].iloc[0])
    assert np.isnan(m[metric].iloc[1])
    assert reason in m["missing_inputs"].iloc[1]
    assert m["missing_inputs"].iloc[0] == []


def test_absent_columns_and_missing_geometry_do_not_crash():
    g = gpd.GeoDataFrame({"land_use": ["industrial", "industrial"]}, geometry=[site(), None], crs=4545)
    m = parcel_metrics(g)
    assert m[["far", "building_coef", "office_share", "green_ratio", "invest_wan_per_mu"]].isna().all().all()
    assert m["area_mu"].iloc[0] == pytest.approx(15.0)
    assert np.isnan(m["area_m2"].iloc[1])
    assert {"code": "site_geometry_missing", "measure": "area_m2"} in m["missing_inputs"].iloc[1]
    assert {"code": "column_missing", "measure": "far", "column": "floor_area_m2"} in m["missing_inputs"].iloc[0]
    c = check_compliance(g, parks=PARKS)
    assert not c["inefficient"].any()
    assert c["skipped_rules"].iloc[0] == [
        {"code": "industry_unknown", "control_rule": "far"},
        {"code": "input_missing", "control_rule": "building_coef", "columns": ["footprint_m2"]},
        {"code": "input_missing", "control_rule": "office_share", "columns": ["office_area_m2"]},
        {"code": "input_missing", "control_rule": "green_ratio", "columns": ["green_area_m2"]},
        {"code": "park_id_column_missing", "control_rule": "invest_intensity"},
    ]


def test_attribute_table_without_geometry_uses_area_column():
    table = pd.DataFrame(
        {
            "land_use": ["industrial", "industrial"],
            "area_m2": [20_000.0, None],
            "floor_area_m2": [14_000.0, 1.0],
        }
    )
    m = parcel_metrics(table)
    assert m["far"].iloc[0] == pytest.approx(0.7)
    assert m["area_mu"].iloc[0] == pytest.approx(30.0)
    assert np.isnan(m["far"].iloc[1])
    assert {"code": "site_geometry_missing", "measure": "area_m2"} in m["missing_inputs"].iloc[1]


def test_missing_over_8m_counts_as_zero_and_is_noted():
    g = parcels([{"floor_area_over_8m_m2": None}])
    m = parcel_metrics(g)
    assert m["far"].iloc[0] == pytest.approx(0.8)
    assert m["missing_inputs"].iloc[0] == [
        {"code": "over_8m_missing", "measure": "far", "column": "floor_area_over_8m_m2"}
    ]


def test_empty_frame():
    g = parcels([]).iloc[:0]
    assert parcel_metrics(g).empty
    c = check_compliance(g, parks=PARKS)
    assert c.empty and "inefficient" in c.columns


# --------------------------------------------------------------------------- industry codes


def test_division_39_differs_between_editions():
    # 2002 division 39 is electrical machinery (0.7); 2017 division 39 is electronics (2002's 40, 1.0).
    g = parcels([{"industry_code": "39"}]).drop(columns="industry_edition")
    assert industry_division(g, edition="2002")["far_min_table"].iloc[0] == pytest.approx(0.7)
    assert industry_division(g, edition="2017")["far_min_table"].iloc[0] == pytest.approx(1.0)
    # GB/T 4754-2011 has the 2017 divisions.
    assert industry_division(g, edition=2011)["far_min_table"].iloc[0] == pytest.approx(1.0)
    # The default edition is the published table's own, 2002 (domain.md §3).
    assert industry_division(g)["far_min_table"].iloc[0] == pytest.approx(0.7)


@pytest.mark.parametrize("code", ["39", "3911", "C39", "C3911", "c 39", 39, 3911.0, "3911.0", "391"])
def test_code_forms_read_as_division_39(code):
    g = parcels([{"industry_code": code}]).drop(columns="industry_edition")
    d = industry_division(g, edition="2002")
    assert d["industry_division"].iloc[0] == "39"
    assert d["far_min_table"].iloc[0] == pytest.approx(0.7)


def test_per_row_edition_column():
    g = parcels(
        [
            {"industry_edition": "2002"},
            {"industry_edition": "GB/T 4754-2017"},
            {"industry_edition": None},  # falls back to the edition argument
            {"industry_edition": 1994},
        ]
    )
    d = industry_division(g, edition="2002")
    assert list(d["far_min_table"].iloc[:3]) == pytest.approx([0.7, 1.0, 0.7])
    assert np.isnan(d["far_min_table"].iloc[3])
    assert d["industry_issue"].iloc[3] == {
        "code": "industry_edition_unsupported", "control_rule": "far", "industry_edition": 1994
    }
    assert d["industry_issue"].iloc[:3].isna().all()


def test_2017_mappings_take_lower_minimum_of_merged_divisions():
    g = parcels([{"industry_code": c} for c in ("29", "34", "38", "40", "42", "43", "36", "37")]).drop(
        columns="industry_edition"
    )
    d = industry_division(g, edition="2017")
    # 29 = rubber 0.8 + plastics 1.0 → 0.8; 34 = general equipment 0.7; 38 electrical 0.7;
    # 40 instruments 1.0; 42 scrap 0.7; 43 repair 0.7; 36/37 transport 0.7.
    assert list(d["far_min_table"]) == pytest.approx([0.8, 0.7, 0.7, 1.0, 0.7, 0.7, 0.7, 0.7])


def test_unknown_codes_skip_far_rule_and_say_why():
    g = parcels(
        [{"industry_code": "44"}, {"industry_code": "abc"}, {"industry_code": None}, {"industry_code": "38"}]
    )
    c = check_compliance(g, parks=PARKS)
    assert c["far_ok"].isna().all()
    no_min = {"code": "far_min_not_tabled", "control_rule": "far", "industry_division": "44",
              "industry_edition": "2002"}
    assert no_min in c["skipped_rules"].iloc[0]
    assert {"code": "industry_code_invalid", "control_rule": "far", "industry_code": "ABC"} in c["skipped_rules"].iloc[1]
    assert {"code": "industry_unknown", "control_rule": "far"} in c["skipped_rules"].iloc[2]
    # 38 was not used in the 2002 edition.
    assert {**no_min, "industry_division": "38"} in c["skipped_rules"].iloc[3]
    assert c["far_gap_floor_m2"].isna().all()


# --------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("change", "rule", "ok"),
    [
        # FAR exactly at the minimum (2002 division 39: 0.7) passes; 10 m² less fails.
        ({"floor_area_m2": 6_000.0, "floor_area_over_8m_m2": 1_000.0}, "far", True),
        ({"floor_area_m2": 6_990.0}, "far", False),
        ({"footprint_m2": 3_000.0}, "building_coef", True),
        ({"footprint_m2": 2_999.0}, "building_coef", False),
        ({"office_area_m2": 700.0}, "office_share", True),
        ({"office_area_m2": 701.0}, "office_share", False),
        ({"green_area_m2": 2_000.0}, "green_ratio", True),
        ({"green_area_m2": 2_001.0}, "green_ratio", False),
        # Regional park in a prefecture city: 100 万元/亩 × 15 亩 = 1,500 万元.
        ({"total_investment_wan": 1_500.0}, "invest_intensity", True),
        ({"total_investment_wan": 1_499.0}, "invest_intensity", False),
    ],
)
def test_each_rule_at_its_boundary(change, rule, ok):
    c = check_compliance(parcels([change]), parks=PARKS)
    assert bool(c[f"{rule}_ok"].iloc[0]) is ok
    assert bool(c["inefficient"].iloc[0]) is (not ok)
    others = [r for r in RULE_IDS if r != rule]
    assert c[[f"{r}_ok" for r in others]].iloc[0].all()
    reasons = c["inefficiency_reasons"].iloc[0]
    assert ([r["code"] for r in reasons] == [FAIL_CODES[rule]]) if not ok else reasons == []


def test_reasons_say_actual_and_required():
    g = parcels([{"floor_area_m2": 6_200.0, "office_area_m2": 800.0, "total_investment_wan": 1_200.0}])
    c = check_compliance(g, parks=PARKS).iloc[0]
    reasons = c["inefficiency_reasons"]
    assert [r["code"] for r in reasons] == ["far_below_min", "office_share_above_max", "invest_below_min"]
    assert reasons[0]["far"] == pytest.approx(0.62) and reasons[0]["far_min"] == pytest.approx(0.7)
    assert reasons[0]["source"] == "gtzf_2008_24"
    assert reasons[1]["office_share"] == pytest.approx(0.08) and reasons[1]["office_share_max"] == pytest.approx(0.07)
    assert reasons[2]["invest_wan_per_mu"] == pytest.approx(80.0)
    assert reasons[2]["invest_min_wan_per_mu"] == pytest.approx(100.0)
    assert reasons[2]["source"] == "gzbf_2007_137"


def test_reason_keeps_the_exact_numbers():
    c = check_compliance(parcels([{"floor_area_m2": 6_999.0}]), parks=PARKS).iloc[0]
    (reason,) = c["inefficiency_reasons"]
    assert reason["far"] == pytest.approx(0.6999) and reason["far_min"] == pytest.approx(0.7)


# --------------------------------------------------------------------------- investment / parks


@pytest.mark.parametrize(
    ("park_id", "minimum"),
    [
        ("liuzhou", 100.0),  # regional, prefecture city (柳州市 → 柳州)
        ("nanning", 220.0),  # national, Nanning central city (rules flag)
        ("beihai", 150.0),  # national
        ("county", 80.0),  # regional, not a prefecture city
        ("nocity", 100.0),  # regional, city unknown: taken as a prefecture city (rules setting)
    ],
)
def test_investment_minimum_by_park(park_id, minimum):
    g = parcels([{"park_id": park_id}])
    inv = investment_minimum(g, PARKS)
    assert inv["invest_min_wan_per_mu"].iloc[0] == pytest.approx(minimum)
    assert inv["invest_issue"].iloc[0] is None


def test_nanning_central_flag_is_data():
    g = parcels([{"park_id": "liuzhou"}])
    rules = load_control_rules({"investment_intensity": {"nanning_central_park_ids": ["liuzhou"]}})
    # A regional park flagged as Nanning central city: "other" 200.
    assert investment_minimum(g, PARKS, rules=rules)["invest_min_wan_per_mu"].iloc[0] == pytest.approx(200.0)
    rules = load_control_rules({"investment_intensity": {"unknown_city_is_prefecture": False}})
    g = parcels([{"park_id": "nocity"}])
    assert investment_minimum(g, PARKS, rules=rules)["invest_min_wan_per_mu"].iloc[0] == pytest.approx(80.0)


def test_unknown_park_skips_investment_rule_and_lists_it():
    g = parcels(
        [
            {"park_id": "atlantis", "total_investment_wan": 1.0},
            {"park_id": None, "total_investment_wan": 1.0},
            {"park_id": "nolevel", "total_investment_wan": 1.0},
        ]
    )
    c = check_compliance(g, parks=PARKS)
    assert c["invest_intensity_ok"].isna().all()
    assert not c["inefficient"].any()
    rule = {"control_rule": "invest_intensity"}
    assert c["skipped_rules"].iloc[0] == [{"code": "park_unknown", **rule, "park_id": "atlantis"}]
    assert c["skipped_rules"].iloc[1] == [{"code": "park_id_missing", **rule}]
    assert c["skipped_rules"].iloc[2] == [{"code": "park_level_unknown", **rule, "park_id": "nolevel"}]
    c = check_compliance(g, parks=None)
    assert c["skipped_rules"].iloc[0] == [{"code": "no_parks_data", **rule}]
    assert c["far_ok"].all()


# --------------------------------------------------------------------------- binding, land use, overrides


def test_binding_flags_come_from_rules_data():
    g = parcels([{"green_area_m2": 2_500.0}, {"total_investment_wan": 100.0}])
    assert check_compliance(g, parks=PARKS)["inefficient"].tolist() == [True, True]
    rules = {"rules": {"green_ratio": {"binding": False}, "invest_intensity": {"binding": False}}}
    c = check_compliance(g, parks=PARKS, rules=rules)
    assert c["inefficient"].tolist() == [False, False]
    assert c["green_ratio_ok"].tolist() == [False, True]
    (fail,) = c["nonbinding_failures"].iloc[0]
    assert fail["code"] == "green_ratio_above_max"
    assert fail["green_ratio"] == pytest.approx(0.25) and fail["green_ratio_max"] == pytest.approx(0.2)
    assert c["inefficiency_reasons"].iloc[0] == []
    assert c.attrs["rules"]["binding"]["green_ratio"] is False


def test_only_checked_land_uses_are_checked():
    g = parcels(
        [
            {"land_use": "storage", "floor_area_m2": 100.0},
            {"land_use": "工业用地", "floor_area_m2": 100.0},
            {"land_use": "commercial", "floor_area_m2": 100.0},
            {"land_use": None, "floor_area_m2": 100.0},
        ]
    )
    c = check_compliance(g, parks=PARKS)
    assert c["checked"].tolist() == [False, True, False, False]
    assert c["inefficient"].tolist() == [False, True, False, False]
    assert c["skipped_rules"].iloc[0] == [{"code": "land_use_not_checked", "land_use": "storage"}]
    assert c["skipped_rules"].iloc[3] == [{"code": "land_use_missing"}]
    assert np.isnan(c["freed_land_mu"].iloc[0])
    c = check_compliance(g, parks=PARKS, rules={"checked_land_uses": ["industrial", "storage"]})
    assert c["checked"].tolist() == [True, True, False, False]


def test_freed_land_and_floor_gap_hand_computed():
    g = parcels(
        [
            # 2017 division 39 (electronics), minimum 1.0. Effective floor area 6,000 + 1,000 = 7,000 m²:
            # lacks 10,000 × 1.0 − 7,000 = 3,000 m²; needs 7,000 / 1.0 = 7,000 m² of land → frees 3,000 m² = 4.5 亩.
            {"industry_edition": 2017, "floor_area_m2": 6_000.0, "floor_area_over_8m_m2": 1_000.0},
            # 2002 division 17 (textiles), minimum 0.8. 4,000 m²: lacks 4,000 m²; needs 5,000 m² → frees 5,000 m² = 7.5 亩.
            {"industry_code": "17", "floor_area_m2": 4_000.0},
            # Passing parcel: no gap, nothing freed.
            {"floor_area_m2": 9_000.0},
        ]
    )
    c = check_compliance(g, parks=PARKS)
    assert c["far_min"].tolist() == pytest.approx([1.0, 0.8, 0.7])
    assert c["far_gap_floor_m2"].tolist() == pytest.approx([3_000.0, 4_000.0, 0.0])
    assert c["freed_land_m2"].tolist() == pytest.approx([3_000.0, 5_000.0, 0.0])
    assert c["freed_land_mu"].tolist() == pytest.approx([4.5, 7.5, 0.0])


def test_what_if_overrides_raise_but_never_lower_minimum():
    g = parcels([{"floor_area_m2": 9_000.0, "footprint_m2": 3_500.0}])
    c = check_compliance(g, parks=PARKS, min_far_override=1.2, min_building_coef_override=0.4)
    assert c["far_min"].iloc[0] == pytest.approx(1.2)
    assert c["building_coef_min"].iloc[0] == pytest.approx(0.4)
    reasons = c["inefficiency_reasons"].iloc[0]
    assert [r["code"] for r in reasons] == ["far_below_min", "building_coef_below_min"]
    assert reasons[0]["far_min"] == pytest.approx(1.2) and reasons[1]["building_coef_min"] == pytest.approx(0.4)
    # 9,000 m² at FAR 1.2 needs 7,500 m²: frees 2,500 m²; lacks 12,000 − 9,000 = 3,000 m².
    assert c["freed_land_m2"].iloc[0] == pytest.approx(2_500.0)
    assert c["far_gap_floor_m2"].iloc[0] == pytest.approx(3_000.0)
    c = check_compliance(g, parks=PARKS, min_far_override=0.5, min_building_coef_override=0.1)
    assert c["far_min"].iloc[0] == pytest.approx(0.7)
    assert c["building_coef_min"].iloc[0] == pytest.approx(0.3)
    assert not c["inefficient"].iloc[0]


def test_rule_override_of_far_table():
    g = parcels([{"floor_area_m2": 7_500.0}])
    rules = load_control_rules({"far_min_by_industry": {"tables": {"2002": {"39": {"far_min": 0.8}}}}})
    c = check_compliance(g, parks=PARKS, rules=rules)
    assert c["far_min"].iloc[0] == pytest.approx(0.8)
    assert c["inefficient"].iloc[0]


def test_rules_carry_sources():
    rules = load_control_rules()
    assert "2008" in rules["edition"]
    assert "137" in rules["investment_intensity"]["source"]
    assert set(rules["far_min_by_industry"]["tables"]) == {"2002", "2017"}
    table = rule_table()
    assert table.loc["far", "source_key"] == "gtzf_2008_24"
    assert table.loc["invest_intensity", "source_key"] == "gzbf_2007_137"
    assert table["binding"].all()


# --------------------------------------------------------------------------- summaries, speed, CLI


def test_summarize_intensity():
    g = parcels(
        [
            {"park_id": "liuzhou", "industry_code": "17", "floor_area_m2": 4_000.0},  # frees 7.5 亩
            {"park_id": "liuzhou"},
            {"park_id": "beihai", "office_area_m2": 800.0},  # inefficient, FAR passes
            {"park_id": "beihai", "land_use": "commercial"},
        ]
    )
    s = summarize_intensity(analyse_intensity(g, parks=PARKS))
    assert s.loc["liuzhou", ["parcels", "checked", "inefficient"]].tolist() == [2, 2, 1]
    assert s.loc["liuzhou", "inefficient_area_mu"] == pytest.approx(15.0)
    assert s.loc["liuzhou", "freed_land_mu"] == pytest.approx(7.5)
    assert s.loc["beihai", ["parcels", "checked", "inefficient"]].tolist() == [2, 1, 1]
    assert s.loc["__total__", "inefficient_area_mu"] == pytest.approx(30.0)
    assert s.loc["__total__", "freed_land_mu"] == pytest.approx(7.5)


def test_analyse_intensity_keeps_geometry_and_input_columns():
    g = parcels([{}])
    out = analyse_intensity(g, parks=PARKS)
    assert isinstance(out, gpd.GeoDataFrame) and out.crs.to_epsg() == 4545
    assert {"park_id", "far", "inefficient", "freed_land_mu"} <= set(out.columns)
    assert out.columns.is_unique


def test_slider_step_on_5000_parcels_raises_the_bar_for_all():
    # Speed is measured by `make bench`, never asserted here (shared machines are noisy).
    rng = np.random.default_rng(1)
    n = 5_000
    g = parcels([{}]).loc[[0] * n].reset_index(drop=True)
    g["floor_area_m2"] = rng.uniform(2_000, 12_000, n)
    g["industry_code"] = rng.choice(["13", "17", "26", "39", "40"], n)
    m = parcel_metrics(g)
    rules = load_control_rules()
    base = check_compliance(g, parks=PARKS, metrics=m, rules=rules)
    c = check_compliance(g, parks=PARKS, metrics=m, rules=rules, min_far_override=1.1)
    assert len(c) == n
    assert (c["far_min"].dropna() >= 1.1).all()
    assert int(c["inefficient"].sum()) >= int(base["inefficient"].sum())


def test_cli_intensity(tmp_path):
    from cli import main

    parks = gpd.GeoDataFrame(
        {"park_id": ["liuzhou"], "name_zh": ["柳州高新区"], "level": ["regional"], "city": ["柳州"]},
        geometry=[shapely.box(X0 - 100, Y0 - 100, X0 + 10_000, Y0 + 1_000)],
        crs=4545,
    ).to_crs(4326)
    parks.to_file(tmp_path / "parks.geojson")
    g = parcels([{"industry_code": "17", "floor_area_m2": 4_000.0}, {}])
    g.to_file(tmp_path / "parcels.gpkg")
    out = tmp_path / "out.parquet"
    args = [
        "intensity",
        str(tmp_path / "parcels.gpkg"),
        "-o",
        str(out),
        "--parks",
        str(tmp_path / "parks.geojson"),
    ]
    assert main(args) == 0
    # Parquet is for machines: canonical names and codes whatever --lang says.
    res = gpd.read_parquet(out)
    assert res["inefficient"].tolist() == [True, False]
    assert res["freed_land_mu"].tolist() == pytest.approx([7.5, 0.0])
    xlsx = out.with_suffix(".xlsx")
    assert main([*args[:2], "-o", str(xlsx), *args[-2:]]) == 0
    shown = pd.read_excel(xlsx)
    assert shown["低效用地"].tolist() == ["是", "否"]
    assert shown["可腾退土地(亩)"].tolist() == pytest.approx([7.5, 0.0])
    assert main([*args, "--lang", "en"]) == 0
    res = gpd.read_parquet(out)
    assert res["inefficient"].tolist() == [True, False]
    assert "far_below_min" in str(res["inefficiency_reasons"].iloc[0])


@settings(max_examples=60, deadline=None)
@given(
    side_m=st.floats(20, 500),
    far_actual=st.floats(0.01, 3.0),
    code=st.sampled_from(["13", "17", "25", "26", "39", "43"]),
)
def test_freeing_land_brings_far_to_the_minimum(side_m, far_actual, code):
    # Invariant: after freeing the land, the remaining site has exactly the minimum FAR,
    # and adding the floor-area gap to the present floor area reaches it too.
    g = parcels([{"industry_code": code, "floor_area_m2": far_actual * side_m**2}], side_m=side_m)
    c = check_compliance(g, parks=PARKS).iloc[0]
    floor = far_actual * side_m**2
    site_m2 = side_m**2
    assert c["freed_land_m2"] >= 0 and c["far_gap_floor_m2"] >= 0
    if c["far_ok"]:
        assert c["freed_land_m2"] == 0 and c["far_gap_floor_m2"] == 0
    else:
        assert floor / (site_m2 - c["freed_land_m2"]) == pytest.approx(c["far_min"], rel=1e-9)
        assert (floor + c["far_gap_floor_m2"]) / site_m2 == pytest.approx(c["far_min"], rel=1e-9)


# --------------------------------------------------------------------------- message lists


def test_items_build_lists_per_row_in_order():
    from geo.messages import Items

    idx = pd.Index([10, 11, 12, 13])
    it = Items(idx)
    it.add([True, False, True, False], "a")
    it.add([True, True, False, False], "b", x=np.array([1.5, 2.5, np.nan, 4.0]), tag="t")
    it.add([False, False, True, True], "c", land_use=pd.Series(["x", "x", None, "y"], index=idx))
    it.add_items([False, True, False, False], np.array([None, {"code": "d"}, None, None], dtype=object))
    out = it.lists()
    assert list(out.index) == [10, 11, 12, 13]
    assert out[10] == [{"code": "a"}, {"code": "b", "tag": "t", "x": 1.5}]
    assert out[11] == [{"code": "b", "tag": "t", "x": 2.5}, {"code": "d"}]
    assert out[12] == [{"code": "a"}, {"code": "c", "land_use": None}]
    assert out[13] == [{"code": "c", "land_use": "y"}]
    other = Items(idx)
    other.extend(it, [False, False, False, True])
    assert other.lists().tolist() == [[], [], [], [{"code": "c", "land_use": "y"}]]
    assert Items(pd.Index([])).lists().tolist() == []


def test_items_of_rows_alike_are_one_list():
    from geo.messages import Items

    it = Items(pd.RangeIndex(1000))
    mask = np.arange(1000) % 2 == 0
    it.add(mask, "a")
    it.add(~mask, "b", land_use=np.where(mask, "u", "v"))
    out = it.lists()
    assert out[0] is out[2]  # one shared list per combination of shared items
    assert out[1] == [{"code": "b", "land_use": "v"}] and out[1][0] is out[3][0]


def test_one_edition_is_read_as_the_column_is():
    from geo.intensity import _edition_key, _edition_of
    from geo.rules import load_rules

    table = load_rules("far_min_by_industry")
    values = ["2002", "2017", "GB/T 4754-2017", "2011.0", "GB/T4754—2011", "1999", "x", ""]
    column = _edition_key(pd.Series(values), table)
    for value, key in zip(values, column, strict=True):
        assert _edition_of(value, table) == (None if pd.isna(key) else key), value
