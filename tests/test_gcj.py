"""GCJ-02 / BD-09 → CGCS2000 (geo.gcj): offsets as measured in Guangxi, inverse to the centimetre."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import prcoords
import pytest
from shapely.geometry import Point, box

from geo.crs import area_m2
from geo.gcj import looks_like_datav, to_cgcs2000

# City centres (degrees): the offsets field-measured there are 473-559 m.
CITIES = {"南宁": (108.366, 22.817), "柳州": (109.411, 24.326), "桂林": (110.290, 25.274),
          "北海": (109.120, 21.481), "百色": (106.618, 23.902)}


def _metres(a: Point, b: Point) -> float:
    s = gpd.GeoSeries([a, b], crs=4490).to_crs(4545)
    return float(s.iloc[0].distance(s.iloc[1]))


@pytest.mark.parametrize("city", list(CITIES))
def test_gcj_offset_in_guangxi_is_removed(city):
    lon, lat = CITIES[city]
    shifted = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    gcj = gpd.GeoDataFrame(geometry=[Point(shifted.lon, shifted.lat)], crs=4326)
    back = to_cgcs2000(gcj, system="gcj02").geometry.iloc[0]
    assert 450 < _metres(Point(lon, lat), Point(shifted.lon, shifted.lat)) < 600
    assert _metres(Point(lon, lat), back) < 0.05


def test_bd09_round_trip():
    lon, lat = CITIES["南宁"]
    bd = prcoords.wgs_bd(prcoords.Coords(lat, lon))
    back = to_cgcs2000(gpd.GeoDataFrame(geometry=[Point(bd.lon, bd.lat)], crs=4326), system="bd09")
    assert _metres(Point(lon, lat), back.geometry.iloc[0]) < 0.05


def test_polygon_keeps_area_and_moves():
    lon, lat = CITIES["柳州"]
    poly = gpd.GeoDataFrame({"adcode": [450200]}, geometry=[box(lon, lat, lon + 0.01, lat + 0.01)], crs=4326)
    out = to_cgcs2000(poly, system="gcj02")
    assert out.crs.to_epsg() == 4490
    assert float(area_m2(out).iloc[0]) == pytest.approx(float(area_m2(poly).iloc[0]), rel=1e-3)
    assert not np.allclose(out.total_bounds, poly.total_bounds)


def test_refuses_metres_and_unknown_systems():
    gdf = gpd.GeoDataFrame(geometry=[Point(500000, 2500000)], crs=4545)
    with pytest.raises(ValueError):
        to_cgcs2000(gdf, system="gcj02")
    with pytest.raises(ValueError):
        to_cgcs2000(gdf, system="mars")


def test_datav_fingerprint():
    assert looks_like_datav(["adcode", "name", "center", "centroid", "childrenNum", "level", "acroutes"])
    assert not looks_like_datav(["宗地编号", "level", "name"])
