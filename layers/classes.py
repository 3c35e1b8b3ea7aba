"""
Polygons coloured by class: one GeoJSON layer per class, plus legend.

One layer per class keeps the page lean: every feature of a layer shares one
style, so folium emits no per-feature style table, and a class can later be
toggled on its own.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd

from layers.base import base_map, data_bounds, feature_collection, polygon_layer, tooltip
from layers.legend import Legend, check_color

#: Outline drawn around the parcel the user selected.
HIGHLIGHT_COLOR = "#00e5ff"
PARK_OUTLINE_COLOR = "#333333"
OTHER_COLOR = "#bdbdbd"
MISSING_COLOR = "#f0f0f0"
#: Width kept free on the right when fitting marked features (parks): the legend sits bottom
#: right. Not for parcel maps: the padding costs a whole zoom level, and parcels turn to specks.
LEGEND_ROOM_PX = 240

#: Fill colour of each idle status (codes of ``geo.idle.IDLE_STATUSES``, legend order): cool for
#: "not yet", yellow → red → dark red as the clocks of order No. 53 run, purple for
#: government causes, magenta for idle land whose cause is still to be established, green/blue
#: for land in use.
IDLE_STATUS_COLORS: dict[str, str] = {
    "not_supplied": "#deebf7",
    "not_due": "#9ecae1",
    "overdue": "#fdd835",
    "stalled": "#fb8c00",
    "idle_suspected": "#d81b60",
    "idle_fee": "#e53935",
    "idle_recover": "#7f0000",
    "idle_exempt": "#8e24aa",
    "active": "#43a047",
    "completed": "#1e88e5",
    "unknown": "#9e9e9e",
}

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
    point_markers: bool = False,
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
    point_markers
        Also draw each feature as a circle of fixed screen size at a point inside it,
        in its class colour, with the same tooltip and id: parks of a few km² are
        specks at the zoom that shows all of Guangxi. The fit then keeps
        :data:`LEGEND_ROOM_PX` free on the right so the legend hides no marker.
    """
    if id_col not in gdf.columns:
        raise KeyError(
            f"map data have no {id_col!r} column (columns: {list(gdf.columns)}): it identifies clicks"
        )
    fields = [id_col, *(f for f in tooltip_fields if f != id_col)]
    # Fit what the user asked to see: the parcels (their parks' outlines may run off the edge).
    m = base_map(
        data_bounds([gdf] if len(gdf) else [parks]),
        basemap=basemap,
        tianditu_key=tianditu_key,
        lang=lang,
        prefer_canvas=prefer_canvas,
        legend_room_px=LEGEND_ROOM_PX if point_markers else 0,
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
        if point_markers:
            marker_layer(gdf.loc[sel], fields, cls.color, name=cls.label, tooltip_fields=tooltip_fields).add_to(m)

    if highlight_id is not None:
        layer = highlight_layer(gdf, highlight_id, id_col=id_col, tooltip_fields=tooltip_fields, lang=lang)
        if layer is not None:
            layer.add_to(m)
            outline.append((text("selected", lang), HIGHLIGHT_COLOR))

    Legend(legend_title, [(c.label, c.color) for c in classes], outline=outline).add_to(m)
    return m


def marker_layer(
    gdf: gpd.GeoDataFrame,
    fields: list[str],
    color: str,
    *,
    name: str,
    tooltip_fields: dict[str, str],
    radius_px: int = 7,
) -> folium.GeoJson:
    """
    Circle markers (``radius_px`` on screen at any zoom) at a point inside each feature.

    The point is ``representative_point`` (always inside the polygon, unlike the
    centroid of a crescent-shaped park); features carry ``fields`` as properties so
    a click returns the same id as a click on the polygon.
    """
    points = gdf[fields].copy()
    points = gpd.GeoDataFrame(points, geometry=gdf.geometry.representative_point(), crs=gdf.crs)
    fc = feature_collection(points, fields)
    style = {"color": "#333333", "weight": 1, "fillColor": check_color(color), "fillOpacity": 0.9}
    return folium.GeoJson(
        fc,
        name=name,
        marker=folium.CircleMarker(radius=radius_px, fill=True),
        style_function=lambda _feature: style,
        tooltip=tooltip(tooltip_fields) if tooltip_fields else None,
    )


def restyle_script(changes: dict[str, tuple[str, str]], *, id_col: str = "parcel_id",
                   label_field: str | None = None) -> str:
    """
    A script for streamlit-folium's frontend that recolours a drawn map's parcels in place.

    ``changes``: ``{id: (fill colour, label)}`` of the parcels whose class differs from the one the
    map was drawn with (:func:`draw_classes`); every other parcel goes back to its drawn colour and
    label. The label replaces the feature's ``label_field`` property, which its tooltip reads on
    hover. A what-if step thus changes a few parcels' colours instead of drawing the map again
    (at 10,000 parcels the redraw was ~1 s in Chromium). The script is evaluated with the map's
    feature group (``feature_group_to_add``) whenever it changes; the parcels' data load by
    address after the map is made, so it applies itself again for a few seconds as layers
    arrive, until a newer one takes over.
    """
    for color, _label in changes.values():
        check_color(color)
    data = json.dumps({str(k): [c, lab] for k, (c, lab) in changes.items()}, ensure_ascii=True)
    # The same values with no markup in the text of the script (wherever a page may embed it).
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        "(function(){var ch=" + data + ",idc=" + json.dumps(id_col) + ",lf=" + json.dumps(label_field) + ";"
        "var gen=(window.__gxRestyleGen||0)+1;window.__gxRestyleGen=gen;"
        "function apply(){if(!window.map||window.__gxRestyleGen!==gen)return;"
        "window.map.eachLayer(function(l){var f=l.feature;"
        "if(!f||!f.properties||f.properties[idc]==null||!l.setStyle||l.options.fillOpacity===0)return;"
        "if(l.__gxDrawn===undefined)l.__gxDrawn=[l.options.fillColor,lf?f.properties[lf]:null];"
        "var w=ch[String(f.properties[idc])]||l.__gxDrawn;"
        "if(l.options.fillColor!==w[0])l.setStyle({fillColor:w[0]});"
        "if(lf)f.properties[lf]=w[1];});}"
        "apply();for(var i=1;i<=20;i++)setTimeout(apply,250*i);})();"
    )


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


def map_view(
    gdf: gpd.GeoDataFrame, *, width_px: int = 600, height_px: int = 560, max_zoom: int = 18
) -> tuple[tuple[float, float], int] | None:
    """
    ``((lat, lon), zoom)`` that shows all of ``gdf`` in a map of the given size, or None if empty.

    For ``st_folium(center=…, zoom=…)``, which moves a drawn map without remounting it
    (a click on it is kept). The zoom is the largest Web-Mercator level at which the
    features' extent, plus a quarter for margin, fits both sides.
    """
    bounds = data_bounds([gdf])
    if bounds is None:
        return None
    (south, west), (north, east) = bounds
    lon_span = max((east - west) * 1.25, 1e-6)
    # Web Mercator: latitude spans grow by 1/cos(lat); 256 px per tile, 360° at zoom 0.
    lat_mid = math.radians((south + north) / 2)
    lat_span = max((north - south) * 1.25 / max(math.cos(lat_mid), 1e-6), 1e-6)
    zoom_x = math.log2(width_px * 360.0 / (256.0 * lon_span))
    zoom_y = math.log2(height_px * 360.0 / (256.0 * lat_span))
    zoom = int(max(0, min(max_zoom, math.floor(min(zoom_x, zoom_y)))))
    return ((south + north) / 2, (west + east) / 2), zoom
