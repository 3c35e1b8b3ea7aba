"""
Independent audit of ``geo.idle.classify_idle`` against 《闲置土地处置办法》 (order No. 53)
as summarised in domain.md §2 and issue 2 §3. Every expectation below is worked by hand
in the comment beside it; none is copied from the implementation's output.

Calendar facts used throughout: 2024 is a leap year (366 days), 2023 and 2025 are not.
A "year" is complete on its anniversary (Civil Code arts. 201-202, issue 2): the start
day is not counted, the period ends on the corresponding day or, when that day does not
exist, on the month's last day (2024-02-29 + 1 year = 2025-02-28).

Known discrepancies are ``xfail(strict=True)`` with the reason starting "BUG:".
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

from geo.idle import IDLE_OUTPUT_COLUMNS, classify_idle, explain_idle
from geo.vocab import DELAY_CAUSES, spellings
from words.idle import explanation

T = pd.Timestamp
NAT = pd.NaT
SEVEN_CAUSES = DELAY_CAUSES
#: The land price used for fee arithmetic: 20 % of 1 234.5 万元 is 246.9 万元.
PRICE_WAN = 1234.5
FEE_WAN = 246.9


def frame(*rows: dict) -> gpd.GeoDataFrame:
    """Box parcels 100 m × 100 m in EPSG:4545, one per dict."""
    geoms = [box(500_000 + 1000 * i, 2_500_000, 500_100 + 1000 * i, 2_500_100) for i in range(len(rows))]
    return gpd.GeoDataFrame(pd.DataFrame(list(rows)), geometry=geoms, crs=4545)


def one(as_of: str, **fields) -> pd.Series:
    """
    One parcel as of ``as_of``. These audits are of the clocks in the holder's case
    (Art. 14): the holder's cause is recorded unless a case gives its own ``delay_cause``.
    """
    fields.setdefault("delay_cause", "holder")
    return classify_idle(frame(fields), as_of=as_of).iloc[0]


def days(value) -> int | None:
    return None if pd.isna(value) else int(value)


def halted(**over) -> dict:
    """
    Started 2020-05-01, halted 2024-01-01. Area due 3 000 m², developed 999 m²
    (999 × 3 = 2 997 < 3 000: below one third); total investment 1 000 万元, invested
    500 (50 %, not below 25 %). So only the developed share is low: kind B via the
    first branch of the OR.
    """
    base = {
        "agreed_start_date": "2020-01-01",
        "actual_start_date": "2020-05-01",
        "halted_since": "2024-01-01",
        "area_due_m2": 3000.0,
        "developed_area_m2": 999.0,
        "total_investment_wan": 1000.0,
        "invested_wan": 500.0,
        "land_price_wan": PRICE_WAN,
    }
    base.update(over)
    return base


# --------------------------------------------------------------------------- kind A, clock and anniversaries

# (case id, agreed start, as_of, status, idle_days, idle_since, next_threshold_date)
KIND_A = [
    # as_of one day before the agreed start: not yet due; no clock, next change on the agreed date.
    ("A01 day before agreed", "2024-03-01", "2024-02-29", "not_due", None, NAT, T("2024-03-01")),
    # On the agreed date itself: not "before" it any more -> overdue, 0 days elapsed.
    ("A02 on agreed date", "2024-03-01", "2024-03-01", "overdue", 0, NAT, T("2025-03-01")),
    # 2024-03-01 -> 2025-03-01 is 365 days (Feb 2025 has 28): the day before is 364, still overdue.
    ("A03 day before 1y", "2024-03-01", "2025-02-28", "overdue", 364, NAT, T("2025-03-01")),
    # The anniversary completes the year: idle (fee) from 2025-03-01, 365 days.
    ("A04 on 1y", "2024-03-01", "2025-03-01", "idle_fee", 365, T("2025-03-01"), T("2026-03-01")),
    # 2 years = 2026-03-01; the day before: 365 + 364 = 729 days, still the fee stage.
    ("A05 day before 2y", "2024-03-01", "2026-02-28", "idle_fee", 729, T("2025-03-01"), T("2026-03-01")),
    # On the 2nd anniversary: recovery (Art. 14(2)), 730 days; nothing further to reach.
    ("A06 on 2y", "2024-03-01", "2026-03-01", "idle_recover", 730, T("2025-03-01"), NAT),
    # Feb 29 start: no 2025-02-29, so the year ends on the month's last day 2025-02-28.
    # 2024-02-29 -> 2025-02-28 = 365 days; the day before is 364.
    ("A07 Feb29 day before 1y", "2024-02-29", "2025-02-27", "overdue", 364, NAT, T("2025-02-28")),
    ("A08 Feb29 on 1y", "2024-02-29", "2025-02-28", "idle_fee", 365, T("2025-02-28"), T("2026-02-28")),
    # 2 years from 2024-02-29 = 2026-02-28 (not 03-01): 365 + 365 = 730 days.
    ("A09 Feb29 day before 2y", "2024-02-29", "2026-02-27", "idle_fee", 729, T("2025-02-28"), T("2026-02-28")),
    ("A10 Feb29 on 2y", "2024-02-29", "2026-02-28", "idle_recover", 730, T("2025-02-28"), NAT),
    # Month-end start 2024-01-31: 1 year = 2025-01-31, a 366-day year (contains 2024-02-29).
    # So 2025-01-30 is already 365 days elapsed and yet NOT a full year: still overdue.
    ("A11 Jan31 day before 1y", "2024-01-31", "2025-01-30", "overdue", 365, NAT, T("2025-01-31")),
    ("A12 Jan31 on 1y", "2024-01-31", "2025-01-31", "idle_fee", 366, T("2025-01-31"), T("2026-01-31")),
    # 2023-02-28 + 1 year: the corresponding day 2024-02-28 exists, so the mark is 02-28, not 02-29.
    ("A13 Feb28 on 1y (leap)", "2023-02-28", "2024-02-28", "idle_fee", 365, T("2024-02-28"), T("2025-02-28")),
    ("A14 Feb28 day before", "2023-02-28", "2024-02-27", "overdue", 364, NAT, T("2024-02-28")),
    # 2023-03-31 + 1 year = 2024-03-31 (366 days, leap day inside); 2024-03-30 is 365 days, overdue.
    ("A15 Mar31 day before", "2023-03-31", "2024-03-30", "overdue", 365, NAT, T("2024-03-31")),
]


@pytest.mark.parametrize(("case", "agreed", "as_of", "status", "n_days", "since", "nxt"), KIND_A, ids=[c[0] for c in KIND_A])
def test_kind_a_clock(case, agreed, as_of, status, n_days, since, nxt):
    r = one(as_of, agreed_start_date=agreed, land_price_wan=PRICE_WAN)
    assert r["idle_status"] == status
    assert r["idle_kind"] == "not_started"
    assert r["clock_start"] == T(agreed)
    assert days(r["idle_days"]) == n_days
    assert (pd.isna(r["idle_since"]) and pd.isna(since)) or r["idle_since"] == since
    assert (pd.isna(r["next_threshold_date"]) and pd.isna(nxt)) or r["next_threshold_date"] == nxt
    # Fee only in the fee stage: 20 % × 1 234.5 = 246.9 万元 (Art. 14(1)); never at recovery.
    if status == "idle_fee":
        assert r["fee_wan"] == pytest.approx(FEE_WAN)
    else:
        assert np.isnan(r["fee_wan"])
    assert r["missing_fields"] == ""


def test_issue_example_idle_days_365():
    # Issue 2: a clock that started on 2025-06-30 has 365 days as of 2026-06-30 (2026 not leap).
    r = one("2026-06-30", agreed_start_date="2025-06-30", land_price_wan=10.0)
    assert days(r["idle_days"]) == 365
    assert r["idle_status"] == "idle_fee"
    assert r["fee_wan"] == pytest.approx(2.0)  # 20 % of 10


# --------------------------------------------------------------------------- warning window

# "warning: true when the 1-year mark falls within N days (default 90)": read as
# 0 < mark − as_of ≤ 90 for parcels still on the clock (overdue / stalled).
WARN = [
    # Mark 2025-01-01; from 2024-10-03: Oct 4..31 = 28, Nov 30, Dec 31, Jan 1 = 1 -> 90 days: warn.
    ("W1 exactly 90", {"agreed_start_date": "2024-01-01"}, "2024-10-03", "overdue", True),
    # One day earlier -> 91 days: no warning.
    ("W2 91 days", {"agreed_start_date": "2024-01-01"}, "2024-10-02", "overdue", False),
    # Day before the mark -> 1 day left: warn.
    ("W3 1 day", {"agreed_start_date": "2024-01-01"}, "2024-12-31", "overdue", True),
    # On the mark the parcel is idle: the warning is for parcels not yet idle.
    ("W4 on mark", {"agreed_start_date": "2024-01-01"}, "2025-01-01", "idle_fee", False),
    # Stalled: halt 2024-06-30, mark 2025-06-30; from 2025-04-01: Apr 2..30 = 29, May 31, Jun 30 -> 90.
    ("W5 stalled 90", halted(halted_since="2024-06-30"), "2025-04-01", "stalled", True),
    ("W6 stalled 91", halted(halted_since="2024-06-30"), "2025-03-31", "stalled", False),
    # not_due never warns, even one day before the agreed date (the mark is 366 days away).
    ("W7 not_due", {"agreed_start_date": "2024-01-01"}, "2023-12-31", "not_due", False),
]


@pytest.mark.parametrize(("case", "fields", "as_of", "status", "warn"), WARN, ids=[c[0] for c in WARN])
def test_warning_window(case, fields, as_of, status, warn):
    r = one(as_of, **fields)
    assert r["idle_status"] == status
    assert bool(r["warning"]) is warn


# --------------------------------------------------------------------------- kind B: stalled (OR of shares, AND halted)

KIND_B = [
    # Halt 2024-01-01 -> as_of 2024-12-31: 365 days (2024 has 366), so < 1 year: stalled.
    ("B01 dev low, 365 d in leap year", halted(), "2024-12-31", "stalled", 365, T("2025-01-01")),
    # Anniversary 2025-01-01: 366 days, idle; fee 246.9 and next = 2026-01-01.
    ("B02 dev low, on 1y", halted(), "2025-01-01", "idle_fee", 366, T("2026-01-01")),
    # 2 years from 2024-01-01 = 2026-01-01: 366 + 365 = 731 days, recovery.
    ("B03 dev low, on 2y", halted(), "2026-01-01", "idle_recover", 731, NAT),
    # Exactly one third developed (1000 × 3 = 3000, not < 3000) and exactly 25 % invested
    # (250 × 4 = 1000, not < 1000): neither "不足" -> not idle though halted 2 years.
    ("B04 exactly 1/3 and 25%", halted(developed_area_m2=1000.0, invested_wan=250.0), "2026-01-01", "active", None, NAT),
    # Developed 1/3 (ok) but invested 249.99 / 1000 < 25 %: the OR makes it stalled -> idle_fee.
    ("B05 inv low only", halted(developed_area_m2=1000.0, invested_wan=249.99), "2025-06-01", "idle_fee", 517, T("2026-01-01")),
    # Developed low (999 < 1000) though fully invested: still stalled (OR).
    ("B06 dev low, inv 100%", halted(invested_wan=1000.0), "2025-06-01", "idle_fee", 517, T("2026-01-01")),
    # Both shares fine (2000/3000, 600/1000), halted 3 years: active.
    ("B07 both ok", halted(developed_area_m2=2000.0, invested_wan=600.0), "2027-01-01", "active", None, NAT),
    # Shares low but never halted: the AND fails -> active (Art. 2(2) needs 中止开发建设满一年).
    ("B08 low, no halt", halted(halted_since=None), "2027-01-01", "active", None, NAT),
    # Both low: stalled; halt 2025-03-01, as_of 2025-06-01 = 31+30+31 = 92 days -> stalled.
    ("B09 both low, 92 d", halted(halted_since="2025-03-01", invested_wan=100.0), "2025-06-01", "stalled", 92, T("2026-03-01")),
    # Halt on Feb 29: idle from 2025-02-28, recovery from 2026-02-28.
    ("B10 halt Feb29 day before 2y", halted(halted_since="2024-02-29"), "2026-02-27", "idle_fee", 729, T("2026-02-28")),
    ("B11 halt Feb29 on 2y", halted(halted_since="2024-02-29"), "2026-02-28", "idle_recover", 730, NAT),
]


@pytest.mark.parametrize(("case", "fields", "as_of", "status", "n_days", "nxt"), KIND_B, ids=[c[0] for c in KIND_B])
def test_kind_b(case, fields, as_of, status, n_days, nxt):
    r = one(as_of, **fields)
    assert r["idle_status"] == status
    assert days(r["idle_days"]) == n_days
    assert (pd.isna(r["next_threshold_date"]) and pd.isna(nxt)) or r["next_threshold_date"] == nxt
    if status in ("stalled", "idle_fee", "idle_recover"):
        assert r["idle_kind"] == "stalled"
        assert r["clock_start"] == T(fields["halted_since"])  # B clock runs from the halt date
    else:
        assert pd.isna(r["idle_kind"]) and pd.isna(r["clock_start"])
    if status == "idle_fee":
        assert r["fee_wan"] == pytest.approx(FEE_WAN)
    else:
        assert np.isnan(r["fee_wan"])


def test_stalled_idle_since_is_halt_plus_one_year():
    # Halt 2024-01-01 -> idle since 2025-01-01 (not the agreed start 2020-01-01 + 1 year).
    r = one("2025-06-01", **halted())
    assert r["idle_since"] == T("2025-01-01")


# --------------------------------------------------------------------------- exemptions (Art. 8)


@pytest.mark.parametrize("cause", SEVEN_CAUSES)
@pytest.mark.parametrize(
    ("as_of", "label"),
    [("2025-03-01", "1 year"), ("2026-03-01", "2 years"), ("2030-01-01", "6 years")],
)
def test_every_exempt_cause_never_fee_never_recover(cause, as_of, label):
    # Agreed 2024-03-01 -> 1 year on 2025-03-01, 2 years on 2026-03-01. With a government
    # cause the parcel is idle but exempt: no fee, no free recovery, however long.
    r = one(as_of, agreed_start_date="2024-03-01", land_price_wan=PRICE_WAN, delay_cause=cause)
    assert r["idle_status"] == "idle_exempt", label
    assert np.isnan(r["fee_wan"])
    assert r["idle_since"] == T("2025-03-01")
    assert pd.isna(r["next_threshold_date"])  # exempt never escalates to recovery


@pytest.mark.parametrize("cause", SEVEN_CAUSES)
def test_every_exempt_cause_by_chinese_label_for_stalled(cause):
    # Kind B, halted 2024-01-01, as of 2026-06-01 (> 2 years): exempt, not recovered.
    r = one("2026-06-01", **halted(delay_cause=spellings("delay_cause")[cause]))
    assert r["idle_status"] == "idle_exempt"
    assert r["idle_kind"] == "stalled"
    assert np.isnan(r["fee_wan"])


def test_exempt_cause_before_one_year_is_still_overdue():
    # 2024-03-01 -> 2025-02-28 is 364 days: not idle yet, so the cause does not matter.
    r = one("2025-02-28", agreed_start_date="2024-03-01", delay_cause="force_majeure")
    assert r["idle_status"] == "overdue"
    assert days(r["idle_days"]) == 364


def test_holder_cause_text_is_not_exempt():
    # "企业原因" is how files write the holder's own cause: fee after 1 year (Art. 14(1)).
    r = one("2025-06-01", agreed_start_date="2024-03-01", land_price_wan=PRICE_WAN, delay_cause="企业原因")
    assert r["idle_status"] == "idle_fee"
    assert r["fee_wan"] == pytest.approx(FEE_WAN)
    # "资金不足" (lack of funds) is likely the holder's, but only the investigation establishes
    # it: the text matches no cause, so the parcel stays suspected, flagged, with no fee.
    r = one("2025-06-01", agreed_start_date="2024-03-01", land_price_wan=PRICE_WAN, delay_cause="资金不足")
    assert (r["idle_status"], r["cause_unrecognised"]) == ("idle_suspected", True)
    assert np.isnan(r["fee_wan"]) and r["fee_if_holder_wan"] == pytest.approx(FEE_WAN)


# --------------------------------------------------------------------------- events after as_of have not happened


def test_future_completion_is_ignored():
    # Agreed 2023-09-01: idle 2024-09-01, recovery 2025-09-01. Completion 2026-01-01 is after
    # as_of 2025-06-01, so it has not happened: idle_fee, 2023-09-01 -> 2025-06-01 =
    # 366 (to 2024-09-01, leap day inside) + 273 (Sep 30 - 1 + Oct 31 + Nov 30 + Dec 31 + Jan 31
    # + Feb 28 + Mar 31 + Apr 30 + May 31 + 1 = 273) = 639 days.
    r = one("2025-06-01", agreed_start_date="2023-09-01", completion_date="2026-01-01", land_price_wan=PRICE_WAN)
    assert r["idle_status"] == "idle_fee"
    assert days(r["idle_days"]) == 639


def test_future_actual_start_is_not_started_then_active_once_reached():
    # Agreed 2024-01-01, start recorded 2025-07-01. As of 2025-06-01 the start is in the
    # future: not started, idle since 2025-01-01 (fee). As of 2025-07-01 it has started: active.
    before = one("2025-06-01", agreed_start_date="2024-01-01", actual_start_date="2025-07-01", land_price_wan=100.0)
    assert before["idle_status"] == "idle_fee"
    assert before["next_threshold_date"] == T("2026-01-01")
    after = one("2025-07-01", agreed_start_date="2024-01-01", actual_start_date="2025-07-01", land_price_wan=100.0)
    assert after["idle_status"] == "active"


def test_future_halt_is_ignored():
    # Started 2020-05-01, low shares, halt recorded 2025-07-01 > as_of 2025-06-01: still running.
    assert one("2025-06-01", **halted(halted_since="2025-07-01"))["idle_status"] == "active"


def test_future_agreed_start_is_not_due_even_if_years_after_supply():
    assert one("2025-06-01", supply_date="2020-01-01", agreed_start_date="2025-06-02")["idle_status"] == "not_due"


@pytest.mark.parametrize("done", ["2025-06-01", "2025-01-01"])
def test_completion_on_or_before_as_of_wins_over_halt(done):
    # Halted 2024-01-01 with 999/3000 developed would be idle_fee on 2025-06-01, but the
    # parcel is completed (on as_of itself, or earlier): completed wins.
    r = one("2025-06-01", **halted(completion_date=done))
    assert r["idle_status"] == "completed"
    assert np.isnan(r["fee_wan"]) and not r["warning"]


# --------------------------------------------------------------------------- start relative to the agreed date


def test_start_before_agreed_date_is_active_not_not_due():
    # Started 2023-06-01 ahead of the agreed 2024-01-01; as of 2023-12-01 the work is on.
    assert one("2023-12-01", agreed_start_date="2024-01-01", actual_start_date="2023-06-01")["idle_status"] == "active"


def test_late_start_is_idle_only_while_not_started():
    # Agreed 2020-01-01; started 2022-06-01 (2 years 5 months late).
    # As of 2022-05-31: not started for 2020-01-01 -> 2022-05-31, past the 2-year mark 2022-01-01:
    # idle_recover. As of 2023-01-01: started and not halted -> active (Art. 2 idle only while
    # 未动工开发; the late start itself is a contract breach, not idle land).
    fields = {"agreed_start_date": "2020-01-01", "actual_start_date": "2022-06-01", "land_price_wan": 50.0}
    assert one("2022-05-31", **fields)["idle_status"] == "idle_recover"
    r = one("2023-01-01", **fields)
    assert r["idle_status"] == "active"
    assert pd.isna(r["idle_days"]) and np.isnan(r["fee_wan"])


def test_halt_before_the_recorded_start_is_not_a_running_halt():
    r = one(
        "2025-06-01",
        **halted(actual_start_date="2024-06-01", halted_since="2023-01-01"),
    )
    assert r["idle_status"] in ("active", "unknown")


# --------------------------------------------------------------------------- missing data


def test_missing_agreed_start_is_unknown_and_named():
    r = one("2025-06-01", holder="某公司")
    assert r["idle_status"] == "unknown"
    assert r["missing_fields"] == "agreed_start_date"
    assert pd.isna(r["idle_kind"]) and np.isnan(r["fee_wan"])


def test_halted_with_one_share_unknown_and_other_ok_is_unknown():
    # Developed 2000/3000 is fine; investment unknown could still make it stalled: unknown.
    r = one("2025-06-01", **halted(developed_area_m2=2000.0, invested_wan=None, total_investment_wan=None))
    assert r["idle_status"] == "unknown"
    assert r["missing_fields"] == "total_investment_wan,invested_wan"


def test_halted_with_one_share_unknown_and_other_low_is_decided():
    # 999/3000 < 1/3 already proves the first branch of the OR: no need for investment.
    r = one("2025-06-01", **halted(invested_wan=None, total_investment_wan=None))
    assert r["idle_status"] == "idle_fee"


def test_halted_with_zero_area_due_is_unknown():
    r = one("2025-06-01", **halted(area_due_m2=0.0, invested_wan=600.0))
    assert r["idle_status"] == "unknown"
    assert "area_due_m2" in r["missing_fields"].split(",")


def test_fee_stage_without_price_keeps_status_and_names_price():
    r = one("2025-06-01", agreed_start_date="2024-03-01")
    assert r["idle_status"] == "idle_fee"
    assert np.isnan(r["fee_wan"])
    assert r["missing_fields"] == "land_price_wan"


def test_all_statuses_in_one_frame_keep_index_alignment():
    rows = [
        {"agreed_start_date": "2026-01-01"},  # not_due
        {"agreed_start_date": "2025-03-01"},  # overdue (92 days)
        halted(halted_since="2025-03-01"),  # stalled
        {"agreed_start_date": "2024-03-01", "land_price_wan": 100.0, "delay_cause": "holder"},  # idle_fee (fee 20)
        {"agreed_start_date": "2023-03-01", "delay_cause": "holder"},  # idle_recover (2025-03-01 passed)
        {"agreed_start_date": "2023-03-01", "delay_cause": "petition"},  # idle_exempt
        {"actual_start_date": "2024-01-01"},  # active
        {"completion_date": "2025-01-01"},  # completed
        {},  # unknown
    ]
    df = frame(*rows)
    df.index = [f"p{i}" for i in range(len(rows))][::-1]
    out = classify_idle(df, as_of="2025-06-01")
    assert list(out.columns) == list(IDLE_OUTPUT_COLUMNS)
    assert list(out.index) == list(df.index)
    assert out["idle_status"].tolist() == [
        "not_due", "overdue", "stalled", "idle_fee", "idle_recover", "idle_exempt", "active", "completed", "unknown",
    ]
    assert out["fee_wan"].sum() == pytest.approx(20.0)


def test_explanation_cites_duration_and_article():
    # Issue example: agreed 2021-03-01, as of 2022-11-01 -> 1 year 8 months, fee stage (Art. 14).
    items = explain_idle({"agreed_start_date": "2021-03-01", "land_price_wan": 100.0, "delay_cause": "holder"},
                         as_of="2022-11-01")
    assert items[0]["elapsed"] == {"code": "explain_duration_years_months", "years": 1, "months": 8}
    fee = next(i for i in items if i["code"] == "explain_fee")
    assert fee["article"] == "art14_1" and fee["fee_wan"] == pytest.approx(20.0)
    text = explanation(items, "zh")
    assert "1年8个月" in text and "第十四条" in text and "20.00万元" in text
