"""
园区对比: the park evaluation (TD/T 1029, ``geo.evaluation``) of picked parks side by side.

Indicator table with the 2019 national averages as a reference row, bar and radar
charts, a choropleth of parks by any indicator, the ranking, the parcels behind a
figure, Excel export and the yearly evaluation report (``reports.park_report``).
The evaluation is fed exactly as ``python -m geo evaluate --review …`` feeds it:
the workspace's parcels as read, the review store joined (decisions and disposal
stages), the parks of ``data/parks.geojson``, the sidebar's as-of date.
"""

from __future__ import annotations

import io
import json
import math

import altair as alt
import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
import yaml
from streamlit_folium import st_folium

import layers
import words
from geo import workspace
from geo.evaluation import (
    INDICATORS,
    Evaluation,
    EvaluationError,
    evaluate_parks,
    evaluation_settings,
    headers_zh,
    labels,
    parcels_behind,
)
from views import common, display
from views.i18n import lang, t

#: Indicators that are fractions of land (shown as %); the others carry their unit or are FARs.
PERCENT_INDICATORS: frozenset[str] = frozenset({
    "development_rate", "supply_rate", "builtup_rate", "industrial_share", "building_density",
    "building_coef_industrial", "idle_disposal_rate", "unbuilt_share",
})
REFERENCE_ID = "national_average_2019"
LEVEL_EN = {"national": "National", "regional": "Region-level"}

#: Per figure: (numerator, denominator), each (column of ``Evaluation.table``, column of
#: ``Evaluation.parcels`` summed over the parcels behind it — None for park attributes, unit).
FIGURE_PARTS: dict[str, tuple[tuple[str, str | None, str], tuple[str, str | None, str] | None]] = {
    "development_rate": (("supply_ready_ha", None, "ha"), ("developable_ha", None, "ha")),
    "supply_rate": (("supplied_ha", "area_ha", "ha"), ("supply_ready_ha", None, "ha")),
    "builtup_rate": (("builtup_ha", "area_ha", "ha"), ("supplied_ha", "area_ha", "ha")),
    "industrial_share": (("builtup_industrial_ha", "area_ha", "ha"), ("builtup_ha", "area_ha", "ha")),
    "far_overall": (("floor_area_builtup_m2", "floor_area_far_m2", "m2"), ("builtup_ha", "area_ha", "ha")),
    "building_density": (("footprint_builtup_m2", "footprint_m2", "m2"), ("builtup_ha", "area_ha", "ha")),
    "far_industrial": (("floor_area_industrial_m2", "floor_area_far_industrial_m2", "m2"),
                       ("builtup_industrial_ha", "area_ha", "ha")),
    "building_coef_industrial": (("footprint_industrial_m2", "footprint_m2", "m2"),
                                 ("builtup_industrial_ha", "area_ha", "ha")),
    "invest_wan_per_ha": (("invest_industrial_wan", "investment_wan", "wan"), ("builtup_industrial_ha", "area_ha", "ha")),
    "tax_industrial_wan_per_ha": (("tax_industrial_wan", "tax_wan", "wan"), ("builtup_industrial_ha", "area_ha", "ha")),
    "tax_overall_wan_per_ha": (("tax_overall_wan", "tax_wan", "wan"), ("builtup_ha", "area_ha", "ha")),
    "idle_disposal_rate": (("idle_disposed_ha", "area_ha", "ha"), ("idle_ha", "area_ha", "ha")),
    "unbuilt_share": (("unbuilt_ha", "area_ha", "ha"), ("developable_ha", None, "ha")),
    "years_of_supply_left": (("supplied_ha", "area_ha", "ha"), ("recent_supplied_ha", "area_ha", "ha")),
    "idle_ha": (("idle_ha", "area_ha", "ha"), None),
    "unbuilt_ha": (("unbuilt_ha", "area_ha", "ha"), None),
    "inefficient_ha": (("inefficient_ha", "area_ha", "ha"), None),
}
#: Area figures summed with ``min_count=0`` in the evaluation (no parcel → 0 ha, not unknown).
_AREA_COLUMNS = frozenset({"area_ha"})
BEHIND_COLUMNS = ("parcel_id", "land_use", "holder", "area_ha", "supply_date", "completion_date", "floor_area_m2",
                  "footprint_m2", "investment_wan", "tax_wan", "idle_status", "disposal_status")

TEXT = {
    "zh": {
        "pick": "选择园区（至少两个）", "need_two": "请至少选择两个园区进行对比。",
        "table": "评价指标对比", "reference": "全国2019年均值", "park": "园区", "park_id": "园区编号",
        "level": "级别", "park_type": "园区类型", "score": "评价分值(分)", "rank": "总排名",
        "rank_in_level": "同级别排名", "n_parcels": "宗地数",
        "bar": "指标柱状图", "bar_pick": "柱状图指标", "radar": "标准化分值雷达图（0-100分）",
        "radar_note": "无数据的指标按 0 分绘制：{items}",
        "map": "园区指标分级图", "map_pick": "地图指标", "map_all": "显示全部园区",
        "ranking": "园区排名（全部园区）", "behind": "查看指标背后的宗地",
        "behind_park": "园区", "behind_figure": "指标", "behind_part": "分子/分母",
        "numerator": "分子", "denominator": "分母", "behind_attr": "该项为园区属性（{col}），不由宗地汇总：{value}",
        "behind_sum": "{n} 宗，合计 {value}；评价表中为 {table}", "behind_mismatch": "与评价表不一致，请检查数据",
        "downloads": "导出与报告", "excel": "导出 Excel（评价表、参数、全国均值）",
        "report_park": "评价报告园区", "report": "下载评价报告（Word）",
        "settings": "评价参数", "settings_upload": "上传参数文件（YAML，覆盖默认值）",
        "settings_bad": "参数文件无法使用：{err}；已改用默认参数。",
        "settings_used": "本次评价使用的参数（“默认”列为本系统默认值，均为可配置的默认值）",
        "notes": "评价说明", "published": "全国国家级开发区2019年平均分值（公布）{pub:.2f} 分；按本系统参数计算为 {calc:.2f} 分。",
        "value": "数值", "series": "园区", "indicator": "指标", "std": "标准化分值",
        "key": "参数", "setting_value": "取值", "default": "默认值", "is_default": "是否默认",
        "ha": "公顷", "m2": "平方米", "wan": "万元",
    },
    "en": {
        "pick": "Parks (two or more)", "need_two": "Pick at least two parks to compare.",
        "table": "Indicators side by side", "reference": "National average 2019", "park": "Park",
        "park_id": "Park id", "level": "Level", "park_type": "Park type", "score": "Score (points)",
        "rank": "Rank", "rank_in_level": "Rank in level", "n_parcels": "Parcels",
        "bar": "Bar chart", "bar_pick": "Indicator (bars)", "radar": "Standardised scores (0-100)",
        "radar_note": "Indicators without data are drawn at 0: {items}",
        "map": "Parks by indicator", "map_pick": "Indicator (map)", "map_all": "Show all parks",
        "ranking": "Ranking (all parks)", "behind": "Parcels behind a figure",
        "behind_park": "Park", "behind_figure": "Figure", "behind_part": "Part",
        "numerator": "Numerator", "denominator": "Denominator",
        "behind_attr": "A park attribute ({col}), not summed from parcels: {value}",
        "behind_sum": "{n} parcels, total {value}; evaluation table: {table}",
        "behind_mismatch": "differs from the evaluation table: check the data",
        "downloads": "Export and report", "excel": "Export Excel (evaluation, settings, national average)",
        "report_park": "Report for park", "report": "Download evaluation report (Word)",
        "settings": "Evaluation settings", "settings_upload": "Settings file (YAML, overrides the defaults)",
        "settings_bad": "Settings file unusable: {err}; defaults used instead.",
        "settings_used": "Settings used (the 'default' column shows this product's configurable defaults)",
        "notes": "Notes", "published": "Published mean score of national zones 2019: {pub:.2f}; "
                                     "computed with these settings: {calc:.2f}.",
        "value": "Value", "series": "Park", "indicator": "Indicator", "std": "Standardised",
        "key": "Setting", "setting_value": "Value", "default": "Default", "is_default": "Default?",
        "ha": "ha", "m2": "m²", "wan": "万元",
    },
}


def _tx(key: str, **fmt) -> str:
    text = TEXT.get(lang(), TEXT["zh"]).get(key, key)
    return text.format(**fmt) if fmt else text


# --------------------------------------------------------------------------- pure helpers


def indicator_header(ind: str, *, lang: str = "zh", settings: dict | None = None) -> str:
    """Column header of an indicator: its name with the unit (``(%)`` for fractions)."""
    if ind == "score":
        return TEXT[lang]["score"]
    spec = labels(lang, settings=settings).get(ind, {"label": ind, "unit": ""})
    unit = "%" if ind in PERCENT_INDICATORS else spec["unit"]
    return f"{spec['label']}({unit})" if unit else spec["label"]


def _names(table: pd.DataFrame, lang: str) -> pd.Series:
    col = "name_en" if lang == "en" and "name_en" in table else "name_zh"
    return table[col].astype("string").fillna(table["park_id"].astype("string")) if col in table else table["park_id"]


def _level_label(level: pd.Series, lang: str) -> pd.Series:
    return level.map(words.labels("park_level", lang)).astype("string")


def _type_label(park_type: pd.Series, settings: dict, lang: str) -> pd.Series:
    names = {p: spec.get(f"label_{lang}", p) for p, spec in settings["park_types"].items()}
    return park_type.map(names).astype("string")


def _rows(table: pd.DataFrame, park_ids) -> pd.DataFrame:
    """Rows of the evaluation table for ``park_ids``, in that order (unknown ids skipped)."""
    pos = pd.Index(table["park_id"].astype(str))
    keep = [pos.get_loc(str(p)) for p in park_ids if str(p) in pos]
    return table.iloc[keep]


def indicator_table(ev: Evaluation, park_ids, *, lang: str = "zh") -> pd.DataFrame:
    """
    The comparison table: one row per picked park and the 2019 national-average row.

    Returns
    -------
    table
        ``park_id``, ``name``, ``level``, ``park_type`` (display labels), the
        :data:`INDICATORS` (fractions, as in the evaluation), ``score``, ``rank``,
        ``rank_in_level``. The reference row has ``park_id`` =
        :data:`REFERENCE_ID`, its computed score and no ranks.
    """
    rows = _rows(pd.DataFrame(ev.table), park_ids)
    out = pd.DataFrame({
        "park_id": rows["park_id"].astype("string"),
        "name": _names(rows, lang),
        "level": _level_label(rows["level"], lang),
        "park_type": _type_label(rows["park_type"], ev.settings, lang),
    })
    for ind in (*INDICATORS, "score"):
        out[ind] = rows[ind].astype(float)
    out["rank"] = rows["rank"].astype("Int64")
    out["rank_in_level"] = rows["rank_in_level"].astype("Int64")
    ref = ev.reference.iloc[0]
    ref_row = {"park_id": REFERENCE_ID, "name": TEXT[lang]["reference"], "level": _level_label(pd.Series(["national"]), lang)[0],
               "park_type": _type_label(pd.Series([ref["park_type"]]), ev.settings, lang)[0],
               **{ind: float(ref[ind]) for ind in (*INDICATORS, "score")}, "rank": pd.NA, "rank_in_level": pd.NA}
    ref_frame = pd.DataFrame([ref_row]).astype({"rank": "Int64", "rank_in_level": "Int64"})
    return pd.concat([out, ref_frame], ignore_index=True)


def indicator_headers(*, lang: str = "zh", settings: dict | None = None) -> dict[str, str]:
    """Display headers of :func:`indicator_table`'s columns."""
    tx = TEXT[lang]
    return {"park_id": tx["park_id"], "name": tx["park"], "level": tx["level"], "park_type": tx["park_type"],
            **{ind: indicator_header(ind, lang=lang, settings=settings) for ind in INDICATORS},
            "score": tx["score"], "rank": tx["rank"], "rank_in_level": tx["rank_in_level"]}


def column_config(headers: dict[str, str]) -> dict:
    """Number formats: % for fractions, 2 decimals otherwise, integers for ranks."""
    cfg = {}
    for col, head in headers.items():
        if col in PERCENT_INDICATORS:
            cfg[head] = st.column_config.NumberColumn(format="percent")
        elif col in ("rank", "rank_in_level", "n_parcels"):
            cfg[head] = st.column_config.NumberColumn(format="%d")
        elif col in (*INDICATORS, "score"):
            cfg[head] = st.column_config.NumberColumn(format="%.2f")
    return cfg


def display_kinds(headers: dict[str, str]) -> dict[str, str]:
    """``views.display`` kinds of the displayed columns: % for fractions, 2 decimals, integers for ranks."""
    kinds = {}
    for col, head in headers.items():
        if col in PERCENT_INDICATORS:
            kinds[head] = "pct2"  # as the national averages are published: 89.46%
        elif col in ("rank", "rank_in_level", "n_parcels"):
            kinds[head] = "int"
        elif col in (*INDICATORS, "score"):
            kinds[head] = "num"
    return kinds


def short_names(names: pd.Series) -> pd.Series:
    """Park names without the shared suffix, for chart axes (南宁高新技术产业开发区 → 南宁)."""
    return (names.astype(str).str.replace("高新技术产业开发区", "", regex=False)
            .str.replace(r"\s*Hi-?tech Industrial Development Zone$", "", regex=True, case=False))


def display_value(ind: str, value: pd.Series | float):
    """On-screen number: fractions × 100 (as %), the rest unchanged."""
    return value * 100.0 if ind in PERCENT_INDICATORS else value


def bar_frame(ev: Evaluation, park_ids, figure: str, *, lang: str = "zh") -> tuple[pd.DataFrame, float]:
    """``(bars, reference)``: per picked park ``name`` and ``value`` (on-screen units); the national value or NaN."""
    rows = _rows(pd.DataFrame(ev.table), park_ids)
    bars = pd.DataFrame({"name": _names(rows, lang).astype(str).to_numpy(),
                         "value": display_value(figure, rows[figure].astype(float)).to_numpy()})
    ref = float(ev.reference.iloc[0].get(figure, np.nan))
    return bars, float(display_value(figure, ref))


def radar_frame(ev: Evaluation, park_ids, *, lang: str = "zh", include_reference: bool = True) -> pd.DataFrame:
    """
    Points of the radar chart: standardised scores (0-100) on spokes, as x/y.

    Spoke ``i`` of ``n`` points at angle ``2πi/n`` clockwise from north; a score ``r``
    sits at ``x = r·sin θ``, ``y = r·cos θ``. Each series repeats its first point
    (``order = n``) so its line closes. Missing scores are drawn at 0 (``missing``).

    Returns
    -------
    points
        ``series``, ``indicator``, ``label``, ``std``, ``missing``, ``angle_rad``,
        ``x``, ``y``, ``order``.
    """
    rows = _rows(pd.DataFrame(ev.table), park_ids)
    names = labels(lang, settings=ev.settings)
    series = [(str(n), rows.iloc[i]) for i, n in enumerate(_names(rows, lang))]
    if include_reference:
        series.append((TEXT[lang]["reference"], ev.reference.iloc[0]))
    n = len(INDICATORS)
    frames = []
    for name, row in series:
        std = pd.Series([float(row.get(f"std_{ind}", np.nan)) for ind in INDICATORS])
        idx = np.r_[np.arange(n), 0]
        angle = 2 * math.pi * idx / n
        r = std.fillna(0.0).to_numpy()[idx]
        frames.append(pd.DataFrame({
            "series": name,
            "indicator": [INDICATORS[i] for i in idx],
            "label": [names[INDICATORS[i]]["label"] for i in idx],
            "std": std.to_numpy()[idx],
            "missing": std.isna().to_numpy()[idx],
            "angle_rad": angle,
            "x": r * np.sin(angle),
            "y": r * np.cos(angle),
            "order": np.arange(n + 1),
        }))
    return pd.concat(frames, ignore_index=True)


def radar_chart(points: pd.DataFrame, *, lang: str = "zh", size_px: int = 460) -> alt.LayerChart:
    """Radar chart: grid rings at 25/50/75/100, spokes with labels, one closed line per series."""
    n = len(INDICATORS)
    angle = 2 * math.pi * np.arange(n + 1) / n
    rings = pd.DataFrame([{"ring": r, "order": i, "x": r * math.sin(a), "y": r * math.cos(a)}
                          for r in (25, 50, 75, 100) for i, a in enumerate(angle)])
    spoke_labels = points.drop_duplicates("indicator")[["indicator", "label", "angle_rad"]]
    spokes = spoke_labels.assign(x0=0.0, y0=0.0, x=100 * np.sin(spoke_labels["angle_rad"]),
                                 y=100 * np.cos(spoke_labels["angle_rad"]),
                                 lx=118 * np.sin(spoke_labels["angle_rad"]), ly=118 * np.cos(spoke_labels["angle_rad"]))
    scale = alt.Scale(domain=[-140, 140], nice=False)
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    tx = TEXT[lang]
    grid = alt.Chart(rings).mark_line(color="#cccccc", strokeWidth=0.8).encode(x=x, y=y, detail="ring:N", order="order:Q")
    rules = alt.Chart(spokes).mark_rule(color="#cccccc", strokeWidth=0.8).encode(
        x=alt.X("x0:Q", scale=scale, axis=None), y=alt.Y("y0:Q", scale=scale, axis=None), x2="x:Q", y2="y:Q")
    text = alt.Chart(spokes).mark_text(fontSize=10, color="#444444").encode(
        x=alt.X("lx:Q", scale=scale, axis=None), y=alt.Y("ly:Q", scale=scale, axis=None), text="label:N")
    color = alt.Color("series:N", title=tx["series"], legend=alt.Legend(orient="bottom", columns=2))
    tooltip = [alt.Tooltip("series:N", title=tx["series"]), alt.Tooltip("label:N", title=tx["indicator"]),
               alt.Tooltip("std:Q", title=tx["std"], format=".1f")]
    lines = alt.Chart(points).mark_line(strokeWidth=2).encode(x=x, y=y, color=color, order="order:Q", detail="series:N")
    dots = alt.Chart(points[points["order"] < n]).mark_point(filled=True, size=30).encode(
        x=x, y=y, color=color, tooltip=tooltip)
    return alt.layer(grid, rules, text, lines, dots).properties(width=size_px, height=size_px)


def ranking_table(ev: Evaluation, *, lang: str = "zh", picked=()) -> pd.DataFrame:
    """All parks by rank: ``rank``, ``park_id``, ``name``, ``level``, ``park_type``, ``score``, ``rank_in_level``, ``n_parcels``, ``picked``."""
    tb = pd.DataFrame(ev.table)
    out = pd.DataFrame({
        "rank": tb["rank"].astype("Int64"),
        "park_id": tb["park_id"].astype("string"),
        "name": _names(tb, lang),
        "level": _level_label(tb["level"], lang),
        "park_type": _type_label(tb["park_type"], ev.settings, lang),
        "score": tb["score"].astype(float),
        "rank_in_level": tb["rank_in_level"].astype("Int64"),
        "n_parcels": tb["n_parcels"].astype(int),
        "picked": tb["park_id"].astype(str).isin([str(p) for p in picked]),
    })
    return out.sort_values(["rank", "park_id"], na_position="last", kind="stable").reset_index(drop=True)


def figure_breakdown(ev: Evaluation, park_id, figure: str) -> pd.DataFrame:
    """
    The numerator and denominator of one park's figure, from the table and re-summed from parcels.

    Returns
    -------
    parts
        One row per part: ``part``, ``column`` (of ``ev.table``), ``unit``,
        ``table_value``, ``parcel_column`` (None: a park attribute), ``parcel_sum``,
        ``n_parcels``, ``matches`` (equal within 1e-6 relative, both unknown, or an
        attribute).
    """
    if figure not in FIGURE_PARTS:
        raise EvaluationError(f"unknown figure {figure!r}; known: {', '.join(FIGURE_PARTS)}")
    row = _rows(pd.DataFrame(ev.table), [park_id])
    if row.empty:
        raise EvaluationError(f"park {park_id!r} is not in the evaluation")
    row = row.iloc[0]
    out = []
    for part, spec in zip(("numerator", "denominator"), FIGURE_PARTS[figure], strict=True):
        if spec is None:
            continue
        column, parcel_col, unit = spec
        table_value = float(row[column]) if pd.notna(row[column]) else np.nan
        rows = parcels_behind(ev, park_id, figure, part=part)
        if figure == "unbuilt_share" and part == "numerator" and ev.settings["unbuilt_basis"] != "supplied":
            parcel_col = None  # supply_ready_ha − builtup_ha: a park attribute minus parcels
        if parcel_col is None:
            out.append({"part": part, "column": column, "unit": unit, "table_value": table_value,
                        "parcel_column": None, "parcel_sum": np.nan, "n_parcels": 0, "matches": True})
            continue
        values = pd.to_numeric(rows[parcel_col], errors="coerce") if parcel_col in rows else pd.Series(dtype=float)
        total = float(values.sum(min_count=0 if parcel_col in _AREA_COLUMNS else 1))
        no_parcels = int(row["n_parcels"]) == 0
        matches = bool(
            (math.isnan(table_value) and (math.isnan(total) or no_parcels or len(rows) == 0))
            or (not math.isnan(table_value) and not math.isnan(total)
                and math.isclose(table_value, total, rel_tol=1e-6, abs_tol=1e-9))
        )
        out.append({"part": part, "column": column, "unit": unit, "table_value": table_value,
                    "parcel_column": parcel_col, "parcel_sum": total, "n_parcels": len(rows), "matches": matches})
    return pd.DataFrame(out)


def behind_rows(ev: Evaluation, park_id, figure: str, part: str, *, lang: str = "zh") -> pd.DataFrame:
    """The parcels behind a figure's part, display columns only (land use in Chinese for zh)."""
    rows = parcels_behind(ev, park_id, figure, part=part)
    cols = [c for c in BEHIND_COLUMNS if c in rows.columns]
    out = pd.DataFrame(rows[cols]).reset_index(drop=True)
    if lang == "zh" and "land_use" in out:
        out["land_use"] = out["land_use"].map(lambda v: words.label("land_use", v, lang), na_action="ignore")
    if "idle_status" in out:
        out["idle_status"] = out["idle_status"].map(lambda v: words.label("idle_status", v, lang), na_action="ignore")
    return out


def export_tables(ev: Evaluation, park_ids, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """
    Sheets of the Excel export: ``evaluation`` (the picked parks' full rows plus the
    reference row, Chinese headers for zh), ``settings`` (every setting and its
    default) and ``reference`` (the national averages, scored).
    """
    from reports import settings_rows

    table = pd.DataFrame(ev.table)
    table = table.drop(columns=[c for c in table.columns if c == "geometry"])
    rows = _rows(table, park_ids)
    ref = ev.reference.copy()
    ref["name_zh"] = TEXT["zh"]["reference"]
    ref["name_en"] = TEXT["en"]["reference"]
    evaluation = pd.concat([rows, ref[[c for c in ref.columns if c in rows.columns]]], ignore_index=True)
    for col in ("rank", "rank_in_level"):
        evaluation[col] = evaluation[col].astype("Int64")
    settings = settings_rows(ev.settings)
    settings["value"] = settings["value"].map(_cell)
    settings["default"] = settings["default"].map(_cell)
    reference = ev.reference.copy()
    if lang == "zh":
        evaluation = evaluation.rename(columns=headers_zh(evaluation.columns, settings=ev.settings))
        reference = reference.rename(columns=headers_zh(reference.columns, settings=ev.settings)
                                     | {"published_score": "公布平均分值", "source": "来源"})
        settings = settings.rename(columns={"key": TEXT["zh"]["key"], "value": TEXT["zh"]["setting_value"],
                                            "default": TEXT["zh"]["default"], "is_default": TEXT["zh"]["is_default"]})
    return {"evaluation": evaluation, "settings": settings, "reference": reference}


def _cell(v) -> str:
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(v, ensure_ascii=False)
    return "" if v is None else str(v)


def excel_bytes(ev: Evaluation, park_ids, *, lang: str = "zh") -> bytes:
    """The Excel export (see :func:`export_tables`) as ``.xlsx`` bytes."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, frame in export_tables(ev, park_ids, lang=lang).items():
            frame.to_excel(xw, sheet_name=name, index=False)
    return buf.getvalue()


def parse_settings(text: str | bytes | None) -> dict | None:
    """A YAML settings override → resolved settings (EvaluationError when unusable); None → defaults."""
    if not text:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise EvaluationError(f"not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise EvaluationError("the YAML must be a map of settings (e.g. park_type_cutoff_industrial_share: 0.3)")
    return evaluation_settings(data)


# --------------------------------------------------------------------------- cached computation


@st.cache_data(show_spinner=False, max_entries=8)
def _evaluate(path: str, mtime: float, parks_mtime: float, as_of_iso: str, settings_json: str,
              review_state: pd.DataFrame, _parcels: gpd.GeoDataFrame) -> Evaluation:
    # Same input as `python -m geo evaluate --review`: parcels as read, review store joined.
    parcels = workspace.join_review(_parcels, review_state)
    settings = json.loads(settings_json) if settings_json else None
    return evaluate_parks(common.parks(), parcels, as_of=as_of_iso, settings=settings)


def page_evaluation(settings: dict | None = None) -> Evaluation | None:
    """The evaluation of every park as of the sidebar date (None with a message when no data)."""
    loaded = common.loaded_parcels()
    if loaded is None:
        return None
    gdf, problems, crs_note = loaded
    common.show_problems(problems, crs_note)
    ws = common.current_workspace()
    path = ws.parcels_path
    review = ws.review_store().current()
    settings_json = json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str) if settings else ""
    mtime = path.stat().st_mtime
    parks_mtime = common.DEFAULT_PARKS.stat().st_mtime if common.DEFAULT_PARKS.exists() else 0.0
    with st.spinner("…"):
        return _evaluate(str(path), mtime, parks_mtime, common.as_of().isoformat(), settings_json, review, gdf)


# --------------------------------------------------------------------------- page


def _settings_panel() -> dict | None:
    with st.expander(_tx("settings")):
        upload = st.file_uploader(_tx("settings_upload"), type=["yaml", "yml"], key="cmp_settings_file")
    if upload is None:
        return None
    try:
        return parse_settings(upload.getvalue())
    except EvaluationError as exc:
        st.error(_tx("settings_bad", err=str(exc)))
        return None


def _bound(fn):
    """Evaluate a language-dependent label function now: a widget's format_func must not read state later."""
    cache: dict = {}

    def label(value):
        if value not in cache:
            cache[value] = fn(value)
        return cache[value]

    return label


def _figure_label(ev: Evaluation, figure: str) -> str:
    if figure == "score":
        return _tx("score")
    names = labels(lang(), settings=ev.settings)
    if figure in names:
        return indicator_header(figure, lang=lang(), settings=ev.settings)
    return headers_zh([figure], settings=ev.settings)[figure] if lang() == "zh" else figure


def _bar_section(ev: Evaluation, picked: list[str]) -> None:
    figure = st.selectbox(_tx("bar_pick"), [*INDICATORS, "score"], key=common.lkey("cmp_bar_ind"),
                          format_func=_bound(lambda f: _figure_label(ev, f)))
    bars, ref = bar_frame(ev, picked, figure, lang=lang())
    title = _figure_label(ev, figure)
    bars = bars.assign(short=short_names(bars["name"]))
    chart = alt.Chart(bars).mark_bar().encode(
        x=alt.X("short:N", title=_tx("park"), sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=title),
        tooltip=[alt.Tooltip("name:N", title=_tx("park")), alt.Tooltip("value:Q", title=title, format=",.2f")],
    )
    if not math.isnan(ref):
        rule = alt.Chart(pd.DataFrame({"value": [ref], "label": [_tx("reference")]})).mark_rule(
            color="#d62728", strokeDash=[6, 3]).encode(y="value:Q", tooltip=["label:N", alt.Tooltip("value:Q", format=",.2f")])
        chart = chart + rule
        st.caption(f"{_tx('reference')}：{ref:,.2f}（红色虚线）" if lang() == "zh"
                   else f"{_tx('reference')}: {ref:,.2f} (red dashed line)")
    st.altair_chart(chart, width="stretch")


def _map_section(ev: Evaluation, picked: list[str]) -> None:
    c1, c2 = st.columns([3, 1])
    figure = c1.selectbox(_tx("map_pick"), ["score", *INDICATORS], key=common.lkey("cmp_map_ind"),
                          format_func=_bound(lambda f: _figure_label(ev, f)))
    show_all = c2.checkbox(_tx("map_all"), key="cmp_map_all")
    table = ev.table
    if not isinstance(table, gpd.GeoDataFrame):
        return
    gdf = table if show_all else table[table["park_id"].astype(str).isin(picked)]
    label = _figure_label(ev, figure)
    shown = gdf.assign(
        name=_names(gdf, lang()).astype(str),
        map_value=display_value(figure, gdf[figure].astype(float)).round(2),
        score_shown=gdf["score"].astype(float).round(2),
    )[["park_id", "name", "map_value", "score_shown", "geometry"]]
    n_values = int(shown["map_value"].notna().sum())
    try:
        m = layers.choropleth(
            shown, "map_value", bins=max(1, min(5, n_values)), id_col="park_id", label=label, point_markers=True,
            tooltip_fields={"name": _tx("park"), "map_value": label, "score_shown": _tx("score")},
            basemap=st.session_state.get("basemap", "none"),
            tianditu_key=st.session_state.get("tianditu_tk") or None, lang=lang(),
        )
    except ValueError as exc:  # e.g. Tianditu without a key: draw without tiles
        st.error(str(exc))
        m = layers.choropleth(shown, "map_value", bins=max(1, min(5, n_values)), id_col="park_id", label=label,
                              point_markers=True,
                              tooltip_fields={"name": _tx("park"), "map_value": label}, lang=lang())
    st_folium(m, height=480, returned_objects=[], key="cmp_map", use_container_width=True)


def _behind_section(ev: Evaluation, picked: list[str], names: dict[str, str]) -> None:
    with st.expander(_tx("behind")):
        c1, c2, c3 = st.columns([2, 3, 1])
        pid = c1.selectbox(_tx("behind_park"), picked, format_func=lambda p: names.get(p, p),
                           key=common.lkey("cmp_behind_park"))
        figure = c2.selectbox(_tx("behind_figure"), list(FIGURE_PARTS), key=common.lkey("cmp_behind_fig"),
                              format_func=_bound(lambda f: _figure_label(ev, f)))
        parts = figure_breakdown(ev, pid, figure)
        part = c3.radio(_tx("behind_part"), list(parts["part"]), format_func=_bound(_tx),
                        key=common.lkey("cmp_behind_part"))
        info = parts.set_index("part").loc[part]
        unit = _tx(info["unit"])
        if pd.isna(info["parcel_column"]):
            st.info(_tx("behind_attr", col=_figure_label(ev, info["column"]),
                        value=f"{info['table_value']:,.2f} {unit}"))
            return
        msg = _tx("behind_sum", n=int(info["n_parcels"]), value=f"{info['parcel_sum']:,.2f} {unit}",
                  table=f"{info['table_value']:,.2f} {unit}")
        st.caption(msg if info["matches"] else f"{msg} — {_tx('behind_mismatch')}")
        rows = behind_rows(ev, pid, figure, part, lang=lang())
        for col in ("supply_date", "completion_date"):
            if col in rows:
                rows[col] = display.dates_text(rows[col])
        kinds = {"area_ha": "ha", "floor_area_m2": "m2", "footprint_m2": "m2", "investment_wan": "wan", "tax_wan": "wan"}
        shown = common.headers(rows)
        heads = dict(zip(rows.columns, shown.columns, strict=True))
        st.dataframe(display.styled(shown, {heads[c]: k for c, k in kinds.items() if c in heads}),
                     hide_index=True, width="stretch", key="cmp_behind_table")


def _download_section(ev: Evaluation, picked: list[str], names: dict[str, str]) -> None:
    from reports import park_report_docx, report_filename

    st.subheader(_tx("downloads"))
    as_of = common.as_of().isoformat()
    ui_lang = lang()
    c1, c2, c3 = st.columns([2, 2, 2])
    c1.download_button(_tx("excel"), data=lambda: excel_bytes(ev, picked, lang=ui_lang),
                       file_name=f"park_evaluation_{as_of}.xlsx", key="cmp_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    pid = c2.selectbox(_tx("report_park"), picked, format_func=lambda p: names.get(p, p),
                     key=common.lkey("cmp_report_park"))
    parks = common.parks()
    user = st.session_state.get("user", "") or ""
    c3.download_button(_tx("report"), data=lambda: park_report_docx(ev, pid, parks=parks, lang=ui_lang, prepared_by=user),
                       file_name=report_filename(pid, as_of, ui_lang), key="cmp_report",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def render() -> None:
    st.title(t("page_compare"))
    st.caption(f"{t('as_of')}{'：' if lang() == 'zh' else ': '}{common.as_of().isoformat()}")
    settings = _settings_panel()
    try:
        ev = page_evaluation(settings)
    except EvaluationError as exc:
        st.error(str(exc))
        return
    if ev is None:
        return
    table = pd.DataFrame(ev.table)
    ids = table["park_id"].astype(str).tolist()
    names = dict(zip(ids, _names(table, lang()).astype(str), strict=True))
    national = [p for p, lv in zip(ids, table["level"], strict=True) if lv == "national"]
    picked = st.multiselect(_tx("pick"), ids, format_func=lambda p: names.get(p, p),
                            key=common.lkey("cmp_parks", national or ids[:2]))
    if ev.notes:
        with st.expander(_tx("notes")):
            for note in ev.notes:
                st.markdown(f"- {note}")
    if len(picked) < 2:
        st.info(_tx("need_two"))
        return

    st.subheader(_tx("table"))
    shown = indicator_table(ev, picked, lang=lang())
    heads = indicator_headers(lang=lang(), settings=ev.settings)
    st.dataframe(display.styled(shown.rename(columns=heads), display_kinds(heads)), hide_index=True,
                 width="stretch", key="cmp_table")
    ref = ev.reference.iloc[0]
    st.caption(_tx("published", pub=float(ref["published_score"]), calc=float(ref["score"])))

    left, right = st.columns(2)
    with left:
        st.subheader(_tx("bar"))
        _bar_section(ev, picked)
    with right:
        st.subheader(_tx("radar"))
        points = radar_frame(ev, picked, lang=lang())
        # legend entries cut at ~25 characters: "Beihai Hi-tech Industrial …" → "Beihai"
        st.altair_chart(radar_chart(points.assign(series=short_names(points["series"])), lang=lang()))
        missing = points[points["missing"] & (points["order"] < len(INDICATORS))]
        if len(missing):
            items = "；".join(f"{s}: {', '.join(g['label'])}" for s, g in missing.groupby("series", sort=False))
            st.caption(_tx("radar_note", items=items))

    st.subheader(_tx("map"))
    _map_section(ev, picked)

    st.subheader(_tx("ranking"))
    ranking = ranking_table(ev, lang=lang(), picked=picked)
    tx = TEXT[lang()]
    rank_heads = {"rank": tx["rank"], "park_id": tx["park_id"], "name": tx["park"], "level": tx["level"],
                  "park_type": tx["park_type"], "score": tx["score"], "rank_in_level": tx["rank_in_level"],
                  "n_parcels": tx["n_parcels"], "picked": "已选" if lang() == "zh" else "Picked"}
    st.dataframe(display.styled(ranking.rename(columns=rank_heads), display_kinds(rank_heads)), hide_index=True,
                 width="stretch", height=38 + 35 * len(ranking), key="cmp_ranking")

    _behind_section(ev, picked, names)
    _download_section(ev, picked, names)

    with st.expander(_tx("settings_used")):
        from reports import settings_rows

        rows = settings_rows(ev.settings)
        rows = rows.assign(value=rows["value"].map(_cell), default=rows["default"].map(_cell))
        st.dataframe(rows.rename(columns={"key": tx["key"], "value": tx["setting_value"], "default": tx["default"],
                                          "is_default": tx["is_default"]}),
                     hide_index=True, width="stretch", key="cmp_settings_table")


if __name__ == "__main__":
    render()
