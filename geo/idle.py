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
- The cause of delay is what the bureau's investigation establishes (Arts. 9-11), never
  assumed. Past the 1-year mark a parcel whose file records the holder's cause
  (``delay_cause = holder``, or 使用权人原因, 企业原因, 自身原因 … in
  ``geo/rules/vocab.yaml``) is ``idle_fee`` / ``idle_recover`` (Art. 14); one with an
  Art. 8 cause of the rules' ``exempt_causes`` is ``idle_exempt``; every other one —
  blank cause, a text that matches nothing (``cause_unrecognised``, e.g. 规划调整, which may
  or may not mean 规划修改), or an Art. 8 code the rules do not exempt — is
  ``idle_suspected`` (疑似闲置·原因待调查认定): idle land by the clock, counted with the
  other idle statuses (:data:`IDLE_LAND_STATUSES`), but with no fee and no recovery
  proposed. ``status_if_holder`` and ``fee_if_holder_wan`` say what would follow if the
  cause proved to be the holder's. The cause matters only once a parcel is idle
  (``overdue`` stays ``overdue`` whatever its cause).
- ``fee_wan`` is 20 % of ``land_price_wan`` for ``idle_fee`` rows, NaN for every
  other status (``idle_suspected`` included). An ``idle_fee`` row without a land price
  keeps its status (the price is not needed to decide it), gets NaN as fee, and lists
  ``land_price_wan`` in ``missing_fields`` so the gap shows up.
- Data that contradict each other are flagged in ``data_conflicts`` (codes of
  :data:`CONFLICT_CODES`), not silently judged:

  - ``progress_without_start``: developed area or investment recorded (> 0) but no
    actual start date. The row is judged on its dates (not started), the conflict shown.
  - ``supply_after_as_of``: the supply date is later than ``as_of``. At that date the land
    was not yet supplied, so no clock runs: the status is ``not_supplied`` whatever the
    other columns say (replaying a past date gives this status for land supplied later).
  - ``halt_before_start``: a halt dated before the actual start. The row is ``unknown``
    (``missing_fields = halted_since``), never on a recovery clock.
  - ``agreed_before_supply``: the agreed start date in force is earlier than the supply
    date. The clock runs from the agreed date as recorded; the conflict is shown.
  - ``extension_unreadable``: a supplementary agreement whose date signed or new start
    date cannot be read; it is left out of the clock.
- Supplementary agreements (补充协议) move the agreed start date: each parcel's history
  (date signed, new agreed start, reason, document number) comes from the column
  ``start_extensions`` (JSON, or entries separated by ";" / "；" with fields
  ``signed,new_start,reason,doc_no``) and/or an ``extensions`` table keyed by
  ``parcel_id`` (:func:`extension_table`). The clock uses the agreed start date in force
  at ``as_of``: that of the latest agreement signed on or before ``as_of``, else the
  contract's ``agreed_start_date`` (an agreement signed after ``as_of`` does not count yet).
- ``not_due`` rows carry ``idle_kind`` ``not_started`` and their future clock
  start (the agreed date) but ``idle_days`` NA: the clock has not started.
- A date that is present but cannot be parsed is treated as missing where it is
  needed and named in ``missing_fields`` (an unreadable start date must not pass
  for "not started").
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import pandas as pd

from geo import vocab
from geo.rules import RulesError, deep_merge, load_rules, rule_value

#: Every status, in the fixed order used by summaries and legends.
IDLE_STATUSES: tuple[str, ...] = (
    "not_supplied",
    "not_due",
    "overdue",
    "stalled",
    "idle_suspected",
    "idle_fee",
    "idle_recover",
    "idle_exempt",
    "active",
    "completed",
    "unknown",
)

#: Statuses that are idle land by the clock (≥ 1 year, Art. 2): counted in every idle
#: area, count and statistic alike, whatever the cause (suspected, holder's, government's).
IDLE_LAND_STATUSES: tuple[str, ...] = ("idle_suspected", "idle_fee", "idle_recover", "idle_exempt")

#: What an ``idle_suspected`` parcel would become if the cause proved to be the holder's.
HOLDER_STATUSES: tuple[str, ...] = ("idle_fee", "idle_recover")

IDLE_KINDS: tuple[str, ...] = ("not_started", "stalled")

#: The delay-cause code that means "the holder's own cause" (geo/rules/vocab.yaml).
HOLDER_CAUSE = "holder"

#: Data conflicts :func:`classify_idle` flags in ``data_conflicts`` (words: ``words/idle.py``).
CONFLICT_CODES: tuple[str, ...] = (
    "progress_without_start",
    "supply_after_as_of",
    "halt_before_start",
    "agreed_before_supply",
    "extension_unreadable",
)

#: Columns of an extensions table (:func:`extension_table`), in order.
EXTENSION_COLUMNS: tuple[str, ...] = ("parcel_id", "signed_date", "new_start_date", "reason", "doc_no")
#: Headers an extensions table may use for them (case-folded, spaces removed).
EXTENSION_ALIASES: dict[str, str] = {
    "parcel_id": "parcel_id", "宗地编号": "parcel_id", "宗地号": "parcel_id", "地块编号": "parcel_id",
    "signed_date": "signed_date", "signed": "signed_date", "签订日期": "signed_date",
    "协议签订日期": "signed_date", "补充协议签订日期": "signed_date",
    "new_start_date": "new_start_date", "new_start": "new_start_date", "新约定动工日期": "new_start_date",
    "约定动工日期": "new_start_date", "变更后约定动工日期": "new_start_date", "延期后动工日期": "new_start_date",
    "延长后动工日期": "new_start_date",
    "reason": "reason", "原因": "reason", "延期原因": "reason", "延期理由": "reason",
    "doc_no": "doc_no", "文号": "doc_no", "协议编号": "doc_no", "补充协议编号": "doc_no", "文件编号": "doc_no",
}  # fmt: skip
#: The parcel column that may carry each parcel's supplementary agreements.
EXTENSIONS_COLUMN = "start_extensions"

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
    "agreed_start_in_force",
    "extension_signed_date",
    "extension_doc_no",
    "cause_code",
    "cause_unrecognised",
    "status_if_holder",
    "fee_if_holder_wan",
    "data_conflicts",
)

_BIT = {name: 1 << i for i, name in enumerate(IDLE_INPUT_COLUMNS)}
_MISSING_TEXT = np.array(
    [
        ",".join(n for n in IDLE_INPUT_COLUMNS if code & _BIT[n])
        for code in range(1 << len(IDLE_INPUT_COLUMNS))
    ],
    dtype=object,
)
_CONFLICT_BIT = {name: 1 << i for i, name in enumerate(CONFLICT_CODES)}
_CONFLICT_TEXT = np.array(
    [
        ",".join(n for n in CONFLICT_CODES if code & _CONFLICT_BIT[n])
        for code in range(1 << len(CONFLICT_CODES))
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
    unknown = [c for c, code in zip(exempt, exempt_codes, strict=True) if code is None or code == HOLDER_CAUSE]
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
    """Delay causes as (code index into :data:`geo.vocab.CAUSE_CODES` or -1, non-empty but unrecognised mask)."""
    n = len(parcels)
    if "delay_cause" not in parcels.columns:
        return np.full(n, -1), np.zeros(n, dtype=bool)
    codes, bad = vocab.normalise("delay_cause", parcels["delay_cause"])
    index = {c: i for i, c in enumerate(vocab.CAUSE_CODES)}
    out = codes.map(index).fillna(-1).to_numpy(dtype=int)
    return out, bad.to_numpy(dtype=bool)


# --------------------------------------------------------------------------- extensions

_ENTRY_SPLIT = r"[;；\n]+"
_FIELD_SPLIT = r"[,，|]"


def _clean_text(value) -> str | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    text = str(value).strip()
    return None if text.casefold() in _NULL_TOKENS else text


def _entries_of(text: str) -> list[dict]:
    """One cell of ``start_extensions`` → its entries (raw strings): JSON or ";"-separated."""
    stripped = text.strip()
    if stripped[:1] in "[{":
        try:
            data = json.loads(stripped)
        except ValueError:
            return [{"signed_date": stripped, "new_start_date": None, "reason": None, "doc_no": None}]
        items = data if isinstance(data, list) else [data]
        out = []
        for item in items:
            if not isinstance(item, Mapping):
                out.append({"signed_date": str(item), "new_start_date": None, "reason": None, "doc_no": None})
                continue
            entry = {"signed_date": None, "new_start_date": None, "reason": None, "doc_no": None}
            for key, value in item.items():
                name = EXTENSION_ALIASES.get(re.sub(r"\s+", "", str(key)).casefold())
                if name and name != "parcel_id":
                    entry[name] = _clean_text(value)
            out.append(entry)
        return out
    out = []
    for chunk in re.split(_ENTRY_SPLIT, stripped):
        if not chunk.strip():
            continue
        fields = [f.strip() for f in re.split(_FIELD_SPLIT, chunk)]
        signed = fields[0] if fields else None
        new = fields[1] if len(fields) > 1 else None
        doc = fields[-1] if len(fields) > 3 else None
        reason = "，".join(f for f in fields[2:-1] if f) if len(fields) > 3 else (fields[2] if len(fields) == 3 else None)
        out.append({"signed_date": signed or None, "new_start_date": new or None,
                    "reason": reason or None, "doc_no": doc or None})  # fmt: skip
    return out


def extension_table(extensions) -> pd.DataFrame:
    """
    A table of supplementary agreements (补充协议) with its headers mapped to
    :data:`EXTENSION_COLUMNS` (宗地编号, 签订日期, 新约定动工日期, 延期原因, 文号 … accepted).

    Raises
    ------
    ValueError
        When the table lacks the parcel number, the date signed or the new start date.
    """
    table = pd.DataFrame(extensions)
    rename = {}
    for col in table.columns:
        name = EXTENSION_ALIASES.get(re.sub(r"\s+", "", str(col)).casefold())
        if name and name not in rename.values():
            rename[col] = name
    table = table.rename(columns=rename)
    lacking = [c for c in EXTENSION_COLUMNS[:3] if c not in table.columns]
    if lacking:
        raise ValueError(f"extensions table lacks {lacking}: give 宗地编号, 签订日期 and 新约定动工日期 columns")
    for c in ("reason", "doc_no"):
        if c not in table.columns:
            table[c] = None
    return table[list(EXTENSION_COLUMNS)]


def _extension_rows(parcels: pd.DataFrame, extensions) -> pd.DataFrame:
    """
    Every supplementary agreement of every parcel as a long table: ``row`` (position in
    ``parcels``), ``signed`` / ``new_start`` (datetime64[D], NaT when missing),
    ``readable``, ``reason``, ``doc_no``, ``order`` (entry order, ties broken by it).
    """
    parts = []
    if EXTENSIONS_COLUMN in parcels.columns:
        col = parcels[EXTENSIONS_COLUMN]
        codes, uniques = pd.factorize(col.astype(object), use_na_sentinel=True)
        per_unique = []
        for u in np.asarray(uniques, dtype=object):
            text = _clean_text(u)
            per_unique.append(_entries_of(text) if text else [])
        lengths = np.array([len(e) for e in per_unique], dtype=np.int64)
        has = codes >= 0
        rows = np.flatnonzero(has)
        counts = lengths[codes[rows]] if len(rows) else np.zeros(0, dtype=np.int64)
        if counts.sum():
            flat = [e for entries in per_unique for e in entries]
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
            row_rep = np.repeat(rows, counts)
            offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            take = np.repeat(starts[codes[rows]], counts) + offset
            entries = pd.DataFrame(flat).iloc[take].reset_index(drop=True)
            entries.insert(0, "row", row_rep)
            parts.append(entries)
    if extensions is not None:
        table = extension_table(extensions)
        if len(table):
            pid = parcels["parcel_id"].astype(str) if "parcel_id" in parcels.columns else pd.Series(dtype=str)
            pos = pd.DataFrame({"parcel_id": pid.to_numpy(), "row": np.arange(len(pid))})
            keyed = table.assign(parcel_id=table["parcel_id"].astype(str).str.strip())
            joined = keyed.merge(pos, on="parcel_id", how="inner")
            parts.append(joined[["row", "signed_date", "new_start_date", "reason", "doc_no"]])
    if not parts:
        return pd.DataFrame({"row": np.zeros(0, dtype=np.int64), "signed": np.zeros(0, "datetime64[D]"),
                             "new_start": np.zeros(0, "datetime64[D]"), "readable": np.zeros(0, bool),
                             "reason": pd.Series(dtype=object), "doc_no": pd.Series(dtype=object),
                             "order": np.zeros(0, dtype=np.int64)})  # fmt: skip
    long = pd.concat(parts, ignore_index=True)
    frame = pd.DataFrame({"signed_date": long["signed_date"].astype(object),
                          "new_start_date": long["new_start_date"].astype(object)})  # fmt: skip
    signed, _ = _dates(frame, "signed_date")
    new, _ = _dates(frame, "new_start_date")
    out = pd.DataFrame(
        {
            "row": long["row"].to_numpy(dtype=np.int64),
            "signed": signed,
            "new_start": new,
            "readable": ~np.isnat(signed) & ~np.isnat(new),
            "reason": long["reason"].map(_clean_text).astype(object).to_numpy(),
            "doc_no": long["doc_no"].map(_clean_text).astype(object).to_numpy(),
        }
    )
    out["order"] = np.arange(len(out))
    # The same agreement from the column and the table counts once.
    out = out.drop_duplicates(subset=["row", "signed", "new_start", "doc_no"], keep="first")
    return out.sort_values(["row", "signed", "order"], kind="stable").reset_index(drop=True)


def _in_force(ext: pd.DataFrame, n: int, today: np.datetime64) -> tuple[np.ndarray, ...]:
    """Per parcel: (new agreed start in force or NaT, its date signed, its entry index or -1, any unreadable)."""
    new = np.full(n, _NAT)
    signed = np.full(n, _NAT)
    which = np.full(n, -1, dtype=np.int64)
    unreadable = np.zeros(n, dtype=bool)
    if len(ext):
        unreadable[ext.loc[~ext["readable"], "row"].to_numpy()] = True
        valid = ext[ext["readable"] & (ext["signed"].to_numpy() <= today)]
        last = valid.drop_duplicates(subset="row", keep="last")  # sorted by signed: the latest counts
        rows = last["row"].to_numpy()
        new[rows] = last["new_start"].to_numpy()
        signed[rows] = last["signed"].to_numpy()
        which[rows] = last.index.to_numpy()
    return new, signed, which, unreadable


def extension_history(parcels: pd.DataFrame, *, as_of, extensions=None) -> pd.DataFrame:
    """
    Each parcel's supplementary agreements, one row each, oldest first.

    Columns: ``parcel_id`` (when the parcels have it), ``row`` (the parcel's index
    label), ``signed_date``, ``new_start_date`` (datetime64, NaT when unreadable),
    ``reason``, ``doc_no`` (str or None), ``readable`` (bool), ``counts`` (signed on or
    before ``as_of``) and ``in_force`` (the agreement whose date the clock uses).
    """
    today = _as_of_day(as_of)
    ext = _extension_rows(parcels, extensions)
    _, _, which, _ = _in_force(ext, len(parcels), today)
    in_force = np.zeros(len(ext), dtype=bool)
    in_force[which[which >= 0]] = True
    out = pd.DataFrame(
        {
            "row": parcels.index.to_numpy()[ext["row"].to_numpy()] if len(ext) else pd.Series(dtype=object),
            "signed_date": ext["signed"].to_numpy().astype(_OUTPUT_DATE_UNIT),
            "new_start_date": ext["new_start"].to_numpy().astype(_OUTPUT_DATE_UNIT),
            "reason": ext["reason"].to_numpy(dtype=object),
            "doc_no": ext["doc_no"].to_numpy(dtype=object),
            "readable": ext["readable"].to_numpy(dtype=bool),
            "counts": ext["readable"].to_numpy(dtype=bool) & (ext["signed"].to_numpy() <= today),
            "in_force": in_force,
        }
    )
    if "parcel_id" in parcels.columns:
        out.insert(0, "parcel_id", parcels["parcel_id"].to_numpy()[ext["row"].to_numpy()] if len(ext) else [])
    return out


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


def _evaluate(parcels: pd.DataFrame, as_of, rules: Mapping | None, extensions=None) -> dict:
    """All intermediate arrays of the idle rules (shared by classify and explain)."""
    th = idle_thresholds(rules)
    today = _as_of_day(as_of)
    n = len(parcels)

    contract_agreed, _agreed_bad = _dates(parcels, "agreed_start_date")
    # Supplementary agreements signed by as_of move the agreed start date (the date in force).
    ext = _extension_rows(parcels, extensions)
    ext_new, ext_signed, ext_which, ext_bad = _in_force(ext, n, today)
    agreed = np.where(np.isnat(ext_new), contract_agreed, ext_new)
    supply, _supply_bad = _dates(parcels, "supply_date")
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

    conflicts = np.zeros(n, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        progress = (np.isfinite(dev) & (dev > 0)) | (np.isfinite(inv) & (inv > 0))
    conflicts[progress & np.isnat(start) & ~start_bad] |= _CONFLICT_BIT["progress_without_start"]
    not_supplied = supply > today
    conflicts[not_supplied] |= _CONFLICT_BIT["supply_after_as_of"]
    conflicts[~np.isnat(halt) & ~np.isnat(start) & (halt < start)] |= _CONFLICT_BIT["halt_before_start"]
    conflicts[~np.isnat(agreed) & ~np.isnat(supply) & (agreed < supply)] |= _CONFLICT_BIT["agreed_before_supply"]
    conflicts[ext_bad] |= _CONFLICT_BIT["extension_unreadable"]

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
    known_codes = list(vocab.CAUSE_CODES)
    exempt_idx = np.array([known_codes.index(c) for c in th["exempt_causes"]], dtype=int)
    exempt = np.isin(cause_idx, exempt_idx)
    # Only a cause recorded as the holder's leads to a fee or recovery (Art. 14); a blank,
    # unrecognised or non-exempt cause leaves the parcel suspected until it is established.
    holder = cause_idx == known_codes.index(HOLDER_CAUSE)
    suspected = idle & ~exempt & ~holder
    before_recover = today < recover_mark

    status[not_due] = _CODE["not_due"]
    status[clock_a & ~idle] = _CODE["overdue"]
    status[stall & ~idle] = _CODE["stalled"]
    fee_rows = idle & holder & before_recover
    status[fee_rows] = _CODE["idle_fee"]
    status[idle & holder & ~before_recover] = _CODE["idle_recover"]
    status[idle & exempt] = _CODE["idle_exempt"]
    status[suspected] = _CODE["idle_suspected"]
    if_holder = np.full(n, -1, dtype=np.int8)
    if_holder[suspected & before_recover] = 0
    if_holder[suspected & ~before_recover] = 1

    # Land supplied after as_of: at that date there was no supplied land, so no clock at all.
    status[not_supplied] = _CODE["not_supplied"]
    missing[not_supplied] = 0
    clock = clock & ~not_supplied
    fee_rows = fee_rows & ~not_supplied
    if_holder[not_supplied] = -1

    with np.errstate(invalid="ignore"):
        fee = np.where(fee_rows, price * th["fee_share"], np.nan)
        fee_if_holder = np.where(if_holder == 0, price * th["fee_share"], np.nan)
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
    nxt[if_holder == 0] = recover_mark[if_holder == 0]
    nxt[not_supplied] = supply[not_supplied]

    kind = np.full(n, -1, dtype=np.int8)
    kind[kind_a] = 0
    kind[stall] = 1
    kind[not_supplied] = -1
    idle = idle & ~not_supplied

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
        "if_holder": if_holder,
        "fee_if_holder": fee_if_holder,
        "conflicts": conflicts,
        "contract_agreed": contract_agreed,
        "supply": supply,
        "raw_start": start,
        "raw_halt": halt,
        "ext": ext,
        "ext_signed": ext_signed,
        "ext_which": ext_which,
    }


#: The arrays of :func:`_evaluate` that :func:`classify_idle` makes its columns of.
_CLASSIFY_READS = frozenset({
    "status", "kind", "clock_start", "idle_days", "idle_days_mask", "idle_since", "next", "fee", "warning",
    "missing", "agreed", "ext", "ext_which", "ext_signed", "cause_idx", "cause_bad", "if_holder", "fee_if_holder",
    "conflicts",
})


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


def classify_idle(parcels: pd.DataFrame, *, as_of, rules: Mapping | None = None, extensions=None) -> pd.DataFrame:
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
    extensions
        Optional table of supplementary agreements keyed by ``parcel_id`` (see
        :func:`extension_table`), read together with the ``start_extensions`` column.

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
        - ``agreed_start_in_force`` (datetime64): the agreed start date the clock uses
          (the latest supplementary agreement signed by ``as_of``, else the contract's).
        - ``extension_signed_date`` (datetime64), ``extension_doc_no`` (str or NA): the
          agreement in force; NaT/NA when the contract's date holds.
        - ``cause_code`` (str or NA): the delay cause read (:data:`geo.vocab.CAUSE_CODES`).
        - ``cause_unrecognised`` (bool): a cause text that matches no known cause.
        - ``status_if_holder`` (str or NA): for ``idle_suspected``, ``idle_fee`` or
          ``idle_recover`` — what would follow if the cause proved to be the holder's.
        - ``fee_if_holder_wan`` (float): the fee that would then be due (``idle_suspected``
          whose ``status_if_holder`` is ``idle_fee``); never in ``fee_wan``.
        - ``data_conflicts`` (str): comma-separated codes of :data:`CONFLICT_CODES`; ``''``
          when none.

    Notes
    -----
    Whole-column numpy arithmetic; strings are parsed once per distinct value.
    See the module docstring for the decisions on boundaries and missing data.
    """
    # Only the arrays the table is made of are kept, each let go as its column is made: at a
    # million parcels the rules' working arrays are ~120 MB and the columns ~150 MB.
    ev = {k: v for k, v in _evaluate(parcels, as_of, rules, extensions).items() if k in _CLASSIFY_READS}
    index = parcels.index
    days = pd.arrays.IntegerArray(ev.pop("idle_days"), ev.pop("idle_days_mask").copy())
    ext = ev.pop("ext")
    which = ev.pop("ext_which")
    doc = np.full(len(index), None, dtype=object)
    if len(ext):
        doc[which >= 0] = ext["doc_no"].to_numpy(dtype=object)[which[which >= 0]]
    del which, ext
    made = {
        "idle_status": lambda: _label_series(ev.pop("status"), IDLE_STATUSES, index),
        "idle_kind": lambda: _label_series(ev.pop("kind"), IDLE_KINDS, index),
        "clock_start": lambda: _date_series(ev.pop("clock_start"), index),
        "idle_days": lambda: pd.Series(days, index=index),
        "idle_since": lambda: _date_series(ev.pop("idle_since"), index),
        "next_threshold_date": lambda: _date_series(ev.pop("next"), index),
        "fee_wan": lambda: pd.Series(ev.pop("fee"), index=index, dtype=float),
        "warning": lambda: pd.Series(ev.pop("warning"), index=index, dtype=bool),
        "missing_fields": lambda: _label_series(ev.pop("missing"), _MISSING_TEXT, index),
        "agreed_start_in_force": lambda: _date_series(ev.pop("agreed"), index),
        "extension_signed_date": lambda: _date_series(ev.pop("ext_signed"), index),
        "extension_doc_no": lambda: pd.Series(doc, index=index, dtype="str"),
        "cause_code": lambda: _label_series(ev.pop("cause_idx"), vocab.CAUSE_CODES, index),
        "cause_unrecognised": lambda: pd.Series(ev.pop("cause_bad"), index=index, dtype=bool),
        "status_if_holder": lambda: _label_series(ev.pop("if_holder"), HOLDER_STATUSES, index),
        "fee_if_holder_wan": lambda: pd.Series(ev.pop("fee_if_holder"), index=index, dtype=float),
        "data_conflicts": lambda: _label_series(ev.pop("conflicts"), _CONFLICT_TEXT, index),
    }
    # copy=False: the columns as made, not copied again into blocks of one dtype.
    return pd.DataFrame({name: make() for name, make in made.items()}, index=index, copy=False)


def invalid_delay_causes(parcels: pd.DataFrame) -> pd.Series:
    """
    Flag delay causes that are neither empty nor a known cause (Art. 8's seven, ``holder``).

    Such rows stay ``idle_suspected`` in :func:`classify_idle` (never the holder's
    fault); this lets the caller show them for the officer to settle. Codes are matched after
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
            # From the column as it is (a million statuses as Python strings are ~60 MB more).
            "idle_status": pd.Categorical(status.array, categories=IDLE_STATUSES),
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
    "art2", "art2_1", "art2_2", "art8", "art14", "art14_1", "art14_2", "art15",
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
    "explain_not_supplied",
    "explain_cause_holder",
    "explain_cause_not_exempt",
    "explain_if_holder_fee",
    "explain_if_holder_fee_no_price",
    "explain_if_holder_recover_next",
    "explain_if_holder_recover_reached",
    "explain_extension_in_force",
    "explain_extension_in_force_no_doc",
    "explain_extension_pending",
    *(f"explain_conflict_{c}" for c in CONFLICT_CODES),
    *DURATION_CODES,
)


def _day(value: np.datetime64):
    """A ``datetime64`` day as a ``datetime.date`` (None for NaT): plain data in the items."""
    return None if pd.isna(value) else pd.Timestamp(value).date()


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


def explain_idle(row: Mapping, *, as_of, rules: Mapping | None = None, extensions=None) -> list[dict]:
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
    rules, extensions
        As in :func:`classify_idle` (``extensions`` rows of other parcels are ignored).

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
    ev = _evaluate(frame, as_of, rules, extensions)
    raw_cause = keep.get("delay_cause")
    return [*_explain_extensions(ev), *_explain(ev, raw_cause), *_explain_conflicts(ev)]


def _explain_extensions(ev: dict) -> list[dict]:
    """The supplementary agreement in force (if any) and the first one signed after as_of."""
    ext = ev["ext"]
    if not len(ext):
        return []
    today = ev["today"]
    items = []
    which = int(ev["ext_which"][0])
    if which >= 0:
        entry = ext.loc[which]
        args = {"signed": _day(entry["signed"]), "contract_agreed": _day(ev["contract_agreed"][0]),
                "agreed": _day(entry["new_start"])}  # fmt: skip
        if entry["doc_no"]:
            items.append({"code": "explain_extension_in_force", **args, "doc_no": entry["doc_no"]})
        else:
            items.append({"code": "explain_extension_in_force_no_doc", **args})
    later = ext[ext["readable"].to_numpy() & (ext["signed"].to_numpy() > today)]
    if len(later):
        entry = later.iloc[0]
        items.append({"code": "explain_extension_pending", "signed": _day(entry["signed"]),
                      "agreed": _day(entry["new_start"]), "as_of": _day(today)})  # fmt: skip
    return items


def _explain_conflicts(ev: dict) -> list[dict]:
    bits = int(ev["conflicts"][0])
    today = _day(ev["today"])
    args = {
        "progress_without_start": {},
        "supply_after_as_of": {"supply": _day(ev["supply"][0]), "as_of": today},
        "halt_before_start": {"halted": _day(ev["raw_halt"][0]), "started": _day(ev["raw_start"][0])},
        "agreed_before_supply": {"agreed": _day(ev["agreed"][0]), "supply": _day(ev["supply"][0])},
        "extension_unreadable": {},
    }
    return [{"code": f"explain_conflict_{c}", **args[c]} for c in CONFLICT_CODES if bits & _CONFLICT_BIT[c]]


def _explain(ev: dict, raw_cause) -> list[dict]:
    status = IDLE_STATUSES[int(ev["status"][0])]
    th = ev["th"]
    today = ev["today"]
    as_of = _day(today)
    idle_years = _years(th["idle_months"])
    rec_years = _years(th["recover_months"])
    if status == "not_supplied":
        return [{"code": "explain_not_supplied", "supply": _day(ev["supply"][0]), "as_of": as_of, "article": "art2"}]
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
    recover_mark = _day(ev["recover_mark"][0])
    fee_share = float(th["fee_share"])
    price = float(ev["price"][0])
    if status == "idle_suspected":
        cause_idx = int(ev["cause_idx"][0])
        if ev["cause_bad"][0]:
            items.append({"code": "explain_cause_unrecognised", "value": str(raw_cause).strip(), "article": "art8"})
        elif cause_idx >= 0:
            items.append({"code": "explain_cause_not_exempt", "cause": vocab.CAUSE_CODES[cause_idx], "article": "art8"})
        else:
            items.append({"code": "explain_cause_not_recorded", "article": "art8"})
        # What would follow if the cause proved to be the holder's — shown, never proposed.
        if np.isfinite(price):
            items.append({"code": "explain_if_holder_fee", "idle_since": idle_mark, "price_wan": price,
                          "fee_share": fee_share, "fee_wan": price * fee_share, "article": "art14_1"})  # fmt: skip
        else:
            items.append({"code": "explain_if_holder_fee_no_price", "idle_since": idle_mark, "fee_share": fee_share,
                          "article": "art14_1"})  # fmt: skip
        reached = int(ev["if_holder"][0]) == 1
        items.append({"code": "explain_if_holder_recover_reached" if reached else "explain_if_holder_recover_next",
                      "recover_mark": recover_mark, "clock": kind, "years": rec_years, "article": "art14_2"})  # fmt: skip
        return items
    items.append({"code": "explain_cause_holder", "article": "art14"})
    if status == "idle_fee":
        if np.isfinite(price):
            items.append({"code": "explain_fee", "price_wan": price, "fee_share": fee_share,
                          "fee_wan": float(ev["fee"][0]), "article": "art14_1"})  # fmt: skip
        else:
            items.append({"code": "explain_fee_no_price", "fee_share": fee_share, "article": "art14_1"})
        items.append({"code": "explain_recover_next", "recover_mark": recover_mark, "clock": kind,
                      "years": rec_years, "article": "art14_2"})  # fmt: skip
    else:
        items.append({"code": "explain_recover", "recover_mark": recover_mark, "clock": kind,
                      "years": rec_years, "article": "art14_2"})  # fmt: skip
    items.append({"code": "explain_hearing", "article": "art15"})
    return items
