"""
The efficiency page's shared analysis, and this server's preparing of each new version in the
background.

Pages are scripts Streamlit runs as ``__main__``: a cache defined in a page is filled by that page
only (``st.cache_resource`` keys a function by its module). The efficiency page's and the park
comparison's caches live here, with the workspace's and the idle page's in :mod:`views.common` and
the case register in :mod:`views.cases`, so that :func:`prepare` can fill them all for a version
before anyone asks.

:func:`start_preparer` (called as the server process starts, by ``scripts/serve.py``, and by
``app.py`` for a server started otherwise) starts one thread per server process that looks at the
workspace's version every ``GXLAND_PREPARE_EVERY_S`` seconds (default 5; 0 turns it off). When the
version or the day changes — an import or a restore on another server or from the command line, new
parks — it reads the new version and analyses it as the pages open by default (as of today, no
what-if, the shipped grading settings), so that the first officer to open a page after an import
finds it ready. The server that runs an import prepares before the admin's page returns
(``views/data.py``). Like every shared frame, these are read-only to the pages.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Mapping
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from geo import evaluation as evaluation_mod
from geo import grading, intensity, workspace
from views import common, runlog

log = logging.getLogger(__name__)

#: Seconds between two looks at the workspace's version; 0 (or less) turns the preparer off.
PREPARE_ENV = "GXLAND_PREPARE_EVERY_S"
DEFAULT_PREPARE_EVERY_S = 5.0

#: Session keys of the efficiency page's grading widgets (weights, cut-offs in %, grouping).
SS_WEIGHT = "int_w_"
SS_CUT = "int_cut_"
SS_GROUP = "int_group"


# --------------------------------------------------------------------------- the efficiency page's caches
#
# Keyed by the workspace's version and the account's scope (``(common.data_key(), auth.scope_key())``);
# the what-if steps and grading settings are few per day.


@st.cache_resource(show_spinner=False, max_entries=2)
def metrics(key: tuple, _gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    return intensity.parcel_metrics(_gdf)


@st.cache_resource(show_spinner=False, max_entries=16)
def compliance(
    key: tuple,
    min_far: float | None,
    min_coef: float | None,
    _gdf: gpd.GeoDataFrame,
    _parks: gpd.GeoDataFrame,
    _m: pd.DataFrame,
) -> pd.DataFrame:
    return intensity.check_compliance(
        _gdf, parks=_parks, min_far_override=min_far, min_building_coef_override=min_coef, metrics=_m
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def grades(key: tuple, group: str, settings_json: str, _gdf) -> pd.DataFrame:
    return grading.grade(_gdf, group=group, settings=json.loads(settings_json))


@st.cache_resource(show_spinner=False, max_entries=8)
def joined(key: tuple, min_far: float | None, min_coef: float | None, group: str, settings_json: str,
           _gdf, _m, _scen, _grades_frame) -> gpd.GeoDataFrame:
    """:func:`geo.intensity.join_results` once per (version, what-if, grading settings), not per rerun."""
    return join_results(_gdf, _m, _scen, _grades_frame)


@st.cache_resource(show_spinner=False, max_entries=2)
def park_keys(key: tuple, _gdf) -> pd.Series:
    return park_key(_gdf)


@st.cache_resource(show_spinner=False, max_entries=16)
def park_rows(key: tuple, park: str, _result: gpd.GeoDataFrame, _park_keys: pd.Series) -> gpd.GeoDataFrame:
    """
    The rows of ``_result`` in ``park`` (``key``: :func:`joined`'s arguments), once per park and
    what-if, not per rerun: every column of a park's parcels was copied again on every slider step.
    """
    return _result[(_park_keys == park).to_numpy()]


@st.cache_resource(show_spinner=False, max_entries=16)
def card_order(key: tuple, _view: pd.DataFrame) -> list[str]:
    """The card's parcel ids in order (``views.intensity.card_ids``) of a cached view (``key``: its keys)."""
    from views.intensity import card_ids

    return card_ids(_view)


@st.cache_resource(show_spinner=False, max_entries=16)
def totals(key: tuple, lang: str, names: tuple, _result: gpd.GeoDataFrame) -> pd.DataFrame:
    """The per-park totals (``views.intensity.totals_table``) once per what-if and language (``key``: :func:`joined`'s)."""
    from views.intensity import totals_table

    return totals_table(_result, dict(names))


@st.cache_resource(show_spinner=False, max_entries=16)
def id_positions(key: tuple, _view: pd.DataFrame) -> dict[str, int]:
    """Parcel id → row of a cached view (``key``: its keys): the card's and the outline's row without a scan."""
    ids = _view["parcel_id"].astype(str).to_numpy()
    # the first row of an id, as a scan for it finds
    return {pid: i for i, pid in reversed(list(enumerate(ids)))}


@st.cache_resource(show_spinner=False, max_entries=16)
def park_mask(key: tuple, park: str, _park_keys: pd.Series) -> np.ndarray:
    """Which parcels are in ``park`` (positions), once per version and park."""
    mask = (_park_keys == park).to_numpy()
    mask.flags.writeable = False  # shared by every session
    return mask


@st.cache_resource(show_spinner=False, max_entries=16)
def base_classes(key: tuple, park: str, _base: pd.DataFrame, _park_keys: pd.Series) -> pd.Series:
    """The FAR classes without a what-if (:func:`compliance_class`) of a park's parcels, once per version and park."""
    return compliance_class(_base[park_mask(key, park, _park_keys)])


@st.cache_resource(show_spinner=False, max_entries=64)
def counts(key: tuple, min_far: float | None, min_coef: float | None, park: str | None, _comp: pd.DataFrame,
           _mask) -> tuple[int, float]:
    """
    ``views.intensity.whatif_counts`` of a cached compliance frame (``key`` and the what-if name it)
    over one park (``_mask``: its positions) or all (``park`` None), once per what-if.
    """
    from views.intensity import whatif_counts

    return whatif_counts(_comp, None, _mask)


@st.cache_resource(show_spinner=False, max_entries=32)
def listing(key: tuple, which: str, _make) -> pd.DataFrame:
    """A listing of a cached view (``key``: its keys; ``which``: which rows), made by ``_make()`` once."""
    return _make()


common.register_shared(metrics, compliance, grades, joined, park_keys, park_rows, card_order, totals, id_positions,
                       park_mask, base_classes, counts, listing)


def efficiency_webgl_key(view: gpd.GeoDataFrame, code_col: str, colors: Mapping[str, str], labels: Mapping[str, str],
                         title: str, lg: str, version: tuple) -> tuple:
    """
    The key of the efficiency page's WebGL map of ``view`` (more parcels than folium draws):
    everything it is made of — the drawn classes of the view's rows (``version``: the workspace's
    version and the account's scope, whose rows ``view`` is a selection of), their colours and
    legend words, the language. :func:`prepare_efficiency_map` makes the map under the same key.
    """
    from layers.rendered import frame_key
    from layers.webgl import POINTS_BELOW_PX

    return ("intensity", frame_key(view, [code_col], rows_of=version), lg, title, tuple(colors.items()),
            tuple(labels.items()), POINTS_BELOW_PX)


def efficiency_webgl(view: gpd.GeoDataFrame, code_col: str, colors: Mapping[str, str], labels: Mapping[str, str],
                     title: str, lg: str):
    """The efficiency page's WebGL map of ``view`` (``layers.webgl.webgl_parcels``)."""
    from layers.webgl import POINTS_BELOW_PX, webgl_parcels

    # Parcels smaller than a couple of pixels at the first view are drawn as points: their
    # outlines are what software WebGL spends its time on, and show nothing at that zoom.
    return webgl_parcels(view, color_col=code_col, colors=dict(colors), labels=dict(labels), legend_title=title,
                         lang=lg, points_below_px=POINTS_BELOW_PX)

#: Park key of parcels outside every park.
OUTSIDE = ""


def park_key(df: pd.DataFrame) -> pd.Series:
    """``park_id`` as text, ``""`` for parcels outside every park."""
    if "park_id" not in df.columns:
        return pd.Series(OUTSIDE, index=df.index, dtype=object)
    return df["park_id"].astype("string").str.strip().fillna(OUTSIDE).astype(object)


def compliance_class(comp: pd.DataFrame) -> pd.Series:
    """
    Map class of each parcel from ``check_compliance`` output.

    ``not_checked`` (land use not checked) ← ``far_below`` (FAR evaluated and
    failed) ← ``other_failed`` (inefficient for another binding rule) ←
    ``compliant`` (FAR passes, no binding failure) ← ``no_data`` (checked, FAR
    not evaluated, nothing else failed), first match wins.
    """
    checked = comp["checked"].astype(bool).to_numpy()
    far_ok = comp["far_ok"].astype("boolean")
    far_fail = far_ok.eq(False).fillna(False).to_numpy(dtype=bool)
    far_pass = far_ok.eq(True).fillna(False).to_numpy(dtype=bool)
    ineff = comp["inefficient"].astype(bool).to_numpy()
    cls = np.select(
        [~checked, far_fail, ineff, far_pass],
        ["not_checked", "far_below", "other_failed", "compliant"],
        default="no_data",
    )
    return pd.Series(cls, index=comp.index, dtype=object)


def grade_code(grades: pd.DataFrame) -> pd.Series:
    """``grade_class`` with ungraded parcels as ``"ungraded"``."""
    return grades["grade_class"].astype(object).where(grades["grade_class"].notna(), "ungraded")


def join_results(
    gdf: gpd.GeoDataFrame, metrics: pd.DataFrame, comp: pd.DataFrame, grades: pd.DataFrame
) -> gpd.GeoDataFrame:
    """
    Parcels with metrics, compliance and grades side by side (computed columns replace
    same-named inputs), plus the map classes ``int_far_class`` and ``int_grade_code``.
    """
    grade_cols = [c for c in grades.columns if c not in metrics.columns]
    added = [*metrics.columns, *comp.columns, *grade_cols]
    base = gdf.drop(columns=[c for c in added if c in gdf.columns])
    out = pd.concat([base, metrics, comp, grades[grade_cols]], axis=1)
    result = gpd.GeoDataFrame(out, geometry=gdf.geometry.name, crs=gdf.crs)
    result["int_far_class"] = compliance_class(comp)
    result["int_grade_code"] = grade_code(grades)
    return result


def default_grading_state() -> dict:
    """Session values of the grading widgets for the shipped defaults (cut-offs in %)."""
    d = grading.load_grading_settings()
    state = {SS_WEIGHT + k: float(d["weights"].get(k, 0.0)) for k in grading.INDICATORS}
    state |= {SS_CUT + c: round(float(d["cutoffs"][c]) * 100, 6) for c in "ABC"}
    state[SS_GROUP] = "park"
    return state


def grading_override(state: Mapping) -> dict:
    """The ``grade(settings=...)`` override from the widget values (cut-offs % → fractions)."""
    return {
        "weights": {k: float(state[SS_WEIGHT + k]) for k in grading.INDICATORS},
        "cutoffs": {c: float(state[SS_CUT + c]) / 100.0 for c in "ABC"},
    }


def settings_json(state: Mapping) -> str:
    """The grading settings of the widget values as the caches' key."""
    return json.dumps(grading_override(state), sort_keys=True)


# --------------------------------------------------------------------------- the park comparison's cache


@st.cache_resource(show_spinner=False, max_entries=4)
def evaluation(key: tuple, as_of_iso: str, settings_json: str, review_path: str, review_revision: int,
              cases_path: str, cases_revision: int, scope: tuple = ()) -> evaluation_mod.Evaluation:
    """
    Held once per server, shared by every session (read-only): per workspace version, as-of date,
    settings, the review and case stores' revisions and the account's parks (``scope``; empty for
    every park). Same input as `python -m geo evaluate --review --cases`: parcels as read, review
    store joined, cases.
    """
    from geo.cases import CaseStore
    from geo.review import ReviewStore

    gdf = common.workspace_parcels(key)
    if scope:  # an officer's evaluation holds its own parks' parcels only
        gdf = gdf[gdf["park_id"].astype("string").isin(list(scope)).fillna(False).to_numpy(dtype=bool)]
    parcels = workspace.join_review(gdf, ReviewStore(review_path).current())
    settings = json.loads(settings_json) if settings_json else None
    cases = CaseStore(cases_path) if cases_path else None
    return evaluation_mod.evaluate_parks(common.parks(), parcels, as_of=as_of_iso, settings=settings, cases=cases)


common.register_shared(evaluation)


# --------------------------------------------------------------------------- preparing


def prepare(key: tuple, as_of: date) -> list[str]:
    """
    Fill the shared caches for version ``key`` of the workspace as the pages open by default: the
    parcels read, the idle analysis and review join and the case register as of ``as_of``, the
    efficiency page without a what-if and with the shipped grading settings, the parks' evaluation
    with the shipped settings (an unscoped account's; a park officer's parcels are a filter of
    these, made at the first visit).

    Each part on its own: a part the data cannot give (e.g. an evaluation of parcels without supply
    dates) is logged and left to its page, which says why in words when opened; the others are
    prepared all the same. Returns the names of the parts that failed.
    """
    from views import cases

    def parcels():
        common.workspace_parcels(key)

    def efficiency():
        gdf = common.workspace_parcels(key)
        k = (key, "")  # auth.scope_key() of an unscoped account
        park_keys(k, gdf)
        m = metrics(k, gdf)
        base = compliance(k, None, None, gdf, common.parks(), m)
        state = default_grading_state()
        sj = settings_json(state)
        joined(k, None, None, state[SS_GROUP], sj, gdf, m, base, grades(k, state[SS_GROUP], sj, gdf))

    def parks_evaluation():
        ws = common.current_workspace()
        review, store = ws.review_store(), ws.case_store()
        evaluation(key, as_of.isoformat(), "", review.location, review.revision(), store.location,
                   store.revision(), ())

    failed = []
    for name, part in (("process", warm_process), ("parcels", parcels), ("idle", lambda: common.prepare_idle(key, as_of)),
                       ("idle map", lambda: prepare_idle_map(key, as_of)),
                       ("register", lambda: cases.prepare_register(key, as_of)), ("efficiency", efficiency),
                       ("efficiency map", lambda: prepare_efficiency_map(key)), ("evaluation", parks_evaluation)):
        try:
            part()
        except Exception:  # the page shows it in words when opened
            log.warning("preparing %s of the workspace's version failed", name, exc_info=True)
            failed.append(name)
    return failed


_warmed = False


def warm_process() -> None:
    """
    Once per server process, what the first page run in it would pay whatever the version (each
    process serves sessions of its own; ~0.6–1 s of a first visit on a busy machine): pandas'
    Styler module (``views.display.styled``, imported on first use), Streamlit's emoji table (its
    one regular expression of every emoji, compiled on import when ``app.py`` sets the page icon)
    and Streamlit's look, on the first element a process draws, at whether it runs in a REPL
    (``inspect.stack()`` reading the source of every frame of the run). Here that look finds the
    server running and says nothing.
    """
    global _warmed
    if _warmed:
        return
    import pandas.io.formats.style  # noqa: F401
    import streamlit.emojis  # noqa: F401
    from streamlit import delta_generator

    check = getattr(delta_generator, "_maybe_print_use_warning", None)
    if check is not None:
        check()
    _warmed = True


def prepare_idle_map(key: tuple, as_of: date) -> None:
    """
    The idle page's map as it opens by default (an unscoped account, Chinese): the first park's
    flagged parcels as the file the map loads (``views.idle.prepare_default_map``); the map
    itself is drawn without parcels and does not change with a version.
    """
    from views import idle

    ws = common.current_workspace()
    store, review = ws.case_store(), ws.review_store()
    # the shared analysis common.idle_parcels() hands the page (prepared just before)
    analysed = common._reviewed(key, as_of, store.location, store.revision(), review.location, review.revision())
    idle.prepare_default_map(analysed, common.parks(), (key, ""), "zh")


def prepare_efficiency_map(key: tuple, lg: str = "zh") -> int:
    """
    The efficiency page's map as it opens by default (an unscoped account, Chinese, the first park,
    coloured by FAR compliance, no what-if, the shipped grading settings): drawn with WebGL, its
    parcel files made ahead (``views.mapview.webgl_map`` finds them under
    :func:`efficiency_webgl_key`); drawn on a canvas, its parcels' data (``layers.canvas.DATA``,
    ``views.intensity.map_data_key``). How many parcels; 0 when the park's few parcels are drawn
    as they are.
    """
    import words
    from layers.rendered import MAPS
    from views import mapview
    from views.intensity import COMPLIANCE_CLASSES, COMPLIANCE_COLORS

    gdf = common.workspace_parcels(key)
    k = (key, "")  # auth.scope_key() of an unscoped account
    pk = park_keys(k, gdf)
    present = set(pd.unique(pk))
    options = [p for p in common.parks()["park_id"].astype(str) if p in present]
    if OUTSIDE in present:
        options.append(OUTSIDE)
    if not options:
        return 0
    state = default_grading_state()
    sj = settings_json(state)
    m = metrics(k, gdf)
    base = compliance(k, None, None, gdf, common.parks(), m)
    result = joined(k, None, None, state[SS_GROUP], sj, gdf, m, base, grades(k, state[SS_GROUP], sj, gdf))
    joined_key = (k, None, None, state[SS_GROUP], sj)
    view = park_rows(joined_key, options[0], result, pk)
    card_order((joined_key, options[0]), view)  # the card's parcels in order, as the page keys them
    if len(view) <= mapview.folium_limit():
        if len(view) < mapview.canvas_from():
            return 0  # a few parcels: the page draws them at once
        # The parcels' canvas data (layers.canvas.DATA), under the name the page gives them: its
        # map is then rendered from them (~0.6 s of a first visit at 70,000 parcels, mostly making
        # them). The map itself is left to the page: streamlit_folium registers its component only
        # when first imported inside a script run, and this thread has none.
        from views.intensity import map_data_key, parcels_map

        park = options[0]
        drawn = base_classes(k, park, base, pk).reindex(view.index)
        parcels_map(view, drawn, "far", lg, parks=common.parks().iloc[:0], limit=mapview.folium_limit(),
                    canvas_from=mapview.canvas_from(), data_key=map_data_key((k, park, "far"), lg))
        return len(view)
    code_col = "int_far_class"
    labels = {c: words.label("compliance_class", c, lg) for c in COMPLIANCE_CLASSES}
    title = words.label("ui", "int_legend_far", lg)
    MAPS.get(("webgl", efficiency_webgl_key(view, code_col, COMPLIANCE_COLORS, labels, title, lg, k)),
             lambda: efficiency_webgl(view, code_col, COMPLIANCE_COLORS, labels, title, lg))
    return len(view)


def prepare_every_s() -> float:
    """``GXLAND_PREPARE_EVERY_S`` (seconds); a value that is not a number is the default."""
    try:
        return float(os.environ.get(PREPARE_ENV, DEFAULT_PREPARE_EVERY_S))
    except ValueError:
        return DEFAULT_PREPARE_EVERY_S


def poll_once(last: tuple | None) -> tuple | None:
    """
    One look at the workspace: when its version or the day changed since ``last``, prepare it.
    Returns what was looked at (the next call's ``last``). A version that fails to read or analyse
    is logged and not tried again until it changes (a page shows the officer why).
    """
    seen = (common.data_key(), date.today())
    if seen != last and seen[0] is not None:
        t0, start_ms = time.perf_counter(), time.time() * 1000
        try:
            failed = prepare(*seen)
        except Exception:  # the server goes on; the page that opens it shows the error in words
            log.exception("preparing the workspace's new version failed")
        else:
            log.info("prepared the workspace's version in %.1f s%s", time.perf_counter() - t0,
                     f" (not: {', '.join(failed)})" if failed else "")
            runlog.record_prepared(start_ms, time.perf_counter() - t0, failed)
    return seen


_started = False
_start_lock = threading.Lock()


def start_preparer() -> bool:
    """Start this process's preparer thread once (no-op when already started or turned off); started?"""
    global _started
    every = prepare_every_s()
    if every <= 0:
        return False
    with _start_lock:
        if _started:
            return False
        _started = True

    def loop() -> None:
        # Started with the server process (scripts/serve.py) before Streamlit's runtime exists: the
        # data caches belong to the runtime, so wait for it.
        from streamlit.runtime import Runtime

        while not Runtime.exists():
            time.sleep(0.2)
        last = None
        while True:
            try:
                last = poll_once(last)
            except Exception:  # e.g. the store unreachable for a moment: look again later
                log.exception("looking at the workspace's version failed")
            time.sleep(every)

    threading.Thread(target=loop, name="gxland-prepare", daemon=True).start()
    return True
