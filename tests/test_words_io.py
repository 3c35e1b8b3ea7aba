"""The readers' words: every problem, note and error code of geo.io has zh and en, and renders."""

from __future__ import annotations

import re

import pytest

import words
from geo import io
from geo.crs import CRS_BASIS_CODES
from geo.workspace import NoParcelFile
from words.io import error_text, notes_text, problem_line, problem_text

#: A plausible value for every argument name the readers use.
SAMPLE_ARGS = {
    "more": 12, "total": 1012, "header": "约定动工日", "column": "agreed_start_date", "count": 3,
    "layers": ["parcels", "roads"], "shapefiles": ["parcels", "old"], "chosen": "parcels",
    "value": "ZD-001", "dup_rows": [3, 12], "assigned": 40, "todo": 42, "outside": 2,
    "crs": "EPSG:4545", "x": 36_500_000.0, "y": 2_500_000.0, "given": "EPSG:4546", "epsg": 4524,
    "basis": "gk_zone_prefix", "defect": "self_intersection", "encoding": "GB18030", "found_by": "detected",
    "row": 2, "source": "parcels.zip", "ext": ".dwg", "extensions": [".gpkg", ".zip"], "sheet": "台账",
    "layer": "parcels", "columns": ["level", "name_zh"], "lang": "fr", "root": "/data/ws",
    "candidates": ["parcels.gpkg", "parcels.zip"],
    "problem": {"code": "value_not_date", "value": "明年三月"},
    "actual": "xlsx", "delimiter": "tab", "unit": "mu", "system": "gcj02", "members": ["readme.txt", "a.dbf"],
    "missing": [".shp", ".shx"], "headers": ["____", "____1"], "sheets": ["封面", "台账"], "shapefile": "宗地",
    "as_of": "2026-11-25", "limit": 20.0, "last": 3, "member": "宗地.shp", "size_mb": 2100.5, "limit_mb": 2048.0,
    "ratio": 4000, "expected": 5, "found": 6,
}
#: Abbreviations and format names a Chinese officer reads as they are.
ALLOWED_LATIN = {
    "EPSG", "CGCS", "DBF", "CSV", "WKT", "UTF", "GBK", "GB", "Shapefile", "GeoJSON", "GeoPackage", "Excel",
    "prj", "cpg", "shp", "shx", "dbf", "xls", "xlsx", "csv", "gpkg", "zip", "dwg", "Z", "E", "ZD",
    "parcels", "roads", "old", "data", "ws", "fr", "zh", "en", "crs", "encoding", "python", "m", "geo", "sample",
    "out", "GeoParquet", "T", "KML", "DXF", "GCJ", "BD", "DataV", "SQLite", "ZIP", "JSON", "PDF", "PNG", "JPEG",
    "GIF", "TIFF", "RAR", "GZIP", "Parquet", "FlatGeobuf", "Word", "PowerPoint", "Office", "doc", "readme", "txt",
    "a", "adcode", "center", "MB", "z", "X", "Y",
}

ALL_TEXT_CODES = sorted({*io.PROBLEM_CODES, *io.NOTE_CODES, *io.ERROR_CODES, *io.REFUSAL_CODES})


def _args(names):
    return {n: SAMPLE_ARGS[n] for n in names}


def _latin_words(sentence: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", sentence)) - ALLOWED_LATIN


@pytest.mark.parametrize("code", ALL_TEXT_CODES)
def test_every_code_has_zh_and_en(code):
    assert words.has_text(code, "zh") and words.has_text(code, "en"), code


@pytest.mark.parametrize(
    ("code", "names"),
    sorted({**io.PROBLEM_CODES, **io.NOTE_CODES, **io.ERROR_CODES, **io.REFUSAL_CODES}.items()),
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_code_renders_with_sample_args(code, names, lang):
    for name in names:
        assert name in SAMPLE_ARGS, f"{code}: no sample value for argument {name!r}"
    out = words.text(code, lang, **_args(names))
    assert out and "{" not in out and "}" not in out, out
    for bad in ("None", "nan", "NaN", "True", "False", "—"):
        assert bad not in out, (code, out)
    if lang == "zh":
        assert not _latin_words(out), (code, out)


@pytest.mark.parametrize("code", io.FACE_ERROR_CODES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_face_errors_name_the_fix_of_their_face(code, lang):
    args = _args(io.ERROR_CODES[code])
    for face in io.FACES:
        assert words.has_text(f"{code}.{face}", lang), (code, face)
    cli = error_text({"code": code, **args}, lang, face="cli")
    web = error_text({"code": code, **args}, lang, face="web")
    neutral = error_text({"code": code, **args}, lang)
    assert cli != web
    assert "--" not in web and "python -m" not in web  # a web user has no command line
    assert "--" not in neutral
    if code.startswith(("crs_", "encoding_")):
        assert "--" in cli


def test_label_kinds_of_the_readers_are_complete():
    for code in CRS_BASIS_CODES:
        assert words.has_label("crs_basis", code, "zh") and words.has_label("crs_basis", code, "en")
    for code in io.ENCODING_SOURCES:
        assert words.has_label("encoding_source", code, "zh") and words.has_label("encoding_source", code, "en")
    for code in io.GEOMETRY_DEFECT_CODES:
        assert words.has_label("geometry_defect", code, "zh") and words.has_label("geometry_defect", code, "en")
    for kind, codes in (("file_kind", io.FILE_KINDS), ("csv_delimiter", io.CSV_DELIMITERS),
                        ("shifted_system", io.SHIFTED_SYSTEMS),
                        ("unit", [u for units in io.UNIT_FACTORS.values() for u in units])):
        for code in codes:
            assert words.has_label(kind, code, "zh") and words.has_label(kind, code, "en"), (kind, code)
    from geo.schema import REGISTER_COLUMNS

    for c in REGISTER_COLUMNS:
        assert words.header(c.name, "zh") == c.zh and words.header(c.name, "en") == c.en
    assert words.has_label("column", "geometry", "zh")


def test_examples_read_as_a_land_bureau_writes():
    dup = {"value": "ZD-001", "count": 2, "dup_rows": [3, 12]}
    assert problem_text("parcel_id_duplicate", dup) == "宗地编号“ZD-001”重复，共 2 行（第 3、12 行）：均已保留，请更正编号"
    p = io.Problem(12, "parcel_id", "parcel_id_duplicate", dup, "warning")
    assert problem_line(p) == "[警告] 第 12 行 宗地编号：宗地编号“ZD-001”重复，共 2 行（第 3、12 行）：均已保留，请更正编号"
    assert problem_line(p, "en").startswith("[Warning] row 12, Parcel no.: Parcel number “ZD-001” repeats")
    cut = io.Problem(None, "约定动工日", "column_name_cut", {"header": "约定动工日", "column": "agreed_start_date"}, "info")
    assert problem_line(cut) == "[提示] 约定动工日：字段“约定动工日”按“约定动工日期”读取（DBF 字段名限 10 个字节，原名被截断）"
    assert problem_text("value_not_date", {"value": "明年三月"}) == "日期“明年三月”无法识别，已按空值处理；请按“2021-03-01”的格式填写"
    assert notes_text([{"code": "header_row", "row": 2}, {"code": "csv_encoding", "encoding": "GB18030"}]) == (
        "表头位于工作表第 2 行；CSV 文字编码 GB18030"
    )
    assert notes_text([]) == "" and notes_text(None) == ""


def test_nested_problem_in_an_error_is_rendered():
    exc = io.DataError("parks_bad_value", source="parks.geojson", row=3, column="developable_ha",
                       problem={"code": "value_not_number", "value": "约30"})
    assert error_text(exc) == "parks.geojson：第 3 行 可开发面积：数值“约30”无法识别，已按空值处理；请填写数字"


def test_error_detail_from_a_library_is_not_shown():
    exc = io.DataError("unreadable_gis", source="x.gpkg", detail="GDAL: not recognized as a supported file format")
    assert "GDAL" not in error_text(exc) and "GDAL" not in error_text(exc, "en")
    assert exc.code == "unreadable_gis" and exc.params["detail"].startswith("GDAL")


def test_crs_missing_cli_and_web(tmp_path):
    exc = io.DataError("crs_missing", source="noprj.shp", basis="gk_zone_ambiguous")
    cli = error_text(exc, "zh", face="cli")
    web = error_text(exc, "zh", face="web")
    assert "用 --crs 指定" in cli and "EPSG:4544、4545 还是 4546" in cli
    assert "“坐标系”中填写" in web and ".prj" in web and "--crs" not in web


def test_no_parcel_file_renders_for_both_faces(tmp_path):
    exc = NoParcelFile(tmp_path)
    assert "parcels.gpkg、parcels.parquet" in error_text(exc, "zh", face="cli")
    assert "“数据导入”页" in error_text(exc, "zh", face="web")
