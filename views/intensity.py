"""用地效率: FAR compliance and 亩均 grades per park, a what-if on the minima, settings, exports.

All analysis comes from ``geo.intensity`` / ``geo.grading``; this module reads the
widgets, caches the results and lays them out. The small pure helpers
(``compliance_class``, ``grade_code``, ``rule_rows``, ``grade_breakdown``,
``totals_table``, ``whatif_counts``, ``settings_rows``) are unit-tested in
``tests/test_page_intensity.py``.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

import layers
import words
from geo.grading import GROUPS, INDICATORS, summarize_grades
from geo.intensity import (
    RULE_IDS,
    load_control_rules,
    rule_table,
    summarize_intensity,
)
from layers.rendered import frame_key
from reports import tables
from views import analysis, auth, common, display, exports, imagery, mapview, pager, runlog
from views.analysis import (
    OUTSIDE,
    SS_CUT,
    SS_GROUP,
    SS_WEIGHT,
    default_grading_state,
)
from views.i18n import lang, t
from words.errors import describe
from words.metrics import indicator_header, indicator_unit

# --------------------------------------------------------------------------- strings

#: This page's words are ``ui`` words of ``words/metrics.py`` prefixed ``int_``.
_UI_KEYS = {"yes": "binding_yes", "no": "binding_no"}


def s(key: str, **fmt) -> str:
    """A string of this page in the session's language."""
    return t("int_" + _UI_KEYS.get(key, key), **fmt)


# --------------------------------------------------------------------------- classes

#: Map classes "by FAR compliance", in legend order.
COMPLIANCE_CLASSES = ("compliant", "far_below", "other_failed", "no_data", "not_checked")
COMPLIANCE_COLORS = {
    "compliant": "#1a9850",
    "far_below": "#d73027",
    "other_failed": "#fc8d59",
    "no_data": "#9e9ac8",
    "not_checked": "#d9d9d9",
}
#: 亩均论英雄 maps colour A 绿, B 蓝, C 黄, D 红 (the county practice in Zhejiang).
GRADE_CODES = ("A", "B", "C", "D", "ungraded")
GRADE_COLORS = {"A": "#1a9850", "B": "#4575b4", "C": "#fee08b", "D": "#d73027", "ungraded": "#d9d9d9"}

TOTAL_ROW = "__total__"  # total row label used by geo's summaries

SS_GROUP_WIDGET = "int_group_widget"  # the radio's own key, per language (common.lkey)


def class_labels(kind: str) -> dict[str, str]:
    """Map class code → label in the session's language (``far``: compliance, else grade)."""
    if kind == "far":
        return {c: words.label("compliance_class", c, lang()) for c in COMPLIANCE_CLASSES}
    return {c: words.label("grade_class", c, lang()) for c in GRADE_CODES}


# --------------------------------------------------------------------------- settings


def _reset_grading() -> None:
    for key in default_grading_state():
        st.session_state.pop(key, None)
    for key in [k for k in st.session_state if str(k).startswith(SS_GROUP_WIDGET)]:
        st.session_state.pop(key, None)


def whatif_overrides(min_far: float, min_coef: float, rule_coef: float) -> tuple[float | None, float | None]:
    """Slider values → ``check_compliance`` overrides; None where the slider is at the rule's own value."""
    far = round(float(min_far), 4)
    coef = round(float(min_coef), 4)
    return (far if far > 0 else None, coef if coef > rule_coef + 1e-9 else None)


# --------------------------------------------------------------------------- pure helpers


def whatif_counts(comp: pd.DataFrame, area_mu: pd.Series, mask=None) -> tuple[int, float]:
    """(inefficient parcels, freed-land potential in 亩) of the rows in ``mask`` (positions, aligned to ``comp``)."""
    # The two columns only: selecting the rows of the frame copied every column on every step.
    ineff = comp["inefficient"].astype(bool).to_numpy()
    freed = comp["freed_land_mu"].fillna(0.0).to_numpy(dtype=float)
    if mask is not None:
        keep = np.asarray(mask, dtype=bool)
        ineff, freed = ineff[keep], freed[keep]
    return int(ineff.sum()), float(freed.sum())


def totals_table(result: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """
    Per-park totals: ``summarize_intensity`` (what ``python -m geo intensity`` prints)
    joined with the grade counts of ``summarize_grades``.

    Parameters
    ----------
    result
        Parcels with ``park_id``, compliance columns, ``area_mu`` and ``grade_class``,
        ``graded_on_tax_only``.
    names
        ``park_id`` → display name.

    Returns
    -------
    totals
        One row per park in the order of ``names``, then parcels outside every park, then
        the total. Column ``park`` (display name; ``(unknown)`` → outside, total → 合计/Total)
        plus ``park_id``, ``parcels``, ``checked``, ``inefficient``,
        ``inefficient_area_mu``, ``freed_land_mu``, ``far_gap_floor_m2``, ``A``-``D``,
        ``ungraded``.
    """
    summ = summarize_intensity(result, by="park_id")
    grades = summarize_grades(result, by="park_id")[["A", "B", "C", "D", "ungraded"]]
    out = summ.join(grades, how="left").fillna(0)
    for col in ("A", "B", "C", "D", "ungraded"):
        out[col] = out[col].astype(int)
    # Parks in the order of ``names`` (the parks file), then unknown ids, outside parks, total.
    rank = {pid: i for i, pid in enumerate(names)}
    tail = {"(unknown)": len(rank) + 1, TOTAL_ROW: len(rank) + 2}
    order = sorted(out.index.astype(str), key=lambda i: (tail.get(i, rank.get(i, len(rank))), i))
    out = out.loc[order]
    ids = out.index.astype(str)
    display = [
        s("total") if i == TOTAL_ROW else s("outside") if i == "(unknown)" else names.get(i, i) for i in ids
    ]
    out.insert(0, "park", display)
    out.insert(1, "park_id", ["" if i in (TOTAL_ROW, "(unknown)") else i for i in ids])
    return out.reset_index(drop=True)


def _is_missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _pct(v, decimals: int = 1) -> str:
    return "—" if _is_missing(v) else f"{float(v) * 100:.{decimals}f}%"


def _num(v, decimals: int = 2, unit: str = "") -> str:
    return "—" if _is_missing(v) else f"{float(v):,.{decimals}f}{unit}"


#: rule id → (actual column, required column, comparator, formatter)
_RULE_VIEW = {
    "far": ("far", "far_min", "≥", lambda v: _num(v, 2)),
    "building_coef": ("building_coef", "building_coef_min", "≥", _pct),
    "office_share": ("office_share", "office_share_max", "≤", _pct),
    "green_ratio": ("green_ratio", "green_ratio_max", "≤", _pct),
    "invest_intensity": ("invest_wan_per_mu", "invest_min_wan_per_mu", "≥", lambda v: _num(v, 1, " 万元/亩")),
}


def _source(key) -> str:
    return words.label("source", key, lang()) if key else words.DASH


def rule_rows(row: Mapping, rules_record: Mapping, *, park_level: str | None = None) -> pd.DataFrame:
    """
    One line per control rule of one parcel: actual, required, pass/fail, binding, source.

    Parameters
    ----------
    row
        The parcel's metrics and compliance columns.
    rules_record
        ``check_compliance(...).attrs["rules"]`` (source keys, overrides, binding flags).
    park_level
        Shown with the investment minimum's source.

    Returns
    -------
    rows
        Text columns ``rule``, ``actual``, ``required``, ``result``, ``binding``, ``source``.
    """
    table = rule_table()
    lg = lang()
    out = []
    for rid in RULE_IDS:
        actual_col, req_col, cmp, fmt = _RULE_VIEW[rid]
        ok = row.get(f"{rid}_ok")
        result = s("na") if _is_missing(ok) else (s("pass") if bool(ok) else s("fail"))
        req = row.get(req_col)
        source = _source((rules_record.get("source_keys") or {}).get(rid) or table.loc[rid, "source_key"])
        sep = "，" if lg == "zh" else ", "
        if rid == "far":
            if not _is_missing(row.get("industry_division")):
                source += sep + s("table_min", div=row.get("industry_division"), ed=row.get("industry_edition"))
            if rules_record.get("min_far_override") is not None:
                source += s("override_note", v=rules_record["min_far_override"])
        elif rid == "building_coef" and rules_record.get("min_building_coef_override") is not None:
            source += s("override_note", v=_pct(rules_record["min_building_coef_override"]))
        elif rid == "invest_intensity" and park_level:
            source += sep + s("park_level", level=words.label("park_level", park_level, lg))
        binding = bool(rules_record.get("binding", {}).get(rid, table.loc[rid, "binding"]))
        out.append(
            {
                "rule": words.label("control_rule", rid, lg),
                "actual": fmt(row.get(actual_col)),
                "required": "—" if _is_missing(req) else f"{cmp} {fmt(req)}",
                "result": result,
                "binding": s("yes") if binding else s("no"),
                "source": source,
            }
        )
    return pd.DataFrame(out)


def grade_breakdown(grow: Mapping) -> pd.DataFrame:
    """
    The score of one graded parcel split by indicator, as ``geo.grading.grade`` returns it.

    Parameters
    ----------
    grow
        The parcel's row of ``grade()`` output (``bench_*``, ``weight_*``, ``ratio_*``,
        ``points_*`` per indicator).

    Returns
    -------
    breakdown
        Index = indicator: ``value``, ``benchmark``, ``weight`` (on the 100-point
        scale; a tax-only parcel has 100 on tax per 亩), ``ratio`` (value / benchmark,
        capped as set) and ``contribution`` (points); contributions sum to ``score``.
    """

    def get(col):
        v = grow.get(col)
        return np.nan if _is_missing(v) else float(v)

    rows = {
        name: {
            "value": get(name),
            "benchmark": get(f"bench_{name}"),
            "weight": get(f"weight_{name}"),
            "ratio": get(f"ratio_{name}"),
            "contribution": get(f"points_{name}"),
        }
        for name in INDICATORS
    }
    return pd.DataFrame(rows).T.rename_axis("indicator")


def settings_rows(rules_record: Mapping, grading_record: Mapping, whatif: Mapping) -> pd.DataFrame:
    """
    Every setting used, in words: ``section``, ``setting`` (its name), ``value`` (with
    its unit) and ``source`` (the regulation, or 本系统默认参数 for configurable defaults).
    """
    lg = lang()
    sep = "、" if lg == "zh" else ", "
    default = words.label("source", "system_default", lg)
    rules = load_control_rules()
    inv = rules["investment_intensity"]
    keys = rules_record.get("source_keys") or {rid: rules["rules"][rid].get("source_key") for rid in RULE_IDS}
    rows = []

    def add(section: str, setting: str, value: str, source: str) -> None:
        rows.append({"section": s(section), "setting": setting, "value": value, "source": source})

    def name(key: str) -> str:
        return words.label("setting", key, lg)

    ctl = "section_rules"
    add(ctl, name("far_min_table"), s("far_table", source=_source(keys.get("far"))), _source(keys.get("far")))
    add(ctl, name("building_coef_min"), _pct(rules_record.get("building_coef_min")), _source(keys.get("building_coef")))
    add(ctl, name("office_share_max"), _pct(rules_record.get("office_share_max")), _source(keys.get("office_share")))
    add(ctl, name("green_ratio_max"), _pct(rules_record.get("green_ratio_max")), _source(keys.get("green_ratio")))
    add(ctl, name("invest_min"), s("invest_table", national=f"{float(inv['national']):g}",
                                   regional=f"{float(inv['regional_prefecture_city']):g}",
                                   other=f"{float(inv['other']):g}",
                                   nn_national=f"{float(inv['nanning_central']['national']):g}",
                                   nn_other=f"{float(inv['nanning_central']['other']):g}"),
        _source(keys.get("invest_intensity")))
    binding = [words.label("control_rule", r, lg) for r, b in (rules_record.get("binding") or {}).items() if b]
    add(ctl, name("binding"), sep.join(binding) or words.DASH, default)
    add(ctl, name("checked_land_uses"),
        sep.join(words.label("land_use", u, lg) for u in rules_record.get("checked_land_uses", [])), default)
    add(ctl, name("industry_code_edition_default"), f"GB/T 4754-{rules_record.get('industry_code_edition_default')}",
        default)
    add(ctl, name("parks_given"), words.yes_no(rules_record.get("parks_given"), lg), words.DASH)
    far = whatif.get("min_far_override")
    coef = whatif.get("min_building_coef_override")
    add("section_whatif", name("min_far_override"), s("not_set") if far is None else f"{float(far):.2f}", words.DASH)
    add("section_whatif", name("min_building_coef_override"), s("not_set") if coef is None else _pct(coef),
        words.DASH)
    g = grading_record
    add("section_grading", name("group"), words.label("setting_choice", g.get("group"), lg), default)
    for ind, w in (g.get("weights_rescaled_to_100") or {}).items():
        add("section_grading", f"{name('weights')}：{words.label('indicator', ind, lg)}" if lg == "zh"
            else f"{name('weights')}: {words.label('indicator', ind, lg)}", f"{float(w):.1f}", default)
    add("section_grading", name("benchmark_method"), words.label("setting_choice", g.get("benchmark_method"), lg),
        default)
    for ind, v in (g.get("benchmark_fixed") or {}).items():
        add("section_grading", f"{name('benchmark_fixed')}：{words.label('indicator', ind, lg)}",
            f"{float(v):g} {indicator_unit(ind, lg)}", default)
    cut = g.get("cutoffs") or {}
    add("section_grading", name("cutoffs"), sep.join(f"{c} {_pct(v, 0)}" for c, v in cut.items()), default)
    cap = g.get("cap_ratio")
    add("section_grading", name("cap_ratio"), s("not_set") if cap is None else f"{float(cap):g}", default)
    add("section_grading", name("min_group_size"), str(g.get("min_group_size", words.DASH)), default)
    add("section_grading", name("graded_land_uses"),
        sep.join(words.label("land_use", u, lg) for u in g.get("graded_land_uses", [])), default)
    add("section_grading", name("fallback_indicator"), words.label("indicator", g.get("fallback_indicator"), lg),
        default)
    return pd.DataFrame(rows, columns=["section", "setting", "value", "source"])


def settings_display(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`settings_rows` with the reader's headers."""
    return rows.rename(columns={"section": s("section"), "setting": s("setting"), "value": s("setting_value"),
                                "source": s("setting_source")})


def excel_with_settings(table: pd.DataFrame, settings: pd.DataFrame, *, lang_code: str) -> bytes:
    """The presented results ``table`` and the settings used (:func:`settings_display`) as one workbook."""
    from reports import tables

    return tables.xlsx_bytes({tables.sheet_name("intensity", lang_code): table,
                              words.label("ui", "sheet_settings", lang_code): settings_display(settings)})


#: Columns of message lists, rendered into sentences for files that hold no lists.
LIST_COLUMNS = ("missing_inputs", "inefficiency_reasons", "nonbinding_failures", "skipped_rules", "grade_notes",
                "indicator_missing")


def export_frame(result: gpd.GeoDataFrame, *, lang: str | None = None,
                 parks: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """
    The exported table: map classes renamed ``compliance_class`` / ``grade_code``.

    With ``lang`` it is presented as the officer reads it (:func:`reports.tables.present`:
    the page's columns, message lists as sentences, classes and codes as labels, park
    names, headers with units); without, canonical names and codes.
    """
    from reports import tables

    out = result.rename(columns={"int_far_class": "compliance_class", "int_grade_code": "grade_code"})
    if lang is None:
        return out
    return tables.present(out, lang=lang, parks=parks, table="intensity", columns=["compliance_class", "grade_code"])


def card_ids(view: pd.DataFrame) -> list[str]:
    """Parcel ids for the card's selectbox: inefficient first, most land to free first."""
    # The three columns only: assigning to the view copied every column of every parcel.
    order = pd.DataFrame({
        "_ineff": view["inefficient"].astype(bool).to_numpy(),
        "_freed": view["freed_land_mu"].fillna(-1.0).to_numpy(),
        "_id": view["parcel_id"].astype(str).to_numpy(),
    }).sort_values(["_ineff", "_freed"], ascending=False, kind="stable")
    return list(dict.fromkeys(order["_id"]))


# --------------------------------------------------------------------------- page parts


def _whatif_section(base: pd.DataFrame, scen: pd.DataFrame, area_mu: pd.Series, in_park: np.ndarray,
                    counted=None) -> None:
    """
    The four figures of the what-if. ``counted(frame, mask)``: :func:`whatif_counts` of ``frame``
    (``base`` or ``scen``) over ``mask`` (``in_park`` or None), e.g. kept per what-if (``analysis.counts``).
    """
    count = counted or (lambda frame, mask: whatif_counts(frame, area_mu, mask))
    c1, c2, c3, c4 = st.columns(4)
    for col, key_n, key_a, mask in (
        (c1, "short_park", "freed_park", in_park),
        (c3, "short_all", "freed_all", None),
    ):
        n0, a0 = count(base, mask)
        n1, a1 = count(scen, mask)
        col.metric(s(key_n), f"{n1:,}", delta=f"{n1 - n0:+,}", delta_color="inverse")
        (c2 if col is c1 else c4).metric(
            s(key_a), f"{a1:,.1f} 亩", delta=f"{a1 - a0:+,.1f} 亩", delta_color="off"
        )


def map_spec(color_by: str, lg: str, holder: bool = True) -> tuple[str, dict, str, dict, dict]:
    """
    The efficiency map coloured ``by`` FAR compliance (``far``) or grade, in ``lg``: the class
    column, ``{class: colour}``, the legend's title, ``{class: label}`` and the tooltip
    (``{column of tooltip_frame: header}``; ``holder``: the parcels name their holders).
    """
    if color_by == "far":
        code_col, colors, title = "int_far_class", COMPLIANCE_COLORS, words.label("ui", "int_legend_far", lg)
        labels = {c: words.label("compliance_class", c, lg) for c in COMPLIANCE_CLASSES}
    else:
        code_col, colors, title = "int_grade_code", GRADE_COLORS, words.label("ui", "int_legend_grade", lg)
        labels = {c: words.label("grade_class", c, lg) for c in GRADE_CODES}
    tooltip = {
        "parcel_id": words.header("parcel_id", lg),
        "holder": words.header("holder", lg),
        "int_label": title,
        "far_text": words.header("far", lg),
        "area_text": words.header("area_mu", lg),
    }
    if not holder:
        tooltip.pop("holder")
    return code_col, colors, title, labels, tooltip


def tooltip_frame(rows: gpd.GeoDataFrame, code_col: str, labels: Mapping[str, str]) -> gpd.GeoDataFrame:
    """``rows`` with the map tooltip's columns: their class's label, FAR and area as shown."""
    return rows.assign(int_label=rows[code_col].map(labels), far_text=rows["far"].round(2),
                       area_text=rows["area_mu"].round(1))


def map_data_key(classes_key: tuple | None, lg: str) -> tuple | None:
    """The name of the parcels' canvas data of a cached view's map (``layers.canvas.DATA``), or None."""
    return None if classes_key is None else ("intensity", classes_key, lg)


def parcels_map(view: gpd.GeoDataFrame, drawn_codes: pd.Series, color_by: str, lg: str, *, parks: pd.DataFrame,
                basemap: str = "none", tk: str | None = None, limit: int, canvas_from: int,
                data_key: tuple | None = None):
    """
    The efficiency map of ``view`` drawn with ``drawn_codes`` (the classes without a what-if, or the
    grades), as the page shows it and as the server's preparer makes its data ahead
    (``views.analysis.prepare_efficiency_map``; ``data_key``: :func:`map_data_key`).
    """
    code_col, colors, title, labels, tooltip = map_spec(color_by, lg, "holder" in view.columns)
    return layers.parcel_map(
        tooltip_frame(view.assign(**{code_col: drawn_codes}), code_col, labels),
        parks=parks,
        color_col=code_col,
        colors=colors,
        labels=labels,
        tooltip_fields=tooltip,
        basemap=basemap,
        tianditu_key=tk,
        legend_title=title,
        lang=lg,
        max_parcels=limit,
        canvas_from=canvas_from,
        data_key=data_key,
    )


def _map(view: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, park_id: str, color_by: str, version: tuple,
         base_classes: pd.Series | None = None, *, classes_key: tuple | None = None,
         positions: Mapping[str, int] | None = None) -> None:
    """
    The selection's map. ``base_classes``: the FAR classes without the what-if (aligned to
    ``view``); the folium map is drawn with them, once, and a what-if step recolours the parcels
    it moves in place (``layers.classes.restyle_script``) instead of drawing a new map.
    ``classes_key``: names the drawn classes of a cached view (the version, park, colouring and
    grading), so that a step does not hash them; ``positions``: parcel id → row of ``view``.
    """
    lg = lang()
    code_col, colors, title, labels, tooltip = map_spec(color_by, lg, "holder" in view.columns)
    limit, canvas_from = mapview.folium_limit(), mapview.canvas_from()
    if len(view) > limit:
        # Too many for folium: every parcel drawn with WebGL, once per drawn classes.
        st.info(t("webgl_drawn", n=len(view), limit=limit))
        with st.spinner("…"):
            # made once per drawn classes, and ahead for the default view by the server's preparer
            # (views/analysis.py), under the same key
            wm = mapview.webgl_map(
                lambda: analysis.efficiency_webgl(view, code_col, colors, labels, title, lg),
                cache_key=analysis.efficiency_webgl_key(view, code_col, colors, labels, title, lg, version),
                # one park: its city's name at most, Guangxi's boundary seldom in view; their text
                # and path layers are the costliest to set up in software WebGL
                key="int_webgl_map", height=540, city_names=False, boundary=False)
        if wm.points:
            st.caption(t("webgl_points"))
        return
    basemap = st.session_state.get("basemap", "none")
    tk = st.session_state.get("tianditu_tk") or None
    map_parks = parks[parks["park_id"] == park_id]
    overlay = imagery.overlay_controls([park_id], key="int")

    drawn_codes = view[code_col]
    restyle = None
    recoloured = color_by == "far" and base_classes is not None
    if recoloured:
        drawn_codes = base_classes.reindex(view.index)
        moved = view[code_col].to_numpy() != drawn_codes.to_numpy()
        changes = {str(pid): (colors[c], labels[c])
                   for pid, c in zip(view["parcel_id"].to_numpy()[moved], view[code_col].to_numpy()[moved],
                                     strict=True)}
        restyle = layers.restyle_script(changes, label_field="int_label")

    def build():
        m = parcels_map(view, drawn_codes, color_by, lg, parks=map_parks, basemap=basemap, tk=tk, limit=limit,
                        canvas_from=canvas_from, data_key=map_data_key(classes_key, lg))
        imagery.draw_overlay(m, overlay)
        return mapview.fit_at_once(m)

    # Rendered once per drawn classes (a what-if step that moves no parcel between classes
    # reuses it); the picked parcel is a separate layer, so a click ships its outline only.
    # The parcels' shapes, numbers, holders and areas are the version's (``version``): only the
    # classes, which a what-if moves, are hashed.
    # The classes drawn: named by ``classes_key`` for a cached view, else hashed (a few ms per step).
    drawn = classes_key if classes_key is not None else frame_key(
        pd.DataFrame({code_col: drawn_codes}, index=view.index), [code_col], rows_of=version)
    cache_key = ("intensity", drawn, frame_key(map_parks, ["park_id"]), lg, basemap, tk, title, limit, canvas_from,
                 overlay)
    pick = st.session_state.get("int_pick")
    picked = _rows_with_id(view, pick, positions)
    # The outline shows the version's shapes and numbers and the parcel's class (a what-if's): made
    # once per parcel and class, not on every step.
    outline_key = ("intensity", version, None if pick is None else str(pick), lg, code_col,
                   tuple(map(str, picked[code_col])), len(view) < canvas_from)
    mapview.folium_map(build, cache_key=cache_key, key="int_map", height=540,
                       returned_objects=["last_active_drawing"], restyle=restyle, feature_group_key=outline_key,
                       feature_group_to_add=lambda: layers.highlight_layer(
                           tooltip_frame(picked, code_col, labels), pick, tooltip_fields=tooltip, lang=lg,
                           interactive=len(view) < canvas_from))
    imagery.overlay_caption(overlay)


def _rows_with_id(view: pd.DataFrame, pid, positions: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The row of ``view`` with parcel id ``pid`` (none for None); ``positions``: id → row, when known."""
    if pid is None:
        return view.iloc[:0]
    if positions is not None:
        at = positions.get(str(pid))
        return view.iloc[:0] if at is None else view.iloc[[at]]
    return view[(view["parcel_id"].astype(str) == str(pid)).to_numpy()]


def take_click(state, ids: list[str]) -> None:
    """
    Select the parcel last clicked on the map, if it is a new click on a parcel listed.

    ``state`` is the session state: st_folium's return value sits under the map's
    key (``int_map``) before the map is drawn again, so the click selects the parcel
    (``int_pick``) and outlines it in the same run. A pick no longer listed (another
    park) is dropped so the selectbox falls back to the first parcel.
    """
    clicked = layers.clicked_parcel_id(state.get("int_map"))
    if clicked and clicked != state.get("int_clicked"):
        state["int_clicked"] = clicked
        if clicked in ids:
            state["int_pick"] = clicked
    if state.get("int_pick") is not None and state.get("int_pick") not in ids:
        del state["int_pick"]


def _card(view: pd.DataFrame, ids: list[str], rules_record: Mapping, park_level: str | None,
          park_names: Mapping[str, str], positions: Mapping[str, int] | None = None) -> None:
    st.subheader(s("card"))
    if not ids:
        return
    # a bounded list (inefficient first): the options travel with the box on every click
    shown_ids = pager.picker_options(ids, st.session_state.get("int_pick"))
    pick = st.selectbox(s("pick_parcel"), shown_ids, key="int_pick")
    if len(shown_ids) < len(ids):
        st.caption(t("picker_more_map", n=len(ids), limit=pager.PICKER_LIMIT))
    rows = _rows_with_id(view, pick, positions)
    row = rows.iloc[0].to_dict()
    far_cls, g = row["int_far_class"], row["int_grade_code"]
    badges = "".join(
        f"<span style='background:{color};color:{'#000' if code in ('C', 'ungraded', 'not_checked') else '#fff'};"
        f"padding:2px 8px;border-radius:4px;margin-right:6px'>{html.escape(label)}</span>"
        for code, color, label in (
            (far_cls, COMPLIANCE_COLORS[far_cls], class_labels("far")[far_cls]),
            (g, GRADE_COLORS[g], class_labels("grade")[g]),
        )
    )
    st.markdown(badges, unsafe_allow_html=True)

    st.markdown(f"**{s('rules_title')}**")
    rr = rule_rows(row, rules_record, park_level=park_level)
    common.small_table(rr.rename(columns={c: s(c) for c in rr.columns}))

    st.markdown(f"**{s('metrics_title')}**")
    lg = lang()
    row = row | {"area_ha": row.get("area_m2", np.nan) / 10_000}
    items = [
        (words.header(col, lg), _num(row.get(col), dec))
        for col, dec in (("area_mu", 1), ("area_ha", 2), ("floor_area_eff_m2", 0), ("output_wan_per_mu", 2),
                         ("tax_wan_per_mu", 2), ("far_gap_floor_m2", 0), ("freed_land_mu", 1))
    ]  # fmt: skip
    common.small_table(pd.DataFrame(items, columns=[s("field"), s("value")]))
    # Sentences, not table cells: a cell would cut them off at the column's width.
    notes = [
        (s(key), words.render(row.get(col), lg))
        for key, col in (("reasons", "inefficiency_reasons"), ("nonbinding", "nonbinding_failures"),
                         ("skipped", "skipped_rules"), ("missing", "missing_inputs"))
    ]  # fmt: skip
    colon = "：" if lg == "zh" else ": "
    st.markdown("\n".join(f"- **{common.md_escape(k)}**{colon}{common.md_escape(v)}" for k, v in notes))
    imagery.evidence_card(view, rows)

    st.markdown(f"**{s('grade_title')}**")
    if _is_missing(row.get("grade_class")):
        st.caption(s("not_graded", why=common.md_escape(words.render(row.get("grade_notes"), lg))))
        return
    group = row.get("group")
    group_name = words.label("setting_choice", "region", lg) if group == "region" else park_names.get(str(group), group)
    st.caption(
        s(
            "score_line",
            score=f"{row['score']:.2f}",
            cls=class_labels("grade")[row["grade_class"]],
            rank=int(row["grade_rank"]),
            n=int(row["group_size"]),
            group=common.md_escape(group_name),
        )
    )
    if row.get("graded_on_tax_only"):
        st.caption(s("tax_only"))
    bd = grade_breakdown(row)
    pct = {i for i in bd.index if indicator_unit(i, lg) == "%"}
    shown = pd.DataFrame(
        {
            s("indicator"): [indicator_header(i, lg) for i in bd.index],
            s("value"): [_pct(v, 2) if i in pct else _num(v, 2) for i, v in bd["value"].items()],
            s("benchmark"): [_pct(v, 2) if i in pct else _num(v, 2) for i, v in bd["benchmark"].items()],
            s("weight"): [_num(v, 1) for v in bd["weight"]],
            s("ratio"): [_num(v, 3) for v in bd["ratio"]],
            s("contribution"): [_num(v, 2) for v in bd["contribution"]],
        }
    )
    common.small_table(shown)


#: Width of the FAR histogram's bars; FARs above the last edge are counted in its bar.
FAR_BIN = 0.1
FAR_CHART_MAX = 3.0


def far_histogram(far: pd.Series, status) -> pd.DataFrame:
    """
    Parcels per FAR bar (:data:`FAR_BIN` wide, FAR above :data:`FAR_CHART_MAX` in the last bar) and
    status: ``bin_start``, ``bin_end``, ``status``, ``parcels``. Counted here, so the chart ships a
    few dozen rows, not one per parcel (70,000 in a park at 250,000 parcels).
    """
    x = far.clip(upper=FAR_CHART_MAX).to_numpy(dtype=float)
    # Bars by integer step (no drift from adding 0.1 thirty times); 3.0 opens the bar [3.0, 3.1).
    k = np.floor(np.round(x / FAR_BIN, 9)).astype(np.int64)
    counts = pd.DataFrame({"k": k, "status": np.asarray(status)}).groupby(["k", "status"], sort=True).size()
    out = counts.rename("parcels").reset_index()
    out.insert(0, "bin_start", (out.pop("k") * FAR_BIN).round(2))
    out.insert(1, "bin_end", (out["bin_start"] + FAR_BIN).round(2))
    return out


def _far_chart(view: pd.DataFrame, park_name: str) -> None:
    st.markdown(f"**{s('far_chart', park=common.md_escape(park_name))}**")
    # the four columns it reads (selecting rows of the view copied every column on every step)
    cols = view[["checked", "far", "far_ok", "far_min"]]
    d = cols[(cols["checked"].astype(bool) & cols["far"].notna()).to_numpy()]
    if d.empty:
        st.caption(s("no_far"))
        return
    far_below = words.label("compliance_class", "far_below", lang())
    status = np.where(d["far_ok"].eq(False).fillna(False), far_below, s("pass"))
    unknown = d["far_ok"].isna().to_numpy()
    status = np.where(unknown, s("na"), status)
    frame = far_histogram(d["far"], status)
    dom = [s("pass"), far_below, s("na")]
    mins = d["far_min"].dropna().round(2).value_counts().rename_axis("far_min").reset_index(name="parcels")
    count = {"field": "parcels", "type": "quantitative", "title": s("count_axis")}
    # A Vega-Lite spec as data (Altair's schema checks cost ~0.1 s of every what-if step).
    bars = {
        "data": {"values": frame.to_dict("records")},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "bin_start", "type": "quantitative", "bin": "binned", "title": s("far_axis")},
            "x2": {"field": "bin_end"},
            "y": {**count, "stack": True},
            "color": {"field": "status", "type": "nominal", "title": None,
                      "scale": {"domain": dom, "range": ["#1a9850", "#d73027", "#9e9ac8"]}},
            "tooltip": [count],
        },
    }
    rules = {
        "data": {"values": mins.to_dict("records")},
        "mark": {"type": "rule", "color": "#333", "strokeDash": [5, 3], "size": 2},
        "encoding": {
            "x": {"field": "far_min", "type": "quantitative"},
            "tooltip": [{"field": "far_min", "type": "quantitative", "title": s("required")}, count],
        },
    }
    st.vega_lite_chart(None, {"height": 260, "layer": [bars, rules]}, width="stretch")
    st.caption(s("far_chart_note"))


def short_park_names(names: pd.Series) -> pd.Series:
    """Park names without the common suffix (高新技术产业开发区 / Hi-tech Industrial Development Zone)."""
    return (
        names.astype(str)
        .str.replace("高新技术产业开发区", "", regex=False)
        .str.replace(r"\s*Hi-?tech Industrial Development Zone$", "", regex=True, case=False)
    )


def _grade_chart(totals: pd.DataFrame) -> None:
    st.markdown(f"**{s('grade_chart')}**")
    # Short axis labels: 南宁高新技术产业开发区 → 南宁, Nanning Hi-tech Industrial Development Zone → Nanning.
    per = totals[totals["park_id"] != ""].assign(park=lambda d: short_park_names(d["park"]))
    long = per[["park", *"ABCD"]].melt(id_vars=["park"], var_name="grade", value_name="n_parcels")
    count = {"field": "n_parcels", "type": "quantitative", "title": s("count_axis")}
    spec = {
        "height": 260,
        "data": {"values": long.to_dict("records")},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "park", "type": "nominal", "sort": list(per["park"]), "title": s("park_axis"),
                  "axis": {"labelAngle": -45, "labelOverlap": False}},
            "y": {**count, "stack": True},
            "color": {"field": "grade", "type": "nominal", "title": s("legend_grade"),
                      "scale": {"domain": list("ABCD"), "range": [GRADE_COLORS[c] for c in "ABCD"]}},
            "order": {"field": "grade", "type": "nominal"},
            "tooltip": [{"field": "park", "type": "nominal"}, {"field": "grade", "type": "nominal"}, count],
        },
    }
    st.vega_lite_chart(None, spec, width="stretch")


def _settings_widgets() -> None:
    """
    The grading settings, drawn when their panel is opened (a rerun): closed, a load draws none of
    its 13 widgets (~0.3 s of the page's drawing on the bench machine). A setting made there stays
    while the panel is closed: a widget not drawn in a run loses its value in Streamlit, unless the
    value is set again before the widget (Streamlit's documented way), as here.
    """
    ss = st.session_state
    for k in default_grading_state():
        if k in ss:
            ss[k] = ss[k]
    box = st.expander(s("settings"), on_change="rerun", key="int_grading_open")
    if not box.open:
        return
    with box:
        st.markdown(s("weights"))
        cols = st.columns(3)
        for i, name in enumerate(INDICATORS):
            cols[i % 3].number_input(
                words.label("indicator", name, lang()), min_value=0.0, max_value=100.0, step=1.0,
                key=SS_WEIGHT + name,
            )  # fmt: skip
        st.caption(s("weights_sum", s=sum(float(st.session_state[SS_WEIGHT + k]) for k in INDICATORS)))
        st.markdown(s("cutoffs"))
        c = st.columns(3)
        for j, cls in enumerate("ABC"):
            c[j].number_input(s(f"cut_{cls}"), min_value=0.0, max_value=100.0, step=1.0, key=SS_CUT + cls)
        group_labels = {g: words.label("setting_choice", g, lang()) for g in GROUPS}
        st.session_state[SS_GROUP] = st.radio(
            s("group"), GROUPS, format_func=group_labels.get,
            key=common.lkey(SS_GROUP_WIDGET, st.session_state[SS_GROUP]), horizontal=True,
        )  # fmt: skip
        st.button(s("reset"), on_click=_reset_grading, key="int_reset")


# --------------------------------------------------------------------------- render


@runlog.fragment
def _map_and_card(view: pd.DataFrame, version: tuple, parks: pd.DataFrame, park_id: str, color_by: str, rules: dict,
                  names: dict, base_classes: pd.Series | None = None, view_key: tuple | None = None,
                  classes_key: tuple | None = None) -> None:
    """
    The map and the efficiency card: a click on the map or a parcel picked reruns this part only
    (``st.fragment``), not the what-if, the charts and the tables, which a click does not change.
    ``view_key`` names a view that is a cached frame (``analysis.park_rows``): its card order and
    its rows by parcel id are then kept with it; ``classes_key`` names the classes the map draws.
    """
    if view_key is not None:
        ids, positions = analysis.card_order(view_key, view), analysis.id_positions(view_key, view)
    else:
        ids, positions, classes_key = card_ids(view), None, None
    take_click(st.session_state, ids)
    map_col, card_col = st.columns([3, 2])
    with map_col:
        st.subheader(s("map_title"))
        if len(view):
            _map(view, parks, park_id, color_by, version, base_classes, classes_key=classes_key,
                 positions=positions)
        else:
            st.info(s("no_parcels"))
    with card_col:
        level = parks.loc[parks["park_id"].astype(str) == park_id, "level"]
        _card(view, ids, rules, str(level.iloc[0]) if len(level) else None, names, positions)


def render() -> None:
    st.title(t("page_intensity"))
    loaded = common.loaded_parcels()
    if loaded is None:
        return
    gdf, problems, crs_note = loaded
    common.show_problems(problems, crs_note, lazy=True)
    parks = common.parks()
    key = (common.data_key(), auth.scope_key())

    ss = st.session_state
    defaults = default_grading_state()
    for k, v in defaults.items():
        ss.setdefault(k, v)
    rule_coef = float(load_control_rules()["rules"]["building_coef"]["value"])
    ss.setdefault("int_min_far", 0.0)
    ss.setdefault("int_min_coef", rule_coef)

    name_col = "name_zh" if lang() == "zh" else "name_en"
    names = dict(zip(parks["park_id"].astype(str), parks[name_col].astype(str), strict=True))
    pk = analysis.park_keys(key, gdf)
    present = set(pd.unique(pk))  # one pass over the parcels, not one per park
    park_options = [p for p in parks["park_id"].astype(str) if p in present]
    if OUTSIDE in present:
        park_options.append(OUTSIDE)
    c1, c2 = st.columns([2, 3])
    # Labels are bound now and keys are per language: see common.lkey.
    names[OUTSIDE] = s("outside")
    park_id = c1.selectbox(s("pick_park"), park_options, format_func=names.get, key=common.lkey("int_park"))
    color_labels = {v: s(f"by_{v}") for v in ("far", "grade")}
    color_by = c2.radio(
        s("color_by"),
        ["far", "grade"],
        format_func=color_labels.get,
        key=common.lkey("int_color_by"),
        horizontal=True,
    )
    _results(key, gdf, parks, pk, park_id, color_by, names, rule_coef)


@runlog.fragment
def _results(key: tuple, gdf: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, pk: pd.Series, park_id: str,
             color_by: str, names: dict, rule_coef: float) -> None:
    """
    Everything the what-if and the grading settings change: a slider step or a setting reruns this
    part only (``st.fragment``), not the login check, the sidebar, the park and colouring pickers.
    """
    ss = st.session_state
    st.subheader(s("whatif"))
    w1, w2 = st.columns(2)
    w1.slider(s("min_far"), min_value=0.0, max_value=3.0, step=0.05, key="int_min_far")
    w2.slider(
        s("min_coef"), min_value=rule_coef, max_value=max(0.60, rule_coef), step=0.01, key="int_min_coef"
    )
    far_ovr, coef_ovr = whatif_overrides(ss["int_min_far"], ss["int_min_coef"], rule_coef)

    m = analysis.metrics(key, gdf)
    base = analysis.compliance(key, None, None, gdf, parks, m)
    scen = (
        base if far_ovr is None and coef_ovr is None else analysis.compliance(key, far_ovr, coef_ovr, gdf, parks, m)
    )
    in_park = analysis.park_mask(key, park_id, pk)

    def counted(frame, mask):  # kept per what-if and park: the frames are the cached ones
        overrides = (None, None) if frame is base else (far_ovr, coef_ovr)
        return analysis.counts(key, *overrides, park_id if mask is not None else None, frame, mask)

    _whatif_section(base, scen, m["area_mu"], in_park, counted)
    if far_ovr is None and coef_ovr is None:
        keys = dict.fromkeys((scen.attrs["rules"].get("source_keys") or {}).values())
        st.caption(s("default_note", source="、".join(_source(k) for k in keys if k) if lang() == "zh"
                     else "; ".join(_source(k) for k in keys if k)))
    else:
        st.caption(
            s("whatif_note", far=far_ovr if far_ovr is not None else "—", coef=_pct(coef_ovr or rule_coef))
        )

    _settings_widgets()
    settings_json = analysis.settings_json(ss)
    try:
        grades = analysis.grades(key, ss[SS_GROUP], settings_json, gdf)
    except ValueError as exc:  # GradingError / RulesError: say which setting and what is allowed
        st.error(s("settings_error_detail", err=describe(exc, lang())))
        settings_json = json.dumps({})
        grades = analysis.grades(key, ss[SS_GROUP], settings_json, gdf)

    result = analysis.joined(key, far_ovr, coef_ovr, ss[SS_GROUP], settings_json, gdf, m, scen, grades)
    joined_key = (key, far_ovr, coef_ovr, ss[SS_GROUP], settings_json)
    park_rows = analysis.park_rows(joined_key, park_id, result, pk)
    view = imagery.contradiction_filter(result, park_rows, key="int")
    # the view's own key while it is the park's rows as cached (not narrowed by the imagery filter)
    view_key = (joined_key, park_id) if view is park_rows else None
    park_name = names.get(park_id, s("outside"))

    # Always one container here, filled under a what-if: an element that appears before the map
    # would move the map's place on the page, and the browser would draw the map anew.
    new_short = st.container()
    if far_ovr is not None or coef_ovr is not None:
        was = base["inefficient"].reindex(view.index).astype(bool).to_numpy()
        newly = _ineff_rows(view, view["inefficient"].astype(bool).to_numpy() & ~was, view_key, "new")
        with new_short.expander(s("new_short", n=len(newly))):
            shown_new = pager.paged(newly, key="int_new_short_pager", lang=lang())
            frame, config = _ineff_listing(shown_new)
            st.dataframe(frame, column_config=config, hide_index=True, width="stretch", key="int_new_short")

    # The map is drawn with the classes without the what-if; a step recolours the parcels it moves.
    if view_key is not None:
        base_classes = analysis.base_classes(key, park_id, base, pk)
        # the classes the map draws: without the what-if (FAR), or the grades of these settings
        classes_key = (key, park_id, color_by) + ((ss[SS_GROUP], settings_json) if color_by == "grade" else ())
    else:
        base_classes = analysis.compliance_class(base.loc[view.index])
        classes_key = None
    _map_and_card(view, key, parks, park_id, color_by, scen.attrs["rules"], names, base_classes, view_key,
                  classes_key)

    totals = analysis.totals(joined_key, lang(), tuple(names.items()), result)
    # The charts are made only when their expander is open: closed, a page load and a what-if step
    # neither compute nor draw them (Vega in the browser was ~0.2 s of every load).
    charts = st.expander(s("charts"), on_change="rerun", key="int_charts_open")
    if charts.open:
        with charts:
            ch1, ch2 = st.columns(2)
            with ch1:
                _far_chart(view, park_name)
            with ch2:
                _grade_chart(totals)

    st.subheader(s("ineff_table", park=common.md_escape(park_name)))
    ineff = _ineff_rows(view, view["inefficient"].astype(bool).to_numpy(), view_key, "all")
    shown_ineff = pager.paged(ineff, key="int_ineff_pager", lang=lang())
    frame, config = _ineff_listing(shown_ineff)
    st.dataframe(frame, column_config=config, hide_index=True, width="stretch", key="int_ineff")

    st.subheader(s("totals"))
    # A summary of a line per park: an HTML table (views.display.table_html), not a data grid
    # (~0.08 s of the browser's work on every load and step).
    heads = _totals_headers()
    shown = totals.drop(columns="park_id").rename(columns=heads)
    kinds = {heads[c]: "mu" for c in ("inefficient_area_mu", "freed_land_mu")} | {heads["far_gap_floor_m2"]: "m2"}
    kinds |= {heads[c]: "int" for c in heads if c in totals.columns and c not in ("park", *TOTALS_DECIMAL)}
    common.small_table(shown, kinds)

    whatif = {"min_far_override": far_ovr, "min_building_coef_override": coef_ovr}
    record = settings_rows(scen.attrs["rules"], grades.attrs["settings"], whatif)
    used = st.expander(s("settings_used"), on_change="rerun", key="int_settings_open")
    if used.open:  # drawn when opened, as the charts (the export carries the settings either way)
        with used:
            st.dataframe(settings_display(record), hide_index=True, width="stretch", key="int_settings_table")

    lang_code = lang()
    stamp = (
        ""
        if far_ovr is None and coef_ovr is None
        else f"_{words.header('far', lang_code)}{far_ovr or 0}_{words.header('building_coef', lang_code)}"
        f"{coef_ovr or rule_coef}"
    )
    base_name = f"{t('page_intensity')}{stamp}"
    parks_table = common.parks()
    exports.export_buttons(
        lambda: export_frame(result, lang=lang_code, parks=parks_table),
        has_geometry=result.crs is not None,
        base_name=base_name,
        stamp=common.as_of().isoformat(),
        key="int_dl",
        sheet=tables.sheet_name("intensity", lang_code),
        layer="intensity",
        extra_sheets={words.label("ui", "sheet_settings", lang_code): settings_display(record)},
    )
    st.download_button(
        s("export_settings"),
        data=json.dumps(
            {"whatif": whatif, "control_rules": scen.attrs["rules"], "grading": grades.attrs["settings"]},
            ensure_ascii=False,
            indent=2,
            default=str,
        ),
        file_name=f"{base_name}_{words.label('ui', 'sheet_settings', lang_code)}.json",
        key="int_json",
        mime="application/json",
    )
    imagery.imagery_section(result, view, [park_id], key="int")


#: The totals' columns written with decimals (the others are counts).
TOTALS_DECIMAL = ("inefficient_area_mu", "freed_land_mu", "far_gap_floor_m2")


def _totals_headers() -> dict[str, str]:
    lg = lang()
    heads = {"park": s("park_axis"), "parcels": words.label("column", "n_parcels", lg), "checked": s("checked"),
             "inefficient": s("inefficient_n"), "inefficient_area_mu": s("inefficient_area"),
             "freed_land_mu": words.header("freed_land_mu", lg), "far_gap_floor_m2": words.header("far_gap_floor_m2", lg)}
    return heads | {c: words.label("grade_class", c, lg) for c in GRADE_CODES}


#: The columns of the inefficient parcels' listing (:func:`_ineff_listing`), those present.
INEFF_COLUMNS = ("parcel_id", "holder", "industry_division", "area_mu", "far", "far_min", "building_coef",
                 "freed_land_mu", "far_gap_floor_m2", "inefficiency_reasons")


def _ineff_rows(view: pd.DataFrame, mask: np.ndarray, view_key: tuple | None = None, which: str = "") -> pd.DataFrame:
    """
    The rows of ``view`` in ``mask``, the listing's columns only, in the listing's order; kept with
    a cached view (``view_key``, and ``which`` names the mask) instead of sorted again every run.
    """
    def rows() -> pd.DataFrame:
        cols = [c for c in INEFF_COLUMNS if c in view.columns]
        return _ineff_order(view[cols][mask])

    return rows() if view_key is None else analysis.listing(view_key, which, rows)


def _ineff_order(df: pd.DataFrame) -> pd.DataFrame:
    """The inefficient parcels in the listing's order: most land to free first, then the largest."""
    return df.sort_values(["freed_land_mu", "area_mu"], ascending=False, na_position="last")


def _ineff_listing(df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """
    The inefficient parcels as shown: display headers, reasons in words, house number formats —
    ``(frame, column_config)`` of :func:`views.display.formatted` (no Styler: ~20 % of a what-if
    step's server time went to rendering one).
    """
    cols = [c for c in INEFF_COLUMNS if c in df.columns]
    out = pd.DataFrame(_ineff_order(df[cols]))
    lg = lang()
    if "inefficiency_reasons" in out.columns:
        out["inefficiency_reasons"] = words.render_series(out["inefficiency_reasons"], lg)
    heads = words.headers(cols, lg)
    kinds = {"area_mu": "mu", "far": "far", "far_min": "far", "building_coef": "pct", "freed_land_mu": "mu",
             "far_gap_floor_m2": "m2"}  # fmt: skip
    return display.formatted(out.rename(columns=heads), {heads[c]: k for c, k in kinds.items() if c in heads})


if __name__ == "__main__":
    render()
