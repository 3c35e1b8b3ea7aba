"""The maps' own words (kind ``map``): orientation layers, park labels, legends, attribution."""

from words.core import register

MAP = {
    # orientation drawn under every map (data/guangxi_*.geojson)
    "region_boundary": {"zh": "自治区界", "en": "Regional boundary"},
    "city_seat": {"zh": "设区市驻地", "en": "Prefecture-level city"},
    "orientation": {"zh": "底图要素", "en": "Reference"},
    "attribution": {
        "zh": "边界 Natural Earth · 城市 GeoNames (CC BY 4.0)",
        "en": "Boundary Natural Earth · cities GeoNames (CC BY 4.0)",
    },
    # park layers
    "park_name": {"zh": "园区名称", "en": "Park"},
    "park_level": {"zh": "园区级别", "en": "Level"},
    "park_area_mu": {"zh": "园区面积(亩)", "en": "Park area (亩)"},
    "park_area_ha": {"zh": "园区面积(公顷)", "en": "Park area (ha)"},
    "park_selected": {"zh": "选中园区", "en": "Selected park"},
    "other": {"zh": "其他", "en": "Other"},
    "no_data": {"zh": "无数据", "en": "No data"},
}

#: How a park's long official name is shortened on a map label (the usual short form).
SHORT_NAME = {
    "zh": {"高新技术产业开发区": "高新区"},
    "en": {"Hi-tech Industrial Development Zone": "Hi-tech Zone"},
}

TEXTS = {
    "basemap_unknown": {
        "zh": "未知底图“{choice}”：可选 {choices}",
        "en": "unknown basemap '{choice}': choose one of {choices}",
    },
    "basemap_needs_key": {
        "zh": "天地图底图需要密钥（tk）：请设置环境变量 {env}，或在侧边栏填写密钥（可在天地图官网免费申请）；"
              "在此之前请选择“无底图”或 OpenStreetMap。",
        "en": "the Tianditu basemap needs a key (tk): set the environment variable {env} or enter the key in the "
              "sidebar (a free key is issued at https://console.tianditu.gov.cn/); until then choose 'None' or "
              "OpenStreetMap.",
    },
    "map_too_large": {
        "zh": "所选范围共有 {n:,} 宗地块，超过单张地图可流畅显示的上限 {limit:,} 宗："
              "请缩小范围（少选园区，或按状态/用途筛选），或改用 WebGL 图层显示。",
        "en": "The selection has {n:,} parcels, more than the {limit:,} one map can draw without freezing the "
              "browser: narrow it (pick fewer parks or filter by status/land use), or show it with the WebGL layer.",
    },
}

#: The overview page's own words (kind ``ui``, read by ``views.i18n.t``).
UI = {
    "selected_park": {"zh": "已选园区", "en": "Selected park"},
    "selected_park_idle": {
        "zh": "宗地 {n} 宗，其中闲置 {idle} 宗、{area:,.1f} 亩",
        "en": "{n} parcels, {idle} idle ({area:,.1f} 亩)",
    },
}

register(labels={"map": MAP, "ui": UI}, texts=TEXTS)
