"""
Idle-land cases (闲置土地处置案件): stages, causes, ways of disposal, outcomes, deadlines,
refusals and the register's headers, zh and en.

``geo.cases`` keeps codes, calendar days and UTC moments; the words and Beijing time are here
(``words.review.beijing_time`` renders the moments). Articles are those of 《闲置土地处置办法》
(国土资源部令第53号).
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

import words.common  # noqa: F401  (the Art. 8 cause labels this catalogue builds on)
from words.core import DASH, labels, register
from words.idle import HOLDER_CAUSE

#: Stages in the order of the procedure (order No. 53, Arts. 5-17).
STAGE = {
    "investigation_notice": {"zh": "下达闲置土地调查通知书", "en": "Investigation notice served"},
    "holder_reply": {"zh": "使用权人提交说明材料", "en": "Holder's reply and evidence received"},
    "investigation": {"zh": "调查核实", "en": "Investigation"},
    "determination": {"zh": "下达闲置土地认定书", "en": "Determination served"},
    "public_notice": {"zh": "闲置土地信息公开", "en": "Determination made public"},
    "hearing_notice": {"zh": "告知听证权利", "en": "Notice of the right to a hearing"},
    "hearing_held": {"zh": "已举行听证", "en": "Hearing held"},
    "hearing_waived": {"zh": "放弃听证", "en": "Hearing waived"},
    "fee_decision": {"zh": "下达征缴土地闲置费决定书", "en": "Fee decision served"},
    "fee_paid": {"zh": "土地闲置费已缴纳", "en": "Fee paid"},
    "recovery_decision": {"zh": "下达收回国有建设用地使用权决定书", "en": "Recovery decision served"},
    "recovered": {"zh": "已注销登记、收回土地", "en": "Right deregistered, land recovered"},
    "negotiated_disposal": {"zh": "协商处置", "en": "Negotiated disposal"},
    "closed": {"zh": "结案", "en": "Closed"},
    "reopened": {"zh": "重新立案", "en": "Reopened"},
    "note": {"zh": "备注", "en": "Note"},
    # Not a stage: a supplementary agreement recorded outside the procedure (its refusals name it).
    "agreement": {"zh": "签订补充协议", "en": "Supplementary agreement"},
}

def _cause_labels() -> dict[str, dict[str, str]]:
    # The holder's cause (words/idle.py), then the Art. 8 causes: the words every page already uses.
    zh, en = labels("delay_cause", "zh"), labels("delay_cause", "en")
    return {**HOLDER_CAUSE, **{c: {"zh": zh[c], "en": en[c]} for c in zh if c != "holder"}}


WAY = {
    "extension": {"zh": "延长动工开发期限", "en": "Start date extended"},
    "change_use": {"zh": "调整土地用途、规划条件", "en": "Use or planning conditions changed"},
    "temporary_use": {"zh": "由政府安排临时使用", "en": "Temporary government use"},
    "paid_recovery": {"zh": "协议有偿收回", "en": "Recovery with compensation"},
    "swap": {"zh": "置换土地", "en": "Land swap"},
    "other_way": {"zh": "其他处置方式", "en": "Other lawful way"},
}

OUTCOME = {
    "fee_paid": {"zh": "已缴纳土地闲置费", "en": "Fee paid"},
    "recovered": {"zh": "已无偿收回", "en": "Recovered without compensation"},
    "negotiated": {"zh": "已协商处置", "en": "Disposed by agreement"},
    "not_idle": {"zh": "经调查不构成闲置土地", "en": "Found not idle"},
    "other_outcome": {"zh": "其他", "en": "Other"},
}

DEADLINE = {
    "reply": {"zh": "提交说明材料期限", "en": "Reply due"},
    "payment": {"zh": "缴纳土地闲置费期限", "en": "Payment due"},
    "deregistration": {"zh": "办理注销登记期限", "en": "Deregistration due"},
    "extension_end": {"zh": "延长后的动工开发期限", "en": "Extended start date"},
    "temporary_use_end": {"zh": "临时使用期满", "en": "Temporary use ends"},
}

DEADLINE_STATE = {
    "pending": {"zh": "期限内", "en": "Within the period"},
    "overdue": {"zh": "已逾期", "en": "Overdue"},
    "met": {"zh": "已按期办理", "en": "Met in time"},
    "met_late": {"zh": "逾期后办理", "en": "Met late"},
    "moot": {"zh": "不再适用", "en": "No longer applies"},
}

TEXTS = {
    # input that cannot be recorded
    "case_parcel_missing": {"zh": "请先选择宗地。", "en": "Pick a parcel first."},
    "case_stage_unknown": {"zh": "“{value}”不是有效的处置环节。", "en": "“{value}” is not a stage of the procedure."},
    "case_date_missing": {"zh": "请填写“{case_stage}”的日期。", "en": "Enter the date of “{case_stage}”."},
    "case_date_invalid": {"zh": "“{value}”不是有效日期。", "en": "“{value}” is not a date."},
    "case_date_in_future": {
        "zh": "日期 {date} 晚于今天（{today}），尚未发生的事项不能登记。",
        "en": "{date} is after today ({today}): an act that has not happened cannot be recorded.",
    },
    "case_cause_missing": {
        "zh": "闲置土地认定书须载明闲置原因（《闲置土地处置办法》第十条）。",
        "en": "A determination must state the cause of idleness (Art. 10).",
    },
    "case_cause_unknown": {
        "zh": "闲置原因“{value}”不是使用权人自身原因，也不是《闲置土地处置办法》第八条所列情形。",
        "en": "“{value}” is neither the holder's cause nor one of the causes of Art. 8.",
    },
    "case_way_missing": {"zh": "请选择协商处置方式（《闲置土地处置办法》第十二条）。",
                         "en": "Pick the way of negotiated disposal (Art. 12)."},
    "case_way_unknown": {"zh": "“{value}”不是第十二条规定的处置方式。", "en": "“{value}” is not a way of Art. 12."},
    "case_until_missing": {
        "zh": "“{disposal_way}”须填写截止日期。",
        "en": "“{disposal_way}” needs its end date.",
    },
    "case_until_before_date": {
        "zh": "截止日期 {until} 早于协议日期 {date}。",
        "en": "The end date {until} is before the agreement ({date}).",
    },
    "case_outcome_missing": {"zh": "结案须选择处置结果。", "en": "Closing a case needs its outcome."},
    "case_outcome_unknown": {"zh": "“{value}”不是有效的处置结果。", "en": "“{value}” is not an outcome."},
    "case_note_required": {"zh": "“{case_stage}”须填写说明。", "en": "“{case_stage}” needs a written note."},
    "case_amount_invalid": {"zh": "金额 {value} 无效，须为不小于零的数。",
                            "en": "The amount {value} is not valid: it must be zero or more."},
    "agreement_new_start_missing": {
        "zh": "请填写补充协议约定的新动工开发日期。",
        "en": "Enter the new agreed start date of the supplementary agreement.",
    },
    "agreement_new_start_before_signed": {
        "zh": "新约定动工开发日期 {until} 早于补充协议签订日期 {date}。",
        "en": "The new agreed start date {until} is before the agreement was signed ({date}).",
    },
    "case_override_needs_reason": {
        "zh": "越过程序规定登记须书面说明理由。",
        "en": "Recording against the procedure needs a written reason.",
    },
    # rules of the procedure (an officer may set them aside with a written reason)
    "case_needs_stage": {
        "zh": "“{case_stage}”须在“{case_needs}”之后进行，该环节尚未登记。",
        "en": "“{case_stage}” comes after “{case_needs}”, which is not recorded.",
    },
    "case_needs_one_of": {
        "zh": "“{case_stage}”须在以下环节之一之后进行，均尚未登记：{case_needs}。",
        "en": "“{case_stage}” comes after one of these, none of which is recorded: {case_needs}.",
    },
    "case_date_before_required": {
        "zh": "“{case_stage}”的日期 {date} 早于“{case_needs}”（{needs_date}）。",
        "en": "“{case_stage}” dated {date} is before “{case_needs}” ({needs_date}).",
    },
    "case_needs_holder_cause": {
        "zh": "“{case_stage}”须以闲置土地认定书认定为使用权人自身原因为前提"
              "（《闲置土地处置办法》第十四条、第十五条）。",
        "en": "“{case_stage}” needs a determination that the holder caused the delay (Arts. 14-15).",
    },
    "case_needs_government_cause": {
        "zh": "协商处置须以闲置土地认定书认定为政府原因（第八条所列情形）为前提（《闲置土地处置办法》第十二条）。",
        "en": "Negotiated disposal needs a determination of a government cause under Art. 8 (Art. 12).",
    },
    "case_reply_period_running": {
        "zh": "使用权人提交说明材料的期限至 {due} 届满，尚未收到材料，不宜先行认定（《闲置土地处置办法》第五条）。",
        "en": "The holder may reply until {due} and has not: determining now would skip the reply (Art. 5).",
    },
    "case_way_limit_exceeded": {
        "zh": "“{disposal_way}”截止 {until}，超过《闲置土地处置办法》第十二条规定的{years}年上限（最迟 {limit}）。",
        "en": "“{disposal_way}” until {until} exceeds the {years}-year limit of Art. 12 (latest {limit}).",
    },
    "case_is_closed": {
        "zh": "案件已结案，登记“{case_stage}”前须先重新立案。",
        "en": "The case is closed: reopen it before recording “{case_stage}”.",
    },
    "case_not_closed": {"zh": "案件未结案，无需重新立案。", "en": "The case is not closed."},
    "case_outcome_unsupported": {
        "zh": "处置结果“{case_outcome}”与已登记的环节不符，须先登记“{case_needs}”。",
        "en": "The outcome “{case_outcome}” does not match the recorded stages: record “{case_needs}” first.",
    },
    "case_outcome_contradicts_determination": {
        "zh": "已下达闲置土地认定书，不能以“{case_outcome}”结案。",
        "en": "A determination of idle land was served: the case cannot close as “{case_outcome}”.",
    },
    # the audit trail
    "case_override_entry": {
        "zh": "越过程序规定登记，理由：{reason}（未满足：{rules}）",
        "en": "Recorded against the procedure; reason: {reason} (rules set aside: {rules})",
    },
    "case_deadline_line": {
        "zh": "{deadline}：{due_date}（{days}）",
        "en": "{deadline}: {due_date} ({days})",
    },
    "case_days_left": {"zh": "剩余{n}天", "en": "{n} days left"},
    "case_due_today": {"zh": "今日到期", "en": "due today"},
    "case_days_overdue": {"zh": "已逾期{n}天", "en": "{n} days overdue"},
}

#: Headers of the register (闲置土地处置台账), the audit trail and the deadlines.
COLUMNS = {
    "case_stage": {"zh": "处置环节", "en": "Stage"},
    "stage_date": {"zh": "环节日期", "en": "Stage date"},
    "extended_start_date": {"zh": "延长后动工开发日期", "en": "Extended start date"},
    "delay_cause_file": {"zh": "延迟原因(原始数据)", "en": "Delay cause (file)"},
    "established_cause": {"zh": "认定闲置原因", "en": "Established cause"},
    "case_cause": {"zh": "认定闲置原因", "en": "Established cause"},
    "cause_determined_on": {"zh": "认定日期", "en": "Determined on"},
    "cause_determined_by": {"zh": "认定经办人", "en": "Determined by"},
    "cause_source": {"zh": "原因来源", "en": "Cause from"},
    "investigation_notice_no": {"zh": "调查通知书文号", "en": "Investigation notice no."},
    "determination_no": {"zh": "认定书文号", "en": "Determination no."},
    "hearing_notice_no": {"zh": "听证告知书文号", "en": "Hearing notice no."},
    "fee_decision_no": {"zh": "征缴决定书文号", "en": "Fee decision no."},
    "recovery_decision_no": {"zh": "收回决定书文号", "en": "Recovery decision no."},
    "disposal_way": {"zh": "协商处置方式", "en": "Way of disposal"},
    "fee_levied_wan": {"zh": "征缴土地闲置费(万元)", "en": "Fee levied (万元)"},
    "fee_paid_wan": {"zh": "已缴土地闲置费(万元)", "en": "Fee paid (万元)"},
    "fee_paid_on": {"zh": "缴费日期", "en": "Paid on"},
    "next_due_date": {"zh": "最近到期日", "en": "Next due"},
    "overdue_deadlines": {"zh": "逾期事项数", "en": "Overdue deadlines"},
    "case_outcome": {"zh": "处置结果", "en": "Outcome"},
    "closed_on": {"zh": "结案日期", "en": "Closed on"},
    "disposed": {"zh": "已处置", "en": "Disposed"},
    "event_date": {"zh": "日期", "en": "Date"},
    "doc_number": {"zh": "文号", "en": "Document no."},
    "signed_date": {"zh": "签订日期", "en": "Signed on"},
    "new_start_date": {"zh": "新约定动工开发日期", "en": "New agreed start date"},
    "reason": {"zh": "变更原因", "en": "Reason"},
    "doc_date": {"zh": "文书日期", "en": "Document date"},
    "officer": {"zh": "经办人", "en": "Officer"},
    "until_date": {"zh": "截止日期", "en": "Until"},
    "amount_wan": {"zh": "金额(万元)", "en": "Amount (万元)"},
    "case_note": {"zh": "说明", "en": "Note"},
    "attachment_name": {"zh": "附件", "en": "Attachment"},
    "override_reason": {"zh": "越过程序理由", "en": "Override reason"},
    "overridden": {"zh": "未满足的程序规定", "en": "Rules set aside"},
    "entry_id": {"zh": "记录号", "en": "Entry"},
    "deadline": {"zh": "期限事项", "en": "Deadline"},
    "start_date": {"zh": "起算日期", "en": "From"},
    "due_date": {"zh": "到期日", "en": "Due"},
    "met_on": {"zh": "办理日期", "en": "Met on"},
    "days_left": {"zh": "剩余天数", "en": "Days left"},
    "deadline_state": {"zh": "期限状态", "en": "State"},
    "overdue": {"zh": "已逾期", "en": "Overdue"},
}

#: Documents by the stage that carries them (titles as the order names them).
DOCUMENT = {
    "investigation_notice": {"zh": "闲置土地调查通知书", "en": "Idle-land investigation notice"},
    "determination": {"zh": "闲置土地认定书", "en": "Idle-land determination"},
    "public_notice": {"zh": "闲置土地信息公告", "en": "Public notice of idle land"},
    "hearing_notice": {"zh": "听证告知书", "en": "Notice of the right to a hearing"},
    "fee_decision": {"zh": "征缴土地闲置费决定书", "en": "Idle-land fee decision"},
    "recovery_decision": {"zh": "收回国有建设用地使用权决定书", "en": "Recovery decision"},
}

#: Words the documents are filled with (the templates hold the rest of the wording).
DOC_TEXTS = {
    "doc_authority_blank": {"zh": "（发文机关名称）", "en": "(issuing authority)"},
    "doc_government_default": {"zh": "本级人民政府", "en": "the people's government"},
    "doc_idle_fact_not_started": {
        "zh": "超过国有建设用地使用权有偿使用合同或者划拨决定书约定、规定的动工开发日期满一年未动工开发",
        "en": "was not started within a year after the agreed start date",
    },
    "doc_idle_fact_stalled": {
        "zh": "已动工开发但开发建设用地面积占应动工开发建设用地总面积不足三分之一或者已投资额占总投资额"
              "不足百分之二十五，中止开发建设满一年",
        "en": "was started but, with less than a third developed or a quarter invested, halted for a year",
    },
    "document_kind_unknown": {"zh": "“{value}”不是可生成的文书。", "en": "“{value}” is not a document."},
    "document_stage_missing": {
        "zh": "案件尚未登记“{case_stage}”，不能生成该文书：请先登记文号和日期。",
        "en": "“{case_stage}” is not recorded in the case: record its number and date first.",
    },
    "document_template_missing": {"zh": "找不到文书模板 {path}。", "en": "Template {path} not found."},
}

CAUSE_SOURCE = {
    "case": {"zh": "闲置土地认定书", "en": "Determination"},
    "file": {"zh": "原始数据", "en": "Parcel file"},
}

UI = {
    "sheet_case_register": {"zh": "闲置土地处置台账", "en": "Idle-land register"},
    # the case panel on the parcel card
    "case_title": {"zh": "闲置土地处置案件", "en": "Idle-land case"},
    "case_none": {"zh": "尚未立案：下达闲置土地调查通知书即开始处置程序。",
                  "en": "No case yet: serving the investigation notice starts the procedure."},
    "case_next": {"zh": "按程序可办理的环节", "en": "Stages the procedure allows next"},
    "case_form_title": {"zh": "登记处置环节", "en": "Record a stage"},
    "case_stage_pick": {"zh": "登记环节", "en": "Stage to record"},
    "case_date": {"zh": "办理日期", "en": "Date"},
    "case_doc_number": {"zh": "文号", "en": "Document no."},
    "case_cause_pick": {"zh": "认定的闲置原因", "en": "Established cause"},
    "case_way_pick": {"zh": "协商处置方式", "en": "Way of disposal"},
    "case_pick": {"zh": "请选择", "en": "Choose"},
    "case_attachment_download": {"zh": "下载附件：{name}", "en": "Download attachment: {name}"},
    "case_until": {"zh": "截止日期（延长动工开发期限、临时使用）", "en": "Until (extension, temporary use)"},
    "case_amount": {"zh": "金额(万元)", "en": "Amount (万元)"},
    "case_outcome_pick": {"zh": "处置结果", "en": "Outcome"},
    "case_attachment": {"zh": "附件（送达回证、说明材料等）", "en": "Attachment"},
    "case_note_input": {"zh": "说明", "en": "Note"},
    "case_override": {"zh": "越过程序规定登记（须书面说明理由）", "en": "Record against the procedure (needs a reason)"},
    "case_override_reason": {"zh": "越过程序理由", "en": "Reason for the override"},
    "case_record": {"zh": "登记", "en": "Record"},
    "case_recorded": {"zh": "已登记“{stage}”。", "en": "“{stage}” recorded."},
    "case_documents": {"zh": "处置文书", "en": "Documents"},
    "case_audit": {"zh": "操作记录（只增不改）", "en": "Audit trail (append-only)"},
    # supplementary agreements outside the procedure
    "agreement_title": {"zh": "补充协议（变更约定动工开发日期）", "en": "Supplementary agreements (agreed start date)"},
    "agreement_help": {
        "zh": "登记国有建设用地使用权出让合同的补充协议（包括处置程序之外签订的）。自协议签订之日起，"
              "闲置土地计时按新约定的动工开发日期计算；登记补充协议不立案。",
        "en": "Record a supplementary agreement to the grant contract (also one signed outside the procedure). "
              "From the day it is signed the idle clock runs from the new agreed start date; no case is opened.",
    },
    "agreement_signed": {"zh": "协议签订日期", "en": "Signed on"},
    "agreement_new_start": {"zh": "新约定动工开发日期", "en": "New agreed start date"},
    "agreement_doc_no": {"zh": "协议编号", "en": "Agreement no."},
    "agreement_reason": {"zh": "变更原因", "en": "Reason"},
    "agreement_attachment": {"zh": "协议扫描件", "en": "Scan of the agreement"},
    "agreement_record": {"zh": "登记补充协议", "en": "Record the agreement"},
    "agreement_recorded": {"zh": "已登记补充协议，新约定动工开发日期为 {date}。",
                           "en": "Agreement recorded: new agreed start date {date}."},
    # the work list
    "case_work_list": {"zh": "闲置土地处置工作台", "en": "Idle-land case work list"},
    "case_work_counts": {"zh": "已立案宗地 {cases} 宗：期限本周到期 {week} 项，已逾期 {late} 项。",
                         "en": "{cases} parcels with a case: {week} deadlines due this week, {late} overdue."},
    "case_work_open": {"zh": "工作清单：按处置环节、本周到期、已逾期，批量登记调查通知书，下载台账",
                       "en": "Work list: by stage, due this week, overdue; notices in a batch; the register"},
    "case_filter_parks": {"zh": "园区", "en": "Parks"},
    "case_filter_officers": {"zh": "经办人", "en": "Officers"},
    "case_all": {"zh": "全部", "en": "All"},
    "case_by_stage": {"zh": "按处置环节", "en": "By stage"},
    "case_due_week": {"zh": "本周到期（{n}项）", "en": "Due this week ({n})"},
    "case_overdue": {"zh": "已逾期（{n}项）", "en": "Overdue ({n})"},
    "case_batch_title": {"zh": "批量下达闲置土地调查通知书", "en": "Serve investigation notices in a batch"},
    "case_batch_parcels": {"zh": "选择宗地（上方列表中尚未立案的宗地）",
                           "en": "Parcels (of the list above, without a case)"},
    "case_batch_record": {"zh": "为所选宗地登记调查通知书", "en": "Record notices for the selected parcels"},
    "case_batch_none": {"zh": "请先选择宗地。", "en": "Pick parcels first."},
    "case_batch_done": {"zh": "已为 {n} 宗土地登记闲置土地调查通知书。", "en": "Notices recorded for {n} parcels."},
    "case_register_download": {"zh": "下载闲置土地处置台账（Excel）", "en": "Download the register (Excel)"},
    "case_register_file": {"zh": "闲置土地处置台账", "en": "idle-land-register"},
}

register(
    labels={
        "case_stage": STAGE,
        "case_cause": _cause_labels(),
        "disposal_way": WAY,
        "case_outcome": OUTCOME,
        "deadline": DEADLINE,
        "deadline_state": DEADLINE_STATE,
        "cause_source": CAUSE_SOURCE,
        "document": DOCUMENT,
        "column": COLUMNS,
        "ui": UI,
    },
    texts={**TEXTS, **DOC_TEXTS},
    arg_kinds={
        "case_stage": "case_stage",
        "case_needs": "case_stage",
        "disposal_way": "disposal_way",
        "case_outcome": "case_outcome",
        "deadline": "deadline",
    },
    value_kinds={
        "case_stage": "case_stage",
        "established_cause": "case_cause",
        "case_cause": "case_cause",
        "disposal_way": "disposal_way",
        "case_outcome": "case_outcome",
        "deadline": "deadline",
        "deadline_state": "deadline_state",
        "cause_source": "cause_source",
    },
)


def date_zh(value) -> str:
    """A date as official documents write it: ``2026-03-05`` → ``2026年3月5日``; missing → "—"."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return DASH
    d = pd.Timestamp(value).date() if not isinstance(value, _dt.date) else value
    return f"{d.year}年{d.month}月{d.day}日"


def days_text(days_left: int, lang: str = "zh") -> str:
    """Days left as a phrase: 剩余3天 / 今日到期 / 已逾期2天."""
    from words.core import text

    n = int(days_left)
    if n > 0:
        return text("case_days_left", lang, n=n)
    if n == 0:
        return text("case_due_today", lang)
    return text("case_days_overdue", lang, n=-n)
