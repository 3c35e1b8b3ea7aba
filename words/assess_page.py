"""Words of the 扩区/升级审查 page (views/assess.py) and its map (layers/assessment.py)."""

from __future__ import annotations

from words.core import register


def _w(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


UI = {
    "page_assess": _w("扩区/升级审查", "Expansion / upgrade review"),
    "asp_intro": _w("上传或在地图上绘制申请范围，按所选参数方案逐项审查，给出审查结论和审查意见。",
                    "Upload or draw the area applied for; every check of the chosen preset is run and a "
                    "conclusion derived."),
    "asp_kind": _w("审查类型", "Kind of review"),
    "asp_constraints_own": _w("约束图层：换用本单位数据", "Constraint layers: use your own"),
    "asp_constraints_help": _w("上传本单位的永久基本农田、生态保护红线、城镇开发边界图层（任一可读格式，含坐标 TXT），"
                               "保存在工作空间中，替换系统自带的示意数据；未上传的图层仍用示意数据。",
                               "Upload your own basic farmland, ecological red line and urban development boundary "
                               "(any readable format, 坐标 TXT included): kept in the workspace, they replace the "
                               "illustrative sample layers; a layer not uploaded stays the sample's."),
    "asp_constraints_bad": _w("“{layer}”图层未替换：{reason}", "The “{layer}” layer was not replaced: {reason}"),
    "asp_constraints_saved": _w("已保存“{layer}”图层（{n} 个图斑），审查改用该图层。",
                                "Saved the “{layer}” layer ({n} features); reviews use it now."),
    "asp_park": _w("申请园区", "Applicant park"),
    "asp_preset": _w("参数方案", "Preset"),
    "asp_source": _w("申请范围来源", "Area applied for"),
    "asp_source_upload": _w("上传文件", "Upload a file"),
    "asp_source_draw": _w("在地图上绘制", "Draw on the map"),
    "asp_file": _w("申请范围文件（GeoJSON、Shapefile 压缩包、GPKG、KML、DXF、含 WKT 的 CSV、坐标 TXT）",
                   "Application file (GeoJSON, zipped Shapefile, GPKG, KML, DXF, CSV with WKT, 坐标 TXT)"),
    "asp_file_project": _w("项目文件（项目用地范围，或含用地面积等指标的 CSV/Excel 一行）",
                           "Project file (its site, or one CSV/Excel row with its figures)"),
    "asp_upload_first": _w("请上传申请范围文件。", "Upload the application file."),
    "asp_draw_help": _w("用地图左侧的多边形或矩形工具绘制申请范围，双击或点击起点结束；可绘制多个区块。",
                        "Draw the area with the polygon or rectangle tool on the left; several blocks allowed."),
    "asp_draw_first": _w("尚未绘制申请范围。", "Nothing drawn yet."),
    "asp_drawn": _w("已绘制 {n} 个区块。", "{n} block(s) drawn."),
    "asp_read_error": _w("无法审查：{reason}", "Cannot review: {reason}"),
    "asp_unexpected": _w("文件无法读取，请检查文件格式和内容是否完整。",
                         "The file cannot be read: check its format and contents."),
    "asp_h_verdict": _w("审查结论", "Conclusion"),
    "asp_h_checks": _w("审查事项", "Checks"),
    "asp_h_area": _w("申请范围及面积", "The area applied for"),
    "asp_h_map": _w("审查图", "Map"),
    "asp_h_downloads": _w("下载", "Downloads"),
    "asp_dl_docx": _w("审查意见（Word）", "Review report (Word)"),
    "asp_dl_gpkg": _w("审查图层（GPKG：申请范围、重叠部分、园区）", "Layers (GPKG: application, overlaps, park)"),
    "asp_dl_txt": _w("申请范围界址点坐标（坐标 TXT）", "Boundary coordinates (坐标 TXT)"),
    "asp_no_workspace_parcels": _w("未找到工作区地块数据，园区用地情况相关事项按无资料处理。",
                                   "No workspace parcels: the park's record counts as unknown."),
    "asp_illustrative_suffix": _w("（示意数据）", " (illustrative)"),
    "asp_project_form": _w("项目指标（填写的数值优先于文件中的同名指标；绘制项目用地时须在此填写）",
                           "Project figures (override the file's; needed when the site is drawn)"),
    "asp_site_area": _w("用地面积(平方米)（无用地范围图形时使用）", "Site area (m², when no site polygon)"),
    "asp_tt_name": _w("名称", "Name"),
    "asp_tt_area": _w("面积", "Area"),
}

TEXTS = {
    "asp_piece_area": _w("{layer}{n}：{mu:,.2f} 亩（{ha:,.4f} 公顷）", "{layer} {n}: {mu:,.2f} mu ({ha:,.4f} ha)"),
    "asp_no_polygon": _w("所给范围中没有面状图形，无法审查。", "The area given has no polygon."),
}

register(labels={"ui": UI}, texts=TEXTS)
