"""
The map of the 扩区/升级审查 page: the application, the park, the neighbouring parks and the
constraint layers, overlaps highlighted and labelled with their area; optionally the Draw tool
(Leaflet.draw, served locally like every asset) to draw the application instead.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.plugins import Draw

import words
from geo.crs import WEB_EPSG, to_web
from layers.base import base_map, data_bounds, feature_collection, polygon_layer

#: Leaflet path style per layer.
STYLES: dict[str, dict] = {
    "urban_development_boundary": {"color": "#6a51a3", "weight": 1.5, "dashArray": "6 4", "fillOpacity": 0.05},
    "basic_farmland": {"color": "#41ab5d", "weight": 1, "fillColor": "#a1d99b", "fillOpacity": 0.35},
    "ecological_red_line": {"color": "#cb181d", "weight": 1, "fillColor": "#fcbba1", "fillOpacity": 0.35},
    "other_parks": {"color": "#737373", "weight": 1, "fillColor": "#bdbdbd", "fillOpacity": 0.25},
    "park": {"color": "#08519c", "weight": 2, "fillColor": "#9ecae1", "fillOpacity": 0.15},
    "application": {"color": "#e6550d", "weight": 3, "fillColor": "#fdae6b", "fillOpacity": 0.3},
    "overlap": {"color": "#a50f15", "weight": 2, "fillColor": "#a50f15", "fillOpacity": 0.7},
}
#: Constraint layers drawn bottom-up.
CONSTRAINT_ORDER = ("urban_development_boundary", "basic_farmland", "ecological_red_line")
#: Overlap pieces labelled on the map (the largest); every piece is in the checklist.
MAX_LABELS = 30


def _t(key: str, lang: str) -> str:
    return words.label("ui", key, lang)


def _in_view(frame: gpd.GeoDataFrame, bounds) -> gpd.GeoDataFrame:
    """The features of ``frame`` (any CRS) meeting ``[[s, w], [n, e]]`` (EPSG:4326), in EPSG:4326."""
    web = to_web(frame)
    web = web[web.geometry.notna() & ~web.geometry.is_empty]
    if bounds is None or not len(web):
        return web
    (s, w), (n, e) = bounds
    pad_x, pad_y = (e - w) * 0.5 + 0.01, (n - s) * 0.5 + 0.01
    view = shapely.box(w - pad_x, s - pad_y, e + pad_x, n + pad_y)
    return web[web.intersects(view)]


def _named(frame: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [name] * len(frame)}, geometry=frame.geometry.to_numpy(), crs=frame.crs)


def assessment_map(
    *,
    park: gpd.GeoDataFrame,
    neighbours: gpd.GeoDataFrame,
    constraints: Mapping[str, gpd.GeoDataFrame | None],
    illustrative: Mapping[str, bool] | None = None,
    application: gpd.GeoDataFrame | None = None,
    overlaps: gpd.GeoDataFrame | None = None,
    draw: bool = False,
    lang: str = "zh",
    basemap: str = "none",
    tianditu_key: str | None = None,
) -> folium.Map:
    """
    The review map.

    Parameters
    ----------
    park, neighbours
        The applicant park and the other parks (any CRS; ``name`` column optional).
    constraints
        Layer id → frame (None for a missing layer); only features near the view are sent.
    illustrative
        Layer id → True when the layer is sample data: its name is marked 示意数据.
    application, overlaps
        The area applied for and the overlap pieces (``layer``, ``piece``, ``area_m2``).
    draw
        Add the polygon/rectangle Draw tool.
    """
    illustrative = dict(illustrative or {})
    frames = [f for f in (application, park) if f is not None and len(f)]
    bounds = data_bounds(frames)
    m = base_map(bounds, basemap=basemap, tianditu_key=tianditu_key, lang=lang, orientation=False)
    suffix = _t("asp_illustrative_suffix", lang)
    name_tt = {"name": _t("asp_tt_name", lang)}

    for layer in CONSTRAINT_ORDER:
        frame = constraints.get(layer)
        if frame is None or not len(frame):
            continue
        name = words.label("assess_layer", layer, lang) + (suffix if illustrative.get(layer) else "")
        near = _in_view(frame, bounds)
        lyr = polygon_layer(feature_collection(_named(near, name), ["name"]), name=name, style=STYLES[layer],
                            tooltip_fields=name_tt)
        if lyr is not None:
            lyr.add_to(m)
    for key, frame in (("other_parks", neighbours), ("park", park)):
        if frame is None or not len(frame):
            continue
        names = frame["name"].astype("string").fillna(words.label("assess_layer", key, lang)) if "name" in frame \
            else pd.Series([words.label("assess_layer", key, lang)] * len(frame))
        near = _in_view(gpd.GeoDataFrame({"name": names.to_numpy()}, geometry=frame.geometry.to_numpy(),
                                         crs=frame.crs), bounds)
        lyr = polygon_layer(feature_collection(near, ["name"]), name=words.label("assess_layer", key, lang),
                            style=STYLES[key], tooltip_fields=name_tt)
        if lyr is not None:
            lyr.add_to(m)
    if application is not None and len(application):
        app_name = words.label("assess_layer", "application", lang)
        lyr = polygon_layer(feature_collection(_named(application, app_name), ["name"]), name=app_name,
                            style=STYLES["application"], tooltip_fields=name_tt)
        if lyr is not None:
            lyr.add_to(m)
    if overlaps is not None and len(overlaps):
        labels = overlap_labels(overlaps, lang)
        pieces = gpd.GeoDataFrame({"label": labels.to_numpy()}, geometry=overlaps.geometry.to_numpy(),
                                  crs=overlaps.crs)
        lyr = polygon_layer(feature_collection(pieces, ["label"]), name=words.label("assess_layer", "overlap", lang),
                            style=STYLES["overlap"], tooltip_fields={"label": _t("asp_tt_area", lang)})
        if lyr is not None:
            lyr.add_to(m)
        shown = pieces.assign(_a=overlaps["area_m2"].to_numpy()).nlargest(MAX_LABELS, "_a")
        pts = to_web(gpd.GeoDataFrame(geometry=shapely.point_on_surface(
            np.asarray(shown.geometry.array, dtype=object)), crs=overlaps.crs)).geometry
        for label, pt in zip(shown["label"], pts, strict=True):
            folium.Marker(
                [pt.y, pt.x],
                icon=folium.DivIcon(html=(
                    '<div style="white-space:nowrap;font-size:12px;color:#a50f15;background:rgba(255,255,255,.85);'
                    f'border:1px solid #a50f15;padding:1px 3px;display:inline-block">{html.escape(label)}</div>'),
                    icon_size=(1, 1), icon_anchor=(0, 0)),
            ).add_to(m)
    if draw:
        Draw(
            export=False,
            draw_options={"polyline": False, "circle": False, "marker": False, "circlemarker": False,
                          "polygon": {"allowIntersection": False, "showArea": False}, "rectangle": True},
            edit_options={"edit": True, "remove": True},
        ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def overlap_labels(overlaps: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Each overlap piece's label: layer, piece number, area in 亩 and 公顷."""
    layers = overlaps["layer"].map(lambda k: words.label("assess_layer", k, lang))
    area = overlaps["area_m2"].astype(float)
    return pd.Series([words.text("asp_piece_area", lang, layer=lay, n=int(n), mu=a * 0.0015, ha=a / 10_000)
                      for lay, n, a in zip(layers, overlaps["piece"], area, strict=True)], index=overlaps.index)


def drawn_polygons(result: Mapping | None) -> gpd.GeoDataFrame | None:
    """
    The polygons drawn with the Draw tool, from ``st_folium``'s return value.

    ``all_drawings`` (every feature still on the map, GeoJSON in EPSG:4326) is read; when it is
    empty, ``last_active_drawing``. Polygons and rectangles are kept (a multipolygon splits into
    its parts), anything else dropped. None when nothing polygonal was drawn.
    """
    if not result:
        return None
    features = list(result.get("all_drawings") or [])
    if not features and result.get("last_active_drawing"):
        features = [result["last_active_drawing"]]
    geoms = []
    for f in features:
        geom = (f or {}).get("geometry") if isinstance(f, Mapping) else None
        if not geom:
            continue
        try:
            shape = shapely.geometry.shape(geom)
        except (ValueError, TypeError, AttributeError, KeyError):
            continue
        if shape.is_empty or shape.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        shape = shapely.make_valid(shape) if not shape.is_valid else shape
        geoms.extend(getattr(shape, "geoms", [shape]))
    geoms = [g for g in geoms if g.geom_type == "Polygon" and g.area > 0]
    if not geoms:
        return None
    return gpd.GeoDataFrame(geometry=geoms, crs=WEB_EPSG)
