"""
Many parcels coloured by class on one canvas (``static/gxland/class-canvas.js``).

Leaflet's GeoJSON layer makes an object per feature; at a park's 14,000 parcels that was most of
the efficiency page's drawing in the browser (~0.3 s of Leaflet and ~0.3 s of garbage collection
per load). :class:`ClassCanvas` sends the parcels as flat arrays (:func:`canvas_data`, the layout
of ``shapely.to_ragged_array``) to ``L.GxClassCanvas``, which keeps them in typed arrays, draws
them feature by feature on one canvas and finds the one under the mouse itself: the tooltip, the
hover outline and a click (``e.layer.toGeoJSON()``, as streamlit-folium reads a GeoJSON layer's)
behave as on the per-feature layers, and a what-if's recolouring (``layers.classes.
restyle_script``) reaches it through ``gxRestyle``.
"""

from __future__ import annotations

import html
import json
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.crs import to_web
from layers.assets import own_url
from layers.base import COORD_DECIMALS, display_values
from layers.legend import check_color

#: Shown in a tooltip for a missing value.
BLANK = "—"


@cache
def script_url() -> str:
    """The layer's script, as the map loads it (its digest in the address)."""
    return own_url("class-canvas.js")


def canvas_data(gdf: gpd.GeoDataFrame, class_codes: pd.Series, fields: list[str]) -> dict | None:
    """
    The parcels of ``gdf`` (any CRS) as ``L.GxClassCanvas`` reads them, or None when a shape is not
    a polygon (the caller draws GeoJSON layers instead).

    ``class_codes`` (aligned to the index) become text (``k``); ``fields`` are sent as columns
    (``f``, ``v``), made safe for a tooltip as every map's properties are
    (``layers.base.display_values``); coordinates in EPSG:4326 rounded as in every map (``x``),
    every exterior ring anticlockwise and every hole clockwise (the canvas fills by winding),
    with the ring, polygon and feature offsets of ``shapely.to_ragged_array`` (``r``, ``p``,
    ``g``). Rows without a shape are left out.
    """
    missing = [f for f in fields if f not in gdf.columns]
    if missing:
        raise KeyError(f"map fields {missing} are not columns of the data (columns: {list(gdf.columns)})")
    geom = gdf.geometry
    keep = (~(geom.isna() | geom.is_empty)).to_numpy(dtype=bool)
    names = list(dict.fromkeys(fields))
    sub = gdf.loc[keep, names]
    web = to_web(gpd.GeoDataFrame(sub, geometry=geom[keep]))
    # Exteriors anticlockwise, holes clockwise: the canvas fills with the nonzero rule.
    shapes = shapely.orient_polygons(np.asarray(web.geometry.array), exterior_cw=False)
    try:
        kind, coords, offsets = shapely.to_ragged_array(shapes)
    except (ValueError, TypeError):  # points, lines or collections among the shapes
        return None
    if kind == shapely.GeometryType.POLYGON:
        rings, parts = offsets
        polys = np.arange(len(parts), dtype=np.int64)
        offsets = (rings, parts, polys)
    elif kind != shapely.GeometryType.MULTIPOLYGON:
        return None
    rings, parts, feats = offsets
    codes = class_codes.reindex(web.index)
    return {
        "f": names,
        "v": [[_plain(v) for v in display_values(web[f]).tolist()] for f in names],
        "k": codes.astype(object).where(codes.notna(), "").astype(str).tolist(),
        "x": np.round(coords[:, :2], COORD_DECIMALS).ravel().tolist(),
        "r": np.asarray(rings).tolist(),
        "p": np.asarray(parts).tolist(),
        "g": np.asarray(feats).tolist(),
    }


def _plain(v):
    """A value as JSON takes it: NaN (no JSON) as null, a numpy number as Python's."""
    if isinstance(v, np.generic):
        v = v.item()
    return None if isinstance(v, float) and v != v else v


class CanvasScript(JSCSSMixin, MacroElement):
    """Loads ``L.GxClassCanvas`` on a map whose parcels are added later (``layers.classes.shown_script``)."""

    _template = Template("")

    def __init__(self):
        super().__init__()
        self._name = "CanvasScript"
        self.default_js = [("gx_class_canvas", script_url())]


class ClassCanvas(CanvasScript):
    """
    ``L.GxClassCanvas`` on a folium map: the parcels of :func:`canvas_data`, each filled with its
    class's colour (``colors``: ``{code: colour}`` in drawing order, later on top), the tooltip
    showing ``tooltip_fields`` (``{property: label}``).

    The data are written into the script, or — rendered by ``layers.rendered.render_map`` — served
    as a file the map loads by address (``data_link``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.gxClassCanvas({{ this.options|tojson }}).addTo({{ this._parent.get_name() }});
        {%- if this.data_link %}
        window.__gxLoad({{ this.data_link|tojson }}, function (d) { {{ this.get_name() }}.setData(d); });
        {%- else %}
        {{ this.get_name() }}.setData({{ this.data|tojson }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, *, colors: dict, tooltip_fields: dict[str, str], id_col: str = "parcel_id",
                 fill_opacity: float = 0.6, other_color: str = "#bdbdbd"):
        super().__init__()
        self._name = "ClassCanvas"
        self.data = data
        #: Where the data are loaded from instead of written into the script (``layers.rendered``).
        self.data_link: str | None = None
        self.options = {
            "colors": {str(k): check_color(v) for k, v in colors.items()},
            "fields": [[str(k), html.escape(str(v))] for k, v in tooltip_fields.items()],
            "idField": id_col,
            "blank": html.escape(BLANK),
            "fillOpacity": float(fill_opacity),
            "otherColor": check_color(other_color),
        }

    def data_bytes(self) -> bytes:
        """The data as the file the map loads (UTF-8 JSON)."""
        return json.dumps(self.data, ensure_ascii=False, separators=(",", ":")).encode()
