"""
How numbers, dates and gaps look on screen: one place for the pages' table formats.

``st.dataframe`` shows a missing value as a grey "None" and a float with all its
digits. :func:`styled` wraps a frame in a pandas ``Styler`` whose display values
follow the house rules (亩 1 decimal, 万元 2, rates as %, FAR 2 decimals, dates as
``YYYY-MM-DD``, gaps as "—"); the frame's own values stay numeric, so sorting a
column in the browser still sorts numbers.

Message items of ``geo`` (reasons, notes) are rendered by ``words.render``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

import pandas as pd

import words
from geo.schema import PARCEL_BY_NAME

DASH = "—"

#: Format kinds: how a column's values are written.
FORMATS = {
    "mu": "{:,.1f}",  # 亩
    "ha": "{:,.2f}",
    "m2": "{:,.0f}",
    "wan": "{:,.2f}",  # 万元 and 万元/亩, 万元/公顷
    "far": "{:.2f}",
    "score": "{:.2f}",
    "int": "{:,.0f}",
    "num": "{:,.2f}",
}


def fmt_value(value, kind: str) -> str:
    """One value as text: a key of :data:`FORMATS`, ``pct`` / ``pct2`` (fraction → % with 1 / 2 decimals), ``date``."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return DASH
    if kind == "pct":
        return f"{float(value) * 100:.1f}%"
    if kind == "pct2":
        return f"{float(value) * 100:.2f}%"
    if kind == "date":
        return pd.Timestamp(value).date().isoformat()
    if kind in FORMATS:
        return FORMATS[kind].format(float(value))
    return str(value)


def styled(df: pd.DataFrame, kinds: Mapping[str, str] | None = None):
    """
    ``df`` as a ``Styler`` for ``st.dataframe``: columns formatted by kind, gaps as "—".

    Parameters
    ----------
    df
        The table as shown (display headers already applied).
    kinds
        ``{column: kind}`` (see :func:`fmt_value`); columns not named keep their
        values, with missing ones shown as "—".

    Returns
    -------
    styler
        A ``pandas.io.formats.style.Styler`` over a copy of ``df`` in which the
        columns with gaps are text.
    """
    kinds = {c: k for c, k in (kinds or {}).items() if c in df.columns}
    # st.dataframe draws a missing cell as "None" whatever the Styler says, so a column
    # with gaps is handed over as text; columns without gaps stay numbers (sortable).
    out = df.copy()
    for col in out.columns:
        values = out[col]
        if not values.isna().any():
            continue
        if pd.api.types.is_datetime64_any_dtype(values):
            out[col] = dates_text(values)
        else:
            kind = kinds.get(col, "text")
            out[col] = values.map(lambda v, k=kind: fmt_value(v, k)).astype(object)
    formatters = {c: (lambda v, k=k: fmt_value(v, k)) for c, k in kinds.items() if out[c].dtype != object}
    # pandas gives every Styler a random id, so the same table is a new message on every rerun
    # and Streamlit re-sends it whole; an id from the contents lets an unchanged table go as a
    # reference (a click on the map changes the card, not the lists).
    digest = hashlib.blake2b(repr((list(out.columns), kinds)).encode(), digest_size=8)
    digest.update(pd.util.hash_pandas_object(out.astype(str), index=True).to_numpy().tobytes())
    return out.style.format(formatters, na_rep=DASH).set_uuid(digest.hexdigest())


#: The kinds of :data:`FORMATS` as Streamlit's number formats (printf, "," for thousands: the same text).
PRINTF = {"mu": "%,.1f", "ha": "%,.2f", "m2": "%,.0f", "wan": "%,.2f", "far": "%.2f", "score": "%.2f", "int": "%,.0f",
          "num": "%,.2f"}


def formatted(df: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, dict]:
    """
    :func:`styled`'s table without a ``Styler``: ``(frame, column_config)`` for ``st.dataframe``.

    The same text on screen — columns with gaps as text ("—" for a gap, values by kind), columns
    without gaps as numbers (sortable) written by their kind — but Streamlit writes the numbers in
    the browser from a format (``column_config``) instead of shipping a Styler's text of every
    cell (a Styler costs its import, its rendering and a second table in every message). Kinds
    without a number format (``pct``, ``pct2``, ``date``) are written as text whatever the gaps.

    The numbers are rounded here to the shown decimals first, as :func:`styled` writes them
    (Python's correctly rounded text; a page's tables are paged, so a few hundred values), so the browser's printf — half away from zero at an exact tie — writes the same
    text; the values stay numbers.
    """
    from streamlit import column_config

    kinds = {c: k for c, k in (kinds or {}).items() if c in df.columns}
    out = df.copy()
    config = {}
    for col in out.columns:
        values = out[col]
        kind = kinds.get(col)
        if pd.api.types.is_datetime64_any_dtype(values):
            if values.isna().any():
                out[col] = dates_text(values)
        elif values.isna().any() or (kind is not None and kind not in PRINTF):
            out[col] = values.map(lambda v, k=kind or "text": fmt_value(v, k)).astype(object)
        elif kind is not None and values.dtype != object:
            config[col] = column_config.NumberColumn(format=PRINTF[kind])
            if values.dtype.kind == "f":  # as Python writes it (numpy's round differs: 10.05 → 10.0)
                decimals = int(PRINTF[kind].rsplit(".", 1)[1][:-1])
                out[col] = [float(f"{v:.{decimals}f}") for v in values.to_numpy()]
    return out, config


def dates_text(s: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` text, missing as "—" (for tables whose dates carry a time)."""
    d = pd.to_datetime(s, errors="coerce")
    return d.dt.strftime("%Y-%m-%d").astype(object).where(d.notna(), DASH)


#: How a short table (:func:`table_html`) looks: the theme's text colour, light rules, cells that
#: wrap (a sentence is read whole, not cut at a column's width); numbers right-aligned and the
#: cells of short columns (:data:`SHORT_CELL` characters at most) broken at spaces only ("141.4
#: 万元/亩" is not cut inside the number), by column; a table wider than its column scrolls.
TABLE_CSS = (
    ".gx-table{border-collapse:collapse;width:100%;font-size:0.875rem;line-height:1.45;margin:0 0 0.5rem 0}"
    ".gx-table th,.gx-table td{border:1px solid rgba(128,128,128,0.25);padding:0.25rem 0.5rem;"
    "text-align:left;vertical-align:top;overflow-wrap:break-word}"
    ".gx-table thead th{background:rgba(128,128,128,0.08);font-weight:600;white-space:nowrap}"
    ".gx-table td{font-variant-numeric:tabular-nums}"
)


#: A column whose every cell is this short is broken at spaces only (a number with its unit, a yes/no).
SHORT_CELL = 16
#: A cell that is a number as written by :func:`fmt_value` (or a gap): its column is right-aligned.
_NUMBER_TEXT = re.compile(r"^(?:[-+]?[\d,]+(?:\.\d+)?%?|—)$")


def table_html(df: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> str:
    """
    A short table (a parcel's card, a summary of a few lines) as HTML for ``st.html``.

    ``st.dataframe`` draws a grid on a canvas with its own toolbar, search and sorting: ~80 ms of
    the browser's main thread for a 7-line table on the bench machine (``st.html``: ~5 ms), and a
    sentence in a cell is cut at the column's width. A card's few lines need none of that. Cells
    are written as :func:`styled` writes them (by kind, dates as ``YYYY-MM-DD``, gaps as "—") and
    escaped; the header is the frame's columns; numeric columns are right-aligned.

    Parameters
    ----------
    df
        The table as shown (display headers applied), a few dozen lines at most: every line is sent.
    kinds
        ``{column: kind}`` (see :func:`fmt_value`).

    Returns
    -------
    html
        ``<style>`` and ``<table class="gx-table …">``; the style is scoped to this table.
    """
    kinds = {c: k for c, k in (kinds or {}).items() if c in df.columns}
    text = pd.DataFrame(index=range(len(df)))
    right, short = [], []
    for i, col in enumerate(df.columns):
        values = df[col]
        kind = kinds.get(col)
        if pd.api.types.is_datetime64_any_dtype(values):
            cells = dates_text(values)
        else:
            cells = values.map(lambda v, k=kind or "text": fmt_value(v, k))
        text[i] = cells.astype(str).to_numpy()
        if len(text) and text[i].str.match(_NUMBER_TEXT).all() and not text[i].eq(DASH).all():
            right.append(i + 1)
        if len(text) and text[i].str.len().max() <= SHORT_CELL:
            short.append(i + 1)
    text.columns = [str(c) for c in df.columns]
    digest = hashlib.blake2b(text.to_json(force_ascii=False).encode(), digest_size=6).hexdigest()
    scope = f"gx-t-{digest}"
    css = TABLE_CSS + "".join(f".{scope} td:nth-child({i}){{text-align:right}}" for i in right)
    css += "".join(f".{scope} td:nth-child({i}){{word-break:keep-all}}" for i in short)
    table = text.to_html(index=False, escape=True, border=0, classes=["gx-table", scope], na_rep=DASH,
                         justify="left")
    return f'<style>{css}</style><div style="overflow-x:auto">{table}</div>'


# --------------------------------------------------------------------------- names


def _name(code: str, names: Mapping[str, str], lang: str) -> str:
    """A rule, indicator or column code in words; the code itself when nothing is known."""
    if code in names:
        return names[code]
    col = PARCEL_BY_NAME.get(code)
    if col is not None:
        return col.zh if lang == "zh" else col.en
    return code


# --------------------------------------------------------------------------- reading problems


def problems_display(problems: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """
    ``Loaded.problems_frame()`` (row, column, code, args, severity) as the reader reads it.

    Columns 行号 / 字段 / 问题 / 级别 (Row / Column / Problem / Severity): the row as a
    whole number ("—" for file-level problems), the column's header, the problem's
    sentence from ``words/io.py``, the severity's label. Every cell is text.
    """
    from words.io import problem_text

    n = len(problems)
    rows = problems["row"] if "row" in problems else pd.Series(pd.NA, index=problems.index)
    columns = problems["column"] if "column" in problems else pd.Series(pd.NA, index=problems.index)
    args = problems["args"] if "args" in problems else pd.Series([{}] * n, index=problems.index)
    out = pd.DataFrame(
        {
            words.label("ui", "problem_row", lang): [DASH if pd.isna(r) else str(int(r)) for r in rows],
            words.label("ui", "problem_column", lang): [
                DASH if pd.isna(c) else words.header(str(c), lang) for c in columns
            ],
            words.label("ui", "problem_text", lang): [
                problem_text(c, a if isinstance(a, dict) else {}, lang)
                for c, a in zip(problems["code"], args, strict=True)
            ],
            words.label("ui", "problem_severity", lang): [
                words.label("severity", v, lang) for v in problems["severity"]
            ],
        },
        index=problems.index,
    )
    return out.astype(object)


def crs_note_text(notes, *, lang: str = "zh") -> str:
    """The reader's notes (``Loaded.crs_note``, a list of ``{"code": …}`` items) in words; none → ""."""
    from words.io import notes_text

    return notes_text(notes, lang)
