"""
扩区/升级审查: review an application for a park's expansion, upgrade or a project's entry.

The application is uploaded (any format ``geo.io.read_parcels`` reads, 坐标 TXT included; a
project may come as one CSV/Excel row of figures) or drawn on the map (Leaflet.draw). The
checks are those of ``python -m geo assess``: the same ``geo.assessment.assess`` fed the same
way — the parks of ``data/parks.geojson``, the workspace's parcels as read, the constraint
layers of ``data/constraints``, the sidebar's as-of date and the chosen preset.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from io import BytesIO, StringIO
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import words
from geo import accounts, assessment, io
from geo.errors import error_item
from geo.pgstore import shared_layers
from layers.assessment import assessment_map, drawn_polygons
from views import auth, common
from views.common import md_escape
from views.i18n import lang, t
from words.assessment import check_text, number, sources_text, threshold_text, verdict_rules_text

ACCEPTED = ["geojson", "json", "zip", "gpkg", "kml", "dxf", "csv", "txt", "xlsx", "fgb", "shp", "parquet"]
CONSTRAINTS_DIR = common.ROOT / "data" / "constraints"
MAP_HEIGHT_PX = 520
SOURCES = ("upload", "draw")
#: The project's figures the form asks for (``geo.assessment.PROJECT_COLUMNS``): text or number.
FORM_TEXT = ("applicant", "industry_code", "leading_industry")
FORM_NUMBERS = ("area_m2", "floor_area_m2", "floor_area_over_8m_m2", "footprint_m2", "office_area_m2",
                "green_area_m2", "total_investment_wan", "output_wan", "tax_wan", "employees")

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- reading


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def read_application(name: str, data: bytes, kind: str) -> gpd.GeoDataFrame:
    """
    The uploaded application as ``python -m geo assess`` reads it: ``geo.io.read_parcels``;
    for a project, a table without ids is one row of the project's figures
    (``geo.assessment.project_from_table``).
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        try:
            return io.read_parcels(path).gdf
        except io.DataError as exc:
            if kind != "project" or exc.code != "attribute_table_no_id":
                raise
            if path.suffix.lower() == ".csv":
                table = pd.read_csv(StringIO(_decode(data)), dtype=str)
            else:
                table = pd.read_excel(BytesIO(data), dtype=str)
            return assessment.project_from_table(table)


def project_figures(values: dict) -> dict:
    """The figures filled in the form: blanks and missing numbers dropped, text stripped."""
    out = {}
    for k, v in values.items():
        if k not in assessment.PROJECT_COLUMNS or v is None:
            continue
        if isinstance(v, str):
            if v.strip():
                out[k] = v.strip()
        elif v == v:  # not NaN
            out[k] = float(v)
    return out


def with_figures(application: gpd.GeoDataFrame, figures: dict) -> gpd.GeoDataFrame:
    """The project's figures set on its first row (a form's figure wins over the file's)."""
    if not figures:
        return application
    out = application.copy()
    if not len(out):
        out = gpd.GeoDataFrame({k: [v] for k, v in figures.items()})
        return out
    for k, v in figures.items():
        if k not in out.columns:
            out[k] = pd.Series([None] * len(out), index=out.index, dtype=object if isinstance(v, str) else float)
        out.loc[out.index[0], k] = v
    return out


@st.cache_resource(show_spinner=False, max_entries=2)
def _constraints(folder: str, fallback: str, key: str) -> dict:
    """The constraint layers, read once per server per change of their files (shared: read-only)."""
    return assessment.read_constraints(folder, fallback=fallback)


def own_constraints_dir() -> Path:
    """The bureau's own constraint layers: ``constraints/`` in the workspace (they replace the shipped ones)."""
    if (shared := shared_layers(common.current_workspace())) is not None:  # PostGIS: the layers in force
        return shared.local_folder("constraints")
    return common.current_workspace().root / "constraints"


def constraints_key() -> str:
    """Changes whenever a layer file is added or replaced (the cache key of the layers and the review)."""
    files = [*assessment.constraint_files(own_constraints_dir()).values(),
             *assessment.constraint_files(CONSTRAINTS_DIR).values()]
    return "|".join(f"{p}:{p.stat().st_mtime_ns}" for p in files if p is not None)


def current_constraints() -> dict:
    return _constraints(str(own_constraints_dir()), str(CONSTRAINTS_DIR), constraints_key())


def save_constraint(layer: str, name: str, data: bytes) -> int:
    """
    A user's file made the workspace's ``layer`` (read first: a file the readers refuse is not
    kept); the layer's previous file is removed. Returns its feature count. An import: admins only
    (``geo.accounts.AccessError`` for anyone else).
    """
    accounts.require(auth.current(), "import", scoped=False)
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / (Path(name).name or f"{layer}{suffix}")  # messages name the user's file
        probe.write_bytes(data)
        gdf = io.read_parcels(probe).gdf
        n = len(gdf)
    if (shared := shared_layers(common.current_workspace())) is not None:  # PostGIS: a new version of the layer
        shared.save("constraints", layer, gdf, source=Path(name).name, user=st.session_state.get("user") or None)
        return n
    folder = own_constraints_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{layer}.*"):
        old.unlink()
    target = folder / f"{layer}{suffix}"
    tmp_target = folder / f".{layer}{suffix}.part"
    tmp_target.write_bytes(data)
    os.replace(tmp_target, target)
    return n


def constraints_panel(lg: str) -> None:
    """Replace a constraint layer with the bureau's own file (any readable format, 坐标 TXT included)."""
    if not auth.can("import", scoped=False):  # an import: admins only (save_constraint refuses anyone else)
        return
    with st.expander(t("asp_constraints_own")):
        st.caption(t("asp_constraints_help"))
        for layer in assessment.CONSTRAINT_LAYERS:
            up = st.file_uploader(words.label("assess_layer", layer, lg), type=ACCEPTED, key=f"asp_cons_{layer}")
            if up is None:
                continue
            try:
                n = save_constraint(layer, up.name, up.getvalue())
            except Exception as exc:
                item = error_item(exc)
                if item is None:
                    log.warning("constraint layer refused", exc_info=exc)
                reason = words.render(item, lg) if item else t("asp_unexpected")
                st.error(t("asp_constraints_bad", layer=words.label("assess_layer", layer, lg), reason=md_escape(reason)))
            else:
                st.success(t("asp_constraints_saved", layer=words.label("assess_layer", layer, lg), n=n))


@st.cache_resource(show_spinner=False, max_entries=8)
def _assess(source_key: str, name: str, data: bytes, kind: str, park_id: str, preset: str, as_of: str,
            parcels_key: str, figures: tuple, _parcels, cons_key: str = "") -> assessment.Assessment:
    """One review, cached by its inputs (the application's bytes or drawn GeoJSON, the workspace's file)."""
    if name == "__drawn__":
        application = gpd.read_file(BytesIO(data))
    else:
        application = read_application(name, data, kind)
    if kind == "project":
        application = with_figures(application, dict(figures))
    constraints = current_constraints()
    return assessment.assess(application, park_id=park_id, kind=kind, as_of=as_of, parks=common.parks(),
                             parcels=_parcels, constraints=constraints, preset=preset)


common.register_shared(_assess)


def _parcels_key() -> str:
    """The workspace's version (``common.data_key``) and the account's scope as text; empty when it holds no parcels."""
    key = common.data_key()
    return "" if key is None else repr(key) + auth.scope_key()


# --------------------------------------------------------------------------- display helpers


def checklist(a: assessment.Assessment, lg: str = "zh") -> pd.DataFrame:
    """The checklist as shown: failing first; figure with unit, threshold (默认参数 marked), result, source."""
    names = a.names(lg)
    rows = []
    for c in assessment.checks_records(a):
        rows.append({
            words.label("ui", "assess_col_check", lg): words.label("assess_check", c["id"], lg),
            words.label("ui", "assess_col_status", lg): words.label("assess_status", c["status"], lg),
            words.label("ui", "assess_col_value", lg): number(c["value"], c["unit"], lg),
            words.label("ui", "assess_col_threshold", lg): threshold_text(c, lg),
            words.label("ui", "assess_col_source", lg): sources_text(c, lg),
            words.label("ui", "assess_col_note", lg): check_text(c, lg, park_names=names),
        })
    return pd.DataFrame(rows)


def blocks_table(a: assessment.Assessment, lg: str = "zh") -> pd.DataFrame:
    """One row per block: areas (km² to 4 decimals, 公顷, 亩) and 四至; a total row."""
    blocks = a.area["blocks"]
    total = a.area["total"]
    ui = {k: words.label("ui", f"assess_col_{k}", lg) for k in
          ("block", "km2", "ha", "mu", "east", "south", "west", "north")}
    rows = [{
        ui["block"]: words.text("assess_block_name", lg, n=int(b["block"])),
        ui["km2"]: f"{b['area_km2']:.4f}", ui["ha"]: f"{b['area_ha']:,.4f}", ui["mu"]: f"{b['area_mu']:,.2f}",
        ui["east"]: words.text("assess_east", lg, v=b["east_lon"], y=b["east_x"]),
        ui["south"]: words.text("assess_south", lg, v=b["south_lat"], x=b["south_y"]),
        ui["west"]: words.text("assess_west", lg, v=b["west_lon"], y=b["west_x"]),
        ui["north"]: words.text("assess_north", lg, v=b["north_lat"], x=b["north_y"]),
    } for b in blocks.to_dict(orient="records")]
    if rows:
        rows.append({ui["block"]: words.label("ui", "assess_total", lg), ui["km2"]: f"{total['area_km2']:.4f}",
                     ui["ha"]: f"{total['area_ha']:,.4f}", ui["mu"]: f"{total['area_mu']:,.2f}",
                     ui["east"]: "", ui["south"]: "", ui["west"]: "", ui["north"]: ""})
    return pd.DataFrame(rows)


def gpkg_bytes(a: assessment.Assessment) -> bytes:
    """The GeoPackage ``python -m geo assess -o x.gpkg`` writes: application, overlaps, park."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "review.gpkg"
        a.application.to_file(out, layer="application", driver="GPKG")
        a.overlaps.to_file(out, layer="overlaps", driver="GPKG")
        a.park[["park_id", "name_zh", a.park.geometry.name]].to_file(out, layer="park", driver="GPKG")
        return out.read_bytes()


def _error(exc: BaseException, lg: str) -> None:
    item = error_item(exc)
    if item is None:  # not a coded error: shown as a plain sentence, the trace kept in the server's log
        log.warning("assessment failed", exc_info=exc)
    reason = words.render(item, lg) if item else t("asp_unexpected")
    st.error(t("asp_read_error", reason=md_escape(reason)))


def _park_name(parks: gpd.GeoDataFrame, lg: str) -> dict[str, str]:
    col = "name_zh" if lg == "zh" else "name_en"
    ids = parks["park_id"].astype(str).str.strip()
    names = parks[col].astype("string") if col in parks else pd.Series([pd.NA] * len(parks), dtype="string")
    return {pid: (n if isinstance(n, str) and n.strip() else pid) for pid, n in zip(ids, names, strict=True)}


# --------------------------------------------------------------------------- page


def render() -> None:
    lg = lang()
    st.title(t("page_assess"))
    st.caption(t("asp_intro"))
    parks = common.parks()
    park_names = _park_name(parks, lg)
    kind_labels = {k: words.label("assess_kind", k, lg) for k in assessment.KINDS}
    preset_labels = {p: words.label("assess_preset", p, lg) for p in assessment.available_presets()}
    source_labels = {s: t(f"asp_source_{s}") for s in SOURCES}
    c1, c2, c3 = st.columns(3)
    kind = c1.radio(t("asp_kind"), list(kind_labels), format_func=kind_labels.get, horizontal=True,
                    key=common.lkey("asp_kind", "expansion"))
    park_id = c2.selectbox(t("asp_park"), list(park_names), format_func=park_names.get,
                           key=common.lkey("asp_park", next(iter(park_names))))
    preset = c3.selectbox(t("asp_preset"), list(preset_labels), format_func=preset_labels.get,
                          key=common.lkey("asp_preset", assessment.DEFAULT_PRESET))
    source = st.radio(t("asp_source"), list(source_labels), format_func=source_labels.get, horizontal=True,
                      key=common.lkey("asp_source", "upload"))

    parcels_key = _parcels_key()
    loaded = common.loaded_parcels() if parcels_key else None
    parcels = loaded[0] if loaded is not None else None
    if parcels is None:
        st.info(t("asp_no_workspace_parcels"))
    constraints_panel(lg)
    constraints = current_constraints()
    illustrative = {k: bool(v is not None and len(v) and "source" in v
                            and (v["source"].astype(str) == "illustrative").all()) for k, v in constraints.items()}
    mine = parks["park_id"].astype(str).str.strip() == park_id
    named = parks.assign(name=pd.Series(park_names).reindex(parks["park_id"].astype(str).str.strip()).to_numpy())
    map_args = {"park": named[mine], "neighbours": named[~mine], "constraints": constraints,
                "illustrative": illustrative, "lang": lg, "basemap": st.session_state.get("basemap", "none"),
                "tianditu_key": st.session_state.get("tianditu_tk") or None}

    figures = tuple(sorted(project_form(lg).items())) if kind == "project" else ()
    a = None
    if source == "upload":
        label = t("asp_file_project") if kind == "project" else t("asp_file")
        upload = st.file_uploader(label, type=ACCEPTED, key="assess_upload")
        if upload is None:
            st.info(t("asp_upload_first"))
        else:
            data = upload.getvalue()
            try:
                with st.spinner("…"):
                    a = _assess(hashlib.sha256(data).hexdigest(), upload.name, data, kind, park_id, preset,
                                common.as_of().isoformat(), parcels_key, figures, parcels, constraints_key())
            except Exception as exc:
                _error(exc, lg)
                a = None
    else:
        st.caption(t("asp_draw_help"))
        m = assessment_map(**map_args, draw=True)
        result = st_folium(m, height=MAP_HEIGHT_PX, key="asp_draw_map", use_container_width=True,
                           returned_objects=["all_drawings", "last_active_drawing"])
        drawn = drawn_polygons(result)
        if drawn is None:
            st.info(t("asp_draw_first"))
        else:
            st.caption(t("asp_drawn", n=len(drawn)))
            data = json.dumps(drawn.to_geo_dict(drop_id=True)).encode("utf-8")
            try:
                with st.spinner("…"):
                    a = _assess(hashlib.sha256(data).hexdigest(), "__drawn__", data, kind, park_id, preset,
                                common.as_of().isoformat(), parcels_key, figures, parcels, constraints_key())
            except Exception as exc:
                _error(exc, lg)
                a = None
    if a is None:
        if source == "upload":
            st.subheader(t("asp_h_map"))
            st_folium(assessment_map(**map_args), height=MAP_HEIGHT_PX, key="asp_map0", returned_objects=[],
                      use_container_width=True)
        return
    # Drawn too: the drawing map keeps the drawing; the review map below shows the overlaps.
    _show(a, lg, map_args)


def project_form(lg: str) -> dict:
    """The project's figures (applicant, industry, areas, investment, tax …) as filled in."""
    values: dict = {}
    with st.expander(t("asp_project_form"), expanded=False):
        cols = st.columns(3)
        for i, k in enumerate(FORM_TEXT):
            values[k] = cols[i % 3].text_input(words.header(k, lg), key=f"asp_f_{k}")
        for i, k in enumerate(FORM_NUMBERS):
            label = t("asp_site_area") if k == "area_m2" else words.header(k, lg)
            values[k] = cols[i % 3].number_input(label, min_value=0.0, value=None, step=1.0, format="%.2f",
                                                 key=f"asp_f_{k}")
    return project_figures(values)


def _show(a: assessment.Assessment, lg: str, map_args: dict) -> None:
    verdict = words.label("assess_verdict", a.verdict, lg)
    st.subheader(t("asp_h_verdict"))
    box = {"recommend": st.success, "recommend_with_conditions": st.warning}.get(a.verdict, st.error)
    box(words.text("assess_verdict_line", lg, verdict=verdict))
    counts = a.checks["status"].value_counts()
    st.markdown(words.text("assess_counts", lg, n=len(a.checks), fail=int(counts.get("fail", 0)),
                           warn=int(counts.get("warn", 0)), passed=int(counts.get("pass", 0))))
    st.caption(words.text("assess_verdict_basis", lg, rules=verdict_rules_text(a.verdict_rules, lg)))

    st.subheader(t("asp_h_checks"))
    st.dataframe(checklist(a, lg), hide_index=True, width="stretch")
    illustrative = [lay for lay in assessment.CONSTRAINT_LAYERS if a.layer_sources.get(lay) == "illustrative"]
    if illustrative:
        st.caption(words.text("assess_illustrative", lg, layers=("、" if lg == "zh" else ", ").join(
            words.label("assess_layer", lay, lg) for lay in illustrative)))

    st.subheader(t("asp_h_area"))
    total = a.area["total"]
    if total["area_m2"] is None:
        st.markdown(words.label("assess_why", "no_site_area", lg))
    else:
        st.markdown(words.text("assess_area_statement", lg, km2=total["area_km2"], n=max(len(a.area["blocks"]), 1)))
        blocks = blocks_table(a, lg)
        if len(blocks):
            st.dataframe(blocks, hide_index=True, width="stretch")

    st.subheader(t("asp_h_map"))
    app = a.application if len(a.application) and a.application.geometry.notna().any() else None
    m = assessment_map(**map_args, application=app, overlaps=a.overlaps)
    st_folium(m, height=MAP_HEIGHT_PX, key="asp_map", returned_objects=[], use_container_width=True)

    st.subheader(t("asp_h_downloads"))
    c1, c2, c3 = st.columns(3)
    stem = f"{a.names(lg).get(a.park_id, a.park_id)}_{words.label('assess_kind', a.kind, lg)}"
    try:
        from reports.assessment_report import assessment_docx

        docx = assessment_docx(a, lang=lg, prepared_by=st.session_state.get("user") or None)
        c1.download_button(t("asp_dl_docx"), docx, file_name=f"{stem}.docx", key="asp_dl_docx",
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    except Exception as exc:
        _error(exc, lg)
    if len(a.application) and a.application.geometry.notna().any():
        c2.download_button(t("asp_dl_gpkg"), gpkg_bytes(a), file_name=f"{stem}.gpkg", key="asp_dl_gpkg",
                           mime="application/geopackage+sqlite3")
        try:
            from geo.txt import txt_bytes

            c3.download_button(t("asp_dl_txt"), txt_bytes(a.application, source=f"{stem}.txt"),
                               file_name=f"{stem}.txt", key="asp_dl_txt", mime="text/plain")
        except Exception as exc:
            _error(exc, lg)


if __name__ == "__main__":
    render()
