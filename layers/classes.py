"""
Polygons coloured by class: one GeoJSON layer per class, plus legend.

One layer per class keeps the page lean: every feature of a layer shares one
style, so folium emits no per-feature style table, and a class can later be
toggled on its own.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Hashable
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
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
    data_key: Hashable | None = None,
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
        Use Leaflet's canvas renderer, and draw polygons with ``layers.canvas`` (one canvas drawn
        from flat arrays, not a Leaflet layer per feature); not with ``point_markers``.
    point_markers
        Also draw each feature as a circle of fixed screen size at a point inside it,
        in its class colour, with the same tooltip and id: parks of a few km² are
        specks at the zoom that shows all of Guangxi. The fit then keeps
        :data:`LEGEND_ROOM_PX` free on the right so the legend hides no marker.
    data_key
        Names the parcels drawn on a canvas, their classes and tooltip values: their data are made
        once per key (``layers.canvas.DATA``).
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
    # Many parcels: one canvas drawn from flat arrays (``layers.canvas``) instead of a Leaflet
    # layer per parcel; a map of other shapes than polygons keeps the GeoJSON layers.
    canvas = None
    if prefer_canvas and not point_markers:
        from layers.canvas import class_canvas

        canvas = class_canvas(gdf, codes, {c.code: c.color for c in classes}, fields, id_col=id_col,
                              tooltip_fields=tooltip_fields, fill_opacity=fill_opacity, data_key=data_key)
    if canvas is not None:
        canvas.add_to(m)
    for cls in classes if canvas is None else ():
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
    address after the map is made (``layers.rendered.LOADER_JS``), so it applies itself again
    once every file is in (``window.__gxData``), unless a newer one has taken over.
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
        "window.map.eachLayer(function(l){if(l.gxRestyle){l.gxRestyle(ch,lf);return;}var f=l.feature;"
        "if(!f||!f.properties||f.properties[idc]==null||!l.setStyle||l.options.fillOpacity===0)return;"
        "if(l.__gxDrawn===undefined)l.__gxDrawn=[l.options.fillColor,lf?f.properties[lf]:null];"
        "var w=ch[String(f.properties[idc])]||l.__gxDrawn;"
        "if(l.options.fillColor!==w[0])l.setStyle({fillColor:w[0]});"
        "if(lf)f.properties[lf]=w[1];});}"
        "apply();if(window.__gxData)window.__gxData.then(apply);})();"
    )


def highlight_layer(
    gdf: gpd.GeoDataFrame,
    highlight_id: str | None,
    *,
    id_col: str = "parcel_id",
    tooltip_fields: dict[str, str] | None = None,
    lang: str = "zh",
    interactive: bool = True,
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
    interactive
        False over parcels drawn by ``layers.canvas``: the canvas shows the parcel's tooltip and
        takes its click, and the outline would show a second tooltip.
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
    polygon_layer(fc, name=text("selected", lang), style=style, tooltip_fields=tooltip_fields,
                  interactive=interactive).add_to(group)
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
    return bounds_view(data_bounds([gdf]), width_px=width_px, height_px=height_px, max_zoom=max_zoom)


def bounds_view(
    bounds, *, width_px: int = 600, height_px: int = 560, max_zoom: int = 18
) -> tuple[tuple[float, float], int] | None:
    """:func:`map_view` of ``[[south, west], [north, east]]`` (None gives None)."""
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


# --------------------------------------------------------------------------- parts shown and hidden in place

#: The feature property holding a parcel's class code in a :class:`ClassLayer`'s file.
CLASS_PROPERTY = "_gx_class"


@dataclass(frozen=True)
class ClassLayer:
    """
    One part of a map's parcels (a park's) as a GeoJSON file the drawn map loads by address.

    Attributes
    ----------
    blob
        The FeatureCollection (UTF-8 JSON); every feature carries the tooltip fields and its class
        code (:data:`CLASS_PROPERTY`). Or, of ``kind`` ``"canvas"``, the same as the flat arrays
        of ``layers.canvas.canvas_data`` (the class codes as its ``k``).
    index
        The frame's index label of each feature, in the file's order (rows without a shape are
        not in the file): :func:`shown_positions` tells the map which of them to show by position.
    bounds
        ``[[south, west], [north, east]]`` of the features, or None.
    """

    blob: bytes
    index: pd.Index
    bounds: tuple | None
    #: ``"geojson"`` (a FeatureCollection) or ``"canvas"`` (``layers.canvas.canvas_data``).
    kind: str = "geojson"

    @property
    def nbytes(self) -> int:
        return len(self.blob) + int(self.index.memory_usage())

    def __len__(self) -> int:
        return len(self.index)


def class_layer(gdf: gpd.GeoDataFrame, class_codes: pd.Series, *, id_col: str = "parcel_id",
                tooltip_fields: dict[str, str], canvas: bool = False) -> ClassLayer:
    """
    The parcels of ``gdf`` (any CRS) with their class (``class_codes``, aligned to its index) as a
    :class:`ClassLayer`: the id and the tooltip fields (escaped, as :func:`feature_collection` sends
    them) and the class code of each parcel. ``canvas``: as flat arrays for one canvas
    (``layers.canvas``; many parcels), unless a shape is not a polygon.
    """
    geom = gdf.geometry
    keep = (~(geom.isna() | geom.is_empty)).to_numpy(dtype=bool)
    fields = [id_col, *(f for f in tooltip_fields if f != id_col)]
    sub = gdf.loc[keep, [*dict.fromkeys(fields), gdf.geometry.name]]
    codes = class_codes.reindex(sub.index)
    if canvas:
        from layers.canvas import canvas_data

        data = canvas_data(sub, codes, list(dict.fromkeys(fields)))
        if data is not None:
            bounds = data_bounds([sub])
            return ClassLayer(blob=json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
                              index=sub.index, bounds=tuple(map(tuple, bounds)) if bounds else None, kind="canvas")
    sub = sub.assign(**{CLASS_PROPERTY: codes.astype(object).where(codes.notna(), "").astype(str)})
    fc = feature_collection(sub, [*fields, CLASS_PROPERTY])
    blob = json.dumps(fc, ensure_ascii=False, separators=(",", ":")).encode()
    bounds = data_bounds([sub])
    return ClassLayer(blob=blob, index=sub.index, bounds=tuple(map(tuple, bounds)) if bounds else None)


def shown_positions(layer: ClassLayer, shown_index: pd.Index) -> list[int] | None:
    """Positions in ``layer`` of the rows of ``shown_index`` (ascending); None when every row is shown."""
    hit = layer.index.isin(shown_index)
    return None if hit.all() else [int(i) for i in np.flatnonzero(hit)]


def _gaps(positions: list[int]) -> list[int]:
    """Ascending positions as the gaps between them (the first from -1): short numbers on the wire."""
    return np.diff(np.asarray([-1, *positions], dtype=np.int64)).tolist()


def shown_script(parts: list[tuple], colors: dict, *, tooltip_fields: dict[str, str],
                 legend: str | None = None, canvas: bool = False, blank: str = "—") -> str:
    """
    A script for streamlit-folium's frontend that shows a drawn map's parcels part by part, in place.

    ``parts``: ``(address of a ClassLayer's file, its number of features, the positions shown or
    None for all[, the layer's kind])`` of every part the map shows now; a part of kind
    ``"canvas"`` is drawn by ``L.GxClassCanvas`` (``layers.canvas``: the map must load its script),
    showing and hiding its features in place as well. A part is fetched and made into Leaflet
    layers once (kept in the frame, and kept when hidden: a park picked again shows at once);
    parts not listed are taken off the map. Within a part the features not shown are taken off
    the map — not drawn, no tooltip, no click — and put back when shown again, so a filter
    changes which parcels the map shows without drawing a new map. Each feature is filled with
    ``colors[its class code]``; its tooltip shows ``tooltip_fields`` (``{property: label}``,
    labels escaped here, values as the file carries them: escaped). ``legend``: the legend's
    new inner HTML (``layers.legend.legend_html``), or None to leave it. ``canvas``: draw new
    parts on one canvas (many parcels) instead of SVG paths.

    The script is evaluated with the map's feature group (``views.mapview.folium_map(restyle=)``)
    whenever either changes; the clicks reach streamlit-folium through each part's layer, which
    it hooks after every evaluation.
    """
    for color in colors.values():
        check_color(color)
    listed = []
    for url, n, pos, *kind in parts:
        on_canvas = 1 if kind and kind[0] == "canvas" else 0
        if pos is None:
            listed.append([url, int(n), None, None, on_canvas])
        elif 2 * len(pos) > n:  # most are shown: the hidden ones are listed
            hidden = np.setdiff1d(np.arange(n), np.asarray(pos, dtype=np.int64))
            listed.append([url, int(n), 1, _gaps(hidden.tolist()), on_canvas])
        else:
            listed.append([url, int(n), 0, _gaps(sorted(pos)), on_canvas])
    spec = {
        "p": listed,
        "c": {str(k): v for k, v in colors.items()},
        "f": [[str(k), html.escape(str(v))] for k, v in tooltip_fields.items()],
        "k": CLASS_PROPERTY,
        "lg": legend,
        "cv": bool(canvas),
        "b": html.escape(blank),
    }
    data = json.dumps(spec, ensure_ascii=True, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        "(function(){var S=" + data + ",map=window.map;if(!map)return;"
        "var P=window.__gxShown=window.__gxShown||{parts:{},order:[]};"
        "function tip(l){var p=l.feature.properties,h='<table>';S.f.forEach(function(f){var v=p[f[0]];"
        "h+='<tr><th>'+f[1]+'</th><td>'+(v==null||v===''?S.b:v)+'</td></tr>';});return h+'</table>';}"
        # A part's features shown: every one (null), or all but the listed ones (hide), or the listed.
        "function apply(e){if(!e.subs)return;var set=null;if(e.list){set=new Set();var x=-1;"
        "e.list.forEach(function(g){x+=g;set.add(x);});}"
        "e.subs.forEach(function(l,i){var on=set===null||(set.has(i)!==e.hide),has=e.group.hasLayer(l);"
        "if(on&&!has)e.group.addLayer(l);else if(!on&&has)e.group.removeLayer(l);});"
        "(window.feature_group||[]).forEach(function(g){if(g.bringToFront)g.bringToFront();});}"
        "function style(ft){return {color:'#444444',weight:1,fillColor:S.c[ft.properties[S.k]]||'#bdbdbd',"
        "fillOpacity:0.6};}"
        "var want={};S.p.forEach(function(s){var url=s[0];want[url]=1;var e=P.parts[url];"
        # A part on a canvas of its own (layers.canvas): it shows and hides its features itself.
        "if(s[4]){if(!e){e=P.parts[url]={group:L.gxClassCanvas({colors:S.c,fields:S.f,blank:S.b})};"
        "P.order.push(url);fetch(url).then(function(r){return r.json();}).then(function(d){e.group.setData(d);});}"
        "if(!map.hasLayer(e.group))e.group.addTo(map);e.group.gxShown(s[2]===1,s[3]);return;}"
        "if(!e){var o={style:style};if(S.cv){P.canvas=P.canvas||L.canvas();o.renderer=P.canvas;}"
        "e=P.parts[url]={group:L.geoJson(null,o),subs:null};P.order.push(url);"
        "fetch(url).then(function(r){return r.json();}).then(function(fc){var g=e.group;"
        "e.subs=fc.features.map(function(ft){var l=L.GeoJSON.geometryToLayer(ft,g.options);"
        "l.feature=L.GeoJSON.asFeature(ft);l.defaultOptions=l.options;g.resetStyle(l);"
        "l.bindTooltip(tip,{sticky:true});"
        "l.on('mouseover',function(){l.setStyle({weight:3,fillOpacity:0.8});});"
        "l.on('mouseout',function(){g.resetStyle(l);});return l;});apply(e);});}"
        "e.hide=s[2]===1;e.list=s[3];if(!map.hasLayer(e.group))e.group.addTo(map);apply(e);});"
        "for(var u in P.parts)if(!want[u]&&map.hasLayer(P.parts[u].group))map.removeLayer(P.parts[u].group);"
        # Parts kept hidden for a park picked again: the last 24 at most.
        "while(P.order.length>24){var i=P.order.findIndex(function(u){return !want[u];});if(i<0)break;"
        "delete P.parts[P.order[i]];P.order.splice(i,1);}"
        "if(S.lg!=null){var d=document.querySelector('.gx-legend-classes');if(d)d.innerHTML=S.lg;}})();"
    )
