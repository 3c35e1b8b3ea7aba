"""
Idle land (《闲置土地处置办法》, 国土资源部令第53号): statuses, kinds, clocks, articles, explanations.

``geo.idle`` returns codes and numbers; the words are here. An explanation is a list
of message items (``{"code": "explain_fee", "price_wan": 800.0, …}``), one sentence
each; :func:`explanation` joins them into the paragraph a parcel card shows.

The clocks are named as order No. 53 counts them: kind A counts from the agreed start
date (逾期未动工), kind B from the date work halted (中止开发建设). A parcel is idle
land from the 1-year mark on (闲置起始日期), so no label says "闲置满1年" for a parcel
that has been idle for less.
"""

from __future__ import annotations

import pandas as pd

from words.core import DASH, has_label, header, label, register, render

STATUS = {
    "not_supplied": {"zh": "尚未供地", "en": "Not yet supplied"},
    "not_due": {"zh": "未到约定动工日期", "en": "Start date not yet due"},
    "overdue": {"zh": "逾期未动工（不满1年）", "en": "Overdue, not started (< 1 year)"},
    "stalled": {"zh": "中止开发（不满1年）", "en": "Halted (< 1 year)"},
    "idle_suspected": {
        "zh": "疑似闲置·原因待调查认定",
        "en": "Suspected idle · cause to be established",
    },
    "idle_fee": {
        "zh": "逾期未动工或中止开发满1年（征缴土地闲置费）",
        "en": "Not started or halted ≥ 1 year (idle-land fee)",
    },
    "idle_recover": {
        "zh": "逾期未动工或中止开发满2年（可无偿收回）",
        "en": "Not started or halted ≥ 2 years (recovery without compensation)",
    },
    "idle_exempt": {
        "zh": "逾期未动工或中止开发满1年（政府原因或不可抗力，协商处置）",
        "en": "Not started or halted ≥ 1 year (government cause or force majeure: negotiated disposal)",
    },
    "active": {"zh": "正常开发", "en": "Under development"},
    "completed": {"zh": "已竣工", "en": "Completed"},
    "unknown": {"zh": "信息不全，无法判定", "en": "Data missing"},
}

#: The idle statuses for one kind: ``"<status>:<kind>"`` (the card and the parcel list).
STATUS_BY_KIND = {
    "idle_suspected:not_started": {
        "zh": "逾期未动工满1年（疑似闲置·原因待调查认定）",
        "en": "Not started ≥ 1 year past the agreed date (suspected idle · cause to be established)",
    },
    "idle_suspected:stalled": {
        "zh": "中止开发满1年（疑似闲置·原因待调查认定）",
        "en": "Halted ≥ 1 year (suspected idle · cause to be established)",
    },
    "idle_fee:not_started": {
        "zh": "逾期未动工满1年（征缴土地闲置费）",
        "en": "Not started ≥ 1 year past the agreed date (idle-land fee)",
    },
    "idle_fee:stalled": {"zh": "中止开发满1年（征缴土地闲置费）", "en": "Halted ≥ 1 year (idle-land fee)"},
    "idle_recover:not_started": {
        "zh": "逾期未动工满2年（可无偿收回）",
        "en": "Not started ≥ 2 years past the agreed date (recovery without compensation)",
    },
    "idle_recover:stalled": {
        "zh": "中止开发满2年（可无偿收回）",
        "en": "Halted ≥ 2 years (recovery without compensation)",
    },
    "idle_exempt:not_started": {
        "zh": "逾期未动工满1年（政府原因或不可抗力，协商处置）",
        "en": "Not started ≥ 1 year past the agreed date (government cause or force majeure)",
    },
    "idle_exempt:stalled": {
        "zh": "中止开发满1年（政府原因或不可抗力，协商处置）",
        "en": "Halted ≥ 1 year (government cause or force majeure)",
    },
}

KIND = {
    "not_started": {"zh": "未按期动工开发", "en": "Not started by the agreed date"},
    "stalled": {"zh": "已动工后中止开发建设", "en": "Started, then halted"},
}

#: What each kind's clock counts from (used inside sentences).
CLOCK = {
    "not_started": {"zh": "超过约定动工开发日期", "en": "past the agreed start date"},
    "stalled": {"zh": "中止开发建设", "en": "halted"},
}

#: Articles of 《闲置土地处置办法》 an explanation cites.
ARTICLE = {
    "art2": {"zh": "第二条", "en": "Art. 2"},
    "art2_1": {"zh": "第二条第一款", "en": "Art. 2(1)"},
    "art2_2": {"zh": "第二条第二款", "en": "Art. 2(2)"},
    "art8": {"zh": "第八条", "en": "Art. 8"},
    "art14": {"zh": "第十四条", "en": "Art. 14"},
    "art14_1": {"zh": "第十四条第（一）项", "en": "Art. 14(1)"},
    "art14_2": {"zh": "第十四条第（二）项", "en": "Art. 14(2)"},
    "art15": {"zh": "第十五条", "en": "Art. 15"},
}

_REG = "《闲置土地处置办法》"
_REG_EN = "the Measures on the Disposal of Idle Land (MLR order No. 53)"

#: One sentence per item; numbers are formatted here, never in geo.
TEXTS = {
    "explain_completed": {
        "zh": "该宗地已于{done}竣工，截至{as_of}不属于" + _REG + "{article}所称闲置土地。",
        "en": "Completed on {done}: as of {as_of} not idle land under {article} of " + _REG_EN + ".",
    },
    "explain_missing_inputs": {
        "zh": "截至{as_of}无法判定是否构成闲置土地：{columns}缺失或无法识别，请补充后重新计算（认定依据："
        + _REG + "{article}）。",
        "en": "As of {as_of} the idle status cannot be decided: {columns} missing or unreadable. "
        "Fill them in and recompute (criteria: {article} of " + _REG_EN + ").",
    },
    "explain_active": {
        "zh": "该宗地已动工开发且未中止开发建设，截至{as_of}不属于" + _REG + "{article}所称闲置土地。",
        "en": "Started and not halted: as of {as_of} not idle land under {article} of " + _REG_EN + ".",
    },
    "explain_active_halted": {
        "zh": "该宗地已动工开发，虽自{halted}起中止开发建设，但已开发建设面积不少于应动工开发建设总面积的三分之一、"
        "已投资额不少于总投资额的25%，截至{as_of}不属于" + _REG + "{article}规定的闲置土地情形。",
        "en": "Started; halted since {halted}, but at least one third of the area due is developed and at "
        "least 25% of the total investment is made, so as of {as_of} it is not idle land under {article} of "
        + _REG_EN + ".",
    },
    "explain_not_due": {
        "zh": "约定动工开发日期为{agreed}，截至{as_of}尚未到期（还有{days_left}天）。超过约定动工开发日期满{years}年"
        "未动工开发的，构成闲置土地（" + _REG + "{article}）。",
        "en": "Agreed start date {agreed}: as of {as_of} not yet due ({days_left} days to go). Land not started "
        "{years} yr after the agreed date is idle land ({article} of " + _REG_EN + ").",
    },
    "explain_overdue_clock": {
        "zh": "约定动工开发日期为{agreed}，截至{as_of}已逾期{elapsed}未动工开发。",
        "en": "Agreed start date {agreed}; as of {as_of} not started for {elapsed}.",
    },
    "explain_halted_clock": {
        "zh": "该宗地已动工开发，自{halted}起中止开发建设，截至{as_of}已中止{elapsed}。",
        "en": "Started; halted since {halted}, as of {as_of} for {elapsed}.",
    },
    "explain_developed_share_low": {
        "zh": "已开发建设面积占应动工开发建设总面积的{share:.1%}，不足三分之一。",
        "en": "Developed {share:.1%} of the area due (less than one third).",
    },
    "explain_invested_share_low": {
        "zh": "已投资额占总投资额的{share:.1%}，不足25%。",
        "en": "Invested {share:.1%} of the total investment (less than 25%).",
    },
    "explain_overdue_before_mark": {
        "zh": "逾期尚不满{years}年；如至{idle_mark}仍未动工开发，即超过约定动工开发日期满{years}年，构成"
        + _REG + "{article}规定的闲置土地。",
        "en": "Less than {years} yr overdue; if still not started on {idle_mark}, it becomes idle land "
        "under {article} of " + _REG_EN + ".",
    },
    "explain_stalled_before_mark": {
        "zh": "中止尚不满{years}年；如至{idle_mark}仍未恢复开发建设，即中止开发建设满{years}年，构成"
        + _REG + "{article}规定的闲置土地。",
        "en": "Halted for less than {years} yr; if still halted on {idle_mark}, it becomes idle land "
        "under {article} of " + _REG_EN + ".",
    },
    "explain_warning": {
        "zh": "距满{years}年仅剩{days_left}天（预警期{warning_days}天），建议及时督促使用权人动工开发或恢复开发建设。",
        "en": "Only {days_left} days left to the {years}-yr mark (warning window {warning_days} days): "
        "urge the holder to start or resume work.",
    },
    "explain_idle_not_started": {
        "zh": "超过约定动工开发日期满{years}年未动工开发，自{idle_since}起符合" + _REG
        + "{article}规定的闲置土地情形，属疑似闲置土地，须经调查核实并下达《闲置土地认定书》后认定"
        "（第九条至第十一条；使用权人应自接到《闲置土地调查通知书》之日起30日内提供有关材料）。",
        "en": "Not started {years} yr after the agreed date: idle land under {article} of " + _REG_EN
        + " since {idle_since} (suspected until investigated and confirmed by an idle-land determination, "
        "Arts. 9–11; the holder has 30 days to answer the investigation notice).",
    },
    "explain_idle_stalled": {
        "zh": "中止开发建设满{years}年，自{idle_since}起符合" + _REG
        + "{article}规定的闲置土地情形，属疑似闲置土地，须经调查核实并下达《闲置土地认定书》后认定"
        "（第九条至第十一条；使用权人应自接到《闲置土地调查通知书》之日起30日内提供有关材料）。",
        "en": "Halted for {years} yr: idle land under {article} of " + _REG_EN
        + " since {idle_since} (suspected until investigated and confirmed by an idle-land determination, "
        "Arts. 9–11; the holder has 30 days to answer the investigation notice).",
    },
    "explain_exempt": {
        "zh": "闲置原因为“{cause}”，属于{article}规定的政府、政府有关部门的行为或不可抗力造成动工开发延迟的情形，"
        "不征缴土地闲置费、不无偿收回；应依第十二条与使用权人协商处置（延长动工开发期限不超过1年、调整土地用途或规划条件、"
        "由政府安排临时使用不超过2年、协议有偿收回、置换土地等），处置方案依第十三条报本级人民政府批准后实施。",
        "en": "The delay cause ({cause}) is a government act or force majeure under {article}: no idle-land fee "
        "and no recovery without compensation; disposal is negotiated under Art. 12 (start extended by at most "
        "1 year, use or planning conditions changed, temporary government use up to 2 years, paid recovery or "
        "a land swap), approved under Art. 13.",
    },
    "explain_cause_not_recorded": {
        "zh": "未记录闲置原因。闲置原因须经调查核实、由《闲置土地认定书》认定（第九条至第十一条）；属于{article}规定情形的，"
        "依第十二条协商处置。认定之前，不提出征缴土地闲置费或者无偿收回国有建设用地使用权的处置意见。",
        "en": "No cause of delay is recorded. The cause is what the investigation establishes in the idle-land "
        "determination (Arts. 9–11); a cause under {article} leads to negotiated disposal (Art. 12). Until then no "
        "idle-land fee and no recovery is proposed.",
    },
    "explain_cause_unrecognised": {
        "zh": "记录的闲置原因“{value}”无法对应{article}所列情形，也不能据此认定为土地使用权人自身原因，请经办人员核实认定。"
        "认定之前，不提出征缴土地闲置费或者无偿收回国有建设用地使用权的处置意见。",
        "en": "The recorded cause “{value}” matches none of the cases of {article} and does not establish the "
        "holder's fault: the officer must settle it. Until then no idle-land fee and no recovery is proposed.",
    },
    "explain_cause_not_exempt": {
        "zh": "记录的闲置原因为“{cause}”，未列入本系统设置的免予征缴情形（{article}），闲置原因以调查认定为准。"
        "认定之前，不提出征缴土地闲置费或者无偿收回国有建设用地使用权的处置意见。",
        "en": "The recorded cause ({cause}) is not among the exempt causes of these rules ({article}); the cause "
        "is what the investigation establishes. Until then no idle-land fee and no recovery is proposed.",
    },
    "explain_cause_holder": {
        "zh": "记录的闲置原因为土地使用权人自身原因，不属于第八条规定的情形，依" + _REG + "{article}处置。",
        "en": "The recorded cause is the holder's own, not a case of Art. 8: disposal under {article} of "
        + _REG_EN + ".",
    },
    "explain_if_holder_fee": {
        "zh": "如经认定属土地使用权人自身原因，自{idle_since}起可依{article}按土地出让或者划拨价款的{fee_share:.0%}"
        "征缴土地闲置费（{price_wan:,.2f}万元 × {fee_share:.0%} = {fee_wan:,.2f}万元）。",
        "en": "Should the cause prove to be the holder's: from {idle_since}, {article} allows an idle-land fee "
        "of {fee_share:.0%} of the land price ({price_wan:,.2f} 万元 × {fee_share:.0%} = {fee_wan:,.2f} 万元).",
    },
    "explain_if_holder_fee_no_price": {
        "zh": "如经认定属土地使用权人自身原因，自{idle_since}起可依{article}按土地出让或者划拨价款的{fee_share:.0%}"
        "征缴土地闲置费（缺少土地价款，无法计算金额）。",
        "en": "Should the cause prove to be the holder's: from {idle_since}, {article} allows an idle-land fee "
        "of {fee_share:.0%} of the land price (land price missing: amount unknown).",
    },
    "explain_if_holder_recover_next": {
        "zh": "如经认定属土地使用权人自身原因，且至{recover_mark}（{clock}满{years}年）仍处于闲置状态，"
        "依{article}可无偿收回国有建设用地使用权。",
        "en": "Should the cause prove to be the holder's and the land still be idle on {recover_mark} ({years} yr "
        "{clock}), {article} allows recovery without compensation.",
    },
    "explain_if_holder_recover_reached": {
        "zh": "如经认定属土地使用权人自身原因，因自{recover_mark}起已{clock}满{years}年，"
        "依{article}可无偿收回国有建设用地使用权。",
        "en": "Should the cause prove to be the holder's: {years} yr {clock} since {recover_mark}, so {article} "
        "allows recovery without compensation.",
    },
    "explain_not_supplied": {
        "zh": "供地日期为{supply}，截至{as_of}尚未供地，不计算动工开发期限，不属于" + _REG + "{article}所称闲置土地。",
        "en": "Supplied on {supply}: as of {as_of} not yet supplied, no clock runs; not idle land under {article} "
        "of " + _REG_EN + ".",
    },
    "explain_extension_in_force": {
        "zh": "依{signed}签订的补充协议（{doc_no}），约定动工开发日期由{contract_agreed}变更为{agreed}，按变更后的日期计算。",
        "en": "A supplementary agreement signed on {signed} ({doc_no}) moved the agreed start date from "
        "{contract_agreed} to {agreed}; the clock uses the new date.",
    },
    "explain_extension_in_force_no_doc": {
        "zh": "依{signed}签订的补充协议，约定动工开发日期由{contract_agreed}变更为{agreed}，按变更后的日期计算（协议文号未记录）。",
        "en": "A supplementary agreement signed on {signed} moved the agreed start date from {contract_agreed} to "
        "{agreed}; the clock uses the new date (document number not recorded).",
    },
    "explain_extension_pending": {
        "zh": "{signed}签订的补充协议将约定动工开发日期变更为{agreed}，其签订日期晚于{as_of}，截至该日尚未生效，不计入本次计算。",
        "en": "A supplementary agreement signed on {signed} moves the agreed start date to {agreed}; signed after "
        "{as_of}, it does not count yet.",
    },
    "explain_conflict_progress_without_start": {
        "zh": "数据矛盾：记录了已开发建设面积或已投资额，但没有实际动工日期，请核实实际动工日期（本次按未动工开发计算）。",
        "en": "Data conflict: developed area or investment is recorded but no actual start date; check the start "
        "date (judged as not started for now).",
    },
    "explain_conflict_supply_after_as_of": {
        "zh": "数据矛盾：供地日期{supply}晚于统计截止日{as_of}，截至该日尚未供地，不计算闲置期限；如供地日期有误，请核实更正。",
        "en": "Data conflict: the supply date {supply} is after {as_of}, so the land was not yet supplied and no "
        "clock runs; correct the supply date if it is wrong.",
    },
    "explain_conflict_halt_before_start": {
        "zh": "数据矛盾：停工日期{halted}早于实际动工日期{started}，无法据此计算中止开发期限，请核实更正。",
        "en": "Data conflict: the halt date {halted} is before the actual start {started}; no halt clock can run "
        "on it — please correct.",
    },
    "explain_conflict_agreed_before_supply": {
        "zh": "数据矛盾：约定动工开发日期{agreed}早于供地日期{supply}，请核实出让合同或划拨决定书约定的日期"
        "（本次按记录的约定动工开发日期计算）。",
        "en": "Data conflict: the agreed start date {agreed} is before the supply date {supply}; check the grant "
        "contract or allocation decision (the recorded agreed date is used for now).",
    },
    "explain_conflict_extension_unreadable": {
        "zh": "数据问题：有补充协议的签订日期或变更后的约定动工开发日期无法识别，该协议未计入，请核实更正。",
        "en": "Data problem: a supplementary agreement's date signed or new start date cannot be read; it is left "
        "out — please correct.",
    },
    "explain_fee": {
        "zh": "依{article}，报经本级人民政府批准后下达《征缴土地闲置费决定书》，按土地出让或者划拨价款的{fee_share:.0%}"
        "征缴土地闲置费：{price_wan:,.2f}万元 × {fee_share:.0%} = {fee_wan:,.2f}万元；使用权人应自决定书送达之日起"
        "30日内缴纳（第十七条）。",
        "en": "Under {article}, an idle-land fee of {fee_share:.0%} of the land price is levied by decision "
        "approved by the government: {price_wan:,.2f} 万元 × {fee_share:.0%} = {fee_wan:,.2f} 万元, payable "
        "within 30 days of service (Art. 17).",
    },
    "explain_fee_no_price": {
        "zh": "依{article}，报经本级人民政府批准后按土地出让或者划拨价款的{fee_share:.0%}征缴土地闲置费"
        "（缺少土地价款，无法计算金额，请补充）；使用权人应自决定书送达之日起30日内缴纳（第十七条）。",
        "en": "Under {article}, an idle-land fee of {fee_share:.0%} of the land price is levied (land price "
        "missing: amount unknown, please fill it in), payable within 30 days of service (Art. 17).",
    },
    "explain_recover_next": {
        "zh": "如至{recover_mark}（{clock}满{years}年）仍处于闲置状态，依{article}可报经有批准权的人民政府批准后，"
        "无偿收回国有建设用地使用权。",
        "en": "If still idle on {recover_mark} ({years} yr {clock}), {article} allows recovery of the land use "
        "right without compensation, with the approval of the competent government.",
    },
    "explain_recover": {
        "zh": "自{recover_mark}起已{clock}满{years}年，依{article}可报经有批准权的人民政府批准后，"
        "下达《收回国有建设用地使用权决定书》，无偿收回国有建设用地使用权。",
        "en": "Since {recover_mark}: {years} yr {clock} or more; {article} "
        "allows recovery of the land use right without compensation, with the approval of the competent "
        "government.",
    },
    "explain_hearing": {
        "zh": "作出征缴土地闲置费或者收回国有建设用地使用权决定前，应当书面告知使用权人有申请听证的权利（{article}）。",
        "en": "Before a fee or recovery decision, the holder must be told in writing of the right to a "
        "hearing ({article}).",
    },
    "explain_duration_days": {"zh": "{days}天", "en": "{days} d"},
    "explain_duration_months": {"zh": "{months}个月", "en": "{months} mo"},
    "explain_duration_years": {"zh": "{years}年", "en": "{years} yr"},
    "explain_duration_years_months": {"zh": "{years}年{months}个月", "en": "{years} yr {months} mo"},
    "idle_search_not_found": {
        "zh": "未找到宗地编号“{value}”（已在全部园区中查找）。",
        "en": "No parcel numbered “{value}” in any park.",
    },
}

#: Data conflicts of ``geo.idle.CONFLICT_CODES`` (short names: filters, lists, exports).
CONFLICT = {
    "progress_without_start": {"zh": "有开发或投资记录但无实际动工日期",
                               "en": "Development or investment recorded, no actual start date"},
    "supply_after_as_of": {"zh": "供地日期晚于统计截止日", "en": "Supply date after the as-of date"},
    "halt_before_start": {"zh": "停工日期早于实际动工日期", "en": "Halt dated before the start"},
    "agreed_before_supply": {"zh": "约定动工日期早于供地日期", "en": "Agreed start before supply"},
    "extension_unreadable": {"zh": "补充协议日期无法识别", "en": "Supplementary agreement unreadable"},
}

#: The holder's own cause (the Art. 8 causes are in words/common.py).
HOLDER_CAUSE = {"holder": {"zh": "国有建设用地使用权人自身原因", "en": "The holder's own cause"}}

#: Headers of the columns only the idle page shows.
COLUMNS = {
    "agreed_start_in_force": {"zh": "现行约定动工日期", "en": "Agreed start in force"},
    "extension_signed_date": {"zh": "补充协议签订日期", "en": "Extension signed"},
    "extension_doc_no": {"zh": "补充协议文号", "en": "Extension document no."},
    "cause_code": {"zh": "闲置原因（识别结果）", "en": "Delay cause (as read)"},
    "cause_unrecognised": {"zh": "闲置原因待核实", "en": "Cause not recognised"},
    "status_if_holder": {"zh": "如属使用权人原因的处置", "en": "If the holder's cause"},
    "fee_if_holder_wan": {"zh": "如属使用权人原因应缴闲置费(万元)", "en": "Fee if the holder's cause (万元)"},
    "data_conflicts": {"zh": "数据矛盾", "en": "Data conflicts"},

    "overdue_days": {"zh": "逾期未动工天数", "en": "Days past the agreed start"},
    "halted_days": {"zh": "中止开发天数", "en": "Days halted"},
    "status_count": {"zh": "宗数", "en": "Parcels"},
}

UI = {
    "idle_search": {"zh": "按宗地编号查找（全部园区）", "en": "Find by parcel number (all parks)"},
    "idle_search_help": {
        "zh": "输入编号后按回车",
        "en": "Type a number, press Enter",
    },
    "idle_pick_none": {"zh": "请在地图上点击或从列表中选择宗地", "en": "Click a parcel on the map or pick one"},
    "idle_field": {"zh": "项目", "en": "Field"},
    "idle_value": {"zh": "内容", "en": "Value"},
    "idle_duplicate": {"zh": "宗地编号重复：共 {n} 宗", "en": "Duplicate parcel number: {n} parcels"},
    "idle_days_a": {"zh": "逾期未动工天数（自约定动工日期起）", "en": "Days past the agreed start date"},
    "idle_days_b": {"zh": "中止开发天数（自中止开发之日起）", "en": "Days since work halted"},
    "idle_clock_a": {"zh": "起算日期（约定动工日期）", "en": "Clock starts (agreed start date)"},
    "idle_clock_b": {"zh": "起算日期（中止开发之日）", "en": "Clock starts (date work halted)"},
    "idle_filter_conflicts": {"zh": "数据矛盾", "en": "Data conflicts"},
    "idle_filter_conflicts_help": {"zh": "只看有所选数据矛盾的宗地", "en": "Only parcels with the chosen conflicts"},
    "idle_cause_to_settle": {
        "zh": "闲置原因“{value}”无法识别，须经办人员核实认定；认定之前不提出征缴土地闲置费或者收回的处置意见。",
        "en": "The delay cause “{value}” is not recognised: the officer must settle it; until then no fee or "
        "recovery is proposed.",
    },
    "idle_cause_pending": {
        "zh": "闲置原因待调查认定：不提出征缴土地闲置费或者无偿收回的处置意见。",
        "en": "Cause to be established: no idle-land fee and no recovery is proposed.",
    },
    "idle_conflicts_title": {"zh": "数据矛盾，请核实", "en": "Data conflicts to check"},
    "idle_extensions_title": {"zh": "补充协议（约定动工日期变更）", "en": "Supplementary agreements (start date)"},
    "idle_ext_signed": {"zh": "签订日期", "en": "Signed"},
    "idle_ext_new_start": {"zh": "变更后约定动工日期", "en": "New agreed start"},
    "idle_ext_reason": {"zh": "延期原因", "en": "Reason"},
    "idle_ext_doc_no": {"zh": "协议文号", "en": "Document no."},
    "idle_ext_state": {"zh": "效力", "en": "Effect"},
    "idle_ext_in_force": {"zh": "现行有效", "en": "In force"},
    "idle_ext_superseded": {"zh": "已被后签协议替代", "en": "Superseded"},
    "idle_ext_not_yet": {"zh": "签订日期晚于统计截止日，尚未生效", "en": "Signed after the as-of date: not yet"},
    "idle_ext_unreadable": {"zh": "日期无法识别，未计入", "en": "Unreadable: left out"},
}

register(
    labels={
        "idle_status": STATUS,
        "idle_status_by_kind": STATUS_BY_KIND,
        "idle_kind": KIND,
        "idle_clock": CLOCK,
        "idle_article": ARTICLE,
        "idle_conflict": CONFLICT,
        "delay_cause": HOLDER_CAUSE,
        "column": COLUMNS,
        "ui": UI,
    },
    texts=TEXTS,
    arg_kinds={"article": "idle_article", "clock": "idle_clock"},
    value_kinds={"status_if_holder": "idle_status", "cause_code": "delay_cause"},
)


def status_label(status, kind=None, lang: str = "zh") -> str:
    """A parcel's status in words; idle statuses say which clock ran (逾期未动工 / 中止开发)."""
    if isinstance(status, str) and isinstance(kind, str) and has_label("idle_status_by_kind", f"{status}:{kind}"):
        return label("idle_status_by_kind", f"{status}:{kind}", lang)
    return label("idle_status", status, lang)


def status_labels(status: pd.Series, kind: pd.Series | None = None, lang: str = "zh") -> pd.Series:
    """:func:`status_label` over aligned columns (one look-up per distinct pair)."""
    status = pd.Series(status)
    kind = pd.Series(pd.NA, index=status.index, dtype=object) if kind is None else pd.Series(kind)
    key = status.astype(object).where(status.notna(), "") + "|" + kind.astype(object).where(kind.notna(), "")
    words = {}
    for k in pd.unique(key):
        s, _, kd = str(k).partition("|")
        words[k] = status_label(s or None, kd or None, lang)
    return key.map(words).astype(object)


def explanation(items, lang: str = "zh") -> str:
    """An explanation (list of message items from ``geo.idle.explain_idle``) as one paragraph."""
    if not items:
        return DASH
    sentences = [render(item, lang) for item in items]
    sep = "" if lang == "zh" else " "
    return sep.join(s for s in sentences if s and s != DASH) or DASH


def missing_fields_text(value, lang: str = "zh") -> str:
    """``missing_fields`` (comma-joined column names, a code value) as headers, 、-joined."""
    if not isinstance(value, str) or not value.strip():
        return DASH
    names = [header(c, lang, unit=False) for c in value.split(",") if c]
    return ("、" if lang == "zh" else ", ").join(names) or DASH


def conflicts_text(value, lang: str = "zh") -> str:
    """``data_conflicts`` (comma-joined codes of ``geo.idle.CONFLICT_CODES``) in words, "；"-joined."""
    if not isinstance(value, str) or not value.strip():
        return DASH
    names = [label("idle_conflict", c, lang) for c in value.split(",") if c]
    return ("；" if lang == "zh" else "; ").join(names) or DASH


__all__ = ["conflicts_text", "explanation", "missing_fields_text", "status_label", "status_labels"]
