"""
Floor-area efficiency and the control indicators of industrial land (domain.md §3).

``parcel_metrics`` measures every parcel (FAR with storeys over 8 m counted twice,
building coefficient, office share, green ratio, investment/output/tax per 亩);
``check_compliance`` holds industrial parcels to the control indicators in
``geo/rules/control_indicators.yaml`` and the minimum-FAR table in
``geo/rules/far_min_by_industry.yaml``, lists why a parcel is inefficient (低效用地)
and how much floor area it lacks / how much land it could free.

Everything is vectorised: the page's what-if slider re-runs ``check_compliance``
on precomputed metrics.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import area_m2 as _geom_area_m2
from geo.crs import m2_to_mu
from geo.errors import CodedError
from geo.messages import Items
from geo.rules import load_rules
from geo.vocab import land_use_class

#: Rule ids in the order they are checked and reported.
RULE_IDS = ("far", "building_coef", "office_share", "green_ratio", "invest_intensity")

#: Columns ``parcel_metrics`` returns.
METRIC_COLUMNS = (
    "area_m2",
    "area_mu",
    "floor_area_eff_m2",
    "far",
    "building_coef",
    "office_share",
    "green_ratio",
    "invest_wan_per_mu",
    "output_wan_per_mu",
    "tax_wan_per_mu",
    "missing_inputs",
)

#: Rule id → the code of its failure item (``{"code": …, <metric>: actual, <limit>: required, "source": key}``).
FAIL_CODES = {
    "far": "far_below_min",
    "building_coef": "building_coef_below_min",
    "office_share": "office_share_above_max",
    "green_ratio": "green_ratio_above_max",
    "invest_intensity": "invest_below_min",
}
#: Rule id → (metric column, required column): the argument names of its failure item.
RULE_COLUMNS = {
    "far": ("far", "far_min"),
    "building_coef": ("building_coef", "building_coef_min"),
    "office_share": ("office_share", "office_share_max"),
    "green_ratio": ("green_ratio", "green_ratio_max"),
    "invest_intensity": ("invest_wan_per_mu", "invest_min_wan_per_mu"),
}
#: Rule id → the input columns its metric needs (named by ``input_missing``).
RULE_INPUTS = {
    "far": ("floor_area_m2",),
    "building_coef": ("footprint_m2",),
    "office_share": ("office_area_m2",),
    "green_ratio": ("green_area_m2",),
    "invest_intensity": ("total_investment_wan",),
}
#: Columns of the parcels the analysis reads (besides the geometry): a table that shows fewer
#: may let the others go before :func:`analyse_intensity` without changing a result.
INPUT_COLUMNS = (
    "land_use", "industry_code", "industry_edition", "park_id", "area_m2", "floor_area_m2",
    "floor_area_over_8m_m2", "footprint_m2", "office_area_m2", "green_area_m2", "total_investment_wan",
    "output_wan", "tax_wan",
)
#: Why a rule was not evaluated (``skipped_rules``; each item names its ``control_rule``).
SKIP_CODES = (
    "input_missing",
    "land_use_not_checked",
    "land_use_missing",
    "no_required_value",
    "industry_unknown",
    "industry_code_invalid",
    "industry_edition_unsupported",
    "far_min_not_tabled",
    "no_parks_data",
    "park_id_column_missing",
    "park_id_missing",
    "park_unknown",
    "park_level_unknown",
)
#: Why a metric is missing or a lower bound (``missing_inputs``; items name the ``measure``).
INPUT_CODES = (
    "site_geometry_missing",
    "site_area_not_positive",
    "column_missing",
    "column_not_number",
    "column_negative",
    "column_not_positive",
    "over_8m_missing",
    "over_8m_negative",
    "over_8m_exceeds_floor",
)
#: Every message code this module emits (a test checks each has zh and en words).
REASON_CODES = (*FAIL_CODES.values(), *SKIP_CODES, *INPUT_CODES)

#: Every code of an :class:`IntensityError`, with its arguments.
INTENSITY_ERROR_CODES: tuple[str, ...] = (
    "intensity_edition_no_table",  # edition, allowed_editions (editions with a minimum-FAR table)
    "intensity_parks_missing_columns",  # columns
)


class IntensityError(CodedError):
    """Rules or park data the efficiency check cannot use; ``code`` is one of :data:`INTENSITY_ERROR_CODES`."""


# --------------------------------------------------------------------------- rules


def load_control_rules(override: str | Path | Mapping | None = None) -> dict:
    """
    The control-indicator rules with the minimum-FAR table attached.

    Parameters
    ----------
    override
        Mapping or YAML path deep-merged over the defaults, e.g.
        ``{"rules": {"green_ratio": {"binding": False}}}`` or
        ``{"far_min_by_industry": {"tables": {"2017": {"39": {"far_min": 1.2}}}}}``.

    Returns
    -------
    rules
        ``control_indicators.yaml`` plus key ``far_min_by_industry`` holding
        ``far_min_by_industry.yaml``.
    """
    rules = load_rules("control_indicators", override=override)
    # control_indicators.yaml has no far_min_by_industry key: whatever is there came
    # from the override and is merged over the table file.
    table_override = rules.pop("far_min_by_industry", None)
    rules["far_min_by_industry"] = table = load_rules("far_min_by_industry", override=table_override)
    # Validated here, once: the default edition must have a table. One value: read without pandas,
    # whose string extraction cost ~5 ms here, and the pages read the rules several times a run.
    default_ed = str(table.get("default_edition", "2017"))
    if _edition_of(default_ed, table) is None:
        raise IntensityError("intensity_edition_no_table", edition=default_ed,
                             allowed_editions=[str(k) for k in table["tables"]])
    return rules


def _resolve_rules(rules: Mapping | None) -> dict:
    """Defaults when None; a full or partial dict is deep-merged over the defaults."""
    if rules is None:
        return load_control_rules()
    if "far_min_by_industry" in rules and "rules" in rules and "investment_intensity" in rules:
        return dict(rules)
    return load_control_rules(rules)


def rule_table(rules: Mapping | None = None) -> pd.DataFrame:
    """Rule id → kind (min/max), binding flag and source key (words: ``words.label("source", key)``)."""
    r = _resolve_rules(rules)["rules"]
    return pd.DataFrame(
        {
            rid: {
                "kind": r[rid].get("kind"),
                "binding": bool(r[rid].get("binding", True)),
                "source_key": r[rid].get("source_key"),
            }
            for rid in RULE_IDS
        }
    ).T.rename_axis("rule_id")


# --------------------------------------------------------------------------- helpers


def _num(df: pd.DataFrame, col: str) -> pd.Series:
    """A numeric column as float (NaN where absent, blank or not a number)."""
    if col not in df.columns:
        return pd.Series(np.nan, index=df.index, dtype=float)
    return pd.to_numeric(df[col], errors="coerce").astype(float)


def _valid_input(
    df: pd.DataFrame, col: str, notes: Items, measure: str, *, positive: bool = False
) -> pd.Series:
    """Numeric input with NaN where missing/negative, and the reason noted against ``measure``."""
    raw_present = df[col].notna() if col in df.columns else pd.Series(False, index=df.index)
    v = _num(df, col)
    notes.add(~raw_present, "column_missing", measure=measure, column=col)
    notes.add(raw_present & v.isna(), "column_not_number", measure=measure, column=col)
    bad = (v <= 0) if positive else (v < 0)
    notes.add(bad, "column_not_positive" if positive else "column_negative", measure=measure, column=col)
    return v.where(~bad)


def _plain(value):
    """A cell as a plain Python value for a message argument (NA → None)."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _on_uniques(frame: pd.DataFrame, cols: list[str], func) -> pd.DataFrame:
    """
    Apply ``func`` to the distinct value combinations of ``cols`` and spread the result back.

    Codes, editions, land uses and park ids take few distinct values: parsing each
    once keeps string work off the per-row path (the what-if slider re-runs this).
    """
    present = [c for c in cols if c in frame.columns]
    if not present or len(frame) == 0:
        res = func(frame)
        return res.set_axis(frame.index)
    key = frame[present[0]].astype("string").fillna("\x00")
    for c in present[1:]:
        key = key + "\x1e" + frame[c].astype("string").fillna("\x00")
    codes, _ = pd.factorize(key)
    # factorize numbers values in order of first appearance: a row is a first occurrence
    # where its code exceeds every code before it.
    first = np.flatnonzero(codes > np.maximum.accumulate(np.concatenate([[-1], codes[:-1]])))
    res = func(frame.iloc[first].reset_index(drop=True))
    return res.iloc[codes].set_axis(frame.index)


def land_use_code(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """
    Land-use column → class code (``industrial``, ``storage`` …) by :func:`geo.vocab.land_use_class`;
    a value in no classification is kept as written (it matches no rule's class).
    """
    if values is None:
        return pd.Series(pd.NA, index=index, dtype=object)
    return land_use_class(values, keep_unrecognised=True).astype(object).reindex(index)


# --------------------------------------------------------------------------- metrics


def _site_area_m2(parcels: pd.DataFrame, site: tuple[pd.Series, pd.Series] | None = None
                  ) -> tuple[pd.Series, pd.Series]:
    """
    Site area from the geometry (per GK zone), or as ``site`` gives it (area, has a shape) for
    parcels read without their shapes; an attribute-only table falls back to its ``area_m2``
    column (e.g. 宗地面积 from a register) and otherwise has none. Also: where there is no shape.
    """
    has_geom = isinstance(parcels, gpd.GeoDataFrame) and parcels._geometry_column_name in parcels.columns
    if has_geom:
        geom = parcels.geometry
        return _geom_area_m2(parcels).astype(float), geom.isna() | geom.is_empty
    if site is not None:
        area, present = site
        return (pd.Series(np.asarray(area, dtype=float), index=parcels.index),
                pd.Series(~np.asarray(present, dtype=bool), index=parcels.index))
    area = _num(parcels, "area_m2")
    return area, area.isna()


def parcel_metrics(parcels: gpd.GeoDataFrame, *, site: tuple[pd.Series, pd.Series] | None = None) -> pd.DataFrame:
    """
    Floor-area efficiency and per-亩 measures of each parcel.

    Parameters
    ----------
    parcels
        Parcels with a CRS (a geographic CRS is measured per GK zone by
        ``geo.crs.area_m2``; a table without geometry uses its ``area_m2``
        column) and any of the canonical columns ``floor_area_m2``,
        ``floor_area_over_8m_m2``, ``footprint_m2``, ``office_area_m2``,
        ``green_area_m2``, ``total_investment_wan``, ``output_wan``, ``tax_wan``.
    site
        For parcels read without their shapes (``geo.io.read_parcels(geometry=False)``): each
        one's area measured on its shape and whether it has one (``Loaded.area_m2``,
        ``Loaded.shape_present``), row for row, taken as the geometry would give them.

    Returns
    -------
    metrics
        Aligned to ``parcels.index``: ``area_m2``, ``area_mu``, ``floor_area_eff_m2``
        (floor area with storeys over 8 m counted twice), ``far``, ``building_coef``,
        ``office_share``, ``green_ratio``, ``invest_wan_per_mu``,
        ``output_wan_per_mu``, ``tax_wan_per_mu``, and ``missing_inputs``: why a
        metric is NaN, as a list of items of :data:`INPUT_CODES`. A missing
        ``floor_area_over_8m_m2`` is counted as 0 (so FAR is a lower bound) and noted.
    """
    idx = parcels.index
    notes = Items(idx)
    site_m2, no_geom = _site_area_m2(parcels, site)
    notes.add(no_geom, "site_geometry_missing", measure="area_m2")
    notes.add(~no_geom & (site_m2 <= 0), "site_area_not_positive", measure="area_m2")
    site_m2 = site_m2.where(site_m2 > 0)
    area_mu = m2_to_mu(site_m2)

    floor = _valid_input(parcels, "floor_area_m2", notes, "far")
    has_over_col = "floor_area_over_8m_m2" in parcels.columns
    over_raw = _num(parcels, "floor_area_over_8m_m2")
    over_missing = (
        parcels["floor_area_over_8m_m2"].isna() if has_over_col else pd.Series(True, index=idx)
    ) & floor.notna()
    notes.add(over_missing, "over_8m_missing", measure="far", column="floor_area_over_8m_m2")
    over_bad = over_raw < 0
    notes.add(over_bad, "over_8m_negative", measure="far", column="floor_area_over_8m_m2")
    too_much = over_raw > floor
    notes.add(too_much, "over_8m_exceeds_floor", measure="far", column="floor_area_over_8m_m2")
    over = over_raw.fillna(0.0).where(~(over_bad | too_much))
    floor_eff = floor + over

    footprint = _valid_input(parcels, "footprint_m2", notes, "building_coef")
    office = _valid_input(parcels, "office_area_m2", notes, "office_share")
    green = _valid_input(parcels, "green_area_m2", notes, "green_ratio")
    invest = _valid_input(parcels, "total_investment_wan", notes, "invest_wan_per_mu")
    output = _valid_input(parcels, "output_wan", notes, "output_wan_per_mu")
    # Tax may be negative (refunds): keep it, only flag absence.
    tax_present = parcels["tax_wan"].notna() if "tax_wan" in parcels.columns else pd.Series(False, index=idx)
    notes.add(~tax_present, "column_missing", measure="tax_wan_per_mu", column="tax_wan")
    tax = _num(parcels, "tax_wan")

    out = pd.DataFrame(
        {
            "area_m2": site_m2,
            "area_mu": area_mu,
            "floor_area_eff_m2": floor_eff,
            "far": floor_eff / site_m2,
            "building_coef": footprint / site_m2,
            "office_share": office / site_m2,
            "green_ratio": green / site_m2,
            "invest_wan_per_mu": invest / area_mu,
            "output_wan_per_mu": output / area_mu,
            "tax_wan_per_mu": tax / area_mu,
        },
        index=idx,
    )
    out["missing_inputs"] = notes.lists()
    return out


# --------------------------------------------------------------------------- industry


#: The year of an edition as written ('2002', 2017, 'GB/T 4754-2017', 2011.0).
_EDITION_YEAR = r"((?:19|20)\d\d)"


def _edition_key(values: pd.Series, table: Mapping) -> pd.Series:
    """'2002', 2017, 'GB/T 4754-2017', 2011.0 → table edition key ('2002'/'2017'); NaN if unknown."""
    year = values.astype("string").str.extract(_EDITION_YEAR, expand=False)
    aliases = {str(k): str(v) for k, v in (table.get("edition_aliases") or {}).items()}
    year = year.replace(aliases)
    known = set(map(str, table["tables"]))
    return year.where(year.isin(known)).astype(object)


def _edition_of(value: str, table: Mapping) -> str | None:
    """:func:`_edition_key` of one value; None if unknown."""
    found = re.search(_EDITION_YEAR, value)
    if found is None:
        return None
    aliases = {str(k): str(v) for k, v in (table.get("edition_aliases") or {}).items()}
    year = aliases.get(found.group(1), found.group(1))
    return year if year in set(map(str, table["tables"])) else None


def industry_division(
    parcels: pd.DataFrame, *, edition: str | int | None = None, rules: Mapping | None = None
) -> pd.DataFrame:
    """
    Two-digit GB/T 4754 division and the edition it is read in, per parcel.

    Parameters
    ----------
    parcels
        With ``industry_code`` ('39', '3911', 'C39', 'C3911', 39, 3911.0) and
        optionally ``industry_edition`` (per-row edition, e.g. 2002).
    edition
        Edition for rows without their own; default the table's ``default_edition``.
    rules
        Control rules (see :func:`load_control_rules`).

    Returns
    -------
    division
        ``industry_division`` (str or NaN), ``industry_edition`` ('2002'/'2017' or NaN),
        ``far_min_table`` (minimum FAR for that division, NaN where none) and
        ``industry_issue`` (why ``far_min_table`` is NaN: an item of :data:`SKIP_CODES`,
        None otherwise).
    """
    table = _resolve_rules(rules)["far_min_by_industry"]
    default_ed = str(edition if edition is not None else table.get("default_edition", "2017"))
    default_key = _edition_key(pd.Series([default_ed]), table).iloc[0]
    if pd.isna(default_key):
        raise IntensityError("intensity_edition_no_table", edition=default_ed,
                             allowed_editions=[str(k) for k in table["tables"]])
    return _on_uniques(
        parcels,
        ["industry_code", "industry_edition"],
        lambda u: _division_rows(u, table=table, default_key=default_key),
    )


def _division_rows(parcels: pd.DataFrame, *, table: Mapping, default_key: str) -> pd.DataFrame:
    idx = parcels.index
    if "industry_edition" in parcels.columns:
        own = parcels["industry_edition"]
        ed = _edition_key(own, table)
        bad_ed = own.notna() & ed.isna()
        ed = ed.where(own.notna(), default_key)
    else:
        bad_ed = pd.Series(False, index=idx)
        ed = pd.Series(default_key, index=idx, dtype=object)

    if "industry_code" in parcels.columns:
        raw = parcels["industry_code"]
        # Excel hands codes over as floats (3911.0): drop a trailing .0 before reading digits.
        txt = raw.astype("string").str.strip().str.upper().str.replace(r"\.0+$", "", regex=True)
        div = txt.str.extract(r"^[A-Z]?\s*(\d{2})\d{0,2}$", expand=False).astype(object)
        code_missing = raw.isna() | (txt.str.len() == 0).fillna(True)
    else:
        txt = pd.Series(pd.NA, index=idx, dtype="string")
        div = pd.Series(np.nan, index=idx, dtype=object)
        code_missing = pd.Series(True, index=idx)

    lookup = {
        f"{e}:{d}": float(v["far_min"] if isinstance(v, Mapping) else v)
        for e, divs in table["tables"].items()
        for d, v in divs.items()
    }
    key = ed.astype("string") + ":" + div.astype("string")
    far_min = key.map(lookup).astype(float)

    unparsed = ~code_missing & div.isna()
    no_entry = div.notna() & ed.notna() & far_min.isna()
    # Rows here are the distinct (code, edition) pairs (see _on_uniques): one item each.
    code = np.select(
        [code_missing.to_numpy(bool), bad_ed.to_numpy(bool), unparsed.to_numpy(bool), no_entry.to_numpy(bool)],
        ["industry_unknown", "industry_edition_unsupported", "industry_code_invalid", "far_min_not_tabled"],
        default="",
    )
    own_ed = parcels["industry_edition"] if "industry_edition" in parcels.columns else pd.Series(pd.NA, index=idx)
    args = {
        "industry_unknown": lambda i: {},
        "industry_edition_unsupported": lambda i: {"industry_edition": _plain(own_ed.iloc[i])},
        "industry_code_invalid": lambda i: {"industry_code": _plain(txt.iloc[i])},
        "far_min_not_tabled": lambda i: {"industry_division": _plain(div.iloc[i]),
                                         "industry_edition": _plain(ed.iloc[i])},
    }
    issue = pd.Series(
        [{"code": c, "control_rule": "far", **args[c](i)} if c else None for i, c in enumerate(code)],
        index=idx,
        dtype=object,
    )
    return pd.DataFrame(
        {
            "industry_division": div,
            "industry_edition": ed,
            "far_min_table": far_min,
            "industry_issue": issue,
        },
        index=idx,
    )


# --------------------------------------------------------------------------- parks


def _norm_city(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.casefold().str.removesuffix("市")


def investment_minimum(
    parcels: pd.DataFrame, parks: pd.DataFrame | None, *, rules: Mapping | None = None
) -> pd.DataFrame:
    """
    Guangxi minimum investment intensity (万元/亩) for each parcel's park.

    Parameters
    ----------
    parcels
        With ``park_id``.
    parks
        With ``park_id``, ``level`` (national | regional | other) and ``city``;
        None when unknown.
    rules
        Control rules; section ``investment_intensity``.

    Returns
    -------
    minimum
        ``invest_min_wan_per_mu`` (NaN where the park is unknown) and ``invest_issue``
        (why it is NaN: an item of :data:`SKIP_CODES`, None otherwise).
    """
    inv = _resolve_rules(rules)["investment_intensity"]
    idx = parcels.index
    if parks is None or "park_id" not in parcels.columns:
        why = {"code": "no_parks_data" if parks is None else "park_id_column_missing",
               "control_rule": "invest_intensity"}
        issue = pd.Series([why] * len(idx), index=idx, dtype=object)
        return pd.DataFrame({"invest_min_wan_per_mu": np.nan, "invest_issue": issue}, index=idx)
    missing_cols = {"park_id", "level"} - set(parks.columns)
    if missing_cols:
        raise IntensityError("intensity_parks_missing_columns", columns=sorted(missing_cols))
    pk = pd.DataFrame(parks).drop_duplicates("park_id").copy()
    pk["park_id"] = pk["park_id"].astype("string").str.strip()
    pk = pk.set_index("park_id")
    return _on_uniques(parcels, ["park_id"], lambda u: _investment_rows(u, pk=pk, inv=inv))


def _investment_rows(parcels: pd.DataFrame, *, pk: pd.DataFrame, inv: Mapping) -> pd.DataFrame:
    idx = parcels.index
    pid = parcels["park_id"].astype("string").str.strip()
    level_raw = pid.map(pk["level"].astype("string").str.strip().str.casefold())
    city = (
        pid.map(_norm_city(pk["city"]))
        if "city" in pk.columns
        else pd.Series(pd.NA, index=idx, dtype="string")
    )

    aliases = inv.get("level_aliases") or {}
    level = pd.Series("other", index=idx, dtype=object)
    for canon in ("national", "regional"):
        names = {str(a).casefold() for a in aliases.get(canon, [])} | {canon}
        level = level.mask(level_raw.isin(names).fillna(False).astype(bool), canon)
    level = level.where(level_raw.notna())

    pref = {str(c).casefold().removesuffix("市") for c in inv.get("prefecture_cities", [])}
    in_pref = city.isin(pref).fillna(False).astype(bool)
    if inv.get("unknown_city_is_prefecture", True):
        in_pref = in_pref | city.isna()
    central_ids = {str(p) for p in inv.get("nanning_central_park_ids", [])}
    central = pid.isin(central_ids).fillna(False).astype(bool)
    nc = inv.get("nanning_central", {})
    minimum = np.select(
        [
            central & (level == "national"),
            central & level.notna(),
            level == "national",
            (level == "regional") & in_pref,
        ],
        [
            float(nc["national"]),
            float(nc["other"]),
            float(inv["national"]),
            float(inv["regional_prefecture_city"]),
        ],
        default=float(inv["other"]),
    )
    minimum = pd.Series(minimum, index=idx).where(level.notna())
    known_park = pid.isin(pk.index).fillna(False).astype(bool)
    # Rows here are the distinct park ids (see _on_uniques): one item each.
    code = np.select(
        [pid.isna().to_numpy(bool), ~known_park.to_numpy(bool), level.isna().to_numpy(bool)],
        ["park_id_missing", "park_unknown", "park_level_unknown"],
        default="",
    )
    issue = pd.Series(
        [
            {"code": c, "control_rule": "invest_intensity", **({"park_id": _plain(p)} if c != "park_id_missing" else {})}
            if c else None
            for c, p in zip(code, pid, strict=True)
        ],
        index=idx,
        dtype=object,
    )
    return pd.DataFrame({"invest_min_wan_per_mu": minimum, "invest_issue": issue}, index=idx)


# --------------------------------------------------------------------------- compliance


def check_compliance(
    parcels: gpd.GeoDataFrame,
    *,
    parks: pd.DataFrame | None = None,
    rules: Mapping | None = None,
    min_far_override: float | None = None,
    min_building_coef_override: float | None = None,
    edition: str | int | None = None,
    metrics: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """
    Hold parcels to the control indicators; flag inefficient land (低效用地).

    Parameters
    ----------
    parcels
        Parcels with ``land_use``, ``industry_code`` (and optionally
        ``industry_edition``), ``park_id`` and the inputs of :func:`parcel_metrics`.
    parks
        Park table (``park_id``, ``level``, ``city``) for the investment minimum;
        None skips that rule (listed in ``skipped_rules``).
    rules
        Control rules; None for the defaults, a (partial) dict is deep-merged over
        them (see :func:`load_control_rules`).
    min_far_override, min_building_coef_override
        What-if floors: the minimum used is max(table minimum, override). The FAR
        override also applies to parcels whose division has no table minimum.
    edition
        GB/T 4754 edition of ``industry_code`` for rows without ``industry_edition``.
    metrics
        Output of :func:`parcel_metrics` for these parcels, to skip recomputing it.

    Returns
    -------
    compliance
        Aligned to ``parcels.index``: ``checked`` (land use is checked),
        ``industry_division``, ``industry_edition``, ``far_min``,
        ``building_coef_min``, ``office_share_max``, ``green_ratio_max``,
        ``invest_min_wan_per_mu``, ``<rule>_ok`` per rule (nullable bool; NA when not
        evaluated), ``inefficient``, ``inefficiency_reasons`` (items of
        :data:`FAIL_CODES` for binding rules, e.g. ``{"code": "far_below_min", "far": 0.5,
        "far_min": 0.7, "source": "gtzf_2008_24"}``), ``nonbinding_failures`` (the same for
        rules not binding), ``skipped_rules`` (items of :data:`SKIP_CODES`),
        ``far_gap_floor_m2`` (floor area, in FAR terms, lacking to reach ``far_min``),
        ``freed_land_m2`` / ``freed_land_mu`` (site area minus the land the present
        floor area needs at ``far_min``). Gaps are 0 when FAR passes and NaN when not
        evaluated. ``attrs["rules"]`` records the settings used.
    """
    r = _resolve_rules(rules)
    rule_cfg = r["rules"]
    tol = float(r.get("comparison_rel_tol", 1e-9))
    idx = parcels.index
    m = metrics if metrics is not None else parcel_metrics(parcels)
    m = m.reindex(idx)

    lu = land_use_code(parcels["land_use"] if "land_use" in parcels.columns else None, idx)
    checked_uses = [str(u) for u in r.get("checked_land_uses", ["industrial"])]
    checked = lu.isin(checked_uses).to_numpy(dtype=bool)

    ind = industry_division(parcels, edition=edition, rules=r)
    far_min = ind["far_min_table"]
    if min_far_override is not None:
        far_min = pd.Series(np.fmax(far_min.to_numpy(), float(min_far_override)), index=idx)
    coef_min = float(rule_cfg["building_coef"]["value"])
    if min_building_coef_override is not None:
        coef_min = max(coef_min, float(min_building_coef_override))
    inv = investment_minimum(parcels, parks, rules=r)

    specs = {
        # rule id: (metric, required, kind, why required is missing)
        "far": (m["far"], far_min, "min", ind["industry_issue"]),
        "building_coef": (m["building_coef"], coef_min, "min", None),
        "office_share": (m["office_share"], float(rule_cfg["office_share"]["value"]), "max", None),
        "green_ratio": (m["green_ratio"], float(rule_cfg["green_ratio"]["value"]), "max", None),
        "invest_intensity": (m["invest_wan_per_mu"], inv["invest_min_wan_per_mu"], "min", inv["invest_issue"]),
    }
    reasons, nonbinding, skipped = Items(idx), Items(idx), Items(idx)
    out = pd.DataFrame(index=idx)
    out["checked"] = checked
    out["industry_division"] = ind["industry_division"]
    out["industry_edition"] = ind["industry_edition"]
    inefficient = np.zeros(len(idx), dtype=bool)
    for rid, (actual, required, kind, why) in specs.items():
        required = (
            pd.Series(required, index=idx, dtype=float) if np.isscalar(required) else required.astype(float)
        )
        a, q = actual.to_numpy(dtype=float), required.to_numpy(dtype=float)
        evaluated = checked & ~np.isnan(a) & ~np.isnan(q)
        slack = tol * np.maximum(np.abs(q), 1.0)
        with np.errstate(invalid="ignore"):
            fails = (a < q - slack) if kind == "min" else (a > q + slack)
        fails &= evaluated
        out[f"{rid}_ok"] = pd.Series(pd.arrays.BooleanArray(~fails, ~evaluated), index=idx)
        binding = bool(rule_cfg[rid].get("binding", True))
        metric_col, limit_col = RULE_COLUMNS[rid]
        (reasons if binding else nonbinding).add(
            fails, FAIL_CODES[rid], **{metric_col: a, limit_col: q}, source=rule_cfg[rid].get("source_key")
        )
        if binding:
            inefficient |= fails
        no_req = checked & np.isnan(q)
        if why is not None:
            has_why = why.notna().to_numpy(dtype=bool)
            skipped.add_items(no_req & has_why, why.to_numpy(dtype=object))
            no_req_plain = no_req & ~has_why
        else:
            no_req_plain = no_req
        skipped.add(no_req_plain, "no_required_value", control_rule=rid)
        skipped.add(checked & ~no_req & np.isnan(a), "input_missing", control_rule=rid, columns=list(RULE_INPUTS[rid]))

    lu_values = lu.to_numpy(dtype=object)
    lu_missing = pd.isna(lu).to_numpy(dtype=bool)
    skipped.add(~checked & ~lu_missing, "land_use_not_checked", land_use=lu_values)
    skipped.add(~checked & lu_missing, "land_use_missing")

    out["far_min"] = far_min.astype(float)
    out["building_coef_min"] = np.where(checked, coef_min, np.nan)
    out["office_share_max"] = np.where(checked, float(rule_cfg["office_share"]["value"]), np.nan)
    out["green_ratio_max"] = np.where(checked, float(rule_cfg["green_ratio"]["value"]), np.nan)
    out["invest_min_wan_per_mu"] = inv["invest_min_wan_per_mu"]
    out["inefficient"] = inefficient
    out["inefficiency_reasons"] = reasons.lists()
    out["nonbinding_failures"] = nonbinding.lists()
    out["skipped_rules"] = skipped.lists()

    site = m["area_m2"]
    floor_eff = m["floor_area_eff_m2"]
    far_eval = (
        pd.Series(checked, index=idx) & floor_eff.notna() & site.notna() & far_min.notna() & (far_min > 0)
    )
    below = out["far_ok"].eq(False).fillna(False).astype(bool)
    gap = (far_min * site - floor_eff).where(below, 0.0).where(far_eval)
    freed = (site - floor_eff / far_min).where(below, 0.0).where(far_eval)
    out["far_gap_floor_m2"] = gap
    out["freed_land_m2"] = freed
    out["freed_land_mu"] = m2_to_mu(freed)
    out.attrs["rules"] = {
        "source": r.get("source"),
        "edition": r.get("edition"),
        "far_table_source": r["far_min_by_industry"].get("source"),
        "far_table_edition": r["far_min_by_industry"].get("edition"),
        "industry_code_edition_default": str(edition or r["far_min_by_industry"].get("default_edition")),
        "checked_land_uses": checked_uses,
        "binding": {rid: bool(rule_cfg[rid].get("binding", True)) for rid in RULE_IDS},
        "source_keys": {rid: rule_cfg[rid].get("source_key") for rid in RULE_IDS},
        "invest_source_key": rule_cfg["invest_intensity"].get("source_key"),
        "building_coef_min": coef_min,
        "office_share_max": float(rule_cfg["office_share"]["value"]),
        "green_ratio_max": float(rule_cfg["green_ratio"]["value"]),
        "min_far_override": min_far_override,
        "min_building_coef_override": min_building_coef_override,
        "parks_given": parks is not None,
    }
    return out


def analyse_intensity(
    parcels: gpd.GeoDataFrame,
    *,
    parks: pd.DataFrame | None = None,
    rules: Mapping | None = None,
    min_far_override: float | None = None,
    min_building_coef_override: float | None = None,
    edition: str | int | None = None,
    site: tuple[pd.Series, pd.Series] | None = None,
) -> gpd.GeoDataFrame | pd.DataFrame:
    """
    Parcels with their metrics and compliance columns joined (what the CLI writes).

    Columns of :func:`parcel_metrics` and :func:`check_compliance` replace any
    same-named input columns; ``attrs["rules"]`` records the settings used. ``site``: parcels
    read without their shapes, as :func:`parcel_metrics` takes it; parcels without a geometry
    column give a plain DataFrame.
    """
    added = intensity_columns(parcels, parks=parks, rules=rules, min_far_override=min_far_override,
                              min_building_coef_override=min_building_coef_override, edition=edition, site=site)
    return joined(parcels, added)


def intensity_columns(
    parcels: pd.DataFrame,
    *,
    parks: pd.DataFrame | None = None,
    rules: Mapping | None = None,
    min_far_override: float | None = None,
    min_building_coef_override: float | None = None,
    edition: str | int | None = None,
    site: tuple[pd.Series, pd.Series] | None = None,
) -> pd.DataFrame:
    """
    The columns :func:`analyse_intensity` adds: those of :func:`parcel_metrics`, then those of
    :func:`check_compliance`; ``attrs["rules"]`` records the settings used. Each row's are its
    own (nothing is summed or ranked over rows): the parcels may be analysed a slice at a time.
    """
    m = parcel_metrics(parcels, site=site)
    c = check_compliance(
        parcels,
        parks=parks,
        rules=rules,
        min_far_override=min_far_override,
        min_building_coef_override=min_building_coef_override,
        edition=edition,
        metrics=m,
    )
    added = pd.concat([m, c], axis=1)
    added.attrs["rules"] = c.attrs["rules"]
    return added


def joined(parcels: pd.DataFrame, added: pd.DataFrame) -> gpd.GeoDataFrame | pd.DataFrame:
    """
    ``parcels`` with the columns of :func:`intensity_columns` (``added``) after theirs, replacing
    any of the same name; a GeoDataFrame when the parcels have a geometry column.
    """
    base = parcels.drop(columns=[col for col in added.columns if col in parcels.columns])
    out = pd.concat([base, added], axis=1)
    if isinstance(parcels, gpd.GeoDataFrame) and parcels._geometry_column_name in parcels.columns:
        out = gpd.GeoDataFrame(out, geometry=parcels.geometry.name, crs=parcels.crs)
    out.attrs["rules"] = added.attrs["rules"]
    return out


def summarize_intensity(df: pd.DataFrame, by: str = "park_id") -> pd.DataFrame:
    """
    Inefficient land and freed-land potential per group, with a total row.

    Parameters
    ----------
    df
        Output of :func:`analyse_intensity` (needs ``checked``, ``inefficient``,
        ``area_mu``, ``freed_land_mu``, ``far_gap_floor_m2``).
    by
        Grouping column; absent → the total only.

    Returns
    -------
    summary
        Index = group (plus ``"__total__"``): ``parcels``, ``checked``,
        ``inefficient``, ``inefficient_area_mu``, ``freed_land_mu``,
        ``far_gap_floor_m2``.
    """
    key = (
        df[by].astype("string").fillna("(unknown)")
        if by in df.columns
        else pd.Series("(all)", index=df.index, dtype="string")
    )
    ineff = df["inefficient"].astype(bool)
    frame = pd.DataFrame(
        {
            "parcels": 1,
            "checked": df["checked"].astype(int),
            "inefficient": ineff.astype(int),
            "inefficient_area_mu": df["area_mu"].where(ineff, 0.0).fillna(0.0),
            "freed_land_mu": df["freed_land_mu"].fillna(0.0),
            "far_gap_floor_m2": df["far_gap_floor_m2"].fillna(0.0),
        },
        index=df.index,
    )
    per = frame.groupby(key.rename(by), sort=True).sum()
    total = frame.sum().to_frame("__total__").T
    out = pd.concat([per, total]) if by in df.columns else total
    return out.astype({"parcels": int, "checked": int, "inefficient": int})


# --------------------------------------------------------------------------- CLI
