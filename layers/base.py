"""
Shared map plumbing: the base ``folium.Map`` and lean, escaped GeoJSON.

Page weight grows with features × properties × coordinate digits
(field-notes): features carry only their id and the tooltip fields,
coordinates are rounded to 6 decimals (1e-6° ≈ 0.1 m), and every string is
HTML-escaped because folium's tooltips insert property values as HTML.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo.crs import to_web
from layers.assets import use_local_assets
from layers.basemap import DEFAULT_BASEMAP, basemap_layers
from layers.orientation import add_orientation

#: 1e-6 degree ≈ 0.11 m north-south, ≈ 0.10 m east-west at Guangxi's latitudes.
COORD_DECIMALS = 6
#: Decimals kept for float properties shown in tooltips.
VALUE_DECIMALS = 2
#: Where an empty map looks: Nanning, zoom for the whole region.
GUANGXI_CENTER_LATLON = (23.0, 108.4)
GUANGXI_ZOOM = 7


def round_coords(geoms: gpd.GeoSeries, decimals: int = COORD_DECIMALS) -> gpd.GeoSeries:
    """Geometries with every coordinate rounded to ``decimals`` (vectorised)."""
    arr = shapely.transform(np.asarray(geoms.values), lambda xy: np.round(xy, decimals))
    return gpd.GeoSeries(arr, index=geoms.index, crs=geoms.crs)


def display_values(s: pd.Series) -> pd.Series:
    """
    A column made safe and compact for a tooltip.

    Strings (and categories, mixed objects) are HTML-escaped; dates become
    ``YYYY-MM-DD``; floats are rounded to ``VALUE_DECIMALS``; missing stays missing.
    """
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_integer_dtype(s):
        return s.astype(object).where(s.notna(), None)
    if pd.api.types.is_float_dtype(s):
        return s.round(VALUE_DECIMALS).astype(object).where(s.notna(), None)
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.strftime("%Y-%m-%d").astype(object).where(s.notna(), None)
    text = s.astype(object).where(s.notna(), None)
    return text.map(lambda v: html.escape(str(v)), na_action="ignore")


def feature_collection(
    gdf: gpd.GeoDataFrame,
    fields: list[str],
    *,
    decimals: int = COORD_DECIMALS,
) -> dict:
    """
    GeoJSON FeatureCollection (EPSG:4326) carrying only ``fields`` as properties.

    Parameters
    ----------
    gdf
        Any CRS (reprojected once with ``geo.crs.to_web``); rows with missing
        or empty geometry are dropped.
    fields
        Columns to send, in order (the id column first by convention).
    decimals
        Coordinate decimals.

    Raises
    ------
    KeyError
        When a field is not a column of ``gdf``.
    """
    missing = [f for f in fields if f not in gdf.columns]
    if missing:
        raise KeyError(f"map fields {missing} are not columns of the data (columns: {list(gdf.columns)})")
    geom = gdf.geometry
    keep = ~(geom.isna() | geom.is_empty)
    sub = gdf.loc[keep, [*dict.fromkeys(fields)]]
    # The geometry carries its CRS: no ``crs=`` argument, whose comparison with it (pyproj CRS
    # equality) cost more than the rest of a one-parcel highlight.
    web = to_web(gpd.GeoDataFrame(sub, geometry=geom[keep]))
    props = pd.DataFrame({f: display_values(web[f]) for f in dict.fromkeys(fields)}, index=web.index)
    out = gpd.GeoDataFrame(props, geometry=round_coords(web.geometry, decimals))
    return out.to_geo_dict(na="null", drop_id=True)


def data_bounds(gdfs: list[gpd.GeoDataFrame | None]) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` over the given frames in EPSG:4326, or None if empty."""
    boxes = []
    for g in gdfs:
        if g is None or len(g) == 0:
            continue
        b = to_web(g).total_bounds
        if np.all(np.isfinite(b)):
            boxes.append(b)
    if not boxes:
        return None
    b = np.array(boxes)
    return [[float(b[:, 1].min()), float(b[:, 0].min())], [float(b[:, 3].max()), float(b[:, 2].max())]]


def base_map(
    bounds: list[list[float]] | None = None,
    *,
    basemap: str = DEFAULT_BASEMAP,
    tianditu_key: str | None = None,
    lang: str = "zh",
    prefer_canvas: bool = False,
    legend_room_px: int = 0,
    orientation: bool = True,
) -> folium.Map:
    """
    An empty map served from local assets, with the chosen basemap (none by default).

    Every map has a metric-only scale bar and an attribution without Leaflet's flag;
    with ``orientation`` it also shows Guangxi's boundary and its city seats, labelled
    (``layers.orientation``), so the map can be read with no basemap.

    Parameters
    ----------
    bounds
        ``[[south, west], [north, east]]`` to fit; Guangxi when None.
    basemap
        A key of ``layers.basemap.BASEMAPS``; ``"none"`` adds no tile layer.
    tianditu_key
        天地图 key (else ``$TIANDITU_TK``).
    lang
        ``"zh"`` or ``"en"``.
    prefer_canvas
        Draw vectors on one canvas instead of SVG paths (faster for large selections).
    legend_room_px
        Pixels kept free on the right when fitting ``bounds``, so a legend in the
        bottom-right corner does not hide data.
    orientation
        Draw Guangxi's boundary and city seats under the data.
    """
    use_local_assets()
    tiles = basemap_layers(basemap, key=tianditu_key, lang=lang)
    m = folium.Map(
        location=GUANGXI_CENTER_LATLON,
        zoom_start=GUANGXI_ZOOM,
        tiles=None,
        control_scale=False,  # folium's scale shows miles too: layers.orientation adds a metric one
        prefer_canvas=prefer_canvas,
    )
    for layer in tiles:
        layer.add_to(m)
    add_orientation(m, lang=lang, boundary=orientation)
    if bounds is not None:
        if legend_room_px:
            m.fit_bounds(bounds, padding_top_left=(10, 10), padding_bottom_right=(legend_room_px, 10))
        else:
            m.fit_bounds(bounds)
    return m


def tooltip(fields: dict[str, str]) -> folium.GeoJsonTooltip | None:
    """A GeoJSON tooltip for ``{column: label}``; labels escaped (folium inserts them as HTML)."""
    if not fields:
        return None
    return folium.GeoJsonTooltip(
        fields=list(fields),
        aliases=[html.escape(str(label)) for label in fields.values()],
        sticky=True,
    )


def _const(style: dict):
    # folium's style mapper groups features by the returned style; a constant
    # style makes one default branch and no per-feature id list in the page.
    return lambda _feature: style


def polygon_layer(
    fc: dict,
    *,
    name: str,
    style: dict,
    tooltip_fields: dict[str, str] | None = None,
    highlight: bool = True,
    interactive: bool = True,
) -> folium.GeoJson | None:
    """
    One styled GeoJSON layer; None when ``fc`` has no features.

    Parameters
    ----------
    fc
        FeatureCollection from ``feature_collection``.
    name
        Layer name (escaped; shown in a layer control).
    style
        Leaflet path style shared by every feature.
    tooltip_fields
        ``{property: label}`` shown on hover.
    highlight
        Thicken the outline under the mouse.
    interactive
        False for outlines that must not catch clicks (park boundaries under parcels).
    """
    if not fc["features"]:
        return None
    rest = {"weight": style.get("weight", 1), "fillOpacity": style.get("fillOpacity", 0.6)}
    hover = {"weight": rest["weight"] + 2, "fillOpacity": min(rest["fillOpacity"] + 0.2, 1)}
    kwargs = {} if interactive else {"interactive": False}
    layer = folium.GeoJson(
        fc,
        name=html.escape(name),
        style_function=_const(style),
        tooltip=tooltip(tooltip_fields or {}) if interactive else None,
        **kwargs,
    )
    if highlight and interactive:
        GroupHover(hover, rest).add_to(layer)
    return layer


class GroupHover(MacroElement):
    """
    A GeoJSON layer's feature outlined thicker under the mouse (``over``) and back (``out``): one
    pair of handlers on the layer, which its features' events reach. folium's ``highlight_function``
    binds a pair to every feature as the data are added (at 14,000 parcels, 28,000 handlers set up
    on the page's main thread before the map showed), and its mouse-out restores the style the
    layer was drawn with, which undid a what-if's recolouring (``layers.classes.restyle_script``);
    here only the outline's weight and the fill's opacity change.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (g, over, out) {
            g.on("mouseover", function (e) { if (e.layer && e.layer.setStyle) { e.layer.setStyle(over); } });
            g.on("mouseout", function (e) { if (e.layer && e.layer.setStyle) { e.layer.setStyle(out); } });
        })({{ this._parent.get_name() }}, {{ this.over|tojson }}, {{ this.out|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, over: dict, out: dict):
        super().__init__()
        self._name = "GroupHover"
        self.over, self.out = dict(over), dict(out)
