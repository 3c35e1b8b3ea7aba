"""
The efficiency page's folium map fits its parcels at once: Leaflet would otherwise animate the
fit from Guangxi's view, and the parcels loaded meanwhile are projected and drawn twice.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

import layers
from layers.rendered import render_map
from views import mapview


def _parcels(n: int = 30) -> gpd.GeoDataFrame:
    i = np.arange(n)
    x0 = 500_000 + (i % 10) * 120.0
    y0 = 2_500_000 + (i // 10) * 120.0
    return gpd.GeoDataFrame({"parcel_id": [f"P{k}" for k in i], "cls": np.array(["a", "b"])[i % 2]},
                            geometry=shapely.box(x0, y0, x0 + 100, y0 + 100), crs=4545)


def _fits(script: str) -> list[dict]:
    """The options of every ``fitBounds`` call of a rendered map's script."""
    out = []
    for part in script.split(".fitBounds(")[1:]:
        body = part.split(");", 1)[0]
        options = body[body.rindex("]") + 1 :].strip().lstrip(",").strip()
        out.append(json.loads(options or "{}"))
    return out


def test_fit_at_once_makes_the_fit_jump():
    def build():
        return layers.parcel_map(_parcels(), color_col="cls", colors={"a": "#ff0000", "b": "#00ff00"})

    plain = render_map(build()).script
    assert _fits(plain) and all(f.get("animate") is not False for f in _fits(plain))  # Leaflet animates
    jump = render_map(mapview.fit_at_once(build())).script
    assert _fits(jump) and all(f["animate"] is False for f in _fits(jump))
    # nothing else changes: the same script but for the option
    assert jump.replace('{"animate": false}', "{}") == plain


def test_efficiency_page_map_fits_at_once(app):
    from layers.rendered import MAPS

    MAPS.clear()
    at = app.run()
    at.switch_page("views/intensity.py").run()
    assert not at.exception
    scripts = [json.loads(e.proto.json_args)["script"] for e in at.get("component_instance")
               if "script" in json.loads(e.proto.json_args or "{}")]
    assert scripts, "no folium map on the page"
    assert all(f["animate"] is False for s in scripts for f in _fits(s)) and any(_fits(s) for s in scripts)
