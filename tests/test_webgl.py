"""WebGL fallback: every part drawn, class colours, nothing fetched from outside; the idle page offers it."""

from __future__ import annotations

import json

import geopandas as gpd
import shapely

from layers.webgl import webgl_parcels


def test_deck_has_every_part_in_its_class_colour_and_no_external_urls():
    multi = shapely.MultiPolygon([shapely.box(500_000, 2_500_000, 500_100, 2_500_100),
                                  shapely.box(500_200, 2_500_000, 500_300, 2_500_100)])
    g = gpd.GeoDataFrame(
        {"parcel_id": ["A", "B", "C"], "idle_status": ["idle_fee", "active", "mystery"]},
        geometry=[multi, shapely.box(500_400, 2_500_000, 500_500, 2_500_100), shapely.box(500_600, 2_500_000, 500_700, 2_500_100)],
        crs=4545,
    )
    deck = webgl_parcels(g, color_col="idle_status", colors={"idle_fee": "#ff0000", "active": "#00ff00"})
    spec = json.loads(deck.to_json())
    data = spec["layers"][0]["data"]
    assert [d["parcel_id"] for d in data] == ["A", "A", "B", "C"]
    assert data[0]["fill"][:3] == [255, 0, 0] and data[2]["fill"][:3] == [0, 255, 0]
    assert data[3]["fill"][:3] == [189, 189, 189]  # unknown class: neutral grey
    # degrees, rounded to 6 decimals (≈ 0.1 m); x = 500,000 m in EPSG:4545 is 108°E
    lon, lat = data[0]["polygon"][0]
    assert abs(lon - 108.0) < 1e-5 and 22 < lat < 23.5
    assert all(len(str(v).split(".")[-1]) <= 6 for p in data for xy in p["polygon"] for v in xy)
    assert "http" not in deck.to_json()
    assert spec["mapStyle"] == "/app/static/map-style-blank.json"  # else Streamlit fetches Carto's style


def test_idle_page_offers_webgl_above_the_map_limit(app, monkeypatch):
    monkeypatch.setenv("GXLAND_MAP_MAX_PARCELS", "10")
    at = app.run()
    at.switch_page("views/idle.py").run()
    assert not at.exception
    assert any("10" in w.value for w in at.warning)
    at.toggle(key="idle_webgl").set_value(True).run()
    assert not at.exception
    assert at.get("deck_gl_json_chart")


def test_deck_shows_guangxi_and_its_cities_like_the_folium_maps():
    g = gpd.GeoDataFrame({"parcel_id": ["A"], "idle_status": ["active"]},
                         geometry=[shapely.box(500_000, 2_500_000, 500_100, 2_500_100)], crs=4545)
    for lang, nanning in (("zh", "南宁市"), ("en", "Nanning")):
        spec = json.loads(webgl_parcels(g, color_col="idle_status", colors={}, lang=lang).to_json())
        kinds = [layer["@@type"] for layer in spec["layers"]]
        assert kinds == ["PolygonLayer", "PathLayer", "ScatterplotLayer", "TextLayer"]  # parcels first
        path, dots, text = spec["layers"][1:]
        assert path["data"] and not path.get("pickable") and not text.get("pickable")
        names = [d["name"] for d in text["data"]]
        assert len(names) == 14 and nanning in names
        # constants stay strings (pydeck would read a bare string as JavaScript)
        assert text["getTextAnchor"] == "end" and dots["radiusUnits"] == "pixels"
        assert set("".join(names)) <= set(text["characterSet"])  # every glyph in the atlas
