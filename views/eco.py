"""
生态化改造: parks by eco-transformation status, the plan's 2020 target tracker and
each park's eco indicators against the HJ 274-2015 thresholds (``geo.eco``).

``targets_section`` is also shown on the overview page (the plan's target figures).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

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
from layers.rendered import frame_key
from reports import tables
from views import common, display, exports, mapview
from views.i18n import lang, t
from words.errors import describe

STATUS_COLORS = {"not_started": "#d62728", "in_progress": "#ff9f0e", "completed": "#2ca02c"}


def _tx(key: str, lg: str | None = None, **fmt) -> str:
    """A string of this page (``ui`` words prefixed ``eco_``) in ``lg`` or the session's language."""
    text = words.label("ui", f"eco_{key}", lg or lang())
    return text.format(**fmt) if fmt else text


def status_labels(lg: str = "zh") -> dict[str, str]:
    """eco_status code → display label."""
    return {c: words.label("eco_status", c, lg) for c in ECO_STATUSES}


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
    out["eco_year_label"] = year.map(lambda y: str(int(y)), na_action="ignore").fillna(words.DASH)
    out["eco_level_label"] = (
        parks["level"].map(lambda v: words.label("park_level", v, lang)).astype(object) if "level" in parks else ""
    )
    return out


def status_map(parks: gpd.GeoDataFrame, *, lang: str = "zh", basemap: str = "none", tianditu_key: str | None = None):
    """Park boundaries coloured by eco status with a legend and a tooltip (name, level, status, year)."""
    frame = status_frame(parks, lang=lang)
    labels = status_labels(lang)
    colors = {labels[s]: STATUS_COLORS[s] for s in ECO_STATUSES}
    return layers.park_map(
        frame, color_by="eco_status_label", colors=colors, basemap=basemap, tianditu_key=tianditu_key, lang=lang,
        tooltip_fields={"name": _tx("name", lang), "eco_level_label": _tx("level", lang),
                        "eco_status_label": _tx("status", lang), "eco_year_label": _tx("year", lang)},
        legend_title=_tx("legend", lang),
    )


def tracker_table(parks: pd.DataFrame, *, as_of_year: int, lang: str = "zh") -> pd.DataFrame:
    """
    The target tracker (``geo.eco.target_tracker``) with display headers: for the plan's
    target year and as of ``as_of_year``; shares stay fractions (shown as %).
    """
    tr = target_tracker(parks, as_of_year=as_of_year)
    target_year = int(tr["target_year"].iloc[0])

    def yes_no(v) -> str:
        return words.yes_no(v, lang)

    out = pd.DataFrame({
        _tx("target", lang): tr["target_id"].map(lambda c: words.label("eco_target", c, lang)),
        _tx("base", lang): tr["base"],
        _tx("target_n", lang): tr["target"],
        _tx("target_share", lang): tr["target_share"],
        _tx("current", lang, year=target_year): tr["current"],
        _tx("current_share", lang, year=target_year): tr["current_share"],
        _tx("gap", lang, year=target_year): tr["gap"],
        _tx("met", lang, year=target_year): tr["met"].map(yes_no),
    })
    if int(as_of_year) != target_year:
        out[_tx("current", lang, year=as_of_year)] = tr["current_as_of"]
        out[_tx("current_share", lang, year=as_of_year)] = tr["share_as_of"]
        out[_tx("gap", lang, year=as_of_year)] = tr["gap_as_of"]
        out[_tx("met", lang, year=as_of_year)] = tr["met_as_of"].map(yes_no)
    out[_tx("note", lang)] = words.render_series(tr["notes"], lang)
    return out


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
        st.error(_tx("data_error_detail", lang, err=common.md_escape(describe(exc, lang))))
        return
    st.dataframe(display.styled(table, _share_kinds(table)), hide_index=True, width="stretch", key=key)
    st.caption(_tx("target_source", lang, src=words.label("source", rules["targets"].get("source_key"), lang)))


def _fmt_value(value: float, unit: str, fraction: bool) -> str:
    if pd.isna(value):
        return words.DASH
    if fraction:
        return f"{value * 100:.1f}%"
    return f"{value:,.2f} {unit}".strip()


def _park_names(parks: pd.DataFrame, lang: str) -> pd.Series:
    """park_id → the park's name in ``lang`` (the other language's, then the id, when missing)."""
    ids = parks["park_id"].astype(str)
    first, second = ("name_en", "name_zh") if lang == "en" else ("name_zh", "name_en")
    names = pd.Series(pd.NA, index=parks.index, dtype=object)
    for col in (first, second):
        if col in parks:
            names = names.where(names.notna(), parks[col])
    return pd.Series(names.to_numpy(), index=ids.to_numpy())


def checks_table(parks: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """
    Per park × indicator: name, indicator (with unit), value and threshold as text
    (``≤ 0.50 吨标准煤/万元``, ``≥ 75.0%``), result (达标/未达标/未提供), source and remark.
    """
    from words.metrics import indicator_unit

    checks = eco_checks(parks)
    unit = checks["indicator"].map(lambda i: "" if indicator_unit(i, lang) == "%" else indicator_unit(i, lang))
    value_text = [_fmt_value(v, u, f) for v, u, f in zip(checks["value"], unit, checks["fraction"], strict=True)]
    thr_text = [("≤ " if d == "max" else "≥ ") + _fmt_value(v, u, f)
                for v, u, f, d in zip(checks["threshold"], unit, checks["fraction"], checks["direction"], strict=True)]
    return pd.DataFrame({
        _tx("name", lang): checks["park_id"].astype(str).map(_park_names(parks, lang)),
        _tx("status", lang): checks["eco_status"].map(status_labels(lang)),
        _tx("indicator", lang): checks["indicator"].map(lambda i: words.label("indicator", i, lang)),
        _tx("value", lang): value_text,
        _tx("threshold", lang): thr_text,
        _tx("result", lang): checks["result"].map(lambda r: words.label("eco_result", r, lang)),
        _tx("source", lang): checks["source"].map(lambda k: words.label("source", k, lang)),
        _tx("verify", lang): words.render_series(checks["notes"], lang),
    })


def summary_table(parks: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """Per park: name, level, status, year, indicators supplied / passed / failed."""
    s = eco_summary(parks)
    frame = status_frame(parks, lang=lang)
    return pd.DataFrame({
        _tx("name", lang): _park_names(parks, lang).to_numpy(),
        _tx("level", lang): frame["eco_level_label"].to_numpy(),
        _tx("status", lang): frame["eco_status_label"].fillna(words.DASH).to_numpy(),
        _tx("year", lang): frame["eco_year_label"].to_numpy(),
        _tx("n_supplied", lang): s["n_supplied"].to_numpy(),
        _tx("n_passed", lang): s["n_passed"].to_numpy(),
        _tx("n_failed", lang): s["n_failed"].to_numpy(),
    })


def excel_bytes(parks: pd.DataFrame, *, as_of_year: int, lang: str = "zh") -> bytes:
    """Workbook with sheets of the checks, the target tracker and the summary, in words."""
    checks = checks_table(parks, lang=lang)
    tracker = tracker_table(parks, as_of_year=as_of_year, lang=lang)
    summary = summary_table(parks, lang=lang)
    # reports.tables writes every text cell as text: a park or note starting with "=" is no formula.
    return tables.xlsx_bytes({_tx("checks", lang)[:31]: checks, _tx("target", lang)[:31]: tracker,
                              _tx("summary", lang)[:31]: summary})


def checks_frame(parks: gpd.GeoDataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """:func:`checks_table` with each park's boundary (for GeoPackage, GeoJSON and Shapefile)."""
    table = checks_table(parks, lang=lang)
    if not isinstance(parks, gpd.GeoDataFrame) or parks.crs is None:
        return table
    shapes = parks.geometry.set_axis(parks["park_id"].astype(str).to_numpy())
    shapes = shapes[~shapes.index.duplicated()]
    ids = eco_checks(parks)["park_id"].astype(str)
    return gpd.GeoDataFrame(table, geometry=shapes.reindex(ids.to_numpy()).to_numpy(), crs=parks.crs)


def render() -> None:
    st.title(t("page_eco"))
    parks = common.parks()
    year = common.as_of().year
    lg = lang()
    st.caption(f"{t('as_of')}{'：' if lang() == 'zh' else ': '}{common.as_of().isoformat()}")

    st.subheader(_tx("map"))
    tk = st.session_state.get("tianditu_tk") or None

    def draw(basemap: str) -> None:
        # Rendered once per (parks as drawn, language, basemap) and shared by every session: a
        # rerun ships a reference to the same map, not the map.
        frame = status_frame(parks, lang=lg)
        drawn = frame_key(frame, [c for c in frame.columns if c != frame.geometry.name])
        mapview.folium_map(lambda: status_map(parks, lang=lg, basemap=basemap, tianditu_key=tk),
                           cache_key=("eco", drawn, lg, basemap, tk), key="eco_map", height=480,
                           returned_objects=[], parks_only=True)

    try:
        draw(st.session_state.get("basemap", "none"))
    except EcoError as exc:  # unknown status, bad year: say so, no map
        st.error(_tx("data_error_detail", lg, err=common.md_escape(describe(exc, lg))))
    except ValueError as exc:  # Tianditu without a key: say so, draw without tiles
        st.error(common.md_escape(describe(exc, lg)))
        draw("none")

    try:
        targets_section(parks, as_of_year=year, lang=lg, key="eco_targets")
        st.subheader(_tx("summary"))
        st.dataframe(summary_table(parks, lang=lg), hide_index=True, width="stretch", key="eco_summary")

        st.subheader(_tx("checks"))
        ids = parks["park_id"].astype(str).tolist()
        names = _park_names(parks, lg).astype(str).to_dict()
        picked = st.multiselect(_tx("pick"), ids, format_func=lambda p: names.get(p, p),
                                key=common.lkey("eco_parks", ids))
        sel = parks[parks["park_id"].astype(str).isin(picked)]
        checks = checks_table(sel, lang=lg)
        result_col = _tx("result", lg)
        colors = {words.label("eco_result", "failed", lg): "color: #d62728",
                  words.label("eco_result", "passed", lg): "color: #2ca02c"}
        styled = checks.style.map(lambda v: colors.get(v, ""), subset=[result_col])
        st.dataframe(styled, hide_index=True, width="stretch", key="eco_checks")
        st.caption(_tx("caveat"))
        exports.export_buttons(lambda: checks_frame(sel, lang=lg), has_geometry=parks.crs is not None,
                               base_name=t("page_eco"), stamp=common.as_of().isoformat(), key="eco_dl",
                               layer="eco_checks", xlsx=lambda: excel_bytes(sel, as_of_year=year, lang=lg))
    except EcoError as exc:
        st.error(_tx("data_error_detail", lg, err=common.md_escape(describe(exc, lg))))


if __name__ == "__main__":
    render()

