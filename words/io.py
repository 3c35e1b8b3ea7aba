"""
Words of the readers (``geo.io``, ``geo.workspace``): data problems, notes on how a file
was read, errors, and the import page's own strings.

- Problems: every code of ``geo.io.PROBLEM_CODES``. The table shows row and column in
  their own columns, so the sentences do not repeat them; :func:`problem_line` adds them
  for one-line output (the CLI).
- Notes: every code of ``geo.io.NOTE_CODES`` (how the CRS, the encoding, the header row
  were found); :func:`notes_text` joins them.
- Refusals: every code of ``geo.io.REFUSAL_CODES`` (why a file read cannot be installed).
- Errors: every code of ``geo.io.ERROR_CODES`` (the zip checks' codes are worded in
  ``words/archive.py``). An error whose fix depends on where the
  user is (``geo.io.FACE_ERROR_CODES``) has, besides its face-neutral sentence ``<code>``,
  one sentence per face: ``<code>.cli`` names the command-line option (``--crs``) and
  ``<code>.web`` names the page's field or the .prj file. :func:`error_text` picks the
  face's sentence when there is one.
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.schema import REGISTER_COLUMNS
from words.core import DEFAULT_LANG, has_text, header, label, register, render, text

LABELS = {
    # geo.crs.CRS_BASIS_CODES: why a CRS was (or could not be) inferred from coordinates.
    "crs_basis": {
        "degrees_in_guangxi": {
            "zh": "坐标为广西范围内的经纬度，按 CGCS2000 地理坐标系",
            "en": "coordinates are degrees within Guangxi: CGCS2000 geographic",
        },
        "gk_zone_prefix": {
            "zh": "横坐标带有 3 度带带号，按 CGCS2000 高斯-克吕格投影该带",
            "en": "eastings carry the 3-degree zone number: CGCS2000 Gauss-Krüger, that zone",
        },
        "gk_zone_ambiguous": {
            "zh": "坐标符合 3 度带高斯-克吕格投影，但横坐标未带带号，无法确定是 EPSG:4544、4545 还是 4546",
            "en": "coordinates fit a 3-degree Gauss-Krüger zone but carry no zone number: "
            "EPSG:4544, 4545 or 4546 cannot be told apart",
        },
        "no_known_crs": {
            "zh": "坐标与广西常用的坐标系均不相符",
            "en": "the coordinates fit no coordinate system used in Guangxi",
        },
        "no_coordinates": {"zh": "文件中没有可供判断的坐标", "en": "the file has no coordinates to go by"},
    },
    # geo.io.ENCODING_SOURCES: how a Shapefile's DBF encoding was chosen.
    "encoding_source": {
        "cpg": {"zh": "取自 .cpg 文件", "en": "from the .cpg file"},
        "given": {"zh": "按所填编码", "en": "as given"},
        "detected": {"zh": "文件无 .cpg，自动识别", "en": "detected; the file has no .cpg"},
        "no_dbf": {"zh": "未找到 DBF 文件，按默认", "en": "default; no DBF file found"},
    },
    # geo.io.GEOMETRY_DEFECT_CODES: what GEOS found wrong with a shape.
    "geometry_defect": {
        "self_intersection": {"zh": "边界自相交", "en": "self-intersection"},
        "ring_self_intersection": {"zh": "环自相交", "en": "ring self-intersection"},
        "hole_outside_shell": {"zh": "内环位于外环之外", "en": "hole outside its shell"},
        "nested_holes": {"zh": "内环相互嵌套", "en": "nested holes"},
        "disconnected_interior": {"zh": "内部不连通", "en": "disconnected interior"},
        "nested_shells": {"zh": "外环相互嵌套", "en": "nested shells"},
        "duplicate_rings": {"zh": "环重复", "en": "duplicate rings"},
        "too_few_points": {"zh": "点数过少", "en": "too few points"},
        "invalid_coordinate": {"zh": "坐标无效", "en": "invalid coordinate"},
        "ring_not_closed": {"zh": "环未闭合", "en": "ring not closed"},
        "other": {"zh": "其他图形缺陷", "en": "other defect"},
    },
}

LABELS_NEW = {
    # geo.io.FILE_KINDS: what a file's first bytes say it is.
    "file_kind": {
        "zip": {"zh": "ZIP 压缩包", "en": "a zip archive"},
        "xlsx": {"zh": "Excel 工作簿（.xlsx）", "en": "an Excel workbook (.xlsx)"},
        "docx": {"zh": "Word 文档", "en": "a Word document"},
        "pptx": {"zh": "PowerPoint 演示文稿", "en": "a PowerPoint presentation"},
        "ole2": {"zh": "旧版 Office 文件（如 .xls、.doc）", "en": "an old Office file (.xls, .doc …)"},
        "sqlite": {"zh": "SQLite 数据库", "en": "an SQLite database"},
        "gpkg": {"zh": "GeoPackage 数据库", "en": "a GeoPackage"},
        "pdf": {"zh": "PDF 文档", "en": "a PDF document"},
        "png": {"zh": "PNG 图片", "en": "a PNG image"},
        "jpeg": {"zh": "JPEG 图片", "en": "a JPEG image"},
        "gif": {"zh": "GIF 图片", "en": "a GIF image"},
        "tiff": {"zh": "TIFF 图像", "en": "a TIFF image"},
        "rar": {"zh": "RAR 压缩包", "en": "a RAR archive"},
        "7z": {"zh": "7z 压缩包", "en": "a 7z archive"},
        "gzip": {"zh": "GZIP 压缩文件", "en": "a gzip file"},
        "parquet": {"zh": "Parquet 数据文件", "en": "a Parquet file"},
        "shp": {"zh": "Shapefile 图形文件（.shp）", "en": "a Shapefile geometry file (.shp)"},
        "fgb": {"zh": "FlatGeobuf 文件", "en": "a FlatGeobuf file"},
        "text": {"zh": "文本或其他格式的文件", "en": "text or some other kind of file"},
    },
    # geo.io.CSV_DELIMITERS
    "csv_delimiter": {
        "comma": {"zh": "逗号", "en": "comma"},
        "tab": {"zh": "制表符", "en": "tab"},
        "semicolon": {"zh": "分号", "en": "semicolon"},
        "pipe": {"zh": "竖线", "en": "vertical bar"},
    },
    # units a user may declare (geo.io.UNIT_FACTORS)
    "unit": {
        "m2": {"zh": "平方米", "en": "m²"},
        "mu": {"zh": "亩", "en": "亩 (mu)"},
        "ha": {"zh": "公顷", "en": "ha"},
        "yuan": {"zh": "元", "en": "yuan"},
        "wan": {"zh": "万元", "en": "万元 (10⁴ yuan)"},
    },
    # geo.gcj.SHIFTED_SYSTEMS
    "shifted_system": {
        "gcj02": {"zh": "GCJ-02（高德、阿里云 DataV 等）", "en": "GCJ-02 (AMap, DataV …)"},
        "bd09": {"zh": "BD-09（百度）", "en": "BD-09 (Baidu)"},
    },
}

#: Arguments that are lists of names as the file spells them (layers, file names,
#: extensions, row numbers): kind ``as_written`` has no labels, so each is shown as
#: written and the list is joined with 、.
ARG_KINDS = {
    "basis": "crs_basis",
    "found_by": "encoding_source",
    "defect": "geometry_defect",
    "layers": "as_written",
    "shapefiles": "as_written",
    "extensions": "as_written",
    "candidates": "as_written",
    "dup_rows": "as_written",
    "actual": "file_kind",
    "delimiter": "csv_delimiter",
    "unit": "unit",
    "system": "shifted_system",
    "members": "as_written",
    "missing": "as_written",
    "headers": "as_written",
    "sheets": "as_written",
}

PROBLEMS = {
    "more_rows": {
        "zh": "另有 {more} 行存在同样问题（共 {total} 行）",
        "en": "{more} more rows with the same problem ({total} in all)",
    },
    "column_alias_conflict": {
        "zh": "字段“{header}”也对应“{column}”，但该项已由其他字段填写：保留原字段名，不参与分析",
        "en": "Column “{header}” also means {column}, which another column already fills: "
        "kept under its own name and not used",
    },
    "column_name_cut": {
        "zh": "字段“{header}”按“{column}”读取（DBF 字段名限 10 个字节，原名被截断）",
        "en": "Column “{header}” read as {column} (DBF field names are cut at 10 bytes)",
    },
    "dbf_names_trimmed": {
        "zh": "部分字段名在汉字中间被截断（DBF 字段名限 10 个字节），已去掉残缺字节",
        "en": "Field names cut inside a character (10-byte DBF limit) were trimmed",
    },
    "layer_chosen": {
        "zh": "文件含 {count} 个图层（{layers}），已读取图层“{chosen}”",
        "en": "The file has {count} layers ({layers}); layer “{chosen}” was read",
    },
    "zip_shapefile_chosen": {
        "zh": "压缩包内有 {count} 个 Shapefile（{shapefiles}），已读取“{chosen}”",
        "en": "The zip holds {count} shapefiles ({shapefiles}); “{chosen}” was read",
    },
    "value_not_date": {
        "zh": "日期“{value}”无法识别，已按空值处理；请按“2021-03-01”的格式填写",
        "en": "Unreadable date “{value}”: left empty; write it as 2021-03-01",
    },
    "value_not_yes_no": {
        "zh": "“{value}”不是“是”或“否”，已按空值处理；请填写“是”或“否”",
        "en": "“{value}” is not yes or no: left empty; write yes or no (是/否)",
    },
    "value_not_number": {
        "zh": "数值“{value}”无法识别，已按空值处理；请填写数字",
        "en": "Unreadable number “{value}”: left empty; write a plain number",
    },
    "value_not_integer": {
        "zh": "“{value}”不是整数，已按空值处理；请填写整数",
        "en": "“{value}” is not a whole number: left empty; write a whole number",
    },

    "parcel_id_missing": {
        "zh": "缺少宗地编号：该行保留，但无法与其他表关联",
        "en": "Parcel number missing: the row is kept but cannot be matched to other tables",
    },
    "parcel_id_duplicate": {
        "zh": "宗地编号“{value}”重复，共 {count} 行（第 {dup_rows} 行）：均已保留，请更正编号",
        "en": "Parcel number “{value}” repeats on {count} rows (rows {dup_rows}): all kept; correct the numbers",
    },
    "parcel_id_column_missing": {
        "zh": "文件没有宗地编号字段：无法按编号关联宗地",
        "en": "No parcel number column: rows cannot be matched by number",
    },

    "park_assigned_by_location": {
        "zh": "{todo} 宗未填园区：按空间位置归入园区 {assigned} 宗，其余 {outside} 宗位于各园区范围之外",
        "en": "{todo} parcels without a park: {assigned} assigned by location, {outside} lie outside every park",
    },
    "outside_parks": {
        "zh": "宗地位于各园区范围之外：园区留空，宗地保留",
        "en": "Lies outside every park: kept without a park",
    },
    "crs_not_degrees": {
        "zh": "文件声明坐标系为 {crs}，但坐标（{x:,.0f}, {y:,.0f}）不是经纬度：已忽略该声明",
        "en": "The file says {crs} but its coordinates ({x:,.0f}, {y:,.0f}) are not degrees: ignored",
    },
    "crs_file_wins": {
        "zh": "已采用文件自带的坐标系 {crs}，未采用所填的 {given}",
        "en": "The file's own coordinate system {crs} was used, not {given}",
    },
    "wkt_unreadable": {
        "zh": "图形文本（WKT）无法识别，已按空值处理；请检查该单元格的图形文本",
        "en": "Unreadable WKT geometry: left empty; check the cell's geometry text",
    },
    "geometry_z_dropped": {
        "zh": "已去除高程（Z 值）：面积按平面量算",
        "en": "Heights (Z) dropped: areas are measured in plan",
    },
    "geometry_repaired": {
        "zh": "图形无效（{defect}，位置约 {x}, {y}），已自动修复；请核对图形",
        "en": "Invalid geometry ({defect} near {x}, {y}) repaired: check the shape",
    },
    "geometry_unrepairable": {
        "zh": "图形无效（{defect}，位置约 {x}, {y}），修复后已无面积；请重新绘制",
        "en": "Invalid geometry ({defect} near {x}, {y}) has no area left after repair: redraw it",
    },
    "geometry_collection": {
        "zh": "图形为几何集合：仅保留其中的面",
        "en": "Geometry collection: only its polygons kept",
    },
    "geometry_missing": {
        "zh": "缺少图形或图形为空：该行保留，但无法上图和量算面积；请补绘宗地",
        "en": "Missing or empty geometry: the row is kept but cannot be mapped or measured; draw the parcel",
    },
    "geometry_not_polygon": {
        "zh": "图形不是面（为点或线）：该行保留，但没有面积；请提供宗地界线",
        "en": "Not a polygon (a point or a line): the row is kept but has no area; supply the parcel outline",
    },
    "value_negative": {
        "zh": "数值 {value} 为负数，不合常理：已保留，请核对更正",
        "en": "Negative value {value}: kept; check and correct it",
    },
    "value_not_finite": {
        "zh": "数值“{value}”不是有效数字（无穷大或非数），已按空值处理；请填写数字",
        "en": "“{value}” is not a finite number: left empty; write a plain number",
    },
    "far_implausible": {
        "zh": "容积率 {value} 超过 {limit:g}，不合常理：已保留，请核对（是否把建筑面积填作容积率）",
        "en": "FAR {value} is above {limit:g}, which is implausible: kept; check it (a floor area in the FAR column?)",
    },
    "date_after_as_of": {
        "zh": "日期 {value} 晚于基准日 {as_of}，该事项尚不可能发生：已保留，请核对日期",
        "en": "Date {value} is after the as-of date {as_of}: kept; check the date",
    },
    "outside_guangxi": {
        "zh": "图形位于广西区域之外（中心约 {x}, {y}）：已保留，请核对坐标系和坐标",
        "en": "The shape lies outside Guangxi (centre near {x}, {y}): kept; check the coordinate system and coordinates",
    },
    "axes_swapped": {
        "zh": "坐标（{x}, {y}）的横纵轴似乎颠倒（互换后位于广西）：已保留，请在原软件中交换 X、Y 后重新导出",
        "en": "Coordinates ({x}, {y}) look swapped (swapped, they fall in Guangxi): kept; swap X and Y at the source and export again",
    },
    "degrees_in_metric": {
        "zh": "文件声明为投影坐标系 {crs}，但坐标（{x}, {y}）是经纬度，面积将近于 0 亩：请改用正确的坐标系（如 EPSG:4490）后重新导出",
        "en": "The file says {crs} (metres) but its coordinates ({x}, {y}) are degrees, so areas come out near 0: "
        "export it again with the right coordinate system (e.g. EPSG:4490)",
    },
}

NOTES = {
    "crs_from_file": {"zh": "{crs}（取自文件）", "en": "{crs} (from the file)"},
    "crs_given": {"zh": "{crs}（按所填，文件未带坐标系）", "en": "{crs} as given (the file has none)"},
    # Also a problem (warning): the same words.
    "crs_inferred": {
        "zh": "文件未带坐标系，按坐标推断为 EPSG:{epsg}（{basis}），请核对",
        "en": "No coordinate system in the file; EPSG:{epsg} inferred ({basis}): please check",
    },
    "attribute_table": {
        "zh": "无图形：为属性表，可按宗地编号与宗地数据关联",
        "en": "No geometry: an attribute table, to be joined to the parcels by parcel number",
    },
    "csv_encoding": {"zh": "CSV 文字编码 {encoding}", "en": "CSV encoding {encoding}"},
    "dbf_encoding": {
        "zh": "属性表（DBF）文字编码 {encoding}（{found_by}）",
        "en": "DBF encoding {encoding} ({found_by})",
    },
    "header_row": {"zh": "表头位于工作表第 {row} 行", "en": "Header found on sheet row {row}"},
    "header_rows_merged": {
        "zh": "表头为第 {row} 至 {last} 行的两行表头（含合并单元格），已合并读取",
        "en": "A two-row header (merged cells) on sheet rows {row}–{last}, read as one",
    },
    "sheet_chosen": {
        "zh": "工作簿含工作表 {sheets}，第一个工作表没有表头，已读取工作表“{sheet}”",
        "en": "The workbook's sheets are {sheets}; the first holds no header, so sheet “{sheet}” was read",
    },
    "csv_delimiter": {"zh": "CSV 分隔符为{delimiter}", "en": "CSV delimiter: {delimiter}"},
    "geojson_feature_array": {
        "zh": "文件为要素数组（高德、DataV 等下载格式），已按要素集合读取",
        "en": "A bare array of features (as AMap/DataV download): read as a feature collection",
    },
    "datav_boundary": {
        "zh": "文件带有阿里云 DataV 边界数据的属性（adcode、center 等），坐标应为 GCJ-02，与 CGCS2000 相差约 500 米："
        "请选择按 GCJ-02 转换",
        "en": "DataV boundary properties (adcode, center …): the coordinates are GCJ-02, about 500 m off CGCS2000; "
        "choose the GCJ-02 conversion",
    },
    "maybe_shifted": {
        "zh": "坐标为经纬度且文件未声明坐标系：若数据下载自高德、DataV（GCJ-02）或百度（BD-09），位置约偏 500 米，"
        "请选择相应的坐标转换",
        "en": "Degrees without a declared coordinate system: if downloaded from AMap/DataV (GCJ-02) or Baidu (BD-09) "
        "they sit about 500 m off; choose the matching conversion",
    },
    "shifted_converted": {
        "zh": "坐标已由 {system} 转换为 CGCS2000",
        "en": "Coordinates converted from {system} to CGCS2000",
    },
    "dxf_no_attributes": {
        "zh": "DXF 文件没有属性表：仅读取图层名和图元句柄，闭合多段线按面读取；宗地编号等属性须另行关联",
        "en": "DXF carries no attribute table: only layer and handle are read, closed polylines as polygons; "
        "parcel numbers and other attributes must be joined separately",
    },
    "kml_attributes": {
        "zh": "已从 KML 扩展数据中按原名读取 {count} 个属性字段（保留中文字段名）",
        "en": "{count} attributes read by name from the KML's ExtendedData (Chinese names kept)",
    },
    "field_table_restored": {
        "zh": "已按压缩包内的字段对照表恢复 {count} 个完整字段名",
        "en": "{count} full column names restored from the zip's field table",
    },
    "columns_mapped": {"zh": "已按所选对照关系读取 {count} 个字段", "en": "{count} columns read as mapped"},
    "unit_converted": {
        "zh": "“{column}”按{unit}读取，已换算",
        "en": "“{column}” read in {unit} and converted",
    },
    "unmapped_columns": {
        "zh": "{count} 个字段未能识别，按原名保留：{headers}；可在字段对照中指定其含义",
        "en": "{count} columns not recognised, kept as named: {headers}; map them to product columns",
    },
}

_CRS_EXAMPLE_ZH = "如 EPSG:4545，即 CGCS2000 3 度带中央经线 108°E"
_CRS_EXAMPLE_EN = "e.g. EPSG:4545, CGCS2000 3-degree zone 108°E"

ERRORS = {
    "file_not_found": {"zh": "找不到文件 {source}：请检查路径", "en": "File not found: {source}; check the path"},
    "unknown_file_type": {
        "zh": "{source}：不支持“{ext}”类型的文件，请使用 {extensions}",
        "en": "{source}: unknown file type “{ext}”; use one of {extensions}",
    },
    "xls_unsupported": {
        "zh": "{source}：不支持旧版 Excel（.xls）文件，请另存为 .xlsx 后再导入",
        "en": "{source}: old Excel .xls files are not supported; save it as .xlsx and load that",
    },
    "unreadable_gis": {
        "zh": "{source}：无法作为地理数据读取，请检查文件是否完整（Shapefile 须含 .shp、.shx、.dbf 文件）",
        "en": "{source}: cannot be read as a GIS file; check it is complete (a Shapefile needs .shp, .shx and .dbf)",
    },
    "encoding_wrong": {
        "zh": "{source}：文字不是 {encoding} 编码，请指定正确的编码（如 GBK 或 UTF-8）",
        "en": "{source}: the text is not in the {encoding} encoding; give the right one (e.g. GBK or UTF-8)",
    },
    "encoding_wrong.cli": {
        "zh": "{source}：文字不是 {encoding} 编码，请用 --encoding 指定正确的编码（如 --encoding GBK）",
        "en": "{source}: the text is not in the {encoding} encoding; pass the right one (e.g. --encoding GBK)",
    },
    "encoding_wrong.web": {
        "zh": "{source}：文字不是 {encoding} 编码，请在“文字编码”中填写正确的编码（如 GBK 或 UTF-8），或留空自动识别",
        "en": "{source}: the text is not in the {encoding} encoding; enter the right one under “Text encoding” "
        "(e.g. GBK or UTF-8) or leave it empty to detect it",
    },
    "encoding_unknown": {
        "zh": "{source}：无法识别编码“{encoding}”，请指定 GBK 或 UTF-8 等编码",
        "en": "{source}: unknown encoding “{encoding}”; give one such as GBK or UTF-8",
    },
    "encoding_unknown.cli": {
        "zh": "{source}：无法识别编码“{encoding}”，请用 --encoding 指定 GBK 或 UTF-8 等编码",
        "en": "{source}: unknown encoding “{encoding}”; pass one such as --encoding GBK",
    },
    "encoding_unknown.web": {
        "zh": "{source}：无法识别编码“{encoding}”，请在“文字编码”中填写 GBK 或 UTF-8 等编码，或留空自动识别",
        "en": "{source}: unknown encoding “{encoding}”; enter one such as GBK or UTF-8 under “Text encoding”, "
        "or leave it empty to detect it",
    },
    "csv_encoding_unknown": {
        "zh": "{source}：文字既不是 UTF-8 也不是 GBK 编码，请将 CSV 另存为 UTF-8 编码后再导入",
        "en": "{source}: the text is neither UTF-8 nor GBK; save the CSV as UTF-8",
    },
    "sheet_not_found": {
        "zh": "{source}：找不到工作表“{sheet}”，工作簿中的工作表为 {layers}",
        "en": "{source}: no sheet “{sheet}”; the sheets are {layers}",
    },
    "workbook_unreadable": {
        "zh": "{source}：无法读取该 Excel 工作簿，请检查文件是否完整",
        "en": "{source}: the workbook cannot be read; check the file is complete",
    },
    "layer_not_found": {
        "zh": "{source}：没有图层“{layer}”，文件中的图层为 {layers}",
        "en": "{source}: no layer “{layer}”; the layers are {layers}",
    },
    "zip_shapefile_not_found": {
        "zh": "{source}：压缩包中没有 Shapefile“{layer}”，其中有 {shapefiles}",
        "en": "{source}: no shapefile “{layer}” in the zip; it holds {shapefiles}",
    },
    "crs_invalid": {
        "zh": "{source}：无法识别坐标系“{given}”，请填写坐标系代码（" + _CRS_EXAMPLE_ZH + "）",
        "en": "{source}: unknown coordinate system “{given}”; give its code (" + _CRS_EXAMPLE_EN + ")",
    },
    "crs_invalid.cli": {
        "zh": "{source}：无法识别坐标系“{given}”，请用 --crs 指定坐标系代码（" + _CRS_EXAMPLE_ZH + "）",
        "en": "{source}: unknown coordinate system “{given}”; pass its code with --crs (" + _CRS_EXAMPLE_EN + ")",
    },
    "crs_invalid.web": {
        "zh": "{source}：无法识别坐标系“{given}”，请在“坐标系”中填写坐标系代码（" + _CRS_EXAMPLE_ZH + "）",
        "en": "{source}: unknown coordinate system “{given}”; enter its code under “Coordinate system” ("
        + _CRS_EXAMPLE_EN + ")",
    },
    "crs_missing": {
        "zh": "{source}：文件没有坐标系，也无法从坐标推断（{basis}）。请补充 .prj 文件或指定坐标系（"
        + _CRS_EXAMPLE_ZH + "）",
        "en": "{source}: the file has no coordinate system and none can be inferred ({basis}). "
        "Add the .prj file or give the coordinate system (" + _CRS_EXAMPLE_EN + ")",
    },
    "crs_missing.cli": {
        "zh": "{source}：文件没有坐标系，也无法从坐标推断（{basis}）。请补充 .prj 文件，或用 --crs 指定（"
        + _CRS_EXAMPLE_ZH + "）",
        "en": "{source}: the file has no coordinate system and none can be inferred ({basis}). "
        "Add the .prj file or pass --crs (" + _CRS_EXAMPLE_EN + ")",
    },
    "crs_missing.web": {
        "zh": "{source}：文件没有坐标系，也无法从坐标推断（{basis}）。请在上方“坐标系”中填写（"
        + _CRS_EXAMPLE_ZH + "），或将 .prj 文件与 Shapefile 一并压缩后重新上传",
        "en": "{source}: the file has no coordinate system and none can be inferred ({basis}). "
        "Enter it under “Coordinate system” above (" + _CRS_EXAMPLE_EN + "), or zip the .prj file "
        "with the Shapefile and upload again",
    },
    "attribute_table_no_id": {
        "zh": "{source}：没有图形的属性表须有宗地编号字段，请补充后再导入",
        "en": "{source}: a table without geometry needs a parcel number column; add it",
    },
    "parks_no_geometry": {
        "zh": "{source}：园区文件须有园区边界图形，请使用 GeoJSON、GeoPackage 或 Shapefile 文件",
        "en": "{source}: parks need boundaries; use a GeoJSON, GeoPackage or Shapefile",
    },
    "parks_columns_missing": {
        "zh": "{source}：园区文件缺少字段 {columns}，请补充",
        "en": "{source}: the parks file lacks {columns}; add them",
    },
    "parks_id_empty": {
        "zh": "{source}：第 {row} 行园区编号为空，请为每个园区填写编号",
        "en": "{source}: row {row} has no park id; give every park an id",
    },
    "parks_id_repeats": {
        "zh": "{source}：第 {row} 行园区编号“{value}”重复，园区编号不得重复",
        "en": "{source}: row {row}: park id “{value}” repeats; ids must be unique",
    },
    "parks_bad_value": {
        "zh": "{source}：第 {row} 行 {column}：{problem}",
        "en": "{source}: row {row}, {column}: {problem}",
    },
    "write_ext_unsupported": {
        "zh": "{source}：不能写出“{ext}”文件，请使用 {extensions}",
        "en": "{source}: cannot write “{ext}” files; use one of {extensions}",
    },
    "write_needs_geometry": {
        "zh": "{source}：{ext} 文件须含图形，请改为导出 .csv 或 .xlsx",
        "en": "{source}: {ext} needs geometry; export this table as .csv or .xlsx instead",
    },
    "write_needs_crs": {
        "zh": "{source}：写出 {ext} 文件前须设定坐标系",
        "en": "{source}: set the coordinate system before writing {ext}",
    },

    "assign_parks_no_crs": {
        "zh": "宗地和园区都须有坐标系，才能按位置归入园区",
        "en": "Parcels and parks both need a coordinate system to be matched by location",
    },
    "assign_parks_no_park_id": {
        "zh": "园区文件没有园区编号字段，请补充",
        "en": "The parks file has no park id column; add it",
    },
    "no_parcel_file": {
        "zh": "工作空间 {root} 中没有宗地文件（查找了 {candidates}）",
        "en": "No parcel file in the workspace {root} (looked for {candidates})",
    },
    "no_parcel_file.cli": {
        "zh": "工作空间 {root} 中没有宗地文件（查找了 {candidates}）：请运行 python -m geo sample --out <文件夹> "
        "生成示例数据，或将宗地文件复制到该文件夹",
        "en": "No parcel file in the workspace {root} (looked for {candidates}): run "
        "python -m geo sample --out <folder> or copy your parcels there",
    },
    "no_parcel_file.web": {
        "zh": "工作空间 {root} 中没有宗地数据：请在“数据导入”页上传宗地文件",
        "en": "No parcel data in the workspace {root}: upload a parcel file on the Import data page",
    },
    "install_no_geometry": {
        "zh": "导入的表没有图形：工作空间的宗地数据须有宗地界线（面）",
        "en": "The imported table has no geometry: a workspace needs parcel polygons",
    },
    "file_empty": {
        "zh": "{source}：文件为空（0 字节），请重新导出或重新上传",
        "en": "{source}: the file is empty (0 bytes); export or upload it again",
    },
    "file_type_mismatch": {
        "zh": "{source}：扩展名为“{ext}”，但文件内容是{actual}：请确认选择了正确的文件，或改正扩展名后再上传",
        "en": "{source}: named “{ext}” but it is {actual}; pick the right file or correct its extension",
    },
    "file_unreadable": {
        "zh": "{source}：文件已损坏或格式不符，无法读取，请重新导出后再上传",
        "en": "{source}: damaged or not in its format; export it again",
    },
    "gpkg_not_geopackage": {
        "zh": "{source}：是普通 SQLite 数据库，不是 GeoPackage：请在 地理信息系统软件中导出为 GeoPackage（.gpkg）",
        "en": "{source}: a plain SQLite database, not a GeoPackage; export a GeoPackage (.gpkg) from your GIS",
    },
    "gpkg_unreadable": {
        "zh": "{source}：GeoPackage 文件已损坏或不完整（可能未传完），请重新导出后再上传",
        "en": "{source}: the GeoPackage is damaged or incomplete (cut off?); export it again",
    },
    "zip_no_data": {
        "zh": "{source}：压缩包中没有可读取的地理数据（其中有 {members}）：请放入 Shapefile（.shp、.shx、.dbf、.prj）、"
        "GeoPackage 或 GeoJSON 文件",
        "en": "{source}: no GIS data in the zip (it holds {members}); put in a Shapefile (.shp, .shx, .dbf, .prj), "
        "a GeoPackage or a GeoJSON",
    },
    "zip_shapefile_incomplete": {
        "zh": "{source}：Shapefile“{shapefile}”不完整，缺少 {missing} 文件：请将同名的 .shp、.shx、.dbf、.prj 文件一并压缩后上传",
        "en": "{source}: the Shapefile “{shapefile}” lacks {missing}; zip its .shp, .shx, .dbf and .prj together",
    },
    "json_unreadable": {
        "zh": "{source}：不是有效的 JSON 文件（可能已损坏或未传完），请重新导出后再上传",
        "en": "{source}: not valid JSON (damaged or cut off?); export it again",
    },
    "json_too_deep": {
        "zh": "{source}：JSON 嵌套层数过深，不是正常的 GeoJSON 数据，已拒绝；请从 地理信息系统软件导出 GeoJSON",
        "en": "{source}: JSON nested too deep to be GeoJSON: refused; export a GeoJSON from your GIS",
    },
    "json_not_geojson": {
        "zh": "{source}：是 JSON 文件，但不是 GeoJSON 地理数据（没有要素和图形）：请从 地理信息系统软件导出 GeoJSON",
        "en": "{source}: JSON but not GeoJSON (no features with geometry); export a GeoJSON from your GIS",
    },
    "csv_unreadable": {
        "zh": "{source}：CSV 文件格式有误（各行列数不一致或引号未闭合），请在 Excel 中检查后另存为 CSV",
        "en": "{source}: the CSV is malformed (ragged rows or open quotes); check it in Excel and save it again",
    },
    "csv_ragged": {
        "zh": "{source}：第 {row} 行有 {found} 个单元格，而表头只有 {expected} 列（多半是某个值里含有未加引号的分隔符）："
        "请在 Excel 中检查该行后另存为 CSV",
        "en": "{source}: row {row} has {found} cells but the header has {expected} columns (a value holding an "
        "unquoted delimiter?); check that row in Excel and save the CSV again",
    },
    "table_no_rows": {
        "zh": "{source}：文件中没有数据行，请检查是否导出了正确的表",
        "en": "{source}: the file has no data rows; check it is the right table",
    },
    "mapping_unknown_column": {
        "zh": "{source}：字段“{header}”被指定为“{column}”，但系统中没有这一项，请重新选择",
        "en": "{source}: column “{header}” is mapped to “{column}”, which does not exist; choose again",
    },
    "unit_unknown": {
        "zh": "{source}：“{column}”不能按“{unit}”换算，请选择平方米、亩、公顷（面积）或元、万元（金额）",
        "en": "{source}: “{column}” cannot be read in “{unit}”; choose m², 亩 or ha (areas), yuan or 万元 (money)",
    },
    "shifted_unknown": {
        "zh": "{source}：无法识别坐标转换“{given}”，请选择 GCJ-02（高德、DataV）或 BD-09（百度）",
        "en": "{source}: unknown shifted system “{given}”; choose GCJ-02 (AMap, DataV) or BD-09 (Baidu)",
    },
    "shifted_not_degrees": {
        "zh": "{source}：只有中国境内的经纬度坐标才能按 {system} 转换，该文件的坐标不是，请取消坐标转换",
        "en": "{source}: only degrees inside China can be read as {system}; this file's are not; drop the conversion",
    },
}

#: Why a read file cannot be installed (geo.io.REFUSAL_CODES).
REFUSALS = {
    "refuse_no_geometry": {
        "zh": "该表没有图形，不能作为工作空间的宗地数据；可作为属性表按宗地编号关联",
        "en": "The table has no geometry and cannot be the workspace's parcels; join it by parcel number instead",
    },
    "refuse_no_parcel_id": {
        "zh": "文件没有宗地编号字段（或该字段全部为空），不能导入：请在字段对照中指定宗地编号字段，或补充后再导入",
        "en": "No parcel number column (or it is empty): cannot be installed; map the parcel number column or add it",
    },
    "refuse_names_lost": {
        "zh": "文件的属性字段名已丢失（显示为 {headers}，多为 KML 经转换后中文字段名损坏），不能导入："
        "请改用 Shapefile、GeoPackage 或 GeoJSON 重新导出",
        "en": "The attribute names were lost (they read {headers}, as KML conversion does to Chinese names): "
        "cannot be installed; export a Shapefile, GeoPackage or GeoJSON instead",
    },
    "refuse_no_attributes": {
        "zh": "DXF 文件没有属性表（无宗地编号），不能直接导入：请在 地理信息系统软件中补充属性后导出为 Shapefile 或 GeoPackage",
        "en": "A DXF carries no attribute table (no parcel numbers): cannot be installed; add the attributes in a "
        "GIS and export a Shapefile or GeoPackage",
    },
}

#: The import page's own strings (kind ``ui``, keys ``data_*``).
UI = {
    "data_intro": {
        "zh": "上传宗地数据（GeoPackage、GeoJSON、压缩的 Shapefile（.zip）、GeoParquet、含图形文本的 CSV/Excel）。"
        "字段名可用中文（如 宗地编号、约定动工日期）。导入前先逐行检查，发现的问题列在下方。",
        "en": "Upload parcels (GeoPackage, GeoJSON, zipped Shapefile, GeoParquet, CSV/Excel with WKT geometry). "
        "Headers may be Chinese (宗地编号, 约定动工日期 …). The file is checked row by row first; "
        "problems are listed below.",
    },
    "data_file": {"zh": "宗地文件", "en": "Parcel file"},
    "data_crs": {
        "zh": "坐标系（文件无 .prj 时填写，如 EPSG:4545）",
        "en": "Coordinate system (when the file has no .prj, e.g. EPSG:4545)",
    },
    "data_encoding": {
        "zh": "文字编码（Shapefile 无 .cpg 或 CSV 时填写；留空自动识别）",
        "en": "Text encoding (Shapefile without .cpg, or CSV; empty = detect)",
    },
    "data_read_ok": {
        "zh": "读取 {n} 宗；错误 {e} 条，警告 {w} 条；园区外 {o} 宗。",
        "en": "{n} parcels read; {e} errors, {w} warnings; {o} outside every park.",
    },
    "data_read_failed": {
        "zh": "文件无法读取，请检查文件格式是否正确、内容是否完整。",
        "en": "The file cannot be read; check its format and that it is complete.",
    },
    "data_columns": {"zh": "识别到的字段", "en": "Columns recognised"},
    "data_missing": {"zh": "缺少的字段（按空值处理）", "en": "Columns absent (treated as empty)"},
    "data_install": {"zh": "导入为当前工作空间数据", "en": "Use as the workspace's parcels"},
    "data_installed": {
        "zh": "已导入：{path}（原数据已备份到工作空间的备份文件夹）。核查记录按宗地编号保留。",
        "en": "Imported: {path} (the previous data moved to backup/). Review decisions are kept by parcel number.",
    },
    "data_current": {"zh": "当前工作空间：{path}", "en": "Current workspace: {path}"},
    "data_none": {"zh": "（无宗地数据）", "en": "(no parcel data)"},
    "data_preview": {"zh": "预览（前 20 行）", "en": "Preview (first 20 rows)"},
    "data_no_geometry": {
        "zh": "该表没有图形，不能作为工作空间的宗地数据。",
        "en": "This table has no geometry and cannot be a workspace's parcels.",
    },
    "data_reading": {"zh": "正在读取…", "en": "Reading…"},
    "cli_notes": {"zh": "坐标系：{notes}", "en": "Coordinate system: {notes}"},
    "cli_problems": {
        "zh": "数据问题 {n} 条（其中错误 {e} 条），前 10 条如下：",
        "en": "{n} data problems ({e} errors); the first ten:",
    },
    "problem_row": {"zh": "行号", "en": "Row"},
    "problem_column": {"zh": "字段", "en": "Column"},
    "problem_text": {"zh": "问题", "en": "Problem"},
    "problem_severity": {"zh": "级别", "en": "Severity"},
}

#: Headers of columns the readers name in problems that the schema does not list, and of
#: the register columns (geo.schema.REGISTER_COLUMNS: not in words/columns.py's schema list).
COLUMNS = {
    "geometry": {"zh": "图形", "en": "Geometry"},
    **{c.name: {"zh": c.zh, "en": c.en} for c in REGISTER_COLUMNS},
    "dxf_layer": {"zh": "图层", "en": "DXF layer"},
    "dxf_handle": {"zh": "图元句柄", "en": "DXF handle"},
}

register(
    labels={**LABELS, **LABELS_NEW, "ui": UI, "column": COLUMNS},
    texts={**PROBLEMS, **NOTES, **ERRORS, **REFUSALS},
    arg_kinds=ARG_KINDS,
)


# --------------------------------------------------------------------------- renderers


def problem_text(code: str, args: Mapping | None = None, lang: str = DEFAULT_LANG) -> str:
    """A problem's sentence (``Problem.code`` / ``Problem.args``, or a problems-frame row)."""
    return text(str(code), lang, **dict(args or {}))


def problem_line(problem, lang: str = DEFAULT_LANG) -> str:
    """
    One line for a log or the terminal: ``[警告] 第 3 行 宗地编号：…``.

    ``problem`` is a ``geo.io.Problem`` (anything with ``row``, ``column``, ``code``,
    ``args``, ``severity``).
    """
    zh = lang == "zh"
    where = []
    if problem.row is not None:
        where.append(f"第 {int(problem.row)} 行" if zh else f"row {int(problem.row)}")
    if problem.column:
        where.append(header(problem.column, lang, unit=False))
    place = (" " if zh else ", ").join(where)
    sentence = problem_text(problem.code, problem.args, lang)
    head = f"[{label('severity', problem.severity, lang)}] "
    if not place:
        return head + sentence
    return head + place + ("：" if zh else ": ") + sentence


def notes_text(notes, lang: str = DEFAULT_LANG) -> str:
    """The reader's notes (``Loaded.crs_note``: a list of items) as one line; none → ""."""
    if not notes:
        return ""
    return render(list(notes), lang)


def error_text(error, lang: str = DEFAULT_LANG, *, face: str | None = None) -> str:
    """
    A reader's error in words: ``geo.io.DataError``, ``geo.workspace.NoParcelFile``, or
    an item ``{"code": …, **params}``.

    ``face`` (``"cli"`` or ``"web"``) picks the sentence that tells this user how to fix
    it (``--crs`` on the command line, the page's field on the web); without one, or for
    codes whose fix is the same everywhere, the face-neutral sentence.
    """
    item = error.item if hasattr(error, "item") else dict(error)
    code = str(item["code"])
    params = {k: v for k, v in item.items() if k not in ("code", "detail")}
    if face and has_text(f"{code}.{face}"):
        code = f"{code}.{face}"
    return text(code, lang, **params)
