"""
The parks layer and a seeded sample of parcels (issue 2 §2).

``make_parks`` draws the 12 high-tech zones Guangxi had in November 2017
(domain.md §1) as *illustrative* polygons at each zone's real location: the
real boundaries are not public, and every park says so in ``boundary_source``.
``make_parcels`` fills the parks with grid-like, non-overlapping parcels whose
attributes are plausible for Guangxi and whose dates are set so that, as of
``as_of`` (default 2026-11-25), every idle-land status of 《闲置土地处置办法》
occurs, every Art. 8 exemption cause occurs, and the usual data defects occur
(missing dates, one self-intersecting polygon, one duplicated parcel number,
parcels outside every park), so every path of the product shows.

Dates are placed well clear of the 1-year and 2-year marks (at least 20 days,
and idle-recover parcels at least 3 years past their clock start), so the
designed status does not hinge on how a boundary day is counted.

Nothing here is a rule: the distributions only imitate data. The one link to
the rules is the minimum FAR per industry, read from
``geo/rules/far_min_by_industry.yaml`` so that about 15 % of industrial
parcels fall below *their* minimum whatever the table says.
"""

from __future__ import annotations

import functools
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyproj import Transformer

from geo import vocab
from geo.crs import M2_PER_HA, M2_PER_MU, WEB_EPSG, area_m2, metric_epsg_for
from geo.eco import ECO_INDICATORS
from geo.idle import IDLE_STATUSES
from geo.rules import load_rules
from geo.schema import PARCEL_COLUMNS, PARK_COLUMNS

#: The date the sample's statuses are designed for.
SAMPLE_AS_OF = date(2026, 11, 25)
DEFAULT_SEED = 20261125
#: Earliest supply (grant) date in the sample.
FIRST_SUPPLY = date(2008, 1, 1)
#: Fewest parcels ``make_parcels`` accepts: room for every status and defect.
MIN_PARCELS = 200
#: Parks' boundaries are drawn once, from this seed, whatever the sample's seed.
PARKS_SEED = 1992

BOUNDARY_SOURCE = "illustrative"
#: The GB/T 4754 edition of the sample's industry codes (written per row as ``industry_edition``).
SAMPLE_INDUSTRY_EDITION = "2017"

#: Statuses the sample is designed to contain: every one ``geo.idle`` knows.
DESIGN_STATUSES = IDLE_STATUSES
EXEMPT_CAUSES = vocab.DELAY_CAUSES
#: Cause texts a file may hold that match no known cause: the officer has to settle them
#: (规划调整 may or may not be a plan revised under Art. 8; infrastructure not built is
#: often the government's; "formalities in progress" says nothing).
UNRECOGNISED_CAUSES = ("规划调整", "周边配套设施未完善", "项目前期手续办理中")
#: Values of the sample's ``delay_cause``: the cause codes, then the unrecognised texts.
CAUSE_VALUES = (*vocab.CAUSE_CODES, *UNRECOGNISED_CAUSES)
#: Reasons written in the sample's supplementary agreements (补充协议).
EXTENSION_REASONS = ("未按期交付土地", "规划修改", "配套道路未建成", "征地拆迁未完成")

#: Fewest parcels of each designed status (issue: ≥ 3 of each; margins kept).
_MIN_PER_STATUS = {s: 5 for s in DESIGN_STATUSES} | {
    "idle_exempt": 2 * len(EXEMPT_CAUSES), "unknown": 8, "idle_suspected": 2 * len(UNRECOGNISED_CAUSES) + 4,
    "not_due": 6, "overdue": 7,
}  # fmt: skip

# Share of each designed status by land use. Idle land in the zones is mostly
# industrial; developers' commercial and residential land idles less; public land
# (schools, roads, green) is built or building.
# Idle land whose cause is not yet established outnumbers the rest: in real determinations
# the causes were mostly the government's, and a file seldom records one.
_STATUS_P_INDUSTRIAL = {
    "completed": 0.68,
    "active": 0.16,
    "not_supplied": 0.01,
    "not_due": 0.03,
    "overdue": 0.03,
    "stalled": 0.02,
    "idle_suspected": 0.03,
    "idle_fee": 0.012,
    "idle_recover": 0.008,
    "idle_exempt": 0.015,
    "unknown": 0.005,
}
_STATUS_P_REAL_ESTATE = {
    "completed": 0.72,
    "active": 0.18,
    "not_supplied": 0.005,
    "not_due": 0.035,
    "overdue": 0.02,
    "stalled": 0.01,
    "idle_suspected": 0.012,
    "idle_fee": 0.005,
    "idle_recover": 0.004,
    "idle_exempt": 0.006,
    "unknown": 0.003,
}
_STATUS_P_PUBLIC = {"completed": 0.85, "active": 0.15}
_PRIVATE_USES = ("industrial", "storage", "commercial", "residential")
_LAND_USES = ("industrial", "storage", "commercial", "residential", "public_service", "transport", "green_space")

# Land-use mix by count. Industry-led parks: industrial ~60 %; Nanning's main zone
# was 19.40 % industrial in the 2018 evaluation (domain.md §5): a mixed park.
_MIX = {
    "industry_led": (0.60, 0.07, 0.09, 0.06, 0.07, 0.06, 0.05),
    "services": (0.45, 0.05, 0.16, 0.12, 0.10, 0.06, 0.06),
    "mixed": (0.17, 0.04, 0.24, 0.21, 0.16, 0.09, 0.09),
}

# ---------------------------------------------------------------- the 12 zones
# Sub-parks: (lon °E, lat °N, radius km, aspect, rotation °). Leading industries
# for 南宁, 柳州, 桂林, 北海 follow the 2018 plan (domain.md §1); the others are
# plausible inventions. Industry codes are GB/T 4754-2017 divisions.
_PARKS: tuple[dict, ...] = (
    dict(
        park_id="nanning", name_zh="南宁高新技术产业开发区", name_en="Nanning Hi-tech Industrial Development Zone",
        level="national", city="南宁市", city_code="450100", since=1992, mix="mixed",
        leading="生命健康;新一代信息技术;智能制造;节能环保", codes=("27", "39", "34", "35", "38", "40"),
        parts=((108.30, 22.85, 3.3, 1.5, 20), (108.19, 22.84, 2.1, 1.4, -30), (108.42, 22.79, 2.3, 1.6, 60)),
        dev_share=0.90, ready_share=0.93, eco=("completed", 2019), weight=1.3,
        eco_ind=(0.28, 6.5, 0.86, 0.82, 0.18, 28.5),
    ),
    dict(
        park_id="liuzhou", name_zh="柳州高新技术产业开发区", name_en="Liuzhou Hi-tech Industrial Development Zone",
        level="national", city="柳州市", city_code="450200", since=2010, mix="industry_led",
        leading="新材料;先进制造;生态环保", codes=("30", "31", "32", "36", "34", "35", "42"),
        parts=((109.41, 24.36, 3.4, 1.4, 35),),
        dev_share=0.89, ready_share=0.91, eco=("completed", 2021), weight=1.0,
        eco_ind=(0.46, 8.9, 0.88, 0.91, 0.12, 21.3),
    ),
    dict(
        park_id="guilin", name_zh="桂林高新技术产业开发区", name_en="Guilin Hi-tech Industrial Development Zone",
        level="national", city="桂林市", city_code="450300", since=1991, mix="services",
        leading="新一代信息技术;生物医药;现代服务业", codes=("39", "27", "40", "38"),
        parts=((110.32, 25.28, 3.0, 1.5, -15), (110.25, 25.19, 2.2, 1.3, 40)),
        dev_share=0.88, ready_share=0.92, eco=("completed", 2020), weight=1.0,
        eco_ind=(0.31, 7.8, 0.82, 0.79, 0.15, 24.0),
    ),
    dict(
        park_id="beihai", name_zh="北海高新技术产业开发区", name_en="Beihai Hi-tech Industrial Development Zone",
        level="national", city="北海市", city_code="450500", since=2015, mix="industry_led",
        leading="新一代信息技术;海洋生物", codes=("39", "13", "27", "14"),
        parts=((109.12, 21.47, 2.7, 1.6, 70),),
        dev_share=0.87, ready_share=0.90, eco=("in_progress", None), weight=1.0,
        eco_ind=(0.52, 9.6, 0.74, 0.71, 0.08, 19.2),
    ),
    dict(
        park_id="wuzhou", name_zh="梧州高新技术产业开发区", name_en="Wuzhou Hi-tech Industrial Development Zone",
        level="regional", city="梧州市", city_code="450400", since=2012, mix="industry_led",
        leading="再生资源;电子信息;生物医药", codes=("42", "32", "39", "27", "30"),
        parts=((111.30, 23.46, 2.2, 1.5, 10),),
        dev_share=0.86, ready_share=0.88, eco=("completed", 2022), weight=1.0,
        eco_ind=(0.41, 8.2, 0.80, 0.86, 0.11, 17.5),
    ),
    dict(
        park_id="qinzhou", name_zh="钦州高新技术产业开发区", name_en="Qinzhou Hi-tech Industrial Development Zone",
        level="regional", city="钦州市", city_code="450700", since=2013, mix="industry_led",
        leading="石化新材料;装备制造;电子信息", codes=("25", "26", "35", "39"),
        parts=((108.61, 21.96, 2.5, 1.7, -40),),
        dev_share=0.86, ready_share=0.86, eco=("in_progress", None), weight=1.0,
        eco_ind=(0.83, 11.4, 0.77, 0.64, None, 26.1),
    ),
    dict(
        park_id="laibin", name_zh="来宾高新技术产业开发区", name_en="Laibin Hi-tech Industrial Development Zone",
        level="regional", city="来宾市", city_code="451300", since=2014, mix="industry_led",
        leading="铝基新材料;新能源汽车零部件;碳酸钙新材料", codes=("32", "36", "30"),
        parts=((109.21, 23.75, 2.1, 1.4, 25),),
        dev_share=0.85, ready_share=0.84, eco=("not_started", None), weight=1.0,
        eco_ind=(0.95, 13.2, 0.69, 0.73, 0.05, 14.2),
    ),
    dict(
        park_id="liuzhou_hexi", name_zh="柳州河西高新技术产业开发区",
        name_en="Liuzhou Hexi Hi-tech Industrial Development Zone",
        level="regional", city="柳州市", city_code="450200", since=2015, mix="industry_led",
        leading="汽车零部件;机械装备;新材料", codes=("36", "34", "35", "30"),
        parts=((109.33, 24.28, 2.1, 1.3, -20),),
        dev_share=0.88, ready_share=0.90, eco=("completed", 2024), weight=1.0,
        eco_ind=(0.44, 8.7, 0.81, 0.76, 0.12, 18.8),
    ),
    dict(
        park_id="hezhou", name_zh="贺州高新技术产业开发区", name_en="Hezhou Hi-tech Industrial Development Zone",
        level="regional", city="贺州市", city_code="451100", since=2016, mix="industry_led",
        leading="碳酸钙新材料;电子信息;新能源", codes=("30", "39", "38"),
        parts=((111.56, 24.41, 1.9, 1.5, 50),),
        dev_share=0.84, ready_share=0.82, eco=("not_started", None), weight=1.0,
        eco_ind=(0.72, None, 0.66, 0.68, None, 13.1),
    ),
    dict(
        park_id="baise", name_zh="百色高新技术产业开发区", name_en="Baise Hi-tech Industrial Development Zone",
        level="regional", city="百色市", city_code="451000", since=2013, mix="industry_led",
        leading="生态铝;新能源;农产品加工", codes=("32", "38", "13"),
        parts=((106.61, 23.90, 2.2, 1.6, -10),),
        dev_share=0.85, ready_share=0.87, eco=("in_progress", None), weight=1.0,
        eco_ind=(1.12, 12.5, 0.79, 0.62, 0.06, 22.4),
    ),
    dict(
        park_id="yulin", name_zh="玉林高新技术产业开发区", name_en="Yulin Hi-tech Industrial Development Zone",
        level="regional", city="玉林市", city_code="450900", since=2011, mix="industry_led",
        leading="机械装备;健康医药;新材料", codes=("34", "35", "27", "30"),
        parts=((110.15, 22.65, 2.3, 1.4, 15),),
        dev_share=0.87, ready_share=0.89, eco=("completed", 2018), weight=1.0,
        eco_ind=(0.38, 8.1, 0.78, 0.74, 0.13, 16.9),
    ),
    dict(
        park_id="fangchenggang", name_zh="防城港高新技术产业开发区",
        name_en="Fangchenggang Hi-tech Industrial Development Zone",
        level="regional", city="防城港市", city_code="450600", since=2017, mix="industry_led",
        leading="钢铁及有色金属深加工;粮油食品;装备制造", codes=("31", "32", "13", "35"),
        parts=((108.35, 21.70, 2.1, 1.5, -55),),
        dev_share=0.84, ready_share=0.80, eco=("not_started", None), weight=1.0,
        eco_ind=(None, 14.8, 0.71, 0.58, 0.04, None),
    ),
)
_PARK_BY_ID = {p["park_id"]: p for p in _PARKS}
_DEFAULT_PROFILE = dict(city="广西", city_code="450000", mix="industry_led", codes=("39", "34", "30"), level="regional")

#: Eco indicator columns of the parks layer (HJ 274-2015 family; ratios are fractions).
PARK_ECO_COLUMNS = ECO_INDICATORS
#: Every column of the parks layer, in order (geometry last).
PARK_OUTPUT_COLUMNS = (*(c.name for c in PARK_COLUMNS), "regional_since_year", *PARK_ECO_COLUMNS)

# Road width between blocks and the setback from a park's edge (m).
_ROAD_M = (18.0, 36.0)
_EDGE_MARGIN_M = 30.0
# Supplied parcel area aimed at, as a share of the park's supply-ready land.
_SUPPLY_TARGET = 0.85
_SUPPLY_CAP = 0.97

_TRADE_CHARS = list("华鑫金源达盛恒瑞泰博创兴宏丰新通凯嘉德信远海天利安明光正中智联力美桂邕锦康绿晟益腾")
_CITY_SHORT = {
    "南宁市": "南宁", "柳州市": "柳州", "桂林市": "桂林", "北海市": "北海", "梧州市": "梧州", "钦州市": "钦州",
    "来宾市": "来宾", "贺州市": "贺州", "百色市": "百色", "玉林市": "玉林", "防城港市": "防城港", "广西": "广西",
}
_INDUSTRY_WORD = {
    "13": "食品", "14": "食品", "15": "饮品", "16": "烟草", "17": "纺织", "18": "服饰", "19": "皮革", "20": "木业",
    "21": "家具", "22": "纸业", "23": "印务", "24": "文体用品", "25": "石化", "26": "化工", "27": "生物医药",
    "28": "化纤", "29": "橡塑", "30": "新材料", "31": "钢铁", "32": "铝业", "33": "金属制品", "34": "机械",
    "35": "装备", "36": "汽车零部件", "37": "船舶", "38": "电气", "39": "电子科技", "40": "仪器仪表",
    "41": "制造", "42": "再生资源", "43": "设备维修",
}
_ALL_DIVISIONS = tuple(f"{d}" for d in range(13, 44))
#: A holder name that exercises HTML escaping in popups and tables.
TRICKY_HOLDER = '广西<b>&"金桂"科技有限公司'


# ===================================================================== parks
def _blob(rng: np.random.Generator, cx: float, cy: float, r_m: float, aspect: float, rot_deg: float):
    """A star-shaped (hence valid) irregular ellipse around (cx, cy), in metres."""
    k = 18
    step = 2 * np.pi / k
    theta = np.linspace(0, 2 * np.pi, k, endpoint=False) + rng.uniform(-0.4, 0.4, k) * step
    radius = r_m * (1 + rng.uniform(-0.12, 0.12, k))
    x = radius * np.sqrt(aspect) * np.cos(theta)
    y = radius / np.sqrt(aspect) * np.sin(theta)
    rot = np.deg2rad(rot_deg)
    xr = cx + x * np.cos(rot) - y * np.sin(rot)
    yr = cy + x * np.sin(rot) + y * np.cos(rot)
    return shapely.Polygon(np.column_stack([xr, yr]))


def make_parks() -> gpd.GeoDataFrame:
    """
    The 12 high-tech zones of November 2017 with illustrative boundaries.

    Returns
    -------
    parks
        EPSG:4326, one row per park in the order of domain.md §1 (4 national, then
        8 region-level), columns ``PARK_OUTPUT_COLUMNS`` + geometry. 南宁 (3 sub-parks)
        and 桂林 (2) are MultiPolygons (一区多园). Coordinates are rounded to 1e-6°
        so the frame equals what ``write_parks`` stores. ``developable_ha`` and
        ``supply_ready_ha`` are shares of the drawn area; ``eco_year`` is NaN
        unless eco-transformation is completed.
    """
    rng = np.random.default_rng(PARKS_SEED)
    geoms = []
    for p in _PARKS:
        lon0, lat0 = p["parts"][0][:2]
        epsg = int(metric_epsg_for(gpd.GeoSeries(shapely.points([lon0], [lat0]), crs=WEB_EPSG)))
        centres = gpd.GeoSeries(
            shapely.points([q[0] for q in p["parts"]], [q[1] for q in p["parts"]]), crs=WEB_EPSG
        ).to_crs(epsg)
        polys = [
            _blob(rng, c.x, c.y, q[2] * 1000.0, q[3], q[4]) for c, q in zip(centres, p["parts"], strict=True)
        ]
        geom = shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]
        geoms.append(gpd.GeoSeries([geom], crs=epsg).to_crs(WEB_EPSG).iloc[0])
    geometry = shapely.set_precision(np.array(geoms, dtype=object), 1e-6)
    eco_ind = np.array([[np.nan if v is None else v for v in p["eco_ind"]] for p in _PARKS], dtype=float)
    parks = gpd.GeoDataFrame(
        {
            "park_id": [p["park_id"] for p in _PARKS],
            "name_zh": [p["name_zh"] for p in _PARKS],
            "name_en": [p["name_en"] for p in _PARKS],
            "level": [p["level"] for p in _PARKS],
            "city": [p["city"] for p in _PARKS],
            "leading_industries": [p["leading"] for p in _PARKS],
            "eco_status": [p["eco"][0] for p in _PARKS],
            "eco_year": [np.nan if p["eco"][1] is None else float(p["eco"][1]) for p in _PARKS],
        },
        geometry=list(geometry),
        crs=WEB_EPSG,
    )
    area_ha = area_m2(parks).to_numpy() / M2_PER_HA
    dev = np.round(area_ha * np.array([p["dev_share"] for p in _PARKS]), 1)
    parks["developable_ha"] = dev
    parks["supply_ready_ha"] = np.round(dev * np.array([p["ready_share"] for p in _PARKS]), 1)
    parks["boundary_source"] = BOUNDARY_SOURCE
    parks["regional_since_year"] = np.array([p["since"] for p in _PARKS], dtype="int64")
    for j, col in enumerate(PARK_ECO_COLUMNS):
        parks[col] = eco_ind[:, j]
    for c in PARK_COLUMNS:
        if c.kind == "str":
            parks[c.name] = parks[c.name].astype("str")
    return parks[[*PARK_OUTPUT_COLUMNS, "geometry"]]


def write_parks(path: str | Path = "data/parks.geojson") -> Path:
    """
    Write ``make_parks()`` as GeoJSON (EPSG:4326, coordinates to 6 decimals).

    Returns
    -------
    path
        Where it was written; parent folders are created.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    make_parks().to_file(path, driver="GeoJSON", layer="parks", COORDINATE_PRECISION=6)
    return path


# =================================================================== parcels
def _profile(park_id: str) -> dict:
    return _PARK_BY_ID.get(park_id, _DEFAULT_PROFILE)


def _edges(rng: np.random.Generator, lo: float, hi: float, side_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of grid bands (blocks between roads) covering [lo, hi]."""
    count = int(np.ceil((hi - lo) / (0.5 * side_m))) + 4
    width = side_m * rng.lognormal(0.0, 0.35, count)
    road = rng.uniform(*_ROAD_M, count)
    step = width + road
    start = lo - rng.uniform(0, side_m) + np.concatenate([[0.0], np.cumsum(step)[:-1]]) + road
    end = start + width
    keep = end <= hi
    return start[keep], end[keep]


def _split_blocks(rng: np.random.Generator, x0, y0, x1, y1) -> tuple[np.ndarray, ...]:
    """Split some blocks into 2-4 plots side by side along their longer side (shared edges, no overlap)."""
    k = rng.choice([1, 2, 3, 4], size=len(x0), p=[0.55, 0.25, 0.12, 0.08])
    idx = np.repeat(np.arange(len(x0)), k)
    kk = k[idx]
    j = np.arange(len(idx)) - np.repeat(np.cumsum(k) - k, k)
    f0, f1 = j / kk, (j + 1) / kk
    bx0, by0, bx1, by1 = x0[idx], y0[idx], x1[idx], y1[idx]
    along_x = (bx1 - bx0) >= (by1 - by0)
    w, h = bx1 - bx0, by1 - by0
    nx0 = np.where(along_x, bx0 + w * f0, bx0)
    nx1 = np.where(along_x, bx0 + w * f1, bx1)
    ny0 = np.where(along_x, by0, by0 + h * f0)
    ny1 = np.where(along_x, by1, by0 + h * f1)
    return nx0, ny0, nx1, ny1


def _plots_in(
    rng: np.random.Generator, poly_m, n_want: int, target_total_m2: float, cap_total_m2: float
) -> np.ndarray:
    """
    ``n_want`` non-overlapping plots inside ``poly_m`` (metres), as an (n, 4) box array.

    Blocks of a jittered street grid are kept when wholly inside the park (set back
    by ``_EDGE_MARGIN_M``), some are split, then ``n_want`` plots are drawn. If the
    drawn area exceeds ``cap_total_m2`` every plot shrinks about its centre.
    """
    inner = poly_m.buffer(-_EDGE_MARGIN_M)
    shapely.prepare(inner)
    minx, miny, maxx, maxy = inner.bounds
    mean_split = 1.73  # E[k] for the split probabilities above
    side = np.sqrt(target_total_m2 / n_want * mean_split / 1.13)
    for _ in range(40):
        xs0, xs1 = _edges(rng, minx, maxx, side)
        ys0, ys1 = _edges(rng, miny, maxy, side)
        gx0, gy0 = np.meshgrid(xs0, ys0)
        gx1, gy1 = np.meshgrid(xs1, ys1)
        x0, y0, x1, y1 = (a.ravel() for a in (gx0, gy0, gx1, gy1))
        inside = shapely.contains(inner, shapely.box(x0, y0, x1, y1))
        plots = _split_blocks(rng, x0[inside], y0[inside], x1[inside], y1[inside])
        if len(plots[0]) >= n_want:
            pick = np.sort(rng.choice(len(plots[0]), n_want, replace=False))
            b = np.column_stack([p[pick] for p in plots])
            total = float(((b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])).sum())
            if total > cap_total_m2:
                f = np.sqrt(cap_total_m2 / total)
                cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
                hw, hh = (b[:, 2] - b[:, 0]) / 2 * f, (b[:, 3] - b[:, 1]) / 2 * f
                b = np.column_stack([cx - hw, cy - hh, cx + hw, cy + hh])
            return b
        side *= 0.95
    raise ValueError(f"cannot fit {n_want} parcels in a park of {poly_m.area / M2_PER_HA:,.0f} ha: ask for fewer")


def _allocate(weights: np.ndarray, n: int) -> np.ndarray:
    """Integer counts summing to ``n`` in proportion to ``weights`` (largest remainders)."""
    raw = weights / weights.sum() * n
    counts = np.floor(raw).astype(int)
    counts[np.argsort(-(raw - counts))[: n - counts.sum()]] += 1
    return counts


def _park_frame(parks: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if "park_id" not in parks.columns:
        raise ValueError("parks have no 'park_id' column: pass make_parks() or a frame read from data/parks.geojson")
    if parks.crs is None:
        raise ValueError("parks have no CRS: set EPSG:4326 (or the CRS they are in) first")
    if len(parks) == 0:
        raise ValueError("parks is empty: pass make_parks() or data/parks.geojson")
    return parks.reset_index(drop=True)


def _place(rng: np.random.Generator, parks: gpd.GeoDataFrame, n_inside: int) -> pd.DataFrame:
    """
    Plot boxes in metres: ``park_idx`` (row of ``parks``), ``outside``, ``epsg``,
    ``x0 y0 x1 y1`` and ``site_m2``; ``n_inside`` inside the parks, then two outside.
    """
    metric = [parks.iloc[[i]].to_crs(metric_epsg_for(parks.iloc[[i]])) for i in range(len(parks))]
    park_area = np.array([m.geometry.iloc[0].area for m in metric])
    weights = park_area * np.array([_profile(pid).get("weight", 1.0) for pid in parks["park_id"]])
    counts = _allocate(weights, n_inside)
    frames = []
    for i, m in enumerate(metric):
        poly = m.geometry.iloc[0]
        ready_ha = float(parks["supply_ready_ha"].iloc[i]) if "supply_ready_ha" in parks.columns else np.nan
        ready_m2 = ready_ha * M2_PER_HA if np.isfinite(ready_ha) else 0.75 * poly.area
        b = _plots_in(rng, poly, int(counts[i]), _SUPPLY_TARGET * ready_m2, _SUPPLY_CAP * ready_m2)
        frames.append(
            pd.DataFrame({"park_idx": i, "outside": False, "epsg": int(m.crs.to_epsg()),
                          "x0": b[:, 0], "y0": b[:, 1], "x1": b[:, 2], "y1": b[:, 3]})
        )
    # Two parcels outside every park (park_id empty), 1.5 km beyond the east edge of
    # the last park and the south edge of the one before: far from any other park.
    outs = []
    for i, side in ((len(parks) - 1, "east"), (max(len(parks) - 2, 0), "south")):
        minx, miny, maxx, maxy = metric[i].total_bounds
        x, y = (maxx + 1500.0, (miny + maxy) / 2) if side == "east" else ((minx + maxx) / 2, miny - 1500.0)
        outs.append({"park_idx": i, "outside": True, "epsg": int(metric[i].crs.to_epsg()),
                     "x0": x, "y0": y, "x1": x + 180.0, "y1": y + 140.0})
    out = pd.concat([*frames, pd.DataFrame(outs)], ignore_index=True)
    out["site_m2"] = (out["x1"] - out["x0"]) * (out["y1"] - out["y0"])
    return out


def _dates_days(as_of: date) -> tuple[int, int]:
    t = int(np.datetime64(as_of, "D").astype(np.int64))
    d0 = int(np.datetime64(FIRST_SUPPLY, "D").astype(np.int64))
    if t - d0 < 6 * 365:
        raise ValueError(f"as_of={as_of}: the sample's dates start {FIRST_SUPPLY}; give an as_of after 2014")
    return t, d0


_ST = {s: i for i, s in enumerate(DESIGN_STATUSES)}
_LU = {u: i for i, u in enumerate(_LAND_USES)}
_DIV = {d: i for i, d in enumerate(_ALL_DIVISIONS)}
_CAUSE = {c: i for i, c in enumerate(CAUSE_VALUES)}
_DISPOSALS = ("fee_paid", "recovered", "extension_agreed", "in_progress")
_DISP = {d: i for i, d in enumerate(_DISPOSALS)}


def _str_codes(vocab, codes: np.ndarray) -> pa.Array:
    """Arrow strings ``vocab[codes]``, null where a code is negative (built in C, fast for 1M rows)."""
    codes = np.asarray(codes)
    return pa.array(list(vocab), type=pa.string()).take(pa.array(codes.astype(np.int64), mask=codes < 0))


def _as_str(arrow: pa.Array) -> pd.api.extensions.ExtensionArray:
    return pd.array(arrow, dtype="str")


def _design(rng: np.random.Generator, lu: np.ndarray, fixed: np.ndarray, forced_min: bool) -> np.ndarray:
    """Designed status code per parcel (the issue's shares and minimum counts); ``fixed`` rows are completed."""
    n = len(lu)
    private = lu <= _LU["residential"]
    status = np.empty(n, dtype=np.int8)
    factory = lu <= _LU["storage"]
    for mask, probs in (
        (factory, _STATUS_P_INDUSTRIAL),
        (private & ~factory, _STATUS_P_REAL_ESTATE),
        (~private, _STATUS_P_PUBLIC),
    ):
        names = np.array([_ST[s] for s in probs], dtype=np.int8)
        p = np.array(list(probs.values()))
        status[mask] = names[np.searchsorted(np.cumsum(p / p.sum()), rng.random(int(mask.sum())), side="right")]
    status[fixed] = _ST["completed"]
    if forced_min:
        for s, k in _MIN_PER_STATUS.items():
            short = k - int((status == _ST[s]).sum())
            if short > 0:
                pool = np.flatnonzero((status == _ST["completed"]) & private & ~fixed)
                if len(pool) < short:
                    raise ValueError(f"too few parcels ({n}) to hold {k} of status {s!r}: ask for more")
                status[rng.choice(pool, short, replace=False)] = _ST[s]
    return status


def _attributes(
    rng: np.random.Generator,
    profiles: list[dict],
    park_idx: np.ndarray,
    outside: np.ndarray,
    site_m2: np.ndarray,
    as_of: date,
    *,
    forced_min: bool,
    xy: np.ndarray | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """
    Every attribute column, vectorised; returns (frame, designed status codes).

    ``profiles[park_idx]`` is each parcel's park (for parcels outside every park,
    the park they lie near); ``outside`` parcels are completed industrial plots.
    Date columns are days since 1970 (NaN = missing) until ``_typed``.
    """
    n = len(site_m2)
    t, d0 = _dates_days(as_of)

    # ---- land use: each park's mix in exact proportions; with positions, laid out in
    # zones (uses fill the cells around a few random seeds in turn, 15 % shuffled)
    lu = np.empty(n, dtype=np.int8)
    for j, prof in enumerate(profiles):
        m = np.flatnonzero(park_idx == j)
        k = len(m)
        if k == 0:
            continue
        counts = _allocate(np.array(_MIX[prof["mix"]]), k)
        order = rng.permutation(len(_LAND_USES))
        seq = np.repeat(order, counts[order]).astype(np.int8)
        if xy is not None and k >= 24:
            pts = xy[m]
            seeds = pts[rng.choice(k, max(k // 12, 3), replace=False)]
            cell = np.argmin(((pts[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=-1), axis=1)
            rank = np.empty(k, dtype=np.int64)
            rank[np.lexsort((rng.random(k), cell))] = np.arange(k)
            drawn = seq[rank]
            salt = np.flatnonzero(rng.random(k) < 0.15)
            drawn[salt] = drawn[rng.permutation(salt)]
        else:
            drawn = rng.permutation(seq)
        lu[m] = drawn
    lu[outside] = _LU["industrial"]
    indus = lu <= _LU["storage"]
    comm, resi = lu == _LU["commercial"], lu == _LU["residential"]
    publ, trans = lu == _LU["public_service"], lu == _LU["transport"]
    status = _design(rng, lu, outside, forced_min)

    def is_(name: str) -> np.ndarray:
        return status == _ST[name]

    # ---- industry: the park's leading divisions 70 %, any manufacturing division 30 %
    industry = np.full(n, -1, dtype=np.int16)
    for j, prof in enumerate(profiles):
        m = (park_idx == j) & indus
        k = int(m.sum())
        lead = rng.choice(np.array([_DIV[c] for c in prof["codes"]]), size=k)
        industry[m] = np.where(rng.random(k) < 0.7, lead, rng.integers(0, len(_ALL_DIVISIONS), k))

    # ---- dates (days since 1970; NaN = missing)
    supply, agreed, start, halt, done = (np.full(n, np.nan) for _ in range(5))
    dev_frac, inv_frac = np.zeros(n), np.zeros(n)
    cause = np.full(n, -1, dtype=np.int8)
    disposal = np.full(n, -1, dtype=np.int8)

    def ri(lo: int, hi: int, k: int) -> np.ndarray:
        return rng.integers(lo, hi + 1, k).astype(float)

    def lead_time(k: int) -> np.ndarray:  # agreed start = supply + 6-12 months
        return ri(180, 365, k)

    m = is_("completed")
    k = int(m.sum())
    s = d0 + np.floor((t - 730 - d0) * rng.beta(1.4, 1.0, k))
    a = s + lead_time(k)
    st = np.maximum(a + ri(-90, 240, k), s + 30)
    supply[m], agreed[m], start[m] = s, a, st
    done[m] = np.minimum(st + ri(300, 1300, k), t - ri(7, 60, k))
    dev_frac[m], inv_frac[m] = 1.0, rng.uniform(0.92, 1.05, k)

    m = is_("active")
    k = int(m.sum())
    s = t - ri(480, 1825, k)
    a = s + lead_time(k)
    st = np.clip(a + ri(-60, 200, k), s + 30, t - 20)
    sub = rng.choice(3, size=k, p=[0.6, 0.3, 0.1])
    # sub 1: early works, not halted; sub 2: halted but developed ≥ 1/3 and
    # invested ≥ 25 %, so not idle in law (Art. 2 needs both halt and low progress).
    st = np.where(sub == 2, np.minimum(st, t - 400), st)
    supply[m], agreed[m], start[m] = np.minimum(s, st - 30), a, st
    halt[m] = np.where(sub == 2, st + 60 + np.floor((t - 30 - st - 60) * rng.random(k)), np.nan)
    dev_frac[m] = np.where(sub == 1, rng.uniform(0.02, 0.30, k), rng.uniform(0.40, 0.95, k))
    inv_frac[m] = np.where(sub == 1, rng.uniform(0.03, 0.22, k), rng.uniform(0.30, 0.95, k))
    cause[np.flatnonzero(m)[rng.random(k) < 0.03]] = _CAUSE["land_not_delivered"]

    def not_started(mask: np.ndarray, agreed_lo: int, agreed_hi: int) -> None:
        """Kind A: the clock runs from the agreed start date (as_of + [lo, hi] days)."""
        kk = int(mask.sum())
        a_ = t + ri(agreed_lo, agreed_hi, kk)
        agreed[mask], supply[mask] = a_, np.minimum(a_ - lead_time(kk), t - ri(5, 60, kk))
        dev_frac[mask] = 0.0
        inv_frac[mask] = np.where(rng.random(kk) < 0.2, rng.uniform(0.0, 0.08, kk), 0.0)

    def halted(mask: np.ndarray, halt_lo: int, halt_hi: int) -> None:
        """Kind B: the clock runs from the halt date (as_of − [lo, hi] days)."""
        kk = int(mask.sum())
        h_ = t - ri(halt_lo, halt_hi, kk)
        st_ = h_ - ri(60, 900, kk)
        s_ = st_ - ri(30, 500, kk)
        halt[mask], start[mask], supply[mask], agreed[mask] = h_, st_, s_, s_ + lead_time(kk)
        sub_ = rng.choice(3, size=kk, p=[0.7, 0.15, 0.15])
        sub_[:3] = 0  # the first few are low on both counts
        dev_frac[mask] = np.where(sub_ == 2, rng.uniform(0.40, 0.70, kk), rng.uniform(0.03, 0.30, kk))
        inv_frac[mask] = np.where(sub_ == 1, rng.uniform(0.30, 0.60, kk), rng.uniform(0.03, 0.22, kk))

    not_started(is_("not_due"), 20, 300)
    not_started(is_("overdue"), -330, -20)
    m = is_("overdue")
    cause[np.flatnonzero(m)[rng.random(int(m.sum())) < 0.2]] = _CAUSE["land_not_delivered"]
    halted(is_("stalled"), 20, 330)
    m = is_("stalled")
    cause[np.flatnonzero(m)[rng.random(int(m.sum())) < 0.1]] = _CAUSE["policy_change"]

    # Idle: half kind A, half kind B; ≥ 20 days clear of the 1-year mark and of
    # 2 years for fee parcels; recovery parcels ≥ 3 years past their clock start.
    # Suspected parcels: alternately in the fee window and past 3 years (what would follow differs).
    sus = np.flatnonzero(is_("idle_suspected"))
    sus_late = np.zeros(n, dtype=bool)
    sus_late[sus[1::2]] = True
    windows = {"idle_fee": (395, 700), "idle_recover": (1130, 2600), "idle_exempt": (395, 1800)}
    for name, (lo, hi) in [*windows.items(), ("sus_early", (395, 700)), ("sus_late", (1130, 2400))]:
        if name == "sus_early":
            idx = np.flatnonzero(is_("idle_suspected") & ~sus_late)
        elif name == "sus_late":
            idx = np.flatnonzero(sus_late)
        else:
            idx = np.flatnonzero(is_(name))
        kind_b = rng.random(len(idx)) < 0.5
        kind_b[:2] = [False, True][: len(idx)]
        ma, mb = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        ma[idx[~kind_b]] = True
        mb[idx[kind_b]] = True
        not_started(ma, -hi, -lo)
        halted(mb, lo, hi)

    # Exempt (Art. 8): every cause at least once, then at random.
    idx = rng.permutation(np.flatnonzero(is_("idle_exempt")))
    kc = len(EXEMPT_CAUSES)
    cause[idx] = np.where(np.arange(len(idx)) < kc, np.arange(len(idx)) % kc, rng.integers(0, kc, len(idx)))
    # Fee and recovery only where the file records the holder's own cause (Art. 14).
    cause[is_("idle_fee") | is_("idle_recover")] = _CAUSE["holder"]
    # Suspected: no cause recorded, except each unrecognised text at least twice (the officer settles them).
    idx = np.flatnonzero(is_("idle_suspected"))
    ku = len(UNRECOGNISED_CAUSES)
    head = idx[: 2 * ku]
    cause[head] = _CAUSE[UNRECOGNISED_CAUSES[0]] + np.arange(len(head)) % ku

    # Not yet supplied as of as_of (a supply date after it: no clock runs).
    m = is_("not_supplied")
    kk = int(m.sum())
    supply[m] = t + ri(20, 200, kk)
    agreed[m] = supply[m] + lead_time(kk)
    for name, options in (
        ("idle_fee", (("fee_paid", 0.25), ("in_progress", 0.25))),
        ("idle_recover", (("recovered", 0.2), ("in_progress", 0.3))),
        ("idle_exempt", (("extension_agreed", 0.3), ("in_progress", 0.2))),
    ):
        idx = np.flatnonzero(is_(name))
        u = rng.random(len(idx))
        u[:3] = 1.0  # a few of each with no disposal yet
        lo = 0.0
        for value, p in options:
            disposal[idx[(u >= lo) & (u < lo + p)]] = _DISP[value]
            lo += p

    # Unknown: not started without agreed start date, or halted with progress unknown, or
    # (last two, a data conflict) a halt dated before the actual start.
    idx = np.flatnonzero(is_("unknown"))
    m1, m2, m3 = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    m3[idx[-2:]] = True
    m2[idx[-4:-2]] = True
    m1[idx[:-4]] = True
    supply[m1] = t - ri(400, 1500, int(m1.sum()))
    dev_frac[m1], inv_frac[m1] = 0.0, 0.0
    halted(m2, 400, 900)
    dev_frac[m2], inv_frac[m2] = np.nan, np.nan
    halted(m3, 400, 900)
    start[m3] = halt[m3] + ri(30, 200, int(m3.sum()))

    # Data conflicts and supplementary agreements on a few parcels of designed statuses.
    city = [_CITY_SHORT.get(p["city"], "广西") for p in profiles]
    extensions = _design_extensions(rng, t, is_, supply, agreed, halt, cause, park_idx, city)

    # ---- money: land price and investment per 亩
    mu = site_m2 / M2_PER_MU
    nanning = np.array([p.get("park_id") == "nanning" for p in profiles] + [False])[park_idx]
    national = np.array([p["level"] == "national" for p in profiles] + [False])[park_idx]
    price_mu = np.select(
        [indus & nanning, indus, comm, resi],
        [rng.uniform(20, 45, n), rng.uniform(12, 35, n), rng.uniform(80, 350, n) * np.where(nanning, 1.6, 1.0),
         rng.uniform(100, 450, n) * np.where(nanning, 1.8, 1.0)],
        rng.uniform(5, 25, n),
    )
    low = rng.random(n) < 0.12
    intensity_mu = np.where(
        nanning,
        np.where(low, rng.uniform(60, 210, n), rng.uniform(220, 420, n)),
        np.where(low, rng.uniform(40, 140, n), rng.uniform(150, 400, n) * np.where(national, 1.1, 1.0)),
    )
    build_mu = np.select(
        [indus, comm, resi, publ],
        [intensity_mu - price_mu, rng.uniform(300, 1200, n), rng.uniform(400, 1100, n), rng.uniform(100, 400, n)],
        rng.uniform(10, 150, n),
    )
    land_price = np.round(price_mu * mu, 2)
    total_inv = np.round(np.maximum(build_mu, 10.0) * mu, 2)
    area_due = np.round(site_m2, 1)

    # ---- buildings: planned, scaled by progress once started, nothing before
    far_min = _far_min_by_division()[np.maximum(industry, 0)]
    below = rng.random(n) < 0.10
    far = np.select(
        [indus & below, indus, comm, resi, publ, trans],
        [far_min * rng.uniform(0.45, 0.95, n), rng.uniform(far_min, np.maximum(1.6, far_min + 0.4)),
         rng.uniform(1.5, 4.0, n), rng.uniform(1.8, 3.5, n), rng.uniform(0.6, 2.0, n), rng.uniform(0.05, 0.4, n)],
        rng.uniform(0.0, 0.05, n),
    )
    tall_share = np.where(
        indus & (rng.random(n) < np.where(lu == _LU["storage"], 0.6, 0.4)), rng.uniform(0.1, 0.5, n), 0.0
    )
    floor = far * site_m2 / (1 + tall_share)  # storeys over 8 m count twice (domain.md §3)
    coverage = np.select(
        [indus, comm, resi, publ, trans],
        [np.where(rng.random(n) < 0.07, rng.uniform(0.22, 0.30, n), rng.uniform(0.30, 0.60, n)),
         rng.uniform(0.25, 0.45, n), rng.uniform(0.20, 0.35, n),
         rng.uniform(0.20, 0.40, n), rng.uniform(0.05, 0.30, n)],
        rng.uniform(0.0, 0.05, n),
    )
    office = np.where(
        indus, np.where(rng.random(n) < 0.05, rng.uniform(0.075, 0.15, n), rng.uniform(0.02, 0.07, n)), np.nan
    )
    green = np.select(
        [indus, comm, resi, publ, trans],
        [np.where(rng.random(n) < 0.05, rng.uniform(0.21, 0.30, n), rng.uniform(0.08, 0.20, n)),
         rng.uniform(0.20, 0.35, n), rng.uniform(0.30, 0.40, n), rng.uniform(0.30, 0.40, n),
         rng.uniform(0.05, 0.20, n)],
        rng.uniform(0.60, 0.90, n),
    )
    is_done = is_("completed")
    # Buildings are surveyed at completion acceptance (竣工验收): unfinished sites have no
    # floor-area figures yet, so their control indicators read "no data", not "failed".
    progress = np.where(is_done, 1.0, np.nan)

    # ---- operations: completed firms only
    firm = is_done & (indus | comm)
    tax_mu = np.where(
        comm, rng.lognormal(np.log(30), 0.5, n),
        np.where(lu == _LU["storage"], rng.lognormal(np.log(8), 0.5, n), rng.lognormal(np.log(14), 0.55, n)),
    )
    tax = np.where(firm, tax_mu * mu, np.nan)
    output = np.where(is_done & indus, tax * rng.uniform(12, 30, n), np.nan)
    value_added = output * rng.uniform(0.18, 0.35, n)
    revenue = np.where(comm, tax * rng.uniform(8, 20, n), output * rng.uniform(0.95, 1.2, n))
    energy = value_added * rng.lognormal(np.log(0.35), 0.6, n)
    emission = value_added * rng.lognormal(np.log(0.002), 0.7, n)
    per_worker = np.where(comm, rng.uniform(40, 120, n), rng.uniform(12, 35, n))
    employees = np.where(firm, np.maximum(np.round(np.where(comm, revenue, value_added) / per_worker), 3.0), np.nan)
    rd_heavy = np.isin(industry, [_DIV[c] for c in ("27", "35", "39", "40")])
    rd = np.where(is_done & indus, revenue * rng.uniform(0.003, 0.04, n) * np.where(rd_heavy, 1.8, 1.0), np.nan)
    # Small firms that report only their tax (graded on tax per 亩 alone, domain.md §4).
    gaps = is_done & indus & (rng.random(n) < np.where(site_m2 < 1.5 * M2_PER_HA, 0.15, 0.01))
    for arr in (output, value_added, energy, emission, employees, rd, revenue):
        arr[gaps] = np.nan

    supervision_no, contract_no = _contract_numbers(profiles, park_idx, supply)
    frame = pd.DataFrame(
        {
            "land_use": _as_str(_str_codes(_LAND_USES, lu)),
            "holder": _as_str(_holders(rng, lu, industry, park_idx, city)),
            "supply_date": supply,
            "agreed_start_date": agreed,
            "actual_start_date": start,
            "halted_since": halt,
            "completion_date": done,
            "area_due_m2": area_due,
            "developed_area_m2": np.round(area_due * dev_frac, 1),
            "total_investment_wan": total_inv,
            "invested_wan": np.round(total_inv * inv_frac, 2),
            "land_price_wan": land_price,
            "delay_cause": _as_str(_str_codes(CAUSE_VALUES, cause)),
            "disposal_status": _as_str(_str_codes(_DISPOSALS, disposal)),
            "industry_code": _as_str(_str_codes(_ALL_DIVISIONS, industry)),
            # Codes are GB/T 4754-2017 divisions (today's statistics); the rules default to 2002.
            "industry_edition": _as_str(_str_codes((SAMPLE_INDUSTRY_EDITION,), np.where(industry >= 0, 0, -1))),
            "floor_area_m2": np.round(floor * progress, 1),
            "floor_area_over_8m_m2": np.round(floor * tall_share * progress, 1),
            "footprint_m2": np.round(coverage * site_m2 * progress, 1),
            "office_area_m2": np.round(np.where(is_done, office * site_m2, np.nan), 1),
            "green_area_m2": np.round(np.where(is_done, green * site_m2, np.nan), 1),
            "output_wan": np.round(output, 2),
            "tax_wan": np.round(tax, 2),
            "value_added_wan": np.round(value_added, 2),
            "energy_tce": np.round(energy, 2),
            "emission_t": np.round(emission, 3),
            "employees": employees,
            "rd_wan": np.round(rd, 2),
            "revenue_wan": np.round(revenue, 2),
            "builtup": is_done,
            "supervision_no": _as_str(supervision_no),
            "contract_no": _as_str(contract_no),
            "start_extensions": pd.array(extensions, dtype="str"),
        }
    )
    return frame, status


def _day_text(days: float) -> str:
    return str(np.datetime64(int(days), "D"))


def _design_extensions(rng, t: int, is_, supply, agreed, halt, cause, park_idx, city) -> np.ndarray:
    """
    Supplementary agreements and data conflicts on a few parcels, in place on the date
    arrays; returns the ``start_extensions`` text per parcel (None for most).

    - ``not_due``: the contract's date lies in the past, an agreement signed before
      ``as_of`` moved it to the designed (future) date — without it they would be overdue;
    - ``overdue``: two agreements each (the later one in force), two with the agreed start
      before supply, one with an agreement whose date signed cannot be read;
    - ``idle_suspected`` (kind A, no cause): an agreement signed after ``as_of`` — it does
      not count yet, so they stay idle.
    """
    n = len(supply)
    ext = np.full(n, None, dtype=object)

    def doc(i: int, day: float, k: int) -> str:
        year = int(str(np.datetime64(int(day), "D"))[:4])
        return f"{city[park_idx[i]]}自然资补〔{year}〕{10 + (i * 7 + k) % 90}号"

    def entry(i: int, signed: float, new: float, k: int) -> str:
        reason = EXTENSION_REASONS[(i + k) % len(EXTENSION_REASONS)]
        return f"{_day_text(signed)},{_day_text(new)},{reason},{doc(i, signed, k)}"

    for i in np.flatnonzero(is_("not_due"))[:3]:
        contract = t - float(rng.integers(200, 500))
        signed = contract + float(rng.integers(30, 150))
        supply[i] = contract - float(rng.integers(180, 366))
        ext[i] = entry(i, signed, agreed[i], 0)
        agreed[i] = contract
    overdue = np.flatnonzero(is_("overdue"))
    for i in overdue[:2]:  # the agreed start date before the land was supplied
        supply[i] = min(agreed[i] + float(rng.integers(30, 91)), t - 5)
    for i in overdue[2:4]:
        contract = agreed[i] - float(rng.integers(300, 500))
        first = entry(i, contract + float(rng.integers(20, 60)), contract + 180, 0)
        second = entry(i, contract + float(rng.integers(200, 260)), agreed[i], 1)
        ext[i] = f"{first}；{second}"
        supply[i] = contract - float(rng.integers(180, 366))
        agreed[i] = contract
    for i in overdue[4:5]:
        ext[i] = f"待补签,{_day_text(agreed[i] + 365)},{EXTENSION_REASONS[0]},{doc(i, t, 2)}"
    suspected_a = [i for i in np.flatnonzero(is_("idle_suspected")) if cause[i] < 0 and np.isnan(halt[i])][:2]
    for i in suspected_a:
        ext[i] = entry(i, t + float(rng.integers(10, 60)), t + float(rng.integers(200, 400)), 0)
    return ext


def _contract_numbers(profiles: list[dict], park_idx: np.ndarray, supply: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """电子监管号 (city code, year of supply, B, 5 digits) and 合同编号 per parcel; null without a supply date."""
    n = len(supply)
    has = ~np.isnan(supply)
    days = np.where(has, supply, 0).astype(np.int64).astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    code = _str_codes([p["city_code"] for p in profiles], park_idx)
    year_s = pc.cast(pa.array(year, mask=~has), pa.string())
    seq = pc.cast(pa.array(np.arange(1, n + 1)), pa.string())
    supervision = pc.binary_join_element_wise(code, year_s, pa.scalar("B"), pc.utf8_lpad(seq, 5, "0"), "")
    contract = pc.binary_join_element_wise(code, year_s, pc.utf8_lpad(seq, 4, "0"), "-")
    return supervision, contract


def _far_min_by_division() -> np.ndarray:
    """Minimum FAR of each division in ``_ALL_DIVISIONS`` from the shipped rules (0.7 where none)."""
    rules = load_rules("far_min_by_industry")
    table = rules["tables"][SAMPLE_INDUSTRY_EDITION]
    return np.array([float(table.get(d, {}).get("far_min", 0.7)) for d in _ALL_DIVISIONS])


_WORDS = (*(_INDUSTRY_WORD[d] for d in _ALL_DIVISIONS), "物流", "商贸", "置业", "酒店管理", "房地产开发", "实业")
_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
_PUBLIC_NAMES = ("高新区管理委员会", "市教育局", "市卫生健康委员会", "市交通投资集团有限公司", "市城市建设投资集团有限公司")


def _holders(
    rng: np.random.Generator, lu: np.ndarray, industry: np.ndarray, park_idx: np.ndarray, city: list[str]
) -> pa.Array:
    """Plausible holder names: 广西 or the city + a two-character trade name + trade + company form."""
    n = len(lu)
    nc = len(_TRADE_CHARS)
    first = rng.integers(0, nc, n)
    second = (first + rng.integers(1, nc, n)) % nc
    city_code = park_idx.astype(np.int64)
    prefix = np.where(rng.random(n) < 0.5, len(city), city_code)  # len(city) → "广西"
    base = len(_ALL_DIVISIONS)
    word = np.where(industry >= 0, industry, base + 5)
    word = np.where(lu == _LU["storage"], base, word)
    word = np.where(lu == _LU["commercial"], rng.choice([base + 1, base + 2, base + 3], n), word)
    word = np.where(lu == _LU["residential"], rng.choice([base + 4, base + 2], n), word)
    form = rng.choice(len(_FORMS), n, p=[0.7, 0.2, 0.1])
    cities = [*city, "广西"]
    firm = pc.binary_join_element_wise(
        _str_codes(cities, prefix),
        _str_codes(_TRADE_CHARS, first),
        _str_codes(_TRADE_CHARS, second),
        _str_codes(_WORDS, word),
        _str_codes(_FORMS, form),
        "",
    )
    public = np.select(
        [lu == _LU["public_service"], lu == _LU["transport"]],
        [rng.choice([0, 1, 2], n), rng.choice([3, 4], n)],
        rng.choice([0, 4], n),
    )
    government = pc.binary_join_element_wise(_str_codes(cities, city_code), _str_codes(_PUBLIC_NAMES, public), "")
    return pc.if_else(pa.array(lu <= _LU["residential"]), firm, government)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in PARCEL_COLUMNS order and dtype: str, datetime64[ns], float64, bool."""
    out = {}
    for c in PARCEL_COLUMNS:
        v = frame[c.name]
        if c.kind == "date":
            out[c.name] = pd.to_datetime(v.to_numpy(dtype=float), unit="D").astype("datetime64[ns]")
        elif c.kind == "str":
            out[c.name] = v if v.dtype == "str" else pd.array(v.to_numpy(dtype=object), dtype="str")
        elif c.kind == "bool":
            out[c.name] = v.to_numpy(dtype=bool)
        else:
            out[c.name] = v.to_numpy(dtype=float)
    return pd.DataFrame(out, index=frame.index)


def _parcel_ids(profiles: list[dict], park_idx: np.ndarray) -> pd.Series:
    """Parcel numbers ``<city code>-GX-<6-digit sequence>``, e.g. ``450100-GX-000123``."""
    codes = _str_codes([p["city_code"] for p in profiles], park_idx)
    seq = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, len(park_idx) + 1)), pa.string()), 6, "0")
    return pd.Series(_as_str(pc.binary_join_element_wise(codes, pa.scalar("-GX-"), seq, "")))


def _check_n(n: int) -> None:
    if int(n) < MIN_PARCELS:
        raise ValueError(f"n={n}: the sample needs at least {MIN_PARCELS} parcels to hold every status and defect")


def make_parcels(
    parks: gpd.GeoDataFrame,
    *,
    n: int = 5000,
    seed: int = DEFAULT_SEED,
    as_of: date = SAMPLE_AS_OF,
    design_column: bool = False,
) -> gpd.GeoDataFrame:
    """
    The seeded sample of ``n`` parcels inside ``parks``, with deliberate defects.

    Parameters
    ----------
    parks
        ``make_parks()`` or ``data/parks.geojson``: ``park_id`` and a geometry;
        ``supply_ready_ha`` (when present) caps each park's supplied area.
    n
        Number of rows, defects included (at least ``MIN_PARCELS``).
    seed
        Same seed, same parks → identical frame.
    as_of
        The date the statuses are designed for (``SAMPLE_AS_OF``).
    design_column
        Add ``design_status``: the status each parcel was built to have.

    Returns
    -------
    parcels
        EPSG:4326, the columns of ``geo.schema.PARCEL_COLUMNS`` in order (str,
        datetime64[ns], float64, bool) + geometry. Defects: one duplicated
        ``parcel_id``, one self-intersecting (bowtie) polygon, two parcels outside
        every park with empty ``park_id``, a few missing agreed start dates
        (status unknown), two completed parcels without supply date and two
        without actual start date, small firms without value added/energy.
    """
    _check_n(n)
    parks = _park_frame(parks)
    rng = np.random.default_rng(seed)
    plots = _place(rng, parks, int(n) - 2)
    profiles = [_profile(p) for p in parks["park_id"]]
    park_idx = plots["park_idx"].to_numpy()
    outside = plots["outside"].to_numpy()
    centre = np.column_stack([(plots["x0"] + plots["x1"]) / 2, (plots["y0"] + plots["y1"]) / 2])
    attrs, status = _attributes(
        rng, profiles, park_idx, outside, plots["site_m2"].to_numpy(), as_of, forced_min=True, xy=centre
    )

    # --- deliberate defects on completed parcels inside parks
    inside_done = np.flatnonzero((status == _ST["completed"]) & ~outside)
    chosen = rng.choice(inside_done, 6, replace=False)
    bowtie_row, dup_row = int(chosen[0]), int(chosen[1])
    attrs.loc[chosen[2:4], "supply_date"] = np.nan
    attrs.loc[chosen[4:6], "actual_start_date"] = np.nan
    firms = np.flatnonzero(attrs["land_use"].isin(["industrial", "commercial"]).to_numpy() & ~outside)
    attrs.loc[int(firms[0]), "holder"] = TRICKY_HOLDER

    ids = _parcel_ids(profiles, park_idx)
    # One parcel number entered twice: another parcel's number of the same park.
    same_park = np.flatnonzero((park_idx == park_idx[dup_row]) & ~outside)
    ids.iloc[dup_row] = ids.iloc[int(same_park[same_park != dup_row][0])]

    geoms = np.empty(len(plots), dtype=object)
    for epsg in np.unique(plots["epsg"]):
        rows = np.flatnonzero(plots["epsg"].to_numpy() == epsg)
        sub = plots.iloc[rows]
        boxes = shapely.box(sub["x0"], sub["y0"], sub["x1"], sub["y1"])
        if bowtie_row in rows:
            r = plots.iloc[bowtie_row]
            # Self-intersecting ring (bowtie): the invalid polygon the importer must catch.
            boxes[rows == bowtie_row] = shapely.Polygon(
                [(r.x0, r.y0), (r.x1, r.y1), (r.x1, r.y0), (r.x0, r.y1), (r.x0, r.y0)]
            )
        geoms[rows] = gpd.GeoSeries(boxes, crs=int(epsg)).to_crs(WEB_EPSG).to_numpy()

    park_names = parks["park_id"].astype(str).tolist()
    attrs.insert(0, "parcel_id", ids.to_numpy())
    attrs.insert(1, "park_id", _as_str(_str_codes(park_names, np.where(outside, -1, park_idx))))
    out = gpd.GeoDataFrame(_typed(attrs), geometry=list(geoms), crs=WEB_EPSG)
    if design_column:
        out["design_status"] = _as_str(_str_codes(DESIGN_STATUSES, status))
    return out


@functools.lru_cache(maxsize=8)
def _to_web_transformer(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, WEB_EPSG, always_xy=True)


def _boxes_to_web(x0, y0, x1, y1, epsg: int) -> np.ndarray:
    """Axis-aligned boxes in a metric CRS → polygons in EPSG:4326 (corners transformed once)."""
    tr = _to_web_transformer(epsg)
    xs = np.column_stack([x0, x1, x1, x0, x0])
    ys = np.column_stack([y0, y0, y1, y1, y0])
    lon, lat = tr.transform(xs.ravel(), ys.ravel())
    coords = np.column_stack([lon, lat])
    k = len(xs)
    # Built from flat arrays in C: ~2x faster than shapely.polygons for 1M boxes.
    return shapely.from_ragged_array(shapely.GeometryType.POLYGON, coords, (np.arange(0, 5 * k + 1, 5), np.arange(k + 1)))


def make_synthetic(n: int, *, seed: int = DEFAULT_SEED, as_of: date = SAMPLE_AS_OF) -> gpd.GeoDataFrame:
    """
    A fast, large parcel set for benchmarks (1,000,000 rows in a few seconds).

    Parcels tile each park's bounding box on a regular grid (so they shrink as
    ``n`` grows, and near a park's edge may lie outside its polygon); the
    attributes come from the same generator as ``make_parcels``, without the
    deliberate defects.

    Returns
    -------
    parcels
        EPSG:4326, the columns of ``geo.schema.PARCEL_COLUMNS``; ``parcel_id`` unique.
    """
    if int(n) < 1:
        raise ValueError(f"n={n}: ask for at least one parcel")
    parks = make_parks()
    rng = np.random.default_rng(seed)
    metric = [parks.iloc[[i]].to_crs(metric_epsg_for(parks.iloc[[i]])) for i in range(len(parks))]
    counts = _allocate(np.array([m.geometry.iloc[0].area for m in metric]), int(n))
    park_idx, site, geoms = [], [], []
    for i, m in enumerate(metric):
        k = int(counts[i])
        if k == 0:
            continue
        minx, miny, maxx, maxy = m.geometry.iloc[0].bounds
        w, h = maxx - minx, maxy - miny
        cols = int(np.ceil(np.sqrt(k * w / h)))
        cw, ch = w / cols, h / int(np.ceil(k / cols))
        j = np.arange(k)
        x0 = minx + (j % cols) * cw + 0.08 * cw
        y0 = miny + (j // cols) * ch + 0.08 * ch
        geoms.append(_boxes_to_web(x0, y0, x0 + 0.84 * cw, y0 + 0.84 * ch, int(m.crs.to_epsg())))
        park_idx.append(np.full(k, i))
        site.append(np.full(k, 0.84 * cw * 0.84 * ch))
    pidx = np.concatenate(park_idx)
    profiles = [_profile(p) for p in parks["park_id"]]
    outside = np.zeros(len(pidx), dtype=bool)
    attrs, _ = _attributes(
        rng, profiles, pidx, outside, np.concatenate(site), as_of, forced_min=len(pidx) >= MIN_PARCELS
    )
    attrs.insert(0, "parcel_id", _parcel_ids(profiles, pidx).to_numpy())
    attrs.insert(1, "park_id", _as_str(_str_codes(parks["park_id"].astype(str).tolist(), pidx)))
    return gpd.GeoDataFrame(_typed(attrs), geometry=np.concatenate(geoms), crs=WEB_EPSG)


# ==================================================================== writing
def dbf_headers() -> dict[str, str]:
    """
    Chinese Shapefile headers: per column the first Chinese name or alias that fits
    the DBF's 10 bytes in GBK, else the Chinese name cut to 10 bytes (``geo.io``
    maps cut names back).
    """
    out = {}
    for c in PARCEL_COLUMNS:
        fits = [a for a in (c.zh, *c.aliases) if not a.isascii() and len(a.encode("gbk")) <= 10]
        out[c.name] = fits[0] if fits else c.zh.encode("gbk")[:10].decode("gbk", errors="ignore")
    return out


def write_gbk_shapefile(parcels: gpd.GeoDataFrame, path: str | Path) -> Path:
    """
    A zipped Shapefile as bureaus send them: GBK-encoded DBF with Chinese headers
    and Chinese land-use / delay-cause labels, a .prj, and no .cpg (so the reader
    has to detect the encoding).
    """
    path = Path(path)
    tmp = path.with_suffix("")
    tmp.mkdir(parents=True, exist_ok=True)
    shp = tmp / "parcels.shp"
    df = parcels.copy()
    # Written as bureaus write them (geo/rules/*.yaml spellings): the reader must map them back.
    df["land_use"] = df["land_use"].map(vocab.spellings("land_use")).astype("str")
    # Cause codes as bureaus write them; texts that match no cause stay as written.
    df["delay_cause"] = df["delay_cause"].map(vocab.spellings("delay_cause")).fillna(df["delay_cause"]).astype("str")
    df["builtup"] = df["builtup"].map({True: "是", False: "否"}).astype("str")
    # DBF has Date but no DateTime fields; bureaus' files mostly carry dates as text anyway.
    for c in PARCEL_COLUMNS:
        if c.kind == "date":
            df[c.name] = df[c.name].dt.strftime("%Y-%m-%d").astype("str")
    df = df.rename(columns=dbf_headers())
    df.to_file(shp, driver="ESRI Shapefile", encoding="GBK")
    path.unlink(missing_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for ext in (".shp", ".shx", ".dbf", ".prj"):
            member = shp.with_suffix(ext)
            zf.write(member, arcname=member.name)
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    return path


def write_sample(
    out_dir: str | Path, *, n: int = 5000, seed: int = DEFAULT_SEED, as_of: date = SAMPLE_AS_OF
) -> dict[str, Path]:
    """
    Write the sample workspace.

    Returns
    -------
    paths
        ``parcels`` → ``out_dir/parcels.parquet`` (the workspace's stored format,
        ``geo.workspace.write_stored``, read with the shipped parks), ``parcels_gbk`` →
        ``out_dir/parcels_gbk.zip`` (GBK Shapefile, Chinese headers), ``parks`` →
        ``out_dir/parks.geojson``, ``cases`` → ``out_dir/cases.sqlite`` (sample idle-land
        cases at every stage of the procedure, :func:`geo.case_sample.seed_cases`), ``imagery`` →
        ``out_dir/imagery`` (synthetic rasters and change patches, :func:`write_sample_imagery`).
    """
    _check_n(n)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    parks = make_parks()
    parcels = make_parcels(parks, n=n, seed=seed, as_of=as_of)
    from geo import io
    from geo.workspace import STORED_FILE, write_stored

    stored = out / STORED_FILE
    # The parks the app and the CLI read (data/parks.geojson): the file is opened without re-deriving.
    write_stored(parcels, stored, parks=io.read_parks())
    return {
        "parcels": stored,
        "parcels_gbk": write_gbk_shapefile(parcels, out / "parcels_gbk.zip"),
        "parks": write_parks(out / "parks.geojson"),
        "cases": write_sample_cases(parcels, out, as_of=as_of, seed=seed),
        "imagery": write_sample_imagery(parcels, parks, out, seed=seed),
    }


def write_sample_cases(parcels: gpd.GeoDataFrame, out_dir: str | Path, *, as_of: date = SAMPLE_AS_OF,
                       seed: int = DEFAULT_SEED) -> Path:
    """
    ``out_dir/cases.sqlite`` with sample cases (written afresh: the store is append-only).

    The parcels are classified as of ``as_of`` first, so holder's-cause chains go to suspected
    and idle parcels and government chains to exempt ones.
    """
    from geo.case_sample import seed_cases
    from geo.cases import CASES_FILE, CaseStore
    from geo.workspace import analyse_idle

    path = Path(out_dir) / CASES_FILE
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    classified = analyse_idle(parcels, as_of=as_of)
    seed_cases(CaseStore(path), classified, as_of=as_of, seed=seed)
    return path


# --------------------------------------------------------------------------- imagery (synthetic)

#: Parks the sample gives imagery for: a class raster (三调-like) and a 4-band GF scene.
IMAGERY_PARKS: dict[str, dict] = {
    "liuzhou": {"kind": "class", "pixel_m": 10.0},
    "beihai": {"kind": "gf", "pixel_m": 20.0},
}
#: The sample's two image dates (before the sample's as-of date).
IMAGERY_DATES = (date(2024, 10, 15), date(2026, 10, 15))
IMAGERY_DIR = "imagery"
PATCHES_FILE = "patches.gpkg"
#: Surface reflectance of each ground class in the synthetic scenes: blue, green, red, NIR.
_SPECTRA = {
    0: (0.04, 0.07, 0.04, 0.35),  # vegetation (NDVI ≈ 0.79)
    1: (0.20, 0.21, 0.22, 0.25),  # roofs and hardstand (NDVI ≈ 0.06, bright)
    2: (0.09, 0.12, 0.16, 0.22),  # cleared soil (NDVI ≈ 0.16, dark)
}


def imagery_files(folder: str | Path) -> pd.DataFrame:
    """
    The rasters of an imagery folder named ``<park_id>_<YYYY-MM-DD>.tif``: columns
    ``park_id``, ``date`` and ``path``, by park and date.
    """
    rows = []
    for p in sorted(Path(folder).glob("*_????-??-??.tif")):
        park, _, day = p.stem.rpartition("_")
        try:
            rows.append({"park_id": park, "date": date.fromisoformat(day), "path": p})
        except ValueError:
            continue
    return pd.DataFrame(rows, columns=["park_id", "date", "path"]).sort_values(["park_id", "date"], ignore_index=True)


def _ground(rng: np.random.Generator, state: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Built and cleared shares of each parcel from what is on the ground (a record state)."""
    built = np.zeros(n)
    cleared = rng.uniform(0.0, 0.08, n)
    done, going, idle = state == "completed", state == "started", state == "not_started"
    built[done] = rng.uniform(0.55, 0.85, done.sum())
    cleared[done] = rng.uniform(0.0, 0.1, done.sum())
    built[going] = rng.uniform(0.25, 0.5, going.sum())
    cleared[going] = (1 - built[going]) * rng.uniform(0.6, 0.9, going.sum())
    # Land supplied as 净地 is often levelled before any building: a third of the idle parcels.
    bare = (idle & (rng.random(n) < 1 / 3)) | (state == "levelled")
    cleared[bare] = rng.uniform(0.55, 0.9, bare.sum())
    return built, cleared


def write_sample_imagery(parcels: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, out_dir: str | Path, *,
                         seed: int = DEFAULT_SEED) -> Path:
    """
    Synthetic imagery (合成示例影像, not satellite data) for :data:`IMAGERY_PARKS` at the two
    :data:`IMAGERY_DATES`, and change patches (卫片图斑), into ``out_dir/imagery``.

    The ground follows the records at each date (completed parcels built, started ones
    partly built on cleared ground, idle ones vegetated or levelled), except for a few parcels
    whose records the imagery contradicts: recorded started or completed but untouched
    (record_doubtful), and recorded not started but built since the earlier date, under a
    change patch (record_out_of_date). A cloud over one parcel per park leaves it without data.
    Files: ``<park_id>_<date>.tif`` (DEFLATE GeoTIFF tagged ``SYNTHETIC``) and ``patches.gpkg``.
    """
    import rasterio
    from affine import Affine
    from rasterio.enums import Resampling
    from rasterio.features import rasterize

    from geo.raster import record_state

    folder = Path(out_dir) / IMAGERY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.tif"):
        old.unlink()
    rng = np.random.default_rng(seed + 53)
    patch_frames = []
    for park_id, spec in IMAGERY_PARKS.items():
        mine = parcels[parcels["park_id"] == park_id]
        park = parks[parks["park_id"] == park_id]
        if len(mine) == 0 or len(park) == 0:
            continue
        epsg = int(metric_epsg_for(park))
        geoms = mine.geometry.to_crs(epsg).values
        n = len(mine)
        px = spec["pixel_m"]
        x0, y0, x1, y1 = park.to_crs(epsg).total_bounds
        x0, y1 = np.floor(x0 / px) * px - 5 * px, np.ceil(y1 / px) * px + 5 * px
        width, height = int(np.ceil((x1 - x0) / px)) + 5, int(np.ceil((y1 - y0) / px)) + 5
        transform = Affine(px, 0.0, x0, 0.0, -px, y1)
        which = rasterize(zip(geoms, range(1, n + 1), strict=True), out_shape=(height, width), transform=transform,
                          fill=0, dtype="int32") - 1
        inside = which >= 0
        states = [record_state(mine, as_of=d).to_numpy(dtype=object) for d in IMAGERY_DATES]
        # A cloud over one parcel (no data there), and contradictions away from it: a few parcels
        # recorded completed left untouched; a few recorded not started built since the earlier image.
        centroids = shapely.get_coordinates(shapely.centroid(geoms))
        cloud_parcel = int(rng.integers(n))
        cx, cy = centroids[cloud_parcel]
        r_cloud = max(400.0, float(np.sqrt(shapely.area(geoms[cloud_parcel]))))
        clear = np.hypot(centroids[:, 0] - cx, centroids[:, 1] - cy) > 2 * r_cloud
        worked = np.flatnonzero(clear & (states[1] == "completed"))
        idle = np.flatnonzero(clear & (states[1] == "not_started"))
        doubtful = rng.choice(worked, size=min(len(worked), max(2, len(worked) // 40)), replace=False)
        # Leave at least one idle parcel for the levelled one below.
        stale = rng.choice(idle, size=min(max(len(idle) - 1, 1), max(2, len(idle) // 8), len(idle)), replace=False)
        # At least one idle parcel levelled at both dates (净地 delivered, nothing built yet).
        levelled = rng.choice(np.setdiff1d(idle, stale), size=min(len(np.setdiff1d(idle, stale)), 1), replace=False)
        ground = [s.copy() for s in states]
        for g in ground:
            g[doubtful] = "untouched"
            g[levelled] = "levelled"
        ground[1][stale] = "started"
        ground[0][stale] = "not_started"
        cols, rows = np.meshgrid(x0 + (np.arange(width) + 0.5) * px, y1 - (np.arange(height) + 0.5) * px)
        cloud = (cols - cx) ** 2 + (rows - cy) ** 2 < r_cloud**2
        noise = rng.random((height, width))
        for k, (day, g) in enumerate(zip(IMAGERY_DATES, ground, strict=True)):
            built, cleared = _ground(np.random.default_rng(seed + 7 * k + n), g, n)
            pid = np.where(inside, which, 0)
            cls = np.where(noise < built[pid], 1, np.where(noise < built[pid] + cleared[pid], 2, 0)).astype(np.uint8)
            cls[~inside] = 0
            nodata = cloud if k == 1 else np.zeros_like(cloud)
            path = folder / f"{park_id}_{day.isoformat()}.tif"
            profile = dict(driver="GTiff", width=width, height=height, transform=transform, crs=f"EPSG:{epsg}",
                           compress="deflate", tiled=True, blockxsize=256, blockysize=256)
            if spec["kind"] == "class":
                data = np.where(nodata, 255, cls).astype(np.uint8)[None]
                profile.update(count=1, dtype="uint8", nodata=255)
            else:
                spectra = np.array([_SPECTRA[c] for c in (0, 1, 2)])  # class × band
                jitter = rng.normal(0.0, 0.004, (4, height, width))
                refl = spectra[cls].transpose(2, 0, 1) + jitter
                # Quantised to 0.01 of reflectance: keeps the files small, the classes unchanged.
                data = (np.round(np.clip(refl, 0.01, 1.0) * 100) * 100).astype(np.uint16)
                data[:, nodata] = 0
                profile.update(count=4, dtype="uint16", nodata=0, predictor=2)
            with rasterio.open(path, "w", **profile) as dst:
                dst.write(data)
                # Overviews: the map reads these, never the full grid.
                dst.build_overviews([2, 4, 8], Resampling.nearest)
                dst.update_tags(ACQUISITION_DATE=day.isoformat(), SYNTHETIC="yes",
                                DESCRIPTION="合成示例影像，非真实卫星数据（synthetic sample imagery, not satellite data）",
                                SENSOR="gf" if spec["kind"] == "gf" else "class")
                if spec["kind"] == "gf":
                    dst.descriptions = ("blue", "green", "red", "nir")
                else:
                    dst.descriptions = ("class: 0 other, 1 built, 2 cleared",)
        # Change patches: where the ground changed from untouched to works between the dates.
        changed = np.flatnonzero((ground[0] == "not_started") & np.isin(ground[1], ("started", "completed")))
        if len(changed):
            shrunk = shapely.buffer(geoms[changed], -0.15 * np.sqrt(shapely.area(geoms[changed])))
            keep = ~shapely.is_empty(shrunk)
            span = (IMAGERY_DATES[1] - IMAGERY_DATES[0]).days
            days = rng.integers(30, span - 30, keep.sum())
            patch_frames.append(gpd.GeoDataFrame({
                "图斑编号": [f"{park_id.upper()}-{IMAGERY_DATES[1].year}-{i + 1:03d}" for i in range(keep.sum())],
                "监测日期": [(pd.Timestamp(IMAGERY_DATES[0]) + pd.Timedelta(days=int(d))).date().isoformat()
                         for d in days],
                "备注": "合成示例图斑",
            }, geometry=shrunk[keep], crs=epsg).to_crs(4490))
    patches_path = folder / PATCHES_FILE
    patches_path.unlink(missing_ok=True)
    if patch_frames:
        gpd.GeoDataFrame(pd.concat(patch_frames, ignore_index=True), crs=4490).to_file(
            patches_path, driver="GPKG", layer="patches")
    (folder / "README.txt").write_text(
        "合成示例影像与卫片图斑（python -m geo sample 生成），非真实卫星数据，仅供演示。\n"
        "Synthetic sample imagery and change patches written by python -m geo sample; not satellite data.\n",
        encoding="utf-8")
    return folder
