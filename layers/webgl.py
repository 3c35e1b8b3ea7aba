"""
WebGL maps for selections too large for a folium map.

deck.gl ships inside Streamlit's own frontend, so ``st.pydeck_chart`` draws with no
network; ``map_provider=None`` keeps it from asking for basemap tiles.

The data are compact, one layer per class as on the folium maps (the colour is the
layer's, not repeated per parcel): each parcel is ``{"i": id, "p": [x0, y0, x1, y1, …]}``,
its outer ring as one flat list of degrees rounded to 5 decimals (≈ 1.1 m, finer than a
pixel at any zoom that shows thousands of parcels) without the closing vertex; from
:data:`POINTS_FROM` parcels on, a point inside each parcel instead (``"p": [x, y]``, drawn
a few pixels wide): at the zoom that shows that many parcels a polygon is smaller than a
pixel. The layers' data are JSON files of their own (:attr:`WebglMap.blobs`); the page
serves them and deck.gl fetches them by address, so the page's own messages carry only
the layer definitions (``views.mapview``). The dict-per-parcel list with a colour and a
label on every row that this replaced shipped ~670 bytes per parcel; this ships ~110 as
polygons and ~47 as points.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pydeck as pdk
import shapely

from geo.crs import to_web
from layers.classes import MISSING_COLOR, OTHER_COLOR
from layers.orientation import BOUNDARY_COLOR, boundary_geojson, city_records, map_word

OTHER_RGBA = (189, 189, 189, 160)
#: A blank map style served by the app itself (static/map-style-blank.json): without one,
#: Streamlit substitutes Carto's hosted style, a request off the machine.
OFFLINE_STYLE_URL = "/app/static/map-style-blank.json"
#: Decimals of WebGL coordinates: 1e-5° ≈ 1.1 m.
WEBGL_DECIMALS = 5
#: From this many parcels on, each parcel is drawn as a point inside it.
POINTS_FROM = 100_000
#: Parcels narrower than this many pixels at the map's first view (the median parcel's larger side)
#: are drawn as points when a page asks for it (``webgl_parcels(points_below_px=)``): outlines that
#: small are a smear of strokes, and drawing them is what takes headless Chromium's software WebGL
#: most of its time (70,000 outlined parcels of a park ≈ 25 s, as points ≈ 3 s).
POINTS_BELOW_PX = 2.0
#: deck.gl's world is 512 pixels wide at zoom 0.
_WORLD_PX = 512
#: Guangxi's extent, shown when there is nothing to draw.
_GUANGXI_BOUNDS = np.array([104.3, 20.9, 112.1, 26.4])


def _rgba(hex_color: str, alpha: int = 170) -> list[int]:
    h = hex_color.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return [int(h[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


@dataclass(frozen=True)
class WebglClass:
    """One class of a WebGL map: its legend label, colour and number of parcels drawn."""

    label: str
    color: str
    n: int


@dataclass(frozen=True)
class WebglMap:
    """
    A WebGL map whose parcel data are JSON files of their own, one per drawn class.

    Attributes
    ----------
    classes
        The legend, in order; ``blobs[i]`` holds the parcels of ``classes[i]``.
    blobs
        UTF-8 JSON list of ``{"i": id, "p": coordinates}`` per class.
    points
        True when parcels are drawn as points (``p`` = ``[x, y]``), else flat outer rings.
    bounds
        ``[west, south, east, north]`` of the parcels in degrees.
    legend_title
        Heading of the legend.
    lang
        Language of the names on the map.
    """

    classes: tuple[WebglClass, ...]
    blobs: tuple[bytes, ...]
    points: bool
    bounds: tuple[float, float, float, float]
    legend_title: str
    lang: str = "zh"

    @property
    def nbytes(self) -> int:
        """Bytes of parcel data (what is shipped once to the browser and held in a cache)."""
        return sum(len(b) for b in self.blobs)

    def legend(self) -> list[tuple[str, str]]:
        """``(label, colour)`` of every drawn class, as the folium legends."""
        return [(c.label, c.color) for c in self.classes]

    def deck(self, data_urls: Sequence[str] | None = None, *, city_names: bool = True,
             boundary: bool = True) -> pdk.Deck:
        """
        The deck: a layer per class reading its data from ``data_urls`` (else inline).

        Inline data serve tests and scripts; a page passes addresses
        (``views.mapview.webgl_map``). ``city_names=False`` and ``boundary=False`` leave out the
        names of the city seats and Guangxi's boundary (the seats' dots stay): for a map of one
        park, which shows one name or none and rarely the boundary. A text layer and a path
        layer are the costliest to set up in headless Chromium's software WebGL (their shaders
        and, for the text, its glyph atlas): ~2.5 s and ~1–2 s of a first view on a busy 2-core
        machine, more than the 70,000 parcels of a park drawn as points.
        """
        if data_urls is not None and len(data_urls) != len(self.blobs):
            raise ValueError(f"{len(self.blobs)} data files, {len(data_urls)} addresses")
        layers = []
        for i, cls in enumerate(self.classes):
            data = data_urls[i] if data_urls is not None else json.loads(self.blobs[i])
            layers.append(_class_layer(f"parcels-{i}", data, cls.color, points=self.points))
        b = np.asarray(self.bounds)
        view = pdk.ViewState(longitude=float((b[0] + b[2]) / 2), latitude=float((b[1] + b[3]) / 2), zoom=_zoom(b))
        deck = pdk.Deck(layers=[*layers, *orientation_layers(self.lang, names=city_names, boundary=boundary)], initial_view_state=view,
                        map_provider=None, map_style=None, tooltip={"text": "{i}"})
        # Set after construction: pydeck ties custom styles to Mapbox; with no provider the URL
        # only keeps Streamlit's frontend from reaching for Carto.
        deck.map_style = OFFLINE_STYLE_URL
        return deck


def _class_layer(layer_id: str, data, color: str, *, points: bool) -> pdk.Layer:
    const = pdk.types.String
    if points:
        return pdk.Layer("ScatterplotLayer", data, id=layer_id, get_position="p", get_fill_color=_rgba(color, 200),
                         get_radius=25, radius_min_pixels=1.5, radius_max_pixels=8, pickable=True)
    return pdk.Layer("PolygonLayer", data, id=layer_id, get_polygon="p", position_format=const("XY"),
                     get_fill_color=_rgba(color), get_line_color=[60, 60, 60, 200], line_width_min_pixels=0.5,
                     pickable=True, stroked=True)


def _rows(ids: np.ndarray, coords: np.ndarray, owner: np.ndarray, n: int) -> bytes:
    """JSON list of ``{"i": id, "p": flat coordinates}`` for ``n`` features (``owner``: feature of each vertex)."""
    # np.round divides an exact integer by 10**decimals: the nearest double to the rounded decimal,
    # which json writes in its shortest form (108.40972, 108.4), as the text formatting this replaced
    flat = np.round(np.asarray(coords, dtype=float), WEBGL_DECIMALS).ravel().tolist()
    bounds = (2 * np.searchsorted(owner, np.arange(n + 1))).tolist() if n else []
    rows = [{"i": str(i), "p": flat[a:b]} for i, a, b in zip(ids.tolist(), bounds[:-1], bounds[1:], strict=True)]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()


def webgl_parcels(
    parcels: gpd.GeoDataFrame,
    *,
    color_col: str,
    colors: dict,
    labels: dict | None = None,
    legend_title: str = "",
    id_col: str = "parcel_id",
    lang: str = "zh",
    points_from: int = POINTS_FROM,
    points_below_px: float | None = None,
) -> WebglMap:
    """
    A WebGL map of many parcels, coloured by ``color_col`` through ``colors`` (hex), per class.

    Parameters
    ----------
    parcels
        Any CRS; rows with no geometry are not drawn. Multi-part parcels are drawn part by
        part (each part carries the parcel's id).
    color_col, colors, labels
        Class codes, ``{code: colour}`` in legend order and ``{code: label}`` as for
        ``layers.parcel_map``: other codes are drawn grey as 其他, missing ones pale as 无数据.
    legend_title
        Heading of the legend.
    id_col
        Shown on hover.
    lang
        Language of the legend's extra classes and of the city names drawn for orientation.
    points_from
        From this many parcels on, draw a point inside each parcel instead of its outline.
    points_below_px
        Also draw points when the median parcel is narrower than this many pixels at the map's
        first view (:data:`POINTS_BELOW_PX`); None: by ``points_from`` alone.
    """
    labels = labels or {}
    web = to_web(parcels[[id_col, color_col, parcels.geometry.name]])
    web = web[web.geometry.notna() & ~web.geometry.is_empty]
    points = len(web) >= points_from or (
        points_below_px is not None and len(web) > 0 and parcel_px(web.geometry.array, web.total_bounds) < points_below_px)
    raw = web[color_col]
    known = raw.isin(list(colors))
    codes = raw.astype(object).where(known, "\x00other").where(raw.notna(), "\x00missing")
    entries = [(code, str(labels.get(code, code)), color) for code, color in colors.items()]
    entries += [("\x00other", map_word("other", lang), OTHER_COLOR), ("\x00missing", map_word("no_data", lang), MISSING_COLOR)]
    classes, blobs = [], []
    for code, label, color in entries:
        sel = (codes == code).to_numpy(dtype=bool)
        if not sel.any():
            continue
        part = web[sel]
        geoms = np.asarray(part.geometry.array)
        if points:
            ids = part[id_col].to_numpy()
            coords = shapely.get_coordinates(shapely.point_on_surface(geoms))
            owner = np.arange(len(coords))
        else:
            parts, which = shapely.get_parts(geoms, return_index=True)
            ids = part[id_col].to_numpy()[which]
            rings = shapely.get_exterior_ring(parts)
            coords, owner = shapely.get_coordinates(rings, return_index=True)
            # deck.gl closes rings itself: drop each ring's closing vertex
            last = np.r_[np.flatnonzero(np.diff(owner)), len(owner) - 1] if len(owner) else np.array([], int)
            keep = np.ones(len(owner), dtype=bool)
            keep[last] = False
            coords, owner = coords[keep], owner[keep]
        classes.append(WebglClass(label, color, int(sel.sum())))
        blobs.append(_rows(ids, coords, owner, len(ids)))
    bounds = web.total_bounds if len(web) else _GUANGXI_BOUNDS
    return WebglMap(tuple(classes), tuple(blobs), points, tuple(float(v) for v in bounds), legend_title, lang)


def orientation_layers(lang: str = "zh", *, names: bool = True, boundary: bool = True) -> list[pdk.Layer]:
    """
    Guangxi's boundary (a grey line; unless not ``boundary``), the city seats (white dots) and their
    names (unless not ``names``); none pickable.
    """
    rings = []
    for feature in boundary_geojson()["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        # 4 decimals (≈ 11 m): a line for orientation, a tenth of the message it was at full precision
        rings += [np.asarray(r.coords).round(4).tolist() for r in shapely.get_exterior_ring(shapely.get_parts(geom))]
    cities = [{"position": [c["lon"], c["lat"]], "name": c["en" if lang == "en" else "zh"]} for c in city_records()]
    # pydeck reads a bare string as a JavaScript expression: constants are wrapped in String
    const = pdk.types.String
    layers = [
        pdk.Layer("PathLayer", [{"path": r} for r in rings], id="guangxi-boundary", get_path="path", get_color=_rgba(BOUNDARY_COLOR, 220),
                  width_min_pixels=1.5, pickable=False),
    ] if boundary else []
    layers += [
        pdk.Layer("ScatterplotLayer", cities, id="city-seats", get_position="position", get_radius=3, radius_units=const("pixels"),
                  get_fill_color=[255, 255, 255, 255], get_line_color=[51, 51, 51, 255], stroked=True,
                  line_width_min_pixels=1, pickable=False),
    ]
    if not names:
        return layers
    return [
        *layers,
        pdk.Layer("TextLayer", cities, id="city-names", get_position="position", get_text="name", get_size=12,
                  get_color=[68, 68, 68, 255], get_text_anchor=const("end"), get_alignment_baseline=const("center"),
                  get_pixel_offset=[-6, 0],
                  # the glyph atlas holds the names' own characters (Chinese is not in deck.gl's default set)
                  character_set=const("".join(sorted({ch for c in cities for ch in c["name"]}))),
                  font_family=const('"Noto Sans CJK SC", "Microsoft YaHei", sans-serif'), pickable=False),
    ]


def parcel_px(geoms, bounds) -> float:
    """The median parcel's larger side (bounding box) in pixels at the zoom of the first view of ``bounds``."""
    b = shapely.bounds(np.asarray(geoms))
    side = np.nanmedian(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]))
    return float(side * _WORLD_PX * 2 ** _zoom(np.asarray(bounds)) / 360.0)


def _zoom(bounds: np.ndarray) -> float:
    span = max(float(bounds[2] - bounds[0]), float(bounds[3] - bounds[1]), 1e-4)
    return float(np.clip(np.log2(360.0 / span) - 0.5, 3, 18))
