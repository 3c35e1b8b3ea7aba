"""Sidebar, cached loaders and small display helpers shared by the pages."""

from __future__ import annotations

import html
import os
import re
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

import words
from geo import io, workspace
from views.i18n import LANGS, lang, t

ROOT = Path(__file__).resolve().parent.parent
#: The shipped parks: the last of ``geo.parkstore``'s choices (pages read :func:`parks`, the parks in force).
DEFAULT_PARKS = ROOT / "data" / "parks.geojson"
BASEMAPS = ("none", "osm", "tianditu_vec", "tianditu_img")


def default_workspace() -> str:
    return os.environ.get("GXLAND_WORKSPACE", str(ROOT / "workspace"))


def sidebar() -> None:
    """The one sidebar: language, as-of date, workspace, basemap, the logged-in account. Values live in session_state."""
    ss = st.session_state
    ss.setdefault("lang", "zh")
    ss.setdefault("as_of", date.today())
    ss.setdefault("tianditu_tk", os.environ.get("TIANDITU_TK", ""))
    with st.sidebar:
        st.radio(t("language"), list(LANGS), format_func=LANGS.get, key="lang", horizontal=True)
        st.date_input(t("as_of"), key="as_of", min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
        # Labels bound now, not looked up later: a format_func must not depend on state.
        basemap_labels = {b: t(f"basemap_{b}") for b in BASEMAPS}
        basemap = st.selectbox(t("basemap"), BASEMAPS, format_func=basemap_labels.get,
                               key=lkey("basemap", "none"))
        ss["basemap"] = basemap
        if basemap.startswith("tianditu"):
            st.text_input(t("tianditu_key"), key="tianditu_tk", type="password")
        from views import auth

        auth.sidebar_account()  # who records: the logged-in account, never a typed name


def lkey(name: str, default=None) -> str:
    """
    Session key for a widget whose option labels depend on the language.

    Streamlit keeps a keyed widget's value as its *formatted* label, so a multiselect
    whose labels change with the language fails on the next rerun. Each language gets
    its own key; the value chosen under the other language is carried over, so a
    switch keeps the user's picks. Pass the widget's default here, not to the widget.
    """
    ss = st.session_state
    key = f"{name}@{lang()}"
    last = ss.get(f"{name}@last")
    if last and last != key and last in ss:
        ss[key] = ss[last]
    elif key not in ss and default is not None:
        ss[key] = default
    ss[f"{name}@last"] = key
    return key


def as_of() -> date:
    return st.session_state.get("as_of", date.today())


def current_workspace() -> workspace.Workspace:
    # The server's setting (GXLAND_WORKSPACE), never a browser user's: no page can point the
    # app at another folder of the server's disk.
    return workspace.Workspace(Path(default_workspace()))


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


# --------------------------------------------------------------------------- the shared analysis
#
# One read of the workspace per version of its parcel file, one idle analysis per (version,
# as-of date, cases' revision), one review join per review revision: held once per server
# (``st.cache_resource``, a few entries each) and handed to every session and page. Nothing is
# copied per rerun, so the objects are shared: a caller must never change them in place —
# select rows with a boolean mask (``df[mask]``), add columns to a new frame (``df.assign``),
# and do not ``.copy()`` the whole frame. Words in the user's language are never cached here
# (they are made per rerun from the codes these frames hold).


def _stamp(path: Path) -> tuple:
    """What changes when a file is replaced or rewritten (an import's rename gives a new inode)."""
    try:
        st_ = path.stat()
    except OSError:
        return (str(path), 0, 0, 0)
    return (str(path), st_.st_ino, st_.st_mtime_ns, st_.st_size)


def data_key() -> tuple | None:
    """
    The workspace's version as a cache key: its folder, its parcel file's stamp and the parks'
    revision (None when the workspace holds no parcels). A new import, a restore or a parks install
    changes it, so every session's next run sees a new key — and the new data.
    """
    ws = current_workspace()
    try:
        path = ws.parcels_path
    except FileNotFoundError:
        return None
    return (str(ws.root), _stamp(path), parks_in_force().stamp)


def parks_in_force():
    """
    Where the parks come from (``geo.parkstore``): PostGIS's parks layer with GXLAND_DATABASE_URL,
    else the workspace's ``parks.geojson``, else the shipped ``data/parks.geojson``.
    """
    from geo import parkstore

    return parkstore.parks_in_force(current_workspace().root)


@st.cache_resource(show_spinner=False, max_entries=2)
def _parks(path: str, stamp: tuple) -> gpd.GeoDataFrame:
    return io.read_parks(path)


def parks() -> gpd.GeoDataFrame:
    """The parks in force, read once per server and revision (shared: never change in place)."""
    held = parks_in_force()
    return _parks(str(held.path), held.stamp)


@st.cache_resource(show_spinner=False, max_entries=2)
def _workspace_data(key: tuple):
    """(parcels, problems frame, crs note) of one version of the workspace: read once per server."""
    loaded = workspace.read_stored(workspace.Workspace(Path(key[0])), parks())
    return loaded.gdf, loaded.problems_frame(), loaded.crs_note


@st.cache_resource(show_spinner=False, max_entries=4)
def _idle(key: tuple, as_of_date: date, cases_path: str, cases_revision: int) -> gpd.GeoDataFrame:
    gdf, _, _ = _workspace_data(key)
    from geo.cases import CaseStore

    return workspace.analyse_idle(gdf, as_of=as_of_date, cases=CaseStore(cases_path))


@st.cache_resource(show_spinner=False, max_entries=4)
def _reviewed(key: tuple, as_of_date: date, cases_path: str, cases_revision: int, review_path: str,
              review_revision: int) -> gpd.GeoDataFrame:
    from geo.review import ReviewStore

    analysed = _idle(key, as_of_date, cases_path, cases_revision)
    return workspace.join_review(analysed, ReviewStore(review_path).current())


#: The server-wide caches of the workspace's analysis, by name (cleared with :func:`data_changed`).
SHARED_CACHES: dict[str, object] = {}


def register_shared(*cached) -> None:
    """
    Pages register their ``st.cache_resource`` functions of the workspace's data here, so that
    :func:`data_changed` clears them too (a page script runs as ``__main__``: its caches are not
    reachable by importing it).
    """
    for fn in cached:
        SHARED_CACHES[f"{fn.__module__}.{fn.__qualname__}"] = fn


register_shared(_workspace_data, _idle, _reviewed)


def data_changed() -> None:
    """
    After an import or a restore: drop every cached analysis (``st.cache_data`` and the shared
    ones), so that memory is freed at once; the new file's stamp is a new key for every session anyway.
    """
    st.cache_data.clear()
    for cached in SHARED_CACHES.values():
        cached.clear()


def workspace_parcels(key: tuple) -> gpd.GeoDataFrame:
    """The stored parcels of one version of the workspace (shared, unscoped: never change in place)."""
    return _workspace_data(key)[0]


def case_store():
    """The current workspace's idle-land cases (``cases.sqlite``; parks checked against its parcels)."""
    return current_workspace().case_store(parks=parks())


def _data_key_or_warn() -> tuple | None:
    """The workspace's data key, or None with a message shown."""
    key = data_key()
    if key is None:
        st.warning(t("no_workspace"))
    return key


def loaded_parcels():
    """
    (parcels, problems frame, crs note) of the current workspace, or None with a message shown.
    Shared by every session: never change them in place.
    """
    key = _data_key_or_warn()
    if key is None:
        return None
    with st.spinner("…"):
        gdf, problems, note = _workspace_data(key)
        return _scoped(gdf, "parcels", key), problems, note


def idle_parcels() -> gpd.GeoDataFrame | None:
    """
    Parcels with areas, idle classification as of the sidebar date and the review state, or None
    with a message shown. Shared by every session: never change in place.
    """
    key = _data_key_or_warn()
    if key is None:
        return None
    ws = current_workspace()
    store = ws.case_store()
    review = ws.review_store()
    with st.spinner("…"):
        revisions = (store.location, store.revision(), review.location, review.revision())
        return _scoped(_reviewed(key, as_of(), *revisions), "reviewed", (key, as_of(), revisions))


def prepare_idle(key: tuple, as_of_date: date) -> None:
    """Fill the shared idle analysis and review join of version ``key`` as of ``as_of_date`` (views/analysis.py)."""
    ws = current_workspace()
    store, review = ws.case_store(), ws.review_store()
    _reviewed(key, as_of_date, store.location, store.revision(), review.location, review.revision())


def _scoped(df, kind: str, key) -> gpd.GeoDataFrame | None:
    """
    The rows of a shared frame in the logged-in account's parks (the frame itself for an unscoped
    account) — filtered once per server for each (frame, scope), not per rerun of each session.
    """
    from views import auth

    acc = auth.current()
    if df is None or acc is None or not acc.parks or "park_id" not in df:
        return df
    return _scoped_shared(kind, key, tuple(sorted(acc.parks)), df)


@st.cache_resource(show_spinner=False, max_entries=8)
def _scoped_shared(kind: str, key, parks: tuple, _df) -> gpd.GeoDataFrame:
    return _df[_df["park_id"].astype("string").isin(list(parks)).fillna(False).to_numpy(dtype=bool)]


register_shared(_scoped_shared)


def show_problems(problems: pd.DataFrame, crs_note: str | None, *, lazy: bool = False) -> None:
    """
    The file's coordinate system note and its problems (a paged table in a panel). ``lazy``: the
    table and its pager are drawn when the panel is opened (an analysis page, where the panel
    stays closed on most loads: its grid and pager were ~0.1 s of the browser's work on every load
    of the efficiency page at 50,000 parcels); the data page's preview of an import shows them
    at once.
    """
    from views.display import crs_note_text, problems_display

    if crs_note:
        # A CRS name comes from the file's .prj: data, so never Markdown.
        st.info(f"{t('crs_note')}{'：' if lang() == 'zh' else ': '}{md_escape(crs_note_text(crs_note, lang=lang()))}")
    if problems is not None and len(problems):
        label = f"{t('data_problems')} ({len(problems)})"
        box = st.expander(label, on_change="rerun", key="data_problems_open") if lazy else st.expander(label)
        if lazy and not box.open:
            return
        with box:
            from views.pager import paged

            shown = paged(problems, key="data_problems_pager", lang=lang(), unit="rows")
            st.dataframe(problems_display(shown, lang=lang()), hide_index=True, width="stretch")


#: Characters Streamlit's Markdown gives a meaning anywhere in a line (CommonMark emphasis, code,
#: links and images, GFM tables, strikethrough and email autolinks, KaTeX ``$``, directives ``{}``).
_MD_INLINE = re.compile(r"([\\`*_\[\]{}|~$!@])")
#: … and only at the start of a line (headings, lists, quotes, setext underlines).
_MD_LINE_START = re.compile(r"(?m)^([ \t]*)(\d*)((?<=\d)[.)]|(?<!\d)[#+\-=])")


def md_escape(text) -> str:
    """
    Text from data or a user (a holder, an officer, a note, a file or CRS name) made literal for
    Streamlit's Markdown (``st.markdown``/``info``/``caption``/widget labels …): no image, link,
    autolink, HTML, emphasis, heading or formula can come of it; ordinary punctuation in the
    middle of a line (2024-03-01, 12.5, 南宁-柳州) stays as it is. Missing → "—".
    """
    if text is None or (isinstance(text, float) and text != text):
        return words.DASH
    out = html.escape(str(text), quote=False)  # & < > as entities: no tag, no blockquote
    out = _MD_INLINE.sub(r"\\\1", out)
    out = _MD_LINE_START.sub(lambda m: f"{m[1]}{m[2] or ''}\\{m[3]}", out)
    out = re.sub(r":(?=//)", r"\\:", out)  # http:// … is no autolink
    out = re.sub(r"(?i)\b(www)\.", r"\1\\.", out)  # nor is www.…
    return out.replace("\n", "  \n")


def headers(df: pd.DataFrame) -> pd.DataFrame:
    """Canonical column names as headers with units in the UI's language."""
    return df.rename(columns=words.headers(df.columns, lang()))


def present(df: pd.DataFrame, *, table: str | None = None, columns=None) -> pd.DataFrame:
    """A results frame as the officer reads it (labels, units, park names, dates): :func:`reports.tables.present`."""
    from reports import tables

    return tables.present(df, lang=lang(), parks=parks(), table=table, columns=columns)


def small_table(df: pd.DataFrame, kinds=None) -> None:
    """
    A short table shown as HTML (``views.display.table_html``): a parcel's card, a summary of a
    few lines. A list an officer sorts, searches or pages stays an ``st.dataframe``.
    """
    key = repr((list(df.columns), [str(d) for d in df.dtypes], df.to_numpy().tolist(), sorted((kinds or {}).items())))
    st.html(_table_html_shared(key, df, kinds))


@st.cache_resource(show_spinner=False, max_entries=256)
def _table_html_shared(key: str, _df: pd.DataFrame, _kinds) -> str:
    """A small table's HTML, once per server for its columns, types, values and kinds (``key``)."""
    from views import display

    return display.table_html(_df, _kinds)


register_shared(_table_html_shared)
