"""Eco-transformation checks and the 2020 target tracker, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.eco import ECO_INDICATORS, EcoError, eco_checks, eco_rules, eco_summary, target_tracker


def guangxi_2017() -> pd.DataFrame:
    """The 12 zones of Nov 2017 (domain.md §1): 4 national, 8 region-level; eco data invented."""
    names = ["南宁", "柳州", "桂林", "北海", "梧州", "钦州", "来宾", "柳州河西", "贺州", "百色", "玉林", "防城港"]
    return pd.DataFrame(
        {
            "park_id": [f"GX{i:02d}" for i in range(1, 13)],
            "name_zh": names,
            "level": ["national"] * 4 + ["自治区级"] * 8,
            # national: 3 done by 2020, one in 2021; regional: 2 by 2020, one in 2022, one undated
            "eco_status": ["completed", "已完成", "completed", "completed",
                           "completed", "completed", "in_progress", "推进中",
                           "not_started", None, "completed", "completed"],
            "eco_year": [2018, 2019, 2020, 2021,
                         2019, 2020, None, None,
                         None, None, 2022, None],
        }
    )


def test_checks_against_thresholds_boundaries_inclusive():
    parks = pd.DataFrame(
        {
            "park_id": ["A", "B"],
            "energy_tce_per_wan_va": [0.5, 0.51],  # ≤ 0.5
            "water_m3_per_wan_va": [9.0, 8.0],  # ≤ 9
            "industrial_water_reuse": [0.75, 0.7499],  # ≥ 0.75
            "solid_waste_use": [0.69, None],  # ≥ 0.70
            "reclaimed_water_reuse": [0.10, 0.2],  # ≥ 0.10
            # va_wan_per_worker not supplied at all
        }
    )
    checks = eco_checks(parks).set_index(["park_id", "indicator"])
    assert len(checks) == 2 * len(ECO_INDICATORS)
    expected = {
        ("A", "energy_tce_per_wan_va"): "passed",
        ("B", "energy_tce_per_wan_va"): "failed",
        ("A", "water_m3_per_wan_va"): "passed",
        ("B", "water_m3_per_wan_va"): "passed",
        ("A", "industrial_water_reuse"): "passed",
        ("B", "industrial_water_reuse"): "failed",
        ("A", "solid_waste_use"): "failed",
        ("B", "solid_waste_use"): "not_supplied",
        ("A", "reclaimed_water_reuse"): "passed",
        ("B", "reclaimed_water_reuse"): "passed",
        ("A", "va_wan_per_worker"): "not_supplied",
        ("B", "va_wan_per_worker"): "not_supplied",
    }
    assert checks["result"].to_dict() == expected
    assert checks.loc[("A", "energy_tce_per_wan_va"), "direction"] == "max"
    assert checks.loc[("A", "va_wan_per_worker"), "threshold"] == 15
    assert pd.isna(checks.loc[("B", "solid_waste_use"), "passed"])
    assert checks.loc[("A", "solid_waste_use"), "source"] == "hj_274_2015"
    assert checks.loc[("A", "solid_waste_use"), "notes"] == [{"code": "verify_against", "source": "db45_t_1944_2019"}]


def test_thresholds_are_editable():
    parks = pd.DataFrame({"park_id": ["A"], "va_wan_per_worker": [14.0]})
    default = eco_checks(parks).set_index("indicator").loc["va_wan_per_worker", "result"]
    looser = eco_checks(parks, rules={"indicators": {"va_wan_per_worker": {"threshold": 12}}})
    assert default == "failed"
    assert looser.set_index("indicator").loc["va_wan_per_worker", "result"] == "passed"


def test_summary_counts():
    parks = pd.DataFrame({"park_id": ["A", "B"], "eco_status": ["已完成", None], "eco_year": [2019, None],
                          "energy_tce_per_wan_va": [0.4, None], "va_wan_per_worker": [10.0, None]})
    s = eco_summary(parks).set_index("park_id")
    assert s.loc["A", ["n_supplied", "n_passed", "n_failed"]].tolist() == [2, 1, 1]
    assert not s.loc["A", "all_supplied_passed"]
    assert pd.isna(s.loc["B", "all_supplied_passed"])
    assert s.loc["A", "eco_status"] == "completed"
    assert s.loc["A", "va_wan_per_worker_result"] == "failed"


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [("industrial_water_reuse", 75.0, "eco_rate_above_one"), ("energy_tce_per_wan_va", -0.1, "eco_negative_values")],
)
def test_bad_values_refused(column, value, code):
    with pytest.raises(EcoError) as err:
        eco_checks(pd.DataFrame({"park_id": ["A"], column: [value]}))
    assert err.value.item == {"code": code, "indicator": column, "park_ids": ["A"]}


def test_unknown_status_refused_with_park():
    with pytest.raises(EcoError) as err:
        target_tracker(pd.DataFrame({"park_id": ["GX99"], "level": ["national"], "eco_status": ["maybe"]}),
                       as_of_year=2020)
    assert err.value.code == "eco_unknown_status"
    assert err.value.params["park_ids"] == ["GX99"] and err.value.params["values"] == ["maybe"]


@pytest.mark.parametrize(
    ("override", "code", "key"),
    [({"indicators": {"solid_waste_use": {"threshold": 70}}}, "eco_rule_out_of_range",
      "indicators.solid_waste_use.threshold"),
     ({"indicators": {"water_m3_per_wan_va": {"threshold": "nine"}}}, "eco_rule_not_number",
      "indicators.water_m3_per_wan_va.threshold"),
     ({"indicators": {"water_m3_per_wan_va": {"direction": "below"}}}, "eco_rule_choice",
      "indicators.water_m3_per_wan_va.direction"),
     ({"targets": {"regional_completed_share": 30}}, "eco_rule_out_of_range", "targets.regional_completed_share")],
)
def test_bad_eco_rules_refused_at_load(override, code, key):
    with pytest.raises(EcoError) as err:
        eco_rules(override)
    assert (err.value.code, err.value.params["key"]) == (code, key)


def test_target_tracker_guangxi_2017():
    t = target_tracker(guangxi_2017(), as_of_year=2026).set_index("target_id")
    nat = t.loc["national_eco_completed"]
    # National: 4 parks, target all 4; by 2020: 2018, 2019, 2020 → 3 (2021 too late); gap 1.
    assert (nat["base"], nat["target"], nat["current"], nat["gap"], nat["met"]) == (4, 4, 3, 1, False)
    assert nat["current_share"] == pytest.approx(0.75)
    # As of 2026 the 2021 completion counts: 4 of 4.
    assert (nat["current_as_of"], nat["gap_as_of"], nat["met_as_of"]) == (4, 0, True)
    reg = t.loc["regional_eco_completed"]
    # Regional: 8 parks, target ceil(0.3 × 8) = 3; by 2020: 2019, 2020 → 2; gap 1.
    # 2022 counts only as of 2026 (3); one completed without a year counts in neither.
    assert (reg["base"], reg["target"], reg["current"], reg["gap"], reg["met"]) == (8, 3, 2, 1, False)
    assert reg["current_share"] == pytest.approx(2 / 8)
    assert (reg["current_as_of"], reg["gap_as_of"], reg["met_as_of"]) == (3, 0, True)
    assert reg["notes"] == [{"code": "completed_without_year", "n": 1}]
    # 12 parks of 16, 4 national of 6.
    assert (t.loc["park_count", "current"], t.loc["park_count", "target"], t.loc["park_count", "gap"]) == (12, 16, 4)
    assert (t.loc["national_count", "current"], t.loc["national_count", "gap"]) == (4, 2)


def test_target_tracker_as_of_before_target_year():
    t = target_tracker(guangxi_2017(), as_of_year=2018).set_index("target_id")
    assert t.loc["national_eco_completed", "current_as_of"] == 1  # only the 2018 completion
    assert t.loc["regional_eco_completed", "current_as_of"] == 0
    assert t.loc["national_eco_completed", "current"] == 3  # by-target-year columns unchanged


@pytest.mark.parametrize(("n_regional", "target"), [(10, 3), (8, 3), (7, 3), (3, 1), (0, 0)])
def test_regional_target_is_ceil_of_30_percent(n_regional, target):
    parks = pd.DataFrame({"park_id": [f"R{i}" for i in range(n_regional)], "level": ["regional"] * n_regional,
                          "eco_status": ["not_started"] * n_regional})
    reg = target_tracker(parks, as_of_year=2020).set_index("target_id").loc["regional_eco_completed"]
    assert reg["target"] == target  # 0.3 × 10 = 3 exactly, not 4 from float noise
    assert reg["gap"] == target


def test_targets_reach_met():
    parks = pd.DataFrame(
        {"park_id": [f"P{i}" for i in range(16)], "level": ["national"] * 6 + ["regional"] * 10,
         "eco_status": ["completed"] * 9 + ["in_progress"] * 7, "eco_year": [2020] * 9 + [None] * 7}
    )
    t = target_tracker(parks, as_of_year=2020).set_index("target_id")
    assert t["met"].all() and (t["gap"] == 0).all()


def test_target_year_is_a_rule():
    rules = eco_rules({"targets": {"target_year": 2025}})
    t = target_tracker(guangxi_2017(), as_of_year=2026, rules=rules).set_index("target_id")
    assert t.loc["national_eco_completed", "target_year"] == 2025
    assert t.loc["national_eco_completed", "current"] == 4
    assert t.loc["regional_eco_completed", "current"] == 3
