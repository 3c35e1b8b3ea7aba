"""Words of the downloads under every results table (views.exports, reports.tables)."""

from words.core import register

register(
    labels={"ui": {
        "dl_heading": {"zh": "下载本表", "en": "Download this table"},
        "dl_xlsx": {"zh": "Excel 表格", "en": "Excel"},
        "dl_csv": {"zh": "CSV 表格", "en": "CSV"},
        "dl_gpkg": {"zh": "GeoPackage 图层", "en": "GeoPackage"},
        "dl_geojson": {"zh": "GeoJSON 图层", "en": "GeoJSON"},
        "dl_zip": {"zh": "Shapefile 压缩包", "en": "Shapefile (zip)"},
        "dl_help": {
            "zh": "Excel 和 CSV 不含图形；GeoPackage、GeoJSON 和 Shapefile 含宗地图形，可在 QGIS 等地理信息软件中打开。"
                  "Shapefile 字段名受 10 字节限制，完整列名见压缩包内的“字段对照表.csv”。",
            "en": "Excel and CSV hold no shapes; GeoPackage, GeoJSON and Shapefile hold them and open in GIS "
                  "software. Shapefile field names are cut to 10 bytes; the full names are in field_names.csv "
                  "inside the zip.",
        },
        "eco_file_checks": {"zh": "生态化改造指标核查", "en": "eco_indicator_checks"},
        "cmp_file_evaluation": {"zh": "园区评价", "en": "park_evaluation"},
    }},
    texts={
        "export_cell_too_long": {
            "zh": "有一个单元格长达 {n} 个字符，超过 Excel 单元格上限 {limit} 个字符；请改为导出 GeoPackage 或 CSV",
            "en": "A cell holds {n} characters, more than Excel's limit of {limit}; export GeoPackage or CSV instead",
        },
    },
)
