"""数据导入: install_parcels keeps a backup and decisions; the page renders."""

from __future__ import annotations

from datetime import datetime

import geopandas as gpd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geo import io
from geo.review import ReviewStore
from geo.workspace import Workspace, install_parcels
from tests.conftest import ROOT


def _parcels(ids):
    return gpd.GeoDataFrame(
        {"parcel_id": ids}, geometry=[shapely.box(i * 200, 0, i * 200 + 100, 100) for i in range(len(ids))], crs=4545
    )


def test_install_replaces_data_and_keeps_a_backup(tmp_path):
    ws = Workspace(tmp_path / "ws")
    first = install_parcels(_parcels(["A", "B"]), ws, now=datetime(2026, 1, 2, 3, 4, 5))
    ReviewStore(ws.review_path).record("A", action="confirm", user="u")
    second = install_parcels(_parcels(["A", "C", "D"]), ws, now=datetime(2026, 1, 2, 3, 4, 6))
    assert first == second == ws.parcels_path
    assert list(io.read_parcels(ws.parcels_path).gdf["parcel_id"]) == ["A", "C", "D"]
    backups = sorted((ws.root / "backup").iterdir())
    assert [b.name for b in backups] == ["parcels-20260102-030406.gpkg"]
    assert list(io.read_parcels(backups[0]).gdf["parcel_id"]) == ["A", "B"]
    assert ReviewStore(ws.review_path).current().loc["A", "decision"] == "confirmed"


def test_install_refuses_a_table_without_geometry(tmp_path):
    import pandas as pd

    with pytest.raises(io.DataError, match="no geometry"):
        install_parcels(pd.DataFrame({"parcel_id": ["A"]}), Workspace(tmp_path))
    assert not (tmp_path / "parcels.gpkg").exists()


def test_data_page_renders(sample_workspace, monkeypatch):
    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert at.title[0].value == "数据导入"
    assert str(sample_workspace) in " ".join(c.value for c in at.caption)
