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

register(labels={"map": MAP})
