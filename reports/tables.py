"""
Tables as people read them, and the files they are written to (Excel, CSV, GeoPackage, GeoJSON).

``geo/`` returns frames of codes and numbers under the canonical column names of the
README schema. :func:`present` turns such a frame into what an officer reads: code
columns as labels in the chosen language (``idle_fee`` → 逾期未动工满1年…), message
lists as sentences, booleans as 是/否, dates without a time, decision times in Beijing
time, numbers rounded to what their unit needs, park ids as park names, and one header
row with units. ``codes=True`` is the one door for machines: canonical names and code
values, as ``--codes`` in the CLI.

:func:`write` picks the format by extension (``.xlsx``, ``.csv``, ``.gpkg``, ``.geojson``,
zipped Shapefile ``.zip``, ``.parquet``); :func:`write_shown` / :func:`export_bytes` write a
table already presented (the pages' downloads). Every spreadsheet cell that holds text is
written as text — in Excel an explicit string, in CSV (CRLF rows, cells with line breaks
quoted) with a leading ``'`` when it starts with ``= + - @``, tab or CR — so a holder named
``=HYPERLINK(…)`` stays a name in Excel and WPS (formula injection). ``geometry="wkt"``
keeps the shapes of a table as WKT, which :func:`geo.io.read_parcels` reads back.

:func:`write` streams ``.xlsx``/``.csv``: it presents and writes :data:`EXPORT_CHUNK_ROWS`
rows at a time (each slice read with the whole table's :func:`column_plan`, so the file is the
one an unsliced write gives), and a workbook past Excel's row limit continues on further sheets
(:func:`xlsx_sheet_titles`).
"""

from __future__ import annotations

import io as _io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

import words

BEIJING = "Asia/Shanghai"
#: Columns holding moments (not days): shown in Beijing time, to the minute.
MOMENT_COLUMNS = frozenset({"decided_at", "stage_at", "recorded_at", "at"})
#: Excel's own limit, header row included.
EXCEL_MAX_ROWS = 1_048_576

#: Columns each results table shows by default (the page's list; ``columns=`` adds more).
TABLES: dict[str, tuple[str, ...]] = {
    "idle": (
        "parcel_id", "park_id", "holder", "land_use", "area_mu", "supervision_no", "contract_no", "supply_date",
        "agreed_start_date", "agreed_start_in_force", "extension_doc_no", "actual_start_date", "halted_since",
        "completion_date", "delay_cause", "land_price_wan", "idle_status", "idle_kind", "clock_start", "idle_days",
        "idle_since", "next_threshold_date", "fee_wan", "status_if_holder", "fee_if_holder_wan", "warning",
        "missing_fields", "data_conflicts", "decision", "decided_by", "decided_at", "disposal_stage",
        "disposal_finished",
    ),
    "intensity": (
        "parcel_id", "park_id", "holder", "land_use", "industry_code", "area_mu", "floor_area_m2",
        "far", "far_min", "building_coef", "building_coef_min", "office_share", "office_share_max",
        "green_ratio", "green_ratio_max", "invest_wan_per_mu", "invest_min_wan_per_mu", "checked",
        "inefficient", "inefficiency_reasons", "nonbinding_failures", "skipped_rules", "missing_inputs",
        "far_gap_floor_m2", "freed_land_mu", "tax_wan_per_mu", "output_wan_per_mu", "score",
        "grade_class", "grade_rank", "grade_notes",
    ),
    "grades": (
        "parcel_id", "park_id", "holder", "land_use", "area_mu", "tax_wan_per_mu", "va_wan_per_mu",
        "va_wan_per_tce", "va_wan_per_t_emission", "va_wan_per_employee", "rd_share", "score",
        "grade_class", "grade_rank", "graded_on_tax_only", "grade_notes",
    ),
}

_SHEETS = {"idle": "sheet_idle", "intensity": "sheet_intensity", "grades": "sheet_grades"}

_DECIMALS_BY_SUFFIX = (
    ("_days", 0),
    ("_wan_per_mu", 2),
    ("_wan_per_ha", 2),
    ("_per_employee", 2),
    ("_m2", 2),
    ("_mu", 2),
    ("_ha", 4),
    ("_km2", 4),
    ("_wan", 2),
    ("_tce", 2),
    ("_t", 2),
    ("_share", 4),
    ("_ratio", 4),
    ("_rate", 4),
    ("_frac", 4),
    ("_coef", 4),
)
_DECIMALS_BY_NAME = {"far": 2, "far_min": 2, "score": 2, "employees": 0, "grade_rank": 0, "rank": 0}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def decimals(column: str) -> int | None:
    """How many decimals a number column keeps in exports (None: as computed)."""
    if column in _DECIMALS_BY_NAME:
        return _DECIMALS_BY_NAME[column]
    for suffix, n in _DECIMALS_BY_SUFFIX:
        if column.endswith(suffix) or f"{suffix}_" in column:
            return n
    return None


def park_names(parks: pd.DataFrame | None, lang: str) -> dict[str, str]:
    """park_id → the park's name in ``lang`` (Chinese name when the English one is missing)."""
    if parks is None or "park_id" not in parks:
        return {}
    col = "name_en" if lang == "en" and "name_en" in parks else "name_zh"
    if col not in parks:
        return {}
    names = parks[col].where(parks[col].notna(), parks.get("name_zh", parks[col]))
    return dict(zip(parks["park_id"].astype(str), names.astype(str), strict=False))


#: Row keys the summaries of geo use besides park ids: parcels under no park, and the total.
_NO_PARK_KEYS = ("", "(unknown)")
TOTAL_KEY = "__total__"


def row_names(keys, parks: pd.DataFrame | None, lang: str = "zh") -> list[str]:
    """Summary row keys (park ids, "" / "(unknown)" for no park, ``__total__``) as names."""
    names = park_names(parks, lang)
    out = []
    for key in keys:
        key = "" if key is None or (not isinstance(key, str) and pd.isna(key)) else str(key)
        if key in _NO_PARK_KEYS:
            out.append(words.label("ui", "outside_label", lang))
        elif key == TOTAL_KEY:
            out.append(words.label("ui", "total", lang))
        else:
            out.append(names.get(key) or words.label("park", key, lang))
    return out


def park_overview_display(summary: pd.DataFrame, parks: pd.DataFrame | None, lang: str = "zh") -> pd.DataFrame:
    """
    A per-park summary of geo (:func:`geo.workspace.park_overview`, ``summarize_intensity``,
    ``summarize_grades``) with a ``park_name`` column first: the park's name, 未归属园区 for
    parcels under no park, 合计 for the total.
    """
    return summary.assign(park_name=row_names(summary.index, parks, lang))[["park_name", *summary.columns]]


def _is_messages(s: pd.Series) -> bool:
    first = s.dropna().head(50)
    return bool(len(first)) and first.map(lambda v: isinstance(v, (list, tuple, dict))).all()


def _moments(s: pd.Series) -> pd.Series:
    d = pd.to_datetime(s, errors="coerce", utc=True, format="mixed")
    return d.dt.tz_convert(BEIJING).dt.tz_localize(None)


def _bool_like(s: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(s):
        return True
    vals = s.dropna()
    return bool(len(vals)) and s.dtype == object and vals.map(lambda v: isinstance(v, (bool, np.bool_))).all()


def column_plan(df: pd.DataFrame, *, codes: bool = False) -> dict[str, str]:
    """
    How :func:`present` reads the columns whose reading depends on their values: column →
    ``"messages"`` (lists of message items) or ``"bool"`` (true/false held as objects).

    Decided once on a whole frame, so that every slice of it is presented alike.
    """
    geom = df.geometry.name if isinstance(df, gpd.GeoDataFrame) else None
    plan: dict[str, str] = {}
    for col in df.columns:
        if col == geom or col in MOMENT_COLUMNS:
            continue
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            continue
        if s.dtype == object and _is_messages(s):
            plan[col] = "messages"
        elif codes or col in ("park_id", "data_conflicts", "missing_fields") or words.value_kind(col) is not None:
            continue
        elif _bool_like(s):
            plan[col] = "bool"
    return plan


def select(df: pd.DataFrame, table: str | None, columns: Sequence[str] | str | None = None) -> pd.DataFrame:
    """
    The columns a table shows: its default list (``table``) plus ``columns``; ``"all"``: every column.

    The geometry column, if any, is kept.
    """
    if columns == "all" or (table is None and not columns):
        return df
    wanted = list(TABLES.get(table, ())) if table else []
    wanted += [c for c in (columns or []) if c not in wanted]
    missing = [c for c in (columns or []) if c not in df.columns]
    if missing:
        raise KeyError(words.text("export_unknown_columns", "zh", columns=missing))
    keep = [c for c in wanted if c in df.columns]
    geom = df.geometry.name if isinstance(df, gpd.GeoDataFrame) else None
    if geom and geom not in keep:
        keep.append(geom)
    return df[keep]


def present(
    df: pd.DataFrame,
    *,
    lang: str = "zh",
    codes: bool = False,
    parks: pd.DataFrame | None = None,
    table: str | None = None,
    columns: Sequence[str] | str | None = None,
    keep_dtypes: bool = True,
    geometry: str = "keep",
    plan: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """
    ``df`` as an officer reads it (or, with ``codes``, as a machine does).

    Parameters
    ----------
    df
        Analysis output under canonical names (codes, numbers, message lists).
    lang
        ``"zh"`` (default) or ``"en"``.
    codes
        Canonical names and code values, numbers unrounded; message lists as JSON; dates
        still without a time and moments as ISO with the Beijing offset.
    parks
        The parks table, to show park names instead of ids.
    table, columns
        Which columns (see :func:`select`).
    keep_dtypes
        Keep dates as dates and numbers as numbers (for Excel); else everything is text
        ready for CSV.
    geometry
        ``"keep"`` (default): the geometry column stays as it is; ``"wkt"``: a plain table
        whose last column holds each shape as WKT in the frame's CRS (header ``图形`` /
        ``Geometry``, ``geometry`` with ``codes``), which :func:`geo.io.read_parcels` reads
        back; ``"drop"``: a plain table without it.
    plan
        How object columns are read (:func:`column_plan` of the whole frame): a slice of a
        frame, presented with its whole frame's plan, reads as the same rows of the whole
        frame presented (how :func:`write` streams big tables in slices).

    Returns
    -------
    table
        A new frame.
    """
    df = select(df, table, columns)
    if geometry != "keep" and isinstance(df, gpd.GeoDataFrame):
        df = _geometry_as(df, geometry, lang=lang, codes=codes)
    geom = df.geometry.name if isinstance(df, gpd.GeoDataFrame) else None
    if plan is None:
        plan = column_plan(df, codes=codes)
    out = df.copy()
    names = park_names(parks, lang)
    for col in out.columns:
        if col == geom:
            continue
        s = out[col]
        if col in MOMENT_COLUMNS:
            moments = _moments(s)
            if codes:
                out[col] = moments.dt.strftime("%Y-%m-%dT%H:%M:%S+08:00").astype(object).where(moments.notna())
            elif keep_dtypes:
                out[col] = moments.dt.floor("min")
            else:
                out[col] = moments.dt.strftime("%Y-%m-%d %H:%M").astype(object).where(moments.notna())
            continue
        if pd.api.types.is_datetime64_any_dtype(s):
            if getattr(s.dt, "tz", None) is not None:
                s = s.dt.tz_convert(BEIJING).dt.tz_localize(None)
            out[col] = s.dt.normalize() if keep_dtypes and not codes else s.dt.strftime("%Y-%m-%d").astype(object).where(s.notna())
            continue
        if plan.get(col) == "messages":
            out[col] = (
                s.map(lambda v: json.dumps(v, ensure_ascii=False, default=str), na_action="ignore")
                if codes else words.render_series(s, lang)
            )
            continue
        if codes:
            continue  # machines get the numbers as computed
        if col == "park_id":
            out[col] = s.map(lambda v: names.get(str(v)) or words.label("park", v, lang), na_action="ignore")
        elif col == "data_conflicts":
            out[col] = s.map(
                lambda v: ("；" if lang == "zh" else "; ").join(
                    words.label("idle_conflict", c, lang) for c in str(v).split(",") if c) or None,
                na_action="ignore",
            )
        elif col == "missing_fields":
            out[col] = s.map(
                lambda v: "、".join(words.header(c, lang, unit=False) for c in str(v).split(",") if c)
                if lang == "zh" else ", ".join(words.header(c, lang, unit=False) for c in str(v).split(",") if c),
                na_action="ignore",
            )
        elif (kind := words.value_kind(col)) is not None:
            out[col] = s.map(lambda v, k=kind: words.label(k, v, lang), na_action="ignore")
        elif plan.get(col) == "bool":
            out[col] = s.map(lambda v: words.yes_no(v, lang), na_action="ignore")
        elif pd.api.types.is_float_dtype(s) and (n := decimals(col)) is not None:
            out[col] = s.round(n)
        if not keep_dtypes and out[col].dtype != object:
            out[col] = out[col].astype(object)
        if out[col].dtype == object:
            out[col] = out[col].where(out[col].notna(), None)
    if not codes:
        heads = {c: words.header(c, lang) for c in out.columns if c != geom}
        if "park_id" in heads and names:
            heads["park_id"] = words.header("park_name", lang)
        out = out.rename(columns=heads)
    if geom:
        return gpd.GeoDataFrame(out, geometry=geom, crs=df.crs)
    return out


def _geometry_as(df: gpd.GeoDataFrame, how: str, *, lang: str, codes: bool) -> pd.DataFrame:
    """``df`` without its geometry column (``"drop"``) or with it as a WKT text column (``"wkt"``)."""
    import shapely

    if how not in ("wkt", "drop"):
        raise ValueError(how)
    geom = df.geometry.name
    plain = pd.DataFrame(df.drop(columns=geom))
    if how == "drop":
        return plain
    # Full precision: a round trip keeps the areas; blank where there is no shape.
    wkt = shapely.to_wkt(df.geometry.to_numpy(), rounding_precision=-1)
    long = np.array([w is not None and len(w) > EXCEL_MAX_CELL_CHARS for w in wkt], dtype=bool)
    if long.any():  # past what one Excel cell holds: to a tenth of a millimetre (1e-9 degree)
        digits = 9 if df.crs is not None and df.crs.is_geographic else 4
        wkt[long] = shapely.to_wkt(df.geometry.to_numpy()[long], rounding_precision=digits, trim=True)
    # Named as the reader knows it; :func:`present` gives it the header 图形 / Geometry.
    plain["geometry"] = pd.Series(wkt, index=plain.index, dtype=object).where(~df.geometry.isna().to_numpy(), None)
    return plain


def safe_text(value):
    """A text cell that a spreadsheet would read as a formula, made plain text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def sheet_name(table: str | None, lang: str) -> str:
    """A meaningful sheet name (≤ 31 characters, none of ``[]:*?/\\``)."""
    key = _SHEETS.get(table or "", "sheet_data")
    return re.sub(r"[\[\]:*?/\\]", " ", words.label("ui", key, lang))[:31]


def write_xlsx(sheets: Mapping[str, pd.DataFrame], target) -> list[str]:
    """
    Frames as sheets of one workbook, streamed (openpyxl write-only: memory stays flat).

    Text is written as text, never as a formula; dates as dates (``YYYY-MM-DD``), moments
    to the minute; a sheet past Excel's row limit continues on ``name (2)``, ``name (3)`` ….

    Returns
    -------
    titles
        The sheets written, in order.
    """
    from openpyxl import Workbook

    _check_cell_lengths(sheets.values())
    wb = Workbook(write_only=True)
    titles: list[str] = []
    for name, frame in sheets.items():
        titles += _append_sheets(wb, name, [frame])
    wb.save(target)
    return titles


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns=frame.geometry.name)) if isinstance(frame, gpd.GeoDataFrame) else frame


def xlsx_sheet_titles(name: str, rows: int) -> list[str]:
    """
    The sheets one table of ``rows`` rows fills in a workbook (a header row on each, Excel's
    row limit): ``name``, then ``name (2)``, ``name (3)`` ….
    """
    parts = max(1, -(-int(rows) // (EXCEL_MAX_ROWS - 1)))
    return [_part_title(name, k) for k in range(parts)]


def _part_title(name: str, k: int) -> str:
    return name if k == 0 else f"{name[:26]} ({k + 1})"


def _append_sheets(wb, name: str, chunks: Iterable[pd.DataFrame], *, widths_from: pd.DataFrame | None = None,
                   kinds: Mapping[str, str] | None = None, check: bool = False) -> list[str]:
    """
    One table, given as consecutive slices (``chunks``) of the same columns, as sheets of the
    write-only workbook ``wb``: ``name``, then ``name (2)`` … past Excel's row limit.

    Column widths come from the first 200 rows (``widths_from``, else the first slice); ``kinds``
    fixes a column's cell kind (``"date"``/``"moment"``) decided on the whole table; ``check``
    refuses a slice holding a text longer than a cell holds.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    limit = EXCEL_MAX_ROWS - 1
    titles: list[str] = []
    ws = None
    used = 0
    widths: list[float] = []
    columns: list = []

    def new_sheet():
        title = _part_title(name, len(titles))
        sheet = wb.create_sheet(title=title)
        sheet.freeze_panes = "A2"
        for j, width in enumerate(widths):
            sheet.column_dimensions[_letter(j + 1)].width = width
        head = []
        for col in columns:
            c = WriteOnlyCell(sheet, value=str(col))
            c.data_type = "s"  # a column named "=…" is a name too
            c.font = bold
            head.append(c)
        sheet.append(head)
        titles.append(title)
        return sheet

    for frame in chunks:
        frame = _plain(frame)
        if check:
            _check_cell_lengths([frame])
        if ws is None:
            columns = list(frame.columns)
            first = _plain(widths_from) if widths_from is not None else frame
            for col in columns:
                sample = first[col].head(200).map(lambda v: len(str(v)) if v is not None else 0)
                width = max([len(str(col)) * 2, *(sample.tolist() or [0]), 8])
                widths.append(min(width + 2, 60))
            ws = new_sheet()
        cell_kinds = [(kinds or {}).get(c) or _cell_kind(frame[c]) for c in columns]
        start = 0
        while start < len(frame):
            if used >= limit:
                ws, used = new_sheet(), 0
            take = min(limit - used, len(frame) - start)
            for row in frame.iloc[start:start + take].itertuples(index=False, name=None):
                ws.append([_cell(ws, v, k, WriteOnlyCell) for v, k in zip(row, cell_kinds, strict=True)])
            used += take
            start += take
    return titles


def _check_cell_lengths(frames: Iterable[pd.DataFrame]) -> None:
    """Refuse, before writing anything, a text longer than one Excel cell holds."""
    for frame in frames:
        for col in frame.columns:
            s = frame[col]
            if isinstance(s, pd.DataFrame) or pd.api.types.is_numeric_dtype(s) \
                    or pd.api.types.is_datetime64_any_dtype(s) or s.dtype == "geometry":
                continue
            n = s.dropna().astype(str).str.len().max()
            if pd.notna(n) and n > EXCEL_MAX_CELL_CHARS:
                raise ValueError(words.text("export_cell_too_long", "zh", n=int(n), limit=EXCEL_MAX_CELL_CHARS))


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _cell_kind(s: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(s):
        valid = s.dropna()
        has_time = bool(len(valid)) and bool((valid != valid.dt.normalize()).any())
        return "moment" if has_time else "date"
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return "number"
    return "text"


def _cell(ws, value, kind: str, cell_type):
    if value is None or (not isinstance(value, (list, tuple, dict, str)) and pd.isna(value)):
        return None
    if kind == "number":
        v = value.item() if isinstance(value, np.generic) else value
        return None if isinstance(v, float) and not np.isfinite(v) else v
    if kind in ("date", "moment"):
        c = cell_type(ws, value=pd.Timestamp(value).to_pydatetime())
        c.number_format = "yyyy-mm-dd" if kind == "date" else "yyyy-mm-dd hh:mm"
        return c
    c = cell_type(ws, value=str(value))
    c.data_type = "s"  # never a formula, whatever the text starts with
    return c


#: Download formats: extension → MIME type.
MIME_TYPES: dict[str, str] = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".gpkg": "application/geopackage+sqlite3",
    ".geojson": "application/geo+json",
    ".zip": "application/zip",
    ".parquet": "application/vnd.apache.parquet",
}
#: Excel's limit on the characters of one cell.
EXCEL_MAX_CELL_CHARS = 32_767


def write(
    df: pd.DataFrame,
    path,
    *,
    lang: str = "zh",
    codes: bool = False,
    parks: pd.DataFrame | None = None,
    table: str | None = None,
    columns: Sequence[str] | str | None = None,
    geometry: str | None = None,
) -> Path:
    """
    Write a results table by extension: ``.xlsx``, ``.csv`` (UTF-8 with BOM), ``.geojson``,
    ``.gpkg``, ``.zip`` (zipped Shapefile), ``.parquet`` — presented (:func:`present`)
    unless ``codes`` — or ``.txt`` (坐标 TXT, :func:`geo.txt.write_txt`; header from
    ``df.attrs["txt_header"]``).

    ``geometry="wkt"`` keeps the shapes in ``.xlsx``/``.csv`` as a WKT column (they are
    dropped by default); the geographic formats always keep them.

    Returns
    -------
    path
        The path written.
    """
    p = Path(path)
    ext = p.suffix.lower()
    if ext == ".txt":  # 坐标 TXT: the format's own fields (geo.txt); 用途 in Chinese whatever ``lang``
        from geo.txt import write_txt

        out = df.copy()
        if "land_use" in out.columns:
            out["land_use"] = out["land_use"].map(lambda v: words.label("land_use", v, "zh"), na_action="ignore")
        return write_txt(out, p)
    if ext == ".parquet":
        codes = True  # a machine format: canonical names and codes, lists kept as lists
    if ext in (".xlsx", ".csv"):
        return _write_streamed(df, p, lang=lang, codes=codes, parks=parks, table=table, columns=columns,
                               geometry=geometry or "drop")
    shown = present(df, lang=lang, codes=codes, parks=parks, table=table, columns=columns, geometry="keep")
    return write_shown(shown, p, lang=lang, sheet=sheet_name(table, lang), layer=table or "parcels")


#: Rows presented and written at a time by :func:`write` to ``.xlsx``/``.csv``: the memory an
#: export takes beyond its input stays bounded whatever the number of rows.
EXPORT_CHUNK_ROWS = 20_000


def _write_streamed(df: pd.DataFrame, p: Path, *, lang: str, codes: bool, parks, table, columns,
                    geometry: str) -> Path:
    """
    :func:`write` to ``.xlsx``/``.csv`` in slices of :data:`EXPORT_CHUNK_ROWS` rows: each slice
    presented (with the whole table's :func:`column_plan`), written and let go. The file is
    written beside ``p`` and moved into place when complete: a refusal (a text too long for a
    cell) or a failure leaves no half-written file.
    """
    sel = select(df, table, columns)
    csv = p.suffix.lower() == ".csv"
    kw = dict(lang=lang, codes=codes, parks=parks, keep_dtypes=not csv, geometry=geometry,
              plan=column_plan(sel, codes=codes))
    step = max(1, int(EXPORT_CHUNK_ROWS))

    def chunks():
        for start in range(0, max(len(sel), 1), step):
            yield present(sel.iloc[start:start + step], **kw)

    tmp = p.with_name(f".{p.name}.part")
    try:
        if csv:
            _write_csv(chunks(), tmp)
        else:
            from openpyxl import Workbook

            head = present(sel.iloc[:200], **kw)
            kinds = {}
            if not codes:  # a moment column is to the minute, or a day, on every sheet alike
                plain = [c for c in sel.columns if not (isinstance(sel, gpd.GeoDataFrame) and c == sel.geometry.name)]
                for col, shown_col in zip(plain, head.columns, strict=False):
                    if col in MOMENT_COLUMNS:
                        kinds[shown_col] = _cell_kind(_moments(sel[col]).dt.floor("min"))
            wb = Workbook(write_only=True)
            try:
                _append_sheets(wb, sheet_name(table, lang), chunks(), widths_from=head, kinds=kinds, check=True)
            except BaseException:
                _discard(wb)
                raise
            wb.save(tmp)
        tmp.replace(p)
    finally:
        tmp.unlink(missing_ok=True)
    return p


def _discard(wb) -> None:
    """Close the sheets of a write-only workbook given up half-way and remove their temporary files."""
    import contextlib
    import os

    for ws in wb.worksheets:
        with contextlib.suppress(Exception):
            ws.close()
        with contextlib.suppress(Exception):
            os.remove(ws._writer.out)


def _write_csv(chunks: Iterable[pd.DataFrame], path: Path) -> None:
    """Consecutive slices of one table as one CSV (:func:`csv_bytes`): the BOM and the header once."""
    with open(path, "wb") as f:
        first = True
        for frame in chunks:
            text = csv_safe(frame).to_csv(index=False, header=first, lineterminator="\r\n")
            f.write(text.encode("utf-8-sig" if first else "utf-8"))
            first = False


def write_shown(
    shown: pd.DataFrame,
    path,
    *,
    lang: str = "zh",
    sheet: str | None = None,
    layer: str = "parcels",
    extra_sheets: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """
    Write a table already as people read it (:func:`present`, or a page's own display
    frame) by extension, every spreadsheet cell text-safe.

    ``.xlsx``: sheet ``sheet`` and then ``extra_sheets``; ``.xlsx``/``.csv`` drop a geometry
    column (make it WKT with :func:`present` first to keep it); ``.gpkg``/``.geojson``/``.zip``
    need geometry and a CRS (rows without a shape are kept with none).
    """
    from geo import io

    p = Path(path)
    ext = p.suffix.lower()
    if ext in (".xlsx", ".csv") and isinstance(shown, gpd.GeoDataFrame):
        shown = pd.DataFrame(shown.drop(columns=shown.geometry.name))
    if ext == ".xlsx":
        write_xlsx({(sheet or sheet_name(None, lang)): shown, **(extra_sheets or {})}, p)
    elif ext == ".csv":
        step = max(1, int(EXPORT_CHUNK_ROWS))
        _write_csv((shown.iloc[i:i + step] for i in range(0, max(len(shown), 1), step)), p)
    elif ext in (".zip", ".gpkg", ".geojson"):
        if not isinstance(shown, gpd.GeoDataFrame) or shown.crs is None:
            raise ValueError(words.text("export_needs_geometry", lang, ext=ext))
        if ext == ".zip":
            write_shapefile_zip(shown, p, layer=layer, lang=lang)
        else:
            io.write_table(_text_dates(shown), p, layer=layer)
    else:
        io.write_table(shown, p, layer=layer)
    return p


def export_bytes(shown: pd.DataFrame, ext: str, **kwargs) -> bytes:
    """:func:`write_shown` into memory (downloads): the bytes of the file."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return write_shown(shown, Path(tmp) / f"export{ext}", **kwargs).read_bytes()


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """
    ``frame`` with every text cell (and header) made safe for a spreadsheet (:func:`safe_text`);
    numbers stay numbers.
    """
    out = pd.DataFrame(frame).copy()
    for col in out.columns:
        s = out[col]
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s)) \
                or pd.api.types.is_bool_dtype(s):
            out[col] = s.astype(object).map(safe_text, na_action="ignore")
    return out.rename(columns={c: safe_text(str(c)) for c in out.columns})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV (UTF-8 with BOM so Excel and WPS show Chinese), text cells never formulas."""
    # CRLF rows (RFC 4180): a cell holding a line break (CR or LF) is quoted, so it cannot
    # start a row of its own, whose first cell a spreadsheet could take for a formula.
    return csv_safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _text_dates(shown: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Days as ``YYYY-MM-DD`` text and moments to the minute: GIS formats would add a time of 00:00:00."""
    out = shown.copy()
    for col in out.columns:
        s = out[col]
        if col != out.geometry.name and pd.api.types.is_datetime64_any_dtype(s):
            fmt = "%Y-%m-%d %H:%M" if _cell_kind(s) == "moment" else "%Y-%m-%d"
            out[col] = s.dt.strftime(fmt).astype(object).where(s.notna(), None)
    return out


def short_names(columns: Sequence[str], *, limit_bytes: int = 10) -> dict[str, str]:
    """
    Unique DBF field names of at most ``limit_bytes`` UTF-8 bytes for ``columns``.

    A name is cut on a character boundary; a clash gets a number (``面积_2``).
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in columns:
        cut = ""
        for ch in str(col):
            if len((cut + ch).encode("utf-8")) > limit_bytes:
                break
            cut += ch
        name, n = cut or "F", 1
        while name.casefold() in used:
            n += 1
            tail = f"_{n}"
            base = ""
            for ch in cut:
                if len((base + ch + tail).encode("utf-8")) > limit_bytes:
                    break
                base += ch
            name = base + tail
        used.add(name.casefold())
        out[col] = name
    return out


def write_shapefile_zip(shown: gpd.GeoDataFrame, path: Path, *, layer: str, lang: str = "zh") -> Path:
    """
    A zipped Shapefile (UTF-8 with ``.cpg``) whose field names fit the DBF's 10 bytes, with a
    field table (``字段对照表.csv``) of short name → full header.
    """
    import tempfile
    import zipfile

    import pyogrio

    if not isinstance(shown, gpd.GeoDataFrame) or shown.crs is None:
        raise ValueError(words.text("export_needs_geometry", lang, ext=".zip"))
    shown = _text_dates(shown)
    geom = shown.geometry.name
    attrs = [c for c in shown.columns if c != geom]
    names = short_names(attrs)
    out = shown.rename(columns=names)
    for col in names.values():
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: v if isinstance(v, str) else str(v), na_action="ignore")
    stem = re.sub(r"[^\w\u4e00-\u9fff-]", "_", layer) or "parcels"
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / f"{stem}.shp"
        pyogrio.write_dataframe(out, shp, driver="ESRI Shapefile", encoding="UTF-8")
        mapping = pd.DataFrame({
            words.label("ui", "field_short", lang): list(names.values()),
            words.label("ui", "field_full", lang): list(names.keys()),
        })
        (Path(tmp) / f"{words.label('ui', 'field_table_file', lang)}.csv").write_bytes(csv_bytes(mapping))
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(Path(tmp).iterdir()):
                zf.write(f, f.name)
    return path


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """:func:`write_xlsx` into memory (downloads)."""
    buf = _io.BytesIO()
    write_xlsx(sheets, buf)
    return buf.getvalue()


def table_xlsx_bytes(df: pd.DataFrame, *, lang: str = "zh", parks: pd.DataFrame | None = None,
                     table: str | None = None, columns: Iterable[str] | str | None = None,
                     extra_sheets: Mapping[str, pd.DataFrame] | None = None) -> bytes:
    """One presented results table (plus already-presented extra sheets) as an .xlsx download."""
    shown = present(df, lang=lang, parks=parks, table=table, columns=list(columns) if columns and columns != "all" else columns)
    return xlsx_bytes({sheet_name(table, lang): shown, **(extra_sheets or {})})
