"""
Park evaluation (TD/T 1029 indicators, score, rank) on hand-worked box parcels.

Every parcel is a ``shapely.box`` in EPSG:4545 with round sides, so each area is a
whole number of hectares and every expected figure below is worked out by hand in
the comments.
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

from geo.evaluation import (
    EVALUATION_ERROR_CODES,
    INDICATORS,
    EvaluationError,
    classify_park_type,
    evaluate_parks,
    evaluation_settings,
    flag_parcels,
    national_reference,
    parcels_behind,
    rank_scores,
    score_indicators,
    write_evaluation,
)

AS_OF = "2026-11-25"
NaT = None


def ha_box(x0: float, ha: float) -> object:
    """A 100 m-high box of ``ha`` hectares starting at x0 (1 ha = 100 m × 100 m)."""
    return box(x0, 0, x0 + 100 * ha, 100)


def hand_park() -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """
    Park A: developable 20 ha, supply-ready 16 ha. Parcels as of 2026-11-25:

    ==  ==========  ==  ==========  ==========  ========  ==========================
    id  land use    ha  supplied    completed   built-up  note
    ==  ==========  ==  ==========  ==========  ========  ==========================
    1   industrial  2   2015-03-01  2017-01-01  yes
    2   仓储用地     1   2018-05-01  (flag 是)    yes       storage = industrial land
    3   commercial  1   2019-01-01  2020-06-30  yes
    4   industrial  2   2024-02-29  —           no        idle_fee, fee paid
    5   industrial  1   2025-01-10  2027-03-01  no        completes after as_of; idle_recover
    6   residential 1   2023-11-25  2026-11-25  yes       completed on as_of; outside 3-y window
    7   industrial  1   2026-11-26  —           —         supplied after as_of
    8   industrial  1   2026-11-25  —           no        supplied on as_of
    ==  ==========  ==  ==========  ==========  ========  ==========================
    """
    parks = pd.DataFrame(
        {"park_id": ["A"], "name_zh": ["甲园"], "level": ["national"], "developable_ha": [20.0],
         "supply_ready_ha": [16.0]}
    )
    sizes = [2, 1, 1, 2, 1, 1, 1, 1]
    x = np.cumsum([0, *[s * 100 + 50 for s in sizes[:-1]]])
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": [f"p{i}" for i in range(1, 9)],
            "park_id": ["A"] * 8,
            "land_use": ["industrial", "仓储用地", "commercial", "industrial", "industrial", "residential",
                         "industrial", "industrial"],
            "supply_date": pd.to_datetime(["2015-03-01", "2018-05-01", "2019-01-01", "2024-02-29", "2025-01-10",
                                           "2023-11-25", "2026-11-26", "2026-11-25"]),
            "completion_date": pd.to_datetime(["2017-01-01", NaT, "2020-06-30", NaT, "2027-03-01", "2026-11-25",
                                               NaT, NaT]),
            "builtup": [None, "是", None, "否", None, None, None, None],
            "floor_area_m2": [24000, 6000, 30000, 5000, 9000, 15000, np.nan, np.nan],
            "floor_area_over_8m_m2": [6000, 0, 0, 0, 0, 0, 0, 0],
            "footprint_m2": [10000, 5000, 4000, 2000, 3000, 3000, np.nan, np.nan],
            "total_investment_wan": [20000, 4000, 9999, 8000, 5000, 7000, 1000, 1000],
            "invested_wan": [18000, np.nan, 9999, 2000, 1000, 7000, np.nan, np.nan],
            "tax_wan": [500, 100, 300, np.nan, np.nan, 50, np.nan, np.nan],
            "idle_status": ["completed", "completed", "completed", "idle_fee", "idle_recover", "completed",
                            "not_due", "not_due"],
            "disposal_status": [None, None, None, "fee_paid", None, None, None, None],
            "inefficient": [True, False, False, None, None, False, None, None],
        },
        geometry=[ha_box(float(xi), s) for xi, s in zip(x, sizes, strict=True)],
        crs=4545,
    )
    return parks, parcels


@pytest.fixture(scope="module")
def hand():
    parks, parcels = hand_park()
    return evaluate_parks(parks, parcels, as_of=AS_OF)


# --------------------------------------------------------------------------- hand-worked


def test_areas_nest_as_worked_by_hand(hand):
    row = hand.table.iloc[0]
    assert row["developable_ha"] == 20 and row["supply_ready_ha"] == 16
    assert row["supplied_ha"] == pytest.approx(9)  # 2+1+1+2+1+1+1 (p7 after as_of)
    assert row["builtup_ha"] == pytest.approx(5)  # p1 2 + p2 1 + p3 1 + p6 1
    assert row["builtup_industrial_ha"] == pytest.approx(3)  # p1 + p2 (storage)
    assert row["unbuilt_ha"] == pytest.approx(4)  # p4 2 + p5 1 + p8 1
    assert row["n_parcels"] == 8 and row["n_supplied"] == 7 and row["n_builtup"] == 4


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        ("development_rate", 16 / 20),
        ("supply_rate", 9 / 16),
        ("builtup_rate", 5 / 9),
        ("industrial_share", 3 / 5),
        ("far_overall", (24000 + 6000 + 30000 + 15000) / 50000),  # 1.5
        ("building_density", (10000 + 5000 + 4000 + 3000) / 50000),  # 0.44
        ("far_industrial", (24000 + 6000) / 30000),  # 1.0, no 8 m double count by default
        ("building_coef_industrial", (10000 + 5000) / 30000),  # 0.5
        ("invest_wan_per_ha", (18000 + 4000) / 3),  # invested where given, else total
        ("tax_industrial_wan_per_ha", (500 + 100) / 3),
        ("tax_overall_wan_per_ha", (500 + 100 + 300 + 50) / 5),
        ("idle_disposal_rate", 2 / 3),  # p4 2 ha disposed of p4 + p5 3 ha idle
        ("unbuilt_share", 4 / 20),
        ("years_of_supply_left", (16 - 9) / ((2 + 1 + 1) / 3)),  # 5.25; p6 on the window's open end
    ],
)
def test_indicators_worked_by_hand(hand, indicator, expected):
    assert hand.table.iloc[0][indicator] == pytest.approx(expected)


def test_potential_worked_by_hand(hand):
    row = hand.table.iloc[0]
    assert row["idle_ha"] == pytest.approx(3)
    assert row["idle_disposed_ha"] == pytest.approx(2)
    assert row["inefficient_ha"] == pytest.approx(2)  # p1
    assert row["unsupplied_ha"] == pytest.approx(7)
    assert row["recent_supplied_ha"] == pytest.approx(4)
    assert row["mean_yearly_supply_ha"] == pytest.approx(4 / 3)
    assert row["park_type"] == "industry_led"  # 0.6 ≥ 0.30


def test_score_with_given_weights_and_ideals():
    parks, parcels = hand_park()
    settings = {
        "park_types": {
            "industry_led": {
                "weights": {"far_industrial": 50, "tax_industrial_wan_per_ha": 30, "unbuilt_share": 20},
                "ideals": {"far_industrial": 1.25, "tax_industrial_wan_per_ha": 160, "unbuilt_share": 0.05},
            }
        }
    }
    ev = evaluate_parks(parks, parcels, as_of=AS_OF, settings=settings)
    row = ev.table.iloc[0]
    assert row["std_far_industrial"] == pytest.approx(80)  # 1.0 / 1.25
    assert row["std_tax_industrial_wan_per_ha"] == 100  # 200 / 160 = 125 % → capped
    assert row["std_unbuilt_share"] == pytest.approx(25)  # reverse: 0.05 / 0.2
    # (50×80 + 30×100 + 20×25) / 100; the weights given replace the defaults.
    assert row["score"] == pytest.approx(75)
    assert row["score_weight_share"] == pytest.approx(1)
    used = json.loads(row["settings_used"])
    assert used["weights"] == {"far_industrial": 50, "tax_industrial_wan_per_ha": 30, "unbuilt_share": 20}
    assert used["park_type"] == "industry_led"
    assert ev.settings["overridden"] == ["park_types"]


def test_default_score_is_weighted_mean_of_standardised(hand):
    row = hand.table.iloc[0]
    spec = hand.settings["park_types"]["industry_led"]
    w = pd.Series(spec["weights"])
    std = pd.Series({i: row[f"std_{i}"] for i in INDICATORS})
    assert row["score"] == pytest.approx((w * std).sum() / w.sum())
    assert 0 <= row["score"] <= 100


# --------------------------------------------------------------------------- scoring rules


def _score(values: dict, weights: dict, ideals: dict, **extra):
    settings = evaluation_settings({"park_types": {"industry_led": {"weights": weights, "ideals": ideals}}, **extra})
    frame = pd.DataFrame({k: [v] for k, v in values.items()})
    return score_indicators(frame, pd.Series(["industry_led"]), settings=settings).iloc[0]


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(0.0, 100.0), (0.02, 100.0), (0.05, 100.0), (0.10, 50.0), (0.25, 20.0), (np.nan, np.nan)],
)
def test_reverse_indicator(actual, expected):
    out = _score({"unbuilt_share": actual}, {"unbuilt_share": 1}, {"unbuilt_share": 0.05},
                 min_weight_share_for_score=0)
    if math.isnan(expected):
        assert math.isnan(out["std_unbuilt_share"])
    else:
        assert out["std_unbuilt_share"] == pytest.approx(expected)


@pytest.mark.parametrize(("actual", "expected"), [(0.0, 0.0), (0.9, 90.0), (1.0, 100.0), (1.3, 100.0)])
def test_positive_indicator_capped_at_100(actual, expected):
    out = _score({"far_overall": actual}, {"far_overall": 1}, {"far_overall": 1.0})
    assert out["std_far_overall"] == pytest.approx(expected)
    assert out["score"] == pytest.approx(expected)


def test_missing_indicator_excluded_and_weights_renormalised():
    out = _score({"far_overall": 0.8, "far_industrial": np.nan}, {"far_overall": 3, "far_industrial": 1},
                 {"far_overall": 1.0, "far_industrial": 1.0})
    assert out["score"] == pytest.approx(80)  # 3×80 / 3
    assert out["score_weight_share"] == pytest.approx(0.75)
    assert out["score_excluded"] == ["far_industrial"]


def test_missing_indicator_as_zero_when_configured():
    out = _score({"far_overall": 0.8, "far_industrial": np.nan}, {"far_overall": 3, "far_industrial": 1},
                 {"far_overall": 1.0, "far_industrial": 1.0}, missing_indicator="zero")
    assert out["score"] == pytest.approx(60)  # (3×80 + 1×0) / 4


def test_no_score_when_too_little_weight_available():
    out = _score({"far_overall": 0.8, "far_industrial": np.nan}, {"far_overall": 1, "far_industrial": 4},
                 {"far_overall": 1.0, "far_industrial": 1.0})
    assert out["score_weight_share"] == pytest.approx(0.2)  # < 0.25 default
    assert math.isnan(out["score"])


def _share_park(industrial_ha: float, other_ha: float) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    parks = pd.DataFrame({"park_id": ["T"], "developable_ha": [20.0], "supply_ready_ha": [20.0]})
    parcels = gpd.GeoDataFrame(
        {"park_id": ["T", "T"], "land_use": ["industrial", "commercial"],
         "supply_date": pd.to_datetime(["2010-01-01"] * 2), "completion_date": pd.to_datetime(["2012-01-01"] * 2)},
        geometry=[ha_box(0, industrial_ha), ha_box(5000, other_ha)], crs=4545,
    )
    return parks, parcels


@pytest.mark.parametrize(("industrial_ha", "other_ha", "expected"),
                         [(3, 7, "industry_led"), (2.99, 7.01, "mixed"), (0.3, 0.7, "industry_led")])
def test_type_cutoff_boundary_is_inclusive(industrial_ha, other_ha, expected):
    parks, parcels = _share_park(industrial_ha, other_ha)
    row = evaluate_parks(parks, parcels, as_of=AS_OF).table.iloc[0]
    assert row["industrial_share"] == pytest.approx(industrial_ha / (industrial_ha + other_ha))
    assert row["park_type"] == expected


def test_type_cutoff_configurable_and_unknown_share():
    s = evaluation_settings({"park_type_cutoff_industrial_share": 0.5})
    out = classify_park_type(pd.Series([0.5, 0.4999, np.nan]), settings=s)
    assert list(out) == ["industry_led", "mixed", "industry_led"]


def test_ranks_with_ties_min_method():
    s = evaluation_settings()
    ranks = rank_scores(pd.Series([80.0, 90.0, 80.0, np.nan, 70.0]), settings=s)
    assert ranks.tolist() == [2, 1, 2, pd.NA, 4]


def test_overall_and_within_level_ranks():
    parks, parcels = hand_park()
    parks = pd.concat([parks] * 4, ignore_index=True)
    parks["park_id"] = ["A", "B", "C", "D"]
    parks["level"] = ["national", "regional", "国家级", "自治区级"]
    # B copies A (tie); C has half the floor area → lower; D has twice the tax → higher.
    b = parcels.assign(park_id="B")
    c = parcels.assign(park_id="C", floor_area_m2=parcels["floor_area_m2"] / 2)
    d = parcels.assign(park_id="D", tax_wan=parcels["tax_wan"] * 2)
    ev = evaluate_parks(parks, pd.concat([parcels, b, c, d], ignore_index=True), as_of=AS_OF)
    t = ev.table.set_index("park_id")
    assert t.loc["A", "score"] == t.loc["B", "score"]
    assert t.loc["D", "score"] > t.loc["A", "score"]
    assert t["rank"].to_dict() == {"D": 1, "A": 2, "B": 2, "C": 4}
    assert t["level"].to_dict() == {"A": "national", "B": "regional", "C": "national", "D": "regional"}
    assert t["rank_in_level"].to_dict() == {"A": 1, "C": 2, "D": 1, "B": 2}


# --------------------------------------------------------------------------- dates & flags


def test_completion_after_as_of_is_not_builtup_even_with_flag():
    _, parcels = hand_park()
    parcels.loc[4, "builtup"] = "是"  # p5 completes 2027-03-01: still under construction at as_of
    flags = flag_parcels(parcels, as_of=AS_OF).set_index("parcel_id")
    assert not flags.loc["p5", "builtup"]
    assert flags.loc["p2", "builtup"]  # flag used where no completion date
    assert flags.loc["p6", "builtup"]  # completion on as_of counts
    assert not flags.loc["p7", "supplied"] and flags.loc["p8", "supplied"]
    assert flags.loc["p2", "industrial"] and flags.loc["p2", "land_use"] == "storage"


def test_as_of_earlier_moves_everything_back():
    parks, parcels = hand_park()
    row = evaluate_parks(parks, parcels, as_of="2019-12-31").table.iloc[0]
    # Supplied: p1 2 + p2 1 + p3 1; built-up: p1 + p2 (p3 completes 2020-06-30).
    assert row["supplied_ha"] == pytest.approx(4)
    assert row["builtup_ha"] == pytest.approx(3)
    # Window (2016-12-31, 2019-12-31]: p2 + p3.
    assert row["years_of_supply_left"] == pytest.approx((16 - 4) / (2 / 3))


def test_supply_window_on_feb_29():
    parks = pd.DataFrame({"park_id": ["F"], "developable_ha": [10.0], "supply_ready_ha": [5.0]})
    parcels = gpd.GeoDataFrame(
        {"park_id": ["F", "F"], "supply_date": pd.to_datetime(["2025-02-28", "2025-03-01"])},
        geometry=[ha_box(0, 1), ha_box(500, 1)], crs=4545,
    )
    row = evaluate_parks(parks, parcels, as_of="2028-02-29").table.iloc[0]
    # Window (2025-02-28, 2028-02-29]: only the 2025-03-01 parcel.
    assert row["recent_supplied_ha"] == pytest.approx(1)
    assert row["years_of_supply_left"] == pytest.approx(3 / (1 / 3))


@pytest.mark.parametrize(
    ("supply_ready_ha", "supply_date", "expected"),
    [(5.0, "2010-01-01", math.inf), (1.0, "2010-01-01", 0.0), (0.5, "2026-01-01", 0.0), (np.nan, "2026-01-01", np.nan)],
)
def test_years_of_supply_edges(supply_ready_ha, supply_date, expected):
    parks = pd.DataFrame({"park_id": ["Y"], "developable_ha": [10.0], "supply_ready_ha": [supply_ready_ha]})
    parcels = gpd.GeoDataFrame({"park_id": ["Y"], "supply_date": pd.to_datetime([supply_date])},
                               geometry=[ha_box(0, 1)], crs=4545)
    got = evaluate_parks(parks, parcels, as_of=AS_OF).table.iloc[0]["years_of_supply_left"]
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected


def test_far_industrial_double_count_is_a_setting():
    parks, parcels = hand_park()
    ev = evaluate_parks(parks, parcels, as_of=AS_OF, settings={"far_industrial_double_count_over_8m": True})
    assert ev.table.iloc[0]["far_industrial"] == pytest.approx((24000 + 6000 + 6000) / 30000)
    assert ev.table.iloc[0]["far_overall"] == pytest.approx(1.5)  # overall FAR unchanged


def test_unbuilt_basis_supply_ready():
    parks, parcels = hand_park()
    row = evaluate_parks(parks, parcels, as_of=AS_OF, settings={"unbuilt_basis": "supply_ready"}).table.iloc[0]
    assert row["unbuilt_ha"] == pytest.approx(16 - 5)
    assert row["unbuilt_share"] == pytest.approx(11 / 20)


def test_agricultural_tax_left_out_of_overall_tax():
    parks, parcels = hand_park()
    parcels.loc[5, "land_use"] = "耕地"  # p6: 50 万元 no longer 2nd/3rd-sector tax
    row = evaluate_parks(parks, parcels, as_of=AS_OF).table.iloc[0]
    assert row["tax_overall_wan_per_ha"] == pytest.approx(900 / 5)


def test_geographic_crs_gives_the_same_areas(hand):
    parks, parcels = hand_park()
    # Moved to Nanning (≈ 108.3°E, 22.8°N, zone 36 of EPSG:4545) so degrees are meaningful.
    parcels = parcels.set_geometry(parcels.translate(530_000, 2_520_000))
    ev = evaluate_parks(parks, parcels.to_crs(4490), as_of=AS_OF)
    for col in ("supplied_ha", "builtup_ha", "far_overall", "years_of_supply_left"):
        assert ev.table.iloc[0][col] == pytest.approx(hand.table.iloc[0][col], rel=1e-6)


def test_idle_disposal_rate_nan_without_idle_land():
    parks, parcels = hand_park()
    parcels["idle_status"] = "active"
    row = evaluate_parks(parks, parcels, as_of=AS_OF).table.iloc[0]
    assert row["idle_ha"] == 0
    assert math.isnan(row["idle_disposal_rate"])
    assert "idle_disposal_rate" in row["score_excluded"]
    assert {"code": "no_idle_land"} in row["notes"]


def test_idle_status_derived_when_absent():
    parks = pd.DataFrame({"park_id": ["I"], "developable_ha": [10.0], "supply_ready_ha": [5.0]})
    parcels = gpd.GeoDataFrame(
        {"park_id": ["I", "I"], "supply_date": pd.to_datetime(["2020-01-01", "2020-01-01"]),
         "agreed_start_date": pd.to_datetime(["2020-06-01", "2026-06-01"]),
         "actual_start_date": pd.to_datetime([NaT, "2026-05-01"])},
        geometry=[ha_box(0, 2), ha_box(500, 1)], crs=4545,
    )
    ev = evaluate_parks(parks, parcels, as_of=AS_OF)
    assert ev.parcels["idle"].tolist() == [True, False]  # > 1 year past agreed start, never started
    assert ev.table.iloc[0]["idle_ha"] == pytest.approx(2)
    assert {"code": "idle_status_derived", "as_of": AS_OF} in ev.notes


# --------------------------------------------------------------------------- traceability


def _consistent(ev) -> None:
    """Every figure equals the sums over the parcels ``parcels_behind`` lists."""
    for _, row in ev.table.iterrows():
        pid = row["park_id"]

        def part(fig, which="numerator", pid=pid):
            return parcels_behind(ev, pid, fig, part=which)

        if row["n_parcels"] == 0:
            continue
        assert row["supplied_ha"] == pytest.approx(part("supply_rate")["area_ha"].sum())
        assert row["builtup_ha"] == pytest.approx(part("builtup_rate")["area_ha"].sum())
        assert row["builtup_industrial_ha"] == pytest.approx(part("industrial_share")["area_ha"].sum())
        den = part("far_overall", "denominator")
        if len(den):
            assert row["far_overall"] == pytest.approx(den["floor_area_m2"].sum() / den["area_m2"].sum())
            assert row["building_density"] == pytest.approx(den["footprint_m2"].sum() / den["area_m2"].sum())
        ind = part("far_industrial")
        if len(ind):
            assert row["far_industrial"] == pytest.approx(ind["floor_area_m2"].sum() / ind["area_m2"].sum())
            assert row["building_coef_industrial"] == pytest.approx(ind["footprint_m2"].sum() / ind["area_m2"].sum())
            assert row["invest_wan_per_ha"] == pytest.approx(ind["investment_wan"].sum() / ind["area_ha"].sum())
            assert row["tax_industrial_wan_per_ha"] == pytest.approx(ind["tax_wan"].sum() / ind["area_ha"].sum())
        else:
            assert math.isnan(row["far_industrial"])
        tax = part("tax_overall_wan_per_ha")
        if len(den):
            assert row["tax_overall_wan_per_ha"] == pytest.approx(tax["tax_wan"].sum() / den["area_ha"].sum())
        idle = part("idle_disposal_rate", "denominator")
        assert row["idle_ha"] == pytest.approx(idle["area_ha"].sum())
        if len(idle):
            assert row["idle_disposal_rate"] == pytest.approx(
                part("idle_disposal_rate")["area_ha"].sum() / idle["area_ha"].sum())
        assert row["unbuilt_ha"] == pytest.approx(part("unbuilt_share")["area_ha"].sum())
        assert row["recent_supplied_ha"] == pytest.approx(
            part("years_of_supply_left", "denominator")["area_ha"].sum())
        assert len(part("development_rate")) == 0  # park attributes, no parcels


def test_figures_trace_to_parcels(hand):
    _consistent(hand)
    shown = parcels_behind(hand, "A", "industrial_share")
    assert sorted(shown["parcel_id"]) == ["p1", "p2"]
    assert sorted(parcels_behind(hand, "A", "idle_disposal_rate")["parcel_id"]) == ["p4"]


def test_figures_trace_to_parcels_on_random_parks():
    rng = np.random.default_rng(7)
    n = 300
    sides = rng.integers(20, 200, size=(n, 2)).astype(float)
    geoms = [box(i * 300.0, 0, i * 300.0 + w, h) for i, (w, h) in enumerate(sides)]
    supply = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 4400, n), unit="D")
    done = supply + pd.to_timedelta(rng.integers(100, 1500, n), unit="D")
    parcels = gpd.GeoDataFrame(
        {
            "park_id": rng.choice(["R1", "R2", "R3"], n),
            "land_use": rng.choice(["industrial", "storage", "commercial", "residential", "工业用地"], n),
            "supply_date": supply,
            "completion_date": done.where(rng.random(n) < 0.7),
            "floor_area_m2": rng.uniform(0, 40000, n),
            "footprint_m2": rng.uniform(0, 10000, n),
            "invested_wan": np.where(rng.random(n) < 0.5, rng.uniform(0, 9000, n), np.nan),
            "total_investment_wan": rng.uniform(0, 9000, n),
            "tax_wan": rng.uniform(0, 500, n),
            "idle_status": rng.choice(["active", "idle_fee", "idle_recover", "idle_exempt", "overdue"], n),
            "disposal_status": rng.choice(["fee_paid", "recovered", "extension_agreed", "hearing", None], n),
        },
        geometry=geoms, crs=4545,
    )
    parks = pd.DataFrame({"park_id": ["R1", "R2", "R3", "EMPTY"], "level": ["national", "regional", "regional", None],
                          "developable_ha": [300.0, 300, 300, 10], "supply_ready_ha": [250.0, 250, 250, 5]})
    ev = evaluate_parks(parks, parcels, as_of=AS_OF)
    _consistent(ev)
    assert ev.table["supplied_ha"].iloc[:3].sum() == pytest.approx(ev.parcels.loc[ev.parcels["supplied"], "area_ha"].sum())


def test_park_without_parcels_gives_nan_rates_not_a_crash(hand):
    parks, parcels = hand_park()
    parks = pd.concat([parks, pd.DataFrame({"park_id": ["Z"], "level": ["regional"], "developable_ha": [5.0],
                                            "supply_ready_ha": [4.0]})], ignore_index=True)
    ev = evaluate_parks(parks, parcels, as_of=AS_OF)
    z = ev.table.set_index("park_id").loc["Z"]
    assert z["n_parcels"] == 0
    for ind in INDICATORS:
        if ind != "development_rate":  # from the park's attributes alone
            assert math.isnan(z[ind]), ind
    assert z["development_rate"] == pytest.approx(0.8)
    assert math.isnan(z["score"]) and pd.isna(z["rank"])
    assert {"code": "no_parcels"} in z["notes"]
    assert ev.table.set_index("park_id").loc["A", "rank"] == 1


def test_empty_parcels_frame():
    parks, parcels = hand_park()
    ev = evaluate_parks(parks, parcels.iloc[0:0], as_of=AS_OF)
    assert math.isnan(ev.table.iloc[0]["supply_rate"])


def test_parcels_of_unknown_parks_are_reported():
    parks, parcels = hand_park()
    parcels.loc[0, "park_id"] = "NOPE"
    ev = evaluate_parks(parks, parcels, as_of=AS_OF)
    assert ev.table.iloc[0]["n_parcels"] == 7
    assert ev.notes[0] == {"code": "parcels_outside_parks", "n": 1, "park_ids": ["NOPE"]}


# --------------------------------------------------------------------------- settings & output


def test_defaults_are_complete_and_sum_to_100():
    s = evaluation_settings()
    for ptype in ("industry_led", "mixed"):
        assert sum(s["park_types"][ptype]["weights"].values()) == pytest.approx(100)
    assert s["reverse_indicators"] == ["unbuilt_share"]  # from the indicator specification
    for ind in INDICATORS:
        assert s["park_types"]["industry_led"]["ideals"][ind] > 0


def test_national_reference_scores_near_published_mean():
    ref = national_reference().iloc[0]
    # Calibration of the defaults: a park at the 2019 national averages scores ~60.
    assert 55 <= ref["score"] <= 70
    assert abs(ref["score"] - ref["published_score"]) < 2
    assert ref["std_development_rate"] == pytest.approx(89.46)


@pytest.mark.parametrize(
    "bad",
    [
        {"park_types": {"mixed": {"weights": {"far_overall": -1, "supply_rate": 2}}}},
        {"park_types": {"mixed": {"weights": {"far_overall": 1}, "ideals": {"far_overall": 0}}}},
        {"park_types": {"mixed": {"weights": {"no_such_indicator": 1}}}},
        {"missing_indicator": "guess"},
    ],
)
def test_bad_settings_are_refused(bad):
    with pytest.raises(EvaluationError) as err:
        evaluation_settings(bad)
    assert err.value.code in EVALUATION_ERROR_CODES and err.value.code.startswith("eval_")
    assert "key" in err.value.params  # names the setting as the user's file writes it


def test_parcels_without_supply_date_are_refused():
    parks, parcels = hand_park()
    with pytest.raises(EvaluationError) as err:
        evaluate_parks(parks, parcels.drop(columns="supply_date"), as_of=AS_OF)
    assert err.value.item == {"code": "eval_parcels_no_supply_date"}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson"])
def test_write_one_row_per_park(tmp_path, suffix):
    parks, parcels = hand_park()
    parks = gpd.GeoDataFrame(parks, geometry=[box(-100, -100, 2000, 200)], crs=4545)
    ev = evaluate_parks(parks, parcels, as_of=AS_OF)
    path = write_evaluation(ev, tmp_path / f"out{suffix}")
    if suffix == ".csv":
        back = pd.read_csv(path, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        back = pd.read_excel(path, sheet_name="evaluation")
        assert "park_types.industry_led.weights.far_industrial" in set(
            pd.read_excel(path, sheet_name="settings")["key"])
    else:
        back = gpd.read_file(path)
    assert len(back) == 1
    assert back["score"].iloc[0] == pytest.approx(ev.table["score"].iloc[0])
    used = back["settings_used"].iloc[0]
    used = json.loads(used) if isinstance(used, str) else used  # GDAL reads a JSON string back as an object
    assert used["park_type"] == "industry_led"


def test_attribute_table_with_area_column_instead_of_geometry(hand):
    parks, parcels = hand_park()
    table = pd.DataFrame(parcels.drop(columns="geometry")).assign(area_m2=parcels.area.to_numpy())
    row = evaluate_parks(parks, table, as_of=AS_OF).table.iloc[0]
    for col in ("supplied_ha", "builtup_ha", "far_industrial", "score"):
        assert row[col] == pytest.approx(hand.table.iloc[0][col])


def test_breakdown_adds_up_to_the_score(hand):
    row = hand.table.iloc[0]
    b = hand.park_breakdown(row["park_id"])
    assert list(b["indicator"]) == list(INDICATORS)
    assert b["contribution"].sum() == pytest.approx(row["score"])
    by = b.set_index("indicator")
    for ind in INDICATORS:
        assert by.loc[ind, "std"] == pytest.approx(row[f"std_{ind}"], nan_ok=True)
    # The numerator and denominator come from the indicator specification's columns.
    assert by.loc["far_industrial", "numerator"] == pytest.approx(row["floor_area_industrial_m2"])
    assert by.loc["far_industrial", "denominator"] == pytest.approx(row["builtup_industrial_ha"])
    scored = by[by["status"] == "scored"]
    assert scored["weight"].sum() == pytest.approx(scored["weight_scored"].iloc[0])


def test_chinese_table_for_people(hand):
    from reports.evaluation_tables import export_tables

    back = export_tables(hand, list(hand.table["park_id"]), lang="zh")["evaluation"]
    assert {"园区名称", "土地开发率", "工业用地综合容积率", "得分", "排名", "说明"} <= set(back.columns)
    assert back["土地供应率"].iloc[0] == pytest.approx(9 / 16)
    assert not back["说明"].astype(str).str.contains("code").any()


def test_codes_file_for_machines(tmp_path, hand):
    back = pd.read_csv(write_evaluation(hand, tmp_path / "codes.csv"), encoding="utf-8-sig")
    assert {"park_id", "development_rate", "score", "notes"} <= set(back.columns)
