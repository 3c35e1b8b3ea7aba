"""
The park evaluation as people read it: the comparison export's sheets (parks with names,
levels, types, notes as sentences; the settings used with their sources; the national
averages), shared by the compare page (园区对比) and ``python -m geo evaluate``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

import words
from geo.evaluation import FIGURES, INDICATORS, PARK_TYPES, REFERENCE_ID, Evaluation, evaluation_settings
from reports import tables
from words.metrics import indicator_unit

#: Indicators that are fractions of land (shown as %); the others carry their unit or are FARs.
PERCENT_INDICATORS: frozenset[str] = frozenset(k for k, f in FIGURES.items() if f.unit == "fraction")


def _tx(key: str, lg: str, **fmt) -> str:
    """A string of the compare page's words (``ui`` words prefixed ``cmp_``) in ``lg``."""
    text = words.label("ui", f"cmp_{key}", lg)
    return text.format(**fmt) if fmt else text


def _pct(value) -> str:
    return f"{float(value) * 100:.1f}%"


def reference_name(lang: str = "zh") -> str:
    """The national-average row's name: 全国平均(2019年)."""
    return words.label("reference", REFERENCE_ID, lang)


def park_names_of(table: pd.DataFrame, lang: str) -> pd.Series:
    """Each park's name in ``lang`` (the other language's when missing); never its id."""
    first, second = ("name_en", "name_zh") if lang == "en" else ("name_zh", "name_en")
    out = pd.Series(pd.NA, index=table.index, dtype="string")
    for col in (first, second):
        if col in table:
            out = out.fillna(table[col].astype("string"))
    return out.fillna(words.DASH)


def level_labels(level: pd.Series, lang: str) -> pd.Series:
    return level.map(lambda v: words.label("park_level", v, lang)).astype("string")


def type_labels(park_type: pd.Series, settings: dict, lang: str) -> pd.Series:
    return park_type.map(lambda v: words.label("park_type", v, lang)).astype("string")


def rows_for(table: pd.DataFrame, park_ids) -> pd.DataFrame:
    """Rows of the evaluation table for ``park_ids``, in that order (unknown ids skipped)."""
    pos = pd.Index(table["park_id"].astype(str))
    keep = [pos.get_loc(str(p)) for p in park_ids if str(p) in pos]
    return table.iloc[keep]


#: Scalar settings of the evaluation shown in the settings table, in this order.
SCALAR_SETTINGS = ("park_type_cutoff_industrial_share", "park_type_if_unknown", "missing_indicator",
                   "min_weight_share_for_score", "unbuilt_basis", "supply_window_years",
                   "far_industrial_double_count_over_8m", "reverse_indicators", "industrial_land_uses",
                   "rank_method", "rank_decimals")


def _setting_text(key: str, value, lang: str) -> str:
    """A setting's value in words, with its unit."""
    if value is None:
        return words.DASH
    sep = "、" if lang == "zh" else ", "
    if key in ("park_type_cutoff_industrial_share", "min_weight_share_for_score"):
        return _pct(value)
    if key == "park_type_if_unknown":
        return words.label("park_type", value, lang)
    if key in ("missing_indicator", "unbuilt_basis", "rank_method"):
        return words.label("setting_choice", value, lang)
    if key == "supply_window_years":
        return f"{float(value):g} {words.label('indicator_unit', 'year', lang)}"
    if key == "far_industrial_double_count_over_8m":
        return words.yes_no(value, lang)
    if key == "reverse_indicators":
        return sep.join(words.label("indicator", i, lang) for i in value) or words.DASH
    if key == "industrial_land_uses":
        return sep.join(words.label("land_use", u, lang) for u in value) or words.DASH
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _ideal_text(ind: str, value, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return words.DASH
    if ind in PERCENT_INDICATORS:
        return _pct(value)
    unit = indicator_unit(ind, lang)
    return f"{float(value):,.2f} {unit}".strip()


def settings_table(settings: dict, *, lang: str = "zh") -> pd.DataFrame:
    """
    Every setting the evaluation used, in words: name, value (with unit), default and source.

    Source is 本系统默认参数 where the value is this system's configurable default and
    用户设定 where the user changed it; weights and ideal values per park type follow the
    scalar settings.
    """
    defaults = evaluation_settings(None)
    default_src, user_src = words.label("source", "system_default", lang), _tx("user_set", lang)
    rows = []
    for key in SCALAR_SETTINGS:
        v, d = settings.get(key), defaults.get(key)
        rows.append((words.label("setting", key, lang), _setting_text(key, v, lang), _setting_text(key, d, lang),
                     default_src if _setting_text(key, v, lang) == _setting_text(key, d, lang) else user_src))
    for ptype in PARK_TYPES:
        spec, dspec = settings["park_types"][ptype], defaults["park_types"][ptype]
        type_name = words.label("park_type", ptype, lang)
        for ind in INDICATORS:
            name = words.label("indicator", ind, lang)
            w, dw = float(spec["weights"].get(ind, 0.0)), float(dspec["weights"].get(ind, 0.0))
            rows.append((_tx("weight_of", lang, type=type_name, indicator=name), f"{w:g}", f"{dw:g}",
                         default_src if math.isclose(w, dw) else user_src))
            iv, di = spec["ideals"].get(ind), dspec["ideals"].get(ind)
            rows.append((_tx("ideal_of", lang, type=type_name, indicator=name), _ideal_text(ind, iv, lang),
                         _ideal_text(ind, di, lang),
                         default_src if _ideal_text(ind, iv, lang) == _ideal_text(ind, di, lang) else user_src))
    return pd.DataFrame(rows, columns=[_tx("key", lang), _tx("setting_value", lang), _tx("default", lang),
                                       _tx("source", lang)])


def export_tables(ev: Evaluation, park_ids, *, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """
    Sheets of the Excel export, in words: the picked parks' evaluation and the
    national-average row (park names, not ids; notes as sentences), the settings
    (:func:`settings_table`) and the national averages with their source.
    """
    table = pd.DataFrame(ev.table)
    table = table.drop(columns=[c for c in table.columns if c == "geometry"])
    rows = rows_for(table, park_ids)
    ref = ev.reference.copy()
    evaluation = pd.concat([rows, ref[[c for c in ref.columns if c in rows.columns]]], ignore_index=True)
    evaluation.insert(0, "park_name", [*park_names_of(rows, lang), reference_name(lang)])
    for col in ("rank", "rank_in_level"):
        evaluation[col] = evaluation[col].astype("Int64")
    evaluation["level"] = level_labels(evaluation["level"], lang)
    evaluation["park_type"] = type_labels(evaluation["park_type"], ev.settings, lang)
    evaluation["notes"] = words.render_series(evaluation["notes"], lang)
    evaluation["score_excluded"] = evaluation["score_excluded"].map(
        lambda v: ("、" if lang == "zh" else ", ").join(words.label("indicator", i, lang) for i in v)
        if isinstance(v, list) and v else words.DASH)
    drop = ["park_id", "name_zh", "name_en", "settings_used"]
    evaluation = evaluation.drop(columns=[c for c in drop if c in evaluation.columns])
    evaluation = evaluation.rename(columns=words.headers(evaluation.columns, lang))
    reference = ev.reference.drop(columns=["park_id"]).copy()
    reference.insert(0, "park_name", reference_name(lang))
    reference["park_type"] = type_labels(reference["park_type"], ev.settings, lang)
    reference["source_key"] = reference["source_key"].map(lambda k: words.label("source", k, lang))
    reference["score_excluded"] = reference["score_excluded"].map(
        lambda v: ("、" if lang == "zh" else ", ").join(words.label("indicator", i, lang) for i in v) or words.DASH)
    reference = reference.rename(columns=words.headers(reference.columns, lang))
    return {"evaluation": evaluation, "settings": settings_table(ev.settings, lang=lang), "reference": reference}


def sheet_names(lang: str = "zh") -> dict[str, str]:
    """Sheet names of the Excel export in ``lang``."""
    return {"evaluation": _tx("table", lang), "settings": _tx("settings_used", lang),
            "reference": reference_name(lang)}


def excel_bytes(ev: Evaluation, park_ids, *, lang: str = "zh") -> bytes:
    """The Excel export (see :func:`export_tables`) as ``.xlsx`` bytes, sheets named in ``lang``."""
    names = sheet_names(lang)
    return tables.xlsx_bytes({names[k][:31]: frame for k, frame in export_tables(ev, park_ids, lang=lang).items()})



def evaluation_frame(ev: Evaluation, park_ids, *, lang: str = "zh"):
    """
    The evaluation sheet of :func:`export_tables` with each park's boundary (the
    national-average row has none): a GeoDataFrame for GeoPackage, GeoJSON and Shapefile
    when the parks had geometry, else the plain sheet.
    """
    import geopandas as gpd

    sheet = export_tables(ev, park_ids, lang=lang)["evaluation"]
    table = ev.table
    if not isinstance(table, gpd.GeoDataFrame) or table.crs is None:
        return sheet
    shapes = rows_for(table, park_ids).geometry.to_numpy()
    geometry = gpd.GeoSeries([*shapes, None], index=sheet.index, crs=table.crs)
    return gpd.GeoDataFrame(sheet, geometry=geometry, crs=table.crs)


def write_codes(ev: Evaluation, path) -> Path:
    """
    The machines' evaluation file (``--codes``): canonical names and codes as
    :func:`geo.evaluation.write_evaluation` writes them, but a ``.csv`` or ``.xlsx`` through
    :mod:`reports.tables` so that no cell (a park name starting with ``=``) is a formula.
    Other extensions are left to :func:`geo.evaluation.write_evaluation`.
    """
    import json

    import geopandas as gpd

    from geo import evaluation as geo_evaluation

    path = Path(path)
    ext = path.suffix.casefold()
    if ext not in (".csv", ".xlsx"):
        return geo_evaluation.write_evaluation(ev, path)
    table = ev.table
    plain = pd.DataFrame(table.drop(columns=table.geometry.name) if isinstance(table, gpd.GeoDataFrame) else table)
    for col in ("notes", "score_excluded", "settings_used"):
        if col in plain:
            plain[col] = plain[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                        if isinstance(v, (list, dict)) else v)
    if ext == ".csv":
        path.write_bytes(tables.csv_bytes(plain))
    else:
        reference = ev.reference.copy()
        for col in ("score_excluded",):
            if col in reference:
                reference[col] = reference[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                                    if isinstance(v, (list, dict)) else v)
        tables.write_xlsx({"evaluation": plain, "settings": geo_evaluation.settings_table(ev.settings),
                           "reference": reference}, path)
    return path
