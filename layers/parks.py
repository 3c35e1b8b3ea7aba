"""
Overview map: park boundaries coloured by level (or another column), with per-park figures.

The overview never draws parcels; per-park aggregates (idle area, score …)
joined onto ``parks`` by the caller can be added to the tooltip. Every park is
labelled with its name on the map (the selected one stands out), over Guangxi's
boundary and city seats (``layers.orientation``).
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

import words
from geo import vocab
from geo.crs import area_m2_remembered, m2_to_ha, m2_to_mu, to_web
from layers.base import feature_collection
from layers.classes import MISSING_COLOR, OTHER_COLOR, MapClass, draw_classes
from layers.orientation import Labels, Rings, map_word
from words.map import SHORT_NAME

LEVEL_COLORS = {"national": "#d62728", "regional": "#1f77b4"}
#: Categorical palette (Tableau 10) for ``color_by`` columns other than level.
PALETTE_10 = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip


def level_label(code, lang: str = "zh") -> str:
    """A park level code (``national``) in words (国家级)."""
    return words.label("park_level", code, lang)


def _level_codes(level: pd.Series) -> pd.Series:
    """Accept codes (``national``) and every spelling geo.vocab knows (``国家级``); others as written."""
    codes, unknown = vocab.normalise("park_level", level)
    s = level.astype(object).where(level.notna(), None)
    raw = s.map(lambda v: str(v).strip(), na_action="ignore")
    return codes.astype(object).where(~unknown, raw).where(codes.notna() | unknown, None)


def park_display_frame(parks: gpd.GeoDataFrame, *, lang: str = "zh") -> gpd.GeoDataFrame:
    """
    ``parks`` plus the columns the overview shows.

    Adds ``name`` (Chinese or English name), ``level_label``, ``area_mu`` (1
    decimal) and ``area_ha`` (2 decimals), areas measured each in its own GK
    zone (``geo.crs.area_m2``, remembered per geometry).
    """
    out = parks.copy()
    a = area_m2_remembered(parks)
    out["area_mu"] = m2_to_mu(a).round(1)
    out["area_ha"] = m2_to_ha(a).round(2)
    if lang == "en" and "name_en" in parks.columns:
        name = parks["name_en"].where(parks["name_en"].notna() & (parks["name_en"].astype(str) != ""))
        out["name"] = name.fillna(parks["name_zh"]) if "name_zh" in parks.columns else name
    elif "name_zh" in parks.columns:
        out["name"] = parks["name_zh"]
    else:
        out["name"] = parks.get("park_id")
    if "level" in parks.columns:
        codes = _level_codes(parks["level"])
        out["level_label"] = codes.map(lambda v: level_label(v, lang), na_action="ignore")
    return out


def default_park_tooltip(columns, *, lang: str = "zh") -> dict[str, str]:
    """Name, level, city and area (亩, 公顷) — those present in ``columns``."""
    wanted = {
        "name": map_word("park_name", lang),
        "level_label": map_word("park_level", lang),
        "city": words.header("city", lang),
        "area_mu": map_word("park_area_mu", lang),
        "area_ha": map_word("park_area_ha", lang),
    }
    return {c: lab for c, lab in wanted.items() if c in columns}


def park_map(
    parks: gpd.GeoDataFrame,
    *,
    color_by: str = "level",
    colors: dict | None = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
    lang: str = "zh",
    tooltip_fields: dict[str, str] | None = None,
    highlight_id: str | None = None,
    id_col: str = "park_id",
    legend_title: str | None = None,
) -> folium.Map:
    """
    Park boundaries coloured by level (national / region-level) with legend and tooltip.

    Parameters
    ----------
    parks
        Parks in any CRS with ``park_id``, ``name_zh``, ``level``, ``city`` (as
        in ``geo.schema.PARK_COLUMNS``) and any per-park aggregates.
    color_by
        ``"level"`` or another column (categorical colours, sorted values).
    colors
        ``{value: colour}`` overriding the defaults.
    basemap, tianditu_key
        See ``layers.basemap``; default no tiles.
    lang
        ``"zh"`` or ``"en"``.
    tooltip_fields
        ``{column: label}``; default name, level, city, area (亩, 公顷). May name
        the computed columns ``name``, ``level_label``, ``area_mu``, ``area_ha``
        and any column of ``parks``.
    highlight_id
        ``park_id`` drawn with a thick outline.
    id_col
        Identifier sent with each feature (read back on click).
    legend_title
        Default: the column's name.
    """
    frame = park_display_frame(parks, lang=lang)
    if color_by not in frame.columns:
        raise KeyError(f"color_by {color_by!r} is not a column of the parks (columns: {list(parks.columns)})")
    if tooltip_fields is None:
        tooltip_fields = default_park_tooltip(frame.columns, lang=lang)
    if legend_title is not None:
        title = legend_title
    elif color_by == "level":
        title = map_word("park_level", lang)
    else:
        title = words.header(color_by, lang)

    if color_by == "level":
        codes = _level_codes(frame["level"])
        palette = {**LEVEL_COLORS, **(colors or {})}
        classes = [MapClass(c, level_label(c, lang), palette[c]) for c in palette]
    else:
        codes = frame[color_by].astype(object).where(frame[color_by].notna(), None)
        values = sorted({str(v) for v in codes.dropna()})
        codes = codes.map(str, na_action="ignore")
        palette = colors or {v: PALETTE_10[i % len(PALETTE_10)] for i, v in enumerate(values)}
        classes = [MapClass(str(c), str(c), color) for c, color in palette.items()]
    known = codes.isin([c.code for c in classes])
    other_code, missing_code = "\x00other", "\x00missing"
    codes = codes.where(known, other_code).where(codes.notna(), missing_code)
    if (codes == other_code).any():
        classes.append(MapClass(other_code, map_word("other", lang), OTHER_COLOR))
    if (codes == missing_code).any():
        classes.append(MapClass(missing_code, map_word("no_data", lang), MISSING_COLOR))
    m = draw_classes(
        frame,
        codes,
        classes,
        id_col=id_col,
        tooltip_fields=tooltip_fields,
        legend_title=title,
        basemap=basemap,
        tianditu_key=tianditu_key,
        highlight_id=highlight_id,
        lang=lang,
        fill_opacity=0.35,
        point_markers=True,
    )
    return add_park_labels(m, frame, lang=lang, id_col=id_col, highlight_id=highlight_id)


def short_name(names: pd.Series, lang: str = "zh") -> pd.Series:
    """Park names in their usual short form for map labels (南宁高新技术产业开发区 → 南宁高新区)."""
    out = names.astype(object).where(names.notna(), None).map(str, na_action="ignore")
    for long, short in SHORT_NAME["en" if lang == "en" else "zh"].items():
        out = out.str.replace(long, short, regex=False)
    return out


def park_labels(
    parks: gpd.GeoDataFrame, *, lang: str = "zh", id_col: str = "park_id"
) -> pd.DataFrame:
    """
    One label per park: its short name at a point inside its largest part.

    A park drawn as several polygons (一区多园) gets one label, not one per sub-park.

    Returns
    -------
    labels
        ``id``, ``lat``, ``lon``, ``text`` (HTML-escaped), one row per park with a name.
    """
    if "name" not in parks.columns and not {"name_zh", "name_en"} & set(parks.columns):
        return pd.DataFrame(columns=["id", "lat", "lon", "text"])  # a park is never labelled by its id
    frame = park_display_frame(parks, lang=lang) if "name" not in parks.columns else parks
    keep = frame.geometry.notna() & ~frame.geometry.is_empty & frame["name"].notna()
    frame = frame.loc[keep]
    if frame.empty:
        return pd.DataFrame(columns=["id", "lat", "lon", "text"])
    web = to_web(frame[[id_col, "name", frame.geometry.name]])
    parts = web.explode(index_parts=False)
    parts = parts.assign(_a=area_m2_remembered(parts)).sort_values("_a", ascending=False)
    first = parts.drop_duplicates(subset=id_col if id_col in parts.columns else "name")
    pts = first.geometry.representative_point()
    text = short_name(first["name"], lang).map(html.escape, na_action="ignore")
    return pd.DataFrame(
        {"id": first[id_col].astype(str) if id_col in first.columns else first["name"].astype(str),
         "lat": pts.y.round(6), "lon": pts.x.round(6), "text": text}
    ).reset_index(drop=True)


def add_park_labels(
    m: folium.Map,
    parks: gpd.GeoDataFrame | None,
    *,
    lang: str = "zh",
    id_col: str = "park_id",
    highlight_id: str | None = None,
) -> folium.Map:
    """
    Label every park of ``parks`` on ``m`` with its (short) name; the park ``highlight_id``
    in the highlight style. Returns ``m``.
    """
    if parks is None or len(parks) == 0:
        return m
    labels = park_labels(parks, lang=lang, id_col=id_col)
    selected = labels["id"] == str(highlight_id) if highlight_id is not None else labels["id"] != labels["id"]
    below = crowded_below(labels)
    rows = labels.drop(columns="id")
    for mask, css, direction in (
        (~selected & ~below, "gx-label-park", "right"),
        (~selected & below, "gx-label-park", "bottom"),
        (selected & ~below, "gx-label-selected", "right"),
        (selected & below, "gx-label-selected", "bottom"),
    ):
        if mask.any():
            Labels(rows.loc[mask].to_dict("records"), css_class=css, direction=direction).add_to(m)
    return m


#: Two labels closer than this (degrees) would overlap at the zoom that shows all Guangxi
#: (≈ 90 px per degree at zoom 7; a label is ≈ 15 px high and ≈ 90 px wide).
CROWD_DLAT_DEG = 0.15
CROWD_DLON_DEG = 1.0


def crowded_below(labels: pd.DataFrame) -> pd.Series:
    """
    Labels that would sit under another one drawn to the right of a nearby park: those
    are drawn below their park instead (e.g. 柳州高新区 and 柳州河西高新区, 3 km apart).
    """
    lat = labels["lat"].to_numpy(dtype=float)
    lon = labels["lon"].to_numpy(dtype=float)
    near = (np.abs(lat[:, None] - lat[None, :]) < CROWD_DLAT_DEG) & (np.abs(lon[:, None] - lon[None, :]) < CROWD_DLON_DEG)
    order = np.arange(len(lat))  # equal latitudes: the first one keeps its place
    higher = (lat[None, :] > lat[:, None]) | ((lat[None, :] == lat[:, None]) & (order[None, :] < order[:, None]))
    return pd.Series((near & higher).any(axis=1), index=labels.index)


#: Colour of the selected park's outline and ring (as ``layers.classes.HIGHLIGHT_COLOR``).
SELECTED_COLOR = "#00e5ff"


def park_highlight(
    parks: gpd.GeoDataFrame,
    park_id: str | None,
    *,
    lang: str = "zh",
    id_col: str = "park_id",
) -> folium.FeatureGroup | None:
    """
    The selected park, drawn on top: thick outline, a ring around its marker and its name
    boxed; None when ``park_id`` is None or not among ``parks``.

    Pass it to ``st_folium(m, feature_group_to_add=...)`` so that a new selection does not
    make a new map (the click that made it would be lost; see ``layers.classes.highlight_layer``).
    Nothing in it catches clicks: the park underneath still answers them.
    """
    if park_id is None or id_col not in parks.columns:
        return None
    hit = parks[(parks[id_col].astype(str) == str(park_id)).to_numpy(dtype=bool)]
    if hit.empty:
        return None
    group = folium.FeatureGroup(name=map_word("park_selected", lang), control=False)
    outline = {"color": SELECTED_COLOR, "weight": 4, "fill": False}
    folium.GeoJson(feature_collection(hit, []), style_function=lambda _f: outline, interactive=False).add_to(group)
    labels = park_labels(hit, lang=lang, id_col=id_col)
    if len(labels):
        Rings(labels.to_dict("records"), color=SELECTED_COLOR).add_to(group)
        Labels(labels.drop(columns="id").to_dict("records"), css_class="gx-label-selected").add_to(group)
    return group
