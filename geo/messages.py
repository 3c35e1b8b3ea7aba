"""
Per-row message lists built column-wise: how ``geo`` says why, in codes.

A message is an item ``{"code": …, **args}`` (e.g. ``{"code": "far_below_min",
"far": 0.5, "far_min": 0.7, "source": "gtzf_2008_24"}``); ``words.render`` turns
it into a sentence. :class:`Items` collects them rule by rule from boolean masks
and builds each row's list once per distinct combination of rules that fired, so
a million rows cost a few list builds, not a loop of analysis per row.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import pandas as pd


def _is_array(value) -> bool:
    """Per-row values come as Series or arrays; a list or tuple is one argument (e.g. ``columns``)."""
    return isinstance(value, (pd.Series, np.ndarray, pd.Index))


def _py(values) -> list:
    """Values as plain Python objects (floats, ints, str); NaN/NA → None."""
    arr = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if arr.dtype.kind in "fiub":
        out = arr.tolist()
        if arr.dtype.kind == "f":
            for i in np.flatnonzero(np.isnan(arr)):
                out[i] = None
        return out
    arr = arr.astype(object)
    out = arr.tolist()
    for i in np.flatnonzero(pd.isna(arr)):
        out[i] = None
    return out


class Items:
    """
    Message lists per row, added rule by rule.

    Each :meth:`add` is one "part": the rows where its mask holds get one item. A
    part whose arguments are all scalars is one shared dict; a part with per-row
    arguments builds one dict per row it concerns. Treat the lists and dicts as
    read-only: rows with the same shared items share one list.
    """

    def __init__(self, index: pd.Index):
        self._index = index
        self._n = len(index)
        self._masks: list[np.ndarray] = []
        #: per part: a dict shared by every row, or an object array (one dict per row, None elsewhere)
        self._items: list[dict | np.ndarray] = []

    def add(self, mask, code: str, **args) -> None:
        """Add item ``code`` with ``args`` (scalars, or arrays aligned to the rows) where ``mask`` holds."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        varying = {k: v for k, v in args.items() if _is_array(v)}
        fixed = {"code": code, **{k: v for k, v in args.items() if k not in varying}}
        if not varying:
            self._masks.append(mask)
            self._items.append(fixed)
            return
        picked = {k: (v.to_numpy() if isinstance(v, (pd.Series, pd.Index)) else np.asarray(v))[mask]
                  for k, v in varying.items()}
        if len(picked) == 1:
            # One varying argument (a land use, a park id): one dict per distinct value, shared.
            (key, values), = picked.items()
            codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
            if len(uniques) * 4 < len(values):
                per_value = _objects([{**fixed, key: v} for v in _py(np.asarray(uniques, dtype=object))])
                self._push_rows(mask, per_value[codes])
                return
        cols = {k: _py(v) for k, v in picked.items()}
        keys = list(cols)
        dicts = [{**fixed, **dict(zip(keys, vals, strict=True))} for vals in zip(*cols.values(), strict=True)]
        self._push_rows(mask, _objects(dicts))

    def add_items(self, mask, items) -> None:
        """Add ready items (an array aligned to the rows; None adds nothing) where ``mask`` holds."""
        items = np.asarray(items, dtype=object)
        mask = np.asarray(mask, dtype=bool) & pd.notna(pd.Series(items, dtype=object)).to_numpy()
        if mask.any():
            self._push_rows(mask, items[mask])

    def extend(self, other: Items, mask) -> None:
        """Add every part of ``other`` (same rows), restricted to the rows where ``mask`` holds."""
        mask = np.asarray(mask, dtype=bool)
        for m, item in zip(other._masks, other._items, strict=True):
            mm = m & mask
            if mm.any():
                self._masks.append(mm)
                self._items.append(item)

    def _push_rows(self, mask: np.ndarray, dicts: np.ndarray) -> None:
        arr = np.full(self._n, None, dtype=object)
        arr[mask] = dicts
        self._masks.append(mask)
        self._items.append(arr)

    def lists(self) -> pd.Series:
        """Items of each row as a list (``[]`` when none), in the order they were added."""
        out = np.empty(self._n, dtype=object)
        if not self._masks:
            out.fill([])
            return pd.Series(out, index=self._index, dtype=object)
        present = np.column_stack(self._masks)
        if present.shape[1] <= 62:
            key = present.astype(np.int64) @ (np.int64(1) << np.arange(present.shape[1], dtype=np.int64))
            inverse = pd.factorize(key)[0]
        else:
            _, inverse = np.unique(np.packbits(present, axis=1), axis=0, return_inverse=True)
            inverse = np.asarray(inverse).reshape(-1)
        order = np.argsort(inverse, kind="stable")
        bounds = np.flatnonzero(np.diff(inverse[order])) + 1
        for rows in np.split(order, bounds):
            parts = np.flatnonzero(present[rows[0]])
            if all(isinstance(self._items[j], dict) for j in parts):
                # One list for every row of this combination.
                holder = np.empty(len(rows), dtype=object)
                holder.fill([self._items[j] for j in parts])
                out[rows] = holder
                continue
            columns = [
                repeat(self._items[j], len(rows)) if isinstance(self._items[j], dict) else self._items[j][rows]
                for j in parts
            ]
            out[rows] = _objects(list(map(list, zip(*columns, strict=False))))
        return pd.Series(out, index=self._index, dtype=object)


def _objects(values: list) -> np.ndarray:
    """A list of Python objects (lists, dicts) as a 1-d object array, never unpacked by numpy."""
    return pd.Series(values, dtype=object).to_numpy() if values else np.empty(0, dtype=object)
