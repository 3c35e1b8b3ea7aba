"""
The one download button under a results table ("下载本表", opening Excel, CSV, GeoPackage,
GeoJSON and zipped Shapefile) of the table as the page shows it, written by :mod:`reports.tables`.

Every file is built only when its button is clicked (``data=callable``): a rerun of the
page builds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import geopandas as gpd
import pandas as pd
import streamlit as st

from reports import tables
from views.i18n import lang, t

#: Formats offered, in this order: format → (extension, label key).
FORMATS: dict[str, tuple[str, str]] = {
    "xlsx": (".xlsx", "dl_xlsx"),
    "csv": (".csv", "dl_csv"),
    "gpkg": (".gpkg", "dl_gpkg"),
    "geojson": (".geojson", "dl_geojson"),
    "zip": (".zip", "dl_zip"),
}
GEO_FORMATS = frozenset({"gpkg", "geojson", "zip"})

Shown = pd.DataFrame | Callable[[], pd.DataFrame]


def file_name(base_name: str, ext: str, stamp: str | None = None) -> str:
    """``闲置土地_2026-11-25.xlsx``: the page's words, the as-of date, no character a file system refuses."""
    import re

    name = re.sub(r'[\\/:*?"<>|\s]+', "_", base_name).strip("_") or "export"
    return f"{name}_{stamp}{ext}" if stamp else f"{name}{ext}"


def _bytes_of(shown: Shown, ext: str, **kwargs) -> Callable[[], bytes]:
    def build() -> bytes:
        frame = shown() if callable(shown) else shown
        return tables.export_bytes(frame, ext, **kwargs)

    return build


def export_buttons(
    shown: Shown,
    *,
    base_name: str,
    key: str,
    stamp: str | None = None,
    sheet: str | None = None,
    layer: str = "parcels",
    formats: Sequence[str] = ("xlsx", "csv", "gpkg", "geojson", "zip"),
    extra_sheets: Mapping[str, pd.DataFrame] | None = None,
    xlsx: Callable[[], bytes] | None = None,
    has_geometry: bool | None = None,
) -> None:
    """
    The download buttons of a results table, one per format, behind one "下载本表" button.

    Parameters
    ----------
    shown
        The table as the page shows it (headers and labels in the UI's language; a
        GeoDataFrame to offer the GIS formats) or a callable returning it, called on click.
    base_name, stamp
        File name: ``{base_name}_{stamp}.xlsx`` (the page's name, the as-of date).
    key
        Prefix of the buttons' widget keys (``{key}_xlsx`` …).
    sheet, extra_sheets
        The Excel sheet's name (default: the table's) and further sheets after it.
    layer
        Layer name in GeoPackage / Shapefile.
    formats
        Which of :data:`FORMATS` to offer; the GIS formats only when the table has geometry.
    xlsx
        A builder of the Excel file instead of the default (a workbook of several sheets).
    has_geometry
        Whether a callable ``shown`` yields a GeoDataFrame (a frame is looked at).
    """
    lg = lang()
    if has_geometry is None:
        has_geometry = isinstance(shown, gpd.GeoDataFrame) and shown.crs is not None
    offered = [f for f in formats if f in FORMATS and (f not in GEO_FORMATS or has_geometry)]
    # One button that opens the formats: the browser mounts a popover's buttons when it is opened
    # (a row of five was ~10 elements drawn on every load of a page with a table).
    box = st.popover(t("dl_heading"), icon=":material/download:")
    for fmt in offered:
        ext, label = FORMATS[fmt]
        if fmt == "xlsx" and xlsx is not None:
            data = xlsx
        elif fmt == "xlsx":
            data = _bytes_of(shown, ext, lang=lg, sheet=sheet, extra_sheets=extra_sheets)
        else:
            data = _bytes_of(shown, ext, lang=lg, layer=layer)
        box.download_button(
            t(label),
            data=data,
            file_name=file_name(base_name, ext, stamp),
            mime=tables.MIME_TYPES[ext],
            key=f"{key}_{fmt}",
            on_click="ignore",
            help=t("dl_help") if fmt in GEO_FORMATS else None,
        )
