"""
数据导入: a bureau's parcel file in, without losing anything.

upload → (layer / sheet) → reading problems → unrecognised columns mapped (remembered per header
layout) and units chosen → optional register joined by 宗地编号 → mode → what will change, per
park → confirm → installed (every page's cached data refresh) → versions, each restorable.

Text from the file or a user (file, layer, header and park names, parcel numbers) never reaches
Markdown unescaped (``common.md_escape``) — tables (``st.dataframe``) show it as plain text.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

import words
from geo import io, workspace
from geo.accounts import AccessError
from geo.schema import PARCEL_COLUMNS
from views import auth, common, display
from views.common import md_escape
from views.i18n import lang, t
from words.io import error_text
from words.workspace import preview_display, versions_display

T = TypeVar("T")

ACCEPTED = ["gpkg", "geojson", "json", "zip", "parquet", "csv", "xlsx", "fgb", "kml", "dxf", "shp", "txt"]
REGISTER_TYPES = ["xlsx", "csv"]

#: Code-valued columns shown by their labels (label kind of ``words``).
LABEL_KINDS = {"land_use": "land_use", "delay_cause": "delay_cause"}
SHIFTS = ("", "gcj02", "bd09")
SS_FLASH = "data_imp_flash"
SS_PENDING = "data_imp_restore_pending"
#: Versions shown with a restore button (the newest).
MAX_VERSION_ROWS = 20

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- reading (cached)
# An uploaded file's reading stays in ``st.cache_data`` (a private copy per run): it belongs to the
# session that uploaded it, is small next to the workspace, and the page maps and joins onto it.
# The installed parcels come from the shared analysis (``common._workspace_data``).


def _with_file(name: str, data: bytes, fn):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        return fn(path)


@st.cache_data(show_spinner=False, max_entries=4)
def _layers(name: str, data: bytes) -> list[str]:
    return _with_file(name, data, io.list_layers)


@st.cache_data(show_spinner=False, max_entries=4)
def _read(name: str, data: bytes, crs: str, encoding: str, layer: str, as_of: str, columns: tuple, units: tuple,
          shifted: str) -> dict:
    """The file read, as plain values (cacheable): frame, problems, notes, summary and what the page needs."""
    def read(path):
        return workspace.read_incoming(path, crs=crs or None, encoding=encoding or None, layer=layer or None,
                                       parks=common.parks(), columns=dict(columns), units=dict(units),
                                       shifted=shifted or None, as_of=date.fromisoformat(as_of))

    loaded = _with_file(name, data, read)
    return {
        "gdf": loaded.gdf,
        "problems": loaded.problems_frame(),
        "notes": loaded.crs_note,
        "summary": loaded.summary,
        "headers": workspace.file_headers(loaded),
        "unmapped": list(loaded.unmapped_columns),
        "refusal": loaded.refusal,
    }


@st.cache_data(show_spinner=False, max_entries=2)
def _prepare_pages() -> None:
    """
    After an import, a restore or new parks, on this server: read the new version and analyse it as
    the pages open (``views.analysis.prepare``, as of the sidebar's date) while the admin waits here,
    so the first officer to open a page finds it ready instead of paying for it (issue 11). Other
    servers of a shared store prepare it in the background within seconds (``start_preparer``).
    """
    from views import analysis

    key = common.data_key()
    if key is None:
        return
    with st.spinner(t("data_preparing")):
        analysis.prepare(key, common.as_of())


def _change_data(change: Callable[[], T], lg: str) -> T | None:
    """
    An install, a restore or new parks (``change()``): its refusal shown in words (None), else its
    result, once every session has been told of the new data and this server has prepared it.
    """
    try:
        out = change()
    except io.DataError as exc:
        st.error(md_escape(error_text(exc, lg, face="web")))
        return None
    except AccessError as exc:
        st.error(auth.refusal(exc))
        return None
    common.data_changed()  # the shared analysis too: every session sees the new version
    _prepare_pages()
    return out


def _read_register(name: str, data: bytes):
    loaded = _with_file(name, data, lambda p: workspace.read_incoming(p))
    return loaded.gdf


# --------------------------------------------------------------------------- presenting


def preview_frame(gdf: pd.DataFrame, parks: pd.DataFrame | None, lang_: str):
    """
    The first rows as an officer reads them: headers in words, codes as labels, park
    names for park ids, dates without a time, yes/no as 是/否, gaps as "—".

    Returns a ``Styler`` (numbers stay numbers where the column has no gaps).
    """
    kinds = {c.name: c.kind for c in PARCEL_COLUMNS}
    out = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
    fmt: dict[str, str] = {}
    for col in out.columns:
        s = out[col]
        if col in LABEL_KINDS:
            out[col] = s.map(lambda v, k=LABEL_KINDS[col]: words.label(k, v, lang_)).astype(object)
        elif col == "park_id" and parks is not None:
            names = parks.set_index("park_id")["name_zh" if lang_ == "zh" else "name_en"].to_dict()
            out[col] = s.map(names).where(s.map(names).notna(), s).fillna(words.DASH).astype(object)
        elif kinds.get(col) == "bool" or pd.api.types.is_bool_dtype(s):
            out[col] = s.map(lambda v: words.yes_no(v, lang_)).astype(object)
        elif kinds.get(col) == "date" or pd.api.types.is_datetime64_any_dtype(s):
            out[col] = display.dates_text(s)
        elif pd.api.types.is_numeric_dtype(s):
            fmt[col] = "int" if kinds.get(col) == "int" else "num"
        else:
            out[col] = s.map(lambda v: words.DASH if pd.isna(v) else str(v)).astype(object)
    heads = words.headers(out.columns, lang_)
    return display.styled(out.rename(columns=heads), {heads[c]: k for c, k in fmt.items()})


def _colon() -> str:
    return "：" if lang() == "zh" else ": "


def _sep() -> str:
    return "、" if lang() == "zh" else ", "


# --------------------------------------------------------------------------- steps


def _mapping_step(ws: workspace.Workspace, first: dict) -> tuple[dict, dict]:
    """Unrecognised columns → product columns, and units: widgets pre-filled from what was remembered."""
    lg = lang()
    unmapped = first["unmapped"]
    remembered = workspace.mapping_for(ws, first["headers"])
    remembered_units = workspace.units_for(ws, first["headers"])
    present = set(first["gdf"].columns)
    free = [c.name for c in PARCEL_COLUMNS if c.name not in present]
    mapping: dict[str, str] = {}
    if unmapped:
        st.markdown(f"**{t('data_imp_unmapped')}**")
        heads = {"": t("data_imp_ignore"), **{c: words.header(c, lg) for c in free}}
        cols = st.columns(3)
        for i, header in enumerate(unmapped):
            options = ["", *free]
            pre = remembered.get(header, "")
            key = f"data_imp_map@{lg}:{header}"
            if key not in st.session_state:
                st.session_state[key] = pre if pre in options else ""
            chosen = cols[i % 3].selectbox(t("data_imp_map_to", header=md_escape(header)), options,
                                           format_func=heads.get, key=key)
            if chosen:
                mapping[header] = chosen
    target_cols = [c for c in dict.fromkeys([*present, *mapping.values()]) if workspace.unit_choices(str(c))]
    units: dict[str, str] = {}
    if target_cols:
        with st.expander(t("data_imp_units"), expanded=bool(remembered_units)):
            cols = st.columns(3)
            unit_words = words.labels("import_unit", lg)
            for i, col in enumerate(target_cols):
                options = list(workspace.unit_choices(col))
                key = f"data_imp_unit@{lg}:{col}"
                if key not in st.session_state:
                    pre = remembered_units.get(col, options[0])
                    st.session_state[key] = pre if pre in options else options[0]
                chosen = cols[i % 3].selectbox(t("data_imp_unit_of", column=words.header(col, lg, unit=False)),
                                               options, format_func=unit_words.get, key=key)
                if chosen != options[0]:
                    units[col] = chosen
    return mapping, units


def _register_step(incoming: pd.DataFrame) -> pd.DataFrame | None:
    """Optional register joined by 宗地编号; None when it cannot be read (message shown)."""
    lg = lang()
    reg = st.file_uploader(t("data_imp_register"), type=REGISTER_TYPES, key="data_imp_register")
    if reg is None:
        return incoming
    try:
        table = _read_register(reg.name, reg.getvalue())
        joined, report = workspace.join_register(incoming, table)
    except io.DataError as exc:
        st.error(md_escape(t("data_imp_register_failed", reason=error_text(exc, lg, face="web"))))
        return None
    except (ValueError, LookupError, OSError) as exc:
        log.warning("reading register %s failed: %r", reg.name, exc)
        st.error(md_escape(t("data_imp_register_failed", reason=t("data_read_failed"))))
        return None
    for item in report["items"]:
        (st.info if item["code"] == "register_joined" else st.warning)(md_escape(words.render(item, lg)))
    return joined


def _current_parcels() -> pd.DataFrame | None:
    """The installed parcels, as every page reads them (shared: never changed here)."""
    key = common.data_key()
    return None if key is None else common._workspace_data(key)[0]


def _preview_step(current, incoming, mode: str) -> workspace.ImportDiff:
    lg = lang()
    diff = workspace.preview_import(current, incoming, mode)
    st.markdown(f"**{t('data_imp_changes')}**")
    st.dataframe(preview_display(diff, common.parks(), lg), hide_index=True, width="stretch", key="data_imp_diff")
    changed = diff.rows[diff.rows["outcome"] == "changed"]
    if len(changed):
        with st.expander(f"{t('data_imp_changed_list')} ({len(changed)})"):
            st.dataframe(pd.DataFrame({
                t("data_imp_parcel"): changed["parcel_id"].astype(str).to_numpy(),
                t("data_imp_columns"): [_sep().join(words.header(c, lg, unit=False) for c in cols)
                                        for cols in changed["columns"]],
            }), hide_index=True, width="stretch")
    removed = diff.ids("removed")
    if removed:
        with st.expander(t("data_imp_removed_list", n=min(len(removed), 200))):
            st.dataframe(pd.DataFrame({t("data_imp_parcel"): removed[:200]}), hide_index=True, width="stretch")
    counts = diff.counts
    if not (counts["new"] or counts["changed"] or counts["removed"]):
        st.info(t("data_imp_nothing"))
    return diff


def _read_or_say(*args) -> dict | None:
    """:func:`_read`, or None with one message naming the file (never a traceback)."""
    name = args[0]
    try:
        with st.spinner(t("data_reading")):
            return _read(*args)
    except io.DataError as exc:
        st.error(md_escape(error_text(exc, lang(), face="web")))
    except Exception as exc:  # a library gave up on the file in a way the reader does not code yet
        log.warning("reading %s failed: %r", name, exc)
        st.error(t("data_read_failed"))
    return None


def _import_section(ws: workspace.Workspace) -> None:
    lg = lang()
    st.markdown(t("data_intro"))
    limit = workspace.max_upload_mb()
    upload = st.file_uploader(t("data_file"), type=ACCEPTED, key="data_upload")
    st.caption(t("data_imp_limit", mb=limit))
    c1, c2 = st.columns(2)
    crs = c1.text_input(t("data_crs"), key="data_crs")
    encoding = c2.text_input(t("data_encoding"), key="data_encoding")
    if upload is None:
        return
    try:
        workspace.check_upload_size(upload.name, upload.size)
    except workspace.WorkspaceError as exc:
        st.error(md_escape(error_text(exc, lg, face="web")))
        return
    data = upload.getvalue()
    layers = _layers(upload.name, data)
    layer = ""
    if len(layers) > 1:
        layer = st.selectbox(t("data_imp_layer"), layers, key="data_imp_layer_pick", format_func=str)
    shift_key = common.lkey("data_imp_shifted", "")
    shifted = st.session_state.get(shift_key, "")
    args = (upload.name, data, crs.strip(), encoding.strip(), layer, common.as_of().isoformat())
    first = _read_or_say(*args, (), (), shifted)
    if first is None:
        return
    gdf0 = first["gdf"]
    geographic = getattr(getattr(gdf0, "crs", None), "is_geographic", False) if "geometry" in gdf0 else False
    if geographic or shifted:
        # Degrees downloaded from AMap/DataV (GCJ-02) or Baidu (BD-09) sit hundreds of metres off:
        # only the user knows where the file came from.
        shift_words = {v: t(f"data_imp_shift_{v or 'none'}") for v in SHIFTS}
        st.selectbox(t("data_imp_shifted"), SHIFTS, format_func=shift_words.get, key=shift_key)
    mapping, units = _mapping_step(ws, first)
    read = first
    if mapping or units:
        read = _read_or_say(*args, tuple(sorted(mapping.items())), tuple(sorted(units.items())), shifted)
        if read is None:
            return
    gdf = read["gdf"]
    summary = read["summary"]
    st.success(t("data_read_ok", n=len(gdf), e=summary.get("errors", 0), w=summary.get("warnings", 0),
                 o=summary.get("outside_parks") or 0))
    common.show_problems(read["problems"], read["notes"])
    known = [c.name for c in PARCEL_COLUMNS]
    st.markdown(f"**{t('data_columns')}**{_colon()}" + _sep().join(words.header(c, lg) for c in known if c in gdf))
    absent = [c for c in known if c not in gdf]
    if absent:
        st.caption(f"{t('data_missing')}{_colon()}" + _sep().join(words.header(c, lg) for c in absent))
    with st.expander(t("data_preview")):
        st.dataframe(preview_frame(gdf.head(20), common.parks(), lg), hide_index=True, width="stretch",
                     key="data_preview")
    if read["refusal"] is not None:
        st.error(t("data_imp_refused", reason=md_escape(words.render(read["refusal"], lg))))
        return
    if "geometry" not in gdf or not gdf.geometry.notna().any():
        st.warning(t("data_no_geometry"))
        return
    incoming = _register_step(gdf)
    if incoming is None:
        return
    current = _current_parcels()
    modes = workspace.IMPORT_MODES if "parcel_id" in incoming else ("replace",)
    mode_words = words.labels("import_mode", lg)
    default = "update" if current is not None and "update" in modes else "replace"
    # A file without parcel numbers can only replace: its radio has a key of its own, so the
    # user's choice for files with numbers is not lost meanwhile (e.g. until a column is mapped).
    key = common.lkey("data_imp_mode" if len(modes) > 1 else "data_imp_mode_replace_only", default)
    mode = st.radio(t("data_imp_mode"), modes, format_func=mode_words.get, key=key, horizontal=True)
    st.caption(t("data_imp_mode_help"))
    diff = _preview_step(current, incoming, mode)
    if st.button(t("data_imp_confirm"), type="primary", key="data_install"):
        m = _change_data(lambda: workspace.install(ws, incoming, mode, parks=common.parks(), source=upload.name,
                                                   account=auth.current()), lg)
        if m is None:
            return
        if mapping or units:
            workspace.save_mapping(ws, first["headers"], mapping, units=units)
        st.session_state[SS_FLASH] = ("success", t("data_imp_done", version=m["version_id"],
                                                     parcels=f"{m['counts']['parcels']:,}"))
        del diff
        st.rerun()


def _versions_section(ws: workspace.Workspace) -> None:
    lg = lang()
    st.subheader(t("data_imp_versions"))
    versions = workspace.list_versions(ws)
    if versions.empty:
        st.caption(t("data_imp_versions_none"))
        return
    shown = versions_display(versions.head(MAX_VERSION_ROWS), lg)
    heads = list(shown.columns)
    widths = [1, 2, 2, 3, 1.5, 1.2, 1.2, 0.8, 1.6]
    top = st.columns(widths)
    for col, h in zip(top, heads, strict=False):
        col.markdown(f"**{md_escape(h)}**")
    for i in range(len(shown)):
        row = shown.iloc[i]
        vid = versions.loc[i, "version_id"]
        cells = st.columns(widths)
        for col, h in zip(cells, heads, strict=False):
            col.text(str(row[h]))  # a source file's name is data: plain text
        if not versions.loc[i, "current"] and auth.can("restore", scoped=False):
            if cells[-1].button(t("data_imp_restore"), key=f"data_imp_restore_{vid}"):
                st.session_state[SS_PENDING] = vid
    pending = st.session_state.get(SS_PENDING)
    if pending:
        st.warning(t("data_imp_restore_confirm", version=pending))
        if st.button(t("data_imp_restore_yes"), type="primary", key="data_imp_restore_yes"):
            st.session_state.pop(SS_PENDING, None)
            m = _change_data(lambda: workspace.restore(ws, pending, account=auth.current(), parks=common.parks()), lg)
            if m is None:
                return
            st.session_state[SS_FLASH] = ("success", t("data_imp_restored", version=pending, new=m["version_id"]))
            st.rerun()


PARKS_TYPES = ["gpkg", "geojson", "json", "zip", "parquet", "fgb", "kml"]


def _parks_section(ws: workspace.Workspace) -> None:
    """The parks in force (which version, who installed it, when) and, for admins, installing a new file."""
    from geo import parkstore
    from words.store import parks_installed_text

    lg = lang()
    st.subheader(t("data_parks_title"))
    held = common.parks_in_force()
    n = len(common.parks())
    history = parkstore.parks_history(ws.root)
    if held.origin == "shipped":
        st.caption(t("data_parks_shipped", n=n))
    elif history.empty:
        st.caption(t("data_parks_workspace", n=n))
    else:
        top = history.iloc[0]
        # Parks migrated from a workspace without an install log carry no account.
        who = top["account"] if isinstance(top["account"], str) and top["account"].strip() else None
        st.caption(t("data_parks_current" if who else "data_parks_current_no_account", version=int(top["version"]), n=n,
                     source=md_escape(top["source"]), account=md_escape(who or ""),
                     at=top["installed_at"].strftime("%Y-%m-%d %H:%M")))
    if not auth.can("import", scoped=False):  # admins only; parkstore.install_parks refuses anyone else
        return
    with st.expander(t("data_parks_upload")):
        st.caption(t("data_parks_help"))
        up = st.file_uploader(t("data_parks_upload"), type=PARKS_TYPES, key="data_parks_file")
        if up is None or not st.button(t("data_parks_install"), key="data_parks_install"):
            return
        m = _change_data(lambda: _with_file(up.name, up.getvalue(), lambda path: parkstore.install_parks(
            ws.root, path, account=auth.current(), source=up.name)), lg)
        if m is None:
            return
        st.session_state[SS_FLASH] = ("success", md_escape(parks_installed_text(m, lg)))
        st.rerun()


def render() -> None:
    st.title(t("page_data"))
    ws = common.current_workspace()  # the server's setting (GXLAND_WORKSPACE): never shown, never typed
    flash = st.session_state.pop(SS_FLASH, None)
    if flash:
        getattr(st, flash[0])(flash[1])
    if auth.can("import", scoped=False):  # admins only; the workspace refuses anyone else too
        _import_section(ws)
    else:
        st.info(t("auth_admin_only"))
    st.divider()
    _versions_section(ws)
    st.divider()
    _parks_section(ws)


if __name__ == "__main__":
    render()
