"""Case documents: each DOCX opens, holds the case's facts and cites its articles; the templates are reproducible."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from datetime import UTC, datetime
from pathlib import Path

import docx
import pandas as pd
import pytest
from openpyxl import load_workbook

import words
from geo.accounts import Account
from geo.cases import CaseStore
from reports.documents import (
    DOCUMENT_ERROR_CODES,
    DOCUMENT_KINDS,
    TEMPLATE_DIR,
    DocumentError,
    document_context,
    document_filename,
    register_xlsx_bytes,
    render_document,
)

D = dt.date
NOW = datetime(2027, 6, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent

PARCEL = {
    "parcel_id": "450103-2023-017",
    "park_id": "nanning",
    "holder": "广西某某新材料有限公司",
    "holder_address": "南宁市高新区科园大道1号",
    "land_use": "工业用地",
    "area_m2": 20_000.0,  # = 30 亩
    "supply_date": "2022-05-10",
    "agreed_start_date": "2023-05-10",
    "land_price_wan": 600.0,  # fee = 20 % = 120 万元
    "idle_kind": "not_started",
    "idle_status": "idle_fee",
}


def _text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in d.paragraphs)


@pytest.fixture
def holder_case(tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite")
    pid = PARCEL["parcel_id"]

    def rec(stage, day, **kw):
        store.record(pid, stage, account=Account("张三", "reviewer"), event_date=day, at=NOW, **kw)

    rec("investigation_notice", D(2026, 1, 5), doc_number="南自然资闲调〔2026〕7号")
    rec("holder_reply", D(2026, 1, 20))
    rec("determination", D(2026, 3, 1), cause="holder", doc_number="南自然资闲认〔2026〕7号",
        doc_date=D(2026, 2, 27))
    rec("public_notice", D(2026, 3, 5), doc_number="南自然资公告〔2026〕3号")
    rec("hearing_notice", D(2026, 3, 10), doc_number="南自然资听告〔2026〕7号")
    rec("hearing_waived", D(2026, 3, 20))
    rec("fee_decision", D(2026, 4, 1), doc_number="南自然资闲征〔2026〕7号", amount_wan=120.0)
    rec("recovery_decision", D(2026, 4, 2), doc_number="南自然资收〔2026〕7号")
    return store.log(pid)


ARTICLES = {
    "investigation_notice": ["《闲置土地处置办法》第二条", "第五条", "第六条", "第七条", "第八条"],
    "determination": ["第二条", "第九条", "第十条", "第十四条", "第十五条", "第十一条"],
    "public_notice": ["《闲置土地处置办法》第十一条"],
    "hearing_notice": ["第十四条第（一）项", "《闲置土地处置办法》第十五条"],
    "fee_decision": ["《闲置土地处置办法》第十四条第（一）项", "第十七条", "行政复议", "行政诉讼"],
    "recovery_decision": ["《中华人民共和国城市房地产管理法》第二十六条", "第十四条第（二）项", "第十七条",
                          "第十八条"],
}
FACTS = {
    "investigation_notice": ["南自然资闲调〔2026〕7号", "2026年1月5日", "2026年2月4日"],  # reply due: day 30
    "determination": ["南自然资闲认〔2026〕7号", "2026年2月27日", "南自然资闲调〔2026〕7号", "国有建设用地使用权人自身原因",
                      "未动工开发"],
    "public_notice": ["南自然资公告〔2026〕3号", "2024年5月10日", "南自然资闲认〔2026〕7号"],
    "hearing_notice": ["南自然资听告〔2026〕7号", "600.00万元", "120.00万元", "五个工作日"],
    "fee_decision": ["南自然资闲征〔2026〕7号", "600.00万元", "120.00万元", "2026年5月1日", "南宁市人民政府",
                     "未要求听证", "南自然资听告〔2026〕7号"],
    "recovery_decision": ["南自然资收〔2026〕7号", "2026年5月2日", "南宁市人民政府", "注销登记"],
}


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_each_document_opens_with_the_case_facts(holder_case, kind):
    data = render_document(kind, holder_case, PARCEL, authority="南宁市自然资源局", park_name="南宁高新技术产业开发区",
                           government="南宁市人民政府")
    text = _text(data)
    assert words.label("document", kind) in text
    assert "南宁市自然资源局" in text and "450103-2023-017" in text
    assert "广西某某新材料有限公司" in text and "南宁高新技术产业开发区" in text
    assert "20,000.00平方米" in text and "30.00亩" in text
    for fact in FACTS[kind] + ARTICLES[kind]:
        assert fact in text, fact
    for bad in ("{{", "{%", "}}", "None", "nan", "NaN", "True", "False", "holder", "（发文机关名称）"):
        assert bad not in text, bad


def test_government_cause_determination_and_notice(tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite")
    for stage, day, kw in [
        ("investigation_notice", D(2026, 1, 5), {"doc_number": "调〔2026〕1号"}),
        ("holder_reply", D(2026, 1, 6), {}),
        ("determination", D(2026, 2, 1), {"cause": "land_not_delivered", "doc_number": "认〔2026〕1号"}),
        ("public_notice", D(2026, 2, 5), {"doc_number": "公〔2026〕1号"}),
    ]:
        store.record("P2", stage, account=Account("李四", "reviewer"), event_date=day, at=NOW, **kw)
    log = store.log("P2")
    parcel = {**PARCEL, "parcel_id": "P2", "idle_kind": "stalled"}
    det = _text(render_document("determination", log, parcel))
    assert "未按约定交付土地" in det and "第八条" in det and "第十二条、第十三条" in det
    assert "第十四条" not in det and "中止开发建设满一年" in det
    assert "（发文机关名称）" in det  # no authority given: the blank says so
    notice = _text(render_document("public_notice", log, parcel))
    assert "四、闲置原因：未按约定交付土地。" in notice  # Art. 11: a government cause is published
    holder_notice = _text(render_document("public_notice", log.assign(cause=log["cause"].where(
        log["stage"] != "determination", "holder")), parcel))
    assert "闲置原因" not in holder_notice  # the paragraph goes with its condition


def test_number_and_date_come_from_the_case(holder_case):
    ctx = document_context("determination", holder_case, PARCEL)
    assert ctx["doc_number"] == "南自然资闲认〔2026〕7号" and ctx["doc_date"] == "2026年2月27日"
    assert ctx["fee_wan"] == "120.00" and ctx["area_mu"] == "30.00"
    # a fee decision without an amount: 20 % of the land price (Art. 14 (1))
    no_amount = holder_case.assign(amount_wan=float("nan"))
    assert document_context("fee_decision", no_amount, PARCEL)["fee_wan"] == "120.00"
    with pytest.raises(DocumentError) as err:
        document_context("determination", holder_case[holder_case["stage"] != "determination"], PARCEL)
    assert err.value.code == "document_stage_missing"
    with pytest.raises(DocumentError) as err:
        document_context("letter", holder_case, PARCEL)
    assert err.value.code == "document_kind_unknown"


def test_hearing_notice_for_recovery(holder_case):
    text = _text(render_document("hearing_notice", holder_case, {**PARCEL, "idle_status": "idle_recover"}))
    assert "无偿收回" in text and "第十四条第（二）项" in text and "征缴土地闲置费" not in text


def test_bureau_template_replaces_the_shipped_one(holder_case, tmp_path):
    d = docx.Document()
    d.add_paragraph("本局专用格式 {{ doc_number }} {{ holder }} {{ area_mu }}亩")
    d.save(tmp_path / "fee_decision.docx")
    text = _text(render_document("fee_decision", holder_case, PARCEL, template_dir=tmp_path))
    assert text == "本局专用格式 南自然资闲征〔2026〕7号 广西某某新材料有限公司 30.00亩"
    with pytest.raises(DocumentError) as err:
        render_document("determination", holder_case, PARCEL, template_dir=tmp_path)
    assert err.value.code == "document_template_missing"


def test_templates_are_reproducible(tmp_path):
    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "scripts" / "make_templates.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    written = mod.write_all(tmp_path)
    assert {p.stem for p in written} == set(DOCUMENT_KINDS)
    for p in written:
        assert p.read_bytes() == (TEMPLATE_DIR / p.name).read_bytes(), p.name


def test_filename_and_codes():
    assert document_filename("fee_decision", "P1", "南自然资闲征〔2026〕7号") == "征缴土地闲置费决定书_P1_南自然资闲征〔2026〕7号.docx"
    assert document_filename("determination", "A/B") == "闲置土地认定书_A-B.docx"
    for code in DOCUMENT_ERROR_CODES:
        assert words.has_text(code, "zh") and words.has_text(code, "en")
    for kind in DOCUMENT_KINDS:
        assert words.has_label("document", kind, "zh") and words.has_label("document", kind, "en")


def test_register_workbook(tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite")
    for stage, day, kw in [("investigation_notice", D(2026, 1, 5), {"doc_number": "调〔2026〕1号"})]:
        store.record("450103-2023-017", stage, account=Account("张三", "reviewer"), event_date=day, at=NOW, **kw)
    parcels = pd.DataFrame([PARCEL])
    parks = pd.DataFrame({"park_id": ["nanning"], "name_zh": ["南宁高新技术产业开发区"]})
    data = register_xlsx_bytes(store, parcels, as_of=D(2026, 2, 10), parks=parks)
    ws = load_workbook(io.BytesIO(data))["闲置土地处置台账"]
    head = [c.value for c in ws[1]]
    row = dict(zip(head, [c.value for c in ws[2]], strict=True))
    assert row["园区名称"] == "南宁高新技术产业开发区" and row["土地使用权人"] == "广西某某新材料有限公司"
    assert row["处置环节"] == "下达闲置土地调查通知书" and row["调查通知书文号"] == "调〔2026〕1号"
    assert row["逾期事项数"] == 1 and row["已处置"] == "否"
    assert row["最近到期日"] == datetime(2026, 2, 4)


def test_markup_in_the_data_stays_text(holder_case):
    parcel = {**PARCEL, "holder": "A&B<广西>公司", "holder_address": "{{ 注入 }}"}
    text = _text(render_document("investigation_notice", holder_case, parcel))
    assert "A&B<广西>公司（地址：{{ 注入 }}）：" in text  # escaped into the XML, read back as written
