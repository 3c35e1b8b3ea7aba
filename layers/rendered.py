"""
A folium map rendered once into what streamlit-folium sends, its parcel data set apart.

``st_folium`` renders the whole map on every call (the figure, then the map again, then each
element's script macro for the component), JSON-encodes every feature into one script
string and sends it in the component's arguments. Streamlit sends a component's arguments
whole whenever any of them changes, so a click that only moves the highlight re-ships every
parcel (at 50,000 parcels 81 % of a what-if step was this, and ~7.5 MB per click).

Here a map is rendered once per selection into a :class:`RenderedMap` and kept
(:class:`MapCache`, keyed by what the map shows: :func:`frame_key`). The GeoJSON of every
large layer is taken out of the script as bytes (``blobs``): the page serves them as files
and the script loads them by address (folium's own ``embed=False`` path), so the
component's arguments stay a few kilobytes. The highlight (clicked parcel, selected park) is
a separate feature group (:func:`feature_group_script`), which streamlit-folium's frontend
swaps without remounting the map.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.assets import needed

T = TypeVar("T")

#: A GeoJSON layer whose data take more than this many bytes is loaded by address.
EXTERNAL_FROM_BYTES = 4_000
#: Stands for the address of blob ``i`` in a rendered script: ``DATA_TOKEN.format(i=i)``.
DATA_TOKEN = "__gxland_map_data_{i}__"

#: Put before a rendered script: ``window.__gxLoad(address, add)`` fetches a layer's file at once,
#: every file of the map in parallel, and calls ``add(data)`` in the order the script asked, each
#: after the one before (the layers stack as folium drew them: the last added is on top and takes
#: the click). ``window.__gxData`` is the promise of the last add: a script that works on the
#: loaded features (a restyle, the highlight brought to the front) waits for it. A file that fails
#: to load leaves its layer empty and the others load (as jQuery's ``done`` did). folium's own
#: ``embed=False`` path fetched the files one after another with synchronous requests, each holding
#: the page's main thread (~0.6 s for a park's map of 14,000 parcels).
LOADER_JS = (
    "window.__gxLoad=function(u,add){var q=fetch(u).then(function(r){if(!r.ok)throw new Error(u+': '+r.status);"
    "return r.json();});window.__gxData=(window.__gxData||Promise.resolve()).then(function(){return q;})"
    ".then(add).catch(function(e){console.error(e);});};\n"
)
#: Run after a map's feature groups are added: once the files are in, the feature groups (the
#: highlight) are brought over the layers loaded after them.
FRONT_JS = (
    "(window.__gxData||Promise.resolve()).then(function(){(window.feature_group||[]).forEach(function(g)"
    "{if(g.bringToFront)g.bringToFront();});});"
)
#: folium's synchronous load of a GeoJson layer's file (``GeoJson`` with ``embed=False``).
_FOLIUM_SYNC_LOAD = re.compile(
    r"\$\.ajax\((?P<url>\"[^\"\n]*\"), \{dataType: 'json', async: false\}\)\s*\.done\((?P<add>[A-Za-z_$][\w$]*)\);"
)


def async_loads(script: str) -> str:
    """``script`` with folium's synchronous loads of layer files made :data:`LOADER_JS` loads."""
    return _FOLIUM_SYNC_LOAD.sub(lambda m: f"window.__gxLoad({m['url']}, {m['add']});", script)


@dataclass(frozen=True)
class RenderedMap:
    """
    What streamlit-folium's component needs to draw a map, computed once.

    Attributes
    ----------
    script
        The map's Leaflet script; blob ``i`` is loaded from ``DATA_TOKEN.format(i=i)``,
        replaced by an address when the map is shown (:meth:`script_with`), in parallel with
        the others and added in order (:data:`LOADER_JS`).
    header, html
        The figure's header (styles) and extra HTML (legend).
    css_links, js_links
        Stylesheets and scripts the map loads (local copies, ``layers.assets``).
    bounds
        ``[[south, west], [north, east]]`` of the map's data (st_folium's default value).
    zoom
        The map's initial zoom.
    blobs
        GeoJSON FeatureCollections (UTF-8 JSON) of the layers taken out of the script.
    """

    script: str
    header: str
    html: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple
    zoom: float | None
    blobs: tuple[bytes, ...]

    @property
    def nbytes(self) -> int:
        """Bytes held: the script and the blobs (what a cache entry costs)."""
        return len(self.script) + len(self.header) + len(self.html) + sum(len(b) for b in self.blobs)

    def script_with(self, urls: Iterable[str]) -> str:
        """The script with blob ``i`` loaded from ``urls[i]``."""
        out = self.script
        for i, url in enumerate(urls):
            out = out.replace(DATA_TOKEN.format(i=i), url)
        return out


def _geojson_layers(element) -> list[folium.GeoJson]:
    found = []
    for child in element._children.values():
        if isinstance(child, folium.GeoJson):
            found.append(child)
        found.extend(_geojson_layers(child))
    return found


def render_map(m: folium.Map, *, external_from_bytes: int | None = EXTERNAL_FROM_BYTES) -> RenderedMap:
    """
    Render ``m`` as streamlit-folium would, with large GeoJSON layers set apart as blobs.

    Guangxi's boundary (``layers.orientation``) and every GeoJSON layer or parcel canvas
    (``layers.canvas``) of more than ``external_from_bytes`` are set apart; None sets nothing apart (the script is then
    the one ``st_folium`` sends).

    ``m`` is consumed (its layers are switched to load by address and its element ids are
    renamed by streamlit-folium); build a new map for another rendering.
    """
    # streamlit_folium imports streamlit; import it only when a map is rendered for a page
    from streamlit_folium import _get_header, _get_html, _get_map_string

    from layers.orientation import Orientation

    blobs = []
    for element in _walk_all(m) if external_from_bytes is not None else ():
        # Guangxi's boundary is the same on every map: one file the browser fetches once per map
        if isinstance(element, Orientation) and element.boundary_link is None:
            element.boundary_link = DATA_TOKEN.format(i=len(blobs))
            blobs.append(json.dumps(element.boundary, ensure_ascii=False, separators=(",", ":")).encode())
        # an element that loads its data by address when given one (``layers.canvas.ClassCanvas``)
        elif hasattr(element, "data_bytes") and getattr(element, "data_link", "") is None:
            data = element.data_bytes()
            if len(data) > external_from_bytes:
                element.data_link = DATA_TOKEN.format(i=len(blobs))
                blobs.append(data)
    for layer in _geojson_layers(m) if external_from_bytes is not None else ():
        data = json.dumps(layer.data, ensure_ascii=False, separators=(",", ":")).encode()
        if len(data) <= external_from_bytes:
            continue
        # folium's embed=False path: the script fetches the data (jQuery, loaded with Leaflet);
        # the style maps are still computed from ``layer.data`` at render time.
        layer.embed = False
        layer.embed_link = DATA_TOKEN.format(i=len(blobs))
        blobs.append(data)
    m.get_root().render()
    html = _get_html(m)
    header = _get_header(m)
    script = _get_map_string(m)
    if blobs:
        script = LOADER_JS + async_loads(script)
    # Only what the map uses (``layers.assets.NEEDED_WHEN``): the component loads the scripts in turn.
    # (Not for the small maps handed to st_folium as they are: seeing what they use takes a render,
    # ~0.1 s of the server's time, about what the browser saves.)
    page = script + html + header
    css, js = [], []
    for elem in _walk(m):
        css.extend(href for name, href in getattr(elem, "default_css", []) if needed(name, page))
        js.extend(src for name, src in getattr(elem, "default_js", []) if needed(name, page))
    try:
        bounds = m.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    return RenderedMap(
        script=script,
        header=header,
        html=html,
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        bounds=tuple(tuple(b) for b in bounds),
        zoom=m.options.get("zoom"),
        blobs=tuple(blobs),
    )


def _walk_all(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk_all(child)


def _walk(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def feature_group_script(groups: folium.FeatureGroup | list[folium.FeatureGroup] | None) -> str | None:
    """
    The script streamlit-folium's frontend evaluates to add ``groups`` to a drawn map.

    The same string as ``st_folium(feature_group_to_add=...)`` sends, built against a blank
    map (the script names the map ``map_div`` whatever map it was built on).
    """
    from streamlit_folium import _get_feature_group_string

    if groups is None:
        return None
    if isinstance(groups, folium.FeatureGroup):
        groups = [groups]
    host = folium.Map(tiles=None)
    return "".join(_get_feature_group_string(g, map=host, idx=i) for i, g in enumerate(groups))


@dataclass(frozen=True)
class GroupScript:
    """A feature group's script (:func:`feature_group_script`; None for no group) as a cache entry."""

    script: str | None

    @property
    def nbytes(self) -> int:
        return len(self.script or "")


def frame_key(frame: pd.DataFrame, columns: Iterable[str] = (), *, rows_of: Hashable = None) -> str:
    """
    A digest of what a map draws from ``frame``: the row order, ``columns`` and the geometry.

    Vectorised (pandas' row hashes, shapely's coordinates): a few milliseconds at 50,000
    parcels. Columns absent from ``frame`` are skipped.

    ``rows_of``: a key of the version of a shared frame that ``frame`` is a selection of rows of
    (its index unique), e.g. ``views.common.data_key()``. The rows are then told by their index and
    the geometry is not hashed — it is the version's — so only ``columns`` whose values change
    within a version (classes as of a date or under a what-if) need hashing; hashing every
    parcel's text and coordinates cost ~0.1 s per rerun at 10,000 parcels.
    """
    h = hashlib.blake2b(digest_size=16)
    cols = [c for c in dict.fromkeys(columns) if c in frame.columns]
    h.update(repr(cols).encode())
    h.update(str(len(frame)).encode())
    if cols:
        try:
            rows = pd.util.hash_pandas_object(frame[cols], index=False)
        except TypeError:  # lists or dicts in a column: hash their text
            rows = pd.util.hash_pandas_object(frame[cols].astype(str), index=False)
        h.update(rows.to_numpy().tobytes())
    if rows_of is not None:
        h.update(repr(rows_of).encode())
        h.update(pd.util.hash_array(frame.index.to_numpy()).tobytes())
        return h.hexdigest()
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        geoms = np.asarray(frame.geometry.array)
        coords, owner = shapely.get_coordinates(geoms, return_index=True)
        h.update(str(frame.crs).encode())
        h.update(np.ascontiguousarray(coords).tobytes())
        h.update(np.ascontiguousarray(owner).tobytes())
    return h.hexdigest()


class MapCache:
    """
    Rendered maps by key, least recently used dropped first; shared by every session.

    An entry is made at most once per key while it stays in the cache; two sessions asking
    for the same new key at once wait for one making. Entries are read-only (frozen
    dataclasses with an ``nbytes``): every session shows the same object.
    """

    def __init__(self, *, max_entries: int = 8, max_bytes: int = 400_000_000):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[object, object] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[object, threading.Lock] = {}
        #: How many entries were made (a test counts renderings with it).
        self.made = 0

    def get(self, key, make: Callable[[], T]) -> T:
        """The entry for ``key``; ``make()`` computes it when it is not cached."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            lock = self._making.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            entry = make()
            with self._lock:
                self.made += 1
                self._entries[key] = entry
                self._making.pop(key, None)
                self._trim()
            return entry

    def _trim(self) -> None:
        total = sum(e.nbytes for e in self._entries.values())
        while len(self._entries) > 1 and (len(self._entries) > self.max_entries or total > self.max_bytes):
            _, dropped = self._entries.popitem(last=False)
            total -= dropped.nbytes

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

    def __contains__(self, key) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)


#: The server's cache of rendered parcel maps (folium and WebGL): few, each costly to make again.
MAPS = MapCache()
#: Rendered maps of the parks (a dozen outlines: overview, compare, eco), apart from :data:`MAPS` so
#: that going through the compare page's figures does not push a park's parcel map out.
PARK_MAPS = MapCache(max_entries=64, max_bytes=40_000_000)
