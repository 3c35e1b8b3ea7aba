"""
Coordinate reference systems and area units.

The only module that names EPSG codes. Areas are never computed in degrees:
every measure reprojects to the CGCS2000 3-degree Gauss-Kruger zone whose
central meridian is nearest the geometry (domain.md §8).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

#: CGCS2000 geographic; ≈ WGS84 to < 1 m, so data in EPSG:4326 are treated alike.
GEOGRAPHIC_EPSG = 4490
#: What web maps and GeoJSON speak.
WEB_EPSG = 4326
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


class CRSError(ValueError):
    """Data lack a CRS, or a measure was asked of geographic coordinates."""


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
        raise CRSError(f"{what} has no CRS: set one (e.g. EPSG:4490 or EPSG:4545) before measuring")


def require_projected(gdf: gpd.GeoDataFrame | gpd.GeoSeries, *, what: str = "data") -> None:
    """Refuse a frame whose CRS is missing or geographic: areas in degrees are meaningless."""
    require_crs(gdf, what=what)
    if gdf.crs.is_geographic:
        raise CRSError(
            f"{what} is in a geographic CRS ({gdf.crs.to_string()}): "
            "reproject to a metric CRS first (geo.crs.to_metric)"
        )


def metric_epsg_for(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> int:
    """The GK zone for a frame as a whole: the zone of its median centroid longitude."""
    require_crs(gdf)
    if gdf.crs.is_projected:
        epsg = gdf.crs.to_epsg()
        if epsg is not None:
            return epsg
    geo = gdf.geometry.to_crs(WEB_EPSG) if gdf.crs.to_epsg() != WEB_EPSG else gdf.geometry
    bounds = geo.bounds
    lon = float(np.nanmedian((bounds["minx"] + bounds["maxx"]) / 2)) if len(geo) else 108.0
    return int(gk_epsg_for_lon([lon])[0])


def to_metric(gdf: gpd.GeoDataFrame, *, epsg: int | None = None) -> gpd.GeoDataFrame:
    """Reproject to one metric GK zone (the frame's own zone unless ``epsg`` is given)."""
    require_crs(gdf)
    target = epsg or metric_epsg_for(gdf)
    if gdf.crs.to_epsg() == target:
        return gdf
    return gdf.to_crs(target)


def to_web(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 for maps and GeoJSON."""
    require_crs(gdf)
    if gdf.crs.to_epsg() == WEB_EPSG:
        return gdf
    return gdf.to_crs(WEB_EPSG)


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
        out = geom.area
        return out.where(~geom.isna(), np.nan).rename("area_m2")
    if geom.crs.is_projected:  # Web Mercator inflates areas by ~18% at Guangxi's latitude
        geom = geom.to_crs(GEOGRAPHIC_EPSG)
    out = pd.Series(np.nan, index=geom.index, name="area_m2", dtype=float)
    present = ~(geom.isna() | geom.is_empty)
    if not present.any():
        return out
    sub = geom[present]
    b = sub.bounds
    epsg = gk_epsg_for_lon(((b["minx"] + b["maxx"]) / 2).to_numpy())
    for code in np.unique(epsg):
        sel = epsg == code
        out.loc[sub.index[sel]] = sub[sel].to_crs(int(code)).area.to_numpy()
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


def infer_crs_from_coords(bounds: tuple[float, float, float, float]) -> tuple[int | None, str]:
    """
    Guess a CRS from the coordinate ranges of a file that has none (domain.md §8).

    Returns ``(epsg, reason)``; ``epsg`` is None when the guess is ambiguous or
    impossible, and ``reason`` says why, for the user.
    """
    minx, miny, maxx, maxy = bounds
    if not np.all(np.isfinite(bounds)):
        return None, "no coordinates to infer a CRS from"
    if 104 <= minx and maxx <= 113 and 20 <= miny and maxy <= 27:
        return GEOGRAPHIC_EPSG, "coordinates are degrees within Guangxi: CGCS2000 geographic (EPSG:4490)"
    for zone, cm in ((35, 105), (36, 108), (37, 111)):
        lo, hi = zone * 1_000_000, (zone + 1) * 1_000_000
        if lo <= minx and maxx < hi and 2_300_000 <= miny and maxy <= 2_900_000:
            epsg = GK_PREFIXED_EPSG_BY_CM[cm]
            return epsg, (
                f"eastings start with zone number {zone}: CGCS2000 3-degree GK zone {zone} "
                f"(EPSG:{epsg})"
            )
    if 200_000 <= minx and maxx <= 800_000 and 2_300_000 <= miny and maxy <= 2_900_000:
        return None, (
            "eastings 0.2-0.8M with northings 2.3-2.9M fit a 3-degree GK zone, but which one "
            "(EPSG:4544/4545/4546) is ambiguous: supply the CRS (.prj or --crs)"
        )
    return None, "coordinates match no known CRS for Guangxi: supply the CRS (.prj or --crs)"


def crs_from_user(value: str | int) -> CRS:
    """Parse a user-supplied CRS ('EPSG:4545', '4545', WKT)."""
    return CRS.from_user_input(int(value) if str(value).isdigit() else value)
