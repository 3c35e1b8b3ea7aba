"""The per-park overview table: arithmetic on a hand-made frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.workspace import PARCEL_FILE_CANDIDATES, NoParcelFile, Workspace, park_overview
from reports.tables import park_overview_display
from words.io import error_text

# Tests of the folder's files run on the embedded store; those taking `workspace_backend` on both.
pytestmark = pytest.mark.usefixtures("embedded_store")

PARKS = pd.DataFrame({"park_id": ["a", "b"], "name_zh": ["甲园", "乙园"], "name_en": ["A", "B"]})


def frame():
    return pd.DataFrame(
        {
            "park_id": ["a", "a", "a", "b", None, ""],
            "idle_status": ["idle_fee", "idle_recover", "overdue", "idle_exempt", "active", "stalled"],
            "area_mu": [10.0, 20.0, 5.0, 7.5, 3.0, 1.0],
            "fee_wan": [12.0, np.nan, np.nan, np.nan, np.nan, np.nan],
        }
    )


def test_counts_areas_and_fees_per_park():
    t = park_overview_display(park_overview(frame(), PARKS), PARKS)
    assert list(t.index) == ["a", "b", "", "__total__"]
    a = t.loc["a"]
    assert (a["parcels"], a["idle_parcels"], a["suspected_parcels"]) == (3, 2, 1)
    assert a["idle_area_mu"] == pytest.approx(30.0)
    assert a["area_mu"] == pytest.approx(35.0)
    assert a["fees_due_wan"] == pytest.approx(12.0)
    assert t.loc["b", "idle_area_mu"] == pytest.approx(7.5)
    assert t.loc["", "park_name"] == "未归属园区"
    assert t.loc["", "parcels"] == 2
    assert t.loc["__total__", "parcels"] == 6
    assert t.loc["__total__", "idle_area_mu"] == pytest.approx(37.5)
    assert t.loc["__total__", "park_name"] == "合计"


def test_park_without_parcels_shows_zeros_and_english_names():
    t = park_overview_display(park_overview(frame().iloc[:3], PARKS), PARKS, "en")
    assert t.loc["b", "parcels"] == 0
    assert t.loc["b", "park_name"] == "B"
    assert "" not in t.index
    assert t.loc["__total__", "park_name"] == "Total"


def test_missing_workspace_file_says_what_to_do(workspace_backend, tmp_path):
    with pytest.raises(FileNotFoundError) as exc:
        _ = Workspace(tmp_path).parcels_path
    assert isinstance(exc.value, NoParcelFile)
    assert exc.value.item == {"code": "no_parcel_file", "root": str(tmp_path), "candidates": list(PARCEL_FILE_CANDIDATES)}
    # The fix differs by face: the command line runs the sample, the web page uploads.
    cli = error_text(exc.value, "zh", face="cli")
    web = error_text(exc.value, "zh", face="web")
    assert "python -m geo sample" in cli and str(tmp_path) in cli
    assert "数据导入" in web and "python" not in web


def test_install_without_geometry_is_a_coded_error(workspace_backend, tmp_path):
    from geo.accounts import Account
    from geo.io import DataError
    from geo.workspace import install

    with pytest.raises(DataError) as exc:
        install(Workspace(tmp_path), pd.DataFrame({"parcel_id": ["A"]}), "replace", account=Account("管理员", "admin"))
    assert exc.value.code == "install_no_geometry"
    assert error_text(exc.value, "zh") == "导入的表没有图形：工作空间的宗地数据须有宗地界线（面）"
