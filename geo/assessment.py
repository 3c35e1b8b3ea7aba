"""
Review of an application to expand a park (扩区), to upgrade it (升级) or to let a project in
(项目入园联席审查): every check with its status, figure, unit, threshold and source.

Pure analysis: codes and numbers only (words in ``words/assessment.py``). Thresholds, the
checks of each kind and the verdict rule are data (``geo/rules/assessment.yaml``, a preset);
a bureau adds its own preset as a YAML file. Areas and distances are measured in the CGCS2000
Gauss-Krüger zone of the application (``geo.crs``), never in degrees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import GEOGRAPHIC_EPSG, M2_PER_HA, M2_PER_MU, area_m2, to_metric
from geo.errors import CodedError
from geo.rules import RULES_DIR, RulesError, load_rules
from geo.vocab import eco_status, land_use_class, park_level

#: Codes of the assessment's own errors (a preset that cannot be used, a request that cannot be met).
ASSESSMENT_ERROR_CODES: tuple[str, ...] = (
    "assess_preset_unknown",  # preset, available
    "assess_verdict_rule_invalid",  # rule
    "assess_kind_unknown_checks",  # kind, checks
    "assess_verdict_no_rule",
    "assess_kind_invalid",  # kind, kinds
    "assess_park_unknown",  # park, parks
)


class AssessmentError(CodedError):
    """An application that cannot be assessed as asked (``code`` in :data:`ASSESSMENT_ERROR_CODES`)."""


#: What can be applied for.
KINDS = ("expansion", "upgrade", "project")
#: Check statuses, worst last.
STATUSES = ("pass", "warn", "fail")
#: Verdicts a preset's rule may name.
VERDICTS = ("recommend", "recommend_with_conditions", "do_not_recommend")
#: Constraint layers (三区三线), by layer id: the file names a constraints folder holds.
CONSTRAINT_LAYERS = ("basic_farmland", "ecological_red_line", "urban_development_boundary")
#: Every check id (stable: the JSON output and the page use them).
CHECK_IDS = (
    "area", "overlap_other_parks", "contiguity", "basic_farmland", "ecological_red_line",
    "urban_boundary_share", "development_rate", "expansion_criteria_2005", "idle_land",
    "inefficient_land", "unbuilt_land", "evaluation_score", "evaluation_rank",
    "years_at_region_level", "eco_status", "leading_industry_match", "real_estate_share",
    "project_far", "project_building_coef", "project_office_share", "project_green_ratio",
    "project_investment", "project_leading_industry", "project_tax_per_mu", "project_output_per_mu",
    "project_grade", "project_land_available",
)
#: Units of check values (words: label kind ``assess_unit``).
UNITS = ("km2", "m2", "m", "ha", "ratio", "far", "points", "rank", "years", "code", "wan_per_mu", "count")
#: Why a check has no figure (``args["why"]``; words: label kind ``assess_why``).
WHY_CODES = (
    "layer_missing", "no_parcels", "park_not_evaluated", "no_score", "value_missing",
    "no_plan_list", "no_land_use", "no_site_area", "industry_unknown", "no_park_median",
    "not_graded", "rule_not_evaluated",
)
#: Source keys cited by the shipped preset that words/assessment.py names (the others are
#: label kind ``source`` of words/metrics.py).
SOURCE_KEYS = ("shangzi_2005_96", "cleanup_2004", "zhongban_2019_48", "approval_practice", "idle_order_53")
#: Project attributes read from the application (canonical parcel names where one exists).
PROJECT_COLUMNS = (
    "applicant", "industry_code", "industry_edition", "leading_industry", "area_m2", "floor_area_m2",
    "floor_area_over_8m_m2", "footprint_m2", "office_area_m2", "green_area_m2", "total_investment_wan",
    "output_wan", "tax_wan", "employees",
)
#: Headers a project table may use for the attributes that are not parcel columns.
PROJECT_ALIASES = {
    "applicant": ("applicant", "申请单位", "项目单位", "申请人", "项目业主"),
    "leading_industry": ("leading_industry", "所属主导产业", "主导产业"),
    "area_m2": ("area_m2", "用地面积(平方米)", "用地面积（平方米）", "用地面积", "面积(平方米)", "面积"),
}
DEFAULT_PRESET = "default"

_SPLIT = re.compile(r"[;；、,，/]+")
_CONTROL_RULES = {"project_far": ("far", "far_min"), "project_building_coef": ("building_coef", "building_coef_min"),
                  "project_office_share": ("office_share", "office_share_max"),
                  "project_green_ratio": ("green_ratio", "green_ratio_max"),
                  "project_investment": ("invest_wan_per_mu", "invest_min_wan_per_mu")}


# --------------------------------------------------------------------------- presets


def available_presets() -> list[str]:
    """Preset names shipped in ``geo/rules/``: ``default`` and each ``assessment_<name>.yaml``."""
    return [DEFAULT_PRESET, *sorted(p.stem.removeprefix("assessment_") for p in RULES_DIR.glob("assessment_*.yaml"))]


def load_preset(preset: str | Path | Mapping | None = None) -> dict:
    """
    The assessment preset: ``geo/rules/assessment.yaml`` with a bureau's preset merged over it.

    Parameters
    ----------
    preset
        None or ``"default"``; a shipped name (``geo/rules/assessment_<name>.yaml``); a path to
        a YAML file; or a mapping. Only what changes need be given (deep-merged).

    Raises
    ------
    RulesError
        Unknown name or unreadable file, or a verdict rule naming an unknown status/verdict.
    """
    if preset is None or preset == DEFAULT_PRESET:
        out = load_rules("assessment")
    elif isinstance(preset, Mapping):
        out = load_rules("assessment", override=preset)
    else:
        path = Path(preset)
        shipped = RULES_DIR / f"assessment_{preset}.yaml"
        if isinstance(preset, str) and re.fullmatch(r"[A-Za-z0-9_-]+", preset) and shipped.is_file():
            path = shipped
        elif not path.is_file():
            raise RulesError("assess_preset_unknown", preset=str(preset), available=available_presets())
        out = load_rules("assessment", override=path)
        out.setdefault("name", path.stem)
    for rule in out["verdict"]["rules"]:
        if rule.get("verdict") not in VERDICTS or rule.get("if_any", "pass") not in STATUSES:
            raise RulesError("assess_verdict_rule_invalid", rule=str(dict(rule)))
    for kind, ids in out["kinds"].items():
        unknown = [i for i in ids if i not in CHECK_IDS]
        if unknown:
            raise RulesError("assess_kind_unknown_checks", kind=str(kind), checks=unknown)
    return out


def derive_verdict(statuses, rules: list[Mapping]) -> str:
    """The verdict of the first rule that matches (``if_any: <status>`` or ``otherwise``)."""
    present = set(statuses)
    for rule in rules:
        if "if_any" not in rule or rule["if_any"] in present:
            return rule["verdict"]
    raise RulesError("assess_verdict_no_rule")


def status_of(value, spec: Mapping) -> str:
    """
    Status of a figure against a min/max check of a preset.

    ``min``: ``value ≥ pass`` passes (``>`` when ``strict``); else ``value ≥ warn`` warns;
    else ``otherwise`` (fail unless the preset says warn). ``max`` the other way round.
    A missing figure is a warning: nothing is passed unseen.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "warn"
    sign = 1.0 if spec["kind"] == "min" else -1.0
    v = sign * float(value)
    p = sign * float(spec["pass"])
    if (v > p) if spec.get("strict") else (v >= p - 1e-12 * max(abs(p), 1.0)):
        return "pass"
    warn = spec.get("warn")
    if warn is not None and v >= sign * float(warn) - 1e-12 * max(abs(float(warn)), 1.0):
        return "warn"
    return spec.get("otherwise", "fail")


# --------------------------------------------------------------------------- result


@dataclass
class Assessment:
    """
    What :func:`assess` returns.

    Attributes
    ----------
    checks
        One row per check, in the preset's order: ``id``, ``status`` (pass/warn/fail),
        ``value`` (in ``unit``; None when unknown), ``unit``, ``threshold`` (a dict of numbers),
        ``source`` (source key), ``system_default`` (the names of the thresholds that are
        本系统默认参数: ``pass``, ``warn``, ``map`` …), ``args``
        (the figures behind the value, and ``why`` when it is unknown).
    overlaps
        Every overlapping piece: ``layer`` (constraint layer id or ``other_parks``), ``piece``
        (1, 2, … within the layer), ``area_m2``, ``feature`` (the other park's id for
        ``other_parks``) and the geometry (in :attr:`crs`).
    verdict
        One of :data:`VERDICTS`, derived from the statuses by :attr:`verdict_rules` only.
    area
        ``total`` (``area_m2``, ``area_ha``, ``area_mu``, ``area_km2`` to 4 decimals) and
        ``blocks``: one row per polygon block with its areas and 四至 (the extreme east,
        south, west, north: ``east_x``/``west_x``/``north_y``/``south_y`` in :attr:`crs` and
        ``east_lon``/``west_lon``/``north_lat``/``south_lat`` in CGCS2000 degrees).
    """

    kind: str
    park_id: str
    as_of: pd.Timestamp
    preset: dict
    checks: pd.DataFrame
    overlaps: gpd.GeoDataFrame
    verdict: str
    area: dict
    application: gpd.GeoDataFrame
    park: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    constraints: dict[str, gpd.GeoDataFrame]
    crs: object
    project: dict = field(default_factory=dict)
    layer_sources: dict[str, str] = field(default_factory=dict)
    park_names: dict[str, dict[str, str]] = field(default_factory=dict)

    def names(self, lang: str = "zh") -> dict[str, str]:
        """Park id → name in ``lang`` (the id where the parks file gives none)."""
        return {pid: (n.get(lang) or n.get("zh") or pid) for pid, n in self.park_names.items()}

    @property
    def verdict_rules(self) -> list[dict]:
        return list(self.preset["verdict"]["rules"])

    def ordered_checks(self) -> pd.DataFrame:
        """Failing checks first, then warnings, then passes; the preset's order within each."""
        rank = self.checks["status"].map({"fail": 0, "warn": 1, "pass": 2})
        return self.checks.assign(_r=rank).sort_values("_r", kind="stable").drop(columns="_r").reset_index(drop=True)

    @property
    def area_m2(self) -> float:
        return float(self.area["total"]["area_m2"])


# --------------------------------------------------------------------------- geometry


def _has_geometry(gdf) -> bool:
    """A GeoDataFrame with its active geometry column present (an attribute table has none)."""
    return isinstance(gdf, gpd.GeoDataFrame) and gdf._geometry_column_name in gdf.columns


def _polygon_mask(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Rows of ``gdf`` holding a polygon or multipolygon."""
    arr = np.asarray(gdf.geometry.array, dtype=object)
    return ~(shapely.is_missing(arr) | shapely.is_empty(arr)) & np.isin(shapely.get_type_id(arr), (3, 6))


def _polygons(gdf: gpd.GeoDataFrame | None, crs) -> np.ndarray:
    """Polygonal geometries of ``gdf`` in ``crs`` (empty array when none)."""
    if gdf is None or len(gdf) == 0 or not _has_geometry(gdf):
        return np.empty(0, dtype=object)
    g = gdf.geometry.to_crs(crs) if gdf.crs != crs else gdf.geometry
    arr = np.asarray(g.array, dtype=object)
    keep = _polygon_mask(gdf)
    return shapely.make_valid(arr[keep]) if keep.any() else np.empty(0, dtype=object)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep the polygonal part of intersection results (lines and points are not land); None if none."""
    out = np.full(len(geoms), None, dtype=object)
    if not len(geoms):
        return out
    types = shapely.get_type_id(geoms)
    plain = np.isin(types, (3, 6)) & ~shapely.is_empty(geoms)
    out[plain] = geoms[plain]
    mixed = np.flatnonzero(types == 7)  # a collection: a shared edge or corner beside an area
    if len(mixed):
        parts, owner = shapely.get_parts(geoms[mixed], return_index=True)
        poly = shapely.get_type_id(parts) == 3
        if poly.any():
            grouped = pd.Series(list(parts[poly])).groupby(owner[poly]).agg(lambda s: shapely.union_all(list(s)))
            out[mixed[grouped.index.to_numpy()]] = grouped.to_numpy()
    return out


def overlap_pieces(app: np.ndarray, layer: np.ndarray, *, tol_m2: float) -> pd.DataFrame:
    """
    The pieces where application polygons and layer polygons overlap (both in one metric CRS).

    Returns
    -------
    pieces
        ``block`` (position in ``app``), ``feature`` (position in ``layer``), ``area_m2`` and
        ``geometry``; pieces below ``tol_m2`` (shared-edge noise) are dropped.
    """
    if not len(app) or not len(layer):
        return pd.DataFrame({"block": [], "feature": [], "area_m2": [], "geometry": []})
    tree = shapely.STRtree(layer)
    ia, il = tree.query(app, predicate="intersects")
    geoms = _polygonal(shapely.intersection(app[ia], layer[il]))
    has = ~pd.isna(geoms)
    areas = np.zeros(len(geoms))
    areas[has] = shapely.area(geoms[has].astype(object))
    keep = areas > tol_m2
    return pd.DataFrame({"block": ia[keep], "feature": il[keep], "area_m2": areas[keep], "geometry": geoms[keep]})


def _four_sides(blocks: gpd.GeoSeries) -> pd.DataFrame:
    b = blocks.bounds
    deg = blocks.to_crs(GEOGRAPHIC_EPSG)
    coords, owner = shapely.get_coordinates(np.asarray(deg.array, dtype=object), return_index=True)
    lon = pd.Series(coords[:, 0]).groupby(owner)
    lat = pd.Series(coords[:, 1]).groupby(owner)
    return pd.DataFrame({
        "east_x": b["maxx"].to_numpy(), "south_y": b["miny"].to_numpy(), "west_x": b["minx"].to_numpy(),
        "north_y": b["maxy"].to_numpy(), "east_lon": lon.max().to_numpy(), "south_lat": lat.min().to_numpy(),
        "west_lon": lon.min().to_numpy(), "north_lat": lat.max().to_numpy(),
    })


def area_statement(blocks: gpd.GeoSeries) -> dict:
    """
    Areas as approvals state them: per block and in total, m², 公顷, 亩 and km² (4 decimals),
    each block with its 四至 (see :class:`Assessment`). ``blocks`` in a metric CRS.
    """
    a = area_m2(blocks).to_numpy(dtype=float)
    frame = pd.DataFrame({"block": np.arange(1, len(a) + 1), "area_m2": a, "area_ha": a / M2_PER_HA,
                          "area_mu": a / M2_PER_MU, "area_km2": np.round(a / 1e6, 4)})
    frame = pd.concat([frame, _four_sides(blocks)], axis=1)
    total = float(np.nansum(a))
    return {"total": {"area_m2": total, "area_ha": total / M2_PER_HA, "area_mu": total / M2_PER_MU,
                      "area_km2": round(total / 1e6, 4)},
            "blocks": frame}


# --------------------------------------------------------------------------- checks


def _f(value) -> float | None:
    """A plain float, None for missing."""
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


class _Checks:
    """Collects check rows for one assessment."""

    def __init__(self, preset: dict):
        self.preset = preset
        self.rows: list[dict] = []

    def spec(self, cid: str) -> dict:
        return dict(self.preset["checks"][cid])

    def add(self, cid: str, status: str, value, *, threshold: dict | None = None, **args) -> None:
        spec = self.spec(cid)
        self.rows.append({
            "id": cid, "status": status, "value": _f(value) if not isinstance(value, str) else value,
            "unit": spec.get("unit"), "threshold": threshold or {}, "source": spec.get("source_key"),
            "system_default": [str(s) for s in spec.get("system_default") or []], "args": args,
        })

    def graded(self, cid: str, value, **args) -> None:
        """A min/max check: status from the preset's thresholds."""
        spec = self.spec(cid)
        threshold = {k: spec[k] for k in ("kind", "pass", "warn", "strict", "otherwise") if k in spec}
        if value is None or (isinstance(value, float) and math.isnan(value)):
            args.setdefault("why", "value_missing")
        self.add(cid, status_of(value, spec), value, threshold=threshold, **args)

    def unknown(self, cid: str, why: str, **args) -> None:
        spec = self.spec(cid)
        threshold = {k: spec[k] for k in ("kind", "pass", "warn", "strict", "map") if k in spec}
        self.add(cid, "warn", None, threshold=threshold, why=why, **args)


def _split(value) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return []
    return [s.strip() for s in _SPLIT.split(str(value)) if s.strip()]


def _park_row(ev, park_id: str) -> pd.Series | None:
    if ev is None:
        return None
    t = ev.table
    hit = t[t["park_id"].astype("string").str.strip() == park_id]
    return None if hit.empty else hit.iloc[0]


def _layer_checks(c: _Checks, app: np.ndarray, constraints: dict, crs, tol: float,
                  pieces_out: list[pd.DataFrame], ids: list[str]) -> None:
    app_union = shapely.union_all(app) if len(app) else None
    app_area = float(shapely.area(app_union)) if app_union is not None else 0.0
    for cid, layer_id in (("basic_farmland", "basic_farmland"), ("ecological_red_line", "ecological_red_line")):
        if cid not in ids:
            continue
        if constraints.get(layer_id) is None:
            c.unknown(cid, "layer_missing", layer=layer_id)
            continue
        pieces = overlap_pieces(app, _polygons(constraints[layer_id], crs), tol_m2=tol)
        pieces = pieces.assign(layer=layer_id, piece=np.arange(1, len(pieces) + 1), feature=pieces["feature"])
        pieces_out.append(pieces)
        # Layer features may overlap each other: the total is the area of the pieces' union.
        total = float(shapely.area(shapely.union_all(pieces["geometry"].to_numpy()))) if len(pieces) else 0.0
        c.add(cid, "pass" if total <= tol else "fail", total, threshold={"kind": "max", "pass": 0.0},
              pieces=[round(float(a), 2) for a in pieces["area_m2"]], n=len(pieces))
    if "urban_boundary_share" in ids:
        layer = constraints.get("urban_development_boundary")
        if layer is None:
            c.unknown("urban_boundary_share", "layer_missing", layer="urban_development_boundary")
        elif app_area <= 0:
            c.unknown("urban_boundary_share", "no_site_area")
        else:
            # Only the boundary polygons that meet the application are unioned (a layer may be province-wide).
            pieces = overlap_pieces(np.array([app_union], dtype=object), _polygons(layer, crs), tol_m2=0.0)
            inside = float(shapely.area(shapely.union_all(pieces["geometry"].to_numpy()))) if len(pieces) else 0.0
            c.graded("urban_boundary_share", inside / app_area, inside_m2=inside, outside_m2=app_area - inside)


def _park_record_checks(c: _Checks, ids: list[str], row: pd.Series | None, ev, park_id: str) -> None:
    record = [i for i in ("development_rate", "idle_land", "inefficient_land", "unbuilt_land",
                          "evaluation_score", "evaluation_rank") if i in ids]
    if row is None:
        for cid in record:
            c.unknown(cid, "no_parcels" if ev is None else "park_not_evaluated")
        return
    supplied = _f(row.get("supplied_ha"))
    for cid in record:
        if cid == "development_rate":
            c.graded(cid, _f(row.get("development_rate")), supply_ready_ha=_f(row.get("supply_ready_ha")),
                     developable_ha=_f(row.get("developable_ha")))
            if c.spec(cid).get("warn_source_key"):
                c.rows[-1]["args"]["warn_source"] = c.spec(cid)["warn_source_key"]
        elif cid == "idle_land":
            idle = _f(row.get("idle_ha"))
            disposed = _f(row.get("idle_disposed_ha")) or 0.0
            left = None if idle is None else max(idle - disposed, 0.0)
            share = None if left is None or not supplied else left / supplied
            c.graded(cid, share, area_ha=left, supplied_ha=supplied, n=int(row.get("n_idle", 0) or 0))
        elif cid == "inefficient_land":
            ha = _f(row.get("inefficient_ha"))
            c.graded(cid, None if ha is None or not supplied else ha / supplied, area_ha=ha, supplied_ha=supplied,
                     n=int(row.get("n_inefficient", 0) or 0))
        elif cid == "unbuilt_land":
            p = ev.parcels
            mine = (p["park_id"].astype("string") == park_id).fillna(False).to_numpy(bool)
            ha = float(p.loc[mine & p["unbuilt"].to_numpy(bool), "area_ha"].sum())
            c.graded(cid, None if not supplied else ha / supplied, area_ha=ha, supplied_ha=supplied)
        elif cid == "evaluation_score":
            c.graded(cid, _f(row.get("score")))
        elif cid == "evaluation_rank":
            spec = c.spec(cid)
            n = int(ev.table["score"].notna().sum())
            rank = _f(row.get("rank"))
            cutoff = max(1, math.floor(float(spec["pass_top_share"]) * n + 1e-9)) if n else None
            if rank is None or cutoff is None:
                c.unknown(cid, "no_score", n=n)
                continue
            status = "pass" if rank <= cutoff else spec.get("otherwise", "warn")
            c.add(cid, status, rank, threshold={"kind": "max", "pass": cutoff, "top_share": spec["pass_top_share"]},
                  n=n)


def _criteria_2005(c: _Checks, park: pd.Series, park_geom: np.ndarray, ev, park_id: str) -> None:
    """商资字〔2005〕96号: besides a developed approved area, one of three (national zones only)."""
    spec = c.spec("expansion_criteria_2005")
    level = park_level(pd.Series([park.get("level")])).iloc[0]
    if pd.isna(level) or level not in spec.get("applies_to_levels", []):
        return
    km2 = float(shapely.area(shapely.union_all(park_geom))) / 1e6 if len(park_geom) else None
    output = tax = None
    if ev is not None:
        p = ev.parcels
        mine = (p["park_id"].astype("string") == park_id).fillna(False).to_numpy(bool)
        if "output_wan" in p:
            output = _f(pd.to_numeric(p.loc[mine, "output_wan"], errors="coerce").sum(min_count=1))
        if "tax_wan" in p:
            tax = _f(pd.to_numeric(p.loc[mine, "tax_wan"], errors="coerce").sum(min_count=1))
    out_per_km2 = None if output is None or not km2 else output / km2
    rank = _f(park.get("investment_env_rank"))
    tests = {
        "investment_env_rank": (rank, None if rank is None else rank <= float(spec["investment_env_rank_max"])),
        "output_wan_per_km2": (out_per_km2, None if out_per_km2 is None
                               else out_per_km2 >= float(spec["output_wan_per_km2_min"])),
        "tax_wan_per_year": (tax, None if tax is None else tax >= float(spec["tax_wan_per_year_min"])),
    }
    met = sum(bool(ok) for _, ok in tests.values())
    unknown = any(ok is None for _, ok in tests.values())
    status = "pass" if met else ("warn" if unknown else "fail")
    c.add("expansion_criteria_2005", status, met,
          threshold={"kind": "any_of", "investment_env_rank_max": spec["investment_env_rank_max"],
                     "output_wan_per_km2_min": spec["output_wan_per_km2_min"],
                     "tax_wan_per_year_min": spec["tax_wan_per_year_min"]},
          investment_env_rank=rank, output_wan_per_km2=out_per_km2, tax_wan_per_year=tax, park_area_km2=km2,
          **({"why": "value_missing"} if unknown and not met else {}))


def _upgrade_checks(c: _Checks, ids: list[str], park: pd.Series, application: gpd.GeoDataFrame,
                    app: np.ndarray, parcels: gpd.GeoDataFrame | None, as_of: pd.Timestamp, park_id: str,
                    crs, tol: float) -> None:
    if "years_at_region_level" in ids:
        since = _f(park.get("regional_since_year"))
        if since is None:
            c.unknown("years_at_region_level", "value_missing")
        else:
            c.graded("years_at_region_level", as_of.year - since, since=int(since))
    if "eco_status" in ids:
        spec = c.spec("eco_status")
        code = eco_status(pd.Series([park.get("eco_status")])).iloc[0]
        if pd.isna(code):
            c.unknown("eco_status", "value_missing")
        else:
            c.add("eco_status", spec["map"].get(code, "warn"), str(code),
                  threshold={"kind": "map", "map": dict(spec["map"])}, eco_year=_f(park.get("eco_year")))
    if "leading_industry_match" in ids:
        declared = []
        if "leading_industries" in application:
            declared = _split(application["leading_industries"].dropna().astype(str).str.cat(sep=";"))
        declared = declared or _split(park.get("leading_industries"))
        plan = (c.preset.get("plan_leading_industries") or {}).get(park_id)
        if not plan:
            c.unknown("leading_industry_match", "no_plan_list", declared=declared)
        elif not declared:
            c.unknown("leading_industry_match", "value_missing", plan=list(plan))
        else:
            matched = [d for d in declared if d in set(plan)]
            c.graded("leading_industry_match", len(matched) / len(declared), declared=declared, plan=list(plan),
                     matched=matched)
    if "real_estate_share" in ids:
        spec = c.spec("real_estate_share")
        uses = set(spec["land_uses"])
        total = float(shapely.area(shapely.union_all(app))) if len(app) else 0.0
        if "land_use" in application and application["land_use"].notna().any() and total > 0:
            cls = land_use_class(application["land_use"]).reindex(application.index)
            a = shapely.area(np.asarray(application.geometry.to_crs(crs).array, dtype=object))
            share = float(a[cls.isin(uses).fillna(False).to_numpy(bool)].sum()) / float(a.sum())
            c.graded("real_estate_share", share, basis="application")
        elif parcels is not None and len(parcels) and "land_use" in parcels and total > 0:
            p = _polygons(parcels, crs)
            # Positions in ``p`` are those of the polygon rows only.
            cls = land_use_class(parcels["land_use"]).to_numpy(dtype=object)[_polygon_mask(parcels)]
            pieces = overlap_pieces(app, p, tol_m2=tol)
            covered = float(pieces["area_m2"].sum())
            if covered <= 0:
                c.unknown("real_estate_share", "no_land_use")
            else:
                hit = pd.Series(cls[pieces["feature"].to_numpy(int)]).isin(uses).to_numpy(bool)
                c.graded("real_estate_share", float(pieces["area_m2"].to_numpy()[hit].sum()) / covered,
                         basis="parcels", covered_m2=covered)
        else:
            c.unknown("real_estate_share", "no_land_use")


def project_from_table(table: pd.DataFrame) -> gpd.GeoDataFrame:
    """
    A project given as an attribute table (CSV/Excel row, no geometry): headers in canonical
    names or Chinese (行业代码, 总建筑面积, 用地面积, 申请单位 …) → :data:`PROJECT_COLUMNS`,
    numbers as numbers. The site is then ``area_m2`` (用地面积, m²).
    """
    from geo.schema import alias_map

    lookup = alias_map()
    for name, aliases in PROJECT_ALIASES.items():
        lookup.update({a.strip().casefold(): name for a in aliases})
    renamed = table.rename(columns={c: lookup.get(str(c).strip().casefold(), c) for c in table.columns})
    renamed = renamed.loc[:, ~renamed.columns.duplicated()]
    numeric = [c for c in PROJECT_COLUMNS if c not in ("applicant", "industry_code", "industry_edition",
                                                       "leading_industry") and c in renamed]
    for c in numeric:
        renamed[c] = pd.to_numeric(renamed[c].astype("string").str.replace(",", "", regex=False).str.strip(),
                                   errors="coerce")
    return gpd.GeoDataFrame(renamed)


def _project_frame(application: gpd.GeoDataFrame, park_id: str, crs) -> gpd.GeoDataFrame:
    """The project as one industrial parcel of the park: its attributes, its site (union or area)."""
    first = application.iloc[[0]].reset_index(drop=True)
    cols = {c: first[c].iloc[0] for c in PROJECT_COLUMNS if c in first}
    if "applicant" not in cols and "holder" in first:
        cols["applicant"] = first["holder"].iloc[0]
    geoms = _polygons(application, crs)
    site = shapely.union_all(geoms) if len(geoms) else None
    frame = pd.DataFrame({**{k: [v] for k, v in cols.items()}, "park_id": [park_id],
                          "land_use": [first["land_use"].iloc[0] if "land_use" in first and
                                       pd.notna(first["land_use"].iloc[0]) else "industrial"]})
    if site is not None and not shapely.is_empty(site):
        frame = frame.drop(columns=["area_m2"], errors="ignore")
        return gpd.GeoDataFrame(frame, geometry=[site], crs=crs)
    return gpd.GeoDataFrame(frame)


def _project_checks(c: _Checks, ids: list[str], project: gpd.GeoDataFrame, parks: gpd.GeoDataFrame,
                    park: pd.Series, parcels, row: pd.Series | None, park_id: str) -> dict:
    from geo import grading, intensity

    metrics = intensity.parcel_metrics(project)
    comp = intensity.check_compliance(project, parks=pd.DataFrame(parks.drop(columns=parks.geometry.name)),
                                      metrics=metrics)
    binding = comp.attrs["rules"]["binding"]
    skipped = comp["skipped_rules"].iloc[0]
    info = {"site_m2": _f(metrics["area_m2"].iloc[0]), "site_mu": _f(metrics["area_mu"].iloc[0]),
            "industry_division": comp["industry_division"].iloc[0]}
    for cid, (metric, limit) in _CONTROL_RULES.items():
        if cid not in ids:
            continue
        rule = c.spec(cid)["rule"]
        ok = comp[f"{rule}_ok"].iloc[0]
        value, required = _f(metrics[metric].iloc[0]), _f(comp[limit].iloc[0])
        kind = "max" if rule in ("office_share", "green_ratio") else "min"
        threshold = {"kind": kind, "pass": required}
        if pd.isna(ok):
            why = next((s for s in skipped if s.get("control_rule") == rule), None)
            c.add(cid, "warn", value, threshold=threshold, why="rule_not_evaluated",
                  skip=why.get("code") if why else None)
        else:
            c.add(cid, "pass" if ok else ("fail" if binding[rule] else "warn"), value, threshold=threshold)

    leading = _split(park.get("leading_industries"))
    if "project_leading_industry" in ids:
        stated = _split(project["leading_industry"].iloc[0]) if "leading_industry" in project else []
        division = info["industry_division"]
        if stated:
            matched = [s for s in stated if s in leading]
            basis = "stated"
        elif isinstance(division, str):
            table = c.preset.get("industry_divisions") or {}
            matched = [name for name in leading if division in {str(d) for d in table.get(name, [])}]
            basis = "division"
        else:
            matched, basis = None, None
        if matched is None:
            c.unknown("project_leading_industry", "industry_unknown", leading=leading)
        else:
            c.add("project_leading_industry", "pass" if matched else c.spec("project_leading_industry")["otherwise"],
                  matched[0] if matched else None, threshold={"kind": "match", "leading": leading},
                  leading=leading, basis=basis, division=division, stated=stated)

    park_parcels = None
    if parcels is not None and len(parcels):
        mine = (parcels["park_id"].astype("string").str.strip() == park_id).fillna(False).to_numpy(bool)
        park_parcels = parcels[mine]
    for cid, metric in (("project_tax_per_mu", "tax_wan_per_mu"), ("project_output_per_mu", "output_wan_per_mu")):
        if cid not in ids:
            continue
        value = _f(metrics[metric].iloc[0])
        median = None
        if park_parcels is not None and len(park_parcels):
            pm = intensity.parcel_metrics(park_parcels)
            lu = intensity.land_use_code(park_parcels["land_use"] if "land_use" in park_parcels else None,
                                         park_parcels.index)
            vals = pm[metric][(lu == "industrial").to_numpy(bool)]
            median = _f(vals[vals > 0].median())
        if median is None:
            c.unknown(cid, "no_park_median", project_value=value)
            continue
        spec = c.spec(cid)
        spec = {**spec, "kind": "min", "pass": float(spec["pass"]) * median}
        c.add(cid, status_of(value, spec), value,
              threshold={"kind": "min", "pass": spec["pass"], "median": median, "ratio": c.spec(cid)["pass"]},
              median=median, **({"why": "value_missing"} if value is None else {}))

    if "project_grade" in ids:
        spec = c.spec("project_grade")
        grade_class = None
        if park_parcels is not None and len(park_parcels):
            both = pd.concat([pd.DataFrame(park_parcels.drop(columns=park_parcels.geometry.name)).assign(
                area_mu=intensity.parcel_metrics(park_parcels)["area_mu"].to_numpy()),
                pd.DataFrame({"park_id": [park_id], "land_use": ["industrial"], "area_mu": [info["site_mu"]],
                              **{k: [project[k].iloc[0]] for k in ("tax_wan", "value_added_wan", "energy_tce",
                                                                    "emission_t", "employees", "rd_wan",
                                                                    "revenue_wan") if k in project}})],
                ignore_index=True)
            g = grading.grade(both, group="park")
            last = g.iloc[-1]
            grade_class = None if pd.isna(last["grade_class"]) else str(last["grade_class"])
            info["grade_score"] = _f(last["score"])
            info["grade_rank"] = _f(last["grade_rank"])
            info["grade_group_size"] = _f(last["group_size"])
        if grade_class is None:
            c.unknown("project_grade", "not_graded")
        else:
            c.add("project_grade", spec["map"].get(grade_class, "warn"), grade_class,
                  threshold={"kind": "map", "map": dict(spec["map"])}, score=info["grade_score"],
                  rank=info["grade_rank"], n=info["grade_group_size"])

    if "project_land_available" in ids:
        site_ha = None if info["site_m2"] is None else info["site_m2"] / M2_PER_HA
        if site_ha is None:
            c.unknown("project_land_available", "no_site_area")
        elif row is None:
            c.unknown("project_land_available", "park_not_evaluated", site_ha=site_ha)
        else:
            spec = c.spec("project_land_available")
            unsupplied = _f(row.get("unsupplied_ha"))
            idle = _f(row.get("idle_ha"))
            idle_left = None if idle is None else max(idle - (_f(row.get("idle_disposed_ha")) or 0.0), 0.0)
            if idle_left is not None and idle_left >= site_ha:
                status = spec["idle_enough"]
            elif unsupplied is not None and unsupplied >= site_ha:
                status = "pass"
            else:
                status = spec["otherwise"]
            c.add("project_land_available", status, site_ha,
                  threshold={"kind": "max", "pass": unsupplied}, unsupplied_ha=unsupplied, idle_ha=idle_left)
    return info


# --------------------------------------------------------------------------- assess


def assess(
    application: gpd.GeoDataFrame,
    *,
    park_id: str,
    kind: str,
    as_of,
    parks: gpd.GeoDataFrame,
    parcels: gpd.GeoDataFrame | None = None,
    constraints: Mapping[str, gpd.GeoDataFrame | None] | None = None,
    preset: str | Path | Mapping | None = None,
    evaluation=None,
) -> Assessment:
    """
    Review an application: every check of ``kind`` in the preset, and the verdict they give.

    Parameters
    ----------
    application
        The applied boundary: one row per block (polygons, any CRS); for ``kind="project"``
        the project's attributes (:data:`PROJECT_COLUMNS`) on its first row, with a site
        polygon or an ``area_m2`` column. Upgrades may carry ``land_use`` per block and
        ``leading_industries``.
    park_id
        The applicant park (``parks.park_id``).
    kind
        ``expansion``, ``upgrade`` or ``project``.
    as_of
        The date of the park's record (evaluation, idle land, years at region level).
    parks
        All parks (``geo.io.read_parks``): the applicant and its neighbours.
    parcels
        The parcels (``geo.io.read_parcels``); None leaves the park's record unknown (warned).
    constraints
        Layer id (:data:`CONSTRAINT_LAYERS`) → frame; a missing layer's checks are warned,
        never taken as zero overlap.
    preset
        See :func:`load_preset`.
    evaluation
        A ready :class:`geo.evaluation.Evaluation` of these parks and parcels (else computed).
    """
    if kind not in KINDS:
        raise AssessmentError("assess_kind_invalid", kind=str(kind), kinds=list(KINDS))
    park_id = str(park_id).strip()
    ids_col = parks["park_id"].astype("string").str.strip()
    if not (ids_col == park_id).any():
        raise AssessmentError("assess_park_unknown", park=park_id, parks=[str(x) for x in ids_col.dropna()[:12]])
    p = load_preset(preset)
    ids = list(p["kinds"][kind])
    tol = float(p.get("area_tolerance_m2", 0.01))
    dtol = float(p.get("distance_tolerance_m", 0.01))
    as_of = pd.Timestamp(as_of).normalize()
    constraints = dict(constraints or {})

    mine = (ids_col == park_id).to_numpy(bool)
    has_geom = (_has_geometry(application) and application.crs is not None
                and bool(_polygon_mask(application).any()))
    # One metric GK zone for the whole review: the application's own (the park's for a bare area).
    crs = to_metric(application[_polygon_mask(application)] if has_geom else parks[mine]).crs
    app = _polygons(application, crs) if has_geom else np.empty(0, dtype=object)
    app_gs = gpd.GeoSeries(app, crs=crs)
    park_gdf = parks[mine].to_crs(crs)
    others = parks[~mine].to_crs(crs)
    park_geom = _polygons(park_gdf, crs)
    park_row = park_gdf.iloc[0]

    c = _Checks(p)
    pieces: list[pd.DataFrame] = []
    project_frame = _project_frame(application, park_id, crs) if kind == "project" else None
    area = area_statement(app_gs) if len(app) else {
        "total": {k: None for k in ("area_m2", "area_ha", "area_mu", "area_km2")}, "blocks": pd.DataFrame()}
    if kind == "project" and not len(app) and project_frame is not None and "area_m2" in project_frame:
        a = _f(project_frame["area_m2"].iloc[0])
        if a is not None:
            area["total"] = {"area_m2": a, "area_ha": a / M2_PER_HA, "area_mu": a / M2_PER_MU,
                             "area_km2": round(a / 1e6, 4)}

    ev = evaluation
    if ev is None and parcels is not None and len(parcels):
        from geo.evaluation import evaluate_parks

        ev = evaluate_parks(parks, parcels, as_of=as_of)
    row = _park_row(ev, park_id)
    near = gpd.GeoDataFrame(geometry=[], crs=crs)

    for cid in ids:
        if cid == "area":
            km2 = area["total"]["area_km2"]
            if km2 is None:
                c.unknown("area", "no_site_area")
            else:
                c.graded("area", area["total"]["area_m2"] / 1e6, area_m2=area["total"]["area_m2"],
                         area_ha=area["total"]["area_ha"], area_mu=area["total"]["area_mu"], area_km2=km2,
                         blocks=len(app), site=kind == "project")
        elif cid == "overlap_other_parks":
            other_geom = _polygons(others, crs)
            pc = overlap_pieces(app, other_geom, tol_m2=tol)
            other_ids = others["park_id"].astype(str).to_numpy()[_polygon_mask(others)]
            pc = pc.assign(layer="other_parks", piece=np.arange(1, len(pc) + 1),
                           feature=other_ids[pc["feature"].to_numpy(int)] if len(pc) else [])
            pieces.append(pc)
            total = float(pc["area_m2"].sum())
            by_park = pc.groupby("feature")["area_m2"].sum().round(2).to_dict() if len(pc) else {}
            c.add(cid, "pass" if total <= tol else "fail", total, threshold={"kind": "max", "pass": 0.0},
                  parks=[{"park_id": k, "area_m2": v} for k, v in by_park.items()])
            if len(app):
                ring = shapely.buffer(shapely.union_all(app), 5000.0)
                near = others[shapely.intersects(np.asarray(others.geometry.array, dtype=object), ring)]
        elif cid == "contiguity":
            if not len(app):
                c.unknown(cid, "no_site_area")
                continue
            d = shapely.distance(app, shapely.union_all(park_geom)) if len(park_geom) else np.full(len(app), np.nan)
            d = np.where(d <= dtol, 0.0, d)
            c.graded(cid, float(np.nanmax(d)), blocks=[round(float(x), 1) for x in d],
                     apart=int((d > 0).sum()))
        elif cid in ("basic_farmland", "ecological_red_line"):
            if not len(app):
                c.unknown(cid, "no_site_area")
                continue
            _layer_checks(c, app, constraints, crs, tol, pieces, [cid])
        elif cid == "urban_boundary_share":
            if not len(app):
                c.unknown(cid, "no_site_area")
                continue
            _layer_checks(c, app, constraints, crs, tol, pieces, [cid])
    # Record, criteria and upgrade checks keep the preset's order after the spatial ones.
    _park_record_checks(c, ids, row, ev, park_id)
    if "expansion_criteria_2005" in ids:
        _criteria_2005(c, park_row, park_geom, ev, park_id)
    if kind == "upgrade":
        _upgrade_checks(c, ids, park_row, application, app, parcels, as_of, park_id, crs, tol)
    project_info: dict = {}
    if kind == "project":
        project_info = _project_checks(c, ids, project_frame, parks, park_row, parcels, row, park_id)
        project_info.update({k: _plain(project_frame[k].iloc[0]) for k in PROJECT_COLUMNS if k in project_frame})

    order = {cid: i for i, cid in enumerate(ids)}
    checks = pd.DataFrame(c.rows, columns=["id", "status", "value", "unit", "threshold", "source",
                                           "system_default", "args"]).astype({"value": object})
    checks["value"] = pd.Series([r["value"] for r in c.rows], dtype=object)  # None stays None, not NaN
    checks = checks.assign(_o=checks["id"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")
    checks = checks.reset_index(drop=True)
    verdict = derive_verdict(checks["status"], p["verdict"]["rules"])

    frames = [f for f in pieces if len(f)]
    if frames:
        ov = pd.concat(frames, ignore_index=True)
        overlaps = gpd.GeoDataFrame(ov[["layer", "piece", "area_m2", "feature", "block"]].assign(
            block=ov["block"].astype(int) + 1), geometry=list(ov["geometry"]), crs=crs)
    else:
        overlaps = gpd.GeoDataFrame({"layer": [], "piece": [], "area_m2": [], "feature": [], "block": []},
                                    geometry=[], crs=crs)
    app_out = gpd.GeoDataFrame(
        {"block": np.arange(1, len(app) + 1),
         "area_m2": area["blocks"]["area_m2"].to_numpy() if len(app) else []},
        geometry=list(app), crs=crs)
    layers_m = {k: (None if v is None else v.to_crs(crs)) for k, v in constraints.items()}
    sources = {k: _layer_source(v) for k, v in constraints.items() if v is not None}
    return Assessment(kind=kind, park_id=park_id, as_of=as_of, preset=p, checks=checks, overlaps=overlaps,
                      verdict=verdict, area=area, application=app_out, park=park_gdf, neighbours=near,
                      constraints=layers_m, crs=crs, project=project_info, layer_sources=sources,
                      park_names=_park_names(parks))


def _park_names(parks: pd.DataFrame) -> dict[str, dict[str, str]]:
    ids = parks["park_id"].astype(str).str.strip()
    out: dict[str, dict[str, str]] = {pid: {} for pid in ids}
    for lang, col in (("zh", "name_zh"), ("en", "name_en")):
        if col in parks:
            names = parks[col].astype("string").str.strip()
            names = pd.Series(names.to_numpy(), index=ids.to_numpy()).dropna()
            for pid, name in names[names != ""].items():
                out[pid][lang] = name
    return out


def _plain(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _layer_source(frame: gpd.GeoDataFrame) -> str:
    """``illustrative`` when every feature says so (the shipped sample), else ``user``."""
    if "source" in frame and len(frame) and (frame["source"].astype(str) == "illustrative").all():
        return "illustrative"
    return "user"


def constraint_files(folder: str | Path) -> dict[str, Path | None]:
    """Each constraint layer's file in ``folder`` (named by the layer id, any readable extension), or None."""
    from geo import io

    folder = Path(folder)
    readable = (*io.VECTOR_EXTENSIONS, *io.PARQUET_EXTENSIONS, *io.TABLE_EXTENSIONS, ".txt")
    out: dict[str, Path | None] = {}
    for layer in CONSTRAINT_LAYERS:
        hits = sorted(p for p in folder.glob(f"{layer}.*") if p.suffix.lower() in readable) if folder.is_dir() else []
        out[layer] = hits[0] if hits else None
    return out


def read_constraints(folder: str | Path, *, fallback: str | Path | None = None) -> dict[str, gpd.GeoDataFrame | None]:
    """
    The constraint layers of a folder: one file per layer named by its id, any readable
    extension (``basic_farmland.zip``, ``ecological_red_line.gpkg`` …); a layer the folder
    lacks is taken from ``fallback`` (e.g. a bureau's own layers in its workspace, the shipped
    illustrative ones behind them), else None.
    """
    from geo import io

    mine = constraint_files(folder)
    behind = constraint_files(fallback) if fallback is not None else {}
    out: dict[str, gpd.GeoDataFrame | None] = {}
    for layer in CONSTRAINT_LAYERS:
        path = mine[layer] or behind.get(layer)
        out[layer] = io.read_parcels(path).gdf if path is not None else None
    return out


def checks_records(a: Assessment) -> list[dict]:
    """The checks as plain dicts (JSON-ready numbers; failing first)."""
    rows = a.ordered_checks()
    return [{"id": r["id"], "status": r["status"], "value": _plain(r["value"]), "unit": r["unit"],
             "threshold": r["threshold"], "source": r["source"], "system_default": list(r["system_default"]),
             "args": r["args"]} for r in rows.to_dict(orient="records")]
