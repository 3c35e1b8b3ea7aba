"""
Reading st_folium's return value: plain functions, unit-tested without a browser.

Clicking a ``GeoJson`` feature makes st_folium return it, with its
properties, as ``last_active_drawing`` (field-notes). Property strings were
HTML-escaped before they were sent, so ids are unescaped on the way back.
"""

from __future__ import annotations

import html
from collections.abc import Mapping


def clicked_feature_property(st_folium_result: Mapping | None, field: str) -> str | None:
    """
    ``last_active_drawing.properties[field]`` of an st_folium result, or None.

    Returns None for no result, no click yet, or a feature without that
    property (a park outline, a drawn shape).
    """
    if not isinstance(st_folium_result, Mapping):
        return None
    feature = st_folium_result.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return None
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        return None
    value = props.get(field)
    if value is None or isinstance(value, Mapping | list):
        return None
    text = html.unescape(str(value))
    return text if text != "" else None


def clicked_parcel_id(st_folium_result: Mapping | None) -> str | None:
    """The ``parcel_id`` of the parcel last clicked on a parcel map, or None."""
    return clicked_feature_property(st_folium_result, "parcel_id")


def clicked_park_id(st_folium_result: Mapping | None) -> str | None:
    """The ``park_id`` of the park last clicked on the overview map, or None."""
    return clicked_feature_property(st_folium_result, "park_id")
