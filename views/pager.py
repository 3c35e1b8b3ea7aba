"""
Tables shown a page at a time: ``st.dataframe`` ships every row it is given to the browser
(a 250,000-row list stalled Chromium for half a minute), so a long table gets a page-size
choice, a page number and a line "第 n / m 页，共 N 宗"; downloads still take the whole table.

Slice first, then dress: a page builds the labels and formats of the rows it shows only
(``paged(frame, ...)`` then the page's own display function on the slice).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

import words

#: Rows per page a user can choose; the first is the default.
PAGE_SIZES = (50, 100, 200, 500)


@dataclass(frozen=True)
class Page:
    """One page of a table: ``number`` of ``pages`` (from 1), rows ``start:stop`` of ``total``."""

    number: int
    pages: int
    size: int
    start: int
    stop: int
    total: int


def page_of(total: int, size: int, number: int) -> Page:
    """
    The rows of page ``number`` when ``total`` rows are shown ``size`` at a time.

    A number past the last page gives the last page, below 1 the first; an empty table is one
    empty page.
    """
    if size < 1:
        raise ValueError(f"page size must be at least 1, got {size}")
    total = max(int(total), 0)
    pages = max(1, math.ceil(total / size))
    number = min(max(int(number), 1), pages)
    start = (number - 1) * size
    return Page(number, pages, size, start, min(start + size, total), total)


def total_line(page: Page, lang: str, *, unit: str = "parcels") -> str:
    """``第 2 / 5 页，共 230 宗`` (``unit="rows"``: ``… 行``) in ``lang``."""
    key = "pager_total" if unit == "parcels" else "pager_total_rows"
    return words.label("ui", key, lang).format(page=page.number, pages=page.pages, n=page.total)


def paged(frame: pd.DataFrame, *, key: str, lang: str = "zh", unit: str = "parcels") -> pd.DataFrame:
    """
    The rows of ``frame`` on the page the user chose, with the page's widgets drawn above the table.

    Parameters
    ----------
    frame
        The whole table, in the order shown.
    key
        Prefix of the widgets' keys (``{key}_size``, ``{key}_page``).
    lang
        Language of the widgets and the line.
    unit
        ``"parcels"`` (共 N 宗) or ``"rows"`` (共 N 行).
    """
    ss = st.session_state
    size_key, page_key = f"{key}_size", f"{key}_page"
    total = len(frame)
    if total <= PAGE_SIZES[0]:
        st.caption(total_line(page_of(total, PAGE_SIZES[0], 1), lang, unit=unit))
        return frame
    c1, c2, c3 = st.columns([1, 1, 4], vertical_alignment="bottom")
    size = c1.selectbox(words.label("ui", "pager_size", lang), PAGE_SIZES, key=size_key)
    last = page_of(total, size, 1).pages
    # A page past the end (the selection shrank, or larger pages) is the last page: set before the
    # widget is drawn, as a value above its maximum is refused.
    if ss.get(page_key, 1) > last:
        ss[page_key] = last
    number = c2.number_input(words.label("ui", "pager_page", lang), min_value=1, max_value=last, step=1,
                             key=page_key)
    page = page_of(total, size, number)
    c3.caption(total_line(page, lang, unit=unit))
    return frame.iloc[page.start : page.stop]


#: Most parcels a picker (selectbox) lists: its options travel with it on every change of its value.
PICKER_LIMIT = 200


def picker_options(ids: list[str], current: str | None, *, limit: int | None = None) -> list[str]:
    """
    The first ``limit`` (default :data:`PICKER_LIMIT`) of ``ids`` (in the page's order), and ``current`` if it is further down.

    A selectbox ships all its options whenever its value changes (a click on the map picks a
    parcel): 14,000 parcel numbers are ~250 KB per click. The rest are reached on the map or
    by number.
    """
    shown = list(ids[: PICKER_LIMIT if limit is None else limit])
    if current is not None and current not in shown and current in set(ids):
        shown.append(current)
    return shown
