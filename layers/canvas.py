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
from collections.abc import Hashable
from dataclasses import dataclass
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
from layers.rendered import MapCache

#: Shown in a tooltip for a missing value.
BLANK = "—"


@cache
def script_url() -> str:
    """The layer's script, as the map loads it (its digest in the address)."""
    return own_url("class-canvas.js")


def canvas_data(gdf: gpd.GeoDataFrame, class_codes: pd.Series, fields: list[str]) -> dict | None:
    """
    The parcels of ``gdf`` (any CRS) as ``L.GxClassCanvas`` reads them, or None when a shape is not
    a polygon (the caller draws GeoJSON layers instead). Rows without a shape are left out.

    - ``f``, ``v``: the ``fields`` and their values, a column each, made safe for a tooltip as
      every map's properties are (``layers.base.display_values``);
    - ``k``: the class code of each parcel as text;
    - ``d``: the vertices in EPSG:4326 as whole millionths of a degree (every map's rounding,
      ~0.1 m), longitude and latitude in turn, each the difference from the vertex before (the
      first from 0): short numbers on the wire. Exterior rings run anticlockwise and holes
      clockwise (the canvas fills by winding);
    - ``rn``, ``pn``, ``gn``: vertices per ring, rings per polygon, polygons per parcel (the
      counts behind ``shapely.to_ragged_array``'s offsets).

    A column with few distinct values (a class's label, a holder of many parcels) is sent as
    ``{"u": the values, "i": each row's position among them}``, as ``k`` always is.
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
        offsets = (rings, parts, np.arange(len(parts), dtype=np.int64))
    elif kind != shapely.GeometryType.MULTIPOLYGON:
        return None
    rings, parts, feats = offsets
    micro = np.rint(coords[:, :2] * 10**COORD_DECIMALS).astype(np.int64)
    codes = class_codes.reindex(web.index)
    return {
        "f": names,
        "v": [_column([_plain(v) for v in display_values(web[f]).tolist()]) for f in names],
        "k": _column(codes.astype(object).where(codes.notna(), "").astype(str).tolist(), always=True),
        "d": np.diff(micro, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist(),
        "rn": np.diff(rings).tolist(),
        "pn": np.diff(parts).tolist(),
        "gn": np.diff(feats).tolist(),
    }


def _column(values: list, *, always: bool = False):
    """``values`` as they are, or as ``{"u": distinct values, "i": positions}`` when that is shorter."""
    uniques = list(dict.fromkeys(values))
    if not always and len(uniques) * 4 > len(values):
        return values
    at = {v: i for i, v in enumerate(uniques)}
    return {"u": uniques, "i": [at[v] for v in values]}


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
    ``L.GxClassCanvas`` on a folium map: the parcels of :func:`canvas_data` (``blob``: as JSON),
    each filled with its class's colour (``colors``: ``{code: colour}`` in drawing order, later on
    top), the tooltip showing ``tooltip_fields`` (``{property: label}``).

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

    def __init__(self, blob: bytes, *, colors: dict, tooltip_fields: dict[str, str], id_col: str = "parcel_id",
                 fill_opacity: float = 0.6, other_color: str = "#bdbdbd"):
        super().__init__()
        self._name = "ClassCanvas"
        self.blob = blob
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

    @property
    def data(self) -> dict:
        """The data (:func:`canvas_data`), for a map that writes them into its script."""
        return json.loads(self.blob)

    def data_bytes(self) -> bytes:
        """The data as the file the map loads (UTF-8 JSON)."""
        return self.blob


@dataclass(frozen=True)
class CanvasBlob:
    """:func:`canvas_data` as JSON (None: a shape is not a polygon), as a cache entry."""

    blob: bytes | None

    @property
    def nbytes(self) -> int:
        return len(self.blob or b"")


#: Canvas data by the key a page names them with (``class_canvas``'s ``data_key``: a version, a park,
#: the classes drawn, the language), shared by every session; the server's preparer makes the
#: efficiency page's ahead (``views.analysis.prepare_efficiency_map``).
DATA = MapCache(max_entries=16, max_bytes=300_000_000)


def class_canvas(gdf: gpd.GeoDataFrame, codes: pd.Series, colors: dict, fields: list[str], *, id_col: str,
                 tooltip_fields: dict[str, str], fill_opacity: float = 0.6,
                 data_key: Hashable | None = None) -> ClassCanvas | None:
    """
    The parcels of ``gdf`` whose class (``codes``, aligned to its index) is listed in ``colors``
    (``{code: colour}`` in drawing order) as a :class:`ClassCanvas`, or None when a shape is not a
    polygon. ``data_key``: names these parcels, classes and tooltip values; the data are then made
    once per key (:data:`DATA`) — the caller vouches that the key changes whenever they do.
    """

    def make() -> CanvasBlob:
        text = codes.astype(object).where(codes.notna(), None).map(lambda v: None if v is None else str(v))
        drawn = text.isin([str(k) for k in colors]).to_numpy(dtype=bool)  # codes not listed are not drawn
        data = canvas_data(gdf.loc[drawn], text[drawn], fields)
        return CanvasBlob(None if data is None else json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())

    made = make() if data_key is None else DATA.get(data_key, make)
    if made.blob is None:
        return None
    return ClassCanvas(made.blob, colors={str(k): v for k, v in colors.items()}, tooltip_fields=tooltip_fields,
                       id_col=id_col, fill_opacity=fill_opacity)
