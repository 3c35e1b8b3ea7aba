"""
Read and write parcels and parks in every format the bureaus send.

Readers accept GeoJSON, GeoPackage, Shapefiles (plain or zipped; GBK or UTF-8
DBF), GeoParquet, FlatGeobuf/KML/GML, and CSV/Excel tables with an optional
WKT ``geometry`` column. Headers are mapped onto the canonical English names of
:mod:`geo.schema` (Chinese aliases accepted), values are coerced to their kinds,
and every defect is reported as a :class:`Problem` with its row and column —
rows are never dropped silently.

Nothing here is a sentence: a problem, a note on how the file was read and an
error each carry a **code and its arguments** (``Problem.code`` / ``Problem.args``,
``Loaded.crs_note``, ``DataError.code`` / ``DataError.params``). The words are in
``words/io.py``; :data:`PROBLEM_CODES`, :data:`NOTE_CODES` and :data:`ERROR_CODES`
list every code this module can emit (a test checks each has zh and en words).

Every file a user can hand in gives a result or ONE :class:`DataError` naming the file
(``source``: its name, never a server path) with a code whose words say what to do: the
first bytes are sniffed (an empty file, an extension that lies, an SQLite file named
``.gpkg``), zips are checked by :func:`geo.archive.check_zip` before anything is opened,
JSON is checked for nesting and for being GeoJSON at all, and any other failure of a
library on a hostile file becomes ``file_unreadable`` (or the format's own code).

A file that reads but cannot be the workspace's parcels (no geometry, no parcel-number
column, attribute names lost, a DXF) says so in :attr:`Loaded.refusal` (codes of
:data:`REFUSAL_CODES`); :attr:`Loaded.installable` is False and the import refuses it.
Implausible values are flagged by row (negative areas or money, NaN/Infinity, FAR above 20,
event dates after the as-of date, shapes outside Guangxi, swapped axes, degrees in a metric
CRS) and kept as read.

Row numbers in problems are **1-based data rows in file order**: the first
feature or record is row 1 and a table's header line is not counted (so data row
1 of a spreadsheet is sheet row 2).

Writers export ``.csv``/``.xlsx`` without geometry (optionally with Chinese
headers) and ``.geojson``/``.gpkg``/``.parquet`` with it.
"""

from __future__ import annotations

import datetime as _dt
import io as _io
import json
import logging
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from geo import vocab
from geo.archive import ARCHIVE_ERROR_CODES, ArchiveError, check_zip
from geo.crs import (
    GEOGRAPHIC_EPSG,
    area_m2,
    crs_from_user,
    infer_crs_from_coords,
    to_web,
)
from geo.gcj import SHIFTED_SYSTEMS, looks_like_datav, to_cgcs2000
from geo.schema import (
    PARK_COLUMNS,
    READ_PARCEL_COLUMNS,
    Column,
    alias_map,
    normalise_header,
)

log = logging.getLogger(__name__)

#: The bundled park boundaries (illustrative; see README).
DEFAULT_PARKS_PATH = Path(__file__).resolve().parent.parent / "data" / "parks.geojson"

#: Park columns without which the park pages cannot work.
REQUIRED_PARK_COLUMNS = ("park_id", "name_zh", "level")

#: Overlap below this share of a parcel's area is a sliver, not membership of a park.
MIN_OVERLAP_SHARE = 1e-6

#: More defects of one kind than this are summarised in one extra problem.
MAX_PROBLEMS_PER_CHECK = 1000
#: Rows listed in one problem (the rows sharing a duplicated parcel number); ``count`` has them all.
MAX_LISTED_ROWS = 20

#: Excel's day 0 in the 1900 date system (Lotus' 1900-02-29 bug absorbed).
EXCEL_EPOCH = "1899-12-30"
#: Serial day numbers accepted as dates: 1950-01-01 … 2099-12-31. A bare year
#: such as 2021 would otherwise become a date in 1905.
EXCEL_SERIAL_RANGE = (18_264, 73_050)
#: Integers read as YYYYMMDD.
YYYYMMDD_RANGE = (19_000_101, 21_001_231)

#: Cell texts that mean "no value" in bureau spreadsheets (geo/rules/vocab.yaml).
BLANK_TOKENS = vocab.BLANK_TOKENS

#: Headers (case-insensitive) holding WKT geometry in CSV/Excel tables.
WKT_HEADERS = ("geometry", "wkt", "geom", "几何", "图形")

VECTOR_EXTENSIONS = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb", ".kml", ".gml", ".gdb", ".dxf")
PARQUET_EXTENSIONS = (".parquet", ".geoparquet")
TABLE_EXTENSIONS = (".csv", ".xlsx", ".xlsm")
TXT_EXTENSIONS = (".txt",)
WRITE_EXTENSIONS = (".csv", ".xlsx", ".geojson", ".gpkg", ".parquet")

#: Code-valued columns → the geo.vocab kind that reads them into codes on reading.
VALUE_KINDS = {
    "land_use": "land_use",
    "delay_cause": "delay_cause",
    "level": "park_level",
    "eco_status": "eco_status",
}

_DTYPE_BY_KIND = {
    "str": "str",
    "date": "datetime64[ns]",
    "float": "float64",
    "int": "Int64",
    "bool": "boolean",
}


#: Every code a :class:`Problem` of the readers can carry, with the arguments it takes.
PROBLEM_CODES: dict[str, tuple[str, ...]] = {
    # more rows with the defect of the row above than are listed one by one
    "more_rows": ("more", "total"),
    # headers
    "column_alias_conflict": ("header", "column"),  # a second column meaning an already filled one
    "column_name_cut": ("header", "column"),  # a DBF name cut to 10 bytes, recognised
    "dbf_names_trimmed": (),  # DBF names cut inside a character, dangling bytes dropped
    "layer_chosen": ("count", "layers", "chosen"),  # several layers; the one read
    "zip_shapefile_chosen": ("count", "shapefiles", "chosen"),  # several shapefiles in a zip
    # values
    "value_not_date": ("value",),
    "value_not_yes_no": ("value",),
    "value_not_number": ("value",),
    "value_not_integer": ("value",),
    # a code-valued column's value that maps to nothing (geo.vocab.PROBLEM_CODES), on its row
    **dict.fromkeys(vocab.PROBLEM_CODES, ("value",)),
    "parcel_id_missing": (),
    "parcel_id_duplicate": ("value", "count", "dup_rows"),
    "parcel_id_column_missing": (),
    "park_assigned_by_location": ("assigned", "todo", "outside"),
    "outside_parks": (),
    # CRS
    "crs_not_degrees": ("crs", "x", "y"),
    "crs_file_wins": ("crs", "given"),
    "crs_inferred": ("epsg", "basis"),
    # geometry
    "wkt_unreadable": (),
    "geometry_z_dropped": (),
    "geometry_repaired": ("defect", "x", "y"),
    "geometry_unrepairable": ("defect", "x", "y"),
    "geometry_collection": (),
    "geometry_missing": (),
    "geometry_not_polygon": (),
    # implausible values, by row (kept, flagged before install)
    "value_negative": ("value",),
    "value_not_finite": ("value",),
    "far_implausible": ("value", "limit"),
    "date_after_as_of": ("value", "as_of"),
    "outside_guangxi": ("x", "y"),
    "axes_swapped": ("x", "y"),
    "degrees_in_metric": ("crs", "x", "y"),
}

#: Every code of a note on how the file was read (:attr:`Loaded.notes`), with its arguments.
NOTE_CODES: dict[str, tuple[str, ...]] = {
    "crs_from_file": ("crs",),
    "crs_given": ("crs",),
    "crs_inferred": ("epsg", "basis"),  # ``basis``: one of geo.crs.CRS_BASIS_CODES
    "attribute_table": (),  # no geometry: a table to join by parcel number
    "csv_encoding": ("encoding",),
    "dbf_encoding": ("encoding", "found_by"),  # ``found_by``: one of ENCODING_SOURCES
    "header_row": ("row",),
    "header_rows_merged": ("row", "last"),  # a header of two rows (merged cells), read as one
    "sheet_chosen": ("sheet", "sheets"),  # the first sheet holds no header; this one does
    "csv_delimiter": ("delimiter",),  # ``delimiter``: one of CSV_DELIMITERS' codes
    "geojson_feature_array": (),  # a bare array of features (DataV/AMap downloads)
    "datav_boundary": (),  # DataV.GeoAtlas properties: GCJ-02 coordinates
    "maybe_shifted": (),  # degrees without a declared CRS: may be GCJ-02 or BD-09
    "shifted_converted": ("system",),  # converted from ``system`` (geo.gcj.SHIFTED_SYSTEMS) to CGCS2000
    "dxf_no_attributes": (),  # DXF: layer and handle only
    "kml_attributes": ("count",),  # KML ExtendedData read by name (Chinese names kept)
    "field_table_restored": ("count",),  # full names from our own 字段对照表.csv
    "columns_mapped": ("count",),  # headers mapped by the user's mapping
    "unit_converted": ("column", "unit"),  # values read in ``unit`` and converted
    "unmapped_columns": ("count", "headers"),  # headers no alias matched (kept as written)
}

#: How a Shapefile's DBF encoding was chosen (``found_by`` of the ``dbf_encoding`` note).
ENCODING_SOURCES = ("cpg", "given", "detected", "no_dbf")

#: GEOS validity defects (``defect`` of ``geometry_repaired`` / ``geometry_unrepairable``).
GEOMETRY_DEFECTS = {
    "Self-intersection": "self_intersection",
    "Ring Self-intersection": "ring_self_intersection",
    "Hole lies outside shell": "hole_outside_shell",
    "Holes are nested": "nested_holes",
    "Interior is disconnected": "disconnected_interior",
    "Nested shells": "nested_shells",
    "Duplicate Rings": "duplicate_rings",
    "Too few points in geometry component": "too_few_points",
    "Invalid Coordinate": "invalid_coordinate",
    "Ring is not closed": "ring_not_closed",
}
GEOMETRY_DEFECT_CODES = (*GEOMETRY_DEFECTS.values(), "other")

#: Every code of a :class:`DataError`, with its arguments (``source`` is the file's name).
#: Codes in :data:`FACE_ERROR_CODES` tell the user how to fix it, and the fix differs by
#: face: ``words/io.py`` registers ``<code>.cli`` (names the command-line option) and
#: ``<code>.web`` (names the page's field) besides the face-neutral ``<code>``.
ERROR_CODES: dict[str, tuple[str, ...]] = {
    "file_not_found": ("source",),
    "unknown_file_type": ("source", "ext", "extensions"),
    "xls_unsupported": ("source",),
    "unreadable_gis": ("source",),
    "encoding_wrong": ("source", "encoding"),
    "encoding_unknown": ("source", "encoding"),
    "csv_encoding_unknown": ("source",),
    "sheet_not_found": ("source", "sheet", "layers"),
    "workbook_unreadable": ("source",),
    "layer_not_found": ("source", "layer", "layers"),
    "zip_shapefile_not_found": ("source", "layer", "shapefiles"),
    "crs_invalid": ("source", "given"),
    "crs_missing": ("source", "basis"),
    "attribute_table_no_id": ("source",),
    "parks_no_geometry": ("source",),
    "parks_columns_missing": ("source", "columns"),
    "parks_id_empty": ("source", "row"),
    "parks_id_repeats": ("source", "row", "value"),
    "parks_bad_value": ("source", "row", "column", "problem"),
    "write_ext_unsupported": ("source", "ext", "extensions"),
    "write_needs_geometry": ("source", "ext"),
    "write_needs_crs": ("source", "ext"),
    "assign_parks_no_crs": (),
    "assign_parks_no_park_id": (),
    "no_parcel_file": ("root", "candidates"),  # geo.workspace
    "install_no_geometry": (),  # geo.workspace
    # what a user can hand in: each refused with the fix
    "file_empty": ("source",),
    "file_type_mismatch": ("source", "ext", "actual"),  # ``actual``: one of FILE_KINDS
    "file_unreadable": ("source",),  # anything else a library could not read
    "gpkg_not_geopackage": ("source",),
    "gpkg_unreadable": ("source",),
    "zip_no_data": ("source", "members"),
    "zip_shapefile_incomplete": ("source", "shapefile", "missing"),
    "json_unreadable": ("source",),
    "json_too_deep": ("source",),
    "json_not_geojson": ("source",),
    "csv_unreadable": ("source",),
    "csv_ragged": ("source", "row", "expected", "found"),  # a data row with more cells than the header
    "table_no_rows": ("source",),
    "mapping_unknown_column": ("source", "header", "column"),
    "unit_unknown": ("source", "column", "unit"),
    "shifted_unknown": ("source", "given"),
    "shifted_not_degrees": ("source", "system"),
    # zip checks of geo.archive, raised as DataError with the same code and params
    **ARCHIVE_ERROR_CODES,
}
#: Why a read file cannot be installed as the workspace's parcels (:attr:`Loaded.refusal`).
REFUSAL_CODES: dict[str, tuple[str, ...]] = {
    "refuse_no_geometry": (),  # an attribute table: join it, do not install it
    "refuse_no_parcel_id": (),  # no column holds the parcel number
    "refuse_names_lost": ("headers",),  # attribute names came out as ____ (LIBKML) or blank
    "refuse_no_attributes": (),  # DXF: layer and handle only
}

#: What a file's first bytes say it is (``actual`` of ``file_type_mismatch``).
FILE_KINDS = (
    "zip", "xlsx", "docx", "pptx", "ole2", "sqlite", "gpkg", "pdf", "png", "jpeg", "gif", "tiff",
    "rar", "7z", "gzip", "parquet", "shp", "fgb", "text",
)
#: CSV delimiters recognised, by code (``delimiter`` of the ``csv_delimiter`` note).
CSV_DELIMITERS = {"comma": ",", "tab": "\t", "semicolon": ";", "pipe": "|"}
#: Units a user may declare for a column whose header does not say (``units=``), by the
#: canonical column's unit; each with its factor to the canonical unit.
UNIT_FACTORS: dict[str, dict[str, float]] = {
    "m2": {"m2": 1.0, "mu": 10_000 / 15, "ha": 10_000.0},
    "wan": {"wan": 1.0, "yuan": 1e-4},
}
#: Largest plausible FAR (floor area / parcel area); above it the value is flagged.
MAX_PLAUSIBLE_FAR = 20.0
#: Guangxi's extent in degrees (generous by ~0.3°): geometries outside are flagged.
GUANGXI_BOUNDS = (104.2, 20.6, 112.4, 26.6)
#: JSON files up to this size are parsed here first (structure, nesting, DataV); larger go to GDAL.
MAX_JSON_CHECK_BYTES = 256 * 1024 * 1024
#: Date columns that record events: a value after the as-of date is flagged.
EVENT_DATE_COLUMNS = ("supply_date", "actual_start_date", "halted_since", "completion_date")

FACE_ERROR_CODES = ("crs_missing", "crs_invalid", "encoding_wrong", "encoding_unknown", "no_parcel_file")
#: The faces an error is rendered for: the command line and the web pages.
FACES = ("cli", "web")

SEVERITIES = ("error", "warning", "info")


class DataError(ValueError):
    """
    A file cannot be used as given.

    ``code`` (one of :data:`ERROR_CODES`) and ``params`` say what and where; render
    with ``words.io.error_text(exc, lang, face=…)``. ``str(exc)`` is for logs only.
    """

    def __init__(self, code: str, /, **params) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}")

    @property
    def item(self) -> dict:
        """``{"code": …, **params}``, as ``words.render`` takes it."""
        return {"code": self.code, **self.params}

    def __reduce__(self):
        return (_data_error, (self.code, self.params))


def _data_error(code: str, params: dict) -> DataError:
    return DataError(code, **params)


def _plain(value):
    """A cell value as an argument: numbers and text stay, anything else becomes text."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


@dataclass
class Problem:
    """
    One defect found while reading: where, what (a code and its arguments), how bad.

    ``row`` is the 1-based data row in file order (header not counted), or None
    when the problem concerns the whole file or column. ``column`` is the canonical
    column name (or the file's own header when it maps to none). ``code`` is one of
    :data:`PROBLEM_CODES` and ``args`` its arguments (numbers, text, cell values);
    ``words.render(problem.item)`` gives the sentence.
    """

    row: int | None
    column: str | None
    code: str
    args: dict = field(default_factory=dict)
    severity: str = "warning"  # "error" | "warning" | "info"

    def __post_init__(self) -> None:
        if not isinstance(self.args, dict):
            raise TypeError(f"Problem.args must be a dict, not {self.args!r} (code {self.code!r})")
        if self.severity not in SEVERITIES:
            raise ValueError(f"Problem.severity must be one of {SEVERITIES}, not {self.severity!r}")
        self.args = {k: _plain(v) for k, v in self.args.items()}

    @property
    def item(self) -> dict:
        """``{"code": …, **args}``, as ``words.render`` takes it."""
        return {"code": self.code, **self.args}


@dataclass
class Loaded:
    """
    What a reader returns: the frame, its problems, and notes on how it was read.

    ``crs_note`` is a list of items ``{"code": …, **args}`` (codes of :data:`NOTE_CODES`): how the
    CRS was chosen, the text encoding, where the header row was found.

    ``installable`` says whether the file may become the workspace's parcels. When it is
    False, ``refusal`` is an item ``{"code": …, **args}`` of :data:`REFUSAL_CODES` saying why
    (no geometry, no parcel-number column, attribute names lost, a DXF without attributes);
    the import page and ``geo.workspace`` refuse to install such a file and show the reason
    (``words.render(loaded.refusal)``). ``unmapped_columns`` lists the file's headers that no
    alias matched (kept under their own names), for the user to map with ``columns=``.
    """

    gdf: gpd.GeoDataFrame
    problems: list[Problem]
    crs_note: list[dict]
    source: str
    summary: dict = field(default_factory=dict)
    refusal: dict | None = None
    unmapped_columns: list[str] = field(default_factory=list)
    #: ``read_parcels(geometry=False)`` of a file with shapes: each parcel's site area in m²
    #: (``geo.crs.area_m2`` of its repaired shape, NaN where it has none); ``gdf`` holds no shapes.
    area_m2: pd.Series | None = None
    #: The same read: whether each parcel has a shape (neither missing nor empty once repaired),
    #: which tells a parcel without a shape from one whose area is zero or could not be measured.
    shape_present: pd.Series | None = None

    @property
    def installable(self) -> bool:
        """True when the file can be installed as the workspace's parcels (no :attr:`refusal`)."""
        return self.refusal is None

    @property
    def notes(self) -> list[dict]:
        """The note items (``crs_note``: the CRS comes first, then encoding and header notes)."""
        return self.crs_note

    def problems_frame(self) -> pd.DataFrame:
        """
        Problems as a table for display or export.

        Returns
        -------
        problems
            Columns ``row`` (1-based data row, header not counted; NA for
            file-level problems), ``column``, ``code``, ``args`` (a dict per row),
            ``severity``. ``views.display.problems_display`` renders it.
        """
        frame = pd.DataFrame(
            {
                "row": pd.array([p.row for p in self.problems], dtype="Int64"),
                "column": pd.array([p.column for p in self.problems], dtype="str"),
                "code": pd.array([p.code for p in self.problems], dtype="str"),
                "args": pd.Series([dict(p.args) for p in self.problems], dtype=object),
                "severity": pd.array([p.severity for p in self.problems], dtype="str"),
            }
        )
        return frame


# --------------------------------------------------------------------------- helpers


def _problems_at(
    positions: np.ndarray,
    column: str | None,
    code: str,
    args: Sequence[dict] | dict | None,
    severity: str,
) -> list[Problem]:
    """
    Problems for 0-based positions (reported 1-based), capped with a ``more_rows`` line.

    ``args`` is one dict for every row, or one per row (at least as many as are shown).
    """
    positions = np.asarray(positions)
    if positions.size == 0:
        return []
    shown = min(positions.size, MAX_PROBLEMS_PER_CHECK)
    per_row = [args or {}] * shown if args is None or isinstance(args, dict) else args
    out = [Problem(int(positions[i]) + 1, column, code, dict(per_row[i]), severity) for i in range(shown)]
    if positions.size > shown:
        out.append(
            Problem(None, column, "more_rows", {"more": positions.size - shown, "total": positions.size}, severity)
        )
    return out


def _norm_header(name) -> str:
    return normalise_header(name)


def _header_lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    return {_norm_header(k): v for k, v in alias_map(columns).items()}


def _truncated_lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    """DBF field names are cut to 10 bytes: map each alias's cut form when unambiguous."""
    seen: dict[str, set[str]] = {}
    for c in columns:
        for alias in (c.name, c.zh, *c.aliases):
            for enc in ("gbk", "utf-8"):
                cut = alias.encode(enc)[:10].decode(enc, errors="ignore")
                seen.setdefault(_norm_header(cut), set()).add(c.name)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and k}


def _rename_aliases(
    df: pd.DataFrame, columns: tuple[Column, ...], *, dbf_names: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    lookup = _header_lookup(columns)
    truncated = _truncated_lookup(columns) if dbf_names else {}
    geom_name = df.geometry.name if isinstance(df, gpd.GeoDataFrame) and _has_geometry(df) else None
    problems: list[Problem] = []
    wanted: dict[str, str] = {}
    # Exact canonical names first, so an alias never displaces a column already named right.
    order = sorted(df.columns, key=lambda c: lookup.get(_norm_header(c)) != c)
    taken: set[str] = set()
    for col in order:
        if col == geom_name:
            continue
        key = _norm_header(col)
        target = lookup.get(key) or truncated.get(key)
        if target is None:
            continue
        if target in taken:
            problems.append(
                Problem(None, str(col), "column_alias_conflict", {"header": str(col), "column": target}, "warning")
            )
            continue
        taken.add(target)
        if target != col:
            wanted[col] = target
            if key not in lookup:
                problems.append(
                    Problem(None, str(col), "column_name_cut", {"header": str(col), "column": target}, "info")
                )
    return df.rename(columns=wanted), problems


def _has_geometry(df) -> bool:
    return isinstance(df, gpd.GeoDataFrame) and df._geometry_column_name in df.columns


def _as_text(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Stripped text of each cell and a mask of cells that are blank."""
    missing = s.isna().to_numpy()
    text = s.astype(object).where(~missing, "").astype(str).str.strip()
    blank = missing | text.str.casefold().isin(BLANK_TOKENS).to_numpy()
    return text, blank


def parse_dates(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """
    Coerce a column to dates.

    Accepts ``2021-03-01``, ``2021/3/1``, ``2021.3.1``, ``2021年3月1日``,
    ``20210301``, Excel serial day numbers (1950-2099), datetimes; a time of day
    is dropped.

    Returns
    -------
    dates
        ``datetime64[ns]`` aligned to ``s.index``; NaT where blank or unreadable.
    bad
        Boolean mask of cells that held something but could not be read.
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        return out.dt.normalize().astype("datetime64[ns]"), np.zeros(len(s), dtype=bool)
    text, blank = _as_text(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    numeric_like = text.str.fullmatch(r"\d+(\.\d+)?").to_numpy() & ~blank
    if numeric_like.any():
        num = pd.to_numeric(text[numeric_like], errors="coerce")
        is_ymd = (num >= YYYYMMDD_RANGE[0]) & (num <= YYYYMMDD_RANGE[1]) & (num == np.floor(num))
        ymd = pd.to_datetime(
            num[is_ymd].astype("int64").astype(str), format="%Y%m%d", errors="coerce"
        ).astype("datetime64[ns]")
        is_serial = (num >= EXCEL_SERIAL_RANGE[0]) & (num <= EXCEL_SERIAL_RANGE[1])
        serial = pd.to_datetime(np.floor(num[is_serial]), unit="D", origin=EXCEL_EPOCH).astype(
            "datetime64[ns]"
        )
        out.loc[ymd.index] = ymd
        out.loc[serial.index] = serial
    other = ~blank & ~numeric_like
    if other.any():
        # Keep the day: a time of day (from datetimes or "2021-03-01 08:00") is irrelevant here.
        norm = (
            text[other]
            .str.replace(r"^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)[ T].*$", r"\1", regex=True)
            .str.replace(r"[年月/.]", "-", regex=True)
            .str.replace(r"日$", "", regex=True)
        )
        norm = norm.where(norm.str.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}"), "")
        parsed = pd.to_datetime(norm, format="%Y-%m-%d", errors="coerce")
        out.loc[parsed.index] = parsed.astype("datetime64[ns]")
    out = out.dt.normalize()
    bad = ~blank & out.isna().to_numpy()
    return out, bad


def parse_numbers(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """
    Coerce a column to float, stripping thousands separators (``1,234.5``).

    Returns
    -------
    numbers
        ``float64`` aligned to ``s.index``; NaN where blank or unreadable.
    bad
        Boolean mask of cells that held something but could not be read.
    """
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s.astype("float64"), np.zeros(len(s), dtype=bool)
    text, blank = _as_text(s)
    cleaned = text.str.replace(r"[,，\s\u00a0]", "", regex=True)
    out = pd.to_numeric(cleaned.where(~blank, ""), errors="coerce").astype("float64")
    out[blank] = np.nan
    bad = ~blank & out.isna().to_numpy()
    return out, bad


def _parse_bools(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean"), np.zeros(len(s), dtype=bool)
    if pd.api.types.is_numeric_dtype(s):
        out = (s != 0).astype("boolean")
        out[s.isna()] = pd.NA
        return out, np.zeros(len(s), dtype=bool)
    _text, blank = _as_text(s)
    out, unknown = vocab.normalise("yes_no", s)
    bad = unknown.to_numpy() & ~blank
    return out, bad


def _parse_strings(s: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(s):
        whole = s.isna() | (s == np.floor(s))
        if whole.all():
            s = s.astype("Int64")
    elif pd.api.types.is_bool_dtype(s):
        s = s.astype(object)
    missing = s.isna()
    text = s.astype("str").str.strip()
    return text.where(~(missing | (text == "")), np.nan).astype("str")


def _coerce(df: pd.DataFrame, columns: tuple[Column, ...], *, own: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """``df``'s canonical columns as their kinds; ``own``: ``df`` is the caller's to change (each column
    read is let go as its typed one replaces it)."""
    problems: list[Problem] = []
    if not own:
        df = df.copy(deep=False)  # copy-on-write: the caller's frame keeps its columns
    for c in columns:
        if c.name not in df.columns:
            continue
        raw = df[c.name]
        if c.kind == "str":
            df[c.name] = _parse_strings(raw)
            continue
        frac = np.zeros(len(raw), dtype=bool)
        if c.kind == "date":
            values, bad = parse_dates(raw)
            code = "value_not_date"
        elif c.kind == "bool":
            values, bad = _parse_bools(raw)
            code = "value_not_yes_no"
        else:
            values, bad = parse_numbers(raw)
            code = "value_not_number"
            if c.kind == "int":
                frac = (values.notna() & (values != np.floor(values))).to_numpy()
                values = values.where(~frac).astype("Int64")
        df[c.name] = values
        for mask, what in ((bad, code), (frac, "value_not_integer")):
            if mask.any():
                pos = np.flatnonzero(mask)
                shown = raw.iloc[pos[:MAX_PROBLEMS_PER_CHECK]].astype(object).tolist()
                problems += _problems_at(pos, c.name, what, [{"value": v} for v in shown], "error")
    return df, problems


def _map_codes(df: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """
    Coded columns (land use, delay cause, level, eco status) → codes by :mod:`geo.vocab`.

    A value no spelling matches is kept as written (rules that need the column do not
    match it) and reported on its row as ``<kind>_unrecognised`` with ``value``.
    """
    problems: list[Problem] = []
    for col, kind in VALUE_KINDS.items():
        if col not in df.columns:
            continue
        s = df[col]
        codes, unknown = vocab.land_use_classes(s) if kind == "land_use" else vocab.normalise(kind, s)
        df[col] = codes.where(~unknown, s).astype("str")
        if unknown.any():
            # Every row with a value that maps to nothing, with the value as written.
            pos = np.flatnonzero(unknown.to_numpy())
            values = s.iloc[pos[:MAX_PROBLEMS_PER_CHECK]].astype(str).str.strip().tolist()
            problems += _problems_at(pos, col, f"{kind}_unrecognised", [{"value": v} for v in values], "warning")
    return df, problems


# --------------------------------------------------------------------------- encodings

_CPG_ALIASES = {
    "UTF-8": "UTF-8",
    "UTF8": "UTF-8",
    "65001": "UTF-8",
    "936": "GBK",
    "CP936": "GBK",
    "ANSI936": "GBK",
    "GBK": "GBK",
    "GB2312": "GB18030",
    "GB18030": "GB18030",
    "54936": "GB18030",
    "1252": "CP1252",
    "ANSI1252": "CP1252",
    "88591": "ISO-8859-1",
    "ISO88591": "ISO-8859-1",
}


def encoding_from_cpg(text: str) -> str:
    """Codec named by a ``.cpg`` file (``UTF-8``, ``GBK``, ``936``…), as GDAL and Python both know it."""
    key = re.sub(r"[\s_\-]", "", text.strip()).upper()
    if key in _CPG_ALIASES:
        return _CPG_ALIASES[key]
    if key.isdigit():
        return f"CP{key}"
    return text.strip()


def detect_dbf_encoding(dbf: bytes) -> str:
    """
    Guess the text encoding of a DBF without ``.cpg``: UTF-8 if every text field
    (and field name) decodes as UTF-8, else GB18030 (a superset of GBK/GB2312).

    Only character (``C``) fields are looked at, with numpy slicing, so a large
    file costs one pass over its bytes.
    """
    if len(dbf) < 33:
        return "UTF-8"
    n_records = int.from_bytes(dbf[4:8], "little")
    header_len = int.from_bytes(dbf[8:10], "little")
    record_len = int.from_bytes(dbf[10:12], "little")
    names: list[bytes] = []
    spans: list[tuple[int, int]] = []
    offset = 1  # deletion flag
    pos = 32
    while pos + 32 <= header_len and dbf[pos] != 0x0D:
        desc = dbf[pos : pos + 32]
        length = desc[16]
        names.append(desc[:11].split(b"\x00", 1)[0])
        if desc[11:12] == b"C":
            spans.append((offset, offset + length))
        offset += length
        pos += 32
    chunks = [b"".join(names)]
    if spans and record_len > 0:
        available = (len(dbf) - header_len) // record_len
        n = min(n_records or available, available)
        records = np.frombuffer(dbf, dtype=np.uint8, count=n * record_len, offset=header_len)
        records = records.reshape(n, record_len)
        chunks.extend(records[:, a:b].tobytes() for a, b in spans)
    sample = b"".join(chunks)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return "GB18030"
    return "UTF-8"


def _find_sidecar(shp: Path, ext: str) -> Path | None:
    for cand in shp.parent.glob(shp.stem + ".*"):
        if cand.suffix.lower() == ext:
            return cand
    return None


def _shapefile_encoding(cpg: bytes | None, dbf: bytes | None, encoding: str | None) -> tuple[str, dict]:
    """(encoding, a ``dbf_encoding`` note): a .cpg wins, then the caller's, then detection."""
    if cpg is not None and cpg.strip():
        enc, found_by = encoding_from_cpg(cpg.decode("ascii", errors="ignore")), "cpg"
    elif encoding:
        enc, found_by = encoding, "given"
    elif dbf is None:
        enc, found_by = "UTF-8", "no_dbf"
    else:
        enc, found_by = detect_dbf_encoding(dbf), "detected"
    return enc, {"code": "dbf_encoding", "encoding": enc, "found_by": found_by}


# --------------------------------------------------------------------------- what a file is

#: First bytes → kind (:data:`FILE_KINDS`).
_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"SQLite format 3\x00", "sqlite"),
    (b"%PDF", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"PAR1", "parquet"),
    (b"fgb\x03", "fgb"),
    (b"\x00\x00\x27\x0a", "shp"),
)
#: The kinds each extension may hold ("text": no known magic bytes).
_EXPECTED_KINDS = {
    ".zip": {"zip"},
    ".xlsx": {"xlsx"},
    ".xlsm": {"xlsx"},
    ".gpkg": {"gpkg", "sqlite"},
    ".parquet": {"parquet"},
    ".geoparquet": {"parquet"},
    ".shp": {"shp"},
    ".fgb": {"fgb"},
    ".geojson": {"text"},
    ".json": {"text"},
    ".csv": {"text"},
    ".kml": {"text"},
    ".gml": {"text"},
    ".dxf": {"text"},
}
#: GeoPackage ``application_id`` values (offset 68 of the SQLite header).
_GPKG_APP_IDS = (b"GPKG", b"GP10", b"GP11")
#: Members of a zip GDAL reads besides Shapefiles.
_ZIP_VECTOR_MEMBERS = (".gpkg", ".geojson", ".json", ".kml", ".gml", ".fgb")
#: Our own zipped-Shapefile export's table of full column names (reports.tables.write_shapefile_zip).
FIELD_TABLE_NAMES = ("字段对照表", "field_names")


@dataclass
class _Sniffed:
    kind: str
    members: list[str] | None = None  # a zip's member names, checked by geo.archive


def _checked_zip(path: Path, source: str, ext: str) -> list[str]:
    """``geo.archive.check_zip`` (nothing decompressed), its refusals as :class:`DataError`."""
    try:
        return check_zip(path, source=source)
    except ArchiveError as exc:
        if exc.code == "zip_unreadable" and ext in TABLE_EXTENSIONS:
            raise DataError("workbook_unreadable", source=source) from None
        raise DataError(exc.code, **{**exc.params, "source": source}) from None


def _sqlite_kind(path: Path) -> str:
    """``gpkg``, ``sqlite`` (a database without GeoPackage tables) or ``sqlite_damaged``."""
    with open(path, "rb") as fh:
        head = fh.read(100)
    if head[68:72] in _GPKG_APP_IDS:
        return "gpkg"
    try:
        # Read-only and immutable: nothing (no journal) is written next to the file.
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            found = con.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'"
            ).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return "sqlite_damaged"
    return "gpkg" if found else "sqlite"


def _sniff(path: Path, source: str) -> _Sniffed:
    """
    What the file's bytes say it is, whatever its extension.

    Raises :class:`DataError` for an empty file, a file whose extension lies, a zip
    ``geo.archive`` refuses, and an SQLite file named ``.gpkg`` that is no GeoPackage.
    """
    ext = path.suffix.lower()
    if path.is_dir():
        return _Sniffed("dir")
    with open(path, "rb") as fh:
        head = fh.read(100)
    if not head:
        raise DataError("file_empty", source=source)
    kind = next((k for magic, k in _MAGIC if head.startswith(magic)), "text")
    members = None
    if kind == "zip":
        members = _checked_zip(path, source, ext)
        lowered = [m.lower() for m in members]
        if "[content_types].xml" in lowered:
            for prefix, office in (("xl/", "xlsx"), ("word/", "docx"), ("ppt/", "pptx")):
                if any(m.startswith(prefix) for m in lowered):
                    kind = office
                    break
    elif kind == "sqlite":
        kind = _sqlite_kind(path)
        if ext == ".gpkg" and kind == "sqlite":
            raise DataError("gpkg_not_geopackage", source=source)
        if ext == ".gpkg" and kind == "sqlite_damaged":
            raise DataError("gpkg_unreadable", source=source)
        kind = "sqlite" if kind == "sqlite_damaged" else kind
    expected = _EXPECTED_KINDS.get(ext)
    if expected is not None and kind not in expected:
        if ext in (".xlsx", ".xlsm") and kind == "ole2":
            raise DataError("xls_unsupported", source=source)
        raise DataError("file_type_mismatch", source=source, ext=ext, actual=kind)
    return _Sniffed(kind, members)


def _unreadable_code(ext: str) -> str:
    """The error of a file a library could not read, by what it was meant to be."""
    return {
        ".gpkg": "gpkg_unreadable",
        ".xlsx": "workbook_unreadable",
        ".xlsm": "workbook_unreadable",
        ".csv": "csv_unreadable",
        ".json": "json_unreadable",
        ".geojson": "json_unreadable",
        ".zip": "unreadable_gis",
        ".shp": "unreadable_gis",
    }.get(ext, "file_unreadable")


def list_layers(path, *, encoding: str | None = None) -> list[str]:
    """
    The layers a file holds: a GeoPackage's layers, a workbook's sheets, a zip's Shapefiles
    (by stem). Any of them can be passed as ``layer=`` to :func:`read_parcels`.

    Raises
    ------
    DataError
        As :func:`read_parcels` does for a file that cannot be read.
    """
    p = Path(path)
    source = p.name
    if not p.exists():
        raise DataError("file_not_found", source=source)
    try:
        sniffed = _sniff(p, source)
        ext = p.suffix.lower()
        if ext in (".xlsx", ".xlsm"):
            import openpyxl

            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
            try:
                return list(wb.sheetnames)
            finally:
                wb.close()
        if ext in (".csv", *PARQUET_EXTENSIONS):
            return [p.stem]
        if ext == ".zip":
            shps = _zip_shapefiles(sniffed.members or [])
            if shps:
                return [Path(m).stem for m in shps]
        return [str(name) for name in pyogrio.list_layers(str(p))[:, 0]]
    except DataError:
        raise
    except Exception as exc:  # a library's failure on a hostile file: one message, never a traceback
        raise DataError(_unreadable_code(p.suffix.lower()), source=source, detail=_detail(exc)) from None


def _detail(exc: BaseException) -> str:
    """An exception for the log (``DataError.params["detail"]``), never shown to users."""
    return f"{type(exc).__name__}: {str(exc)[:300]}"


# --------------------------------------------------------------------------- raw readers


@dataclass
class _Raw:
    frame: pd.DataFrame
    file_crs: object | None
    notes: list[dict]
    problems: list[Problem]
    dbf_names: bool = False
    crs_declared: bool = True  # False: the format implies degrees without saying (GeoJSON, KML)
    refusal: dict | None = None
    shapes: _Shapes | None = None  # a shapeless read (``frame`` a plain table): the shapes as WKB


#: Shapes made from WKB at once by a shapeless read (``read_parcels(geometry=False)``): a slice
#: of this many rows is measured and let go before the next is made.
SHAPE_CHUNK_ROWS = 50_000


@dataclass
class _Shapes:
    """
    A file's shapes held as WKB (a few dozen bytes a parcel instead of a GEOS object of a few
    hundred), made into shapes one slice of :data:`SHAPE_CHUNK_ROWS` rows at a time.
    """

    #: pyarrow binary arrays of SHAPE_CHUNK_ROWS rows (the last shorter), in row order; or a function
    #: giving them anew each time (read again from the file, never held)
    chunks: list | Callable
    crs: object | None = None  # the CRS of the shapes as :meth:`prepared` gives them
    crs_read: object | None = None  # … and as read, once chosen (differs when ``shifted``)
    shifted: str | None = None  # GCJ-02/BD-09 degrees to convert

    def prepared(self, geoms: np.ndarray, first: int = 0) -> tuple[np.ndarray, dict]:
        """
        Shapes as read made what the read with shapes makes them: converted when ``shifted``,
        repaired (:func:`_clean_shapes`, rows counted from ``first``). Row by row: any rows alike.
        """
        if self.shifted is not None and not (shapely.is_missing(geoms) | shapely.is_empty(geoms)).all():
            part = gpd.GeoDataFrame(geometry=gpd.GeoSeries(geoms, crs=self.crs_read))
            geoms = np.asarray(to_cgcs2000(part, system=self.shifted).geometry.array, dtype=object)
        return _clean_shapes(np.array(geoms, dtype=object, copy=True), first)

    @classmethod
    def of(cls, wkb, crs=None) -> _Shapes:
        """From WKB values (a pyarrow array or an array of bytes), row for row."""
        import pyarrow as pa

        arr = wkb if isinstance(wkb, pa.Array | pa.ChunkedArray) else pa.array(np.asarray(wkb, dtype=object),
                                                                               type=pa.binary())
        return cls([arr.slice(i, SHAPE_CHUNK_ROWS) for i in range(0, len(arr), SHAPE_CHUNK_ROWS)], crs)

    @classmethod
    def shed(cls, frame: gpd.GeoDataFrame) -> tuple[pd.DataFrame, _Shapes]:
        """``frame``'s attributes, and its shapes as WKB."""
        wkb = shapely.to_wkb(np.asarray(frame.geometry.array, dtype=object))
        return pd.DataFrame(frame.drop(columns=frame.geometry.name)), cls.of(wkb, frame.crs)

    def slices(self):
        """``(first row, shapes)`` slice by slice."""
        start = 0
        for chunk in self.chunks() if callable(self.chunks) else self.chunks:
            yield start, shapely.from_wkb(chunk.to_numpy(zero_copy_only=False))
            start += len(chunk)

    def bounds(self) -> tuple[float, float, float, float]:
        """The box of every shape present (NaN when none), as ``GeoSeries.total_bounds``."""
        def box(b: np.ndarray) -> tuple[float, ...]:  # NaN ignored, as nanmin/nanmax (without their warnings)
            if not len(b):
                return (np.nan,) * 4
            return (np.fmin.reduce(b[:, 0]), np.fmin.reduce(b[:, 1]), np.fmax.reduce(b[:, 2]), np.fmax.reduce(b[:, 3]))

        whole = box(np.array([box(shapely.bounds(g)) for _, g in self.slices()], dtype=float).reshape(-1, 4))
        return tuple(float(v) for v in whole)


def release_memory() -> None:
    """
    Give back to the system what a big read or analysis freed: Arrow's pool keeps freed pages
    for the next allocation, and so does the C heap (``malloc_trim``, where the C library is glibc).
    Called between the steps of a shapeless read and by the CLI's table exports.
    """
    import ctypes
    import gc

    gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except ImportError:
        pass
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _choose_layer(path_for_gdal: str, layer: str | None, source: str, problems: list[Problem]) -> str | None:
    layers = [str(name) for name in pyogrio.list_layers(path_for_gdal)[:, 0]]
    if layer is not None:
        if layer not in layers:
            raise DataError("layer_not_found", source=source, layer=layer, layers=layers)
        return layer
    if len(layers) <= 1:
        return layers[0] if layers else None
    chosen = "parcels" if "parcels" in layers else layers[0]
    problems.append(
        Problem(None, None, "layer_chosen", {"count": len(layers), "layers": layers, "chosen": chosen}, "info")
    )
    return chosen


def _zip_data_members(members: list[str]) -> list[str]:
    """A zip's members without macOS resource forks."""
    return [m for m in members if not m.startswith("__MACOSX") and not Path(m).name.startswith("._")]


def _zip_shapefiles(members: list[str]) -> list[str]:
    return [m for m in _zip_data_members(members) if m.lower().endswith(".shp")]


def _field_table(zf: zipfile.ZipFile, members: list[str]) -> dict[str, str]:
    """Short DBF name → full column name, from our export's ``字段对照表.csv`` (first two columns)."""
    for m in _zip_data_members(members):
        if Path(m).suffix.lower() == ".csv" and Path(m).stem in FIELD_TABLE_NAMES:
            data = zf.read(m)
            text, _enc = _decode_text(data, None, source=m)
            table = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False)
            if table.shape[1] < 2:
                return {}
            short = table.iloc[:, 0].str.strip()
            full = table.iloc[:, 1].str.strip()
            keep = (short != "") & (full != "")
            return dict(zip(short[keep], full[keep], strict=True))
    return {}


def _read_vector(path: Path, *, encoding: str | None, layer: str | None, source: str,
                 members: list[str] | None = None, shapeless: bool = False) -> _Raw:
    problems: list[Problem] = []
    shapes = None
    notes: list[dict] = []
    ext = path.suffix.lower()
    kwargs: dict = {}
    dbf_names = False
    field_table: dict[str, str] = {}
    if ext == ".zip":
        members = _zip_data_members(members if members is not None else check_zip(path, source=source))
        by_lower = {m.lower(): m for m in members}
        shps = _zip_shapefiles(members)
        if not shps:
            dbfs = [m for m in members if m.lower().endswith(".dbf")]
            others = [m for m in members if Path(m).suffix.lower() in _ZIP_VECTOR_MEMBERS and
                      Path(m).stem not in FIELD_TABLE_NAMES]
            gdb = any(".gdb/" in m.lower() for m in members)
            if dbfs and not others and not gdb:
                raise DataError("zip_shapefile_incomplete", source=source, shapefile=Path(dbfs[0]).stem,
                                missing=[".shp", ".shx"])
            if not others and not gdb:
                raise DataError("zip_no_data", source=source, members=[Path(m).name for m in members[:10]])
            gdal_path = f"/vsizip/{path.resolve()}"
        else:
            if layer is not None:
                match = [m for m in shps if Path(m).stem == layer]
                if not match:
                    stems = [Path(m).stem for m in shps]
                    raise DataError("zip_shapefile_not_found", source=source, layer=layer, shapefiles=stems)
                shp = match[0]
            else:
                pick = [m for m in shps if Path(m).stem == "parcels"]
                shp = pick[0] if pick else shps[0]
                if len(shps) > 1:
                    problems.append(
                        Problem(
                            None,
                            None,
                            "zip_shapefile_chosen",
                            {"count": len(shps), "shapefiles": [Path(m).stem for m in shps], "chosen": Path(shp).stem},
                            "info",
                        )
                    )
            stem = shp[:-4]
            missing = [e for e in (".shx", ".dbf") if stem.lower() + e not in by_lower]
            if missing:
                raise DataError("zip_shapefile_incomplete", source=source, shapefile=Path(stem).name, missing=missing)
            with zipfile.ZipFile(path) as zf:
                cpg_name = by_lower.get(stem.lower() + ".cpg")
                dbf_name = by_lower.get(stem.lower() + ".dbf")
                cpg = zf.read(cpg_name) if cpg_name else None
                dbf = zf.read(dbf_name) if dbf_name else None
                field_table = _field_table(zf, members)
            enc, note = _shapefile_encoding(cpg, dbf, encoding)
            kwargs["encoding"] = enc
            notes.append(note)
            gdal_path = f"/vsizip/{path.resolve()}/{shp}"
            layer = None
            dbf_names = True
    elif ext == ".shp":
        missing = [e for e in (".shx", ".dbf") if _find_sidecar(path, e) is None]
        if missing:
            raise DataError("zip_shapefile_incomplete", source=source, shapefile=path.stem, missing=missing)
        cpg_path = _find_sidecar(path, ".cpg")
        dbf_path = _find_sidecar(path, ".dbf")
        enc, note = _shapefile_encoding(
            cpg_path.read_bytes() if cpg_path else None, dbf_path.read_bytes() if dbf_path else None, encoding
        )
        kwargs["encoding"] = enc
        notes.append(note)
        gdal_path = str(path)
        dbf_names = True
    else:
        gdal_path = str(path)
        if encoding:
            kwargs["encoding"] = encoding
    if ext != ".shp" and not (ext == ".zip" and dbf_names):
        layer = _choose_layer(gdal_path, layer, source, problems)
    try:
        try:
            if shapeless and ext not in (".dxf", ".kml"):
                # The attributes as read_dataframe gives them; the shapes as WKB, none made.
                frame = pyogrio.read_dataframe(gdal_path, layer=layer, read_geometry=False, **kwargs)
                meta, _, wkb, _ = pyogrio.raw.read(gdal_path, layer=layer, columns=[], **kwargs)
                if wkb is not None:
                    shapes = _Shapes.of(wkb, None if meta.get("crs") is None else pyproj.CRS.from_user_input(meta["crs"]))
            else:
                frame = pyogrio.read_dataframe(gdal_path, layer=layer, **kwargs)
        except UnicodeDecodeError:
            if not dbf_names:
                raise
            # GDAL cuts DBF field names at 10 bytes, even inside a UTF-8 character.
            frame = _read_trimmed_names(_shapefile_parts(path, gdal_path), kwargs.get("encoding"))
            problems.append(Problem(None, None, "dbf_names_trimmed", {}, "info"))
    except UnicodeDecodeError as exc:
        raise DataError(
            "encoding_wrong", source=source, encoding=kwargs.get("encoding") or "UTF-8", detail=str(exc)
        ) from exc
    except LookupError as exc:
        raise DataError(
            "encoding_unknown", source=source, encoding=kwargs.get("encoding"), detail=str(exc)
        ) from exc
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(_unreadable_code(ext), source=source, detail=str(exc)) from exc
    if field_table:
        renames = {c: field_table[c] for c in frame.columns if c in field_table and field_table[c] not in frame.columns}
        frame = frame.rename(columns=renames)
        if renames:
            notes.append({"code": "field_table_restored", "count": len(renames)})
    raw_refusal = None
    crs_declared = True
    if ext == ".dxf":
        frame, raw_refusal = _dxf_frame(frame)
        notes.append({"code": "dxf_no_attributes"})
    elif ext == ".kml":
        crs_declared = False  # KML is WGS84 by definition: AMap/DataV exports are GCJ-02 all the same
        frame = _kml_attributes(path, frame, notes)
        # LIBKML's own fields (timestamp, tessellate …) say nothing about a parcel: dropped when empty.
        empty = [c for c in _KML_STYLE_FIELDS if c in frame.columns and vocab.is_blank(frame[c]).all()]
        frame = frame.drop(columns=[*empty, *(c for c in _KML_DEFAULT_FIELDS if c in frame.columns)])
    if shapes is not None:
        return _Raw(pd.DataFrame(frame), shapes.crs, notes, problems, dbf_names, crs_declared=crs_declared,
                    refusal=raw_refusal, shapes=shapes)
    if not isinstance(frame, gpd.GeoDataFrame) or not _has_geometry(frame):
        return _Raw(pd.DataFrame(frame), None, notes, problems, dbf_names, refusal=raw_refusal)
    return _Raw(frame, frame.crs, notes, problems, dbf_names, crs_declared=crs_declared, refusal=raw_refusal)


def _dxf_frame(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, dict]:
    """A DXF's entities: layer and handle kept as attributes, closed polylines as polygons."""
    keep = [c for c in ("Layer", "EntityHandle") if c in frame.columns]
    out = frame[[*keep, frame.geometry.name]].rename(columns={"Layer": "dxf_layer", "EntityHandle": "dxf_handle"})
    geoms = np.array(out.geometry.array, dtype=object)
    is_line = shapely.get_type_id(geoms) == shapely.GeometryType.LINESTRING
    closed = np.zeros(len(geoms), dtype=bool)
    closed[is_line] = shapely.is_closed(geoms[is_line]) & (shapely.get_num_coordinates(geoms[is_line]) >= 4)
    if closed.any():
        coords, owner = shapely.get_coordinates(geoms[closed], return_index=True)
        rings = shapely.linearrings(coords, indices=owner)
        geoms[np.flatnonzero(closed)] = shapely.polygons(rings)
        out[out.geometry.name] = gpd.GeoSeries(geoms, index=out.index, crs=frame.crs)
    return out, {"code": "refuse_no_attributes"}


#: Fields LIBKML adds to every KML layer: dropped when empty; the display defaults always.
_KML_STYLE_FIELDS = ("id", "Name", "description", "timestamp", "begin", "end", "icon", "snippet")
_KML_DEFAULT_FIELDS = ("altitudeMode", "tessellate", "extrude", "visibility", "drawOrder")
#: Attribute names LIBKML writes for names it cannot hold (Chinese → ``____``).
_LOST_NAME = re.compile(r"^_+\d*$")


def _kml_attributes(path: Path, frame: gpd.GeoDataFrame, notes: list[dict]) -> gpd.GeoDataFrame:
    """
    Attributes of a KML's placemarks read from their ExtendedData by name, in place of the
    ``____`` columns GDAL's LIBKML driver makes of Chinese names (when placemarks and rows match).
    """
    lost = [c for c in frame.columns if _LOST_NAME.match(str(c))]
    if not lost:
        return frame
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()
    placemarks = root.findall(".//{*}Placemark")
    if len(placemarks) != len(frame):
        return frame
    records = []
    for pm in placemarks:
        rec = {}
        for sd in pm.iterfind(".//{*}SimpleData"):
            rec[sd.get("name")] = (sd.text or "").strip()
        for d in pm.iterfind(".//{*}Data"):
            value = d.find("{*}value")
            rec[d.get("name")] = (value.text or "").strip() if value is not None else ""
        records.append(rec)
    attrs = pd.DataFrame.from_records(records, index=frame.index)
    attrs = attrs[[c for c in attrs.columns if c and c not in frame.columns]]
    if attrs.empty:
        return frame
    notes.append({"code": "kml_attributes", "count": attrs.shape[1]})
    out = pd.concat([frame.drop(columns=lost), attrs], axis=1)
    return gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=frame.crs)


_GEOJSON_TYPES = {
    "FeatureCollection", "Feature", "Topology", "GeometryCollection", "Point", "MultiPoint",
    "LineString", "MultiLineString", "Polygon", "MultiPolygon",
}


def _read_json(path: Path, *, layer: str | None, source: str) -> _Raw | None:
    """
    A JSON file checked here before GDAL sees it: its nesting (Python's parser refuses deep
    nesting with ``RecursionError``, refused as ``json_too_deep``), GeoJSON or not, a bare
    array of features (DataV/AMap) read as a collection. None: hand the file to GDAL as it is.
    """
    if path.stat().st_size > MAX_JSON_CHECK_BYTES:
        return None
    data = path.read_bytes()
    try:
        obj = json.loads(data)
    except RecursionError:
        raise DataError("json_too_deep", source=source) from None
    except (ValueError, UnicodeDecodeError) as exc:
        try:  # a GBK GeoJSON from an old desktop tool
            obj = json.loads(data.decode("gb18030"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise DataError("json_unreadable", source=source, detail=_detail(exc)) from None
    notes: list[dict] = []
    if isinstance(obj, dict) and obj.get("type") in _GEOJSON_TYPES:
        raw = _read_vector(path, encoding=None, layer=layer, source=source)
        raw.crs_declared = "crs" in obj
        return raw
    if isinstance(obj, dict) and isinstance(obj.get("features"), list) and (
        "geometryType" in obj or "spatialReference" in obj
    ):
        return _read_vector(path, encoding=None, layer=layer, source=source)  # Esri JSON
    features = obj.get("features") if isinstance(obj, dict) and "type" not in obj else obj
    if not (isinstance(features, list) and features and all(isinstance(f, dict) for f in features)
            and all(isinstance(f.get("geometry"), dict | None) and "geometry" in f for f in features)):
        raise DataError("json_not_geojson", source=source)
    fc = {
        "type": "FeatureCollection",
        "features": [
            f if f.get("type") == "Feature"
            else {"type": "Feature", "properties": {k: v for k, v in f.items() if k != "geometry"},
                  "geometry": f["geometry"]}
            for f in features
        ],
    }
    notes.append({"code": "geojson_feature_array"})
    frame = pyogrio.read_dataframe(_io.BytesIO(json.dumps(fc, ensure_ascii=False).encode("utf-8")))
    return _Raw(frame, frame.crs, notes, [], crs_declared=False)


def _shapefile_parts(path: Path, gdal_path: str) -> dict[str, bytes]:
    """Bytes of every file of one shapefile (same stem), from a folder or a zip."""
    if path.suffix.lower() == ".zip":
        member = gdal_path.split(str(path.resolve()) + "/", 1)[1]
        stem = member[:-4]
        with zipfile.ZipFile(path) as zf:
            return {
                Path(m).name: zf.read(m)
                for m in zf.namelist()
                if m[: len(stem)] == stem and m[len(stem) :].count(".") == 1 and m[len(stem)] == "."
            }
    return {part.name: part.read_bytes() for part in path.parent.glob(path.stem + ".*")}


def _trim_dbf_names(dbf: bytes, encoding: str) -> bytes:
    """Drop the dangling bytes of field names cut mid-character, in a copy of the DBF header."""
    out = bytearray(dbf)
    header_len = int.from_bytes(dbf[8:10], "little")
    pos = 32
    while pos + 32 <= header_len and dbf[pos] != 0x0D:
        name = bytes(out[pos : pos + 11]).split(b"\x00", 1)[0]
        fixed = name.decode(encoding, errors="ignore").encode(encoding)[:10]
        out[pos : pos + 11] = fixed.ljust(11, b"\x00")
        pos += 32
    return bytes(out)


def _read_trimmed_names(parts: dict[str, bytes], encoding: str | None) -> pd.DataFrame:
    enc = encoding or "UTF-8"
    with tempfile.TemporaryDirectory() as tmp:
        shp = None
        for name, data in parts.items():
            if name.lower().endswith(".dbf"):
                data = _trim_dbf_names(data, enc)
            (Path(tmp) / name).write_bytes(data)
            if name.lower().endswith(".shp"):
                shp = Path(tmp) / name
        return pyogrio.read_dataframe(shp, encoding=enc)


#: The Parquet metadata key that marks a workspace's own parcel file (``geo.workspace.write_stored``)
#: and says what it holds beside the parcels' own columns (JSON).
WORKSPACE_METADATA_KEY = "gxland_workspace"


def workspace_metadata(path) -> dict | None:
    """The :data:`WORKSPACE_METADATA_KEY` entry of a Parquet file's footer, or None (another file)."""
    import pyarrow.parquet as pq

    try:
        raw = (pq.read_metadata(path).metadata or {}).get(WORKSPACE_METADATA_KEY.encode())
        found = json.loads(raw) if raw else None
    except Exception:  # not Parquet, damaged, or not ours: read as any file
        return None
    return found if isinstance(found, dict) else None


def _read_parquet_shapeless(path: Path) -> _Raw | None:
    """
    A GeoParquet file with one WKB geometry column, read without making shapes: the attributes
    as ``geopandas.read_parquet`` gives them, the shapes as WKB. None: read it whole.
    """
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    schema = pf.schema_arrow
    try:
        geo = json.loads((schema.metadata or {})[b"geo"])
        columns = geo["columns"]
        primary = geo["primary_column"]
        if len(columns) != 1 or primary not in columns or primary not in schema.names \
                or columns[primary].get("encoding") != "WKB" or "covering" in columns[primary]:
            return None
        from geopandas.io.arrow import _arrow_to_geopandas

        crs = _arrow_to_geopandas(schema.empty_table(), geo).crs  # the CRS exactly as geopandas reads it
        index = json.loads((schema.metadata or {}).get(b"pandas", b"{}")).get("index_columns", [])
    except (KeyError, TypeError, ValueError, ImportError):
        return None
    if any(not isinstance(i, dict) for i in index):
        return None  # an index kept as a column: read it whole, as geopandas does
    # Column by column: each is converted while the others wait on disk (a whole table's read holds
    # every column twice, in Arrow and in pandas, at once); the same values and dtypes.
    parts = [pf.read(columns=[c]).to_pandas() for c in schema.names if c != primary]
    frame = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=pd.RangeIndex(pf.metadata.num_rows))
    del parts

    def wkb():  # read again on each pass over the shapes: the attributes' steps run without them in memory
        return (b.column(0) for b in pq.ParquetFile(path).iter_batches(batch_size=SHAPE_CHUNK_ROWS, columns=[primary]))

    shapes = _Shapes(wkb, crs)
    stored = workspace_metadata(path)
    if stored is not None:
        frame = frame.drop(columns=[c for c in stored.get("derived", ()) if c in frame.columns])
    return _Raw(frame, crs, [], [], shapes=shapes)


def _read_parquet(path: Path, *, source: str, shapeless: bool = False) -> _Raw:
    if shapeless and (raw := _read_parquet_shapeless(path)) is not None:
        return raw
    try:
        frame = gpd.read_parquet(path)
    except ValueError:
        # Plain Parquet (no GeoParquet metadata): an attribute table, maybe with WKT/WKB.
        return _table_geometry(pd.read_parquet(path), source=source)
    stored = workspace_metadata(path)
    if stored is not None:
        # A workspace's own file: the columns it computed at install are derived again by whoever
        # needs them (read as any file, it reads as the parcels that were installed).
        frame = frame.drop(columns=[c for c in stored.get("derived", ()) if c in frame.columns])
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
    return _Raw(frame, frame.crs, [], [])


#: Rows of a sheet looked at for the header (title rows and a cover above it are common).
HEADER_SEARCH_ROWS = 20


def _row_hits(row, lookup: dict[str, str]) -> int:
    return sum(_norm_header(v) in lookup for v in row if isinstance(v, str))


def _find_header_rows(raw: pd.DataFrame, lookup: dict[str, str]) -> tuple[int, int]:
    """
    ``(first, last)`` rows of the header: the row of the first :data:`HEADER_SEARCH_ROWS`
    naming the most known columns (≥ 2; else row 0), joined with the row below or above when
    the header is two rows deep (merged cells: a group name over its columns, or a name
    spanning both rows).
    """
    n = min(HEADER_SEARCH_ROWS, len(raw))
    hits = [_row_hits(raw.iloc[i].tolist(), lookup) for i in range(n)]
    if not hits or max(hits) < 2:
        return 0, 0
    b = int(np.argmax(hits))

    def known(v) -> bool:
        return isinstance(v, str) and _norm_header(v) in lookup

    def blank(v) -> bool:
        return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())

    row = raw.iloc[b].tolist()
    if b + 1 < len(raw):
        below = raw.iloc[b + 1].tolist()
        below_known = [j for j, v in enumerate(below) if known(v)]
        if below_known and not any(known(row[j]) for j in below_known):
            return b, b + 1
    if b >= 1:
        above = raw.iloc[b - 1].tolist()
        filled = [j for j, v in enumerate(row) if blank(v) and known(above[j])]
        if filled:
            return b - 1, b
    return b, b


def _header_names(raw: pd.DataFrame, first: int, last: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for j in range(raw.shape[1]):
        name = None
        for i in range(last, first - 1, -1):  # the lower row names the column; the upper fills gaps
            v = raw.iat[i, j]
            if (isinstance(v, str) and v.strip()) or (v is not None and not isinstance(v, str) and pd.notna(v)):
                name = str(v).strip()
                break
        name = name or f"column_{j + 1}"
        base, k = name, 2
        while name in seen:
            name, k = f"{base}_{k}", k + 1
        seen.add(name)
        names.append(name)
    return names


def _decode_text(data: bytes, encoding: str | None, *, source: str) -> tuple[str, str]:
    """
    Text of a CSV: the given encoding, else a BOM's (UTF-16; a UTF-8 BOM even before GBK
    text, as some tools write it), else UTF-8, else GB18030 (⊃ GBK).
    """
    if encoding:
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        try:
            return body.decode(encoding), encoding
        except LookupError as exc:
            raise DataError("encoding_unknown", source=source, encoding=encoding, detail=str(exc)) from None
        except UnicodeDecodeError as exc:
            raise DataError("encoding_wrong", source=source, encoding=encoding, detail=str(exc)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise DataError("csv_encoding_unknown", source=source, detail=str(exc)) from None
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    for enc, shown in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return body.decode(enc), shown
        except UnicodeDecodeError:
            continue
    raise DataError("csv_encoding_unknown", source=source)


def _delimiter(text: str) -> str:
    """The delimiter of a CSV's header line: the most frequent of comma, tab, semicolon, pipe."""
    line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {code: line.count(ch.replace("\\t", "\t")) for code, ch in CSV_DELIMITERS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] else "comma"


def _read_csv(path: Path, *, encoding: str | None, source: str) -> tuple[pd.DataFrame, list[dict]]:
    text, shown = _decode_text(path.read_bytes(), encoding, source=source)
    notes = [{"code": "csv_encoding", "encoding": shown}]
    code = _delimiter(text)
    if code != "comma":
        notes.append({"code": "csv_delimiter", "delimiter": code})
    sep = CSV_DELIMITERS[code].replace("\\t", "\t")
    try:
        frame = pd.read_csv(_io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise DataError("table_no_rows", source=source) from None
    except (pd.errors.ParserError, ValueError) as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:  # the file's line → the data row (header not counted), as problems count rows
            raise DataError("csv_ragged", source=source, row=int(m.group(2)) - 1, expected=int(m.group(1)),
                            found=int(m.group(3))) from None
        raise DataError("csv_unreadable", source=source, detail=_detail(exc)) from None
    return frame, notes


def _read_workbook(path: Path, *, layer: str | None, columns, source: str) -> tuple[pd.DataFrame, list[dict]]:
    import openpyxl

    lookup = _header_lookup(columns)
    notes: list[dict] = []
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise DataError("workbook_unreadable", source=source, detail=_detail(exc)) from None
    try:
        sheets = list(wb.sheetnames)
        if layer is not None:
            if layer not in sheets:
                raise DataError("sheet_not_found", source=source, sheet=layer, layers=sheets)
            chosen = layer
        else:
            chosen = sheets[0] if sheets else None
            # A cover or notes sheet often comes first: take the first sheet that holds a header.
            for name in sheets:
                if not hasattr(wb[name], "iter_rows"):  # a chart sheet
                    continue
                rows = list(wb[name].iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True))
                if any(_row_hits(r, lookup) >= 2 for r in rows):
                    chosen = name
                    break
    finally:
        wb.close()
    if chosen is None:
        raise DataError("workbook_unreadable", source=source)
    if layer is None and chosen != sheets[0]:
        notes.append({"code": "sheet_chosen", "sheet": chosen, "sheets": sheets})
    raw = pd.read_excel(path, sheet_name=chosen, header=None, dtype=object)
    if raw.empty:
        raise DataError("table_no_rows", source=source)
    first, last = _find_header_rows(raw, lookup)
    names = _header_names(raw, first, last)
    frame = raw.iloc[last + 1 :].reset_index(drop=True)
    frame.columns = names
    if last > first:
        notes.append({"code": "header_rows_merged", "row": first + 1, "last": last + 1})
    elif first:
        notes.append({"code": "header_row", "row": first + 1})
    return frame, notes


def _read_table(path: Path, *, encoding: str | None, layer: str | None, columns, source: str) -> _Raw:
    if path.suffix.lower() == ".csv":
        frame, notes = _read_csv(path, encoding=encoding, source=source)
    else:
        frame, notes = _read_workbook(path, layer=layer, columns=columns, source=source)
    return _table_geometry(_trim_blank_tail(frame), source=source, notes=notes)


def _trim_blank_tail(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop blank rows at the end only (spreadsheets carry formatted empty rows); inner rows keep their numbers."""
    if frame.empty:
        return frame
    text = frame.astype(str)
    blank = frame.isna() | pd.DataFrame({c: text[c].str.strip().eq("") for c in text.columns})
    filled = ~blank.all(axis=1)
    last = np.flatnonzero(filled.to_numpy())
    return frame.iloc[: (last[-1] + 1 if last.size else 0)].reset_index(drop=True)


def _table_geometry(frame: pd.DataFrame, *, source: str, notes: list[dict] | None = None) -> _Raw:
    """Turn a WKT (or WKB) geometry column of a table into geometry, reporting unreadable cells."""
    notes = notes or []
    problems: list[Problem] = []
    frame = frame.reset_index(drop=True)
    col = next((c for c in frame.columns if str(c).strip().casefold() in WKT_HEADERS), None)
    if col is None:
        return _Raw(frame, None, notes, problems)
    values = frame[col]
    first = values.dropna()
    if len(first) and isinstance(first.iloc[0], bytes | bytearray):
        geoms = shapely.from_wkb(values.to_numpy(), on_invalid="ignore")
    else:
        text, blank = _as_text(values)
        cells = text.to_numpy(dtype=object)
        cells[blank] = None  # ``Series.where(…, None)`` gives NaN, which from_wkt refuses
        geoms = shapely.from_wkt(cells, on_invalid="ignore")
        bad = ~blank & shapely.is_missing(geoms)
        problems += _problems_at(np.flatnonzero(bad), "geometry", "wkt_unreadable", None, "error")
    gdf = gpd.GeoDataFrame(
        frame.drop(columns=[col]), geometry=gpd.GeoSeries(geoms, index=frame.index), crs=None
    )
    return _Raw(gdf, None, notes, problems)


def _read_raw(path: Path, *, encoding, layer, columns, source: str, shapeless: bool = False) -> _Raw:
    """The file as read; ``shapeless``: its shapes as WKB in ``shapes`` (``frame`` a plain table)."""
    ext = path.suffix.lower()
    if ext == ".xls":
        raise DataError("xls_unsupported", source=source)
    known = (*VECTOR_EXTENSIONS, *PARQUET_EXTENSIONS, *TABLE_EXTENSIONS, *TXT_EXTENSIONS)
    if ext not in known and not path.is_dir():
        raise DataError("unknown_file_type", source=source, ext=ext, extensions=list(known))
    sniffed = _sniff(path, source)
    raw = None
    if ext in PARQUET_EXTENSIONS:
        raw = _read_parquet(path, source=source, shapeless=shapeless)
    elif ext in TABLE_EXTENSIONS:
        raw = _read_table(path, encoding=encoding, layer=layer, columns=columns, source=source)
    elif ext in (".json", ".geojson"):
        raw = _read_json(path, layer=layer, source=source)
    elif ext in TXT_EXTENSIONS:  # 坐标 TXT (《勘测定界界址点坐标交换格式》): geo.txt reads it
        from geo import txt

        raw = _Raw(*txt.for_io(path, source=source))
    if raw is None:
        raw = _read_vector(path, encoding=encoding, layer=layer, source=source, members=sniffed.members,
                           shapeless=shapeless)
    raw.frame = raw.frame.reset_index(drop=True)
    if shapeless and raw.shapes is None and _has_geometry(raw.frame):
        raw.frame, raw.shapes = _Shapes.shed(raw.frame)
    return raw



# --------------------------------------------------------------------------- CRS and geometry


def _user_crs(crs, source: str):
    try:
        return crs_from_user(crs)
    except pyproj.exceptions.CRSError as exc:
        raise DataError("crs_invalid", source=source, given=str(crs), detail=str(exc)) from exc


def _resolve_crs(
    gdf: gpd.GeoDataFrame, file_crs, crs, *, source: str
) -> tuple[gpd.GeoDataFrame, dict, list[Problem]]:
    geoms = gdf.geometry
    present = ~(geoms.isna() | geoms.is_empty)
    bounds = tuple(geoms[present].total_bounds) if present.any() else (np.nan,) * 4
    chosen, note, problems = _choose_crs(bounds, file_crs, crs, source=source)
    return gdf.set_crs(chosen, allow_override=True), note, problems


def _choose_crs(bounds, file_crs, crs, *, source: str) -> tuple[object, dict, list[Problem]]:
    """The CRS of shapes within ``bounds``: the file's, the user's, or inferred; a note and problems."""
    problems: list[Problem] = []
    if file_crs is not None:
        file_crs = gpd.GeoSeries([], crs=file_crs).crs
        # Degrees, or degrees with the axes swapped (flagged by row later, not a wrong CRS).
        degrees_ok = np.all(np.isfinite(bounds)) and (
            -180 <= bounds[0] and bounds[2] <= 180 and -180 <= bounds[1] and bounds[3] <= 180
        )
        if file_crs.is_geographic and np.all(np.isfinite(bounds)) and not degrees_ok:
            # GeoJSON without a "crs" member is read as EPSG:4326 whatever its numbers say.
            problems.append(
                Problem(
                    None,
                    "geometry",
                    "crs_not_degrees",
                    {"crs": file_crs.to_string(), "x": float(bounds[0]), "y": float(bounds[1])},
                    "warning",
                )
            )
            file_crs = None
    if file_crs is not None:
        note = {"code": "crs_from_file", "crs": file_crs.to_string()}
        if crs is not None and _user_crs(crs, source) != file_crs:
            problems.append(
                Problem(None, None, "crs_file_wins", {"crs": file_crs.to_string(), "given": str(crs)}, "info")
            )
        return file_crs, note, problems
    if crs is not None:
        user = _user_crs(crs, source)
        return user, {"code": "crs_given", "crs": user.to_string()}, problems
    epsg, basis = infer_crs_from_coords(bounds)
    if epsg is None:
        # Northings first (Y, X) fit where eastings first do not: the CRS is inferred from the
        # swapped axes and every row is flagged ``axes_swapped`` (geo.io._placement_problems).
        swapped, _ = infer_crs_from_coords((bounds[1], bounds[0], bounds[3], bounds[2]))
        if swapped is None:
            raise DataError("crs_missing", source=source, basis=basis)
        epsg = swapped
    problems.append(Problem(None, "geometry", "crs_inferred", {"epsg": epsg, "basis": basis}, "warning"))
    return epsg, {"code": "crs_inferred", "epsg": epsg, "basis": basis}, problems


_GEOS_REASON = re.compile(r"^(?P<name>[^\[]+?)\s*(?:\[(?P<x>[-+\d.eE]+)\s+(?P<y>[-+\d.eE]+)\])?$")


def _defect_args(reasons: np.ndarray) -> list[dict]:
    """GEOS validity reasons (``Self-intersection[108.3 22.8]``) → ``{"defect": code, "x", "y"}``."""
    out = []
    for reason in reasons:
        m = _GEOS_REASON.match(str(reason).strip())
        name = m.group("name") if m else ""
        args = {"defect": GEOMETRY_DEFECTS.get(name, "other")}
        if m and m.group("x") is not None:
            args.update(x=round(float(m.group("x")), 6), y=round(float(m.group("y")), 6))
        out.append(args)
    return out


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep the polygonal parts of each geometry (make_valid can return collections)."""
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    coll = np.flatnonzero(types == shapely.GeometryType.GEOMETRYCOLLECTION)
    if coll.size:
        parts, idx = shapely.get_parts(geoms[coll], return_index=True)
        # Collections can nest MultiPolygons: flatten one more level.
        parts2, idx2 = shapely.get_parts(parts, return_index=True)
        owner = idx[idx2]
        keep = shapely.get_type_id(parts2) == shapely.GeometryType.POLYGON
        merged = np.full(coll.size, None, dtype=object)
        if keep.any():
            polys = shapely.multipolygons(parts2[keep], indices=owner[keep])
            got = np.unique(owner[keep])
            merged[got] = polys
        out[coll] = merged
    return out


def _clean_geometry(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    geoms, found = _clean_shapes(np.array(gdf.geometry.array, dtype=object, copy=True))
    out = gdf.copy(deep=False)
    out[out.geometry.name] = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    return out, _clean_problems(found)


#: What :func:`_clean_shapes` found, by kind: rows (0-based) and, for invalid shapes, each one's
#: defect (``defects``) and whether it could not be repaired (``lost``).
_CLEAN_KINDS = ("invalid", "defects", "lost", "coll", "missing", "not_poly")


def _clean_shapes(geoms: np.ndarray, first: int = 0) -> tuple[np.ndarray, dict]:
    """
    ``geoms`` with Z dropped, invalid shapes repaired and collections cut to their polygons, and
    what was found (rows counted from ``first``): row for row, so slices give the whole's answer.
    """
    found: dict = {"z": bool(shapely.has_z(geoms).any())}
    if found["z"]:
        geoms = shapely.force_2d(geoms)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    types = shapely.get_type_id(geoms)
    polygonal = np.isin(types, [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])
    not_poly = ~missing & ~polygonal & (types != shapely.GeometryType.GEOMETRYCOLLECTION)
    valid = shapely.is_valid(geoms)
    invalid = np.flatnonzero(~missing & ~valid)
    defects, lost = np.empty(0, dtype=object), np.zeros(0, dtype=bool)
    if invalid.size:
        reasons = shapely.is_valid_reason(geoms[invalid])
        fixed = _polygonal(shapely.make_valid(geoms[invalid]))
        geoms[invalid] = fixed
        lost = (
            shapely.is_missing(fixed)
            | shapely.is_empty(fixed)
            | ~np.isin(
                shapely.get_type_id(fixed), [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON]
            )
        )
        defects = np.array(_defect_args(reasons), dtype=object)
    coll = np.flatnonzero(~missing & (types == shapely.GeometryType.GEOMETRYCOLLECTION) & valid)
    if coll.size:
        geoms[coll] = _polygonal(geoms[coll])
    found.update(invalid=invalid + first, defects=defects, lost=lost, coll=coll + first,
                 missing=np.flatnonzero(missing) + first, not_poly=np.flatnonzero(not_poly) + first)
    return geoms, found


def _clean_found(parts: list[dict]) -> dict:
    """What :func:`_clean_shapes` found in slices, as found in the whole."""
    out: dict = {"z": any(p["z"] for p in parts)}
    for kind in _CLEAN_KINDS:
        arrays = [p[kind] for p in parts]
        out[kind] = np.concatenate(arrays) if arrays else np.empty(0, dtype=bool if kind == "lost" else object)
    return out


def _clean_problems(found: dict) -> list[Problem]:
    problems: list[Problem] = []
    if found["z"]:
        problems.append(Problem(None, "geometry", "geometry_z_dropped", {}, "info"))
    invalid, lost, defects = found["invalid"], found["lost"].astype(bool), found["defects"]
    if invalid.size:
        problems += _problems_at(invalid[~lost], "geometry", "geometry_repaired", list(defects[~lost]), "warning")
        problems += _problems_at(invalid[lost], "geometry", "geometry_unrepairable", list(defects[lost]), "error")
    problems += _problems_at(found["coll"], "geometry", "geometry_collection", None, "warning")
    problems += _problems_at(found["missing"], "geometry", "geometry_missing", None, "error")
    problems += _problems_at(found["not_poly"], "geometry", "geometry_not_polygon", None, "error")
    return problems


# --------------------------------------------------------------------------- parks


def assign_parks(parcels: gpd.GeoDataFrame, parks: gpd.GeoDataFrame) -> pd.Series:
    """
    Park of each parcel by spatial join: the park it overlaps most.

    A parcel whose representative point lies in its only candidate park is
    assigned at once; others compare overlap areas, measured in the parcels'
    CRS (only compared parcel by parcel, so degrees do no harm). Parcels that
    share no area with any park get NA.

    Parameters
    ----------
    parcels
        Parcels with a CRS.
    parks
        Parks with ``park_id`` and a CRS.

    Returns
    -------
    park_id
        ``str`` aligned to ``parcels.index``; NA outside every park.
    """
    if parcels.crs is None or parks.crs is None:
        raise DataError("assign_parks_no_crs")
    if "park_id" not in parks.columns:
        raise DataError("assign_parks_no_park_id")
    out = pd.Series(np.nan, index=parcels.index, dtype="str", name="park_id")
    if parcels.empty or parks.empty:
        return out
    left = np.asarray(parcels.geometry.array, dtype=object)
    right = np.asarray(parks.geometry.to_crs(parcels.crs).array, dtype=object)
    park_ids = parks["park_id"].astype("str").to_numpy()
    tree = shapely.STRtree(right)
    li, ri = tree.query(left, predicate="intersects")
    if li.size == 0:
        return out
    n_cand = np.bincount(li, minlength=len(left))
    rep = shapely.point_on_surface(left[li])
    rep_in = shapely.contains_xy(right[ri], shapely.get_x(rep), shapely.get_y(rep))
    quick = (n_cand[li] == 1) & rep_in
    winner = np.full(len(left), -1)
    winner[li[quick]] = ri[quick]
    slow = ~quick
    if slow.any():
        ls, rs = li[slow], ri[slow]
        overlap = shapely.area(shapely.intersection(left[ls], right[rs]))
        pairs = pd.DataFrame({"l": ls, "r": rs, "a": overlap})
        # Slivers from reprojection or digitising (< 1e-6 of the parcel) are no overlap.
        pairs = pairs[pairs["a"] > MIN_OVERLAP_SHARE * shapely.area(left[ls])]
        pairs = pairs.sort_values(["l", "a"], ascending=[True, False], kind="stable")
        best = pairs.drop_duplicates("l")
        winner[best["l"].to_numpy()] = best["r"].to_numpy()
    has = winner >= 0
    values = np.full(len(left), np.nan, dtype=object)
    values[has] = park_ids[winner[has]]
    return pd.Series(values, index=parcels.index, dtype="str", name="park_id")


def _assign_shapes(shapes: _Shapes, todo: pd.Series, parks: gpd.GeoDataFrame) -> pd.Series:
    """:func:`assign_parks` for the rows ``todo`` of a shapeless read, slice by slice (each parcel on its own)."""
    wanted = todo.to_numpy()
    found = []
    for start, geoms in shapes.slices():
        rows = np.flatnonzero(wanted[start:start + len(geoms)])
        if rows.size:
            made, _ = shapes.prepared(geoms[rows])
            part = gpd.GeoDataFrame(geometry=gpd.GeoSeries(made, index=todo.index[start + rows], crs=shapes.crs))
            found.append(assign_parks(part, parks))
    return pd.concat(found) if found else pd.Series(np.nan, index=todo.index[wanted], dtype="str", name="park_id")


def _park_problems(
    gdf: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, shapes: _Shapes | None = None,
    measured: _Measured | None = None,
) -> tuple[gpd.GeoDataFrame, list[Problem], int]:
    """``gdf`` with ``park_id`` resolved or assigned by location (``shapes``: a shapeless read's)."""
    problems: list[Problem] = []
    gdf = gdf.copy(deep=False)
    if "park_id" in gdf.columns:
        # Users write the park's name (南宁高新区, 南宁国家高新技术产业开发区 …) where its id belongs.
        raw = gdf["park_id"]
        if "park_unresolved" in gdf.columns:
            # A saved workspace keeps the names no park matched: read them again.
            raw = raw.where(~vocab.is_blank(raw), gdf["park_unresolved"])
        given, unresolved = vocab.resolve_parks(raw, parks)
        # Unresolved: kept under no park, with the text as written (reachable with the
        # parcels outside every park), and not re-assigned by location.
        gdf["park_unresolved"] = raw.where(unresolved.to_numpy()).astype("str")
        if unresolved.any():
            pos = np.flatnonzero(unresolved.to_numpy())
            values = raw.iloc[pos[:MAX_PROBLEMS_PER_CHECK]].astype(str).str.strip().tolist()
            problems += _problems_at(
                pos, "park_id", "park_unresolved", [{"value": v} for v in values], "warning"
            )
        else:
            gdf = gdf.drop(columns="park_unresolved")
        todo = given.isna() & ~unresolved
    else:
        given = pd.Series(np.nan, index=gdf.index, dtype="str")
        todo = pd.Series(True, index=gdf.index)
    if shapes is not None:
        has_geom = pd.Series(measured.present, index=gdf.index)
    else:
        has_geom = ~(gdf.geometry.isna() | gdf.geometry.is_empty)
    todo = todo & has_geom
    if todo.any():
        found = _assign_shapes(shapes, todo, parks) if shapes is not None else assign_parks(gdf.loc[todo], parks)
        given = given.copy()
        given.loc[todo] = found
        n_assigned = int(found.notna().sum())
        n_todo = int(todo.sum())
        problems.append(
            Problem(
                None,
                "park_id",
                "park_assigned_by_location",
                {"assigned": n_assigned, "todo": n_todo, "outside": n_todo - n_assigned},
                "info",
            )
        )
    gdf["park_id"] = given.astype("str")
    outside = np.flatnonzero((todo & gdf["park_id"].isna()).to_numpy())
    problems += _problems_at(outside, "park_id", "outside_parks", None, "warning")
    return gdf, problems, int(outside.size)


# --------------------------------------------------------------------------- public readers


def ensure_columns(df: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """
    Add absent columns as typed empty values (schema kinds; unknown names as object).

    Returns
    -------
    df
        A copy with every name in ``names`` present; existing columns untouched.
    """
    kinds = {c.name: c.kind for c in (*PARK_COLUMNS, *READ_PARCEL_COLUMNS)}
    out = df.copy()
    for name in names:
        if name in out.columns:
            continue
        dtype = _DTYPE_BY_KIND.get(kinds.get(name, ""), "object")
        out[name] = pd.Series(index=out.index, dtype=dtype)
    return out


#: A unit in a header's brackets (``出让金额(元)``) → the unit code of :data:`UNIT_FACTORS`.
HEADER_UNITS = {
    "元": "yuan", "万元": "wan", "平方米": "m2", "㎡": "m2", "m2": "m2", "m²": "m2",
    "亩": "mu", "公顷": "ha", "ha": "ha", "hm2": "ha", "hm²": "ha",
}
_HEADER_UNIT = re.compile(r"^(?P<name>.+?)[(（](?P<unit>[^()（）]+)[)）]$")


def _column_unit(name: str) -> str | None:
    """The canonical unit of a column (``…_m2`` → ``m2``, ``…_wan`` → ``wan``), or None."""
    for unit in UNIT_FACTORS:
        if name.endswith("_" + unit):
            return unit
    return None


def _apply_mapping(
    frame: pd.DataFrame, mapping: dict[str, str] | None, columns: tuple[Column, ...], source: str
) -> tuple[pd.DataFrame, dict[str, str], list[dict]]:
    """
    The user's mapping (file header → canonical name) applied first, then headers that
    name an alias with a unit in brackets (``出让金额(元)``): renamed, their unit returned.
    """
    names = {c.name for c in columns}
    lookup = _header_lookup(columns)
    geom = frame.geometry.name if _has_geometry(frame) else None
    notes: list[dict] = []
    renames: dict[str, str] = {}
    header_units: dict[str, str] = {}
    if mapping:
        by_norm = {_norm_header(c): c for c in frame.columns if c != geom}
        for header, target in mapping.items():
            if target not in names:
                raise DataError("mapping_unknown_column", source=source, header=str(header), column=str(target))
            found = header if header in frame.columns else by_norm.get(_norm_header(header))
            if found is not None and found != geom:
                renames[found] = target
        if renames:
            notes.append({"code": "columns_mapped", "count": len(renames)})
    for col in frame.columns:
        if col == geom or col in renames or _norm_header(col) in lookup:
            continue
        m = _HEADER_UNIT.match(unicodedata.normalize("NFKC", str(col)).strip())
        if not m:
            continue
        target = lookup.get(_norm_header(m.group("name")))
        unit = HEADER_UNITS.get(m.group("unit").strip().casefold())
        if target is None or unit is None or target in renames.values():
            continue
        canonical = _column_unit(target)
        if canonical is None or unit not in UNIT_FACTORS[canonical]:
            continue
        renames[col] = target
        header_units[target] = unit
    # A column already named as a mapped target gives way: kept under a name of its own.
    clash = {c: f"{c}_2" for c in frame.columns if c in set(renames.values()) and c not in renames}
    frame = frame.rename(columns={**clash, **renames})
    return frame, header_units, notes


def _convert_units(
    frame: pd.DataFrame, units: dict[str, str], header_units: dict[str, str], source: str
) -> tuple[pd.DataFrame, list[dict]]:
    """Values of ambiguous unit columns converted to the canonical unit; one note per column."""
    notes: list[dict] = []
    chosen = {**header_units, **(units or {})}
    for col, unit in chosen.items():
        canonical = _column_unit(col)
        if canonical is None or unit not in UNIT_FACTORS[canonical]:
            raise DataError("unit_unknown", source=source, column=col, unit=str(unit))
        if col not in frame.columns or unit == canonical:
            continue
        frame[col] = frame[col] * UNIT_FACTORS[canonical][unit]
        notes.append({"code": "unit_converted", "column": col, "unit": unit})
    return frame, notes


@dataclass
class _Read:
    gdf: gpd.GeoDataFrame
    problems: list[Problem]
    notes: list[dict]
    source: str
    refusal: dict | None
    unmapped: list[str]
    file_columns: list[str]
    shapes: _Shapes | None = None  # a shapeless read: its shapes (cleaned), as WKB
    measured: _Measured | None = None  # … and what was measured on them


def _load(path, *, columns, crs, encoding, layer, mapping=None, units=None, shifted=None,
          shapeless: bool = False) -> _Read:
    p = Path(path)
    source = p.name
    if not p.exists():
        raise DataError("file_not_found", source=source)
    if shifted is not None and shifted not in SHIFTED_SYSTEMS:
        raise DataError("shifted_unknown", source=source, given=str(shifted))
    raw = _read_raw(p, encoding=encoding, layer=layer, columns=columns, source=source, shapeless=shapeless)
    if shapeless:
        release_memory()  # a big read's scratch: given back before the columns are typed
    if len(raw.frame) == 0:
        raise DataError("table_no_rows", source=source)
    problems = list(raw.problems)
    extra_notes: list[dict] = []
    file_columns = [str(c) for c in raw.frame.columns if not (_has_geometry(raw.frame) and c == raw.frame.geometry.name)]
    if looks_like_datav(file_columns):
        extra_notes.append({"code": "datav_boundary"})
    frame, header_units, mapped_notes = _apply_mapping(raw.frame, mapping, columns, source)
    raw.frame = None  # the file's columns go on in ``frame`` only: each step's replaced column is let go
    extra_notes += mapped_notes
    frame, renamed = _rename_aliases(frame, columns, dbf_names=raw.dbf_names)
    problems += renamed
    names = {c.name for c in columns}
    geom = frame.geometry.name if _has_geometry(frame) else None
    unmapped = [str(c) for c in frame.columns if c not in names and c != geom]
    frame, coerced = _coerce(frame, columns, own=True)  # ``frame`` is this read's own (raw.frame let go)
    problems += coerced
    frame, unit_notes = _convert_units(frame, units or {}, header_units, source)
    extra_notes += unit_notes
    frame, coded = _map_codes(frame)
    problems += coded
    shapes = measured = None
    if _has_geometry(frame):
        gdf = gpd.GeoDataFrame(frame, geometry=frame.geometry.name)
        gdf, crs_note, crs_problems = _resolve_crs(gdf, raw.file_crs, crs, source=source)
        problems += crs_problems
        in_degrees = gdf.crs is not None and gdf.crs.is_geographic
        undeclared = not raw.crs_declared or crs_note["code"] == "crs_inferred"
        if shifted is not None:
            if not in_degrees:
                raise DataError("shifted_not_degrees", source=source, system=shifted)
            try:
                gdf = to_cgcs2000(gdf, system=shifted)
            except ValueError:
                raise DataError("shifted_not_degrees", source=source, system=shifted) from None
            extra_notes.append({"code": "shifted_converted", "system": shifted})
        elif in_degrees and undeclared:
            extra_notes.append({"code": "maybe_shifted"})
        gdf, geom_problems = _clean_geometry(gdf)
        problems += geom_problems
    elif raw.shapes is not None:
        gdf = frame
        release_memory()  # the raw columns replaced by typed ones
        shapes, measured, crs_note, shape_problems, shape_notes = _load_shapes(
            raw, crs, shifted=shifted, source=source)
        problems += shape_problems
        extra_notes += shape_notes
    else:
        gdf = gpd.GeoDataFrame(frame)
        crs_note = {"code": "attribute_table"}
    if unmapped:
        extra_notes.append({"code": "unmapped_columns", "count": len(unmapped), "headers": unmapped[:20]})
    return _Read(gdf, problems, [crs_note, *raw.notes, *extra_notes], source, raw.refusal, unmapped, file_columns,
                 shapes, measured)


def _load_shapes(raw: _Raw, crs, *, shifted, source: str) -> tuple:
    """
    A shapeless read's shapes taken through what :func:`_load` does to a geometry column — the CRS
    chosen, GCJ-02/BD-09 converted, repaired — slice by slice, measured on the way.

    Returns
    -------
    shapes, measured, crs_note, problems, notes
    """
    problems: list[Problem] = []
    notes: list[dict] = []
    bounds = raw.shapes.bounds()
    chosen, crs_note, crs_problems = _choose_crs(bounds, raw.file_crs, crs, source=source)
    problems += crs_problems
    crs_now = pyproj.CRS.from_user_input(chosen)
    in_degrees = crs_now.is_geographic
    undeclared = not raw.crs_declared or crs_note["code"] == "crs_inferred"
    if shifted is not None:
        if not in_degrees:
            raise DataError("shifted_not_degrees", source=source, system=shifted)
        try:  # the same check as the whole file's: its box lies in China
            to_cgcs2000(gpd.GeoDataFrame(geometry=[shapely.box(*bounds)], crs=crs_now), system=shifted)
        except ValueError:
            raise DataError("shifted_not_degrees", source=source, system=shifted) from None
        notes.append({"code": "shifted_converted", "system": shifted})
    elif in_degrees and undeclared:
        notes.append({"code": "maybe_shifted"})
    shapes = raw.shapes
    shapes.crs_read, shapes.shifted = crs_now, shifted
    shapes.crs = pyproj.CRS.from_user_input(GEOGRAPHIC_EPSG) if shifted is not None else crs_now
    found, present, cx, cy, area = [], [], [], [], []
    for start, geoms in shapes.slices():
        geoms, got = shapes.prepared(geoms, start)
        found.append(got)
        has, x, y = _Measured.parts(geoms)
        present.append(has)
        cx.append(x)
        cy.append(y)
        area.append(area_m2(gpd.GeoSeries(geoms, crs=shapes.crs)).to_numpy())
    del geoms
    release_memory()
    problems += _clean_problems(_clean_found(found))

    def joined(parts, dtype):
        return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)

    measured = _Measured(shapes.crs, joined(present, bool), joined(cx, float), joined(cy, float), joined(area, float))
    return shapes, measured, crs_note, problems, notes


def _guarded(read, source: str, ext: str):
    """Run a reader; a library's failure on a hostile file becomes one :class:`DataError`."""
    try:
        return read()
    except DataError:
        raise
    except RecursionError:
        raise DataError("json_too_deep" if ext in (".json", ".geojson") else _unreadable_code(ext),
                        source=source) from None
    except (MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # never a traceback for a user's file; the detail goes to the log
        log.warning("reading %s failed", source, exc_info=True)
        raise DataError(_unreadable_code(ext), source=source, detail=_detail(exc)) from None


def _refusal(read: _Read) -> dict | None:
    """Why the file cannot be installed as the workspace's parcels, or None."""
    if read.refusal is not None:
        return read.refusal
    lost = [c for c in read.file_columns if _LOST_NAME.match(c) or not c.strip()]
    if lost and "parcel_id" not in read.gdf.columns:
        return {"code": "refuse_names_lost", "headers": lost[:10]}
    if not _has_geometry(read.gdf) and read.shapes is None:
        return {"code": "refuse_no_geometry"}
    if "parcel_id" not in read.gdf.columns or read.gdf["parcel_id"].isna().all():
        return {"code": "refuse_no_parcel_id"}
    return None


def _today_beijing() -> pd.Timestamp:
    return pd.Timestamp(_dt.datetime.now(_dt.UTC) + _dt.timedelta(hours=8)).tz_localize(None).normalize()


def _implausible(gdf: gpd.GeoDataFrame, as_of, measured: _Measured | None = None) -> list[Problem]:
    """
    Values that cannot be right, flagged by row (kept as read, except non-finite numbers,
    which become empty): negative areas and money, NaN/Infinity, FAR above
    :data:`MAX_PLAUSIBLE_FAR`, event dates after ``as_of``, geometries outside Guangxi,
    axes swapped, degrees in a file declared metric (from ``measured``: a shapeless read's
    shapes, measured as they were read; otherwise ``gdf``'s geometry).
    """
    problems: list[Problem] = []
    kinds = {c.name: c.kind for c in READ_PARCEL_COLUMNS}
    for col in gdf.columns:
        if kinds.get(col) != "float":
            continue
        values = gdf[col].to_numpy(dtype=float, na_value=np.nan)
        inf = np.isinf(values)
        if inf.any():
            pos = np.flatnonzero(inf)
            problems += _problems_at(pos, col, "value_not_finite", [{"value": str(v)} for v in values[pos]], "error")
            gdf[col] = gdf[col].where(~inf)
            values = np.where(inf, np.nan, values)
        if _column_unit(col) is not None or col in ("energy_tce", "emission_t", "employees"):
            neg = np.flatnonzero(values < 0)
            problems += _problems_at(neg, col, "value_negative", [{"value": float(values[i])} for i in neg], "error")
    if "declared_far" in gdf.columns:
        far = gdf["declared_far"].to_numpy(dtype=float, na_value=np.nan)
        hi = np.flatnonzero(far > MAX_PLAUSIBLE_FAR)
        problems += _problems_at(hi, "declared_far", "far_implausible",
                                 [{"value": float(far[i]), "limit": MAX_PLAUSIBLE_FAR} for i in hi], "warning")
    as_of = _today_beijing() if as_of is None else pd.Timestamp(as_of).normalize()
    for col in EVENT_DATE_COLUMNS:
        if col in gdf.columns and pd.api.types.is_datetime64_any_dtype(gdf[col]):
            late = np.flatnonzero((gdf[col] > as_of).to_numpy())
            shown = gdf[col].iloc[late[:MAX_PROBLEMS_PER_CHECK]]
            day = as_of.date().isoformat()
            problems += _problems_at(late, col, "date_after_as_of",
                                     [{"value": v.date().isoformat(), "as_of": day} for v in shown], "warning")
    if measured is None and _has_geometry(gdf) and gdf.crs is not None:
        measured = _Measured.of(gdf)
    if measured is not None and measured.crs is not None and len(gdf):
        placement = _placement_at(measured)
        problems += placement
        if "floor_area_m2" in gdf.columns:
            # Floor area over the parcel's own area; rows placed wrongly measure nothing sensible.
            misplaced = {p.row - 1 for p in placement if p.row is not None}
            with np.errstate(divide="ignore", invalid="ignore"):
                far = gdf["floor_area_m2"].to_numpy(dtype=float, na_value=np.nan) / measured.area_m2()
            hi = np.array([i for i in np.flatnonzero(far > MAX_PLAUSIBLE_FAR) if i not in misplaced], dtype=int)
            problems += _problems_at(hi, "floor_area_m2", "far_implausible",
                                     [{"value": round(float(far[i]), 2), "limit": MAX_PLAUSIBLE_FAR} for i in hi],
                                     "warning")
    return problems


def _in_guangxi(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    w, s, e, n = GUANGXI_BOUNDS
    return (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)


@dataclass
class _Measured:
    """
    What the checks and the analyses take from the shapes, row for row: present (not missing, not
    empty), the centre of each present shape's box, and the area (``geo.crs.area_m2``; measured
    from ``gdf`` when first asked where not given).
    """

    crs: object | None
    present: np.ndarray
    cx: np.ndarray  # one per present shape
    cy: np.ndarray
    area: np.ndarray | None = None
    gdf: gpd.GeoDataFrame | None = None

    @staticmethod
    def parts(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        b = shapely.bounds(geoms[present])
        return present, (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2

    @classmethod
    def of(cls, gdf: gpd.GeoDataFrame) -> _Measured:
        present, cx, cy = cls.parts(np.asarray(gdf.geometry.array, dtype=object))
        return cls(gdf.crs, present, cx, cy, gdf=gdf)

    def area_m2(self) -> np.ndarray:
        if self.area is None:
            self.area = area_m2(self.gdf).to_numpy()
        return self.area


def _placement_problems(gdf: gpd.GeoDataFrame) -> list[Problem]:
    return _placement_at(_Measured.of(gdf))


def _placement_at(measured: _Measured) -> list[Problem]:
    if not measured.present.any():
        return []
    x, y = measured.cx, measured.cy
    pos = np.flatnonzero(measured.present)
    crs = measured.crs
    if crs.is_geographic:
        lon, lat = x, y
        slon, slat = y, x
        looks_degrees = np.zeros(len(x), dtype=bool)
    else:
        tr = pyproj.Transformer.from_crs(crs, GEOGRAPHIC_EPSG, always_xy=True)
        with np.errstate(all="ignore"):
            lon, lat = tr.transform(x, y, errcheck=False)
            slon, slat = tr.transform(y, x, errcheck=False)
        looks_degrees = (np.abs(x) <= 180) & (np.abs(y) <= 90)
    inside = _in_guangxi(np.asarray(lon), np.asarray(lat))
    swapped = ~inside & ~looks_degrees & _in_guangxi(np.asarray(slon), np.asarray(slat))
    if crs.is_geographic:
        swapped = ~inside & _in_guangxi(np.asarray(slon), np.asarray(slat))
    outside = ~inside & ~swapped & ~looks_degrees
    out: list[Problem] = []

    def args(mask):
        return [{"x": round(float(x[i]), 6), "y": round(float(y[i]), 6)} for i in np.flatnonzero(mask)]

    out += _problems_at(pos[looks_degrees], "geometry", "degrees_in_metric",
                        [{**a, "crs": crs.to_string()} for a in args(looks_degrees)], "error")
    out += _problems_at(pos[swapped], "geometry", "axes_swapped", args(swapped), "warning")
    out += _problems_at(pos[outside], "geometry", "outside_guangxi", args(outside), "warning")
    return out


def read_parcels(
    path,
    *,
    crs=None,
    encoding: str | None = None,
    layer: str | None = None,
    parks: gpd.GeoDataFrame | None = None,
    columns: dict[str, str] | None = None,
    units: dict[str, str] | None = None,
    shifted: str | None = None,
    as_of=None,
    geometry: bool = True,
) -> Loaded:
    """
    Read a parcel file into canonical columns, reporting every defect.

    Parameters
    ----------
    path
        ``.geojson``/``.json`` (also a bare array of features, as DataV/AMap download),
        ``.gpkg``, ``.zip`` (zipped Shapefile, or a zip holding one GIS file), ``.shp``,
        ``.parquet``/``.geoparquet``, ``.fgb``/``.kml``/``.gml``/``.dxf``, or a
        ``.csv``/``.xlsx`` table with an optional WKT ``geometry`` column
        (attribute-only tables keyed by ``parcel_id`` are accepted).
    crs
        CRS to use when the file has none ('EPSG:4545', 4545, WKT). The file's
        own CRS (``.prj``, embedded) wins.
    encoding
        Shapefile DBF / CSV encoding when the file does not say (a ``.cpg``
        wins); detected (UTF-8, else GBK/GB18030) when omitted.
    layer
        Layer of a GeoPackage, shapefile in a zip (its stem), or sheet of a workbook
        (:func:`list_layers` lists them). Without it: the layer named ``parcels`` or the
        first; in a workbook the first sheet holding a header.
    parks
        Parks (``read_parks``) to assign ``park_id`` where it is absent or empty.
    columns
        The user's mapping, file header → canonical name (:data:`geo.schema.READ_PARCEL_COLUMNS`),
        applied before the aliases and type coercion.
    units
        Units of columns whose header does not say: canonical column → ``"m2"`` | ``"mu"`` |
        ``"ha"`` (``…_m2`` columns) or ``"yuan"`` | ``"wan"`` (``…_wan`` columns); values are
        converted to the column's unit and a ``unit_converted`` note recorded. A unit in the
        header's brackets (``出让金额(元)``) is read the same way.
    shifted
        ``"gcj02"`` or ``"bd09"``: the file's degrees are AMap/DataV or Baidu coordinates;
        converted to CGCS2000 with :mod:`geo.gcj` (note ``shifted_converted``).
    as_of
        Event dates (supply, start, halt, completion) after this date are flagged; default
        today (Beijing time).
    geometry
        False: for a table that needs no shapes (an ``.xlsx``/``.csv`` export). Everything the
        shapes decide is decided as with them — the CRS, repairs, placement, parks by location,
        the same problems and notes — and each parcel's area kept in ``area_m2``; the shapes are
        held as WKB and made a slice at a time (:data:`SHAPE_CHUNK_ROWS`), so a million parcels
        never stand in memory as shapes. ``gdf`` is then a plain table without the geometry column.

    Returns
    -------
    loaded
        ``gdf`` with canonical columns (absent ones stay absent; see
        :func:`ensure_columns`) and a RangeIndex in file order; ``problems``
        with 1-based data rows; ``crs_note`` (items of :data:`NOTE_CODES`) saying how
        the CRS and encoding were chosen; ``summary`` with counts (rows, errors, warnings, duplicates,
        repaired geometries, parcels outside every park); ``installable`` / ``refusal``
        (:data:`REFUSAL_CODES`); ``unmapped_columns``.

    Raises
    ------
    DataError
        Empty, damaged or mislabelled file, unknown format, refused zip, no CRS that can be
        trusted (``code`` and ``params`` say which; see :data:`ERROR_CODES`). No other
        exception escapes for a file's content.
    """
    p = Path(path)

    def run() -> Loaded:
        read = _load(p, columns=READ_PARCEL_COLUMNS, crs=crs, encoding=encoding, layer=layer,
                     mapping=columns, units=units, shifted=shifted, shapeless=not geometry)
        return _finish_parcels(read, parks, as_of)

    return _guarded(run, p.name, p.suffix.lower())


def _finish_parcels(read: _Read, parks, as_of) -> Loaded:
    gdf, problems, notes, source = read.gdf, read.problems, read.notes, read.source
    has_geometry = _has_geometry(gdf) or read.shapes is not None
    n_dup = 0
    if "parcel_id" in gdf.columns:
        ids = gdf["parcel_id"]
        no_id = np.flatnonzero(ids.isna().to_numpy())
        problems += _problems_at(no_id, "parcel_id", "parcel_id_missing", None, "warning")
        dup = ids.notna() & ids.duplicated(keep=False)
        if dup.any():
            pos = np.flatnonzero(dup.to_numpy())
            dup_ids = ids.iloc[pos]
            rows_by_id = pd.Series(pos + 1, index=dup_ids.to_numpy()).groupby(level=0).agg(list)
            args = [
                {"value": v, "count": len(rows_by_id[v]), "dup_rows": [int(r) for r in rows_by_id[v][:MAX_LISTED_ROWS]]}
                for v in dup_ids.iloc[:MAX_PROBLEMS_PER_CHECK]
            ]
            problems += _problems_at(pos, "parcel_id", "parcel_id_duplicate", args, "warning")
            n_dup = int(pos.size)
    elif has_geometry:
        problems.append(Problem(None, "parcel_id", "parcel_id_column_missing", {}, "warning"))
    else:
        raise DataError("attribute_table_no_id", source=source)
    problems += _implausible(gdf, as_of, read.measured)
    outside = None
    if read.shapes is not None:
        release_memory()  # the checks' scratch, before the parks' pass over the shapes
    if parks is not None and has_geometry:
        gdf, park_problems, outside = _park_problems(gdf, parks, read.shapes, read.measured)
        problems += park_problems
    elif "park_id" in gdf.columns and has_geometry:
        outside = int(gdf["park_id"].isna().sum())
    summary = _summary(gdf, problems, None if read.shapes is None else read.shapes.crs)
    unresolved = int(gdf["park_unresolved"].notna().sum()) if "park_unresolved" in gdf.columns else 0
    summary.update({"duplicate_id_rows": n_dup, "outside_parks": outside, "unresolved_parks": unresolved})
    area = None if read.measured is None else pd.Series(read.measured.area, index=gdf.index, name="area_m2")
    present = None if read.measured is None else pd.Series(read.measured.present, index=gdf.index, name="shape_present")
    return Loaded(gdf=gdf, problems=problems, crs_note=notes, source=source, summary=summary,
                  refusal=_refusal(read), unmapped_columns=read.unmapped, area_m2=area, shape_present=present)


def _summary(gdf, problems: list[Problem], shapes_crs=None) -> dict:
    sev = pd.Series([p.severity for p in problems], dtype="str")
    crs = gdf.crs if _has_geometry(gdf) else shapes_crs
    return {
        "rows": len(gdf),
        "errors": int((sev == "error").sum()),
        "warnings": int((sev == "warning").sum()),
        "repaired_geometries": sum(p.code == "geometry_repaired" for p in problems),
        "crs": crs.to_string() if crs is not None else None,
    }


def read_parks(path=DEFAULT_PARKS_PATH, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """
    Read park boundaries and check them against :data:`geo.schema.PARK_COLUMNS`.

    Returns
    -------
    parks
        Canonical park columns (optional ones added empty), ``park_id`` unique,
        geometry repaired if invalid, in the file's CRS.

    Raises
    ------
    DataError
        A required column (``park_id``, ``name_zh``, ``level``) or the geometry
        is missing, or ``park_id`` repeats.
    """
    p = Path(path)
    read = _guarded(lambda: _load(p, columns=PARK_COLUMNS, crs=None, encoding=None, layer=layer),
                    p.name, p.suffix.lower())
    gdf, problems, source = read.gdf, read.problems, read.source
    if not _has_geometry(gdf):
        raise DataError("parks_no_geometry", source=source)
    missing = [c for c in REQUIRED_PARK_COLUMNS if c not in gdf.columns]
    if missing:
        raise DataError("parks_columns_missing", source=source, columns=missing)
    ids = gdf["park_id"]
    if ids.isna().any():
        row = int(np.flatnonzero(ids.isna().to_numpy())[0]) + 1
        raise DataError("parks_id_empty", source=source, row=row)
    if ids.duplicated().any():
        row = int(np.flatnonzero(ids.duplicated().to_numpy())[0]) + 1
        raise DataError("parks_id_repeats", source=source, row=row, value=str(ids.iloc[row - 1]))
    bad = [p for p in problems if p.severity == "error"]
    if bad:
        p = bad[0]
        raise DataError("parks_bad_value", source=source, row=p.row, column=p.column, problem=p.item)
    return ensure_columns(gdf, [c.name for c in PARK_COLUMNS])


# --------------------------------------------------------------------------- writers


def _serialise(value) -> str | None:
    if isinstance(value, list | tuple | set | np.ndarray):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _prepare(df: pd.DataFrame, *, keep_geometry: bool, lists_ok: bool) -> pd.DataFrame:
    if isinstance(df, gpd.GeoDataFrame) and not keep_geometry:
        df = pd.DataFrame(df.drop(columns=[df._geometry_column_name], errors="ignore"))
    out = df.copy()
    geom_name = out.geometry.name if _has_geometry(out) else None
    for col in out.columns:
        if col == geom_name:
            continue
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s) and getattr(s.dt, "tz", None) is not None:
            out[col] = s.dt.tz_localize(None)
        elif s.dtype == object:
            nested = s.map(
                lambda v: isinstance(v, dict | list | tuple | set | np.ndarray), na_action="ignore"
            )
            if nested.eq(True).any():
                if lists_ok:
                    out[col] = s.map(
                        lambda v: (
                            json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, dict) else v
                        ),
                        na_action="ignore",
                    )
                else:
                    out[col] = s.map(_serialise, na_action="ignore")
    return out


def write_table(df: pd.DataFrame, path, *, layer: str = "parcels") -> Path:
    """
    Write a frame by extension, as it is (column names and values unchanged).

    ``.csv`` (UTF-8 with BOM so Excel shows Chinese) and ``.xlsx`` drop geometry;
    ``.geojson`` is written in EPSG:4326; ``.gpkg`` (layer ``layer``) and
    ``.parquet`` keep the CRS. List and dict cells become text where the format
    cannot hold them. Tables for people (labels, headers with units) are written by
    :func:`reports.tables.write`, which calls this for the geographic formats.

    Returns
    -------
    path
        The path written.
    """
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in WRITE_EXTENSIONS:
        raise DataError("write_ext_unsupported", source=p.name, ext=ext, extensions=list(WRITE_EXTENSIONS))
    geo_formats = (".geojson", ".gpkg")
    if ext in geo_formats and not _has_geometry(df):
        raise DataError("write_needs_geometry", source=p.name, ext=ext)
    if ext == ".csv":
        _prepare(df, keep_geometry=False, lists_ok=False).to_csv(
            p, index=False, encoding="utf-8-sig"
        )
    elif ext == ".xlsx":
        out = _prepare(df, keep_geometry=False, lists_ok=False)
        with pd.ExcelWriter(
            p, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD"
        ) as xw:
            out.to_excel(xw, index=False, sheet_name=layer[:31])
            sheet = xw.sheets[layer[:31]]
            for j, col in enumerate(out.columns, start=1):
                width = max([len(str(col)) * 2, *out[col].astype(str).str.len().head(200).tolist(), 8])
                sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width = min(width + 2, 50)
    elif ext == ".geojson":
        out = _prepare(
            to_web(df) if df.crs is not None else df, keep_geometry=True, lists_ok=False
        )
        if out.crs is None:
            raise DataError("write_needs_crs", source=p.name, ext=ext)
        pyogrio.write_dataframe(out, p, driver="GeoJSON")
    elif ext == ".gpkg":
        out = _prepare(df, keep_geometry=True, lists_ok=False)
        if out.crs is None:
            raise DataError("write_needs_crs", source=p.name, ext=ext)
        pyogrio.write_dataframe(out, p, layer=layer, driver="GPKG")
    else:
        out = _prepare(df, keep_geometry=True, lists_ok=True)
        out.to_parquet(p, index=False)
    return p


def _bytes_via(df, suffix: str, **kwargs) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"export{suffix}"
        write_table(df, target, **kwargs)
        return target.read_bytes()


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """A UTF-8 (BOM) CSV (no geometry) as bytes."""
    return _bytes_via(df, ".csv")


def to_gpkg_bytes(gdf: gpd.GeoDataFrame, *, layer: str = "parcels") -> bytes:
    """A GeoPackage as bytes, for download buttons."""
    return _bytes_via(gdf, ".gpkg", layer=layer)
