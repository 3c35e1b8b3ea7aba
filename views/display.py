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

import re
from collections.abc import Mapping

import pandas as pd

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
    return out.style.format(formatters, na_rep=DASH)


def dates_text(s: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` text, missing as "—" (for tables whose dates carry a time)."""
    d = pd.to_datetime(s, errors="coerce")
    return d.dt.strftime("%Y-%m-%d").astype(object).where(d.notna(), DASH)


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

_PROBLEM_HEADS = {
    "zh": {"row": "行号", "column": "字段", "reason": "问题", "severity": "级别"},
    "en": {"row": "Row", "column": "Column", "reason": "Problem", "severity": "Severity"},
}
_SEVERITY = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def problems_display(problems: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """``Loaded.problems_frame()`` with headers, severities and column names in the reader's language."""
    out = problems.copy()
    if "row" in out:
        out["row"] = out["row"].map(lambda v: DASH if pd.isna(v) else str(v))
    if "severity" in out:
        out["severity"] = out["severity"].map(lambda v: _SEVERITY.get(lang, {}).get(v, v), na_action="ignore")
    if "column" in out:
        out["column"] = out["column"].map(lambda c: _name(str(c), {}, lang), na_action="ignore")
    return out.rename(columns=_PROBLEM_HEADS.get(lang, {}))


def crs_note_text(note: str, *, lang: str = "zh") -> str:
    """The reader's CRS note (``geo.io``) in Chinese for the zh UI; other notes are kept as written."""
    if not note:
        return note
    if lang != "zh":
        return re.sub(r"^CRS (\S+) from the file", r"\1 from the file", note)
    parts = []
    for part in note.split("; "):
        if m := re.fullmatch(r"CRS (.+) from the file", part):
            part = f"坐标系 {m.group(1)}（取自文件）"
        elif m := re.fullmatch(r"no CRS in the file; inferred (EPSG:\d+) because (.+): check it", part):
            part = f"文件未带坐标系，推断为 {m.group(1)}（依据：{m.group(2)}），请核对"
        elif m := re.fullmatch(r"CSV encoding (.+)", part):
            part = f"CSV 编码 {m.group(1)}"
        elif m := re.fullmatch(r"header found on sheet row (\d+)", part):
            part = f"表头位于工作表第 {m.group(1)} 行"
        parts.append(part)
    return "；".join(parts)
