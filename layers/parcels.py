"""
Parcel maps: categorical (status, land use) and numeric (FAR, an indicator).

A map never carries every parcel of the province: callers pass the parcels of
the parks the user picked; above ``MAX_PARCELS_PER_MAP`` the builders refuse
and ``check_map_size`` gives the message to show instead.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import branca.colormap
import folium
import geopandas as gpd
import numpy as np
import pandas as pd

import words
from layers.classes import MISSING_COLOR, OTHER_COLOR, MapClass, draw_classes
from layers.orientation import map_word
from layers.parks import add_park_labels

#: Largest selection drawn as a folium map: from :data:`CANVAS_FROM_PARCELS` on, the parcels are
#: one canvas drawn from flat arrays (``layers.canvas``; 100,000 parcels ≈ 18 MB of data, drawn in
#: ~0.1 s by Chromium); above it the pages draw with WebGL. Was 20,000 with a Leaflet layer per
#: parcel (~6 MB page, a few seconds in Chromium). ``$GXLAND_MAP_MAX_PARCELS`` lowers it.
MAX_PARCELS_PER_MAP = 100_000
#: From this many parcels on, draw them on one canvas from flat arrays (``layers.canvas``) instead of
#: one SVG path each (a park's flagged parcels at 250,000 parcels are ~3,500 paths for Chromium to
#: lay out). ``views.mapview.canvas_from`` reads ``$GXLAND_MAP_CANVAS_FROM`` over it.
CANVAS_FROM_PARCELS = 2_000
#: Sequential YlOrRd ramp (ColorBrewer, 9 classes) for numeric maps.
YLORRD_9 = (
    "#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026",
)  # fmt: skip


class MapTooLargeError(ValueError):
    """The selection has more parcels than one map may carry."""


def check_map_size(n_parcels: int, *, limit: int = MAX_PARCELS_PER_MAP, lang: str = "zh") -> str | None:
    """
    Message to show when a selection is too large for one map, else None.

    ``n_parcels == limit`` is still drawn.
    """
    if n_parcels <= limit:
        return None
    return words.text("map_too_large", lang, n=n_parcels, limit=limit)


def _require_size(n: int, limit: int, lang: str) -> None:
    msg = check_map_size(n, limit=limit, lang=lang)
    if msg:
        raise MapTooLargeError(msg)


def _column_label(col: str, lang: str) -> str:
    """A column's header in words, with its unit (``far`` → 容积率); unknown names as written."""
    return words.header(col, lang)


def _default_tooltip(id_col: str, value_col: str, lang: str) -> dict[str, str]:
    return {id_col: _column_label(id_col, lang), value_col: _column_label(value_col, lang)}


def parcel_map(
    parcels: gpd.GeoDataFrame,
    *,
    color_col: str,
    colors: dict,
    labels: dict | None = None,
    tooltip_fields: dict[str, str] | None = None,
    parks: gpd.GeoDataFrame | None = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
    highlight_id: str | None = None,
    legend_title: str | None = None,
    id_col: str = "parcel_id",
    lang: str = "zh",
    max_parcels: int = MAX_PARCELS_PER_MAP,
    canvas_from: int = CANVAS_FROM_PARCELS,
    data_key: Hashable | None = None,
) -> folium.Map:
    """
    Parcels coloured by a categorical column, with legend and tooltips.

    Parameters
    ----------
    parcels
        Parcels in any CRS with ``id_col``, ``color_col`` and the tooltip columns.
    color_col
        Column holding class codes (e.g. ``idle_status``, ``land_use``).
    colors
        ``{code: colour}`` in legend order; codes absent from it are drawn
        grey as "其他/Other", missing values pale as "无数据/No data".
    labels
        ``{code: label}`` for legend and tooltip; defaults to the code.
    tooltip_fields
        ``{column: label}``; default ``id_col`` and ``color_col``. The
        ``color_col`` value is shown by its label. Only these columns and
        ``id_col`` are sent to the browser.
    parks
        Park boundaries drawn as outlines.
    basemap, tianditu_key
        See ``layers.basemap``; default no tiles.
    highlight_id
        Parcel drawn with a thick outline.
    legend_title
        Default: the column's Chinese/English name.
    id_col
        Identifier column read back on click.
    lang
        ``"zh"`` or ``"en"``.
    max_parcels
        Refuse larger selections.
    canvas_from
        From this many parcels on, draw them on one canvas (``layers.canvas``).
    data_key
        Names the parcels, their classes and tooltip values: drawn on a canvas, their data are made
        once per key (``layers.canvas.DATA``; the server's preparer makes a page's ahead).

    Raises
    ------
    MapTooLargeError
        When ``len(parcels) > max_parcels``; show ``str(err)`` and offer to narrow.
    KeyError
        When a column is missing.
    """
    _require_size(len(parcels), max_parcels, lang)
    if color_col not in parcels.columns:
        raise KeyError(
            f"colour column {color_col!r} is not in the parcels (columns: {list(parcels.columns)})"
        )
    labels = labels or {}
    tooltip_fields = (
        dict(tooltip_fields) if tooltip_fields is not None else _default_tooltip(id_col, color_col, lang)
    )

    raw = parcels[color_col]
    known = raw.isin(list(colors))
    other_code, missing_code = "\x00other", "\x00missing"
    codes = raw.astype(object).where(known, other_code).where(raw.notna(), missing_code)
    classes = [MapClass(code, str(labels.get(code, code)), color) for code, color in colors.items()]
    if (codes == other_code).any():
        classes.append(MapClass(other_code, map_word("other", lang), OTHER_COLOR))
    if (codes == missing_code).any():
        classes.append(MapClass(missing_code, map_word("no_data", lang), MISSING_COLOR))

    data = parcels
    if color_col in tooltip_fields and labels:
        data = parcels.copy()
        data[color_col] = raw.map(lambda v: labels.get(v, v), na_action="ignore")
    m = draw_classes(
        data,
        codes,
        classes,
        id_col=id_col,
        tooltip_fields=tooltip_fields,
        legend_title=legend_title if legend_title is not None else _column_label(color_col, lang),
        parks=parks,
        basemap=basemap,
        tianditu_key=tianditu_key,
        highlight_id=highlight_id,
        lang=lang,
        prefer_canvas=len(parcels) >= canvas_from,
        data_key=data_key,
    )
    return add_park_labels(m, parks, lang=lang)


def _fmt(x: float, decimals: int) -> str:
    s = f"{x:.{decimals}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def class_edges(values: pd.Series, bins: int | Sequence[float], *, decimals: int = 2) -> np.ndarray:
    """
    Class edges for a numeric map.

    Parameters
    ----------
    values
        The numbers to classify (NaN ignored).
    bins
        A number of quantile classes, or explicit increasing edges (``±inf`` allowed).
    decimals
        Quantile edges are rounded to this many decimals (first edge down, last
        up) so the legend shows the edges actually used.

    Returns
    -------
    edges
        Strictly increasing; ``len(edges) - 1`` classes.
    """
    if isinstance(bins, int | np.integer):
        if bins < 1:
            raise ValueError(f"bins must be >= 1, got {bins}")
        v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        if v.size == 0:
            return np.array([0.0, 1.0])
        q = np.quantile(v, np.linspace(0, 1, bins + 1))
        scale = 10.0**decimals
        q = np.round(q, decimals)
        q[0] = np.floor(v.min() * scale) / scale
        q[-1] = np.ceil(v.max() * scale) / scale
        edges = np.unique(q)
        if edges.size == 1:
            edges = np.array([edges[0], edges[0] + 1 / scale])
        return edges
    edges = np.asarray(list(bins), dtype=float)
    if edges.size < 2 or np.any(np.diff(edges) <= 0) or np.isnan(edges).any():
        raise ValueError(f"bin edges must be at least two strictly increasing numbers, got {list(bins)}")
    return edges


def classify(values: pd.Series, edges: np.ndarray) -> pd.Series:
    """
    Class index of each value: ``i`` for ``edges[i] <= v < edges[i+1]``, the
    last class closed (``v == edges[-1]`` included); -1 outside, -2 missing.

    Left-closed classes keep a threshold value with the compliant side
    (a FAR of exactly 0.8 sits in ``0.8 ≤ x < …``).
    """
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    idx = np.searchsorted(edges, v, side="right") - 1
    k = edges.size - 1
    idx = np.where(v == edges[-1], k - 1, idx)
    idx = np.where((v < edges[0]) | (v > edges[-1]) | (idx >= k), -1, idx)
    idx = np.where(np.isnan(v), -2, idx)
    return pd.Series(idx, index=values.index, dtype=int)


def class_labels(edges: np.ndarray, *, decimals: int = 2) -> list[str]:
    """Legend labels ``a ≤ x < b`` (last ``a ≤ x ≤ b``; ``x ≥ a`` / ``x < b`` for infinite edges)."""
    out = []
    k = edges.size - 1
    for i in range(k):
        a, b = edges[i], edges[i + 1]
        last = i == k - 1
        if np.isinf(a) and np.isinf(b):
            out.append("x")
        elif np.isinf(a):
            out.append(f"x {'≤' if last else '<'} {_fmt(b, decimals)}")
        elif np.isinf(b):
            out.append(f"x ≥ {_fmt(a, decimals)}")
        else:
            out.append(f"{_fmt(a, decimals)} ≤ x {'≤' if last else '<'} {_fmt(b, decimals)}")
    return out


def _ramp(colormap, k: int) -> list[str]:
    if colormap is None:
        colormap = YLORRD_9
    if isinstance(colormap, branca.colormap.ColorMap):
        lo, hi = colormap.vmin, colormap.vmax
        return [colormap.rgb_hex_str(lo + (i + 0.5) / k * (hi - lo)) for i in range(k)]
    ramp = list(colormap)
    if not ramp:
        raise ValueError("colormap has no colours")
    if k == 1:
        return [ramp[len(ramp) // 2]]
    pos = np.round(np.linspace(0, len(ramp) - 1, k)).astype(int)
    return [ramp[p] for p in pos]


def choropleth(
    gdf: gpd.GeoDataFrame,
    value_col: str,
    *,
    bins: int | Sequence[float] = 5,
    colormap: Sequence[str] | branca.colormap.ColorMap | None = None,
    label: str | None = None,
    tooltip_fields: dict[str, str] | None = None,
    parks: gpd.GeoDataFrame | None = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
    highlight_id: str | None = None,
    id_col: str = "parcel_id",
    decimals: int = 2,
    lang: str = "zh",
    max_parcels: int = MAX_PARCELS_PER_MAP,
    point_markers: bool = False,
) -> folium.Map:
    """
    Parcels coloured by a numeric column in classes.

    Parameters
    ----------
    gdf
        Parcels (any CRS) with ``id_col`` and ``value_col``.
    value_col
        Numbers to classify (FAR, an indicator).
    bins
        Number of quantile classes or explicit edges, e.g. ``[0, 0.5, 0.8, 1.0, inf]``.
        Classes are left-closed: ``a ≤ x < b``; the last one includes its upper edge.
    colormap
        List of colours (sampled evenly) or a branca colormap; default YlOrRd.
    label
        Legend title; default the column's name.
    tooltip_fields
        ``{column: label}``; default ``id_col`` and ``value_col``.
    parks, basemap, tianditu_key, highlight_id, id_col, lang, max_parcels
        As in ``parcel_map``.
    decimals
        Decimals of quantile edges and legend labels.
    point_markers
        Also mark each feature with a circle of fixed size (parks at region scale).

    Notes
    -----
    Values outside explicit edges are drawn grey ("其他/Other"), missing ones
    pale ("无数据/No data"). The legend is drawn by ``layers.legend`` rather than
    a branca colormap: streamlit-folium adds d3 from a CDN for any branca colormap.
    """
    _require_size(len(gdf), max_parcels, lang)
    if value_col not in gdf.columns:
        raise KeyError(f"value column {value_col!r} is not in the data (columns: {list(gdf.columns)})")
    edges = class_edges(gdf[value_col], bins, decimals=decimals)
    idx = classify(gdf[value_col], edges)
    colors = _ramp(colormap, edges.size - 1)
    classes = [MapClass(i, lab, colors[i]) for i, lab in enumerate(class_labels(edges, decimals=decimals))]
    if (idx == -1).any():
        classes.append(MapClass(-1, map_word("other", lang), OTHER_COLOR))
    if (idx == -2).any():
        classes.append(MapClass(-2, map_word("no_data", lang), MISSING_COLOR))
    tooltip_fields = (
        dict(tooltip_fields) if tooltip_fields is not None else _default_tooltip(id_col, value_col, lang)
    )
    m = draw_classes(
        gdf,
        idx,
        classes,
        id_col=id_col,
        tooltip_fields=tooltip_fields,
        legend_title=label if label is not None else _column_label(value_col, lang),
        parks=parks,
        basemap=basemap,
        tianditu_key=tianditu_key,
        highlight_id=highlight_id,
        lang=lang,
        prefer_canvas=len(gdf) >= CANVAS_FROM_PARCELS,
        fill_opacity=0.75,
        point_markers=point_markers,
    )
    if parks is not None:
        return add_park_labels(m, parks, lang=lang)
    if id_col == "park_id":  # a choropleth of the parks themselves
        return add_park_labels(m, gdf, lang=lang, highlight_id=highlight_id)
    return m
