"""
Park evaluation: 开发区土地集约利用评价 (TD/T 1029; domain.md §5).

Per park, as of a date, from its parcels and the park's ``developable_ha`` and
``supply_ready_ha``: the nested land areas (developable ⊇ supply-ready ⊇ supplied ⊇
built-up), the thirteen indicators of domain.md §5, the park type, a 0-100 score by
ideal-value standardisation, ranks, and the potential (unbuilt, idle and
inefficient land, years of supply left).

Every figure is a sum over flagged parcels: :func:`flag_parcels` adds the flags
(``supplied``, ``builtup``, ``industrial`` …) and :func:`parcels_behind` returns the
parcels behind an indicator's numerator or denominator, so a page can show them.
Weights, ideal values and the type cut-off are data in ``geo/rules/evaluation.yaml``.

:data:`FIGURES` is the one indicator specification (numerator, denominator, unit,
direction, source key) that the evaluation, the compare page and the report read;
the evaluation returns each score split by indicator (:func:`score_breakdown`), and
its notes as message items (codes with numbers) that ``words`` renders.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import yaml

from geo.crs import M2_PER_HA, area_m2, to_web
from geo.errors import CodedError, error_item
from geo.io import parse_dates
from geo.messages import Items
from geo.rules import load_rules, yaml_place
from geo.vocab import classes_in, land_use_class, park_level, yes_no

RULES_DIR = Path(__file__).resolve().parent / "rules"

@dataclass(frozen=True)
class Part:
    """One side of a figure: a column of ``Evaluation.table`` and how parcels make it up."""

    column: str
    #: Unit of ``column``: ``ha``, ``m2`` or ``wan`` (万元).
    unit: str
    #: Parcel flag (of :func:`flag_parcels`) selecting the parcels summed; None: a park attribute.
    flag: str | None = None
    #: Column of ``Evaluation.parcels`` summed over those parcels; None: a park attribute.
    parcel_column: str | None = None


@dataclass(frozen=True)
class Figure:
    """
    One figure of the evaluation: the indicator specification every face reads.

    ``unit`` is how the value reads: ``fraction`` (a share, shown as %), ``ratio``
    (a FAR), ``wan_per_ha`` (万元/公顷), ``year`` or ``ha``. ``direction`` says which
    way is better (``higher``, or ``lower`` for a reverse indicator). ``source`` is a
    source key (words: ``words.label("source", key)``). Names, formulas and units in
    words: ``words/metrics.py`` (label kinds ``indicator``, ``indicator_formula``).
    """

    code: str
    numerator: Part
    denominator: Part | None
    unit: str
    direction: str = "higher"
    source: str = "td_t_1029_2017"
    scored: bool = True


def _p(column: str, unit: str, flag: str | None = None, parcel_column: str | None = None) -> Part:
    return Part(column, unit, flag, parcel_column)


_HA = "area_ha"
#: Every figure, in report order: the thirteen indicators of domain.md §5 first.
FIGURES: dict[str, Figure] = {f.code: f for f in (
    Figure("development_rate", _p("supply_ready_ha", "ha"), _p("developable_ha", "ha"), "fraction"),
    Figure("supply_rate", _p("supplied_ha", "ha", "supplied", _HA), _p("supply_ready_ha", "ha"), "fraction"),
    Figure("builtup_rate", _p("builtup_ha", "ha", "builtup", _HA), _p("supplied_ha", "ha", "supplied", _HA),
           "fraction"),
    Figure("industrial_share", _p("builtup_industrial_ha", "ha", "builtup_industrial", _HA),
           _p("builtup_ha", "ha", "builtup", _HA), "fraction"),
    Figure("far_overall", _p("floor_area_builtup_m2", "m2", "builtup", "floor_area_far_m2"),
           _p("builtup_ha", "ha", "builtup", _HA), "ratio"),
    Figure("building_density", _p("footprint_builtup_m2", "m2", "builtup", "footprint_m2"),
           _p("builtup_ha", "ha", "builtup", _HA), "fraction"),
    Figure("far_industrial", _p("floor_area_industrial_m2", "m2", "builtup_industrial", "floor_area_far_industrial_m2"),
           _p("builtup_industrial_ha", "ha", "builtup_industrial", _HA), "ratio"),
    Figure("building_coef_industrial", _p("footprint_industrial_m2", "m2", "builtup_industrial", "footprint_m2"),
           _p("builtup_industrial_ha", "ha", "builtup_industrial", _HA), "fraction"),
    Figure("invest_wan_per_ha", _p("invest_industrial_wan", "wan", "builtup_industrial", "investment_wan"),
           _p("builtup_industrial_ha", "ha", "builtup_industrial", _HA), "wan_per_ha"),
    Figure("tax_industrial_wan_per_ha", _p("tax_industrial_wan", "wan", "builtup_industrial", "tax_wan"),
           _p("builtup_industrial_ha", "ha", "builtup_industrial", _HA), "wan_per_ha"),
    Figure("tax_overall_wan_per_ha", _p("tax_overall_wan", "wan", "tax_overall_counted", "tax_wan"),
           _p("builtup_ha", "ha", "builtup", _HA), "wan_per_ha"),
    Figure("idle_disposal_rate", _p("idle_disposed_ha", "ha", "idle_disposed", _HA), _p("idle_ha", "ha", "idle", _HA),
           "fraction"),
    Figure("unbuilt_share", _p("unbuilt_ha", "ha", "unbuilt", _HA), _p("developable_ha", "ha"), "fraction",
           direction="lower"),
    Figure("years_of_supply_left", _p("supplied_ha", "ha", "supplied", _HA),
           _p("recent_supplied_ha", "ha", "recent_supply", _HA), "year", scored=False),
    Figure("idle_ha", _p("idle_ha", "ha", "idle", _HA), None, "ha", scored=False),
    Figure("unbuilt_ha", _p("unbuilt_ha", "ha", "unbuilt", _HA), None, "ha", scored=False),
    Figure("inefficient_ha", _p("inefficient_ha", "ha", "inefficient", _HA), None, "ha", scored=False),
)}
#: The scored indicators of domain.md §5, in report order.
INDICATORS: tuple[str, ...] = tuple(k for k, f in FIGURES.items() if f.scored)
PARK_TYPES: tuple[str, ...] = ("industry_led", "mixed")

#: Parcel flags behind each figure: (numerator flag, denominator flag); ``None`` where
#: the figure is a park attribute (developable_ha, supply_ready_ha).
TRACE: dict[str, tuple[str | None, str | None]] = {
    k: (f.numerator.flag, f.denominator.flag if f.denominator else None) for k, f in FIGURES.items()
}

#: Codes of the per-park ``notes`` (items; a test checks each has zh and en words).
PARK_NOTE_CODES: tuple[str, ...] = (
    "no_parcels",
    "supply_ready_missing",
    "developable_missing",
    "supply_ready_exceeds_developable",
    "supplied_exceeds_supply_ready",
    "park_type_unknown",
    "too_few_indicators",
    "no_idle_land",
    "parcels_without_area",
    "completed_without_supply_date",
    "builtup_without_floor_area",
    "builtup_without_footprint",
    "builtup_without_tax",
    "industrial_without_investment",
)
#: Codes of ``Evaluation.notes`` (the evaluation as a whole).
RUN_NOTE_CODES: tuple[str, ...] = (
    "parcels_outside_parks",
    "parcels_without_park",
    "idle_status_derived",
    "idle_status_failed",
    "inefficient_derived",
    "inefficient_failed",
    "no_idle_status_column",
    "no_disposal_status_column",
    "no_inefficient_column",
)
NOTE_CODES: tuple[str, ...] = (*PARK_NOTE_CODES, *RUN_NOTE_CODES)
#: Status of an indicator in a score: scored, not weighted for the park type, left out
#: for want of data (``exclude``) or counted as 0 points (``zero``).
SCORE_STATUSES: tuple[str, ...] = ("scored", "not_weighted", "excluded", "zero")
#: Code of the national-average reference row (words: label kind ``reference``).
REFERENCE_ID = "national_average_2019"

#: How equal scores share a rank (pandas' rank methods; the default is ``min``: 1, 2, 2, 4).
RANK_METHODS: tuple[str, ...] = ("min", "dense", "max", "first", "average")

_FLOAT_TOL = 1e-9


#: Every code of an :class:`EvaluationError`, with its arguments. Settings codes name the
#: ``key`` as the settings file writes it (``park_types.mixed.weights``) and the ``value``.
EVALUATION_ERROR_CODES: tuple[str, ...] = (
    # settings (evaluation.yaml and the user's override)
    "eval_settings_yaml_syntax",  # line, column
    "eval_settings_not_mapping",  # —
    "eval_settings_file_missing",  # file
    "eval_park_types_not_mapping",  # key
    "eval_park_type_missing",  # park_type, key
    "eval_weights_unknown",  # park_type, key, values, allowed_indicators
    "eval_setting_not_number",  # key, value
    "eval_weights_invalid",  # park_type, key
    "eval_ideal_not_positive",  # park_type, indicator, key, value, weight
    "eval_setting_out_of_range",  # key, value, low, high
    "eval_setting_not_whole",  # key, value, low
    "eval_setting_choice",  # key, value, allowed_choices
    # data
    "eval_parcels_no_park_id",  # —
    "eval_parcels_no_supply_date",  # —
    "eval_parcels_no_area",  # —
    "eval_parks_no_park_id",  # —
    "eval_parks_duplicate_id",  # park_ids
    "eval_parks_missing_id",  # n
    # programme use (a figure or output the caller names)
    "eval_unknown_figure",  # figure
    "eval_park_not_evaluated",  # park_ids (one park asked for that the evaluation does not hold)
    "eval_unknown_part",  # part
    "eval_geojson_needs_geometry",  # file
    "eval_unknown_output_type",  # file, ext, allowed_exts
)


class EvaluationError(CodedError):
    """
    Input or settings that an evaluation cannot be computed from.

    ``code`` is one of :data:`EVALUATION_ERROR_CODES`; the page renders ``item``
    (``words.render(exc.item, lang)``).
    """


# --------------------------------------------------------------------------- rules


def _number(value, key: str) -> float:
    """A setting's value as a float, or EvaluationError naming the key and the value."""
    if isinstance(value, bool) or value is None:
        raise EvaluationError("eval_setting_not_number", key=key, value=str(value))
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise EvaluationError("eval_setting_not_number", key=key, value=str(value)) from None
    if math.isnan(out):
        raise EvaluationError("eval_setting_not_number", key=key, value=str(value))
    return out


def _in_range(merged: dict, key: str, low: float, high: float | None) -> None:
    value = _number(merged.get(key), key)
    if value < low or (high is not None and value > high):
        raise EvaluationError("eval_setting_out_of_range", key=key, value=merged.get(key), low=low, high=high)


def _whole(merged: dict, key: str, low: int) -> None:
    value = _number(merged.get(key), key)
    if value != int(value) or value < low:
        raise EvaluationError("eval_setting_not_whole", key=key, value=merged.get(key), low=low)


def _choice(merged: dict, key: str, allowed: tuple[str, ...]) -> None:
    if merged.get(key) not in allowed:
        raise EvaluationError("eval_setting_choice", key=key, value=str(merged.get(key)), allowed_choices=list(allowed))


def evaluation_settings(settings: dict | str | Path | None = None) -> dict:
    """
    The validated evaluation settings: ``geo/rules/evaluation.yaml`` with ``settings`` merged over it.

    The one loader of the evaluation rule set: every value the evaluation reads is
    checked here, once per evaluation (the result is marked resolved and passes
    through :func:`_resolved` unchecked again).

    Parameters
    ----------
    settings
        Override (dict or YAML path). Nested maps merge, except that a ``weights`` map
        given for a park type replaces that type's default weights entirely
        (indicators left out weigh 0), so "these weights" means exactly these.

    Returns
    -------
    settings
        The dict used, with ``overridden`` listing the top-level keys the caller set;
        each park type's ``weights`` holds a float for every indicator.

    Raises
    ------
    EvaluationError
        A value not allowed (a code of :data:`EVALUATION_ERROR_CODES` naming the key and
        the value): a park type without a positive weight, a weighted indicator without
        a positive ideal value, a share outside 0-1, an unknown choice.
    RulesError
        The override file is missing or not valid YAML (line and column), or a land-use
        list names no class.
    """
    if settings is not None and not isinstance(settings, dict):
        path = Path(settings)
        try:
            text = path.read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError):
            raise EvaluationError("eval_settings_file_missing", file=path.name) from None
        try:
            settings = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise EvaluationError("eval_settings_yaml_syntax", **yaml_place(exc)) from None
        if not isinstance(settings, dict):
            raise EvaluationError("eval_settings_not_mapping")
    if settings and not isinstance(settings.get("park_types", {}), dict):
        raise EvaluationError("eval_park_types_not_mapping", key="park_types")
    merged = load_rules("evaluation", settings)
    if settings:
        for ptype, spec in (settings.get("park_types") or {}).items():
            if isinstance(spec, dict) and "weights" in spec and isinstance(merged["park_types"].get(ptype), dict):
                merged["park_types"][ptype]["weights"] = dict(spec["weights"] or {})
    merged["overridden"] = sorted(settings) if settings else []
    merged["_resolved"] = True
    if merged.get("reverse_indicators") is None:
        # The indicator specification says which indicators are better low.
        merged["reverse_indicators"] = [k for k in INDICATORS if FIGURES[k].direction == "lower"]
    for ptype in PARK_TYPES:
        spec = merged.get("park_types", {}).get(ptype)
        key = f"park_types.{ptype}"
        if not spec or not isinstance(spec, dict):
            raise EvaluationError("eval_park_type_missing", park_type=ptype, key=key)
        raw_weights = spec.get("weights") or {}
        if not isinstance(raw_weights, dict):
            raise EvaluationError("eval_park_types_not_mapping", key=f"{key}.weights")
        unknown = sorted(str(k) for k in set(raw_weights) - set(INDICATORS))
        if unknown:
            raise EvaluationError("eval_weights_unknown", park_type=ptype, key=f"{key}.weights",
                                  values=unknown, allowed_indicators=list(INDICATORS))
        weights = {k: _number(v, f"{key}.weights.{k}") for k, v in raw_weights.items()}
        if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
            raise EvaluationError("eval_weights_invalid", park_type=ptype, key=f"{key}.weights")
        ideals = spec.get("ideals") or {}
        if not isinstance(ideals, dict):
            raise EvaluationError("eval_park_types_not_mapping", key=f"{key}.ideals")
        for ind, w in weights.items():
            ideal = ideals.get(ind)
            if w <= 0:
                continue
            value = None if ideal is None else _number(ideal, f"{key}.ideals.{ind}")
            if value is None or not value > 0:
                raise EvaluationError("eval_ideal_not_positive", park_type=ptype, indicator=ind,
                                      key=f"{key}.ideals.{ind}", value=ideal, weight=w)
        spec["weights"] = {ind: weights.get(ind, 0.0) for ind in INDICATORS}
    _in_range(merged, "park_type_cutoff_industrial_share", 0, 1)
    _in_range(merged, "min_weight_share_for_score", 0, 1)
    _whole(merged, "supply_window_years", 1)
    _whole(merged, "rank_decimals", 0)
    _choice(merged, "park_type_if_unknown", PARK_TYPES)
    _choice(merged, "missing_indicator", ("exclude", "zero"))
    _choice(merged, "unbuilt_basis", ("supplied", "supply_ready"))
    _choice(merged, "rank_method", RANK_METHODS)
    for key in ("industrial_land_uses", "agricultural_land_uses"):
        uses = merged.get(key) or []
        classes_in([uses] if isinstance(uses, str) else [str(u) for u in uses])  # RulesError on a typo
    return merged


def _resolved(settings) -> dict:
    """Settings already resolved by :func:`evaluation_settings` pass through; else resolve."""
    if isinstance(settings, dict) and settings.get("_resolved"):
        return settings
    return evaluation_settings(settings)


# --------------------------------------------------------------------------- parcels


def _dates(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df:
        return pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    s = df[column]
    if pd.api.types.is_datetime64_any_dtype(s):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        # "On or before the date" compares days: a time of day must not push a parcel out.
        return s.dt.normalize()
    # Raw text, 2016年1月1日 or Excel serials read the way geo.io reads them.
    return parse_dates(s)[0]


def _bool(df: pd.DataFrame, column: str) -> pd.Series:
    """Nullable boolean from bool, 0/1 or text flags (是/否, true/false); unknown → NA."""
    if column not in df:
        return pd.Series(pd.NA, index=df.index, dtype="boolean")
    return yes_no(df[column])


def _num(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df:
        return pd.Series(np.nan, index=df.index, dtype=float)
    return pd.to_numeric(df[column], errors="coerce").astype(float)


def _codes(s: pd.Series, aliases: dict[str, str]) -> pd.Series:
    """Strip, map aliases (exact, then case-folded); unknown values kept, missing stay NA."""
    text = s.astype("string").str.strip()
    folded = {str(k).strip().casefold(): v for k, v in aliases.items()}
    mapped = text.str.casefold().map(folded)
    return mapped.where(mapped.notna(), text.str.casefold().where(text.notna()))


def normalise_land_use(land_use: pd.Series, *, settings: dict | None = None) -> pd.Series:
    """
    Land-use values → class codes (``industrial``, ``storage`` …) by :func:`geo.vocab.land_use_class`.

    Every code and name of GB/T 21010-2017, the 三调 classification, GB 50137-2011 and the
    2020 用地用海分类 is accepted (``geo/rules/land_use.yaml``); a value in none of them is
    kept as written and counts in no class. ``settings["land_use_classification"]``, when
    given, says how bare codes that collide between classifications are read.
    """
    settings = settings or {}
    return land_use_class(
        land_use, classification=settings.get("land_use_classification"), keep_unrecognised=True
    ).astype("string")


#: Columns of the parcels :func:`evaluate_parks` reads (besides a geometry): those of
#: :func:`flag_parcels`, of the idle rules and of the efficiency check it derives figures with.
PARCEL_COLUMNS = (
    "parcel_id", "park_id", "supply_date", "completion_date", "builtup", "land_use", "area_m2", "floor_area_m2",
    "floor_area_over_8m_m2", "footprint_m2", "invested_wan", "total_investment_wan", "tax_wan", "idle_status",
    "disposal_status", "inefficient", "decision", "agreed_start_date", "actual_start_date", "halted_since",
    "area_due_m2", "developed_area_m2", "land_price_wan", "delay_cause", "start_extensions", "industry_code",
    "industry_edition", "office_area_m2", "green_area_m2", "output_wan",
)


def flag_parcels(
    parcels: gpd.GeoDataFrame | pd.DataFrame, *, as_of, settings: dict | None = None, cases=None
) -> gpd.GeoDataFrame | pd.DataFrame:
    """
    Flag each parcel with the land classes the evaluation sums (as of a date).

    Parameters
    ----------
    parcels
        Parcels with ``park_id``, ``supply_date`` and a geometry with a CRS (or an
        ``area_m2`` column); optional ``completion_date``, ``builtup``, ``land_use``,
        ``floor_area_m2``, ``floor_area_over_8m_m2``, ``footprint_m2``,
        ``invested_wan``, ``total_investment_wan``, ``tax_wan``, ``idle_status``,
        ``disposal_status``, ``inefficient`` and the review store's ``decision``
        (a ``dismissed`` parcel is not idle land).
    as_of
        Evaluation date; events dated after it have not happened.
    settings
        As returned by :func:`evaluation_settings` (defaults when None).
    cases
        A :class:`geo.cases.CaseStore`: a parcel with a case is disposed only as of its
        recorded acts (:func:`geo.cases.disposed_as_of`); a parcel without one keeps the
        file's ``disposal_status`` (not disposed when the file has none).

    Returns
    -------
    parcels
        A copy with ``area_m2``, ``area_ha``, ``land_use`` (codes), ``supplied``,
        ``builtup``, ``industrial``, ``builtup_industrial``, ``unbuilt``,
        ``recent_supply``, ``idle``, ``disposed``, ``idle_disposed``,
        ``inefficient``, ``tax_overall_counted``, ``investment_wan`` and
        ``floor_area_far_m2`` (the floor area the FARs use). An imported ``builtup``
        flag is kept as ``builtup_imported``.

    Notes
    -----
    Supplied: ``supply_date`` ≤ as_of. Built-up: supplied and complete, where
    complete is ``completion_date`` ≤ as_of when a completion date is given, else
    the imported ``builtup`` flag (a completion date after as_of means the parcel
    was still under construction at the date, whatever the flag says today).
    """
    settings = _resolved(settings)
    as_of = pd.Timestamp(as_of).normalize()
    if "park_id" not in parcels:
        raise EvaluationError("eval_parcels_no_park_id")
    if "supply_date" not in parcels:
        raise EvaluationError("eval_parcels_no_supply_date")
    out = parcels.copy(deep=False)  # columns added, none written: the parcels' own are shared, not copied
    if "builtup" in parcels:
        out = out.rename(columns={"builtup": "builtup_imported"})
    if isinstance(parcels, gpd.GeoDataFrame) and parcels.geometry.name in parcels:
        out["area_m2"] = area_m2(parcels).to_numpy()
    elif "area_m2" in parcels:
        out["area_m2"] = _num(parcels, "area_m2")
    else:
        raise EvaluationError("eval_parcels_no_area")
    out["area_ha"] = out["area_m2"] / M2_PER_HA
    out["park_id"] = parcels["park_id"].astype("string").str.strip()

    land_use = normalise_land_use(parcels["land_use"], settings=settings) if "land_use" in parcels else (
        pd.Series(pd.NA, index=parcels.index, dtype="string"))
    out["land_use"] = land_use

    supply = _dates(parcels, "supply_date")
    completion = _dates(parcels, "completion_date")
    flag = _bool(parcels, "builtup")
    supplied = (supply <= as_of).fillna(False).astype(bool)
    complete = np.where(completion.notna(), (completion <= as_of).fillna(False), flag.fillna(False))
    builtup = supplied & complete.astype(bool)
    industrial = land_use.isin(classes_in(settings["industrial_land_uses"])).fillna(False).astype(bool)
    window = pd.DateOffset(years=int(settings["supply_window_years"]))
    recent = (supplied & (supply > as_of - window)).fillna(False).astype(bool)

    out["supplied"] = supplied
    out["complete_without_supply_date"] = (supply.isna() & (completion <= as_of)).fillna(False).astype(bool)
    out["builtup"] = builtup
    out["industrial"] = industrial
    out["builtup_industrial"] = builtup & industrial
    out["unbuilt"] = supplied & ~builtup
    out["recent_supply"] = recent
    agricultural = land_use.isin(classes_in(settings["agricultural_land_uses"])).fillna(False).astype(bool)
    out["tax_overall_counted"] = builtup & ~agricultural

    if "idle_status" in parcels:
        status = parcels["idle_status"].astype("string").str.strip()
        idle = status.isin(settings["idle_statuses"]).fillna(False).astype(bool)
        if "decision" in parcels:
            # A suspected hit that staff dismissed (review store) is not idle land.
            idle = idle & (parcels["decision"].astype("string") != "dismissed").fillna(True).astype(bool)
        out["idle"] = idle
    else:
        out["idle"] = pd.Series(pd.NA, index=parcels.index, dtype="boolean")
    if "disposal_status" in parcels:
        disposal = _codes(parcels["disposal_status"], settings.get("disposal_status_aliases", {}))
        out["disposed"] = disposal.isin(settings["disposed_statuses"]).fillna(False).astype(bool)
    else:
        out["disposed"] = pd.Series(pd.NA, index=parcels.index, dtype="boolean")
    if cases is not None and "parcel_id" in parcels:
        from geo.cases import disposed_as_of

        by_case = parcels["parcel_id"].astype("string").str.strip().map(disposed_as_of(cases, as_of))
        fallback = out["disposed"].astype("boolean").fillna(False)
        out["disposed"] = by_case.astype("boolean").fillna(fallback).astype(bool).to_numpy()
    out["idle_disposed"] = (out["idle"] & out["disposed"]).astype("boolean")
    out["inefficient"] = _bool(parcels, "inefficient")

    invested = _num(parcels, "invested_wan")
    out["investment_wan"] = invested.where(invested.notna(), _num(parcels, "total_investment_wan"))
    floor = _num(parcels, "floor_area_m2")
    out["floor_area_far_m2"] = floor
    if settings.get("far_industrial_double_count_over_8m"):
        out["floor_area_far_industrial_m2"] = floor + _num(parcels, "floor_area_over_8m_m2").fillna(0.0)
    else:
        out["floor_area_far_industrial_m2"] = floor
    return out


# --------------------------------------------------------------------------- evaluation


@dataclass
class Evaluation:
    """
    Result of :func:`evaluate_parks`.

    Attributes
    ----------
    table
        One row per park (areas in ha, numerators, indicators, ``std_<indicator>``,
        ``score``, ``rank``, ``rank_in_level``, potential, ``notes`` (message items),
        ``settings_used``);
        a GeoDataFrame with the park geometry when the parks had one.
    parcels
        The parcels of the evaluated parks with the flags of :func:`flag_parcels`.
    settings
        The settings dict used.
    reference
        The 2019 national-average reference row, standardised and scored.
    as_of
        The evaluation date.
    notes
        Data problems that concern no single park (e.g. parcels of unknown parks), as
        items of :data:`RUN_NOTE_CODES`.
    breakdown
        The score of each park split by indicator (see :func:`score_breakdown`).
    """

    table: pd.DataFrame
    parcels: pd.DataFrame
    settings: dict
    reference: pd.DataFrame
    as_of: pd.Timestamp
    notes: list[dict] = field(default_factory=list)
    breakdown: pd.DataFrame | None = None

    def park_breakdown(self, park_id) -> pd.DataFrame:
        """The rows of :attr:`breakdown` of one park, one per indicator in report order."""
        b = self.breakdown
        return b[b["park_id"] == str(park_id).strip()].reset_index(drop=True)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den; NaN where the denominator is 0 or unknown (no land → no rate)."""
    den = den.astype(float)
    return num.astype(float) / den.where(den > 0)


def _sum_by(values: pd.Series, keys: pd.Series, *, min_count: int) -> pd.Series:
    return values.astype(float).groupby(keys, sort=False).sum(min_count=min_count)


def _park_frame(parks: pd.DataFrame) -> pd.DataFrame:
    if "park_id" not in parks:
        raise EvaluationError("eval_parks_no_park_id")
    ids = parks["park_id"].astype("string").str.strip()
    dup = ids[ids.duplicated()]
    if len(dup):
        raise EvaluationError("eval_parks_duplicate_id", park_ids=[str(p) for p in dup.unique()[:5]])
    if ids.isna().any():
        raise EvaluationError("eval_parks_missing_id", n=int(ids.isna().sum()))
    return ids


def _standardise(actual: pd.Series, ideal: pd.Series, *, reverse: bool) -> pd.Series:
    """Ideal-value standardisation, capped at 100 (domain.md §5)."""
    if reverse:
        std = (ideal / actual.where(actual > 0)) * 100.0
        std = std.where(~(actual <= 0), 100.0)
    else:
        std = actual / ideal * 100.0
    return std.clip(lower=0.0, upper=100.0).where(actual.notna())


def score_indicators(indicators: pd.DataFrame, park_type: pd.Series, *, settings: dict) -> pd.DataFrame:
    """
    Standardised indicators and the weighted score, per row.

    Parameters
    ----------
    indicators
        Columns named as :data:`INDICATORS` (missing columns count as unavailable).
    park_type
        ``industry_led`` or ``mixed`` per row, choosing weights and ideals.
    settings
        As returned by :func:`evaluation_settings`.

    Returns
    -------
    scores
        ``std_<indicator>`` (0-100, NaN when unavailable), ``score``,
        ``score_weight_share`` (share of the type's weight available) and
        ``score_excluded`` (list of the weighted indicators left out).
    """
    return _score(indicators, park_type, settings=settings)[0]


def _score(indicators: pd.DataFrame, park_type: pd.Series, *, settings: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`score_indicators` and the long breakdown of :func:`score_breakdown` (row = input index)."""
    types = settings["park_types"]
    reverse = set(settings.get("reverse_indicators", []))
    idx = indicators.index
    out = pd.DataFrame(index=idx)
    num = pd.Series(0.0, index=idx)
    den = pd.Series(0.0, index=idx)
    total = park_type.map({t: sum(types[t]["weights"].values()) for t in PARK_TYPES}).astype(float)
    zero_missing = settings["missing_indicator"] == "zero"
    parts = {}
    for ind in INDICATORS:
        actual = indicators[ind].astype(float) if ind in indicators else pd.Series(np.nan, index=idx)
        weight = park_type.map({t: float(types[t]["weights"][ind]) for t in PARK_TYPES}).astype(float)
        ideal = park_type.map({t: float(types[t]["ideals"].get(ind) or np.nan) for t in PARK_TYPES}).astype(float)
        std = _standardise(actual, ideal, reverse=ind in reverse)
        out[f"std_{ind}"] = std
        weighted = weight > 0
        points = std.fillna(0.0) if zero_missing else std
        use = weighted & (points.notna())
        num = num + (weight * points).where(use, 0.0)
        den = den + weight.where(use, 0.0)
        status = np.select(
            [~weighted, use & std.notna(), weighted & std.isna() & zero_missing],
            ["not_weighted", "scored", "zero"],
            "excluded",
        )
        parts[ind] = pd.DataFrame({"value": actual, "ideal": ideal, "reverse": ind in reverse, "std": std,
                                   "weight": weight, "points": points.where(use), "status": status}, index=idx)
    share = den / total
    score = num / den.where(den > 0)
    if not zero_missing:
        score = score.where(share + _FLOAT_TOL >= float(settings.get("min_weight_share_for_score", 0.0)))
    out["score"] = score
    out["score_weight_share"] = share
    excluded = pd.DataFrame({ind: parts[ind]["status"] == "excluded" for ind in INDICATORS}, index=idx)
    # One list per distinct pattern of left-out indicators (few), spread over the rows.
    bits = excluded.to_numpy(dtype=np.int64) @ (np.int64(1) << np.arange(len(INDICATORS), dtype=np.int64))
    codes, uniques = pd.factorize(bits)
    lists = pd.Series([[ind for k, ind in enumerate(INDICATORS) if (u >> k) & 1] for u in uniques], dtype=object)
    out["score_excluded"] = pd.Series(lists.to_numpy()[codes] if len(idx) else [], index=idx, dtype=object)
    long = pd.concat(
        [p.assign(row=np.arange(len(idx)), indicator=ind) for ind, p in parts.items()], ignore_index=True
    )
    weight_scored = den.to_numpy()[long["row"].to_numpy()]
    has_score = score.notna().to_numpy()[long["row"].to_numpy()]
    long["weight_scored"] = weight_scored
    long["contribution"] = (long["weight"] * long["points"] / np.where(weight_scored > 0, weight_scored, np.nan)).where(
        has_score & long["points"].notna())
    order = {ind: i for i, ind in enumerate(INDICATORS)}
    long = long.assign(_o=long["indicator"].map(order)).sort_values(["row", "_o"], kind="stable").drop(columns="_o")
    return out, long.reset_index(drop=True)


def score_breakdown(table: pd.DataFrame, *, settings: dict) -> pd.DataFrame:
    """
    The score of each row of an evaluation table split by indicator.

    Parameters
    ----------
    table
        With ``park_id``, ``park_type``, the :data:`INDICATORS` and their numerator and
        denominator columns (as :attr:`Evaluation.table`).
    settings
        As returned by :func:`evaluation_settings`.

    Returns
    -------
    breakdown
        One row per park × indicator (report order): ``park_id``, ``indicator``,
        ``numerator``, ``denominator`` (values of the :data:`FIGURES` columns; NaN for
        a park attribute not given), ``value``, ``ideal``, ``reverse``, ``std``
        (standardised, 0-100), ``weight``, ``points`` (std as counted; NaN when not
        counted), ``weight_scored`` (the weights counted for the park),
        ``contribution`` (weight × points ÷ weight_scored; these add up to ``score``)
        and ``status`` (one of :data:`SCORE_STATUSES`).
    """
    settings = _resolved(settings)
    _, long = _score(table, table["park_type"], settings=settings)
    return _with_parts(long, table)


def _with_parts(long: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    rows = long["row"].to_numpy()
    ids = table["park_id"].astype("string").to_numpy() if "park_id" in table else np.full(len(table), pd.NA)
    long.insert(0, "park_id", ids[rows])
    num = np.full(len(long), np.nan)
    den = np.full(len(long), np.nan)
    for ind in INDICATORS:
        f = FIGURES[ind]
        at = (long["indicator"] == ind).to_numpy()
        if f.numerator.column in table:
            num[at] = pd.to_numeric(table[f.numerator.column], errors="coerce").to_numpy(dtype=float)[rows[at]]
        if f.denominator is not None and f.denominator.column in table:
            den[at] = pd.to_numeric(table[f.denominator.column], errors="coerce").to_numpy(dtype=float)[rows[at]]
    long.insert(2, "numerator", num)
    long.insert(3, "denominator", den)
    return long.drop(columns="row")[
        ["park_id", "indicator", "numerator", "denominator", "value", "ideal", "reverse", "std", "weight",
         "points", "weight_scored", "contribution", "status"]
    ]


def classify_park_type(industrial_share: pd.Series, *, settings: dict) -> pd.Series:
    """``industry_led`` when industrial_share ≥ cut-off (inclusive), else ``mixed``; unknown → default."""
    cutoff = float(settings["park_type_cutoff_industrial_share"])
    share = industrial_share.astype(float)
    out = pd.Series(np.where(share + _FLOAT_TOL >= cutoff, "industry_led", "mixed"), index=share.index)
    return out.where(share.notna(), settings["park_type_if_unknown"])


def rank_scores(score: pd.Series, *, settings: dict, groups: pd.Series | None = None) -> pd.Series:
    """Rank 1 = highest score; ties share the lowest rank ('min'); NaN score → no rank."""
    rounded = score.astype(float).round(int(settings.get("rank_decimals", 6)))
    method = settings.get("rank_method", "min")
    if groups is None:
        ranks = rounded.rank(method=method, ascending=False)
    else:
        ranks = rounded.groupby(groups).rank(method=method, ascending=False)
        ranks = ranks.reindex(score.index)
    return ranks.round().astype("Int64")


def _settings_used(settings: dict, park_type: str) -> str:
    spec = settings["park_types"][park_type]
    return json.dumps(
        {
            "edition": settings.get("edition"),
            "park_type": park_type,
            "cutoff_industrial_share": settings["park_type_cutoff_industrial_share"],
            "weights": {k: v for k, v in spec["weights"].items() if v},
            "ideals": {k: spec["ideals"].get(k) for k, v in spec["weights"].items() if v},
            "reverse": settings.get("reverse_indicators", []),
            "missing_indicator": settings["missing_indicator"],
            "unbuilt_basis": settings["unbuilt_basis"],
            "far_industrial_double_count_over_8m": bool(settings.get("far_industrial_double_count_over_8m")),
            "overridden": settings.get("overridden", []),
        },
        ensure_ascii=False,
    )


def national_reference(settings: dict | None = None) -> pd.DataFrame:
    """
    The 2019 national averages (541 national zones) as a reference row, scored.

    The indicators the national report gives are standardised with the
    industry-led settings (national industrial share 48.52% ≥ cut-off); the others
    are left out, so ``score`` is comparable with the published mean score 61.53
    (``published_score``).
    """
    settings = _resolved(settings)
    ref = settings["NATIONAL_AVERAGES_2019"]
    row = pd.DataFrame({ind: [float(ref[ind]) if ind in ref else np.nan] for ind in INDICATORS})
    # Named in words (label kind "reference"): 全国平均(2019年).
    row.insert(0, "park_id", REFERENCE_ID)
    ptype = classify_park_type(row["industrial_share"], settings=settings)
    row["park_type"] = ptype
    scored = score_indicators(row, ptype, settings=settings)
    row = pd.concat([row, scored], axis=1)
    row["published_score"] = float(ref["score"])
    row["source_key"] = ref.get("source_key", "national_monitoring_2019")
    return row


#: Parcels checked at a time when :func:`evaluate_parks` derives ``inefficient`` (geo.intensity).
DERIVE_SLICE_ROWS = 100_000


def _derive_missing(parcels, parks, *, as_of, notes: list[dict]):
    """
    Fill ``idle_status`` (geo.idle) and ``inefficient`` (geo.intensity) when the input lacks them.

    Only when their inputs are there: idle status needs ``agreed_start_date`` (else
    every parcel would be "unknown" and idle land would look like zero), inefficiency
    a geometry (or the site areas measured on it, ``attrs[AREAS_MEASURED]``: parcels read
    without their shapes) and ``floor_area_m2``. A failure is reported in ``notes`` and the
    figure stays unknown rather than stopping the evaluation.
    """
    from geo.workspace import AREAS_MEASURED

    extra = {}
    if "idle_status" not in parcels and "agreed_start_date" in parcels:
        from geo.idle import classify_idle

        try:
            extra["idle_status"] = classify_idle(parcels, as_of=as_of)["idle_status"]
            notes.append({"code": "idle_status_derived", "as_of": as_of.date().isoformat()})
        except (ValueError, KeyError) as exc:
            notes.append({"code": "idle_status_failed", "error": error_item(exc)})
    shaped = isinstance(parcels, gpd.GeoDataFrame) or (parcels.attrs.get(AREAS_MEASURED) and "area_m2" in parcels)
    if "inefficient" not in parcels and shaped and "floor_area_m2" in parcels and "land_use" in parcels:
        from geo.intensity import check_compliance

        # The investment minimum needs the park's level; city is optional (see control_indicators.yaml).
        park_info = parks if "level" in parks.columns else None
        try:
            # A slice of parcels at a time, of which only ``inefficient`` is kept: each parcel's check
            # is its own, and its message lists (most of what the check holds) are let go slice by slice.
            step = DERIVE_SLICE_ROWS
            flags = [check_compliance(parcels.iloc[i:i + step], parks=park_info)["inefficient"]
                     for i in range(0, max(len(parcels), 1), step)]
            extra["inefficient"] = flags[0] if len(flags) == 1 else pd.concat(flags)
            notes.append({"code": "inefficient_derived"})
        except (ValueError, KeyError) as exc:
            notes.append({"code": "inefficient_failed", "error": error_item(exc)})
    return parcels.assign(**extra) if extra else parcels


def evaluate_parks(
    parks: pd.DataFrame | gpd.GeoDataFrame,
    parcels: pd.DataFrame | gpd.GeoDataFrame,
    *,
    as_of,
    settings: dict | str | Path | None = None,
    cases=None,
) -> Evaluation:
    """
    Evaluate each park's land use as of a date (TD/T 1029 indicators, score, rank).

    Parameters
    ----------
    parks
        One row per park: ``park_id``, ``developable_ha``, ``supply_ready_ha``;
        optional ``name_zh``, ``name_en``, ``level`` (national/regional or 国家级/
        自治区级) and a geometry (kept for GeoJSON output).
    parcels
        Parcels as described in :func:`flag_parcels`; those of parks not listed
        are left out (counted in ``Evaluation.notes``).
    as_of
        Evaluation date (``date``, ``Timestamp`` or ISO string).
    settings
        Override of ``geo/rules/evaluation.yaml`` (see :func:`evaluation_settings`).
    cases
        The workspace's :class:`geo.cases.CaseStore`, if any: 闲置土地处置率 then counts a
        parcel with a case as disposed only as of its recorded acts (see :func:`flag_parcels`).

    Returns
    -------
    evaluation
        ``.table`` has, per park: ``developable_ha``, ``supply_ready_ha``,
        ``supplied_ha``, ``builtup_ha``, ``builtup_industrial_ha``,
        ``floor_area_builtup_m2``, ``floor_area_industrial_m2``,
        ``footprint_builtup_m2``, ``footprint_industrial_m2``,
        ``invest_industrial_wan``, ``tax_industrial_wan``, ``tax_overall_wan``,
        ``idle_ha``, ``idle_disposed_ha``, the :data:`INDICATORS`, ``park_type``,
        ``std_<indicator>``, ``score``, ``rank``, ``rank_in_level``, the potential
        ``unbuilt_ha``, ``inefficient_ha``, ``unsupplied_ha``,
        ``recent_supplied_ha``, ``mean_yearly_supply_ha``,
        ``years_of_supply_left``, parcel counts ``n_*``, ``notes`` (items of
        :data:`PARK_NOTE_CODES`) and ``settings_used`` (JSON of the weights/ideals
        applied to the row). ``.breakdown`` splits each score by indicator (see
        :func:`score_breakdown`); ``.notes`` holds items of :data:`RUN_NOTE_CODES`.

    Notes
    -----
    A park without parcels has NaN parcel-based areas and rates (no data, not zero)
    and no score unless enough weight remains. Rates with a zero denominator are NaN.
    ``years_of_supply_left`` is 0 when no supply-ready land is left unsupplied,
    ``inf`` when land is left but nothing was supplied in the window, NaN when
    ``supply_ready_ha`` is unknown.
    """
    settings = _resolved(settings)
    as_of = pd.Timestamp(as_of).normalize()
    ids = _park_frame(parks)
    notes: list[dict] = []
    parcels = _derive_missing(parcels, parks, as_of=as_of, notes=notes)
    flagged = flag_parcels(parcels, as_of=as_of, settings=settings, cases=cases)
    known = flagged["park_id"].isin(set(ids)).fillna(False).astype(bool)
    if (~known).any():
        unknown = flagged.loc[~known, "park_id"].dropna().unique()
        if len(unknown):
            notes.append({"code": "parcels_outside_parks", "n": int((~known).sum()),
                          "park_ids": [str(u) for u in unknown[:10]]})
        else:
            notes.append({"code": "parcels_without_park", "n": int((~known).sum())})
    flagged = flagged[known]
    key = flagged["park_id"]
    a = flagged["area_ha"]

    def area(flag: str) -> pd.Series:
        return _sum_by(a.where(flagged[flag].fillna(False).astype(bool), 0.0), key, min_count=0)

    def total(values: pd.Series, flag: str) -> pd.Series:
        return _sum_by(values.where(flagged[flag].fillna(False).astype(bool)), key, min_count=1)

    def count(mask) -> pd.Series:
        return _sum_by(pd.Series(np.asarray(mask, dtype=bool), index=flagged.index).astype(float), key, min_count=0)

    agg = pd.DataFrame(
        {
            "n_parcels": count(np.ones(len(flagged))),
            "supplied_ha": area("supplied"),
            "builtup_ha": area("builtup"),
            "builtup_industrial_ha": area("builtup_industrial"),
            "unbuilt_supplied_ha": area("unbuilt"),
            "recent_supplied_ha": area("recent_supply"),
            "floor_area_builtup_m2": total(flagged["floor_area_far_m2"], "builtup"),
            "floor_area_industrial_m2": total(flagged["floor_area_far_industrial_m2"], "builtup_industrial"),
            "footprint_builtup_m2": total(_num(flagged, "footprint_m2"), "builtup"),
            "footprint_industrial_m2": total(_num(flagged, "footprint_m2"), "builtup_industrial"),
            "invest_industrial_wan": total(flagged["investment_wan"], "builtup_industrial"),
            "tax_industrial_wan": total(_num(flagged, "tax_wan"), "builtup_industrial"),
            "tax_overall_wan": total(_num(flagged, "tax_wan"), "tax_overall_counted"),
            "idle_ha": area("idle"),
            "idle_disposed_ha": area("idle_disposed"),
            "inefficient_ha": area("inefficient"),
            "n_supplied": count(flagged["supplied"]),
            "n_builtup": count(flagged["builtup"]),
            "n_builtup_industrial": count(flagged["builtup_industrial"]),
            "n_idle": count(flagged["idle"].fillna(False)),
            "n_inefficient": count(flagged["inefficient"].fillna(False)),
            "n_missing_area": count(flagged["area_m2"].isna()),
            "n_complete_without_supply_date": count(flagged["complete_without_supply_date"]),
            "n_builtup_missing_floor_area": count(flagged["builtup"] & flagged["floor_area_far_m2"].isna()),
            "n_builtup_missing_footprint": count(flagged["builtup"] & _num(flagged, "footprint_m2").isna()),
            "n_builtup_missing_tax": count(flagged["builtup"] & _num(flagged, "tax_wan").isna()),
            "n_industrial_missing_investment": count(
                flagged["builtup_industrial"] & flagged["investment_wan"].isna()),
        }
    )
    agg = agg.reindex(ids.to_numpy())
    agg.index = parks.index
    count_cols = [c for c in agg if c.startswith("n_")]
    agg[count_cols] = agg[count_cols].fillna(0).astype(int)
    no_parcels = agg["n_parcels"] == 0
    # Idle / disposal / inefficiency unknown when the input has no such column.
    if flagged["idle"].isna().all():
        agg[["idle_ha", "idle_disposed_ha"]] = np.nan
    if flagged["disposed"].isna().all():
        agg["idle_disposed_ha"] = np.nan
    if flagged["inefficient"].isna().all():
        agg["inefficient_ha"] = np.nan

    t = pd.DataFrame(index=parks.index)
    t["park_id"] = ids
    for col in ("name_zh", "name_en"):
        if col in parks:
            t[col] = parks[col]
    level_raw = parks["level"] if "level" in parks else pd.Series(pd.NA, index=parks.index)
    t["level"] = park_level(level_raw).astype("string")
    t["as_of"] = as_of.date().isoformat()
    t["developable_ha"] = _num(parks, "developable_ha")
    t["supply_ready_ha"] = _num(parks, "supply_ready_ha")
    t = pd.concat([t, agg.drop(columns=["unbuilt_supplied_ha"])], axis=1)

    if settings["unbuilt_basis"] == "supplied":
        t["unbuilt_ha"] = agg["unbuilt_supplied_ha"]
    else:
        t["unbuilt_ha"] = t["supply_ready_ha"] - t["builtup_ha"]

    t["development_rate"] = _ratio(t["supply_ready_ha"], t["developable_ha"])
    t["supply_rate"] = _ratio(t["supplied_ha"], t["supply_ready_ha"])
    t["builtup_rate"] = _ratio(t["builtup_ha"], t["supplied_ha"])
    t["industrial_share"] = _ratio(t["builtup_industrial_ha"], t["builtup_ha"])
    builtup_m2 = t["builtup_ha"] * M2_PER_HA
    industrial_m2 = t["builtup_industrial_ha"] * M2_PER_HA
    t["far_overall"] = _ratio(t["floor_area_builtup_m2"], builtup_m2)
    t["building_density"] = _ratio(t["footprint_builtup_m2"], builtup_m2)
    t["far_industrial"] = _ratio(t["floor_area_industrial_m2"], industrial_m2)
    t["building_coef_industrial"] = _ratio(t["footprint_industrial_m2"], industrial_m2)
    t["invest_wan_per_ha"] = _ratio(t["invest_industrial_wan"], t["builtup_industrial_ha"])
    t["tax_industrial_wan_per_ha"] = _ratio(t["tax_industrial_wan"], t["builtup_industrial_ha"])
    t["tax_overall_wan_per_ha"] = _ratio(t["tax_overall_wan"], t["builtup_ha"])
    t["idle_disposal_rate"] = _ratio(t["idle_disposed_ha"], t["idle_ha"])
    t["unbuilt_share"] = _ratio(t["unbuilt_ha"], t["developable_ha"])

    window_years = float(settings["supply_window_years"])
    t["unsupplied_ha"] = t["supply_ready_ha"] - t["supplied_ha"]
    t["mean_yearly_supply_ha"] = t["recent_supplied_ha"] / window_years
    left = t["unsupplied_ha"].clip(lower=0.0)
    years = left / t["mean_yearly_supply_ha"].where(t["mean_yearly_supply_ha"] > 0)
    years = years.where(~((left > 0) & (t["mean_yearly_supply_ha"] == 0)), math.inf)
    t["years_of_supply_left"] = years.where(~(left == 0), 0.0).where(left.notna() & t["mean_yearly_supply_ha"].notna())

    t["park_type"] = classify_park_type(t["industrial_share"], settings=settings)
    scored, long = _score(t, t["park_type"], settings=settings)
    t = pd.concat([t, scored], axis=1)
    t["rank"] = rank_scores(t["score"], settings=settings)
    in_level = rank_scores(t["score"], settings=settings, groups=t["level"].fillna("__unknown__"))
    t["rank_in_level"] = in_level.where(t["level"].notna())

    notes_by_park = Items(t.index)
    notes_by_park.add(no_parcels, "no_parcels")
    notes_by_park.add(t["supply_ready_ha"].isna(), "supply_ready_missing")
    notes_by_park.add(t["developable_ha"].isna(), "developable_missing")
    notes_by_park.add(t["supply_ready_ha"] > t["developable_ha"] + _FLOAT_TOL, "supply_ready_exceeds_developable")
    notes_by_park.add(t["supplied_ha"] > t["supply_ready_ha"] + _FLOAT_TOL, "supplied_exceeds_supply_ready")
    notes_by_park.add(t["industrial_share"].isna(), "park_type_unknown", park_type=settings["park_type_if_unknown"])
    notes_by_park.add(t["score"].isna() & t["score_weight_share"].notna(), "too_few_indicators")
    notes_by_park.add((t["idle_ha"] == 0) & t["idle_ha"].notna(), "no_idle_land")
    for col, code in (
        ("n_missing_area", "parcels_without_area"),
        ("n_complete_without_supply_date", "completed_without_supply_date"),
        ("n_builtup_missing_floor_area", "builtup_without_floor_area"),
        ("n_builtup_missing_footprint", "builtup_without_footprint"),
        ("n_builtup_missing_tax", "builtup_without_tax"),
        ("n_industrial_missing_investment", "industrial_without_investment"),
    ):
        notes_by_park.add(t[col] > 0, code, n=t[col].astype(int))
    if flagged["idle"].isna().all():
        notes.append({"code": "no_idle_status_column"})
    elif flagged["disposed"].isna().all():
        notes.append({"code": "no_disposal_status_column"})
    if flagged["inefficient"].isna().all():
        notes.append({"code": "no_inefficient_column"})
    t["notes"] = notes_by_park.lists()
    t["settings_used"] = t["park_type"].map({p: _settings_used(settings, p) for p in PARK_TYPES})

    if isinstance(parks, gpd.GeoDataFrame) and parks.geometry.name in parks:
        t = gpd.GeoDataFrame(t, geometry=parks.geometry, crs=parks.crs)
    return Evaluation(
        table=t,
        parcels=flagged,
        settings=settings,
        reference=national_reference(settings),
        as_of=as_of,
        notes=notes,
        breakdown=_with_parts(long, t),
    )


def parcels_behind(evaluation: Evaluation, park_id, figure: str, *, part: str = "numerator") -> pd.DataFrame:
    """
    The parcels a figure of one park is summed over.

    Parameters
    ----------
    evaluation
        From :func:`evaluate_parks`.
    park_id
        The park.
    figure
        An indicator of :data:`INDICATORS`, ``years_of_supply_left``, ``idle_ha``,
        ``unbuilt_ha`` or ``inefficient_ha``.
    part
        ``numerator`` or ``denominator``.

    Returns
    -------
    parcels
        Rows of ``evaluation.parcels``; empty when that part is a park attribute
        (e.g. the denominator of development_rate, developable_ha).
    """
    if figure not in TRACE:
        raise EvaluationError("eval_unknown_figure", figure=str(figure))
    if part not in ("numerator", "denominator"):
        raise EvaluationError("eval_unknown_part", part=str(part))
    flag = TRACE[figure][0 if part == "numerator" else 1]
    p = evaluation.parcels
    mine = p["park_id"] == str(park_id).strip()
    if flag is None:
        return p.iloc[0:0]
    if figure == "unbuilt_share" and evaluation.settings["unbuilt_basis"] != "supplied":
        flag = "builtup"
    return p[mine & p[flag].fillna(False).astype(bool)]


# --------------------------------------------------------------------------- output


def _flatten(d: dict, prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            rows.extend(_flatten(v, key + "."))
        else:
            rows.append((key, json.dumps(v, ensure_ascii=False) if isinstance(v, list) else str(v)))
    return rows


def settings_table(settings: dict) -> pd.DataFrame:
    """The settings as ``key``/``value`` rows (for the report and the .xlsx sheet)."""
    return pd.DataFrame(_flatten({k: v for k, v in settings.items() if k != "_resolved"}),
                        columns=["key", "value"])


def write_evaluation(evaluation: Evaluation, path: str | Path) -> Path:
    """
    Write the evaluation table, one row per park, by the file's extension.

    ``.csv`` (UTF-8 with BOM for Excel) and ``.geojson`` carry the settings per row
    in ``settings_used``; ``.xlsx`` adds sheets ``settings`` and ``reference``.
    ``.geojson`` needs parks with a geometry. Canonical column names and codes throughout
    (``--codes``); the table people read is :func:`reports.evaluation_tables.export_tables`.
    """
    path = Path(path)
    table = evaluation.table
    suffix = path.suffix.casefold()
    plain = pd.DataFrame(table.drop(columns=table.geometry.name) if isinstance(table, gpd.GeoDataFrame) else table)
    if suffix in (".csv", ".xlsx"):
        # Cells hold no lists: notes and left-out indicators as JSON (codes, for machines;
        # reports.evaluation_tables writes the table people read).
        for col in ("notes", "score_excluded", "settings_used"):
            if col in plain:
                plain[col] = plain[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                            if isinstance(v, (list, dict)) else v)
    if suffix == ".csv":
        plain.to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        with pd.ExcelWriter(path) as xw:
            plain.to_excel(xw, sheet_name="evaluation", index=False)
            settings_table(evaluation.settings).to_excel(xw, sheet_name="settings", index=False)
            evaluation.reference.to_excel(xw, sheet_name="reference", index=False)
    elif suffix in (".geojson", ".json"):
        if not isinstance(table, gpd.GeoDataFrame):
            raise EvaluationError("eval_geojson_needs_geometry", file=path.name)
        out = to_web(table).copy()
        # JSON has no infinity: years_of_supply_left = inf is written as null with a note.
        out["years_of_supply_left"] = out["years_of_supply_left"].replace([np.inf], np.nan)
        out.to_file(path, driver="GeoJSON")
    else:
        raise EvaluationError("eval_unknown_output_type", file=path.name, ext=path.suffix,
                              allowed_exts=[".csv", ".xlsx", ".geojson"])
    return path
