"""
GCJ-02 and BD-09: the shifted coordinates of AMap/DataV/Gaode and Baidu downloads.

Boundaries staff download from AMap or DataV are GCJ-02 and sit ~470-560 m off CGCS2000
data in Guangxi; Baidu's are BD-09. :func:`looks_like_datav` recognises a DataV boundary by
its properties; :func:`to_cgcs2000` converts on the user's choice with the kept library
``prcoords`` (public domain; its precise inverse iterates to < 1 cm), and the reader records
the conversion. WGS84 and CGCS2000 agree to < 1 m, well inside what these sources hold.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import prcoords
import shapely

from geo.crs import GEOGRAPHIC_EPSG

#: The shifted systems a user may say a file is in.
SHIFTED_SYSTEMS = ("gcj02", "bd09")
#: Properties DataV's (阿里云 DataV.GeoAtlas) boundary JSON carries on every feature.
DATAV_PROPERTIES = frozenset({"adcode", "center", "centroid", "childrenNum", "level", "acroutes", "parent"})

_INVERSE = {"gcj02": prcoords.gcj_wgs_bored, "bd09": prcoords.bd_wgs_bored}


def looks_like_datav(columns) -> bool:
    """True when at least three DataV property names are among ``columns``."""
    return len(DATAV_PROPERTIES.intersection(map(str, columns))) >= 3


def _shift(xy: np.ndarray, system: str) -> np.ndarray:
    inverse = _INVERSE[system]
    out = np.empty_like(xy)
    # prcoords works on one point at a time; shifted sources are boundary files (10⁴ vertices).
    for i, (lon, lat) in enumerate(xy):
        c = inverse(prcoords.Coords(lat, lon))
        out[i, 0], out[i, 1] = c.lon, c.lat
    return out


def to_cgcs2000(gdf: gpd.GeoDataFrame, *, system: str) -> gpd.GeoDataFrame:
    """
    ``gdf``'s degrees read as ``system`` (``gcj02`` or ``bd09``), returned in CGCS2000 (EPSG:4490).

    Raises
    ------
    ValueError
        For an unknown ``system`` or coordinates that are not degrees inside China.
    """
    if system not in _INVERSE:
        raise ValueError(f"system {system!r}: one of {SHIFTED_SYSTEMS}")
    minx, miny, maxx, maxy = gdf.total_bounds
    if not (72 <= minx <= maxx <= 136 and 3 <= miny <= maxy <= 54):
        raise ValueError("shifted coordinates are degrees inside China")
    out = gdf.copy()
    out[out.geometry.name] = shapely.transform(gdf.geometry.values, lambda xy: _shift(xy, system))
    return out.set_crs(GEOGRAPHIC_EPSG, allow_override=True)
