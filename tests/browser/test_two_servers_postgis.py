"""
Two app servers on one PostGIS store (issue 13): each with its own EMPTY workspace folder, both with
GXLAND_DATABASE_URL naming one schema that holds the migrated sample. A park officer of 南宁 works on server
A, one of 桂林 on server B, each in its own browser context: each sees only its parks; the decision each
records appears, after a reload, for the section chief on the OTHER server under the account that recorded
it; the chief's login, made on server A, is accepted by server B (sessions live in the store).
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import date
from pathlib import Path

import pytest
from conftest import (
    REPO_ROOT,
    account_shown,
    login_form,
    open_panel,
    require_chromium,
    run_streamlit,
    wait_for_app,
)

from geo import db, migrate, sample
from geo import io as gio
from geo import workspace as w
from geo.accounts import INITIAL_PASSWORD_FILE, AccountStore, initial_account
from geo.review import ReviewStore
from tests.conftest import TEST_PASSWORD_CHANGED, _with_schema, ensure_account

pytestmark = pytest.mark.browser

EXCEPTION = "[data-testid='stException']"
SELECTBOX_HOLDS = """
id => [...document.querySelectorAll("[data-testid='stSelectbox'] input")].some(e => e.value === id)
"""
NANNING_OFFICER = "南宁经办"  # park officer of 南宁, on server A
GUILIN_OFFICER = "桂林经办"  # park officer of 桂林, on server B
CHIEF = "南桂科长"  # section chief of 南宁 and 桂林: logs in on A, reads on B and A
SCOPE = {NANNING_OFFICER: "南宁高新技术产业开发区", GUILIN_OFFICER: "桂林高新技术产业开发区"}
CACHE_DIRS = {".cache", ".postgis-cache"}


@pytest.fixture(scope="module")
def store(pg_url, tmp_path_factory):
    """(database URL, the sample's folder): a small sample migrated into a fresh schema, the accounts in it."""
    import psycopg

    src = tmp_path_factory.mktemp("two_servers_sample")
    sample.write_sample(src, n=800)
    schema = f"servers_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    url = _with_schema(pg_url, schema)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.delenv(db.DATABASE_URL_ENV, raising=False)
            migrate.migrate(src, url)
            # the accounts are the store's: made through GXLAND_DATABASE_URL, not in any folder
            mp.setenv(db.DATABASE_URL_ENV, url)
            nowhere = tmp_path_factory.mktemp("no_folder")
            ensure_account(nowhere, NANNING_OFFICER, "officer", ["nanning"])
            ensure_account(nowhere, GUILIN_OFFICER, "officer", ["guilin"])
            ensure_account(nowhere, CHIEF, "reviewer", ["nanning", "guilin"])
            assert not list(nowhere.iterdir())
        yield url, src
    finally:
        db.Database.forget(url)
        with psycopg.connect(pg_url, autocommit=True) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(scope="module")
def servers(store, tmp_path_factory):
    """Base URLs and folders of the two servers (``streamlit run app.py`` each, started at once)."""
    require_chromium()
    from layers.assets import missing_assets

    if missing_assets():
        pytest.fail("vendored map assets missing: run `python scripts/fetch_assets.py`", pytrace=False)
    url, _ = store
    folders = [tmp_path_factory.mktemp(f"server_{n}") for n in "ab"]
    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(run_streamlit(REPO_ROOT / "app.py", cwd=REPO_ROOT, env={
            "GXLAND_WORKSPACE": str(folder), db.DATABASE_URL_ENV: url})) for folder in folders]
        yield list(zip(bases, folders, strict=True))


def _pick(src: Path) -> dict[str, str]:
    """Parcel numbers of the sample (read from its folder): a suspected idle one of 南宁 and of 桂林 each."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(db.DATABASE_URL_ENV, raising=False)
        ws = w.Workspace(src)
        gdf = gio.read_parcels(ws.parcels_path, parks=gio.read_parks(REPO_ROOT / "data" / "parks.geojson")).gdf
        parcels = w.analyse_idle(gdf, as_of=date.today(), cases=ws.case_store())
    once = parcels["parcel_id"].notna() & ~parcels["parcel_id"].duplicated(keep=False)
    suspected = once & (parcels["idle_status"] == "idle_suspected")
    return {park: str(parcels.loc[suspected & (parcels["park_id"] == park), "parcel_id"].iloc[0])
            for park in ("nanning", "guilin")}


def _find(page, pid: str) -> None:
    box = page.get_by_role("textbox", name="按宗地编号查找（全部园区）")
    box.fill(pid)
    box.press("Enter")
    page.wait_for_timeout(500)
    wait_for_app(page)


def _confirm(page, base: str, pid: str, note: str) -> None:
    page.goto(f"{base}/idle?parcel={pid}")
    wait_for_app(page)
    page.wait_for_function(SELECTBOX_HOLDS, arg=pid, timeout=30_000)
    open_panel(page, "记录核查意见")  # the review form is drawn when its panel is opened
    page.get_by_text("确认闲置", exact=True).first.click()
    page.get_by_role("textbox", name="备注").fill(note)
    page.get_by_role("button", name="记录", exact=True).click()
    page.get_by_text("已记录。").wait_for(timeout=30_000)


def _decision_seen(page, base: str, pid: str) -> str:
    page.goto(f"{base}/idle?parcel={pid}")
    page.reload()
    wait_for_app(page)
    page.wait_for_function(SELECTBOX_HOLDS, arg=pid, timeout=30_000)
    decision = page.get_by_text("当前结论：已确认闲置", exact=False)
    decision.wait_for(timeout=30_000)
    assert page.locator(EXCEPTION).count() == 0
    return decision.inner_text()


def test_two_servers_share_accounts_sessions_and_decisions(browser, store, servers):
    url, src = store
    (a, folder_a), (b, folder_b) = servers
    pid = _pick(src)
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(3)]
    try:
        nanning, guilin, chief = (c.new_page() for c in contexts)
        # each officer logs in on its server (the password checked against the store) and sees its park only
        for page, base, name in ((nanning, a, NANNING_OFFICER), (guilin, b, GUILIN_OFFICER)):
            login_form(page, base, name, TEST_PASSWORD_CHANGED)
            page.goto(base + "/idle")
            wait_for_app(page)
            assert page.locator(EXCEPTION).count() == 0
            assert page.get_by_text(f"负责园区：{SCOPE[name]}", exact=True).count() == 1
            assert account_shown(page).startswith(name)
        _find(nanning, pid["guilin"])
        nanning.get_by_text(f"未找到宗地编号“{pid['guilin']}”", exact=False).wait_for(timeout=30_000)
        _find(guilin, pid["nanning"])
        guilin.get_by_text(f"未找到宗地编号“{pid['nanning']}”", exact=False).wait_for(timeout=30_000)

        # each records a decision on a parcel of its park, on its own server
        _confirm(nanning, a, pid["nanning"], f"南宁现场核查 {pid['nanning']}")
        _confirm(guilin, b, pid["guilin"], f"桂林现场核查 {pid['guilin']}")

        # the chief logs in on server A; the session cookie (sent to every port of 127.0.0.1) opens server B
        login_form(chief, a, CHIEF, TEST_PASSWORD_CHANGED)
        token = next(c["value"] for c in contexts[2].cookies() if c["name"] == "gxland_session")
        assert AccountStore(url).resume_session(token).name == CHIEF  # server A kept it in the database
        text = _decision_seen(chief, b, pid["nanning"])  # recorded on A, read on B
        assert NANNING_OFFICER in text and CHIEF not in text and GUILIN_OFFICER not in text
        assert account_shown(chief).startswith(CHIEF)  # not the login page
        text = _decision_seen(chief, a, pid["guilin"])  # recorded on B, read on A
        assert GUILIN_OFFICER in text and CHIEF not in text and NANNING_OFFICER not in text
    finally:
        for c in contexts:
            c.close()
    # in the store, under each officer's account and role; neither server kept a store in its folder
    for park, name in (("nanning", NANNING_OFFICER), ("guilin", GUILIN_OFFICER)):
        log = ReviewStore(url).log(pid[park])
        assert list(log["user_name"]) == [name] and list(log["user_role"]) == ["officer"]
        assert list(log["action"]) == ["confirm"]
    # the store held no admin: one server (never both) made the first one, its password handed over in that
    # server's folder (removed at the first login); besides it, only caches of the database's data
    made = [f for f in (folder_a, folder_b) if (f / INITIAL_PASSWORD_FILE).is_file()]
    assert len(made) == 1, made
    accounts = AccountStore(url).list()
    assert list(accounts.loc[accounts["role"] == "admin", "name"]) == [initial_account(made[0] / INITIAL_PASSWORD_FILE)]
    for folder in (folder_a, folder_b):
        assert {p.name for p in folder.iterdir()} <= CACHE_DIRS | {INITIAL_PASSWORD_FILE}, folder
