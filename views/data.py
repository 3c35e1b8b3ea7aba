"""数据导入: read a bureau's parcel file, show every problem found, and make it the workspace's data."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from geo import io, workspace
from geo.crs import CRSError
from geo.schema import PARCEL_COLUMNS
from views import common
from views.i18n import lang

ACCEPTED = ["gpkg", "geojson", "json", "zip", "parquet", "csv", "xlsx", "fgb", "kml"]

S = {
    "zh": {
        "title": "数据导入",
        "intro": "上传宗地数据（GeoPackage、GeoJSON、压缩的 Shapefile（.zip）、GeoParquet、含 WKT 几何的 CSV/Excel）。"
                 "列名可用中文别名（如 宗地编号、约定动工日期）。导入前先检查，问题逐行列出。",
        "file": "宗地文件",
        "crs": "坐标系（文件无 .prj 时填写，如 EPSG:4545）",
        "encoding": "Shapefile 编码（无 .cpg 时；留空自动识别）",
        "read_ok": "读取 {n} 宗；错误 {e} 条，警告 {w} 条；园区外 {o} 宗。",
        "columns": "识别到的字段",
        "missing": "缺少的字段（按空值处理）",
        "install": "导入为当前工作空间数据",
        "installed": "已导入：{path}（原数据已备份到 backup/）。核查记录按宗地编号保留。",
        "current": "当前工作空间：{path}",
        "none": "（无宗地数据）",
        "preview": "预览（前 20 行）",
        "no_geometry": "该表没有几何图形，不能作为工作空间数据；可在各页面按宗地编号关联属性表（后续版本）。",
    },
    "en": {
        "title": "Import data",
        "intro": "Upload parcels (GeoPackage, GeoJSON, zipped Shapefile, GeoParquet, CSV/Excel with WKT geometry). "
                 "Headers may be Chinese aliases (宗地编号, 约定动工日期 …). The file is checked first; problems are listed by row.",
        "file": "Parcel file",
        "crs": "CRS (when the file has no .prj, e.g. EPSG:4545)",
        "encoding": "Shapefile encoding (when there is no .cpg; empty = detect)",
        "read_ok": "{n} parcels read; {e} errors, {w} warnings; {o} outside every park.",
        "columns": "Columns recognised",
        "missing": "Columns absent (treated as empty)",
        "install": "Use as the workspace's parcels",
        "installed": "Imported: {path} (the previous data moved to backup/). Review decisions are kept by parcel number.",
        "current": "Current workspace: {path}",
        "none": "(no parcel data)",
        "preview": "Preview (first 20 rows)",
        "no_geometry": "This table has no geometry and cannot be a workspace's parcels.",
    },
}


def s(key: str, **fmt) -> str:
    text = S.get(lang(), S["zh"])[key]
    return text.format(**fmt) if fmt else text


@st.cache_data(show_spinner=False, max_entries=2)
def _read(name: str, data: bytes, crs: str, encoding: str):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        loaded = io.read_parcels(path, crs=crs or None, encoding=encoding or None, parks=common.parks())
    return loaded.gdf, loaded.problems_frame(), loaded.crs_note, loaded.summary


def render() -> None:
    st.title(s("title"))
    ws = common.current_workspace()
    try:
        current = str(ws.parcels_path)
    except FileNotFoundError:
        current = s("none")
    st.caption(s("current", path=current))
    st.markdown(s("intro"))
    upload = st.file_uploader(s("file"), type=ACCEPTED, key="data_upload")
    c1, c2 = st.columns(2)
    crs = c1.text_input(s("crs"), key="data_crs")
    encoding = c2.text_input(s("encoding"), key="data_encoding")
    if upload is None:
        return
    try:
        with st.spinner("…"):
            gdf, problems, crs_note, summary = _read(upload.name, upload.getvalue(), crs.strip(), encoding.strip())
    except (io.DataError, CRSError, ValueError) as exc:
        st.error(str(exc))
        return
    st.success(s("read_ok", n=len(gdf), e=summary.get("errors", 0), w=summary.get("warnings", 0),
                 o=summary.get("outside_parks", 0)))
    common.show_problems(problems, crs_note)
    known = [c.name for c in PARCEL_COLUMNS]
    st.markdown(f"**{s('columns')}**：" + "、".join(common.headers(gdf[[c for c in known if c in gdf]].head(0)).columns))
    absent = [c for c in known if c not in gdf]
    if absent:
        st.caption(f"{s('missing')}：" + "、".join(common.headers(gdf.iloc[:0].reindex(columns=absent)).columns))
    preview = gdf.drop(columns="geometry", errors="ignore").head(20)
    st.markdown(f"**{s('preview')}**")
    st.dataframe(common.headers(preview), hide_index=True, width="stretch", key="data_preview")
    has_geometry = "geometry" in gdf and gdf.geometry.notna().any()
    if not has_geometry:
        st.warning(s("no_geometry"))
        return
    if st.button(s("install"), type="primary", key="data_install"):
        path = workspace.install_parcels(gdf, ws)
        st.cache_data.clear()
        st.success(s("installed", path=path))


if __name__ == "__main__":
    render()
