"""
Overview map: park boundaries coloured by level (or another column), with per-park figures.

The overview never draws parcels; per-park aggregates (idle area, score …)
joined onto ``parks`` by the caller can be added to the tooltip.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

import words
from geo import vocab
from geo.crs import area_m2, m2_to_ha, m2_to_mu
from geo.schema import PARK_BY_NAME
from layers.classes import MISSING_COLOR, OTHER_COLOR, MapClass, draw_classes, text

LEVEL_COLORS = {"national": "#d62728", "regional": "#1f77b4"}
LEVEL_EN = {"national": "National", "regional": "Region-level"}
#: Categorical palette (Tableau 10) for ``color_by`` columns other than level.
PALETTE_10 = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip

AREA_LABELS = {
    "zh": {"area_mu": "园区面积(亩)", "area_ha": "园区面积(公顷)", "name": "园区名称"},
    "en": {"area_mu": "Park area (亩)", "area_ha": "Park area (ha)", "name": "Park"},
}


def _level_codes(level: pd.Series) -> pd.Series:
    """Accept codes (``national``) and every spelling geo.vocab knows (``国家级``); others as written."""
    codes, unknown = vocab.normalise("park_level", level)
    s = level.astype(object).where(level.notna(), None)
    raw = s.map(lambda v: str(v).strip(), na_action="ignore")
    return codes.astype(object).where(~unknown, raw).where(codes.notna() | unknown, None)


def park_display_frame(parks: gpd.GeoDataFrame, *, lang: str = "zh") -> gpd.GeoDataFrame:
    """
    ``parks`` plus the columns the overview shows.

    Adds ``name`` (Chinese or English name), ``level_label``, ``area_mu`` (1
    decimal) and ``area_ha`` (2 decimals), areas measured each in its own GK
    zone (``geo.crs.area_m2``).
    """
    out = parks.copy()
    a = area_m2(parks)
    out["area_mu"] = m2_to_mu(a).round(1)
    out["area_ha"] = m2_to_ha(a).round(2)
    if lang == "en" and "name_en" in parks.columns:
        name = parks["name_en"].where(parks["name_en"].notna() & (parks["name_en"].astype(str) != ""))
        out["name"] = name.fillna(parks["name_zh"]) if "name_zh" in parks.columns else name
    elif "name_zh" in parks.columns:
        out["name"] = parks["name_zh"]
    else:
        out["name"] = parks.get("park_id")
    if "level" in parks.columns:
        codes = _level_codes(parks["level"])
        names = words.labels("park_level", lang)
        out["level_label"] = codes.map(lambda v: names.get(v, v), na_action="ignore")
    return out


def default_park_tooltip(columns, *, lang: str = "zh") -> dict[str, str]:
    """Name, level, city and area (亩, 公顷) — those present in ``columns``."""
    labels = AREA_LABELS["en" if lang == "en" else "zh"]
    wanted = {
        "name": labels["name"],
        "level_label": PARK_BY_NAME["level"].en if lang == "en" else PARK_BY_NAME["level"].zh,
        "city": PARK_BY_NAME["city"].en if lang == "en" else PARK_BY_NAME["city"].zh,
        "area_mu": labels["area_mu"],
        "area_ha": labels["area_ha"],
    }
    return {c: lab for c, lab in wanted.items() if c in columns}


def park_map(
    parks: gpd.GeoDataFrame,
    *,
    color_by: str = "level",
    colors: dict | None = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
    lang: str = "zh",
    tooltip_fields: dict[str, str] | None = None,
    highlight_id: str | None = None,
    id_col: str = "park_id",
    legend_title: str | None = None,
) -> folium.Map:
    """
    Park boundaries coloured by level (national / region-level) with legend and tooltip.

    Parameters
    ----------
    parks
        Parks in any CRS with ``park_id``, ``name_zh``, ``level``, ``city`` (as
        in ``geo.schema.PARK_COLUMNS``) and any per-park aggregates.
    color_by
        ``"level"`` or another column (categorical colours, sorted values).
    colors
        ``{value: colour}`` overriding the defaults.
    basemap, tianditu_key
        See ``layers.basemap``; default no tiles.
    lang
        ``"zh"`` or ``"en"``.
    tooltip_fields
        ``{column: label}``; default name, level, city, area (亩, 公顷). May name
        the computed columns ``name``, ``level_label``, ``area_mu``, ``area_ha``
        and any column of ``parks``.
    highlight_id
        ``park_id`` drawn with a thick outline.
    id_col
        Identifier sent with each feature (read back on click).
    legend_title
        Default: the column's name.
    """
    frame = park_display_frame(parks, lang=lang)
    if color_by not in frame.columns:
        raise KeyError(f"color_by {color_by!r} is not a column of the parks (columns: {list(parks.columns)})")
    if tooltip_fields is None:
        tooltip_fields = default_park_tooltip(frame.columns, lang=lang)
    col = PARK_BY_NAME.get(color_by)
    if legend_title is not None:
        title = legend_title
    else:
        title = (col.en if lang == "en" else col.zh) if col else color_by

    if color_by == "level":
        codes = _level_codes(frame["level"])
        palette = {**LEVEL_COLORS, **(colors or {})}
        names = words.labels("park_level", lang)
        classes = [MapClass(c, names.get(c, str(c)), palette[c]) for c in palette]
    else:
        codes = frame[color_by].astype(object).where(frame[color_by].notna(), None)
        values = sorted({str(v) for v in codes.dropna()})
        codes = codes.map(str, na_action="ignore")
        palette = colors or {v: PALETTE_10[i % len(PALETTE_10)] for i, v in enumerate(values)}
        classes = [MapClass(str(c), str(c), color) for c, color in palette.items()]
    known = codes.isin([c.code for c in classes])
    other_code, missing_code = "\x00other", "\x00missing"
    codes = codes.where(known, other_code).where(codes.notna(), missing_code)
    if (codes == other_code).any():
        classes.append(MapClass(other_code, text("other", lang), OTHER_COLOR))
    if (codes == missing_code).any():
        classes.append(MapClass(missing_code, text("missing", lang), MISSING_COLOR))
    return draw_classes(
        frame,
        codes,
        classes,
        id_col=id_col,
        tooltip_fields=tooltip_fields,
        legend_title=title,
        basemap=basemap,
        tianditu_key=tianditu_key,
        highlight_id=highlight_id,
        lang=lang,
        fill_opacity=0.35,
        point_markers=True,
    )
