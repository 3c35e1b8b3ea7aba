"""
Coordinate reference systems and area units.

The only module that names EPSG codes. Areas are never computed in degrees:
every measure reprojects to the CGCS2000 3-degree Gauss-Kruger zone whose
central meridian is nearest the geometry (domain.md §8).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from geo.errors import CodedError

#: CGCS2000 geographic; ≈ WGS84 to < 1 m, so data in EPSG:4326 are treated alike.
GEOGRAPHIC_EPSG = 4490
#: What web maps and GeoJSON speak.
WEB_EPSG = 4326
#: Web Mercator: the grid Leaflet draws in (rasters are warped to it for display only).
DISPLAY_EPSG = 3857
#: CGCS2000 3-degree GK zones without zone prefix, by central meridian (°E).
GK_EPSG_BY_CM = {105: 4544, 108: 4545, 111: 4546}
#: The same zones with the zone number prefixed to eastings (35, 36, 37).
GK_PREFIXED_EPSG_BY_CM = {105: 4523, 108: 4524, 111: 4525}
#: Equal-area CRS for province-wide sums across zones (Albers on CGCS2000, China-wide).
EQUAL_AREA_PROJ4 = (
    "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs"
)

M2_PER_MU = 10_000 / 15  # 1 亩 = 666.67 m²
M2_PER_HA = 10_000.0
MU_PER_HA = 15.0


#: Every code of a :class:`CRSError`, with its arguments (``what`` names the data: a code
#: such as ``data``; ``crs`` the CRS as pyproj writes it).
CRS_ERROR_CODES: tuple[str, ...] = ("crs_not_set", "crs_not_projected")


class CRSError(CodedError):
    """Data lack a CRS, or a measure was asked of geographic coordinates (codes: :data:`CRS_ERROR_CODES`)."""


def m2_to_mu(area_m2):
    """Square metres to 亩."""
    return area_m2 / M2_PER_MU


def m2_to_ha(area_m2):
    """Square metres to hectares."""
    return area_m2 / M2_PER_HA


def gk_epsg_for_lon(lon_deg) -> np.ndarray:
    """
    EPSG code of the CGCS2000 3-degree GK zone (no prefix) for each longitude.

    Zones are 3° wide centred on 105°, 108°, 111°E; longitudes outside Guangxi
    are clipped to the nearest of the three. A longitude on a zone edge
    (106.5°, 109.5°) belongs to the zone east of it, as zone numbers
    ``floor((lon + 1.5) / 3)`` have it.
    """
    lon = np.asarray(lon_deg, dtype=float)
    # np.round rounds halves to even (109.5° would fall in zone 36): floor(x + 0.5) does not.
    cm = np.clip(np.floor(lon / 3.0 + 0.5) * 3, 105, 111).astype(int)
    return np.vectorize(GK_EPSG_BY_CM.__getitem__, otypes=[int])(cm) if cm.size else cm


def require_crs(gdf: gpd.GeoDataFrame, *, what: str = "data") -> None:
    """Refuse a frame without a CRS."""
    if gdf.crs is None:
        raise CRSError("crs_not_set", what=what)


def require_projected(gdf: gpd.GeoDataFrame | gpd.GeoSeries, *, what: str = "data") -> None:
    """Refuse a frame whose CRS is missing or geographic: areas in degrees are meaningless."""
    require_crs(gdf, what=what)
    if gdf.crs.is_geographic:
        raise CRSError("crs_not_projected", what=what, crs=gdf.crs.to_string())


def metric_epsg_for(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> int:
    """The GK zone for a frame as a whole: the zone of its median centroid longitude."""
    require_crs(gdf)
    if gdf.crs.is_projected:
        epsg = epsg_of(gdf.crs)
        if epsg is not None:
            return epsg
    geo = gdf.geometry.to_crs(WEB_EPSG) if epsg_of(gdf.crs) != WEB_EPSG else gdf.geometry
    bounds = geo.bounds
    lon = float(np.nanmedian((bounds["minx"] + bounds["maxx"]) / 2)) if len(geo) else 108.0
    return int(gk_epsg_for_lon([lon])[0])


def to_metric(gdf: gpd.GeoDataFrame, *, epsg: int | None = None) -> gpd.GeoDataFrame:
    """Reproject to one metric GK zone (the frame's own zone unless ``epsg`` is given)."""
    require_crs(gdf)
    target = epsg or metric_epsg_for(gdf)
    if epsg_of(gdf.crs) == target:
        return gdf
    return gdf.to_crs(target)


def to_web(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 for maps and GeoJSON."""
    require_crs(gdf)
    if epsg_of(gdf.crs) == WEB_EPSG:
        return gdf
    return gdf.to_crs(WEB_EPSG)


def epsg_of(crs) -> int | None:
    """
    ``crs.to_epsg()``, remembered per CRS text. A pyproj CRS keeps its PROJ object per thread and
    Streamlit runs every rerun in a new thread, so asking the same CRS again rebuilt it from its
    definition (~40 ms for a GeoParquet's PROJJSON) on every click; the text needs no rebuilding.
    """
    return None if crs is None else _epsg_of_srs(crs.srs)


@lru_cache(maxsize=64)
def _epsg_of_srs(srs: str) -> int | None:
    return CRS(srs).to_epsg()


def area_m2_remembered(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """
    :func:`area_m2` of a small frame (the parks, their parts), each geometry's area remembered by
    its WKB and CRS.

    Pages measure the parks on every map they build; each Streamlit rerun is a new thread, in
    which pyproj builds its transformers again (~0.1–0.15 s for the parks' zones) for the same
    answer. Remembered per geometry, a map of another choice of parks measures nothing again.
    """
    geom = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
    require_crs(geom)
    srs = geom.crs.srs
    keys = [(srs, w) for w in shapely.to_wkb(np.asarray(geom.values))]
    with _AREAS_LOCK:
        missing = [i for i, k in enumerate(keys) if k not in _AREAS]
    if missing:
        measured = area_m2(geom.iloc[missing]).to_numpy(dtype=float)
        with _AREAS_LOCK:
            for i, a in zip(missing, measured, strict=True):
                _AREAS[keys[i]] = a
            while len(_AREAS) > _AREAS_MAX:
                _AREAS.pop(next(iter(_AREAS)))
    with _AREAS_LOCK:
        # A key evicted meanwhile by another thread is measured again (rare: the cache holds thousands).
        out = [_AREAS.get(k) for k in keys]
    if any(a is None for a in out):
        return area_m2(geom)
    return pd.Series(out, index=geom.index, dtype=float, name="area_m2")


#: Areas (m²) by (CRS text, WKB) for :func:`area_m2_remembered`; the oldest go first past the bound.
_AREAS: dict[tuple[str, bytes | None], float] = {}
_AREAS_MAX = 4096
_AREAS_LOCK = threading.Lock()


def plain_crs(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """
    ``gdf`` with its CRS given by its EPSG code when it is exactly that code's CRS (in place).

    A GeoParquet's CRS comes as PROJJSON, which pyproj parses again in every thread that uses it
    (~50 ms; each Streamlit rerun is a new thread); ``EPSG:4326`` is parsed in ~1 ms. A CRS that
    is not exactly an EPSG one (other axis order, datum shift …) is kept as it is.
    """
    if gdf.crs is None:
        return gdf
    code = gdf.crs.to_epsg(min_confidence=100)
    if code is not None and CRS.from_epsg(code) == gdf.crs and gdf.crs.srs != f"EPSG:{code}":
        gdf.set_crs(code, allow_override=True, inplace=True)
    return gdf


def area_m2(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """
    Area of each geometry in m², each measured in its own GK zone.

    Parameters
    ----------
    gdf
        Any CRS; a projected CRS is measured as it is, a geographic one is
        reprojected row-group by row-group to the zone of each centroid.

    Returns
    -------
    area_m2
        Aligned to ``gdf.index``; NaN for missing geometry.
    """
    geom = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
    require_crs(geom)
    if geom.crs.is_projected and not _is_mercator(geom.crs):
        # A surveyed metric CRS is taken as the user's authority and measured as it is (a GK
        # zone 3° off its meridian reads ~0.4 % large; reproject such files to their own zone).
        out = geom.area
        return out.where(~geom.isna(), np.nan).rename("area_m2")
    if geom.crs.is_projected:  # Web Mercator inflates areas by ~18 % at Guangxi's latitude
        geom = geom.to_crs(GEOGRAPHIC_EPSG)
    data = np.asarray(geom.array, dtype=object)
    present = ~(shapely.is_missing(data) | shapely.is_empty(data))
    out = np.full(len(data), np.nan)
    if present.any():
        sub = data[present]
        b = shapely.bounds(sub)
        epsg = gk_epsg_for_lon((b[:, 0] + b[:, 2]) / 2)
        # Reproject coordinate arrays rather than a GeoSeries: the same pyproj transformer
        # as GeoSeries.to_crs (always_xy), without building projected geometries.
        xy, owner = shapely.get_coordinates(sub, return_index=True)
        x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
        del xy
        zone_of_xy = epsg[owner]
        for code in np.unique(epsg):
            sel = zone_of_xy == code
            if sel.all():
                _project_inplace(x, y, geom.crs, int(code))
            else:
                xs, ys = x[sel], y[sel]
                _project_inplace(xs, ys, geom.crs, int(code))
                x[sel], y[sel] = xs, ys
        n_xy = shapely.get_num_coordinates(sub)
        start = np.concatenate([[0], np.cumsum(n_xy)[:-1]]).astype(np.int64)
        # Coordinates PROJ cannot place (a latitude beyond 90°: axes swapped, flagged by the
        # reader) come back infinite; their area is NaN without a warning.
        with np.errstate(invalid="ignore"):
            out[present] = _planar_area(sub, x, y, n_xy, start)
    return pd.Series(out, index=geom.index, name="area_m2", dtype=float)


#: Below this many points threads cost more than they save.
_THREADED_MIN_POINTS = 200_000


@lru_cache(maxsize=32)
def _transformer(src: CRS, dst_epsg: int) -> Transformer:
    return Transformer.from_crs(src, CRS.from_epsg(dst_epsg), always_xy=True)


def _project_inplace(x: np.ndarray, y: np.ndarray, src: CRS, dst_epsg: int) -> None:
    """
    Reproject ``x``/``y`` (contiguous float arrays) from ``src`` to ``dst_epsg`` in place.

    The transformer is the one ``GeoSeries.to_crs`` uses (``always_xy``), so the
    coordinates are the same to the bit. PROJ releases the GIL: large inputs are cut
    into one chunk per available core and transformed in threads.
    """
    tr = _transformer(src, dst_epsg)
    workers = min(_cpu_count(), 8)
    if workers < 2 or x.size < _THREADED_MIN_POINTS:
        tr.transform(x, y, inplace=True)
        return
    edges = np.linspace(0, x.size, workers + 1).astype(np.int64)

    def run(k: int) -> None:
        # Slices are views: each thread transforms its own stretch of x and y in place.
        tr.transform(x[edges[k] : edges[k + 1]], y[edges[k] : edges[k + 1]], inplace=True)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, range(workers)))


def _cpu_count() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


#: Rings longer than this go to GEOS: :func:`_ring_area` loops once per vertex position.
_RING_LOOP_MAX_XY = 512


def _planar_area(
    geoms: np.ndarray, x: np.ndarray, y: np.ndarray, n_xy: np.ndarray, start: np.ndarray
) -> np.ndarray:
    """
    Area of each geometry as if its coordinates were ``x``/``y`` (``n_xy`` each, from ``start``).

    Polygons without holes — nearly all parcels — are measured on the arrays
    (:func:`_ring_area`), which gives GEOS's area to the bit without building a
    million projected geometries; anything else is rebuilt and measured by GEOS.
    """
    area = np.empty(len(geoms))
    simple = (
        (shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON)
        & (shapely.get_num_interior_rings(geoms) == 0)
        & (n_xy <= _RING_LOOP_MAX_XY)
    )
    area[simple] = _ring_area(x, y, start[simple], n_xy[simple])
    if not simple.all():
        rest = np.repeat(~simple, n_xy)
        area[~simple] = shapely.area(
            shapely.set_coordinates(geoms[~simple].copy(), np.column_stack([x[rest], y[rest]]))
        )
    return area


def _ring_area(x: np.ndarray, y: np.ndarray, start: np.ndarray, n_xy: np.ndarray) -> np.ndarray:
    """
    Unsigned area of closed rings, ring k being ``x/y[start[k] : start[k] + n_xy[k]]``.

    The shoelace sum with coordinates taken relative to the first vertex, terms added
    in vertex order — the loop runs over vertex positions, each step over all rings
    that long (rings sorted longest first, so they are a prefix).
    """
    order = np.argsort(-n_xy, kind="stable")
    s, n = start[order], n_xy[order]
    x0 = x[s]
    total = np.zeros(len(s))
    longest = int(n[0]) if len(n) else 0
    for i in range(1, longest - 1):
        k = int(np.searchsorted(-n, -(i + 2), side="right"))  # rings with a vertex i + 1
        at = s[:k] + i
        total[:k] += (x[at] - x0[:k]) * (y[at - 1] - y[at + 1])
    out = np.empty(len(s))
    out[order] = np.abs(total / 2.0)
    return out


def _is_mercator(crs: CRS) -> bool:
    """Mercator-family CRSs are conformal, not equal-area: never measure areas in them."""
    method = crs.coordinate_operation.method_name.lower() if crs.coordinate_operation else ""
    return "mercator" in method and "transverse" not in method


def area_units(area_m2_values: pd.Series) -> pd.DataFrame:
    """m² → a frame with ``area_m2``, ``area_ha``, ``area_mu``."""
    return pd.DataFrame(
        {
            "area_m2": area_m2_values,
            "area_ha": m2_to_ha(area_m2_values),
            "area_mu": m2_to_mu(area_m2_values),
        }
    )


#: Why a CRS was (or could not be) inferred from coordinates: the ``basis`` codes of
#: :func:`infer_crs_from_coords` (words in ``words/io.py``, label kind ``crs_basis``).
CRS_BASIS_CODES = (
    "degrees_in_guangxi",  # degrees inside Guangxi → CGCS2000 geographic
    "gk_zone_prefix",  # eastings carry the 3-degree zone number (35/36/37)
    "gk_zone_ambiguous",  # metric GK coordinates without zone number: any of three zones
    "no_known_crs",  # coordinates fit no CRS used in Guangxi
    "no_coordinates",  # nothing to look at
)


def infer_crs_from_coords(bounds: tuple[float, float, float, float]) -> tuple[int | None, str]:
    """
    Guess a CRS from the coordinate ranges of a file that has none (domain.md §8).

    Returns ``(epsg, basis)``; ``epsg`` is None when the guess is ambiguous or
    impossible; ``basis`` is one of :data:`CRS_BASIS_CODES` saying why.
    """
    minx, miny, maxx, maxy = bounds
    if not np.all(np.isfinite(bounds)):
        return None, "no_coordinates"
    if 104 <= minx and maxx <= 113 and 20 <= miny and maxy <= 27:
        return GEOGRAPHIC_EPSG, "degrees_in_guangxi"
    for zone, cm in ((35, 105), (36, 108), (37, 111)):
        lo, hi = zone * 1_000_000, (zone + 1) * 1_000_000
        if lo <= minx and maxx < hi and 2_300_000 <= miny and maxy <= 2_900_000:
            return GK_PREFIXED_EPSG_BY_CM[cm], "gk_zone_prefix"
    if 200_000 <= minx and maxx <= 800_000 and 2_300_000 <= miny and maxy <= 2_900_000:
        return None, "gk_zone_ambiguous"
    return None, "no_known_crs"


def crs_from_user(value: str | int) -> CRS:
    """Parse a user-supplied CRS ('EPSG:4545', '4545', WKT)."""
    return CRS.from_user_input(int(value) if str(value).isdigit() else value)


# --------------------------------------------------------------------------- Gauss-Krüger zones of
# every province (the 坐标 TXT exchange format names a geodetic system and a zone, not an EPSG code)

#: Geodetic systems of Chinese survey files: CGCS2000, Xian 1980, Beijing 1954, WGS 84.
DATUMS = ("cgcs2000", "xian80", "beijing54", "wgs84")
#: Geographic CRS of each system (coordinates in degrees).
GEOGRAPHIC_EPSG_BY_DATUM = {"cgcs2000": 4490, "xian80": 4610, "beijing54": 4214, "wgs84": 4326}
#: Zone numbers of the Gauss-Krüger zones EPSG defines for China, by zone width (degrees):
#: 3-degree zones 25–45 (CM 75°–135°E), 6-degree zones 13–23 (CM 75°–135°E).
GK_ZONES = {3: (25, 45), 6: (13, 23)}
#: (system, zone width) → (EPSG of the first zone with the zone number prefixed to eastings,
#: EPSG of the first zone without it). The codes run consecutively by zone in each block.
_GK_EPSG_BLOCKS = {
    ("cgcs2000", 3): (4513, 4534),
    ("cgcs2000", 6): (4491, 4502),
    ("xian80", 3): (2349, 2370),
    ("xian80", 6): (2327, 2338),
    ("beijing54", 3): (2401, 2422),
    ("beijing54", 6): (21413, 21453),
}
#: WGS 84 / UTM northern zones (EPSG:32601–32660): eastings never carry the zone number.
UTM_NORTH_EPSG_BASE = 32600


def gk_central_meridian(zone: int, zone_width: int) -> int:
    """Central meridian (°E) of Gauss-Krüger zone ``zone`` of ``zone_width`` (3 or 6) degrees."""
    return 3 * zone if zone_width == 3 else 6 * zone - 3


def gk_zone_for_lon(lon_deg: float, zone_width: int = 3) -> int:
    """The Gauss-Krüger zone number a longitude falls in (3-degree: round(lon/3); 6-degree: lon/6 + 1)."""
    if zone_width == 3:
        return int(np.floor(lon_deg / 3.0 + 0.5))
    return int(np.floor(lon_deg / 6.0)) + 1


def gk_epsg(datum: str, zone_width: int, zone: int, *, prefixed: bool = True) -> int | None:
    """
    EPSG code of a Gauss-Krüger zone of a Chinese geodetic system, or None when EPSG has none.

    Parameters
    ----------
    datum
        One of ``cgcs2000``, ``xian80``, ``beijing54`` (WGS 84 has no Gauss-Krüger zones
        in EPSG: see :func:`utm_epsg`).
    zone_width
        3 or 6 (degrees).
    zone
        Zone number: 25–45 for 3-degree zones, 13–23 for 6-degree zones (China's).
    prefixed
        Eastings carry the zone number in front (``36512345.678`` in zone 36).

    Examples: CGCS2000 3-degree zone 36 → 4524 (prefixed) / 4545; Xian 1980 6-degree
    zone 19 → 2333 / 2344; Beijing 1954 3-degree zone 37 → 2413 / 2434.
    """
    block = _GK_EPSG_BLOCKS.get((datum, zone_width))
    lo, hi = GK_ZONES.get(zone_width, (1, 0))
    if block is None or not lo <= int(zone) <= hi:
        return None
    return block[0 if prefixed else 1] + int(zone) - lo


def gk_zone_of_epsg(epsg: int | None) -> tuple[str, int, int, bool] | None:
    """``(datum, zone_width, zone, prefixed)`` of an EPSG code of :func:`gk_epsg`, else None."""
    if epsg is None:
        return None
    for (datum, width), starts in _GK_EPSG_BLOCKS.items():
        lo, hi = GK_ZONES[width]
        for prefixed, start in zip((True, False), starts, strict=True):
            if start <= epsg <= start + hi - lo:
                return datum, width, lo + epsg - start, prefixed
    return None


def utm_epsg(zone: int) -> int | None:
    """WGS 84 / UTM zone ``zone``N (1–60), or None."""
    return UTM_NORTH_EPSG_BASE + int(zone) if 1 <= int(zone) <= 60 else None


def geographic_epsg(datum: str) -> int | None:
    """Geographic (degrees) CRS of a geodetic system of :data:`DATUMS`."""
    return GEOGRAPHIC_EPSG_BY_DATUM.get(datum)
