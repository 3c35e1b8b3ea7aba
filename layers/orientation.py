"""
What every map carries so an officer can orient himself with no basemap and no internet.

- Guangxi's boundary and the seats of its 14 prefecture-level cities, labelled, from
  ``data/guangxi_boundary.geojson`` and ``data/guangxi_cities.geojson`` (Natural Earth,
  public domain; GeoNames, CC BY 4.0 — see ``data/README.md``), with a small key;
- a metric-only scale bar (``L.control.scale`` with ``imperial: false``: folium's
  ``control_scale=True`` shows miles too);
- an attribution naming those sources, with the plain prefix "Leaflet" (Leaflet ≥ 1.9
  puts a flag before its name);
- permanent text labels (park and city names): non-interactive markers of no size holding the text.

Everything is emitted from the elements' ``script`` macros (streamlit-folium keeps only
the map's scripts), and every text is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

import folium
from branca.element import MacroElement
from jinja2 import Template

import words
from layers.legend import check_color

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BOUNDARY_FILE = DATA_DIR / "guangxi_boundary.geojson"
CITIES_FILE = DATA_DIR / "guangxi_cities.geojson"

BOUNDARY_COLOR = "#555555"
BOUNDARY_DASH = "10 4 2 4"
CITY_COLOR = "#333333"
#: Leaflet's attribution prefix: plain text instead of the flag-and-link of Leaflet ≥ 1.9.
ATTRIBUTION_PREFIX = "Leaflet"

#: Label styles, injected once per page (streamlit-folium drops the map's <head>).
LABEL_CSS = """
.gx-label-anchor{width:0;height:0;background:none;border:0}
.gx-label{position:absolute;background:transparent;border:0;box-shadow:none;padding:0 2px;white-space:nowrap;
font:12px/1.2 "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;color:#222;
text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff}
.gx-to-right{left:6px;top:0;transform:translateY(-50%)}
.gx-to-left{right:6px;top:0;transform:translateY(-50%)}
.gx-to-top{bottom:6px;left:0;transform:translateX(-50%)}
.gx-to-bottom{top:6px;left:0;transform:translateX(-50%)}
.gx-to-center{left:0;top:0;transform:translate(-50%,-50%)}
.leaflet-container .leaflet-control-attribution{font-size:10px}
.gx-label-city{color:#444;font-size:11px}
.gx-label-park{font-weight:600;color:#1a1a1a}
.gx-label-selected{font-weight:700;color:#00838f;font-size:13px;background:#fff;border:1px solid #00838f;
border-radius:3px;padding:1px 4px;text-shadow:none}
"""


@lru_cache(maxsize=1)
def boundary_geojson() -> dict:
    """Guangxi's boundary as a FeatureCollection of bare geometries (EPSG:4326)."""
    fc = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": f["geometry"]} for f in fc["features"]],
    }


@lru_cache(maxsize=1)
def city_records() -> tuple[dict, ...]:
    """The 14 city seats: ``{"lat", "lon", "zh", "en"}`` each."""
    fc = json.loads(CITIES_FILE.read_text(encoding="utf-8"))
    out = []
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        out.append({"lat": lat, "lon": lon, "zh": f["properties"]["name_zh"], "en": f["properties"]["name_en"]})
    return tuple(out)


def city_labels(lang: str = "zh") -> list[dict]:
    """``{"lat", "lon", "text"}`` per city seat in ``lang`` (text escaped)."""
    key = "en" if lang == "en" else "zh"
    return [{"lat": c["lat"], "lon": c["lon"], "text": html.escape(c[key])} for c in city_records()]


def map_word(code: str, lang: str) -> str:
    return words.label("map", code, lang, strict=True)


class MapFrame(MacroElement):
    """
    Metric-only scale bar, the attribution's plain prefix and the sources, label styles.

    Parameters
    ----------
    attribution
        Extra attribution text (escaped); None adds none.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            L.control.scale({metric: true, imperial: false, maxWidth: 160}).addTo(map);
            if (map.attributionControl) {
                map.attributionControl.setPrefix({{ this.prefix|tojson }});
                {%- if this.attribution %}
                map.attributionControl.addAttribution({{ this.attribution|tojson }});
                {%- endif %}
            }
            if (!document.getElementById("gx-map-style")) {
                var style = document.createElement("style");
                style.id = "gx-map-style";
                style.textContent = {{ this.css|tojson }};
                document.head.appendChild(style);
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, attribution: str | None = None):
        super().__init__()
        self._name = "MapFrame"
        self.prefix = ATTRIBUTION_PREFIX
        self.attribution = html.escape(attribution) if attribution else None
        self.css = LABEL_CSS


class Labels(MacroElement):
    """
    Permanent, non-interactive text labels at points (each a Leaflet marker of no size holding
    the text, which CSS places beside the point in ``direction``).

    Parameters
    ----------
    points
        ``{"lat", "lon", "text"}`` each; ``text`` must already be HTML-escaped
        (:func:`city_labels` and ``layers.parks.park_labels`` escape it).
    css_class
        Extra class of the labels (``gx-label-city``, ``gx-label-park`` …).
    direction
        Where the text sits from the point: ``"right"``, ``"left"``, ``"top"``, ``"bottom"``, ``"center"``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            // A marker of no size at the point holds the text; CSS places the text beside it (the
            // gx-to-* classes), so nothing is measured: a tooltip measured its text on every placing
            // (a layout each, before and after the font loaded), ~0.05-0.07 s of a map page's load.
            {{ this.points|tojson }}.forEach(function (p) {
                L.marker([p.lat, p.lon], {
                    icon: L.divIcon({className: "gx-label-anchor", iconSize: null,
                                     html: '<span class="' + {{ this.css_class|tojson }} + ' gx-to-'
                                           + {{ this.direction|tojson }} + '">' + p.text + "</span>"}),
                    interactive: false, keyboard: false
                }).addTo(map);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, points: list[dict], *, css_class: str, direction: str = "right"):
        super().__init__()
        if direction not in ("right", "left", "top", "bottom", "center"):
            raise ValueError(f"label direction {direction!r} is not one of right, left, top, bottom, center")
        self._name = "Labels"
        self.points = [{"lat": float(p["lat"]), "lon": float(p["lon"]), "text": str(p["text"])} for p in points]
        self.css_class = f"gx-label {css_class}"
        self.direction = direction


class Rings(MacroElement):
    """
    Non-interactive circles of fixed screen size at points (the selected park's ring).

    folium's ``CircleMarker`` drops Leaflet's ``interactive`` option, and an interactive
    ring would catch the click meant for the park under it.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.points|tojson }}.forEach(function (p) {
            L.circleMarker([p.lat, p.lon], {
                radius: {{ this.radius|tojson }}, color: {{ this.color|tojson }}, weight: 3,
                fill: false, interactive: false
            }).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, points: list[dict], *, color: str, radius_px: int = 12):
        super().__init__()
        self._name = "Rings"
        self.points = [{"lat": float(p["lat"]), "lon": float(p["lon"])} for p in points]
        self.color = check_color(color)
        self.radius = int(radius_px)


class Orientation(MacroElement):
    """Guangxi's boundary, the city seats with their names, and a key; nothing catches clicks."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var group = L.layerGroup().addTo(map);
            var boundary = {
                interactive: false,
                style: {color: {{ this.color|tojson }}, weight: 1.5, opacity: 0.9,
                        dashArray: {{ this.dash|tojson }}, fill: false}
            };
            {%- if this.boundary_link %}
            window.__gxLoad({{ this.boundary_link|tojson }},
                function (b) { L.geoJSON(b, boundary).addTo(group); });
            {%- else %}
            L.geoJSON({{ this.boundary|tojson }}, boundary).addTo(group);
            {%- endif %}
            {{ this.cities|tojson }}.forEach(function (c) {
                L.circleMarker([c.lat, c.lon], {
                    radius: 3, weight: 1, color: {{ this.city_color|tojson }},
                    fillColor: "#ffffff", fillOpacity: 1, interactive: false
                }).addTo(group);
            });
            var key = L.control({position: "bottomleft"});
            key.onAdd = function () {
                var div = L.DomUtil.create("div", "gx-orientation");
                div.style.cssText = "background:rgba(255,255,255,0.85);padding:2px 6px;border-radius:3px;"
                    + "font:11px/1.5 sans-serif;color:#333";
                div.innerHTML = {{ this.key_html|tojson }};
                return div;
            };
            key.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, lang: str = "zh"):
        super().__init__()
        self._name = "Orientation"
        self.boundary = boundary_geojson()
        #: Where the boundary is loaded from instead of written into the script (``layers.rendered``).
        self.boundary_link: str | None = None
        self.cities = [{"lat": c["lat"], "lon": c["lon"]} for c in city_records()]
        self.color = BOUNDARY_COLOR
        self.dash = BOUNDARY_DASH
        self.city_color = CITY_COLOR
        line = (
            f'<span style="display:inline-block;width:22px;vertical-align:middle;margin-right:4px;'
            f'border-top:2px dashed {BOUNDARY_COLOR}"></span>'
        )
        dot = (
            f'<span style="display:inline-block;width:7px;height:7px;vertical-align:middle;margin:0 4px 0 10px;'
            f'border:1px solid {CITY_COLOR};border-radius:50%;background:#fff"></span>'
        )
        self.key_html = (
            f"{line}{html.escape(map_word('region_boundary', lang))}{dot}{html.escape(map_word('city_seat', lang))}"
        )


def add_orientation(m: folium.Map, *, lang: str = "zh", boundary: bool = True) -> folium.Map:
    """
    Add the scale bar, attribution and label styles to ``m``, and (``boundary``) Guangxi's
    boundary with the city seats and their labels. Returns ``m``.
    """
    MapFrame(attribution=map_word("attribution", lang) if boundary else None).add_to(m)
    if boundary:
        Orientation(lang=lang).add_to(m)
        Labels(city_labels(lang), css_class="gx-label-city", direction="left").add_to(m)
    return m
