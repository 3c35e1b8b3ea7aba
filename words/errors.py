"""
Errors of the analysis (rule files, settings, evaluation, eco, grading, CRS) in words.

``geo`` raises :class:`geo.errors.CodedError` subclasses carrying a code and its
arguments (``geo.rules.RULES_ERROR_CODES``, ``geo.idle.IDLE_RULES_ERROR_CODES``,
``geo.vocab.VOCAB_ERROR_CODES``, ``geo.evaluation.EVALUATION_ERROR_CODES``,
``geo.eco.ECO_ERROR_CODES``, ``geo.grading.GRADING_ERROR_CODES``,
``geo.intensity.INTENSITY_ERROR_CODES``, ``geo.crs.CRS_ERROR_CODES``); the sentences are
here. A setting is named as the user's file writes it (``park_type_cutoff_industrial_share``)
followed by what it is, in words, where words know it (label kind ``setting_key``).
"""

from __future__ import annotations

from words.core import has_text, label, register, render
from words.metrics import INDICATORS, SETTING_CHOICES, SETTINGS


def _w(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


#: The rule sets of ``geo/rules/`` by name, as a sentence names them.
RULE_SETS = {
    "control_indicators": _w("工业项目建设用地控制指标规则", "the industrial land control indicator rules"),
    "eco": _w("园区生态化改造核查规则", "the eco-transformation rules"),
    "evaluation": _w("开发区土地集约利用评价参数", "the park evaluation settings"),
    "far_min_by_industry": _w("分行业容积率下限表", "the minimum FAR table by industry"),
    "grading": _w("亩均效益评价设置", "the per-mu grading settings"),
    "idle": _w("闲置土地认定规则", "the idle land rules"),
    "land_use": _w("土地用途分类对照表", "the land-use classification table"),
    "limits": _w("文件读取限值", "the file reading limits"),
    "vocab": _w("数据取值对照表", "the data vocabulary"),
}

#: The coded vocabularies of geo.vocab, as a sentence names them.
VOCABULARIES = {
    "park_level": _w("园区级别", "park level"),
    "yes_no": _w("是/否", "yes/no"),
    "delay_cause": _w("延迟开发原因", "delay cause"),
    "eco_status": _w("生态化改造状态", "eco-transformation status"),
}

#: Rule keys not in the settings tables (label kind ``setting``), in words.
_MORE_KEYS = {
    # idle.yaml
    "idle_after_years": _w("逾期未动工认定闲置的年限", "years overdue before land is idle"),
    "recover_after_years": _w("逾期未动工可无偿收回的年限", "years overdue before the land can be recovered"),
    "developed_share_min": _w("已开发建设面积占应动工开发面积的最低比例",
                              "least share of the area due that must be developed"),
    "invested_share_min": _w("已投资额占总投资额的最低比例", "least share of the total investment that must be spent"),
    "fee_share_of_price": _w("土地闲置费占土地价款的比例", "idle-land fee as a share of the land price"),
    "warning_days": _w("到期前提前预警的天数", "days of early warning before a deadline"),
    "exempt_causes": _w("不征收土地闲置费的延迟原因", "delay causes exempt from the idle-land fee"),
    # evaluation.yaml
    "park_types": _w("各类型园区的指标权重与理想值", "weights and ideal values by park type"),
    "agricultural_land_uses": _w("不计入二三产业税收的用途", "land uses left out of secondary and tertiary tax"),
    # grading.yaml
    "score_round_decimals": _w("得分保留的小数位数", "decimals of the score"),
    "benchmark.method": _w("基准值取法", "benchmark"),
    "benchmark.fixed": _w("固定基准值", "fixed benchmarks"),
    # land_use.yaml
    "precedence": _w("分类识别的优先顺序", "order in which classifications are tried"),
    "land_use_classification": _w("土地用途采用的分类", "land-use classification used"),
    # eco.yaml
    "indicators": _w("各项核查指标", "the indicators checked"),
    "targets": _w("规划目标", "the plan's targets"),
    "targets.target_year": _w("规划目标年份", "target year of the plan"),
    "targets.national_completed_share": _w("国家级园区完成改造的目标比例",
                                           "target share of national parks completed"),
    "targets.regional_completed_share": _w("自治区级园区完成改造的目标比例",
                                           "target share of region-level parks completed"),
    "targets.park_count_min": _w("园区数量目标", "target number of parks"),
    "targets.national_count_min": _w("国家级园区数量目标", "target number of national parks"),
}

_PARK_TYPES = {"industry_led": _w("工业主导型", "industry-led"), "mixed": _w("产城融合型", "industry-city mixed")}
_GRADE_CUTOFFS = {"A": _w("A类（优先发展）", "class A"), "B": _w("B类（提升发展）", "class B"),
                  "C": _w("C类（调控帮扶）", "class C")}
_DIRECTIONS = {"max": _w("不高于标准值", "at most the threshold"), "min": _w("不低于标准值", "at least the threshold")}
_RANK_METHODS = {
    "dense": _w("并列名次连续（1, 2, 2, 3）", "ties share a rank, next rank follows (1, 2, 2, 3)"),
    "max": _w("并列取最大名次（1, 3, 3, 4）", "ties share the highest rank (1, 3, 3, 4)"),
    "first": _w("并列按数据顺序排名", "ties ranked in the data's order"),
    "average": _w("并列取平均名次", "ties share the mean rank"),
}


def _written(code: str, words: dict[str, str]) -> dict[str, str]:
    """A key or value as the file writes it, then what it is: ``code（words）``."""
    return {"zh": f"{code}（{words['zh']}）", "en": f"{code} ({words['en']})"}


def _setting_keys() -> dict[str, dict[str, str]]:
    keys = {k: _written(k, w) for k, w in {**SETTINGS, **_MORE_KEYS}.items()}
    for ptype, pw in _PARK_TYPES.items():
        base = f"park_types.{ptype}"
        keys[base] = _written(base, _w(f"{pw['zh']}园区的设置", f"settings of {pw['en']} parks"))
        keys[f"{base}.weights"] = _written(f"{base}.weights", _w(f"{pw['zh']}园区的指标权重",
                                                                  f"indicator weights of {pw['en']} parks"))
        keys[f"{base}.ideals"] = _written(f"{base}.ideals", _w(f"{pw['zh']}园区的指标理想值",
                                                                f"ideal values of {pw['en']} parks"))
        for ind, iw in INDICATORS.items():
            keys[f"{base}.weights.{ind}"] = _written(
                f"{base}.weights.{ind}", _w(f"{pw['zh']}园区“{iw['zh']}”的权重", f"weight of {iw['en']}, {pw['en']}"))
            keys[f"{base}.ideals.{ind}"] = _written(
                f"{base}.ideals.{ind}", _w(f"{pw['zh']}园区“{iw['zh']}”的理想值",
                                           f"ideal value of {iw['en']}, {pw['en']}"))
    for ind, iw in INDICATORS.items():
        keys[f"weights.{ind}"] = _written(f"weights.{ind}", _w(f"“{iw['zh']}”的权重", f"weight of {iw['en']}"))
        keys[f"benchmark.fixed.{ind}"] = _written(f"benchmark.fixed.{ind}",
                                                  _w(f"“{iw['zh']}”的固定基准值", f"fixed benchmark of {iw['en']}"))
        keys[f"indicators.{ind}"] = _written(f"indicators.{ind}", _w(f"“{iw['zh']}”的核查标准",
                                                                      f"the check of {iw['en']}"))
        keys[f"indicators.{ind}.threshold"] = _written(f"indicators.{ind}.threshold",
                                                       _w(f"“{iw['zh']}”的标准值", f"threshold of {iw['en']}"))
        keys[f"indicators.{ind}.direction"] = _written(f"indicators.{ind}.direction",
                                                       _w(f"“{iw['zh']}”的达标方向", f"direction of {iw['en']}"))
    for c, cw in _GRADE_CUTOFFS.items():
        keys[f"cutoffs.{c}"] = _written(f"cutoffs.{c}", _w(f"{cw['zh']}的位次上限", f"rank cut-off of {cw['en']}"))
    return keys


#: Values the user writes for a choice, with their meaning (``exclude（剔除，其余权重归一）``).
CHOICES = {code: _written(code, w) for code, w in {**SETTING_CHOICES, **_PARK_TYPES, **_RANK_METHODS}.items()}
DIRECTIONS = {code: _written(code, w) for code, w in _DIRECTIONS.items()}
#: Indicator codes as a settings file writes them, with their names.
INDICATOR_KEYS = {code: _written(code, w) for code, w in INDICATORS.items()}

TEXTS = {
    # ---------------------------------------------------------------- geo.rules
    "rules_name_invalid": _w("规则集名称“{name}”无效：只能由字母、数字、下划线或连字符组成。",
                             "Rule set name “{name}” is not valid: use letters, digits, _ or - only."),
    "rules_unknown_set": _w("没有名为“{name}”的规则集；现有规则集：{available}。",
                            "There is no rule set “{name}”; the rule sets are: {available}."),
    "rules_file_missing": _w("找不到{rule_set}文件“{file}”，请检查文件名和存放位置。",
                             "The file “{file}” of {rule_set} was not found: check its name and folder."),
    "rules_yaml_syntax": _w("{rule_set}文件“{file}”第{line}行第{column}列附近格式有误，无法读取；"
                            "请检查该处的缩进、冒号和引号。",
                            "The file “{file}” of {rule_set} cannot be read: a syntax error near line {line}, "
                            "column {column}; check the indentation, colons and quotes there."),
    "rules_not_mapping": _w("{rule_set}文件“{file}”应逐行写成“参数名: 取值”的形式，请按默认参数文件的格式填写。",
                            "The file “{file}” of {rule_set} must hold “key: value” lines, as the default file does."),
    "rules_override_type": _w("{rule_set}的修改只能以参数文件或参数表的形式提供。",
                              "Changes to {rule_set} must be given as a settings file or a mapping."),
    "rule_missing": _w("{rule_set}缺少参数 {key}，请在参数文件中补充。",
                       "{rule_set} lacks the setting {key}: add it to the settings file."),
    "rule_no_value": _w("{rule_set}中参数 {key} 未填写取值，请按默认参数文件的格式补充。",
                        "In {rule_set}, the setting {key} has no value: add one."),
    # ---------------------------------------------------------------- geo.idle
    "rule_not_fraction": _w("{rule_set}中 {key} 的值“{value}”不是数字或分数，请填写如 0.25 或 1/3 的数值。",
                            "In {rule_set}, {key} = “{value}” is not a number: write e.g. 0.25 or 1/3."),
    "rule_share_out_of_range": _w("{rule_set}中 {key} 的值 {value} 超出范围：应在 {low} 到 {high} 之间。",
                                  "In {rule_set}, {key} = {value} is out of range: it must lie between {low} and "
                                  "{high}."),
    "rule_not_years": _w("{rule_set}中 {key} 的值“{value}”不是年数，请填写数字（如 1 或 2）。",
                         "In {rule_set}, {key} = “{value}” is not a number of years: write e.g. 1 or 2."),
    "rule_years_not_whole_months": _w("{rule_set}中 {key} 的值 {value} 无效：应为不小于 0、可折合为整月的年数"
                                      "（如 1、1.5、2）。",
                                      "In {rule_set}, {key} = {value} is not allowed: give years of whole months, "
                                      "0 or more (e.g. 1, 1.5, 2)."),
    "rule_not_number": _w("{rule_set}中 {key} 的值“{value}”无效：应为不小于 0 的整数。",
                          "In {rule_set}, {key} = “{value}” is not allowed: give a whole number, 0 or more."),
    "rule_unknown_delay_causes": _w("{rule_set}中 {key} 含有无法识别的延迟原因：{values}。请填写《闲置土地处置办法》"
                                    "第八条列明的情形：{allowed_causes}。",
                                    "In {rule_set}, {key} names unknown delay causes: {values}. Use the cases of "
                                    "Art. 8 of the Measures on the Disposal of Idle Land: {allowed_causes}."),
    # ---------------------------------------------------------------- geo.vocab
    "vocab_spelling_ambiguous": _w("{rule_set}中{vocabulary}的写法“{spelling}”同时对应 {codes} 两个取值，"
                                   "请删除其中一处。",
                                   "In {rule_set}, the {vocabulary} spelling “{spelling}” means both {codes}: "
                                   "remove one."),
    "land_use_precedence_unknown": _w("{rule_set}中 {key} 列出了未定义的分类：{values}；已定义的分类：{allowed_ids}。",
                                      "In {rule_set}, {key} names undefined classifications: {values}; defined: "
                                      "{allowed_ids}."),
    "land_use_class_unknown": _w("{rule_set}中“{where}”对应的用途类别“{value}”未定义；可用的类别：{allowed_classes}。",
                                 "In {rule_set}, “{where}” maps to the undefined class “{value}”; classes: "
                                 "{allowed_classes}."),
    "land_use_classification_unknown": _w("{rule_set}中 {key} 的值“{value}”无效，可选：{allowed_ids}。",
                                          "In {rule_set}, {key} = “{value}” is not allowed; choose one of "
                                          "{allowed_ids}."),
    "land_uses_unknown": _w("参数中列出的土地用途“{values}”无法识别，请使用{rule_set}中的用途类别：{allowed_classes}。",
                            "The land uses {values} of the settings are not understood: use the classes of "
                            "{rule_set}: {allowed_classes}."),
    # ---------------------------------------------------------------- geo.evaluation
    "eval_settings_yaml_syntax": _w("评价参数文件第{line}行第{column}列附近格式有误，无法读取；请检查该处的缩进、冒号和引号。",
                                    "The settings file cannot be read: a syntax error near line {line}, column "
                                    "{column}; check the indentation, colons and quotes there."),
    "eval_settings_not_mapping": _w("评价参数文件应逐行写成“参数名: 取值”的形式，与默认参数文件相同。",
                                    "The settings file must hold “key: value” lines, as the default file does."),
    "eval_settings_file_missing": _w("找不到评价参数文件“{file}”，请检查文件名和存放位置。",
                                     "The settings file “{file}” was not found: check its name and folder."),
    "eval_park_types_not_mapping": _w("评价参数中 {key} 应逐项写成“名称: 取值”的形式，请按默认参数文件的格式填写。",
                                      "In the evaluation settings, {key} must hold “name: value” lines, as the "
                                      "default file does."),
    "eval_park_type_missing": _w("评价参数缺少{park_type}园区的设置 {key}，请补充其指标权重和理想值。",
                                 "The evaluation settings lack {key} for {park_type} parks: give their weights "
                                 "and ideal values."),
    "eval_weights_unknown": _w("评价参数中 {key} 含有无法识别的指标：{values}；可用的指标：{allowed_indicators}。",
                               "In the evaluation settings, {key} names unknown indicators: {values}; indicators: "
                               "{allowed_indicators}."),
    "eval_setting_not_number": _w("评价参数中 {key} 的值“{value}”不是数字，请填写数字。",
                                  "In the evaluation settings, {key} = “{value}” is not a number: write a number."),
    "eval_weights_invalid": _w("评价参数中 {key} 无效：各项权重不得为负数，且合计应大于 0。",
                               "In the evaluation settings, {key} is not allowed: no weight may be negative and "
                               "their sum must be above 0."),
    "eval_ideal_not_positive": _w("评价参数中 {key} 的值 {value} 无效：该指标权重为 {weight:g}，理想值应为大于 0 的数字。",
                                  "In the evaluation settings, {key} = {value} is not allowed: the indicator weighs "
                                  "{weight:g}, so its ideal value must be a number above 0."),
    "eval_setting_out_of_range": _w("评价参数中 {key} 的值 {value} 超出范围：应在 {low} 到 {high} 之间。",
                                    "In the evaluation settings, {key} = {value} is out of range: it must lie "
                                    "between {low} and {high}."),
    "eval_setting_not_whole": _w("评价参数中 {key} 的值 {value} 无效：应为不小于 {low} 的整数。",
                                 "In the evaluation settings, {key} = {value} is not allowed: give a whole number, "
                                 "{low} or more."),
    "eval_setting_choice": _w("评价参数中 {key} 的值“{value}”无效，可选：{allowed_choices}。",
                              "In the evaluation settings, {key} = “{value}” is not allowed; choose one of "
                              "{allowed_choices}."),
    "eval_parcels_no_park_id": _w("宗地数据缺少“园区编号”字段，无法按园区评价；请为每宗地填写所属园区后重新导入。",
                                  "The parcels have no park column: give each parcel its park and import again."),
    "eval_parcels_no_supply_date": _w("宗地数据缺少“供地日期”字段，无法统计已供应土地；请补充每宗地的供地（出让或划拨）日期。",
                                      "The parcels have no supply date column: supplied land cannot be counted; add "
                                      "each parcel's grant or allocation date."),
    "eval_parcels_no_area": _w("宗地数据既无带坐标系的图形，也无面积字段，无法计算面积。",
                               "The parcels have neither shapes with a coordinate system nor an area column: areas "
                               "cannot be computed."),
    "eval_parks_no_park_id": _w("园区数据缺少“园区编号”字段，每个园区都须有编号。",
                                "The parks have no park id column: every park needs its id."),
    "eval_parks_duplicate_id": _w("园区数据中园区编号重复：{park_ids}；园区编号不得重复。",
                                  "Park ids repeated in the parks: {park_ids}; each id must be unique."),
    "eval_parks_missing_id": _w("园区数据中有 {n} 行未填写园区编号，请补充。",
                                "{n} row(s) of the parks have no park id: fill them in."),
    "eval_unknown_figure": _w("指标“{figure}”无法追溯到宗地明细。", "The figure “{figure}” cannot be traced to parcels."),
    "eval_park_not_evaluated": _w("评价结果中没有园区 {park_ids}，请确认园区编号。",
                                  "The evaluation holds no park {park_ids}: check the park id."),
    "eval_unknown_part": _w("“{part}”不是分子或分母。", "“{part}” is neither the numerator nor the denominator."),
    "eval_geojson_needs_geometry": _w("园区数据没有图形，无法写出 GeoJSON 文件“{file}”；请改存为 .csv 或 .xlsx 文件。",
                                      "The parks have no shapes, so “{file}” cannot be written as GeoJSON: write "
                                      ".csv or .xlsx."),
    "eval_unknown_output_type": _w("不支持的输出文件类型“{ext}”（{file}）；请使用 {allowed_exts}。",
                                   "Output type “{ext}” ({file}) is not supported: use {allowed_exts}."),
    # ---------------------------------------------------------------- geo.eco
    "eco_parks_no_park_id": _w("园区数据缺少“园区编号”字段，每个园区都须有编号。",
                               "The parks have no park id column: every park needs its id."),
    "eco_unknown_level": _w("园区数据“{column}”字段中的 {values} 无法识别（园区：{park_ids}）；请填写：{allowed_levels}。",
                            "The values {values} of “{column}” are not understood (parks: {park_ids}); write one of "
                            "{allowed_levels}."),
    "eco_unknown_status": _w("园区数据“{column}”字段中的 {values} 无法识别（园区：{park_ids}）；请填写：{allowed_statuses}。",
                             "The values {values} of “{column}” are not understood (parks: {park_ids}); write one of "
                             "{allowed_statuses}."),
    "eco_negative_values": _w("园区数据中“{indicator}”出现负值（园区：{park_ids}），请核对。",
                              "“{indicator}” has negative values (parks: {park_ids}): check them."),
    "eco_rate_above_one": _w("园区数据中“{indicator}”有大于 1 的值（园区：{park_ids}），疑为百分数；比率请填小数"
                             "（如 75% 填 0.75）。",
                             "“{indicator}” has values above 1 (parks: {park_ids}) that look like percentages: give "
                             "rates as fractions (0.75 for 75 %)."),
    "eco_rule_missing": _w("园区生态化改造核查规则缺少 {key}，请在参数文件中补充。",
                           "The eco-transformation rules lack {key}: add it to the settings file."),
    "eco_rule_not_number": _w("园区生态化改造核查规则中 {key} 的值“{value}”不是数字，请填写数字。",
                              "In the eco-transformation rules, {key} = “{value}” is not a number: write a number."),
    "eco_rule_out_of_range": _w("园区生态化改造核查规则中 {key} 的值 {value} 超出范围：应在 {low} 到 {high} 之间。",
                                "In the eco-transformation rules, {key} = {value} is out of range: it must lie "
                                "between {low} and {high}."),
    "eco_rule_below_min": _w("园区生态化改造核查规则中 {key} 的值 {value} 无效：应不小于 {low}。",
                             "In the eco-transformation rules, {key} = {value} is not allowed: it must be {low} or "
                             "more."),
    "eco_rule_choice": _w("园区生态化改造核查规则中 {key} 的值“{value}”无效，可选：{allowed_directions}。",
                          "In the eco-transformation rules, {key} = “{value}” is not allowed; choose one of "
                          "{allowed_directions}."),
    # ---------------------------------------------------------------- geo.grading
    "grading_group_unknown": _w("亩均效益评价的基准组“{value}”无效，可选：{allowed_choices}。",
                                "The grading group “{value}” is not allowed; choose one of {allowed_choices}."),
    "grading_weights_unknown": _w("亩均效益评价设置中 {key} 含有无法识别的指标：{values}；可用的指标：{allowed_indicators}。",
                                  "In the grading settings, {key} names unknown indicators: {values}; indicators: "
                                  "{allowed_indicators}."),
    "grading_weights_none_positive": _w("亩均效益评价设置中 {key} 无效：至少应有一项指标的权重大于 0。",
                                        "In the grading settings, {key} is not allowed: at least one weight must be "
                                        "above 0."),
    "grading_setting_not_number": _w("亩均效益评价设置中 {key} 的值“{value}”不是数字，请填写数字。",
                                     "In the grading settings, {key} = “{value}” is not a number: write a number."),
    "grading_setting_out_of_range": _w("亩均效益评价设置中 {key} 的值 {value} 超出范围：应在 {low} 到 {high} 之间。",
                                       "In the grading settings, {key} = {value} is out of range: it must lie between "
                                       "{low} and {high}."),
    "grading_setting_below_min": _w("亩均效益评价设置中 {key} 的值 {value} 无效：应不小于 {low}。",
                                    "In the grading settings, {key} = {value} is not allowed: it must be {low} or "
                                    "more."),
    # Also the page's cut-off editor (percentages, no file): the setting in words only.
    "grading_cutoffs_order": _w("亩均效益评价设置中分类位次上限有误：A类 {a:.0%}、B类 {b:.0%}、C类 {c:.0%}，"
                                "应满足 A类 ≤ B类 ≤ C类。",
                                "In the grading settings, the class cut-offs are not allowed: A {a:.0%}, B {b:.0%}, "
                                "C {c:.0%}; they must satisfy A ≤ B ≤ C."),
    "grading_setting_choice": _w("亩均效益评价设置中 {key} 的值“{value}”无效，可选：{allowed_choices}。",
                                 "In the grading settings, {key} = “{value}” is not allowed; choose one of "
                                 "{allowed_choices}."),
    "grading_fallback_unknown": _w("亩均效益评价设置中 {key} 的值“{value}”不是可用的指标，可选：{allowed_indicators}。",
                                   "In the grading settings, {key} = “{value}” is not an indicator; choose one of "
                                   "{allowed_indicators}."),
    # ---------------------------------------------------------------- geo.intensity
    "intensity_edition_no_table": _w("《国民经济行业分类》（GB/T 4754）{edition}年版没有对应的容积率下限表；"
                                     "现有版本：{allowed_editions}。",
                                     "GB/T 4754 edition {edition} has no minimum-FAR table; editions with one: "
                                     "{allowed_editions}."),
    "intensity_parks_missing_columns": _w("园区数据缺少字段：{columns}；请为每个园区填写园区编号、级别（国家级或自治区级）和所在城市。",
                                          "The parks lack the columns {columns}: give each park its id, level "
                                          "(national or region-level) and city."),
    # ---------------------------------------------------------------- geo.crs
    "crs_not_set": _w("数据未设定坐标系，无法计算面积；请在导入时指定坐标系（如 2000国家大地坐标系 EPSG:4490 "
                      "或其3度带投影 EPSG:4545）。",
                      "The data have no coordinate system, so areas cannot be computed: set one when importing "
                      "(e.g. CGCS2000, EPSG:4490 or its 3-degree zone EPSG:4545)."),
    "crs_not_projected": _w("数据为经纬度坐标（{crs}），不能直接计算面积；请先转换为投影坐标系。",
                         "The data are in longitude/latitude ({crs}): areas cannot be computed before they are "
                         "projected."),
}

#: Strings of the pages that show an error's words after their own.
UI = {
    "cmp_settings_bad_detail": _w("参数文件无法使用，已改用默认参数：{err}", "Settings file unusable, defaults used: {err}"),
    "cmp_evaluation_error_detail": _w("无法评价：{err}", "Cannot evaluate: {err}"),
    "eco_data_error_detail": _w("园区生态化数据有误，无法核查：{err}", "Park eco data cannot be checked: {err}"),
    "int_settings_error_detail": _w("评价设置无效，已按默认设置评价：{err}",
                                    "Invalid grading settings, graded with the defaults: {err}"),
}

register(
    labels={
        "rule_set": RULE_SETS,
        "vocabulary": VOCABULARIES,
        "setting_key": _setting_keys(),
        "setting_choice_written": CHOICES,
        "eco_direction_written": DIRECTIONS,
        "indicator_key": INDICATOR_KEYS,
        "ui": UI,
    },
    texts=TEXTS,
    arg_kinds={
        "rule_set": "rule_set",
        "vocabulary": "vocabulary",
        "key": "setting_key",
        "allowed_choices": "setting_choice_written",
        "allowed_directions": "eco_direction_written",
        "allowed_indicators": "indicator_key",
        "allowed_causes": "delay_cause",
        "allowed_classes": "land_use",
        "allowed_levels": "park_level",
        "allowed_statuses": "eco_status",
        "allowed_ids": "as_written",
        "allowed_editions": "as_written",
        "allowed_exts": "as_written",
        "available": "as_written",
        "values": "as_written",
        "codes": "as_written",
    },
)


def describe(exc: BaseException, lang: str = "zh") -> str:
    """
    What a page shows for an exception: a coded error's words (``render(exc.item)``).

    An error whose text is already the words of its code (``layers.basemap.BasemapError``
    renders its code when raised) is shown as it is; anything else is a bug, shown as a
    generic sentence, never its English text.
    """
    item = getattr(exc, "item", None)
    if isinstance(item, dict) and "code" in item:
        return render(item, lang)
    if has_text(str(getattr(exc, "code", ""))):
        return str(exc)
    return label("ui", "error_unexpected", lang)


register(labels={"ui": {"error_unexpected": _w("处理时出现意外错误，请联系系统管理员。",
                                                "An unexpected error occurred: please contact the administrator.")}})
