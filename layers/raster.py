"""
Imagery on the folium maps: a raster's pixel categories as an image overlay, its legend, and
change patches (卫片图斑) as a layer.

The raster is read decimated from its overviews (``geo.raster.display_classes``), warped to
Web Mercator (Leaflet's grid, so the image lines up at every zoom) and embedded in the page
as a PNG data URL: nothing is fetched from outside, the overlay works offline.
"""

from __future__ import annotations

import base64
import io

import folium
import geopandas as gpd
import numpy as np

import words
from geo.crs import DISPLAY_EPSG, WEB_EPSG
from geo.raster import DISPLAY_CLASSES
from layers.legend import Legend

#: Colour of each display category (None: transparent, the basemap shows through).
RASTER_COLORS: dict[str, str | None] = {"built": "#d7301f", "cleared": "#e0a33a", "other": None, "nodata": "#9e9e9e"}
PATCH_COLOR = "#7b2cbf"
MAX_DISPLAY_PX = 1024


def _rgba(cat: np.ndarray) -> np.ndarray:
    out = np.zeros((*cat.shape, 4), dtype=np.uint8)
    for name, value in DISPLAY_CLASSES.items():
        color = RASTER_COLORS.get(name)
        if color is None:
            continue
        rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
        hit = cat == value
        out[hit, :3] = rgb
        out[hit, 3] = 255 if name != "nodata" else 140
    return out


def _png(rgba: np.ndarray) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def warp_for_display(cat: np.ndarray, transform, crs) -> tuple[np.ndarray, list[list[float]]]:
    """
    Categories warped (nearest) to Web Mercator, and the image's ``[[south, west], [north,
    east]]`` in degrees for ``folium.raster_layers.ImageOverlay``.
    """
    from affine import Affine
    from pyproj import Transformer
    from rasterio.warp import Resampling, reproject

    h, w = cat.shape
    xs = np.array([0, w, w, 0, w / 2, 0, w / 2, w]) * transform.a + transform.c
    ys = np.array([0, 0, h, h, 0, h / 2, h, h / 2]) * transform.e + transform.f
    to_merc = Transformer.from_crs(crs, DISPLAY_EPSG, always_xy=True)
    mx, my = to_merc.transform(xs, ys)
    x0, x1, y0, y1 = min(mx), max(mx), min(my), max(my)
    res = max((x1 - x0) / w, (y1 - y0) / h)
    ow, oh = max(1, round((x1 - x0) / res)), max(1, round((y1 - y0) / res))
    dst_transform = Affine(res, 0.0, x0, 0.0, -res, y1)
    out = np.full((oh, ow), DISPLAY_CLASSES["other"], dtype=np.uint8)
    reproject(source=cat, destination=out, src_transform=transform, src_crs=crs, dst_transform=dst_transform,
              dst_crs=f"EPSG:{DISPLAY_EPSG}", resampling=Resampling.nearest, src_nodata=None, dst_nodata=None,
              init_dest_nodata=False)
    to_deg = Transformer.from_crs(DISPLAY_EPSG, WEB_EPSG, always_xy=True)
    west, south = to_deg.transform(x0, y1 - oh * res)
    east, north = to_deg.transform(x0 + ow * res, y1)
    return out, [[south, west], [north, east]]


def raster_overlay(path, *, name: str, opacity: float = 0.7, settings=None,
                   max_px: int = MAX_DISPLAY_PX) -> folium.raster_layers.ImageOverlay:
    """A raster's built / cleared / nodata pixels as an image overlay (a layer of its own)."""
    from geo.raster import display_classes

    cat, transform, crs = display_classes(path, max_px=max_px, settings=settings)
    warped, bounds = warp_for_display(cat, transform, crs)
    return folium.raster_layers.ImageOverlay(image=_png(_rgba(warped)), bounds=bounds, opacity=float(opacity),
                                             name=name, interactive=False, cross_origin=False, zindex=400,
                                             mercator_project=False)


def raster_legend(lang: str = "zh", *, with_patches: bool = False) -> Legend:
    """The legend of :func:`raster_overlay` (and of the patch layer)."""
    items = [(words.label("raster_class", n, lang), c) for n, c in RASTER_COLORS.items() if c is not None]
    outline = [(words.label("ui", "raster_patches_layer", lang), PATCH_COLOR)] if with_patches else []
    return Legend(words.label("ui", "raster_legend_title", lang), items, outline=outline, position="bottomleft",
                  kind="imagery")


def patches_layer(patches: gpd.GeoDataFrame, lang: str = "zh") -> folium.GeoJson | None:
    """Change patches (``geo.raster.read_patches``) outlined, with their number and date as tooltip."""
    if patches is None or len(patches) == 0:
        return None
    web = patches.to_crs(WEB_EPSG)
    shown = gpd.GeoDataFrame({
        "patch_id": web["patch_id"].astype(str),
        "patch_date": web["patch_date"].map(lambda d: words.fmt_date(d), na_action="ignore").fillna(words.DASH),
    }, geometry=web.geometry.values, crs=WEB_EPSG)
    style = {"color": PATCH_COLOR, "weight": 2, "fill": True, "fillOpacity": 0.05, "dashArray": "4 3"}
    return folium.GeoJson(
        shown.to_json(), name=words.label("ui", "raster_patches_layer", lang), style_function=lambda _f: style,
        tooltip=folium.GeoJsonTooltip(fields=["patch_id", "patch_date"],
                                      aliases=[words.label("ui", "raster_patch_id", lang),
                                               words.label("ui", "raster_patch_date", lang)]),
    )
