"""
The store on PostGIS: backend choice, portable values, and many officers and app processes at once.

The CaseStore and ReviewStore suites themselves (tests/test_cases.py, tests/test_review.py) run on
both backends through the ``store_backend`` fixture of tests/conftest.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

import words
from geo import db
from geo.accounts import Account
from geo.cases import CaseError, CaseStore
from geo.review import ReviewStore

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2027, 6, 1, 4, 0, tzinfo=UTC)
OFFICERS = [f"员{n:02d}" for n in range(1, 21)]


def test_every_store_code_has_words():
    for code in db.DB_ERROR_CODES:
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code
    item = {"code": "db_url_unsupported", "scheme": "mysql"}
    assert words.render(item, "zh").startswith("数据库地址“mysql://…”不受支持")


def test_backend_is_chosen_by_the_setting(tmp_path, monkeypatch):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    assert db.database_url() is None
    assert CaseStore.in_workspace(tmp_path).path == tmp_path / "cases.sqlite"
    assert ReviewStore.in_workspace(tmp_path).path == tmp_path / "review.sqlite"
    monkeypatch.setenv(db.DATABASE_URL_ENV, "mysql://x@y/z")
    with pytest.raises(db.StoreError) as err:
        CaseStore.in_workspace(tmp_path)
    assert err.value.code == "db_url_unsupported"
    assert db.sqlalchemy_url("postgres://u:p@h:5/d") == "postgresql+psycopg://u:p@h:5/d"
    assert db.redacted("postgresql://u:secret@h:5/d") == "postgresql://u:***@h:5/d"


def test_unreachable_server_is_a_coded_error(tmp_path):
    with pytest.raises(db.StoreError) as err:
        CaseStore(f"postgresql://nobody@/gxland?host={tmp_path}&connect_timeout=1")
    assert err.value.code == "db_unreachable"
    assert "连接数据库" in words.render(err.value.item, "zh")


def test_a_database_without_postgis_is_named(pg_url):
    """The parcels need the extension: a database without it is refused with the statement to run."""
    import psycopg

    from geo.pgstore import PostgisParcels

    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("DROP DATABASE IF EXISTS gxland_plain")
        con.execute("CREATE DATABASE gxland_plain")
    try:
        plain = pg_url.replace("/gxland?", "/gxland_plain?")
        with pytest.raises(db.StoreError) as err:
            PostgisParcels(plain)
        assert err.value.code == "db_postgis_missing"
        assert words.render(err.value.item, "zh").endswith("未启用 PostGIS 扩展，请由数据库管理员执行 CREATE EXTENSION postgis;")
    finally:
        with psycopg.connect(pg_url, autocommit=True) as con:
            con.execute("DROP DATABASE IF EXISTS gxland_plain")


def test_workspace_stores_follow_the_url(pg_backend, tmp_path, monkeypatch):
    from geo.workspace import Workspace

    url = pg_backend.target("ws")
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    ws = Workspace(tmp_path / "ws")
    ws.case_store().record("P1", "investigation_notice", account=Account("张三", "reviewer"), event_date=date(2026, 1, 5), at=NOW)
    ws.review_store().record("P1", action="confirm", account=Account("张三", "reviewer"), at=NOW)
    # Another app process (another folder, the same URL) sees the same cases and decisions.
    other = Workspace(tmp_path / "elsewhere")
    assert other.case_store().parcels() == ["P1"] and other.case_store().location == url
    assert other.review_store().current().loc["P1", "decided_by"] == "张三"
    assert not (tmp_path / "ws" / "cases.sqlite").exists()


def test_values_read_back_alike_on_both_backends(store_backend):
    """Dates, moments (UTC text), amounts and bytes come back as the SQLite store always gave them."""
    s = CaseStore(store_backend.target("cases"))
    s.record("P1", "investigation_notice", account=Account("张三", "reviewer"), event_date=date(2026, 1, 5), doc_number="文1",
             attachment=b"\x00\xffpdf", attachment_name="回证.pdf", at=datetime(2026, 1, 5, 20, 30, tzinfo=UTC))
    log = s.log()
    row = log.iloc[0]
    assert row["recorded_at"] == "2026-01-05T20:30:00+00:00"
    assert row["event_date"] == pd.Timestamp("2026-01-05") and row["doc_date"] == pd.Timestamp("2026-01-05")
    assert pd.isna(row["until_date"]) and log["amount_wan"].dtype == float
    assert s.attachment(row["attachment_sha256"]) == b"\x00\xffpdf"
    assert s.revision() == 1
    r = ReviewStore(store_backend.target("review"))
    r.record("P1", action="dismiss", reason="已动工", account=Account("李四", "reviewer"), at=datetime(2026, 1, 1, 20, 30, tzinfo=UTC))
    assert r.current().loc["P1", "decided_at"] == "2026-01-01T20:30:00+00:00"


# --------------------------------------------------------------------------- many writers


def _officer_work(cases: CaseStore, review: ReviewStore, officer: str, n: int, start=None) -> dict:
    """One officer's morning: a try at closing the shared case, decisions on own parcels, a case each, notes."""
    if start is not None:
        start.wait()  # everyone closes the same case at the same moment: only one may
    try:
        cases.record("CLOSE", "closed", account=Account(officer, "reviewer"), event_date=date(2026, 4, 25), outcome="not_idle", at=NOW)
        closed = "ok"
    except CaseError as err:
        closed = err.code
    for i in range(n):
        pid = f"{officer}-{i}"
        review.record(pid, action="confirm", account=Account(officer, "reviewer"), computed_status="idle_fee", at=NOW)
        cases.record(pid, "investigation_notice", account=Account(officer, "reviewer"), event_date=date(2026, 1, 5), at=NOW)
        cases.record("SHARED", "note", account=Account(officer, "reviewer"), event_date=date(2026, 1, 7), note=f"{officer}/{i}", at=NOW)
    return {"officer": officer, "closed": closed}


def _check_complete(cases: CaseStore, review: ReviewStore, officers: list[str], n: int, closings: list[str]) -> None:
    rlog = review.log()
    assert len(rlog) == len(officers) * n, "review decisions lost"
    assert rlog["entry_id"].is_unique
    cur = review.current()
    owner = cur.index.str.rsplit("-", n=1).str[0]
    assert (cur["decided_by"] == owner).all(), "a decision under another officer"
    clog = cases.log()
    own = clog[~clog["parcel_id"].isin(["SHARED", "CLOSE"])]
    assert len(own) == len(officers) * n and (own["officer"] == own["parcel_id"].str.rsplit("-", n=1).str[0]).all()
    shared = clog[clog["parcel_id"] == "SHARED"]
    assert sorted(shared["note"]) == sorted(f"{o}/{i}" for o in officers for i in range(n))
    assert (shared["note"].str.split("/").str[0] == shared["officer"]).all()
    # The closing's rule held: exactly one officer closed the case, every other was refused.
    assert sorted(closings) == ["case_is_closed"] * (len(officers) - 1) + ["ok"]
    closed = clog[(clog["parcel_id"] == "CLOSE") & (clog["stage"] == "closed")]
    assert len(closed) == 1 and closed["officer"].iloc[0] in officers
    assert cases.revision() == len(clog) and clog["entry_id"].is_unique


def test_twenty_officers_at_once_lose_nothing(pg_backend):
    url = pg_backend.target("office")
    cases, review = CaseStore(url), ReviewStore(url)
    cases.record("CLOSE", "investigation_notice", account=Account("科长", "reviewer"), event_date=date(2026, 1, 5), at=NOW)
    start = threading.Barrier(len(OFFICERS))

    def work(officer):
        # each officer is a session of their own: own store objects, own connections
        return _officer_work(CaseStore(url), ReviewStore(url), officer, 5, start)

    with ThreadPoolExecutor(max_workers=len(OFFICERS)) as pool:
        results = list(pool.map(work, OFFICERS))
    _check_complete(cases, review, OFFICERS, 5, [r["closed"] for r in results])


_PROCESS = r"""
import json, sys, threading
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[1] + "/tests")
from geo.cases import CaseStore
from geo.review import ReviewStore
from test_store_pg import _officer_work
url, officers = sys.argv[2], sys.argv[3].split(",")
start = threading.Barrier(len(officers))
with ThreadPoolExecutor(max_workers=len(officers)) as pool:
    out = list(pool.map(lambda o: _officer_work(CaseStore(url), ReviewStore(url), o, 4, start), officers))
print(json.dumps(out))
"""


def test_four_app_processes_share_one_store(pg_backend):
    """Four app servers (OS processes), five officers each, on one PostGIS store."""
    url = pg_backend.target("servers")
    cases, review = CaseStore(url), ReviewStore(url)
    cases.record("CLOSE", "investigation_notice", account=Account("科长", "reviewer"), event_date=date(2026, 1, 5), at=NOW)
    groups = [OFFICERS[i::4] for i in range(4)]
    procs = [subprocess.Popen([sys.executable, "-c", _PROCESS, str(ROOT), url, ",".join(g)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for g in groups]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results += json.loads(out.strip().splitlines()[-1])
    assert sorted(r["officer"] for r in results) == sorted(OFFICERS)
    _check_complete(cases, review, OFFICERS, 4, [r["closed"] for r in results])


def test_accounts_and_sessions_are_shared_by_every_server(pg_backend, tmp_path, monkeypatch):
    """Two app servers (two workspace folders) on one PostGIS: one account list, one set of sessions."""
    from geo.accounts import AccessError, AccountStore

    url = pg_backend.target("accounts")
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    a = AccountStore.in_workspace(tmp_path / "server-a")
    b = AccountStore.in_workspace(tmp_path / "server-b")
    assert a.location == b.location == AccountStore(url).location
    first = a.add("huang", "officer", parks=["nanning"], password="Nanning-2026!")
    a.change_password("huang", first, "Nanning-2027!")
    acc = b.authenticate("huang", "Nanning-2027!")  # created on one server, logged in on the other
    assert acc.role == "officer" and acc.parks == ("nanning",)
    token = b.open_session(acc)
    assert a.resume_session(token).name == "huang"  # the session follows to any server
    a.close_session(token)
    assert b.resume_session(token) is None  # logging out ends it everywhere
    with pytest.raises(AccessError) as err:
        a.authenticate("huang", "wrong-password-1")
    assert err.value.code == "login_failed"
    events = b.events("huang")
    assert list(events["event"])[-1] == "login_failed"  # the failure was counted, not rolled back
    with pytest.raises(pg_backend.db_error, match="append-only"):
        pg_backend.execute(url, "DELETE FROM account_log")
    assert not (tmp_path / "server-a" / "accounts.sqlite").exists()
