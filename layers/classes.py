"""
Polygons coloured by class: one GeoJSON layer per class, plus legend.

One layer per class keeps the page lean: every feature of a layer shares one
style, so folium emits no per-feature style table, and a class can later be
toggled on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd

from layers.base import base_map, data_bounds, feature_collection, polygon_layer
from layers.legend import Legend, check_color

#: Outline drawn around the parcel the user selected.
HIGHLIGHT_COLOR = "#00e5ff"
PARK_OUTLINE_COLOR = "#333333"
OTHER_COLOR = "#bdbdbd"
MISSING_COLOR = "#f0f0f0"

TEXT = {
    "zh": {"other": "其他", "missing": "无数据", "parks": "园区边界", "selected": "选中"},
    "en": {"other": "Other", "missing": "No data", "parks": "Park boundary", "selected": "Selected"},
}


def text(key: str, lang: str) -> str:
    """A UI word in ``lang`` (``zh`` default)."""
    return TEXT.get(lang, TEXT["zh"])[key]


@dataclass(frozen=True)
class MapClass:
    """One legend entry: the class code in the data, its label and fill colour."""

    code: object
    label: str
    color: str


def draw_classes(
    gdf: gpd.GeoDataFrame,
    class_codes: pd.Series,
    classes: list[MapClass],
    *,
    id_col: str,
    tooltip_fields: dict[str, str],
    legend_title: str,
    parks: gpd.GeoDataFrame | None = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
    highlight_id: str | None = None,
    lang: str = "zh",
    fill_opacity: float = 0.6,
    prefer_canvas: bool = False,
) -> folium.Map:
    """
    A map of ``gdf`` coloured by ``class_codes`` (aligned to ``gdf.index``).

    Parameters
    ----------
    gdf
        Polygons in any CRS; must contain ``id_col`` and the tooltip columns.
    class_codes
        The class of each row; codes not in ``classes`` are not drawn.
    classes
        Legend order, labels and colours.
    id_col
        Identifier sent with every feature (read back on click).
    tooltip_fields
        ``{column: label}`` shown on hover; only these (and ``id_col``) are sent.
    legend_title
        Legend heading.
    parks
        Park boundaries drawn as non-interactive outlines underneath.
    basemap, tianditu_key, lang
        See ``layers.base.base_map``.
    highlight_id
        ``id_col`` value drawn with a thick outline on top.
    fill_opacity
        Fill opacity of the classes.
    prefer_canvas
        Use Leaflet's canvas renderer.
    """
    if id_col not in gdf.columns:
        raise KeyError(
            f"map data have no {id_col!r} column (columns: {list(gdf.columns)}): it identifies clicks"
        )
    fields = [id_col, *(f for f in tooltip_fields if f != id_col)]
    m = base_map(
        data_bounds([gdf, parks]),
        basemap=basemap,
        tianditu_key=tianditu_key,
        lang=lang,
        prefer_canvas=prefer_canvas,
    )
    outline = []
    if parks is not None and len(parks):
        park_fc = feature_collection(parks, [])
        style = {"color": PARK_OUTLINE_COLOR, "weight": 2, "dashArray": "6 4", "fill": False}
        layer = polygon_layer(park_fc, name=text("parks", lang), style=style, interactive=False)
        if layer is not None:
            layer.add_to(m)
            outline.append((text("parks", lang), PARK_OUTLINE_COLOR))

    codes = class_codes.reindex(gdf.index)
    for cls in classes:
        sel = (codes == cls.code).fillna(False).to_numpy(dtype=bool)
        if not sel.any():
            continue
        style = {
            "color": "#444444",
            "weight": 1,
            "fillColor": check_color(cls.color),
            "fillOpacity": fill_opacity,
        }
        fc = feature_collection(gdf.loc[sel], fields)
        layer = polygon_layer(fc, name=cls.label, style=style, tooltip_fields=tooltip_fields)
        if layer is not None:
            layer.add_to(m)

    if highlight_id is not None:
        layer = highlight_layer(gdf, highlight_id, id_col=id_col, tooltip_fields=tooltip_fields, lang=lang)
        if layer is not None:
            layer.add_to(m)
            outline.append((text("selected", lang), HIGHLIGHT_COLOR))

    Legend(legend_title, [(c.label, c.color) for c in classes], outline=outline).add_to(m)
    return m


def highlight_layer(
    gdf: gpd.GeoDataFrame,
    highlight_id: str | None,
    *,
    id_col: str = "parcel_id",
    tooltip_fields: dict[str, str] | None = None,
    lang: str = "zh",
) -> folium.FeatureGroup | None:
    """
    The selected feature as a thick outline, in its own feature group; None if not found.

    Pass it to ``st_folium(m, feature_group_to_add=...)`` rather than drawing it
    into the map (``highlight_id=``): st_folium keys its component on the
    map's script, so a map that changes with the selection is a new component
    on every click and the click that changed it is lost; feature groups added
    this way leave the key alone.

    Parameters
    ----------
    gdf
        The features (any CRS) among which to find ``highlight_id``.
    highlight_id
        Value of ``id_col`` to outline; None gives None.
    id_col
        Identifier column.
    tooltip_fields
        ``{column: label}`` for the outline's tooltip (a click on it still
        returns ``id_col``).
    lang
        ``"zh"`` or ``"en"`` (layer name).
    """
    if highlight_id is None or id_col not in gdf.columns:
        return None
    hit = (gdf[id_col].astype(str) == str(highlight_id)).to_numpy(dtype=bool)
    if not hit.any():
        return None
    tooltip_fields = tooltip_fields or {}
    fields = [id_col, *(f for f in tooltip_fields if f != id_col)]
    style = {"color": HIGHLIGHT_COLOR, "weight": 4, "fill": True, "fillOpacity": 0.0}
    fc = feature_collection(gdf.loc[hit], fields)
    group = folium.FeatureGroup(name=text("selected", lang), control=False)
    polygon_layer(fc, name=text("selected", lang), style=style, tooltip_fields=tooltip_fields).add_to(group)
    return group
