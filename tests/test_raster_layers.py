"""The imagery overlay (layers/raster.py): categories warped to Web Mercator, coloured, embedded, with a legend."""

from __future__ import annotations

import base64
import io
import json

import folium
import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from PIL import Image
from pyproj import Transformer
from shapely.geometry import box

from geo import raster
from layers.raster import RASTER_COLORS, patches_layer, raster_legend, raster_overlay, warp_for_display

X0, Y0, PX = 500_000.0, 2_500_000.0, 10.0


@pytest.fixture
def class_tif(tmp_path):
    a = np.zeros((40, 40), np.uint8)
    a[:20, :20] = 1
    a[20:, 20:] = 2
    a[:4, 36:] = 255
    path = tmp_path / "c.tif"
    with rasterio.open(path, "w", driver="GTiff", width=40, height=40, count=1, dtype="uint8", nodata=255,
                       crs="EPSG:4545", transform=Affine(PX, 0.0, X0, 0.0, -PX, Y0)) as dst:
        dst.write(a[None])
        dst.build_overviews([2], rasterio.enums.Resampling.nearest)
    return path


def test_display_classes_decimated_from_overviews(class_tif):
    cat, transform, crs = raster.display_classes(class_tif, max_px=20)
    assert cat.shape == (20, 20) and transform.a == pytest.approx(20.0) and str(crs) == "EPSG:4545"
    assert cat[0, 0] == raster.DISPLAY_CLASSES["built"] and cat[-1, -1] == raster.DISPLAY_CLASSES["cleared"]
    assert cat[0, -1] == raster.DISPLAY_CLASSES["nodata"]


def test_warped_bounds_and_colours(class_tif):
    cat, transform, crs = raster.display_classes(class_tif)
    warped, bounds = warp_for_display(cat, transform, crs)
    assert set(np.unique(warped)) == set(raster.DISPLAY_CLASSES.values())
    to_deg = Transformer.from_crs("EPSG:4545", "EPSG:4326", always_xy=True)
    west, south = to_deg.transform(X0, Y0 - 400)
    east, north = to_deg.transform(X0 + 400, Y0)
    # The warped image covers the raster's extent (a little more: the grid turns slightly).
    (s, w), (n, e) = bounds
    assert s <= south + 1e-6 and w <= west + 1e-6 and n >= north - 1e-6 and e >= east - 1e-6
    assert (n - s) < 1.1 * (north - south) and (e - w) < 1.1 * (east - west)
    overlay = raster_overlay(class_tif, name="柳州 2026-10-15", opacity=0.6)
    png = base64.b64decode(overlay.url.split(",", 1)[1])
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    built = tuple(int(RASTER_COLORS["built"][i:i + 2], 16) for i in (1, 3, 5))
    assert tuple(img[2, 2, :3]) == built and img[2, 2, 3] == 255  # top-left block built
    assert img[img.shape[0] * 3 // 4, img.shape[1] // 4, 3] == 0  # other ground (bottom-left): transparent
    assert overlay.options["opacity"] == 0.6


def test_map_renders_overlay_legend_and_patches(class_tif):
    m = folium.Map(location=[22.6, 108.0], zoom_start=14)
    raster_overlay(class_tif, name="x").add_to(m)
    raster_legend("zh", with_patches=True).add_to(m)
    patches = gpd.GeoDataFrame({"patch_id": ["W-1"], "patch_date": [np.datetime64("2026-06-01")]},
                               geometry=[box(X0, Y0 - 100, X0 + 100, Y0)], crs=4545)
    patches_layer(patches, "zh").add_to(m)
    page = m.get_root().render()

    def has(text: str) -> bool:  # folium writes some strings as JSON, non-ASCII escaped
        return text in page or json.dumps(text)[1:-1] in page

    assert "data:image/png;base64," in page and has("影像判读") and has("卫片图斑") and has("监测日期")
    assert "W-1" in page and "2026-06-01" in page
    assert "http" not in page.split("data:image/png;base64,", 1)[1][:200]
