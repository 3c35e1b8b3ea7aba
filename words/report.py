"""
The park evaluation report's words (``reports/park_report.py``): map, legend, CRS caption,
citations of the regulations, park names.

Regulations are cited by name (and article where one applies), never by a project file;
configurable defaults are "本系统默认参数".
"""

from words.core import register

#: The standard the evaluation follows, as cited in the report.
TDT_1029 = {"zh": "TD/T 1029-2017《开发区土地集约利用评价规程》",
            "en": "TD/T 1029-2017 (Rules for the evaluation of intensive land use in development zones)"}
IDLE_ORDER = {"zh": "《闲置土地处置办法》（国土资源部令第53号）",
              "en": "the Measures on the Disposal of Idle Land (MLR order No. 53)"}
DEFAULTS = {"zh": "本系统默认参数", "en": "this system's default settings"}

REPORT_MAP = {
    # legend of the report's map, one class per parcel (reports.park_report.MAP_CLASSES)
    "idle": {"zh": "闲置土地", "en": "Idle"},
    "inefficient": {"zh": "低效用地", "en": "Inefficient"},
    "builtup": {"zh": "已建成", "en": "Built-up"},
    "unbuilt": {"zh": "已供应未建成", "en": "Supplied, not built"},
    "not_supplied": {"zh": "未供应", "en": "Not supplied"},
    "park_boundary": {"zh": "园区边界", "en": "Park boundary"},
    "north": {"zh": "北", "en": "N"},
}

#: Geodetic datums as a Chinese reader names them (pyproj's names on the left).
CRS_DATUM = {
    "CGCS2000": {"zh": "CGCS2000", "en": "CGCS2000"},
    "China Geodetic Coordinate System 2000": {"zh": "CGCS2000", "en": "CGCS2000"},
    "Xian 1980": {"zh": "西安1980", "en": "Xian 1980"},
    "Beijing 1954": {"zh": "北京1954", "en": "Beijing 1954"},
    "New Beijing": {"zh": "新北京54", "en": "New Beijing"},
    "WGS 84": {"zh": "WGS 84", "en": "WGS 84"},
}

TEXTS = {
    "report_crs": {"zh": "坐标系：{crs}（EPSG:{epsg}）", "en": "CRS: {crs} (EPSG:{epsg})"},
    "report_crs_no_code": {"zh": "坐标系：{crs}", "en": "CRS: {crs}"},
    "report_crs_gk_cm": {
        "zh": "{datum} {width}度带高斯-克吕格投影，中央经线 {cm}°E",
        "en": "{datum} {width}-degree Gauss-Kruger, central meridian {cm}°E",
    },
    "report_crs_gk_zone": {
        "zh": "{datum} {width}度带高斯-克吕格投影，第 {zone} 带",
        "en": "{datum} {width}-degree Gauss-Kruger, zone {zone}",
    },
    "report_crs_utm": {"zh": "{datum} 通用横轴墨卡托投影，第 {zone} 带", "en": "{datum} UTM zone {zone}"},
    "report_crs_geographic": {"zh": "{datum} 地理坐标", "en": "{datum} geographic"},
    "report_map_caption": {
        "zh": "图 1  {name}宗地分布（{crs}；评价基准日 {date}）",
        "en": "Figure 1  Parcels of {name} ({crs}; as of {date})",
    },
    "report_no_cjk_font": {
        "zh": "注：生成本报告的计算机未安装中文字体，图中未标注图例文字，各颜色含义见图下说明；"
              "安装中文字体后重新生成即可。",
        "en": "Note: the computer that made this report has no CJK font, so the map carries no legend text; "
              "the colours are explained below it. Install one (e.g. fonts-noto-cjk) and make the report again.",
    },
    "report_settings_defaults": {
        "zh": "{standard}规定的指标权重、理想值和园区类型划分界限，广西未见公开发布的数值，"
              "本次评价全部采用{defaults}，用户可在系统中调整。",
        "en": "{standard} leaves the weights, ideal values and park-type cut-off to each province, and Guangxi "
              "has published none: this evaluation used {defaults} throughout; users may change them.",
    },
    "report_settings_changed": {
        "zh": "本次评价中以下参数由用户设定：{items}；其余参数采用{defaults}。"
              "{standard}规定的指标权重和理想值，广西未见公开发布的数值。",
        "en": "Set by the user in this evaluation: {items}; every other setting is one of {defaults}. "
              "Guangxi has published no weights or ideal values under {standard}.",
    },
    "report_setting_weight": {"zh": "{ptype}{indicator}权重", "en": "{ptype} weight of {indicator}"},
    "report_setting_ideal": {"zh": "{ptype}{indicator}理想值", "en": "{ptype} ideal value of {indicator}"},
    "report_rules_source": {
        "zh": "指标计算公式依据{standard}；全国平均值引自《国家级开发区土地集约利用监测统计情况（2019年度）》。",
        "en": "Indicator formulas: {standard}; national averages from the 2019 monitoring of national "
              "development zones' land use.",
    },
    "report_note_idle_computed": {
        "zh": "闲置状态由系统按评价基准日依{order}第二条自动判定",
        "en": "idle status computed as of the evaluation date under Art. 2 of {order}",
    },
    "report_note_outside_parks": {
        "zh": "{n} 宗地块不属于所列园区，未计入（所填园区：{parks}）",
        "en": "{n} parcel(s) belong to no listed park and were left out (park given: {parks})",
    },
    "report_park_not_given": {"zh": "未填写", "en": "not given"},
}

register(labels={"report_map": REPORT_MAP, "crs_datum": CRS_DATUM}, texts=TEXTS)
