"""
folium map builders: parks overview, parcel maps, legends, offline assets.

Every builder takes GeoDataFrames in any CRS, reprojects once to EPSG:4326,
sends only the tooltip fields (HTML-escaped) with coordinates rounded to
~0.1 m, and loads Leaflet & co. from ``/app/static/vendor`` (see
``layers.assets``).
"""

from layers.assets import AssetError, missing_assets, use_local_assets
from layers.basemap import BASEMAPS, DEFAULT_BASEMAP, BasemapError, available_basemaps, basemap_layers
from layers.classes import highlight_layer, restyle_script
from layers.events import clicked_feature_property, clicked_parcel_id, clicked_park_id
from layers.legend import Legend
from layers.parcels import MAX_PARCELS_PER_MAP, MapTooLargeError, check_map_size, choropleth, parcel_map
from layers.parks import park_highlight, park_map

__all__ = [
    "BASEMAPS",
    "DEFAULT_BASEMAP",
    "MAX_PARCELS_PER_MAP",
    "AssetError",
    "BasemapError",
    "Legend",
    "MapTooLargeError",
    "available_basemaps",
    "basemap_layers",
    "check_map_size",
    "choropleth",
    "clicked_feature_property",
    "clicked_parcel_id",
    "clicked_park_id",
    "highlight_layer",
    "missing_assets",
    "parcel_map",
    "park_highlight",
    "park_map",
    "restyle_script",
    "use_local_assets",
]
