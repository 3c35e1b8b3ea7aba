"""
Every page on a PostGIS store (issue 13): the sample workspace migrated into a fresh schema and the app
pointed at it (``GXLAND_DATABASE_URL``) with an EMPTY workspace folder, as a second server would have.
Each page runs logged in and shows what the same page shows on the embedded sample; a review decision and a
case stage recorded on one server are read on another (another empty folder, the process' caches dropped),
under the account that recorded them.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import words
from geo import db, migrate
from geo.cases import CaseStore
from geo.review import ReviewStore
from tests.conftest import ROOT, _with_schema, ensure_account, login_as

AS_OF = date(2026, 11, 25)
#: Every page of app.py (the accounts page is an admin's).
PAGES = ("overview", "idle", "intensity", "compare", "eco", "assess", "data", "accounts")
OFFICER = "南宁经办"  # park officer of 南宁
CHIEF = "南桂科长"  # section chief of 南宁 and 桂林
#: What a server may keep in its own folder on PostGIS: caches of the database's data, made again at will.
CACHE_DIRS = {".cache", ".postgis-cache"}
#: The data-problems table (each page that reads the parcels shows it in an expander).
PROBLEMS_HEADER = "行号,字段,问题,级别"


@contextlib.contextmanager
def migrated_schema(pg_url: str, workspace: Path):
    """A fresh PostgreSQL schema holding ``workspace`` migrated in (``geo.migrate``); its URL."""
    import psycopg

    schema = f"pages_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    url = _with_schema(pg_url, schema)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.delenv(db.DATABASE_URL_ENV, raising=False)  # the source is the folder's own store
            migrate.migrate(workspace, url)
        yield url
    finally:
        db.Database.forget(url)
        with psycopg.connect(pg_url, autocommit=True) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@contextlib.contextmanager
def server(folder: Path, url: str | None):
    """The environment of one app server: its workspace folder and, for PostGIS, the database URL."""
    with pytest.MonkeyPatch.context() as mp:
        if url:
            mp.setenv(db.DATABASE_URL_ENV, url)
        else:
            mp.delenv(db.DATABASE_URL_ENV, raising=False)
        mp.setenv("GXLAND_WORKSPACE", str(folder))
        mp.chdir(ROOT)
        yield


def new_process(url: str) -> None:
    """What another app process would not have: this one's Streamlit caches and database connections."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    db.Database.forget(url)


def app_test(folder: Path, name: str = "测试员", role: str = "admin", parks=()):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["as_of"] = AS_OF
    return login_as(at, folder, name, role, parks)


def frame(d) -> pd.DataFrame:
    return getattr(d.value, "data", d.value)


def snapshot(at) -> dict:
    """What a reader sees of a page: texts, figures, tables (as text), choices offered and chosen."""
    out = {kind: [str(e.value) for e in getattr(at, kind)]
           for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error",
                        "success")}
    out["metric"] = [(m.label, m.value) for m in at.metric]
    out["dataframe"] = [frame(d).astype(str).to_csv(index=False) for d in at.dataframe]
    out["selectbox"] = [(s.key, s.label, list(s.options), s.value) for s in at.selectbox]
    out["multiselect"] = [(s.key, s.label, list(s.options), s.value) for s in at.multiselect]
    out["tabs"] = [t.label for t in at.tabs]
    out["expander"] = [e.label for e in at.expander]
    return out


def split_problems(snap: dict) -> tuple[dict, list[str]]:
    """
    (the snapshot without the data-problems table, its label and its pager line; the problem rows). The
    problems are compared on their own: see :func:`test_problems_are_those_of_the_embedded_sample`.
    """
    rest = {k: list(v) for k, v in snap.items()}
    tables = [f for f in rest["dataframe"] if f.startswith(PROBLEMS_HEADER)]
    if not tables:
        return rest, []
    assert len(tables) == 1
    rows = tables[0].splitlines()[1:]
    rest["dataframe"].remove(tables[0])
    rest["expander"] = [e for e in rest["expander"] if not re.fullmatch(r"数据问题 \(\d+\)", e)]
    pager = f"第 1 / 1 页，共 {len(rows)} 行"
    if pager in rest["caption"]:
        rest["caption"].remove(pager)
    return rest, rows


def run_pages(at) -> dict[str, dict]:
    """Every page, one after the other in one session: its snapshot and its exceptions."""
    at.session_state["data_problems_open"] = True  # the analysis pages' problems panel, drawn when opened
    at.run()
    assert not at.exception, at.exception
    out = {}
    for page in PAGES:
        at.switch_page(f"views/{page}.py").run()
        out[page] = {"exception": [str(e.value) for e in at.exception], **snapshot(at)}
    return out


def open_parcel(at, pid: str):
    at.switch_page("views/idle.py").run()
    assert not at.exception, at.exception
    at.text_input(key="idle_search").input(pid).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="idle_pick").value == pid
    return at


def frame_with(at, *columns: str) -> pd.DataFrame:
    for d in at.dataframe:
        if set(columns) <= set(frame(d).columns):
            return frame(d)
    raise AssertionError(f"no table with {columns}")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample_store(pg_url, sample_workspace):
    """The sample migrated into PostGIS, with the admin 测试员 made in the folder first (migrated along)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(db.DATABASE_URL_ENV, raising=False)
        ensure_account(sample_workspace)
    with migrated_schema(pg_url, sample_workspace) as url:
        yield url


@pytest.fixture(scope="module")
def server_a(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server-a")


@pytest.fixture(scope="module")
def embedded_pages(sample_workspace, sample_store) -> dict:
    with server(sample_workspace, None):
        return run_pages(app_test(sample_workspace))


@pytest.fixture(scope="module")
def postgis_pages(sample_store, server_a, embedded_pages) -> dict:
    with server(server_a, sample_store):
        return run_pages(app_test(server_a))


# --------------------------------------------------------------------------- every page


def test_every_page_runs_on_postgis_from_an_empty_folder(postgis_pages, embedded_pages, server_a):
    for page in PAGES:
        assert embedded_pages[page]["exception"] == [], page
        assert postgis_pages[page]["exception"] == [], page
        assert postgis_pages[page]["title"], page  # the page drew (not the login page: its title is 登录)
        assert postgis_pages[page]["title"] != ["登录"], page
    # the server's folder holds no store: only caches of the database's data
    kept = {p.name for p in server_a.iterdir()}
    assert kept <= CACHE_DIRS, kept
    assert not [p for p in server_a.rglob("*") if p.suffix in (".sqlite", ".geojson", ".json")]


@pytest.mark.parametrize("page", [p for p in PAGES if p != "data"])
def test_page_shows_what_the_embedded_sample_shows(page, postgis_pages, embedded_pages):
    on_pg, _ = split_problems(postgis_pages[page])
    embedded, _ = split_problems(embedded_pages[page])
    for kind, seen in embedded.items():
        assert on_pg[kind] == seen, (page, kind)
    # … and what they both show is the sample's, not two empty pages
    assert on_pg["dataframe"] or page == "assess", page
    assert any(on_pg[k] for k in ("caption", "markdown", "info")), page


def test_key_figures_on_postgis(postgis_pages, sample_workspace):
    import geopandas as gpd

    parcels = gpd.read_parquet(sample_workspace / "parcels.parquet")
    overview = postgis_pages["overview"]
    totals = pd.read_csv(pd.io.common.StringIO(overview["dataframe"][0]))
    assert totals.iloc[-1, 0] == "合计"
    assert "南宁高新技术产业开发区" in set(totals.iloc[:, 0])
    idle = postgis_pages["idle"]
    shown = next(c for c in idle["caption"] if c.startswith("显示 "))
    assert re.fullmatch(r"显示 \d[\d,]* 宗，[\d,.]+ 亩", shown), shown
    pick = next(s for s in idle["selectbox"] if s[0] == "idle_pick")
    assert pick[2] and set(pick[2]) <= set(parcels["parcel_id"])  # the work list: the sample's parcels
    # the work list's counts (its lists open on demand): some deadlines are overdue in the sample
    counts = next(w for w in idle["warning"] + idle["caption"] if w.startswith("已立案宗地"))
    assert re.search(r"已逾期 [1-9]\d* 项", counts), counts
    accounts = postgis_pages["accounts"]["dataframe"][0]
    # the migrated accounts (the sample's default "admin" too when another test's first run made it)
    assert any(line.startswith("测试员,") for line in accounts.splitlines()[1:]) and "系统管理员" in accounts


def test_data_page_lists_the_migrated_version_and_parks(postgis_pages, embedded_pages, sample_workspace):
    import geopandas as gpd

    n = len(gpd.read_parquet(sample_workspace / "parcels.parquet"))
    on_pg = postgis_pages["data"]
    # the sample's parcels, kept as version 0001 by the migration, are the current version
    assert "**版本**" in on_pg["markdown"] and "**宗地数**" in on_pg["markdown"]
    assert "0001" in on_pg["text"] and (f"{n:,}" in on_pg["text"] or str(n) in on_pg["text"]), on_pg["text"]
    assert "尚无历史版本：第一次导入时，原有数据也会保存为一个版本。" in embedded_pages["data"]["caption"]
    # the parks: a version of the database's parks layer, the sample's 12 parks
    assert any(c.startswith("当前园区边界为第 1 版（12 个园区），来源文件 parks.geojson") for c in on_pg["caption"])
    # the sample's parks had no install log: said so, not an empty account in quotes
    assert any("迁移入库（原工作区未记录安装账号）" in c for c in on_pg["caption"])
    assert not any("安装账号“" in c for c in on_pg["caption"])
    assert "当前使用工作区中的园区边界文件（12 个园区）。" in embedded_pages["data"]["caption"]
    for kind in ("title", "subheader", "expander", "selectbox", "error", "warning"):
        assert on_pg[kind] == embedded_pages["data"][kind], kind


def test_problems_are_those_of_the_embedded_sample_but_the_repairs(postgis_pages, embedded_pages):
    """
    The data problems shown on PostGIS are the embedded sample's, but for the notes of geometry repaired when
    the sample was written: its stored file keeps what reading the raw data found (a self-intersection
    repaired) in its metadata; a PostGIS version holds the repaired geometry and no such notes, so reading it
    finds nothing to repair — as reading any installed version does on either store (an import installs the
    parcels its preview read, geometry repaired already).
    """
    for page in ("intensity", "compare"):
        _, on_pg = split_problems(postgis_pages[page])
        _, embedded = split_problems(embedded_pages[page])
        assert on_pg and set(on_pg) <= set(embedded), page
        lost = [r for r in embedded if r not in on_pg]
        assert len(lost) <= 1 and all(",图形," in r and "已自动修复" in r for r in lost), lost


def test_a_parcels_card_and_case_panel_are_the_embedded_ones(sample_store, sample_workspace, server_a):
    cases = CaseStore(sample_workspace / "cases.sqlite")
    log = cases.log()
    pid = str(log.loc[log["parcel_id"].isin(log.loc[log["stage"] == "determination", "parcel_id"]),
                      "parcel_id"].iloc[0])
    seen = {}
    for name, folder, url in (("embedded", sample_workspace, None), ("postgis", server_a, sample_store)):
        with server(folder, url):
            at = open_parcel(app_test(folder).run(), pid)
            at.session_state["case_audit_open"] = True  # the audit trail's panel, filled when opened
            at.run()
            seen[name] = split_problems(snapshot(at))[0]
            stages = frame_with(at, "处置环节", "文号")
            assert "下达闲置土地认定书" in set(stages["处置环节"]), name
            audit = frame_with(at, "经办人", "经办人角色")
            assert len(audit) == (log["parcel_id"] == pid).sum(), name
    for kind, shown in seen["embedded"].items():
        assert seen["postgis"][kind] == shown, kind


# --------------------------------------------------------------------------- two servers


def _suspected_nanning_without_case(workspace: Path) -> str:
    from geo import io as gio
    from geo import workspace as w

    ws = w.Workspace(workspace)
    gdf = gio.read_parcels(ws.parcels_path, parks=gio.read_parks(ROOT / "data" / "parks.geojson")).gdf
    analysed = w.analyse_idle(gdf, as_of=AS_OF, cases=ws.case_store())
    once = analysed["parcel_id"].notna() & ~analysed["parcel_id"].duplicated(keep=False)
    rows = analysed[once & (analysed["idle_status"] == "idle_suspected") & (analysed["park_id"] == "nanning")
                    & ~analysed["parcel_id"].isin(set(ws.case_store().parcels()))]
    return str(rows["parcel_id"].iloc[0])


def test_decision_and_stage_on_one_server_are_read_on_another(pg_url, sample_workspace, tmp_path):
    with server(sample_workspace, None):
        pid = _suspected_nanning_without_case(sample_workspace)
    a, b = tmp_path / "server-a", tmp_path / "server-b"
    with migrated_schema(pg_url, sample_workspace) as url:
        # server A: the officer of 南宁 confirms the parcel and records the investigation notice
        with server(a, url):
            at = app_test(a, OFFICER, "officer", ["nanning"])
            at.session_state["review_form_open"] = at.session_state["case_form_open"] = True  # both panels opened
            at = open_parcel(at.run(), pid)
            at.radio(key="review_action@zh").set_value("confirm")
            at.text_area(key="review_note").set_value(f"现场核查 {pid}")
            next(btn for btn in at.button if btn.label == "记录").click().run()
            assert not at.exception, at.exception
            assert "已记录。" in [s.value for s in at.success]
            at.selectbox(key="case_stage@zh").set_value("investigation_notice").run()
            at.date_input(key="case_date").set_value(date(2026, 11, 20))
            at.text_input(key="case_doc_number").input("南自然资闲调〔2026〕7号")
            at.button(key="FormSubmitter:case_form-登记").click().run()
            assert not at.exception, at.exception
            assert any("已登记“下达闲置土地调查通知书”" in s.value for s in at.success)
        new_process(url)
        # server B: the section chief, in another folder and a fresh process' state, reads both
        with server(b, url):
            at = open_parcel(app_test(b, CHIEF, "reviewer", ["nanning", "guilin"]).run(), pid)
            decision = next(i.value for i in at.info if i.value.startswith("当前结论："))
            assert decision.startswith("当前结论：已确认闲置（南宁经办，") and CHIEF not in decision
            history = frame_with(at, "记录时间(北京时间)", "备注")
            mine = history[history["备注"] == f"现场核查 {pid}"]
            assert len(mine) == 1 and set(mine.iloc[0]) >= {OFFICER, words.label("role", "officer", "zh")}
            at.session_state["case_audit_open"] = True  # the audit trail's panel, filled when opened
            at.run()
            audit = frame_with(at, "经办人", "经办人角色")
            assert list(audit["经办人"]) == [OFFICER]
            assert list(audit["经办人角色"]) == [words.label("role", "officer", "zh")]
            stages = frame_with(at, "处置环节", "文号")
            assert list(stages["文号"]) == ["南自然资闲调〔2026〕7号"]
            assert not any("尚未立案" in c.value for c in at.caption)
        # in the store: under the officer's account and role; nothing in either folder but caches
        review = ReviewStore(url).log(pid)
        assert list(review["user_name"]) == [OFFICER] and list(review["user_role"]) == ["officer"]
        case = CaseStore(url).log(pid)
        assert list(case["officer"]) == [OFFICER] and list(case["officer_role"]) == ["officer"]
        for folder in (a, b):
            assert {p.name for p in folder.iterdir()} <= CACHE_DIRS, folder
    # the embedded sample was not written to
    assert not (sample_workspace / "review.sqlite").exists() or ReviewStore(sample_workspace / "review.sqlite").log(pid).empty
    assert CaseStore(sample_workspace / "cases.sqlite").log(pid).empty
