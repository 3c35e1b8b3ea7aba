"""Column headers with units, zh and en: every table, export and document names columns from here."""

from geo.schema import PARCEL_COLUMNS, PARK_COLUMNS
from words.core import register


def _schema_columns() -> dict[str, dict[str, str]]:
    # The reader's canonical Chinese header is also the header we write: one spelling.
    out = {}
    for c in (*PARCEL_COLUMNS, *PARK_COLUMNS):
        out.setdefault(c.name, {"zh": c.zh, "en": c.en})
    return out


#: Columns the analysis adds.
DERIVED = {
    "area_m2": {"zh": "面积(平方米)", "en": "Area (m²)"},
    "area_ha": {"zh": "面积(公顷)", "en": "Area (ha)"},
    "area_mu": {"zh": "面积(亩)", "en": "Area (亩)"},
    "idle_status": {"zh": "闲置状态", "en": "Idle status"},
    "idle_kind": {"zh": "闲置类型", "en": "Idle kind"},
    "clock_start": {"zh": "起算日期", "en": "Clock starts"},
    "idle_days": {"zh": "逾期天数", "en": "Days overdue"},
    "idle_since": {"zh": "闲置起始日期", "en": "Idle since"},
    "next_threshold_date": {"zh": "下一节点日期", "en": "Next threshold"},
    "fee_wan": {"zh": "闲置费(万元)", "en": "Idle-land fee (万元)"},
    "warning": {"zh": "临近预警", "en": "Early warning"},
    "missing_fields": {"zh": "缺失字段", "en": "Missing fields"},
    "decision": {"zh": "核查结论", "en": "Decision"},
    "decision_reason": {"zh": "核查理由", "en": "Reason"},
    "decided_by": {"zh": "核查人", "en": "Decided by"},
    "decided_at": {"zh": "核查时间(北京时间)", "en": "Decided at (Beijing time)"},
    "decided_on_status": {"zh": "核查时系统判定", "en": "Computed status at decision"},
    "disposal_stage": {"zh": "处置阶段", "en": "Disposal stage"},
    "stage_at": {"zh": "处置记录时间(北京时间)", "en": "Stage recorded at (Beijing time)"},
    "disposal_finished": {"zh": "处置完毕", "en": "Disposal finished"},
    "entries": {"zh": "核查记录数", "en": "Review entries"},
    "floor_area_eff_m2": {"zh": "计容建筑面积(平方米)", "en": "Floor area counted (m²)"},
    "far": {"zh": "容积率", "en": "FAR"},
    "building_coef": {"zh": "建筑系数", "en": "Building coefficient"},
    "office_share": {"zh": "行政办公及生活服务设施用地所占比重", "en": "Office & living share"},
    "green_ratio": {"zh": "绿地率", "en": "Green ratio"},
    "invest_wan_per_mu": {"zh": "投资强度(万元/亩)", "en": "Investment intensity (万元/亩)"},
    "output_wan_per_mu": {"zh": "亩均产值(万元/亩)", "en": "Output per 亩 (万元/亩)"},
    "tax_wan_per_mu": {"zh": "亩均税收(万元/亩)", "en": "Tax per 亩 (万元/亩)"},
    "missing_inputs_text": {"zh": "缺失数据说明", "en": "Missing data"},
    "checked": {"zh": "是否核查", "en": "Checked"},
    "industry_division": {"zh": "行业大类", "en": "Industry division"},
    "far_min": {"zh": "容积率下限", "en": "Minimum FAR"},
    "building_coef_min": {"zh": "建筑系数下限", "en": "Minimum building coefficient"},
    "office_share_max": {"zh": "行政办公用地比重上限", "en": "Maximum office share"},
    "green_ratio_max": {"zh": "绿地率上限", "en": "Maximum green ratio"},
    "invest_min_wan_per_mu": {"zh": "投资强度下限(万元/亩)", "en": "Minimum investment intensity (万元/亩)"},
    "inefficient": {"zh": "低效用地", "en": "Inefficient land"},
    "inefficiency_reasons_text": {"zh": "低效原因", "en": "Reasons"},
    "nonbinding_failures_text": {"zh": "非约束性指标未达标", "en": "Non-binding indicators failed"},
    "skipped_rules_text": {"zh": "未核查指标", "en": "Indicators not checked"},
    "far_gap_floor_m2": {"zh": "容积率达标尚缺建筑面积(平方米)", "en": "Floor area short of the minimum FAR (m²)"},
    "freed_land_m2": {"zh": "可腾退土地(平方米)", "en": "Land that could be freed (m²)"},
    "freed_land_mu": {"zh": "可腾退土地(亩)", "en": "Land that could be freed (亩)"},
    "va_wan_per_mu": {"zh": "亩均增加值(万元/亩)", "en": "Value added per 亩 (万元/亩)"},
    "va_wan_per_tce": {"zh": "单位能耗增加值(万元/吨标准煤)", "en": "Value added per tce (万元/tce)"},
    "va_wan_per_t_emission": {"zh": "单位排放增加值(万元/吨)", "en": "Value added per t emitted (万元/t)"},
    "va_wan_per_employee": {"zh": "全员劳动生产率(万元/人)", "en": "Labour productivity (万元/person)"},
    "rd_share": {"zh": "研发经费占营业收入比重", "en": "R&D share of revenue"},
    "score": {"zh": "得分", "en": "Score"},
    "grade_class": {"zh": "评价类别", "en": "Class"},
    "grade_label_zh": {"zh": "类别名称", "en": "Class name"},
    "grade_rank": {"zh": "组内排名", "en": "Rank in group"},
    "graded_on_tax_only": {"zh": "仅按亩均税收评价", "en": "Graded on tax per 亩 only"},
    "grade_notes_text": {"zh": "评价说明", "en": "Grading notes"},
    "park_name": {"zh": "园区名称", "en": "Park"},
    "checked_parcels": {"zh": "已核查宗数", "en": "Parcels checked"},
    "inefficient_parcels": {"zh": "低效宗数", "en": "Inefficient parcels"},
    "inefficient_area_mu": {"zh": "低效用地面积(亩)", "en": "Inefficient land (亩)"},
    "ungraded": {"zh": "未参评宗数", "en": "Not graded"},
    "tax_only": {"zh": "仅按亩均税收评价宗数", "en": "Graded on tax per 亩 only"},
    "parcels": {"zh": "宗地数", "en": "Parcels"},
    "idle_parcels": {"zh": "闲置宗数", "en": "Idle parcels"},
    "idle_area_mu": {"zh": "闲置面积(亩)", "en": "Idle area (亩)"},
    "suspected_parcels": {"zh": "临近闲置宗数(逾期或中止未满1年)", "en": "On the clock (overdue or halted < 1 year)"},
    "fees_due_wan": {"zh": "应征闲置费(万元)", "en": "Fees due (万元)"},
}

register(
    labels={"column": {**_schema_columns(), **DERIVED}},
    # Which label kind each code column's values take (exports and tables render them).
    value_kinds={
        "idle_status": "idle_status",
        "decided_on_status": "idle_status",
        "idle_kind": "idle_kind",
        "decision": "decision",
        "disposal_stage": "disposal_stage",
        "grade_class": "grade_class",
        "grade_code": "grade_class",
        "compliance_class": "compliance_class",
        "park_type": "park_type",
        "score_excluded": "indicator",
        "source_key": "source",
    },
    texts={
        "cli_wrote_as_of": {
            "zh": "已写出 {n} 宗地到 {path}（评价基准日 {as_of}）",
            "en": "Wrote {n} parcels to {path} (as of {as_of})",
        },
        "cli_wrote_parks": {
            "zh": "已写出 {n} 个园区的评价结果到 {path}（评价基准日 {as_of}）",
            "en": "Wrote the evaluation of {n} parks to {path} (as of {as_of})",
        },
        "cli_intensity_total": {
            "zh": "低效用地：已核查 {checked} 宗中 {inefficient} 宗，{area_mu:,.2f} 亩；可腾退土地 {freed_mu:,.2f} 亩",
            "en": "Inefficient: {inefficient} of {checked} checked parcels, {area_mu:,.2f} 亩; land that could be freed {freed_mu:,.2f} 亩",
        },
        "cli_wrote_grades": {
            "zh": "已写出 {n} 宗地到 {path}；评价参数见 {settings}",
            "en": "Wrote {n} parcels to {path}; settings in {settings}",
        },
        "cli_wrote": {
            "zh": "已写出 {n} 宗地到 {path}",
            "en": "Wrote {n} parcels to {path}",
        },
        "export_needs_geometry": {
            "zh": "导出 {ext} 需要带图形和坐标系的数据；此表请导出为 Excel 或 CSV",
            "en": "{ext} needs data with geometry and a CRS; export this table as Excel or CSV",
        },
        "export_unknown_columns": {
            "zh": "没有这些列：{columns}",
            "en": "No such columns: {columns}",
        },
    },
)
