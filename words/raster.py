"""
Imagery as evidence (卫片/遥感影像): evidence classes, leads, columns, errors and settings.

Imagery yields leads, never findings: every lead says 线索，须实地核查 (自然资发〔2023〕258号:
a satellite change patch is a 问题线索 to be checked on site).
"""

from words.core import register


def _w(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


EVIDENCE = {
    "construction_detected": _w("影像显示已有建设", "Construction detected"),
    "cleared_not_built": _w("影像显示已平整未建设", "Cleared, not built"),
    "no_construction": _w("影像未见建设", "No construction seen"),
    "no_data": _w("影像无有效数据", "No usable imagery"),
}

LEADS = {
    "record_doubtful": _w("登记已动工或竣工但影像未见建设（线索，须实地核查）",
                          "Recorded started or completed, imagery shows no building (lead, field check needed)"),
    "record_out_of_date": _w("登记未动工但影像显示建设（线索，须实地核查）",
                             "Recorded not started, imagery shows construction (lead, field check needed)"),
}

RECORD_STATES = {
    "completed": _w("已竣工", "completed"),
    "started": _w("已动工", "started"),
    "not_started": _w("未动工", "not started"),
    "unknown": _w("开发情况不详", "unknown"),
}

KINDS = {
    "multispectral": _w("多光谱影像", "multispectral scene"),
    "class": _w("地类分类栅格", "land-cover class raster"),
    "index": _w("建设用地指数栅格", "built-up index raster"),
}

SENSORS = {
    "gf": _w("高分一号/高分二号（4波段）", "GF-1/GF-2 (4 bands)"),
    "sentinel2": _w("哨兵二号", "Sentinel-2"),
    "landsat89": _w("陆地卫星8/9号", "Landsat 8/9"),
}

COLUMNS = {
    "builtup_frac": _w("影像建成占比", "Built-up share"),
    "builtup_frac_before": _w("前时相建成占比", "Built-up share, earlier image"),
    "builtup_change": _w("建成占比变化", "Change in built-up share"),
    "cleared_frac": _w("平整裸地占比", "Cleared share"),
    "ndvi_mean": _w("归一化植被指数均值", "Mean NDVI"),
    "brightness_mean": _w("亮度均值", "Mean brightness"),
    "ndbi_mean": _w("归一化建筑指数均值", "Mean NDBI"),
    "valid_frac": _w("有效像元占比", "Valid pixel share"),
    "pixels": _w("覆盖像元数", "Pixels covered"),
    "nodata_pixels": _w("无数据像元数", "Pixels without data"),
    "patch_overlap_m2": _w("与卫片图斑重叠面积(平方米)", "Overlap with change patches (m²)"),
    "patch_count": _w("重叠卫片图斑数", "Change patches overlapping"),
    "patch_date_latest": _w("最近图斑监测日期", "Latest patch date"),
    "evidence": _w("影像证据", "Imagery evidence"),
    "record_state": _w("登记开发情况", "Recorded development"),
    "lead": _w("核查线索", "Lead"),
    "image_date": _w("影像日期", "Image date"),
    "image_date_before": _w("前时相影像日期", "Earlier image date"),
    "site_photo": _w("现场照片", "Site photos"),
    "check_notes": _w("核查情况", "Field check notes"),
}

_NOTE = "线索，须实地核查"

TEXTS = {
    "raster_figures": _w("{image_date}影像：建成占比 {builtup_frac:.1%}，有效像元占比 {valid_frac:.1%}（无数据像元 {nodata_pixels:.1f} 个，已剔除）",
                         "Image of {image_date}: built-up share {builtup_frac:.1%}, valid pixel share {valid_frac:.1%} "
                         "({nodata_pixels:.1f} pixels without data left out)"),
    "raster_figures_before": _w("{image_date_before}影像：建成占比 {builtup_frac_before:.1%}，前后变化 {change_pts:+.1f} 个百分点",
                                "Image of {image_date_before}: built-up share {builtup_frac_before:.1%}, change "
                                "{change_pts:+.1f} points"),
    "raster_cleared": _w("平整裸地占比 {cleared_frac:.1%}", "cleared share {cleared_frac:.1%}"),
    "raster_ndvi": _w("归一化植被指数均值 {ndvi_mean:.2f}", "mean NDVI {ndvi_mean:.2f}"),
    "raster_patches": _w("与 {patch_count} 个卫片图斑重叠 {patch_overlap_m2:,.0f} 平方米（最近监测日期 {patch_date_latest}）",
                         "{patch_count} change patch(es) overlap by {patch_overlap_m2:,.0f} m² (latest {patch_date_latest})"),
    "raster_evidence_is": _w("影像证据：{evidence}", "Imagery evidence: {evidence}"),
    "lead_record_doubtful": _w(f"登记为{{record_state}}，但影像建成占比 {{builtup_frac:.1%}} 低于 {{built_frac_min:.0%}}，记录存疑（{_NOTE}）",
                               "Recorded {record_state}, but the built-up share {builtup_frac:.1%} is below "
                               "{built_frac_min:.0%}: the record is doubtful (lead, field check needed)"),
    "lead_record_out_of_date": _w("登记为未动工，但影像显示已有建设或变化，记录可能滞后（线索，须实地核查）",
                                  "Recorded not started, but the imagery shows construction or change: the record may "
                                  "be out of date (lead, field check needed)"),
    "lead_reason_rise": _w("建成占比比前时相上升 {change_pts:.1f} 个百分点（上升 {rise_pts:.0f} 个百分点即列为线索）",
                           "the built-up share rose {change_pts:.1f} points since the earlier image (a rise of "
                           "{rise_pts:.0f} points makes a lead)"),
    "lead_reason_patch": _w("与卫片图斑重叠 {patch_overlap_m2:,.0f} 平方米（重叠 {patch_overlap_min_m2:,.0f} 平方米即列为线索）",
                            "change patches overlap by {patch_overlap_m2:,.0f} m² (an overlap of "
                            "{patch_overlap_min_m2:,.0f} m² makes a lead)"),
    "lead_reason_built_now": _w("仅有一期影像，建成占比 {builtup_frac:.1%}，已达 {built_frac_min:.0%}",
                                "one image only: built-up share {builtup_frac:.1%}, at least {built_frac_min:.0%}"),
    "raster_lead_note": _w("影像比对结果只作问题线索，须经实地核查，不作为认定闲置土地或处置的依据（自然资发〔2023〕258号）",
                           "Imagery yields leads only: they need a field check and are no grounds for a finding or "
                           "a disposal (自然资发〔2023〕258号)"),
    # errors (geo.raster.RASTER_ERROR_CODES)
    "raster_unreadable": _w("无法读取影像文件“{file}”，请确认是完整的栅格影像文件（如 .tif）。",
                            "Cannot read the raster “{file}”: check that it is a complete GeoTIFF or other raster."),
    "raster_no_crs": _w("影像文件“{file}”没有坐标系，无法与宗地叠加。请在地理信息系统软件（如 QGIS）中为影像定义坐标系（如 CGCS2000）后重新上传。",
                        "The raster “{file}” has no coordinate reference system, so it cannot be laid over the parcels: "
                        "define its CRS (e.g. CGCS2000) in a GIS and upload it again."),
    "raster_rotated": _w("影像文件“{file}”带旋转参数或非正北朝向，请先在地理信息系统软件（如 QGIS）中校正为正北朝向。",
                         "The raster “{file}” is rotated or not north-up: rectify it north-up in a GIS first."),
    "raster_band_count": _w("影像文件“{file}”有 {count} 个波段，与设置不符：应为 {expected} 个波段（单波段分类/指数栅格，或所设传感器的多光谱波段数）。",
                            "The raster “{file}” has {count} band(s), which does not fit the settings: expected "
                            "{expected} (a single-band class/index raster, or the bands of a configured sensor)."),
    "raster_no_overlap": _w("影像文件“{file}”的范围与所选园区不重叠，请确认影像所属区域和坐标系。",
                            "The raster “{file}” does not overlap the park: check its area and its CRS."),
    "raster_too_large": _w("影像文件“{file}”大小为 {size_mb} MB，超过上传上限 {max_mb:.0f} MB，请裁剪到园区范围或压缩后再上传。",
                           "The raster “{file}” is {size_mb} MB, over the {max_mb:.0f} MB upload limit: clip it to "
                           "the park or compress it."),
    "raster_grid_mismatch": _w("影像文件“{file}”的格网无法与计算格网对齐。", "The raster “{file}” grid cannot be aligned."),
    "raster_setting_not_number": _w("影像证据设置中 {key} 的值“{value}”不是数字，请填写数字。",
                                    "In the imagery settings, {key} = “{value}” is not a number: write a number."),
    "raster_setting_out_of_range": _w("影像证据设置中 {key} 的值 {value} 超出范围：应在 {low} 到 {high} 之间。",
                                      "In the imagery settings, {key} = {value} is out of range: it must lie between "
                                      "{low} and {high}."),
    "raster_setting_below_min": _w("影像证据设置中 {key} 的值 {value} 无效：应不小于 {low}。",
                                   "In the imagery settings, {key} = {value} is not allowed: it must be {low} or more."),
    "raster_setting_choice": _w("影像证据设置中 {key} 的值“{value}”无效，可选：{allowed_choices}。",
                                "In the imagery settings, {key} = “{value}” is not allowed; choose one of "
                                "{allowed_choices}."),
    "raster_band_order_invalid": _w("影像证据设置中 {key} 的波段顺序“{value}”无效：须为蓝、绿、红、近红外等波段名对应不重复的波段序号（从1起）。",
                                    "In the imagery settings, the band order {key} = “{value}” is not valid: name blue, "
                                    "green, red, nir … each with its own band number (from 1)."),
    "raster_values_invalid": _w("影像证据设置中 {key} 的取值“{value}”无效：须为数值列表，且建设与平整地类不能重复。",
                                "In the imagery settings, {key} = “{value}” is not valid: write a list of numbers, "
                                "built and cleared values apart."),
    "patches_no_geometry": _w("卫片图斑文件“{file}”没有图形或坐标系，请提供带坐标系的矢量文件（如 .shp、.gpkg、.geojson）。",
                              "The change-patch file “{file}” has no shapes or no CRS: give a vector file with a CRS "
                              "(.shp, .gpkg, .geojson …)."),
}


def _written(code: str, zh: str, en: str) -> dict[str, str]:
    return {"zh": f"{code}（{zh}）", "en": f"{code} ({en})"}


SETTING_KEYS = {
    "sensor": _written("sensor", "传感器", "sensor"),
    "sensors": _written("sensors", "各传感器波段顺序", "band orders of the sensors"),
    "single_band": _written("single_band", "单波段栅格类型", "kind of a single-band raster"),
    "ndvi_vegetation_min": _written("ndvi_vegetation_min", "植被像元的归一化植被指数下限", "least NDVI of a vegetated pixel"),
    "brightness_built_min": _written("brightness_built_min", "建设像元的亮度下限", "least brightness of a built pixel"),
    "ndbi_built_min": _written("ndbi_built_min", "建设像元的归一化建筑指数下限", "least NDBI of a built pixel"),
    "built_values": _written("built_values", "表示建设的地类值", "class values meaning built"),
    "cleared_values": _written("cleared_values", "表示平整裸地的地类值", "class values meaning cleared"),
    "built_threshold": _written("built_threshold", "建设用地指数阈值", "built-up index threshold"),
    "valid_frac_min": _written("valid_frac_min", "有效像元占比下限", "least valid pixel share"),
    "built_frac_min": _written("built_frac_min", "认定有建设的建成占比下限", "least built-up share for construction"),
    "cleared_frac_min": _written("cleared_frac_min", "认定已平整的裸地占比下限", "least cleared share"),
    "builtup_rise_min": _written("builtup_rise_min", "建成占比上升的线索标准", "least rise of the built-up share"),
    "patch_overlap_min_m2": _written("patch_overlap_min_m2", "卫片图斑重叠面积线索标准（平方米）",
                                     "least overlap with change patches (m²)"),
    "max_upload_mb": _written("max_upload_mb", "影像上传大小上限（MB）", "largest raster upload (MB)"),
}

register(
    labels={
        "raster_evidence": EVIDENCE,
        "raster_lead": LEADS,
        "record_state": RECORD_STATES,
        "raster_kind": KINDS,
        "raster_sensor": SENSORS,
        "column": COLUMNS,
        "rule_set": {"raster": _w("影像证据设置", "the imagery settings")},
        "setting_key": SETTING_KEYS,
    },
    texts=TEXTS,
    arg_kinds={"evidence": "raster_evidence", "record_state": "record_state", "expected": "as_written"},
    value_kinds={"evidence": "raster_evidence", "lead": "raster_lead", "record_state": "record_state"},
)

register(labels={"ui": {
    "raster_field_check_sheet": _w("实地核查清单", "Field check list"),
    "raster_cli_summary": _w("影像比对结果（线索，须实地核查）", "Imagery evidence (leads, field check needed)"),
}, "column": {"raster_summary_item": _w("项目", "Item")}})

register(labels={
    "raster_class": {
        "built": _w("建设（建筑物、硬化地面）", "Built (buildings, hardstand)"),
        "cleared": _w("平整裸地", "Cleared ground"),
        "other": _w("植被及其他", "Vegetation and other"),
        "nodata": _w("无数据（云、缺测）", "No data (cloud, gaps)"),
    },
    "ui": {
        "raster_legend_title": _w("影像判读（线索，须实地核查）", "Imagery (leads, field check needed)"),
        "raster_patches_layer": _w("卫片图斑", "Change patches"),
        "raster_patch_id": _w("图斑编号", "Patch no."),
        "raster_patch_date": _w("监测日期", "Date"),
    },
})

register(labels={"ui": {
    "imagery_filter": _w("与影像不符的记录", "Records that contradict the imagery"),
    "imagery_filter_help": _w("只列出登记开发情况与影像不符的宗地（线索，须实地核查）",
                              "Only parcels whose recorded development the imagery contradicts (leads, field check needed)"),
    "imagery_show": _w("叠加影像", "Imagery overlay"),
    "imagery_date": _w("时相", "Date"),
    "imagery_after": _w("后时相", "Later"),
    "imagery_before": _w("前时相", "Earlier"),
    "imagery_opacity": _w("透明度", "Opacity"),
    "imagery_patches": _w("卫片图斑", "Change patches"),
    "imagery_caption": _w("影像日期：{dates}。影像判读结果只作线索，须实地核查。",
                          "Image date: {dates}. Imagery yields leads only: a field check is needed."),
    "imagery_card_title": _w("影像比对（线索，须实地核查）", "Imagery (lead, field check needed)"),
    "imagery_none_for_park": _w("该宗地所在园区暂无影像。", "No imagery for this parcel's park."),
    "imagery_section": _w("影像比对：实地核查清单与影像上传", "Imagery: field-check list and upload"),
    "imagery_lead_note": _w("影像比对结果只作问题线索，须经实地核查，不作为认定闲置土地或处置的依据（自然资发〔2023〕258号）。",
                            "Imagery yields leads only: they need a field check and are no grounds for a finding or a "
                            "disposal (自然资发〔2023〕258号)."),
    "imagery_field_check": _w("下载实地核查清单（{n} 宗，Excel）", "Download the field-check list ({n} parcels, Excel)"),
    "imagery_upload_title": _w("上传园区影像", "Upload imagery for a park"),
    "imagery_upload_help": _w("栅格影像（.tif），单个文件不超过 {mb} MB；须带坐标系并覆盖所选园区；单波段分类或指数栅格，或高分一号/高分二号（4波段）、哨兵二号（6波段）、陆地卫星8/9号（7波段）多光谱影像。",
                              "GeoTIFF, at most {mb} MB; with a CRS, over the park; a single-band class or index raster, "
                              "or a GF-1/GF-2 (4 bands), Sentinel-2 (6 bands) or Landsat 8/9 (7 bands) scene."),
    "imagery_upload_date": _w("影像日期", "Image date"),
    "imagery_upload_file": _w("影像文件（.tif）", "Raster file (.tif)"),
    "imagery_summary_item": _w("影像比对结果", "Imagery result"),
    "imagery_summary_parcels": _w("宗数", "Parcels"),
    "imagery_upload_ok": _w("已保存{park}{date}的影像。", "Saved the imagery of {park} of {date}."),
}})
