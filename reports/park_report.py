"""
The yearly park evaluation report (issue 4): one park, one Word document.

Built from a :class:`geo.evaluation.Evaluation`: title with the evaluation date,
basic information and the park type with its reason, a map of the park's parcels
by land class (PNG drawn with matplotlib in the park's metric GK zone), the nested
land areas, the indicator table (formula, numerator, denominator, value, ideal,
standardised value, weight, weighted contribution, 2019 national average), score
and ranks, potential, every setting used (and which are the product's defaults),
data caveats, and a footer with generation time, preparer and product.

DOCX via python-docx: Word and WPS render Chinese with the reader's fonts, so
nothing is embedded; the styles name 宋体 (body) and 黑体 (headings) as East-Asian
fonts. The map is a picture, so its Chinese legend needs a CJK font where the report
is made (``reports.fonts``; ``make fonts`` installs one): without one the picture
carries no legend text, the log warns, and the document says so under the map.

Words come from :mod:`words` (``words/report.py`` for the map, the CRS caption and the
citations): regulations are cited by name, configurable defaults as 本系统默认参数,
parks by name.
"""

from __future__ import annotations

import io
import logging
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

import words
from geo.crs import M2_PER_HA, MU_PER_HA, to_metric
from geo.evaluation import FIGURES, INDICATORS, PARK_TYPES, Evaluation, evaluation_settings
from reports.fonts import cjk_font
from words.report import DEFAULTS, TDT_1029

log = logging.getLogger(__name__)

LANGS: tuple[str, ...] = ("zh", "en")
PRODUCT_NAME = {"zh": "广西高新区土地集约利用管理", "en": "Guangxi high-tech zones: land management"}
#: East-Asian fonts named in the styles (Word/WPS substitute when absent).
BODY_FONT_ZH = "宋体"
HEADING_FONT_ZH = "黑体"
NA_CELL = "—"

#: Map classes in drawing precedence: a parcel takes the first class it matches.
#: (code, fill colour, English legend label, Chinese colour name, English colour name);
#: the legend drawn on the map takes its words from kind ``report_map`` of :mod:`words`.
MAP_CLASSES: tuple[tuple[str, str, str, str, str], ...] = (
    ("idle", "#d7191c", "Idle", "红色", "red"),
    ("inefficient", "#7b3294", "Inefficient", "紫色", "purple"),
    ("builtup", "#2c7bb6", "Built-up", "蓝色", "blue"),
    ("unbuilt", "#fdae61", "Supplied, not built", "橙色", "orange"),
    ("not_supplied", "#d9d9d9", "Not supplied", "浅灰色", "light grey"),
)

#: How each indicator's value is shown, read off the indicator specification.
_KIND: dict[str, str] = {
    i: {"fraction": "percent", "ratio": "ratio"}.get(FIGURES[i].unit, "wan_per_ha") for i in INDICATORS
}

#: Numerator and denominator of each indicator: (table column, unit), from the indicator
#: specification. ``ha_as_m2`` shows a hectare column in m² so that a FAR or density can
#: be checked by hand.
_PARTS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    i: ((FIGURES[i].numerator.column, FIGURES[i].numerator.unit),
        (FIGURES[i].denominator.column,
         "ha_as_m2" if FIGURES[i].numerator.unit == "m2" and FIGURES[i].denominator.unit == "ha"
         else FIGURES[i].denominator.unit))
    for i in INDICATORS
}

_UNITS = {
    "zh": {"ha": "公顷", "mu": "亩", "m2": "平方米", "wan": "万元", "wan_per_ha": "万元/公顷", "year": "年",
           "points": "分"},
    "en": {"ha": "ha", "mu": "mu", "m2": "m²", "wan": "10k yuan", "wan_per_ha": "10k yuan/ha", "year": "years",
           "points": "points"},
}

_T: dict[str, dict[str, str]] = {
    "zh": {
        "title": "{name} 土地节约集约利用评价报告（评价基准日 {date}）",
        "no_data": "无数据",
        "s_basic": "一、基本情况",
        "s_map": "二、园区宗地分布图",
        "s_areas": "三、土地利用状况",
        "s_indicators": "四、评价指标",
        "s_result": "五、评价分值与排名",
        "s_potential": "六、用地潜力",
        "s_settings": "七、评价参数",
        "s_notes": "八、说明与数据注意事项",
        "item": "项目",
        "value": "内容",
        "park_id": "园区编号",
        "name_zh": "园区名称",
        "name_en": "英文名称",
        "level": "级别",
        "city": "所在城市",
        "leading": "主导产业",
        "park_type": "园区类型",
        "type_reason": "类型判定依据",
        "n_parcels": "参评宗地数",
        "boundary": "边界来源",
        "as_of": "评价基准日",
        "type_ge": "工业用地率 {share} ≥ 划分界限 {cut}，为{type}",
        "type_lt": "工业用地率 {share} < 划分界限 {cut}，为{type}",
        "type_unknown": "无已建成土地，工业用地率无法计算，按默认类型（{type}）计分",
        "map_legend": "图中颜色：{items}；黑色粗线为园区边界。每宗地按以下先后只归入一类：闲置、低效、已建成、"
                      "已供应未建成、未供应。",
        "map_none": "园区及宗地均无空间数据，未绘制地图。",
        "map_no_parcels": "该园区无宗地数据，图中仅绘出园区边界。",
        "cls_idle": "闲置土地",
        "cls_inefficient": "低效用地",
        "cls_builtup": "已建成",
        "cls_unbuilt": "已供应未建成",
        "cls_not_supplied": "评价基准日未供应",
        "land_class": "土地类别",
        "area_ha": "面积（公顷）",
        "area_mu": "面积（亩）",
        "share_dev": "占可开发土地",
        "a_developable": "可开发土地",
        "a_supply_ready": "已达到供地条件土地",
        "a_supplied": "已供应国有建设用地",
        "a_builtup": "已建成城镇建设用地",
        "a_builtup_industrial": "其中：已建成工矿仓储用地",
        "areas_note": "土地面积逐级包含：可开发 ⊇ 已达到供地条件 ⊇ 已供应 ⊇ 已建成。可开发与已达到供地条件土地面积"
                      "取自园区资料，其余由宗地按评价基准日汇总。",
        "h_indicator": "指标",
        "h_formula": "计算公式",
        "h_num": "分子",
        "h_den": "分母",
        "h_value": "指标值",
        "h_ideal": "理想值",
        "h_std": "标准化值",
        "h_weight": "权重",
        "h_contrib": "加权得分",
        "h_national": "全国国家级开发区平均（2019）",
        "total": "合计（评价分值）",
        "not_weighted": "不计分",
        "excluded": "缺项剔除",
        "ind_note": "标准化值 = 指标值 ÷ 理想值 × 100（逆向指标 {reverse}：理想值 ÷ 指标值 × 100），上限 100。"
                    "加权得分 = 权重 × 标准化值 ÷ 参评指标权重合计（{den}），各项加权得分之和即评价分值。",
        "ind_excluded": "无数据、未参与计分的指标：{items}（其权重按其余指标重新归一）。",
        "ind_zero": "无数据的指标按 0 分计：{items}。",
        "score": "土地集约利用评价分值：{score} 分（满分 100）",
        "no_score": "土地集约利用评价分值：无（可计算指标的权重仅占 {share}，低于计分所需的 {min}）",
        "weight_share": "参评指标权重占本类型权重合计的 {share}。",
        "rank": "总排名：第 {rank} 名（共 {n} 个参评园区{tie}）",
        "rank_level": "{level}园区中排名：第 {rank} 名（共 {n} 个{tie}）",
        "no_rank": "总排名：未排名（无评价分值）",
        "no_rank_level": "同级别排名：无（级别不明或无评价分值）",
        "tie": "，并列",
        "national_score": "参考：全国 541 个国家级开发区 2019 年平均评价分值 {pub} 分；按本次评价参数计算全国平均指标得"
                          " {calc} 分。",
        "p_unbuilt": "待建地（已供应未建成）",
        "p_idle": "闲置土地",
        "p_idle_disposed": "其中：已处置闲置土地",
        "p_inefficient": "低效用地",
        "p_unsupplied": "尚可供应土地（已达到供地条件未供应）",
        "p_mean_supply": "近 {n} 年年均供地面积",
        "p_years": "剩余可供地年限",
        "p_years_inf": "近 {n} 年无供地，无法按供地速度测算",
        "p_years_value": "{v} 年",
        "p_per_year": "（每年）",
        "h_param": "参数",
        "h_param_value": "取值",
        "h_default": "默认值",
        "h_source": "来源",
        "src_default": "默认值",
        "src_user": "用户设定",
        "w_table_title": "各类型园区指标权重与理想值（* 为用户修改值）",
        "applied": "（本园区适用）",
        "notes_park": "本园区：",
        "notes_global": "本次评价数据：",
        "notes_none": "无。",
        "boundary_illustrative": "园区边界为示意范围，非官方界线，地图仅供参考。",
        "boundary_illustrative_short": "示意范围（非官方界线）",
        "footer": "生成时间 {time}    编制人：{by}    {product}    第 {page} 页",
        "by_none": "（未填写）",
        "yes": "是",
        "no": "否",
    },
    "en": {
        "title": "{name}: Land Saving and Intensive Use Evaluation Report (as of {date})",
        "no_data": "no data",
        "s_basic": "1. Basic information",
        "s_map": "2. Map of the park's parcels",
        "s_areas": "3. Land areas",
        "s_indicators": "4. Indicators",
        "s_result": "5. Score and rank",
        "s_potential": "6. Potential",
        "s_settings": "7. Settings used",
        "s_notes": "8. Notes and data caveats",
        "item": "Item",
        "value": "Value",
        "park_id": "Park id",
        "name_zh": "Name (Chinese)",
        "name_en": "Name (English)",
        "level": "Level",
        "city": "City",
        "leading": "Leading industries",
        "park_type": "Park type",
        "type_reason": "Why this type",
        "n_parcels": "Parcels evaluated",
        "boundary": "Boundary source",
        "as_of": "Evaluation date",
        "type_ge": "industrial share {share} ≥ cut-off {cut}: {type}",
        "type_lt": "industrial share {share} < cut-off {cut}: {type}",
        "type_unknown": "no built-up land, so no industrial share: scored as the default type ({type})",
        "map_legend": "Colours: {items}; the thick black line is the park boundary. Each parcel is drawn in the first "
                      "class it matches: idle, inefficient, built-up, supplied not built, not supplied.",
        "map_none": "Neither the park nor its parcels have a geometry: no map drawn.",
        "map_no_parcels": "The park has no parcel data: the map shows its boundary only.",
        "cls_idle": "idle land",
        "cls_inefficient": "inefficient land",
        "cls_builtup": "built-up",
        "cls_unbuilt": "supplied, not built",
        "cls_not_supplied": "not supplied by the evaluation date",
        "land_class": "Land class",
        "area_ha": "Area (ha)",
        "area_mu": "Area (mu)",
        "share_dev": "Share of developable",
        "a_developable": "Developable land",
        "a_supply_ready": "Supply-ready land",
        "a_supplied": "Supplied land",
        "a_builtup": "Built-up land",
        "a_builtup_industrial": "of which built-up industrial + storage land",
        "areas_note": "Areas nest: developable ⊇ supply-ready ⊇ supplied ⊇ built-up. Developable and supply-ready land "
                      "come from the park's records; the others are summed over its parcels as of the date.",
        "h_indicator": "Indicator",
        "h_formula": "Formula",
        "h_num": "Numerator",
        "h_den": "Denominator",
        "h_value": "Value",
        "h_ideal": "Ideal",
        "h_std": "Standardised",
        "h_weight": "Weight",
        "h_contrib": "Weighted points",
        "h_national": "National zones average (2019)",
        "total": "Total (score)",
        "not_weighted": "not scored",
        "excluded": "excluded",
        "ind_note": "Standardised = value ÷ ideal × 100 (reverse indicators {reverse}: ideal ÷ value × 100), at most "
                    "100. Weighted points = weight × standardised ÷ total weight of the indicators scored ({den}); "
                    "they add up to the score.",
        "ind_excluded": "Indicators without data, left out of the score: {items} (the other weights renormalised).",
        "ind_zero": "Indicators without data, counted as 0 points: {items}.",
        "score": "Land intensity score: {score} points (of 100)",
        "no_score": "Land intensity score: none (the indicators available carry {share} of the weight, below the "
                    "{min} a score needs)",
        "weight_share": "The indicators scored carry {share} of the park type's total weight.",
        "rank": "Overall rank: {rank} of {n} parks scored{tie}",
        "rank_level": "Rank among {level} parks: {rank} of {n}{tie}",
        "no_rank": "Overall rank: none (no score)",
        "no_rank_level": "Rank within level: none (level unknown or no score)",
        "tie": ", tied",
        "national_score": "Reference: mean score of the 541 national zones in 2019 was {pub}; the national average "
                          "indicators score {calc} with these settings.",
        "p_unbuilt": "Land awaiting construction (supplied, not built)",
        "p_idle": "Idle land",
        "p_idle_disposed": "of which disposed",
        "p_inefficient": "Inefficient land",
        "p_unsupplied": "Supply-ready land not yet supplied",
        "p_mean_supply": "Mean yearly supply, last {n} years",
        "p_years": "Years of supply left",
        "p_years_inf": "nothing supplied in the last {n} years: cannot be estimated",
        "p_years_value": "{v} years",
        "p_per_year": " (per year)",
        "h_param": "Setting",
        "h_param_value": "Value",
        "h_default": "Default",
        "h_source": "Source",
        "src_default": "default",
        "src_user": "set by user",
        "w_table_title": "Weights and ideal values per park type (* = changed by the user)",
        "applied": " (applies)",
        "notes_park": "This park: ",
        "notes_global": "This evaluation's data: ",
        "notes_none": "none.",
        "boundary_illustrative": "The park boundary is illustrative, not the official one: the map is indicative only.",
        "boundary_illustrative_short": "illustrative (not the official boundary)",
        "footer": "Generated {time}    Prepared by: {by}    {product}    Page {page}",
        "by_none": "(not given)",
        "yes": "yes",
        "no": "no",
    },
}

_LEVEL_EN_LOWER = {"national": "national-level", "regional": "region-level"}

#: Scalar settings shown in the report: key → (zh label, en label).
_SCALAR_SETTINGS: dict[str, tuple[str, str]] = {
    "park_type_cutoff_industrial_share": ("园区类型划分界限（工业用地率 ≥ 界限为工业主导型）",
                                          "Park-type cut-off (industrial share ≥ cut-off: industry-led)"),
    "park_type_if_unknown": ("无已建成土地时的园区类型", "Park type when there is no built-up land"),
    "missing_indicator": ("无数据指标的处理", "Indicators without data"),
    "min_weight_share_for_score": ("计分所需最低参评权重占比", "Least share of weight for a score"),
    "unbuilt_basis": ("待建地口径", "Land awaiting construction counted as"),
    "supply_window_years": ("年均供地测算年数", "Years of supply averaged"),
    "far_industrial_double_count_over_8m": ("工业用地容积率中层高超 8 米建筑面积加倍计算",
                                            "Industrial FAR counts storeys over 8 m double"),
    "reverse_indicators": ("逆向指标", "Reverse indicators"),
    "industrial_land_uses": ("计入工矿仓储用地的用途", "Land uses counted as industrial land"),
    "rank_method": ("同分排名方法", "Ranking of equal scores"),
    "rank_decimals": ("排名比较的小数位数", "Decimals compared when ranking"),
}

_CHOICE_TEXT = {
    "zh": {"exclude": "剔除，其余权重归一", "zero": "按 0 分计", "supplied": "已供应未建成土地",
           "supply_ready": "已达到供地条件土地 − 已建成土地", "min": "并列取最小名次（1, 2, 2, 4）"},
    "en": {"exclude": "left out, other weights renormalised", "zero": "counted as 0 points",
           "supplied": "supplied land not built-up", "supply_ready": "supply-ready land − built-up land",
           "min": "ties share the lowest rank (1, 2, 2, 4)"},
}

class ReportError(ValueError):
    """A report that cannot be made from the arguments given."""


# --------------------------------------------------------------------------- helpers


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ReportError(f"report language {lang!r} is not supported: use one of {', '.join(LANGS)}")
    return lang


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _float(value: Any) -> float:
    return math.nan if _missing(value) else float(value)


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value).strip()


def _num(value: Any, decimals: int = 2, unit: str = "") -> str:
    """A number with thousands separators and its unit; NA → "—"."""
    v = _float(value)
    if math.isnan(v):
        return NA_CELL
    if math.isinf(v):
        return "∞"
    out = f"{v:,.{decimals}f}"
    return f"{out} {unit}" if unit else out


def _pct(value: Any, decimals: int = 2) -> str:
    v = _float(value)
    return NA_CELL if math.isnan(v) else f"{v * 100:.{decimals}f}%"


def _indicator_value(ind: str, value: Any, lang: str) -> str:
    kind = _KIND[ind]
    if kind == "percent":
        return _pct(value)
    if kind == "ratio":
        return _num(value, 2)
    return _num(value, 1, _UNITS[lang]["wan_per_ha"])


def _part(value: Any, unit: str, lang: str) -> str:
    u = _UNITS[lang]
    if unit == "ha":
        return _num(value, 2, u["ha"])
    if unit == "ha_as_m2":
        return _num(_float(value) * M2_PER_HA, 0, u["m2"])
    if unit == "m2":
        return _num(value, 0, u["m2"])
    return _num(value, 1, u["wan"])


def _park_row(ev: Evaluation, park_id: str) -> pd.Series:
    pid = str(park_id).strip()
    ids = ev.table["park_id"].astype("string")
    hit = ev.table[(ids == pid).fillna(False).astype(bool)]
    if hit.empty:
        known = ", ".join(map(str, ids.dropna().tolist()[:20]))
        raise ReportError(
            f"park_id {pid!r} is not in this evaluation (parks evaluated: {known or 'none'}); "
            "pick one of these or evaluate the park first"
        )
    return hit.iloc[0]


def _type_label(settings: dict, ptype: str, lang: str) -> str:
    return words.label("park_type", ptype, lang)


def _indicator_labels(settings: dict, lang: str) -> dict[str, dict[str, str]]:
    return {ind: {"label": words.label("indicator", ind, lang),
                  "formula": words.label("indicator_formula", ind, lang) if ind in INDICATORS else ""}
            for ind in FIGURES}


# --------------------------------------------------------------------------- tables as data


def indicator_rows(ev: Evaluation, park_id: str, *, lang: str = "zh") -> pd.DataFrame:
    """
    The indicator table of one park, as numbers.

    Parameters
    ----------
    ev
        From :func:`geo.evaluation.evaluate_parks`.
    park_id
        The park.
    lang
        ``zh`` or ``en`` for ``label`` and ``formula``.

    Returns
    -------
    rows
        One row per indicator of :data:`geo.evaluation.INDICATORS`: ``indicator``,
        ``label``, ``formula``, ``numerator``, ``denominator`` (in the units of
        their table columns, see ``numerator_unit``/``denominator_unit``), ``value``,
        ``ideal``, ``std``, ``weight``, ``contribution`` (weight × std ÷ the weights
        scored; the contributions add up to ``score``), ``national_2019`` and
        ``status`` (``scored``, ``not_weighted``, ``excluded`` or ``zero``).

    Raises
    ------
    ReportError
        The park is not in the evaluation.
    """
    _check_lang(lang)
    row = _park_row(ev, park_id)
    names = _indicator_labels(ev.settings, lang)
    ref = ev.reference.iloc[0] if len(ev.reference) else pd.Series(dtype=float)
    # The score breakdown is the evaluation's (geo.evaluation.score_breakdown): not recomputed here.
    b = ev.park_breakdown(row["park_id"])
    frame = pd.DataFrame({"indicator": list(INDICATORS)})
    frame["label"] = [names.get(i, {}).get("label", i) for i in INDICATORS]
    frame["formula"] = [names.get(i, {}).get("formula", "") for i in INDICATORS]
    frame["numerator"] = b["numerator"].to_numpy()
    frame["numerator_unit"] = [_PARTS[i][0][1] for i in INDICATORS]
    frame["denominator"] = b["denominator"].to_numpy()
    frame["denominator_unit"] = [_PARTS[i][1][1] for i in INDICATORS]
    for col in ("value", "ideal", "std", "weight", "contribution", "status"):
        frame[col] = b[col].to_numpy()
    frame["national_2019"] = [_float(ref.get(i)) for i in INDICATORS]
    frame.attrs["weight_scored"] = float(b["weight_scored"].iloc[0]) if len(b) else 0.0
    return frame


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def settings_rows(settings: dict) -> pd.DataFrame:
    """
    Every setting the evaluation used next to the product's default.

    Parameters
    ----------
    settings
        ``Evaluation.settings``.

    Returns
    -------
    rows
        ``key`` (dotted, e.g. ``park_types.mixed.weights.far_overall``), ``value``,
        ``default`` and ``is_default`` for the scalar settings, then each park
        type's weight and ideal value per indicator.
    """
    defaults = evaluation_settings(None)
    rows: list[tuple[str, Any, Any]] = [(k, settings.get(k), defaults.get(k)) for k in _SCALAR_SETTINGS]
    for ptype in PARK_TYPES:
        spec, dspec = settings["park_types"][ptype], defaults["park_types"][ptype]
        for ind in INDICATORS:
            rows.append((f"park_types.{ptype}.weights.{ind}", spec["weights"].get(ind, 0.0),
                         dspec["weights"].get(ind, 0.0)))
            rows.append((f"park_types.{ptype}.ideals.{ind}", spec["ideals"].get(ind), dspec["ideals"].get(ind)))
    out = pd.DataFrame(rows, columns=["key", "value", "default"])
    out["is_default"] = [_same(v, d) for v, d in zip(out["value"], out["default"], strict=True)]
    return out


# --------------------------------------------------------------------------- map


def map_classes(parcels: pd.DataFrame) -> pd.Series:
    """
    The map class of each parcel, in the precedence of :data:`MAP_CLASSES`.

    Parameters
    ----------
    parcels
        Flagged parcels (``Evaluation.parcels``): ``idle``, ``inefficient``,
        ``builtup``, ``supplied``; a missing column or value counts as False.

    Returns
    -------
    classes
        ``idle``, ``inefficient``, ``builtup``, ``unbuilt`` or ``not_supplied``,
        aligned to ``parcels.index``.
    """

    def flag(col: str) -> np.ndarray:
        if col not in parcels:
            return np.zeros(len(parcels), dtype=bool)
        return parcels[col].astype("boolean").fillna(False).to_numpy(dtype=bool)

    codes = np.select(
        [flag("idle"), flag("inefficient"), flag("builtup"), flag("supplied")],
        ["idle", "inefficient", "builtup", "unbuilt"],
        "not_supplied",
    )
    return pd.Series(codes, index=parcels.index, name="map_class", dtype=object)


def _mpl_path(geoms: gpd.GeoSeries) -> MplPath | None:
    """All polygons of ``geoms`` as one compound path (holes kept by ring orientation)."""
    arr = np.asarray(geoms[~(geoms.isna() | geoms.is_empty)].to_numpy())
    if not len(arr):
        return None
    parts = shapely.get_parts(arr)
    parts = parts[shapely.get_type_id(parts) == 3]  # polygons; points/lines are not land
    if not len(parts):
        return None
    # Exterior counter-clockwise, holes clockwise: matplotlib's non-zero fill leaves holes empty.
    rings = shapely.get_rings(shapely.orient_polygons(parts, exterior_cw=False))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    starts = np.r_[0, np.flatnonzero(np.diff(ring)) + 1]
    codes[starts] = MplPath.MOVETO
    codes[np.r_[starts[1:] - 1, len(coords) - 1]] = MplPath.CLOSEPOLY
    return MplPath(coords, codes)


def nice_scale_length_m(span_m: float) -> float:
    """The longest 1-2-5 × 10ⁿ metres not above a fifth of ``span_m`` (scale-bar length)."""
    target = max(float(span_m) / 5.0, 1.0)
    exp = 10 ** math.floor(math.log10(target))
    return max(m * exp for m in (1, 2, 5) if m * exp <= target)


def _scale_label(length_m: float) -> str:
    return f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"


_GK = re.compile(r"(?P<datum>.+?) / (?P<width>[36])-degree Gauss-Kruger (?:CM (?P<cm>\d+)E|zone (?P<zone>\d+))")
_UTM = re.compile(r"(?P<datum>.+?) / UTM zone (?P<zone>\d+[NS]?)")


def crs_text(crs, lang: str = "zh") -> str:
    """
    A CRS as the report's caption names it: ``坐标系：CGCS2000 3度带高斯-克吕格投影，中央经线 108°E（EPSG:4545）``.

    Gauss-Krüger and UTM projections and geographic CRSs of the usual datums are put in
    words; any other CRS keeps its own name.
    """
    name = str(crs.name)
    datum = lambda d: words.label("crs_datum", d.strip(), lang)  # noqa: E731
    if (m := _GK.fullmatch(name)) is not None:
        code = "report_crs_gk_cm" if m["cm"] else "report_crs_gk_zone"
        text = words.text(code, lang, datum=datum(m["datum"]), width=m["width"], cm=m["cm"], zone=m["zone"])
    elif (m := _UTM.fullmatch(name)) is not None:
        text = words.text("report_crs_utm", lang, datum=datum(m["datum"]), zone=m["zone"])
    elif crs.is_geographic:
        text = words.text("report_crs_geographic", lang, datum=datum(name))
    else:
        text = name
    epsg = crs.to_epsg()
    if epsg is None:
        return words.text("report_crs_no_code", lang, crs=text)
    return words.text("report_crs", lang, crs=text, epsg=epsg)


def _park_geometry(ev: Evaluation, park_id: str, parks: pd.DataFrame | None) -> gpd.GeoSeries | None:
    for frame in (parks, ev.table):
        if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame and frame.crs is not None:
            ids = frame["park_id"].astype("string").str.strip() if "park_id" in frame else None
            if ids is None:
                continue
            geom = frame.geometry[(ids == str(park_id).strip()).fillna(False).astype(bool)]
            geom = geom[~(geom.isna() | geom.is_empty)]
            if len(geom):
                return geom
    return None


def _park_parcels(ev: Evaluation, park_id: str) -> pd.DataFrame:
    p = ev.parcels
    return p[(p["park_id"].astype("string") == str(park_id).strip()).fillna(False).astype(bool)]


def park_map_png(
    ev: Evaluation,
    park_id: str,
    *,
    parks: pd.DataFrame | None = None,
    lang: str = "zh",
    width_in: float = 6.3,
    height_in: float = 5.0,
    dpi: int = 200,
) -> tuple[bytes, object, pd.Series] | None:
    """
    A PNG map of one park: its boundary and its parcels coloured by :func:`map_classes`.

    Drawn in the park's metric GK zone (``geo.crs.to_metric``) so shapes and the
    scale bar are true; legend, north arrow and CRS in ``lang``. Chinese text needs a
    CJK font (``reports.fonts.cjk_font``): without one the Chinese map has no legend
    text (a warning is logged; the report says so under the map).

    Parameters
    ----------
    ev
        From :func:`geo.evaluation.evaluate_parks`.
    park_id
        The park.
    parks
        Park polygons (any CRS) with ``park_id``; ``ev.table``'s geometry is used
        when the park is not there.
    lang
        ``zh`` or ``en``: language of the legend.
    width_in, height_in, dpi
        Figure size in inches and resolution.

    Returns
    -------
    map
        ``(png_bytes, crs, area_ha_by_class)`` (``crs`` a ``pyproj.CRS``, see
        :func:`crs_text`), or None when neither the park nor its parcels have a geometry.
    """
    font = cjk_font() if lang == "zh" else None
    texts = lang != "zh" or font is not None  # never draw Chinese in a font without its glyphs

    def word(code: str) -> str:
        return words.label("report_map", code, lang, strict=True)

    def fontprops(size: float) -> dict:
        return {"family": font.get_family(), "size": size} if font is not None else {"size": size}

    park_geom = _park_geometry(ev, park_id, parks)
    parcels = _park_parcels(ev, park_id)
    has_parcels = (isinstance(parcels, gpd.GeoDataFrame) and parcels.geometry.name in parcels
                   and parcels.crs is not None and len(parcels) > 0)
    if park_geom is None and not has_parcels:
        return None
    if park_geom is not None:
        park_m = to_metric(gpd.GeoDataFrame(geometry=park_geom, crs=park_geom.crs)).geometry
        epsg = park_m.crs.to_epsg()
    else:
        park_m = None
        epsg = None
    parcels_m = to_metric(parcels, epsg=epsg) if has_parcels else None
    crs = (park_m if park_m is not None else parcels_m).crs

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
    ax.set_axis_off()
    handles = []
    area_by_class = pd.Series(0.0, index=[c[0] for c in MAP_CLASSES])
    if parcels_m is not None:
        classes = map_classes(parcels_m)
        area_ha = pd.Series(np.asarray(parcels_m["area_ha"], dtype=float) if "area_ha" in parcels_m
                            else parcels_m.area.to_numpy() / M2_PER_HA, index=parcels_m.index)
        area_by_class = area_ha.groupby(classes).sum().reindex(area_by_class.index, fill_value=0.0)
        for code, colour, *_ in reversed(MAP_CLASSES):
            path = _mpl_path(parcels_m.geometry[classes == code])
            if path is None:
                continue
            ax.add_patch(PathPatch(path, facecolor=colour, edgecolor="white", linewidth=0.25))
        handles = [Patch(facecolor=colour, edgecolor="grey", label=word(code))
                   for code, colour, *_ in MAP_CLASSES if (classes == code).any()]
    frames = [g for g in (park_m, parcels_m.geometry if parcels_m is not None else None) if g is not None]
    if park_m is not None:
        path = _mpl_path(park_m)
        if path is not None:
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor="black", linewidth=1.4))
            handles.append(Patch(facecolor="none", edgecolor="black", linewidth=1.4, label=word("park_boundary")))
    bounds = np.vstack([np.asarray(g.total_bounds) for g in frames])
    finite = np.isfinite(bounds).all(axis=1)
    if not finite.any():
        return None
    minx, miny = bounds[finite, 0].min(), bounds[finite, 1].min()
    maxx, maxy = bounds[finite, 2].max(), bounds[finite, 3].max()
    # Limits widened to the axes' own proportions, so metres are equal both ways
    # without matplotlib overriding the limits.
    pad = 0.06 * max(maxx - minx, maxy - miny, 1.0)
    w, h = maxx - minx + 2 * pad, maxy - miny + 2 * pad
    box_ratio = height_in / width_in
    w, h = max(w, h / box_ratio), max(h, w * box_ratio)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    x0, x1, y0, y1 = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    length = nice_scale_length_m(x1 - x0)
    ax.add_artist(AnchoredSizeBar(ax.transData, length, _scale_label(length), "lower left", pad=0.5,
                                  borderpad=0.5, sep=4, frameon=True, size_vertical=(y1 - y0) * 0.008,
                                  fontproperties={"size": 8}))
    # Grid north of a 3-degree GK zone is within ~0.7° of true north in Guangxi
    # (convergence ≈ Δlon × sin(lat) ≤ 1.5° × sin 26°): an upright arrow is honest.
    north = word("north") if texts else "N"
    ax.annotate(north, xy=(0.95, 0.97), xytext=(0.95, 0.86), xycoords="axes fraction", textcoords="axes fraction",
                ha="center", va="center", fontweight="bold", fontproperties=font, fontsize=11,
                arrowprops={"facecolor": "black", "edgecolor": "black", "width": 3, "headwidth": 9})
    if handles and texts:
        ax.legend(handles=handles, loc="lower right", framealpha=0.9, prop=fontprops(7))
    crs_label = crs_text(crs, lang) if texts else f"EPSG:{crs.to_epsg()}"
    ax.text(0.5, 0.005, crs_label, transform=ax.transAxes, ha="center", va="bottom", color="#555555",
            fontproperties=font, fontsize=6)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue(), crs, area_by_class


# --------------------------------------------------------------------------- docx plumbing


def _set_fonts(style, *, east_asia: str, latin: str | None = None, size_pt: float | None = None,
               bold: bool | None = None, black: bool = False) -> None:
    """Name the East-Asian (and Latin) font of a style, dropping theme fonts that would override them."""
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if latin:
        rfonts.set(qn("w:ascii"), latin)
        rfonts.set(qn("w:hAnsi"), latin)
    if size_pt:
        style.font.size = Pt(size_pt)
    if bold is not None:
        style.font.bold = bold
    if black:
        style.font.color.rgb = RGBColor(0, 0, 0)


def _new_document(lang: str) -> Document:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)  # A4
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.top_margin = sec.bottom_margin = Cm(2.2)
    styles = doc.styles
    # Document defaults name theme fonts (minorEastAsia) and en-US: replace them too, so
    # no run falls back to a theme font without Chinese glyphs.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None:
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)
            rfonts.set(qn("w:eastAsia"), BODY_FONT_ZH)
            rfonts.set(qn("w:ascii"), "Times New Roman")
            rfonts.set(qn("w:hAnsi"), "Times New Roman")
        tag = rpr.find(qn("w:lang"))
        if tag is not None:
            tag.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
            tag.set(qn("w:eastAsia"), "zh-CN")
    _set_fonts(styles["Normal"], east_asia=BODY_FONT_ZH, latin="Times New Roman", size_pt=10.5)
    _set_fonts(styles["Title"], east_asia=HEADING_FONT_ZH, latin="Arial", size_pt=18, bold=True, black=True)
    for name, size in (("Heading 1", 14), ("Heading 2", 12)):
        _set_fonts(styles[name], east_asia=HEADING_FONT_ZH, latin="Arial", size_pt=size, bold=True, black=True)
    _set_fonts(styles["Caption"], east_asia=BODY_FONT_ZH, latin="Times New Roman", black=True)
    return doc


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _table(doc, header: list[str], rows: list[list[str]], *, widths_cm: list[float] | None = None,
           size_pt: float = 9.0, bold_last: bool = False):
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths_cm:
        table.autofit = False
    for r, values in enumerate([header, *rows]):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            cell = cells[c]
            cell.text = str(value)
            if widths_cm:
                cell.width = Cm(widths_cm[c])
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(size_pt)
                    if r == 0 or (bold_last and r == len(rows)):
                        run.font.bold = True
    _repeat_header(table.rows[0])
    return table


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    fld.append(inner)
    run._r.addnext(fld)


def _footer(doc, t: dict[str, str], *, generated_at: datetime, prepared_by: str, lang: str) -> None:
    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head, _, tail = t["footer"].partition("{page}")
    text = head.format(time=generated_at.strftime("%Y-%m-%d %H:%M"), by=prepared_by.strip() or t["by_none"],
                       product=PRODUCT_NAME[lang])
    run = para.add_run(text)
    run.font.size = Pt(8)
    _page_field(para)
    run = para.add_run(tail)
    run.font.size = Pt(8)


def _setting_name(key: str, settings: dict, lang: str) -> str:
    """A setting's name in words: ``park_types.mixed.weights.far_overall`` → 产城融合型综合容积率权重."""
    if key in _SCALAR_SETTINGS:
        return _SCALAR_SETTINGS[key][0 if lang == "zh" else 1]
    parts = key.split(".")
    if len(parts) == 4 and parts[0] == "park_types" and parts[2] in ("weights", "ideals"):
        indicator = _indicator_labels(settings, lang).get(parts[3], {}).get("label", parts[3])
        code = "report_setting_weight" if parts[2] == "weights" else "report_setting_ideal"
        return words.text(code, lang, ptype=_type_label(settings, parts[1], lang), indicator=indicator)
    return key


def _sentence(items: list[str], lang: str) -> str:
    """Items joined into one sentence with a single full stop."""
    items = [i.rstrip("。.；; ") for i in items]
    return ("；".join(items) + "。") if lang == "zh" else ("; ".join(items) + ".")


# --------------------------------------------------------------------------- report


def report_filename(park_id: str, as_of, lang: str = "zh", *, parks: pd.DataFrame | None = None) -> str:
    """
    File name of a park's report: ``土地集约利用评价报告_<park>_<YYYY-MM-DD>.docx`` (zh)
    or ``land-use-evaluation_<park>_<YYYY-MM-DD>.docx`` (en).

    ``<park>`` is the park's name (``name_zh``, or ``name_en`` in English) when ``parks``
    names it — a reader files reports by park name, not by the system's id — else
    ``park_id``. Characters that file systems or browsers refuse (``/ \\ : * ? " < > |``,
    spaces, control characters) become ``_``; Chinese is kept.
    """
    _check_lang(lang)
    date = pd.Timestamp(as_of)
    if pd.isna(date):
        raise ReportError(f"as_of {as_of!r} is not a date: give the evaluation date (YYYY-MM-DD)")
    name = _park_name(parks, park_id, lang) or str(park_id)
    safe = re.sub(r"[^\w.-]+", "_", name.strip()).strip("._") or "park"
    prefix = "土地集约利用评价报告" if lang == "zh" else "land-use-evaluation"
    return f"{prefix}_{safe}_{date.date().isoformat()}.docx"


def _park_name(parks: pd.DataFrame | None, park_id: str, lang: str) -> str:
    """The park's name in ``lang`` (falling back to the other language) from ``parks``, or ""."""
    if not isinstance(parks, pd.DataFrame) or "park_id" not in parks:
        return ""
    hit = parks[(parks["park_id"].astype("string").str.strip() == str(park_id).strip()).fillna(False).astype(bool)]
    if hit.empty:
        return ""
    order = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    return next((_text(hit.iloc[0].get(col)) for col in order if _text(hit.iloc[0].get(col))), "")


@dataclass
class _Ctx:
    """What every section of one report needs."""

    doc: Any
    ev: Evaluation
    row: pd.Series
    park_attrs: pd.Series
    lang: str
    name: str
    as_of: str

    @property
    def t(self) -> dict[str, str]:
        return _T[self.lang]

    @property
    def settings(self) -> dict:
        return self.ev.settings

    @property
    def pid(self) -> str:
        return str(self.row["park_id"])

    def attr(self, col: str) -> str:
        """A park attribute from the evaluation table, else from the parks layer."""
        return _text(self.row.get(col)) or _text(self.park_attrs.get(col))

    def para(self, text: str):
        return self.doc.add_paragraph(text)


def _section_basic(c: _Ctx) -> None:
    t, row, lang = c.t, c.row, c.lang
    ptype = str(row["park_type"])
    type_label = _type_label(c.settings, ptype, lang)
    share = _float(row.get("industrial_share"))
    cut = float(c.settings["park_type_cutoff_industrial_share"])
    if math.isnan(share):
        reason = t["type_unknown"].format(type=type_label)
    else:
        # The evaluation decided the type (cut-off inclusive); the text only says why.
        key = "type_ge" if ptype == "industry_led" else "type_lt"
        reason = t[key].format(share=_pct(share), cut=_pct(cut), type=type_label)
    level = _text(row.get("level"))
    level_text = words.label("park_level", level, lang) if level else t["no_data"]
    leading = c.attr("leading_industries")
    leading = re.sub(r"\s*[;；,，、]\s*", "、" if lang == "zh" else ", ", leading) if leading else t["no_data"]
    c.doc.add_heading(t["s_basic"], level=1)
    # The Chinese report names the park; its id is an internal code (the English one keeps it).
    pairs = [] if lang == "zh" else [(t["park_id"], c.pid)]
    pairs += [
        (t["name_zh"], c.attr("name_zh") or t["no_data"]),
        (t["name_en"], c.attr("name_en") or t["no_data"]),
        (t["level"], level_text),
        (t["city"], c.attr("city") or t["no_data"]),
        (t["leading"], leading),
        (t["as_of"], c.as_of),
        (t["park_type"], type_label),
        (t["type_reason"], reason),
        (t["n_parcels"], _num(row.get("n_parcels"), 0)),
    ]
    boundary = c.attr("boundary_source")
    if boundary:
        illustrative = boundary.casefold() == "illustrative"
        pairs.append((t["boundary"], t["boundary_illustrative_short"] if illustrative else boundary))
    _table(c.doc, [t["item"], t["value"]], [[k, v] for k, v in pairs], widths_cm=[4.5, 11.5], size_pt=10)


def _section_map(c: _Ctx, parks) -> None:
    t, u = c.t, _UNITS[c.lang]
    c.doc.add_heading(t["s_map"], level=1)
    drawn = park_map_png(c.ev, c.pid, parks=parks if isinstance(parks, gpd.GeoDataFrame) else None, lang=c.lang)
    if drawn is None:
        c.para(t["map_none"])
        return
    png, crs, area_by_class = drawn
    c.doc.add_picture(io.BytesIO(png), width=Cm(15.5))
    c.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = words.text("report_map_caption", c.lang, name=c.name, crs=crs_text(crs, c.lang), date=c.as_of)
    cap = c.doc.add_paragraph(caption, style="Caption")
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if c.lang == "zh" and cjk_font() is None:
        # said in the document, not only in the log: the picture above has no legend text
        log.warning("report of %s: map drawn without legend text (no CJK font)", c.pid)
        c.para(words.text("report_no_cjk_font", c.lang))
    colour_idx = 3 if c.lang == "zh" else 4
    items = [f"{k[colour_idx]} — {t['cls_' + k[0]]} {_num(area_by_class.get(k[0]), 2, u['ha'])}"
             for k in MAP_CLASSES]
    c.para(t["map_legend"].format(items=("；" if c.lang == "zh" else "; ").join(items)))
    if not _float(c.row.get("n_parcels")) > 0:
        c.para(t["map_no_parcels"])


def _section_areas(c: _Ctx) -> None:
    t, row = c.t, c.row
    c.doc.add_heading(t["s_areas"], level=1)
    developable = _float(row.get("developable_ha"))
    rows = []
    for key, col in (("a_developable", "developable_ha"), ("a_supply_ready", "supply_ready_ha"),
                     ("a_supplied", "supplied_ha"), ("a_builtup", "builtup_ha"),
                     ("a_builtup_industrial", "builtup_industrial_ha")):
        ha = _float(row.get(col))
        share = ha / developable if developable > 0 else math.nan
        rows.append([t[key], _num(ha, 2), _num(ha * MU_PER_HA, 1), _pct(share)])
    _table(c.doc, [t["land_class"], t["area_ha"], t["area_mu"], t["share_dev"]], rows,
           widths_cm=[6.5, 3.2, 3.2, 3.1], size_pt=10)
    c.para(t["areas_note"])


def _new_section(doc, *, landscape: bool) -> None:
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    sec.page_width, sec.page_height = (long, short) if landscape else (short, long)
    sec.left_margin = sec.right_margin = Cm(2.0 if landscape else 2.5)


def _section_indicators(c: _Ctx) -> None:
    t, lang = c.t, c.lang
    ind = indicator_rows(c.ev, c.pid, lang=lang)
    _new_section(c.doc, landscape=True)  # ten columns
    c.doc.add_heading(t["s_indicators"], level=1)
    contrib = np.select(
        [ind["status"] == "not_weighted", ind["status"] == "excluded"],
        [t["not_weighted"], t["excluded"]],
        [_num(v, 2) for v in ind["contribution"]],
    )
    rows = [
        [label, formula, _part(num, nu, lang), _part(den_v, du, lang), _indicator_value(i, v, lang),
         _indicator_value(i, ideal, lang), _num(std, 2), f"{w:g}", points, _indicator_value(i, nat, lang)]
        for i, label, formula, num, nu, den_v, du, v, ideal, std, w, points, nat in zip(
            ind["indicator"], ind["label"], ind["formula"], ind["numerator"], ind["numerator_unit"],
            ind["denominator"], ind["denominator_unit"], ind["value"], ind["ideal"], ind["std"], ind["weight"],
            contrib, ind["national_2019"], strict=True)
    ]
    den = float(ind.attrs["weight_scored"])
    # The national column's total is the published mean score (61.53), not a recomputation.
    ref = c.ev.reference
    published = ref["published_score"].iloc[0] if len(ref) and "published_score" in ref else math.nan
    rows.append([t["total"], "", "", "", "", "", "", f"{den:g}", _num(c.row.get("score"), 2), _num(published, 2)])
    _table(c.doc, [t["h_indicator"], t["h_formula"], t["h_num"], t["h_den"], t["h_value"], t["h_ideal"],
                   t["h_std"], t["h_weight"], t["h_contrib"], t["h_national"]], rows,
           widths_cm=[2.6, 5.6, 2.5, 2.5, 2.3, 2.0, 1.6, 1.2, 1.7, 2.3], size_pt=8, bold_last=True)
    labels = dict(zip(ind["indicator"], ind["label"], strict=True))
    sep = "、" if lang == "zh" else ", "
    reverse = sep.join(labels.get(i, i) for i in c.settings.get("reverse_indicators", []))
    c.para(t["ind_note"].format(reverse=reverse or t["no_data"], den=f"{den:g}"))
    excluded = ind.loc[ind["status"] == "excluded", "label"].tolist()
    zeroed = ind.loc[ind["status"] == "zero", "label"].tolist()
    if excluded:
        c.para(t["ind_excluded"].format(items=sep.join(excluded)))
    if zeroed:
        c.para(t["ind_zero"].format(items=sep.join(zeroed)))
    _new_section(c.doc, landscape=False)


def _rank_text(c: _Ctx) -> list[str]:
    t, row, table = c.t, c.row, c.ev.table
    out = []
    rank = row.get("rank")
    if _missing(rank):
        out.append(t["no_rank"])
    else:
        ranks = table["rank"]
        tie = t["tie"] if int((ranks == rank).fillna(False).sum()) > 1 else ""
        out.append(t["rank"].format(rank=int(rank), n=int(ranks.notna().sum()), tie=tie))
    level = _text(row.get("level"))
    rank_level = row.get("rank_in_level")
    if _missing(rank_level) or not level:
        out.append(t["no_rank_level"])
    else:
        peers = table.loc[(table["level"].astype("string") == level).fillna(False).astype(bool), "rank_in_level"]
        tie = t["tie"] if int((peers == rank_level).fillna(False).sum()) > 1 else ""
        lvl = words.label("park_level", level, "zh") if c.lang == "zh" else _LEVEL_EN_LOWER.get(level, level)
        out.append(t["rank_level"].format(level=lvl, rank=int(rank_level), n=int(peers.notna().sum()), tie=tie))
    return out


def _section_result(c: _Ctx) -> None:
    t, row = c.t, c.row
    c.doc.add_heading(t["s_result"], level=1)
    score = _float(row.get("score"))
    share = _float(row.get("score_weight_share"))
    if math.isnan(score):
        c.para(t["no_score"].format(share=_pct(share) if not math.isnan(share) else t["no_data"],
                                    min=_pct(c.settings.get("min_weight_share_for_score", 0.0))))
    else:
        c.doc.add_paragraph().add_run(t["score"].format(score=f"{score:.2f}")).bold = True
        c.para(t["weight_share"].format(share=_pct(share)))
    for text in _rank_text(c):
        c.para(text)
    if len(c.ev.reference):
        ref = c.ev.reference.iloc[0]
        c.para(t["national_score"].format(pub=_num(ref.get("published_score"), 2), calc=_num(ref.get("score"), 2)))


def _section_potential(c: _Ctx) -> None:
    t, row = c.t, c.row
    c.doc.add_heading(t["s_potential"], level=1)
    years_n = int(c.settings["supply_window_years"])
    rows = []
    for key, col in (("p_unbuilt", "unbuilt_ha"), ("p_idle", "idle_ha"), ("p_idle_disposed", "idle_disposed_ha"),
                     ("p_inefficient", "inefficient_ha"), ("p_unsupplied", "unsupplied_ha")):
        ha = _float(row.get(col))
        rows.append([t[key], _num(ha, 2), _num(ha * MU_PER_HA, 1)])
    mean = _float(row.get("mean_yearly_supply_ha"))
    rows.append([t["p_mean_supply"].format(n=years_n) + t["p_per_year"], _num(mean, 2), _num(mean * MU_PER_HA, 1)])
    years = _float(row.get("years_of_supply_left"))
    if math.isinf(years):
        years_text = t["p_years_inf"].format(n=years_n)
    elif math.isnan(years):
        years_text = NA_CELL
    else:
        years_text = t["p_years_value"].format(v=f"{years:.2f}")
    rows.append([t["p_years"], years_text, ""])
    _table(c.doc, [t["item"], t["area_ha"], t["area_mu"]], rows, widths_cm=[7.5, 4.5, 4.0], size_pt=10)


def _section_settings(c: _Ctx) -> None:
    t, lang, settings = c.t, c.lang, c.settings
    c.doc.add_heading(t["s_settings"], level=1)
    srows = settings_rows(settings)
    changed = srows.loc[~srows["is_default"], "key"].tolist()
    cite = {"standard": TDT_1029[lang], "defaults": DEFAULTS[lang]}
    if changed:
        items = ("、" if lang == "zh" else ", ").join(_setting_name(k, settings, lang) for k in changed)
        c.para(words.text("report_settings_changed", lang, items=items, **cite))
    else:
        c.para(words.text("report_settings_defaults", lang, **cite))
    c.para(words.text("report_rules_source", lang, **cite))
    scalar = srows[srows["key"].isin(list(_SCALAR_SETTINGS))]
    rows = [
        [_SCALAR_SETTINGS[k][0 if lang == "zh" else 1], _setting_text(k, v, settings, lang),
         _setting_text(k, d, settings, lang), t["src_default"] if same else t["src_user"]]
        for k, v, d, same in zip(scalar["key"], scalar["value"], scalar["default"], scalar["is_default"],
                                 strict=True)
    ]
    _table(c.doc, [t["h_param"], t["h_param_value"], t["h_default"], t["h_source"]], rows,
           widths_cm=[5.6, 4.4, 4.4, 1.6], size_pt=9)
    c.para("")
    c.para(t["w_table_title"])
    by_key = srows.set_index("key")
    ptype = str(c.row["park_type"])
    header = [t["h_indicator"]]
    for pt in PARK_TYPES:
        label = _type_label(settings, pt, lang) + (t["applied"] if pt == ptype else "")
        header += [f"{label} {t['h_weight']}", f"{label} {t['h_ideal']}"]
    names = _indicator_labels(settings, lang)
    rows = []
    for i in INDICATORS:
        cells = [names.get(i, {}).get("label", i)]
        for pt in PARK_TYPES:
            w = by_key.loc[f"park_types.{pt}.weights.{i}"]
            ideal = by_key.loc[f"park_types.{pt}.ideals.{i}"]
            cells.append(f"{float(w['value']):g}" + ("" if w["is_default"] else " *"))
            cells.append(_indicator_value(i, ideal["value"], lang) + ("" if ideal["is_default"] else " *"))
        rows.append(cells)
    _table(c.doc, header, rows, widths_cm=[4.4, 2.6, 3.2, 2.6, 3.2], size_pt=9)


def _section_notes(c: _Ctx) -> None:
    t = c.t
    c.doc.add_heading(t["s_notes"], level=1)
    notes = c.row.get("notes")
    park_notes = [words.render(n, c.lang) for n in (notes if isinstance(notes, list) else [])]
    if c.attr("boundary_source").casefold() == "illustrative":
        park_notes.append(t["boundary_illustrative"])
    global_notes = [words.render(n, c.lang) for n in c.ev.notes]
    for head, items in ((t["notes_park"], park_notes), (t["notes_global"], global_notes)):
        c.para(head + (_sentence(items, c.lang) if items else t["notes_none"]))


def park_report_docx(
    ev: Evaluation,
    park_id: str,
    *,
    parks: gpd.GeoDataFrame | pd.DataFrame,
    lang: str = "zh",
    prepared_by: str = "",
    generated_at: datetime | None = None,
) -> bytes:
    """
    The evaluation report of one park as a Word document.

    Parameters
    ----------
    ev
        From :func:`geo.evaluation.evaluate_parks`.
    park_id
        The park reported on.
    parks
        The parks layer: polygons for the map, ``city``, ``leading_industries``,
        ``boundary_source`` (used when present).
    lang
        ``zh`` (default) or ``en``.
    prepared_by
        Name of the preparer, printed in the footer.
    generated_at
        Generation time printed in the footer (now when None).

    Returns
    -------
    docx
        The ``.docx`` file's bytes (name it with :func:`report_filename`).

    Raises
    ------
    ReportError
        Unknown ``park_id`` or language.
    """
    _check_lang(lang)
    t = _T[lang]
    row = _park_row(ev, park_id)
    pid = str(row["park_id"])
    generated_at = generated_at or datetime.now()
    park_attrs = pd.Series(dtype=object)
    if isinstance(parks, pd.DataFrame) and "park_id" in parks:
        hit = parks[(parks["park_id"].astype("string").str.strip() == pid).fillna(False).astype(bool)]
        if len(hit):
            park_attrs = hit.iloc[0]
    c = _Ctx(doc=_new_document(lang), ev=ev, row=row, park_attrs=park_attrs, lang=lang, name="",
             as_of=pd.Timestamp(ev.as_of).date().isoformat())
    name_zh, name_en = c.attr("name_zh"), c.attr("name_en")
    c.name = (name_zh or name_en or pid) if lang == "zh" else (name_en or name_zh or pid)
    title = t["title"].format(name=c.name, date=c.as_of)
    c.doc.core_properties.title = title
    c.doc.core_properties.author = prepared_by.strip() or PRODUCT_NAME[lang]
    c.doc.core_properties.created = generated_at
    c.doc.add_heading(title, level=0)
    _section_basic(c)
    _section_map(c, parks)
    _section_areas(c)
    _section_indicators(c)
    _section_result(c)
    _section_potential(c)
    _section_settings(c)
    _section_notes(c)
    _footer(c.doc, t, generated_at=generated_at, prepared_by=prepared_by, lang=lang)
    buf = io.BytesIO()
    c.doc.save(buf)
    return buf.getvalue()


def _setting_text(key: str, value: Any, settings: dict, lang: str) -> str:
    """A setting's value in words."""
    if value is None:
        return NA_CELL
    if key in ("park_type_cutoff_industrial_share", "min_weight_share_for_score"):
        return _pct(value)
    if key == "park_type_if_unknown":
        return _type_label(settings, str(value), lang)
    if key in ("missing_indicator", "unbuilt_basis", "rank_method"):
        return _CHOICE_TEXT[lang].get(str(value), str(value))
    if key == "supply_window_years":
        return f"{value:g} {_UNITS[lang]['year']}" if isinstance(value, (int, float)) else str(value)
    if key == "far_industrial_double_count_over_8m":
        return _T[lang]["yes"] if value else _T[lang]["no"]
    if key == "reverse_indicators":
        names = _indicator_labels(settings, lang)
        return ("、" if lang == "zh" else ", ").join(names.get(i, {}).get("label", i) for i in value) or NA_CELL
    if key == "industrial_land_uses":
        return ("、" if lang == "zh" else ", ").join(words.label("land_use", v, lang) for v in value)
    return str(value)
