"""
Imagery as evidence (卫片/遥感影像): what is on the ground, beside what the records say.

A raster — a multispectral scene (GF-1/GF-2 4-band, Sentinel-2, Landsat 8/9), a land-cover
class raster or a built-up index raster — is read per parcel with exact partial-pixel
coverage (exactextract): a parcel straddling pixel edges counts each pixel by the share it
covers, and one smaller than a pixel still gets a value. The raster is never resampled:
the parcels are reprojected to its CRS and only the window covering them is read.

Imagery yields leads, never findings: a change patch (卫片图斑) is a 问题线索 that needs a
field check (自然资发〔2023〕258号), and no figure here changes a parcel's legal status.
Every threshold is a setting in ``geo/rules/raster.yaml`` (本系统默认参数).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import require_crs, to_metric
from geo.errors import CodedError
from geo.rules import checked_number, load_rules

RULE_SET = "raster"

#: Kinds of raster :func:`describe_raster` tells apart.
RASTER_KINDS: tuple[str, ...] = ("multispectral", "class", "index")

#: Band names a sensor's band order may use (``swir1`` enables NDBI).
BAND_NAMES: tuple[str, ...] = ("coastal", "blue", "green", "red", "nir", "swir1", "swir2")
_REQUIRED_BANDS = ("blue", "green", "red", "nir")

#: Evidence of a parcel (label kind ``raster_evidence``), in the order of summaries.
EVIDENCE_CODES: tuple[str, ...] = ("construction_detected", "cleared_not_built", "no_construction", "no_data")

#: Leads against the records (label kind ``raster_lead``; sentences in words/raster.py).
LEAD_CODES: tuple[str, ...] = ("record_doubtful", "record_out_of_date")

#: What the records say of a parcel's development by the image date (label kind ``record_state``).
RECORD_STATES: tuple[str, ...] = ("completed", "started", "not_started", "unknown")

#: Columns :func:`zonal_evidence` returns, in order (headers: kind ``column`` in words/raster.py).
ZONAL_COLUMNS: tuple[str, ...] = (
    "builtup_frac",
    "builtup_frac_before",
    "builtup_change",
    "cleared_frac",
    "ndvi_mean",
    "brightness_mean",
    "ndbi_mean",
    "valid_frac",
    "pixels",
    "nodata_pixels",
    "patch_overlap_m2",
    "patch_count",
    "patch_date_latest",
    "evidence",
    "record_state",
    "lead",
    "image_date",
    "image_date_before",
)

#: Columns of the field-check list (:func:`field_check_list`), the last two left blank.
FIELD_CHECK_COLUMNS: tuple[str, ...] = (
    "parcel_id",
    "park_id",
    "holder",
    "lead",
    "record_state",
    "evidence",
    "builtup_frac",
    "builtup_frac_before",
    "builtup_change",
    "patch_overlap_m2",
    "patch_date_latest",
    "area_mu",
    "site_photo",
    "check_notes",
)

#: Every code of a :class:`RasterError`, with its arguments.
RASTER_ERROR_CODES: tuple[str, ...] = (
    "raster_unreadable",  # file, detail
    "raster_no_crs",  # file
    "raster_rotated",  # file
    "raster_band_count",  # file, count, expected (list of allowed counts)
    "raster_no_overlap",  # file
    "raster_too_large",  # file, size_mb, max_mb
    "raster_grid_mismatch",  # file
    "raster_setting_not_number",  # key, value
    "raster_setting_out_of_range",  # key, value, low, high
    "raster_setting_below_min",  # key, value, low
    "raster_setting_choice",  # key, value, allowed_choices
    "raster_band_order_invalid",  # key, value
    "raster_values_invalid",  # key, value
    "patches_no_geometry",  # file
)

#: Headers a change-patch file may use for its date and its number (卫片执法 exports).
PATCH_DATE_HEADERS: tuple[str, ...] = (
    "patch_date", "date", "监测日期", "变化日期", "发现日期", "图斑日期", "成像日期", "后时相", "后时相日期",
    "JCRQ", "BHRQ", "HSX",
)
PATCH_ID_HEADERS: tuple[str, ...] = ("patch_id", "图斑编号", "监测图斑编号", "TBBH", "JCBH", "BSM")

#: Raster tags read as the acquisition date (the first found), then TIFF's own.
DATE_TAGS: tuple[str, ...] = ("ACQUISITION_DATE", "acquisition_date", "DATE_ACQUIRED", "TIFFTAG_DATETIME")

_CAT_OTHER, _CAT_BUILT, _CAT_CLEARED, _CAT_NODATA = 0, 1, 2, 255
_ROW_BLOCK = 1024


class RasterError(CodedError):
    """
    A raster, a change-patch file or a setting that cannot be used; ``code`` is one of
    :data:`RASTER_ERROR_CODES` (render ``item`` with ``words.render``).
    """


# --------------------------------------------------------------------------- settings


def _number(raw, key: str, *, low=None, high=None) -> float:
    return checked_number(raw, key=key, error=RasterError, prefix="raster_setting", low=low, high=high)


def _values(raw, key: str) -> tuple[float, ...]:
    items = raw if isinstance(raw, list | tuple) else ([] if raw is None else [raw])
    out = []
    for v in items:
        try:
            out.append(float(v) if not isinstance(v, bool) else math.nan)
        except (TypeError, ValueError):
            out.append(math.nan)
    if any(math.isnan(v) for v in out):
        raise RasterError("raster_values_invalid", key=key, value=str(raw))
    return tuple(out)


def _sensor(name: str, raw) -> dict:
    key = f"sensors.{name}"
    if not isinstance(raw, Mapping) or not isinstance(raw.get("bands"), Mapping):
        raise RasterError("raster_band_order_invalid", key=key, value=str(raw))
    bands = {}
    for band, pos in raw["bands"].items():
        if band not in BAND_NAMES or isinstance(pos, bool) or not isinstance(pos, int) or pos < 1:
            raise RasterError("raster_band_order_invalid", key=f"{key}.bands.{band}", value=str(pos))
        bands[band] = pos
    missing = [b for b in _REQUIRED_BANDS if b not in bands]
    if missing or len(set(bands.values())) != len(bands):
        raise RasterError("raster_band_order_invalid", key=f"{key}.bands", value=str(dict(raw["bands"])))
    count = int(_number(raw.get("band_count", max(bands.values())), f"{key}.band_count", low=1))
    if max(bands.values()) > count:
        raise RasterError("raster_band_order_invalid", key=f"{key}.bands", value=str(dict(raw["bands"])))
    return {"band_count": count, "bands": bands,
            "scale": _number(raw.get("scale", 1.0), f"{key}.scale"),
            "offset": _number(raw.get("offset", 0.0), f"{key}.offset")}


def load_raster_settings(override: str | Path | Mapping | None = None) -> dict:
    """
    The validated imagery settings: ``geo/rules/raster.yaml`` with ``override`` merged.

    Returns the YAML's keys typed (floats; ``built_values``/``cleared_values`` tuples;
    ``sensors`` with integer band positions) plus ``source`` (本系统默认参数).

    Raises
    ------
    RasterError
        A value not allowed (a code of :data:`RASTER_ERROR_CODES` naming the key).
    RulesError
        The override file is missing or not valid YAML.
    """
    s = load_rules(RULE_SET, override=override)
    raw_sensors = s.get("sensors")
    if not isinstance(raw_sensors, Mapping) or not raw_sensors:
        raise RasterError("raster_band_order_invalid", key="sensors", value=str(raw_sensors))
    s["sensors"] = {str(k): _sensor(str(k), v) for k, v in raw_sensors.items()}
    sensor = str(s.get("sensor", "auto"))
    if sensor != "auto" and sensor not in s["sensors"]:
        raise RasterError("raster_setting_choice", key="sensor", value=sensor,
                          allowed_choices=["auto", *s["sensors"]])
    s["sensor"] = sensor
    single = str(s.get("single_band", "auto"))
    if single not in ("auto", "class", "index"):
        raise RasterError("raster_setting_choice", key="single_band", value=single,
                          allowed_choices=["auto", "class", "index"])
    s["single_band"] = single
    s["ndvi_vegetation_min"] = _number(s.get("ndvi_vegetation_min"), "ndvi_vegetation_min", low=-1, high=1)
    s["brightness_built_min"] = _number(s.get("brightness_built_min"), "brightness_built_min", low=0)
    s["ndbi_built_min"] = _number(s.get("ndbi_built_min"), "ndbi_built_min", low=-1, high=1)
    s["built_values"] = _values(s.get("built_values"), "built_values")
    s["cleared_values"] = _values(s.get("cleared_values"), "cleared_values")
    if set(s["built_values"]) & set(s["cleared_values"]):
        raise RasterError("raster_values_invalid", key="cleared_values", value=str(list(s["cleared_values"])))
    s["built_threshold"] = _number(s.get("built_threshold"), "built_threshold")
    for key in ("valid_frac_min", "built_frac_min", "cleared_frac_min", "builtup_rise_min"):
        s[key] = _number(s.get(key), key, low=0, high=1)
    s["patch_overlap_min_m2"] = _number(s.get("patch_overlap_min_m2"), "patch_overlap_min_m2", low=0)
    s["max_upload_mb"] = _number(s.get("max_upload_mb"), "max_upload_mb", low=1)
    return s


def _settings(settings: Mapping | None) -> dict:
    # Validated settings pass through (they carry tuples); anything else is an override.
    if isinstance(settings, Mapping) and isinstance(settings.get("built_values"), tuple):
        return dict(settings)
    return load_raster_settings(settings)


def settings_with(settings: Mapping | None, *, built_values: Sequence[float] | None = None,
                  built_threshold: float | None = None) -> dict:
    """
    Settings with the command line's choices over them: ``built_values`` makes a single-band
    raster a class raster (those values leave ``cleared_values``), ``built_threshold`` an index
    raster.
    """
    override: dict = dict(settings or {})
    if built_values is not None:
        override["built_values"] = list(built_values)
        override["single_band"] = "class"
        # A value named built on the command line is no longer cleared ground.
        cleared = override.get("cleared_values", load_rules(RULE_SET).get("cleared_values")) or []
        override["cleared_values"] = [v for v in cleared if float(v) not in {float(b) for b in built_values}]
    if built_threshold is not None:
        override["built_threshold"] = built_threshold
        override["single_band"] = "index"
    return load_raster_settings(override)


# --------------------------------------------------------------------------- rasters


@dataclass(frozen=True)
class RasterInfo:
    """What :func:`describe_raster` tells of a raster file."""

    source: str
    crs: object
    bounds: tuple[float, float, float, float]
    width: int
    height: int
    count: int
    dtype: str
    kind: str
    sensor: str | None
    bands: Mapping[str, int]
    date: date | None
    pixel_area: float


def _open(path):
    import rasterio

    try:
        return rasterio.open(path)
    except (rasterio.errors.RasterioIOError, OSError) as exc:
        raise RasterError("raster_unreadable", source=Path(str(path)).name, detail=str(exc)[:200]) from None


def _tag_date(tags: Mapping) -> date | None:
    for tag in DATE_TAGS:
        text = str(tags.get(tag) or "").strip()
        m = re.match(r"^(\d{4})[-:/]?(\d{2})[-:/]?(\d{2})", text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


def _kind(src, s: Mapping, source: str) -> tuple[str, str | None, dict]:
    if src.count == 1:
        kind = s["single_band"]
        if kind == "auto":
            kind = "index" if np.issubdtype(np.dtype(src.dtypes[0]), np.floating) else "class"
        return kind, None, {}
    sensors = s["sensors"]
    if s["sensor"] != "auto":
        name = s["sensor"]
        if src.count < max(sensors[name]["bands"].values()):
            raise RasterError("raster_band_count", file=source, count=src.count,
                              expected=sorted({1, sensors[name]["band_count"]}))
        return "multispectral", name, sensors[name]["bands"]
    for name, spec in sensors.items():
        if spec["band_count"] == src.count:
            return "multispectral", name, spec["bands"]
    raise RasterError("raster_band_count", file=source, count=src.count,
                      expected=sorted({1, *(v["band_count"] for v in sensors.values())}))


def describe_raster(path, *, settings: Mapping | None = None) -> RasterInfo:
    """
    The CRS, extent, bands, kind and date of a raster, checked for use.

    Raises
    ------
    RasterError
        ``raster_unreadable``, ``raster_no_crs`` (never guessed: a raster without a CRS
        cannot be laid over parcels), ``raster_rotated``, ``raster_band_count`` (a band
        count that fits neither a single-band raster nor a sensor's band order).
    """
    s = _settings(settings)
    source = Path(str(path)).name
    with _open(path) as src:
        if src.crs is None:
            raise RasterError("raster_no_crs", file=source)
        t = src.transform
        if t.b != 0 or t.d != 0 or t.a <= 0 or t.e >= 0:
            raise RasterError("raster_rotated", file=source)
        kind, sensor, bands = _kind(src, s, source)
        return RasterInfo(source=source, crs=src.crs, bounds=tuple(src.bounds), width=src.width,
                          height=src.height, count=src.count, dtype=str(src.dtypes[0]), kind=kind,
                          sensor=sensor, bands=dict(bands), date=_tag_date(src.tags()),
                          pixel_area=abs(t.a * t.e))


def check_overlap(path, area: gpd.GeoDataFrame | gpd.GeoSeries, *, settings: Mapping | None = None) -> RasterInfo:
    """
    :func:`describe_raster`, and ``raster_no_overlap`` when the raster does not reach ``area``
    (a park's boundary, in any CRS; it is reprojected to the raster's).
    """
    info = describe_raster(path, settings=settings)
    require_crs(area if isinstance(area, gpd.GeoDataFrame) else gpd.GeoDataFrame(geometry=area), what="area")
    geoms = area.to_crs(info.crs).geometry.values
    hit = shapely.intersects(geoms, shapely.box(*info.bounds))
    if not np.any(hit):
        raise RasterError("raster_no_overlap", file=info.source)
    return info


def check_upload_size(size_bytes: int, *, source: str, settings: Mapping | None = None) -> None:
    """``raster_too_large`` when an uploaded raster exceeds ``max_upload_mb``."""
    s = _settings(settings)
    size_mb = size_bytes / 1_048_576
    if size_mb > s["max_upload_mb"]:
        raise RasterError("raster_too_large", file=source, size_mb=round(size_mb, 1), max_mb=s["max_upload_mb"])


def _window(src, bounds):
    """The whole pixels covering ``bounds`` (clipped to the raster), or None outside it."""
    from rasterio.windows import Window

    t = src.transform
    minx, miny, maxx, maxy = bounds
    c0 = max(math.floor((minx - t.c) / t.a), 0)
    c1 = min(math.ceil((maxx - t.c) / t.a), src.width)
    r0 = max(math.floor((maxy - t.f) / t.e), 0)
    r1 = min(math.ceil((miny - t.f) / t.e), src.height)
    if c1 <= c0 or r1 <= r0:
        return None
    return Window(c0, r0, c1 - c0, r1 - r0)


def _classes(src, win, info: RasterInfo, s: Mapping, *, out_shape: tuple[int, int] | None = None,
             ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """
    Category per pixel (built / cleared / other / nodata) and, for a scene, NDVI etc.

    ``out_shape`` reads the window decimated (nearest; GDAL takes the file's overviews when
    it has them): for display only, never for the statistics.
    """
    h, w = out_shape if out_shape is not None else (int(win.height), int(win.width))
    cat = np.full((h, w), _CAT_NODATA, dtype=np.uint8)
    extra: dict[str, np.ndarray] = {}
    if info.kind == "multispectral":
        spec = s["sensors"][info.sensor]
        extra = {"ndvi": np.full((h, w), np.nan, np.float32), "brightness": np.full((h, w), np.nan, np.float32)}
        if "swir1" in info.bands:
            extra["ndbi"] = np.full((h, w), np.nan, np.float32)
    from rasterio.windows import Window

    # Row blocks keep a large window's float bands out of memory all at once.
    blocks = ([(win, slice(0, h), (h, w))] if out_shape is not None else
              [(Window(win.col_off, win.row_off + r0, win.width, min(_ROW_BLOCK, h - r0)),
                slice(r0, min(r0 + _ROW_BLOCK, h)), None) for r0 in range(0, h, _ROW_BLOCK)])
    for sub, rows, shape in blocks:
        if info.kind == "multispectral":
            idx = list(info.bands.values())
            bshape = None if shape is None else (len(idx), *shape)
            valid = np.all(src.read_masks(idx, window=sub, out_shape=bshape) > 0, axis=0)
            raw = src.read(idx, window=sub, out_dtype="float32", out_shape=bshape)
            b = {name: raw[i] * spec["scale"] + spec["offset"] for i, name in enumerate(info.bands)}
            with np.errstate(invalid="ignore", divide="ignore"):
                ndvi = (b["nir"] - b["red"]) / (b["nir"] + b["red"])
                bright = (b["blue"] + b["green"] + b["red"]) / 3.0
                built = (ndvi < s["ndvi_vegetation_min"]) & (bright >= s["brightness_built_min"])
                if "ndbi" in extra:
                    ndbi = (b["swir1"] - b["nir"]) / (b["swir1"] + b["nir"])
                    built &= ndbi >= s["ndbi_built_min"]
                    extra["ndbi"][rows] = np.where(valid, ndbi, np.nan)
                cleared = (ndvi < s["ndvi_vegetation_min"]) & ~built
            valid &= np.isfinite(ndvi)
            extra["ndvi"][rows] = np.where(valid, ndvi, np.nan)
            extra["brightness"][rows] = np.where(valid, bright, np.nan)
        else:
            valid = src.read_masks(1, window=sub, out_shape=shape) > 0
            v = src.read(1, window=sub, out_shape=shape)
            if np.issubdtype(v.dtype, np.floating):
                valid &= np.isfinite(v)
            if info.kind == "class":
                built = np.isin(v, s["built_values"])
                cleared = np.isin(v, s["cleared_values"])
            else:
                with np.errstate(invalid="ignore"):
                    built = v >= s["built_threshold"]
                cleared = np.zeros_like(built)
        block = np.where(built, _CAT_BUILT, np.where(cleared, _CAT_CLEARED, _CAT_OTHER)).astype(np.uint8)
        cat[rows] = np.where(valid, block, _CAT_NODATA)
    return cat, extra


def _feature_source(geoms: np.ndarray, wkt: str):
    """
    The parcels as exactextract features carrying WKB and their position (``_i``).

    exactextract's GeoDataFrame source round-trips every shape through GeoJSON text; WKB
    made once with shapely is three times faster on 100,000 parcels (bench/zonal.py).
    """
    from exactextract.feature import Feature, FeatureSource

    class _Feature(Feature):
        def __init__(self, wkb: bytes, i: int) -> None:
            super().__init__()
            self._wkb, self._i = wkb, i

        def geometry(self) -> bytes:
            return self._wkb

        def get(self, name: str) -> int:
            return self._i

        def fields(self) -> list[str]:
            return ["_i"]

    class _Source(FeatureSource):
        def __init__(self) -> None:
            super().__init__()
            self._positions = np.flatnonzero(~(shapely.is_empty(geoms) | shapely.is_missing(geoms)))
            self._wkb = shapely.to_wkb(geoms[self._positions])

        def count(self) -> int:
            return len(self._wkb)

        def __iter__(self):
            for i, wkb in zip(self._positions.tolist(), self._wkb, strict=True):
                yield _Feature(wkb, i)

        def srs_wkt(self) -> str:
            return wkt

    return _Source()


def zonal_shares(parcels: gpd.GeoDataFrame, raster, *, settings: Mapping | None = None) -> pd.DataFrame:
    """
    Coverage-weighted figures of each parcel over one raster.

    Parameters
    ----------
    parcels
        Any CRS; reprojected to the raster's (the raster is never resampled).
    raster
        Path of a raster file (GeoTIFF or anything GDAL reads).
    settings
        Imagery settings (:func:`load_raster_settings` or an override of them).

    Returns
    -------
    shares
        Aligned to ``parcels.index``: ``builtup_frac`` and ``cleared_frac`` (shares of the
        parcel's valid pixels, each pixel weighted by the share of it the parcel covers; NaN
        without valid pixels; ``cleared_frac`` NaN for an index raster, which cannot tell
        cleared land), ``ndvi_mean``/``brightness_mean`` (scenes), ``ndbi_mean`` (scenes
        with SWIR), ``valid_frac`` (share of the parcel's area on valid pixels: nodata and
        area outside the raster are excluded), ``pixels`` (pixels the parcel covers, as
        fractions) and ``nodata_pixels`` (of them, those without data). ``attrs`` holds
        ``kind``, ``sensor``, ``date`` and ``source``.
    """
    s = _settings(settings)
    info = describe_raster(raster, settings=s)
    require_crs(parcels, what="parcels")
    n = len(parcels)
    out = pd.DataFrame({c: np.full(n, np.nan) for c in (
        "builtup_frac", "cleared_frac", "ndvi_mean", "brightness_mean", "ndbi_mean", "valid_frac",
        "pixels", "nodata_pixels")}, index=parcels.index)
    out.attrs.update(kind=info.kind, sensor=info.sensor, date=info.date, source=info.source)
    if n == 0:
        return out
    geoms = parcels.geometry.to_crs(info.crs).values
    area = shapely.area(geoms)  # in the raster's units² (degrees² too): the same units as a pixel
    out["pixels"] = area / info.pixel_area
    out["valid_frac"] = 0.0
    out["nodata_pixels"] = out["pixels"]
    present = ~(shapely.is_empty(geoms) | shapely.is_missing(geoms))
    if not present.any():
        return out
    wkt = info.crs.to_wkt()
    with _open(raster) as src:
        # Park by park: each park's window is read on its own, so the raster held at once is the
        # largest park's, not one window over every parcel of Guangxi. A parcel's figures come
        # from its own pixels only, whatever window holds them.
        for rows in _window_groups(parcels, present):
            group = np.full(n, None, dtype=object)
            group[rows] = geoms[rows]
            _window_figures(out, src, group, rows, area, info, s, wkt)
    return out


def _window_groups(parcels: pd.DataFrame, present: np.ndarray) -> list[np.ndarray]:
    """Positions of the parcels with a shape, one array per park (``park_id``; all in one without it)."""
    if "park_id" not in parcels.columns:
        return [np.flatnonzero(present)]
    codes, _ = pd.factorize(parcels["park_id"].astype("string").fillna(""))
    groups = [np.flatnonzero(present & (codes == c)) for c in range(int(codes.max()) + 1 if len(codes) else 0)]
    return [g for g in groups if len(g)]


def _window_figures(out: pd.DataFrame, src, geoms: np.ndarray, rows: np.ndarray, area: np.ndarray,
                    info: RasterInfo, s: Mapping, wkt: str) -> None:
    """:func:`zonal_shares`' figures of the parcels ``rows`` (the shapes of ``geoms``; others None), over their window."""
    from exactextract import exact_extract
    from exactextract.raster import NumPyRasterSource

    n = len(geoms)
    win = _window(src, shapely.total_bounds(geoms[rows]))
    if win is None:
        return
    cat, extra = _classes(src, win, info, s)
    t = src.transform
    xmin, ymax = t.c + t.a * win.col_off, t.f + t.e * win.row_off
    xmax, ymin = xmin + t.a * cat.shape[1], ymax + t.e * cat.shape[0]
    vec = _feature_source(geoms, wkt)
    res = exact_extract(NumPyRasterSource(cat, xmin, ymin, xmax, ymax, nodata=_CAT_NODATA, srs_wkt=wkt, name="c"),
                        vec, ["count", "frac", "unique"], output="pandas", include_cols=["_i"])
    pos = res["_i"].to_numpy()
    count = res["count"].to_numpy(dtype=float)
    # frac/unique are per-parcel lists: flatten once, then sum by parcel and category.
    lengths = res["unique"].map(len).to_numpy()
    flat_parcel = np.repeat(pos, lengths)
    flat_value = np.concatenate([np.asarray(u, dtype=float) for u in res["unique"]]) if lengths.sum() else np.array([])
    flat_frac = np.concatenate([np.asarray(f, dtype=float) for f in res["frac"]]) if lengths.sum() else np.array([])
    has = count > 0
    built = np.zeros(n)
    cleared = np.zeros(n)
    np.add.at(built, flat_parcel[flat_value == _CAT_BUILT], flat_frac[flat_value == _CAT_BUILT])
    np.add.at(cleared, flat_parcel[flat_value == _CAT_CLEARED], flat_frac[flat_value == _CAT_CLEARED])
    col = out.columns.get_loc
    valid_px = np.zeros(n)
    valid_px[pos] = count
    with np.errstate(invalid="ignore", divide="ignore"):
        valid = np.clip(np.where(area > 0, valid_px * info.pixel_area / area, 0.0), 0, 1)
    out.iloc[rows, col("valid_frac")] = valid[rows]
    out.iloc[rows, col("nodata_pixels")] = np.clip(out["pixels"].to_numpy()[rows] - valid_px[rows], 0, None)
    ok = np.zeros(n, dtype=bool)
    ok[pos[has]] = True
    out.iloc[rows, col("builtup_frac")] = np.where(ok, built, np.nan)[rows]
    out.iloc[rows, col("cleared_frac")] = (np.where(ok, cleared, np.nan) if info.kind != "index" else np.full(n, np.nan))[rows]
    if extra:
        sources = [NumPyRasterSource(a, xmin, ymin, xmax, ymax, srs_wkt=wkt, name=k) for k, a in extra.items()]
        means = exact_extract(sources, vec, ["mean"], output="pandas", include_cols=["_i"])
        for k in extra:
            values = np.full(n, np.nan)
            values[means["_i"].to_numpy()] = means[f"{k}_mean"].to_numpy(dtype=float)
            out.iloc[rows, col(f"{k}_mean")] = np.where(ok, values, np.nan)[rows]


#: Display categories of :func:`display_classes` (legend: label kind ``raster_class``).
DISPLAY_CLASSES: dict[str, int] = {"built": _CAT_BUILT, "cleared": _CAT_CLEARED, "other": _CAT_OTHER,
                                   "nodata": _CAT_NODATA}


def display_classes(path, *, max_px: int = 1024, settings: Mapping | None = None):
    """
    The raster's pixel categories for a map (:data:`DISPLAY_CLASSES`), decimated to at most
    ``max_px`` a side from its overviews: ``(categories, transform, crs)`` in the raster's
    own CRS (layers warp it for display).
    """
    from affine import Affine
    from rasterio.windows import Window

    s = _settings(settings)
    info = describe_raster(path, settings=s)
    factor = max(1, math.ceil(max(info.width, info.height) / max_px))
    oh, ow = math.ceil(info.height / factor), math.ceil(info.width / factor)
    with _open(path) as src:
        cat, _extra = _classes(src, Window(0, 0, info.width, info.height), info, s, out_shape=(oh, ow))
        t = src.transform
    transform = Affine(t.a * info.width / ow, 0.0, t.c, 0.0, t.e * info.height / oh, t.f)
    return cat, transform, info.crs


# --------------------------------------------------------------------------- change patches


def _pick_column(frame: pd.DataFrame, headers: Sequence[str]) -> str | None:
    lookup = {str(c).strip().casefold(): c for c in frame.columns}
    for h in headers:
        if h.casefold() in lookup:
            return lookup[h.casefold()]
    return None


def read_patches(path) -> gpd.GeoDataFrame:
    """
    Change patches (卫片图斑) from any file :func:`geo.io.read_parcels` reads, with
    ``patch_id`` and ``patch_date`` (datetime64; NaT when the file gives none).

    Raises
    ------
    RasterError
        ``patches_no_geometry`` for a table without shapes.
    DataError
        The file cannot be read (geo.io's codes).
    """
    from geo import io

    gdf = io.read_parcels(path).gdf
    source = Path(str(path)).name
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns or gdf.crs is None:
        raise RasterError("patches_no_geometry", file=source)
    date_col = _pick_column(gdf, PATCH_DATE_HEADERS)
    id_col = _pick_column(gdf, PATCH_ID_HEADERS) or ("parcel_id" if "parcel_id" in gdf.columns else None)
    if date_col is not None:
        dates, _bad = io.parse_dates(gdf[date_col])
    else:
        dates = pd.Series(pd.NaT, index=gdf.index, dtype="datetime64[ns]")
    ids = gdf[id_col].astype("string") if id_col is not None else pd.Series(
        [str(i + 1) for i in range(len(gdf))], index=gdf.index, dtype="string")
    return gpd.GeoDataFrame({"patch_id": ids, "patch_date": pd.to_datetime(dates)}, geometry=gdf.geometry.values,
                            crs=gdf.crs, index=gdf.index)


def patch_overlap(parcels: gpd.GeoDataFrame, patches: gpd.GeoDataFrame | None, *, as_of=None) -> pd.DataFrame:
    """
    Area of each parcel under change patches (m², patches merged so that overlapping patches
    count once), the number of patches touching it and the latest patch date. Patches dated
    after ``as_of`` are left out.
    """
    n = len(parcels)
    out = pd.DataFrame({"patch_overlap_m2": np.zeros(n), "patch_count": np.zeros(n, dtype=np.int64),
                        "patch_date_latest": pd.Series(pd.NaT, index=parcels.index, dtype="datetime64[ns]")},
                       index=parcels.index)
    if patches is None or n == 0 or len(patches) == 0:
        return out
    require_crs(parcels, what="parcels")
    require_crs(patches, what="patches")
    metric = to_metric(parcels)
    p = patches.to_crs(metric.crs)
    if as_of is not None and "patch_date" in p.columns:
        p = p[~(pd.to_datetime(p["patch_date"]) > pd.Timestamp(as_of))]
    if len(p) == 0:
        return out
    merged = shapely.union_all(shapely.make_valid(p.geometry.values))
    pg = shapely.make_valid(metric.geometry.values)
    out["patch_overlap_m2"] = shapely.area(shapely.intersection(pg, merged))
    tree = shapely.STRtree(p.geometry.values)
    left, right = tree.query(pg, predicate="intersects")
    if len(left):
        pairs = pd.DataFrame({"i": left, "d": pd.to_datetime(p["patch_date"]).to_numpy()[right]}
                             if "patch_date" in p.columns else {"i": left, "d": pd.NaT})
        agg = pairs.groupby("i").agg(n=("d", "size"), d=("d", "max"))
        out.iloc[agg.index.to_numpy(), out.columns.get_loc("patch_count")] = agg["n"].to_numpy()
        out.iloc[agg.index.to_numpy(), out.columns.get_loc("patch_date_latest")] = agg["d"].to_numpy()
    return out


# --------------------------------------------------------------------------- evidence and leads


def _day(value) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).date(), "D")


def record_state(parcels: pd.DataFrame, *, as_of=None) -> pd.Series:
    """
    What the records say by ``as_of`` (the image date): ``completed`` (a completion date),
    ``started`` (an actual start or halt date: work began), ``not_started`` (supplied or with
    an agreed start date, no start recorded), else ``unknown``. Events after ``as_of`` have
    not happened yet on the image.
    """
    n = len(parcels)
    today = _day(as_of) if as_of is not None else np.datetime64("9999-12-31", "D")

    def dates(col: str) -> np.ndarray:
        if col not in parcels.columns:
            return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        return pd.to_datetime(parcels[col], errors="coerce").to_numpy().astype("datetime64[D]")

    done = dates("completion_date") <= today
    started = (dates("actual_start_date") <= today) | (dates("halted_since") <= today)
    known = ~np.isnat(dates("supply_date")) | ~np.isnat(dates("agreed_start_date"))
    state = np.select([done, started, known], ["completed", "started", "not_started"], "unknown")
    return pd.Series(state, index=parcels.index, dtype=object)


def classify_evidence(figures: pd.DataFrame, *, settings: Mapping | None = None) -> pd.Series:
    """
    ``no_data`` when ``valid_frac`` < ``valid_frac_min``; else ``construction_detected`` when
    ``builtup_frac`` ≥ ``built_frac_min``; else ``cleared_not_built`` when ``cleared_frac`` ≥
    ``cleared_frac_min``; else ``no_construction``.
    """
    s = _settings(settings)
    valid = figures["valid_frac"].to_numpy(dtype=float)
    built = figures["builtup_frac"].to_numpy(dtype=float)
    cleared = figures["cleared_frac"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        nodata = ~(valid >= s["valid_frac_min"]) | np.isnan(built)
        ev = np.select([nodata, built >= s["built_frac_min"], cleared >= s["cleared_frac_min"]],
                       ["no_data", "construction_detected", "cleared_not_built"], "no_construction")
    return pd.Series(ev, index=figures.index, dtype=object)


def cross_check(figures: pd.DataFrame, state: pd.Series, *, settings: Mapping | None = None,
                has_before: bool) -> pd.Series:
    """
    Leads against the records (None where the imagery agrees or says nothing).

    ``record_doubtful``: recorded completed, but no construction detected; or recorded
    started, but neither construction nor cleared ground (no_construction).
    ``record_out_of_date``: recorded not started, but built-up rose by ≥ ``builtup_rise_min``
    between the dates (with one date: construction detected), or change patches overlap the
    parcel by ≥ ``patch_overlap_min_m2``.
    """
    s = _settings(settings)
    ev = figures["evidence"].to_numpy(dtype=object)
    st = state.to_numpy(dtype=object)
    seen = ev != "no_data"
    doubtful = seen & (((st == "completed") & (ev != "construction_detected"))
                       | ((st == "started") & (ev == "no_construction")))
    change = figures["builtup_change"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        rose = (change >= s["builtup_rise_min"]) if has_before else (ev == "construction_detected")
        patched = figures["patch_overlap_m2"].to_numpy(dtype=float) >= s["patch_overlap_min_m2"]
    out_of_date = (st == "not_started") & ((seen & rose) | patched)
    lead = np.select([doubtful, out_of_date], ["record_doubtful", "record_out_of_date"], None)
    return pd.Series(lead, index=figures.index, dtype=object)


def zonal_evidence(parcels: gpd.GeoDataFrame, raster, *, before=None, patches=None,
                   settings: Mapping | None = None, as_of=None) -> pd.DataFrame:
    """
    Per parcel: the figures of the later raster (and the earlier one), change patches,
    ``evidence`` and ``lead`` (see :data:`ZONAL_COLUMNS`).

    Parameters
    ----------
    parcels
        Any CRS, with the record columns (``completion_date``, ``actual_start_date``,
        ``halted_since``, ``supply_date``, ``agreed_start_date``) where known.
    raster, before
        Paths of the later and (optional) earlier raster, each in its own grid and CRS.
    patches
        Change patches (:func:`read_patches`), a path, or None.
    settings
        Imagery settings (see :func:`settings_with` for the command line's choices).
    as_of
        The date the records are read at; default the later raster's date (its tag), else
        every recorded event counts.
    """
    s = _settings(settings)
    after = zonal_shares(parcels, raster, settings=s)
    out = after.copy()
    image_date = after.attrs.get("date")
    when = as_of if as_of is not None else image_date
    if before is not None:
        prior = zonal_shares(parcels, before, settings=s)
        out["builtup_frac_before"] = prior["builtup_frac"]
        out["image_date_before"] = prior.attrs.get("date")
    else:
        out["builtup_frac_before"] = np.nan
        out["image_date_before"] = None
    out["builtup_change"] = out["builtup_frac"] - out["builtup_frac_before"]
    if patches is not None and not isinstance(patches, gpd.GeoDataFrame):
        patches = read_patches(patches)
    out = out.join(patch_overlap(parcels, patches, as_of=when))
    out["evidence"] = classify_evidence(out, settings=s)
    out["record_state"] = record_state(parcels, as_of=when)
    out["lead"] = cross_check(out, out["record_state"], settings=s, has_before=before is not None)
    out["image_date"] = image_date
    out = out[list(ZONAL_COLUMNS)]
    out.attrs.update(after.attrs, settings_source=s.get("source"))
    return out


def field_check_list(parcels: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """
    The parcels with a lead, for a field check: parcel, lead, figures, and blank
    ``site_photo`` (现场照片) and ``check_notes`` (核查情况) columns to fill on site.
    Doubtful records first, then out-of-date ones; by parcel number within each.
    """
    from geo.crs import area_m2, m2_to_mu

    has = evidence["lead"].notna()
    rows = evidence.loc[has]
    base = pd.DataFrame(index=rows.index)
    for c in ("parcel_id", "park_id", "holder"):
        base[c] = parcels.loc[rows.index, c] if c in parcels.columns else None
    for c in FIELD_CHECK_COLUMNS:
        if c in rows.columns:
            base[c] = rows[c]
    if isinstance(parcels, gpd.GeoDataFrame) and parcels.crs is not None and len(rows):
        base["area_mu"] = m2_to_mu(area_m2(parcels.loc[rows.index]))
    else:
        base["area_mu"] = np.nan
    base["site_photo"] = ""
    base["check_notes"] = ""
    order = base["lead"].map({c: i for i, c in enumerate(LEAD_CODES)})
    base = base.assign(_o=order).sort_values(["_o", "parcel_id"], kind="stable").drop(columns="_o")
    return base[list(FIELD_CHECK_COLUMNS)].reset_index(drop=True)


def evidence_summary(evidence: pd.DataFrame) -> pd.DataFrame:
    """Parcels per evidence class and per lead (codes in index ``code``, column ``parcels``)."""
    ev = evidence["evidence"].value_counts().reindex(list(EVIDENCE_CODES), fill_value=0)
    ld = evidence["lead"].value_counts().reindex(list(LEAD_CODES), fill_value=0)
    return pd.DataFrame({"kind": ["evidence"] * len(ev) + ["lead"] * len(ld),
                         "code": [*ev.index, *ld.index], "parcels": [*ev.to_numpy(), *ld.to_numpy()]})


#: Message codes of :func:`explain_evidence` (sentences in words/raster.py).
EXPLANATION_CODES: tuple[str, ...] = (
    "raster_figures",  # image_date, builtup_frac, valid_frac, nodata_pixels
    "raster_figures_before",  # image_date_before, builtup_frac_before, change_pts (percentage points)
    "raster_cleared",  # cleared_frac
    "raster_ndvi",  # ndvi_mean
    "raster_patches",  # patch_count, patch_overlap_m2, patch_date_latest
    "raster_evidence_is",  # evidence
    "lead_record_doubtful",  # record_state, builtup_frac, built_frac_min
    "lead_record_out_of_date",
    "lead_reason_rise",  # change_pts, rise_pts (percentage points)
    "lead_reason_patch",  # patch_overlap_m2, patch_overlap_min_m2
    "lead_reason_built_now",  # builtup_frac, built_frac_min (one image only)
    "raster_lead_note",
)


def _finite(value) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def explain_evidence(row: Mapping, *, settings: Mapping | None = None) -> list[dict]:
    """
    The evidence of one parcel (a row of :func:`zonal_evidence`) as message items, for a
    card: the figures behind it, the evidence class, the lead and the field-check note.
    """
    s = _settings(settings)
    items = [{"code": "raster_figures", "image_date": row.get("image_date"), "builtup_frac": row.get("builtup_frac"),
              "valid_frac": row.get("valid_frac"), "nodata_pixels": row.get("nodata_pixels")}]
    if _finite(row.get("builtup_frac_before")):
        items.append({"code": "raster_figures_before", "image_date_before": row.get("image_date_before"),
                      "builtup_frac_before": row.get("builtup_frac_before"),
                      "change_pts": float(row.get("builtup_change")) * 100})
    if _finite(row.get("cleared_frac")):
        items.append({"code": "raster_cleared", "cleared_frac": row.get("cleared_frac")})
    if _finite(row.get("ndvi_mean")):
        items.append({"code": "raster_ndvi", "ndvi_mean": row.get("ndvi_mean")})
    if (row.get("patch_count") or 0) > 0:
        items.append({"code": "raster_patches", "patch_count": int(row["patch_count"]),
                      "patch_overlap_m2": row.get("patch_overlap_m2"), "patch_date_latest": row.get("patch_date_latest")})
    items.append({"code": "raster_evidence_is", "evidence": row.get("evidence")})
    lead = row.get("lead")
    if lead == "record_doubtful":
        items.append({"code": "lead_record_doubtful", "record_state": row.get("record_state"),
                      "builtup_frac": row.get("builtup_frac"), "built_frac_min": s["built_frac_min"]})
    elif lead == "record_out_of_date":
        items.append({"code": "lead_record_out_of_date"})
        change = row.get("builtup_change")
        if _finite(change) and float(change) >= s["builtup_rise_min"]:
            items.append({"code": "lead_reason_rise", "change_pts": float(change) * 100,
                          "rise_pts": s["builtup_rise_min"] * 100})
        elif not _finite(change) and row.get("evidence") == "construction_detected":
            items.append({"code": "lead_reason_built_now", "builtup_frac": row.get("builtup_frac"),
                          "built_frac_min": s["built_frac_min"]})
        if _finite(row.get("patch_overlap_m2")) and float(row["patch_overlap_m2"]) >= s["patch_overlap_min_m2"]:
            items.append({"code": "lead_reason_patch", "patch_overlap_m2": float(row["patch_overlap_m2"]),
                          "patch_overlap_min_m2": s["patch_overlap_min_m2"]})
    items.append({"code": "raster_lead_note"})
    return items
