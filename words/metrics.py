"""
Words of the efficiency, grading, evaluation and eco analyses (``geo.intensity``,
``geo.grading``, ``geo.evaluation``, ``geo.eco``) and of their pages.

- Message codes (failed rules, skipped rules, missing inputs, grading notes,
  evaluation notes, eco notes) → sentences with their numbers.
- Label kinds: ``indicator`` (names), ``indicator_unit``, ``indicator_formula``,
  ``control_rule``, ``grade_class``, ``park_type``, ``source`` (regulations cited by
  key), ``reference``, ``score_status``, ``eco_result``, ``eco_target``, ``setting``
  and ``setting_choice`` (rule-file keys and values), ``compliance_class``.
- Column headers of the columns these analyses add (kind ``column``).
- The pages' own strings (kind ``ui``, keys prefixed ``int_``, ``cmp_``, ``eco_``).
"""

from __future__ import annotations

from words.core import DASH, label, register

_ZH, _EN = "zh", "en"


def _w(zh: str, en: str) -> dict[str, str]:
    return {_ZH: zh, _EN: en}


# --------------------------------------------------------------------------- sources

#: Regulations and defaults cited by key (``source`` in rule files and message items).
SOURCES = {
    "gtzf_2008_24": _w("《工业项目建设用地控制指标》（国土资发〔2008〕24号）",
                       "Control Indicators for Industrial Project Land (国土资发〔2008〕24号)"),
    "gzbf_2007_137": _w("广西壮族自治区人民政府办公厅文件（桂政办发〔2007〕137号）",
                        "Guangxi government office document 桂政办发〔2007〕137号"),
    "td_t_1029_2017": _w("TD/T 1029-2017《开发区土地集约利用评价规程》",
                         "TD/T 1029-2017 Evaluation Rules for Intensive Land Use in Development Zones"),
    "national_monitoring_2019": _w("国家级开发区土地集约利用监测统计情况（2019年度，541个国家级开发区）",
                                   "Monitoring of intensive land use in national development zones, 2019 "
                                   "(541 zones)"),
    "hj_274_2015": _w("HJ 274-2015《国家生态工业示范园区标准》",
                      "HJ 274-2015 Standard for National Demonstration Eco-industrial Parks"),
    "db45_t_1944_2019": _w("广西地方标准 DB45/T 1944-2019", "Guangxi local standard DB45/T 1944-2019"),
    "guangxi_hitech_plan": _w("《广西高新技术产业开发区发展规划（2017—2020年）》及2018年实施方案",
                              "Guangxi high-tech zone development plan (2017-2020) and its 2018 implementation plan"),
    "gb_t_4754": _w("GB/T 4754《国民经济行业分类》", "GB/T 4754 Industrial Classification for National Economic "
                    "Activities"),
    "system_default": _w("本系统默认参数", "This system's default setting"),
}

# --------------------------------------------------------------------------- indicators

#: Indicator names (evaluation figures, grading indicators, eco indicators): one kind.
INDICATORS = {
    # geo.evaluation.FIGURES (TD/T 1029)
    "development_rate": _w("土地开发率", "Development rate"),
    "supply_rate": _w("土地供应率", "Supply rate"),
    "builtup_rate": _w("土地建成率", "Built-up rate"),
    "industrial_share": _w("工业用地率", "Industrial share"),
    "far_overall": _w("综合容积率", "Overall FAR"),
    "building_density": _w("建筑密度", "Building density"),
    "far_industrial": _w("工业用地综合容积率", "Industrial FAR"),
    "building_coef_industrial": _w("工业用地建筑系数", "Industrial building coefficient"),
    "invest_wan_per_ha": _w("工业用地固定资产投入强度", "Industrial investment intensity"),
    "tax_industrial_wan_per_ha": _w("工业用地地均税收", "Industrial tax per ha"),
    "tax_overall_wan_per_ha": _w("综合地均税收", "Overall tax per ha"),
    "idle_disposal_rate": _w("闲置土地处置率", "Idle land disposal rate"),
    "unbuilt_share": _w("待建地占比", "Share of land awaiting construction"),
    "years_of_supply_left": _w("剩余可供地年限", "Years of supply left"),
    "idle_ha": _w("闲置土地面积", "Idle land"),
    "unbuilt_ha": _w("待建地面积", "Land awaiting construction"),
    "inefficient_ha": _w("低效用地面积", "Inefficient land"),
    "score": _w("集约利用评价分值", "Intensity score"),
    # geo.grading.INDICATORS (亩均论英雄)
    "tax_wan_per_mu": _w("亩均税收", "Tax per mu"),
    "va_wan_per_mu": _w("亩均增加值", "Value added per mu"),
    "va_wan_per_tce": _w("单位能耗增加值", "Value added per tce"),
    "va_wan_per_t_emission": _w("单位排放增加值", "Value added per t emitted"),
    "va_wan_per_employee": _w("全员劳动生产率", "Labour productivity"),
    "rd_share": _w("研发经费占营业收入比重", "R&D share of revenue"),
    # geo.eco.ECO_INDICATORS (HJ 274-2015)
    "energy_tce_per_wan_va": _w("单位工业增加值综合能耗", "Energy per unit industrial value added"),
    "water_m3_per_wan_va": _w("单位工业增加值新鲜水耗", "Fresh water per unit industrial value added"),
    "industrial_water_reuse": _w("工业用水重复利用率", "Industrial water reuse rate"),
    "solid_waste_use": _w("一般工业固体废物综合利用率", "Industrial solid-waste utilisation rate"),
    "reclaimed_water_reuse": _w("再生水（中水）回用率", "Reclaimed-water reuse rate"),
    "va_wan_per_worker": _w("人均工业增加值", "Industrial value added per worker"),
}

#: Units of the indicators that have one (shares are shown as %; FARs have none).
UNITS = {
    "percent": _w("%", "%"),
    "ha": _w("公顷", "ha"),
    "mu": _w("亩", "mu"),
    "m2": _w("平方米", "m²"),
    "wan": _w("万元", "10k yuan"),
    "wan_per_ha": _w("万元/公顷", "10k yuan/ha"),
    "wan_per_mu": _w("万元/亩", "10k yuan/mu"),
    "year": _w("年", "years"),
    "points": _w("分", "points"),
    "wan_per_tce": _w("万元/吨标准煤", "10k yuan/tce"),
    "wan_per_t": _w("万元/吨", "10k yuan/t"),
    "wan_per_person": _w("万元/人", "10k yuan/person"),
    "tce_per_wan": _w("吨标准煤/万元", "tce/10k yuan"),
    "m3_per_wan": _w("立方米/万元", "m³/10k yuan"),
}

#: Indicator → unit code (of :data:`UNITS`); absent: no unit (a FAR) or a share (see PERCENT).
INDICATOR_UNITS = {
    "invest_wan_per_ha": "wan_per_ha",
    "tax_industrial_wan_per_ha": "wan_per_ha",
    "tax_overall_wan_per_ha": "wan_per_ha",
    "years_of_supply_left": "year",
    "idle_ha": "ha",
    "unbuilt_ha": "ha",
    "inefficient_ha": "ha",
    "score": "points",
    "tax_wan_per_mu": "wan_per_mu",
    "va_wan_per_mu": "wan_per_mu",
    "va_wan_per_tce": "wan_per_tce",
    "va_wan_per_t_emission": "wan_per_t",
    "va_wan_per_employee": "wan_per_person",
    "energy_tce_per_wan_va": "tce_per_wan",
    "water_m3_per_wan_va": "m3_per_wan",
    "va_wan_per_worker": "wan_per_person",
}
#: Indicators that are shares (fractions shown as %).
PERCENT = frozenset({
    "development_rate", "supply_rate", "builtup_rate", "industrial_share", "building_density",
    "building_coef_industrial", "idle_disposal_rate", "unbuilt_share", "rd_share", "industrial_water_reuse",
    "solid_waste_use", "reclaimed_water_reuse",
})

FORMULAS = {
    "development_rate": _w("已达到供地条件土地面积 ÷ 可开发土地面积", "supply-ready land ÷ developable land"),
    "supply_rate": _w("已供应国有建设用地面积 ÷ 已达到供地条件土地面积", "supplied land ÷ supply-ready land"),
    "builtup_rate": _w("已建成城镇建设用地面积 ÷ 已供应国有建设用地面积", "built-up land ÷ supplied land"),
    "industrial_share": _w("已建成工矿仓储用地面积 ÷ 已建成城镇建设用地面积",
                           "built-up industrial and storage land ÷ built-up land"),
    "far_overall": _w("已建成城镇建设用地上总建筑面积 ÷ 已建成城镇建设用地面积",
                      "floor area on built-up land ÷ built-up land"),
    "building_density": _w("已建成城镇建设用地上建筑基底总面积 ÷ 已建成城镇建设用地面积",
                           "building footprint on built-up land ÷ built-up land"),
    "far_industrial": _w("已建成工矿仓储用地上总建筑面积 ÷ 已建成工矿仓储用地面积",
                         "floor area on built-up industrial land ÷ built-up industrial land"),
    "building_coef_industrial": _w("已建成工矿仓储用地上建筑物、构筑物及堆场占地面积 ÷ 已建成工矿仓储用地面积",
                                   "buildings, structures and yards on built-up industrial land ÷ built-up "
                                   "industrial land"),
    "invest_wan_per_ha": _w("已建成工矿仓储用地上工业企业固定资产投资总额 ÷ 已建成工矿仓储用地面积",
                            "industrial fixed-asset investment ÷ built-up industrial land"),
    "tax_industrial_wan_per_ha": _w("已建成工矿仓储用地上工业企业税收总额 ÷ 已建成工矿仓储用地面积",
                                    "industrial firms' tax ÷ built-up industrial land"),
    "tax_overall_wan_per_ha": _w("已建成城镇建设用地上二、三产业税收总额 ÷ 已建成城镇建设用地面积",
                                 "secondary and tertiary sector tax ÷ built-up land"),
    "idle_disposal_rate": _w("已处置闲置土地面积 ÷ 闲置土地总面积", "idle land disposed ÷ idle land"),
    "unbuilt_share": _w("已供应未建成土地面积 ÷ 可开发土地面积", "supplied land not yet built-up ÷ developable land"),
    "years_of_supply_left": _w("（已达到供地条件土地面积 − 已供应土地面积）÷ 近3年年均供地面积",
                               "(supply-ready − supplied land) ÷ mean yearly supply of the last 3 years"),
}

CONTROL_RULES = {
    "far": _w("容积率", "Floor-area ratio"),
    "building_coef": _w("建筑系数", "Building coefficient"),
    "office_share": _w("行政办公及生活服务设施用地所占比重", "Office and living facilities share"),
    "green_ratio": _w("绿地率", "Green ratio"),
    "invest_intensity": _w("投资强度", "Investment intensity"),
}

GRADE_CLASSES = {
    "A": _w("A类（优先发展）", "A (priority development)"),
    "B": _w("B类（提升发展）", "B (upgrade)"),
    "C": _w("C类（调控帮扶）", "C (regulate and support)"),
    "D": _w("D类（倒逼整治）", "D (forced rectification)"),
    "ungraded": _w("未评价", "Not graded"),
}

PARK_TYPES = {
    "industry_led": _w("工业主导型", "Industry-led"),
    "mixed": _w("产城融合型", "Industry-city mixed"),
}

SCORE_STATUSES = {
    "scored": _w("参与计分", "scored"),
    "not_weighted": _w("不计分", "not scored"),
    "excluded": _w("缺项剔除", "left out (no data)"),
    "zero": _w("缺项按0分计", "counted as 0 (no data)"),
}

ECO_RESULTS = {
    "passed": _w("达标", "Pass"),
    "failed": _w("未达标", "Fail"),
    "not_supplied": _w("未提供", "Not supplied"),
}

ECO_TARGETS = {
    "national_eco_completed": _w("国家级园区完成生态化改造", "National parks with eco-transformation completed"),
    "regional_eco_completed": _w("自治区级园区完成生态化改造", "Region-level parks with eco-transformation completed"),
    "park_count": _w("高新区数量", "High-tech parks"),
    "national_count": _w("国家级高新区数量", "National-level parks"),
}

COMPLIANCE_CLASSES = {
    "compliant": _w("达标", "Compliant"),
    "far_below": _w("容积率低于下限", "FAR below minimum"),
    "other_failed": _w("其他约束性指标不达标", "Other binding rule failed"),
    "no_data": _w("数据不足（容积率未核查）", "No data (FAR not checked)"),
    "not_checked": _w("非核查用途（不核查）", "Land use not checked"),
}

REFERENCE = {"national_average_2019": _w("全国平均(2019年)", "National average (2019)")}

#: Rule-file keys and settings records, for the settings tables (never raw JSON).
SETTINGS = {
    # control_indicators.yaml / check_compliance(...).attrs["rules"]
    "checked_land_uses": _w("核查的土地用途", "Land uses checked"),
    "industry_code_edition_default": _w("行业代码默认版本（GB/T 4754）", "Default GB/T 4754 edition of industry codes"),
    "building_coef_min": _w("建筑系数下限", "Minimum building coefficient"),
    "office_share_max": _w("行政办公及生活服务设施用地所占比重上限", "Maximum office and living share"),
    "green_ratio_max": _w("绿地率上限", "Maximum green ratio"),
    "far_min_table": _w("容积率下限", "Minimum FAR"),
    "invest_min": _w("投资强度下限", "Minimum investment intensity"),
    "min_far_override": _w("假设分析：最低容积率", "What-if: minimum FAR"),
    "min_building_coef_override": _w("假设分析：最低建筑系数", "What-if: minimum building coefficient"),
    "binding": _w("约束性指标（不达标即认定低效用地）", "Binding indicators (failing one makes land inefficient)"),
    "parks_given": _w("已提供园区资料（投资强度核查所需）", "Park data given (needed by the investment rule)"),
    # grading.yaml / grade(...).attrs["settings"]
    "group": _w("基准与排名范围", "Benchmark and ranking group"),
    "weights_rescaled_to_100": _w("指标权重（合计100）", "Indicator weights (sum 100)"),
    "benchmark_method": _w("基准值取法", "Benchmark"),
    "benchmark_fixed": _w("固定基准值", "Fixed benchmarks"),
    "cap_ratio": _w("单项比值上限", "Cap on value ÷ benchmark"),
    "cutoffs": _w("分类位次上限", "Class cut-offs by rank"),
    "min_group_size": _w("小组最少宗数", "Least parcels in a group"),
    "graded_land_uses": _w("参评土地用途", "Land uses graded"),
    "fallback_indicator": _w("指标不全时的评价指标", "Indicator used when others are missing"),
    # evaluation.yaml
    "park_type_cutoff_industrial_share": _w("园区类型划分界限（工业用地率 ≥ 界限为工业主导型）",
                                            "Park-type cut-off (industrial share ≥ cut-off: industry-led)"),
    "park_type_if_unknown": _w("无已建成土地时的园区类型", "Park type when there is no built-up land"),
    "missing_indicator": _w("无数据指标的处理", "Indicators without data"),
    "min_weight_share_for_score": _w("计分所需最低参评权重占比", "Least share of weight for a score"),
    "unbuilt_basis": _w("待建地口径", "Land awaiting construction counted as"),
    "supply_window_years": _w("年均供地测算年数", "Years of supply averaged"),
    "far_industrial_double_count_over_8m": _w("工业用地容积率中层高超过8米的建筑面积加倍计算",
                                              "Industrial FAR counts storeys over 8 m double"),
    "reverse_indicators": _w("逆向指标", "Reverse indicators"),
    "industrial_land_uses": _w("计入工矿仓储用地的用途", "Land uses counted as industrial land"),
    "rank_method": _w("同分排名方法", "Ranking of equal scores"),
    "rank_decimals": _w("排名比较的小数位数", "Decimals compared when ranking"),
    "weights": _w("指标权重", "Weights"),
    "ideals": _w("理想值", "Ideal values"),
}

SETTING_CHOICES = {
    "exclude": _w("剔除，其余权重归一", "left out, other weights renormalised"),
    "zero": _w("按0分计", "counted as 0 points"),
    "supplied": _w("已供应未建成土地", "supplied land not built-up"),
    "supply_ready": _w("已达到供地条件土地 − 已建成土地", "supply-ready land − built-up land"),
    "min": _w("并列取最小名次（1, 2, 2, 4）", "ties share the lowest rank (1, 2, 2, 4)"),
    "median": _w("组内中位数", "median of the group"),
    "mean": _w("组内平均值", "mean of the group"),
    "park": _w("园区内", "within each park"),
    "region": _w("全区", "whole region"),
}

FIGURE_PARTS = {"numerator": _w("分子", "Numerator"), "denominator": _w("分母", "Denominator")}

# --------------------------------------------------------------------------- column headers

_EVAL_COLUMNS = {
    "as_of": _w("评价基准日", "Evaluation date"),
    "supplied_ha": _w("已供应土地面积(公顷)", "Supplied land (ha)"),
    "builtup_ha": _w("已建成土地面积(公顷)", "Built-up land (ha)"),
    "builtup_industrial_ha": _w("已建成工矿仓储用地面积(公顷)", "Built-up industrial land (ha)"),
    "recent_supplied_ha": _w("近3年供地面积(公顷)", "Supplied in the last 3 years (ha)"),
    "floor_area_builtup_m2": _w("已建成土地总建筑面积(平方米)", "Floor area on built-up land (m²)"),
    "floor_area_industrial_m2": _w("工矿仓储用地总建筑面积(平方米)", "Floor area on industrial land (m²)"),
    "footprint_builtup_m2": _w("已建成土地建筑基底面积(平方米)", "Footprint on built-up land (m²)"),
    "footprint_industrial_m2": _w("工矿仓储用地建构筑物及堆场占地面积(平方米)",
                                  "Buildings, structures and yards on industrial land (m²)"),
    "invest_industrial_wan": _w("工业固定资产投资(万元)", "Industrial fixed-asset investment (万元)"),
    "tax_industrial_wan": _w("工业企业税收(万元)", "Industrial firms' tax (万元)"),
    "tax_overall_wan": _w("二三产业税收(万元)", "Secondary and tertiary sector tax (万元)"),
    "idle_ha": _w("闲置土地面积(公顷)", "Idle land (ha)"),
    "idle_disposed_ha": _w("已处置闲置土地面积(公顷)", "Idle land disposed (ha)"),
    "inefficient_ha": _w("低效用地面积(公顷)", "Inefficient land (ha)"),
    "unbuilt_ha": _w("待建地面积(公顷)", "Land awaiting construction (ha)"),
    "unsupplied_ha": _w("尚可供应土地面积(公顷)", "Supply-ready land not supplied (ha)"),
    "mean_yearly_supply_ha": _w("近3年年均供地面积(公顷)", "Mean yearly supply, last 3 years (ha)"),
    "park_type": _w("园区类型", "Park type"),
    "score_weight_share": _w("参评指标权重占比", "Share of weight scored"),
    "score_excluded": _w("未参评指标", "Indicators left out"),
    "rank": _w("排名", "Rank"),
    "rank_in_level": _w("同级别排名", "Rank within level"),
    "notes": _w("说明", "Notes"),
    "settings_used": _w("评价参数", "Settings used"),
    "n_parcels": _w("宗地数", "Parcels"),
    "n_supplied": _w("已供应宗数", "Parcels supplied"),
    "n_builtup": _w("已建成宗数", "Parcels built-up"),
    "n_builtup_industrial": _w("已建成工矿仓储宗数", "Industrial parcels built-up"),
    "n_idle": _w("闲置宗数", "Idle parcels"),
    "n_inefficient": _w("低效宗数", "Inefficient parcels"),
    "n_missing_area": _w("缺面积宗数", "Parcels without area"),
    "n_complete_without_supply_date": _w("已竣工缺供地日期宗数", "Completed parcels without supply date"),
    "n_builtup_missing_floor_area": _w("已建成缺总建筑面积宗数", "Built-up parcels without floor area"),
    "n_builtup_missing_footprint": _w("已建成缺基底面积宗数", "Built-up parcels without footprint"),
    "n_builtup_missing_tax": _w("已建成缺税收宗数", "Built-up parcels without tax"),
    "n_industrial_missing_investment": _w("工业宗地缺投资额宗数", "Industrial parcels without investment"),
    "published_score": _w("公布平均分值(分)", "Published mean score (points)"),
    "source_key": _w("来源", "Source"),
}


def _indicator_header(code: str) -> dict[str, str]:
    out = {}
    for lang in (_ZH, _EN):
        name = INDICATORS[code][lang]
        unit = INDICATOR_UNITS.get(code)
        out[lang] = f"{name}({UNITS[unit][lang]})" if unit else name
    return out


_INDICATOR_COLUMNS = {
    code: _indicator_header(code)
    for code in (
        "development_rate", "supply_rate", "builtup_rate", "industrial_share", "far_overall", "building_density",
        "far_industrial", "building_coef_industrial", "invest_wan_per_ha", "tax_industrial_wan_per_ha",
        "tax_overall_wan_per_ha", "idle_disposal_rate", "unbuilt_share", "years_of_supply_left",
    )
}
_STD_COLUMNS = {
    f"std_{code}": _w(f"{INDICATORS[code]['zh']}(标准化值)", f"{INDICATORS[code]['en']} (standardised)")
    for code in _INDICATOR_COLUMNS if code != "years_of_supply_left"
}
_GRADING = ("tax_wan_per_mu", "va_wan_per_mu", "va_wan_per_tce", "va_wan_per_t_emission", "va_wan_per_employee",
            "rd_share")
_GRADE_BREAKDOWN = {
    **{f"bench_{c}": _w(f"{INDICATORS[c]['zh']}基准值", f"{INDICATORS[c]['en']}: benchmark") for c in _GRADING},
    **{f"weight_{c}": _w(f"{INDICATORS[c]['zh']}权重", f"{INDICATORS[c]['en']}: weight") for c in _GRADING},
    **{f"ratio_{c}": _w(f"{INDICATORS[c]['zh']}与基准之比", f"{INDICATORS[c]['en']}: ratio to benchmark")
       for c in _GRADING},
    **{f"points_{c}": _w(f"{INDICATORS[c]['zh']}得分(分)", f"{INDICATORS[c]['en']}: points") for c in _GRADING},
}

COLUMNS = {
    "inefficiency_reasons": _w("低效原因", "Why inefficient"),
    "nonbinding_failures": _w("非约束性指标未达标", "Advisory rules failed"),
    "skipped_rules": _w("未核查指标", "Rules not checked"),
    "missing_inputs": _w("缺失数据说明", "Missing data"),
    "far_ok": _w("容积率是否达标", "FAR met"),
    "building_coef_ok": _w("建筑系数是否达标", "Building coefficient met"),
    "office_share_ok": _w("行政办公用地比重是否达标", "Office share met"),
    "green_ratio_ok": _w("绿地率是否达标", "Green ratio met"),
    "invest_intensity_ok": _w("投资强度是否达标", "Investment intensity met"),
    "compliance_class": _w("核查结果分类", "Compliance class"),
    "grade_code": _w("亩均评价类别", "Per-mu grade"),
    "group": _w("评价分组", "Grading group"),
    "group_size": _w("组内参评宗数", "Parcels scored in group"),
    "grade_position": _w("组内位次比例", "Position in group"),
    "small_group": _w("小组（不足最少宗数）", "Small group"),
    "grade_notes": _w("评价说明", "Grading notes"),
    "indicator_missing": _w("缺失指标说明", "Indicators missing"),
    **_EVAL_COLUMNS,
    **_INDICATOR_COLUMNS,
    **_STD_COLUMNS,
    **_GRADE_BREAKDOWN,
}

# --------------------------------------------------------------------------- message texts

TEXTS = {
    # geo.intensity: rules failed (numbers as the rule reads them)
    "far_below_min": _w("容积率 {far:.2f}，低于下限 {far_min:.2f}", "FAR {far:.2f} below the minimum {far_min:.2f}"),
    "building_coef_below_min": _w("建筑系数 {building_coef:.1%}，低于下限 {building_coef_min:.1%}",
                                  "building coefficient {building_coef:.1%} below the minimum {building_coef_min:.1%}"),
    "office_share_above_max": _w("行政办公及生活服务设施用地所占比重 {office_share:.1%}，超过上限 {office_share_max:.1%}",
                                 "office and living share {office_share:.1%} above the maximum {office_share_max:.1%}"),
    "green_ratio_above_max": _w("绿地率 {green_ratio:.1%}，超过上限 {green_ratio_max:.1%}",
                                "green ratio {green_ratio:.1%} above the maximum {green_ratio_max:.1%}"),
    "invest_below_min": _w("投资强度 {invest_wan_per_mu:,.1f} 万元/亩，低于下限 {invest_min_wan_per_mu:,.1f} 万元/亩",
                           "investment intensity {invest_wan_per_mu:,.1f} 万元/亩 below the minimum "
                           "{invest_min_wan_per_mu:,.1f} 万元/亩"),
    # geo.intensity: rules not evaluated
    "input_missing": _w("{control_rule}：缺少{columns}，未核查", "{control_rule}: {columns} missing, not checked"),
    "land_use_not_checked": _w("{land_use}不属于核查范围", "land use {land_use} is not checked"),
    "land_use_missing": _w("土地用途缺失，未核查", "land use missing, not checked"),
    "no_required_value": _w("{control_rule}：无控制值，未核查", "{control_rule}: no required value, not checked"),
    "industry_unknown": _w("{control_rule}：缺少行业代码，无法确定容积率下限",
                           "{control_rule}: industry code missing, no minimum FAR"),
    "industry_code_invalid": _w("{control_rule}：行业代码“{industry_code}”不是 GB/T 4754 代码",
                                "{control_rule}: industry code '{industry_code}' is not a GB/T 4754 code"),
    "industry_edition_unsupported": _w("{control_rule}：行业分类版本“{industry_edition}”不受支持（应为 2002 或 2017）",
                                       "{control_rule}: industry edition '{industry_edition}' not supported "
                                       "(use 2002 or 2017)"),
    "far_min_not_tabled": _w("{control_rule}：行业大类 {industry_division}（GB/T 4754-{industry_edition}）无容积率控制值",
                             "{control_rule}: no minimum FAR for division {industry_division} "
                             "(GB/T 4754-{industry_edition})"),
    "no_parks_data": _w("{control_rule}：未提供园区资料，无法确定投资强度下限",
                        "{control_rule}: no park data, no minimum investment"),
    "park_id_column_missing": _w("{control_rule}：宗地数据无园区编号，无法确定投资强度下限",
                                 "{control_rule}: parcels have no park column, no minimum investment"),
    "park_id_missing": _w("{control_rule}：园区编号缺失，无法确定投资强度下限",
                          "{control_rule}: park missing, no minimum investment"),
    "park_unknown": _w("{control_rule}：园区“{park_id}”不在园区资料中，无法确定投资强度下限",
                       "{control_rule}: park '{park_id}' is not in the park data, no minimum investment"),
    "park_level_unknown": _w("{control_rule}：园区级别不明，无法确定投资强度下限",
                             "{control_rule}: park level unknown, no minimum investment"),
    # geo.intensity / geo.grading: inputs
    "site_geometry_missing": _w("宗地无图形，面积未知", "no geometry: area unknown"),
    "site_area_not_positive": _w("宗地面积为零", "site area is zero"),
    "column_missing": _w("{measure}：缺少{column}", "{measure}: {column} missing"),
    "column_not_number": _w("{measure}：{column}不是数值", "{measure}: {column} is not a number"),
    "column_negative": _w("{measure}：{column}为负数", "{measure}: {column} is negative"),
    "column_not_positive": _w("{measure}：{column}不大于零", "{measure}: {column} is not positive"),
    "over_8m_missing": _w("{measure}：缺少{column}，按 0 计（容积率为下限值）",
                          "{measure}: {column} missing, counted as 0 (FAR is a lower bound)"),
    "over_8m_negative": _w("{measure}：{column}为负数", "{measure}: {column} is negative"),
    "over_8m_exceeds_floor": _w("{measure}：{column}大于总建筑面积", "{measure}: {column} exceeds the floor area"),
    # geo.grading
    "not_graded_land_use": _w("{land_use}不参加亩均评价", "land use {land_use} is not graded"),
    "not_graded_land_use_missing": _w("土地用途缺失，未参加亩均评价", "land use missing, not graded"),
    "park_missing": _w("园区编号缺失，未参加园区内评价（可改按全区评价）",
                       "park missing, not graded within a park (grade across the region instead)"),
    "indicator_unknown": _w("{indicator}无数据，未参加评价", "{indicator} unknown, not graded"),
    "not_graded_benchmark": _w("{indicator}基准值不大于零，未参加评价",
                               "benchmark of {indicator} is not positive, not graded"),
    "graded_on_tax_only": _w("指标不全，仅按{indicator}评价", "indicators incomplete, graded on {indicator} only"),
    "benchmark_not_positive": _w("{indicator}基准值不大于零", "benchmark of {indicator} is not positive"),
    "small_group": _w("组内参评宗数少于 {min_group_size} 宗，位次按（名次 − 1）÷ 宗数计",
                      "fewer than {min_group_size} parcels scored in the group: position = (rank − 1) ÷ n"),
    # geo.evaluation: per park
    "no_parcels": _w("无宗地数据，由宗地汇总的面积与指标无数据", "no parcels: parcel-based figures unknown"),
    "supply_ready_missing": _w("缺少已达到供地条件土地面积", "supply-ready land missing"),
    "developable_missing": _w("缺少可开发土地面积", "developable land missing"),
    "supply_ready_exceeds_developable": _w("已达到供地条件土地面积大于可开发土地面积，请核实",
                                           "supply-ready land exceeds developable land: check"),
    "supplied_exceeds_supply_ready": _w("已供应土地面积大于已达到供地条件土地面积，请核实",
                                        "supplied land exceeds supply-ready land: check"),
    "park_type_unknown": _w("无已建成土地，园区类型无法判定，按{park_type}计分",
                            "no built-up land: park type unknown, scored as {park_type}"),
    "too_few_indicators": _w("可计算的指标过少，未评分", "too few indicators for a score"),
    "no_idle_land": _w("无闲置土地，闲置土地处置率不适用", "no idle land: disposal rate not applicable"),
    "parcels_without_area": _w("{n} 宗宗地无面积", "{n} parcel(s) without area"),
    "completed_without_supply_date": _w("{n} 宗已竣工宗地缺少供地日期，未计入已供应土地",
                                        "{n} completed parcel(s) without supply date, not counted as supplied"),
    "builtup_without_floor_area": _w("{n} 宗已建成宗地缺少总建筑面积（按 0 计）",
                                     "{n} built-up parcel(s) without floor area (counted as 0)"),
    "builtup_without_footprint": _w("{n} 宗已建成宗地缺少建构筑物及堆场占地面积（按 0 计）",
                                    "{n} built-up parcel(s) without footprint (counted as 0)"),
    "builtup_without_tax": _w("{n} 宗已建成宗地缺少税收数据（按 0 计）",
                              "{n} built-up parcel(s) without tax (counted as 0)"),
    "industrial_without_investment": _w("{n} 宗已建成工业宗地缺少固定资产投资额（按 0 计）",
                                        "{n} built-up industrial parcel(s) without investment (counted as 0)"),
    # geo.evaluation: the evaluation as a whole
    "parcels_outside_parks": _w("{n} 宗宗地所属园区不在园区资料中，未计入（宗地所填园区：{park_ids}）",
                                "{n} parcel(s) belong to no listed park and were left out (parks given: {park_ids})"),
    "parcels_without_park": _w("{n} 宗宗地不在任何园区内，未计入", "{n} parcel(s) lie in no park and were left out"),
    "idle_status_derived": _w("闲置状态由系统依《闲置土地处置办法》按评价基准日自动判定",
                              "idle status computed by this system under the Measures on Idle Land as of the date"),
    "idle_status_failed": _w("闲置状态无法计算，闲置土地按无数据处理",
                             "idle status could not be computed; idle land unknown"),
    "inefficient_derived": _w("低效用地由系统依《工业项目建设用地控制指标》自动判定",
                              "inefficient land computed by this system from the control indicators"),
    "inefficient_failed": _w("低效用地无法判定，低效用地按无数据处理",
                             "inefficiency could not be computed; inefficient land unknown"),
    "no_idle_status_column": _w("数据无闲置状态字段，闲置土地及其处置率无数据",
                                "no idle status column: idle land and its disposal rate are unknown"),
    "no_disposal_status_column": _w("数据无处置状态字段，已处置闲置土地无数据",
                                    "no disposal status column: idle land disposed is unknown"),
    "no_inefficient_column": _w("数据无低效用地字段，低效用地无数据",
                                "no inefficient column: inefficient land is unknown"),
    # geo.eco
    "verify_against": _w("需与{source}核对", "verify against {source}"),
    "completed_without_year": _w("{n} 个已完成园区缺完成年份，未计入", "{n} completed park(s) without a year not counted"),
    "parks_counted_as_given": _w("按所列园区计数", "count of the parks given"),
    "parks_without_level": _w("{n} 个园区缺级别", "{n} park(s) without level"),
}

# --------------------------------------------------------------------------- page strings (kind ui)

UI = {
    # views/intensity.py
    "int_pick_park": _w("园区", "Park"),
    "int_outside": _w("园区外", "Outside parks"),
    "int_total": _w("合计", "Total"),
    "int_color_by": _w("着色方式", "Colour by"),
    "int_by_far": _w("按容积率达标情况", "FAR compliance"),
    "int_by_grade": _w("按亩均评价等级", "Per-mu grade"),
    "int_whatif": _w("假设分析：提高控制指标下限", "What-if: raise the minimum indicators"),
    "int_min_far": _w("最低容积率（0 = 仅按行业表）", "Minimum FAR (0 = industry table only)"),
    "int_min_coef": _w("最低建筑系数", "Minimum building coefficient"),
    "int_short_park": _w("本园区低效宗数", "Inefficient parcels (park)"),
    "int_freed_park": _w("本园区可腾退土地", "Land that could be freed (park)"),
    "int_short_all": _w("全部园区低效宗数", "Inefficient parcels (all parks)"),
    "int_freed_all": _w("全部园区可腾退土地", "Land that could be freed (all parks)"),
    "int_whatif_note": _w("假设分析中：最低容积率取行业表值与 {far} 中的较大者，最低建筑系数 {coef}。变化量相对默认规则。",
                          "What-if active: minimum FAR = the larger of the table value and {far}, minimum building "
                          "coefficient {coef}. Deltas are against the default rules."),
    "int_default_note": _w("当前为默认规则（依据：{source}）。", "Default rules (source: {source})."),
    "int_new_short": _w("假设条件下新增低效宗地（{n} 宗）", "Parcels that would newly fall short ({n})"),
    "int_settings": _w("亩均评价设置（权重、分档、基准组）", "Grading settings (weights, cut-offs, benchmark group)"),
    "int_weights": _w("指标权重（自动按总和换算为 100）", "Indicator weights (rescaled to sum 100)"),
    "int_weights_sum": _w("权重合计：{s:g}（将换算为 100）", "Sum of weights: {s:g} (rescaled to 100)"),
    "int_cutoffs": _w("分档位次上限（排名前百分之几）", "Class cut-offs by rank (top x%)"),
    "int_cut_A": _w("A 类上限（%）", "A upper bound (%)"),
    "int_cut_B": _w("B 类上限（%）", "B upper bound (%)"),
    "int_cut_C": _w("C 类上限（%）", "C upper bound (%)"),
    "int_group": _w("基准与排名范围", "Benchmark and ranking group"),
    "int_reset": _w("恢复默认设置", "Reset to defaults"),
    "int_settings_error": _w("评价设置无效，已按默认设置评价。", "Invalid grading settings: graded with the defaults."),
    "int_settings_used": _w("本次计算使用的规则与设置", "Rules and settings used"),
    "int_map_title": _w("宗地分布", "Parcels"),
    "int_legend_far": _w("容积率达标情况", "FAR compliance"),
    "int_legend_grade": _w("亩均评价等级", "Per-mu grade"),
    "int_card": _w("宗地详情", "Parcel details"),
    "int_pick_parcel": _w("查看宗地（可在地图上点击）", "Parcel (or click it on the map)"),
    "int_rules_title": _w("控制指标核查", "Control indicators"),
    "int_metrics_title": _w("其他指标", "Other measures"),
    "int_grade_title": _w("亩均评价得分构成", "Grade breakdown"),
    "int_rule": _w("指标", "Indicator"),
    "int_actual": _w("实际值", "Actual"),
    "int_required": _w("要求", "Required"),
    "int_result": _w("结果", "Result"),
    "int_binding": _w("约束性", "Binding"),
    "int_source": _w("依据", "Source"),
    "int_pass": _w("达标", "Pass"),
    "int_fail": _w("不达标", "Fail"),
    "int_na": _w("未评价", "Not evaluated"),
    "int_binding_yes": _w("是", "Yes"),
    "int_binding_no": _w("否（仅提示）", "No (advisory)"),
    "int_indicator": _w("评价指标", "Indicator"),
    "int_value": _w("数值", "Value"),
    "int_benchmark": _w("基准值", "Benchmark"),
    "int_weight": _w("权重", "Weight"),
    "int_ratio": _w("数值/基准", "Value / benchmark"),
    "int_contribution": _w("得分贡献(分)", "Contribution (points)"),
    "int_score_line": _w("得分 {score}，等级 {cls}，组内排名 {rank}/{n}（基准组：{group}）",
                         "Score {score}, class {cls}, rank {rank}/{n} (group: {group})"),
    "int_tax_only": _w("指标不全，仅按亩均税收评价。", "Indicators incomplete: graded on tax per mu only."),
    "int_not_graded": _w("未参加评价：{why}", "Not graded: {why}"),
    "int_charts": _w("图表：容积率分布、各园区亩均评价等级", "Charts: FAR distribution, grades per park"),
    "int_far_chart": _w("容积率分布与最低容积率（{park}，工业用地）", "FAR distribution against the minimum ({park}, "
                        "industrial land)"),
    "int_far_chart_note": _w("柱：各容积率区间的宗数（大于 3 的计入 3）；虚线：各行业最低容积率。",
                             "Bars: parcels per FAR bin (above 3 counted at 3); dashed lines: the industries' "
                             "minimum FAR."),
    "int_far_axis": _w("容积率", "FAR"),
    "int_count_axis": _w("宗数", "Parcels"),
    "int_grade_chart": _w("各园区亩均评价等级宗数", "Grade counts per park"),
    "int_park_axis": _w("园区", "Park"),
    "int_ineff_table": _w("低效用地清单（按可腾退土地排序，{park}）", "Inefficient parcels by land that could be freed "
                          "({park})"),
    "int_totals": _w("各园区汇总", "Totals per park"),
    "int_no_far": _w("本园区没有可核查容积率的工业用地。", "No industrial parcel of this park has a checkable FAR."),
    "int_export_settings": _w("导出设置 (JSON)", "Export settings (JSON)"),
    "int_field": _w("项目", "Item"),
    "int_reasons": _w("低效原因", "Why inefficient"),
    "int_skipped": _w("未评价的规则", "Rules not evaluated"),
    "int_missing": _w("缺失数据", "Missing data"),
    "int_nonbinding": _w("非约束性指标未达标", "Advisory rules failed"),
    "int_override_note": _w("；假设分析下限 {v}", "; what-if minimum {v}"),
    "int_table_min": _w("行业大类 {div}（GB/T 4754-{ed}）", "division {div} (GB/T 4754-{ed})"),
    "int_park_level": _w("园区级别：{level}", "park level: {level}"),
    "int_no_parcels": _w("该园区没有宗地。", "This park has no parcels."),
    "int_checked": _w("核查宗数(工业用地)", "Checked (industrial)"),
    "int_inefficient_n": _w("低效宗数", "Inefficient"),
    "int_inefficient_area": _w("低效面积(亩)", "Inefficient area (亩)"),
    "int_section": _w("类别", "Section"),
    "int_setting": _w("设置项", "Setting"),
    "int_setting_value": _w("取值", "Value"),
    "int_setting_source": _w("依据", "Source"),
    "int_section_rules": _w("控制指标", "Control indicators"),
    "int_section_grading": _w("亩均评价", "Per-mu grading"),
    "int_section_whatif": _w("假设分析", "What-if"),
    "int_not_set": _w("未设置", "not set"),
    "int_far_table": _w("按行业大类取值（{source}表2）", "by industry division ({source}, table 2)"),
    "int_invest_table": _w("国家级 {national} 万元/亩，自治区级（设区市）{regional} 万元/亩，其他 {other} 万元/亩；"
                           "南宁市中心城区国家级 {nn_national} 万元/亩、其他 {nn_other} 万元/亩",
                           "national {national}, region-level in prefecture cities {regional}, other {other} "
                           "万元/亩; Nanning central city national {nn_national}, other {nn_other} 万元/亩"),
    # views/compare.py
    "cmp_pick": _w("选择园区（至少两个）", "Parks (two or more)"),
    "cmp_need_two": _w("请至少选择两个园区进行对比。", "Pick at least two parks to compare."),
    "cmp_table": _w("评价指标对比", "Indicators side by side"),
    "cmp_park": _w("园区", "Park"),
    "cmp_level": _w("级别", "Level"),
    "cmp_park_type": _w("园区类型", "Park type"),
    "cmp_score": _w("评价分值(分)", "Score (points)"),
    "cmp_rank": _w("总排名", "Rank"),
    "cmp_rank_in_level": _w("同级别排名", "Rank within level"),
    "cmp_n_parcels": _w("宗地数", "Parcels"),
    "cmp_picked": _w("已选", "Picked"),
    "cmp_charts": _w("图表：指标柱状图、标准化分值雷达图", "Charts: indicator bars, standardised scores (radar)"),
    "cmp_bar": _w("指标柱状图", "Bar chart"),
    "cmp_bar_pick": _w("柱状图指标", "Indicator (bars)"),
    "cmp_radar": _w("标准化分值雷达图（0-100分）", "Standardised scores (0-100)"),
    "cmp_radar_note": _w("无数据的指标按 0 分绘制：{items}", "Indicators without data are drawn at 0: {items}"),
    "cmp_map": _w("园区指标分级图", "Parks by indicator"),
    "cmp_map_pick": _w("地图指标", "Indicator (map)"),
    "cmp_map_all": _w("显示全部园区", "Show all parks"),
    "cmp_ranking": _w("园区排名（全部园区）", "Ranking (all parks)"),
    "cmp_behind": _w("查看指标背后的宗地", "Parcels behind a figure"),
    "cmp_behind_park": _w("园区", "Park"),
    "cmp_behind_figure": _w("指标", "Figure"),
    "cmp_behind_part": _w("分子/分母", "Part"),
    "cmp_behind_attr": _w("该项为园区属性（{col}），不由宗地汇总：{value}",
                          "A park attribute ({col}), not summed from parcels: {value}"),
    "cmp_behind_sum": _w("{n} 宗，合计 {value}；评价表中为 {table}", "{n} parcels, total {value}; evaluation table: "
                         "{table}"),
    "cmp_behind_mismatch": _w("与评价表不一致，请检查数据", "differs from the evaluation table: check the data"),
    "cmp_downloads": _w("导出与报告", "Export and report"),
    "cmp_report_park": _w("评价报告园区", "Report for park"),
    "cmp_report": _w("下载评价报告（Word）", "Download evaluation report (Word)"),
    "cmp_settings": _w("评价参数", "Evaluation settings"),
    "cmp_settings_upload": _w("上传参数文件（YAML，覆盖默认值）", "Settings file (YAML, overrides the defaults)"),
    "cmp_settings_bad": _w("参数文件无法使用，已改用默认参数。请检查文件格式与取值。",
                           "Settings file unusable: {err}; defaults used instead."),
    "cmp_settings_used": _w("本次评价使用的参数", "Settings used"),
    "cmp_notes": _w("评价说明", "Notes"),
    "cmp_published": _w("全国国家级开发区2019年平均分值（公布）{pub:.2f} 分；按本系统参数计算为 {calc:.2f} 分。",
                        "Published mean score of national zones 2019: {pub:.2f}; computed with these settings: "
                        "{calc:.2f}."),
    "cmp_value": _w("数值", "Value"),
    "cmp_series": _w("园区", "Park"),
    "cmp_indicator": _w("指标", "Indicator"),
    "cmp_std": _w("标准化分值", "Standardised"),
    "cmp_key": _w("参数", "Setting"),
    "cmp_setting_value": _w("取值", "Value"),
    "cmp_default": _w("默认值", "Default"),
    "cmp_source": _w("依据", "Source"),
    "cmp_user_set": _w("用户设定", "Set by the user"),
    "cmp_reference_line": _w("{name}：{value}（红色虚线）", "{name}: {value} (red dashed line)"),
    "cmp_weight_of": _w("{type}权重：{indicator}", "{type} weight: {indicator}"),
    "cmp_ideal_of": _w("{type}理想值：{indicator}", "{type} ideal value: {indicator}"),
    "cmp_evaluation_error": _w("无法评价：宗地或园区数据缺少必要字段，请在数据导入页检查。",
                               "Cannot evaluate: {err}"),
    # views/eco.py
    "eco_map": _w("园区生态化改造状态", "Eco-transformation status of the parks"),
    "eco_legend": _w("生态化改造状态", "Eco-transformation"),
    "eco_name": _w("园区", "Park"),
    "eco_level": _w("级别", "Level"),
    "eco_status": _w("改造状态", "Status"),
    "eco_year": _w("完成年份", "Year completed"),
    "eco_targets": _w("规划目标（{year}年）", "Plan targets ({year})"),
    "eco_target": _w("目标", "Target"),
    "eco_base": _w("基数(个)", "Base (parks)"),
    "eco_target_n": _w("目标数(个)", "Target (parks)"),
    "eco_target_share": _w("目标比例", "Target share"),
    "eco_current": _w("{year}年底完成/现有(个)", "End {year}: count"),
    "eco_current_share": _w("{year}年底比例", "End {year}: share"),
    "eco_gap": _w("{year}年底差距(个)", "End {year}: gap (parks)"),
    "eco_met": _w("{year}年底是否达标", "End {year}: met"),
    "eco_note": _w("说明", "Note"),
    "eco_checks": _w("各园区指标核查", "Indicator checks per park"),
    "eco_indicator": _w("指标", "Indicator"),
    "eco_value": _w("园区数值", "Value"),
    "eco_threshold": _w("标准值", "Threshold"),
    "eco_result": _w("核查结果", "Result"),
    "eco_source": _w("依据", "Source"),
    "eco_verify": _w("备注", "Remark"),
    "eco_summary": _w("各园区核查汇总", "Checks per park"),
    "eco_n_supplied": _w("已提供(项)", "Supplied"),
    "eco_n_passed": _w("达标(项)", "Passed"),
    "eco_n_failed": _w("未达标(项)", "Failed"),
    "eco_pick": _w("园区", "Parks"),
    "eco_caveat": _w("标准值为 HJ 274-2015《国家生态工业示范园区标准》的本系统默认参数，使用前请与广西地方标准 "
                     "DB45/T 1944-2019 核对。",
                     "Thresholds are this system's defaults from HJ 274-2015; verify them against Guangxi's "
                     "DB45/T 1944-2019 before use."),
    "eco_target_source": _w("目标来源：{src}。园区改造状态为“已完成”且完成年份不晚于统计年份的，计为已完成。",
                            "Targets: {src}. A park counts when its status is completed and its year completed ≤ "
                            "the year counted."),
    "eco_data_error": _w("园区生态化数据有误，无法核查，请检查园区文件。", "Park eco data cannot be checked: {err}"),
}

register(
    labels={
        "source": SOURCES,
        "indicator": INDICATORS,
        "indicator_unit": UNITS,
        "indicator_formula": FORMULAS,
        "control_rule": CONTROL_RULES,
        "grade_class": GRADE_CLASSES,
        "park_type": PARK_TYPES,
        "score_status": SCORE_STATUSES,
        "eco_result": ECO_RESULTS,
        "eco_target": ECO_TARGETS,
        "compliance_class": COMPLIANCE_CLASSES,
        "reference": REFERENCE,
        "setting": SETTINGS,
        "setting_choice": SETTING_CHOICES,
        "figure_part": FIGURE_PARTS,
        "column": COLUMNS,
        "ui": UI,
    },
    texts=TEXTS,
    arg_kinds={
        "measure": "column",
        "control_rule": "control_rule",
        "indicator": "indicator",
        "source": "source",
        "park_type": "park_type",
        # Parks as the parcel file names them: a park's name where words know it, else as written.
        "park_ids": "park",
    },
)


# --------------------------------------------------------------------------- helpers


def indicator_unit(code: str, lang: str = _ZH) -> str:
    """The unit an indicator is shown in: ``%`` for shares, its unit, or "" (a FAR)."""
    if code in PERCENT:
        return UNITS["percent"][lang]
    unit = INDICATOR_UNITS.get(code)
    return label("indicator_unit", unit, lang) if unit else ""


def indicator_header(code: str, lang: str = _ZH) -> str:
    """An indicator's name with its display unit: ``土地开发率(%)``, ``综合容积率``."""
    name = label("indicator", code, lang)
    unit = indicator_unit(code, lang)
    return f"{name}({unit})" if unit and name != DASH else name
