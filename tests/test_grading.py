"""
Per-亩 benefit grading (geo/grading.py).

Parcels are 100 m × 100 m ``shapely.box`` squares in EPSG:4545 (15 亩 each), so
every indicator, median and score below is worked by hand in the comments.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.grading import (
    INDICATORS,
    GradingError,
    grade,
    grading_indicators,
    load_grading_settings,
    summarize_grades,
)

X0, Y0 = 500_000.0, 2_500_000.0


def firms(rows: list[dict]) -> gpd.GeoDataFrame:
    base = {"land_use": "industrial", "park_id": "p"}
    recs = [base | r for r in rows]
    geoms = [shapely.box(X0 + i * 1_000, Y0, X0 + i * 1_000 + 100, Y0 + 100) for i in range(len(recs))]
    return gpd.GeoDataFrame(recs, geometry=geoms, crs=4545)


def full(k: float, **extra) -> dict:
    """Firm k (1..4): tax 15k → k 万元/亩; VA 150k → 10k/亩, 15k/tce, 150/t, 15k/person; R&D share k/100."""
    return {
        "tax_wan": 15.0 * k,
        "value_added_wan": 150.0 * k,
        "energy_tce": 10.0,
        "emission_t": 1.0 * k,
        "employees": 10.0,
        "rd_wan": 1.0 * k,
        "revenue_wan": 100.0,
    } | extra


def tax_only(tax_per_mu: float, **extra) -> dict:
    return {"tax_wan": 15.0 * tax_per_mu} | extra


FOUR = [full(1), full(2), full(3), full(4)]


def test_indicators_arithmetic():
    ind = grading_indicators(firms([full(2)])).iloc[0]
    assert ind["tax_wan_per_mu"] == pytest.approx(2.0)
    assert ind["va_wan_per_mu"] == pytest.approx(20.0)
    assert ind["va_wan_per_tce"] == pytest.approx(30.0)
    assert ind["va_wan_per_t_emission"] == pytest.approx(150.0)
    assert ind["va_wan_per_employee"] == pytest.approx(30.0)
    assert ind["rd_share"] == pytest.approx(0.02)


def test_hand_worked_scores_and_classes():
    # Medians of the four: tax 2.5, VA/亩 25, VA/tce 37.5, VA/t 150, VA/person 37.5, R&D 0.025.
    # Firm k's ratio is k/2.5 on every indicator except VA/t (always 1):
    #   score = (k/2.5)·(30+20+20+10+10) + 1·10 = 36k + 10 → 46, 82, 118, 154.
    g = grade(firms(FOUR), group="park")
    assert g["score"].tolist() == pytest.approx([46.0, 82.0, 118.0, 154.0])
    assert g["grade_rank"].tolist() == [4, 3, 2, 1]
    # p = rank / n: 1.0 → D, 0.75 → C, 0.5 → B, 0.25 → A.
    assert g["grade_position"].tolist() == pytest.approx([1.0, 0.75, 0.5, 0.25])
    assert g["grade_class"].tolist() == ["D", "C", "B", "A"]
    # The breakdown adds up to the score: firm 4 has ratio 4/2.5 = 1.6 on tax (weight 30 → 48 points).
    assert sum(g[f"points_{i}"].iloc[3] for i in INDICATORS) == pytest.approx(154.0)
    assert g["points_tax_wan_per_mu"].iloc[3] == pytest.approx(48.0)
    assert g["bench_tax_wan_per_mu"].iloc[3] == pytest.approx(2.5)
    assert g["weight_tax_wan_per_mu"].iloc[3] == pytest.approx(30.0)
    assert g["ratio_va_wan_per_t_emission"].iloc[3] == pytest.approx(1.0)
    assert not g["graded_on_tax_only"].any()
    assert g["group"].tolist() == ["p"] * 4
    assert (g["group_size"] == 4).all()


def test_tax_only_fallback_on_same_scale():
    # Firm 5 reports tax only (5 万元/亩). Tax median over all five = 3; the other medians are
    # over firms 1-4 (unchanged). Firm 5: 5/3 × 100 = 166.67; firm 1: (1/3)·30 + 8+8+10+4+4 = 44.
    g = grade(firms([*FOUR, tax_only(5.0)]), group="park")
    assert g["score"].iloc[4] == pytest.approx(500.0 / 3)
    assert g["score"].iloc[0] == pytest.approx(44.0)
    assert g["graded_on_tax_only"].tolist() == [False, False, False, False, True]
    notes = g["grade_notes"].iloc[4]
    assert {"code": "graded_on_tax_only", "indicator": "tax_wan_per_mu"} in notes
    assert {"code": "column_missing", "measure": "va_wan_per_mu", "column": "value_added_wan"} in notes
    # A tax-only parcel's breakdown: all 100 points weight on tax.
    assert g["weight_tax_wan_per_mu"].iloc[4] == pytest.approx(100.0)
    assert g["weight_va_wan_per_mu"].iloc[4] == pytest.approx(0.0)
    assert g["points_tax_wan_per_mu"].iloc[4] == pytest.approx(500.0 / 3)
    assert g.attrs["settings"]["benchmarks"]["p"]["tax_wan_per_mu"] == pytest.approx(3.0)
    assert g["grade_class"].iloc[4] == "A"


def test_zero_denominator_falls_back_to_tax():
    g = grade(firms([full(1), full(2), full(3), full(4, energy_tce=0.0)]), group="park")
    assert g["graded_on_tax_only"].tolist() == [False, False, False, True]
    assert {"code": "column_not_positive", "measure": "va_wan_per_tce", "column": "energy_tce"} in g["grade_notes"].iloc[3]
    # Tax median 2.5: firm 4 scores 4 / 2.5 × 100 = 160.
    assert g["score"].iloc[3] == pytest.approx(160.0)


def test_no_tax_no_grade_with_reason():
    g = grade(firms([*FOUR, full(1, tax_wan=None)]), group="park")
    assert np.isnan(g["score"].iloc[4])
    assert pd.isna(g["grade_class"].iloc[4])
    assert g["grade_notes"].iloc[4] == [{"code": "indicator_unknown", "indicator": "tax_wan_per_mu"}]
    assert np.isnan(g["points_tax_wan_per_mu"].iloc[4])
    assert g["grade_class"].iloc[:4].tolist() == ["D", "C", "B", "A"]


def test_land_uses_graded_is_a_setting():
    rows = [*FOUR, full(4, land_use="commercial"), full(4, land_use="storage")]
    g = grade(firms(rows), group="park")
    assert pd.isna(g["grade_class"].iloc[4])
    assert g["grade_notes"].iloc[4] == [{"code": "not_graded_land_use", "land_use": "commercial"}]
    assert g["grade_class"].iloc[5] in "ABCD"
    g = grade(firms(rows), group="park", settings={"graded_land_uses": ["industrial"]})
    assert pd.isna(g["grade_class"].iloc[5])


def test_class_boundaries_at_exactly_25_70_95_percent():
    # 20 tax-only firms with distinct scores: rank r has p = r/20.
    g = grade(firms([tax_only(float(t)) for t in range(20, 0, -1)]), group="park")
    assert g["grade_rank"].tolist() == list(range(1, 21))
    cls = g["grade_class"].tolist()
    assert cls[4] == "A" and cls[5] == "B"  # rank 5: p = 0.25 → A; rank 6 → B
    assert cls[13] == "B" and cls[14] == "C"  # rank 14: p = 0.70 → B; rank 15 → C
    assert cls[18] == "C" and cls[19] == "D"  # rank 19: p = 0.95 → C; rank 20 → D
    assert pd.Series(cls).value_counts().to_dict() == {"A": 5, "B": 9, "C": 5, "D": 1}


def test_ties_share_the_best_rank():
    g = grade(firms([tax_only(4.0), tax_only(4.0), tax_only(2.0), tax_only(1.0)]), group="park")
    assert g["grade_rank"].tolist() == [1, 1, 3, 4]
    assert g["grade_class"].tolist() == ["A", "A", "C", "D"]
    g = grade(firms([tax_only(3.0)] * 4), group="park")
    assert g["grade_class"].tolist() == ["A"] * 4


@pytest.mark.parametrize(
    ("taxes", "classes"),
    [
        ([5.0], ["A"]),
        ([5.0, 1.0], ["A", "B"]),  # p = (rank − 1)/n: 0, 0.5
        ([5.0, 3.0, 1.0], ["A", "B", "B"]),  # 0, 0.33, 0.67
    ],
)
def test_groups_smaller_than_four(taxes, classes):
    g = grade(firms([tax_only(t) for t in taxes]), group="park")
    assert g["grade_class"].tolist() == classes
    assert g["small_group"].all()
    assert g["score"].iloc[0] == pytest.approx(taxes[0] / float(np.median(taxes)) * 100)


def test_region_vs_park_grouping():
    # Park p: taxes 1, 2, 3, 4 (median 2.5). Park q: taxes 10, 20, 30, 40 (median 25).
    rows = [tax_only(t, park_id="p") for t in (1, 2, 3, 4)] + [
        tax_only(t, park_id="q") for t in (10, 20, 30, 40)
    ]
    by_park = grade(firms(rows), group="park")
    assert by_park["score"].tolist() == pytest.approx([40, 80, 120, 160] * 2)
    assert by_park["grade_class"].tolist() == ["D", "C", "B", "A"] * 2
    # Region: median of all eight = (4 + 10) / 2 = 7; ranks 8..1 by tax.
    region = grade(firms(rows), group="region")
    assert region["score"].tolist() == pytest.approx([t / 7 * 100 for t in (1, 2, 3, 4, 10, 20, 30, 40)])
    assert region["grade_class"].tolist() == ["D", "C", "C", "B", "B", "B", "A", "A"]
    assert region.attrs["settings"]["group"] == "region"
    assert set(region.attrs["settings"]["benchmarks"]) == {"region"}
    assert set(by_park.attrs["settings"]["benchmarks"]) == {"p", "q"}


def test_park_missing_under_park_grouping():
    g = grade(firms([*FOUR, tax_only(2.0, park_id=None)]), group="park")
    assert pd.isna(g["grade_class"].iloc[4])
    assert g["grade_notes"].iloc[4] == [{"code": "park_missing"}]


def test_settings_are_data_and_recorded():
    s = {
        "weights": {
            "tax_wan_per_mu": 1,
            "va_wan_per_mu": 1,
            "va_wan_per_tce": 0,
            "va_wan_per_t_emission": 0,
            "va_wan_per_employee": 0,
            "rd_share": 0,
        },
        "cutoffs": {"A": 0.5, "B": 0.75, "C": 1.0},
    }
    g = grade(firms(FOUR), group="park", settings=s)
    # Weights 1:1 rescaled to 50/50: score = (k/2.5)·50 + (10k/25)·50 = 40k.
    assert g["score"].tolist() == pytest.approx([40.0, 80.0, 120.0, 160.0])
    assert g["grade_class"].tolist() == ["C", "B", "A", "A"]
    rec = g.attrs["settings"]
    assert rec["weights_rescaled_to_100"] == {"tax_wan_per_mu": 50.0, "va_wan_per_mu": 50.0}
    assert rec["cutoffs"] == {"A": 0.5, "B": 0.75, "C": 1.0}
    assert rec["benchmark_method"] == "median"
    json.dumps(rec)  # exportable as a sidecar


def test_fixed_benchmark():
    g = grade(
        firms([tax_only(t) for t in (1, 2, 3, 4)]),
        group="park",
        settings={"benchmark": {"fixed": {"tax_wan_per_mu": 10.0}}},
    )
    assert g["score"].tolist() == pytest.approx([10.0, 20.0, 30.0, 40.0])
    assert g.attrs["settings"]["benchmark_fixed"] == {"tax_wan_per_mu": 10.0}


def test_defaults():
    s = load_grading_settings()
    assert list(s["weights"].values()) == [30, 20, 20, 10, 10, 10]
    assert s["cutoffs"] == {"A": 0.25, "B": 0.70, "C": 0.95}
    assert "classes" not in s and "indicators" not in s  # words live in words/metrics.py


def test_bad_settings_say_what_to_fix():
    with pytest.raises(GradingError) as err:
        grade(firms(FOUR), settings={"weights": {"profit_per_mu": 10}})
    assert err.value.code == "grading_weights_unknown" and err.value.params["values"] == ["profit_per_mu"]
    with pytest.raises(GradingError) as err:
        grade(firms(FOUR), group="city")
    assert err.value.item == {"code": "grading_group_unknown", "value": "city", "allowed_choices": ["park", "region"]}
    with pytest.raises(GradingError) as err:
        grade(firms(FOUR), settings={"cutoffs": {"A": 0.8}})
    assert err.value.item == {"code": "grading_cutoffs_order", "key": "cutoffs", "a": 0.8, "b": 0.7, "c": 0.95}
    with pytest.raises(GradingError) as err:
        grade(firms(FOUR), settings={"cutoffs": {"C": 1.2}})
    assert (err.value.code, err.value.params["key"]) == ("grading_setting_out_of_range", "cutoffs.C")
    with pytest.raises(GradingError) as err:
        grade(firms(FOUR), settings={"weights": {"rd_share": "ten"}})
    assert (err.value.code, err.value.params["key"]) == ("grading_setting_not_number", "weights.rd_share")


def test_summarize_grades():
    rows = [tax_only(t, park_id="p") for t in (1, 2, 3, 4)] + [tax_only(1.0, park_id="q"), {"park_id": "q"}]
    f = firms(rows)
    s = summarize_grades(pd.concat([f, grade(f, group="park")], axis=1))
    assert s.loc["p", ["A", "B", "C", "D", "ungraded"]].tolist() == [1, 1, 1, 1, 0]
    # Tax-only firms are graded and counted as such; the firm without tax is ungraded.
    assert s.loc["q", ["A", "ungraded", "tax_only"]].tolist() == [1, 1, 1]
    assert s.loc["p", "tax_only"] == 4
    assert s.loc["__total__", "A"] == 2


def test_cli_grade_writes_settings_sidecar(tmp_path):
    from cli import main

    parks = gpd.GeoDataFrame(
        {"park_id": ["p"], "name_zh": ["测试园区"], "level": ["regional"], "city": ["柳州"]},
        geometry=[shapely.box(X0 - 100, Y0 - 100, X0 + 10_000, Y0 + 1_000)],
        crs=4545,
    ).to_crs(4326)
    parks.to_file(tmp_path / "parks.geojson")
    firms(FOUR).to_file(tmp_path / "firms.gpkg")
    out = tmp_path / "grades.parquet"
    rc = main(
        [
            "grade",
            str(tmp_path / "firms.gpkg"),
            "--group",
            "region",
            "-o",
            str(out),
            "--parks",
            str(tmp_path / "parks.geojson"),
            "--lang",
            "en",
        ]
    )
    assert rc == 0
    res = gpd.read_parquet(out)
    assert res["grade_class"].tolist() == ["D", "C", "B", "A"]
    rec = json.loads((tmp_path / "grades.parquet.settings.json").read_text(encoding="utf-8"))
    assert rec["group"] == "region"


def test_empty_and_ungradable_frames():
    empty = firms([]).iloc[:0]
    g = grade(empty)
    assert g.empty and "grade_class" in g.columns
    assert g.attrs["settings"]["benchmarks"] == {}
    g = grade(firms([full(1, land_use="commercial")]))
    assert g["grade_class"].isna().all()
