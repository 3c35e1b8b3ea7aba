"""
Idle land (闲置土地) under 《闲置土地处置办法》 (Ministry order No. 53, 2012).

A parcel is idle (Art. 2) when its holder is at least one year past the agreed
start date and has not started (kind A, ``not_started``), or started but
developed less than 1/3 of the area due or invested less than 25 % of the total
investment and has been halted for at least one year (kind B, ``stalled``).
When the holder is at fault the idle-land fee is 20 % of the land price after
one year and the land is recovered without compensation after two (Art. 14);
government causes and force majeure (Art. 8) exempt the holder from both and
lead to negotiated disposal (Art. 12).

Every threshold comes from ``geo/rules/idle.yaml``; every date is judged as of
an explicit ``as_of`` date, and events dated after it count as not yet happened,
so the same table can be replayed as of any past date.

Decisions on points the regulation leaves open (literal reading of issue 2 §3):

- ``as_of`` earlier than the agreed start date is ``not_due``; on the agreed
  start date itself the parcel is ``overdue`` with ``idle_days`` 0.
- A year is complete on its anniversary (Civil Code arts. 201-202: the start
  day is not counted, the period ends on the corresponding day, or on the last
  day of the month when there is none): the parcel is idle from the anniversary
  inclusive. 2024-03-01 → idle from 2025-03-01; 2024-02-29 → from 2025-02-28.
  This is ``pandas.DateOffset(years=n)`` arithmetic, done here on whole arrays.
- ``completion_date`` on or before ``as_of`` wins over everything: ``completed``.
- A parcel counts as started when ``actual_start_date`` ≤ ``as_of``; a
  ``halted_since`` ≤ ``as_of`` also proves a start (work cannot halt before it
  began), so a halted parcel lacking its start date is still judged as kind B.
- A started parcel with no halt date, or one after ``as_of``, is ``active``.
  A halted parcel whose developed share and invested share both reach their
  minimum is ``active`` too. Exactly 1/3 developed (or exactly 25 % invested)
  is *not* "less than": comparisons are exact (cross-multiplied fractions).
- A halted parcel where one share is missing and the other does not already
  prove stalling is ``unknown``; an area due or total investment that is zero or
  negative cannot give a share and is reported as missing.
- An empty ``delay_cause`` is the holder's cause. A non-empty code that is not
  one of the seven Art. 8 codes (or their Chinese labels) is also treated as the
  holder's cause, raises nothing, and is flagged by :func:`invalid_delay_causes`.
  The cause matters only once a parcel is idle (``overdue`` stays ``overdue``
  whatever its cause).
- ``fee_wan`` is 20 % of ``land_price_wan`` for ``idle_fee`` rows, NaN for every
  other status. An ``idle_fee`` row without a land price keeps its status (the
  price is not needed to decide it), gets NaN as fee, and lists
  ``land_price_wan`` in ``missing_fields`` so the gap shows up.
- ``not_due`` rows carry ``idle_kind`` ``not_started`` and their future clock
  start (the agreed date) but ``idle_days`` NA: the clock has not started.
- A date that is present but cannot be parsed is treated as missing where it is
  needed and named in ``missing_fields`` (an unreadable start date must not pass
  for "not started").
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import pandas as pd

from geo import vocab
from geo.rules import RulesError, deep_merge, load_rules, rule_value

#: Every status, in the fixed order used by summaries and legends.
IDLE_STATUSES: tuple[str, ...] = (
    "not_due",
    "overdue",
    "stalled",
    "idle_fee",
    "idle_recover",
    "idle_exempt",
    "active",
    "completed",
    "unknown",
)

IDLE_KINDS: tuple[str, ...] = ("not_started", "stalled")

#: Columns the rules read, in the order ``missing_fields`` lists them.
IDLE_INPUT_COLUMNS: tuple[str, ...] = (
    "agreed_start_date",
    "actual_start_date",
    "halted_since",
    "completion_date",
    "area_due_m2",
    "developed_area_m2",
    "total_investment_wan",
    "invested_wan",
    "land_price_wan",
)

#: Columns :func:`classify_idle` returns, in order.
IDLE_OUTPUT_COLUMNS: tuple[str, ...] = (
    "idle_status",
    "idle_kind",
    "clock_start",
    "idle_days",
    "idle_since",
    "next_threshold_date",
    "fee_wan",
    "warning",
    "missing_fields",
)

_BIT = {name: 1 << i for i, name in enumerate(IDLE_INPUT_COLUMNS)}
_MISSING_TEXT = np.array(
    [
        ",".join(n for n in IDLE_INPUT_COLUMNS if code & _BIT[n])
        for code in range(1 << len(IDLE_INPUT_COLUMNS))
    ],
    dtype=object,
)
_CODE = {s: i for i, s in enumerate(IDLE_STATUSES)}
_NAT = np.datetime64("NaT", "D")
_NULL_TOKENS = vocab.BLANK_TOKENS
_OUTPUT_DATE_UNIT = "datetime64[us]"

RULE_SET = "idle"

#: Every code of a :class:`~geo.rules.RulesError` the idle rules' validation raises
#: (besides :data:`geo.rules.RULES_ERROR_CODES`), with its arguments.
IDLE_RULES_ERROR_CODES: tuple[str, ...] = (
    "rule_not_fraction",  # rule_set, key, value
    "rule_share_out_of_range",  # rule_set, key, value, low, high
    "rule_not_years",  # rule_set, key, value
    "rule_years_not_whole_months",  # rule_set, key, value
    "rule_not_number",  # rule_set, key, value
    "rule_unknown_delay_causes",  # rule_set, key, values, allowed_causes (codes of geo.vocab.DELAY_CAUSES)
)


# --------------------------------------------------------------------------- rules


def _share(rules: Mapping, key: str) -> Fraction:
    raw = rule_value(rules, key, rule_set=RULE_SET)
    try:
        share = Fraction(str(raw).strip())
    except (ValueError, ZeroDivisionError):
        raise RulesError("rule_not_fraction", rule_set=RULE_SET, key=key, value=str(raw)) from None
    if not 0 <= share <= 1:
        raise RulesError("rule_share_out_of_range", rule_set=RULE_SET, key=key, value=str(raw), low=0, high=1)
    return share


def _months(rules: Mapping, key: str) -> int:
    raw = rule_value(rules, key, rule_set=RULE_SET)
    try:
        months = Fraction(str(raw).strip()) * 12
    except (ValueError, ZeroDivisionError):
        raise RulesError("rule_not_years", rule_set=RULE_SET, key=key, value=str(raw)) from None
    if months.denominator != 1 or months < 0:
        raise RulesError("rule_years_not_whole_months", rule_set=RULE_SET, key=key, value=str(raw))
    return int(months)


def _resolve_rules(rules: Mapping | None) -> dict:
    """Defaults from ``geo/rules/idle.yaml`` with ``rules`` (complete or partial) merged over them."""
    base = load_rules(RULE_SET)
    return base if rules is None else deep_merge(base, rules)


def _thresholds(rules: Mapping) -> dict:
    exempt = rule_value(rules, "exempt_causes", rule_set=RULE_SET) or []
    if isinstance(exempt, str):
        exempt = [exempt]
    parsed, _bad = vocab.normalise("delay_cause", pd.Series(list(exempt), dtype=object))
    exempt_codes = [None if pd.isna(c) else str(c) for c in parsed]
    unknown = [c for c, code in zip(exempt, exempt_codes, strict=True) if code is None]
    if unknown:
        # A typo here would silently charge fees to exempt parcels: refuse it.
        raise RulesError("rule_unknown_delay_causes", rule_set=RULE_SET, key="exempt_causes",
                         values=[str(u) for u in unknown], allowed_causes=list(vocab.DELAY_CAUSES))
    return {
        "idle_months": _months(rules, "idle_after_years"),
        "recover_months": _months(rules, "recover_after_years"),
        "developed_share_min": _share(rules, "developed_share_min"),
        "invested_share_min": _share(rules, "invested_share_min"),
        "fee_share": float(_share(rules, "fee_share_of_price")),
        "warning_days": _whole(rules, "warning_days"),
        "exempt_causes": tuple(exempt_codes),
    }


def _whole(rules: Mapping, key: str) -> int:
    raw = rule_value(rules, key, rule_set=RULE_SET)
    try:
        value = Fraction(str(raw).strip())
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None or value.denominator != 1 or value < 0:
        raise RulesError("rule_not_number", rule_set=RULE_SET, key=key, value=str(raw))
    return int(value)


def idle_thresholds(rules: Mapping | None = None) -> dict:
    """
    The validated, typed idle rules: ``geo/rules/idle.yaml`` with ``rules`` merged over it.

    Returns ``idle_months`` / ``recover_months`` (int), ``developed_share_min`` /
    ``invested_share_min`` (:class:`~fractions.Fraction`), ``fee_share`` (float),
    ``warning_days`` (int), ``exempt_causes`` (delay-cause codes). One validation per
    call of :func:`classify_idle`, never per row.

    Raises
    ------
    RulesError
        A value not allowed: a code of :data:`IDLE_RULES_ERROR_CODES` or
        :data:`geo.rules.RULES_ERROR_CODES`, naming the key and the value.
    """
    return _thresholds(_resolve_rules(rules))


# --------------------------------------------------------------------------- coercion


def _as_of_day(as_of) -> np.datetime64:
    if as_of is None:
        raise ValueError("as_of is required: give the date the status is judged at (e.g. '2026-06-30')")
    try:
        ts = pd.Timestamp(as_of)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"as_of={as_of!r} is not a date: use e.g. '2026-06-30'") from exc
    if pd.isna(ts):
        raise ValueError("as_of is NaT: give the date the status is judged at (e.g. '2026-06-30')")
    return np.datetime64(ts.date(), "D")


def _dates(parcels: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """
    A date column as ``datetime64[D]`` plus a mask of values present but unreadable.

    Accepts datetime64 (any unit, tz-aware or not), date/datetime objects and
    strings ('2024-03-01', '2024/3/1', '2024.3.1', '2024年3月1日'); empty strings
    and null tokens are missing, not invalid. Strings are parsed once per distinct
    value, so a million rows cost a few thousand parses.
    """
    n = len(parcels)
    if column not in parcels.columns:
        return np.full(n, _NAT), np.zeros(n, dtype=bool)
    s = parcels[column]
    if isinstance(s, pd.DataFrame):
        raise ValueError(f"column {column!r} appears more than once in the parcels: keep one")
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return s.to_numpy().astype("datetime64[D]"), np.zeros(n, dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        # Numbers are not dates here (an Excel serial must be converted by the reader).
        values = s.to_numpy(dtype=float, na_value=np.nan)
        return np.full(n, _NAT), ~np.isnan(values)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    parsed, bad = _parse_unique_dates(pd.Index(uniques, dtype=object))
    out = np.full(n, _NAT)
    invalid = np.zeros(n, dtype=bool)
    has = codes >= 0
    out[has] = parsed[codes[has]]
    invalid[has] = bad[codes[has]]
    return out, invalid


def _parse_unique_dates(uniques: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    k = len(uniques)
    if k == 0:
        return np.empty(0, dtype="datetime64[D]"), np.zeros(0, dtype=bool)
    first = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce", format="ISO8601")
    if isinstance(first.dtype, pd.DatetimeTZDtype):
        first = first.dt.tz_localize(None)
    out = first.to_numpy().astype("datetime64[D]")
    bad = np.zeros(k, dtype=bool)
    retry = np.flatnonzero(np.isnat(out))
    if retry.size:
        text = pd.Series([str(uniques[i]).strip() for i in retry], dtype=object)
        is_null = text.str.lower().isin(_NULL_TOKENS).to_numpy()
        cleaned = (
            text.str.replace("年", "-", regex=False)
            .str.replace("月", "-", regex=False)
            .str.replace("日", "", regex=False)
            .str.replace(".", "-", regex=False)
            .str.strip("- ")
        )
        second = pd.to_datetime(cleaned.where(~is_null, None), errors="coerce", format="mixed")
        if isinstance(second.dtype, pd.DatetimeTZDtype):
            second = second.dt.tz_localize(None)
        again = second.to_numpy().astype("datetime64[D]")
        out[retry] = again
        bad[retry] = np.isnat(again) & ~is_null
    return out, bad


def _numbers(parcels: pd.DataFrame, column: str) -> np.ndarray:
    """A numeric column as float64; missing column, blanks and unreadable text are NaN."""
    n = len(parcels)
    if column not in parcels.columns:
        return np.full(n, np.nan)
    s = parcels[column]
    if isinstance(s, pd.DataFrame):
        raise ValueError(f"column {column!r} appears more than once in the parcels: keep one")
    if not (pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)):
        s = pd.to_numeric(s.astype(object).where(s.notna(), None), errors="coerce")
    return s.to_numpy(dtype=float, na_value=np.nan)


def _causes(parcels: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Delay causes as (code index into :data:`geo.vocab.DELAY_CAUSES` or -1, non-empty but unrecognised mask)."""
    n = len(parcels)
    if "delay_cause" not in parcels.columns:
        return np.full(n, -1), np.zeros(n, dtype=bool)
    codes, bad = vocab.normalise("delay_cause", parcels["delay_cause"])
    index = {c: i for i, c in enumerate(vocab.DELAY_CAUSES)}
    out = codes.map(index).fillna(-1).to_numpy(dtype=int)
    return out, bad.to_numpy(dtype=bool)


# --------------------------------------------------------------------------- calendar


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """
    Shift ``datetime64[D]`` dates by whole months, clipping to the month's last day.

    The same result as ``date + pandas.DateOffset(months=months)`` (so
    ``months=12`` maps 2024-02-29 to 2025-02-28), computed on whole arrays.
    NaT stays NaT.
    """
    days = np.asarray(days, dtype="datetime64[D]")
    nat = np.isnat(days)
    safe = np.where(nat, np.datetime64("2000-01-01", "D"), days)
    month = safe.astype("datetime64[M]")
    day0 = (safe - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.timedelta64(int(months), "M")
    first = target.astype("datetime64[D]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    out = first + np.minimum(day0, length - 1).astype("timedelta64[D]")
    out[nat] = _NAT
    return out


def _elapsed_parts(start: np.datetime64, end: np.datetime64) -> tuple[int, int, int]:
    """Whole years, months and the remaining days from ``start`` to ``end`` (end ≥ start)."""
    s = np.datetime64(start, "D")
    e = np.datetime64(end, "D")
    total = int((e.astype("datetime64[M]") - s.astype("datetime64[M]")).astype(np.int64))
    while total > 0 and add_months(np.array([s]), total)[0] > e:
        total -= 1
    rest = int((e - add_months(np.array([s]), total)[0]).astype(np.int64))
    years, months = divmod(total, 12)
    return years, months, rest


# --------------------------------------------------------------------------- core


def _evaluate(parcels: pd.DataFrame, as_of, rules: Mapping | None) -> dict:
    """All intermediate arrays of the idle rules (shared by classify and explain)."""
    th = idle_thresholds(rules)
    today = _as_of_day(as_of)
    n = len(parcels)

    agreed, _agreed_bad = _dates(parcels, "agreed_start_date")
    start, start_bad = _dates(parcels, "actual_start_date")
    halt, halt_bad = _dates(parcels, "halted_since")
    done, done_bad = _dates(parcels, "completion_date")
    # Events dated after as_of have not happened yet; the agreed start date is a
    # contractual term, not an event, so it is kept as it is.
    started_by = start <= today
    halted_by = halt <= today
    completed = done <= today

    due = _numbers(parcels, "area_due_m2")
    dev = _numbers(parcels, "developed_area_m2")
    total = _numbers(parcels, "total_investment_wan")
    inv = _numbers(parcels, "invested_wan")
    price = _numbers(parcels, "land_price_wan")
    cause_idx, cause_bad = _causes(parcels)

    missing = np.zeros(n, dtype=np.int64)
    status = np.full(n, _CODE["unknown"], dtype=np.int8)

    status[completed] = _CODE["completed"]
    pending = ~completed & ~done_bad
    missing[~completed & done_bad] |= _BIT["completion_date"]

    started = pending & (started_by | halted_by)
    # Without a readable start or halt date we cannot tell "not started" apart.
    unsure = pending & ~started & (start_bad | halt_bad)
    missing[unsure & start_bad] |= _BIT["actual_start_date"]
    missing[unsure & halt_bad] |= _BIT["halted_since"]
    not_started = pending & ~started & ~unsure

    # Kind A: not started.
    has_agreed = ~np.isnat(agreed)
    missing[not_started & ~has_agreed] |= _BIT["agreed_start_date"]
    kind_a = not_started & has_agreed
    not_due = kind_a & (today < agreed)
    clock_a = kind_a & ~not_due

    # Kind B: started; halted; developed or invested share below its minimum.
    halt_unsure = started & ~halted_by & halt_bad
    missing[halt_unsure] |= _BIT["halted_since"]
    running = started & ~halted_by & ~halt_bad
    # Work cannot halt before it started: such a halt date is a data error, not a clock
    # (free recovery must never rest on it), so the row is unknown until it is corrected.
    halt_before_start = started & halted_by & started_by & (halt < start)
    missing[halt_before_start] |= _BIT["halted_since"]
    halted = started & halted_by & ~halt_before_start
    dmin, imin = th["developed_share_min"], th["invested_share_min"]
    due_ok = np.isfinite(due) & (due > 0)
    dev_ok = np.isfinite(dev)
    total_ok = np.isfinite(total) & (total > 0)
    inv_ok = np.isfinite(inv)
    dev_known = due_ok & dev_ok
    inv_known = total_ok & inv_ok
    with np.errstate(invalid="ignore"):
        # Cross-multiplied so that exactly 1/3 (or 25 %) is not "less than".
        low_dev = dev_known & (dev * dmin.denominator < due * dmin.numerator)
        low_inv = inv_known & (inv * imin.denominator < total * imin.numerator)
    stall = halted & (low_dev | low_inv)
    halted_fine = halted & ~stall & dev_known & inv_known
    share_unsure = halted & ~stall & ~(dev_known & inv_known)
    dev_gap = share_unsure & ~dev_known
    inv_gap = share_unsure & ~inv_known
    missing[dev_gap & ~due_ok] |= _BIT["area_due_m2"]
    missing[dev_gap & ~dev_ok] |= _BIT["developed_area_m2"]
    missing[inv_gap & ~total_ok] |= _BIT["total_investment_wan"]
    missing[inv_gap & ~inv_ok] |= _BIT["invested_wan"]
    status[running | halted_fine] = _CODE["active"]

    # Clocks: A from the agreed start date, B from the halt date (Art. 2).
    clock = clock_a | stall
    clock_start = np.where(kind_a, agreed, np.where(stall, halt, _NAT))
    idle_mark = add_months(clock_start, th["idle_months"])
    recover_mark = add_months(clock_start, th["recover_months"])
    idle = clock & (today >= idle_mark)
    known_codes = list(vocab.DELAY_CAUSES)
    exempt_idx = np.array([known_codes.index(c) for c in th["exempt_causes"]], dtype=int)
    exempt = np.isin(cause_idx, exempt_idx)

    status[not_due] = _CODE["not_due"]
    status[clock_a & ~idle] = _CODE["overdue"]
    status[stall & ~idle] = _CODE["stalled"]
    fee_rows = idle & ~exempt & (today < recover_mark)
    status[fee_rows] = _CODE["idle_fee"]
    status[idle & ~exempt & (today >= recover_mark)] = _CODE["idle_recover"]
    status[idle & exempt] = _CODE["idle_exempt"]

    with np.errstate(invalid="ignore"):
        fee = np.where(fee_rows, price * th["fee_share"], np.nan)
    missing[fee_rows & ~np.isfinite(price)] |= _BIT["land_price_wan"]

    days = (today - clock_start).astype(np.int64)
    days_mask = ~clock  # NA where no running clock (incl. not_due)

    before = (status == _CODE["overdue"]) | (status == _CODE["stalled"])
    to_mark = (idle_mark - today).astype(np.int64)
    warning = before & (to_mark <= th["warning_days"])

    nxt = np.full(n, _NAT)
    nxt[not_due] = agreed[not_due]
    nxt[before] = idle_mark[before]
    nxt[fee_rows] = recover_mark[fee_rows]

    kind = np.full(n, -1, dtype=np.int8)
    kind[kind_a] = 0
    kind[stall] = 1

    return {
        "n": n,
        "today": today,
        "th": th,
        "status": status,
        "kind": kind,
        "clock_start": np.where(kind >= 0, clock_start, _NAT),
        "idle_days": days,
        "idle_days_mask": days_mask,
        "idle_since": np.where(idle, idle_mark, _NAT),
        "idle_mark": idle_mark,
        "recover_mark": recover_mark,
        "next": nxt,
        "fee": fee,
        "warning": warning,
        "missing": missing,
        "agreed": agreed,
        "start": np.where(started_by, start, _NAT),
        "halt": np.where(halted_by, halt, _NAT),
        "done": np.where(completed, done, _NAT),
        "due": due,
        "dev": dev,
        "total": total,
        "inv": inv,
        "price": price,
        "low_dev": low_dev,
        "low_inv": low_inv,
        "cause_idx": cause_idx,
        "cause_bad": cause_bad,
        "exempt": exempt,
    }


def _label_series(codes: np.ndarray, labels, index: pd.Index) -> pd.Series:
    """Integer codes (−1 = missing) → a pandas ``str`` Series, built in C via an Arrow dictionary."""
    labels = list(labels)
    try:
        import pyarrow as pa

        arrow = pa.DictionaryArray.from_arrays(
            pa.array(codes.astype(np.int32), mask=codes < 0), pa.array(labels, type=pa.string())
        ).cast(pa.large_string())
        return pd.Series(pd.array(arrow, dtype="str"), index=index)
    except ImportError:  # pragma: no cover - pyarrow is a dependency, this is a fallback
        values = np.asarray([*labels, None], dtype=object)[np.where(codes < 0, len(labels), codes)]
        return pd.Series(values, index=index, dtype="str")


def _date_series(days: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(days.astype(_OUTPUT_DATE_UNIT), index=index)


def classify_idle(parcels: pd.DataFrame, *, as_of, rules: Mapping | None = None) -> pd.DataFrame:
    """
    Idle-land status of every parcel as of a date (《闲置土地处置办法》 Arts. 2, 8, 14).

    Parameters
    ----------
    parcels
        One row per parcel with any of the columns ``agreed_start_date``,
        ``actual_start_date``, ``halted_since``, ``completion_date``,
        ``area_due_m2``, ``developed_area_m2``, ``total_investment_wan``,
        ``invested_wan``, ``land_price_wan``, ``delay_cause``. A column the frame
        lacks counts as empty in every row: rows that need it become ``unknown``.
        Dates may be datetime64, date objects, strings or None.
    as_of
        The date the status is judged at (str, date, datetime, Timestamp).
        Anything dated after it is treated as not yet happened.
    rules
        The idle rule set (see ``geo/rules/idle.yaml``), complete or partial: it is
        deep-merged over the shipped defaults. ``None`` uses the defaults.

    Returns
    -------
    idle
        Only the new columns, aligned to ``parcels.index``:

        - ``idle_status`` (str): one of :data:`IDLE_STATUSES`.
        - ``idle_kind`` (str or NA): ``not_started`` (kind A, also for
          ``not_due``) or ``stalled`` (kind B); NA for active, completed, unknown.
        - ``clock_start`` (datetime64): agreed start date (kind A) or halt date
          (kind B); NaT without a clock.
        - ``idle_days`` (Int64): days from ``clock_start`` to ``as_of``
          (2025-06-30 → 2026-06-30 is 365); NA without a running clock.
        - ``idle_since`` (datetime64): the 1-year mark, for idle statuses only.
        - ``next_threshold_date`` (datetime64): when the status would next change
          with no further event: agreed start date for ``not_due``, 1-year mark
          for ``overdue``/``stalled``, 2-year mark for ``idle_fee``; NaT otherwise.
        - ``fee_wan`` (float): ``fee_share_of_price`` × ``land_price_wan`` for
          ``idle_fee``; NaN otherwise or when the price is missing.
        - ``warning`` (bool): ``overdue``/``stalled`` whose 1-year mark is at most
          ``warning_days`` days after ``as_of``.
        - ``missing_fields`` (str): comma-separated canonical names of the fields
          whose absence made the row ``unknown`` (or, for ``idle_fee``, the missing
          ``land_price_wan``); ``''`` when none.

    Notes
    -----
    Whole-column numpy arithmetic; strings are parsed once per distinct value.
    See the module docstring for the decisions on boundaries and missing data.
    """
    ev = _evaluate(parcels, as_of, rules)
    index = parcels.index
    days = pd.arrays.IntegerArray(ev["idle_days"], ev["idle_days_mask"].copy())
    return pd.DataFrame(
        {
            "idle_status": _label_series(ev["status"], IDLE_STATUSES, index),
            "idle_kind": _label_series(ev["kind"], IDLE_KINDS, index),
            "clock_start": _date_series(ev["clock_start"], index),
            "idle_days": pd.Series(days, index=index),
            "idle_since": _date_series(ev["idle_since"], index),
            "next_threshold_date": _date_series(ev["next"], index),
            "fee_wan": pd.Series(ev["fee"], index=index, dtype=float),
            "warning": pd.Series(ev["warning"], index=index, dtype=bool),
            "missing_fields": _label_series(ev["missing"], _MISSING_TEXT, index),
        },
        index=index,
    )


def invalid_delay_causes(parcels: pd.DataFrame) -> pd.Series:
    """
    Flag delay causes that are neither empty nor one of the seven Art. 8 codes.

    Such rows are classified as the holder's cause by :func:`classify_idle`;
    this lets the caller show them for correction. Codes are matched after
    trimming, case-folding and ``-``/space → ``_``; the Chinese labels of
    :mod:`geo.vocab` (``geo/rules/vocab.yaml``) are accepted too.

    Returns
    -------
    invalid
        bool, aligned to ``parcels.index``; all False when the column is absent.
    """
    _, bad = _causes(parcels)
    return pd.Series(bad, index=parcels.index, dtype=bool, name="invalid_delay_cause")


def summarize_idle(status: pd.Series, area_mu: pd.Series, fee_wan: pd.Series) -> pd.DataFrame:
    """
    Count, area and fees per idle status, every status listed, plus a total row.

    Parameters
    ----------
    status
        ``idle_status`` values (from :func:`classify_idle`).
    area_mu
        Parcel areas in 亩, aligned with ``status``; NaN counts as 0.
    fee_wan
        Idle-land fees in 万元, aligned with ``status``; NaN counts as 0.

    Returns
    -------
    summary
        Index ``idle_status``: :data:`IDLE_STATUSES` in order, then ``total``.
        Columns ``count`` (int), ``area_mu`` (float), ``fee_wan`` (float).

    Raises
    ------
    ValueError
        When a status is missing or not one of :data:`IDLE_STATUSES`.
    """
    status = pd.Series(status)
    valid = status.isin(IDLE_STATUSES)
    if not valid.all():
        odd = status[~valid]
        raise ValueError(
            f"summarize_idle: {len(odd)} status value(s) not in IDLE_STATUSES, e.g. {odd.iloc[0]!r} "
            f"at index {odd.index[0]!r}: pass the idle_status column from classify_idle"
        )
    frame = pd.DataFrame(
        {
            "idle_status": pd.Categorical(status.to_numpy(dtype=object), categories=IDLE_STATUSES),
            "count": 1,
            "area_mu": pd.Series(area_mu).to_numpy(dtype=float, na_value=np.nan),
            "fee_wan": pd.Series(fee_wan).to_numpy(dtype=float, na_value=np.nan),
        }
    )
    out = frame.groupby("idle_status", observed=False).sum(min_count=0)
    out.index = pd.Index(list(IDLE_STATUSES), name="idle_status")
    out.loc["total"] = out.sum(axis=0)
    out["count"] = out["count"].astype(np.int64)
    return out[["count", "area_mu", "fee_wan"]]


# --------------------------------------------------------------------------- explanation

#: Articles of order No. 53 an explanation item cites (its ``article`` argument).
ARTICLE_CODES: tuple[str, ...] = (
    "art2", "art2_1", "art2_2", "art8", "art14_1", "art14_2", "art15",
)  # fmt: skip

#: Durations inside an item (``elapsed``): whole years and months, days under a month.
DURATION_CODES: tuple[str, ...] = (
    "explain_duration_days",
    "explain_duration_months",
    "explain_duration_years",
    "explain_duration_years_months",
)

#: Every message code :func:`explain_idle` can emit (words: ``words/idle.py``).
EXPLANATION_CODES: tuple[str, ...] = (
    "explain_completed",
    "explain_missing_inputs",
    "explain_active",
    "explain_active_halted",
    "explain_not_due",
    "explain_overdue_clock",
    "explain_halted_clock",
    "explain_developed_share_low",
    "explain_invested_share_low",
    "explain_overdue_before_mark",
    "explain_stalled_before_mark",
    "explain_warning",
    "explain_idle_not_started",
    "explain_idle_stalled",
    "explain_exempt",
    "explain_cause_not_recorded",
    "explain_cause_unrecognised",
    "explain_fee",
    "explain_fee_no_price",
    "explain_recover_next",
    "explain_recover",
    "explain_hearing",
    *DURATION_CODES,
)


def _day(value: np.datetime64):
    """A ``datetime64`` day as a ``datetime.date`` (None for NaT): plain data in the items."""
    return None if np.isnat(value) else pd.Timestamp(value).date()


def _duration(start: np.datetime64, end: np.datetime64) -> dict:
    years, months, days = _elapsed_parts(start, end)
    if years == 0 and months == 0:
        return {"code": "explain_duration_days", "days": days}
    if months == 0:
        return {"code": "explain_duration_years", "years": years}
    if years == 0:
        return {"code": "explain_duration_months", "months": months}
    return {"code": "explain_duration_years_months", "years": years, "months": months}


def _years(months: int) -> int | float:
    return months // 12 if months % 12 == 0 else months / 12


def explain_idle(row: Mapping, *, as_of, rules: Mapping | None = None) -> list[dict]:
    """
    Why one parcel has its idle status, as message items citing order No. 53.

    Parameters
    ----------
    row
        One parcel's fields (a dict or a DataFrame row), same columns as
        :func:`classify_idle`; computed columns already present are ignored and
        recomputed for ``as_of``.
    as_of
        The date the status is judged at.
    rules
        As in :func:`classify_idle`.

    Returns
    -------
    items
        One sentence each, in reading order: ``{"code": …, **arguments}`` with a
        code of :data:`EXPLANATION_CODES`; dates are ``datetime.date``, shares and
        money plain floats, ``article`` one of :data:`ARTICLE_CODES`, ``cause`` a
        delay-cause code, ``columns`` canonical column names, ``elapsed`` a
        duration item (:data:`DURATION_CODES`). ``words.idle.explanation(items,
        lang)`` renders them, e.g. "约定动工开发日期为2021-03-01，截至2022-11-01已逾期
        1年8个月未动工开发。……"
    """
    keep = {k: v for k, v in dict(row).items() if k not in IDLE_OUTPUT_COLUMNS}
    frame = pd.DataFrame({k: pd.Series([v], dtype=object) for k, v in keep.items()}, index=[0])
    ev = _evaluate(frame, as_of, rules)
    raw_cause = keep.get("delay_cause")
    return _explain(ev, raw_cause)


def _explain(ev: dict, raw_cause) -> list[dict]:
    status = IDLE_STATUSES[int(ev["status"][0])]
    th = ev["th"]
    today = ev["today"]
    as_of = _day(today)
    idle_years = _years(th["idle_months"])
    rec_years = _years(th["recover_months"])
    if status == "completed":
        return [{"code": "explain_completed", "done": _day(ev["done"][0]), "as_of": as_of, "article": "art2"}]
    if status == "unknown":
        names = [n for n in _MISSING_TEXT[int(ev["missing"][0])].split(",") if n]
        return [{"code": "explain_missing_inputs", "as_of": as_of, "columns": names, "article": "art2"}]
    if status == "active":
        if not np.isnat(ev["halt"][0]):
            return [{"code": "explain_active_halted", "halted": _day(ev["halt"][0]), "as_of": as_of,
                     "article": "art2_2"}]  # fmt: skip
        return [{"code": "explain_active", "as_of": as_of, "article": "art2"}]
    if status == "not_due":
        agreed = ev["agreed"][0]
        return [{"code": "explain_not_due", "agreed": _day(agreed), "as_of": as_of,
                 "days_left": int((agreed - today).astype(np.int64)), "years": idle_years,
                 "article": "art2_1"}]  # fmt: skip
    clock = ev["clock_start"][0]
    kind_a = int(ev["kind"][0]) == 0
    kind = IDLE_KINDS[0] if kind_a else IDLE_KINDS[1]
    elapsed = _duration(clock, today)
    if kind_a:
        items = [{"code": "explain_overdue_clock", "agreed": _day(clock), "as_of": as_of, "elapsed": elapsed}]
    else:
        items = [{"code": "explain_halted_clock", "halted": _day(clock), "as_of": as_of, "elapsed": elapsed}]
        if ev["low_dev"][0]:
            items.append({"code": "explain_developed_share_low", "share": float(ev["dev"][0] / ev["due"][0])})
        if ev["low_inv"][0]:
            items.append({"code": "explain_invested_share_low", "share": float(ev["inv"][0] / ev["total"][0])})
    idle_mark = _day(ev["idle_mark"][0])
    if status in ("overdue", "stalled"):
        items.append({"code": "explain_overdue_before_mark" if kind_a else "explain_stalled_before_mark",
                      "years": idle_years, "idle_mark": idle_mark,
                      "article": "art2_1" if kind_a else "art2_2"})  # fmt: skip
        if ev["warning"][0]:
            items.append({"code": "explain_warning", "years": idle_years,
                          "days_left": int((ev["idle_mark"][0] - today).astype(np.int64)),
                          "warning_days": int(th["warning_days"])})  # fmt: skip
        return items
    items.append({"code": "explain_idle_not_started" if kind_a else "explain_idle_stalled",
                  "years": idle_years, "idle_since": idle_mark, "article": "art2_1" if kind_a else "art2_2"})  # fmt: skip
    if status == "idle_exempt":
        cause = vocab.DELAY_CAUSES[int(ev["cause_idx"][0])]
        items.append({"code": "explain_exempt", "cause": cause, "article": "art8"})
        return items
    if ev["cause_bad"][0]:
        items.append({"code": "explain_cause_unrecognised", "value": str(raw_cause).strip(), "article": "art8"})
    else:
        items.append({"code": "explain_cause_not_recorded", "article": "art8"})
    recover_mark = _day(ev["recover_mark"][0])
    if status == "idle_fee":
        price = float(ev["price"][0])
        if np.isfinite(price):
            items.append({"code": "explain_fee", "price_wan": price, "fee_share": float(th["fee_share"]),
                          "fee_wan": float(ev["fee"][0]), "article": "art14_1"})  # fmt: skip
        else:
            items.append({"code": "explain_fee_no_price", "fee_share": float(th["fee_share"]), "article": "art14_1"})
        items.append({"code": "explain_recover_next", "recover_mark": recover_mark, "clock": kind,
                      "years": rec_years, "article": "art14_2"})  # fmt: skip
    else:
        items.append({"code": "explain_recover", "recover_mark": recover_mark, "clock": kind,
                      "years": rec_years, "article": "art14_2"})  # fmt: skip
    items.append({"code": "explain_hearing", "article": "art15"})
    return items
