"""数据导入: read a bureau's parcel file, show every problem found, and make it the workspace's data."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import words
from geo import io, workspace
from geo.schema import PARCEL_COLUMNS
from views import common, display
from views.i18n import lang, t
from words.io import error_text

ACCEPTED = ["gpkg", "geojson", "json", "zip", "parquet", "csv", "xlsx", "fgb", "kml"]

#: Code-valued columns shown by their labels (label kind of ``words``).
LABEL_KINDS = {"land_use": "land_use", "delay_cause": "delay_cause"}

log = logging.getLogger(__name__)


@st.cache_data(show_spinner=False, max_entries=2)
def _read(name: str, data: bytes, crs: str, encoding: str):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        loaded = io.read_parcels(path, crs=crs or None, encoding=encoding or None, parks=common.parks())
    return loaded.gdf, loaded.problems_frame(), loaded.crs_note, loaded.summary


def preview_frame(gdf: pd.DataFrame, parks: pd.DataFrame | None, lang_: str):
    """
    The first rows as an officer reads them: headers in words, codes as labels, park
    names for park ids, dates without a time, yes/no as 是/否, gaps as "—".

    Returns a ``Styler`` (numbers stay numbers where the column has no gaps).
    """
    kinds = {c.name: c.kind for c in PARCEL_COLUMNS}
    out = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
    fmt: dict[str, str] = {}
    for col in out.columns:
        s = out[col]
        if col in LABEL_KINDS:
            out[col] = s.map(lambda v, k=LABEL_KINDS[col]: words.label(k, v, lang_)).astype(object)
        elif col == "park_id" and parks is not None:
            names = parks.set_index("park_id")["name_zh" if lang_ == "zh" else "name_en"].to_dict()
            out[col] = s.map(names).where(s.map(names).notna(), s).fillna(words.DASH).astype(object)
        elif kinds.get(col) == "bool" or pd.api.types.is_bool_dtype(s):
            out[col] = s.map(lambda v: words.yes_no(v, lang_)).astype(object)
        elif kinds.get(col) == "date" or pd.api.types.is_datetime64_any_dtype(s):
            out[col] = display.dates_text(s)
        elif pd.api.types.is_numeric_dtype(s):
            fmt[col] = "int" if kinds.get(col) == "int" else "num"
        else:
            out[col] = s.map(lambda v: words.DASH if pd.isna(v) else str(v)).astype(object)
    heads = words.headers(out.columns, lang_)
    return display.styled(out.rename(columns=heads), {heads[c]: k for c, k in fmt.items()})


def render() -> None:
    lg = lang()
    st.title(t("page_data"))
    ws = common.current_workspace()
    try:
        current = str(ws.parcels_path)
    except FileNotFoundError:
        current = t("data_none")
    st.caption(t("data_current", path=current))
    st.markdown(t("data_intro"))
    upload = st.file_uploader(t("data_file"), type=ACCEPTED, key="data_upload")
    c1, c2 = st.columns(2)
    crs = c1.text_input(t("data_crs"), key="data_crs")
    encoding = c2.text_input(t("data_encoding"), key="data_encoding")
    if upload is None:
        return
    try:
        with st.spinner(t("data_reading")):
            gdf, problems, crs_note, summary = _read(upload.name, upload.getvalue(), crs.strip(), encoding.strip())
    except io.DataError as exc:
        st.error(error_text(exc, lg, face="web"))
        return
    except (ValueError, LookupError, OSError) as exc:
        # Not one of the reader's coded errors: a library gave up on the file.
        log.warning("reading %s failed: %r", upload.name, exc)
        st.error(t("data_read_failed"))
        return
    st.success(t("data_read_ok", n=len(gdf), e=summary.get("errors", 0), w=summary.get("warnings", 0),
                 o=summary.get("outside_parks") or 0))
    common.show_problems(problems, crs_note)
    known = [c.name for c in PARCEL_COLUMNS]
    colon, sep = ("：", "、") if lg == "zh" else (": ", ", ")
    st.markdown(f"**{t('data_columns')}**{colon}" + sep.join(words.header(c, lg) for c in known if c in gdf))
    absent = [c for c in known if c not in gdf]
    if absent:
        st.caption(f"{t('data_missing')}{colon}" + sep.join(words.header(c, lg) for c in absent))
    st.markdown(f"**{t('data_preview')}**")
    st.dataframe(preview_frame(gdf.head(20), common.parks(), lg), hide_index=True, width="stretch",
                 key="data_preview")
    has_geometry = "geometry" in gdf and gdf.geometry.notna().any()
    if not has_geometry:
        st.warning(t("data_no_geometry"))
        return
    if st.button(t("data_install"), type="primary", key="data_install"):
        try:
            path = workspace.install_parcels(gdf, ws)
        except io.DataError as exc:
            st.error(error_text(exc, lg, face="web"))
            return
        st.cache_data.clear()
        st.success(t("data_installed", path=path))


if __name__ == "__main__":
    render()
