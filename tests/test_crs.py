"""Tests for geo.crs: zones by longitude, areas and their units, CRS refusal and inference."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.crs import (
    CRS_BASIS_CODES,
    M2_PER_MU,
    CRSError,
    area_m2,
    area_units,
    crs_from_user,
    gk_epsg_for_lon,
    infer_crs_from_coords,
    m2_to_ha,
    m2_to_mu,
    metric_epsg_for,
    require_projected,
    to_metric,
    to_web,
)

# A 100 m × 100 m parcel near the central meridian of GK zone 108°E (EPSG:4545), ~22.6°N.
BOX_4545 = shapely.box(500_000, 2_500_000, 500_100, 2_500_100)


def frame(geoms, crs):
    return gpd.GeoDataFrame({"parcel_id": [f"P{i}" for i in range(len(geoms))]}, geometry=geoms, crs=crs)


@pytest.mark.parametrize(
    ("lon", "epsg"),
    [
        (104.3, 4544),  # Guangxi's western edge
        (105.0, 4544),
        (106.49, 4544),
        (106.5, 4545),  # zone edge belongs to the zone east of it
        (108.0, 4545),
        (109.49, 4545),
        (109.5, 4546),  # np.round would have put this in zone 36 (108°E)
        (111.0, 4546),
        (112.1, 4546),  # eastern edge
        (98.0, 4544),  # clipped to Guangxi's zones
        (121.0, 4546),
    ],
)
def test_zone_by_longitude(lon, epsg):
    assert gk_epsg_for_lon([lon]).tolist() == [epsg]


def test_zone_by_longitude_vector_and_empty():
    assert gk_epsg_for_lon([105.2, 108.3, 110.9]).tolist() == [4544, 4545, 4546]
    assert gk_epsg_for_lon([]).size == 0


def test_unit_constants():
    # 1 亩 = 10000/15 m²; 1 ha = 15 亩 (domain.md §8).
    assert M2_PER_MU == pytest.approx(666.6667, abs=1e-4)
    assert m2_to_mu(10_000) == pytest.approx(15.0)
    assert m2_to_ha(10_000) == pytest.approx(1.0)
    assert m2_to_mu(M2_PER_MU) == pytest.approx(1.0)


def test_area_of_100m_box_in_m2_ha_mu():
    gdf = frame([BOX_4545], 4545)
    units = area_units(area_m2(gdf))
    assert units["area_m2"].iloc[0] == pytest.approx(10_000, abs=0.01)
    assert units["area_ha"].iloc[0] == pytest.approx(1.0, abs=1e-6)
    assert units["area_mu"].iloc[0] == pytest.approx(15.0, abs=1e-5)


def test_area_of_geographic_box_is_measured_in_its_zone():
    # The same 100 m box stored in degrees (EPSG:4490) measures 10,000 m² again:
    # area_m2 reprojects it to its own zone (4545) and never measures degrees.
    geographic = frame([BOX_4545], 4545).to_crs(4490)
    assert area_m2(geographic).iloc[0] == pytest.approx(10_000, abs=0.01)


def test_area_each_row_in_its_own_zone():
    # One box in each zone, each 100 m × 100 m in its own zone's metres.
    boxes = [
        frame([BOX_4545], 4544).to_crs(4490).geometry.iloc[0],
        frame([BOX_4545], 4545).to_crs(4490).geometry.iloc[0],
        frame([BOX_4545], 4546).to_crs(4490).geometry.iloc[0],
    ]
    got = area_m2(frame(boxes, 4490))
    np.testing.assert_allclose(got.to_numpy(), [10_000, 10_000, 10_000], atol=0.01)


def test_area_missing_and_empty_geometry_is_nan():
    got = area_m2(frame([BOX_4545, None, shapely.Polygon()], 4545))
    assert got.iloc[0] == pytest.approx(10_000)
    assert np.isnan(got.iloc[1])
    got_geo = area_m2(frame([BOX_4545, None], 4545).to_crs(4490))
    assert np.isnan(got_geo.iloc[1])
    assert got_geo.name == "area_m2"


def test_area_refuses_missing_crs():
    with pytest.raises(CRSError) as err:
        area_m2(frame([BOX_4545], None))
    assert err.value.code == "crs_not_set"


def test_require_projected_refuses_geographic():
    with pytest.raises(CRSError) as err:
        require_projected(frame([BOX_4545], 4545).to_crs(4490))
    assert err.value.code == "crs_not_projected" and "4490" in err.value.params["crs"]
    with pytest.raises(CRSError) as err:
        require_projected(frame([BOX_4545], None))
    assert err.value.code == "crs_not_set"
    require_projected(frame([BOX_4545], 4545))  # metric: accepted


def test_to_metric_picks_zone_of_data_and_to_web():
    # A box in zone 111°E stored in degrees goes back to EPSG:4546.
    geographic = frame([BOX_4545], 4546).to_crs(4490)
    assert metric_epsg_for(geographic) == 4546
    metric = to_metric(geographic)
    assert metric.crs.to_epsg() == 4546
    assert metric.area.iloc[0] == pytest.approx(10_000, abs=0.01)
    assert to_web(metric).crs.to_epsg() == 4326
    assert to_metric(metric, epsg=4545).crs.to_epsg() == 4545


@pytest.mark.parametrize(
    ("bounds", "epsg"),
    [
        ((108.2, 22.7, 108.5, 22.9), 4490),  # degrees inside Guangxi
        ((104.3, 21.4, 112.1, 26.4), 4490),  # whole province
        ((35_450_000, 2_600_000, 35_520_000, 2_650_000), 4523),  # zone 35 prefix
        ((36_480_000, 2_500_000, 36_520_000, 2_520_000), 4524),  # zone 36 prefix
        ((37_450_000, 2_700_000, 37_550_000, 2_800_000), 4525),  # zone 37 prefix
    ],
)
def test_infer_crs_unambiguous(bounds, epsg):
    got, basis = infer_crs_from_coords(bounds)
    assert got == epsg
    assert basis == ("degrees_in_guangxi" if epsg == 4490 else "gk_zone_prefix")


@pytest.mark.parametrize(
    ("bounds", "words"),
    [
        # 0.2-0.8M eastings fit any of the three zones: ask (domain.md §8).
        ((480_000, 2_500_000, 520_000, 2_520_000), "gk_zone_ambiguous"),
        ((35_900_000, 2_500_000, 36_100_000, 2_520_000), "no_known_crs"),  # spans two prefixes
        ((1_000, 1_000, 2_000, 2_000), "no_known_crs"),
        ((120.0, 30.0, 121.0, 31.0), "no_known_crs"),  # degrees outside Guangxi
        ((np.nan, np.nan, np.nan, np.nan), "no_coordinates"),
    ],
)
def test_infer_crs_refuses(bounds, words):
    got, basis = infer_crs_from_coords(bounds)
    assert got is None
    assert basis == words
    assert basis in CRS_BASIS_CODES


def test_crs_from_user_forms():
    assert crs_from_user("EPSG:4545").to_epsg() == 4545
    assert crs_from_user("4545").to_epsg() == 4545
    assert crs_from_user(4490).to_epsg() == 4490


@settings(max_examples=40, deadline=None)
@given(
    x=st.floats(380_000, 620_000),
    y=st.floats(2_350_000, 2_850_000),
    w=st.floats(5, 2_000),
    h=st.floats(5, 2_000),
)
def test_area_invariant_under_reprojection(x, y, w, h):
    # Invariant: a parcel measures the same whether stored in GK 108°E or in degrees.
    metric = frame([shapely.box(x, y, x + w, y + h)], 4545)
    geographic = metric.to_crs(4490)
    expected = w * h
    assert area_m2(metric).iloc[0] == pytest.approx(expected, rel=1e-9)
    assert area_m2(geographic).iloc[0] == pytest.approx(expected, rel=1e-6, abs=0.01)
    # And back: degrees → metric keeps the area measured in degrees' own zone.
    assert area_m2(geographic.to_crs(4545)).iloc[0] == pytest.approx(area_m2(geographic).iloc[0], rel=1e-6)


def test_fast_area_path_equals_geos_for_holes_multiparts_and_duplicate_index():
    # Oracle: GeoSeries.to_crs(zone).area (GEOS on reprojected geometry).

    outer = shapely.box(108.00, 22.80, 108.01, 22.81)
    hole = shapely.Polygon(outer.exterior.coords, [shapely.box(108.002, 22.802, 108.004, 22.804).exterior.coords])
    multi = shapely.MultiPolygon([shapely.box(110.0, 24.0, 110.001, 24.001), shapely.box(110.002, 24.0, 110.003, 24.001)])
    g = gpd.GeoSeries([outer, hole, multi, None], index=[7, 7, 3, 3], crs=4490)
    got = area_m2(g)
    assert list(got.index) == [7, 7, 3, 3]
    assert got.iloc[0] == pytest.approx(g.iloc[[0]].to_crs(4545).area.iloc[0], rel=1e-12)
    assert got.iloc[1] == pytest.approx(g.iloc[[1]].to_crs(4545).area.iloc[0], rel=1e-12)
    assert got.iloc[1] < got.iloc[0]
    assert got.iloc[2] == pytest.approx(g.iloc[[2]].to_crs(4546).area.iloc[0], rel=1e-12)
    assert np.isnan(got.iloc[3])


def test_remembered_areas_are_those_measured_for_any_choice_of_geometries():
    from shapely.geometry import box

    from geo.crs import area_m2, area_m2_remembered

    parks = gpd.GeoSeries([box(108.3, 22.8, 108.31, 22.81), box(110.2, 25.2, 110.25, 25.23), None,
                           box(109.4, 24.3, 109.401, 24.302)], crs=4326, index=[10, 11, 12, 13])
    whole = area_m2(parks)
    pd.testing.assert_series_equal(area_m2_remembered(parks), whole)
    # A choice of the same parks (another filter) reads each park's own area, in its own order.
    part = parks.iloc[[3, 0]]
    pd.testing.assert_series_equal(area_m2_remembered(part), whole.iloc[[3, 0]])
    assert np.isnan(area_m2_remembered(parks.iloc[[2]]).iloc[0])
    # Another CRS is another measurement (a metric CRS is measured as it is).
    metric = parks.dropna().to_crs(4547)
    pd.testing.assert_series_equal(area_m2_remembered(metric), area_m2(metric))
