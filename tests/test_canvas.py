"""Parcels on one canvas (layers/canvas.py): the flat arrays sent, the map element, the file it loads."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from layers import highlight_layer, parcel_map
from layers.assets import OWN_BASE_URL, OWN_DIR, own_url
from layers.canvas import ClassCanvas, canvas_data, script_url
from layers.classes import class_layer, draw_classes, shown_positions
from layers.rendered import DATA_TOKEN, render_map

XSS = "<script>alert(1)</script>"


def shapes(crs: int = 4326) -> gpd.GeoDataFrame:
    """A square, a square with a hole (wound the wrong way round), a two-part parcel, a missing shape."""
    holed = Polygon([(108.0, 22.0), (108.0, 22.01), (108.01, 22.01), (108.01, 22.0)],  # clockwise exterior
                    [[(108.004, 22.004), (108.006, 22.004), (108.006, 22.006), (108.004, 22.006)]])  # anticlockwise
    two = MultiPolygon([box(108.02, 22.0, 108.021, 22.001), box(108.03, 22.0, 108.031, 22.001)])
    gdf = gpd.GeoDataFrame(
        {"parcel_id": ["A", "B", "C", "D"], "holder": [XSS, "乙公司", None, "丁"], "far": [1.234, np.nan, 0.5, 2.0],
         "cls": ["ok", "low", "ok", "low"]},
        geometry=[box(108.04, 22.0, 108.041, 22.001), holed, two, None], crs=4326, index=[10, 20, 30, 40])
    return gdf.to_crs(crs)


def test_canvas_data_is_the_ragged_layout_with_escaped_fields_and_text_codes():
    gdf = shapes()
    d = canvas_data(gdf, gdf["cls"], ["parcel_id", "holder", "far"])
    assert d["f"] == ["parcel_id", "holder", "far"]
    # the row without a shape is left out; values as every map's tooltip shows them
    assert d["v"][0] == ["A", "B", "C"]
    assert d["v"][1] == ["&lt;script&gt;alert(1)&lt;/script&gt;", "乙公司", None]
    assert d["v"][2] == [1.23, None, 0.5]
    assert d["k"] == {"u": ["ok", "low"], "i": [0, 1, 0]}
    # features → polygons → rings → vertices: A one ring, B a ring and a hole, C two polygons
    assert d["gn"] == [1, 1, 2]
    assert d["pn"] == [1, 2, 1, 1]
    assert d["rn"] == [5, 5, 5, 5, 5]
    assert len(d["d"]) == 2 * 25 and all(isinstance(v, int) for v in d["d"])


def lonlat(d: dict) -> np.ndarray:
    """The vertices of ``canvas_data``'s ``d`` in degrees."""
    return np.cumsum(np.asarray(d["d"]).reshape(-1, 2), axis=0) / 1e6


def rings_of(d: dict) -> list[np.ndarray]:
    xy, at, out = lonlat(d), 0, []
    for n in d["rn"]:
        out.append(xy[at:at + n])
        at += n
    return out


def test_a_column_of_few_values_is_sent_once_with_positions():
    gdf = pd.concat([shapes().iloc[:3]] * 4, ignore_index=True)
    d = canvas_data(gdf, gdf["cls"], ["parcel_id", "holder"])
    assert d["v"][0] == {"u": ["A", "B", "C"], "i": [0, 1, 2] * 4}
    assert d["v"][1]["u"][2] is None


def test_canvas_data_winds_exteriors_anticlockwise_and_holes_clockwise():
    d = canvas_data(shapes(), shapes()["cls"], ["parcel_id"])
    ccw = [shapely.LinearRing(r).is_ccw for r in rings_of(d)]
    assert ccw == [True, True, False, True, True]  # B's hole (the third ring) the other way round


def test_canvas_data_reprojects_and_rounds_like_every_map():
    gdf = shapes(crs=4545)
    d = canvas_data(gdf, gdf["cls"], ["parcel_id"])
    first = rings_of(d)[0]
    assert np.allclose(first.min(axis=0), [108.04, 22.0], atol=2e-6)
    assert np.allclose(first.max(axis=0), [108.041, 22.001], atol=2e-6)


def test_canvas_data_refuses_shapes_that_are_not_polygons():
    gdf = gpd.GeoDataFrame({"parcel_id": ["a", "b"]}, geometry=[box(0, 0, 1, 1), LineString([(0, 0), (1, 1)])],
                           crs=4326)
    assert canvas_data(gdf, pd.Series(["x", "y"]), ["parcel_id"]) is None
    points = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[Point(0, 0)], crs=4326)
    assert canvas_data(points, pd.Series(["x"]), ["parcel_id"]) is None
    with pytest.raises(KeyError):
        canvas_data(shapes(), shapes()["cls"], ["nope"])


def _canvases(m: folium.Map) -> list[ClassCanvas]:
    return [c for c in m._children.values() if isinstance(c, ClassCanvas)]


def test_many_parcels_are_one_canvas_and_few_are_geojson_layers():
    gdf = shapes()
    colors = {"ok": "#1a9850", "low": "#d73027"}
    tip = {"parcel_id": "宗地编号", "holder": "使用权人"}
    big = parcel_map(gdf, color_col="cls", colors=colors, canvas_from=2, tooltip_fields=tip)
    small = parcel_map(gdf, color_col="cls", colors=colors, canvas_from=100)
    (canvas,) = _canvases(big)
    assert not any(isinstance(c, folium.GeoJson) for c in big._children.values())
    assert _canvases(small) == [] and any(isinstance(c, folium.GeoJson) for c in small._children.values())
    assert canvas.options["colors"] == colors
    assert canvas.data["v"][0] == ["A", "B", "C"]
    html = big.get_root().render()
    # the script is ours, served by the app, its content's digest in the address
    assert f'src="{script_url()}"' in html
    # written into the map when not rendered for a page: escaped, no markup in the script's text
    assert ".setData(" in html and XSS not in html
    assert "\\u0026lt;script\\u0026gt;" in html  # escaped for the tooltip, then for the script


def test_codes_not_listed_are_not_drawn_and_point_markers_keep_geojson():
    gdf = shapes()
    m = draw_classes(gdf, gdf["cls"], [_cls("ok", "#1a9850")], id_col="parcel_id", tooltip_fields={},
                     legend_title="t", prefer_canvas=True)
    (canvas,) = _canvases(m)
    assert canvas.data["v"][0] == ["A", "C"] and canvas.data["k"] == {"u": ["ok"], "i": [0, 0]}
    marked = draw_classes(gdf, gdf["cls"], [_cls("ok", "#1a9850")], id_col="parcel_id", tooltip_fields={},
                          legend_title="t", prefer_canvas=True, point_markers=True)
    assert _canvases(marked) == []


def _cls(code, color):
    from layers.classes import MapClass

    return MapClass(code, code, color)


def test_a_rendered_map_loads_the_canvas_data_as_a_file():
    gdf = shapes()
    m = parcel_map(gdf, color_col="cls", colors={"ok": "#1a9850", "low": "#d73027"}, canvas_from=2)
    rendered = render_map(m, external_from_bytes=10)
    blobs = [json.loads(b) for b in rendered.blobs]
    data = [b for b in blobs if isinstance(b, dict) and "gn" in b]
    assert len(data) == 1 and data[0]["v"][0] == ["A", "B", "C"]
    i = [b for b in blobs].index(data[0])
    assert re.search(r"window\.__gxLoad\(\"" + DATA_TOKEN.format(i=i) + r"\", function \(d\)", rendered.script)
    assert '"d":' not in rendered.script  # the coordinates are not in the script
    assert script_url() in rendered.js_links


def test_class_layer_for_a_canvas_keeps_the_index_and_falls_back_for_other_shapes():
    gdf = shapes()
    part = class_layer(gdf, gdf["cls"], tooltip_fields={"holder": "使用权人"}, canvas=True)
    assert part.kind == "canvas"
    assert list(part.index) == [10, 20, 30]
    d = json.loads(part.blob)
    assert d["f"] == ["parcel_id", "holder"] and d["k"] == {"u": ["ok", "low"], "i": [0, 1, 0]}
    assert shown_positions(part, pd.Index([30, 10])) == [0, 2]
    lines = gpd.GeoDataFrame({"parcel_id": ["a"]}, geometry=[LineString([(0, 0), (1, 1)])], crs=4326)
    assert class_layer(lines, pd.Series(["x"]), tooltip_fields={}, canvas=True).kind == "geojson"


def test_the_highlight_over_a_canvas_takes_no_mouse():
    gdf = shapes()
    host = folium.Map()
    highlight_layer(gdf, "A", tooltip_fields={"holder": "使用权人"}, interactive=False).add_to(host)
    html = host.get_root().render()
    assert '"interactive": false' in html and "bindTooltip" not in html


def test_our_script_is_served_with_its_digest():
    url = own_url("class-canvas.js")
    assert url.startswith(f"{OWN_BASE_URL}/class-canvas.js?v=")
    assert (OWN_DIR / "class-canvas.js").is_file()
    assert url == script_url()
