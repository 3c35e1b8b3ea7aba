"""UI strings, Chinese first. ``t(key)`` reads the language from the session."""

from __future__ import annotations

import streamlit as st

LANGS = {"zh": "中文", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"zh": "广西高新区土地集约利用管理", "en": "Guangxi high-tech zones: land management"},
    "language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "as_of": {"zh": "评价基准日", "en": "As-of date"},
    "workspace": {"zh": "工作空间", "en": "Workspace"},
    "basemap": {"zh": "底图", "en": "Basemap"},
    "tianditu_key": {"zh": "天地图密钥 (tk)", "en": "Tianditu key (tk)"},
    "user": {"zh": "操作人员", "en": "User"},
    "page_overview": {"zh": "园区总览", "en": "Overview"},
    "page_idle": {"zh": "闲置土地", "en": "Idle land"},
    "page_intensity": {"zh": "用地效率", "en": "Land efficiency"},
    "page_compare": {"zh": "园区对比", "en": "Compare parks"},
    "page_data": {"zh": "数据导入", "en": "Import data"},
    "page_eco": {"zh": "生态化改造", "en": "Eco-transformation"},
    "basemap_none": {"zh": "无底图（离线）", "en": "None (offline)"},
    "basemap_osm": {"zh": "OpenStreetMap", "en": "OpenStreetMap"},
    "basemap_tianditu_vec": {"zh": "天地图 矢量", "en": "Tianditu vector"},
    "basemap_tianditu_img": {"zh": "天地图 影像", "en": "Tianditu imagery"},
    "data_problems": {"zh": "数据问题", "en": "Data problems"},
    "crs_note": {"zh": "坐标系", "en": "CRS"},
    "no_workspace": {
        "zh": "工作空间中没有宗地数据。请运行 `python -m geo sample --out workspace` 生成示例数据，或将宗地文件放入该文件夹。",
        "en": "No parcel data in the workspace. Run `python -m geo sample --out workspace` or put a parcel file there.",
    },
    "parks_table": {"zh": "各园区闲置土地统计", "en": "Idle land per park"},
    "park": {"zh": "园区", "en": "Park"},
    "parcels": {"zh": "宗地数", "en": "Parcels"},
    "area_mu": {"zh": "宗地面积（亩）", "en": "Parcel area (亩)"},
    "idle_parcels": {"zh": "闲置宗数", "en": "Idle parcels"},
    "idle_area_mu": {"zh": "闲置面积（亩）", "en": "Idle area (亩)"},
    "suspected_parcels": {"zh": "临近闲置宗数（逾期/中止未满1年）", "en": "On the clock (overdue or halted < 1 yr)"},
    "fees_due_wan": {"zh": "应征闲置费（万元）", "en": "Fees due (万元)"},
    "parks_map": {"zh": "园区分布图", "en": "Map of parks"},
    "pick_parks": {"zh": "选择园区", "en": "Parks"},
    "filter_status": {"zh": "闲置状态", "en": "Idle status"},
    "filter_land_use": {"zh": "土地用途", "en": "Land use"},
    "filter_holder": {"zh": "使用权人包含", "en": "Holder contains"},
    "n_shown": {"zh": "显示 {n} 宗，{area:,.1f} 亩", "en": "{n} parcels shown, {area:,.1f} 亩"},
    "pick_parcel": {"zh": "查看宗地（可在地图上点击）", "en": "Parcel (or click it on the map)"},
    "parcel_card": {"zh": "宗地详情", "en": "Parcel details"},
    "explanation": {"zh": "认定说明", "en": "Explanation"},
    "review": {"zh": "核查处置", "en": "Review"},
    "action": {"zh": "操作", "en": "Action"},
    "stage": {"zh": "处置阶段", "en": "Disposal stage"},
    "reason": {"zh": "理由", "en": "Reason"},
    "note": {"zh": "备注", "en": "Note"},
    "record": {"zh": "记录", "en": "Record"},
    "recorded": {"zh": "已记录。", "en": "Recorded."},
    "history": {"zh": "核查记录", "en": "Review history"},
    "no_history": {"zh": "暂无核查记录。", "en": "No review entries yet."},
    "current_decision": {"zh": "当前结论", "en": "Current decision"},
    "export_xlsx": {"zh": "导出 Excel", "en": "Export Excel"},
    "export_gpkg": {"zh": "导出 GeoPackage", "en": "Export GeoPackage"},
    "parcel_list": {"zh": "宗地清单", "en": "Parcel list"},
    "status_summary": {"zh": "按状态统计", "en": "By status"},
    "too_many": {
        "zh": "所选范围共 {n} 宗，超过地图上限 {limit} 宗。请减少园区或加筛选条件；下表仍列出全部宗地。",
        "en": "{n} parcels selected, above the map limit of {limit}. Pick fewer parks or filter; the table still lists all.",
    },
    "webgl_draw": {
        "zh": "改用 WebGL 绘制全部 {n} 宗（可悬停查看，不可点选；在右侧按编号查看详情）",
        "en": "Draw all {n} parcels with WebGL instead (hover only; pick a parcel by number on the right)",
    },
    "decided_confirmed": {"zh": "已确认闲置", "en": "Confirmed idle"},
    "decided_dismissed": {"zh": "已排除", "en": "Dismissed"},
    "computed_status": {"zh": "系统判定", "en": "Computed status"},
    "outside_parks": {"zh": "园区外宗地 {n} 宗（未计入任何园区）", "en": "{n} parcels lie outside every park"},
    "outside_label": {"zh": "园区外", "en": "Outside parks"},
    "legend": {"zh": "图例", "en": "Legend"},
    "level": {"zh": "级别", "en": "Level"},
    "city": {"zh": "城市", "en": "City"},
    "area_ha": {"zh": "面积（公顷）", "en": "Area (ha)"},
    "no_parcels": {"zh": "没有符合条件的宗地。", "en": "No parcels match."},
    "user_required": {"zh": "请在侧边栏填写操作人员。", "en": "Enter your name in the sidebar."},
}


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(key: str, **fmt) -> str:
    text = STRINGS.get(key, {}).get(lang()) or STRINGS.get(key, {}).get("zh") or key
    return text.format(**fmt) if fmt else text
