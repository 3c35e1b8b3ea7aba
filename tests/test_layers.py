"""Map builders: offline assets, basemaps, lean and escaped GeoJSON, legends, click handling."""

from __future__ import annotations

import json
import re
from typing import ClassVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from folium.elements import JSCSSMixin

from geo.crs import CRSError
from layers import (
    MAX_PARCELS_PER_MAP,
    AssetError,
    BasemapError,
    Legend,
    MapTooLargeError,
    available_basemaps,
    check_map_size,
    choropleth,
    clicked_parcel_id,
    clicked_park_id,
    highlight_layer,
    parcel_map,
    park_map,
    use_local_assets,
)
from layers.assets import GENERATED_FILES, LOCAL_CSS, LOCAL_JS, NPM_FILES, vendored_paths
from layers.base import feature_collection
from layers.basemap import TIANDITU_ENV
from layers.orientation import (
    BOUNDARY_FILE,
    CITIES_FILE,
    Labels,
    MapFrame,
    Orientation,
    Rings,
    boundary_geojson,
    city_records,
)
from layers.parcels import class_edges, class_labels, classify
from layers.parks import park_labels, short_name

XSS = "<script>alert(1)</script>"
COLORS = {"idle": "#e31a1c", "ok": "#2ca25f"}
LABELS = {"idle": "闲置", "ok": "正常"}


def boxes(n: int = 3, *, crs: int = 4545) -> gpd.GeoDataFrame:
    """``n`` 100 m squares side by side; the first corner sits on 108°E (x = 500,000 in EPSG:4545)."""
    x0 = 500_000.0 + 200.0 * np.arange(n)
    return gpd.GeoDataFrame(
        {
            "parcel_id": [f"P{i}" for i in range(n)],
            "holder": ([XSS] + [f"公司{i}" for i in range(1, n)])[:n],
            "status": (["idle", "ok"] * n)[:n],
            "land_price_wan": np.full(n, 1234.5678),
        },
        geometry=shapely.box(x0, 2_500_000.0, x0 + 100.0, 2_500_100.0),
        crs=crs,
    )


def html_of(m: folium.Map) -> str:
    return m.get_root().render()


def geojson_layers(m: folium.Map) -> list[folium.GeoJson]:
    return [c for c in m._children.values() if isinstance(c, folium.GeoJson)]


def features(m: folium.Map) -> list[dict]:
    return [f for layer in geojson_layers(m) for f in layer.data["features"]]


def legend_of(m: folium.Map) -> Legend:
    (legend,) = [c for c in m._children.values() if isinstance(c, Legend)]
    return legend


def simple_map(gdf=None, **kw) -> folium.Map:
    gdf = boxes() if gdf is None else gdf
    kw.setdefault("tooltip_fields", {"holder": "使用权人", "status": "状态"})
    return parcel_map(gdf, color_col="status", colors=COLORS, labels=LABELS, **kw)


# --- offline assets ---------------------------------------------------------------------------


def resource_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', html)


def test_map_html_loads_no_cdn_url():
    html = html_of(simple_map())
    urls = resource_urls(html)
    assert urls, "the page must still load Leaflet"
    assert all(u.startswith("/app/static/vendor/") for u in urls), urls
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    for cdn in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "netdna.bootstrapcdn.com"):
        assert cdn not in html


def test_use_local_assets_is_idempotent_and_keeps_names():
    use_local_assets()
    first = (list(folium.Map.default_js), list(folium.Map.default_css))
    use_local_assets()
    assert (folium.Map.default_js, folium.Map.default_css) == first
    assert [n for n, _ in folium.Map.default_js] == ["leaflet", "jquery", "bootstrap", "awesome_markers"]
    use_local_assets("/other/")
    assert folium.Map.default_js[0] == ("leaflet", "/other/leaflet/leaflet.js")
    use_local_assets()
    assert folium.Map.default_js == first[0]


def test_a_map_loads_only_the_resources_it_uses():
    # streamlit-folium loads a map's scripts one after another: jQuery, Bootstrap's script and the
    # awesome markers (folium.Icon) cost a round trip and a parse each on every map drawn.
    from layers.rendered import render_map

    rendered = render_map(simple_map())
    assert [u.rsplit("/", 1)[-1] for u in rendered.js_links] == ["leaflet.js"]
    css = [u.rsplit("/", 1)[-1] for u in rendered.css_links]
    assert css == ["leaflet.css", "bootstrap.min.css"]
    assert "L.geoJson" in rendered.script or "__gxLoad" in rendered.script


def test_a_map_that_uses_a_resource_keeps_it():
    from layers.rendered import render_map

    m = simple_map()
    folium.Marker([22.8, 108.3], icon=folium.Icon(icon="flag")).add_to(m)
    folium.Marker([22.8, 108.4], popup=folium.Popup("<b>地块</b>", parse_html=False)).add_to(m)
    rendered = render_map(m)
    js = [u.rsplit("/", 1)[-1] for u in rendered.js_links]
    assert {"leaflet.js", "jquery.min.js", "leaflet.awesome-markers.js"} <= set(js)
    css = [u.rsplit("/", 1)[-1] for u in rendered.css_links]
    assert {"leaflet.awesome-markers.css", "bootstrap-glyphicons.css"} <= set(css)
    # the drawing tool's own script is never dropped
    from folium.plugins import Draw

    m = simple_map()
    Draw().add_to(m)
    assert "leaflet.draw.js" in [u.rsplit("/", 1)[-1] for u in render_map(m).js_links]


def test_use_local_assets_refuses_an_unvendored_resource():
    class Plugin(JSCSSMixin):
        default_js: ClassVar = [
            ("leaflet", "https://cdn.example/leaflet.js"),
            ("mystery", "https://cdn.example/m.js"),
        ]
        default_css: ClassVar = []

    with pytest.raises(AssetError, match=r"mystery.*fetch_assets"):
        use_local_assets(classes=(Plugin,))


def test_every_local_url_is_fetched_by_the_fetch_script():
    produced = vendored_paths()
    for rel in [*LOCAL_JS.values(), *LOCAL_CSS.values()]:
        assert rel in produced
    assert set(GENERATED_FILES) <= set(produced)
    # exact versions, as named in folium's CDN URLs
    assert all("@" in f.package.lstrip("@") for f in NPM_FILES)


# --- basemaps ---------------------------------------------------------------------------------


def test_basemap_none_has_no_tile_layer():
    html = html_of(simple_map(basemap="none"))
    assert "L.tileLayer" not in html
    assert "tile.openstreetmap.org" not in html


def test_osm_tiles_are_the_only_remote_url():
    html = html_of(simple_map(basemap="osm"))
    assert html.count("L.tileLayer(") == 1
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert all(u.startswith("/app/static/") for u in resource_urls(html))


def test_tianditu_without_key_is_refused(monkeypatch):
    monkeypatch.delenv(TIANDITU_ENV, raising=False)
    with pytest.raises(BasemapError, match=TIANDITU_ENV) as err:
        simple_map(basemap="tianditu_vec")
    assert str(err.value).startswith("天地图底图需要密钥")  # the page shows it as it is
    assert available_basemaps() == ["none", "osm"]


@pytest.mark.parametrize(
    ("choice", "base", "note"), [("tianditu_vec", "vec", "cva"), ("tianditu_img", "img", "cia")]
)
def test_tianditu_layers_use_web_mercator_and_the_key(monkeypatch, choice, base, note):
    monkeypatch.setenv(TIANDITU_ENV, "abc123")
    html = html_of(simple_map(basemap=choice))
    assert html.count("L.tileLayer(") == 2
    for layer in (base, note):
        assert f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?" in html
        assert f"LAYER={layer}&" in html.replace("\\u0026", "&")
    assert "TILEMATRIXSET=w" in html
    assert "tk=abc123" in html
    assert "tianditu_img" in available_basemaps()


def test_tianditu_key_argument_wins_and_is_url_quoted(monkeypatch):
    monkeypatch.setenv(TIANDITU_ENV, "fromenv")
    html = html_of(simple_map(basemap="tianditu_vec", tianditu_key="a&b"))
    assert "tk=a%26b" in html
    assert "fromenv" not in html


def test_unknown_basemap_and_no_gcj02_choice():
    with pytest.raises(BasemapError, match="未知底图“amap”") as err:
        simple_map(basemap="amap")
    assert err.value.code == "basemap_unknown"
    with pytest.raises(BasemapError, match="unknown basemap 'amap'"):
        simple_map(basemap="amap", lang="en")


# --- GeoJSON sent to the browser ----------------------------------------------------------------


def coordinate_strings(html: str) -> list[str]:
    blocks = re.findall(r'"coordinates": (\[[\d\[\]., -]+\])', html)
    assert blocks
    return [num for b in blocks for num in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", b)]


def test_coordinates_rounded_to_six_decimals():
    html = html_of(simple_map())
    nums = coordinate_strings(html)
    decimals = [len(n.split(".")[1]) if "." in n else 0 for n in nums]
    assert max(decimals) <= 6
    assert max(decimals) >= 4  # not rounded away


def test_coordinates_are_wgs84_and_exact_on_the_central_meridian():
    # x = 500,000 m in EPSG:4545 is the central meridian, 108°E exactly.
    fc = feature_collection(boxes(1), ["parcel_id"])
    ring = fc["features"][0]["geometry"]["coordinates"][0]
    lons = sorted({pt[0] for pt in ring})
    assert lons[0] == 108.0
    # 100 m east at 22.6°N is ≈ 0.000974°
    assert lons[1] - lons[0] == pytest.approx(100 / (111_320 * np.cos(np.radians(22.6))), rel=0.01)
    assert all(round(c, 6) == c for pt in ring for c in pt)


def test_same_map_from_geographic_input():
    a = features(simple_map(boxes(2)))
    b = features(simple_map(boxes(2).to_crs(4490)))
    assert [f["geometry"] for f in a] == [f["geometry"] for f in b]


def test_data_text_is_html_escaped():
    m = simple_map(tooltip_fields={"holder": "<i>使用权人</i>"})
    html = html_of(m)
    assert XSS not in html
    assert "<i>" not in html
    holders = {f["properties"]["holder"] for f in features(m)}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in holders
    aliases = {
        a
        for layer in geojson_layers(m)
        for c in layer._children.values()
        if hasattr(c, "aliases")
        for a in c.aliases
    }
    assert "&lt;i&gt;使用权人&lt;/i&gt;" in aliases


def test_only_tooltip_fields_and_id_are_sent():
    m = simple_map(tooltip_fields={"holder": "使用权人"})
    for f in features(m):
        assert set(f["properties"]) == {"parcel_id", "holder"}
    assert "1234.5" not in html_of(m)  # land_price_wan stayed home
    assert "land_price_wan" not in html_of(m)


def test_float_fields_are_rounded_for_the_tooltip():
    m = simple_map(tooltip_fields={"land_price_wan": "价款"})
    assert {f["properties"]["land_price_wan"] for f in features(m)} == {1234.57}


def test_status_shown_by_label_and_layers_per_class():
    m = simple_map(boxes(3))
    layers = geojson_layers(m)
    assert len(layers) == 2
    by_status = {f["properties"]["parcel_id"]: f["properties"]["status"] for f in features(m)}
    assert by_status == {"P0": "闲置", "P1": "正常", "P2": "闲置"}
    fills = {layer.style_function(None)["fillColor"] for layer in layers}
    assert fills == {"#e31a1c", "#2ca25f"}


def test_unknown_and_missing_classes_get_other_and_no_data():
    g = boxes(4)
    g["status"] = ["idle", "weird", None, "ok"]
    legend = legend_of(simple_map(g))
    assert [label for label, _ in legend.items] == ["闲置", "正常", "其他", "无数据"]
    assert len(features(simple_map(g))) == 4


def test_legend_labels_present_and_escaped():
    m = parcel_map(boxes(2), color_col="status", colors=COLORS, labels={"idle": "闲置<b>", "ok": "正常"})
    legend = legend_of(m)
    assert [label for label, _ in legend.items] == ["闲置<b>", "正常"]
    assert "闲置&lt;b&gt;" in legend.html
    assert "正常" in legend.html
    assert "<b>" not in legend.html
    assert legend.get_name() in html_of(m)


def test_legend_refuses_a_colour_that_is_not_a_colour():
    with pytest.raises(ValueError, match="colour"):
        parcel_map(boxes(1), color_col="status", colors={"idle": "red;background:url(x)"})


def test_highlight_draws_the_selected_parcel_on_top():
    m = simple_map(highlight_id="P1")
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert list(m._children.values()).index(groups[-1]) > max(
        list(m._children.values()).index(layer) for layer in geojson_layers(m)
    )
    (top,) = groups[-1]._children.values()
    assert [f["properties"]["parcel_id"] for f in top.data["features"]] == ["P1"]
    assert top.style_function(None)["weight"] == 4
    assert "选中" in [label for label, _ in legend_of(m).outline]
    assert len(features(simple_map())) == 3


def test_highlight_layer_for_st_folium_leaves_the_map_alone():
    g = boxes(3)
    group = highlight_layer(g, "P2", tooltip_fields={"holder": "使用权人"})
    (layer,) = group._children.values()
    assert [f["properties"] for f in layer.data["features"]] == [{"parcel_id": "P2", "holder": "公司2"}]
    assert highlight_layer(g, "nope") is None
    assert highlight_layer(g, None) is None


def test_parks_outline_is_not_clickable():
    parks = gpd.GeoDataFrame(
        {"park_id": ["nn"]}, geometry=[shapely.box(499_000, 2_499_000, 502_000, 2_501_000)], crs=4545
    )
    m = simple_map(parks=parks)
    outline = geojson_layers(m)[0]
    assert outline.options.get("interactive") is False
    assert outline.data["features"][0]["properties"] == {}


def test_empty_selection_draws_an_empty_map():
    html = html_of(simple_map(boxes(0)))
    assert "L.map(" in html


def test_missing_crs_and_missing_id_are_refused():
    g = boxes(1)
    with pytest.raises(CRSError):
        simple_map(g.set_crs(None, allow_override=True))
    with pytest.raises(KeyError, match="parcel_id"):
        simple_map(g.drop(columns="parcel_id"))


# --- size limit ---------------------------------------------------------------------------------


def test_check_map_size_boundary():
    assert check_map_size(MAX_PARCELS_PER_MAP) is None
    msg = check_map_size(MAX_PARCELS_PER_MAP + 1)
    assert msg and f"{MAX_PARCELS_PER_MAP + 1:,}" in msg and "WebGL" in msg
    assert "narrow" in check_map_size(10, limit=9, lang="en")


def test_too_many_parcels_are_refused_with_the_message():
    with pytest.raises(MapTooLargeError, match="3"):
        simple_map(boxes(4), max_parcels=3)
    assert len(features(simple_map(boxes(3), max_parcels=3))) == 3


# --- numeric maps -------------------------------------------------------------------------------


def test_classes_are_left_closed_with_a_closed_last_class():
    edges = np.array([0.0, 0.5, 0.8, 1.0])
    far = gpd.pd.Series([0.0, 0.49, 0.5, 0.8, 0.99, 1.0, 1.2, -0.1, np.nan])
    assert classify(far, edges).tolist() == [0, 0, 1, 2, 2, 2, -1, -1, -2]
    assert class_labels(edges) == ["0 ≤ x < 0.5", "0.5 ≤ x < 0.8", "0.8 ≤ x ≤ 1"]
    assert class_labels(np.array([-np.inf, 0.8, np.inf])) == ["x < 0.8", "x ≥ 0.8"]


def test_quantile_edges_cover_the_data():
    v = gpd.pd.Series([0.1, 0.2, 0.3, 0.4, np.nan])
    edges = class_edges(v, 2)
    assert edges.tolist() == [0.1, 0.25, 0.4]
    assert class_edges(gpd.pd.Series([2.0, 2.0]), 3).tolist() == [2.0, 2.01]
    with pytest.raises(ValueError, match="increasing"):
        class_edges(v, [1.0, 0.5])


def test_choropleth_colours_by_class_with_legend():
    g = boxes(4)
    g["far"] = [0.3, 0.8, 1.5, np.nan]
    m = choropleth(g, "far", bins=[0, 0.8, np.inf], label="容积率")
    legend = legend_of(m)
    assert [label for label, _ in legend.items] == ["0 ≤ x < 0.8", "x ≥ 0.8", "无数据"]
    layer_ids = [
        [f["properties"]["parcel_id"] for f in layer.data["features"]] for layer in geojson_layers(m)
    ]
    assert layer_ids == [["P0"], ["P1", "P2"], ["P3"]]
    assert "容积率" in legend.html
    assert set(features(m)[0]["properties"]) == {"parcel_id", "far"}


# --- parks overview -----------------------------------------------------------------------------


def parks_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "park_id": ["nn", "wz", "bh"],
            "name_zh": ["南宁高新区", "梧州<高新区>", "北海高新区"],
            "name_en": ["Nanning", None, "Beihai"],
            "level": ["national", "regional", "国家级"],
            "city": ["南宁", "梧州", "北海"],
            "idle_area_mu": [12.5, 0.0, 3.0],
        },
        geometry=[
            shapely.box(500_000, 2_500_000, 501_000, 2_501_000),  # 1 km² = 1500 亩 = 100 ha
            shapely.box(510_000, 2_500_000, 510_300, 2_500_100),  # 30,000 m² = 45 亩 = 3 ha
            shapely.box(520_000, 2_500_000, 520_200, 2_500_200),
        ],
        crs=4545,
    )


def test_park_map_colours_by_level_with_area_in_mu_and_ha():
    m = park_map(parks_frame())
    props = {f["properties"]["park_id"]: f["properties"] for f in features(m)}
    assert props["nn"]["area_mu"] == 1500.0
    assert props["nn"]["area_ha"] == 100.0
    assert props["wz"]["area_mu"] == 45.0
    assert props["wz"]["area_ha"] == 3.0
    assert props["bh"]["level_label"] == "国家级"
    assert props["wz"]["name"] == "梧州&lt;高新区&gt;"
    assert set(props["nn"]) == {"park_id", "name", "level_label", "city", "area_mu", "area_ha"}
    layers_ = geojson_layers(m)
    national, regional = (la for la in layers_ if la.data["features"][0]["geometry"]["type"] != "Point")
    # each class also marks its parks with circles of its colour (specks at region zoom otherwise)
    marks = [la for la in layers_ if la.data["features"][0]["geometry"]["type"] == "Point"]
    assert [la.style_function(None)["fillColor"] for la in marks] == ["#d62728", "#1f77b4"]
    assert national.style_function(None)["fillColor"] == "#d62728"
    assert sorted(f["properties"]["park_id"] for f in national.data["features"]) == ["bh", "nn"]
    assert [f["properties"]["park_id"] for f in regional.data["features"]] == ["wz"]
    assert [label for label, _ in legend_of(m).items] == ["国家级", "自治区级"]


def test_park_map_english_and_aggregates_in_tooltip():
    m = park_map(parks_frame(), lang="en", tooltip_fields={"name": "Park", "idle_area_mu": "Idle (mu)"})
    props = {f["properties"]["park_id"]: f["properties"] for f in features(m)}
    assert props["nn"] == {"park_id": "nn", "name": "Nanning", "idle_area_mu": 12.5}
    assert props["wz"]["name"] == "梧州&lt;高新区&gt;"  # no English name: falls back to Chinese
    assert [label for label, _ in legend_of(m).items] == ["National", "Region-level"]


def test_park_map_colour_by_other_column():
    m = park_map(parks_frame(), color_by="city")
    assert [label for label, _ in legend_of(m).items] == ["北海", "南宁", "梧州"]


# --- clicks -------------------------------------------------------------------------------------

REAL_RESULT = {
    "last_clicked": {"lat": 22.59, "lng": 108.0},
    "last_object_clicked": {"lat": 22.59, "lng": 108.0},
    "last_active_drawing": {
        "type": "Feature",
        "properties": {"parcel_id": "450100-000015", "holder": "某公司"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[108.0, 22.59], [108.001, 22.59], [108.001, 22.591]]],
        },
    },
}


@pytest.mark.parametrize(
    "result",
    [
        None,
        {},
        "not a dict",
        {"last_active_drawing": None},
        {"last_active_drawing": {"type": "Feature"}},
        {"last_active_drawing": {"properties": None}},
        {"last_active_drawing": {"properties": {"park_id": "nn"}}},
        {"last_active_drawing": {"properties": {"parcel_id": ""}}},
        {"last_active_drawing": {"properties": {"parcel_id": None}}},
    ],
)
def test_clicked_parcel_id_none_when_nothing_usable(result):
    assert clicked_parcel_id(result) is None


def test_clicked_parcel_id_from_a_real_result():
    assert clicked_parcel_id(REAL_RESULT) == "450100-000015"
    assert clicked_park_id(REAL_RESULT) is None
    assert clicked_parcel_id({"last_active_drawing": {"properties": {"parcel_id": 17}}}) == "17"


def test_clicked_parcel_id_undoes_the_escaping():
    g = boxes(1)
    g["parcel_id"] = ["A&B<1>"]
    sent = features(simple_map(g))[0]
    assert sent["properties"]["parcel_id"] == "A&amp;B&lt;1&gt;"
    assert clicked_parcel_id({"last_active_drawing": sent}) == "A&B<1>"


def test_feature_collection_is_valid_json_roundtrip():
    fc = feature_collection(boxes(2), ["parcel_id", "holder"])
    text = json.dumps(fc)
    assert json.dumps(json.loads(text)) == text
    assert [f["properties"]["parcel_id"] for f in fc["features"]] == ["P0", "P1"]


def test_idle_status_colours_cover_every_status_in_legend_order():
    from geo.idle import IDLE_STATUSES
    from layers.classes import IDLE_STATUS_COLORS

    assert tuple(IDLE_STATUS_COLORS) == IDLE_STATUSES
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in IDLE_STATUS_COLORS.values())
    assert len(set(IDLE_STATUS_COLORS.values())) == len(IDLE_STATUSES)


def test_map_view_fits_one_parcel_closely_and_a_park_loosely():
    from layers.classes import map_view

    crs = "EPSG:4545"  # CGCS2000 / 3-degree GK CM 108E, metres
    x0, y0 = 500_000.0, 2_530_000.0
    one = gpd.GeoDataFrame({"parcel_id": ["A"]}, geometry=[shapely.box(x0, y0, x0 + 100, y0 + 100)], crs=crs)
    big = gpd.GeoDataFrame({"parcel_id": ["B"]}, geometry=[shapely.box(x0, y0, x0 + 10_000, y0 + 10_000)], crs=crs)
    (lat, lon), zoom = map_view(one)
    assert 22.8 < lat < 22.9 and 107.9 < lon < 108.1
    assert zoom >= 16  # 100 m fills a 560 px map at about z17
    assert map_view(big)[1] <= zoom - 6  # 100 × wider → about 6.6 levels out
    assert map_view(one.iloc[:0]) is None


# --- orientation: Guangxi's boundary, cities, labels, scale, attribution ------------------------


GUANGXI_CITIES = ("南宁市", "柳州市", "桂林市", "梧州市", "北海市", "防城港市", "钦州市", "贵港市", "玉林市",
                  "百色市", "贺州市", "河池市", "来宾市", "崇左市")


def js(text: str) -> str:
    """How a string appears in the page: jinja's ``tojson`` escapes non-ASCII characters."""
    return json.dumps(text)[1:-1]


def children(m: folium.Map, cls: type) -> list:
    return [c for c in m._children.values() if isinstance(c, cls)]


def test_boundary_and_cities_data_state_source_and_licence():
    for path in (BOUNDARY_FILE, CITIES_FILE):
        fc = json.loads(path.read_text(encoding="utf-8"))
        assert fc["source"] and fc["licence"]
        assert all(f["properties"]["source"] and f["properties"]["licence"] for f in fc["features"])
    boundary = gpd.read_file(BOUNDARY_FILE)
    assert "Natural Earth" in boundary.loc[0, "source"] and "public domain" in boundary.loc[0, "licence"].lower()
    # Guangxi: 104.4–112.1°E, 20.9–26.4°N, ≈ 237,600 km² (the 1:10m outline, simplified, within 2 %)
    west, south, east, north = boundary.total_bounds
    assert 104.2 < west < 104.7 and 111.9 < east < 112.2 and 20.8 < south < 21.5 and 26.2 < north < 26.5
    assert boundary.to_crs(4547).area.sum() / 1e6 == pytest.approx(237_600, rel=0.02)
    cities = gpd.read_file(CITIES_FILE)
    assert sorted(cities["name_zh"]) == sorted(GUANGXI_CITIES)
    assert cities.within(boundary.union_all()).all()
    assert "GeoNames" in cities.loc[0, "source"] and "CC BY 4.0" in cities.loc[0, "licence"]
    # every park of the shipped sample lies inside the boundary
    parks = gpd.read_file(BOUNDARY_FILE.parent / "parks.geojson")
    assert parks.representative_point().within(boundary.union_all()).all()


@pytest.mark.parametrize("build", [lambda: simple_map(), lambda: park_map(parks_frame())])
def test_every_map_draws_the_boundary_and_labelled_cities(build):
    m = build()
    html = html_of(m)
    assert len(children(m, Orientation)) == 1
    assert "L.geoJSON(" in html and "interactive: false" in html
    first = boundary_geojson()["features"][0]["geometry"]["coordinates"][0][0][0]
    assert json.dumps(first[0]) in html  # the boundary's own coordinates are on the page
    assert len(city_records()) == 14
    for city in GUANGXI_CITIES:
        assert js(city) in html
    assert "gx-label-city" in html
    assert js("自治区界") in html and js("设区市驻地") in html  # the key, in Chinese


def test_scale_bar_is_metric_only_and_attribution_has_no_flag():
    html = html_of(simple_map())
    assert "L.control.scale({metric: true, imperial: false" in html
    assert "L.control.scale()" not in html  # folium's own (with miles) is off
    assert 'setPrefix("Leaflet")' in html
    (frame,) = children(simple_map(), MapFrame)
    assert "Natural Earth" in frame.attribution and "GeoNames" in frame.attribution
    assert "<svg" not in frame.prefix and "flag" not in frame.prefix.lower()


def test_english_map_words():
    html = html_of(park_map(parks_frame(), lang="en"))
    assert "Regional boundary" in html and js("Nanning") in html
    assert js("南宁市") not in html  # city labels in English
    assert "Boundary Natural Earth" in html


def test_park_labels_are_short_names_and_the_selected_one_stands_out():
    m = park_map(parks_frame(), highlight_id="nn")
    by_class: dict[str, list] = {}
    for lab in children(m, Labels):
        by_class.setdefault(lab.css_class, []).extend(lab.points)
    parks_ = [p["text"] for p in by_class["gx-label gx-label-park"]]
    assert sorted(parks_) == ["北海高新区", "梧州&lt;高新区&gt;"]  # escaped
    assert [p["text"] for p in by_class["gx-label gx-label-selected"]] == ["南宁高新区"]
    # a label sits inside its park
    (nn,) = by_class["gx-label gx-label-selected"]
    box = parks_frame().to_crs(4326).geometry[0]
    assert box.contains(shapely.Point(nn["lon"], nn["lat"]))
    assert "gx-label-selected" in html_of(m)


def test_park_with_several_parts_gets_one_label_and_no_id_label():
    frame = parks_frame()
    frame = gpd.GeoDataFrame(
        {"park_id": ["nn", "nn"], "name_zh": ["南宁高新技术产业开发区"] * 2, "level": ["national"] * 2},
        geometry=[frame.geometry[0], frame.geometry[2]], crs=frame.crs,
    )
    labels = park_labels(frame)
    assert labels["text"].tolist() == ["南宁高新区"]  # the usual short form, once
    assert park_labels(frame.drop(columns="name_zh")).empty  # never labelled by its id
    assert short_name(pd.Series(["Nanning Hi-tech Industrial Development Zone"]), "en").tolist() == [
        "Nanning Hi-tech Zone"]


def test_parcel_map_labels_the_parks_drawn():
    parks = parks_frame()
    m = simple_map(parks=parks)
    texts = [p["text"] for lab in children(m, Labels) if "gx-label-park" in lab.css_class for p in lab.points]
    assert "南宁高新区" in texts


def test_park_legend_in_chinese_and_english():
    assert legend_of(park_map(parks_frame())).html.count("园区级别") == 1
    assert "Level" in legend_of(park_map(parks_frame(), lang="en")).html


def test_map_words_have_both_languages():
    import words

    for code in words.labels("map", "zh"):
        assert words.has_label("map", code, "zh") and words.has_label("map", code, "en"), code


def test_orientation_can_be_left_out():
    from layers.base import base_map

    m = base_map(orientation=False)
    assert not children(m, Orientation) and len(children(m, MapFrame)) == 1
    assert "L.control.scale({metric: true, imperial: false" in html_of(m)


def test_park_highlight_for_st_folium():
    from layers import park_highlight

    assert park_highlight(parks_frame(), None) is None
    assert park_highlight(parks_frame(), "zz") is None
    group = park_highlight(parks_frame(), "wz")
    kids = list(group._children.values())
    (labels,) = [k for k in kids if isinstance(k, Labels)]
    assert [p["text"] for p in labels.points] == ["梧州&lt;高新区&gt;"] and "gx-label-selected" in labels.css_class
    (rings,) = [k for k in kids if isinstance(k, Rings)]
    assert len(rings.points) == 1
    m = park_map(parks_frame())
    group.add_to(m)
    assert "fill: false, interactive: false" in html_of(m)  # the ring never catches the park's click
    (outline,) = [k for k in kids if isinstance(k, folium.GeoJson)]
    assert outline.style_function(None)["color"] == "#00e5ff"


def test_crowded_park_labels_go_below_their_park():
    from layers.parks import crowded_below

    labels = pd.DataFrame({"lat": [24.33, 24.30, 22.8, 22.8], "lon": [109.41, 109.39, 108.3, 110.0]})
    # 柳州 and 柳州河西, 3 km apart: the lower one's label goes below; 南宁 and 玉林 are far apart
    assert crowded_below(labels).tolist() == [False, True, False, False]
    m = park_map(parks_frame())  # three parks 10 km apart on one latitude: the first keeps its place
    directions = {p["text"]: lab.direction for lab in children(m, Labels) for p in lab.points}
    assert directions["南宁高新区"] == "right" and directions["北海高新区"] == "bottom"


# --------------------------------------------------------------------------- rendered once, shown often


def _capture_st_folium(monkeypatch) -> dict:
    import streamlit_folium

    seen = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: seen.update(kw))
    return seen


def test_a_small_map_is_shown_as_st_folium_shows_it(monkeypatch):
    """No layer set apart: the component receives what st_folium itself would send."""
    from streamlit_folium import st_folium

    from layers.rendered import feature_group_script, render_map
    from views.mapview import component_args

    seen = _capture_st_folium(monkeypatch)
    outline = highlight_layer(boxes(), "P1")
    st_folium(simple_map(), key="m", height=500, returned_objects=["last_active_drawing"],
              feature_group_to_add=outline, use_container_width=True)
    rendered = render_map(simple_map(), external_from_bytes=None)
    assert rendered.blobs == ()
    ours = component_args(rendered, [], key="m", height=500, returned_objects=["last_active_drawing"],
                          feature_group=feature_group_script(highlight_layer(boxes(), "P1")))
    theirs = {k: v for k, v in seen.items() if k != "on_change"}
    # but for the resources the map does not use (layers.assets.NEEDED_WHEN)
    for links in ("js_links", "css_links"):
        assert set(ours[links]) < set(theirs[links])
        theirs[links] = [u for u in theirs[links] if u in ours[links]]
    assert ours == theirs


def test_large_layers_are_set_apart_and_loaded_by_address():
    from layers.rendered import DATA_TOKEN, LOADER_JS, render_map

    many = boxes(300)
    rendered = render_map(parcel_map(many, color_col="status", colors=COLORS, labels=LABELS),
                          external_from_bytes=1_000)
    assert len(rendered.blobs) == 3  # Guangxi's boundary, then one file per class layer (idle, ok)
    assert json.loads(rendered.blobs[0]) == boundary_geojson()
    blobs = [json.loads(b) for b in rendered.blobs[1:]]
    assert sorted(f["properties"]["parcel_id"] for b in blobs for f in b["features"]) == sorted(many["parcel_id"])
    # the script names the files, not the parcels
    assert "P299" not in rendered.script and DATA_TOKEN.format(i=1) in rendered.script
    script = rendered.script_with(["../../media/a.json", "../../media/b.json", "../../media/c.json"])
    assert "__gxland" not in script
    # every file fetched at once, added in the script's order: the boundary, then each class layer
    loads = re.findall(r'window\.__gxLoad\("([^"]+)"', script)
    assert loads == ["../../media/a.json", "../../media/b.json", "../../media/c.json"]
    assert script.startswith(LOADER_JS) and "async: false" not in script and "$.ajax" not in script
    assert len(rendered.script) < 25_000 < sum(len(b) for b in rendered.blobs)


def test_async_loads_keeps_each_layers_add_function():
    from layers.rendered import async_loads, render_map

    folium_text = """
        $.ajax("../../media/x.json", {dataType: 'json', async: false})
                .done(geo_json_1a2b_add);
        geo_json_1a2b.addTo(map_div);"""
    out = async_loads(folium_text)
    assert 'window.__gxLoad("../../media/x.json", geo_json_1a2b_add);' in out
    assert "geo_json_1a2b.addTo(map_div);" in out and "$.ajax" not in out
    # a map with no file set apart keeps its script as folium wrote it
    rendered = render_map(parcel_map(boxes(3), color_col="status", colors=COLORS, labels=LABELS),
                          external_from_bytes=None)
    assert "__gxLoad" not in rendered.script


def test_highlight_is_brought_over_the_layers_loaded_after_it():
    from layers.rendered import FRONT_JS
    from views.mapview import _feature_group, _group_script

    fg = _feature_group(None, _group_script(highlight_layer(boxes(), "P1"), None))
    assert fg.endswith(FRONT_JS) and "window.feature_group.push" in fg
    assert _feature_group("restyle();", None) == "restyle();"  # no group: nothing to bring forward
    assert _feature_group(None, None) is None


def test_a_named_outline_is_made_once_per_key():
    from views import mapview

    made = []

    def outline():
        made.append(1)
        return highlight_layer(boxes(), "P1")

    key = ("test-outline", len(mapview.GROUPS), "P1")
    first = mapview._group_script(outline, key)
    assert mapview._group_script(outline, key) == first and made == [1]
    assert "window.feature_group.push" in first
    # no parcel picked: no group, and nothing made again for it either
    assert mapview._group_script(lambda: None, (*key, "none")) is None


def test_same_selection_is_rendered_once_and_shared():
    from layers.rendered import MapCache, frame_key, render_map

    cache = MapCache(max_entries=2)
    built = []

    def make(gdf):
        def build():
            built.append(1)
            return parcel_map(gdf, color_col="status", colors=COLORS, labels=LABELS)
        return lambda: render_map(build())

    g = boxes(5)
    key = frame_key(g, ["parcel_id", "status"])
    first = cache.get(key, make(g))
    # a copy of the same selection has the same key: the same object, not rebuilt
    again = cache.get(frame_key(g.copy(), ["parcel_id", "status"]), make(g.copy()))
    assert again is first and len(built) == 1 and cache.made == 1
    # a class that changes, or a moved parcel, is another map
    other = g.assign(status=g["status"].where(g["parcel_id"] != "P0", "ok"))
    moved = g.set_geometry(g.geometry.translate(1.0))
    assert len({key, frame_key(other, ["parcel_id", "status"]), frame_key(moved, ["parcel_id", "status"])}) == 3
    cache.get(frame_key(other, ["parcel_id", "status"]), make(other))
    cache.get(frame_key(moved, ["parcel_id", "status"]), make(moved))
    assert len(built) == 3 and len(cache) == 2 and key not in cache  # least recently used dropped


def test_the_highlight_is_a_separate_small_layer_and_the_map_stays_the_same(monkeypatch):
    """A click changes the feature group only: the map's script, key and data are the same bytes."""
    from layers.rendered import feature_group_script, render_map
    from views.mapview import component_args

    rendered = render_map(parcel_map(boxes(300), color_col="status", colors=COLORS, labels=LABELS),
                          external_from_bytes=1_000)
    urls = [f"../../media/{i}.json" for i in range(len(rendered.blobs))]
    args = [
        component_args(rendered, urls, key="m", height=500, returned_objects=["last_active_drawing"],
                       feature_group=feature_group_script(highlight_layer(boxes(300), pid)))
        for pid in ("P3", "P200")
    ]
    assert args[0]["script"] == args[1]["script"] and args[0]["key"] == args[1]["key"]
    assert args[0]["feature_group"] != args[1]["feature_group"]
    assert '"P3"' in args[0]["feature_group"] and '"P200"' not in args[0]["feature_group"]
    # what a click re-sends: well under the 100 KB of the goal (the parcels are not in it)
    assert len(json.dumps(args[1])) < 50_000
    assert feature_group_script(None) is None


def test_frame_key_is_cheap_to_compare_and_order_sensitive():
    from layers.rendered import frame_key

    g = boxes(4)
    assert frame_key(g, ["parcel_id"]) == frame_key(g, ["parcel_id", "absent column"])
    assert frame_key(g, ["parcel_id"]) != frame_key(g.iloc[::-1], ["parcel_id"])
    assert frame_key(g, ["parcel_id"]) != frame_key(g.to_crs(4326), ["parcel_id"])
    listy = g.assign(reasons=[[{"code": "x"}]] * 4)  # unhashable cells are hashed as text
    assert frame_key(listy, ["reasons"]) != frame_key(listy.assign(reasons=[[]] * 4), ["reasons"])


def test_frame_key_of_rows_of_a_version_tells_rows_by_index_and_hashes_only_the_columns_named():
    from layers.rendered import frame_key

    g = boxes(6)
    v1, v2 = ("ws", "stamp-1"), ("ws", "stamp-2")
    rows = g[g.index.isin([1, 3, 4])]
    key = frame_key(rows, ["status"], rows_of=v1)
    assert key == frame_key(g[g.index.isin([1, 3, 4])], ["status"], rows_of=v1)  # the same selection again
    assert key != frame_key(g[g.index.isin([1, 3, 5])], ["status"], rows_of=v1)  # other rows
    assert key != frame_key(rows.iloc[::-1], ["status"], rows_of=v1)  # another order
    assert key != frame_key(rows, ["status"], rows_of=v2)  # another version of the data
    moved = rows.assign(status=["idle", "idle", "idle"])
    assert key != frame_key(moved, ["status"], rows_of=v1)  # a class moved (a what-if, a date)
    # The version's own columns and shapes are not read: they are the version's.
    assert key == frame_key(rows.assign(parcel_id="X"), ["status"], rows_of=v1)
    assert frame_key(rows, ["status"]) != frame_key(rows.assign(parcel_id="X"), ["status", "parcel_id"])


def test_restyle_script_carries_the_moved_parcels_as_data_and_refuses_a_bad_colour():
    import json
    import re

    from layers import restyle_script

    script = restyle_script({"P1": ("#d73027", '低于"下限"</script>'), 7: ("#1a9850", "达标")},
                            label_field="int_label")
    data = json.loads(re.search(r"var ch=(\{.*?\}),idc=", script).group(1))
    assert data == {"P1": ["#d73027", '低于"下限"</script>'], "7": ["#1a9850", "达标"]}
    assert "</script>" not in script  # the label travels as escaped JSON, not as markup
    assert '"parcel_id"' in script and '"int_label"' in script
    assert restyle_script({}) != ""  # no change: every parcel back to the colour it was drawn with
    with pytest.raises(ValueError):
        restyle_script({"P1": ("red; background:url(x)", "x")})


def test_hover_is_one_pair_of_handlers_on_the_layer_and_keeps_the_fill():
    from layers.rendered import render_map

    script = render_map(parcel_map(boxes(300), color_col="status", colors=COLORS, labels=LABELS),
                        external_from_bytes=1_000).script
    # no handler bound per feature as the data are added: one pair per class layer, on the layer
    assert "mouseover: function" not in script and "_highlighter" not in script
    assert script.count('g.on("mouseover"') == 2 and script.count('g.on("mouseout"') == 2
    # the hover changes the outline's weight and the fill's opacity, never its colour (a what-if's)
    over = re.findall(r'\}\)\(geo_json_\w+, (\{[^}]*\}), (\{[^}]*\})\);', script)
    assert over and all(json.loads(a) == {"weight": 3, "fillOpacity": 0.8} and json.loads(b) == {"weight": 1,
                        "fillOpacity": 0.6} for a, b in over)
