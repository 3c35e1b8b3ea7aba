"""
Parcels on one canvas (static/gxland/class-canvas.js) in Chromium: drawn in their class colours
with holes left empty, found under the mouse (tooltip, click as streamlit-folium reads it),
recoloured and shown or hidden in place; and on the efficiency page, a click on the canvas opens
the parcel's card.
"""

from __future__ import annotations

import mimetypes

import geopandas as gpd
import pytest
from conftest import REPO_ROOT, login_cookie, run_streamlit, wait_for_app
from shapely.geometry import MultiPolygon, Polygon, box

from layers import parcel_map

pytestmark = pytest.mark.browser

OK, LOW = "#1a9850", "#d73027"
XSS = "<script>window.__pwned = 1</script>"
HOST = "http://gx.test"


def _parcels() -> gpd.GeoDataFrame:
    holed = Polygon([(108.0, 22.0), (108.0, 22.01), (108.01, 22.01), (108.01, 22.0)],
                    [[(108.003, 22.003), (108.007, 22.003), (108.007, 22.007), (108.003, 22.007)]])
    two = MultiPolygon([box(108.012, 22.0, 108.016, 22.004), box(108.012, 22.006, 108.016, 22.01)])
    return gpd.GeoDataFrame({"parcel_id": ["A", "B", "C"], "holder": [XSS, "乙公司", "丙公司"],
                             "cls": ["ok", "low", "ok"]},
                            geometry=[box(108.018, 22.0, 108.022, 22.004), holed, two], crs=4326)


@pytest.fixture
def canvas_page(browser):
    m = parcel_map(_parcels(), color_col="cls", colors={"ok": OK, "low": LOW}, canvas_from=1,
                   tooltip_fields={"parcel_id": "宗地编号", "holder": "使用权人", "cls": "类别"})
    html = m.get_root().render()
    context = browser.new_context(viewport={"width": 900, "height": 700})
    page = context.new_page()

    def serve(route):
        path = route.request.url[len(HOST):].split("?")[0]
        if path == "/map.html":
            return route.fulfill(body=html, content_type="text/html; charset=utf-8")
        if path.startswith("/app/static/"):
            f = REPO_ROOT / "static" / path[len("/app/static/"):]
            if f.is_file():
                return route.fulfill(path=str(f), content_type=mimetypes.guess_type(f.name)[0] or "text/plain")
        return route.fulfill(status=404, body="")

    page.route(f"{HOST}/**", serve)
    page.goto(f"{HOST}/map.html")
    page.wait_for_function("() => Object.keys(window).some(k => k.startsWith('class_canvas_') && window[k]._n === 3)",
                           timeout=30_000)
    page.evaluate("() => { window.gx = window[Object.keys(window).find(k => k.startsWith('class_canvas_'))]; "
                  "window.gxMap = window.gx._map; }")
    page.wait_for_timeout(300)  # the first drawing (an animation frame)
    try:
        yield page
    finally:
        context.close()


def _pixel(page, lat: float, lng: float) -> list[int]:
    """RGBA of the parcels' canvas at a place."""
    return page.evaluate(
        """([lat, lng]) => { const p = gxMap.latLngToLayerPoint([lat, lng]).subtract(gx._bounds.min);
           const r = window.devicePixelRatio >= 2 ? 2 : 1;
           return Array.from(gx._ctx.getImageData(Math.round(p.x * r), Math.round(p.y * r), 1, 1).data); }""",
        [lat, lng])


def _screen(page, lat: float, lng: float) -> tuple[float, float]:
    p = page.evaluate("([lat, lng]) => { const p = gxMap.latLngToContainerPoint([lat, lng]); "
                      "const r = gxMap.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
                      [lat, lng])
    return p[0], p[1]


def _rgb(hex_colour: str) -> list[int]:
    return [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]


def _near(rgba: list[int], colour: str, tol: int = 6) -> bool:
    return rgba[3] > 100 and all(abs(a - b) <= tol for a, b in zip(rgba[:3], _rgb(colour), strict=True))


def test_drawn_in_class_colours_with_the_hole_left_empty(canvas_page):
    page = canvas_page
    assert page.evaluate("() => document.querySelectorAll('.leaflet-gxClassCanvas-pane canvas').length") == 1
    assert _near(_pixel(page, 22.002, 108.020), OK)  # A
    assert _near(_pixel(page, 22.001, 108.001), LOW)  # B's ring
    assert _pixel(page, 22.005, 108.005)[3] == 0  # B's hole: nothing drawn
    assert _near(_pixel(page, 22.008, 108.014), OK)  # C's second part
    assert _pixel(page, 22.005, 108.014)[3] == 0  # between C's parts
    assert page.evaluate("() => [gx.featureAt(L.latLng(22.005, 108.005)), gx.featureAt(L.latLng(22.001, 108.001)),"
                         " gx.featureAt(L.latLng(22.008, 108.014))]") == [-1, 1, 2]
    # a zoom draws again at the new scale
    page.evaluate("() => gxMap.setView([22.002, 108.020], gxMap.getZoom() + 2, {animate: false})")
    page.wait_for_timeout(300)
    assert _near(_pixel(page, 22.002, 108.020), OK)


def test_hover_shows_the_tooltip_as_text_and_a_click_reads_as_a_geojson_layer(canvas_page):
    page = canvas_page
    page.evaluate("() => gx.on('click', e => { window.__clicked = e.layer.toGeoJSON(); })")
    x, y = _screen(page, 22.002, 108.020)
    page.mouse.move(x, y)
    tip = page.locator(".gx-class-tip")
    tip.wait_for(timeout=5_000)
    assert "宗地编号" in tip.inner_text() and "A" in tip.inner_text()
    assert XSS in tip.inner_text()  # the holder's name shown as text, never run
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => gxMap.getContainer().style.cursor") == "pointer"
    x, y = _screen(page, 22.008, 108.014)
    page.mouse.click(x, y)
    clicked = page.evaluate("() => window.__clicked")
    assert clicked["properties"]["parcel_id"] == "C"
    assert clicked["geometry"]["type"] == "MultiPolygon" and len(clicked["geometry"]["coordinates"]) == 2
    # a click on the hole is no parcel's
    page.evaluate("() => { window.__clicked = null; }")
    x, y = _screen(page, 22.005, 108.005)
    page.mouse.click(x, y)
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__clicked") is None
    assert page.locator(".gx-class-tip").count() == 0


def test_recoloured_and_hidden_in_place(canvas_page):
    page = canvas_page
    page.evaluate("() => gx.gxRestyle({'A': ['#0000ff', '已调整']}, 'cls')")
    page.wait_for_timeout(200)
    assert _near(_pixel(page, 22.002, 108.020), "#0000ff")
    assert page.evaluate("() => gx.feature(0).properties.cls") == "已调整"
    page.evaluate("() => gx.gxRestyle({}, 'cls')")  # every parcel back to its drawn class
    page.wait_for_timeout(200)
    assert _near(_pixel(page, 22.002, 108.020), OK)
    assert page.evaluate("() => gx.feature(0).properties.cls") == "ok"
    # only B shown (positions as gaps from -1): A is neither drawn nor found
    page.evaluate("() => gx.gxShown(false, [2])")
    page.wait_for_timeout(200)
    assert _pixel(page, 22.002, 108.020)[3] == 0
    assert page.evaluate("() => gx.featureAt(L.latLng(22.002, 108.020))") == -1
    assert _near(_pixel(page, 22.001, 108.001), LOW)
    page.evaluate("() => gx.gxShown(false, null)")
    page.wait_for_timeout(200)
    assert _near(_pixel(page, 22.002, 108.020), OK)


@pytest.fixture(scope="module")
def canvas_app(browser_workspace):
    # every map of parcels drawn on the canvas, however few
    env = {"GXLAND_WORKSPACE": str(browser_workspace), "GXLAND_MAP_CANVAS_FROM": "1"}
    with run_streamlit(REPO_ROOT / "app.py", env=env, cwd=REPO_ROOT) as url:
        yield url


def test_a_click_on_the_efficiency_canvas_opens_the_parcel_card(browser, canvas_app, browser_workspace):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    login_cookie(page, browser_workspace)
    try:
        page.goto(canvas_app + "/intensity")
        wait_for_app(page, timeout_ms=60_000)
        iframe = page.locator("iframe[title*='st_folium'], iframe[title*='streamlit_folium']").first
        iframe.wait_for(timeout=30_000)
        frame = iframe.content_frame
        frame.locator(".leaflet-gxClassCanvas-pane canvas").wait_for(timeout=30_000)
        assert frame.locator("path.leaflet-interactive").count() == 0  # no Leaflet layer per parcel
        handle = iframe.element_handle().content_frame()
        handle.wait_for_function("() => { let n = 0; window.map.eachLayer(l => { if (l.gxSpots) n += l._n; });"
                                 " return n > 0; }", timeout=30_000)
        spots = handle.evaluate("() => { let o = []; window.map.eachLayer(l => { if (l.gxSpots) o = l.gxSpots(); });"
                                " const r = window.map.getContainer().getBoundingClientRect();"
                                " return o.map(p => [r.left + p[0], r.top + p[1]]); }")
        assert spots, "no parcel of the canvas inside the map"
        # the card's selectbox (a combobox input) holds a parcel; the click picks another
        pick = page.get_by_test_id("stSelectbox").filter(has_text="查看宗地").get_by_role("combobox")
        before = pick.input_value()
        iframe.scroll_into_view_if_needed()
        box = iframe.bounding_box()
        for x, y in spots[len(spots) // 2:][:5]:
            page.mouse.move(box["x"] + x, box["y"] + y)
            frame.locator(".gx-class-tip").wait_for(timeout=5_000)
            wanted = frame.locator(".gx-class-tip td").first.inner_text().strip()
            if wanted != before:
                break
        assert wanted and wanted != before
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_function("([el, v]) => el.value === v", arg=[pick.element_handle(), wanted], timeout=30_000)
        # outlined (the outline takes no mouse over the canvas: one tooltip, the canvas's)
        outline = ("() => { const o = []; window.map.eachLayer(l => { if (l.getLatLngs && l.options.color === '#00e5ff')"
                   " o.push(l.options.interactive); }); return o.length ? o : null; }")
        handle.wait_for_function(outline, timeout=30_000)
        assert handle.evaluate(outline) == [False]
    finally:
        context.close()
