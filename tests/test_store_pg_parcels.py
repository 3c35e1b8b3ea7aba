"""
Parcels in PostGIS behind the workspace's interface, the migration both ways, and an import while
twenty officers record decisions.
"""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import cli
import words
from geo import db, io, migrate
from geo import workspace as w
from geo.accounts import Account
from geo.cases import CaseStore
from geo.pgstore import PostgisLayers, PostgisParcels, parcel_store
from geo.review import ReviewStore
from geo.workspace import NoParcelFile, Workspace
from tests.conftest import ROOT

NOW = datetime(2027, 6, 1, 4, 0, tzinfo=UTC)
X, Y = 500_000.0, 2_500_000.0


def squares(ids, far, *, x0=0.0, crs=4545):
    """100 m squares in CGCS2000 GK zone (EPSG:4545), one per number."""
    geoms = [shapely.box(X + x0 + i * 200, Y, X + x0 + i * 200 + 100, Y + 100) for i in range(len(ids))]
    return gpd.GeoDataFrame({"parcel_id": ids, "park_id": "p1", "far": far,
                             "supply_date": pd.to_datetime(["2024-01-05"] * len(ids))}, geometry=geoms, crs=crs)


def test_every_migration_code_has_words():
    for code in migrate.MIGRATE_CODES:
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code
    for table in (*migrate.TABLES, "parcels", "parcel_versions", "constraint_layers", "column_mappings"):
        assert words.has_label("store_table", table, "zh"), table
    item = {"code": "migrate_target_not_empty", "target": "postgresql://gx@db/gx",
            "store_tables": ["case_log", "review_log"]}
    assert words.render(item, "zh") == ("目标 postgresql://gx@db/gx 已有数据（案件登记记录、核查处置记录），未迁移；"
                                        "确认覆盖请加 --force。")


def test_workspace_parcels_live_in_postgis(pg_backend, tmp_path, monkeypatch):
    """Install, versions, restore and reading, through the same workspace functions the pages call."""
    url = pg_backend.target("parcels")
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    ws = Workspace(tmp_path / "server-a")
    assert isinstance(parcel_store(ws), PostgisParcels)
    with pytest.raises(NoParcelFile):
        ws.parcels_path  # noqa: B018 - the property raises
    first = w.install(ws, squares(["A", "B", "C"], [1.0, 2.0, 3.0]), "replace", account=Account("张三", "admin"), source="一期.gpkg",
                      now=datetime(2026, 5, 1, 9, 30))
    assert first["version_id"] == "0001" and first["counts"]["parcels"] == 3
    second = w.install(ws, squares(["C", "D"], [3.5, 4.0], x0=400), "update", account=Account("李四", "admin"))
    assert second["counts"]["changed"] == 1 and second["counts"]["new"] == 1 and second["counts"]["parcels"] == 4
    # Another app server (its own folder and cache) reads the same current data.
    other = Workspace(tmp_path / "server-b")
    loaded = io.read_parcels(other.parcels_path)
    assert sorted(loaded.gdf["parcel_id"]) == ["A", "B", "C", "D"] and loaded.gdf.crs.to_epsg() == 4545
    assert loaded.gdf.set_index("parcel_id").loc["C", "far"] == 3.5
    assert not other.parcels_path.is_relative_to(tmp_path / "server-a")
    v = w.list_versions(other)
    assert list(v["version_id"]) == ["0002", "0001"] and list(v["current"]) == [True, False]
    assert v.loc[1, "installed_at"] == pd.Timestamp("2026-05-01 09:30:00")  # Beijing time, as installed
    assert list(v["user"]) == ["李四", "张三"] and v.loc[1, "source"] == "一期.gpkg"
    w.save_mapping(ws, ["宗地编号", "容积率"], {"宗地编号": "parcel_id", "容积率": "far"})
    assert w.mapping_for(other, ["容积率", "宗地编号"]) == {"宗地编号": "parcel_id", "容积率": "far"}
    assert not (tmp_path / "server-a" / w.MAPPINGS_FILE).exists()
    restored = w.restore(other, "1", account=Account("王五", "admin"))
    assert restored["restored_from"] == "0001" and restored["version_id"] == "0003"
    assert sorted(io.read_parcels(ws.parcels_path).gdf["parcel_id"]) == ["A", "B", "C"]
    with pytest.raises(w.WorkspaceError) as err:
        w.restore(ws, "9", account=Account("王五", "admin"))
    assert err.value.code == "version_not_found"
    # The parcel versions' log is append-only like the decisions'.
    with pytest.raises(pg_backend.db_error, match="append-only"):
        pg_backend.execute(url, "DELETE FROM parcel_version")


def test_concurrent_imports_both_land(pg_backend, tmp_path):
    """Two servers install updates at once: the second merges what the first installed (install lock)."""
    url = pg_backend.target("imports")
    PostgisParcels(url, cache_root=tmp_path).install(squares(["A", "B"], [1.0, 2.0]), "replace")
    start = threading.Barrier(2)

    def update(pid, far, x0):
        s = PostgisParcels(url, cache_root=tmp_path / pid)
        start.wait()
        return s.install(squares([pid], [far], x0=x0), "update", user=pid)

    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(update, ["C", "D"], [3.0, 4.0], [1000.0, 2000.0]))
    assert sorted(m["version_id"] for m in got) == ["0002", "0003"]
    current = PostgisParcels(url).read()
    assert sorted(current["parcel_id"]) == ["A", "B", "C", "D"]


def test_twenty_officers_and_an_import_at_once(pg_backend, tmp_path, monkeypatch):
    """Twenty officers record decisions and cases while an import runs: nothing lost, each under its name."""
    url = pg_backend.target("office")
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    ws = Workspace(tmp_path / "ws")
    ids = [f"Z{n:03d}" for n in range(60)]
    w.install(ws, squares(ids, [1.0] * 60), "replace", account=Account("管理员", "admin"))
    officers = [f"员{n:02d}" for n in range(1, 21)]
    start = threading.Barrier(len(officers) + 1)

    def officer(i, name):
        review, cases = Workspace(tmp_path / f"s{i % 4}").review_store(), CaseStore(url)
        start.wait()
        for k in range(3):
            pid = ids[i * 3 + k]
            review.record(pid, action="confirm", account=Account(name, "reviewer"), at=NOW)
            cases.record(pid, "investigation_notice", account=Account(name, "reviewer"), event_date=date(2026, 1, 5), at=NOW)
        return name

    def importer():
        start.wait()
        return w.install(ws, squares(ids[:30], [2.0] * 30), "update", account=Account("管理员", "admin"), source="更新.gpkg")

    with ThreadPoolExecutor(len(officers) + 1) as pool:
        jobs = [pool.submit(officer, i, n) for i, n in enumerate(officers)]
        imported = pool.submit(importer)
        done = [j.result() for j in jobs]
        manifest = imported.result()
    assert sorted(done) == officers
    assert manifest["counts"]["changed"] == 30 and manifest["counts"]["parcels"] == 60
    review = ReviewStore(url).current()
    assert len(review) == 60 and len(ReviewStore(url).log()) == 60
    owner = {ids[i * 3 + k]: n for i, n in enumerate(officers) for k in range(3)}
    assert review["decided_by"].to_dict() == owner
    log = CaseStore(url).log()
    assert len(log) == 60 and dict(zip(log["parcel_id"], log["officer"], strict=True)) == owner
    assert len(w.list_versions(ws)) == 2


def _fill_workspace(root):
    """A small workspace with every kind of record: versions, cases (an attachment, an override), decisions."""
    ws = Workspace(root)
    w.install(ws, squares(["A", "B", "C"], [1.0, 2.0, 3.0]), "replace", account=Account("张三", "admin"), source="一期.gpkg",
              now=datetime(2026, 5, 1, 9, 30))
    w.install(ws, squares(["C"], [3.5], x0=400), "update", account=Account("李四", "admin"), now=datetime(2026, 5, 2, 10, 0))
    cases = CaseStore.in_workspace(root)
    cases.record("A", "investigation_notice", account=Account("张三", "reviewer"), event_date=date(2026, 1, 5), at=NOW,
                 attachment=b"%PDF receipt", attachment_name="回证.pdf")
    cases.record("A", "public_notice", account=Account("李四", "reviewer"), event_date=date(2026, 2, 1), at=NOW, override=True,
                 override_reason="认定书已另行送达")
    review = ReviewStore.in_workspace(root)
    review.record("A", action="confirm", account=Account("张三", "reviewer"), at=NOW)
    review.record("B", action="dismiss", reason="已动工", account=Account("李四", "reviewer"), at=NOW)
    review.record("B", action="note", note="现场核查", account=Account("李四", "reviewer"), at=NOW)
    w.save_mapping(ws, ["宗地编号", "用地面积"], {"宗地编号": "parcel_id", "用地面积": "area_m2"}, units={"area_m2": "mu"})
    (root / "constraints").mkdir()
    shutil.copy(ROOT / "data" / "constraints" / "basic_farmland.geojson", root / "constraints")
    return ws


def test_migration_round_trip(pg_backend, tmp_path, monkeypatch):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    src = tmp_path / "embedded"
    _fill_workspace(src)
    url = pg_backend.target("migrated")
    before = migrate.summary(src)
    assert before["decisions"] == 2 and before["cases"] == 1 and before["case_log"] == 2
    assert before["parcel_versions"] == 2 and before["current_parcels"] == 3 and before["overrides"] == 1
    assert before["constraint_layers"] == 1 and before["constraint_features"] > 0 and before["parks"] > 10
    assert before["column_mappings"] == 1
    items = migrate.migrate(src, url)
    assert migrate.summary(url) == before
    # The layer in force is what the assessment reads (views/assess.py and cli.py assess, with the URL set).
    from geo import assessment

    held = assessment.read_constraints(PostgisLayers(url, cache_root=tmp_path / "cache").local_folder("constraints"))
    assert len(held["basic_farmland"]) == before["constraint_features"] and held["ecological_red_line"] is None
    text = words.render(items, "zh")
    assert "已迁移核查处置记录 3 条，核对一致" in text and "EPSG:4545" in text
    # Refused without --force, replaced with it.
    with pytest.raises(migrate.MigrateError) as err:
        migrate.migrate(src, url)
    assert err.value.code == "migrate_target_not_empty"
    migrate.migrate(src, url, force=True)
    assert migrate.summary(url) == before
    # New entries go on after the copied ids.
    assert ReviewStore(url).record("C", action="confirm", account=Account("王五", "reviewer"), at=NOW) == 4
    # And back into an empty workspace folder, from the configured database (the workspace functions
    # would follow the setting; the migration writes the folder's own files).
    back = tmp_path / "back"
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    assert cli.main(["migrate", "--to-workspace", str(back)]) == 0
    after = migrate.summary(back)
    monkeypatch.delenv(db.DATABASE_URL_ENV)
    assert after == {**before, "review_log": 4, "decisions": 3}
    for a, b in ((CaseStore.in_workspace(src).log(), CaseStore.in_workspace(back).log()),
                 (ReviewStore.in_workspace(src).log(), ReviewStore.in_workspace(back).log().iloc[:3])):
        pd.testing.assert_frame_equal(a, b)
    assert CaseStore.in_workspace(back).attachment(CaseStore.in_workspace(src).log()["attachment_sha256"][0]) \
        == b"%PDF receipt"
    versions = w.list_versions(Workspace(back))
    assert list(versions["mode"]) == ["update", "replace"] and list(versions["user"]) == ["李四", "张三"]
    assert list(versions["role"]) == ["admin", "admin"]  # the accounts' roles made the trip both ways
    assert versions.loc[1, "installed_at"] == pd.Timestamp("2026-05-01 09:30:00")
    got = io.read_parcels(Workspace(back).parcels_path).gdf
    assert got.crs.to_epsg() == 4545 and sorted(got["parcel_id"]) == ["A", "B", "C"]
    assert (back / "constraints" / "basic_farmland.gpkg").exists() and (back / "parks.geojson").exists()
    with pytest.raises(migrate.MigrateError) as err:
        migrate.migrate(url, back)
    assert err.value.code == "migrate_target_not_empty"


def test_untracked_sample_data_migrate_as_a_version(pg_backend, sample_workspace, tmp_path, monkeypatch):
    """The sample (parcels without a kept version, seeded cases) moves whole; the CLI prints the report."""
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    src = tmp_path / "sample"
    shutil.copytree(sample_workspace, src)
    url = pg_backend.target("sample")
    before = migrate.summary(src)
    assert before["parcel_versions"] == 1 and before["current_parcels"] > 1000 and before["cases"] > 0
    assert cli.main(["migrate", "--workspace", str(src), "--to", url]) == 0
    assert migrate.summary(url) == before
    assert PostgisParcels(url).list_versions()["mode"].tolist() == ["existing"]
    assert cli.main(["migrate", "--workspace", str(src), "--to", url]) == cli.EXIT_BAD_INPUT


def test_cli_refusals_are_chinese(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    assert cli.main(["migrate", "--to-workspace", str(tmp_path / "x")]) == cli.EXIT_BAD_INPUT
    assert "未指定迁移来源" in capsys.readouterr().err
    assert cli.main(["migrate", "--workspace", str(tmp_path), "--to-workspace", str(tmp_path)]) == 2


def test_pages_run_on_postgis(pg_backend, sample_workspace, tmp_path, monkeypatch):
    """The app on a PostGIS store (the sample migrated in) and an empty workspace folder: pages work,
    a decision recorded on the idle page lands in the database under the user."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    url = pg_backend.target("app")
    migrate.migrate(sample_workspace, url)
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(tmp_path / "server"))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["as_of"] = date(2026, 11, 25)
    from tests.conftest import login_as

    login_as(at, tmp_path / "server")
    at.run()
    assert not at.exception
    assert at.dataframe[0].value.iloc[-1, 0] == "合计"
    at.switch_page("views/idle.py").run()
    assert not at.exception
    pid = at.selectbox(key="idle_pick").value
    at.session_state["review_form_open"] = True  # as a click on the expander does
    at.run()
    at.radio(key="review_action@zh").set_value("confirm")
    at.text_area(key="review_note").set_value("服务器上核实")
    next(b for b in at.button if b.label == "记录").click().run()
    assert not at.exception
    log = ReviewStore(url).log(pid)
    assert ((log["note"] == "服务器上核实") & (log["user_name"] == "测试员")).any()
    for page in ("views/compare.py", "views/data.py", "views/intensity.py", "views/assess.py"):
        at.switch_page(page).run()
        assert not at.exception, page
    assert not (tmp_path / "server" / "review.sqlite").exists() and not (tmp_path / "server" / "cases.sqlite").exists()


def test_constraint_layer_saved_on_one_server_is_read_on_another(pg_backend, tmp_path, monkeypatch):
    from views import assess, auth

    monkeypatch.setattr(auth, "current", lambda: Account("管理员", "admin"))  # uploads are an admin's

    url = pg_backend.target("layers")
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(tmp_path / "server-a"))
    data = (ROOT / "data" / "constraints" / "ecological_red_line.geojson").read_bytes()
    n = assess.save_constraint("ecological_red_line", "生态保护红线.geojson", data)
    assert n > 0 and not (tmp_path / "server-a" / "constraints").exists()
    monkeypatch.setenv("GXLAND_WORKSPACE", str(tmp_path / "server-b"))
    folder = assess.own_constraints_dir()
    assert folder.is_relative_to(tmp_path / "server-b") and (folder / "ecological_red_line.parquet").exists()
    assert len(assess.current_constraints()["ecological_red_line"]) == n
    cur = PostgisLayers(url).current("constraints")
    assert cur["source"].tolist() == ["生态保护红线.geojson"] and cur["version"].tolist() == [1]


def test_a_database_from_before_roles_were_kept_gets_the_column(pg_backend, tmp_path):
    """A server whose versions' log predates the role: the column is added, old versions list without one."""
    url = pg_backend.target("old")
    pg_backend.execute(url, "CREATE TABLE parcel_version (version_id TEXT PRIMARY KEY, table_name TEXT NOT NULL,"
                            " installed_at TIMESTAMPTZ NOT NULL, mode TEXT NOT NULL, source TEXT, user_name TEXT,"
                            " counts TEXT NOT NULL, restored_from TEXT, srid INTEGER)")
    pg_backend.execute(url, "CREATE TABLE parcels_v0001 (__row INTEGER, parcel_id TEXT, geometry geometry(Polygon, 4545))")
    pg_backend.execute(url, "INSERT INTO parcel_version VALUES ('0001', 'parcels_v0001', '2026-05-01T01:30:00Z',"
                            " 'replace', '一期.gpkg', '张三', '{\"parcels\": 0}', NULL, 4545)")
    store = PostgisParcels(url, cache_root=tmp_path)
    m = store.install(squares(["A"], [1.0]), "replace", user="李四", role="admin", now=datetime(2026, 5, 2, 9, 0))
    assert m["role"] == "admin" and m["version_id"] == "0002"
    v = store.list_versions()
    assert list(v["user"]) == ["李四", "张三"] and v.loc[0, "role"] == "admin" and pd.isna(v.loc[1, "role"])
    assert v.loc[1, "installed_at"] == pd.Timestamp("2026-05-01 09:30:00")
