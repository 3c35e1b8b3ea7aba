"""
Write the illustrative constraint layers and the sample application (issue 9).

``data/constraints/basic_farmland.geojson`` (永久基本农田), ``ecological_red_line.geojson``
(生态保护红线) and ``urban_development_boundary.geojson`` (城镇开发边界) are drawn around the
illustrative park boundaries of ``data/parks.geojson`` — they are NOT the real 三区三线
(those are not public): every feature carries ``source: illustrative``. A bureau replaces
them with its own files (``python -m geo assess … --constraints DIR``).

``data/sample_application.geojson`` is an illustrative expansion of 南宁高新区: block 1 touches
the park and crosses the sample farmland (a fail); block 2 lies apart (a new sub-park: a warn).
``data/sample_project.geojson`` is an illustrative project for ``--kind project``.

Run: ``.venv/bin/python scripts/make_constraints.py`` (deterministic: same parks → same files).
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.crs import WEB_EPSG, metric_epsg_for  # noqa: E402
from geo.io import read_parks  # noqa: E402

SOURCE = "illustrative"
#: Urban development boundary: the park grown by this much (m).
URBAN_MARGIN_M = 800.0


def _main_part(geom) -> shapely.Polygon:
    parts = shapely.get_parts(geom)
    return max(parts, key=lambda p: p.area)


def make_layers(parks: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """The three layers as EPSG:4326 frames, one feature per park and layer."""
    rows: dict[str, list] = {"basic_farmland": [], "ecological_red_line": [], "urban_development_boundary": []}
    for park in parks.itertuples(index=False):
        epsg = metric_epsg_for(gpd.GeoSeries([park.geometry], crs=parks.crs))
        geom_m = gpd.GeoSeries([park.geometry], crs=parks.crs).to_crs(epsg).iloc[0]
        main = _main_part(geom_m)
        x0, y0, x1, y1 = main.bounds
        cy, cx = (y0 + y1) / 2, (x0 + x1) / 2
        # Farmland east of the main sub-park, red line north of it; neither enters a park.
        farm = shapely.box(x1 + 200, cy - 400, x1 + 900, cy + 400).difference(geom_m)
        red = shapely.box(cx - 600, y1 + 300, cx + 600, y1 + 1000).difference(geom_m)
        # The park grown by a margin, plus a planned area south of it (where a new sub-park may go).
        south = shapely.box(x0, y0 - 4500, x0 + 2500, y0)
        urban = shapely.union(geom_m.buffer(URBAN_MARGIN_M, quad_segs=4), south)
        for layer, geom in (("basic_farmland", farm), ("ecological_red_line", red),
                            ("urban_development_boundary", urban)):
            back = gpd.GeoSeries([geom], crs=epsg).to_crs(WEB_EPSG).iloc[0]
            rows[layer].append({"feature_id": f"{park.park_id}-{layer}", "park_id": park.park_id,
                                "source": SOURCE, "geometry": back})
    return {k: gpd.GeoDataFrame(v, crs=WEB_EPSG) for k, v in rows.items()}


def make_application(parks: gpd.GeoDataFrame, park_id: str = "nanning") -> gpd.GeoDataFrame:
    """Two blocks for ``park_id``: one touching its main sub-park over the farmland, one 3 km south."""
    park = parks[parks["park_id"] == park_id]
    epsg = metric_epsg_for(park)
    main = _main_part(park.to_crs(epsg).geometry.iloc[0])
    x0, y0, x1, y1 = main.bounds
    cy = (y0 + y1) / 2
    # Block 1 starts inside the park and is cut at its edge, so it touches it; it runs east over
    # the sample farmland.
    cx = (x0 + x1) / 2
    block1 = shapely.box(cx, cy - 600, x1 + 700, cy + 100).difference(main)
    block2 = shapely.box(x0 + 500, y0 - 3800, x0 + 1500, y0 - 3000)
    frame = gpd.GeoDataFrame(
        {"block": ["1", "2"], "park_id": [park_id, park_id], "land_use": ["industrial", "industrial"],
         "source": [SOURCE, SOURCE]},
        geometry=[block1, block2], crs=epsg,
    )
    return frame.to_crs(WEB_EPSG)


def make_project(parks: gpd.GeoDataFrame, park_id: str = "nanning") -> gpd.GeoDataFrame:
    """
    A proposed project (项目入园) on a 150 m × 120 m site inside ``park_id``'s main sub-park,
    with invented figures: FAR 1.33 (≥ 1.0 for division 39), green ratio 22 % (> 20 %: a fail).
    """
    park = parks[parks["park_id"] == park_id]
    epsg = metric_epsg_for(park)
    main = _main_part(park.to_crs(epsg).geometry.iloc[0])
    p = main.representative_point()
    site = shapely.box(p.x - 75, p.y - 60, p.x + 75, p.y + 60)  # 18,000 m² = 27 亩
    frame = gpd.GeoDataFrame(
        {"applicant": ["示例电子科技有限公司"], "industry_code": ["3911"], "industry_edition": ["2017"],
         "floor_area_m2": [24_000.0], "footprint_m2": [7_200.0], "office_area_m2": [900.0],
         "green_area_m2": [3_960.0], "total_investment_wan": [6_480.0], "output_wan": [16_200.0],
         "tax_wan": [540.0], "employees": [180], "source": [SOURCE]},
        geometry=[site], crs=epsg,
    )
    return frame.to_crs(WEB_EPSG)


def _write(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.unlink(missing_ok=True)
    frame.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=7)


def main() -> int:
    parks = read_parks(ROOT / "data" / "parks.geojson")
    out = ROOT / "data" / "constraints"
    out.mkdir(parents=True, exist_ok=True)
    for layer, frame in make_layers(parks).items():
        _write(frame, out / f"{layer}.geojson")
    _write(make_application(parks), ROOT / "data" / "sample_application.geojson")
    _write(make_project(parks), ROOT / "data" / "sample_project.geojson")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
