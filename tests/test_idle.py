"""
Idle-land rules (《闲置土地处置办法》, order No. 53): every status and boundary.

Parcels are ``shapely.box`` squares in EPSG:4545 with round numbers; the area due
for development is the box area, so shares are arithmetic (a 300 m × 100 m box
is 30 000 m²; 10 000 m² developed is exactly one third).
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import box

from geo.crs import area_m2, m2_to_mu
from geo.idle import (
    ARTICLE_CODES,
    EXPLANATION_CODES,
    IDLE_OUTPUT_COLUMNS,
    IDLE_STATUSES,
    add_months,
    classify_idle,
    explain_idle,
    invalid_delay_causes,
    summarize_idle,
)
from geo.rules import RulesError, load_rules
from geo.vocab import DELAY_CAUSES

T = pd.Timestamp
EXEMPT = DELAY_CAUSES


def parcels(*rows: dict, width_m: float = 100.0, height_m: float = 100.0) -> gpd.GeoDataFrame:
    """One box parcel per dict, side by side, in EPSG:4545 (metres)."""
    geoms = [box(i * 1000.0, 0.0, i * 1000.0 + width_m, height_m) for i in range(len(rows))]
    return gpd.GeoDataFrame(pd.DataFrame(list(rows), index=range(len(rows))), geometry=geoms, crs=4545)


def one(as_of, rules=None, **fields) -> pd.Series:
    return classify_idle(parcels(fields), as_of=as_of, rules=rules).iloc[0]


def stalled_parcel(**over) -> dict:
    """Started, halted 2024-03-01, 1/5 developed of a 100 × 100 box, half invested."""
    base = {
        "agreed_start_date": "2022-01-01",
        "actual_start_date": "2022-06-01",
        "halted_since": "2024-03-01",
        "area_due_m2": 10_000.0,
        "developed_area_m2": 2_000.0,
        "total_investment_wan": 1_000.0,
        "invested_wan": 500.0,
        "land_price_wan": 300.0,
    }
    base.update(over)
    return base


# --------------------------------------------------------------------------- kind A: not started


def test_not_due_before_agreed_start():
    r = one("2025-02-28", agreed_start_date="2025-03-01")
    assert r["idle_status"] == "not_due"
    assert r["idle_kind"] == "not_started"
    assert r["clock_start"] == T("2025-03-01")
    assert pd.isna(r["idle_days"])
    assert r["next_threshold_date"] == T("2025-03-01")
    assert pd.isna(r["idle_since"])
    assert not r["warning"]
    assert r["missing_fields"] == ""


def test_on_agreed_start_date_is_overdue_with_zero_days():
    r = one("2025-03-01", agreed_start_date="2025-03-01")
    assert r["idle_status"] == "overdue"
    assert r["idle_days"] == 0
    assert r["next_threshold_date"] == T("2026-03-01")
    assert pd.isna(r["fee_wan"])


@pytest.mark.parametrize(
    ("as_of", "status", "days"),
    [
        ("2025-02-28", "overdue", 364),  # day before the anniversary
        ("2025-03-01", "idle_fee", 365),  # on it: the year is complete
        ("2025-03-02", "idle_fee", 366),  # day after
    ],
)
def test_one_year_anniversary(as_of, status, days):
    r = one(as_of, agreed_start_date="2024-03-01", land_price_wan=1000.0)
    assert r["idle_status"] == status
    assert r["idle_days"] == days
    if status == "idle_fee":
        assert r["idle_since"] == T("2025-03-01")
        assert r["next_threshold_date"] == T("2026-03-01")
        assert r["fee_wan"] == pytest.approx(200.0)
    else:
        assert pd.isna(r["idle_since"])
        assert r["next_threshold_date"] == T("2025-03-01")


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2026-02-28", "idle_fee"), ("2026-03-01", "idle_recover"), ("2026-03-02", "idle_recover")],
)
def test_two_year_anniversary(as_of, status):
    r = one(as_of, agreed_start_date="2024-03-01", land_price_wan=1000.0)
    assert r["idle_status"] == status
    assert r["idle_since"] == T("2025-03-01")
    if status == "idle_recover":
        assert pd.isna(r["fee_wan"])  # recovery, not a fee
        assert pd.isna(r["next_threshold_date"])


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        ("2025-02-27", "overdue"),
        ("2025-02-28", "idle_fee"),  # 2024-02-29 + 1 year: no Feb 29 → last day of February
        ("2026-02-27", "idle_fee"),
        ("2026-02-28", "idle_recover"),
    ],
)
def test_feb_29_start_becomes_idle_on_feb_28(as_of, status):
    r = one(as_of, agreed_start_date="2024-02-29")
    assert r["idle_status"] == status
    if status != "overdue":
        assert r["idle_since"] == T("2025-02-28")


@pytest.mark.parametrize(
    ("start", "as_of", "status"),
    [
        ("2023-02-28", "2024-02-27", "overdue"),
        ("2023-02-28", "2024-02-28", "idle_fee"),  # not Feb 29 in the leap year
        ("2023-03-01", "2024-02-29", "overdue"),  # crossing Feb 29: 366 days and still < 1 year
        ("2023-03-01", "2024-03-01", "idle_fee"),
    ],
)
def test_non_leap_starts(start, as_of, status):
    assert one(as_of, agreed_start_date=start)["idle_status"] == status


def test_idle_days_example_from_issue():
    r = one("2026-06-30", agreed_start_date="2025-06-30")
    assert r["idle_days"] == 365
    assert r["idle_status"] == "idle_fee"


def test_fee_is_20_percent_of_land_price():
    r = one("2025-06-01", agreed_start_date="2024-01-01", land_price_wan=1234.5)
    assert r["idle_status"] == "idle_fee"
    assert r["fee_wan"] == pytest.approx(246.9)
    assert r["missing_fields"] == ""


def test_fee_without_land_price_is_nan_and_reported():
    r = one("2025-06-01", agreed_start_date="2024-01-01")
    assert r["idle_status"] == "idle_fee"
    assert np.isnan(r["fee_wan"])
    assert r["missing_fields"] == "land_price_wan"


def test_future_actual_start_counts_as_not_started():
    # Started 2025-09-01; as of 2025-06-01 that has not happened: idle since 2025-01-01.
    fields = {"agreed_start_date": "2024-01-01", "actual_start_date": "2025-09-01", "land_price_wan": 100.0}
    assert one("2025-06-01", **fields)["idle_status"] == "idle_fee"
    assert one("2025-09-01", **fields)["idle_status"] == "active"


def test_started_parcel_without_halt_is_active():
    r = one("2030-01-01", agreed_start_date="2020-01-01", actual_start_date="2020-06-01")
    assert r["idle_status"] == "active"
    assert pd.isna(r["idle_kind"])
    assert pd.isna(r["clock_start"])
    assert pd.isna(r["idle_days"])
    assert r["missing_fields"] == ""


# --------------------------------------------------------------------------- completion


def test_completed_wins_over_everything():
    f = stalled_parcel(completion_date="2025-06-01")
    assert one("2025-06-01", **f)["idle_status"] == "completed"  # completed on as_of itself
    assert one("2026-06-01", **f)["idle_status"] == "completed"
    r = one("2024-06-01", agreed_start_date="2020-01-01", completion_date="2024-06-01")
    assert r["idle_status"] == "completed"
    assert pd.isna(r["clock_start"]) and pd.isna(r["idle_days"]) and np.isnan(r["fee_wan"])


def test_completion_after_as_of_has_not_happened():
    f = stalled_parcel(completion_date="2025-06-01")
    assert one("2025-05-31", **f)["idle_status"] == "idle_fee"  # halted 2024-03-01 → idle 2025-03-01


# --------------------------------------------------------------------------- kind B: stalled


@pytest.mark.parametrize(
    ("as_of", "status", "days"),
    [
        ("2025-02-28", "stalled", 364),
        ("2025-03-01", "idle_fee", 365),
        ("2026-02-28", "idle_fee", 729),
        ("2026-03-01", "idle_recover", 730),
    ],
)
def test_stalled_clock_runs_from_halt(as_of, status, days):
    r = one(as_of, **stalled_parcel())
    assert r["idle_status"] == status
    assert r["idle_kind"] == "stalled"
    assert r["clock_start"] == T("2024-03-01")
    assert r["idle_days"] == days
    if status == "idle_fee":
        assert r["fee_wan"] == pytest.approx(60.0)


def test_stalled_next_threshold_is_one_year_mark():
    r = one("2024-09-01", **stalled_parcel())
    assert r["idle_status"] == "stalled"
    assert r["next_threshold_date"] == T("2025-03-01")


def test_exactly_one_third_developed_is_not_below():
    # 300 m × 100 m box: 30 000 m² due, 10 000 m² developed is exactly 1/3.
    gdf = parcels(
        stalled_parcel(developed_area_m2=10_000.0),
        stalled_parcel(developed_area_m2=9_999.0),
        width_m=300.0,
    )
    gdf["area_due_m2"] = area_m2(gdf)
    assert gdf["area_due_m2"].tolist() == [30_000.0, 30_000.0]
    r = classify_idle(gdf, as_of="2025-06-01")
    assert r["idle_status"].tolist() == ["active", "idle_fee"]


def test_exactly_25_percent_invested_is_not_below():
    rows = [
        stalled_parcel(developed_area_m2=5_000.0, invested_wan=250.0),
        stalled_parcel(developed_area_m2=5_000.0, invested_wan=249.99),
    ]
    r = classify_idle(parcels(*rows), as_of="2025-06-01")
    assert r["idle_status"].tolist() == ["active", "idle_fee"]


def test_low_investment_alone_makes_stalled():
    r = one("2024-06-01", **stalled_parcel(developed_area_m2=9_000.0, invested_wan=100.0))
    assert r["idle_status"] == "stalled"


def test_halt_after_as_of_is_not_halted():
    assert one("2024-02-29", **stalled_parcel())["idle_status"] == "active"
    assert one("2024-03-01", **stalled_parcel())["idle_status"] == "stalled"


def test_halt_date_implies_start():
    r = one("2025-06-01", **stalled_parcel(actual_start_date=None))
    assert r["idle_status"] == "idle_fee"
    assert r["idle_kind"] == "stalled"


def test_one_share_missing_but_other_low_is_stalled():
    r = one("2024-06-01", **stalled_parcel(invested_wan=None))
    assert r["idle_status"] == "stalled"
    assert r["missing_fields"] == ""


def test_one_share_missing_and_other_ok_is_unknown():
    r = one("2024-06-01", **stalled_parcel(developed_area_m2=5_000.0, invested_wan=None))
    assert r["idle_status"] == "unknown"
    assert r["missing_fields"] == "invested_wan"
    assert pd.isna(r["idle_kind"]) and pd.isna(r["idle_days"]) and not r["warning"]


def test_zero_area_due_cannot_give_a_share():
    r = one("2024-06-01", **stalled_parcel(area_due_m2=0.0, invested_wan=500.0))
    assert r["idle_status"] == "unknown"
    assert r["missing_fields"] == "area_due_m2"


# --------------------------------------------------------------------------- exemptions


@pytest.mark.parametrize("cause", EXEMPT)
def test_each_government_cause_is_exempt(cause):
    fields = {"agreed_start_date": "2022-01-01", "land_price_wan": 500.0, "delay_cause": cause}
    for as_of in ("2023-01-01", "2025-01-01"):  # 1 year and 3 years idle
        r = one(as_of, **fields)
        assert r["idle_status"] == "idle_exempt"
        assert np.isnan(r["fee_wan"])
        assert pd.isna(r["next_threshold_date"])
        assert r["idle_since"] == T("2023-01-01")
    assert one("2022-12-31", **fields)["idle_status"] == "overdue"  # cause matters only once idle


@pytest.mark.parametrize("cause", EXEMPT)
def test_each_government_cause_is_exempt_for_stalled(cause):
    assert one("2026-06-01", **stalled_parcel(delay_cause=cause))["idle_status"] == "idle_exempt"


def test_chinese_cause_labels_are_accepted():
    r = one("2025-01-01", agreed_start_date="2022-01-01", delay_cause="不可抗力")
    assert r["idle_status"] == "idle_exempt"


def test_unknown_cause_is_holders_and_flagged():
    gdf = parcels(
        {"agreed_start_date": "2022-01-01", "delay_cause": "holder_fault"},
        {"agreed_start_date": "2022-01-01", "delay_cause": " Plan-Revised "},
        {"agreed_start_date": "2022-01-01", "delay_cause": ""},
        {"agreed_start_date": "2022-01-01", "delay_cause": None},
    )
    r = classify_idle(gdf, as_of="2023-06-01")
    assert r["idle_status"].tolist() == ["idle_fee", "idle_exempt", "idle_fee", "idle_fee"]
    assert invalid_delay_causes(gdf).tolist() == [True, False, False, False]
    assert not invalid_delay_causes(parcels({"agreed_start_date": "2022-01-01"})).any()


def test_exempt_list_comes_from_rules():
    rules = {"exempt_causes": {"value": ["land_not_delivered"]}}
    assert one("2025-01-01", rules, agreed_start_date="2022-01-01", delay_cause="petition")[
        "idle_status"
    ] == ("idle_recover")


def test_bad_rules_are_refused():
    with pytest.raises(RulesError) as err:
        one("2025-01-01", {"exempt_causes": {"value": ["plan_revisd"]}}, agreed_start_date="2022-01-01")
    assert err.value.code == "rule_unknown_delay_causes" and err.value.params["values"] == ["plan_revisd"]
    with pytest.raises(RulesError) as err:
        one("2025-01-01", {"developed_share_min": "a third"}, agreed_start_date="2022-01-01")
    assert err.value.item == {"code": "rule_not_fraction", "rule_set": "idle", "key": "developed_share_min",
                              "value": "a third"}
    with pytest.raises(RulesError) as err:
        one("2025-01-01", {"idle_after_years": "one"}, agreed_start_date="2022-01-01")
    assert (err.value.code, err.value.params["key"]) == ("rule_not_years", "idle_after_years")
    with pytest.raises(RulesError) as err:
        one("2025-01-01", {"developed_share_min": 1.5}, agreed_start_date="2022-01-01")
    assert err.value.code == "rule_share_out_of_range"
    with pytest.raises(RulesError) as err:
        one("2025-01-01", {"warning_days": "soon"}, agreed_start_date="2022-01-01")
    assert (err.value.code, err.value.params["key"]) == ("rule_not_number", "warning_days")


# --------------------------------------------------------------------------- missing data


def test_frame_without_any_rule_column_is_unknown():
    gdf = parcels({"parcel_id": "A"}, {"parcel_id": "B"})
    r = classify_idle(gdf, as_of="2025-01-01")
    assert r["idle_status"].tolist() == ["unknown", "unknown"]
    assert r["missing_fields"].tolist() == ["agreed_start_date", "agreed_start_date"]


def test_frame_with_only_agreed_start():
    df = pd.DataFrame({"agreed_start_date": ["2024-01-01", "2026-01-01"]})
    assert classify_idle(df, as_of="2025-06-01")["idle_status"].tolist() == ["idle_fee", "not_due"]


def test_halted_parcel_without_share_columns_lists_all_four():
    df = pd.DataFrame({"actual_start_date": ["2020-01-01"], "halted_since": ["2021-01-01"]})
    r = classify_idle(df, as_of="2025-01-01").iloc[0]
    assert r["idle_status"] == "unknown"
    assert r["missing_fields"] == "area_due_m2,developed_area_m2,total_investment_wan,invested_wan"


@pytest.mark.parametrize("blank", [None, np.nan, "", "  ", pd.NaT])
def test_blank_agreed_start_is_unknown(blank):
    df = pd.DataFrame(
        {"agreed_start_date": pd.Series([blank, "2024-01-01"], dtype=object), "land_price_wan": 1.0}
    )
    r = classify_idle(df, as_of="2025-06-01")
    assert r["idle_status"].tolist() == ["unknown", "idle_fee"]
    assert r["missing_fields"].tolist() == ["agreed_start_date", ""]


def test_unreadable_dates_are_reported_not_guessed():
    df = pd.DataFrame(
        {
            "agreed_start_date": ["2020-01-01", "2020-01-01", "not a date"],
            "actual_start_date": ["31/31/2021", None, None],
            "completion_date": [None, "soon", None],
        }
    )
    r = classify_idle(df, as_of="2025-01-01")
    assert r["idle_status"].tolist() == ["unknown", "unknown", "unknown"]
    assert r["missing_fields"].tolist() == ["actual_start_date", "completion_date", "agreed_start_date"]


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-01",
        "2024/3/1",
        "2024.03.01",
        "2024年3月1日",
        dt.date(2024, 3, 1),
        dt.datetime(2024, 3, 1, 15, 30),
        T("2024-03-01 08:00"),
        T("2024-03-01", tz="Asia/Shanghai"),
        np.datetime64("2024-03-01"),
    ],
)
def test_date_formats_are_coerced(value):
    r = classify_idle(pd.DataFrame({"agreed_start_date": [value]}), as_of="2025-03-01").iloc[0]
    assert r["idle_status"] == "idle_fee"
    assert r["clock_start"] == T("2024-03-01")


def test_datetime64_columns_of_any_unit():
    for unit in ("ns", "us", "s"):
        col = pd.Series(pd.to_datetime(["2024-03-01", None])).astype(f"datetime64[{unit}]")
        r = classify_idle(pd.DataFrame({"agreed_start_date": col}), as_of="2025-02-28")
        assert r["idle_status"].tolist() == ["overdue", "unknown"]
        assert r["idle_days"].tolist() == [364, pd.NA]


def test_numbers_as_text_are_coerced():
    df = pd.DataFrame([stalled_parcel()]).astype(str)
    assert classify_idle(df, as_of="2025-06-01")["idle_status"].tolist() == ["idle_fee"]


# --------------------------------------------------------------------------- warning


@pytest.mark.parametrize(
    ("as_of", "warn"),
    [
        ("2025-11-30", False),  # 91 days before the 1-year mark 2026-03-01
        ("2025-12-01", True),  # exactly 90 days before it
        ("2026-02-28", True),
        ("2026-03-01", False),  # idle now: warnings are for the run-up only
    ],
)
def test_warning_window_default(as_of, warn):
    r = one(as_of, agreed_start_date="2025-03-01")
    assert bool(r["warning"]) is warn


def test_warning_window_boundary_90_days():
    # One-year mark 2026-03-01; 90 days before it is 2025-12-01 (Dec 31 + Jan 31 + Feb 28 = 90).
    assert (T("2026-03-01") - T("2025-12-01")).days == 90
    assert bool(one("2025-12-01", agreed_start_date="2025-03-01")["warning"]) is True
    assert bool(one("2025-11-30", agreed_start_date="2025-03-01")["warning"]) is False


def test_warning_for_stalled_and_override():
    assert bool(one("2025-01-01", **stalled_parcel())["warning"]) is True  # 59 days to 2025-03-01
    rules = {"warning_days": {"value": 30}}
    assert bool(one("2025-01-01", rules, **stalled_parcel())["warning"]) is False


def test_not_due_never_warns():
    assert bool(one("2025-02-28", agreed_start_date="2025-03-01")["warning"]) is False


# --------------------------------------------------------------------------- shape and types


def test_empty_frame():
    r = classify_idle(pd.DataFrame(), as_of="2025-01-01")
    assert list(r.columns) == list(IDLE_OUTPUT_COLUMNS)
    assert len(r) == 0
    assert r["idle_days"].dtype == "Int64"
    assert r["warning"].dtype == bool


def test_output_types_and_index_alignment():
    gdf = parcels(
        {"agreed_start_date": "2024-01-01", "land_price_wan": 10.0},
        {"agreed_start_date": "2030-01-01"},
        {"agreed_start_date": None},
    )
    gdf.index = pd.Index(["z", "a", "m"], name="parcel_id")
    r = classify_idle(gdf, as_of="2025-06-01")
    assert r.index.equals(gdf.index)
    assert list(r.columns) == list(IDLE_OUTPUT_COLUMNS)
    assert r.loc["z", "idle_status"] == "idle_fee" and r.loc["a", "idle_status"] == "not_due"
    assert isinstance(r.loc["m", "idle_status"], str)
    assert pd.api.types.is_string_dtype(r["idle_status"])
    assert r["idle_days"].dtype == "Int64"
    for col in ("clock_start", "idle_since", "next_threshold_date"):
        assert pd.api.types.is_datetime64_dtype(r[col])
    assert r["fee_wan"].dtype == float
    assert r["warning"].dtype == bool
    assert r["missing_fields"].tolist() == ["", "", "agreed_start_date"]


def test_as_of_is_required():
    with pytest.raises(ValueError, match="as_of"):
        classify_idle(pd.DataFrame({"agreed_start_date": ["2024-01-01"]}), as_of=None)
    with pytest.raises(ValueError, match="not a date"):
        classify_idle(pd.DataFrame({"agreed_start_date": ["2024-01-01"]}), as_of="yesterday-ish")


def test_rules_override_changes_thresholds():
    rules = load_rules("idle", {"idle_after_years": {"value": 2}, "recover_after_years": {"value": 3}})
    r = one("2025-06-01", rules, agreed_start_date="2024-01-01")
    assert r["idle_status"] == "overdue"
    assert r["next_threshold_date"] == T("2026-01-01")
    assert one(
        "2025-06-01", {"fee_share_of_price": 0.1}, agreed_start_date="2024-01-01", land_price_wan=100.0
    )["fee_wan"] == pytest.approx(10.0)


def test_every_status_reached_in_one_frame():
    gdf = parcels(
        {"agreed_start_date": "2026-01-01"},
        {"agreed_start_date": "2025-03-01"},
        stalled_parcel(halted_since="2025-01-01"),
        {"agreed_start_date": "2024-03-01", "land_price_wan": 50.0},
        {"agreed_start_date": "2023-03-01"},
        {"agreed_start_date": "2023-03-01", "delay_cause": "petition"},
        {"agreed_start_date": "2023-03-01", "actual_start_date": "2023-05-01"},
        {"agreed_start_date": "2023-03-01", "completion_date": "2025-01-01"},
        {},
    )
    r = classify_idle(gdf, as_of="2025-06-01")
    assert tuple(r["idle_status"]) == IDLE_STATUSES
    assert r["fee_wan"].fillna(-1).tolist() == [-1, -1, -1, 10.0, -1, -1, -1, -1, -1]


# --------------------------------------------------------------------------- calendar oracle


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
    months=st.integers(min_value=0, max_value=60),
)
def test_add_months_matches_pandas_dateoffset(day, months):
    # Outside oracle: pandas' own DateOffset (clips to month end like Civil Code art. 202).
    ours = add_months(np.array([np.datetime64(day, "D")]), months)[0]
    assert T(ours) == T(day) + pd.DateOffset(months=months)


# --------------------------------------------------------------------------- properties

SEVERITY = {"not_due": 0, "overdue": 1, "idle_fee": 2, "idle_exempt": 2, "idle_recover": 3}


@settings(max_examples=100, deadline=None)
@given(
    start=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)),
    cause=st.sampled_from(["", *EXEMPT, "unknown_code"]),
    offsets=st.lists(st.integers(min_value=-800, max_value=2000), min_size=2, max_size=12),
)
def test_not_started_clock_and_severity_are_monotone(start, cause, offsets):
    as_ofs = sorted(T(start) + pd.Timedelta(days=o) for o in offsets)
    df = pd.DataFrame({"agreed_start_date": [start] * len(as_ofs), "delay_cause": cause})
    rows = [classify_idle(df.iloc[[i]], as_of=a).iloc[0] for i, a in enumerate(as_ofs)]
    days = [-1 if pd.isna(r["idle_days"]) else int(r["idle_days"]) for r in rows]
    assert days == sorted(days)
    ranks = [SEVERITY[r["idle_status"]] for r in rows]
    assert ranks == sorted(ranks)
    for a, r in zip(as_ofs, rows, strict=True):
        if not pd.isna(r["idle_days"]):
            assert r["idle_days"] == (a - T(start)).days


@settings(max_examples=60, deadline=None)
@given(
    halt=st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2026, 12, 31)),
    developed=st.integers(min_value=0, max_value=10_000),
    offsets=st.lists(st.integers(min_value=-400, max_value=1500), min_size=2, max_size=10),
)
def test_stalled_clock_is_monotone(halt, developed, offsets):
    f = stalled_parcel(
        halted_since=str(halt), actual_start_date="2017-01-01", developed_area_m2=float(developed)
    )
    df = pd.DataFrame([f])
    days = []
    for a in sorted(T(halt) + pd.Timedelta(days=o) for o in offsets):
        r = classify_idle(df, as_of=a).iloc[0]
        days.append(-1 if pd.isna(r["idle_days"]) else int(r["idle_days"]))
    assert days == sorted(days)


# --------------------------------------------------------------------------- explanation


def codes(items: list[dict]) -> list[str]:
    return [i["code"] for i in items]


def item(items: list[dict], code: str) -> dict:
    return next(i for i in items if i["code"] == code)


def test_explain_idle_fee_gives_clock_article_and_fee_arithmetic():
    row = {"parcel_id": "GX-1", "agreed_start_date": "2021-03-01", "land_price_wan": 800.0}
    items = explain_idle(row, as_of="2022-11-01")
    assert codes(items) == [
        "explain_overdue_clock", "explain_idle_not_started", "explain_cause_not_recorded", "explain_fee",
        "explain_recover_next", "explain_hearing",
    ]
    clock = item(items, "explain_overdue_clock")
    assert clock["agreed"] == dt.date(2021, 3, 1) and clock["as_of"] == dt.date(2022, 11, 1)
    assert clock["elapsed"] == {"code": "explain_duration_years_months", "years": 1, "months": 8}
    idle = item(items, "explain_idle_not_started")
    assert idle["idle_since"] == dt.date(2022, 3, 1) and idle["article"] == "art2_1" and idle["years"] == 1
    fee = item(items, "explain_fee")
    assert fee == {"code": "explain_fee", "price_wan": 800.0, "fee_share": 0.2, "fee_wan": 160.0, "article": "art14_1"}
    assert item(items, "explain_recover_next")["recover_mark"] == dt.date(2023, 3, 1)
    assert item(items, "explain_hearing")["article"] == "art15"


def test_explain_other_statuses_in_codes():
    exempt = explain_idle({"agreed_start_date": "2021-03-01", "delay_cause": "plan_revised"}, as_of="2024-01-01")
    assert item(exempt, "explain_exempt") == {"code": "explain_exempt", "cause": "plan_revised", "article": "art8"}
    assert "explain_fee" not in codes(exempt) and "explain_hearing" not in codes(exempt)
    recover = explain_idle({"agreed_start_date": "2021-03-01"}, as_of="2023-03-01")
    rec = item(recover, "explain_recover")
    assert rec["years"] == 2 and rec["clock"] == "not_started" and rec["article"] == "art14_2"
    stalled = explain_idle(stalled_parcel(), as_of="2025-01-01")
    assert codes(stalled) == [
        "explain_halted_clock", "explain_developed_share_low", "explain_stalled_before_mark", "explain_warning",
    ]
    assert item(stalled, "explain_developed_share_low")["share"] == pytest.approx(0.2)
    assert item(stalled, "explain_stalled_before_mark")["idle_mark"] == dt.date(2025, 3, 1)
    assert item(stalled, "explain_warning")["days_left"] == 59
    unknown = explain_idle({"parcel_id": "X"}, as_of="2025-01-01")
    assert unknown == [{"code": "explain_missing_inputs", "as_of": dt.date(2025, 1, 1),
                        "columns": ["agreed_start_date"], "article": "art2"}]  # fmt: skip
    done = explain_idle({"completion_date": "2020-01-01"}, as_of="2025-01-01")
    assert codes(done) == ["explain_completed"] and done[0]["done"] == dt.date(2020, 1, 1)
    not_due = explain_idle({"agreed_start_date": "2026-01-01"}, as_of="2025-12-17")
    assert not_due == [{"code": "explain_not_due", "agreed": dt.date(2026, 1, 1), "as_of": dt.date(2025, 12, 17),
                        "days_left": 15, "years": 1, "article": "art2_1"}]  # fmt: skip
    bad_cause = explain_idle({"agreed_start_date": "2021-03-01", "delay_cause": " 天气 "}, as_of="2022-11-01")
    assert item(bad_cause, "explain_cause_unrecognised")["value"] == "天气"
    no_price = explain_idle({"agreed_start_date": "2021-03-01"}, as_of="2022-11-01")
    assert "explain_fee_no_price" in codes(no_price)
    active = explain_idle(stalled_parcel(developed_area_m2=5_000.0, invested_wan=500.0), as_of="2025-06-01")
    assert codes(active) == ["explain_active_halted"]


def test_explain_emits_only_listed_codes():
    rows = [
        ({"agreed_start_date": "2021-03-01", "land_price_wan": 800.0}, "2022-11-01"),
        ({"agreed_start_date": "2021-03-01"}, "2023-03-01"),
        ({"agreed_start_date": "2021-03-01", "delay_cause": "petition"}, "2023-03-01"),
        ({"agreed_start_date": "2024-06-01"}, "2024-06-15"),
        (stalled_parcel(), "2025-06-01"),
        ({"actual_start_date": "2020-01-01"}, "2025-01-01"),
    ]
    for row, as_of in rows:
        for it in explain_idle(row, as_of=as_of):
            assert it["code"] in EXPLANATION_CODES
            assert it.get("article", "art2") in ARTICLE_CODES
            if "elapsed" in it:
                assert it["elapsed"]["code"] in EXPLANATION_CODES
            assert not any(isinstance(v, str) and any("\u4e00" <= ch <= "\u9fff" for ch in v)
                           for k, v in it.items() if k != "value")  # geo writes no Chinese


def test_explain_recomputes_for_its_own_as_of():
    row = {"agreed_start_date": "2024-01-01", "idle_status": "completed", "fee_wan": 1.0}
    assert "explain_overdue_before_mark" in codes(explain_idle(row, as_of="2024-06-01"))


def test_explain_accepts_a_dataframe_row():
    gdf = parcels(stalled_parcel(), stalled_parcel(delay_cause="force_majeure"))
    assert "explain_fee" in codes(explain_idle(gdf.iloc[0], as_of="2025-06-01"))
    assert "explain_exempt" in codes(explain_idle(gdf.iloc[1], as_of="2025-06-01"))


# --------------------------------------------------------------------------- summary and labels


def test_summarize_counts_areas_and_fees():
    gdf = parcels(
        {"agreed_start_date": "2024-01-01", "land_price_wan": 100.0},
        {"agreed_start_date": "2024-01-01", "land_price_wan": 50.0},
        {"agreed_start_date": "2030-01-01"},
        width_m=150.0,
    )  # each box is 15 000 m² = 22.5 亩
    idle = classify_idle(gdf, as_of="2025-06-01")
    out = summarize_idle(idle["idle_status"], m2_to_mu(area_m2(gdf)), idle["fee_wan"])
    assert list(out.index) == [*IDLE_STATUSES, "total"]
    assert list(out.columns) == ["count", "area_mu", "fee_wan"]
    assert out.loc["idle_fee", "count"] == 2
    assert out.loc["idle_fee", "area_mu"] == pytest.approx(45.0)
    assert out.loc["idle_fee", "fee_wan"] == pytest.approx(30.0)
    assert out.loc["not_due", "count"] == 1
    assert out.loc["overdue", "count"] == 0 and out.loc["overdue", "area_mu"] == 0
    assert out.loc["total"].tolist() == pytest.approx([3, 67.5, 30.0])


def test_summarize_empty_and_invalid():
    empty = summarize_idle(pd.Series([], dtype=str), pd.Series([], dtype=float), pd.Series([], dtype=float))
    assert empty["count"].sum() == 0 and len(empty) == len(IDLE_STATUSES) + 1
    with pytest.raises(ValueError, match="not in IDLE_STATUSES"):
        summarize_idle(pd.Series(["idle", "overdue"]), pd.Series([1.0, 1.0]), pd.Series([0.0, 0.0]))
