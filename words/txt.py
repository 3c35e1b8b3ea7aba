"""
Words of the 坐标 TXT reader and writer (``geo.txt``) and of ``python -m geo convert``.

- Warnings: every code of ``geo.txt.WARNING_CODES`` (each names the file's line).
- Errors: every code of ``geo.txt.ERROR_CODES`` (rendered by ``words.io.error_text`` like the
  readers' errors: ``geo.txt.TxtError`` is a ``geo.io.DataError``).
- Notes: ``geo.txt.NOTE_CODES`` (the CRS chosen, the encoding).
- Labels: the geodetic systems (kind ``txt_system``), where the zone came from
  (``txt_zone_source``), the columns of the parcels frame, the CLI's lines (kind ``ui``).
"""

from __future__ import annotations

from words.core import DEFAULT_LANG, label, register, text


def _w(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


LABELS = {
    "txt_system": {
        "cgcs2000": _w("2000国家大地坐标系", "CGCS2000"),
        "xian80": _w("1980西安坐标系", "Xian 1980"),
        "beijing54": _w("1954北京坐标系", "Beijing 1954"),
        "wgs84": _w("WGS84坐标系", "WGS 84"),
    },
    "txt_zone_source": {
        "header": _w("取自文件头的带号", "from the header's zone number"),
        "prefix": _w("文件头未填带号，取自横坐标前的带号", "no zone in the header: from the eastings' prefix"),
        "utm": _w("按通用横轴墨卡托投影读取", "read as UTM"),
    },
    # parcel_name and declared_area_m2 are the readers' register columns (words/io.py).
    "column": {
        "land_use_written": _w("用途（原文）", "Land use as written"),
        "land_class_code": _w("地类编码", "Land class code"),
        "shape_kind": _w("图形属性", "Shape kind"),
        "map_sheet": _w("图幅号", "Map sheet"),
        "declared_area_ha": _w("申报面积(公顷)", "Declared area (ha)"),
        "declared_points": _w("申报界址点数", "Declared points"),
        "point_rows": _w("坐标行数", "Point rows"),
        "ring_count": _w("圈数", "Rings"),
        "area_diff_m2": _w("计算面积与申报面积之差(平方米)", "Computed minus declared area (m²)"),
        "area_diff_pct": _w("面积差(%)", "Area difference (%)"),
        "txt_line": _w("所在行号", "Line"),
    },
    "ui": {
        "convert_read": _w("读取 {source}：{n} 个地块", "Read {source}: {n} parcels"),
        "convert_written": _w("已写出 {target}", "Written {target}"),
        "convert_area": _w(
            "{parcel}：{m2} 平方米，{ha} 公顷，{mu} 亩",
            "{parcel}: {m2} m², {ha} ha, {mu} mu",
        ),
        "convert_total": _w("合计：{m2} 平方米，{ha} 公顷，{mu} 亩", "Total: {m2} m², {ha} ha, {mu} mu"),
        "convert_unnamed": _w("第 {row} 个地块（无编号）", "Parcel {row} (no number)"),
        "convert_warnings": _w("提示与警告 {n} 条：", "{n} notes and warnings:"),
    },
}

TEXTS = {
    # warnings: "文件第 N 行" is the line of the TXT, never the row of a table
    "line_outside_section": _w(
        "文件第 {line} 行不在任何节（[属性描述]、[地块坐标]）之内，已忽略",
        "Line {line} of the file lies outside every section ([属性描述], [地块坐标]): ignored",
    ),
    "header_line_ignored": _w(
        "文件第 {line} 行不是“键=值”格式，已忽略：{text}",
        "Line {line} of the file is not key=value: ignored: {text}",
    ),
    "system_assumed": _w(
        "文件头未注明坐标系，按2000国家大地坐标系读取，请核对（文件第 {line} 行）",
        "The header names no coordinate system: read as CGCS2000; please check (line {line} of the file)",
    ),
    "zone_from_prefix": _w(
        "文件头未填带号，按横坐标前的带号取第 {zone} 带（文件第 {line} 行起）",
        "No zone number in the header: zone {zone} taken from the eastings' prefix (from line {line} of the file)",
    ),
    "zone_mismatch": _w(
        "文件第 {line} 行带号为 {zone}，但横坐标前的带号为 {prefix}，已按坐标取第 {prefix} 带，请核对",
        "Line {line} of the file gives zone {zone} but the eastings carry {prefix}: zone {prefix} used; "
        "please check",
    ),
    "zone_width_mismatch": _w(
        "文件第 {line} 行分带为 {zone_width} 度，与带号 {zone} 不符，已按带号确定分带，请核对",
        "Line {line} of the file says {zone_width}-degree zones, which does not fit zone {zone}: "
        "the zone number decides; please check",
    ),
    "coords_outside_zone": _w(
        "地块 {parcel_id} 的界址点（文件第 {line} 行）超出该投影带的合理范围（横坐标 {easting:,.3f} 米，"
        "纵坐标 {northing:,.3f} 米），请核对带号与坐标",
        "Parcel {parcel_id}: a point (line {line} of the file) lies outside its zone (easting {easting:,.3f} m, "
        "northing {northing:,.3f} m); check the zone and the coordinates",
    ),
    "ring_not_closed": _w(
        "地块 {parcel_id} 第 {ring} 圈未闭合（止于文件第 {line} 行），已自动闭合",
        "Parcel {parcel_id}, ring {ring} is not closed (ends on line {line} of the file): closed",
    ),
    "ring_closed_renamed": _w(
        "地块 {parcel_id} 第 {ring} 圈以新点号 {last} 闭合于起点 {first}（文件第 {line} 行），已按闭合处理",
        "Parcel {parcel_id}, ring {ring} closes on its first point {first} under a new name {last} "
        "(line {line} of the file): taken as closed",
    ),
    "area_mismatch": _w(
        "地块 {parcel_id}（文件第 {line} 行）申报面积 {declared_ha:.4f} 公顷，按坐标计算为 {computed_ha:.4f} 公顷，"
        "相差 {diff_m2:,.2f} 平方米（{diff_pct:.2f}%）",
        "Parcel {parcel_id} (line {line} of the file): declared {declared_ha:.4f} ha, computed from the "
        "coordinates {computed_ha:.4f} ha, a difference of {diff_m2:,.2f} m² ({diff_pct:.2f}%)",
    ),
    "area_unreadable": _w(
        "地块 {parcel_id}（文件第 {line} 行）的面积“{value}”无法识别，未作面积核对",
        "Parcel {parcel_id} (line {line} of the file): the area “{value}” cannot be read; area not checked",
    ),
    "point_count_mismatch": _w(
        "地块 {parcel_id}（文件第 {line} 行）申报界址点数 {declared} 个，实有坐标 {rows} 行",
        "Parcel {parcel_id} (line {line} of the file): {declared} points declared, {rows} point rows found",
    ),
    "point_count_unreadable": _w(
        "地块 {parcel_id}（文件第 {line} 行）的点数“{value}”无法识别，未作点数核对",
        "Parcel {parcel_id} (line {line} of the file): the point count “{value}” cannot be read; not checked",
    ),
    "shape_not_polygon": _w(
        "地块 {parcel_id}（文件第 {line} 行）图形属性为“{shape}”，不是面状地块，未读入",
        "Parcel {parcel_id} (line {line} of the file): shape kind “{shape}” is not an area: not read",
    ),
    "rings_overlap": _w(
        "地块 {parcel_id}（文件第 {line} 行）的各圈相互交叠而非嵌套，已合并为一个图形，请核对",
        "Parcel {parcel_id} (line {line} of the file): its rings overlap without nesting; merged into one "
        "shape, please check",
    ),
    "ring_self_intersects": _w(
        "地块 {parcel_id}（文件第 {line} 行）有边界自相交的圈，已按其围成的各部分读取，请核对界址点顺序",
        "Parcel {parcel_id} (line {line} of the file): a ring crosses itself; read as the pieces it encloses, "
        "please check the order of the points",
    ),
    "parcel_id_repeats": _w(
        "文件第 {line} 行的地块编号 {parcel_id} 与第 {first_line} 行重复",
        "Line {line} of the file: parcel number {parcel_id} repeats that of line {first_line}",
    ),
    # errors
    "txt_unreadable_encoding": _w(
        "{source}：文件既不是 UTF-8 也不是 GBK 编码，无法读取",
        "{source}: the file is neither UTF-8 nor GBK",
    ),
    "txt_no_coordinates": _w(
        "{source}：未找到[地块坐标]节或其中没有地块，不是界址点坐标交换格式文件",
        "{source}: no [地块坐标] section or no parcel in it: not a boundary-point exchange file",
    ),
    "txt_line_malformed": _w(
        "{source} 第 {line} 行格式错误：既不是地块属性行（以 @ 结尾），也不是“点号,圈号,纵坐标,横坐标”坐标行：{text}",
        "{source}, line {line} is malformed: neither a parcel line (ending in @) nor a point line "
        "“点号,圈号,X,Y”: {text}",
    ),
    "txt_number_unreadable": _w(
        "{source} 第 {line} 行的 {field} 值“{value}”不是数字",
        "{source}, line {line}: {field} “{value}” is not a number",
    ),
    "txt_point_before_parcel": _w(
        "{source} 第 {line} 行：坐标行之前缺少地块属性行（点数,面积,编号,名称,图形属性,图幅号,用途,地类编码,@）",
        "{source}, line {line}: a point line before any parcel line "
        "(点数,面积,编号,名称,图形属性,图幅号,用途,地类编码,@)",
    ),
    "txt_ring_too_short": _w(
        "{source} 第 {line} 行：地块 {parcel_id} 第 {ring} 圈只有 {points} 个不同的点，不能构成面",
        "{source}, line {line}: parcel {parcel_id}, ring {ring} has only {points} distinct points; not an area",
    ),
    "txt_system_unknown": _w(
        "{source} 第 {line} 行：坐标系“{value}”无法识别（可用 2000国家大地坐标系、80国家大地坐标系、"
        "1954北京坐标系、WGS84坐标系）",
        "{source}, line {line}: coordinate system “{value}” unknown (2000国家大地坐标系, 80国家大地坐标系, "
        "1954北京坐标系 or WGS84坐标系)",
    ),
    "txt_zone_unplaceable": _w(
        "{source} 第 {line} 行：{geodetic_system}没有第 {zone} 带（{zone_width} 度分带），无法确定坐标系",
        "{source}, line {line}: {geodetic_system} has no zone {zone} ({zone_width}-degree zones); "
        "the coordinate system cannot be placed",
    ),
    "txt_zone_missing": _w(
        "{source} 第 {line} 行：未填带号，横坐标前也没有带号，无法确定投影带。请在文件头填写带号",
        "{source}, line {line}: no zone number in the header and none in front of the eastings; "
        "fill in 带号 in the header",
    ),
    "txt_zone_mixed": _w(
        "{source} 第 {line} 行：横坐标带号为 {other}，与此前的第 {zone} 带不同。一个文件只能用一个投影带，请分开文件",
        "{source}, line {line}: the easting carries zone {other}, unlike zone {zone} before it; "
        "one file takes one zone: split the file",
    ),
    "txt_wgs84_gauss_kruger": _w(
        "{source} 第 {line} 行：WGS84坐标系的高斯-克吕格投影（第 {zone} 带）没有标准坐标系定义，"
        "请转换为2000国家大地坐标系后再导入",
        "{source}, line {line}: WGS 84 on a Gauss-Krüger zone ({zone}) has no standard definition; "
        "convert the file to CGCS2000 first",
    ),
    "txt_write_no_crs": _w(
        "{source}：数据没有坐标系，无法写出界址点坐标", "{source}: the data have no coordinate system"
    ),
    "txt_write_no_polygons": _w(
        "{source}：没有面状地块可以写出", "{source}: no polygon to write"
    ),
    # notes
    "txt_crs": _w(
        "{geodetic_system}，{zone_width} 度分带第 {zone} 带（EPSG:{epsg}，{zone_from}）",
        "{geodetic_system}, {zone_width}-degree zone {zone} (EPSG:{epsg}, {zone_from})",
    ),
    "txt_crs_degrees": _w("{geodetic_system}经纬度（EPSG:{epsg}）", "{geodetic_system} in degrees (EPSG:{epsg})"),
    "txt_encoding": _w("文本编码 {encoding}", "Text encoding {encoding}"),
}

register(labels=LABELS, texts=TEXTS, arg_kinds={"geodetic_system": "txt_system", "zone_from": "txt_zone_source"})


def warning_line(item: dict, lang: str = DEFAULT_LANG) -> str:
    """One warning item of ``geo.txt`` as a sentence, with its severity in front."""
    from geo.txt import severity

    return f"[{label('severity', severity(item['code']), lang)}] {text(item['code'], lang, **item)}"
