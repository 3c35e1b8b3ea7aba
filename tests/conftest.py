"""Shared fixtures: the sample workspace, generated once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-25"
#: Passwords of the test accounts (the first is changed to the second at once, as at a first login).
TEST_PASSWORD = "初次密码-2026"
TEST_PASSWORD_CHANGED = "测试密码-2026"

# AppTest sessions run the app in this process, one workspace after another: no background
# preparer here (tests/test_prepare.py drives it directly); the browser tests' servers run it.
os.environ.setdefault("GXLAND_PREPARE_EVERY_S", "0")


def ensure_account(root, name: str = "测试员", role: str = "admin", parks=(), display_name=None):
    """
    An account of the workspace ``root`` whose first password was already changed (password
    :data:`TEST_PASSWORD_CHANGED`); created when absent. Returns the account.
    """
    from geo.accounts import AccountStore

    store = AccountStore.in_workspace(root)
    if store.get(name) is None:
        store.add(name, role, parks=parks, password=TEST_PASSWORD, display_name=display_name)
        store.change_password(name, TEST_PASSWORD, TEST_PASSWORD_CHANGED)
    return store.get(name)


def login_as(at, root, name: str = "测试员", role: str = "admin", parks=(), display_name=None):
    """Log an AppTest session in as an account of ``root`` (created when absent; admin by default)."""
    from datetime import UTC, datetime

    at.session_state["auth_account"] = ensure_account(root, name, role, parks, display_name)
    at.session_state["auth_seen"] = datetime.now(UTC)
    return at


@pytest.fixture(scope="session")
def sample_workspace(tmp_path_factory) -> Path:
    """A fresh sample workspace (5,000 parcels, seeded) in a temporary folder."""
    from geo import sample

    out = tmp_path_factory.mktemp("workspace")
    sample.write_sample(out)
    return out


@pytest.fixture
def app(sample_workspace, monkeypatch):
    """An AppTest of the whole app on the sample workspace, as of 2026-11-25, logged in as the admin 测试员."""
    from datetime import date

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    return login_as(at, sample_workspace)


def shown_tables(at) -> list:
    """
    Every table an AppTest run shows, as frames: ``st.dataframe``'s values (a Styler's data) and the
    short tables written as HTML (``views.display.table_html``: a card, a summary), whose cells are
    read as the officer reads them (text).
    """
    import lxml.html
    import pandas as pd

    frames = [getattr(d.value, "data", d.value) for d in at.dataframe]
    for h in at.get("html"):
        for table in lxml.html.fromstring(f"<div>{h.proto.body}</div>").iter("table"):
            head = [th.text_content().strip() for th in table.iter("th")]
            rows = [[td.text_content() for td in tr.findall("td")] for tr in table.iter("tr") if tr.findall("td")]
            frames.append(pd.DataFrame(rows, columns=head))
    return frames


def map_scripts(at) -> list[str]:
    """The scripts of the folium maps (streamlit-folium components) an AppTest run sent."""
    import json

    args = [json.loads(e.proto.json_args or "{}") for e in at.get("component_instance")]
    return [a["script"] for a in args if "script" in a]


@pytest.fixture
def rendered_maps(monkeypatch) -> list:
    """The folium maps ``views.mapview`` renders from now on (the park maps' cache emptied first)."""
    from layers.rendered import PARK_MAPS
    from views import mapview

    made: list = []
    render_map = mapview.render_map
    PARK_MAPS.clear()  # another test's run may have drawn the same map already
    monkeypatch.setattr(mapview, "render_map", lambda m: made.append(m) or render_map(m))
    return made


# --------------------------------------------------------------------------- PostgreSQL + PostGIS
#
# The store's tests run on both backends (``store_backend``). The PostGIS one needs a server: the
# database of GXLAND_TEST_DATABASE_URL when given, else a throwaway cluster that scripts/pg.sh starts
# once per test session (in a temp folder, on a unix socket) and stops at its end, also when the
# session fails or is interrupted. Without a server the PostGIS tests are skipped with the reason —
# except under ``make test`` (GXLAND_PG_REQUIRED=1) and in CI, where they fail.

PG_SCRIPT = ROOT / "scripts" / "pg.sh"


def _pg_required() -> bool:
    import os

    return os.environ.get("GXLAND_PG_REQUIRED") == "1" or os.environ.get("CI", "").lower() == "true"


def _pg_unavailable(why: str):
    if _pg_required():
        pytest.fail(f"PostgreSQL/PostGIS is required (GXLAND_PG_REQUIRED or CI) but unavailable: {why}",
                    pytrace=False)
    pytest.skip(f"PostgreSQL/PostGIS unavailable: {why}")


@pytest.fixture(scope="session")
def pg_url():
    """The URL of a PostGIS database for the session (its ``public`` schema holds the extension)."""
    import atexit
    import os
    import signal
    import subprocess
    import tempfile
    import threading

    given = os.environ.get("GXLAND_TEST_DATABASE_URL", "").strip()
    if given:
        yield given
        return
    folder = Path(tempfile.mkdtemp(prefix="gxland-pg-"))
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped:
            stopped = True
            subprocess.run([str(PG_SCRIPT), "stop", str(folder)], capture_output=True, timeout=120, check=False)

    # A SIGTERM (CI's timeout, a killed make) becomes an interrupt, which pytest tears down after;
    # atexit covers an exit that skips the teardown.
    atexit.register(stop)
    previous = None
    if threading.current_thread() is threading.main_thread():
        def on_term(signum, frame):
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, on_term)
    try:
        try:
            done = subprocess.run([str(PG_SCRIPT), "start", str(folder)], capture_output=True, text=True,
                                  timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            _pg_unavailable(f"{PG_SCRIPT.name}: {err}")
        if done.returncode != 0:
            _pg_unavailable(f"{PG_SCRIPT.name} start exited {done.returncode}: {done.stderr.strip()[-2000:]}")
        yield done.stdout.strip().splitlines()[-1]
    finally:
        stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _with_schema(url: str, schema: str) -> str:
    """``url`` whose connections work in ``schema`` (PostGIS's types stay visible from ``public``)."""
    from urllib.parse import quote

    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema},public', safe='')}"


class StoreBackend:
    """One backend of the store for a test: where its stores live and how to reach their tables raw."""

    def __init__(self, kind: str, tmp_path: Path, pg_url: str | None = None):
        self.kind = kind
        self.tmp_path = tmp_path
        self.pg_url = pg_url
        self.schemas: list[str] = []
        self.url: str | None = None  # the workspace's database, where ``workspace_backend`` set one
        if kind == "sqlite":
            import sqlite3

            self.db_error = sqlite3.DatabaseError
        else:
            import psycopg

            self.db_error = psycopg.Error

    def target(self, name: str = "store") -> str | Path:
        """A fresh store location named ``name``: a SQLite file, or a PostgreSQL schema of its own."""
        if self.kind == "sqlite":
            return self.tmp_path / "ws" / f"{name}.sqlite"
        import uuid

        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.pg_url, autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        return _with_schema(self.pg_url, schema)

    def execute(self, location, sql: str) -> None:
        """Run ``sql`` on a store's database directly (not through the store)."""
        if self.kind == "sqlite":
            import sqlite3

            con = sqlite3.connect(location)
            try:
                con.execute(sql)
            finally:
                con.close()
        else:
            import psycopg

            with psycopg.connect(str(location), autocommit=True) as con:
                con.execute(sql)

    def close(self) -> None:
        if self.kind != "sqlite" and self.schemas:
            import psycopg

            with psycopg.connect(self.pg_url, autocommit=True) as con:
                for schema in self.schemas:
                    con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            from geo.db import Database

            for schema in self.schemas:
                Database.forget(_with_schema(self.pg_url, schema))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_backend(request, tmp_path):
    """The store's backends, one after the other: the embedded SQLite files and PostGIS."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    backend = StoreBackend(request.param, tmp_path, url)
    yield backend
    backend.close()


@pytest.fixture
def pg_backend(pg_url, tmp_path):
    """The PostGIS backend alone (tests of what only a server does)."""
    backend = StoreBackend("postgresql", tmp_path, pg_url)
    yield backend
    backend.close()


@pytest.fixture
def workspace_backend(store_backend, monkeypatch):
    """
    The workspace's whole store on each backend, as the pages and the CLI choose it: the folder's
    files (``GXLAND_DATABASE_URL`` unset), or a fresh PostGIS schema named by ``GXLAND_DATABASE_URL``.
    The backend's ``url`` is that schema's URL (None for the embedded store).
    """
    from geo import db

    if store_backend.kind == "sqlite":
        monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    else:
        store_backend.url = store_backend.target("workspace")
        monkeypatch.setenv(db.DATABASE_URL_ENV, store_backend.url)
    return store_backend


@pytest.fixture
def embedded_store(monkeypatch):
    """The embedded store whatever the shell exports: ``GXLAND_DATABASE_URL`` unset (``workspace_backend``,
    requested after it, sets it again for PostGIS)."""
    from geo import db

    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)


@pytest.fixture
def small_sample(tmp_path, monkeypatch):
    """A fresh 400-parcel sample workspace, the app's workspace (a new folder: nothing of it is cached yet)."""
    from geo import sample

    root = tmp_path / "ws"
    sample.write_sample(root, n=400)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(root))
    monkeypatch.chdir(ROOT)
    return root
