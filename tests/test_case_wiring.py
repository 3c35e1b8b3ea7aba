"""The case store wired in: the determination's cause in force, the sample's cases, the evaluation's disposals."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo import sample, workspace
from geo.accounts import Account
from geo.cases import STAGES, CaseStore, case_state

AS_OF = date(2025, 6, 1)


def _parcels() -> pd.DataFrame:
    return pd.DataFrame({
        "parcel_id": ["A", "B"],
        "agreed_start_date": ["2023-01-01", "2023-01-01"],
        "supply_date": ["2022-06-01", "2022-06-01"],
        "land_price_wan": [100.0, 100.0],
        "area_m2": [6_667.0, 6_667.0],
        "delay_cause": [None, "规划调整"],
    })


def test_workspace_has_a_case_store(tmp_path):
    ws = workspace.Workspace(tmp_path)
    store = ws.case_store()
    assert ws.cases_path == tmp_path / "cases.sqlite" and ws.cases_path.exists()
    assert store.revision() == 0
    store.record("A", "investigation_notice", account=Account("黄志强", "reviewer"), event_date="2025-01-02")
    assert store.revision() == 1


def test_determination_of_the_holders_cause_makes_a_suspected_parcel_due(tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite")
    before = workspace.analyse_idle(_parcels(), as_of=AS_OF, cases=store).set_index("parcel_id")
    assert list(before["idle_status"]) == ["idle_suspected", "idle_suspected"]
    for pid in ("A", "B"):
        store.record(pid, "investigation_notice", account=Account("黄志强", "reviewer"), event_date="2025-01-02")
        store.record(pid, "holder_reply", account=Account("黄志强", "reviewer"), event_date="2025-01-20")
    store.record("A", "determination", account=Account("黄志强", "reviewer"), event_date="2025-03-01", cause="holder")
    store.record("B", "determination", account=Account("黄志强", "reviewer"), event_date="2025-03-01", cause="plan_revised")
    after = workspace.analyse_idle(_parcels(), as_of=AS_OF, cases=store).set_index("parcel_id")
    assert after.loc["A", "idle_status"] in ("idle_fee", "idle_recover")
    assert after.loc["B", "idle_status"] == "idle_exempt"
    assert list(after["cause_source"]) == ["case", "case"]
    assert after.loc["B", "delay_cause_file"] == "规划调整"  # the file's text kept
    # Before the determination was made, the file's (blank) cause is in force.
    early = workspace.analyse_idle(_parcels(), as_of=date(2025, 2, 1), cases=store).set_index("parcel_id")
    assert early.loc["A", "idle_status"] == "idle_suspected"


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_cases")
    paths = sample.write_sample(out, n=2000)
    return out, paths


def test_sample_workspace_has_cases_at_every_stage(sample_dir):
    out, paths = sample_dir
    assert paths["cases"] == out / "cases.sqlite"
    store = CaseStore(paths["cases"])
    stages = set(store.log()["stage"])
    assert stages >= set(STAGES) - {"note"}
    assert case_state(store, sample.SAMPLE_AS_OF)["closed"].any()


def test_sample_written_again_starts_its_cases_afresh(tmp_path):
    first = sample.write_sample(tmp_path, n=500)
    n = len(CaseStore(first["cases"]).log())
    again = sample.write_sample(tmp_path, n=500)
    assert len(CaseStore(again["cases"]).log()) == n


def test_cli_sample_writes_cases_and_idle_reads_them(tmp_path, capsys):
    from cli import main

    ws = tmp_path / "ws"
    assert main(["sample", "--out", str(ws), "--n", "400"]) == 0
    assert (ws / "cases.sqlite").exists() and len(CaseStore(ws / "cases.sqlite").log()) > 0
    out = tmp_path / "idle.csv"
    assert main(["idle", str(ws / "parcels.parquet"), "--as-of", sample.SAMPLE_AS_OF.isoformat(), "-o", str(out),
                 "--cases", str(ws / "cases.sqlite")]) == 0
    with_cases = pd.read_csv(out, encoding="utf-8-sig").set_index("宗地编号")["闲置状态"]
    assert main(["idle", str(ws / "parcels.parquet"), "--as-of", sample.SAMPLE_AS_OF.isoformat(), "-o", str(out)]) == 0
    file_only = pd.read_csv(out, encoding="utf-8-sig").set_index("宗地编号")["闲置状态"]
    # The sample's determinations of the holder's cause settle suspected parcels.
    settled = file_only.str.contains("原因待调查认定") & ~with_cases.str.contains("原因待调查认定")
    assert settled.any()


def test_extension_agreed_in_the_procedure_moves_the_clock(tmp_path):
    # B: a government cause (plan revised) determined 2025-03-01; on 2025-04-01 the start date is
    # extended to 2026-03-01 (Art. 12 (1), ≤ 1 year). From the day it was signed the clock runs
    # from the new date: as of 2025-06-01 the parcel is not yet due; before the signing, idle.
    store = CaseStore(tmp_path / "cases.sqlite")
    store.record("B", "investigation_notice", account=Account("黄志强", "reviewer"), event_date="2025-01-02")
    store.record("B", "holder_reply", account=Account("黄志强", "reviewer"), event_date="2025-01-20")
    store.record("B", "determination", account=Account("黄志强", "reviewer"), event_date="2025-03-01", cause="plan_revised")
    store.record("B", "negotiated_disposal", account=Account("黄志强", "reviewer"), event_date="2025-04-01", way="extension",
                 until_date="2026-03-01", doc_number="南自然资延〔2025〕1号", note="规划修改后重新设计")
    ext = workspace.analyse_idle(_parcels(), as_of=date(2025, 6, 1), cases=store).set_index("parcel_id")
    assert ext.loc["B", "idle_status"] == "not_due"
    assert str(ext.loc["B", "agreed_start_in_force"])[:10] == "2026-03-01"
    assert ext.loc["B", "extension_doc_no"] == "南自然资延〔2025〕1号"
    before = workspace.analyse_idle(_parcels(), as_of=date(2025, 3, 15), cases=store).set_index("parcel_id")
    assert before.loc["B", "idle_status"] == "idle_exempt"


def test_agreement_outside_the_procedure_moves_the_clock_and_opens_no_case(tmp_path):
    # A: agreed start 2023-01-01, no cause recorded. A supplementary agreement signed on 2023-11-01
    # (still within the first year, no procedure) moves the start to 2024-09-01. As of 2024-06-01
    # the parcel is not yet due; as of 2023-10-01 (before signing) the first date is in force;
    # as of 2025-10-01 it is past a year from the new date: suspected.
    store = CaseStore(tmp_path / "cases.sqlite")
    before = store.revision()
    aid = store.record_agreement("A", account=Account("黄志强", "reviewer"), signed_date="2023-11-01", new_start_date="2024-09-01",
                                 doc_number="出让合同补字〔2023〕7号", reason="配套道路未建成",
                                 attachment=b"%PDF-1.4 scan", attachment_name="补充协议.pdf")
    assert aid == 1 and store.revision() > before
    assert store.parcels() == []  # no case opened
    assert case_state(store, AS_OF).empty
    agreed = store.agreements("A")
    assert list(agreed["doc_number"]) == ["出让合同补字〔2023〕7号"]
    assert store.attachment(agreed.loc[0, "attachment_sha256"]) == b"%PDF-1.4 scan"
    mid = workspace.analyse_idle(_parcels(), as_of=date(2024, 6, 1), cases=store).set_index("parcel_id")
    assert mid.loc["A", "idle_status"] == "not_due"
    assert str(mid.loc["A", "agreed_start_in_force"])[:10] == "2024-09-01"
    assert mid.loc["A", "extension_doc_no"] == "出让合同补字〔2023〕7号"
    assert mid.loc["B", "idle_status"] == "idle_suspected"  # only A's contract was amended
    early = workspace.analyse_idle(_parcels(), as_of=date(2023, 10, 1), cases=store).set_index("parcel_id")
    assert early.loc["A", "idle_status"] == "overdue" and pd.isna(early.loc["A", "extension_doc_no"])
    late = workspace.analyse_idle(_parcels(), as_of=date(2025, 10, 1), cases=store).set_index("parcel_id")
    assert late.loc["A", "idle_status"] == "idle_suspected"
    assert str(late.loc["A", "clock_start"])[:10] == "2024-09-01"


def test_agreement_refusals(tmp_path):
    from geo.cases import CaseError

    store = CaseStore(tmp_path / "cases.sqlite")
    chief = Account("黄", "reviewer")
    cases = [
        ({"account": chief, "signed_date": None, "new_start_date": "2024-06-01"}, "case_date_missing"),
        ({"account": chief, "signed_date": "2024-01-01", "new_start_date": None}, "agreement_new_start_missing"),
        ({"account": chief, "signed_date": "2024-01-01", "new_start_date": "2023-12-31"},
         "agreement_new_start_before_signed"),
        ({"account": chief, "signed_date": "2999-01-01", "new_start_date": "2999-06-01"}, "case_date_in_future"),
    ]
    for kwargs, code in cases:
        with pytest.raises(CaseError) as err:
            store.record_agreement("A", **kwargs)
        assert err.value.code == code
        import words

        text = words.render(err.value.item, "zh")
        assert text and "agreement" not in text and "case_" not in text, text
    # It moves the clock as an agreed extension does: an officer may not record it, a reviewer may.
    from geo.accounts import AccessError

    with pytest.raises(AccessError) as denied:
        store.record_agreement("A", account=Account("韦", "officer", parks=("nanning",)), park_id="nanning",
                               signed_date="2024-01-01", new_start_date="2024-06-01")
    assert denied.value.code == "access_needs_reviewer"
    # The signing day itself is a valid new start date (boundary).
    store.record_agreement("A", account=chief, signed_date="2024-01-01", new_start_date="2024-01-01")
    assert len(store.agreements()) == 1


def test_agreements_are_append_only(tmp_path):
    import sqlite3

    store = CaseStore(tmp_path / "cases.sqlite")
    store.record_agreement("A", account=Account("黄", "reviewer"), signed_date="2024-01-01", new_start_date="2024-06-01")
    with sqlite3.connect(store.path) as con:
        for sql in ("UPDATE start_agreement SET new_start_date = '2030-01-01'", "DELETE FROM start_agreement"):
            with pytest.raises(sqlite3.DatabaseError):
                con.execute(sql)


def test_register_shows_the_agreed_date_in_force(tmp_path):
    from geo.cases import register

    store = CaseStore(tmp_path / "cases.sqlite")
    store.record("A", "investigation_notice", account=Account("黄志强", "reviewer"), event_date="2025-01-02")
    store.record_agreement("A", account=Account("黄志强", "reviewer"), signed_date="2025-02-01", new_start_date="2025-12-01")
    reg = register(store, _parcels(), as_of=date(2025, 6, 1)).set_index("parcel_id")
    assert str(reg.loc["A", "extended_start_date"])[:10] == "2025-12-01"
    reg_early = register(store, _parcels(), as_of=date(2025, 1, 15)).set_index("parcel_id")
    assert pd.isna(reg_early.loc["A", "extended_start_date"])
