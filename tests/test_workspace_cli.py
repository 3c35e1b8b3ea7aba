"""`python -m geo import / versions / restore`: preview per park, install by mode, versions, one Chinese line on bad input."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from cli import main
from geo import io
from geo.accounts import Account
from geo.workspace import Workspace, list_versions

# Tests of the folder's files run on the embedded store; those taking `workspace_backend` on both.
pytestmark = pytest.mark.usefixtures("embedded_store")

X, Y = 600_000.0, 2_520_000.0  # EPSG:4545, in Guangxi


def _write(path, ids, parks, far):
    gdf = gpd.GeoDataFrame({"parcel_id": ids, "park_id": parks, "holder": far},
                           geometry=[shapely.box(X + i * 200, Y, X + i * 200 + 100, Y + 100) for i in range(len(ids))],
                           crs=4545)
    io.write_table(gdf, path)
    return path


@pytest.fixture
def ws(workspace_backend, tmp_path, monkeypatch):
    """A workspace of three parcels installed by the CLI, on each backend (GXLAND_DATABASE_URL set for PostGIS)."""
    monkeypatch.delenv("GXLAND_WORKSPACE", raising=False)
    root = tmp_path / "ws"
    assert main(["import", str(_write(tmp_path / "all.gpkg", ["A", "B", "C"], ["nanning", "nanning", "liuzhou"], ["甲", "乙", "丙"])),
                 "--workspace", str(root), "--mode", "replace"]) == 0
    return root


def test_update_one_park_previews_then_installs(ws, tmp_path, capsys):
    Workspace(ws).review_store().record("A", action="confirm", account=Account("王五", "officer"))
    one = _write(tmp_path / "lz.gpkg", ["C", "D"], ["liuzhou", "liuzhou"], ["丙（更名）", "丁"])
    capsys.readouterr()
    assert main(["import", str(one), "--workspace", str(ws), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "柳州高新技术产业开发区" in out and "按宗地编号更新" in out and "新增 1 宗，变更 1 宗，删除 0 宗" in out and "保留不动 2 宗" in out
    assert "试运行" in out
    assert sorted(io.read_parcels(Workspace(ws).parcels_path).gdf["parcel_id"]) == ["A", "B", "C"]
    assert main(["import", str(one), "--workspace", str(ws)]) == 0
    out = capsys.readouterr().out
    assert "已导入，版本 0002" in out and "现有宗地 4 宗" in out
    got = io.read_parcels(Workspace(ws).parcels_path).gdf.set_index("parcel_id")
    assert sorted(got.index) == ["A", "B", "C", "D"] and got.loc["C", "holder"] == "丙（更名）"
    assert Workspace(ws).review_store().current().loc["A", "decision"] == "confirmed"
    v = list_versions(Workspace(ws))
    assert list(v["mode"]) == ["update", "replace"] and list(v["source"]) == ["lz.gpkg", "all.gpkg"]
    assert (v.loc[0, "new"], v.loc[0, "changed"], v.loc[0, "kept"], v.loc[0, "parcels"]) == (1, 1, 2, 4)


def test_versions_and_restore(ws, tmp_path, capsys):
    main(["import", str(_write(tmp_path / "x.gpkg", ["Z"], ["nanning"], ["某"])), "--workspace", str(ws), "--mode", "replace"])
    capsys.readouterr()
    assert main(["versions", "--workspace", str(ws)]) == 0
    out = capsys.readouterr().out
    assert "历史版本" in out and "全部替换" in out and "x.gpkg" in out and "0002" in out
    assert "系统管理员" in out  # the account's role beside its name
    assert main(["restore", "0001", "--workspace", str(ws)]) == 0
    assert "已恢复到版本 0001（新版本 0003）" in capsys.readouterr().out
    assert sorted(io.read_parcels(Workspace(ws).parcels_path).gdf["parcel_id"]) == ["A", "B", "C"]
    v = list_versions(Workspace(ws))
    assert list(v["version_id"]) == ["0003", "0002", "0001"] and list(v["current"]) == [True, False, False]
    assert (v.loc[0, "mode"], v.loc[0, "restored_from"], v.loc[0, "parcels"]) == ("restore", "0001", 3)


def test_workspace_from_the_environment(ws, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GXLAND_WORKSPACE", str(ws))
    assert main(["versions"]) == 0
    assert "0001" in capsys.readouterr().out


def test_register_table_is_joined_and_reported(ws, tmp_path, capsys):
    import pandas as pd

    reg = tmp_path / "登记表.xlsx"
    pd.DataFrame({"宗地编号": ["A", "B", "X9"], "土地使用权人": ["甲公司", "乙公司", "某"]}).to_excel(reg, index=False)
    one = _write(tmp_path / "same.gpkg", ["A", "B"], ["nanning", "nanning"], ["甲", "乙"])
    capsys.readouterr()
    assert main(["import", str(one), "--workspace", str(ws), "--table", str(reg)]) == 0
    out = capsys.readouterr().out
    assert "关联 2 宗" in out and "1 个宗地编号在宗地数据中找不到，如：X9" in out
    got = io.read_parcels(Workspace(ws).parcels_path).gdf.set_index("parcel_id")
    assert got.loc["A", "holder"] == "甲公司" and got.loc["C", "holder"] == "丙"


@pytest.mark.parametrize(
    "argv, words_",
    [
        (["import", "{tmp}/nothing.zip"], "找不到文件"),
        (["restore", "0042"], "没有编号为 0042 的历史版本"),
        (["import", "{tmp}/notes.txt"], "notes.txt"),
    ],
)
def test_bad_input_exits_2_with_one_chinese_line(ws, tmp_path, capsys, argv, words_):
    (tmp_path / "notes.txt").write_text("宗地编号", encoding="utf-8")
    before = sorted(p.name for p in ws.rglob("*"))
    versions = list_versions(Workspace(ws))
    capsys.readouterr()
    code = main([a.format(tmp=tmp_path) for a in argv] + ["--workspace", str(ws)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith("错误：") and words_ in err
    assert "Traceback" not in err
    assert sorted(p.name for p in ws.rglob("*")) == before
    pd.testing.assert_frame_equal(list_versions(Workspace(ws)), versions)


def test_only_an_admin_account_imports_and_restores(ws, tmp_path, capsys):
    from geo.accounts import AccountStore

    accounts = AccountStore.in_workspace(ws)
    accounts.add("li", "officer", parks=["nanning"])
    accounts.add("boss", "admin")
    new = _write(tmp_path / "n.gpkg", ["D"], ["nanning"], ["丁"])
    versions = list_versions(Workspace(ws))
    capsys.readouterr()
    for argv in (["import", str(new)], ["restore", "1"]):
        assert main([*argv, "--workspace", str(ws), "--account", "li"]) == 2
        assert "须由系统管理员办理" in capsys.readouterr().err
    pd.testing.assert_frame_equal(list_versions(Workspace(ws)), versions)
    assert main(["import", str(new), "--workspace", str(ws), "--account", "boss"]) == 0
    assert main(["restore", "1", "--workspace", str(ws), "--account", "boss"]) == 0
    v = list_versions(Workspace(ws))
    assert list(v["mode"]) == ["restore", "update", "replace"]
    assert list(v["user"])[:2] == ["boss", "boss"] and list(v["role"]) == ["admin", "admin", "admin"]


def test_remembered_mapping_is_used_by_the_cli(ws, tmp_path, capsys):
    from geo import workspace

    gdf = gpd.GeoDataFrame({"parcel_id": ["A"], "ZDY1": [88.0]},
                           geometry=[shapely.box(X, Y, X + 100, Y + 100)], crs=4545)
    path = tmp_path / "zdy.gpkg"
    io.write_table(gdf, path)
    headers = workspace.file_headers(workspace.read_incoming(path, parks=io.read_parks()))
    workspace.save_mapping(Workspace(ws), headers, {"ZDY1": "land_price_wan"})
    assert main(["import", str(path), "--workspace", str(ws)]) == 0
    got = io.read_parcels(Workspace(ws).parcels_path).gdf.set_index("parcel_id")
    assert got.loc["A", "land_price_wan"] == 88.0


# Embedded only: an older workspace folder's parcels.gpkg (on a server the migration brings it in).
def test_an_older_gpkg_workspace_imports_and_restores_through_the_cli(tmp_path, monkeypatch, capsys):
    from geo import workspace as w

    monkeypatch.delenv("GXLAND_WORKSPACE", raising=False)
    root = tmp_path / "old"
    root.mkdir()
    gpkg = _write(root / "parcels.gpkg", ["A", "B"], ["nanning", "liuzhou"], ["甲", "乙"])  # as the sample wrote it before
    before = gpkg.read_bytes()
    assert main(["import", str(_write(tmp_path / "new.gpkg", ["C"], ["liuzhou"], ["丙"])), "--workspace", str(root),
                 "--mode", "add"]) == 0
    assert Workspace(root).parcels_path == root / w.STORED_FILE and gpkg.read_bytes() == before
    assert sorted(io.read_parcels(Workspace(root).parcels_path).gdf["parcel_id"]) == ["A", "B", "C"]
    existing = list_versions(root_ws := Workspace(root)).query("mode == 'existing'")["version_id"].iloc[0]
    assert main(["restore", existing, "--workspace", str(root)]) == 0
    assert w.is_stored_file(root_ws.parcels_path)
    got = w.read_stored(root_ws, io.read_parks()).gdf
    assert sorted(got["parcel_id"]) == ["A", "B"] and list(got["park_id"]) == ["nanning", "liuzhou"]
    assert gpkg.read_bytes() == before
