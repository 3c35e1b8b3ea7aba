"""
Issue 10, "status, cause and consequence": the cause of delay is established by the
investigation, never assumed (《闲置土地处置办法》 Arts. 8-14, domain.md §2).

Every expectation is worked by hand in the comment beside it. Calendar facts: 2024 is a
leap year (366 days), 2023 and 2025 are not; a year is complete on its anniversary.
The land price is 1 234.5 万元 throughout, so 20 % of it is 246.9 万元.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

import words
from geo import evaluation, workspace
from geo.idle import (
    CONFLICT_CODES,
    EXPLANATION_CODES,
    HOLDER_STATUSES,
    IDLE_LAND_STATUSES,
    IDLE_OUTPUT_COLUMNS,
    IDLE_STATUSES,
    classify_idle,
    explain_idle,
    extension_history,
    summarize_idle,
)
from geo.rules import load_rules
from geo.vocab import CAUSE_CODES, DELAY_CAUSES
from tests.conftest import shown_tables
from words.idle import conflicts_text, explanation, status_label

T = pd.Timestamp
PRICE = 1234.5
FEE = 246.9
LANGS = ("zh", "en")


def frame(*rows: dict) -> gpd.GeoDataFrame:
    """Box parcels 100 m × 100 m (15 亩) in EPSG:4545, one per dict, numbered P0, P1 …"""
    geoms = [box(500_000 + 1000 * i, 2_500_000, 500_100 + 1000 * i, 2_500_100) for i in range(len(rows))]
    df = pd.DataFrame(list(rows))
    df.insert(0, "parcel_id", [f"P{i}" for i in range(len(rows))])
    return gpd.GeoDataFrame(df, geometry=geoms, crs=4545)


def one(as_of: str, extensions=None, **fields) -> pd.Series:
    return classify_idle(frame(fields), as_of=as_of, extensions=extensions).iloc[0]


def codes(items) -> list[str]:
    return [i["code"] for i in items]


# --------------------------------------------------------------------------- blank cause: suspected


@pytest.mark.parametrize("blank", [None, "", "  ", "无", "—", np.nan])
def test_blank_cause_past_one_year_is_suspected_with_what_would_follow(blank):
    fields = {"agreed_start_date": "2023-05-10", "land_price_wan": PRICE, "delay_cause": blank}
    # 2023-05-10 → 2024-05-09 is 365 days (Feb 29 2024 inside): one day short of the year.
    r = one("2024-05-09", **fields)
    assert (r["idle_status"], int(r["idle_days"])) == ("overdue", 365)
    # On the anniversary: idle by the clock, cause not established → suspected, 366 days.
    r = one("2024-05-10", **fields)
    assert r["idle_status"] == "idle_suspected" and int(r["idle_days"]) == 366
    assert r["idle_since"] == T("2024-05-10")
    assert r["status_if_holder"] == "idle_fee"  # were the cause the holder's: fee stage
    assert r["fee_if_holder_wan"] == pytest.approx(FEE)  # 20 % × 1 234.5 — kept apart …
    assert np.isnan(r["fee_wan"])  # … never as a fee due
    assert r["next_threshold_date"] == T("2025-05-10")  # the 2-year mark
    assert not r["cause_unrecognised"] and pd.isna(r["cause_code"]) and r["data_conflicts"] == ""
    # Two years on (2025-05-10): recovery would follow for the holder's cause; still suspected.
    r = one("2025-05-10", **fields)
    assert (r["idle_status"], r["status_if_holder"], int(r["idle_days"])) == ("idle_suspected", "idle_recover", 731)
    assert np.isnan(r["fee_wan"]) and np.isnan(r["fee_if_holder_wan"]) and pd.isna(r["next_threshold_date"])


def test_blank_cause_stalled_is_suspected():
    # Halted 2023-03-01 with 1/5 developed: kind B, idle from 2024-03-01.
    fields = {"actual_start_date": "2022-06-01", "halted_since": "2023-03-01", "area_due_m2": 10_000.0,
              "developed_area_m2": 2_000.0, "total_investment_wan": 1_000.0, "invested_wan": 500.0,
              "land_price_wan": PRICE}  # fmt: skip
    r = one("2024-06-01", **fields)
    assert (r["idle_status"], r["idle_kind"], r["status_if_holder"]) == ("idle_suspected", "stalled", "idle_fee")
    assert status_label(r["idle_status"], r["idle_kind"]) == "中止开发满1年（疑似闲置·原因待调查认定）"


def test_suspected_explanation_shows_both_consequences_with_dates_and_proposes_neither():
    items = explain_idle({"agreed_start_date": "2023-05-10", "land_price_wan": PRICE}, as_of="2024-06-01")
    assert codes(items) == ["explain_overdue_clock", "explain_idle_not_started", "explain_cause_not_recorded",
                            "explain_if_holder_fee", "explain_if_holder_recover_next"]  # fmt: skip
    fee = items[3]
    assert fee["fee_wan"] == pytest.approx(FEE) and fee["idle_since"].isoformat() == "2024-05-10"
    assert items[4]["recover_mark"].isoformat() == "2025-05-10"
    zh = explanation(items, "zh")
    assert "不提出征缴土地闲置费或者无偿收回国有建设用地使用权的处置意见" in zh
    assert "如经认定属土地使用权人自身原因，自2024-05-10起可依第十四条第（一）项" in zh
    assert "1,234.50万元 × 20% = 246.90万元" in zh
    assert "至2025-05-10（超过约定动工开发日期满2年）" in zh
    # No decision is put forward: no fee decision, no recovery decision, no hearing notice.
    for proposal in ("《征缴土地闲置费决定书》", "《收回国有建设用地使用权决定书》", "听证"):
        assert proposal not in zh
    en = explanation(items, "en")
    assert "Should the cause prove to be the holder's" in en and "no idle-land fee and no recovery is proposed" in en


# --------------------------------------------------------------------------- the holder's cause


@pytest.mark.parametrize("cause", ["holder", " Holder ", "使用权人原因", "土地使用权人原因", "企业原因", "自身原因",
                                   "土地使用者原因", "使用权人自身原因"])
def test_holder_cause_gives_fee_then_recovery(cause):
    fields = {"agreed_start_date": "2023-05-10", "land_price_wan": PRICE, "delay_cause": cause}
    r = one("2024-06-01", **fields)
    assert (r["idle_status"], r["cause_code"]) == ("idle_fee", "holder")
    assert r["fee_wan"] == pytest.approx(FEE) and np.isnan(r["fee_if_holder_wan"]) and pd.isna(r["status_if_holder"])
    r = one("2025-05-10", **fields)  # the 2-year mark
    assert r["idle_status"] == "idle_recover" and np.isnan(r["fee_wan"])
    items = explain_idle(fields, as_of="2024-06-01")
    assert "explain_cause_holder" in codes(items) and "explain_fee" in codes(items) and "explain_hearing" in codes(items)


# --------------------------------------------------------------------------- government causes


@pytest.mark.parametrize("cause", DELAY_CAUSES)
def test_each_government_cause_by_code_and_by_name_is_exempt(cause):
    name = words.label("delay_cause", cause, "zh")
    for written in (cause, name):
        for as_of in ("2024-06-01", "2026-01-01"):  # fee window and past 2 years alike
            r = one(as_of, agreed_start_date="2023-05-10", land_price_wan=PRICE, delay_cause=written)
            assert (r["idle_status"], r["cause_code"]) == ("idle_exempt", cause), (written, as_of)
            assert np.isnan(r["fee_wan"]) and np.isnan(r["fee_if_holder_wan"]) and pd.isna(r["status_if_holder"])
    assert len(DELAY_CAUSES) == 7 and CAUSE_CODES == (*DELAY_CAUSES, "holder")


# --------------------------------------------------------------------------- a text that matches nothing


@pytest.mark.parametrize("text", ["规划调整", "资金不足", "holder_fault"])
def test_unrecognised_cause_is_suspected_flagged_and_shown(text):
    fields = {"agreed_start_date": "2023-05-10", "land_price_wan": PRICE, "delay_cause": f" {text} "}
    r = one("2024-06-01", **fields)
    assert (r["idle_status"], bool(r["cause_unrecognised"])) == ("idle_suspected", True)
    assert pd.isna(r["cause_code"]) and np.isnan(r["fee_wan"]) and r["fee_if_holder_wan"] == pytest.approx(FEE)
    items = explain_idle(fields, as_of="2024-06-01")
    assert {"code": "explain_cause_unrecognised", "value": text, "article": "art8"} in items
    zh = explanation(items, "zh")
    assert f"记录的闲置原因“{text}”无法对应第八条所列情形，也不能据此认定为土地使用权人自身原因" in zh
    assert "暂按" not in zh and "听证" not in zh


def test_a_cause_the_rules_do_not_exempt_is_not_the_holders():
    rules = {"exempt_causes": {"value": ["land_not_delivered"]}}
    r = classify_idle(frame({"agreed_start_date": "2023-05-10", "delay_cause": "群众信访"}), as_of="2024-06-01",
                      rules=rules).iloc[0]  # fmt: skip
    assert (r["idle_status"], r["cause_code"]) == ("idle_suspected", "petition")
    items = explain_idle({"agreed_start_date": "2023-05-10", "delay_cause": "群众信访"}, as_of="2024-06-01", rules=rules)
    assert "explain_cause_not_exempt" in codes(items)
    assert "“群众信访”" in explanation(items, "zh")


# --------------------------------------------------------------------------- data conflicts


@pytest.mark.parametrize("progress", [{"developed_area_m2": 500.0}, {"invested_wan": 10.0}])
def test_progress_without_start_is_flagged_and_judged_on_the_dates(progress):
    r = one("2024-06-01", agreed_start_date="2023-05-10", **progress)
    assert (r["idle_status"], r["data_conflicts"]) == ("idle_suspected", "progress_without_start")
    assert one("2024-06-01", agreed_start_date="2023-05-10", actual_start_date="2023-06-01",
               **progress)["data_conflicts"] == ""  # fmt: skip
    assert one("2024-06-01", agreed_start_date="2023-05-10", developed_area_m2=0.0)["data_conflicts"] == ""


def test_supply_after_as_of_is_not_supplied_and_no_clock_runs():
    fields = {"supply_date": "2024-07-01", "agreed_start_date": "2025-01-01"}
    r = one("2024-06-01", **fields)
    assert (r["idle_status"], r["data_conflicts"]) == ("not_supplied", "supply_after_as_of")
    assert pd.isna(r["idle_kind"]) and pd.isna(r["clock_start"]) and pd.isna(r["idle_days"])
    assert r["next_threshold_date"] == T("2024-07-01") and np.isnan(r["fee_wan"])
    # On the supply date the land is supplied: the clock of the agreed date applies, no conflict.
    r = one("2024-07-01", **fields)
    assert (r["idle_status"], r["data_conflicts"]) == ("not_due", "")
    # Even a start date long past the agreed one does not make unsupplied land idle.
    r = one("2024-06-01", supply_date="2024-07-01", agreed_start_date="2020-01-01")
    assert r["idle_status"] == "not_supplied"
    assert r["data_conflicts"] == "supply_after_as_of,agreed_before_supply"
    assert explain_idle({**fields}, as_of="2024-06-01")[0]["code"] == "explain_not_supplied"


def test_halt_before_start_is_unknown_and_flagged():
    fields = {"agreed_start_date": "2022-06-01", "actual_start_date": "2023-01-01", "halted_since": "2022-12-01",
              "area_due_m2": 10_000.0, "developed_area_m2": 1_000.0, "total_investment_wan": 1_000.0,
              "invested_wan": 100.0, "land_price_wan": PRICE}  # fmt: skip
    r = one("2025-06-01", **fields)
    assert (r["idle_status"], r["missing_fields"], r["data_conflicts"]) == ("unknown", "halted_since",
                                                                            "halt_before_start")
    item = explain_idle(fields, as_of="2025-06-01")[-1]
    assert item == {"code": "explain_conflict_halt_before_start", "halted": T("2022-12-01").date(),
                    "started": T("2023-01-01").date()}  # fmt: skip


def test_agreed_start_before_supply_is_flagged_and_clock_kept():
    # Supplied 2023-06-01 with an agreed start 2023-05-10: contradictory; the clock runs from
    # the recorded agreed date (idle from 2024-05-10), the conflict is shown beside it.
    r = one("2024-06-01", supply_date="2023-06-01", agreed_start_date="2023-05-10")
    assert (r["idle_status"], r["data_conflicts"]) == ("idle_suspected", "agreed_before_supply")
    assert r["idle_since"] == T("2024-05-10")
    assert one("2024-06-01", supply_date="2022-06-01", agreed_start_date="2023-05-10")["data_conflicts"] == ""


def test_unreadable_extension_is_flagged_and_left_out():
    r = one("2024-06-01", agreed_start_date="2023-05-10", start_extensions="待补签,2025-01-01,规划修改,X-1")
    assert (r["idle_status"], r["data_conflicts"]) == ("idle_suspected", "extension_unreadable")
    assert r["agreed_start_in_force"] == T("2023-05-10") and pd.isna(r["extension_signed_date"])


def test_every_conflict_has_words_and_none_is_silent():
    for code in CONFLICT_CODES:
        for lang in LANGS:
            assert words.has_label("idle_conflict", code, lang) and words.has_text(f"explain_conflict_{code}", lang)
    assert conflicts_text("halt_before_start,agreed_before_supply") == "停工日期早于实际动工日期；约定动工日期早于供地日期"
    assert conflicts_text("") == "—"


# --------------------------------------------------------------------------- supplementary agreements

CONTRACT = "2022-03-01"
#: Signed 2023-01-15, moving the agreed start to 2023-09-01.
FIRST = ("2023-01-15", "2023-09-01", "未按期交付土地", "桂自然资补〔2023〕5号")
#: Signed 2024-08-20, moving it again to 2025-03-01.
SECOND = ("2024-08-20", "2025-03-01", "配套道路未建成", "桂自然资补〔2024〕17号")


def as_text(*entries) -> str:
    return "；".join(",".join(e) for e in entries)


def as_json(*entries) -> str:
    keys = ("签订日期", "新约定动工日期", "延期原因", "文号")
    return json.dumps([dict(zip(keys, e, strict=True)) for e in entries], ensure_ascii=False)


def as_table(*entries) -> pd.DataFrame:
    rows = [{"宗地编号": "P0", "签订日期": e[0], "新约定动工日期": e[1], "延期原因": e[2], "文号": e[3]} for e in entries]
    return pd.DataFrame([*rows, {"宗地编号": "OTHER", "签订日期": "2020-01-01", "新约定动工日期": "2030-01-01"}])


@pytest.mark.parametrize("form", ["text", "json", "table"])
def test_extension_moves_the_clock_only_once_signed(form):
    def at(as_of: str) -> pd.Series:
        if form == "table":
            return one(as_of, extensions=as_table(FIRST), agreed_start_date=CONTRACT)
        column = as_text(FIRST) if form == "text" else as_json(FIRST)
        return one(as_of, agreed_start_date=CONTRACT, start_extensions=column)

    # Before it was signed the contract's date holds: 2022-03-01 → 2023-01-14 is 319 days
    # (306 to 2023-01-01, then 13); idle would come on 2023-03-01.
    r = at("2023-01-14")
    assert (r["idle_status"], int(r["idle_days"]), r["next_threshold_date"]) == ("overdue", 319, T("2023-03-01"))
    assert r["agreed_start_in_force"] == T(CONTRACT) and pd.isna(r["extension_doc_no"])
    # Signed 2023-01-15: as of 2023-03-15 the contract's date is a year past (it would be
    # suspected idle), but the date in force is 2023-09-01 → not yet due.
    r = at("2023-03-15")
    assert (r["idle_status"], r["next_threshold_date"]) == ("not_due", T("2023-09-01"))
    assert r["agreed_start_in_force"] == T("2023-09-01") and r["extension_doc_no"] == "桂自然资补〔2023〕5号"
    assert r["extension_signed_date"] == T("2023-01-15")
    assert one("2023-03-15", agreed_start_date=CONTRACT)["idle_status"] == "idle_suspected"  # without it
    # A year after the new date: idle by the new clock, 2023-09-01 → 2024-09-01 = 366 days.
    r = at("2024-09-01")
    assert (r["idle_status"], int(r["idle_days"]), r["clock_start"]) == ("idle_suspected", 366, T("2023-09-01"))


def test_latest_agreement_signed_by_as_of_is_in_force():
    fields = {"agreed_start_date": CONTRACT, "start_extensions": as_text(SECOND, FIRST)}  # order in the cell is free
    # As of 2024-08-19 only the first counts: 2023-09-01 → 2024-08-19 = 366 − 13 = 353 days, overdue.
    r = one("2024-08-19", **fields)
    assert (r["idle_status"], int(r["idle_days"]), r["agreed_start_in_force"]) == ("overdue", 353, T("2023-09-01"))
    items = explain_idle(fields, as_of="2024-08-19")
    assert codes(items)[:2] == ["explain_extension_in_force", "explain_extension_pending"]
    zh = explanation(items, "zh")
    assert "依2023-01-15签订的补充协议（桂自然资补〔2023〕5号），约定动工开发日期由2022-03-01变更为2023-09-01" in zh
    assert "2024-08-20签订的补充协议将约定动工开发日期变更为2025-03-01，其签订日期晚于2024-08-19，截至该日尚未生效" in zh
    # Signed 2024-08-20: the second moves the start to 2025-03-01 → not yet due.
    r = one("2024-08-20", **fields)
    assert (r["idle_status"], r["extension_doc_no"]) == ("not_due", "桂自然资补〔2024〕17号")
    history = extension_history(frame(fields), as_of="2024-08-19")
    assert history["signed_date"].tolist() == [T("2023-01-15"), T("2024-08-20")]
    assert history["in_force"].tolist() == [True, False] and history["counts"].tolist() == [True, False]
    assert history["reason"].tolist() == ["未按期交付土地", "配套道路未建成"]


def test_same_agreement_in_column_and_table_counts_once():
    gdf = frame({"agreed_start_date": CONTRACT, "start_extensions": as_text(FIRST)})
    history = extension_history(gdf, as_of="2024-01-01", extensions=as_table(FIRST))
    assert len(history) == 1 and history["parcel_id"].tolist() == ["P0"]
    with pytest.raises(ValueError, match="签订日期"):
        classify_idle(gdf, as_of="2024-01-01", extensions=pd.DataFrame({"宗地编号": ["P0"]}))


# --------------------------------------------------------------------------- acceptance


def test_a_parcel_with_no_recorded_cause_is_never_shown_as_due_a_fee_or_recovery():
    """Acceptance (issue 10): over every stage of both clocks, a blank cause never yields a fee or recovery."""
    stalled = {"actual_start_date": "2021-01-01", "halted_since": "2021-06-01", "area_due_m2": 9_000.0,
               "developed_area_m2": 1_000.0, "total_investment_wan": 800.0, "invested_wan": 50.0}  # fmt: skip
    rows = [{"agreed_start_date": "2021-06-01", "land_price_wan": PRICE, **c}
            for c in ({}, {"delay_cause": None}, {"delay_cause": ""}, {"delay_cause": "规划调整"})]
    rows += [{**stalled, "land_price_wan": PRICE}, {**stalled, "delay_cause": "项目前期手续办理中"}]
    gdf = frame(*rows)
    for as_of in pd.date_range("2021-06-01", "2027-06-01", freq="37D"):
        r = classify_idle(gdf, as_of=as_of)
        assert not r["idle_status"].isin(HOLDER_STATUSES).any(), as_of
        assert r["fee_wan"].isna().all(), as_of
        analysed = gdf.assign(area_mu=15.0).join(r)
        overview = workspace.park_overview(analysed, pd.DataFrame({"park_id": []}))
        assert overview.loc["__total__", "fees_due_wan"] == 0
        assert summarize_idle(r["idle_status"], analysed["area_mu"], r["fee_wan"]).loc["total", "fee_wan"] == 0
    items = explain_idle(rows[0], as_of="2026-01-01")
    zh = explanation(items, "zh")
    assert "不提出" in zh and "explain_fee" not in codes(items)
    assert "《征缴土地闲置费决定书》" not in zh and "《收回国有建设用地使用权决定书》" not in zh


def test_suspected_land_counts_as_idle_everywhere():
    assert IDLE_LAND_STATUSES == ("idle_suspected", "idle_fee", "idle_recover", "idle_exempt")
    assert workspace.IDLE_LAND_STATUSES == IDLE_LAND_STATUSES
    assert tuple(load_rules("evaluation")["idle_statuses"]) == IDLE_LAND_STATUSES
    from layers.classes import IDLE_STATUS_COLORS

    assert tuple(IDLE_STATUS_COLORS) == IDLE_STATUSES
    gdf = frame(
        {"park_id": "nanning", "agreed_start_date": "2023-05-10", "supply_date": "2022-06-01"},  # suspected
        {"park_id": "nanning", "agreed_start_date": "2023-05-10", "supply_date": "2022-06-01",
         "delay_cause": "holder", "land_price_wan": PRICE},  # idle_fee
        {"park_id": "nanning", "agreed_start_date": "2026-05-10", "supply_date": "2024-01-01"},  # not_due
    )
    analysed = workspace.analyse_idle(gdf, as_of="2024-06-01")
    assert analysed["idle_status"].tolist() == ["idle_suspected", "idle_fee", "not_due"]
    overview = workspace.park_overview(analysed, pd.DataFrame({"park_id": ["nanning"]}))
    assert overview.loc["nanning", "idle_parcels"] == 2  # suspected counts as idle land
    assert overview.loc["nanning", "idle_area_mu"] == pytest.approx(2 * analysed["area_mu"].iloc[0])
    assert overview.loc["nanning", "fees_due_wan"] == pytest.approx(FEE)  # only the holder's fee
    flagged = evaluation.flag_parcels(analysed, as_of="2024-06-01")
    assert flagged["idle"].tolist() == [True, True, False]  # the evaluation's 闲置土地


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize("lang", LANGS)
def test_every_new_code_has_words(lang):
    for status in IDLE_STATUSES:
        assert words.has_label("idle_status", status, lang)
    for kind in ("not_started", "stalled"):
        assert words.has_label("idle_status_by_kind", f"idle_suspected:{kind}", lang)
    assert words.has_label("delay_cause", "holder", lang)
    for code in EXPLANATION_CODES:
        assert words.has_text(code, lang), code
    for col in (*IDLE_OUTPUT_COLUMNS, "supervision_no", "contract_no", "start_extensions"):
        assert words.header(col, lang) != col, col
    for key in ("idle_filter_conflicts", "idle_cause_to_settle", "idle_cause_pending", "idle_conflicts_title",
                "idle_extensions_title", "idle_ext_signed", "idle_ext_new_start", "idle_ext_reason",
                "idle_ext_doc_no", "idle_ext_state", "idle_ext_in_force", "idle_ext_superseded",
                "idle_ext_not_yet", "idle_ext_unreadable"):  # fmt: skip
        assert words.has_label("ui", key, lang), key
    assert words.label("idle_status", "idle_suspected", "zh") == "疑似闲置·原因待调查认定"
    assert words.label("idle_status", "not_supplied", "zh") == "尚未供地"
    assert words.label("delay_cause", "holder", "zh") == "国有建设用地使用权人自身原因"


def test_unrecognised_cause_problem_no_longer_says_holders():
    zh = words.text("delay_cause_unrecognised", "zh", value="规划调整")
    assert "待调查认定" in zh and "按土地使用权人原因处理" not in zh


# --------------------------------------------------------------------------- the page


def _visible(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [i.value for i in at.info]
    for v in shown_tables(at):
        if "处置环节" in v.columns:
            continue  # the work list's cases of other parcels (by stage, due, overdue): a record, no proposal
        parts.append(" ".join(map(str, v.columns)))
        parts.append(v.astype(str).to_csv(index=False))
    return "\n".join(map(str, parts))


def _card(at) -> dict:
    for v in shown_tables(at):
        if "项目" in v.columns:
            return dict(zip(v.iloc[:, 0], v.iloc[:, 1], strict=True))
    raise AssertionError("no card")


def _open(app, pid: str):
    at = app.run()
    at.switch_page("views/idle.py").run()
    at.text_input(key="idle_search").input(pid).run()
    assert not at.exception and at.selectbox(key="idle_pick").value == pid
    return at


@pytest.fixture(scope="module")
def sample_analysed(sample_workspace) -> pd.DataFrame:
    parcels = pd.DataFrame(gpd.read_parquet(sample_workspace / "parcels.parquet").drop(columns="geometry"))
    return parcels.join(classify_idle(parcels, as_of="2026-11-25"))


def test_suspected_card_says_cause_to_be_established_and_proposes_neither(app, sample_analysed):
    rows = sample_analysed[(sample_analysed["idle_status"] == "idle_suspected") & sample_analysed["delay_cause"].isna()
                           & sample_analysed["parcel_id"].notna()]  # fmt: skip
    pid = str(rows.loc[~rows["parcel_id"].duplicated(keep=False), "parcel_id"].iloc[0])
    at = _open(app, pid)
    card = _card(at)
    assert "原因待调查认定" in card["闲置状态"]
    assert card["闲置费(万元)"] == "—"  # no fee due
    assert card["如属使用权人原因的处置"].startswith(("逾期未动工", "中止开发"))  # shown as a condition only
    text = _visible(at)
    assert "闲置原因待调查认定：不提出征缴土地闲置费或者无偿收回的处置意见。" in text
    assert "不提出征缴土地闲置费或者无偿收回国有建设用地使用权的处置意见" in text
    for proposal in ("《征缴土地闲置费决定书》", "《收回国有建设用地使用权决定书》", "听证"):
        assert proposal not in text
    assert not re.search(r"(?<![A-Za-z_])(idle_suspected|holder|None|nan|NaN)(?![A-Za-z_])", text)


def test_unrecognised_cause_is_shown_for_the_officer_and_conflicts_filter(app, sample_analysed):
    rows = sample_analysed[sample_analysed["cause_unrecognised"] & (sample_analysed["idle_status"] == "idle_suspected")]
    pid, cause = str(rows["parcel_id"].iloc[0]), str(rows["delay_cause"].iloc[0])
    at = _open(app, pid)
    assert any(f"闲置原因“{cause}”无法识别，须经办人员核实认定" in w.value for w in at.warning)
    assert _card(at)["延迟原因"] == cause
    # The conflicts filter: only parcels with the chosen conflict are listed.
    at.multiselect(key="idle_conflicts@zh").set_value(["progress_without_start"]).run()
    at.multiselect(key="idle_statuses@zh").set_value(list(IDLE_STATUSES)).run()
    assert not at.exception
    listing = next(getattr(d.value, "data", d.value) for d in at.dataframe
                   if "数据矛盾" in getattr(d.value, "data", d.value).columns)  # fmt: skip
    assert len(listing) and (listing["数据矛盾"].str.contains("有开发或投资记录但无实际动工日期")).all()


def test_card_shows_conflicts_and_agreement_history(app, sample_analysed):
    moved = sample_analysed[sample_analysed["extension_doc_no"].notna() & (sample_analysed["idle_status"] == "not_due")]
    pid = str(moved["parcel_id"].iloc[0])
    at = _open(app, pid)
    text = _visible(at)
    assert "补充协议（约定动工日期变更）" in text and "现行有效" in text
    assert _card(at)["补充协议文号"] == str(moved["extension_doc_no"].iloc[0])
    halt = sample_analysed[sample_analysed["data_conflicts"].str.contains("halt_before_start")]
    at = _open(app, str(halt["parcel_id"].iloc[0]))
    assert any("数据矛盾，请核实：停工日期早于实际动工日期" in w.value for w in at.warning)
