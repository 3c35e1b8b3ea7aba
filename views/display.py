"""
How numbers, dates and gaps look on screen: one place for the pages' table formats.

``st.dataframe`` shows a missing value as a grey "None" and a float with all its
digits. :func:`styled` wraps a frame in a pandas ``Styler`` whose display values
follow the house rules (亩 1 decimal, 万元 2, rates as %, FAR 2 decimals, dates as
``YYYY-MM-DD``, gaps as "—"); the frame's own values stay numeric, so sorting a
column in the browser still sorts numbers.

The ``*_text`` columns of ``geo.intensity`` / ``geo.grading`` are written for logs
(``far: 0.04 < 1.00``); :func:`reasons_text` and :func:`grade_notes_text` put them
into the reader's language with the rules' own labels.
"""

from __future__ import annotations

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
    return out.style.format(formatters, na_rep=DASH)


def dates_text(s: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` text, missing as "—" (for tables whose dates carry a time)."""
    d = pd.to_datetime(s, errors="coerce")
    return d.dt.strftime("%Y-%m-%d").astype(object).where(d.notna(), DASH)


# --------------------------------------------------------------------------- rule texts

_ZH = {
    "unknown": "未知",
    "missing": "缺失",
    "input_missing": "缺少输入数据",
    "land_use_not_checked": "{use}不核查",
    "land_use_not_graded": "{use}不参加评价",
    "all": "全部规则",
    "park_unknown": "所在园区未知",
    "not_graded": "未参加评价",
    "tax_only": "仅按{ind}评价",
    "benchmark": "{ind}基准值不为正",
    "park_missing": "园区编号缺失（可按全区分组评价）",
}
_EN = {
    "unknown": "unknown",
    "missing": "missing",
    "input_missing": "input data missing",
    "land_use_not_checked": "land use {use} not checked",
    "land_use_not_graded": "land use {use} not graded",
    "all": "all rules",
    "park_unknown": "park unknown",
    "not_graded": "not graded",
    "tax_only": "graded on {ind} only",
    "benchmark": "benchmark of {ind} is not positive",
    "park_missing": "park_id missing (grade with the whole region as group)",
}


def _words(lang: str) -> dict[str, str]:
    return _ZH if lang == "zh" else _EN


def _name(code: str, names: Mapping[str, str], lang: str) -> str:
    """A rule, indicator or column code in words; the code itself when nothing is known."""
    if code in names:
        return names[code]
    col = PARCEL_BY_NAME.get(code)
    if col is not None:
        return col.zh if lang == "zh" else col.en
    return code


def _use(code: str, lang: str) -> str:
    return words.label("land_use", code, "zh") if lang == "zh" else code


def _one_reason(item: str, names: Mapping[str, str], lang: str) -> str:
    w = _words(lang)
    item = item.strip()
    if not item:
        return ""
    head, sep, body = item.partition(": ")
    if not sep:
        return item
    if head == "not graded":
        return f"{w['not_graded']}：{_grade_note_body(body, names, lang)}" if lang == "zh" else \
            f"{w['not_graded']}: {_grade_note_body(body, names, lang)}"
    label = w["all"] if head == "all" else _name(head, names, lang)
    m = re.fullmatch(r"land use '([^']*)' not checked", body)
    if m:
        body = w["land_use_not_checked"].format(use=_use(m.group(1), lang))
    elif re.fullmatch(r"\S+ unknown, input missing.*", body):
        body = w["input_missing"]
    elif body.startswith("park unknown"):
        body = w["park_unknown"]
    elif body.endswith(" missing") and " " not in body[: -len(" missing")]:
        body = f"{_name(body[: -len(' missing')], names, lang)} {w['missing']}"
    return f"{label}：{body}" if lang == "zh" else f"{label}: {body}"


def _grade_note_body(body: str, names: Mapping[str, str], lang: str) -> str:
    w = _words(lang)
    m = re.fullmatch(r"land use '([^']*)' not graded", body)
    if m:
        return w["land_use_not_graded"].format(use=_use(m.group(1), lang))
    m = re.fullmatch(r"benchmark of (\S+) is not positive", body)
    if m:
        return w["benchmark"].format(ind=_name(m.group(1), names, lang))
    if body.startswith("park_id missing"):
        return w["park_missing"]
    m = re.fullmatch(r"(\S+) unknown", body)
    if m:
        return f"{_name(m.group(1), names, lang)}{w['unknown']}" if lang == "zh" else \
            f"{_name(m.group(1), names, lang)} {w['unknown']}"
    return body


def reasons_text(text, names: Mapping[str, str], *, lang: str = "zh") -> str:
    """
    A ``*_text`` column value of ``geo.intensity`` in words.

    ``"far: 0.04 < 1.00; office_share: office_share unknown, input missing (…)"`` →
    ``"容积率：0.04 < 1.00；行政办公…：缺少输入数据"``. ``names`` maps rule / indicator
    codes to labels; column codes fall back to ``geo.schema``; anything not
    recognised is kept as written. Empty or missing → "—".
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return DASH
    items = [_one_reason(i, names, lang) for i in str(text).split(";")]
    joiner = "；" if lang == "zh" else "; "
    return joiner.join(i for i in items if i) or DASH


def grade_notes_text(text, names: Mapping[str, str], *, lang: str = "zh") -> str:
    """``grade_notes_text`` of ``geo.grading`` in words (``not graded: tax_wan_per_mu unknown`` → ``亩均税收未知``)."""
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return DASH
    w = _words(lang)
    out = []
    for item in str(text).split(";"):
        item = item.strip()
        if item.startswith("not graded: "):
            out.append(_grade_note_body(item[len("not graded: "):], names, lang))
        elif m := re.fullmatch(r"graded on (\S+) only", item):
            out.append(w["tax_only"].format(ind=_name(m.group(1), names, lang)))
        elif item:
            out.append(_one_reason(item, names, lang))
    joiner = "；" if lang == "zh" else "; "
    return joiner.join(out) or DASH


def reasons_series(texts: pd.Series, names: Mapping[str, str], *, lang: str = "zh") -> pd.Series:
    """:func:`reasons_text` over a column: each distinct text translated once."""
    uniq = {v: reasons_text(v, names, lang=lang) for v in texts.dropna().unique()}
    return texts.map(uniq).fillna(DASH)


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
