"""
The idle map shown and hidden in place: a park's parcels as one file (``layers.classes.ClassLayer``),
the positions a filter shows, the script that shows them, the parcels the map holds, and the
default map's file prepared with a new version.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon, box
from streamlit.testing.v1 import AppTest

from layers.classes import CLASS_PROPERTY, class_layer, shown_positions, shown_script
from tests.conftest import ROOT, shown_tables


def _parcels() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"parcel_id": ["A", "B", "C", "D"], "holder": ["甲<b>", None, "丙", "丁"],
         "idle_status": ["overdue", "stalled", "overdue", "idle_fee"], "area_mu": [1.234, 2.0, 3.0, 4.0]},
        geometry=[box(108.30, 22.80, 108.31, 22.81), Polygon(), box(108.32, 22.80, 108.33, 22.81),
                  box(108.34, 22.80, 108.35, 22.81)],
        index=[10, 11, 12, 13], crs="EPSG:4326")


def test_a_class_layer_holds_the_parcels_with_a_shape_their_class_and_tooltip_fields():
    gdf = _parcels()
    layer = class_layer(gdf, gdf["idle_status"], tooltip_fields={"holder": "用地单位", "area_mu": "面积（亩）"})
    fc = json.loads(layer.blob)
    # B has no shape: not in the file, and the positions skip it
    assert [f["properties"]["parcel_id"] for f in fc["features"]] == ["A", "C", "D"]
    assert list(layer.index) == [10, 12, 13] and len(layer) == 3
    assert [f["properties"][CLASS_PROPERTY] for f in fc["features"]] == ["overdue", "overdue", "idle_fee"]
    assert fc["features"][0]["properties"]["holder"] == "甲&lt;b&gt;"  # escaped, as folium's tooltips get it
    (south, west), (north, east) = layer.bounds
    assert (south, west, north, east) == pytest.approx((22.80, 108.30, 22.81, 108.35))


def test_shown_positions_are_the_file_positions_of_the_rows_shown():
    gdf = _parcels()
    layer = class_layer(gdf, gdf["idle_status"], tooltip_fields={})
    assert shown_positions(layer, gdf.index) is None  # every one: nothing to list
    assert shown_positions(layer, pd.Index([13, 10])) == [0, 2]
    assert shown_positions(layer, pd.Index([11])) == []


def _spec(script: str) -> dict:
    return json.loads(re.match(r"\(function\(\)\{var S=(\{.*?\}),map=", script).group(1))


def test_the_script_lists_the_fewer_of_shown_and_hidden_as_gaps():
    colors = {"overdue": "#fdd835", "idle_fee": "#e53935"}
    script = shown_script([("u1", 10, None), ("u2", 10, [1, 2, 5]), ("u3", 10, [0, 1, 2, 3, 4, 5, 7, 9]),
                           ("u4", 3, []), ("u5", 4, [3], "canvas"), ("u6", 2, None, "geojson")], colors,
                          tooltip_fields={"parcel_id": "宗地编号", "holder": "<i>"}, legend="<div>图例</div>")
    spec = _spec(script)
    assert spec["p"][0] == ["u1", 10, None, None, 0]  # all shown
    assert spec["p"][1] == ["u2", 10, 0, [2, 1, 3], 0]  # shown listed: 1, 2, 5
    assert spec["p"][2] == ["u3", 10, 1, [7, 2], 0]  # hidden listed: 6, 8
    assert spec["p"][3] == ["u4", 3, 0, [], 0]  # none shown
    assert spec["p"][4] == ["u5", 4, 0, [4], 1]  # a part drawn on a canvas (layers.canvas)
    assert spec["p"][5] == ["u6", 2, None, None, 0]
    assert spec["c"] == colors and spec["k"] == CLASS_PROPERTY
    assert spec["f"] == [["parcel_id", "宗地编号"], ["holder", "&lt;i&gt;"]]
    assert spec["lg"] == "<div>图例</div>"
    assert "<" not in script.split(",map=")[0]  # no markup in the script's text


def test_the_script_refuses_a_colour_that_is_not_one():
    with pytest.raises(ValueError):
        shown_script([], {"overdue": "red;background:url(x)"}, tooltip_fields={})


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"park_id": ["a", "a", "a", "a", "a", "b", None],
                         "idle_status": ["overdue", "active", "stalled", "completed", "idle_fee", "overdue", "stalled"],
                         "holder": ["甲公司", "乙", "丙公司", "丁", "戊", "己公司", "庚"],
                         "other": range(7)}, index=[1, 2, 3, 4, 5, 6, 7])


def test_select_parcels_gives_the_filtered_rows_and_the_parks_flagged_ones():
    import views.idle as idle
    from geo.workspace import FLAGGED_STATUSES

    df = _frame()
    for picks in ({"park_ids": ["a"], "statuses": ["overdue", "stalled"], "holder": "公司"},
                  {"park_ids": ["a", ""], "statuses": ["stalled", "active"]},
                  {"park_ids": None, "statuses": None}, {"park_ids": ["b"]}):
        sel, held = idle.select_parcels(df, held_statuses=FLAGGED_STATUSES, **picks)
        pd.testing.assert_frame_equal(sel, idle.filter_parcels(df, **picks))  # the same rows, every column
        in_parks = idle.filter_parcels(df, park_ids=picks["park_ids"])
        wanted = in_parks[in_parks["idle_status"].isin([*FLAGGED_STATUSES, *(picks.get("statuses") or ())])]
        pd.testing.assert_frame_equal(held, wanted)
    sel, held = idle.select_parcels(df, park_ids=["a"], held_statuses=FLAGGED_STATUSES, statuses=["active"])
    assert list(sel.index) == [2] and list(held.index) == [1, 2, 3, 5]  # a status picked is held too
    sel, _ = idle.select_parcels(df, park_ids=None)
    assert sel is df  # everything picked: the shared frame itself


def test_the_map_holds_every_flagged_parcel_of_the_parks_unless_too_many():
    import views.idle as idle
    from geo.workspace import FLAGGED_STATUSES

    df = _frame()
    sel, held = idle.select_parcels(df, park_ids=["a"], held_statuses=FLAGGED_STATUSES, statuses=["overdue"])
    assert list(idle.map_parcels(held, sel, limit=100).index) == [1, 3, 5]
    # more than the map may carry: the selection itself
    assert idle.map_parcels(held, sel, limit=2) is sel


def test_the_idle_map_as_it_opens_is_prepared_with_a_new_version(small_sample):
    from tests.conftest import login_as
    from views import analysis, mapview

    made = mapview.PARTS.made
    analysis.poll_once(None)
    prepared = mapview.PARTS.made
    assert prepared > made  # the first park's flagged parcels, made into the map's file
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["as_of"] = date.today()  # the preparer's date, as the sidebar opens
    login_as(at, Path(os.environ["GXLAND_WORKSPACE"]))
    at.run()
    at.switch_page("views/idle.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert mapview.PARTS.made == prepared  # the page found its map's file ready
    # (the page does use the file: forgotten, the next visit makes it again)
    mapview.PARTS.clear()
    at.switch_page("views/overview.py").run()
    at.switch_page("views/idle.py").run()
    assert not at.exception
    assert mapview.PARTS.made > prepared


def test_the_script_rewrites_the_classes_legend_never_the_imagery_one():
    import folium

    from layers.legend import Legend
    from layers.raster import raster_legend

    script = shown_script([], {"idle_suspected": "#d7301f"}, tooltip_fields={}, legend="<b>x</b>")
    assert "'.gx-legend-classes'" in script
    m = folium.Map()
    Legend("状态", [("疑似闲置", "#d7301f")]).add_to(m)
    raster_legend("zh", with_patches=True).add_to(m)
    page = m.get_root().render()
    assert "'gx-legend gx-legend-' + \"classes\"" in page and "'gx-legend gx-legend-' + \"imagery\"" in page
    with pytest.raises(ValueError):
        Legend("x", [], kind="a b")


def test_the_preparer_measures_the_parks_the_idle_map_shows(small_sample, monkeypatch):
    """The parks' areas the map's labels need are measured in the background, once per process."""
    from geo import crs
    from views import analysis, common

    crs._AREAS.clear()
    analysis.poll_once(None)
    measured = []
    real = crs.area_m2
    monkeypatch.setattr(crs, "area_m2", lambda *a, **k: measured.append(1) or real(*a, **k))
    crs.area_m2_remembered(common.parks())
    assert measured == []  # remembered already


def test_the_preparer_never_imports_streamlit_folium(small_sample):
    """
    streamlit_folium registers its component only when first imported inside a script run: imported
    first by the preparer's thread, the maps of that server process would never load (404).
    """
    import subprocess
    import sys

    code = ("import sys, datetime; from views import analysis, common; "
            "failed = analysis.prepare(common.data_key(), datetime.date.today()); "
            "assert not failed, failed; assert 'streamlit_folium' not in sys.modules, 'imported'")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=dict(os.environ), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_idle_tables_keep_their_formats_without_a_styler(small_sample):
    """Numbers without gaps stay numbers written by a format (亩 1 decimal, 万元 2); gaps are "—"."""
    import words
    from tests.conftest import login_as

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["as_of"] = date.today()
    login_as(at, Path(os.environ["GXLAND_WORKSPACE"]))
    at.run()
    at.switch_page("views/idle.py").run()
    assert not at.exception, [e.value for e in at.exception]
    area, fee = words.header("area_mu", "zh"), words.header("fee_wan", "zh")
    # the summary (a few lines, HTML: views.display.table_html) written by the house's formats
    summary = next(f for f in shown_tables(at) if words.header("status_count", "zh") in f.columns)
    assert summary[area].str.fullmatch(r"[\d,]+\.\d").all() and summary[fee].str.fullmatch(r"[\d,]+\.\d\d").all()
    assert summary[words.header("status_count", "zh")].str.fullmatch(r"[\d,]+").all()
    listing = next(d for d in at.dataframe if words.header("parcel_id", "zh") in d.value.columns and area in d.value.columns)
    config = json.loads(listing.proto.columns)
    for col, fmt in ((area, "%,.1f"), (fee, "%,.2f")):
        if listing.value[col].dtype.kind == "f":
            assert config[col]["type_config"]["format"] == fmt
        else:  # gaps: the column is text, "—" for a gap
            assert listing.value[col].map(lambda v: isinstance(v, str)).all()
    text = listing.value.astype(str)
    assert not text.isin(["None", "nan", "NaT"]).any().any()
