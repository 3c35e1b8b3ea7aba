"""
The review opinion (审查意见) of an expansion, upgrade or project-entry application as DOCX.

Chinese by default: title, the area statement as approvals write it (total km² to 4 decimals,
each block with its 四至), the checklist (failing checks first) with figures, thresholds and
sources, the verdict and the rule that derived it, the settings used (本系统默认参数 marked) and a
map (application, park, neighbours, constraint layers, overlaps labelled by area). For a project
the joint review sheet (联席审查意见表). Every word comes from ``words``.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import geopandas as gpd
import numpy as np
import shapely
from docx.shared import Cm
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

import words
from geo.assessment import CONSTRAINT_LAYERS, Assessment
from reports.fonts import cjk_font
from reports.park_report import _mpl_path, _new_document, _scale_label, _table, crs_text, nice_scale_length_m
from words.assessment import check_text, number, sources_text, threshold_text, verdict_rules_text

BEIJING = timezone(timedelta(hours=8))

#: Overlap pieces labelled with their area on the map (the largest first); all are drawn.
MAX_MAP_LABELS = 30

#: Map styles: layer → (face colour, edge colour, line style, hatch).
MAP_STYLE = {
    "urban_development_boundary": ("none", "#7b3294", "--", None),
    "basic_farmland": ("#f6e27a", "#b59b00", "-", None),
    "ecological_red_line": ("#9fd39a", "#2b7a2b", "-", "//"),
    "neighbours": ("#e0e0e0", "#9e9e9e", "-", None),
    "park": ("none", "black", "-", None),
    "application": ("#6baed6", "#08519c", "-", None),
    "overlap": ("#e31a1c", "#a50f15", "-", None),
}


def _ui(key: str, lang: str, **fmt) -> str:
    s = words.label("ui", key, lang, strict=True)
    return s.format(**fmt) if fmt else s


def park_name(a: Assessment, lang: str = "zh") -> str:
    return a.names(lang).get(a.park_id, a.park_id)


def assessment_map_png(a: Assessment, *, lang: str = "zh", width_in: float = 6.3, height_in: float = 5.0,
                       dpi: int = 200) -> bytes | None:
    """
    The review map in the application's GK zone: constraint layers, neighbouring parks, the park,
    the application and every overlap piece labelled with its area. None without a geometry.
    """
    frames = [g for g in (a.application, a.park) if g is not None and len(g)]
    if not len(a.application):
        return None
    font = cjk_font() if lang == "zh" else None
    texts = lang != "zh" or font is not None
    minx, miny, maxx, maxy = np.vstack([f.total_bounds for f in frames if len(f)]).T
    minx, miny, maxx, maxy = minx.min(), miny.min(), maxx.max(), maxy.max()
    pad = 0.08 * max(maxx - minx, maxy - miny, 1.0)
    box_ratio = height_in / width_in
    w, h = maxx - minx + 2 * pad, maxy - miny + 2 * pad
    w, h = max(w, h / box_ratio), max(h, w * box_ratio)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    x0, x1, y0, y1 = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
    view = shapely.box(x0, y0, x1, y1)

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
    ax.set_axis_off()
    handles = []

    def draw(geoms, style: str, label: str, lw: float = 0.8) -> None:
        arr = np.asarray(geoms, dtype=object)
        arr = arr[~(shapely.is_missing(arr) | shapely.is_empty(arr))] if len(arr) else arr
        if not len(arr):
            return
        if len(arr):  # a layer may be province-wide: only what meets the view is drawn
            arr = arr[shapely.STRtree(arr).query(view, predicate="intersects")]
        if not len(arr):
            return
        clipped = arr.copy()
        crossing = ~shapely.within(arr, view)  # only what crosses the frame is cut
        clipped[crossing] = shapely.intersection(arr[crossing], view)
        path = _mpl_path(gpd.GeoSeries(clipped))
        if path is None:
            return
        face, edge, ls, hatch = MAP_STYLE[style]
        alpha = 0.55 if face != "none" else 1.0
        # add_artist, not add_patch: the limits are set below, and add_patch walks every vertex
        # to update them (minutes for a province-wide layer).
        ax.add_artist(PathPatch(path, facecolor=face, edgecolor=edge, linestyle=ls, linewidth=lw, hatch=hatch,
                                alpha=alpha))
        handles.append(Patch(facecolor=face, edgecolor=edge, linestyle=ls, hatch=hatch, alpha=alpha, label=label))

    for layer in ("urban_development_boundary", "basic_farmland", "ecological_red_line"):
        frame = a.constraints.get(layer)
        if frame is not None and len(frame):
            draw(frame.geometry.to_numpy(), layer, words.label("assess_layer", layer, lang), lw=1.0)
    if len(a.neighbours):
        draw(a.neighbours.geometry.to_numpy(), "neighbours", words.label("assess_layer", "other_parks", lang))
    draw(a.park.geometry.to_numpy(), "park", words.label("assess_layer", "park", lang), lw=1.4)
    draw(a.application.geometry.to_numpy(), "application", words.label("assess_layer", "application", lang), lw=1.2)
    if len(a.overlaps):
        draw(a.overlaps.geometry.to_numpy(), "overlap", words.label("assess_layer", "overlap", lang), lw=0.6)
        # Every piece is drawn and listed in the checklist; the largest are labelled on the map.
        shown = a.overlaps.nlargest(MAX_MAP_LABELS, "area_m2")
        pts = shapely.point_on_surface(np.asarray(shown.geometry.array, dtype=object))
        for (layer, piece, area), pt in zip(shown[["layer", "piece", "area_m2"]].itertuples(index=False),
                                            pts, strict=True):
            label = words.text("assess_piece_label", lang, layer=words.label("assess_layer", layer, lang), n=piece,
                               area=area) if texts else f"{area:,.0f} m²"
            ax.annotate(label, xy=(pt.x, pt.y), xytext=(6, 6), textcoords="offset points", fontsize=6,
                        fontproperties=font, color="#a50f15",
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#a50f15", "alpha": 0.85},
                        arrowprops={"arrowstyle": "-", "color": "#a50f15", "lw": 0.6})
    for block, pt in zip(a.application["block"], shapely.point_on_surface(
            np.asarray(a.application.geometry.array, dtype=object)), strict=True):
        name = words.text("assess_block_name", lang, n=block) if texts else str(block)
        ax.text(pt.x, pt.y, name, ha="center", va="center", fontsize=7, fontproperties=font, color="#08306b")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    length = nice_scale_length_m(x1 - x0)
    ax.add_artist(AnchoredSizeBar(ax.transData, length, _scale_label(length), "lower left", pad=0.5, borderpad=0.5,
                                  sep=4, frameon=True, size_vertical=(y1 - y0) * 0.008, fontproperties={"size": 8}))
    north = words.label("report_map", "north", lang) if texts else "N"
    ax.annotate(north, xy=(0.95, 0.97), xytext=(0.95, 0.86), xycoords="axes fraction", textcoords="axes fraction",
                ha="center", va="center", fontweight="bold", fontproperties=font, fontsize=11,
                arrowprops={"facecolor": "black", "edgecolor": "black", "width": 3, "headwidth": 9})
    if handles and texts:
        prop = {"family": font.get_family(), "size": 7} if font is not None else {"size": 7}
        ax.legend(handles=handles, loc="upper left", framealpha=0.9, prop=prop)
    caption = crs_text(a.crs, lang) if texts else f"EPSG:{a.crs.to_epsg()}"
    ax.text(0.5, 0.005, caption, transform=ax.transAxes, ha="center", va="bottom", color="#555555",
            fontproperties=font, fontsize=6)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def check_rows(a: Assessment, lang: str = "zh") -> list[list[str]]:
    """The checklist as the report prints it, failing checks first."""
    names = a.names(lang)
    rows = []
    for c in a.ordered_checks().to_dict(orient="records"):
        rows.append([
            words.label("assess_check", c["id"], lang),
            f"{number(c['value'], c['unit'], lang)}\n{check_text(c, lang, park_names=names)}",
            threshold_text(c, lang),
            words.label("assess_status", c["status"], lang),
            sources_text(c, lang),
        ])
    return rows


def _area_section(doc, a: Assessment, lang: str) -> None:
    total = a.area["total"]
    blocks = a.area["blocks"]
    if total["area_m2"] is None:
        doc.add_paragraph(words.label("assess_why", "no_site_area", lang))
        return
    doc.add_paragraph(words.text("assess_area_statement", lang, km2=total["area_km2"], n=max(len(blocks), 1)))
    if not len(blocks):
        return
    header = [_ui(k, lang) for k in ("assess_col_block", "assess_col_km2", "assess_col_ha", "assess_col_mu",
                                     "assess_col_east", "assess_col_south", "assess_col_west", "assess_col_north")]
    rows = []
    for b in blocks.to_dict(orient="records"):
        rows.append([
            words.text("assess_block_name", lang, n=int(b["block"])), f"{b['area_km2']:.4f}",
            f"{b['area_ha']:,.4f}", f"{b['area_mu']:,.2f}",
            words.text("assess_east", lang, v=b["east_lon"], y=b["east_x"]),
            words.text("assess_south", lang, v=b["south_lat"], x=b["south_y"]),
            words.text("assess_west", lang, v=b["west_lon"], y=b["west_x"]),
            words.text("assess_north", lang, v=b["north_lat"], x=b["north_y"]),
        ])
    rows.append([_ui("assess_total", lang), f"{total['area_km2']:.4f}", f"{total['area_ha']:,.4f}",
                 f"{total['area_mu']:,.2f}", "", "", "", ""])
    _table(doc, header, rows, size_pt=8, bold_last=True)
    doc.add_paragraph(crs_text(a.crs, lang))


def _project_section(doc, a: Assessment, lang: str) -> None:
    p = a.project
    doc.add_heading(_ui("assess_h_project", lang), level=2)
    # Headers carry their units (总建筑面积(平方米)): the figures go bare.
    items = [("applicant", "text"), ("industry_code", "text"), ("industry_edition", "text"),
             ("leading_industry", "text"), ("floor_area_m2", 2), ("footprint_m2", 2), ("office_area_m2", 2),
             ("green_area_m2", 2), ("total_investment_wan", 2), ("output_wan", 2), ("tax_wan", 2), ("employees", 0)]
    rows = []
    for col, decimals in items:
        v = p.get(col)
        if v is None:
            continue
        shown = str(v) if decimals == "text" else f"{float(v):,.{decimals}f}"
        rows.append([words.header(col, lang), shown])
    if p.get("site_m2") is not None:
        rows.append([words.label("assess_check", "area", lang), number(p["site_m2"] / 10_000, "ha", lang)])
    _table(doc, [_ui("assess_col_item", lang), _ui("assess_col_value", lang)], rows, size_pt=9)


def assessment_docx(a: Assessment, *, lang: str = "zh", prepared_by: str | None = None,
                    generated_at: datetime | None = None) -> bytes:
    """The review report (审查意见 / 联席审查意见表) as DOCX bytes."""
    doc = _new_document(lang)
    name = park_name(a, lang)
    doc.add_heading(_ui(f"assess_title_{a.kind}", lang, park=name), level=0)
    line = words.text("assess_as_of", lang, date=words.fmt_date(a.as_of, lang))
    if generated_at is not None:
        line += "    " + words.text("assess_generated", lang, date=words.fmt_date(generated_at.astimezone(BEIJING), lang))
    if prepared_by:
        line += "    " + prepared_by
    doc.add_paragraph(line)

    doc.add_heading(_ui("assess_h_area", lang), level=1)
    if a.kind == "project":
        _project_section(doc, a, lang)
    _area_section(doc, a, lang)

    doc.add_heading(_ui("assess_h_checks", lang), level=1)
    header = [_ui(k, lang) for k in ("assess_col_check", "assess_col_value", "assess_col_threshold",
                                     "assess_col_status", "assess_col_source")]
    table = _table(doc, header, check_rows(a, lang), size_pt=8)
    for row, width in zip(table.columns, (3.0, 5.2, 3.4, 1.6, 3.4), strict=True):
        for cell in row.cells:
            cell.width = Cm(width)
    illustrative = [lay for lay in CONSTRAINT_LAYERS if a.layer_sources.get(lay) == "illustrative"]
    if illustrative:
        doc.add_paragraph(words.text("assess_illustrative", lang, layers=("、" if lang == "zh" else ", ").join(
            words.label("assess_layer", lay, lang) for lay in illustrative)))

    doc.add_heading(_ui("assess_h_verdict", lang), level=1)
    st = a.checks["status"]
    doc.add_paragraph(words.text("assess_verdict_line", lang, verdict=words.label("assess_verdict", a.verdict, lang)))
    doc.add_paragraph(words.text("assess_counts", lang, n=len(st), fail=int((st == "fail").sum()),
                                 warn=int((st == "warn").sum()), passed=int((st == "pass").sum())))
    doc.add_paragraph(words.text("assess_verdict_basis", lang, rules=verdict_rules_text(a.verdict_rules, lang)))
    warns = a.checks[a.checks["status"] == "warn"]["id"].tolist()
    if a.verdict == "recommend_with_conditions" and warns:
        doc.add_paragraph(words.text("assess_conditions", lang, items=("；" if lang == "zh" else "; ").join(
            words.label("assess_check", w, lang) for w in warns)))

    doc.add_heading(_ui("assess_h_settings", lang), level=1)
    preset_name = a.preset.get("name", "default")
    shown = words.label("assess_preset", preset_name, lang) if words.has_label("assess_preset", preset_name) \
        else preset_name
    doc.add_paragraph(words.text("assess_preset_line", lang, name=shown, edition=a.preset.get("edition", "")))
    rows = [[words.label("assess_check", c["id"], lang), threshold_text(c, lang), sources_text(c, lang)]
            for c in a.checks.to_dict(orient="records")]
    _table(doc, [_ui(k, lang) for k in ("assess_col_check", "assess_col_threshold", "assess_col_source")], rows,
           size_pt=8)

    png = assessment_map_png(a, lang=lang)
    if png is not None:
        doc.add_heading(_ui("assess_h_map", lang), level=1)
        doc.add_picture(io.BytesIO(png), width=Cm(16))
        if lang == "zh" and cjk_font() is None:
            doc.add_paragraph(words.text("report_no_cjk_font", lang))

    if a.kind == "project":
        doc.add_paragraph("")
        sign = [[_ui("assess_col_opinion", lang), words.label("assess_verdict", a.verdict, lang)],
                [_ui("assess_sign_dept", lang), ""], [_ui("assess_sign_person", lang), ""],
                [_ui("assess_sign_date", lang), ""]]
        _table(doc, [_ui("assess_col_item", lang), _ui("assess_col_note", lang)], sign, size_pt=10)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
