"""
Two accounts in two browser contexts: each sees only its parks; a decision recorded by one appears
for the other after a reload, under the account that recorded it (issue 13).

The app runs as a bureau's server does with several cores (``scripts/serve.py --workers 2``): the
two officers are served by two processes behind HAProxy, so the decision also crosses processes.
"""

from __future__ import annotations

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

from geo import io as gio
from geo import sample, workspace
from geo.review import ReviewStore
from scripts.serve import WORKER_COOKIE
from tests.conftest import TEST_PASSWORD_CHANGED, ensure_account

pytestmark = pytest.mark.browser

EXCEPTION = "[data-testid='stException']"
SELECTBOX_HOLDS = """
id => [...document.querySelectorAll("[data-testid='stSelectbox'] input")].some(e => e.value === id)
"""
OFFICER = "南宁经办"  # park officer of 南宁
CHIEF = "南桂科长"  # section chief of 南宁 and 桂林


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("two_accounts_ws")
    sample.write_sample(root, n=800)
    ensure_account(root, OFFICER, "officer", ["nanning"])
    ensure_account(root, CHIEF, "reviewer", ["nanning", "guilin"])
    return root


@pytest.fixture(scope="module")
def app(ws) -> str:
    require_chromium()
    from layers.assets import missing_assets

    if missing_assets():
        pytest.fail("vendored map assets missing: run `python scripts/fetch_assets.py`", pytrace=False)
    with run_streamlit(REPO_ROOT / "app.py", env={"GXLAND_WORKSPACE": str(ws)}, cwd=REPO_ROOT, workers=2) as url:
        yield url


def _parcels(ws: Path):
    w = workspace.Workspace(ws)
    parks = gio.read_parks(REPO_ROOT / "data" / "parks.geojson")
    return workspace.analyse_idle(gio.read_parcels(w.parcels_path, parks=parks).gdf, as_of=date.today(),
                                  cases=w.case_store())


def _find(page, pid: str) -> None:
    box = page.get_by_role("textbox", name="按宗地编号查找（全部园区）")
    box.fill(pid)
    box.press("Enter")
    page.wait_for_timeout(500)
    wait_for_app(page)


def test_each_sees_its_parks_and_the_others_decision_after_reload(browser, app, ws):
    parcels = _parcels(ws)
    unique = parcels["parcel_id"].notna() & ~parcels["parcel_id"].duplicated(keep=False)
    nanning = parcels[unique & (parcels["park_id"] == "nanning") & (parcels["idle_status"] == "idle_suspected")]
    guilin = parcels[unique & (parcels["park_id"] == "guilin")]
    liuzhou = parcels[unique & (parcels["park_id"] == "liuzhou")]
    pid, guilin_pid, liuzhou_pid = (str(df["parcel_id"].iloc[0]) for df in (nanning, guilin, liuzhou))

    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    try:
        officer, chief = (c.new_page() for c in contexts)
        login_form(officer, app, OFFICER, TEST_PASSWORD_CHANGED)
        login_form(chief, app, CHIEF, TEST_PASSWORD_CHANGED)
        # HAProxy sent the two browsers to the two processes (least connections), and keeps each there
        workers = [{c["name"]: c["value"] for c in ctx.cookies()}.get(WORKER_COOKIE) for ctx in contexts]
        assert None not in workers and workers[0] != workers[1], workers
        for page, name, scope in ((officer, OFFICER, "南宁高新技术产业开发区"),
                                  (chief, CHIEF, "桂林高新技术产业开发区、南宁高新技术产业开发区")):
            page.goto(app + "/idle")
            wait_for_app(page)
            assert page.locator(EXCEPTION).count() == 0
            assert page.get_by_text(f"负责园区：{scope}", exact=True).count() == 1
            # the sidebar's account field (polled: the page may still be filling it in)
            page.wait_for_function(
                "n => [...document.querySelectorAll('input')].some(i => i.disabled && i.value.startsWith(n))",
                arg=name, timeout=30_000)
            assert account_shown(page).startswith(name)

        # each sees only its parks: the officer finds no 桂林 parcel, the chief no 柳州 one
        _find(officer, guilin_pid)
        officer.get_by_text(f"未找到宗地编号“{guilin_pid}”", exact=False).wait_for(timeout=30_000)
        _find(chief, guilin_pid)
        chief.wait_for_function(SELECTBOX_HOLDS, arg=guilin_pid, timeout=30_000)
        _find(chief, liuzhou_pid)
        chief.get_by_text(f"未找到宗地编号“{liuzhou_pid}”", exact=False).wait_for(timeout=30_000)

        # the officer confirms a 南宁 parcel
        officer.goto(f"{app}/idle?parcel={pid}")
        wait_for_app(officer)
        officer.wait_for_function(SELECTBOX_HOLDS, arg=pid, timeout=30_000)
        open_panel(officer, "记录核查意见")  # the review form is drawn when its panel is opened
        officer.get_by_text("确认闲置", exact=True).first.click()
        officer.get_by_role("textbox", name="备注").fill(f"现场核查 {pid}")
        officer.get_by_role("button", name="记录", exact=True).click()
        officer.get_by_text("已记录。").wait_for(timeout=30_000)

        # the chief, after a reload, sees it under the officer's account
        chief.goto(f"{app}/idle?parcel={pid}")
        chief.reload()
        wait_for_app(chief)
        chief.wait_for_function(SELECTBOX_HOLDS, arg=pid, timeout=30_000)
        decision = chief.get_by_text("当前结论：已确认闲置", exact=False)
        decision.wait_for(timeout=30_000)
        assert OFFICER in decision.inner_text() and CHIEF not in decision.inner_text()
        assert chief.locator(EXCEPTION).count() == 0
        assert [{c["name"]: c["value"] for c in ctx.cookies()}[WORKER_COOKIE] for ctx in contexts] == workers
    finally:
        for c in contexts:
            c.close()
    log = ReviewStore(ws / "review.sqlite").log(pid)
    assert list(log["user_name"]) == [OFFICER] and list(log["user_role"]) == ["officer"]


PATHS = ["", "overview", "idle", "intensity", "compare", "eco", "assess", "data"]


def test_no_page_without_login_but_the_health_check(browser, app):
    import urllib.request

    with urllib.request.urlopen(app + "/_stcore/health", timeout=10) as resp:  # needs no login
        assert resp.status == 200 and resp.read().decode().strip() == "ok"
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        for path in PATHS:
            page.goto(f"{app}/{path}")
            wait_for_app(page)
            assert page.locator("h1").first.inner_text() == "登录", path
            assert page.get_by_test_id("stDataFrame").count() == 0, path
            assert page.locator(".gx-table").count() == 0, path  # nor a card's or a summary's table
            assert page.get_by_test_id("stDownloadButton").count() == 0, path
            assert page.get_by_test_id("stSidebar").count() == 0 or \
                page.get_by_label("当前账号").count() == 0, path
        # a made-up session cookie opens nothing either
        context.add_cookies([{"name": "gxland_session", "value": "made-up", "domain": "127.0.0.1", "path": "/"}])
        page.goto(f"{app}/idle")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == "登录"
    finally:
        context.close()
