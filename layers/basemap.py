"""
Basemap choices: none (default), OpenStreetMap, 天地图 vector / imagery.

Only WGS84/CGCS2000-aligned tiles: our data are CGCS2000 (≈ WGS84 to < 1 m).
AMap/Gaode tiles are GCJ-02 and sit hundreds of metres off in Guangxi
(domain.md §8), so they are not offered. Tianditu's ``_w`` tile matrix set is
Web Mercator, which is what Leaflet draws by default.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import folium

import words

#: Environment variable holding the 天地图 key (``tk``).
TIANDITU_ENV = "TIANDITU_TK"

BASEMAPS: dict[str, dict[str, str]] = {
    "none": {"zh": "无底图", "en": "None"},
    "osm": {"zh": "OpenStreetMap", "en": "OpenStreetMap"},
    "tianditu_vec": {"zh": "天地图 矢量", "en": "Tianditu vector"},
    "tianditu_img": {"zh": "天地图 影像", "en": "Tianditu imagery"},
}
DEFAULT_BASEMAP = "none"

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTR = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={tk}"
)
TIANDITU_ATTR = '&copy; <a href="https://www.tianditu.gov.cn/">天地图</a>'
#: Base layer and its annotation overlay per choice.
_TIANDITU_LAYERS = {"tianditu_vec": ("vec", "cva"), "tianditu_img": ("img", "cia")}


class BasemapError(ValueError):
    """
    An unknown basemap, or 天地图 without a key; ``str()`` is the sentence in the user's language.

    Attributes
    ----------
    code
        Message code (``basemap_unknown``, ``basemap_needs_key``) of :mod:`words`.
    """

    def __init__(self, code: str, lang: str = "zh", **args):
        super().__init__(words.text(code, lang, **args))
        self.code = code


def tianditu_key(key: str | None = None) -> str | None:
    """The 天地图 key: ``key`` if given and non-blank, else ``$TIANDITU_TK``, else None."""
    for candidate in (key, os.environ.get(TIANDITU_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    return None


def available_basemaps(key: str | None = None) -> list[str]:
    """Choices that can be drawn now: 天地图 only when a key is known."""
    have_key = tianditu_key(key) is not None
    return [b for b in BASEMAPS if have_key or not b.startswith("tianditu")]


def tianditu_urls(choice: str, key: str) -> tuple[str, str]:
    """Tile URL templates (base, annotation) for a 天地图 choice and key."""
    base, note = _TIANDITU_LAYERS[choice]
    tk = quote(key, safe="")
    return (
        TIANDITU_URL.format(s="{s}", layer=base, tk=tk),
        TIANDITU_URL.format(s="{s}", layer=note, tk=tk),
    )


def basemap_layers(
    choice: str = DEFAULT_BASEMAP, *, key: str | None = None, lang: str = "zh"
) -> list[folium.TileLayer]:
    """
    Tile layers for a basemap choice; ``[]`` for ``"none"``.

    Parameters
    ----------
    choice
        One of ``BASEMAPS``.
    key
        天地图 key; falls back to ``$TIANDITU_TK``.
    lang
        ``"zh"`` or ``"en"`` for layer names.

    Raises
    ------
    BasemapError
        Unknown choice, or a 天地图 choice without a key.
    """
    if choice not in BASEMAPS:
        raise BasemapError("basemap_unknown", lang, choice=choice, choices=", ".join(BASEMAPS))
    if choice == "none":
        return []
    name = BASEMAPS[choice]["en" if lang == "en" else "zh"]
    if choice == "osm":
        return [folium.TileLayer(tiles=OSM_URL, attr=OSM_ATTR, name=name, max_zoom=19, control=False)]
    tk = tianditu_key(key)
    if tk is None:
        raise BasemapError("basemap_needs_key", lang, env=TIANDITU_ENV)
    base_url, note_url = tianditu_urls(choice, tk)
    common = {"attr": TIANDITU_ATTR, "subdomains": "01234567", "max_zoom": 18, "control": False}
    return [
        folium.TileLayer(tiles=base_url, name=name, **common),
        folium.TileLayer(tiles=note_url, name=f"{name} 注记", overlay=True, **common),
    ]
