"""
Per-亩 benefit grading (亩均论英雄, domain.md §4).

Each graded parcel gets score = Σ indicator / benchmark × weight (weights rescaled
to sum 100; benchmark = the comparison group's median by default), a rank within
its group and a class A 优先发展 / B 提升发展 / C 调控帮扶 / D 倒逼整治 by rank
cut-offs. Parcels lacking any weighted indicator are scored on tax per 亩 alone on
the same 100-point scale and flagged ``graded_on_tax_only``. All settings live in
``geo/rules/grading.yaml``; the result carries them in ``attrs["settings"]``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from geo.crs import m2_to_mu
from geo.errors import CodedError
from geo.intensity import _num, _site_area_m2, land_use_code
from geo.messages import Items
from geo.rules import checked_number, load_rules
from geo.vocab import classes_in

#: Indicators in the order of the default weights, with (numerator, denominator) inputs.
INDICATORS = {
    "tax_wan_per_mu": ("tax_wan", "area_mu"),
    "va_wan_per_mu": ("value_added_wan", "area_mu"),
    "va_wan_per_tce": ("value_added_wan", "energy_tce"),
    "va_wan_per_t_emission": ("value_added_wan", "emission_t"),
    "va_wan_per_employee": ("value_added_wan", "employees"),
    "rd_share": ("rd_wan", "revenue_wan"),
}
GROUPS = ("park", "region")
REGION_GROUP = "region"
#: Class codes, best first (words: label kind ``grade_class``).
GRADE_CLASSES = ("A", "B", "C", "D")
#: Why an indicator is missing (``indicator_missing``; items name the ``measure`` and ``column``).
INDICATOR_NOTE_CODES = ("column_missing", "column_not_positive")
#: Every code of ``grade_notes`` (a test checks each has zh and en words).
NOTE_CODES = (
    "not_graded_land_use",
    "not_graded_land_use_missing",
    "park_missing",
    "indicator_unknown",
    "not_graded_benchmark",
    "graded_on_tax_only",
    "benchmark_not_positive",
    "small_group",
    *INDICATOR_NOTE_CODES,
)


#: Every code of a :class:`GradingError`, with its arguments (``key`` as grading.yaml writes it).
GRADING_ERROR_CODES: tuple[str, ...] = (
    "grading_group_unknown",  # value, allowed_choices
    "grading_weights_unknown",  # key, values, allowed_indicators
    "grading_weights_none_positive",  # key
    "grading_setting_not_number",  # key, value
    "grading_setting_out_of_range",  # key, value, low, high
    "grading_setting_below_min",  # key, value, low
    "grading_cutoffs_order",  # key, a, b, c
    "grading_setting_choice",  # key, value, allowed_choices
    "grading_fallback_unknown",  # key, value, allowed_indicators
)


class GradingError(CodedError):
    """
    Grading settings that are not allowed; ``code`` is one of :data:`GRADING_ERROR_CODES`.

    Render ``item`` with ``words.render`` (the efficiency page shows it in the settings editor).
    """


def _number(value, key: str, *, low: float | None = None, high: float | None = None) -> float:
    return checked_number(value, key=key, error=GradingError, prefix="grading_setting", low=low, high=high)


def load_grading_settings(override: str | Path | Mapping | None = None) -> dict:
    """
    The validated grading settings: ``geo/rules/grading.yaml`` with ``override`` (mapping or
    YAML path) deep-merged.

    The one loader of the grading rule set, called once per :func:`grade`. Numbers come
    back as floats (``weights``, ``cutoffs``, ``benchmark.fixed``, ``cap_ratio`` or None)
    and ints (``min_group_size``, ``score_round_decimals``).

    Raises
    ------
    GradingError
        A value not allowed: a code of :data:`GRADING_ERROR_CODES` naming the key and the value.
    RulesError
        The override file is missing or not valid YAML.
    """
    s = load_rules("grading", override=override)
    raw_weights = s.get("weights") or {}
    if not isinstance(raw_weights, Mapping):
        raise GradingError("grading_setting_not_number", key="weights", value=str(raw_weights))
    unknown = sorted(str(k) for k in set(raw_weights) - set(INDICATORS))
    if unknown:
        raise GradingError("grading_weights_unknown", key="weights", values=unknown, allowed_indicators=list(INDICATORS))
    s["weights"] = {k: _number(v, f"weights.{k}", low=0) for k, v in raw_weights.items()}
    if sum(s["weights"].values()) <= 0:
        raise GradingError("grading_weights_none_positive", key="weights")
    cut = s.get("cutoffs") if isinstance(s.get("cutoffs"), Mapping) else {}
    s["cutoffs"] = {c: _number(cut.get(c), f"cutoffs.{c}", low=0, high=1) for c in ("A", "B", "C")}
    a, b, c = (s["cutoffs"][k] for k in ("A", "B", "C"))
    if not a <= b <= c:
        raise GradingError("grading_cutoffs_order", key="cutoffs", a=a, b=b, c=c)
    s["min_group_size"] = int(_number(s.get("min_group_size", 4), "min_group_size", low=1))
    s["score_round_decimals"] = int(_number(s.get("score_round_decimals", 6), "score_round_decimals", low=0))
    if s.get("cap_ratio") is not None:
        s["cap_ratio"] = _number(s["cap_ratio"], "cap_ratio", low=0)
    bench = s.get("benchmark") if isinstance(s.get("benchmark"), Mapping) else {}
    method = bench.get("method", "median")
    if method not in ("median", "mean"):
        raise GradingError("grading_setting_choice", key="benchmark.method", value=str(method),
                           allowed_choices=["median", "mean"])
    fixed = bench.get("fixed") or {}
    if not isinstance(fixed, Mapping):
        raise GradingError("grading_setting_not_number", key="benchmark.fixed", value=str(fixed))
    unknown = sorted(str(k) for k in set(fixed) - set(INDICATORS))
    if unknown:
        raise GradingError("grading_weights_unknown", key="benchmark.fixed", values=unknown,
                           allowed_indicators=list(INDICATORS))
    s["benchmark"] = {**bench, "method": method,
                      "fixed": {k: _number(v, f"benchmark.fixed.{k}", low=0)
                                for k, v in fixed.items() if v is not None}}
    fallback = s.get("fallback_indicator", "tax_wan_per_mu")
    if fallback not in INDICATORS:
        raise GradingError("grading_fallback_unknown", key="fallback_indicator", value=str(fallback),
                           allowed_indicators=list(INDICATORS))
    s["fallback_indicator"] = fallback
    # Any spelling of land_use.yaml (工业用地, 0601, M …); a name of no class is a RulesError.
    s["graded_land_uses"] = classes_in([str(u) for u in s.get("graded_land_uses") or ["industrial", "storage"]])
    return s


def grading_indicators(parcels: pd.DataFrame) -> pd.DataFrame:
    """
    The six 亩均 indicators of each parcel.

    Parameters
    ----------
    parcels
        With ``area_mu`` (or a geometry with a CRS), ``tax_wan``,
        ``value_added_wan``, ``energy_tce``, ``emission_t``, ``employees``,
        ``rd_wan``, ``revenue_wan``.

    Returns
    -------
    indicators
        ``tax_wan_per_mu``, ``va_wan_per_mu``, ``va_wan_per_tce``,
        ``va_wan_per_t_emission``, ``va_wan_per_employee``, ``rd_share`` and
        ``indicator_missing`` (items of :data:`INDICATOR_NOTE_CODES`). A zero denominator
        (no energy, emission, staff or revenue reported) leaves the indicator NaN.
    """
    ind, notes = _indicators(parcels)
    ind["indicator_missing"] = notes.lists()
    return ind


def _indicators(parcels: pd.DataFrame) -> tuple[pd.DataFrame, Items]:
    """The indicator columns of :func:`grading_indicators` and the notes on their NaNs."""
    idx = parcels.index
    notes = Items(idx)
    if "area_mu" in parcels.columns:
        area_mu = _num(parcels, "area_mu")
    else:
        area_mu = m2_to_mu(_site_area_m2(parcels)[0])
    inputs = {"area_mu": area_mu.where(area_mu > 0)}
    for col in (
        "tax_wan",
        "value_added_wan",
        "energy_tce",
        "emission_t",
        "employees",
        "rd_wan",
        "revenue_wan",
    ):
        inputs[col] = _num(parcels, col)
    out = pd.DataFrame(index=idx)
    for name, (num, den) in INDICATORS.items():
        n, d = inputs[num], inputs[den]
        notes.add(n.isna(), "column_missing", measure=name, column=num)
        notes.add(n.notna() & d.isna(), "column_missing", measure=name, column=den)
        zero = n.notna() & d.notna() & (d <= 0)
        notes.add(zero, "column_not_positive", measure=name, column=den)
        out[name] = (n / d).where(~zero)
    return out, notes


def _json_float(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def grade(
    parcels_with_metrics: pd.DataFrame,
    *,
    group: str = "park",
    settings: Mapping | str | Path | None = None,
) -> pd.DataFrame:
    """
    Grade parcels by per-亩 benefit (亩均论英雄).

    Parameters
    ----------
    parcels_with_metrics
        Parcels with ``land_use``, ``park_id`` (for ``group="park"``), ``area_mu``
        (or a geometry) and the inputs of :func:`grading_indicators`.
    group
        ``"park"``: benchmarks and ranks within each park; ``"region"``: across all
        parcels given.
    settings
        Override of ``geo/rules/grading.yaml`` (mapping or YAML path), deep-merged.

    Returns
    -------
    grades
        Aligned to the input index: the six indicator columns, ``group``,
        ``group_size`` (scored parcels in the group), ``score``, ``grade_class``
        ('A'-'D', NaN when not graded), ``grade_rank`` (1 = best; ties share the
        best rank), ``grade_position`` (the p compared with the cut-offs),
        ``graded_on_tax_only``, ``small_group``, ``grade_notes`` (items of
        :data:`NOTE_CODES`), and per indicator of :data:`INDICATORS` the score
        breakdown: ``bench_<indicator>`` (benchmark of the parcel's group),
        ``weight_<indicator>`` (weight on the 100-point scale; a tax-only parcel
        has 100 on the fallback indicator), ``ratio_<indicator>`` (value /
        benchmark, capped as set) and ``points_<indicator>`` (ratio × weight; they
        add up to ``score``). ``attrs["settings"]`` holds the settings and the
        benchmark of each group (JSON-serialisable).
    """
    if group not in GROUPS:
        raise GradingError("grading_group_unknown", value=str(group), allowed_choices=list(GROUPS))
    s = load_grading_settings(settings)
    weights = s["weights"]
    wsum = sum(w for w in weights.values() if w > 0)
    fallback = s["fallback_indicator"]
    cut_a, cut_b, cut_c = (s["cutoffs"][k] for k in ("A", "B", "C"))
    min_group = s["min_group_size"]
    decimals = s["score_round_decimals"]
    cap = s.get("cap_ratio")
    method = s["benchmark"]["method"]
    fixed = s["benchmark"]["fixed"]

    df = parcels_with_metrics
    idx = df.index
    ind, ind_notes = _indicators(df)
    notes = Items(idx)

    lu = land_use_code(df["land_use"] if "land_use" in df.columns else None, idx)
    uses = s["graded_land_uses"]
    eligible = lu.isin(uses).to_numpy(dtype=bool)
    lu_missing = pd.isna(lu).to_numpy(dtype=bool)
    notes.add(~eligible & ~lu_missing, "not_graded_land_use", land_use=lu.to_numpy(dtype=object))
    notes.add(~eligible & lu_missing, "not_graded_land_use_missing")

    if group == "park":
        key = (
            df["park_id"].astype("string").str.strip()
            if "park_id" in df.columns
            else pd.Series(pd.NA, index=idx, dtype="string")
        )
        key = key.mask(key == "")
        notes.add(eligible & key.isna(), "park_missing")
    else:
        key = pd.Series(REGION_GROUP, index=idx, dtype="string")

    has_tax = ind[fallback].notna()
    notes.add(eligible & key.notna() & ~has_tax, "indicator_unknown", indicator=fallback)
    graded = eligible & key.notna().to_numpy() & has_tax.to_numpy()

    # Benchmarks: the group statistic over graded parcels that have the indicator.
    # Groups as integer codes (factorised once; NaN = not graded) for every groupby below.
    codes, group_names = pd.factorize(key, sort=True)
    gcode = pd.Series(np.where(graded & (codes >= 0), codes, np.nan), index=idx)
    vals = ind[list(INDICATORS)].where(pd.Series(graded, index=idx), axis=0)
    # (groupby-transform fails when no row has a group: then there is no benchmark at all.)
    stats = vals.groupby(gcode).transform(method) if gcode.notna().any() else vals * np.nan
    ratios = {}
    bench_cols = {}
    for name in INDICATORS:
        if name in fixed:
            bench = pd.Series(fixed[name], index=idx).where(graded)
        else:
            bench = stats[name]
        bench_cols[name] = bench
        ratio = (vals[name] / bench).where(bench > 0)
        if cap is not None:
            ratio = ratio.clip(upper=float(cap))
        ratios[name] = ratio

    positive = [k for k, w in weights.items() if w > 0]
    have_all = pd.concat([ratios[k].notna() for k in positive], axis=1).all(axis=1).to_numpy()
    full = graded & have_all
    score_full = sum(ratios[k].fillna(0.0) * (weights[k] * 100.0 / wsum) for k in positive)
    score_tax = ratios[fallback] * 100.0
    tax_only = graded & ~have_all & ratios[fallback].notna().to_numpy()
    score = pd.Series(np.nan, index=idx)
    score = score.mask(full, score_full).mask(tax_only, score_tax)
    notes.add(graded & ~full & ~tax_only, "not_graded_benchmark", indicator=fallback)
    notes.add(tax_only, "graded_on_tax_only", indicator=fallback)
    for name in positive:
        no_bench = tax_only & ind[name].notna().to_numpy() & ratios[name].isna().to_numpy()
        notes.add(no_bench, "benchmark_not_positive", indicator=name)

    scored = score.notna()
    scode = gcode.where(scored)
    rank = score.round(decimals).where(scored).groupby(scode).rank(method="min", ascending=False)
    n = score.groupby(scode).transform("count").where(scored)
    small = scored & (n < min_group)
    # Position p = rank / n (rank 1 = best). In groups below min_group_size the
    # best parcel would otherwise be C or D only for having few peers.
    pos = (rank / n).where(~small, (rank - 1) / n)
    eps = 1e-9
    cls = np.select(
        [pos <= cut_a + eps, pos <= cut_b + eps, pos <= cut_c + eps],
        ["A", "B", "C"],
        default="D",
    )
    grade_class = pd.Series(cls, index=idx, dtype=object).where(scored)
    notes.add(small, "small_group", min_group_size=min_group)

    out = ind.copy()
    out["group"] = key.where(pd.Series(eligible, index=idx)).astype(object)
    out["group_size"] = n
    out["score"] = score
    out["grade_class"] = grade_class
    out["grade_rank"] = rank
    out["grade_position"] = pos
    out["graded_on_tax_only"] = tax_only
    out["small_group"] = small.to_numpy(dtype=bool)
    # Only graded parcels need the list of missing indicators; others have their own reason.
    notes.extend(ind_notes, tax_only)
    out["grade_notes"] = notes.lists()
    # The score split by indicator: what the page's and the export's breakdown show.
    tax_only_s = pd.Series(tax_only, index=idx)
    full_s = pd.Series(full, index=idx)
    for name in INDICATORS:
        w_full = weights[name] * 100.0 / wsum if name in positive else 0.0
        weight = pd.Series(np.nan, index=idx).mask(full_s, w_full)
        weight = weight.mask(tax_only_s, 100.0 if name == fallback else 0.0)
        out[f"bench_{name}"] = bench_cols[name].where(score.notna())
        out[f"weight_{name}"] = weight
        out[f"ratio_{name}"] = ratios[name].where(score.notna())
        out[f"points_{name}"] = (ratios[name].fillna(0.0) * weight).where(weight > 0, 0.0).where(score.notna())

    benchmarks = {
        str(group_names[int(g)]): {name: _json_float(v) for name, v in row.items()}
        for g, row in pd.DataFrame(bench_cols).groupby(gcode).first().to_dict(orient="index").items()
    }
    record = {
        "source": s.get("source"),
        "edition": s.get("edition"),
        "group": group,
        "weights": weights,
        "weights_rescaled_to_100": {k: weights[k] * 100.0 / wsum for k in positive},
        "benchmark_method": method,
        "benchmark_fixed": fixed,
        "cap_ratio": cap,
        "cutoffs": {"A": cut_a, "B": cut_b, "C": cut_c},
        "min_group_size": min_group,
        "score_round_decimals": decimals,
        "graded_land_uses": uses,
        "fallback_indicator": fallback,
        "benchmarks": benchmarks,
    }
    out.attrs["settings"] = json.loads(json.dumps(record, ensure_ascii=False))
    return out


def summarize_grades(df: pd.DataFrame, by: str = "park_id") -> pd.DataFrame:
    """
    Class counts per group, with a total row.

    Parameters
    ----------
    df
        With ``grade_class`` and ``graded_on_tax_only`` (output of :func:`grade`,
        joined to the parcels for ``by``).
    by
        Grouping column; absent → the total only.

    Returns
    -------
    summary
        Index = group (plus ``"__total__"``): ``A``, ``B``, ``C``, ``D``,
        ``ungraded``, ``tax_only``.
    """
    key = (
        df[by].astype("string").fillna("(unknown)")
        if by in df.columns
        else pd.Series("(all)", index=df.index, dtype="string")
    )
    cls = df["grade_class"]
    frame = pd.DataFrame({c: (cls == c).astype(int) for c in "ABCD"}, index=df.index)
    frame["ungraded"] = cls.isna().astype(int)
    frame["tax_only"] = df["graded_on_tax_only"].astype(bool).astype(int)
    total = frame.sum().to_frame("__total__").T
    if by not in df.columns:
        return total.astype(int)
    return pd.concat([frame.groupby(key.rename(by), sort=True).sum(), total]).astype(int)
