"""
WebGL fallback for selections too large for a folium map.

deck.gl ships inside Streamlit's own frontend, so ``st.pydeck_chart`` draws with no
network; ``map_provider=None`` keeps it from asking for basemap tiles. Colours are
per class as on the folium maps; only the id and a label go to the browser, with
coordinates rounded like the folium builders (6 decimals ≈ 0.1 m).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pydeck as pdk
import shapely

from geo.crs import to_web
from layers.base import COORD_DECIMALS
from layers.orientation import BOUNDARY_COLOR, boundary_geojson, city_records

OTHER_RGBA = (189, 189, 189, 160)
#: A blank map style served by the app itself (static/map-style-blank.json): without one,
#: Streamlit substitutes Carto's hosted style, a request off the machine.
OFFLINE_STYLE_URL = "/app/static/map-style-blank.json"


def _rgba(hex_color: str, alpha: int = 170) -> list[int]:
    h = hex_color.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return [int(h[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def webgl_parcels(
    parcels: gpd.GeoDataFrame,
    *,
    color_col: str,
    colors: dict[str, str],
    label_col: str | None = None,
    id_col: str = "parcel_id",
    lang: str = "zh",
) -> pdk.Deck:
    """
    A deck.gl map of many parcels, coloured by ``color_col`` through ``colors`` (hex).

    Multi-part parcels are drawn part by part. Hovering shows the id and ``label_col``.
    Guangxi's boundary and its city seats, named in ``lang``, are drawn over them for
    orientation (``layers.orientation``), as on the folium maps.
    """
    web = to_web(parcels[[c for c in {id_col, color_col, label_col} if c] + [parcels.geometry.name]])
    web = web[web.geometry.notna() & ~web.geometry.is_empty].explode(index_parts=False)
    geoms = shapely.set_precision(web.geometry.array, 10 ** -COORD_DECIMALS)
    rings = shapely.get_exterior_ring(geoms)
    coords, owner = shapely.get_coordinates(rings, return_index=True)
    splits = np.flatnonzero(np.diff(owner)) + 1
    polygons = [part.round(COORD_DECIMALS).tolist() for part in np.split(coords, splits)] if len(coords) else []
    present = np.unique(owner)
    rows = web.iloc[present]
    table = {c: rows[c].astype(str).tolist() for c in {id_col, label_col} if c}
    fill = rows[color_col].map(lambda v: _rgba(colors[v]) if v in colors else list(OTHER_RGBA)).tolist()
    data = [
        {"polygon": poly, "fill": f, **{c: table[c][i] for c in table}}
        for i, (poly, f) in enumerate(zip(polygons, fill, strict=True))
    ]
    b = web.total_bounds if len(web) else np.array([104.3, 20.9, 112.1, 26.4])
    view = pdk.ViewState(longitude=float((b[0] + b[2]) / 2), latitude=float((b[1] + b[3]) / 2), zoom=_zoom(b))
    layer = pdk.Layer(
        "PolygonLayer",
        data,
        get_polygon="polygon",
        get_fill_color="fill",
        get_line_color=[60, 60, 60, 200],
        line_width_min_pixels=0.5,
        pickable=True,
        stroked=True,
    )
    tip = "{" + id_col + "}" + (" · {" + label_col + "}" if label_col else "")
    deck = pdk.Deck(layers=[layer, *orientation_layers(lang)], initial_view_state=view, map_provider=None, map_style=None, tooltip={"text": tip})
    # Set after construction: pydeck ties custom styles to Mapbox; with no provider the URL
    # only keeps Streamlit's frontend from reaching for Carto.
    deck.map_style = OFFLINE_STYLE_URL
    return deck


def orientation_layers(lang: str = "zh") -> list[pdk.Layer]:
    """Guangxi's boundary (a grey line), the city seats (white dots) and their names; none pickable."""
    rings = []
    for feature in boundary_geojson()["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        rings += [np.asarray(r.coords).tolist() for r in shapely.get_exterior_ring(shapely.get_parts(geom))]
    cities = [{"position": [c["lon"], c["lat"]], "name": c["en" if lang == "en" else "zh"]} for c in city_records()]
    # pydeck reads a bare string as a JavaScript expression: constants are wrapped in String
    const = pdk.types.String
    return [
        pdk.Layer("PathLayer", [{"path": r} for r in rings], get_path="path", get_color=_rgba(BOUNDARY_COLOR, 220),
                  width_min_pixels=1.5, pickable=False),
        pdk.Layer("ScatterplotLayer", cities, get_position="position", get_radius=3, radius_units=const("pixels"),
                  get_fill_color=[255, 255, 255, 255], get_line_color=[51, 51, 51, 255], stroked=True,
                  line_width_min_pixels=1, pickable=False),
        pdk.Layer("TextLayer", cities, get_position="position", get_text="name", get_size=12,
                  get_color=[68, 68, 68, 255], get_text_anchor=const("end"), get_alignment_baseline=const("center"),
                  get_pixel_offset=[-6, 0],
                  # the glyph atlas holds the names' own characters (Chinese is not in deck.gl's default set)
                  character_set=const("".join(sorted({ch for c in cities for ch in c["name"]}))),
                  font_family=const('"Noto Sans CJK SC", "Microsoft YaHei", sans-serif'), pickable=False),
    ]


def _zoom(bounds: np.ndarray) -> float:
    span = max(float(bounds[2] - bounds[0]), float(bounds[3] - bounds[1]), 1e-4)
    return float(np.clip(np.log2(360.0 / span) - 0.5, 3, 18))
