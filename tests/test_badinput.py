"""
A corpus of broken and hostile files, generated here: every one gives a result or ONE
``DataError`` whose message names the file and says what to do — never a traceback —
and reading writes nothing (the folder, and the temporary folder, are unchanged).
"""

from __future__ import annotations

import hashlib
import io as _io
import json
import sqlite3
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import words
from cli import main
from geo import io
from words.io import error_text

ACCEPTED = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb", ".kml", ".gml", ".dxf", ".parquet",
            ".geoparquet", ".csv", ".xlsx", ".xlsm")

# A parcel near 南宁 in degrees, and in GK zone 108°E (EPSG:4545).
WKT_DEG = "POLYGON ((108.30 22.80, 108.301 22.80, 108.301 22.801, 108.30 22.801, 108.30 22.80))"
WKT_GK = "POLYGON ((500000 2500000, 500100 2500000, 500100 2500100, 500000 2500100, 500000 2500000))"


def parcels_gdf(n: int = 3) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"parcel_id": [f"ZD-{i}" for i in range(1, n + 1)], "holder": ["甲公司", "乙公司", "丙公司"][:n]},
        geometry=[shapely.box(500_000 + 200 * i, 2_500_000, 500_100 + 200 * i, 2_500_100) for i in range(n)],
        crs=4545,
    )


def write_shp_zip(folder: Path, name: str = "宗地.zip") -> Path:
    shp_dir = folder / "shp_src"
    shp_dir.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(parcels_gdf(), shp_dir / "parcels.shp", encoding="UTF-8")
    target = folder / name
    with zipfile.ZipFile(target, "w") as zf:
        for part in sorted(shp_dir.iterdir()):
            zf.write(part, part.name)
    for part in shp_dir.iterdir():
        part.unlink()
    shp_dir.rmdir()
    return target


def xlsx_bytes(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    buf = _io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


# --------------------------------------------------------------------------- builders of refused files


def _empty(ext: str) -> Callable[[Path], Path]:
    def build(d: Path) -> Path:
        p = d / f"宗地{ext}"
        p.write_bytes(b"")
        return p

    return build


def truncated_zip(d: Path) -> Path:
    p = write_shp_zip(d)
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    return p


def truncated_gpkg(d: Path) -> Path:
    p = d / "宗地.gpkg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(parcels_gdf(), p, layer="parcels", driver="GPKG")
    p.write_bytes(p.read_bytes()[:1500])
    return p


def xlsx_named_zip(d: Path) -> Path:
    p = d / "宗地.zip"
    p.write_bytes(xlsx_bytes({"台账": [["宗地编号", "土地使用权人"], ["ZD-1", "甲"]]}))
    return p


def png_named_geojson(d: Path) -> Path:
    p = d / "宗地.geojson"
    p.write_bytes(PNG)
    return p


def pdf_named_csv(d: Path) -> Path:
    p = d / "台账.csv"
    p.write_bytes(PDF)
    return p


def zip_named_xlsx(d: Path) -> Path:
    z = write_shp_zip(d, "tmp.zip")
    p = d / "台账.xlsx"
    z.rename(p)
    return p


def xls_named_xlsx(d: Path) -> Path:
    p = d / "台账.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    return p


def zip_in_zip(d: Path) -> Path:
    inner = write_shp_zip(d, "inner.zip")
    p = d / "宗地.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.write(inner, "宗地/inner.zip")
    inner.unlink()
    return p


def zip_only_dbf(d: Path) -> Path:
    z = write_shp_zip(d, "full.zip")
    p = d / "宗地.zip"
    with zipfile.ZipFile(z) as src, zipfile.ZipFile(p, "w") as dst:
        dst.writestr("parcels.dbf", src.read("parcels.dbf"))
    z.unlink()
    return p


def zip_no_data(d: Path) -> Path:
    p = d / "宗地.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("说明.txt", "宗地数据另行报送")
    return p


def shp_without_shx(d: Path) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(parcels_gdf(), d / "parcels.shp", encoding="UTF-8")
    (d / "parcels.shx").unlink()
    return d / "parcels.shp"


def sqlite_named_gpkg(d: Path) -> Path:
    p = d / "宗地.gpkg"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t (a TEXT)")
    con.execute("INSERT INTO t VALUES ('x')")
    con.commit()
    con.close()
    return p


def deep_json(d: Path) -> Path:
    p = d / "宗地.geojson"
    p.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return p


def deep_json_in_properties(d: Path) -> Path:
    p = d / "宗地.json"
    p.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"a": '
                 + "[" * 100_000 + "]" * 100_000 + '}, "geometry": null}]}', encoding="utf-8")
    return p


def cut_geojson(d: Path) -> Path:
    p = d / "宗地.geojson"
    p.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "prop', encoding="utf-8")
    return p


def app_json(d: Path) -> Path:
    p = d / "导出.json"
    p.write_text(json.dumps({"version": 3, "user": {"name": "张三"}, "items": [{"id": 1, "title": "任务"}]},
                            ensure_ascii=False), encoding="utf-8")
    return p


def app_json_array(d: Path) -> Path:
    p = d / "导出.json"
    p.write_text(json.dumps([{"id": 1, "name": "甲"}, {"id": 2, "name": "乙"}], ensure_ascii=False), encoding="utf-8")
    return p


def truncated_xlsx(d: Path) -> Path:
    p = d / "台账.xlsx"
    data = xlsx_bytes({"台账": [["宗地编号", "土地使用权人"], ["ZD-1", "甲"]]})
    p.write_bytes(data[: len(data) // 2])
    return p


def ragged_csv(d: Path) -> Path:
    p = d / "台账.csv"
    p.write_text('宗地编号,土地使用权人\nZD-1,"甲公司\nZD-2,乙,多余,更多\n', encoding="utf-8")
    return p


def extra_cells_csv(d: Path) -> Path:
    p = d / "台账.csv"
    p.write_text("宗地编号,土地使用权人\nZD-1,甲公司\nZD-2,乙公司,多余,更多\n", encoding="utf-8")
    return p


def header_only_csv(d: Path) -> Path:
    p = d / "台账.csv"
    p.write_text("宗地编号,土地使用权人\n", encoding="utf-8")
    return p


def random_bytes_gpkg(d: Path) -> Path:
    p = d / "宗地.gpkg"
    p.write_bytes(bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8)))
    return p


def unknown_ext(d: Path) -> Path:
    p = d / "宗地.dwg"
    p.write_bytes(b"AC1032" + b"\x00" * 100)
    return p


def truncated_parquet(d: Path) -> Path:
    p = d / "宗地.parquet"
    parcels_gdf().to_parquet(p)
    p.write_bytes(p.read_bytes()[:200])
    return p


def truncated_shp(d: Path) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(parcels_gdf(), d / "parcels.shp", encoding="UTF-8")
    shp = d / "parcels.shp"
    shp.write_bytes(shp.read_bytes()[:120])
    return shp


def broken_kml(d: Path) -> Path:
    p = d / "宗地.kml"
    p.write_text('<?xml version="1.0"?><kml><Document><Placemark><name>甲</name><Polygon>', encoding="utf-8")
    return p


def kml_entity_bomb(d: Path) -> Path:
    p = d / "宗地.kml"
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    p.write_text(f'<?xml version="1.0"?><!DOCTYPE kml [{ents}]><kml><Document><Placemark><name>&i;</name>'
                 "</Placemark></Document></kml>", encoding="utf-8")
    return p


def garbage_gml(d: Path) -> Path:
    p = d / "宗地.gml"
    p.write_text("这不是 GML 文件\n", encoding="utf-8")
    return p


def zip_bomb(d: Path) -> Path:
    p = d / "宗地.zip"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("parcels.dbf", b"\x00" * (20 * 1024 * 1024))
    return p


def zip_slip(d: Path) -> Path:
    p = d / "宗地.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("../../etc/cron.d/x", "* * * * * root true")
    return p


REFUSED = {
    **{f"empty{ext}": (_empty(ext), "file_empty") for ext in ACCEPTED},
    "empty.xls": (_empty(".xls"), "xls_unsupported"),
    "truncated_zip": (truncated_zip, "zip_unreadable"),
    "truncated_gpkg": (truncated_gpkg, "gpkg_unreadable"),
    "xlsx_named_zip": (xlsx_named_zip, "file_type_mismatch"),
    "png_named_geojson": (png_named_geojson, "file_type_mismatch"),
    "pdf_named_csv": (pdf_named_csv, "file_type_mismatch"),
    "zip_named_xlsx": (zip_named_xlsx, "file_type_mismatch"),
    "xls_named_xlsx": (xls_named_xlsx, "xls_unsupported"),
    "zip_in_zip": (zip_in_zip, "zip_nested"),
    "zip_only_dbf": (zip_only_dbf, "zip_shapefile_incomplete"),
    "zip_no_data": (zip_no_data, "zip_no_data"),
    "shp_without_shx": (shp_without_shx, "zip_shapefile_incomplete"),
    "sqlite_named_gpkg": (sqlite_named_gpkg, "gpkg_not_geopackage"),
    "random_bytes_gpkg": (random_bytes_gpkg, "file_type_mismatch"),
    "deep_json": (deep_json, "json_too_deep"),
    "deep_json_in_properties": (deep_json_in_properties, "json_too_deep"),
    "cut_geojson": (cut_geojson, "json_unreadable"),
    "app_json": (app_json, "json_not_geojson"),
    "app_json_array": (app_json_array, "json_not_geojson"),
    "truncated_xlsx": (truncated_xlsx, "workbook_unreadable"),
    "ragged_csv": (ragged_csv, "csv_unreadable"),
    "header_only_csv": (header_only_csv, "table_no_rows"),
    "extra_cells_csv": (extra_cells_csv, "csv_ragged"),
    "unknown_ext": (unknown_ext, "unknown_file_type"),
    "truncated_parquet": (truncated_parquet, "file_unreadable"),
    "broken_kml": (broken_kml, "file_unreadable"),
    "kml_entity_bomb": (kml_entity_bomb, "file_unreadable"),
    "garbage_gml": (garbage_gml, "file_unreadable"),
    "zip_bomb": (zip_bomb, "zip_ratio_too_high"),
    "zip_slip": (zip_slip, "zip_unsafe_member"),
}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` → its SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """A temporary folder of this test's own, so stray temporary files can be seen."""
    t = tmp_path / "_tmp"
    t.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(t))
    return t


def read_quietly(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's RuntimeWarnings on broken files are not failures
        return fn(*args, **kwargs)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_with_one_message_naming_file_and_fix(case, tmp_path, private_tmp):
    build, code = REFUSED[case]
    folder = tmp_path / "in"
    folder.mkdir()
    path = build(folder)
    before = snapshot(folder)
    with pytest.raises(io.DataError) as exc:
        read_quietly(io.read_parcels, path)
    assert exc.value.code == code, (case, exc.value.code, exc.value.params)
    assert exc.value.params.get("source") == path.name  # the user's file name, never a server path
    for lang in ("zh", "en"):
        for face in (None, "cli", "web"):
            msg = error_text(exc.value, lang, face=face)
            assert path.name in msg and str(folder) not in msg, msg
            assert "Traceback" not in msg and "Error" not in msg
    zh = error_text(exc.value, "zh")
    assert "请" in zh or "已拒绝" in zh, zh  # says what to do
    assert words.text(code, "zh", **exc.value.params) == zh
    assert snapshot(folder) == before
    assert not list(private_tmp.iterdir())
    # Listing the layers of the same file gives a result or a DataError too.
    try:
        read_quietly(io.list_layers, path)
    except io.DataError as e:
        assert e.params.get("source") == path.name
    assert snapshot(folder) == before


def test_zip_checks_run_before_anything_is_decompressed(tmp_path, monkeypatch):
    """check_zip is called for a .zip (and for any file whose bytes are a zip) first."""
    calls = []
    real = io.check_zip

    def spy(path, **kw):
        calls.append(Path(path).name)
        return real(path, **kw)

    monkeypatch.setattr(io, "check_zip", spy)
    p = write_shp_zip(tmp_path)
    read_quietly(io.read_parcels, p)
    assert calls and calls[0] == p.name
    calls.clear()
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(io.DataError):
        io.read_parcels(xlsx_named_zip(other))
    assert calls == ["宗地.zip"]


def test_cli_exits_2_with_one_line(tmp_path, capsys):
    bad = png_named_geojson(tmp_path)
    assert main(["idle", str(bad), "--as-of", "2026-11-25", "-o", str(tmp_path / "out.xlsx")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and bad.name in err and "PNG 图片" in err
    assert not (tmp_path / "out.xlsx").exists()


# --------------------------------------------------------------------------- files read, with their defects reported


def _read_ok(path: Path, **kwargs) -> io.Loaded:
    before = snapshot(path.parent)
    loaded = read_quietly(io.read_parcels, path, **kwargs)
    assert snapshot(path.parent) == before
    return loaded


def note_codes(loaded: io.Loaded) -> list[str]:
    return [n["code"] for n in loaded.crs_note]


@pytest.mark.parametrize("ext", [".csv", ".xlsx"])
def test_blank_wkt_cell_keeps_the_row_and_reports_it(tmp_path, private_tmp, ext):
    frame = pd.DataFrame({"宗地编号": ["ZD-1", "ZD-2", "ZD-3"], "geometry": [WKT_GK, "", WKT_GK]})
    path = tmp_path / f"台账{ext}"
    if ext == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        path.write_bytes(xlsx_bytes({"台账": [list(frame.columns), *frame.to_numpy().tolist()]}))
    loaded = _read_ok(path, crs="EPSG:4545")
    assert list(loaded.gdf["parcel_id"]) == ["ZD-1", "ZD-2", "ZD-3"]
    missing = [p for p in loaded.problems if p.code == "geometry_missing"]
    assert [p.row for p in missing] == [2]
    assert loaded.installable
    assert not list(private_tmp.iterdir())


def test_xlsx_with_merged_two_row_header(tmp_path):
    rows = [
        ["南宁高新区供地台账（2025年）", None, None, None, None],
        ["宗地编号", "土地使用权人", "日期", None, "面积"],
        [None, None, "约定开工时间", "实际开工时间", "宗地面积"],
        ["ZD-1", "甲公司", "2021-03-01", "2021-09-01", 1000],
        ["ZD-2", "乙公司", "2022-06-15", None, 2000],
    ]
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes({"台账": rows}, {"台账": ["A1:E1", "A2:A3", "B2:B3", "C2:D2"]}))
    loaded = _read_ok(path)
    gdf = loaded.gdf
    assert list(gdf["parcel_id"]) == ["ZD-1", "ZD-2"]
    assert list(gdf["holder"]) == ["甲公司", "乙公司"]
    assert gdf["agreed_start_date"].iloc[0] == pd.Timestamp("2021-03-01")
    assert gdf["actual_start_date"].iloc[0] == pd.Timestamp("2021-09-01")
    assert list(gdf["declared_area_m2"]) == [1000.0, 2000.0]
    assert {"code": "header_rows_merged", "row": 2, "last": 3} in loaded.crs_note


def test_xlsx_with_a_cover_sheet_first(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes({
        "封面": [["南宁市自然资源局"], ["闲置土地调查台账"], ["2025年11月"]],
        "说明": [["填表说明：日期按年-月-日填写"]],
        "台账": [["宗地编号", "土地使用权人", "geometry"], ["ZD-1", "甲公司", WKT_GK]],
    }))
    loaded = _read_ok(path, crs="EPSG:4545")
    assert list(loaded.gdf["parcel_id"]) == ["ZD-1"]
    assert {"code": "sheet_chosen", "sheet": "台账", "sheets": ["封面", "说明", "台账"]} in loaded.crs_note
    assert io.list_layers(path) == ["封面", "说明", "台账"]
    assert list(read_quietly(io.read_parcels, path, layer="台账", crs="EPSG:4545").gdf["parcel_id"]) == ["ZD-1"]
    with pytest.raises(io.DataError) as exc:
        io.read_parcels(path, layer="不存在")
    assert exc.value.code == "sheet_not_found" and "封面、说明、台账" in error_text(exc.value)


@pytest.mark.parametrize(("sep", "code"), [("\t", "tab"), (";", "semicolon")])
def test_delimited_csv(tmp_path, sep, code):
    path = tmp_path / "台账.csv"
    path.write_text(sep.join(["宗地编号", "土地使用权人", "总投资额"]) + "\n"
                    + sep.join(["ZD-1", "甲公司", "1,500.5"]) + "\n", encoding="utf-8")
    loaded = _read_ok(path)
    assert list(loaded.gdf["parcel_id"]) == ["ZD-1"] and loaded.gdf["total_investment_wan"].iloc[0] == 1500.5
    assert {"code": "csv_delimiter", "delimiter": code} in loaded.crs_note
    assert loaded.refusal == {"code": "refuse_no_geometry"} and not loaded.installable


@pytest.mark.parametrize(("name", "data", "encoding"), [
    ("bom", "\ufeff宗地编号,土地使用权人\nZD-1,甲公司\n".encode(), "UTF-8"),
    ("gbk", "宗地编号,土地使用权人\nZD-1,甲公司\n".encode("gbk"), "GB18030"),
    ("gbk_bom", b"\xef\xbb\xbf" + "宗地编号,土地使用权人\nZD-1,甲公司\n".encode("gbk"), "GB18030"),
    ("utf16", "宗地编号\t土地使用权人\nZD-1\t甲公司\n".encode("utf-16"), "UTF-16"),
])
def test_csv_encodings(tmp_path, name, data, encoding):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    loaded = _read_ok(path)
    assert list(loaded.gdf["parcel_id"]) == ["ZD-1"] and list(loaded.gdf["holder"]) == ["甲公司"]
    assert {"code": "csv_encoding", "encoding": encoding} in loaded.crs_note


def datav_features() -> list[dict]:
    ring = [[108.30, 22.80], [108.31, 22.80], [108.31, 22.81], [108.30, 22.80]]
    return [
        {"type": "Feature",
         "properties": {"adcode": 450107, "name": "西乡塘区", "center": [108.3, 22.8], "centroid": [108.3, 22.8],
                        "childrenNum": 0, "level": "district", "acroutes": [100000, 450000, 450100], "宗地编号": "ZD-1"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}},
    ]


def test_bare_array_of_features_as_datav_downloads(tmp_path):
    path = tmp_path / "boundary.json"
    path.write_text(json.dumps(datav_features(), ensure_ascii=False), encoding="utf-8")
    loaded = _read_ok(path)
    codes = note_codes(loaded)
    assert "geojson_feature_array" in codes and "datav_boundary" in codes and "maybe_shifted" in codes
    assert list(loaded.gdf["parcel_id"]) == ["ZD-1"]
    text = words.render(loaded.crs_note)
    assert "GCJ-02" in text and "DataV" in text


def test_shifted_conversion_moves_the_parcel_about_500_m(tmp_path):
    path = tmp_path / "boundary.json"
    path.write_text(json.dumps(datav_features(), ensure_ascii=False), encoding="utf-8")
    plain = _read_ok(path).gdf
    moved = _read_ok(path, shifted="gcj02")
    assert {"code": "shifted_converted", "system": "gcj02"} in moved.crs_note
    assert "maybe_shifted" not in note_codes(moved)
    a = plain.to_crs(4545).geometry.iloc[0].centroid
    b = moved.gdf.to_crs(4545).geometry.iloc[0].centroid
    assert 400 < a.distance(b) < 700
    with pytest.raises(io.DataError) as exc:
        io.read_parcels(path, shifted="wgs")
    assert exc.value.code == "shifted_unknown"


def test_truncated_shp_keeps_every_row_without_geometry(tmp_path):
    loaded = _read_ok(truncated_shp(tmp_path))
    assert list(loaded.gdf["parcel_id"]) == ["ZD-1", "ZD-2", "ZD-3"]
    assert [p.row for p in loaded.problems if p.code == "geometry_missing"] == [1, 2, 3]


MAGICS = [b"", b"PK\x03\x04", b"SQLite format 3\x00", b"PAR1", b"fgb\x03", b"\x00\x00\x27\x0a", b"{", b"[",
          b'{"type": "FeatureCollection", "features": [', "宗地编号,geometry\n".encode(), b"<?xml version='1.0'?><kml>"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(ACCEPTED), st.sampled_from(MAGICS), st.binary(max_size=600))
def test_fuzz_never_a_traceback(tmp_path, ext, magic, body):
    path = tmp_path / f"fuzz{ext}"
    path.write_bytes(magic + body)
    try:
        read_quietly(io.read_parcels, path, crs="EPSG:4545")
    except io.DataError as exc:
        assert exc.params.get("source") == path.name or exc.code in io.ERROR_CODES
        assert path.name in error_text(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.binary(max_size=300), st.binary(max_size=300), st.booleans())
def test_fuzz_zipped_shapefile_parts_never_a_traceback(tmp_path, shp, shx, dbf, real_header):
    path = tmp_path / "fuzz.zip"
    prefix = b"\x00\x00\x27\x0a" if real_header else b""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("parcels.shp", prefix + shp)
        zf.writestr("parcels.shx", prefix + shx)
        zf.writestr("parcels.dbf", b"\x03" + dbf)
    try:
        read_quietly(io.read_parcels, path, crs="EPSG:4545")
    except io.DataError as exc:
        assert path.name in error_text(exc)


def test_ragged_csv_names_the_row(tmp_path):
    with pytest.raises(io.DataError) as exc:
        io.read_parcels(extra_cells_csv(tmp_path))
    assert exc.value.params["row"] == 2
    assert error_text(exc.value) == (
        "台账.csv：第 2 行有 4 个单元格，而表头只有 2 列（多半是某个值里含有未加引号的分隔符）：请在 Excel 中检查该行后另存为 CSV"
    )
