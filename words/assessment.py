"""
Words of the application review (``geo/assessment.py``, ``reports/assessment_report.py``,
``python -m geo assess``): check names, statuses, verdicts, units, reasons, sources, and the
sentence of each check.

Regulations are cited by name and number; thresholds no published table gives are
"本系统默认参数".
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from words.core import DASH, label, register, text

#: Pieces named one by one in a check's sentence; the rest are in the overlaps table/file.
MAX_LISTED = 20


def _w(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


CHECKS = {
    "area": _w("申请范围面积", "Area applied for"),
    "overlap_other_parks": _w("与其他园区重叠", "Overlap with other parks"),
    "contiguity": _w("与现有园区相邻", "Contiguity with the park"),
    "basic_farmland": _w("占用永久基本农田", "Permanent basic farmland"),
    "ecological_red_line": _w("占用生态保护红线", "Ecological protection red line"),
    "urban_boundary_share": _w("位于城镇开发边界内比例", "Share inside the urban development boundary"),
    "development_rate": _w("已批准范围土地开发率", "Development rate of the approved area"),
    "expansion_criteria_2005": _w("国家级开发区扩建条件（三项之一）", "Expansion criteria for national zones (one of three)"),
    "idle_land": _w("未处置闲置土地", "Idle land not disposed"),
    "inefficient_land": _w("低效用地", "Inefficient land"),
    "unbuilt_land": _w("已供未建土地", "Supplied land not built"),
    "evaluation_score": _w("土地集约利用评价得分", "Evaluation score"),
    "evaluation_rank": _w("土地集约利用评价排名", "Evaluation rank"),
    "years_at_region_level": _w("自治区级园区设立年限", "Years as a region-level park"),
    "eco_status": _w("生态化改造状态", "Eco-transformation status"),
    "leading_industry_match": _w("主导产业与规划一致", "Leading industries match the plan"),
    "real_estate_share": _w("住宅及商服用地比例", "Residential and commercial share"),
    "project_far": _w("容积率", "Floor-area ratio"),
    "project_building_coef": _w("建筑系数", "Building coefficient"),
    "project_office_share": _w("行政办公及生活服务设施用地所占比重", "Office and living share"),
    "project_green_ratio": _w("绿地率", "Green ratio"),
    "project_investment": _w("固定资产投资强度", "Investment intensity"),
    "project_leading_industry": _w("符合园区主导产业", "Fits the park's leading industries"),
    "project_tax_per_mu": _w("预计亩均税收", "Expected tax per mu"),
    "project_output_per_mu": _w("预计亩均产值", "Expected output per mu"),
    "project_grade": _w("亩均效益预评类别", "Expected per-mu benefit class"),
    "project_land_available": _w("园区可供土地", "Land available in the park"),
}

STATUSES = {
    "pass": _w("符合", "Pass"),
    "warn": _w("需关注", "Attention"),
    "fail": _w("不符合", "Fail"),
}

VERDICTS = {
    "recommend": _w("建议同意", "Recommend approval"),
    "recommend_with_conditions": _w("建议附条件同意", "Recommend approval with conditions"),
    "do_not_recommend": _w("不建议同意", "Do not recommend"),
}

KINDS = {
    "expansion": _w("扩区", "Expansion"),
    "upgrade": _w("升级", "Upgrade"),
    "project": _w("项目入园", "Project entry"),
}

UNITS = {
    "km2": _w("平方公里", "km²"),
    "m2": _w("平方米", "m²"),
    "m": _w("米", "m"),
    "ha": _w("公顷", "ha"),
    "ratio": _w("%", "%"),
    "points": _w("分", "points"),
    "rank": _w("名", "rank"),
    "years": _w("年", "years"),
    "code": _w("类别", "class"),
    "far": _w("（比值）", "(ratio)"),
    "wan_per_mu": _w("万元/亩", "10k yuan/mu"),
    "count": _w("项", "of 3"),
}

WHY = {
    "layer_missing": _w("未提供该图层，未能核查", "layer not given: not checked"),
    "no_parcels": _w("未提供宗地数据，无法统计园区用地情况", "no parcel data: the park's record is unknown"),
    "park_not_evaluated": _w("园区未参加评价", "the park was not evaluated"),
    "no_score": _w("园区无评价得分", "the park has no evaluation score"),
    "value_missing": _w("数据不全，无法计算", "data incomplete: cannot be computed"),
    "no_plan_list": _w("规划未列明该园区主导产业，需人工核对", "the plan lists no leading industries for this park: "
                                                   "check by hand"),
    "no_land_use": _w("申请范围未标注用地类型，且无宗地数据可核", "no land use given for the area and no parcels to "
                                                     "check"),
    "no_site_area": _w("未提供用地范围或面积", "no site boundary or area given"),
    "industry_unknown": _w("项目行业代码缺失或无法识别", "the project's industry code is missing or unreadable"),
    "no_park_median": _w("园区工业宗地无该项数据，无法取中位数", "the park's industrial parcels lack this figure: "
                                                    "no median"),
    "not_graded": _w("缺少预计税收或用地面积，无法预评", "expected tax or site area missing: not graded"),
    "rule_not_evaluated": _w("该项控制指标无法核算", "this control indicator could not be evaluated"),
}

SOURCES = {
    "shangzi_2005_96": _w("商务部办公厅关于印发《国家级经济技术开发区扩建审批原则和审批程序》的通知（商资字〔2005〕96号）",
                          "MOFCOM notice on the principles and procedure for approving the expansion of national "
                          "development zones (商资字〔2005〕96号)"),
    "cleanup_2004": _w("开发区清理整顿审核原则和标准（国家发展改革委，2004年）",
                       "NDRC review principles and standards of the development-zone clean-up (2004)"),
    "zhongban_2019_48": _w("《关于在国土空间规划中统筹划定落实三条控制线的指导意见》（2019年）",
                           "Guidelines on delimiting the three control lines in territorial spatial planning (2019)"),
    "approval_practice": _w("国务院同意高新区升级批复（国函）的通行要求", "State Council upgrade approvals, "
                                                              "common conditions"),
    "idle_order_53": _w("《闲置土地处置办法》（国土资源部令第53号）", "Measures on the Disposal of Idle Land "
                                                         "(MLR order No. 53)"),
}

LAYERS = {
    "basic_farmland": _w("永久基本农田", "Permanent basic farmland"),
    "ecological_red_line": _w("生态保护红线", "Ecological protection red line"),
    "urban_development_boundary": _w("城镇开发边界", "Urban development boundary"),
    "other_parks": _w("其他园区", "Other parks"),
    "overlap": _w("重叠部分", "Overlap"),
    "application": _w("申请范围", "Area applied for"),
    "park": _w("现有园区", "The park"),
}

UI = {
    "assess_title_expansion": _w("{park}扩区审查意见", "Review of the expansion of {park}"),
    "assess_title_upgrade": _w("{park}升级审查意见", "Review of the upgrade of {park}"),
    "assess_title_project": _w("{park}项目入园联席审查意见表", "Joint review sheet: project entry to {park}"),
    "assess_h_area": _w("一、申请范围及面积", "1. The area applied for"),
    "assess_h_checks": _w("二、审查事项", "2. Checks"),
    "assess_h_verdict": _w("三、审查结论", "3. Conclusion"),
    "assess_h_settings": _w("四、审查依据与参数", "4. Rules and settings used"),
    "assess_h_map": _w("附图", "Map"),
    "assess_h_project": _w("项目基本情况", "The project"),
    "assess_col_check": _w("审查事项", "Check"),
    "assess_col_value": _w("数值", "Figure"),
    "assess_col_threshold": _w("标准", "Threshold"),
    "assess_col_status": _w("结果", "Result"),
    "assess_col_source": _w("依据", "Source"),
    "assess_col_note": _w("说明", "Note"),
    "assess_col_block": _w("区块", "Block"),
    "assess_col_km2": _w("面积(平方公里)", "Area (km²)"),
    "assess_col_ha": _w("面积(公顷)", "Area (ha)"),
    "assess_col_mu": _w("面积(亩)", "Area (mu)"),
    "assess_col_east": _w("东至", "East"),
    "assess_col_south": _w("南至", "South"),
    "assess_col_west": _w("西至", "West"),
    "assess_col_north": _w("北至", "North"),
    "assess_col_setting": _w("参数", "Setting"),
    "assess_col_item": _w("项目", "Item"),
    "assess_col_opinion": _w("意见", "Opinion"),
    "assess_total": _w("合计", "Total"),
    "assess_sign_dept": _w("审查部门（盖章）", "Reviewing department (seal)"),
    "assess_sign_person": _w("经办人", "Officer"),
    "assess_sign_date": _w("日期", "Date"),
}

TEXTS = {
    # one sentence per check (value and args from geo.assessment)
    "assess_area": _w("申请范围共 {blocks} 个区块，总面积 {area_km2:.4f} 平方公里（{area_ha:,.2f} 公顷，{area_mu:,.2f} 亩）",
                      "{blocks} block(s), {area_km2:.4f} km² in total ({area_ha:,.2f} ha, {area_mu:,.2f} mu)"),
    "assess_area_site": _w("项目用地面积 {area_ha:,.2f} 公顷（{area_mu:,.2f} 亩）",
                           "Site of {area_ha:,.2f} ha ({area_mu:,.2f} mu)"),
    "assess_overlap_other_parks": _w("与其他园区重叠 {value:,.2f} 平方米：{parks}",
                                     "Overlaps other parks by {value:,.2f} m²: {parks}"),
    "assess_overlap_other_parks_none": _w("与其他园区无重叠", "No overlap with other parks"),
    "assess_contiguity": _w("与现有园区相接", "Touches the park"),
    "assess_contiguity_apart": _w("有 {apart} 个区块与现有园区不相接，最远相距 {value:,.1f} 米（一区多园的新园区可分设，需说明）",
                                  "{apart} block(s) apart from the park, the farthest {value:,.1f} m away "
                                  "(a new sub-park may lie apart: to be explained)"),
    "assess_zero_layer": _w("与{layer}重叠 {value:,.2f} 平方米，共 {n} 处：{pieces}",
                            "Overlaps the {layer} by {value:,.2f} m² in {n} piece(s): {pieces}"),
    "assess_zero_layer_none": _w("不占用{layer}", "Does not touch the {layer}"),
    "assess_urban_boundary_share": _w("位于城镇开发边界内 {pct:.2f}%，边界外 {outside_m2:,.2f} 平方米",
                                      "{pct:.2f}% inside the urban development boundary, {outside_m2:,.2f} m² outside"),
    "assess_development_rate": _w("已批准范围土地开发率 {pct:.2f}%（已达到供地条件 {supply_ready_ha:,.2f} 公顷 / 可开发 "
                                  "{developable_ha:,.2f} 公顷）",
                                  "Development rate {pct:.2f}% ({supply_ready_ha:,.2f} ha supply-ready of "
                                  "{developable_ha:,.2f} ha developable)"),
    "assess_expansion_criteria_2005": _w("满足 {value:.0f} 项：投资环境排名 {rank}；单位面积工业产值 {output} 万元/平方公里；年税收 {tax} 万元",
                                         "{value:.0f} met: investment-environment rank {rank}; output {output} "
                                         "10k yuan/km²; tax {tax} 10k yuan a year"),
    "assess_idle_land": _w("未处置闲置土地 {area_ha:,.2f} 公顷，占已供应土地 {pct:.2f}%",
                           "{area_ha:,.2f} ha of idle land not disposed, {pct:.2f}% of supplied land"),
    "assess_inefficient_land": _w("低效用地 {area_ha:,.2f} 公顷，占已供应土地 {pct:.2f}%",
                                  "{area_ha:,.2f} ha inefficient, {pct:.2f}% of supplied land"),
    "assess_unbuilt_land": _w("已供未建土地 {area_ha:,.2f} 公顷，占已供应土地 {pct:.2f}%",
                              "{area_ha:,.2f} ha supplied but not built, {pct:.2f}% of supplied land"),
    "assess_evaluation_score": _w("评价得分 {value:.2f} 分", "Score {value:.2f}"),
    "assess_evaluation_rank": _w("在 {n} 个园区中排第 {value:.0f} 名", "Rank {value:.0f} of {n} parks"),
    "assess_years_at_region_level": _w("{since} 年设立为自治区级园区，已 {value:.0f} 年",
                                       "Region-level since {since}: {value:.0f} years"),
    "assess_eco_status": _w("生态化改造：{status}", "Eco-transformation: {status}"),
    "assess_leading_industry_match": _w("主导产业 {declared}，其中与规划一致的 {matched}（{pct:.0f}%）",
                                        "Leading industries {declared}; matching the plan: {matched} ({pct:.0f}%)"),
    "assess_real_estate_share": _w("住宅及商服用地占申请范围 {pct:.2f}%", "Residential and commercial land: {pct:.2f}%"),
    "assess_project_control": _w("{name} {shown}，要求 {required}", "{name} {shown}, required {required}"),
    "assess_project_leading_industry": _w("属园区主导产业“{value}”", "Belongs to the park's leading industry {value}"),
    "assess_project_leading_industry_no": _w("不属园区主导产业（{leading}）", "Not among the park's leading industries "
                                                                     "({leading})"),
    "assess_project_per_mu": _w("{name} {value:,.2f} 万元/亩，园区工业用地中位数 {median:,.2f} 万元/亩",
                                "{name} {value:,.2f} per mu; park median {median:,.2f}"),
    "assess_project_grade": _w("按预计税收测算，入园后属{grade}", "By expected tax it would be class {grade}"),
    "assess_project_land_available": _w("项目用地 {value:,.2f} 公顷；园区已达到供地条件尚未供应 {unsupplied} 公顷，"
                                        "未处置闲置土地 {idle} 公顷",
                                        "Site {value:,.2f} ha; supply-ready unsupplied land {unsupplied} ha, idle "
                                        "land not disposed {idle} ha"),
    "assess_project_land_idle": _w("；闲置土地足以安排，应优先盘活闲置土地", "; idle land could take it: re-use it first"),
    "assess_more_pieces": _w("等，共 {n} 处（逐处面积见重叠图层）", " and more, {n} in all (each in the overlap layer)"),
    "assess_no_data": _w("{why}", "{why}"),
    # thresholds
    "assess_thr_min": _w("≥ {v}", "≥ {v}"),
    "assess_thr_min_strict": _w("> {v}", "> {v}"),
    "assess_thr_max": _w("≤ {v}", "≤ {v}"),
    "assess_thr_warn_min": _w("；低于 {v} 不予通过", "; below {v} fails"),
    "assess_thr_warn_max": _w("；高于 {v} 不予通过", "; above {v} fails"),
    "assess_thr_zero": _w("应为零", "must be zero"),
    "assess_thr_rank": _w("前 {v} 名", "top {v}"),
    "assess_thr_any_of": _w("投资环境排名前 {rank} 名，或单位面积工业总产值 ≥ 40 亿元/平方公里，或年税收 ≥ 10 亿元，三者之一",
                            "one of: rank within top {rank}, output ≥ 4 billion yuan/km², tax ≥ 1 billion yuan a year"),
    "assess_thr_match": _w("属园区主导产业", "one of the park's leading industries"),
    "assess_thr_land": _w("不超过已达到供地条件尚未供应的土地", "within supply-ready unsupplied land"),
    "assess_thr_median": _w("≥ 园区中位数 × {ratio}", "≥ park median × {ratio}"),
    "assess_thr_map": _w("{passing}为符合", "{passing} pass"),
    "assess_default_mark": _w("（本系统默认参数）", " (this system's default setting)"),
    "assess_illustrative": _w("注：所用{layers}为示意数据，并非真实“三区三线”成果，正式审查须以自然资源部门下发的成果为准。",
                              "Note: the {layers} used are illustrative, not the real three control lines; a formal "
                              "review must use the official layers."),
    # verdict rule
    "assess_rule_if_any": _w("有任一项“{status}”即{verdict}", "any check '{status}' → {verdict}"),
    "assess_rule_otherwise": _w("其余情形{verdict}", "otherwise → {verdict}"),
    "assess_verdict_line": _w("审查结论：{verdict}。", "Conclusion: {verdict}."),
    "assess_verdict_basis": _w("结论依据（按序判定，先符合者为准）：{rules}。", "Derived by (first match wins): {rules}."),
    "assess_counts": _w("共审查 {n} 项：不符合 {fail} 项，需关注 {warn} 项，符合 {passed} 项。",
                        "{n} checks: {fail} failed, {warn} need attention, {passed} passed."),
    "assess_conditions": _w("需落实的条件：{items}。", "Conditions: {items}."),
    "assess_preset_line": _w("审查参数方案：{name}（{edition}）", "Preset: {name} ({edition})"),
    "assess_as_of": _w("评价基准日：{date}", "As of: {date}"),
    "assess_generated": _w("出具日期：{date}", "Issued: {date}"),
    "assess_block_name": _w("区块{n}", "Block {n}"),
    # Survey convention: 纵坐标 (X) is the northing, 横坐标 (Y) the easting.
    "assess_east": _w("东经 {v:.6f}°（横坐标 {y:,.2f}）", "{v:.6f}°E (easting {y:,.2f})"),
    "assess_west": _w("东经 {v:.6f}°（横坐标 {y:,.2f}）", "{v:.6f}°E (easting {y:,.2f})"),
    "assess_north": _w("北纬 {v:.6f}°（纵坐标 {x:,.2f}）", "{v:.6f}°N (northing {x:,.2f})"),
    "assess_south": _w("北纬 {v:.6f}°（纵坐标 {x:,.2f}）", "{v:.6f}°N (northing {x:,.2f})"),
    "assess_area_statement": _w("申请范围总面积 {km2:.4f} 平方公里，共 {n} 个区块，具体以界址点坐标控制。",
                                "Total {km2:.4f} km² in {n} block(s), as fixed by the boundary-point coordinates."),
    "assess_piece_label": _w("{layer}{n}：{area:,.0f} 平方米", "{layer} {n}: {area:,.0f} m²"),
    "assess_cli_bad_output": _w("输出文件须为 .json、.docx 或 .gpkg，不能是“{ext}”",
                                "the output must be .json, .docx or .gpkg, not '{ext}'"),
    "assess_cli_wrote": _w("已写出 {path}：{verdict}（{n} 项审查）", "Wrote {path}: {verdict} ({n} checks)"),
}

PRESET_NAMES = {
    "default": _w("默认方案（国家公布标准 + 本系统默认参数）", "Default (published national criteria + system defaults)"),
}

#: Headers of the project's own attributes (the parcel columns have theirs in words/columns.py).
COLUMNS = {
    "applicant": _w("申请单位", "Applicant"),
    "leading_industry": _w("所属主导产业", "Leading industry"),
}

TEXTS.update({
    "assess_preset_unknown": {
        "zh": "没有名为“{preset}”的审查预设：请给出预设文件的路径，或使用已有预设（{available}）",
        "en": "No assessment preset “{preset}”: give a preset file's path or one of {available}",
    },
    "assess_verdict_rule_invalid": {
        "zh": "审查预设的结论规则 {rule} 中的状态或结论无法识别（状态：通过、提示、不通过；结论：建议同意、建议有条件同意、建议不同意）",
        "en": "The preset's verdict rule {rule} names an unknown status or verdict",
    },
    "assess_kind_unknown_checks": {
        "zh": "审查预设中“{kind}”所列核查项 {checks} 无法识别，请核对预设文件",
        "en": "The preset lists unknown checks for “{kind}”: {checks}",
    },
    "assess_verdict_no_rule": {
        "zh": "审查预设的结论规则没有一条适用：请在规则列表末尾加上“其余情形”一条",
        "en": "No verdict rule of the preset applies: end the list with an otherwise rule",
    },
    "assess_kind_invalid": {
        "zh": "审查类型“{kind}”无法识别：应为扩区、升级或项目入园之一（{kinds}）",
        "en": "Unknown kind of review “{kind}”: one of {kinds}",
    },
    "assess_park_unknown": {
        "zh": "园区“{park}”不在园区资料中（已有：{parks}）",
        "en": "Park “{park}” is not among the parks ({parks})",
    },
})


register(
    labels={"column": COLUMNS, "assess_check": CHECKS, "assess_status": STATUSES, "assess_verdict": VERDICTS, "assess_kind": KINDS,
            "assess_unit": UNITS, "assess_why": WHY, "assess_source": SOURCES, "assess_layer": LAYERS,
            "assess_preset": PRESET_NAMES, "ui": UI},
    texts=TEXTS,
)


# --------------------------------------------------------------------------- rendering


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def source_text(key, lang: str = "zh") -> str:
    """A source key as its citation (this catalogue's, else the metrics catalogue's ``source``)."""
    if _missing(key):
        return DASH
    from words.core import has_label

    return label("assess_source", key, lang) if has_label("assess_source", key) else label("source", key, lang)


def sources_text(check: Mapping, lang: str = "zh") -> str:
    """The citations of a check: its source, and the source of its warn threshold where it has one."""
    out = source_text(check.get("source"), lang)
    extra = (check.get("args") or {}).get("warn_source")
    return out + ("；" if lang == "zh" else "; ") + source_text(extra, lang) if extra else out


def number(value, unit: str | None, lang: str = "zh") -> str:
    """A check's figure with its unit: 93.00%, 1.6400 平方公里, 350,002.11 平方米, 第 3 名 …"""
    if _missing(value):
        return DASH
    if unit == "code":
        for kind in ("eco_status", "grade_class"):
            from words.core import has_label

            if has_label(kind, str(value)):
                return label(kind, str(value), lang)
        return str(value)
    if isinstance(value, str):
        return value
    v = float(value)
    u = label("assess_unit", unit, lang) if unit else ""
    if unit == "ratio":
        return f"{v * 100:.2f}%"
    if unit == "far":
        return f"{v:.2f}"
    if unit == "km2":
        return f"{v:.4f} {u}"
    if unit == "rank":
        return f"第 {v:.0f} 名" if lang == "zh" else f"No. {v:.0f}"
    if unit in ("years", "count"):
        return f"{v:.0f} {u}"
    if unit == "m":
        return f"{v:,.1f} {u}"
    return f"{v:,.2f} {u}".strip()


def threshold_text(check: Mapping, lang: str = "zh") -> str:
    """The threshold of a check as a reader reads it, marked when it is 本系统默认参数."""
    t = dict(check.get("threshold") or {})
    unit = check.get("unit")
    defaults = set(check.get("system_default") or [])

    def mark(name: str) -> str:
        return text("assess_default_mark", lang) if name in defaults else ""

    kind = t.get("kind")
    if kind in ("min", "max"):
        if t.get("pass") is None:
            out = DASH
        elif unit == "rank":
            out = text("assess_thr_rank", lang, v=f"{float(t['pass']):.0f}")
        elif "median" in t:
            out = text("assess_thr_median", lang, ratio=f"{float(t['ratio']):g}") + \
                f"（{number(t['pass'], unit, lang)}）"
        elif check.get("id") == "project_land_available":
            out = text("assess_thr_land", lang)
        elif float(t["pass"]) == 0 and kind == "max" and unit == "m2":
            out = text("assess_thr_zero", lang)
        else:
            code = "assess_thr_min_strict" if t.get("strict") else f"assess_thr_{kind}"
            out = text(code, lang, v=number(t["pass"], unit, lang)) + mark("pass")
            if t.get("warn") is not None:
                out += text(f"assess_thr_warn_{kind}", lang, v=number(t["warn"], unit, lang)) + mark("warn")
            return out
    elif kind == "any_of":
        out = text("assess_thr_any_of", lang, rank=t.get("investment_env_rank_max"))
    elif kind == "match":
        out = text("assess_thr_match", lang)
    elif kind == "map":
        passing = [number(k, "code", lang) for k, s in (t.get("map") or {}).items() if s == "pass"]
        out = text("assess_thr_map", lang, passing="、".join(passing) if lang == "zh" else ", ".join(passing))
    else:
        out = DASH
    return out + (text("assess_default_mark", lang) if defaults else "")


def _list(items, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(str(i) for i in items) if items else DASH


def check_text(check: Mapping, lang: str = "zh", *, park_names: Mapping[str, str] | None = None) -> str:
    """The sentence of one check: what was found, with its figures."""
    cid, value, args = check["id"], check.get("value"), dict(check.get("args") or {})
    if _missing(value) and args.get("why"):
        return label("assess_why", args["why"], lang)
    pct = None if _missing(value) or isinstance(value, str) else float(value) * 100
    if cid == "area":
        if args.get("blocks") and not args.get("site"):
            return text("assess_area", lang, **args)
        return text("assess_area_site", lang, area_ha=args["area_ha"], area_mu=args["area_mu"])
    if cid == "overlap_other_parks":
        if not args.get("parks"):
            return text("assess_overlap_other_parks_none", lang)
        names = park_names or {}
        parks = [f"{names.get(p['park_id'], p['park_id'])} {p['area_m2']:,.2f} {label('assess_unit', 'm2', lang)}"
                 for p in args["parks"]]
        return text("assess_overlap_other_parks", lang, value=value, parks=_list(parks, lang))
    if cid == "contiguity":
        return text("assess_contiguity_apart" if args.get("apart") else "assess_contiguity", lang, value=value,
                    apart=args.get("apart"))
    if cid in ("basic_farmland", "ecological_red_line"):
        layer = label("assess_layer", cid, lang)
        if not args.get("n"):
            return text("assess_zero_layer_none", lang, layer=layer)
        pieces = [f"{float(a):,.2f} {label('assess_unit', 'm2', lang)}" for a in args["pieces"][:MAX_LISTED]]
        listed = _list(pieces, lang)
        if len(args["pieces"]) > MAX_LISTED:
            listed += text("assess_more_pieces", lang, n=len(args["pieces"]))
        return text("assess_zero_layer", lang, layer=layer, value=value, n=args["n"], pieces=listed)
    if cid in ("urban_boundary_share", "development_rate", "idle_land", "inefficient_land", "unbuilt_land",
               "real_estate_share"):
        return text(f"assess_{cid}", lang, pct=pct, **{k: v for k, v in args.items() if not _missing(v)})
    if cid == "expansion_criteria_2005":
        def fig(v, d=0):
            return DASH if _missing(v) else f"{float(v):,.{d}f}"
        return text("assess_expansion_criteria_2005", lang, value=value, rank=fig(args.get("investment_env_rank")),
                    output=fig(args.get("output_wan_per_km2")), tax=fig(args.get("tax_wan_per_year")))
    if cid in ("evaluation_score", "evaluation_rank", "years_at_region_level"):
        return text(f"assess_{cid}", lang, value=value, **args)
    if cid == "eco_status":
        return text("assess_eco_status", lang, status=number(value, "code", lang))
    if cid == "leading_industry_match":
        return text("assess_leading_industry_match", lang, declared=_list(args.get("declared"), lang),
                    matched=_list(args.get("matched"), lang), pct=pct)
    if cid in ("project_far", "project_building_coef", "project_office_share", "project_green_ratio",
               "project_investment"):
        unit = check.get("unit")
        shown = f"{float(value):.2f}" if cid == "project_far" else number(value, unit, lang)
        req = (check.get("threshold") or {}).get("pass")
        required = DASH if _missing(req) else (f"{float(req):.2f}" if cid == "project_far" else number(req, unit, lang))
        if args.get("why"):
            return label("assess_why", args["why"], lang)
        return text("assess_project_control", lang, name=label("assess_check", cid, lang), shown=shown,
                    required=required)
    if cid == "project_leading_industry":
        if _missing(value):
            return text("assess_project_leading_industry_no", lang, leading=_list(args.get("leading"), lang))
        return text("assess_project_leading_industry", lang, value=value)
    if cid in ("project_tax_per_mu", "project_output_per_mu"):
        return text("assess_project_per_mu", lang, name=label("assess_check", cid, lang), value=value,
                    median=args.get("median"))
    if cid == "project_grade":
        return text("assess_project_grade", lang, grade=number(value, "code", lang))
    if cid == "project_land_available":
        def fig(v):
            return DASH if _missing(v) else f"{float(v):,.2f}"
        out = text("assess_project_land_available", lang, value=value, unsupplied=fig(args.get("unsupplied_ha")),
                   idle=fig(args.get("idle_ha")))
        if not _missing(args.get("idle_ha")) and float(args["idle_ha"]) >= float(value):
            out += text("assess_project_land_idle", lang)
        return out
    return number(value, check.get("unit"), lang)


def verdict_rules_text(rules, lang: str = "zh") -> str:
    """The preset's verdict rule in words, in order."""
    parts = []
    for r in rules:
        verdict = label("assess_verdict", r["verdict"], lang)
        if "if_any" in r:
            parts.append(text("assess_rule_if_any", lang, status=label("assess_status", r["if_any"], lang),
                              verdict=verdict))
        else:
            parts.append(text("assess_rule_otherwise", lang, verdict=verdict))
    return ("；" if lang == "zh" else "; ").join(parts)
