"""
Independent audit of issue 3: floor-area efficiency, control indicators, 亩均 grading.

Written by an examiner who did not write ``geo/intensity.py`` or ``geo/grading.py``:
each case is worked by hand from domain.md §3-§4 and the issue text, with the
arithmetic in the comments. Parcels are ``shapely.box`` squares in EPSG:4545 near the
zone's false easting; a 100 m × 100 m square is 10,000 m² = 15 亩 (1 亩 = 10000/15 m²).
A case that shows a defect is marked ``xfail(strict=True, reason="BUG: …")``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

from geo.grading import grade
from geo.intensity import FAIL_CODES, analyse_intensity, check_compliance, parcel_metrics

X0, Y0 = 500_000.0, 2_500_000.0


def square(i: int, width_m: float = 100.0, height_m: float = 100.0):
    """The i-th parcel, ``width_m`` × ``height_m``, 1 km apart from its neighbours."""
    return box(X0 + i * 1_000, Y0, X0 + i * 1_000 + width_m, Y0 + height_m)


def parcels(rows: list[dict], *, sizes: list[tuple[float, float]] | None = None) -> gpd.GeoDataFrame:
    """A compliant industrial parcel per row (defaults), with the row's changes."""
    base = {
        "land_use": "industrial",
        "industry_code": "40",
        "industry_edition": "2002",
        "floor_area_m2": 12_000.0,  # FAR 1.2 on 1 ha
        "floor_area_over_8m_m2": 0.0,
        "footprint_m2": 4_000.0,  # 40 %
        "office_area_m2": 500.0,  # 5 %
        "green_area_m2": 1_000.0,  # 10 %
        "total_investment_wan": 3_750.0,  # 250 万元/亩 on 15 亩
        "park_id": "beihai",
    }
    sizes = sizes or [(100.0, 100.0)] * len(rows)
    recs = [base | r for r in rows]
    return gpd.GeoDataFrame(recs, geometry=[square(i, *s) for i, s in enumerate(sizes)], crs=4545)


PARKS = pd.DataFrame(
    {
        "park_id": ["nanning", "beihai", "wuzhou", "pingxiang", "nanning_other", "county"],
        "level": ["national", "national", "regional", "regional", "regional", "other"],
        "city": ["南宁", "北海", "梧州市", "凭祥", "南宁", "凭祥"],
    }
)
# Nanning central city holds park ids listed in control_indicators.yaml; the test adds
# "nanning_other" (a non-national park in Nanning's central city) through the rules override.
CENTRAL = {"investment_intensity": {"nanning_central_park_ids": ["nanning", "nanning_other"]}}


def comply(gdf, **kw):
    return check_compliance(gdf, parks=kw.pop("parks", PARKS), rules=kw.pop("rules", CENTRAL), **kw)


# =========================================================================== FAR, 8 m rule


def test_issue_example_far_with_8m_double_count():
    # Issue 3: 100 m × 100 m site, 6,000 m² floor of which 1,000 m² in storeys > 8 m:
    # effective floor 6,000 + 1,000 = 7,000 m²; FAR = 7,000 / 10,000 = 0.7.
    m = parcel_metrics(parcels([{"floor_area_m2": 6_000.0, "floor_area_over_8m_m2": 1_000.0}]))
    assert m.loc[0, "area_m2"] == pytest.approx(10_000)
    assert m.loc[0, "area_mu"] == pytest.approx(15)
    assert m.loc[0, "floor_area_eff_m2"] == pytest.approx(7_000)
    assert m.loc[0, "far"] == pytest.approx(0.7)


def test_8m_double_count_decides_compliance():
    # Division 39 (2002, electrical machinery) needs FAR ≥ 0.7. 6,000 m² alone is
    # FAR 0.6 (fails); with 1,000 m² over 8 m counted twice it is 0.7 (passes, inclusive).
    c = comply(
        parcels(
            [
                {"industry_code": "39", "floor_area_m2": 6_000.0, "floor_area_over_8m_m2": 1_000.0},
                {"industry_code": "39", "floor_area_m2": 6_000.0, "floor_area_over_8m_m2": 0.0},
            ]
        )
    )
    assert list(c["far_min"]) == [0.7, 0.7]
    assert list(c["far_ok"]) == [True, False]


def test_metrics_per_mu_and_shares():
    # 200 m × 100 m = 20,000 m² = 30 亩. footprint 7,000 → 0.35; office 1,000 → 0.05;
    # green 3,000 → 0.15; investment 6,000 万元 → 200 万元/亩; output 12,000 → 400;
    # tax 600 → 20 万元/亩.
    m = parcel_metrics(
        parcels(
            [
                {
                    "footprint_m2": 7_000.0,
                    "office_area_m2": 1_000.0,
                    "green_area_m2": 3_000.0,
                    "total_investment_wan": 6_000.0,
                    "output_wan": 12_000.0,
                    "tax_wan": 600.0,
                }
            ],
            sizes=[(200.0, 100.0)],
        )
    ).iloc[0]
    assert m["area_mu"] == pytest.approx(30)
    assert m["building_coef"] == pytest.approx(0.35)
    assert m["office_share"] == pytest.approx(0.05)
    assert m["green_ratio"] == pytest.approx(0.15)
    assert m["invest_wan_per_mu"] == pytest.approx(200)
    assert m["output_wan_per_mu"] == pytest.approx(400)
    assert m["tax_wan_per_mu"] == pytest.approx(20)


# =========================================================================== minimum FAR

# domain.md §3, 2002 division numbers, every group of the published table.
FAR_2002 = {
    **{d: 1.0 for d in ("13", "14", "15", "16", "18", "19", "24", "30", "40", "41", "42")},
    **{d: 0.8 for d in ("17", "20", "21", "22", "23", "28", "29")},
    **{d: 0.7 for d in ("27", "31", "34", "35", "36", "37", "39", "43")},
    **{d: 0.6 for d in ("26", "32", "33")},
    "25": 0.5,
}


@pytest.mark.parametrize(("division", "far_min"), sorted(FAR_2002.items()))
def test_min_far_2002_every_division_at_and_below_boundary(division, far_min):
    # On 1 ha: floor = far_min × 10,000 m² sits exactly on the minimum (passes, "≥");
    # 100 m² less is FAR far_min − 0.01 (fails), 10,000 × far_min − 100 m² short.
    at = far_min * 10_000
    c = comply(
        parcels(
            [
                {"industry_code": division, "floor_area_m2": at},
                {"industry_code": division, "floor_area_m2": at - 100},
            ]
        )
    )
    assert list(c["far_min"]) == [far_min, far_min]
    assert list(c["far_ok"]) == [True, False]
    assert list(c["inefficient"]) == [False, True]
    assert c.loc[1, "far_gap_floor_m2"] == pytest.approx(100)


# 2017 divisions that map one-to-one onto a 2002 division (GB/T 4754-2017 vs -2002,
# manufacturing section C): the minimum is that 2002 division's.
FAR_2017_ONE_TO_ONE = {
    "13": 1.0,
    "14": 1.0,
    "15": 1.0,
    "16": 1.0,
    "17": 0.8,
    "18": 1.0,
    "20": 0.8,
    "21": 0.8,
    "22": 0.8,
    "23": 0.8,
    "25": 0.5,
    "26": 0.6,
    "27": 0.7,
    "28": 0.8,
    "30": 0.7,  # non-metallic minerals (2002-31)
    "31": 0.6,  # ferrous smelting (2002-32)
    "32": 0.6,  # non-ferrous smelting (2002-33)
    "33": 0.7,  # metal products (2002-34)
    "35": 0.7,  # special equipment (2002-36)
    "36": 0.7,  # automobiles (from 2002-37)
    "37": 0.7,  # rail, ships, aerospace (from 2002-37)
    "38": 0.7,  # electrical machinery (2002-39)
    "39": 1.0,  # computers, communication, electronics (2002-40)
    "40": 1.0,  # instruments (2002-41)
    "41": 1.0,  # other manufacturing (2002-42)
    "42": 0.7,  # waste resources (2002-43)
}


@pytest.mark.parametrize(("division", "far_min"), sorted(FAR_2017_ONE_TO_ONE.items()))
def test_min_far_2017_divisions_map_to_their_2002_minimum(division, far_min):
    c = comply(
        parcels([{"industry_code": division, "industry_edition": "2017", "floor_area_m2": far_min * 10_000}])
    )
    assert c.loc[0, "far_min"] == far_min
    assert c.loc[0, "far_ok"]


def test_same_code_differs_between_editions():
    # '39' is electrical machinery in 2002 (0.7) but electronics in 2017 (1.0, was 2002-40);
    # '30' is plastics in 2002 (1.0) but non-metallic minerals in 2017 (0.7, was 2002-31).
    # A parcel at FAR 0.8 passes 2002-39 and fails 2017-39.
    c = comply(
        parcels(
            [
                {"industry_code": "39", "industry_edition": "2002", "floor_area_m2": 8_000.0},
                {"industry_code": "39", "industry_edition": "2017", "floor_area_m2": 8_000.0},
                {"industry_code": "30", "industry_edition": "2002", "floor_area_m2": 8_000.0},
                {"industry_code": "30", "industry_edition": "GB/T 4754-2017", "floor_area_m2": 8_000.0},
                {
                    "industry_code": "39",
                    "industry_edition": 2011,
                    "floor_area_m2": 8_000.0,
                },  # 2011 = 2017 divisions
            ]
        )
    )
    assert list(c["far_min"]) == [0.7, 1.0, 1.0, 0.7, 1.0]
    assert list(c["far_ok"]) == [True, False, False, True, False]


@pytest.mark.parametrize("code", ["3911", "C39", "C3911", "391", 3911, 3911.0, " 39 "])
def test_class_and_group_codes_read_as_their_division(code):
    # 2017 class 3911 (computers) → division 39 → 1.0.
    c = comply(parcels([{"industry_code": code, "industry_edition": "2017"}]))
    assert c.loc[0, "industry_division"] == "39"
    assert c.loc[0, "far_min"] == 1.0


# =========================================================================== other indicators


@pytest.mark.parametrize(
    ("change", "rule", "ok"),
    [
        # building coefficient ≥ 30 %: 3,000 / 10,000 = 0.30 passes; 2,999 → 0.2999 fails.
        ({"footprint_m2": 3_000.0}, "building_coef", True),
        ({"footprint_m2": 2_999.0}, "building_coef", False),
        # office & living ≤ 7 %: 700 → 0.07 passes; 701 → 0.0701 fails.
        ({"office_area_m2": 700.0}, "office_share", True),
        ({"office_area_m2": 701.0}, "office_share", False),
        # green ≤ 20 %: 2,000 → 0.20 passes; 2,001 → 0.2001 fails.
        ({"green_area_m2": 2_000.0}, "green_ratio", True),
        ({"green_area_m2": 2_001.0}, "green_ratio", False),
    ],
)
def test_control_indicator_boundaries(change, rule, ok):
    c = comply(parcels([change])).iloc[0]
    assert bool(c[f"{rule}_ok"]) is ok
    # Default: all five rules binding (issue 3), so any failure makes the parcel inefficient.
    assert bool(c["inefficient"]) is (not ok)
    assert any(r["code"] == FAIL_CODES[rule] for r in c["inefficiency_reasons"]) is (not ok)


def test_boundary_on_odd_sized_parcel():
    # 300 m × 70 m = 21,000 m² = 31.5 亩. Coefficient 30 %: 6,300 m². Office 7 %: 1,470 m².
    # Green 20 %: 4,200 m². Division 26 (0.6): 12,600 m². Regional park in 梧州 (prefecture
    # city): 100 万元/亩 × 31.5 = 3,150 万元. Every value exactly on its limit → compliant.
    c = comply(
        parcels(
            [
                {
                    "industry_code": "26",
                    "floor_area_m2": 12_600.0,
                    "footprint_m2": 6_300.0,
                    "office_area_m2": 1_470.0,
                    "green_area_m2": 4_200.0,
                    "total_investment_wan": 3_150.0,
                    "park_id": "wuzhou",
                }
            ],
            sizes=[(300.0, 70.0)],
        )
    ).iloc[0]
    assert [
        bool(c[f"{r}_ok"])
        for r in ("far", "building_coef", "office_share", "green_ratio", "invest_intensity")
    ] == [True] * 5
    assert not c["inefficient"]


# =========================================================================== investment


@pytest.mark.parametrize(
    ("park_id", "minimum"),
    [
        ("beihai", 150),  # national-level park → 150 万元/亩
        ("wuzhou", 100),  # region-level park in a prefecture city (梧州市) → 100
        ("pingxiang", 80),  # region-level park in 凭祥 (county-level city) → "other" 80
        ("county", 80),  # other park → 80
        ("nanning", 220),  # national park in Nanning's central city → 220
        ("nanning_other", 200),  # other park in Nanning's central city → 200
    ],
)
def test_investment_intensity_tiers_at_boundary(park_id, minimum):
    # 15 亩 parcels: minimum × 15 万元 sits on the limit (passes); 1 万元 less fails.
    # Investment is total fixed-asset investment incl. land price, per 亩 of site.
    c = comply(
        parcels(
            [
                {"park_id": park_id, "total_investment_wan": minimum * 15.0},
                {"park_id": park_id, "total_investment_wan": minimum * 15.0 - 1.0},
            ]
        )
    )
    assert list(c["invest_min_wan_per_mu"]) == [minimum, minimum]
    assert list(c["invest_intensity_ok"]) == [True, False]
    assert list(c["inefficient"]) == [False, True]


def test_investment_levels_given_in_chinese():
    parks = pd.DataFrame({"park_id": ["a", "b"], "level": ["国家级", "自治区级"], "city": ["桂林", "百色"]})
    c = comply(parcels([{"park_id": "a"}, {"park_id": "b"}]), parks=parks)
    assert list(c["invest_min_wan_per_mu"]) == [150, 100]


@pytest.mark.parametrize("parks", [None, PARKS])
def test_unknown_park_skips_investment_rule_and_says_so(parks):
    # A parcel of a park not in the parks data (or no parks data at all), investing only
    # 10 万元/亩 and otherwise compliant: the investment rule is skipped, said in
    # skipped_rules, and the parcel is not inefficient.
    gdf = parcels([{"park_id": "nowhere", "total_investment_wan": 150.0}])
    c = check_compliance(gdf, parks=parks).iloc[0]
    assert pd.isna(c["invest_intensity_ok"])
    assert np.isnan(c["invest_min_wan_per_mu"])
    (skip,) = [s for s in c["skipped_rules"] if s.get("control_rule") == "invest_intensity"]
    assert skip["code"] == ("no_parks_data" if parks is None else "park_unknown")
    assert not c["inefficient"]


# =========================================================================== inefficient, gap


def test_inefficient_any_binding_failure_and_nonbinding_reported_apart():
    # Parcel fails only the green ratio (2,500 / 10,000 = 0.25 > 0.20).
    gdf = parcels([{"green_area_m2": 2_500.0}])
    assert comply(gdf).loc[0, "inefficient"]
    c = comply(gdf, rules=CENTRAL | {"rules": {"green_ratio": {"binding": False}}}).iloc[0]
    assert not c["inefficient"]
    assert c["inefficiency_reasons"] == []
    assert [f["code"] for f in c["nonbinding_failures"]] == ["green_ratio_above_max"]


def test_reasons_list_each_failed_rule_with_actual_and_required():
    # FAR 0.5 < 1.0 (div 40); coefficient 0.25 < 0.30; investment 100 < 150 (national).
    c = comply(
        parcels([{"floor_area_m2": 5_000.0, "footprint_m2": 2_500.0, "total_investment_wan": 1_500.0}])
    ).iloc[0]
    far, coef, invest = c["inefficiency_reasons"]
    assert far == {"code": "far_below_min", "source": "gtzf_2008_24", "far": pytest.approx(0.5),
                   "far_min": pytest.approx(1.0)}
    assert coef == {"code": "building_coef_below_min", "source": "gtzf_2008_24",
                    "building_coef": pytest.approx(0.25), "building_coef_min": pytest.approx(0.3)}
    assert invest == {"code": "invest_below_min", "source": "gzbf_2007_137",
                      "invest_wan_per_mu": pytest.approx(100.0), "invest_min_wan_per_mu": pytest.approx(150.0)}


@pytest.mark.parametrize(
    ("row", "size", "gap_m2", "freed_mu"),
    [
        # 1 ha, div 40 (1.0), floor 5,000 + 500 over 8 m → eff 5,500, FAR 0.55.
        # gap = 1.0 × 10,000 − 5,500 = 4,500 m²; land needed = 5,500 / 1.0 = 5,500 m²;
        # freed = 10,000 − 5,500 = 4,500 m² = 4,500 × 15 / 10,000 = 6.75 亩.
        ({"floor_area_m2": 5_000.0, "floor_area_over_8m_m2": 500.0}, (100, 100), 4_500.0, 6.75),
        # 200 m × 100 m = 20,000 m² (30 亩), div 26 (0.6), floor 9,000 → FAR 0.45.
        # gap = 0.6 × 20,000 − 9,000 = 3,000 m²; needed 9,000 / 0.6 = 15,000 m²;
        # freed = 5,000 m² = 7.5 亩.
        (
            {
                "industry_code": "26",
                "floor_area_m2": 9_000.0,
                "footprint_m2": 8_000.0,
                "office_area_m2": 1_000.0,
                "green_area_m2": 2_000.0,
                "total_investment_wan": 7_500.0,
            },
            (200, 100),
            3_000.0,
            7.5,
        ),
        # 2017-39 (1.0) at FAR 0.9: gap 1,000 m², freed 1,000 m² = 1.5 亩.
        (
            {"industry_code": "3911", "industry_edition": "2017", "floor_area_m2": 9_000.0},
            (100, 100),
            1_000.0,
            1.5,
        ),
        # Compliant (FAR 1.2 ≥ 1.0): no gap, nothing freed.
        ({}, (100, 100), 0.0, 0.0),
    ],
)
def test_floor_gap_and_freed_land(row, size, gap_m2, freed_mu):
    c = comply(parcels([row], sizes=[size])).iloc[0]
    assert c["far_gap_floor_m2"] == pytest.approx(gap_m2)
    assert c["freed_land_mu"] == pytest.approx(freed_mu)
    assert c["freed_land_m2"] == pytest.approx(freed_mu * 10_000 / 15)


def test_non_industrial_parcels_are_not_checked():
    # A commercial parcel at FAR 0.1 is not an industrial project: no rule applies.
    c = comply(parcels([{"land_use": "commercial", "floor_area_m2": 1_000.0}])).iloc[0]
    assert not c["checked"]
    assert not c["inefficient"]
    assert pd.isna(c["far_ok"])


def test_chinese_land_use_is_checked():
    c = comply(parcels([{"land_use": "工业用地", "floor_area_m2": 1_000.0}])).iloc[0]
    assert c["checked"] and c["inefficient"]


def test_analyse_intensity_joins_metrics_and_compliance():
    out = analyse_intensity(
        parcels([{"floor_area_m2": 6_000.0, "floor_area_over_8m_m2": 1_000.0}]), parks=PARKS, rules=CENTRAL
    )
    row = out.iloc[0]
    # FAR 0.7 < 1.0 (div 40): gap 3,000 m², freed 3,000 m² = 4.5 亩.
    assert row["far"] == pytest.approx(0.7)
    assert row["inefficient"]
    assert row["freed_land_mu"] == pytest.approx(4.5)


# =========================================================================== grading

FIVE = [
    # k: tax 15k (k 万元/亩 on 15 亩), VA 150k (10k 万元/亩), energy 150 tce (VA/tce = k),
    # emission 75 t (VA/t = 2k), 15 employees (VA/person = 10k), revenue 1,000, R&D below.
    {
        "tax_wan": 15.0 * k,
        "value_added_wan": 150.0 * k,
        "energy_tce": 150.0,
        "emission_t": 75.0,
        "employees": 15.0,
        "revenue_wan": 1_000.0,
        "rd_wan": rd,
    }
    for k, rd in zip((1, 2, 3, 4, 5), (10.0, 20.0, 30.0, 40.0, 10.0), strict=True)
]


def test_grading_hand_worked_weighted_score_five_parcels():
    # Medians over the 5 parcels: tax/亩 3, VA/亩 30, VA/tce 3, VA/t 6, VA/person 30,
    # R&D share of (0.01, 0.02, 0.03, 0.04, 0.01) → sorted 0.01 0.01 0.02 0.03 0.04 → 0.02.
    # Five indicators give parcel k the ratio k/3 (weights 30+20+20+10+10 = 90);
    # R&D ratios 0.5, 1, 1.5, 2, 0.5 (weight 10).
    # score_k = 90 × k/3 + 10 × rd_ratio: 30+5 = 35; 60+10 = 70; 90+15 = 105;
    # 120+20 = 140; 150+5 = 155.
    # Ranks 5,4,3,2,1 → p = r/5: P5 0.2 A; P4 0.4 B; P3 0.6 B; P2 0.8 C; P1 1.0 D.
    g = grade(parcels([r | {"park_id": "p"} for r in FIVE]))
    assert list(g["score"]) == pytest.approx([35, 70, 105, 140, 155])
    assert list(g["grade_rank"]) == [5, 4, 3, 2, 1]
    assert list(g["grade_class"]) == ["D", "C", "B", "B", "A"]
    assert not g["graded_on_tax_only"].any()
    bench = g.attrs["settings"]["benchmarks"]["p"]
    assert bench["tax_wan_per_mu"] == pytest.approx(3)
    assert bench["rd_share"] == pytest.approx(0.02)


def _tax_firms(taxes_per_mu, park="p"):
    """Full-indicator firms identical except tax: every other ratio is 1 (70 points)."""
    return [
        {
            "tax_wan": 15.0 * t,
            "value_added_wan": 300.0,
            "energy_tce": 10.0,
            "emission_t": 10.0,
            "employees": 10.0,
            "rd_wan": 10.0,
            "revenue_wan": 100.0,
            "park_id": park,
        }
        for t in taxes_per_mu
    ]


def test_grading_twenty_parcels_classes_by_rank():
    # Tax/亩 1..20, all else equal → score = 70 + 30 × t / 10.5 (median of 1..20 = 10.5).
    # Rank r = 21 − t, p = r/20: A for p ≤ 0.25 (r 1-5: t 20..16), B for p ≤ 0.70 (r 6-14:
    # t 15..7), C for p ≤ 0.95 (r 15-19: t 6..2), D r 20 (t = 1): 5/9/5/1 = 25/45/25/5 %.
    taxes = list(range(1, 21))
    g = grade(parcels(_tax_firms(taxes)))
    assert g.loc[0, "score"] == pytest.approx(70 + 30 * 1 / 10.5)
    assert g.loc[19, "score"] == pytest.approx(70 + 30 * 20 / 10.5)
    expected = ["D"] + ["C"] * 5 + ["B"] * 9 + ["A"] * 5
    assert list(g["grade_class"]) == expected
    assert g["grade_class"].value_counts().to_dict() == {"A": 5, "B": 9, "C": 5, "D": 1}


def test_grading_twenty_parcels_tie_across_a_cutoff():
    # t = 16 given twice (ranks 5 and 6 tie): both take rank 5 (p 0.25) → both A; the next
    # parcel is rank 7. Tax list 20,19,18,17,16,16,14,…: replace t=15 by 16.
    taxes = [t if t != 15 else 16 for t in range(1, 21)]
    g = grade(parcels(_tax_firms(taxes)))
    tied = g.index[np.array(taxes) == 16]
    assert list(g.loc[tied, "grade_rank"]) == [5, 5]
    assert list(g.loc[tied, "grade_class"]) == ["A", "A"]
    assert (g["grade_class"] == "A").sum() == 6
    assert g.loc[13, "grade_rank"] == 7  # t = 14


def test_grading_eight_parcels_tax_only_fallback():
    # 8 firms with tax only (no VA etc.): all graded on tax per 亩 alone, score = t / median × 100.
    # t = 8,7,6,5,4,3,2,1 → median (5+4)/2 = 4.5; scores 177.8 … 22.2.
    # p = r/8: r1 0.125 A, r2 0.25 A, r3-5 (0.375-0.625) B, r6 0.75 C, r7 0.875 C, r8 1.0 D.
    taxes = [8, 7, 6, 5, 4, 3, 2, 1]
    g = grade(parcels([{"tax_wan": 15.0 * t, "park_id": "p"} for t in taxes]))
    assert g["graded_on_tax_only"].all()
    assert list(g["score"]) == pytest.approx([t / 4.5 * 100 for t in taxes])
    assert list(g["grade_class"]) == ["A", "A", "B", "B", "B", "C", "C", "D"]


def test_grading_eight_parcels_with_ties():
    # Scores (tax/亩) 9, 8, 8, 6, 5, 5, 5, 1 (tax only). Ranks min: 1, 2, 2, 4, 5, 5, 5, 8.
    # p: 0.125 A, 0.25 A, 0.25 A, 0.5 B, 0.625 B ×3, 1.0 D — no C when ties straddle 0.70.
    taxes = [9, 8, 8, 6, 5, 5, 5, 1]
    g = grade(parcels([{"tax_wan": 15.0 * t, "park_id": "p"} for t in taxes]))
    assert list(g["grade_rank"]) == [1, 2, 2, 4, 5, 5, 5, 8]
    assert list(g["grade_class"]) == ["A", "A", "A", "B", "B", "B", "B", "D"]


def test_grading_mixed_full_and_tax_only_on_one_scale():
    # Four full firms of _tax_firms (t = 2, 4, 6, 8) and one small firm with tax only (t = 5).
    # Tax median over the five graded parcels (2,4,5,6,8) = 5.
    # Full firms: 70 + 30 × t/5 → 82, 94, 106, 118. Small firm: 5/5 × 100 = 100, flagged.
    rows = [*_tax_firms([2, 4, 6, 8]), {"tax_wan": 75.0, "park_id": "p"}]
    g = grade(parcels(rows))
    assert list(g["score"]) == pytest.approx([82, 94, 106, 118, 100])
    assert list(g["graded_on_tax_only"]) == [False, False, False, False, True]


def test_grading_benchmark_is_the_chosen_group_median():
    # Park p: t = 1, 2, 3 ; park q: t = 10, 20, 30 (all else equal).
    # group="park": medians 2 and 20 → both parks score 85, 100, 115.
    # group="region": median of all six = (3 + 10)/2 = 6.5 → 70 + 30 t / 6.5.
    rows = _tax_firms([1, 2, 3], "p") + _tax_firms([10, 20, 30], "q")
    by_park = grade(parcels(rows), group="park")
    assert list(by_park["score"]) == pytest.approx([85, 100, 115, 85, 100, 115])
    by_region = grade(parcels(rows), group="region")
    assert list(by_region["score"]) == pytest.approx([70 + 30 * t / 6.5 for t in (1, 2, 3, 10, 20, 30)])
