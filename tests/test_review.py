"""The review store: append-only log, current state, concurrent writers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pandas as pd
import pytest

from geo.accounts import Account
from geo.review import REVIEW_ERROR_CODES, ReviewError, ReviewStore, merge_disposal_status


@pytest.fixture
def store(store_backend):
    """A review store on each backend: the workspace's SQLite file, then PostGIS (tests/conftest.py)."""
    return ReviewStore(store_backend.target("review"))


def test_latest_decision_and_stage_win(store):
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    store.record("P1", action="confirm", account=Account("张三", "reviewer"), computed_status="idle_fee", at=t0)
    store.record("P1", action="stage", stage="fee_levied", account=Account("张三", "reviewer"))
    store.record("P1", action="dismiss", reason="已动工，现场核实", account=Account("李四", "reviewer"))
    store.record("P1", action="stage", stage="fee_paid", account=Account("李四", "reviewer"))
    store.record("P2", action="note", note="待现场核查", account=Account("王五", "reviewer"))
    cur = store.current()
    assert cur.loc["P1", "decision"] == "dismissed"
    assert cur.loc["P1", "decision_reason"] == "已动工，现场核实"
    assert cur.loc["P1", "decided_by"] == "李四"
    assert cur.loc["P1", "disposal_stage"] == "fee_paid"
    assert bool(cur.loc["P1", "disposal_finished"]) is True
    assert cur.loc["P1", "entries"] == 4
    assert pd.isna(cur.loc["P2", "decision"])
    assert bool(cur.loc["P2", "disposal_finished"]) is False
    log = store.log("P1")
    assert list(log["action"]) == ["confirm", "stage", "dismiss", "stage"]
    assert log.loc[0, "recorded_at"] == "2026-01-01T00:00:00+00:00"
    assert log.loc[0, "computed_status"] == "idle_fee"


def test_log_is_append_only(store, store_backend):
    store.record("P1", action="confirm", account=Account("a", "reviewer"))
    for sql in ("UPDATE review_log SET action='dismiss'", "DELETE FROM review_log"):
        with pytest.raises(store_backend.db_error, match="append-only"):
            store_backend.execute(store.location, sql)
    assert len(store.log()) == 1


@pytest.mark.parametrize(
    ("parcel", "kwargs", "code", "params"),
    [
        ("P1", {"action": "dismiss", "account": Account("a", "reviewer")}, "review_dismissal_needs_reason", {}),
        ("P1", {"action": "dismiss", "account": Account("a", "reviewer"), "reason": "  "}, "review_dismissal_needs_reason", {}),
        ("P1", {"action": "stage", "account": Account("a", "reviewer"), "stage": "paid?"}, "review_stage_unknown", {"value": "paid?"}),
        ("P1", {"action": "bless", "account": Account("a", "reviewer")}, "review_action_unknown", {"value": "bless"}),
        (" ", {"action": "confirm", "account": Account("a", "reviewer")}, "review_parcel_missing", {}),
    ],
)
def test_refuses_incomplete_decisions(store, parcel, kwargs, code, params):
    with pytest.raises(ReviewError) as err:
        store.record(parcel, **kwargs)
    assert err.value.code == code and err.value.code in REVIEW_ERROR_CODES
    assert err.value.params == params
    assert err.value.item == {"code": code, **params}
    assert store.log().empty


def test_survives_reopen(tmp_path):
    path = tmp_path / "review.sqlite"
    ReviewStore(path).record("P9", action="confirm", account=Account("a", "reviewer"))
    assert ReviewStore(path).current().loc["P9", "decision"] == "confirmed"


def test_two_writers_lose_nothing(tmp_path):
    path = tmp_path / "review.sqlite"
    a, b = ReviewStore(path), ReviewStore(path)

    def write(args):
        store, i = args
        return store.record(f"P{i % 7}", action="note", note=str(i), account=Account("u", "reviewer"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(write, [((a, b)[i % 2], i) for i in range(200)]))
    assert len(set(ids)) == 200
    assert sorted(a.log()["note"].astype(int)) == list(range(200))


def test_merge_disposal_status_prefers_store(store):
    store.record("P1", action="stage", stage="recovered", account=Account("a", "reviewer"))
    parcels = pd.DataFrame({"parcel_id": ["P1", "P2", "P3"], "disposal_status": [None, "fee_paid", None]})
    merged = merge_disposal_status(parcels, store.current())
    assert merged.tolist()[:2] == ["recovered", "fee_paid"]
    assert pd.isna(merged.iloc[2])


def test_times_are_stored_in_utc_and_shown_in_beijing_time(store):
    from words.review import beijing_time

    store.record("P1", action="confirm", account=Account("a", "reviewer"), at=datetime(2026, 1, 1, 20, 30, tzinfo=UTC))
    cur = store.current()
    assert cur.loc["P1", "decided_at"] == "2026-01-01T20:30:00+00:00"
    shown = beijing_time(pd.Series([cur.loc["P1", "decided_at"], None]))
    assert shown.tolist() == ["2026-01-02 04:30", "—"]
