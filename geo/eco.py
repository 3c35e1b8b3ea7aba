"""
Eco-transformation (生态化改造) of the parks: indicator checks and the 2020 targets.

Thresholds are HJ 274-2015 values kept as data in ``geo/rules/eco.yaml``
(configurable defaults; domain.md §6 says to verify them against DB45/T 1944-2019).
Per park the checks report each indicator the park supplies against its threshold;
the tracker counts completed parks against the plan's targets (domain.md §1): all
national-level parks and ≥ 30 % of region-level parks completed by 2020, ≥ 16 parks,
≥ 6 of them national.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from geo import vocab
from geo.errors import CodedError
from geo.rules import checked_number, load_rules

#: Park columns holding eco indicators, in report order.
ECO_INDICATORS: tuple[str, ...] = (
    "energy_tce_per_wan_va",
    "water_m3_per_wan_va",
    "industrial_water_reuse",
    "solid_waste_use",
    "reclaimed_water_reuse",
    "va_wan_per_worker",
)
ECO_STATUSES: tuple[str, ...] = vocab.ECO_STATUSES
#: Results of a check (words: label kind ``eco_result``).
RESULTS: tuple[str, ...] = ("passed", "failed", "not_supplied")
#: Rows of the target tracker (words: label kind ``eco_target``).
TARGET_IDS: tuple[str, ...] = ("national_eco_completed", "regional_eco_completed", "park_count", "national_count")
#: Codes of the ``notes`` items of checks and tracker (a test checks each has zh and en words).
NOTE_CODES: tuple[str, ...] = ("verify_against", "completed_without_year", "parks_counted_as_given",
                               "parks_without_level")

#: Every code of an :class:`EcoError`, with its arguments (``key`` as eco.yaml writes it).
ECO_ERROR_CODES: tuple[str, ...] = (
    # data
    "eco_parks_no_park_id",  # —
    "eco_unknown_level",  # column, values, park_ids, allowed_levels
    "eco_unknown_status",  # column, values, park_ids, allowed_statuses
    "eco_negative_values",  # indicator, park_ids
    "eco_rate_above_one",  # indicator, park_ids
    # rules (eco.yaml and its override)
    "eco_rule_missing",  # key
    "eco_rule_not_number",  # key, value
    "eco_rule_out_of_range",  # key, value, low, high
    "eco_rule_below_min",  # key, value, low
    "eco_rule_choice",  # key, value, allowed_directions
)

_TOL = 1e-9


class EcoError(CodedError):
    """
    Park eco data, or eco rules, that cannot be checked as given.

    ``code`` is one of :data:`ECO_ERROR_CODES`; render ``item`` with ``words.render``.
    """


def _rule_number(spec: dict, key: str, path: str, *, low: float | None = None, high: float | None = None) -> float:
    if key not in spec:
        raise EcoError("eco_rule_missing", key=path)
    return checked_number(spec[key], key=path, error=EcoError, prefix="eco_rule", low=low, high=high)


def eco_rules(rules: dict | str | Path | None = None) -> dict:
    """
    The validated eco rules: ``geo/rules/eco.yaml`` with ``rules`` (dict or YAML path) deep-merged.

    The one loader of the eco rule set: every indicator of :data:`ECO_INDICATORS` has a
    numeric ``threshold`` (a fraction's within 0-1) and a ``direction`` of ``max`` or
    ``min``; the targets are numbers (shares within 0-1). Values are returned as floats.

    Raises
    ------
    EcoError
        A value not allowed (``eco_rule_*`` codes naming the key and the value).
    RulesError
        The override file is missing or not valid YAML.
    """
    merged = load_rules("eco", rules)
    indicators = merged.get("indicators")
    if not isinstance(indicators, dict):
        raise EcoError("eco_rule_missing", key="indicators")
    for ind in ECO_INDICATORS:
        spec = indicators.get(ind)
        if not isinstance(spec, dict):
            raise EcoError("eco_rule_missing", key=f"indicators.{ind}")
        high = 1.0 if spec.get("fraction") else None
        spec["threshold"] = _rule_number(spec, "threshold", f"indicators.{ind}.threshold", low=0, high=high)
        if spec.get("direction") not in ("max", "min"):
            raise EcoError("eco_rule_choice", key=f"indicators.{ind}.direction", value=str(spec.get("direction")),
                           allowed_directions=["max", "min"])
    tg = merged.get("targets")
    if not isinstance(tg, dict):
        raise EcoError("eco_rule_missing", key="targets")
    tg["target_year"] = _rule_number(tg, "target_year", "targets.target_year", low=1900)
    for key in ("national_completed_share", "regional_completed_share"):
        tg[key] = _rule_number(tg, key, f"targets.{key}", low=0, high=1)
    for key in ("park_count_min", "national_count_min"):
        tg[key] = _rule_number(tg, key, f"targets.{key}", low=0)
    return merged


def _ids(parks: pd.DataFrame) -> pd.Series:
    if "park_id" not in parks:
        raise EcoError("eco_parks_no_park_id")
    return parks["park_id"].astype("string").str.strip()


def _coded(parks: pd.DataFrame, column: str, kind: str) -> pd.Series:
    """Values → codes by :func:`geo.vocab.normalise`; missing → NA; unknown → EcoError naming the parks."""
    if column not in parks:
        return pd.Series(pd.NA, index=parks.index, dtype="string")
    coded, bad = vocab.normalise(kind, parks[column])
    if bad.any():
        ids = _ids(parks)[bad]
        text = parks[column].astype("string").str.strip()
        code, allowed = {"park_level": ("eco_unknown_level", "allowed_levels"),
                         "eco_status": ("eco_unknown_status", "allowed_statuses")}[kind]
        raise EcoError(code, column=column, values=sorted({str(v) for v in text[bad]}),
                       park_ids=[str(p) for p in ids[:5]], **{allowed: list(vocab.codes(kind))})
    return coded.astype("string")


def park_levels(parks: pd.DataFrame) -> pd.Series:
    """``level`` as ``national`` / ``regional`` (Chinese 国家级 / 自治区级 accepted); missing → NA."""
    return _coded(parks, "level", "park_level")


def eco_status(parks: pd.DataFrame) -> pd.Series:
    """``eco_status`` as not_started / in_progress / completed (Chinese accepted); missing → NA."""
    return _coded(parks, "eco_status", "eco_status")


def eco_year(parks: pd.DataFrame) -> pd.Series:
    """``eco_year`` as a float year; a date gives its year; missing → NaN."""
    if "eco_year" not in parks:
        return pd.Series(np.nan, index=parks.index, dtype=float)
    raw = parks["eco_year"]
    year = pd.to_numeric(raw, errors="coerce").astype(float)
    undated = year.isna() & raw.notna()
    if undated.any():
        as_date = pd.to_datetime(raw[undated].astype("string"), errors="coerce", format="mixed")
        year[undated] = as_date.dt.year.astype(float)
    return year


def eco_checks(parks: pd.DataFrame, *, rules: dict | str | Path | None = None) -> pd.DataFrame:
    """
    Each park's eco indicators against their thresholds (long: one row per park × indicator).

    Parameters
    ----------
    parks
        ``park_id`` and any of the :data:`ECO_INDICATORS` columns (missing column or
        value → "not supplied"); optional ``name_zh``, ``eco_status``, ``eco_year``.
        Rates are bare fractions (0.75 for 75 %).
    rules
        Override of ``geo/rules/eco.yaml``.

    Returns
    -------
    checks
        ``park_id``, (``name_zh``), ``eco_status``, ``eco_year``, ``indicator``,
        ``fraction`` (the value is a share), ``value``, ``threshold``,
        ``direction`` (``max``: value ≤ threshold passes; ``min``: value ≥
        threshold), ``passed`` (nullable boolean, NA when not supplied), ``result``
        (``passed`` | ``failed`` | ``not_supplied``), ``source`` (a source key) and
        ``notes`` (items of :data:`NOTE_CODES`, e.g. the standard to verify against).
        Names and units are words (``words.label("indicator", code)``).

    Raises
    ------
    EcoError
        A rate above 1 (a percentage given as 75) or a negative value.
    """
    rules = eco_rules(rules)
    ids = _ids(parks)
    status = eco_status(parks)
    year = eco_year(parks)
    frames = []
    for ind in ECO_INDICATORS:
        spec = rules["indicators"][ind]
        value = (pd.to_numeric(parks[ind], errors="coerce").astype(float) if ind in parks
                 else pd.Series(np.nan, index=parks.index))
        if (value < 0).any():
            raise EcoError("eco_negative_values", indicator=ind, park_ids=[str(p) for p in ids[value < 0][:5]])
        if spec.get("fraction") and (value > 1 + _TOL).any():
            raise EcoError("eco_rate_above_one", indicator=ind, park_ids=[str(p) for p in ids[value > 1 + _TOL][:5]])
        threshold = float(spec["threshold"])
        direction = spec["direction"]
        if direction == "max":
            ok = value <= threshold + _TOL
        elif direction == "min":
            ok = value >= threshold - _TOL
        else:  # eco_rules checked it; a caller's own dict may not have been
            raise EcoError("eco_rule_choice", key=f"indicators.{ind}.direction", value=str(direction),
                           allowed_directions=["max", "min"])
        passed = ok.astype("boolean").where(value.notna(), pd.NA)
        verify = spec.get("verify_key")
        note = [{"code": "verify_against", "source": verify}] if verify else []
        frame = pd.DataFrame(
            {
                "park_id": ids,
                "eco_status": status,
                "eco_year": year,
                "indicator": ind,
                "fraction": bool(spec.get("fraction")),
                "value": value,
                "threshold": threshold,
                "direction": direction,
                "passed": passed,
                "result": np.where(value.isna(), "not_supplied", np.where(ok, "passed", "failed")),
                "source": spec.get("source_key"),
            },
            index=parks.index,
        )
        frame["notes"] = pd.Series([note] * len(frame), index=frame.index, dtype=object)
        if "name_zh" in parks:
            frame.insert(1, "name_zh", parks["name_zh"])
        frames.append(frame)
    out = pd.concat(frames, ignore_index=False)
    order = pd.Series(range(len(parks)), index=parks.index)
    out["_park"] = order.reindex(out.index).to_numpy()
    out["_ind"] = out["indicator"].map({k: i for i, k in enumerate(ECO_INDICATORS)})
    return out.sort_values(["_park", "_ind"], kind="stable").drop(columns=["_park", "_ind"]).reset_index(drop=True)


def eco_summary(parks: pd.DataFrame, *, rules: dict | str | Path | None = None) -> pd.DataFrame:
    """
    One row per park: status, year and the checks in brief.

    Returns
    -------
    summary
        ``park_id``, ``eco_status``, ``eco_year``, ``n_supplied``, ``n_passed``,
        ``n_failed``, ``all_supplied_passed`` (NA when nothing supplied), and
        ``<indicator>_result`` per indicator (passed/failed/not_supplied).
    """
    checks = eco_checks(parks, rules=rules)
    wide = checks.pivot(index="park_id", columns="indicator", values="result")
    wide = wide.reindex(columns=list(ECO_INDICATORS)).add_suffix("_result")
    counts = checks.assign(
        supplied=checks["result"] != "not_supplied",
        ok=checks["result"] == "passed",
        bad=checks["result"] == "failed",
    ).groupby("park_id", sort=False)[["supplied", "ok", "bad"]].sum()
    ids = _ids(parks)
    out = pd.DataFrame({"park_id": ids, "eco_status": eco_status(parks), "eco_year": eco_year(parks)})
    out["n_supplied"] = counts["supplied"].reindex(ids.to_numpy()).to_numpy().astype(int)
    out["n_passed"] = counts["ok"].reindex(ids.to_numpy()).to_numpy().astype(int)
    out["n_failed"] = counts["bad"].reindex(ids.to_numpy()).to_numpy().astype(int)
    out["all_supplied_passed"] = pd.Series(out["n_failed"] == 0, dtype="boolean").where(out["n_supplied"] > 0, pd.NA)
    return pd.concat([out, wide.reindex(ids.to_numpy()).set_axis(out.index)], axis=1)


def _need(share: float, n: int) -> int:
    """Parks needed for a share of n: ceil, guarded against float noise (0.3 × 10 = 3, not 4)."""
    return math.ceil(share * n - _TOL) if n else 0


def target_tracker(parks: pd.DataFrame, *, as_of_year: int, rules: dict | str | Path | None = None) -> pd.DataFrame:
    """
    The plan's targets, each with the current figure, the target and the gap.

    Parameters
    ----------
    parks
        All the region's parks: ``park_id``, ``level`` (national/regional),
        ``eco_status``, ``eco_year``.
    as_of_year
        The year of the "current state" columns.
    rules
        Override of ``geo/rules/eco.yaml`` (``targets``).

    Returns
    -------
    tracker
        Rows ``national_eco_completed``, ``regional_eco_completed``, ``park_count``,
        ``national_count`` (:data:`TARGET_IDS`); columns ``target_id``, ``target_year``, ``base`` (parks in the group), ``target`` (count),
        ``target_share``, ``current`` (count by the target year), ``current_share``,
        ``gap`` (parks still needed, ≥ 0), ``met``; the same as of ``as_of_year``:
        ``as_of_year``, ``current_as_of``, ``share_as_of``, ``gap_as_of``,
        ``met_as_of``; ``notes`` (items of :data:`NOTE_CODES`) and ``source`` (key).

    Notes
    -----
    A park counts as completed by a year when ``eco_status`` is completed and
    ``eco_year`` ≤ that year. A completed park without a year is counted in
    neither (the note says how many). Park counts are of the parks given.
    """
    rules = eco_rules(rules)
    tg = rules["targets"]
    target_year = int(tg["target_year"])
    level = park_levels(parks)
    status = eco_status(parks)
    year = eco_year(parks)
    national = (level == "national").fillna(False).astype(bool)
    regional = (level == "regional").fillna(False).astype(bool)
    completed = (status == "completed").fillna(False).astype(bool)
    undated = completed & year.isna()

    def done_by(y: int) -> pd.Series:
        return completed & (year <= y).fillna(False).astype(bool)

    n_nat, n_all = int(national.sum()), len(parks)
    no_level = int(level.isna().sum())
    rows = []
    source = tg.get("source_key")
    for key, group, share in (
        ("national_eco_completed", national, float(tg["national_completed_share"])),
        ("regional_eco_completed", regional, float(tg["regional_completed_share"])),
    ):
        base = int(group.sum())
        need = _need(share, base)
        cur = int((done_by(target_year) & group).sum())
        now = int((done_by(int(as_of_year)) & group).sum())
        n_undated = int((undated & group).sum())
        rows.append({
            "target_id": key, "target_year": target_year,
            "base": base, "target": need, "target_share": share,
            "current": cur, "current_share": cur / base if base else np.nan,
            "gap": max(0, need - cur), "met": cur >= need,
            "as_of_year": int(as_of_year), "current_as_of": now,
            "share_as_of": now / base if base else np.nan,
            "gap_as_of": max(0, need - now), "met_as_of": now >= need,
            "notes": [{"code": "completed_without_year", "n": n_undated}] if n_undated else [],
            "source": source,
        })
    for key, cur, need in (
        ("park_count", n_all, int(tg["park_count_min"])),
        ("national_count", n_nat, int(tg["national_count_min"])),
    ):
        rows.append({
            "target_id": key, "target_year": target_year,
            "base": n_all, "target": need, "target_share": np.nan,
            "current": cur, "current_share": np.nan,
            "gap": max(0, need - cur), "met": cur >= need,
            "as_of_year": int(as_of_year), "current_as_of": cur, "share_as_of": np.nan,
            "gap_as_of": max(0, need - cur), "met_as_of": cur >= need,
            "notes": [{"code": "parks_counted_as_given"},
                      *([{"code": "parks_without_level", "n": no_level}] if no_level else [])],
            "source": source,
        })
    return pd.DataFrame(rows)
