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

import json
import math

import altair as alt
import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
import yaml

import layers
import words
from geo.errors import CodedError
from geo.evaluation import (
    FIGURES,
    INDICATORS,
    REFERENCE_ID,
    Evaluation,
    EvaluationError,
    evaluation_settings,
    parcels_behind,
)
from geo.rules import yaml_place
from layers.rendered import frame_key
from reports.evaluation_tables import (
    PERCENT_INDICATORS,
    evaluation_frame,
    excel_bytes,
    level_labels,
    park_names_of,
    reference_name,
    rows_for,
    settings_table,
    type_labels,
)
from views import analysis, auth, common, display, exports, mapview, pager
from views.i18n import lang, t
from words.errors import describe
from words.metrics import indicator_header as _indicator_header

#: Per figure: (numerator, denominator), each (column of ``Evaluation.table``, column of
#: ``Evaluation.parcels`` summed over the parcels behind it — None for park attributes, unit):
#: read off the indicator specification ``geo.evaluation.FIGURES``.
FIGURE_PARTS: dict[str, tuple[tuple[str, str | None, str], tuple[str, str | None, str] | None]] = {
    k: ((f.numerator.column, f.numerator.parcel_column, f.numerator.unit),
        (f.denominator.column, f.denominator.parcel_column, f.denominator.unit) if f.denominator else None)
    for k, f in FIGURES.items()
}
#: Area figures summed with ``min_count=0`` in the evaluation (no parcel → 0 ha, not unknown).
_AREA_COLUMNS = frozenset({"area_ha"})
BEHIND_COLUMNS = ("parcel_id", "land_use", "holder", "area_ha", "supply_date", "completion_date", "floor_area_m2",
                  "footprint_m2", "investment_wan", "tax_wan", "idle_status", "disposal_status")


def _tx(key: str, lg: str | None = None, **fmt) -> str:
    """A string of this page (``ui`` words prefixed ``cmp_``) in ``lg`` or the session's language."""
    text = words.label("ui", f"cmp_{key}", lg or lang())
    return text.format(**fmt) if fmt else text


# --------------------------------------------------------------------------- pure helpers


def indicator_header(ind: str, *, lang: str = "zh", settings: dict | None = None) -> str:
    """Column header of an indicator: its name with the unit (``(%)`` for fractions)."""
    if ind == "score":
        return _tx("score", lang)
    return _indicator_header(ind, lang)


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
    rows = rows_for(pd.DataFrame(ev.table), park_ids)
    out = pd.DataFrame({
        "park_id": rows["park_id"].astype("string"),
        "name": park_names_of(rows, lang),
        "level": level_labels(rows["level"], lang),
        "park_type": type_labels(rows["park_type"], ev.settings, lang),
    })
    for ind in (*INDICATORS, "score"):
        out[ind] = rows[ind].astype(float)
    out["rank"] = rows["rank"].astype("Int64")
    out["rank_in_level"] = rows["rank_in_level"].astype("Int64")
    ref = ev.reference.iloc[0]
    ref_row = {"park_id": REFERENCE_ID, "name": reference_name(lang), "level": level_labels(pd.Series(["national"]), lang)[0],
               "park_type": type_labels(pd.Series([ref["park_type"]]), ev.settings, lang)[0],
               **{ind: float(ref[ind]) for ind in (*INDICATORS, "score")}, "rank": pd.NA, "rank_in_level": pd.NA}
    ref_frame = pd.DataFrame([ref_row]).astype({"rank": "Int64", "rank_in_level": "Int64"})
    return pd.concat([out, ref_frame], ignore_index=True)


def indicator_headers(*, lang: str = "zh", settings: dict | None = None) -> dict[str, str]:
    """Display headers of :func:`indicator_table`'s columns (``park_id`` is never shown)."""
    return {"name": _tx("park", lang), "level": _tx("level", lang), "park_type": _tx("park_type", lang),
            **{ind: indicator_header(ind, lang=lang, settings=settings) for ind in INDICATORS},
            "score": _tx("score", lang), "rank": _tx("rank", lang), "rank_in_level": _tx("rank_in_level", lang)}


def shown_table(table: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """A table as the page shows it: the columns named in ``headers``, renamed (ids dropped)."""
    return table[[c for c in headers if c in table.columns]].rename(columns=headers)


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
    rows = rows_for(pd.DataFrame(ev.table), park_ids)
    bars = pd.DataFrame({"name": park_names_of(rows, lang).astype(str).to_numpy(),
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
    rows = rows_for(pd.DataFrame(ev.table), park_ids)
    series = [(str(n), rows.iloc[i]) for i, n in enumerate(park_names_of(rows, lang))]
    if include_reference:
        series.append((reference_name(lang), ev.reference.iloc[0]))
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
            "label": [words.label("indicator", INDICATORS[i], lang) for i in idx],
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
    grid = alt.Chart(rings).mark_line(color="#cccccc", strokeWidth=0.8).encode(x=x, y=y, detail="ring:N", order="order:Q")
    rules = alt.Chart(spokes).mark_rule(color="#cccccc", strokeWidth=0.8).encode(
        x=alt.X("x0:Q", scale=scale, axis=None), y=alt.Y("y0:Q", scale=scale, axis=None), x2="x:Q", y2="y:Q")
    text = alt.Chart(spokes).mark_text(fontSize=10, color="#444444").encode(
        x=alt.X("lx:Q", scale=scale, axis=None), y=alt.Y("ly:Q", scale=scale, axis=None), text="label:N")
    color = alt.Color("series:N", title=_tx("series", lang), legend=alt.Legend(orient="bottom", columns=2))
    tooltip = [alt.Tooltip("series:N", title=_tx("series", lang)),
               alt.Tooltip("label:N", title=_tx("indicator", lang)),
               alt.Tooltip("std:Q", title=_tx("std", lang), format=".1f")]
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
        "name": park_names_of(tb, lang),
        "level": level_labels(tb["level"], lang),
        "park_type": type_labels(tb["park_type"], ev.settings, lang),
        "score": tb["score"].astype(float),
        "rank_in_level": tb["rank_in_level"].astype("Int64"),
        "n_parcels": tb["n_parcels"].astype(int),
        "picked": tb["park_id"].astype(str).isin([str(p) for p in picked]),
    })
    return out.sort_values(["rank", "park_id"], na_position="last", kind="stable").reset_index(drop=True)


def ranking_headers(lang: str = "zh") -> dict[str, str]:
    """Display headers of :func:`ranking_table` (``park_id`` is never shown)."""
    return {"rank": _tx("rank", lang), "name": _tx("park", lang), "level": _tx("level", lang),
            "park_type": _tx("park_type", lang), "score": _tx("score", lang),
            "rank_in_level": _tx("rank_in_level", lang), "n_parcels": _tx("n_parcels", lang),
            "picked": _tx("picked", lang)}


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
        raise EvaluationError("eval_unknown_figure", figure=str(figure))
    row = rows_for(pd.DataFrame(ev.table), [park_id])
    if row.empty:
        raise EvaluationError("eval_park_not_evaluated", park_ids=[str(park_id)])
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


def _idle_label(value, lang: str) -> str:
    return words.label("idle_status", value, lang)


def behind_rows(ev: Evaluation, park_id, figure: str, part: str, *, lang: str = "zh") -> pd.DataFrame:
    """The parcels behind a figure's part, display columns only (land use and statuses in words)."""
    return behind_display(parcels_behind(ev, park_id, figure, part=part), lang=lang)


def behind_display(rows: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """Rows of ``geo.evaluation.parcels_behind`` (a page of them) as :func:`behind_rows` shows them."""
    cols = [c for c in BEHIND_COLUMNS if c in rows.columns]
    out = pd.DataFrame(rows[cols]).reset_index(drop=True)
    if "land_use" in out:
        out["land_use"] = out["land_use"].map(lambda v: words.label("land_use", v, lang), na_action="ignore")
    if "idle_status" in out:
        out["idle_status"] = out["idle_status"].map(lambda v: _idle_label(v, lang), na_action="ignore")
    if "disposal_status" in out:
        out["disposal_status"] = out["disposal_status"].map(
            lambda v: words.label("disposal_stage", v, lang), na_action="ignore")
    return out


def parse_settings(text: str | bytes | None) -> dict | None:
    """
    A YAML settings override → resolved settings; None → defaults.

    Raises a coded error when unusable: EvaluationError (syntax with line and column, a
    value not allowed) or RulesError (a land use of no class).
    """
    if not text:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise EvaluationError("eval_settings_yaml_syntax", **yaml_place(exc)) from None
    if not isinstance(data, dict):
        raise EvaluationError("eval_settings_not_mapping")
    return evaluation_settings(data)


# --------------------------------------------------------------------------- cached computation




def _scope() -> tuple:
    """The logged-in account's parks (empty: every park) — part of the evaluation's cache key."""
    acc = auth.current()
    return tuple(sorted(acc.parks)) if acc is not None and acc.parks else ()


def page_evaluation(settings: dict | None = None) -> Evaluation | None:
    """The evaluation of every park as of the sidebar date (None with a message when no data)."""
    loaded = common.loaded_parcels()
    if loaded is None:
        return None
    _, problems, crs_note = loaded
    common.show_problems(problems, crs_note, lazy=True)
    ws = common.current_workspace()
    review = ws.review_store()
    settings_json = json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str) if settings else ""
    with st.spinner("…"):
        store = ws.case_store()
        return analysis.evaluation(common.data_key(), common.as_of().isoformat(), settings_json, review.location,
                         review.revision(), store.location, store.revision(), _scope())


# --------------------------------------------------------------------------- page


def _settings_panel() -> dict | None:
    with st.expander(_tx("settings")):
        upload = st.file_uploader(_tx("settings_upload"), type=["yaml", "yml"], key="cmp_settings_file")
    if upload is None:
        return None
    try:
        return parse_settings(upload.getvalue())
    except CodedError as exc:
        st.error(_tx("settings_bad_detail", err=common.md_escape(describe(exc, lang()))))
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
    if figure in FIGURES:
        return indicator_header(figure, lang=lang(), settings=ev.settings)
    return words.header(figure, lang())


def _bar_section(ev: Evaluation, picked: list[str]) -> None:
    figure = st.selectbox(_tx("bar_pick"), [*INDICATORS, "score"], key=common.lkey("cmp_bar_ind"),
                          format_func=_bound(lambda f: _figure_label(ev, f)))
    bars, ref = bar_frame(ev, picked, figure, lang=lang())
    title = _figure_label(ev, figure)
    bars = bars.assign(short=short_names(bars["name"]))
    if not math.isnan(ref):
        st.caption(_tx("reference_line", name=reference_name(lang()), value=f"{ref:,.2f}"))

    def make() -> alt.TopLevelMixin:
        chart = alt.Chart(bars).mark_bar().encode(
            x=alt.X("short:N", title=_tx("park"), sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=title),
            tooltip=[alt.Tooltip("name:N", title=_tx("park")), alt.Tooltip("value:Q", title=title, format=",.2f")],
        )
        if math.isnan(ref):
            return chart
        return chart + alt.Chart(pd.DataFrame({"value": [ref], "label": [reference_name(lang())]})).mark_rule(
            color="#d62728", strokeDash=[6, 3]).encode(y="value:Q", tooltip=["label:N", alt.Tooltip("value:Q", format=",.2f")])

    _chart(make, ("bar", frame_key(bars, bars.columns), title, ref, lang()), width="stretch")


@st.cache_resource(max_entries=128, show_spinner=False)
def _chart_spec(key: tuple, _make) -> dict:
    """The Vega-Lite spec of the chart ``_make()`` builds, once per ``key`` for every session."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return _convert_altair_to_vega_lite_spec(_make())


def _chart(make, key: tuple, **kwargs) -> None:
    """
    Show the Altair chart ``make()`` builds, converted once per ``key`` (what the chart shows).

    Building and validating a layered Altair chart and converting it as ``st.altair_chart`` does
    took ~0.15 s of each run for the radar chart; the spec is the same while the figures are.
    """
    try:
        spec = _chart_spec(key, make)
    except ImportError:  # another Streamlit without the converter: convert on every run
        st.altair_chart(make(), **kwargs)
        return
    st.vega_lite_chart(spec=dict(spec), **kwargs)


def _charts_section(ev: Evaluation, picked: list[str]) -> None:
    """
    The bar and radar charts, made only when their expander is open (its open state is kept):
    closed, a page load neither computes nor draws them — Vega in the browser was ~0.5 s of the
    page's drawing on the busy 2-core machine, as on the efficiency page.
    """
    box = st.expander(_tx("charts"), on_change="rerun", key="cmp_charts_open")
    if not box.open:
        return
    with box:
        left, right = st.columns(2)
        with left:
            st.subheader(_tx("bar"))
            _bar_section(ev, picked)
        with right:
            st.subheader(_tx("radar"))
            points = radar_frame(ev, picked, lang=lang())
            # legend entries cut at ~25 characters: "Beihai Hi-tech Industrial …" → "Beihai"
            shown = points.assign(series=short_names(points["series"]))
            _chart(lambda: radar_chart(shown, lang=lang()), ("radar", frame_key(shown, shown.columns), lang()))
            missing = points[points["missing"] & (points["order"] < len(INDICATORS))]
            if len(missing):
                if lang() == "zh":
                    items = "；".join(f"{s}：{'、'.join(g['label'])}" for s, g in missing.groupby("series", sort=False))
                else:
                    items = "; ".join(f"{s}: {', '.join(g['label'])}" for s, g in missing.groupby("series", sort=False))
                st.caption(_tx("radar_note", items=items))


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
        name=park_names_of(gdf, lang()).astype(str),
        map_value=display_value(figure, gdf[figure].astype(float)).round(2),
        score_shown=gdf["score"].astype(float).round(2),
    )[["park_id", "name", "map_value", "score_shown", "geometry"]]
    n_values = int(shown["map_value"].notna().sum())
    tooltip = {"name": _tx("park"), "map_value": label, "score_shown": _tx("score")}
    tk = st.session_state.get("tianditu_tk") or None
    drawn = frame_key(shown, list(shown.columns.drop("geometry")))

    def draw(basemap: str) -> None:
        # Rendered once per (parks drawn and their figures, label, language, basemap) and shared by
        # every session: a rerun ships a reference to the same map, not the map.
        mapview.folium_map(
            lambda: layers.choropleth(shown, "map_value", bins=max(1, min(5, n_values)), id_col="park_id",
                                      label=label, point_markers=True, tooltip_fields=tooltip, basemap=basemap,
                                      tianditu_key=tk, lang=lang()),
            cache_key=("compare", drawn, label, tuple(tooltip.items()), lang(), basemap, tk), key="cmp_map",
            height=480, returned_objects=[], parks_only=True)

    try:
        draw(st.session_state.get("basemap", "none"))
    except ValueError as exc:  # e.g. Tianditu without a key: draw without tiles
        st.error(common.md_escape(describe(exc, lang())))
        draw("none")


def _behind_section(ev: Evaluation, picked: list[str], names: dict[str, str]) -> None:
    # Made only when opened (a closed expander's contents are still computed and shipped), and a
    # page of parcels at a time: a figure's parts can be every supplied parcel of a park.
    box = st.expander(_tx("behind"), on_change="rerun", key="cmp_behind_open")
    if not box.open:
        return
    with box:
        c1, c2, c3 = st.columns([2, 3, 1])
        pid = c1.selectbox(_tx("behind_park"), picked, format_func=lambda p: names.get(p, p),
                           key=common.lkey("cmp_behind_park"))
        figure = c2.selectbox(_tx("behind_figure"), list(FIGURE_PARTS), key=common.lkey("cmp_behind_fig"),
                              format_func=_bound(lambda f: _figure_label(ev, f)))
        parts = figure_breakdown(ev, pid, figure)
        part = c3.radio(_tx("behind_part"), list(parts["part"]),
                        format_func=_bound(lambda p: words.label("figure_part", p, lang())),
                        key=common.lkey("cmp_behind_part"))
        info = parts.set_index("part").loc[part]
        unit = words.label("indicator_unit", info["unit"], lang())
        if pd.isna(info["parcel_column"]):
            st.info(_tx("behind_attr", col=words.header(info["column"], lang(), unit=False),
                        value=f"{info['table_value']:,.2f} {unit}"))
            return
        msg = _tx("behind_sum", n=int(info["n_parcels"]), value=f"{info['parcel_sum']:,.2f} {unit}",
                  table=f"{info['table_value']:,.2f} {unit}")
        st.caption(msg if info["matches"] else f"{msg} — {_tx('behind_mismatch')}")
        page = pager.paged(parcels_behind(ev, pid, figure, part=part), key="cmp_behind_pager", lang=lang())
        rows = behind_display(page, lang=lang())
        for col in ("supply_date", "completion_date"):
            if col in rows:
                rows[col] = display.dates_text(rows[col])
        kinds = {"area_ha": "ha", "floor_area_m2": "m2", "footprint_m2": "m2", "investment_wan": "wan", "tax_wan": "wan"}
        shown = common.headers(rows)
        heads = dict(zip(rows.columns, shown.columns, strict=True))
        frame, config = display.formatted(shown, {heads[c]: k for c, k in kinds.items() if c in heads})
        st.dataframe(frame, column_config=config, hide_index=True, width="stretch", key="cmp_behind_table")


def _download_section(ev: Evaluation, picked: list[str], names: dict[str, str]) -> None:
    from reports import park_report_docx, report_filename

    st.subheader(_tx("downloads"))
    as_of = common.as_of().isoformat()
    ui_lang = lang()
    has_shapes = isinstance(ev.table, gpd.GeoDataFrame) and ev.table.crs is not None
    exports.export_buttons(lambda: evaluation_frame(ev, picked, lang=ui_lang), has_geometry=has_shapes,
                           base_name=t("page_compare"), stamp=as_of, key="cmp_dl", layer="parks",
                           xlsx=lambda: excel_bytes(ev, picked, lang=ui_lang))
    c2, c3 = st.columns(2)
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
    except CodedError as exc:
        st.error(_tx("evaluation_error_detail", err=common.md_escape(describe(exc, lang()))))
        return
    if ev is None:
        return
    table = pd.DataFrame(ev.table)
    ids = table["park_id"].astype(str).tolist()
    names = dict(zip(ids, park_names_of(table, lang()).astype(str), strict=True))
    national = [p for p, lv in zip(ids, table["level"], strict=True) if lv == "national"]
    picked = st.multiselect(_tx("pick"), ids, format_func=lambda p: names.get(p, p),
                            key=common.lkey("cmp_parks", national or ids[:2]))
    if ev.notes:
        with st.expander(_tx("notes")):
            st.markdown("\n".join(f"- {common.md_escape(words.render(note, lang()))}" for note in ev.notes))
    if len(picked) < 2:
        st.info(_tx("need_two"))
        return

    st.subheader(_tx("table"))
    shown = indicator_table(ev, picked, lang=lang())
    heads = indicator_headers(lang=lang(), settings=ev.settings)
    frame, config = display.formatted(shown_table(shown, heads), display_kinds(heads))
    st.dataframe(frame, column_config=config, hide_index=True, width="stretch", key="cmp_table")
    ref = ev.reference.iloc[0]
    st.caption(_tx("published", pub=float(ref["published_score"]), calc=float(ref["score"])))

    _charts_section(ev, picked)

    st.subheader(_tx("map"))
    _map_section(ev, picked)

    st.subheader(_tx("ranking"))
    ranking = ranking_table(ev, lang=lang(), picked=picked)
    rank_heads = ranking_headers(lang())
    ranking = ranking.assign(picked=ranking["picked"].map(lambda v: words.yes_no(v, lang())))
    frame, config = display.formatted(shown_table(ranking, rank_heads), display_kinds(rank_heads))
    st.dataframe(frame, column_config=config, hide_index=True, width="stretch", height=38 + 35 * len(ranking),
                 key="cmp_ranking")

    _behind_section(ev, picked, names)
    _download_section(ev, picked, names)

    with st.expander(_tx("settings_used")):
        st.dataframe(settings_table(ev.settings, lang=lang()), hide_index=True, width="stretch",
                     key="cmp_settings_table")


if __name__ == "__main__":
    render()
