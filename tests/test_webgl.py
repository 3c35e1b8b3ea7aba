"""
WebGL maps: every part drawn in its class colour, compact per-class data (bytes bounded per
parcel), nothing fetched from outside; the idle and efficiency pages draw big selections with it.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers.webgl import WEBGL_DECIMALS, webgl_parcels


def _boxes(n: int, *, side_m: float = 100.0, crs: int = 4545) -> gpd.GeoDataFrame:
    """``n`` squares of ``side_m`` on a 120 m grid near x = 500 km (108°E) in EPSG:4545."""
    i = np.arange(n)
    x0 = 500_000 + (i % 400) * 120.0
    y0 = 2_500_000 + (i // 400) * 120.0
    return gpd.GeoDataFrame(
        {"parcel_id": [f"450100-GX-{k:06d}" for k in i],
         "idle_status": np.array(["idle_fee", "active", "overdue", "not_due"])[i % 4]},
        geometry=shapely.box(x0, y0, x0 + side_m, y0 + side_m), crs=crs,
    )


def test_every_part_in_its_class_layer_and_colour_and_no_external_urls():
    multi = shapely.MultiPolygon([shapely.box(500_000, 2_500_000, 500_100, 2_500_100),
                                  shapely.box(500_200, 2_500_000, 500_300, 2_500_100)])
    g = gpd.GeoDataFrame(
        {"parcel_id": ["A", "B", "C", "D"], "idle_status": ["idle_fee", "active", "mystery", None]},
        geometry=[multi, shapely.box(500_400, 2_500_000, 500_500, 2_500_100),
                  shapely.box(500_600, 2_500_000, 500_700, 2_500_100), shapely.box(500_800, 2_500_000, 500_900, 2_500_100)],
        crs=4545,
    )
    wm = webgl_parcels(g, color_col="idle_status", colors={"idle_fee": "#ff0000", "active": "#00ff00"},
                       labels={"idle_fee": "闲置（征收闲置费）", "active": "正常使用"}, legend_title="状态")
    # the legend as on the folium maps: known classes in order, then 其他 (grey) and 无数据 (pale)
    assert wm.legend() == [("闲置（征收闲置费）", "#ff0000"), ("正常使用", "#00ff00"), ("其他", "#bdbdbd"),
                           ("无数据", "#f0f0f0")]
    spec = json.loads(wm.deck().to_json())
    parcels = [layer for layer in spec["layers"] if layer["id"].startswith("parcels-")]
    assert [layer["@@type"] for layer in parcels] == ["PolygonLayer"] * 4
    assert [[d["i"] for d in layer["data"]] for layer in parcels] == [["A", "A"], ["B"], ["C"], ["D"]]
    assert [layer["getFillColor"][:3] for layer in parcels] == [[255, 0, 0], [0, 255, 0], [189, 189, 189],
                                                               [240, 240, 240]]
    # a flat outer ring in degrees, 4 vertices (deck.gl closes it), 5 decimals; x = 500 km is 108°E
    ring = parcels[0]["data"][0]["p"]
    assert len(ring) == 8 and parcels[0]["positionFormat"] == "XY"
    assert abs(min(ring[0::2]) - 108.0) < 1e-4 and 22 < ring[1] < 23.5
    assert all(len(str(v).split(".")[-1]) <= WEBGL_DECIMALS for v in ring)
    assert "http" not in wm.deck().to_json()
    assert spec["mapStyle"] == "/app/static/map-style-blank.json"  # else Streamlit fetches Carto's style


def test_layers_read_their_data_from_the_addresses_given():
    wm = webgl_parcels(_boxes(8), color_col="idle_status", colors={"idle_fee": "#ff0000", "active": "#00ff00"})
    assert len(wm.blobs) == 3  # idle_fee, active, 其他 (overdue and not_due are not in ``colors``)
    spec = json.loads(wm.deck([f"media/{i}.json" for i in range(3)]).to_json())
    assert [layer["data"] for layer in spec["layers"][:3]] == ["media/0.json", "media/1.json", "media/2.json"]
    with pytest.raises(ValueError):
        wm.deck(["media/0.json"])


def test_payload_of_50k_parcels_is_compact():
    g = _boxes(50_000)
    wm = webgl_parcels(g, color_col="idle_status", colors={"idle_fee": "#e53935", "active": "#43a047"})
    assert sum(c.n for c in wm.classes) == 50_000 and not wm.points
    # {"i":"450100-GX-000001","p":[8 numbers]} ≈ 105 bytes; the list of dicts this replaced took ~630
    assert wm.nbytes < 120 * 50_000
    points = webgl_parcels(g, color_col="idle_status", colors={"idle_fee": "#e53935"}, points_from=50_000)
    assert points.points and sum(c.n for c in points.classes) == 50_000
    assert points.nbytes < 52 * 50_000
    spec = json.loads(points.deck().to_json())
    dots = spec["layers"][0]
    assert dots["@@type"] == "ScatterplotLayer" and len(dots["data"][0]["p"]) == 2
    # the point lies inside its parcel
    x, y = dots["data"][0]["p"]
    first = gpd.GeoSeries([g.geometry.iloc[0]], crs=4545).to_crs(4326).iloc[0]
    assert first.buffer(1e-4).contains(shapely.Point(x, y))
    # the deck itself (layer definitions, Guangxi's outline, city names) stays small
    assert len(points.deck(["media/x.json"] * len(points.blobs)).to_json()) < 150_000


def test_deck_shows_guangxi_and_its_cities_like_the_folium_maps():
    g = gpd.GeoDataFrame({"parcel_id": ["A"], "idle_status": ["active"]},
                         geometry=[shapely.box(500_000, 2_500_000, 500_100, 2_500_100)], crs=4545)
    for lang, nanning, other in (("zh", "南宁市", "其他"), ("en", "Nanning", "Other")):
        wm = webgl_parcels(g, color_col="idle_status", colors={}, lang=lang)
        assert wm.legend() == [(other, "#bdbdbd")]
        spec = json.loads(wm.deck().to_json())
        kinds = [layer["@@type"] for layer in spec["layers"]]
        assert kinds == ["PolygonLayer", "PathLayer", "ScatterplotLayer", "TextLayer"]  # parcels first
        path, dots, text = spec["layers"][1:]
        assert path["data"] and not path.get("pickable") and not text.get("pickable")
        names = [d["name"] for d in text["data"]]
        assert len(names) == 14 and nanning in names
        # constants stay strings (pydeck would read a bare string as JavaScript)
        assert text["getTextAnchor"] == "end" and dots["radiusUnits"] == "pixels"
        assert set("".join(names)) <= set(text["characterSet"])  # every glyph in the atlas
        # fixed layer ids: the same selection gives the same message, sent once
        assert wm.deck().to_json() == wm.deck().to_json()
        # without the names: the same layers less the text
        assert [layer["@@type"] for layer in json.loads(wm.deck(city_names=False).to_json())["layers"]] == kinds[:-1]
        bare = json.loads(wm.deck(city_names=False, boundary=False).to_json())["layers"]
        assert [layer["id"] for layer in bare] == ["parcels-0", "city-seats"]


def test_empty_selection_shows_guangxi():
    g = _boxes(2).iloc[:0]
    wm = webgl_parcels(g, color_col="idle_status", colors={"active": "#00ff00"})
    assert wm.blobs == () and wm.legend() == []
    view = json.loads(wm.deck().to_json())["initialViewState"]
    assert 104 < view["longitude"] < 112.1 and 20.9 < view["latitude"] < 26.4


def test_idle_page_draws_big_selections_with_webgl(app, monkeypatch):
    monkeypatch.setenv("GXLAND_MAP_MAX_PARCELS", "10")
    at = app.run()
    at.switch_page("views/idle.py").run()
    assert not at.exception
    assert any("上限 10 宗" in i.value and "WebGL" in i.value for i in at.info)
    assert at.get("deck_gl_json_chart")
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    # the parcels are files the browser fetches from the app (Streamlit's media), not in the message
    data = [layer["data"] for layer in spec["layers"] if layer["id"].startswith("parcels-")]
    # (relative to the page, so a server.baseUrlPath is kept; AppTest's media live under mock/)
    assert data and all(re.fullmatch(r"(mock/)?media/[0-9a-f]+\.json", d) for d in data)


def test_efficiency_page_draws_big_selections_with_webgl(app, monkeypatch):
    monkeypatch.setenv("GXLAND_MAP_MAX_PARCELS", "10")
    at = app.run()
    at.switch_page("views/intensity.py").run()
    assert not at.exception
    assert any("上限 10 宗" in i.value for i in at.info)
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert any(layer["id"].startswith("parcels-") for layer in spec["layers"])
    legend = [m.value for m in at.markdown if "gx-legend" in m.value]
    assert legend and "容积率达标情况" in legend[0]


def test_parcels_smaller_than_a_couple_of_pixels_are_drawn_as_points_when_asked():
    from layers.webgl import POINTS_BELOW_PX, parcel_px

    # 2,000 parcels of 10 m spread over ~20 km (the grid's rows 120 m apart, cells 10 m wide):
    # a parcel is a fraction of a pixel at the zoom that shows them all
    i = np.arange(2000)
    x0 = 500_000 + (i % 40) * 500.0
    y0 = 2_500_000 + (i // 40) * 400.0
    tiny = gpd.GeoDataFrame({"parcel_id": [f"P{k}" for k in i], "idle_status": "active"},
                            geometry=shapely.box(x0, y0, x0 + 10, y0 + 10), crs=4545)
    web = tiny.to_crs(4326)
    assert parcel_px(web.geometry.array, web.total_bounds) < POINTS_BELOW_PX
    colors = {"active": "#43a047"}
    assert not webgl_parcels(tiny, color_col="idle_status", colors=colors).points  # by count alone: outlines
    dots = webgl_parcels(tiny, color_col="idle_status", colors=colors, points_below_px=POINTS_BELOW_PX)
    assert dots.points and sum(c.n for c in dots.classes) == 2000
    layer = json.loads(dots.deck().to_json())["layers"][0]
    assert layer["@@type"] == "ScatterplotLayer" and len(layer["data"][0]["p"]) == 2
    # 400 parcels of 100 m side by side over ~2.4 km are many pixels wide: still outlines
    j = np.arange(400)
    x1, y1 = 500_000 + (j % 20) * 120.0, 2_500_000 + (j // 20) * 120.0
    big = gpd.GeoDataFrame({"parcel_id": [f"B{k}" for k in j], "idle_status": "active"},
                           geometry=shapely.box(x1, y1, x1 + 100, y1 + 100), crs=4545)
    assert parcel_px(big.to_crs(4326).geometry.array, big.to_crs(4326).total_bounds) > 5 * POINTS_BELOW_PX
    outlines = webgl_parcels(big, color_col="idle_status", colors=colors, points_below_px=POINTS_BELOW_PX)
    assert not outlines.points
    assert json.loads(outlines.deck().to_json())["layers"][0]["@@type"] == "PolygonLayer"


@pytest.mark.parametrize("below_px", [0.0, 1e9])
def test_efficiency_page_draws_parcels_smaller_than_pixels_as_points(app, monkeypatch, below_px):
    import layers.webgl

    monkeypatch.setenv("GXLAND_MAP_MAX_PARCELS", "10")
    # 0: no parcel is that small (outlines); 1e9: every parcel is (points)
    monkeypatch.setattr(layers.webgl, "POINTS_BELOW_PX", below_px)  # the page reads it at each run
    at = app.run()
    at.switch_page("views/intensity.py").run()
    assert not at.exception
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    kinds = {layer["@@type"] for layer in spec["layers"] if layer["id"].startswith("parcels-")}
    points = below_px > 0
    assert kinds == ({"ScatterplotLayer"} if points else {"PolygonLayer"})
    # the page says so when it draws points
    captions = [c.value for c in at.caption]
    assert any("每宗地以一个点表示" in c for c in captions) == points, captions
    # one park's map: the city seats for orientation, not their names nor Guangxi's boundary
    # (text and path layers are the costliest to set up in software WebGL)
    ids = [layer["id"] for layer in spec["layers"]]
    assert "city-seats" in ids and "guangxi-boundary" not in ids and "city-names" not in ids
