"""
Imagery on the idle-land and efficiency pages: the overlay, the evidence in the card, the
filter "与影像不符的记录", the field-check list and a raster upload per park.

The pages call these functions (a few lines each); everything about imagery lives here.
Imagery yields leads, never findings: every place that shows one says 线索，须实地核查.
"""

from __future__ import annotations

import html
import tempfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

import words
from geo import raster
from geo.accounts import AccessError
from geo.errors import error_item
from geo.sample import PATCHES_FILE, imagery_files
from views import auth, common
from views.i18n import lang, t

EVIDENCE_COLORS = {"construction_detected": "#d7301f", "cleared_not_built": "#e0a33a",
                   "no_construction": "#2e7d32", "no_data": "#9e9e9e"}


def store():
    """The imagery's store (``geo.imagestore``): the workspace's folder, or PostGIS with GXLAND_DATABASE_URL."""
    from geo.imagestore import imagery_store

    return imagery_store(common.current_workspace().root)


def folder() -> Path:
    """
    The imagery folder (``<park_id>_<YYYY-MM-DD>.tif``, ``patches.gpkg``): the workspace's ``imagery/``,
    or with PostGIS this process's copy of the files in force (a new folder after every upload).
    """
    return store().folder()


def _files() -> pd.DataFrame:
    """The folder's rasters (``geo.sample.imagery_files``; empty when the workspace has none)."""
    where = Path(folder())
    try:
        stamp = where.stat().st_mtime_ns  # a file added, removed or renamed in the folder changes it
    except OSError:
        stamp = None
    return _listed(str(where), stamp)


@st.cache_data(show_spinner=False, max_entries=8)
def _listed(where: str, stamp: int | None) -> pd.DataFrame:
    # Listed once per state of the folder, not several times a run (a page asks at each of its parts).
    return imagery_files(where)


def _stamp(paths) -> tuple:
    return tuple((str(p), Path(p).stat().st_mtime_ns) for p in paths if p is not None and Path(p).exists())


@st.cache_data(show_spinner=False, max_entries=16)
def _park_evidence(_parcels: gpd.GeoDataFrame, park_id: str, after: str, before: str | None, patches: str | None,
                   stamp: tuple) -> pd.DataFrame:
    # ``stamp`` (file times, the parcels' ids) keys the cache; the frames are not hashed.
    return raster.zonal_evidence(_parcels, after, before=before, patches=patches)


def evidence_for(parcels: gpd.GeoDataFrame) -> pd.DataFrame:
    """
    The imagery evidence of every parcel in a park with imagery (``geo.raster.ZONAL_COLUMNS``,
    aligned to ``parcels.index``; rows of parks without imagery are empty). The two latest
    rasters of a park are its later and earlier dates.
    """
    out = pd.DataFrame(index=parcels.index, columns=list(raster.ZONAL_COLUMNS), dtype=object)
    files = _files()
    if files.empty or "park_id" not in parcels.columns:
        return out
    patches = folder() / PATCHES_FILE
    patches_path = str(patches) if patches.exists() else None
    ids = pd.util.hash_pandas_object(parcels["parcel_id"].astype(str), index=False)
    for park_id, g in files.groupby("park_id"):
        mine = parcels[parcels["park_id"].astype(str) == park_id]
        if mine.empty:
            continue
        after = str(g["path"].iloc[-1])
        before = str(g["path"].iloc[-2]) if len(g) > 1 else None
        stamp = (*_stamp([after, before, patches_path]), len(mine), int(ids.loc[mine.index].sum()))
        try:
            ev = _park_evidence(mine, park_id, after, before, patches_path, stamp)
        except (raster.RasterError, ValueError) as exc:
            item = error_item(exc)
            st.warning(words.render(item, lang()) if item else str(exc))
            continue
        out.loc[ev.index, ev.columns] = ev.to_numpy()
    return out


# --------------------------------------------------------------------------- filter, overlay, card


def contradiction_filter(analysed: gpd.GeoDataFrame, sel: pd.DataFrame, *, key: str) -> pd.DataFrame:
    """The checkbox "与影像不符的记录": when ticked, only the parcels with a lead."""
    if _files().empty:
        return sel
    if not st.checkbox(t("imagery_filter"), key=f"{key}_imagery_contradicts", help=t("imagery_filter_help")):
        return sel
    ev = evidence_for(analysed)
    has = ev["lead"].notna()
    return sel[has.reindex(sel.index, fill_value=False).to_numpy()]


def overlay_controls(park_ids, *, key: str) -> tuple | None:
    """
    The overlay's controls (show, date, opacity, patches) for the parks' imagery: what to draw,
    as a hashable spec for :func:`draw_overlay` (part of the map's cache key), or None.
    """
    files = _files()
    files = files[files["park_id"].isin([str(p) for p in park_ids])]
    if files.empty:
        return None
    c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
    if not c1.toggle(t("imagery_show"), key=f"{key}_imagery_show"):
        return None
    which = c2.radio(t("imagery_date"), ["after", "before"], horizontal=True, key=f"{key}_imagery_when",
                     format_func=lambda v: t(f"imagery_{v}"))
    opacity = c3.slider(t("imagery_opacity"), 0.1, 1.0, 0.7, 0.1, key=f"{key}_imagery_opacity")
    show_patches = c4.checkbox(t("imagery_patches"), value=True, key=f"{key}_imagery_patches")
    rows = []
    for park_id, g in files.groupby("park_id"):
        row = g.iloc[-1] if which == "after" or len(g) < 2 else g.iloc[-2]
        rows.append((str(park_id), str(row["path"]), str(row["date"])))
    patches = folder() / PATCHES_FILE
    with_patches = bool(show_patches and patches.exists())
    return (tuple(rows), float(opacity), str(patches) if with_patches else None, _stamp([r[1] for r in rows]),
            lang())


def draw_overlay(m, spec: tuple | None) -> list[dict]:
    """
    Draw the overlay :func:`overlay_controls` asked for on ``m`` (inside a cached map build: no
    widgets here). Returns the problems met (message items) for the page to show.
    """
    if spec is None:
        return []
    import folium

    from layers.raster import patches_layer, raster_legend, raster_overlay

    rows, opacity, patches, _, lg = spec
    parks = common.parks()
    names = dict(zip(parks["park_id"].astype(str), parks["name_zh" if lg == "zh" else "name_en"], strict=False))
    problems = []
    for park_id, path, day in rows:
        try:
            raster_overlay(path, name=f"{names.get(park_id, park_id)} {words.fmt_date(day)}",
                           opacity=opacity).add_to(m)
        except raster.RasterError as exc:
            problems.append(exc.item)
    if patches:
        layer = patches_layer(raster.read_patches(patches), lg)
        if layer is not None:
            layer.add_to(m)
    raster_legend(lg, with_patches=bool(patches)).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    _PROBLEMS[spec] = problems
    return problems


#: The problems met drawing each overlay spec: the map build is cached, the page shows them on
#: every run (:func:`overlay_caption`).
_PROBLEMS: dict[tuple, list[dict]] = {}


def overlay_caption(spec: tuple | None) -> None:
    """The dates drawn under the map, and any raster that could not be drawn."""
    if spec is not None:
        for item in _PROBLEMS.get(spec, []):
            st.warning(common.md_escape(words.render(item, lang())))
        st.caption(t("imagery_caption", dates="、".join(sorted({words.fmt_date(d) for _, _, d in spec[0]}))))


def evidence_card(analysed: gpd.GeoDataFrame, rows: pd.DataFrame) -> None:
    """The parcel's imagery evidence: class, figures, the lead and the field-check note."""
    if rows.empty or _files().empty:
        return
    lg = lang()
    ev = evidence_for(analysed)
    row = ev.loc[rows.index[0]]
    st.markdown(f"**{t('imagery_card_title')}**")
    if pd.isna(row.get("evidence")):
        st.caption(t("imagery_none_for_park"))
        return
    color = EVIDENCE_COLORS.get(row["evidence"], "#888888")
    st.markdown(f"<span style='background:{color};color:#fff;padding:2px 8px;border-radius:4px'>"
                f"{html.escape(words.label('raster_evidence', row['evidence'], lg))}</span>", unsafe_allow_html=True)
    items = raster.explain_evidence(row.to_dict())
    lead = row.get("lead")
    lines = [words.render(i, lg) for i in items if not str(i["code"]).startswith("lead_")]
    if isinstance(lead, str):
        st.warning(words.render([i for i in items if str(i["code"]).startswith("lead_")], lg))
    st.markdown("\n".join(f"- {common.md_escape(x)}" for x in lines))


# --------------------------------------------------------------------------- list and upload


def field_check_bytes(analysed: gpd.GeoDataFrame, sel: pd.DataFrame) -> bytes:
    """The field-check list of the parcels shown, as an Excel workbook."""
    from reports import tables

    lg = lang()
    ev = evidence_for(analysed).loc[sel.index]
    check = raster.field_check_list(analysed.loc[sel.index], ev)
    shown = tables.present(check, lang=lg, parks=common.parks(), columns="all")
    return tables.xlsx_bytes({words.label("ui", "raster_field_check_sheet", lg): shown})


def summary_display(ev: pd.DataFrame) -> pd.DataFrame:
    """Parcels per evidence class and per lead, in words (parcels of parks with imagery)."""
    lg = lang()
    summary = raster.evidence_summary(ev.dropna(subset=["evidence"]))
    kinds = {"evidence": "raster_evidence", "lead": "raster_lead"}
    return pd.DataFrame({
        t("imagery_summary_item"): [words.label(kinds[k], c, lg) for k, c in zip(summary["kind"], summary["code"],
                                                                                 strict=True)],
        t("imagery_summary_parcels"): summary["parcels"].to_numpy(),
    })


def imagery_section(analysed: gpd.GeoDataFrame, sel: pd.DataFrame, park_ids, *, key: str) -> None:
    """
    The field-check list download and the raster upload, under an expander that is made only
    when opened (``on_change="rerun"``): closed, the page neither computes nor ships it.
    """
    lg = lang()
    section = st.expander(t("imagery_section"), on_change="rerun", key=f"{key}_imagery_open")
    if not section.open:
        return
    with section:
        st.caption(t("imagery_lead_note"))
        if not _files().empty:
            ev = evidence_for(analysed).loc[sel.index]
            if ev["evidence"].notna().any():
                st.dataframe(summary_display(ev), hide_index=True, width="stretch", key=f"{key}_imagery_summary")
            n = int(ev["lead"].notna().sum())
            # Built when clicked, not on every rerun (a workbook of the selection each time, shipped
            # as a media file the next rerun dropped again).
            st.download_button(t("imagery_field_check", n=n), data=lambda: field_check_bytes(analysed, sel),
                               file_name=f"{words.label('ui', 'raster_field_check_sheet', lg)}_"
                                         f"{common.as_of().isoformat()}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key=f"{key}_imagery_dl", disabled=n == 0, on_click="ignore")
        upload_panel(park_ids, key=key)


def upload_panel(park_ids, *, key: str) -> None:
    """Upload a raster for a park: size, CRS, overlap and band count checked, errors in words."""
    lg = lang()
    parks = common.parks()
    # The parks the account records for (the store refuses the others, and a viewer altogether).
    options = [str(p) for p in park_ids if str(p) in set(parks["park_id"].astype(str)) and auth.can("record", str(p))]
    if not options:
        return
    limit = raster.load_raster_settings()["max_upload_mb"]
    st.markdown(f"**{t('imagery_upload_title')}**")
    st.caption(t("imagery_upload_help", mb=f"{limit:.0f}"))
    names = dict(zip(parks["park_id"].astype(str), parks["name_zh" if lg == "zh" else "name_en"], strict=False))
    c1, c2 = st.columns(2)
    park_id = c1.selectbox(t("park"), options, format_func=lambda p: names.get(p, p), key=f"{key}_imagery_park")
    day = c2.date_input(t("imagery_upload_date"), value=common.as_of(), key=f"{key}_imagery_day")
    up = st.file_uploader(t("imagery_upload_file"), type=["tif", "tiff"], key=f"{key}_imagery_file")
    if up is None:
        return
    message = save_upload(up.getvalue(), up.name, park_id, day, parks)
    if message is None:
        st.success(t("imagery_upload_ok", park=names.get(park_id, park_id), date=words.fmt_date(day)))
        _park_evidence.clear()
    else:
        st.error(message)


def save_upload(data: bytes, name: str, park_id: str, day: date, parks: gpd.GeoDataFrame) -> str | None:
    """
    Check an uploaded raster and keep it as ``imagery/<park_id>_<day>.tif``; None when kept,
    else the reason in the user's language (too large, no CRS, not over the park, band count).
    """
    lg = lang()
    try:
        raster.check_upload_size(len(data), source=name)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.tif"
            path.write_bytes(data)
            try:
                raster.check_overlap(path, parks[parks["park_id"].astype(str) == park_id])
            except raster.RasterError as exc:
                exc.params["file"] = name  # the user's name for it, not the temporary one
                raise
        # Kept in the store (every app server of a PostGIS store sees it), under the logged-in account.
        store().put(data, kind="raster", park_id=park_id, day=day, account=auth.current(), source=name)
    except raster.RasterError as exc:
        return words.render(exc.item, lg)
    except AccessError as exc:
        return auth.refusal(exc)
    return None
