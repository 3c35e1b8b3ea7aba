"""
Showing maps on a page: folium maps rendered once per selection, WebGL for big ones.

:func:`folium_map` draws a map through streamlit-folium's component with what
``layers.rendered`` computed once for the selection (shared by every session), and its
parcel data as files the map loads by address (Streamlit's media files: in memory, one copy
per content, dropped when no session shows them). Between two runs that draw the same
selection the component's arguments are the same bytes, so Streamlit sends a reference
instead of the map; a click or a new highlight changes only the small feature group.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from urllib.parse import quote

import folium
import streamlit as st

from layers.legend import legend_html
from layers.rendered import (
    FRONT_JS,
    MAPS,
    PARK_MAPS,
    GroupScript,
    MapCache,
    RenderedMap,
    feature_group_script,
    render_map,
)
from layers.webgl import WebglMap

#: The component iframe sits at ``<base>/component/<name>/index.html``; media at ``<base>/media/``.
_MEDIA_FROM_COMPONENT = "../.."
#: Parts of maps loaded by address (a park's parcels: ``layers.classes.ClassLayer``), shared by
#: every session; here, not in a page's module, which runs anew on every run.
PARTS = MapCache(max_entries=48, max_bytes=150_000_000)
#: Feature groups (a picked parcel's outline) as the script the component evaluates, by the key a
#: page names them with: a what-if step or a click on another part of the page does not build the
#: same outline again (a one-parcel GeoJSON and a folium rendering, ~10 ms of every run).
GROUPS = MapCache(max_entries=256, max_bytes=20_000_000)
#: What the map's click handlers send back (st_folium's default value keys).
_DEFAULTS = {
    "last_clicked": None,
    "last_object_clicked": None,
    "last_object_clicked_count": None,
    "last_object_clicked_tooltip": None,
    "last_object_clicked_popup": None,
    "all_drawings": None,
    "last_active_drawing": None,
    "bounds": None,
    "zoom": None,
    "last_circle_radius": None,
    "last_circle_polygon": None,
    "selected_layers": None,
    "selected_tags": None,
    "last_geocoder_result": None,
}


def folium_limit() -> int:
    """Largest selection drawn with folium; ``$GXLAND_MAP_MAX_PARCELS`` lowers it for slow office machines."""
    import os

    from layers import MAX_PARCELS_PER_MAP

    return int(os.environ.get("GXLAND_MAP_MAX_PARCELS", MAX_PARCELS_PER_MAP))


def canvas_from() -> int:
    """
    From how many parcels a map draws them on one canvas (``layers.canvas``);
    ``$GXLAND_MAP_CANVAS_FROM`` sets another number (a test draws a small sample so).
    """
    import os

    from layers.parcels import CANVAS_FROM_PARCELS

    return int(os.environ.get("GXLAND_MAP_CANVAS_FROM", CANVAS_FROM_PARCELS))


def _blob_urls(rendered: RenderedMap, key: str) -> list[str]:
    """Register the map's data as media files of this run; their addresses as the iframe sees them."""
    paths = _media_urls(rendered.blobs, f"gxland-map:{key}")
    if paths is None:  # bare mode (a script, not a page): inline data
        return [f"data:application/json;charset=utf-8,{quote(b.decode())}" for b in rendered.blobs]
    return [f"{_MEDIA_FROM_COMPONENT}{p}" for p in paths]


def component_args(
    rendered: RenderedMap,
    urls: Iterable[str],
    *,
    key: str,
    height: int,
    returned_objects: list[str] | None,
    feature_group: str | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> dict:
    """
    The arguments of streamlit-folium's component for a rendered map (as ``st_folium`` passes them).

    The component's key hashes the script (and ``key``): a new selection is a new map, a new
    highlight or view is the same map updated in place.
    """
    from streamlit_folium import generate_js_hash

    script = rendered.script_with(urls)
    (south, west), (north, east) = rendered.bounds
    defaults = _DEFAULTS | {
        "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
        "zoom": rendered.zoom,
    }
    if returned_objects is not None:
        defaults = {k: v for k, v in defaults.items() if k in returned_objects}
    return {
        "script": script,
        "header": rendered.header,
        "html": rendered.html,
        "id": "map_div",
        "key": generate_js_hash(script, key, False),
        "height": height,
        "width": None,
        "returned_objects": returned_objects,
        "default": defaults,
        "zoom": zoom,
        "center": center,
        "feature_group": feature_group,
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": list(rendered.css_links),
        "js_links": list(rendered.js_links),
        "wrap_longitude": False,
    }


def fit_at_once(m: folium.Map) -> folium.Map:
    """
    Make ``m``'s fit to its data (``fit_bounds``) jump instead of animating; ``m`` returned.

    Leaflet animates a fit from the map's first view (Guangxi) to the data's zoom: a layer
    added meanwhile (the parcels, loaded while the animation runs) is projected and drawn at
    the first zoom, then again at the end of the animation. On a canvas map of 14,000 parcels
    that second pass was ~0.2 s of Chromium's main thread, besides the animation's 0.25 s.
    """
    for child in m._children.values():
        if isinstance(child, folium.map.FitBounds):
            child.options["animate"] = False
    return m


def folium_map(
    build: Callable[[], folium.Map],
    *,
    cache_key: Hashable,
    key: str,
    height: int = 540,
    returned_objects: list[str] | None = None,
    feature_group_to_add: folium.FeatureGroup | list[folium.FeatureGroup] | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    restyle: str | None = None,
    feature_group_key: Hashable | None = None,
    parks_only: bool = False,
):
    """
    Draw the map ``build()`` makes, rendered once per ``cache_key``; st_folium's return value.

    Parameters
    ----------
    build
        Makes the map; called only when ``cache_key`` is not cached.
    cache_key
        Everything the map depends on: the selection's digest (``layers.rendered.frame_key``
        of the drawn columns), language, basemap, legend. Not the highlight.
    key
        The widget key; the return value is also in ``st.session_state[key]``.
    feature_group_to_add
        Drawn on top and replaced without remounting the map (the clicked parcel, the
        selected park); with ``feature_group_key``, a callable that makes them.
    feature_group_key
        Everything the feature groups show: they are made and rendered once per key (:data:`GROUPS`).
    center, zoom
        Move the drawn map (a pinned parcel).
    restyle
        A script run on the drawn map before the feature group is added, whenever either changes
        (``layers.classes.restyle_script``: parcels recoloured in place, no new map).
    parks_only
        The map draws parks, not parcels: kept in :data:`layers.rendered.PARK_MAPS`.
    """
    import streamlit_folium

    rendered = (PARK_MAPS if parks_only else MAPS).get(("folium", cache_key), lambda: render_map(build()))
    args = component_args(
        rendered,
        _blob_urls(rendered, key),
        key=key,
        height=height,
        returned_objects=returned_objects,
        feature_group=_feature_group(restyle, _group_script(feature_group_to_add, feature_group_key)),
        center=center,
        zoom=zoom,
    )

    def _on_change():
        st.session_state[key] = st.session_state.get(args["key"], {})

    return streamlit_folium._component_func(**args, on_change=_on_change)


def _group_script(groups, key: Hashable | None) -> str | None:
    """The feature groups' script (``groups``, or ``groups()`` with a ``key``: made once per key)."""
    if key is None:
        return feature_group_script(groups() if callable(groups) else groups)
    return GROUPS.get(key, lambda: GroupScript(feature_group_script(groups() if callable(groups) else groups))).script


def _feature_group(restyle: str | None, groups_script: str | None) -> str | None:
    """The script the component evaluates after the map's: the restyle, the groups, then the groups on top."""
    if not restyle and not groups_script:
        return None
    return (restyle or "") + (groups_script or "") + (FRONT_JS if groups_script else "")


def media_address(blob: bytes, name: str) -> str:
    """
    ``blob`` (JSON) served as a media file of this run, its address as a map's frame sees it (a
    ``data:`` address in bare mode). The address follows the content: the same bytes, the same
    address (a map may keep what it fetched from it). ``name``: unique among the run's files.
    """
    paths = _media_urls([blob], f"gxland-file:{name}")
    if paths is None:
        return f"data:application/json;charset=utf-8,{quote(blob.decode())}"
    return f"{_MEDIA_FROM_COMPONENT}{paths[0]}"


def _media_urls(blobs, coordinates: str) -> list[str] | None:
    """Register ``blobs`` as media files of this run; their server paths (``/media/…``), or None in bare mode."""
    from streamlit import runtime

    if not runtime.exists():
        return None
    mgr = runtime.get_instance().media_file_mgr
    return [mgr.add(blob, "application/json", f"{coordinates}:{i}") for i, blob in enumerate(blobs)]


def webgl_map(make: Callable[[], WebglMap], *, cache_key: Hashable, key: str, height: int = 540,
              city_names: bool = True, boundary: bool = True) -> WebglMap:
    """
    Draw the WebGL map ``make()`` computes, once per ``cache_key``, with its legend under it.

    The parcels reach deck.gl as files it fetches (addresses relative to the page, so a
    ``server.baseUrlPath`` is kept); the page's message carries the layer definitions only.
    ``city_names``, ``boundary``: as :meth:`layers.webgl.WebglMap.deck`.
    """
    wm = MAPS.get(("webgl", cache_key), make)
    paths = _media_urls(wm.blobs, f"gxland-webgl:{key}")
    deck = wm.deck([p.lstrip("/") for p in paths] if paths is not None else None, city_names=city_names,
                   boundary=boundary)
    st.pydeck_chart(deck, height=height, key=key)
    st.markdown(
        f'<div class="gx-legend" style="font:12px/1.5 sans-serif">{legend_html(wm.legend_title, wm.legend())}</div>',
        unsafe_allow_html=True,
    )
    return wm
