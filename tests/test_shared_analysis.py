"""One shared analysis per server: sessions and pages read the workspace once, never change it, see new imports."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geo import io
from geo import workspace as w
from geo.accounts import Account
from geo.review import ReviewStore
from geo.workspace import Workspace
from tests.conftest import ROOT
from views import common

AS_OF = date(2026, 11, 25)
PAGES = ("views/overview.py", "views/idle.py", "views/intensity.py", "views/compare.py", "views/data.py")


@pytest.fixture
def counted(monkeypatch):
    """Calls of the workspace reader and of the idle analysis, however many sessions run."""
    calls = {"read": 0, "idle": 0}
    read, idle = w.read_stored, w.analyse_idle

    def read_counted(*args, **kwargs):
        calls["read"] += 1
        return read(*args, **kwargs)

    def idle_counted(*args, **kwargs):
        calls["idle"] += 1
        return idle(*args, **kwargs)

    monkeypatch.setattr(w, "read_stored", read_counted)
    monkeypatch.setattr(w, "analyse_idle", idle_counted)
    return calls


def _session(lang: str = "zh", as_of: date = AS_OF) -> AppTest:
    from tests.conftest import login_as

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["as_of"] = as_of
    at.session_state["lang"] = lang
    login_as(at, Path(os.environ["GXLAND_WORKSPACE"]))
    return at.run()


def _visit(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _fingerprint(gdf) -> tuple:
    """Columns, values and outlines of a frame: what a page must never change."""
    attrs = pd.util.hash_pandas_object(pd.DataFrame(gdf.drop(columns="geometry")).astype(str), index=True)
    outlines = hashlib.sha256(b"".join(shapely.to_wkb(np.asarray(gdf.geometry.array)))).hexdigest()
    return tuple(gdf.columns), int(attrs.sum()), outlines


def test_two_sessions_share_one_read_and_one_analysis(small_sample, counted):
    one, two = _session("zh"), _session("en")  # languages differ: words are never cached with the data
    for page in PAGES:
        _visit(one, page)
        _visit(two, page)
    assert counted["read"] == 1
    assert counted["idle"] == 1  # one as-of date, one cases revision: one analysis for both sessions
    key = common.data_key()
    shared = common._workspace_data(key)[0]
    assert shared is common._workspace_data(key)[0]
    assert len(shared) == 400 and set(w.DERIVED_COLUMNS) <= set(shared.columns)


def test_pages_never_change_the_shared_frames(small_sample):
    one, two = _session(), _session("en")
    _visit(one, "views/idle.py")
    key = common.data_key()
    parcels = common._workspace_data(key)[0]
    before = _fingerprint(parcels)
    store, review = Workspace(small_sample).case_store(), Workspace(small_sample).review_store()
    analysed = common._reviewed(key, AS_OF, str(store.path), store.revision(), str(review.path), review.revision())
    analysed_before = _fingerprint(analysed)
    for page in PAGES:
        _visit(one, page)
        _visit(two, page)
    assert _fingerprint(parcels) == before
    assert _fingerprint(analysed) == analysed_before


def test_a_decision_rejoins_the_review_without_reading_again(small_sample, counted):
    one, two = _session(), _session()
    _visit(one, "views/idle.py")
    _visit(two, "views/idle.py")
    pid = one.selectbox(key="idle_pick").value
    ReviewStore(small_sample / "review.sqlite").record(pid, action="confirm", account=Account("李四", "reviewer"))
    _visit(two, "views/idle.py")
    assert counted["read"] == 1 and counted["idle"] == 1
    key = common.data_key()
    store, review = Workspace(small_sample).case_store(), Workspace(small_sample).review_store()
    joined = common._reviewed(key, AS_OF, str(store.path), store.revision(), str(review.path), review.revision())
    assert joined.loc[joined["parcel_id"].astype(str) == pid, "decision"].eq("confirmed").all()


def test_a_new_import_is_seen_by_every_session(small_sample, counted):
    one, two = _session(), _session()
    _visit(one, "views/overview.py")
    _visit(two, "views/overview.py")
    assert counted["read"] == 1
    parks = io.read_parks()
    ws = Workspace(small_sample)
    fewer = w.read_stored(ws, parks).gdf.head(120)
    w.install(ws, fewer.drop(columns=list(w.DERIVED_COLUMNS)), "replace", account=Account("管理员", "admin"), parks=parks, source="new.gpkg")
    counted["read"] = 0
    # another session imported (no cache cleared here): the file's new stamp is a new key
    _visit(two, "views/idle.py")
    _visit(one, "views/overview.py")
    assert counted["read"] == 1
    assert len(common._workspace_data(common.data_key())[0]) == 120


def test_data_changed_clears_the_shared_caches(small_sample, counted, monkeypatch):
    from geo import intensity

    metrics = {"n": 0}
    real = intensity.parcel_metrics

    def metrics_counted(*args, **kwargs):
        metrics["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(intensity, "parcel_metrics", metrics_counted)
    one = _session()
    _visit(one, "views/overview.py")
    _visit(one, "views/intensity.py")
    assert counted["read"] == 1 and metrics["n"] == 1
    # the efficiency page's caches (views/analysis.py) are registered and cleared too
    assert "views.analysis.metrics" in common.SHARED_CACHES
    common.data_changed()
    _visit(one, "views/overview.py")
    _visit(one, "views/intensity.py")
    assert counted["read"] == 2 and counted["idle"] == 2 and metrics["n"] == 2


def test_a_filter_that_keeps_everything_hands_out_the_shared_frame_not_a_copy():
    from views.idle import filter_parcels

    df = pd.DataFrame({"park_id": ["a", "b", None], "idle_status": ["overdue", "idle_fee", "not_idle"]})
    assert filter_parcels(df, park_ids=["a", "b", ""]) is df
    picked = filter_parcels(df, park_ids=["a"])
    assert list(picked.index) == [0] and picked is not df


# --------------------------------------------------------------------------- the background preparer


@pytest.fixture
def counted_all(counted, monkeypatch):
    """:func:`counted` plus the efficiency page's metrics and grading."""
    from geo import evaluation, grading, intensity

    for name, module, fn in (("metrics", intensity, "parcel_metrics"), ("grade", grading, "grade"),
                             ("evaluate", evaluation, "evaluate_parks")):
        real = getattr(module, fn)
        counted[name] = 0

        def wrapped(*args, _real=real, _name=name, **kwargs):
            counted[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, fn, wrapped)
    return counted


def test_a_version_installed_elsewhere_is_prepared_before_anyone_opens_it(small_sample, counted_all):
    from views import analysis

    today = date.today()  # the preparer analyses as of today, as the sidebar opens
    # Per version: one read, one idle analysis, one grading, one evaluation; the parcels' metrics
    # twice (the efficiency page's, and the evaluation's own inside evaluate_parks).
    seen = analysis.poll_once(None)
    assert seen == (common.data_key(), today)
    assert counted_all == {"read": 1, "idle": 1, "metrics": 2, "grade": 1, "evaluate": 1}
    # The pages as they open find everything ready: nothing read or analysed again.
    one = _session(as_of=today)
    for page in ("views/idle.py", "views/intensity.py", "views/overview.py", "views/compare.py"):
        _visit(one, page)
    assert counted_all == {"read": 1, "idle": 1, "metrics": 2, "grade": 1, "evaluate": 1}
    # Nothing changed: the next look prepares nothing.
    assert analysis.poll_once(seen) == seen
    assert counted_all["read"] == 1
    # Another server (or the command line) installs a new version: the next look prepares it.
    parks = io.read_parks()
    ws = Workspace(small_sample)
    fewer = w.read_stored(ws, parks).gdf.head(150)
    w.install(ws, fewer.drop(columns=list(w.DERIVED_COLUMNS)), "replace", account=Account("管理员", "admin"),
              parks=parks, source="new.gpkg")
    counted_all["read"] = 0
    seen2 = analysis.poll_once(seen)
    assert seen2 != seen
    assert counted_all == {"read": 1, "idle": 2, "metrics": 4, "grade": 2, "evaluate": 2}
    two = _session(as_of=today)
    for page in ("views/idle.py", "views/intensity.py", "views/compare.py"):
        _visit(two, page)
        _visit(one, page)
    assert counted_all == {"read": 1, "idle": 2, "metrics": 4, "grade": 2, "evaluate": 2}
    assert len(common.workspace_parcels(common.data_key())) == 150


def test_a_version_that_fails_to_prepare_is_logged_and_not_tried_again(small_sample, monkeypatch, caplog):
    from views import analysis

    calls = []

    def broken(key, as_of):
        calls.append(key)
        raise ValueError("unreadable")

    monkeypatch.setattr(analysis, "prepare", broken)
    seen = analysis.poll_once(None)
    assert calls == [common.data_key()]
    assert "preparing the workspace's new version failed" in caplog.text
    assert analysis.poll_once(seen) == seen and len(calls) == 1


def test_the_preparer_is_turned_off_by_zero_and_a_bad_value_is_the_default(monkeypatch):
    from views import analysis

    monkeypatch.setenv(analysis.PREPARE_ENV, "0")
    assert analysis.prepare_every_s() == 0 and analysis.start_preparer() is False
    monkeypatch.setenv(analysis.PREPARE_ENV, "often")
    assert analysis.prepare_every_s() == analysis.DEFAULT_PREPARE_EVERY_S


def test_a_part_the_data_cannot_give_leaves_the_others_prepared(small_sample, counted, monkeypatch, caplog):
    from geo import evaluation
    from views import analysis

    def no_supply_dates(*args, **kwargs):
        raise evaluation.EvaluationError("eval_parcels_no_supply_date")

    monkeypatch.setattr(evaluation, "evaluate_parks", no_supply_dates)
    assert analysis.prepare(common.data_key(), date.today()) == ["evaluation"]
    assert counted == {"read": 1, "idle": 1}
    assert "preparing evaluation of the workspace's version failed" in caplog.text


def test_the_efficiency_pages_webgl_map_is_prepared_with_a_new_version(small_sample, monkeypatch):
    """Past the folium limit the first park's map is WebGL: its files are made by the preparer, not the visit."""
    from layers.rendered import MAPS
    from views import analysis, intensity

    monkeypatch.setenv("GXLAND_MAP_MAX_PARCELS", "5")  # the first park's parcels: a WebGL map
    MAPS.clear()
    before = MAPS.made
    analysis.poll_once(None)
    prepared = MAPS.made
    assert prepared > before
    assert analysis.prepare_efficiency_map(common.data_key()) > 5  # made already: nothing made again
    assert MAPS.made == prepared
    ordered = []
    real = intensity.card_ids
    monkeypatch.setattr(intensity, "card_ids", lambda view: ordered.append(1) or real(view))
    at = _session(as_of=date.today())  # the overview, whose map is its own
    prepared = MAPS.made
    _visit(at, "views/intensity.py")
    assert at.get("deck_gl_json_chart")  # drawn with WebGL
    assert MAPS.made == prepared  # the page drew the map the preparer made
    assert ordered == []  # and found the card's order ready
    # (the page does draw that map: forgotten, the visit makes it again)
    MAPS.clear()
    _visit(at, "views/overview.py")
    _visit(at, "views/intensity.py")
    assert MAPS.made > prepared


def test_the_efficiency_pages_canvas_data_are_prepared_with_a_new_version(small_sample, monkeypatch):
    """A park drawn on a canvas (layers/canvas.py): its parcels' data are made by the preparer, not the visit."""
    from layers import canvas
    from layers.rendered import MAPS
    from views import analysis

    monkeypatch.setenv("GXLAND_MAP_CANVAS_FROM", "1")  # the first park's parcels: one canvas
    canvas.DATA.clear()
    MAPS.clear()
    before = canvas.DATA.made
    analysis.poll_once(None)
    prepared = canvas.DATA.made
    assert prepared == before + 1
    assert analysis.prepare_efficiency_map(common.data_key()) > 1  # made already: nothing made again
    assert canvas.DATA.made == prepared
    at = _session(as_of=date.today())
    rendered = MAPS.made
    _visit(at, "views/intensity.py")
    assert not at.exception, [e.value for e in at.exception]
    assert MAPS.made == rendered + 1  # the page rendered its map ...
    assert canvas.DATA.made == prepared  # ... from the data the preparer made
    # (the page does use those data: forgotten, the visit makes them again)
    canvas.DATA.clear()
    MAPS.clear()
    _visit(at, "views/overview.py")
    _visit(at, "views/intensity.py")
    assert canvas.DATA.made > prepared


def test_a_folium_sized_park_prepares_no_webgl_map(small_sample):
    from views import analysis

    assert analysis.prepare_efficiency_map(common.data_key()) == 0


def test_the_preparer_warms_its_process_once():
    import sys

    from streamlit import delta_generator

    from views import analysis

    analysis.warm_process()
    assert "pandas.io.formats.style" in sys.modules and "streamlit.emojis" in sys.modules
    assert delta_generator._use_warning_has_been_displayed
