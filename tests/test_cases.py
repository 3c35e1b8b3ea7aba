"""The idle-land case store: stage order, overrides, deadlines, causes, disposal as of a date, audit."""

from __future__ import annotations

import datetime as dt
import threading
from datetime import UTC, datetime

import pandas as pd
import pytest

import words
from geo import cases
from geo.accounts import Account
from geo.cases import (
    CASE_CAUSES,
    CASE_ERROR_CODES,
    DEADLINE_KINDS,
    DEADLINE_STATES,
    DISPOSAL_WAYS,
    ENTRY_KINDS,
    GOVERNMENT_CAUSES,
    OUTCOMES,
    REGISTER_COLUMNS,
    RULE_CODES,
    CaseError,
    CaseStore,
    cause_in_force,
    deadlines,
    disposed_as_of,
    established_causes,
    register,
)

NOW = datetime(2027, 6, 1, 4, 0, tzinfo=UTC)  # recording moment: after every act below
D = dt.date


@pytest.fixture
def store(store_backend):
    """A case store on each backend: the workspace's SQLite file, then PostGIS (tests/conftest.py)."""
    return CaseStore(store_backend.target("cases"))


def rec(store, pid, stage, day, **kw):
    kw.setdefault("account", Account("张三", "reviewer"))
    kw.setdefault("at", NOW)
    return store.record(pid, stage, event_date=day, **kw)


def holder_chain(store, pid="P1", *, upto="fee_paid"):
    """A holder's-cause case, served 2026-01-05, in legal order up to ``upto``."""
    chain = [
        ("investigation_notice", D(2026, 1, 5), {"doc_number": "南自然资闲调〔2026〕1号"}),
        ("holder_reply", D(2026, 1, 20), {}),
        ("determination", D(2026, 3, 1), {"cause": "holder", "doc_number": "南自然资闲认〔2026〕1号"}),
        ("public_notice", D(2026, 3, 5), {}),
        ("hearing_notice", D(2026, 3, 10), {"doc_number": "南自然资听告〔2026〕1号"}),
        ("hearing_waived", D(2026, 3, 20), {}),
        ("fee_decision", D(2026, 4, 1), {"doc_number": "南自然资闲征〔2026〕1号", "amount_wan": 100.0}),
        ("fee_paid", D(2026, 4, 20), {"amount_wan": 100.0}),
    ]
    for stage, day, kw in chain:
        rec(store, pid, stage, day, **kw)
        if stage == upto:
            break


# --------------------------------------------------------------------------- order


def test_full_holder_chain_in_order(store):
    holder_chain(store)
    rec(store, "P1", "closed", D(2026, 4, 25), outcome="fee_paid")
    log = store.log("P1")
    assert list(log["stage"]) == [
        "investigation_notice", "holder_reply", "determination", "public_notice", "hearing_notice",
        "hearing_waived", "fee_decision", "fee_paid", "closed",
    ]
    assert log["override_reason"].isna().all()
    assert log.loc[0, "doc_number"] == "南自然资闲调〔2026〕1号"
    assert log.loc[0, "doc_date"] == pd.Timestamp("2026-01-05")  # a numbered document is dated its act
    assert log.loc[0, "recorded_at"] == "2027-06-01T04:00:00+00:00"


@pytest.mark.parametrize(
    ("stage", "before", "code", "extra"),
    [
        # each stage refused when what it requires is missing
        ("holder_reply", [], "case_needs_stage", {"case_needs": ["investigation_notice"]}),
        ("investigation", [], "case_needs_stage", {"case_needs": ["investigation_notice"]}),
        ("determination", [], "case_needs_stage", {"case_needs": ["investigation_notice"]}),
        ("public_notice", ["investigation_notice", "holder_reply"], "case_needs_stage",
         {"case_needs": ["determination"]}),
        ("hearing_notice", ["investigation_notice", "holder_reply"], "case_needs_stage",
         {"case_needs": ["determination"]}),
        ("hearing_held", ["investigation_notice", "holder_reply", "determination"], "case_needs_stage",
         {"case_needs": ["hearing_notice"]}),
        ("hearing_waived", ["investigation_notice", "holder_reply", "determination"], "case_needs_stage",
         {"case_needs": ["hearing_notice"]}),
        ("fee_decision", ["investigation_notice", "holder_reply", "determination", "hearing_notice"],
         "case_needs_one_of", {"case_needs": ["hearing_held", "hearing_waived"]}),
        ("recovery_decision", ["investigation_notice", "holder_reply", "determination", "hearing_notice"],
         "case_needs_one_of", {"case_needs": ["hearing_held", "hearing_waived"]}),
        ("fee_paid", ["investigation_notice", "holder_reply", "determination", "hearing_notice", "hearing_held"],
         "case_needs_stage", {"case_needs": ["fee_decision"]}),
        ("recovered", ["investigation_notice", "holder_reply", "determination", "hearing_notice", "hearing_held"],
         "case_needs_stage", {"case_needs": ["recovery_decision"]}),
    ],
)
def test_stage_refused_without_its_precondition(store, stage, before, code, extra):
    day = D(2026, 1, 1)
    for i, s in enumerate(before):
        rec(store, "P1", s, day + dt.timedelta(days=i), cause="holder" if s == "determination" else None)
    n = len(store.log())
    with pytest.raises(CaseError) as err:
        rec(store, "P1", stage, D(2026, 2, 1), cause="holder" if stage == "determination" else None)
    assert err.value.code == code and err.value.overridable
    assert err.value.params == {"case_stage": stage, **extra}
    assert len(store.log()) == n  # nothing written


def test_fee_decision_needs_holder_cause_not_government(store):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))
    rec(store, "P1", "holder_reply", D(2026, 1, 20))
    rec(store, "P1", "determination", D(2026, 3, 1), cause="land_not_delivered")
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "hearing_notice", D(2026, 3, 10))
    assert err.value.code == "case_needs_holder_cause"
    # the government cause goes to negotiated disposal instead
    rec(store, "P1", "negotiated_disposal", D(2026, 4, 1), way="extension", until_date=D(2027, 4, 1),
        doc_number="补充协议〔2026〕3号")


def test_negotiated_disposal_needs_government_cause(store):
    holder_chain(store, upto="determination")
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "negotiated_disposal", D(2026, 4, 1), way="swap")
    assert err.value.code == "case_needs_government_cause"


def test_act_dated_before_its_precondition_is_refused(store):
    holder_chain(store, upto="hearing_notice")  # hearing notice 2026-03-10
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "hearing_waived", D(2026, 3, 9))
    assert err.value.code == "case_date_before_required"
    assert err.value.params["needs_date"] == D(2026, 3, 10)


def test_determination_waits_for_reply_period(store):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))  # reply due 2026-02-04
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "determination", D(2026, 2, 4), cause="holder")
    assert err.value.code == "case_reply_period_running"
    assert err.value.params == {"due": D(2026, 2, 4)}
    rec(store, "P1", "determination", D(2026, 2, 5), cause="holder")  # day 31: the period is over


def test_closed_case_must_be_reopened(store):
    holder_chain(store)
    rec(store, "P1", "closed", D(2026, 4, 25), outcome="fee_paid")
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "recovery_decision", D(2026, 5, 1))
    assert err.value.code == "case_is_closed"
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "reopened", D(2026, 5, 1))
    assert err.value.code == "case_note_required"  # a reopening says why
    rec(store, "P1", "reopened", D(2026, 5, 1), note="使用权人缴费后仍未动工，满两年拟收回")
    rec(store, "P1", "hearing_notice", D(2026, 5, 2))
    with pytest.raises(CaseError) as err:
        rec(store, "P2", "reopened", D(2026, 5, 1), note="x")
    assert err.value.code == "case_not_closed"


@pytest.mark.parametrize(
    ("outcome", "code"),
    [("recovered", "case_outcome_unsupported"), ("negotiated", "case_outcome_unsupported"),
     ("not_idle", "case_outcome_contradicts_determination")],
)
def test_outcome_must_match_the_stages(store, outcome, code):
    holder_chain(store)
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "closed", D(2026, 5, 1), outcome=outcome)
    assert err.value.code == code


def test_not_idle_closes_an_investigation(store):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))
    rec(store, "P1", "investigation", D(2026, 1, 15), note="现场已开挖基坑，已动工")
    rec(store, "P1", "closed", D(2026, 1, 16), outcome="not_idle")
    assert cases.case_state(store, D(2026, 2, 1)).loc["P1", "case_outcome"] == "not_idle"


@pytest.mark.parametrize(
    ("way", "until", "ok"),
    [
        ("extension", D(2027, 4, 1), True),  # agreement 2026-04-01 + 1 year: the limit itself
        ("extension", D(2027, 4, 2), False),
        ("temporary_use", D(2028, 4, 1), True),
        ("temporary_use", D(2028, 4, 2), False),
    ],
)
def test_negotiated_way_limits(store, way, until, ok):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))
    rec(store, "P1", "holder_reply", D(2026, 1, 20))
    rec(store, "P1", "determination", D(2026, 3, 1), cause="plan_revised")
    if ok:
        rec(store, "P1", "negotiated_disposal", D(2026, 4, 1), way=way, until_date=until)
        return
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "negotiated_disposal", D(2026, 4, 1), way=way, until_date=until)
    assert err.value.code == "case_way_limit_exceeded"
    assert err.value.params["limit"] == until - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"stage": "sent"}, "case_stage_unknown"),
        ({"stage": "investigation_notice", "event_date": None}, "case_date_missing"),
        ({"stage": "investigation_notice", "event_date": "2026-13-45"}, "case_date_invalid"),
        ({"stage": "investigation_notice", "event_date": D(2027, 6, 2)}, "case_date_in_future"),
        ({"stage": "determination"}, "case_cause_missing"),
        ({"stage": "determination", "cause": "规划调整"}, "case_cause_unknown"),
        ({"stage": "negotiated_disposal"}, "case_way_missing"),
        ({"stage": "negotiated_disposal", "way": "sell"}, "case_way_unknown"),
        ({"stage": "negotiated_disposal", "way": "extension"}, "case_until_missing"),
        ({"stage": "negotiated_disposal", "way": "temporary_use", "until_date": D(2025, 1, 1)},
         "case_until_before_date"),
        ({"stage": "negotiated_disposal", "way": "other_way"}, "case_note_required"),
        ({"stage": "closed"}, "case_outcome_missing"),
        ({"stage": "closed", "outcome": "done"}, "case_outcome_unknown"),
        ({"stage": "note"}, "case_note_required"),
        ({"stage": "fee_paid", "amount_wan": -1}, "case_amount_invalid"),
        ({"stage": "fee_paid", "override": True, "override_reason": "  "}, "case_override_needs_reason"),
    ],
)
def test_input_refused_whatever_the_reason(store, kwargs, code):
    kwargs = {"event_date": D(2026, 1, 5), **kwargs}
    stage = kwargs.pop("stage")
    with pytest.raises(CaseError) as err:
        rec(store, "P1", stage, kwargs.pop("event_date"), **kwargs)
    assert err.value.code == code and not err.value.overridable
    assert store.log().empty


def test_override_needs_a_reason_and_is_audited(store):
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "fee_decision", D(2026, 4, 1))
    assert err.value.code == "case_needs_one_of"
    with pytest.raises(CaseError) as err:
        rec(store, "P1", "fee_decision", D(2026, 4, 1), override=True)
    assert err.value.code == "case_override_needs_reason"
    assert store.log().empty
    eid = rec(store, "P1", "fee_decision", D(2026, 4, 1), override=True,
              override_reason="2019年已依旧办法下达认定书并告知听证，纸质卷宗补录")
    row = store.log("P1").set_index("entry_id").loc[eid]
    assert row["override_reason"].startswith("2019年")
    assert [r["code"] for r in row["overridden"]] == ["case_needs_one_of", "case_needs_holder_cause"]
    # the trail renders in Chinese
    zh = words.render(row["overridden"], "zh")
    assert "下达征缴土地闲置费决定书" in zh and "第十四条" in zh
    # an override of nothing records no override
    rec(store, "P2", "investigation_notice", D(2026, 1, 5), override=True, override_reason="不需要")
    assert store.log("P2")["override_reason"].isna().all()
    assert cases.case_state(store, D(2026, 5, 1)).loc["P1", "overrides"] == 1


def test_check_reports_without_writing(store):
    broken = store.check("P1", "fee_decision", event_date=D(2026, 4, 1))
    assert [b["code"] for b in broken] == ["case_needs_one_of", "case_needs_holder_cause"]
    assert store.check("P1", "investigation_notice", event_date=D(2026, 1, 5)) == []
    assert store.log().empty


# --------------------------------------------------------------------------- deadlines


def _deadline(store, pid, kind, as_of):
    d = deadlines(store.log(pid), as_of).set_index("deadline")
    return d.loc[kind]


@pytest.mark.parametrize(
    ("as_of", "days_left", "state"),
    [(D(2026, 2, 3), 1, "pending"), (D(2026, 2, 4), 0, "pending"), (D(2026, 2, 5), -1, "overdue")],
)
def test_reply_deadline_day_30_on_time_day_31_overdue(store, as_of, days_left, state):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))  # day 30 = 2026-02-04
    row = _deadline(store, "P1", "reply", as_of)
    assert row["due_date"] == pd.Timestamp("2026-02-04")
    assert row["days_left"] == days_left and row["deadline_state"] == state
    assert bool(row["overdue"]) is (state == "overdue")


@pytest.mark.parametrize(("paid", "state"), [(D(2026, 5, 1), "met"), (D(2026, 5, 2), "met_late")])
def test_payment_deadline_boundary(store, paid, state):
    holder_chain(store, upto="fee_decision")  # served 2026-04-01 → due 2026-05-01
    assert _deadline(store, "P1", "payment", D(2026, 5, 1))["deadline_state"] == "pending"
    assert _deadline(store, "P1", "payment", D(2026, 5, 2))["deadline_state"] == "overdue"
    rec(store, "P1", "fee_paid", paid, amount_wan=100.0)
    row = _deadline(store, "P1", "payment", D(2026, 6, 1))
    assert row["deadline_state"] == state and not row["overdue"]
    assert row["met_on"] == pd.Timestamp(paid)
    # as of the day before payment, it had not been paid
    before = _deadline(store, "P1", "payment", paid - dt.timedelta(days=1))
    assert pd.isna(before["met_on"])


def test_deregistration_deadline_boundary(store):
    holder_chain(store, upto="hearing_waived")
    rec(store, "P1", "recovery_decision", D(2026, 4, 1))
    assert _deadline(store, "P1", "deregistration", D(2026, 5, 1))["deadline_state"] == "pending"
    assert _deadline(store, "P1", "deregistration", D(2026, 5, 2))["deadline_state"] == "overdue"


def test_reply_deadline_moot_after_determination(store):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))
    rec(store, "P1", "determination", D(2026, 3, 1), cause="holder")
    assert _deadline(store, "P1", "reply", D(2026, 2, 10))["deadline_state"] == "overdue"
    assert _deadline(store, "P1", "reply", D(2026, 3, 1))["deadline_state"] == "moot"


@pytest.mark.parametrize(
    ("way", "until"), [("extension", D(2027, 3, 31)), ("temporary_use", D(2028, 3, 31))]
)
def test_agreement_end_deadlines(store, way, until):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))
    rec(store, "P1", "holder_reply", D(2026, 1, 20))
    rec(store, "P1", "determination", D(2026, 3, 1), cause="petition")
    rec(store, "P1", "negotiated_disposal", D(2026, 4, 1), way=way, until_date=until)
    kind = "extension_end" if way == "extension" else "temporary_use_end"
    assert _deadline(store, "P1", kind, until)["deadline_state"] == "pending"
    over = _deadline(store, "P1", kind, until + dt.timedelta(days=1))
    assert over["deadline_state"] == "overdue" and over["days_left"] == -1


def test_no_deadline_before_its_act(store):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))
    assert deadlines(store.log("P1"), D(2026, 1, 4)).empty


# --------------------------------------------------------------------------- causes


def test_determination_overrides_the_file_cause(store):
    parcels = pd.DataFrame({"parcel_id": ["P1", "P2", "P3"], "delay_cause": ["规划调整", None, "不可抗力"]})
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))
    rec(store, "P1", "holder_reply", D(2026, 1, 20))
    rec(store, "P1", "determination", D(2026, 3, 1), cause="holder", account=Account("李四", "reviewer"))
    before = cause_in_force(parcels, store, D(2026, 2, 28))
    assert before.loc[0, "delay_cause"] == "规划调整" and before.loc[0, "cause_source"] == "file"
    after = cause_in_force(parcels, store, D(2026, 3, 1))
    assert after.loc[0, "delay_cause"] == "holder"
    assert after.loc[0, "delay_cause_file"] == "规划调整"  # both kept
    assert after.loc[0, "cause_determined_by"] == "李四"
    assert after.loc[0, "cause_determined_on"] == pd.Timestamp("2026-03-01")
    assert after.loc[0, "cause_source"] == "case"
    assert pd.isna(after.loc[1, "delay_cause"]) and after.loc[1, "cause_source"] is None
    assert after.loc[2, "delay_cause"] == "不可抗力" and after.loc[2, "cause_source"] == "file"
    s = established_causes(store, D(2026, 3, 1))
    assert s.to_dict() == {"P1": "holder"}
    assert established_causes(store, D(2026, 2, 28)).empty


def test_redetermination_wins_from_its_date(store):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))
    rec(store, "P1", "holder_reply", D(2026, 1, 20))
    rec(store, "P1", "determination", D(2026, 3, 1), cause="holder")
    rec(store, "P1", "determination", D(2026, 6, 1), cause="military_or_relics",
        note="复核发现地块内有文物遗存")
    assert established_causes(store, D(2026, 5, 31))["P1"] == "holder"
    assert established_causes(store, D(2026, 6, 1))["P1"] == "military_or_relics"


# --------------------------------------------------------------------------- disposal as of a date


def test_disposed_as_of_counts_only_acts_by_the_date(store):
    holder_chain(store)  # fee paid 2026-04-20
    rec(store, "P2", "investigation_notice", D(2026, 1, 5))
    rec(store, "P2", "holder_reply", D(2026, 1, 6))
    rec(store, "P2", "determination", D(2026, 2, 1), cause="land_not_delivered")
    rec(store, "P2", "negotiated_disposal", D(2026, 9, 1), way="extension", until_date=D(2027, 9, 1))
    assert disposed_as_of(store, D(2026, 4, 19)).to_dict() == {"P1": False, "P2": False}
    assert disposed_as_of(store, D(2026, 4, 20)).to_dict() == {"P1": True, "P2": False}
    assert disposed_as_of(store, D(2026, 9, 1)).to_dict() == {"P1": True, "P2": True}
    rec(store, "P1", "closed", D(2026, 5, 1), outcome="fee_paid")
    rec(store, "P1", "reopened", D(2026, 10, 1), note="复查")
    assert disposed_as_of(store, D(2026, 9, 30))["P1"]
    assert not disposed_as_of(store, D(2026, 10, 1))["P1"]


def test_evaluation_counts_disposal_as_of_its_date(store):
    import geopandas as gpd
    from shapely.geometry import box

    from geo.evaluation import flag_parcels

    holder_chain(store)  # P1 fee paid 2026-04-20
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["P1", "P2"], "park_id": ["A", "A"], "supply_date": ["2020-01-01"] * 2,
         "idle_status": ["idle_fee", "idle_fee"], "disposal_status": [None, "fee_paid"]},
        geometry=[box(500_000, 2_500_000, 500_100, 2_500_100), box(500_200, 2_500_000, 500_300, 2_500_100)],
        crs="EPSG:4545",
    )
    before = flag_parcels(parcels, as_of="2026-04-19", cases=store)
    after = flag_parcels(parcels, as_of="2026-04-20", cases=store)
    assert before["disposed"].tolist() == [False, True]  # P2 has no case: the file's status stands
    assert after["disposed"].tolist() == [True, True]
    assert flag_parcels(parcels, as_of="2026-04-19")["disposed"].tolist() == [False, True]


# --------------------------------------------------------------------------- register


def test_register_one_row_per_case(store):
    holder_chain(store)
    rec(store, "P9", "investigation_notice", D(2026, 1, 5), doc_number="南自然资闲调〔2026〕9号")
    parcels = pd.DataFrame({
        "parcel_id": ["P1", "P2"], "park_id": ["nanning"] * 2, "holder": ["广西某某科技有限公司", "乙"],
        "area_m2": [20_000.0, 1.0], "supply_date": ["2022-01-01", None],
        "agreed_start_date": ["2023-01-01", None], "delay_cause": [None, None],
    })
    reg = register(store, parcels, as_of=D(2026, 5, 1)).set_index("parcel_id")
    assert list(reg.reset_index().columns) == list(REGISTER_COLUMNS)
    assert sorted(reg.index) == ["P1", "P9"]
    p1 = reg.loc["P1"]
    assert p1["holder"] == "广西某某科技有限公司" and p1["area_mu"] == pytest.approx(30.0)
    assert p1["established_cause"] == "holder" and p1["case_stage"] == "fee_paid"
    assert p1["investigation_notice_no"] == "南自然资闲调〔2026〕1号"
    assert p1["fee_decision_no"] == "南自然资闲征〔2026〕1号"
    assert p1["fee_levied_wan"] == 100.0 and p1["fee_paid_wan"] == 100.0
    assert p1["fee_paid_on"] == pd.Timestamp("2026-04-20") and bool(p1["disposed"])
    p9 = reg.loc["P9"]  # a case whose parcel is not in the file keeps its case facts
    assert pd.isna(p9["holder"]) and p9["case_stage"] == "investigation_notice"
    assert p9["overdue_deadlines"] == 1 and p9["next_due_date"] == pd.Timestamp("2026-02-04")
    # as of an earlier date the register is what it was then
    early = register(store, parcels, as_of=D(2026, 3, 31)).set_index("parcel_id")
    assert early.loc["P1", "case_stage"] == "hearing_waived" and not early.loc["P1", "disposed"]
    assert pd.isna(early.loc["P1", "fee_levied_wan"])


def test_register_in_excel_reads_chinese(store, tmp_path):
    from openpyxl import load_workbook

    from reports import tables

    holder_chain(store)
    rec(store, "P1", "closed", D(2026, 4, 25), outcome="fee_paid")
    parcels = pd.DataFrame({"parcel_id": ["P1"], "park_id": ["nanning"], "holder": ["广西某某科技有限公司"],
                            "area_m2": [20_000.0], "delay_cause": ["规划调整"]})
    reg = register(store, parcels, as_of=D(2026, 5, 1))
    parks = pd.DataFrame({"park_id": ["nanning"], "name_zh": ["南宁高新技术产业开发区"]})
    shown = tables.present(reg, lang="zh", parks=parks)
    path = tables.write_shown(shown, tmp_path / "台账.xlsx", sheet=words.label("ui", "sheet_case_register"))
    ws = load_workbook(path)["闲置土地处置台账"]
    head = [c.value for c in ws[1]]
    row = dict(zip(head, [c.value for c in ws[2]], strict=True))
    assert row["宗地编号"] == "P1" and row["土地使用权人"] == "广西某某科技有限公司"
    assert row["园区名称"] == "南宁高新技术产业开发区"
    assert row["认定闲置原因"] == "国有建设用地使用权人自身原因"
    assert row["延迟原因(原始数据)"] == "规划调整"
    assert row["处置环节"] == "结案" and row["处置结果"] == "已缴纳土地闲置费"
    assert row["征缴土地闲置费(万元)"] == 100 and row["面积(亩)"] == 30
    assert row["已处置"] == "是"
    assert row["认定书文号"] == "南自然资闲认〔2026〕1号"
    text = " ".join(str(v) for v in row.values() if v is not None)  # None: an empty cell
    for bad in ("None", "nan", "NaN", "True", "False", "holder", "fee_paid"):
        assert bad not in text


# --------------------------------------------------------------------------- audit


def test_log_is_append_only(store, store_backend):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5), attachment_name="送达回证.pdf",
        attachment=b"%PDF-1.4 receipt")
    for sql in ("UPDATE case_log SET officer='x'", "DELETE FROM case_log",
                "UPDATE case_attachment SET size_bytes=0", "DELETE FROM case_attachment"):
        with pytest.raises(store_backend.db_error, match="append-only"):
            store_backend.execute(store.location, sql)
    row = store.log("P1").iloc[0]
    assert row["attachment_name"] == "送达回证.pdf"
    assert store.attachment(row["attachment_sha256"]) == b"%PDF-1.4 receipt"


def test_cases_survive_reopening_the_file(tmp_path):
    path = tmp_path / "cases.sqlite"
    rec(CaseStore(path), "P1", "investigation_notice", D(2026, 1, 5))
    assert CaseStore(path).parcels() == ["P1"]
    assert CaseStore.in_workspace(tmp_path).path == path


def test_concurrent_writers_keep_the_audit_complete(tmp_path):
    path = tmp_path / "cases.sqlite"
    CaseStore(path)
    n_threads, per_thread = 6, 10
    errors: list[BaseException] = []
    start = threading.Barrier(n_threads)

    def work(t):
        try:
            s = CaseStore(path)
            start.wait()
            for i in range(per_thread):
                pid = f"T{t}-{i}"
                rec(s, pid, "investigation_notice", D(2026, 1, 5), account=Account(f"员{t}", "reviewer"))
                rec(s, pid, "holder_reply", D(2026, 1, 6), account=Account(f"员{t}", "reviewer"))
                # every thread also writes to one shared case: all notes must be kept
                rec(s, "SHARED", "note", D(2026, 1, 7), note=f"{t}-{i}", account=Account(f"员{t}", "reviewer"))
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    log = CaseStore(path).log()
    assert len(log) == n_threads * per_thread * 3
    assert log["entry_id"].is_unique
    assert sorted(log.loc[log["parcel_id"] == "SHARED", "note"]) == sorted(
        f"{t}-{i}" for t in range(n_threads) for i in range(per_thread))


def test_concurrent_rule_check_is_atomic(tmp_path):
    """Two officers closing the same case at once: exactly one closing lands."""
    path = tmp_path / "cases.sqlite"
    holder_chain(CaseStore(path))
    results: list[str] = []
    start = threading.Barrier(4)

    def close(t):
        s = CaseStore(path)
        start.wait()
        try:
            rec(s, "P1", "closed", D(2026, 4, 25), outcome="fee_paid", account=Account(f"员{t}", "reviewer"))
            results.append("ok")
        except CaseError as err:
            results.append(err.code)

    threads = [threading.Thread(target=close, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["case_is_closed"] * 3 + ["ok"]


# --------------------------------------------------------------------------- words


def test_every_code_has_words():
    for code in CASE_ERROR_CODES:
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code
    for kind, codes in [("case_stage", ENTRY_KINDS), ("case_cause", CASE_CAUSES), ("disposal_way", DISPOSAL_WAYS),
                        ("case_outcome", OUTCOMES), ("deadline", DEADLINE_KINDS),
                        ("deadline_state", DEADLINE_STATES)]:
        for code in codes:
            assert words.has_label(kind, code, "zh") and words.has_label(kind, code, "en"), (kind, code)
    for col in REGISTER_COLUMNS:
        assert words.header(col, "zh") != col, col
    assert set(GOVERNMENT_CAUSES) < set(CASE_CAUSES) and set(RULE_CODES) < set(CASE_ERROR_CODES)


def test_refusals_render_in_chinese():
    item = {"code": "case_needs_stage", "case_stage": "public_notice", "case_needs": ["determination"]}
    assert words.render(item, "zh") == "“闲置土地信息公开”须在“下达闲置土地认定书”之后进行，该环节尚未登记。"
    item = {"code": "case_reply_period_running", "due": D(2026, 2, 4)}
    assert "2026-02-04" in words.render(item, "zh") and "第五条" in words.render(item, "zh")
    from words.cases import date_zh, days_text

    assert date_zh(D(2026, 3, 5)) == "2026年3月5日" and date_zh(None) == "—"
    assert [days_text(n) for n in (3, 0, -2)] == ["剩余3天", "今日到期", "已逾期2天"]


def test_served_again_restarts_the_reply_and_work_list_spans_cases(store, store_backend):
    rec(store, "P1", "investigation_notice", D(2026, 1, 5))
    rec(store, "P1", "investigation_notice", D(2026, 2, 10), note="首次送达未签收，重新送达")
    rec(store, "P2", "investigation_notice", D(2026, 2, 1))
    rec(store, "P2", "holder_reply", D(2026, 2, 20))
    due = cases.all_deadlines(store, D(2026, 3, 5)).set_index("parcel_id")
    assert due.loc["P1", "due_date"] == pd.Timestamp("2026-03-12")  # from the second service
    assert due.loc["P1", "deadline_state"] == "pending" and due.loc["P1", "days_left"] == 7
    assert due.loc["P2", "deadline_state"] == "met" and due.loc["P2", "met_on"] == pd.Timestamp("2026-02-20")
    assert cases.all_deadlines(CaseStore(store_backend.target("empty")), D(2026, 3, 5)).empty
    # the cases as of a date: those with an act by then, the register's and the state's rows
    assert list(cases.cases_as_of(store, D(2026, 2, 5))) == ["P1", "P2"]
    assert list(cases.cases_as_of(store, D(2026, 1, 31))) == ["P1"] == list(cases.case_state(store, D(2026, 1, 31)).index)
    assert list(register(store, as_of=D(2026, 1, 31))["parcel_id"]) == ["P1"]
    assert cases.cases_as_of(store, D(2025, 12, 31)).empty


def test_batch_notices_refuse_one_and_record_the_rest(store):
    holder_chain(store, upto="fee_paid")
    rec(store, "P1", "closed", D(2026, 4, 25), outcome="fee_paid")
    out = store.record_many(["P7", "P1", "P8"], "investigation_notice", account=Account("王五", "reviewer"), event_date=D(2026, 5, 6),
                            at=NOW, doc_number=None)
    assert out["entry_id"].notna().tolist() == [True, False, True]
    assert out.loc[1, "error"]["code"] == "case_is_closed"
    assert words.render(out.loc[1, "error"], "zh") == "案件已结案，登记“下达闲置土地调查通知书”前须先重新立案。"
    reg = register(store, as_of=D(2026, 5, 6)).set_index("parcel_id")
    assert reg.loc["P7", "officer"] == "王五" and reg.loc["P1", "officer"] == "张三"


def test_empty_store_gives_empty_frames(store):
    parcels = pd.DataFrame({"parcel_id": ["P1"], "delay_cause": ["不可抗力"]})
    assert register(store, parcels, as_of=D(2026, 1, 1)).empty
    assert disposed_as_of(store, D(2026, 1, 1)).empty and established_causes(store, D(2026, 1, 1)).empty
    assert cause_in_force(parcels, store, D(2026, 1, 1)).loc[0, "delay_cause"] == "不可抗力"
    assert cases.case_state(store, D(2026, 1, 1)).empty


def test_today_is_the_bureau_day_in_beijing(store):
    # 20:00 UTC on 5 January is 04:00 on 6 January in Beijing: an act of the 6th may be recorded
    rec(store, "P1", "investigation_notice", D(2026, 1, 6), at=datetime(2026, 1, 5, 20, 0, tzinfo=UTC))
    with pytest.raises(CaseError) as err:
        rec(store, "P2", "investigation_notice", D(2026, 1, 6), at=datetime(2026, 1, 5, 15, 0, tzinfo=UTC))
    assert err.value.code == "case_date_in_future"


def test_audit_trail_presented_in_beijing_time_and_words(store):
    from reports import tables

    rec(store, "P1", "fee_decision", D(2026, 4, 1), override=True, override_reason="纸质卷宗补录",
        at=datetime(2026, 4, 1, 4, 0, tzinfo=UTC))
    shown = tables.present(cases.audit_trail(store, "P1"), lang="zh", keep_dtypes=False)
    row = shown.iloc[0]
    assert row["记录时间(北京时间)"] == "2026-04-01 12:00"
    assert row["处置环节"] == "下达征缴土地闲置费决定书" and row["日期"] == "2026-04-01"
    assert row["越过程序理由"] == "纸质卷宗补录"
    assert "须在以下环节之一之后进行" in row["未满足的程序规定"] and "第十四条" in row["未满足的程序规定"]
    assert row["经办人"] == "张三"


def test_evaluation_disposal_rate_follows_the_case_dates(store):
    import geopandas as gpd
    from shapely.geometry import box

    from geo.evaluation import evaluate_parks

    holder_chain(store)  # P1 fee paid 2026-04-20
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["P1", "P2"], "park_id": ["A", "A"], "supply_date": ["2020-01-01"] * 2,
         "idle_status": ["idle_fee", "idle_fee"], "land_use": ["工业用地"] * 2},
        geometry=[box(500_000, 2_500_000, 500_100, 2_500_100), box(500_200, 2_500_000, 500_300, 2_500_100)],
        crs="EPSG:4545",
    )  # two idle parcels of 1 ha each
    parks = pd.DataFrame({"park_id": ["A"], "developable_ha": [10.0], "supply_ready_ha": [8.0]})
    rate = {d: evaluate_parks(parks, parcels, as_of=d, cases=store).table.set_index("park_id").loc["A", "idle_disposal_rate"]
            for d in ("2026-04-19", "2026-04-20")}
    assert rate["2026-04-19"] == pytest.approx(0.0) and rate["2026-04-20"] == pytest.approx(0.5)
