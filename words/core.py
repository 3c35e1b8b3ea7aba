"""The renderer: catalogue look-up, argument formatting, joining. No words live here."""

from __future__ import annotations

import datetime as _dt
import importlib
import math
import pkgutil
import string
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

LANGS = {"zh": "中文", "en": "English"}
DEFAULT_LANG = "zh"
DASH = "—"


class MissingWord(KeyError):
    """A code has no words in the catalogue (a test walks the code lists so this never ships)."""


#: kind → code → {"zh": …, "en": …}
_LABELS: dict[str, dict[str, dict[str, str]]] = {}
#: message code → {"zh": format string, "en": format string}
_TEXTS: dict[str, dict[str, str]] = {}
#: argument name → label kind: such an argument is rendered as a label, not as its code.
_ARG_KINDS: dict[str, str] = {}
#: column name → label kind of its values (``idle_status`` → ``idle_status``): how exports
#: and tables turn a code column into words.
_VALUE_KINDS: dict[str, str] = {}
_loaded = False


def register(*, labels: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
             texts: Mapping[str, Mapping[str, str]] | None = None,
             arg_kinds: Mapping[str, str] | None = None,
             value_kinds: Mapping[str, str] | None = None) -> None:
    """Add a catalogue module's words. A code registered twice is a bug: one place per fact."""
    for kind, codes in (labels or {}).items():
        bucket = _LABELS.setdefault(kind, {})
        for code, words in codes.items():
            if code in bucket and bucket[code] != dict(words):
                raise ValueError(f"label {kind}/{code} registered twice with different words")
            bucket[code] = dict(words)
    for code, words in (texts or {}).items():
        if code in _TEXTS and _TEXTS[code] != dict(words):
            raise ValueError(f"text {code} registered twice with different words")
        _TEXTS[code] = dict(words)
    _ARG_KINDS.update(arg_kinds or {})
    _VALUE_KINDS.update(value_kinds or {})


def value_kind(column: str) -> str | None:
    """The label kind of a column's values, or None for a column of numbers or free text."""
    _load()
    return _VALUE_KINDS.get(column)


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import words

    for mod in pkgutil.iter_modules(words.__path__):
        if mod.name not in ("core",):
            importlib.import_module(f"words.{mod.name}")


def _pick(words: Mapping[str, str], lang: str) -> str | None:
    return words.get(lang) or words.get(DEFAULT_LANG)


def has_label(kind: str, code: str, lang: str | None = None) -> bool:
    _load()
    w = _LABELS.get(kind, {}).get(str(code))
    return bool(w) and (lang is None or bool(w.get(lang)))


def has_text(code: str, lang: str | None = None) -> bool:
    _load()
    w = _TEXTS.get(code)
    return bool(w) and (lang is None or bool(w.get(lang)))


def labels(kind: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Every code of ``kind`` → its label, in catalogue order."""
    _load()
    return {code: _pick(w, lang) for code, w in _LABELS.get(kind, {}).items()}


def _missing(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if np.ndim(value) == 0 else False
    except (TypeError, ValueError):
        return False


def label(kind: str, code, lang: str = DEFAULT_LANG, *, strict: bool = False) -> str:
    """
    ``code`` of ``kind`` in words; a missing value is "—".

    An unknown code is returned as written (it came from the user's data, e.g. a land
    use the file spells its own way) unless ``strict`` — then :class:`MissingWord`.
    """
    _load()
    if _missing(code):
        return DASH
    if isinstance(code, (bool, np.bool_)) and kind != "bool":
        return yes_no(code, lang)
    w = _LABELS.get(kind, {}).get(str(code))
    if w is None:
        if strict:
            raise MissingWord(f"{kind}/{code}")
        return str(code)
    return _pick(w, lang)


def yes_no(value, lang: str = DEFAULT_LANG) -> str:
    """A boolean as 是/否 (Yes/No); missing → "—"."""
    if _missing(value):
        return DASH
    return label("bool", "true" if bool(value) else "false", lang)


def fmt_date(value, lang: str = DEFAULT_LANG) -> str:
    """A date without a time of day (``2024-03-01``); missing → "—"."""
    if _missing(value):
        return DASH
    try:
        return pd.Timestamp(value).date().isoformat()
    except (TypeError, ValueError):
        return str(value)


def fmt_number(value, decimals: int = 2, *, thousands: bool = True) -> str:
    """A number with a fixed count of decimals and thousands separators; missing → "—"."""
    if _missing(value):
        return DASH
    return f"{float(value):,.{decimals}f}" if thousands else f"{float(value):.{decimals}f}"


def joiner(lang: str = DEFAULT_LANG) -> str:
    return "；" if lang == "zh" else "; "


def _list_sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


class _Formatter(string.Formatter):
    """``str.format`` that renders dates as dates and missing values as "—"."""

    def format_field(self, value, format_spec):
        if _missing(value):
            return DASH
        if isinstance(value, (pd.Timestamp, _dt.date, np.datetime64)) and not format_spec:
            return fmt_date(value)
        if isinstance(value, np.datetime64):
            value = pd.Timestamp(value)
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def _arg(name: str, value: Any, lang: str) -> Any:
    kind = _ARG_KINDS.get(name)
    if kind is None:
        if isinstance(value, Mapping) and "code" in value:
            return render(value, lang)
        return value
    if isinstance(value, (list, tuple)):
        return _list_sep(lang).join(_one_arg(kind, v, lang) for v in value)
    return _one_arg(kind, value, lang)


def _one_arg(kind: str, value, lang: str) -> str:
    if kind == "column":
        return header(str(value), lang, unit=False) if not _missing(value) else DASH
    return label(kind, value, lang)


def text(code: str, lang: str = DEFAULT_LANG, /, **args) -> str:
    """
    The sentence of message ``code`` with ``args`` filled in.

    Arguments named after a label kind (``land_use``, ``column``, ``status`` … see the
    catalogue's ``arg_kinds``) are rendered as labels; lists are joined with 、.
    """
    _load()
    w = _TEXTS.get(code)
    if w is None:
        raise MissingWord(code)
    fmt = _pick(w, lang)
    values = {k: _arg(k, v, lang) for k, v in args.items()}
    return _FORMATTER.vformat(fmt, (), _Defaulting(values))


class _Defaulting(dict):
    def __missing__(self, key):
        return DASH


def render(item, lang: str = DEFAULT_LANG) -> str:
    """
    A message item (``{"code": …, **args}``), a list of them (joined), or a plain code.

    Missing or empty → "—".
    """
    if item is None or (not isinstance(item, (list, tuple, dict, str, Mapping)) and _missing(item)):
        return DASH
    if isinstance(item, str):
        return text(item, lang) if item else DASH
    if isinstance(item, Mapping):
        args = {k: v for k, v in item.items() if k != "code"}
        return text(str(item["code"]), lang, **args)
    parts = [render(i, lang) for i in item]
    return joiner(lang).join(p for p in parts if p and p != DASH) or DASH


def render_series(items: pd.Series, lang: str = DEFAULT_LANG) -> pd.Series:
    """:func:`render` over a column of message lists."""
    return items.map(lambda v: render(v, lang)).astype(object)


def header(column: str, lang: str = DEFAULT_LANG, *, unit: bool = True) -> str:
    """
    A column's header in words (``area_mu`` → ``面积(亩)``); unknown names as written.

    With ``unit=False`` the bare name (for sentences): ``面积``.
    """
    _load()
    w = _LABELS.get("column", {}).get(column)
    if w is None:
        return column
    out = _pick(w, lang)
    if not unit:
        for open_, close in (("(", ")"), ("（", "）")):
            if out.endswith(close) and open_ in out:
                out = out[: out.rindex(open_)].rstrip()
                break
    return out


def headers(columns: Iterable[str], lang: str = DEFAULT_LANG) -> dict[str, str]:
    """``{column: header}`` for ``DataFrame.rename``."""
    return {c: header(c, lang) for c in columns}


def all_labels() -> dict[str, dict[str, dict[str, str]]]:
    _load()
    return _LABELS


def all_texts() -> dict[str, dict[str, str]]:
    _load()
    return _TEXTS
