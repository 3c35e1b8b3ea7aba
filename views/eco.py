"""
生态化改造: parks by eco-transformation status, the plan's 2020 target tracker and
each park's eco indicators against the HJ 274-2015 thresholds (``geo.eco``).

``targets_section`` is also shown on the overview page (the plan's target figures).
"""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
import words
from geo.eco import (
    ECO_STATUSES,
    EcoError,
    eco_checks,
    eco_rules,
    eco_status,
    eco_summary,
    eco_year,
    target_tracker,
)
from views import common, display
from views.i18n import lang, t

STATUS_COLORS = {"not_started": "#d62728", "in_progress": "#ff9f0e", "completed": "#2ca02c"}
STATUS_EN = {"not_started": "Not started", "in_progress": "In progress", "completed": "Completed"}
LEVEL_EN = {"national": "National", "regional": "Region-level"}
RESULT_LABELS = {
    "zh": {"passed": "达标", "failed": "未达标", "not_supplied": "未提供"},
    "en": {"passed": "Pass", "failed": "Fail", "not_supplied": "Not supplied"},
}

TEXT = {
    "zh": {
        "map": "园区生态化改造状态", "legend": "生态化改造状态", "name": "园区", "level": "级别",
        "status": "改造状态", "year": "完成年份", "tracker": "规划目标跟踪", "targets": "规划目标（{year}年）",
        "target": "目标", "target_year": "目标年份", "base": "基数(个)", "target_n": "目标数(个)",
        "target_share": "目标比例", "current": "{year}年底完成/现有(个)", "current_share": "{year}年底比例",
        "gap": "{year}年底差距(个)", "met": "{year}年底是否达标", "note": "说明",
        "yes": "是", "no": "否", "checks": "各园区指标核查", "indicator": "指标", "value": "园区数值",
        "threshold": "标准值", "result": "核查结果", "source": "依据", "verify": "备注",
        "summary": "各园区核查汇总", "n_supplied": "已提供(项)", "n_passed": "达标(项)", "n_failed": "未达标(项)",
        "pick": "园区", "export": "导出 Excel（核查、目标跟踪、汇总）",
        "caveat": "标准值为 HJ 274-2015 的可配置默认值，使用前请与 DB45/T 1944-2019 核对（geo/rules/eco.yaml）。",
        "target_source": "目标来源：{src}。园区改造状态为“已完成”且完成年份不晚于统计年份的，计为已完成。",
        "no_year": "—",
    },
    "en": {
        "map": "Eco-transformation status of the parks", "legend": "Eco-transformation", "name": "Park",
        "level": "Level", "status": "Status", "year": "Year completed", "tracker": "Target tracker",
        "targets": "Plan targets ({year})", "target": "Target", "target_year": "Target year", "base": "Base (parks)",
        "target_n": "Target (parks)", "target_share": "Target share", "current": "End {year}: count",
        "current_share": "End {year}: share", "gap": "End {year}: gap (parks)", "met": "End {year}: met",
        "note": "Note", "yes": "yes", "no": "no", "checks": "Indicator checks per park", "indicator": "Indicator",
        "value": "Value", "threshold": "Threshold", "result": "Result", "source": "Source", "verify": "Remark",
        "summary": "Checks per park", "n_supplied": "Supplied", "n_passed": "Passed", "n_failed": "Failed",
        "pick": "Parks", "export": "Export Excel (checks, tracker, summary)",
        "caveat": "Thresholds are configurable HJ 274-2015 defaults; verify against DB45/T 1944-2019 "
                  "(geo/rules/eco.yaml).",
        "target_source": "Targets: {src}. A park counts when its status is completed and its year completed ≤ the year counted.",
        "no_year": "—",
    },
}


def _tx(key: str, lg: str | None = None, **fmt) -> str:
    text = TEXT.get(lg or lang(), TEXT["zh"]).get(key, key)
    return text.format(**fmt) if fmt else text


def status_labels(lg: str = "zh") -> dict[str, str]:
    """eco_status code → display label."""
    return words.labels("eco_status", lg)


def status_frame(parks: gpd.GeoDataFrame, *, lang: str = "zh") -> gpd.GeoDataFrame:
    """
    Parks with the map's display columns: ``eco_status`` (codes), ``eco_status_label``,
    ``eco_year_label`` (``2019`` or ``—``) and ``eco_level_label``.
    """
    code = eco_status(parks)
    year = eco_year(parks)
    out = parks.copy()
    out["eco_status"] = code
    out["eco_status_label"] = code.map(status_labels(lang)).astype(object).where(code.notna(), None)
    out["eco_year_label"] = year.map(lambda y: str(int(y)), na_action="ignore").fillna(TEXT[lang]["no_year"])
    levels = words.labels("park_level", lang)
    out["eco_level_label"] = parks["level"].map(levels).fillna(parks["level"]) if "level" in parks else ""
    return out


def status_map(parks: gpd.GeoDataFrame, *, lang: str = "zh", basemap: str = "none", tianditu_key: str | None = None):
    """Park boundaries coloured by eco status with a legend and a tooltip (name, level, status, year)."""
    frame = status_frame(parks, lang=lang)
    labels = status_labels(lang)
    colors = {labels[s]: STATUS_COLORS[s] for s in ECO_STATUSES}
    tx = TEXT[lang]
    return layers.park_map(
        frame, color_by="eco_status_label", colors=colors, basemap=basemap, tianditu_key=tianditu_key, lang=lang,
        tooltip_fields={"name": tx["name"], "eco_level_label": tx["level"], "eco_status_label": tx["status"],
                        "eco_year_label": tx["year"]},
        legend_title=tx["legend"],
    )


def tracker_table(parks: pd.DataFrame, *, as_of_year: int, lang: str = "zh") -> pd.DataFrame:
    """
    The target tracker (``geo.eco.target_tracker``) with display headers: for the plan's
    target year and as of ``as_of_year``; shares stay fractions (shown as %).
    """
    tr = target_tracker(parks, as_of_year=as_of_year)
    target_year = int(tr["target_year"].iloc[0])
    tx = TEXT[lang]
    yes_no = {True: tx["yes"], False: tx["no"]}
    cols = {
        "label": tx["target"],
        "base": tx["base"],
        "target": tx["target_n"],
        "target_share": tx["target_share"],
        "current": tx["current"].format(year=target_year),
        "current_share": tx["current_share"].format(year=target_year),
        "gap": tx["gap"].format(year=target_year),
        "met": tx["met"].format(year=target_year),
    }
    out = pd.DataFrame({
        cols["label"]: tr[f"label_{lang}"],
        cols["base"]: tr["base"],
        cols["target"]: tr["target"],
        cols["target_share"]: tr["target_share"],
        cols["current"]: tr["current"],
        cols["current_share"]: tr["current_share"],
        cols["gap"]: tr["gap"],
        cols["met"]: tr["met"].map(yes_no),
    })
    if int(as_of_year) != target_year:
        out[tx["current"].format(year=as_of_year)] = tr["current_as_of"]
        out[tx["current_share"].format(year=as_of_year)] = tr["share_as_of"]
        out[tx["gap"].format(year=as_of_year)] = tr["gap_as_of"]
        out[tx["met"].format(year=as_of_year)] = tr["met_as_of"].map(yes_no)
    out[tx["note"]] = note_text(tr["note"], lang)
    return out


def note_text(note: pd.Series, lang: str) -> pd.Series:
    """The tracker's and checks' English notes in Chinese for the zh UI."""
    if lang != "zh":
        return note
    text = note.fillna("").astype(str)
    text = text.str.replace(r"(\d+) completed park\(s\) without eco_year not counted",
                            r"\1 个已完成园区缺完成年份，未计入", regex=True)
    text = text.str.replace(r"(\d+) park\(s\) without level", r"\1 个园区缺级别", regex=True)
    text = text.str.replace("count of the parks given", "按所列园区计数", regex=False)
    return text.str.replace(r"^verify against (.+)$", r"需与 \1 核对", regex=True)


def _share_kinds(table: pd.DataFrame) -> dict[str, str]:
    """Share columns shown as %, counts as integers; gaps (no target share) as "—"."""
    kinds = {c: "pct" for c in table.columns if "比例" in c or "share" in c}
    return kinds | {c: "int" for c in table.columns if c not in kinds and pd.api.types.is_numeric_dtype(table[c])}


def targets_section(parks: pd.DataFrame, *, as_of_year: int, lang: str = "zh", key: str = "eco_targets") -> None:
    """The plan's target figures (tracker table and its source); used on this page and the overview."""
    rules = eco_rules()
    year = int(rules["targets"]["target_year"])
    st.subheader(_tx("targets", lang, year=year))
    try:
        table = tracker_table(parks, as_of_year=as_of_year, lang=lang)
    except EcoError as exc:
        st.error(str(exc))
        return
    st.dataframe(display.styled(table, _share_kinds(table)), hide_index=True, width="stretch", key=key)
    st.caption(_tx("target_source", lang, src=rules["targets"].get("source", "")))


def _fmt_value(value: float, unit: str, fraction: bool) -> str:
    if pd.isna(value):
        return "—"
    if fraction:
        return f"{value * 100:.1f}%"
    return f"{value:,.2f} {unit}".strip()


def checks_table(parks: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """
    Per park × indicator: name, indicator (with unit), value and threshold as text
    (``≤ 0.50 吨标煤/万元``, ``≥ 75.0%``), result (达标/未达标/未提供), source and remark.
    """
    rules = eco_rules()
    checks = eco_checks(parks)
    tx = TEXT[lang]
    fraction = checks["indicator"].map({k: bool(v.get("fraction")) for k, v in rules["indicators"].items()})
    names = parks.set_index(parks["park_id"].astype(str))["name_en" if lang == "en" and "name_en" in parks else "name_zh"]
    value_text = [_fmt_value(v, u, f) for v, u, f in zip(checks["value"], checks["unit"], fraction, strict=True)]
    thr_text = [("≤ " if d == "max" else "≥ ") + _fmt_value(v, u, f)
                for v, u, f, d in zip(checks["threshold"], checks["unit"], fraction, checks["direction"], strict=True)]
    return pd.DataFrame({
        tx["name"]: checks["park_id"].astype(str).map(names),
        tx["status"]: checks["eco_status"].map(status_labels(lang)),
        tx["indicator"]: checks[f"label_{lang}"],
        tx["value"]: value_text,
        tx["threshold"]: thr_text,
        tx["result"]: checks["result"].map(RESULT_LABELS[lang]),
        tx["source"]: checks["source"],
        tx["verify"]: note_text(checks["verify"], lang),
    })


def summary_table(parks: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """Per park: name, level, status, year, indicators supplied / passed / failed."""
    s = eco_summary(parks)
    frame = status_frame(parks, lang=lang)
    tx = TEXT[lang]
    return pd.DataFrame({
        tx["name"]: frame["name_en" if lang == "en" and "name_en" in frame else "name_zh"].to_numpy(),
        tx["level"]: frame["eco_level_label"].to_numpy(),
        tx["status"]: frame["eco_status_label"].to_numpy(),
        tx["year"]: frame["eco_year_label"].to_numpy(),
        tx["n_supplied"]: s["n_supplied"].to_numpy(),
        tx["n_passed"]: s["n_passed"].to_numpy(),
        tx["n_failed"]: s["n_failed"].to_numpy(),
    })


def excel_bytes(parks: pd.DataFrame, *, as_of_year: int, lang: str = "zh") -> bytes:
    """Workbook with sheets ``checks`` (raw values and thresholds), ``tracker`` and ``summary``."""
    checks = eco_checks(parks)
    checks = checks.assign(result_label=checks["result"].map(RESULT_LABELS[lang]),
                           passed=checks["passed"].astype(object).where(checks["passed"].notna(), None))
    tracker = target_tracker(parks, as_of_year=as_of_year)
    summary = summary_table(parks, lang=lang)
    if lang == "zh":
        checks = checks.rename(columns={
            "park_id": "园区编号", "name_zh": "园区名称", "eco_status": "改造状态", "eco_year": "完成年份",
            "indicator": "指标代码", "label_zh": "指标", "label_en": "英文名称", "unit": "单位", "value": "园区数值",
            "threshold": "标准值", "direction": "方向(max≤/min≥)", "passed": "是否达标", "result": "结果代码",
            "result_label": "核查结果", "source": "依据", "verify": "备注"})
        tracker = tracker.rename(columns={
            "target_id": "目标代码", "label_zh": "目标", "label_en": "英文名称", "target_year": "目标年份",
            "base": "基数", "target": "目标数", "target_share": "目标比例", "current": "目标年完成数",
            "current_share": "目标年比例", "gap": "目标年差距", "met": "目标年是否达标", "as_of_year": "统计年份",
            "current_as_of": "统计年完成数", "share_as_of": "统计年比例", "gap_as_of": "统计年差距",
            "met_as_of": "统计年是否达标", "note": "说明"})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        checks.to_excel(xw, sheet_name="checks", index=False)
        tracker.to_excel(xw, sheet_name="tracker", index=False)
        summary.to_excel(xw, sheet_name="summary", index=False)
    return buf.getvalue()


def render() -> None:
    st.title(t("page_eco"))
    parks = common.parks()
    year = common.as_of().year
    lg = lang()
    st.caption(f"{t('as_of')}{'：' if lang() == 'zh' else ': '}{common.as_of().isoformat()}")

    st.subheader(_tx("map"))
    try:
        m = status_map(parks, lang=lg, basemap=st.session_state.get("basemap", "none"),
                       tianditu_key=st.session_state.get("tianditu_tk") or None)
    except ValueError as exc:  # Tianditu without a key, unknown status: say so, draw without tiles
        st.error(str(exc))
        m = status_map(parks, lang=lg) if not isinstance(exc, EcoError) else None
    if m is not None:
        st_folium(m, height=480, returned_objects=[], key="eco_map", use_container_width=True)

    try:
        targets_section(parks, as_of_year=year, lang=lg, key="eco_targets")
        st.subheader(_tx("summary"))
        st.dataframe(summary_table(parks, lang=lg), hide_index=True, width="stretch", key="eco_summary")

        st.subheader(_tx("checks"))
        ids = parks["park_id"].astype(str).tolist()
        names = dict(zip(ids, parks["name_zh" if lg == "zh" else "name_en"].astype(str), strict=True))
        picked = st.multiselect(_tx("pick"), ids, format_func=lambda p: names.get(p, p),
                                key=common.lkey("eco_parks", ids))
        sel = parks[parks["park_id"].astype(str).isin(picked)]
        checks = checks_table(sel, lang=lg)
        result_col = TEXT[lg]["result"]
        colors = {RESULT_LABELS[lg]["failed"]: "color: #d62728", RESULT_LABELS[lg]["passed"]: "color: #2ca02c"}
        styled = checks.style.map(lambda v: colors.get(v, ""), subset=[result_col])
        st.dataframe(styled, hide_index=True, width="stretch", key="eco_checks")
        st.caption(_tx("caveat"))
        st.download_button(_tx("export"), data=lambda: excel_bytes(sel, as_of_year=year, lang=lg),
                           file_name=f"eco_{common.as_of().isoformat()}.xlsx", key="eco_xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    except EcoError as exc:
        st.error(str(exc))


if __name__ == "__main__":
    render()

