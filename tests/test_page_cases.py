"""The idle page's case panel and work list (AppTest): the procedure run from the page, in Chinese."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.delta_generator import DeltaGenerator

import words
from geo import sample, workspace
from geo.accounts import AccessError, Account
from geo.cases import CaseStore
from geo.workspace import Workspace
from tests.conftest import login_as, shown_tables
from views.cases import work_lists

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def case_workspace(tmp_path_factory) -> Path:
    """A sample workspace of this module's own: its cases are written to."""
    out = tmp_path_factory.mktemp("case_ws")
    sample.write_sample(out, n=3000)  # enough suspected 南宁 parcels without a case for every test
    return out


@pytest.fixture
def app(case_workspace, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GXLAND_WORKSPACE", str(case_workspace))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = AS_OF
    return login_as(at, case_workspace)


@pytest.fixture
def downloads(monkeypatch):
    """Each download button's data by key (a callable is built when the test asks)."""
    seen: dict[str, object] = {}
    original = DeltaGenerator.download_button

    def spy(self, label, data, *args, **kwargs):
        seen[kwargs.get("key")] = data
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    return seen


def _bytes(data) -> bytes:
    return data() if callable(data) else data


def _suspected_without_case(ws: Path, kind: str | None = None) -> str:
    w = workspace.Workspace(ws)
    from geo import io as gio

    parks = gio.read_parks(ROOT / "data" / "parks.geojson")
    gdf = gio.read_parcels(w.parcels_path, parks=parks).gdf
    analysed = workspace.analyse_idle(gdf, as_of=AS_OF, cases=w.case_store())
    taken = set(w.case_store().parcels())
    rows = analysed[(analysed["idle_status"] == "idle_suspected") & ~analysed["parcel_id"].isin(taken)
                    & (analysed["park_id"] == "nanning")]
    if kind is not None:
        rows = rows[rows["idle_kind"] == kind]
    return str(rows["parcel_id"].iloc[0])


def _open(app, pid: str):
    at = app.run()
    at.session_state["case_form_open"] = True  # the stage form's panel, drawn when opened
    at.switch_page("views/idle.py").run()
    assert not at.exception, at.exception
    at.text_input(key="idle_search").input(pid).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="idle_pick").value == pid
    return at


def _record(at, stage: str, day: date, *, doc: str = "", cause: str | None = None, amount: float | None = None,
            override_reason: str | None = None):
    # The stage is picked first: the form then asks only for what that stage records.
    at.selectbox(key="case_stage@zh").set_value(stage).run()
    assert not at.exception, at.exception
    if stage != "determination":
        assert not [s for s in at.selectbox if s.key == "case_cause@zh"]
    if stage not in ("fee_decision", "fee_paid", "negotiated_disposal"):
        assert not [n for n in at.number_input if n.key == "case_amount"]
    at.date_input(key="case_date").set_value(day)
    at.text_input(key="case_doc_number").input(doc)
    if cause:
        at.selectbox(key="case_cause@zh").set_value(cause)
    if amount is not None:
        at.number_input(key="case_amount").set_value(amount)
    if override_reason:
        at.checkbox(key="case_override").check()
        at.text_input(key="case_override_reason").input(override_reason)
    at.button(key="FormSubmitter:case_form-登记").click().run()
    assert not at.exception, at.exception
    return at


def _card_status(at) -> str:
    for v in shown_tables(at):
        if "项目" in v.columns:
            values = dict(zip(v.iloc[:, 0], v.iloc[:, 1], strict=True))
            return values["闲置状态"]
    raise AssertionError("no card")


def _frame_with(at, *columns: str) -> pd.DataFrame:
    for v in shown_tables(at):
        if set(columns) <= set(v.columns):
            return v
    raise AssertionError(columns)


def test_the_procedure_from_the_page(app, case_workspace, downloads):
    pid = _suspected_without_case(case_workspace)
    at = _open(app, pid)
    assert "疑似" in _card_status(at)
    assert any("尚未立案" in c.value for c in at.caption)
    at = _record(at, "investigation_notice", date(2026, 9, 1), doc="自然资闲调〔2026〕101号")
    assert any("已登记“下达闲置土地调查通知书”" in s.value for s in at.success)
    at = _record(at, "holder_reply", date(2026, 9, 20))
    at = _record(at, "determination", date(2026, 10, 10), doc="自然资闲认〔2026〕88号", cause="holder")
    status = _card_status(at)
    assert status in {words.label("idle_status", s, "zh") for s in ("idle_fee", "idle_recover")} or (
        "闲置费" in status or "收回" in status), status
    stages = _frame_with(at, "处置环节")
    assert "下达闲置土地认定书" in set(stages["处置环节"]) and "自然资闲认〔2026〕88号" in set(stages["文号"])
    # A fee decision before the hearing notice is refused, in Chinese.
    at = _record(at, "fee_decision", date(2026, 11, 1), doc="自然资闲征〔2026〕5号", amount=12.5)
    errors = " ".join(e.value for e in at.error)
    assert "听证" in errors and "须" in errors and not re.search(r"case_|fee_decision|hearing", errors), errors
    # … and recorded with a written reason, which the audit trail keeps.
    at = _record(at, "fee_decision", date(2026, 11, 1), doc="自然资闲征〔2026〕5号", amount=12.5,
                 override_reason="经局务会研究先行下达")
    at.session_state["case_audit_open"] = True  # the trail's panel, filled when opened
    at.run()
    audit = _frame_with(at, "越过程序理由")
    assert "经局务会研究先行下达" in set(audit["越过程序理由"])
    assert (audit["未满足的程序规定"] != words.DASH).sum() == 1
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", v) for v in audit["记录时间(北京时间)"])
    assert set(audit["经办人"]) == {"测试员"} and set(audit["经办人角色"]) == {"系统管理员"}  # account, role
    # The payment deadline is on the card; the documents download.
    assert any("缴纳土地闲置费期限" in i.value for i in at.info)
    from docx import Document

    doc = Document(io.BytesIO(_bytes(downloads["case_doc_fee_decision"])))
    text = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for tb in doc.tables for r in tb.rows for c in r.cells)
    assert pid in text and "自然资闲征〔2026〕5号" in text
    log = CaseStore(case_workspace / "cases.sqlite").log(pid)
    assert list(log["officer"].unique()) == ["测试员"]


def test_the_stage_form_is_drawn_when_its_panel_is_opened(app, case_workspace):
    pid = _suspected_without_case(case_workspace)
    at = app.run()
    at.switch_page("views/idle.py").run()
    at.text_input(key="idle_search").input(pid).run()
    assert not at.exception and at.selectbox(key="idle_pick").value == pid
    # closed: the next stages are named, no widget of the form is drawn
    assert "case_stage@zh" not in [s.key for s in at.selectbox]
    assert any("按程序可办理的环节" in c.value for c in at.caption)
    at.session_state["case_form_open"] = True  # as a click on the expander does
    at.run()
    assert "case_stage@zh" in [s.key for s in at.selectbox]
    _record(at, "investigation_notice", date(2026, 9, 1), doc="自然资闲调〔2026〕9号")
    assert any("已登记" in s.value for s in at.success)
    assert "case_stage@zh" in [s.key for s in at.selectbox]  # the panel stays open after a record


def test_a_viewer_sees_no_form_and_the_store_refuses(app, case_workspace):
    pid = _suspected_without_case(case_workspace)
    login_as(app, case_workspace, "查看员", "viewer")
    at = _open(app, pid)
    assert "case_stage@zh" not in [s.key for s in at.selectbox]  # no form to record with
    assert any("只能查看，不能记录" in i.value for i in at.info), [i.value for i in at.info]
    store = Workspace(case_workspace).case_store()
    with pytest.raises(AccessError) as err:
        store.record(pid, "investigation_notice", account=Account("查看员", "viewer"),
                     event_date=date(2026, 9, 1))
    assert err.value.code == "access_read_only"
    assert CaseStore(case_workspace / "cases.sqlite").log(pid).empty


def _open_work_list(at) -> None:
    at.session_state["case_work_open"] = True
    at.run()
    assert not at.exception, at.exception


def test_work_list_and_register(app, case_workspace, downloads):
    at = app.run()
    at.switch_page("views/idle.py").run()
    assert not at.exception, at.exception
    # closed: the counts show, the lists are neither made nor shipped
    counts = next(w.value for w in at.warning if w.value.startswith("已立案宗地"))
    assert re.search(r"已逾期 [1-9]\d* 项", counts), counts
    assert not [t for t in at.tabs if t.label.startswith("已逾期")]
    assert "case_register_dl" not in downloads
    _open_work_list(at)
    by_stage = _frame_with(at, "处置环节", "宗数")
    assert len(by_stage) > 3 and "下达闲置土地认定书" in set(by_stage["处置环节"])
    overdue = [t for t in at.tabs if t.label.startswith("已逾期")]
    assert overdue and overdue[0].label != "已逾期（0项）"
    # the closed panel's counts (from the lists as found) are the opened panel's (as shown)
    week = next(t for t in at.tabs if t.label.startswith("本周到期"))
    assert re.search(r"已逾期 (\d+) 项", counts)[1] == re.search(r"(\d+)", overdue[0].label)[1]
    assert re.search(r"期限本周到期 (\d+) 项", counts)[1] == re.search(r"(\d+)", week.label)[1]
    # ... and its cases (counted without the register) are the register's
    assert int(re.search(r"已立案宗地 (\d+) 宗", counts)[1]) == sum(int(n) for n in by_stage["宗数"])
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(_bytes(downloads["case_register_dl"])))
    ws = wb[wb.sheetnames[0]]
    assert wb.sheetnames[0] == "闲置土地处置台账"
    headers = [c.value for c in ws[1]]
    assert "宗地编号" in headers and "处置环节" in headers and "认定闲置原因" in headers
    assert ws.max_row > 10


def test_batch_investigation_notices(app, case_workspace):
    at = app.run()
    at.switch_page("views/idle.py").run()
    _open_work_list(at)
    options = at.multiselect(key="case_batch_parcels").options
    picked = options[:3]
    at.multiselect(key="case_batch_parcels").set_value(picked)
    at.button(key="FormSubmitter:case_batch_form-为所选宗地登记调查通知书").click().run()
    assert not at.exception, at.exception
    assert any("已为 3 宗土地登记闲置土地调查通知书" in s.value for s in at.success)
    store = CaseStore(case_workspace / "cases.sqlite")
    assert set(picked) <= set(store.parcels())


def test_work_lists_filter_by_park_and_officer():
    reg = pd.DataFrame({"parcel_id": ["A", "B", "C"], "park_id": ["p1", "p2", None], "holder": ["甲", "乙", "丙"],
                        "case_stage": ["investigation_notice", "fee_decision", "fee_decision"],
                        "officer": ["黄", "韦", "黄"]})
    due = pd.DataFrame({"parcel_id": ["A", "B", "C"], "deadline": ["reply", "payment", "payment"],
                        "due_date": pd.to_datetime(["2026-11-27", "2026-11-01", "2026-12-20"]),
                        "days_left": [2, -24, 25], "deadline_state": ["pending", "overdue", "pending"]})
    lists = work_lists(reg, due)
    assert list(lists["this_week"]["parcel_id"]) == ["A"] and list(lists["overdue"]["parcel_id"]) == ["B"]
    assert dict(zip(lists["by_stage"]["case_stage"], lists["by_stage"]["status_count"], strict=True)) == {
        "investigation_notice": 1, "fee_decision": 2}
    assert list(work_lists(reg, due, park_ids=["p2"])["overdue"]["parcel_id"]) == ["B"]
    assert work_lists(reg, due, officers=["黄"])["overdue"].empty
    assert list(work_lists(reg, due, park_ids=[""])["by_stage"]["case_stage"]) == ["fee_decision"]


def test_supplementary_agreement_recorded_on_the_page(app, case_workspace, downloads):
    # A parcel never started, with no case: the agreement is recorded, opens no case and moves the clock.
    pid = _suspected_without_case(case_workspace, kind="not_started")
    at = _open(app, pid)
    assert "疑似" in _card_status(at)
    # the panel is filled when opened: closed, the card draws no agreement form
    assert "agreement_signed" not in {d.key for d in at.date_input}
    at.session_state["agreement_open"] = True  # as a click on the expander does
    at.run()
    at.date_input(key="agreement_signed").set_value(date(2026, 5, 1))
    at.date_input(key="agreement_new_start").set_value(date(2026, 12, 1))
    at.text_input(key="agreement_doc_no").input("出让合同补字〔2026〕3号")
    at.text_input(key="agreement_reason").input("周边道路未建成")
    at.button(key="FormSubmitter:agreement_form-登记补充协议").click().run()
    assert not at.exception, at.exception
    assert any("已登记补充协议" in s.value and "2026-12-01" in s.value for s in at.success), [
        s.value for s in at.success]
    store = CaseStore(case_workspace / "cases.sqlite")
    assert pid not in store.parcels()
    agreed = store.agreements(pid)
    assert list(agreed["officer"]) == ["测试员"] and list(agreed["reason"]) == ["周边道路未建成"]
    # The card now counts from the new date (not yet due as of the sidebar's date) and lists the agreement.
    assert "疑似" not in _card_status(at)
    shown = shown_tables(at)
    assert any("出让合同补字〔2026〕3号" in set(v.astype(str).stack()) for v in shown)


def test_agreement_refused_in_chinese(app, case_workspace):
    pid = _suspected_without_case(case_workspace)
    at = _open(app, pid)
    at.session_state["agreement_open"] = True
    at.run()
    at.date_input(key="agreement_signed").set_value(date(2026, 5, 1))
    at.date_input(key="agreement_new_start").set_value(date(2026, 4, 1))
    at.button(key="FormSubmitter:agreement_form-登记补充协议").click().run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "早于补充协议签订日期" in errors, errors
    assert CaseStore(case_workspace / "cases.sqlite").agreements(pid).empty


def test_case_attachment_downloads_as_stored(app, case_workspace, downloads):
    pid = _suspected_without_case(case_workspace)
    store = CaseStore(case_workspace / "cases.sqlite")
    entry = store.record(pid, "investigation_notice", account=Account("测试员", "admin"), event_date=date(2026, 9, 1),
                         attachment=b"receipt bytes", attachment_name="送达回证.pdf")
    at = _open(app, pid)
    assert f"case_att_{entry}" not in downloads  # in the audit trail's panel, filled when opened
    at.session_state["case_audit_open"] = True
    at.run()
    assert _bytes(downloads[f"case_att_{entry}"]) == b"receipt bytes"


def test_an_officer_sees_its_parks_only_and_no_decisions_to_record(app, case_workspace, downloads):
    pid = _suspected_without_case(case_workspace)  # a 南宁 parcel
    login_as(app, case_workspace, "南宁经办员", "officer", parks=["nanning"])
    at = _open(app, pid)
    options = at.selectbox(key="case_stage@zh").options
    assert "下达闲置土地调查通知书" in options
    for decision in ("下达闲置土地认定书", "下达征缴土地闲置费决定书", "下达收回国有建设用地使用权决定书"):
        assert decision not in options  # a section chief's (the store refuses them too: tests/test_scope.py)
    assert "case_override" not in [c.key for c in at.checkbox]
    assert any("须由科室负责人（审核）记录" in c.value for c in at.caption)
    # a parcel of 柳州 is not found: the officer's pages hold 南宁's parcels only
    from geo import io as gio

    w = workspace.Workspace(case_workspace)
    gdf = gio.read_parcels(w.parcels_path, parks=gio.read_parks(ROOT / "data" / "parks.geojson")).gdf
    other = str(gdf.loc[gdf["park_id"] == "liuzhou", "parcel_id"].iloc[0])
    at.text_input(key="idle_search").input(other).run()
    assert any("未找到宗地编号" in w.value for w in at.warning)
    # its work list and register hold the cases of 南宁 only
    nanning_ids = set(gdf.loc[gdf["park_id"] == "nanning", "parcel_id"].astype(str))
    cases_here = set(CaseStore(case_workspace / "cases.sqlite").parcels())
    assert cases_here - nanning_ids  # the store holds other parks' cases too
    _open_work_list(at)
    by_stage = _frame_with(at, "处置环节", "宗数")
    assert pd.to_numeric(by_stage["宗数"]).sum() == len(cases_here & nanning_ids)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_bytes(downloads["case_register_dl"]))).active
    col = [c.value for c in sheet[1]].index("宗地编号")
    ids = {row[col] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert ids == cases_here & nanning_ids
    # the step it may record lands under its account and role
    at.text_input(key="idle_search").input(pid).run()
    at = _record(at, "investigation_notice", date(2026, 9, 1))
    log = CaseStore(case_workspace / "cases.sqlite").log(pid)
    assert list(log["officer"]) == ["南宁经办员"] and list(log["officer_role"]) == ["officer"]
