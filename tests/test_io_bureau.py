"""
Files as bureaus have them (issue 8): refusal before install, pinyin DBF names and register
wording, the user's column mapping and units, layers and sheets, DXF and KML, GCJ-02 notes,
implausible values by row, our own zipped-Shapefile export read back.
"""

from __future__ import annotations

import json
import unicodedata
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import words
from cli import main
from geo import io
from geo.crs import infer_crs_from_coords
from geo.schema import READ_PARCEL_COLUMNS, REGISTER_COLUMNS, alias_map, match_header, normalise_header

X0, Y0 = 500_000, 2_500_000  # EPSG:4545, near 南宁


def boxes(n: int, x0: float = X0, y0: float = Y0, size: float = 100.0) -> list:
    return [shapely.box(x0 + 200 * i, y0, x0 + 200 * i + size, y0 + size) for i in range(n)]


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def write_zip_shp(gdf: gpd.GeoDataFrame, target: Path, *, encoding: str = "GBK", stems=("parcels",),
                  extra: dict[str, bytes] | None = None) -> Path:
    src = target.parent / (target.stem + "_src")
    src.mkdir()
    for stem in stems:
        quiet(pyogrio.write_dataframe, gdf, src / f"{stem}.shp", encoding=encoding)
    with zipfile.ZipFile(target, "w") as zf:
        for part in sorted(src.iterdir()):
            zf.write(part, part.name)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return target


def codes(loaded: io.Loaded, code: str) -> list:
    return [p for p in loaded.problems if p.code == code]


# --------------------------------------------------------------------------- refusal before install


def test_no_parcel_number_column_is_refused_with_reason(tmp_path):
    gdf = gpd.GeoDataFrame({"土地使用权人": ["甲", "乙"]}, geometry=boxes(2), crs=4545)
    path = tmp_path / "p.gpkg"
    quiet(pyogrio.write_dataframe, gdf, path)
    loaded = io.read_parcels(path)
    assert not loaded.installable
    assert loaded.refusal == {"code": "refuse_no_parcel_id"}
    assert "宗地编号" in words.render(loaded.refusal)


def test_kml_keeps_chinese_attributes(tmp_path):
    path = tmp_path / "宗地.kml"
    path.write_text(KML_ONE_FOLDER, encoding="utf-8")
    loaded = quiet(io.read_parcels, path)
    assert list(loaded.gdf["parcel_id"]) == ["ZD-1", "ZD-2"]
    assert list(loaded.gdf["holder"]) == ["某公司", "另一公司"]
    assert loaded.installable
    assert any(n["code"] == "kml_attributes" for n in loaded.crs_note)
    assert any(n["code"] == "maybe_shifted" for n in loaded.crs_note)  # KML downloads may be GCJ-02


def test_kml_whose_names_are_lost_is_refused(tmp_path):
    path = tmp_path / "宗地.kml"
    path.write_text(KML_TWO_FOLDERS, encoding="utf-8")
    loaded = quiet(io.read_parcels, path)
    assert not loaded.installable and loaded.refusal["code"] == "refuse_names_lost"
    assert "____" in words.render(loaded.refusal)


def test_dxf_read_with_layer_and_handle_and_refused(tmp_path):
    lines = gpd.GeoDataFrame({"Layer": ["ZD", "ZD"]}, geometry=[b.exterior for b in boxes(2)])
    path = tmp_path / "宗地.dxf"
    quiet(pyogrio.write_dataframe, lines, path, driver="DXF")
    loaded = quiet(io.read_parcels, path, crs="EPSG:4545")
    gdf = loaded.gdf
    assert list(gdf["dxf_layer"]) == ["ZD", "ZD"] and gdf["dxf_handle"].notna().all()
    assert (gdf.geom_type == "Polygon").all() and np.allclose(gdf.area, 10_000)
    assert {"code": "dxf_no_attributes"} in loaded.crs_note
    assert loaded.refusal == {"code": "refuse_no_attributes"}
    assert "属性表" in words.render({"code": "dxf_no_attributes"})


# --------------------------------------------------------------------------- column names as bureaus have them


def test_pinyin_dbf_names_in_a_gbk_zip(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"ZDDM": ["450107001", "450107002"], "DKMC": ["一号地", "二号地"], "QLRMC": ["甲公司", "乙公司"],
         "TDYT": ["工业用地", "仓储用地"], "ZDMJ": [10000.0, 10000.0], "JZMJ": [15000.0, 8000.0],
         "RJL": [1.5, 0.8], "JZMD": [0.4, 0.3], "LDL": [0.15, 0.2], "BZ": ["", "备注"]},
        geometry=boxes(2), crs=4545,
    )
    loaded = io.read_parcels(write_zip_shp(gdf, tmp_path / "宗地.zip"))
    out = loaded.gdf
    assert list(out["parcel_id"]) == ["450107001", "450107002"]
    assert list(out["parcel_name"]) == ["一号地", "二号地"]
    assert list(out["holder"]) == ["甲公司", "乙公司"]
    assert list(out["land_use"]) == ["industrial", "storage"]
    assert list(out["declared_area_m2"]) == [10000.0, 10000.0]
    assert list(out["floor_area_m2"]) == [15000.0, 8000.0]
    assert list(out["declared_far"]) == [1.5, 0.8]
    assert list(out["declared_density"]) == [0.4, 0.3] and list(out["declared_green_ratio"]) == [0.15, 0.2]
    assert loaded.unmapped_columns == ["BZ"]
    assert {"code": "unmapped_columns", "count": 1, "headers": ["BZ"]} in loaded.crs_note


def test_register_wording(tmp_path):
    path = tmp_path / "供地台账.csv"
    path.write_text(
        "宗地编号,约定的动工日期,实际开工时间,竣工时间,成交价,电子监管号,合同编号\n"
        "ZD-1,2021-03-01,2021-09-01,2023-01-01,500,4501072021B00123,桂南宁出让〔2021〕12号\n",
        encoding="utf-8",
    )
    out = io.read_parcels(path).gdf
    assert out["agreed_start_date"].iloc[0] == pd.Timestamp("2021-03-01")
    assert out["actual_start_date"].iloc[0] == pd.Timestamp("2021-09-01")
    assert out["completion_date"].iloc[0] == pd.Timestamp("2023-01-01")
    assert out["land_price_wan"].iloc[0] == 500.0
    assert out["supervision_no"].iloc[0] == "4501072021B00123"
    assert out["contract_no"].iloc[0] == "桂南宁出让〔2021〕12号"
    for c in REGISTER_COLUMNS:
        assert words.header(c.name) == c.zh


def test_user_mapping_and_units(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text("编号,单位,出让面积,出让金额\nA-1,甲公司,15,3000000\n", encoding="utf-8")
    plain = io.read_parcels(path, columns={"编号": "parcel_id"})
    assert plain.gdf["parcel_id"].iloc[0] == "A-1" and "单位" in plain.unmapped_columns
    assert plain.gdf["declared_area_m2"].iloc[0] == 15.0  # no unit said: as written
    loaded = io.read_parcels(path, columns={"编号": "parcel_id", "单位": "holder"},
                             units={"declared_area_m2": "mu", "land_price_wan": "yuan"})
    gdf = loaded.gdf
    assert gdf["holder"].iloc[0] == "甲公司" and loaded.unmapped_columns == []
    assert gdf["declared_area_m2"].iloc[0] == pytest.approx(10_000.0)
    assert gdf["land_price_wan"].iloc[0] == pytest.approx(300.0)
    assert {"code": "unit_converted", "column": "declared_area_m2", "unit": "mu"} in loaded.crs_note
    assert "按亩读取" in words.render({"code": "unit_converted", "column": "declared_area_m2", "unit": "mu"})
    with pytest.raises(io.DataError) as exc:
        io.read_parcels(path, columns={"编号": "no_such_column"})
    assert exc.value.code == "mapping_unknown_column"
    with pytest.raises(io.DataError) as exc:
        io.read_parcels(path, columns={"编号": "parcel_id"}, units={"declared_area_m2": "yuan"})
    assert exc.value.code == "unit_unknown"


def test_unit_in_a_header_bracket_is_converted(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text("宗地编号,出让金额（元）,宗地面积(公顷)\nZD-1,1200000,2\n", encoding="utf-8")
    gdf = io.read_parcels(path).gdf
    assert gdf["land_price_wan"].iloc[0] == pytest.approx(120.0)
    assert gdf["declared_area_m2"].iloc[0] == pytest.approx(20_000.0)


ALIASES = [(c.name, a) for c in READ_PARCEL_COLUMNS for a in (c.name, c.zh, *c.aliases)]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ("\u3000" if ch == " " else ch) for ch in text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALIASES), st.lists(st.sampled_from([" ", "\t", "\u3000", ""]), min_size=3, max_size=3),
       st.booleans(), st.booleans())
def test_alias_mapper_ignores_case_space_and_full_width(pair, spaces, upper, full):
    column, alias = pair
    text = alias.upper() if upper else alias.lower()
    mid = len(text) // 2
    text = spaces[0] + text[:mid] + spaces[1] + text[mid:] + spaces[2]
    if full:
        text = _fullwidth(text)
    assert match_header(text) == column


def test_no_alias_means_two_columns():
    seen: dict[str, str] = {}
    for column, alias in ALIASES:
        key = normalise_header(alias)
        assert seen.setdefault(key, column) == column, (alias, seen[key], column)
    assert len(alias_map()) == len(seen)
    assert normalise_header("宗地面积（平方米）") == normalise_header("宗地面积(平方米)")
    assert unicodedata.normalize("NFKC", "ＺＤＤＭ") == "ZDDM" and match_header("ＺＤＤＭ") == "parcel_id"


@settings(max_examples=200, deadline=None)
@given(st.floats(104.5, 112.0), st.floats(21.0, 26.0), st.floats(0.0001, 0.4), st.floats(0.0001, 0.4))
def test_degrees_in_guangxi_infer_cgcs2000(x, y, w, h):
    assert infer_crs_from_coords((x, y, min(x + w, 112.9), min(y + h, 26.9))) == (4490, "degrees_in_guangxi")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([(35, 4523), (36, 4524), (37, 4525)]), st.floats(300_000, 700_000),
       st.floats(2_350_000, 2_850_000), st.floats(1, 5_000))
def test_zone_prefixed_eastings_infer_their_zone(zone, e, n, size):
    number, epsg = zone
    x = number * 1_000_000 + e
    assert infer_crs_from_coords((x, n, x + size, n + size)) == (epsg, "gk_zone_prefix")


@settings(max_examples=200, deadline=None)
@given(st.floats(300_000, 700_000), st.floats(2_350_000, 2_850_000), st.floats(1, 5_000))
def test_eastings_without_zone_are_refused(e, n, size):
    epsg, basis = infer_crs_from_coords((e, n, e + size, n + size))
    assert epsg is None and basis == "gk_zone_ambiguous"


def test_ambiguous_crs_file_is_refused(tmp_path):
    path = tmp_path / "无坐标系.csv"
    path.write_text(f'宗地编号,geometry\nZD-1,"{shapely.box(X0, Y0, X0 + 10, Y0 + 10).wkt}"\n', encoding="utf-8")
    with pytest.raises(io.DataError) as exc:
        io.read_parcels(path)
    assert exc.value.code == "crs_missing" and exc.value.params["basis"] == "gk_zone_ambiguous"


# --------------------------------------------------------------------------- layers and sheets


def test_layers_of_a_geopackage_and_a_zip(tmp_path):
    gdf = gpd.GeoDataFrame({"宗地编号": ["A", "B"]}, geometry=boxes(2), crs=4545)
    gpkg = tmp_path / "多图层.gpkg"
    quiet(pyogrio.write_dataframe, gdf, gpkg, layer="一期")
    quiet(pyogrio.write_dataframe, gdf.iloc[:1], gpkg, layer="二期", append=False)
    assert io.list_layers(gpkg) == ["一期", "二期"]
    assert len(io.read_parcels(gpkg, layer="二期").gdf) == 1
    zpath = write_zip_shp(gdf, tmp_path / "两个.zip", stems=("一期", "二期"), encoding="UTF-8")
    assert io.list_layers(zpath) == ["一期", "二期"]
    loaded = io.read_parcels(zpath, layer="二期")
    assert list(loaded.gdf["parcel_id"]) == ["A", "B"]
    with pytest.raises(io.DataError) as exc:
        io.read_parcels(zpath, layer="三期")
    assert exc.value.code == "zip_shapefile_not_found"


def test_cli_layer_and_shifted(tmp_path, capsys):
    gdf = gpd.GeoDataFrame({"宗地编号": ["A", "B"]}, geometry=boxes(2), crs=4545)
    gpkg = tmp_path / "多图层.gpkg"
    quiet(pyogrio.write_dataframe, gdf, gpkg, layer="一期")
    quiet(pyogrio.write_dataframe, gdf.iloc[:1], gpkg, layer="二期")
    out = tmp_path / "idle.csv"
    assert main(["idle", str(gpkg), "--layer", "二期", "--as-of", "2026-11-25", "-o", str(out), "--codes"]) == 0
    assert len(pd.read_csv(out)) == 1
    assert main(["idle", str(gpkg), "--layer", "三期", "--as-of", "2026-11-25", "-o", str(out)]) == 2
    assert "三期" in capsys.readouterr().err
    # --shifted on metric data: one line, exit 2
    assert main(["idle", str(gpkg), "--shifted", "gcj02", "--as-of", "2026-11-25", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "GCJ-02" in err[0]


# --------------------------------------------------------------------------- implausible data, by row


def test_implausible_values_flagged_by_row(tmp_path):
    path = tmp_path / "台账.csv"
    rows = [
        "宗地编号,供地日期,总投资额,容积率,宗地面积,geometry",
        f'A,2020-01-01,100,1.2,1000,"{shapely.box(X0, Y0, X0 + 100, Y0 + 100).wkt}"',
        f'B,2030-01-01,-5,35,1000,"{shapely.box(X0 + 200, Y0, X0 + 300, Y0 + 100).wkt}"',
        f'C,2020-01-01,inf,1,-1,"{shapely.box(X0 + 400, Y0, X0 + 500, Y0 + 100).wkt}"',
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    loaded = io.read_parcels(path, crs="EPSG:4545", as_of="2026-11-25")
    where = {(p.code, p.row, p.column) for p in loaded.problems}
    assert ("date_after_as_of", 2, "supply_date") in where
    assert ("value_negative", 2, "total_investment_wan") in where
    assert ("far_implausible", 2, "declared_far") in where
    assert ("value_not_finite", 3, "total_investment_wan") in where
    assert ("value_negative", 3, "declared_area_m2") in where
    assert np.isnan(loaded.gdf["total_investment_wan"].iloc[2])
    late = codes(loaded, "date_after_as_of")[0]
    assert words.render(late.item) == "日期 2030-01-01 晚于基准日 2026-11-25，该事项尚不可能发生：已保留，请核对日期"
    assert len(loaded.gdf) == 3  # every row kept
    text = words.render(codes(loaded, "far_implausible")[0].item)
    assert "35" in text and "20" in text


def test_floor_area_over_twenty_times_the_parcel_is_flagged(tmp_path):
    gdf = gpd.GeoDataFrame({"宗地编号": ["A", "B"], "总建筑面积": [15_000.0, 250_000.0]}, geometry=boxes(2), crs=4545)
    path = tmp_path / "p.gpkg"
    quiet(pyogrio.write_dataframe, gdf, path)
    bad = codes(io.read_parcels(path), "far_implausible")
    assert [(p.row, p.column, p.args["value"]) for p in bad] == [(2, "floor_area_m2", 25.0)]


def test_outside_guangxi_swapped_axes_and_degrees_declared_metric(tmp_path):
    inside = shapely.box(108.30, 22.80, 108.301, 22.801)
    swapped = shapely.box(22.80, 108.30, 22.801, 108.301)
    beijing = shapely.box(116.40, 39.90, 116.401, 39.901)
    gdf = gpd.GeoDataFrame({"宗地编号": ["A", "B", "C"]}, geometry=[inside, swapped, beijing], crs=4490)
    path = tmp_path / "p.gpkg"
    quiet(pyogrio.write_dataframe, gdf, path)
    loaded = quiet(io.read_parcels, path)
    assert [p.row for p in codes(loaded, "axes_swapped")] == [2]
    assert [p.row for p in codes(loaded, "outside_guangxi")] == [3]
    metric = gpd.GeoDataFrame({"宗地编号": ["A"]}, geometry=[inside], crs=None).set_crs(4545)
    path2 = tmp_path / "m.gpkg"
    quiet(pyogrio.write_dataframe, metric, path2)
    loaded2 = quiet(io.read_parcels, path2)
    bad = codes(loaded2, "degrees_in_metric")
    assert [p.row for p in bad] == [1] and "0 亩" in words.render(bad[0].item)


def test_metric_swapped_axes(tmp_path):
    geom = shapely.box(Y0, X0, Y0 + 100, X0 + 100)  # northing first
    gdf = gpd.GeoDataFrame({"宗地编号": ["A"]}, geometry=[geom], crs=4545)
    path = tmp_path / "p.gpkg"
    quiet(pyogrio.write_dataframe, gdf, path)
    loaded = quiet(io.read_parcels, path)
    assert [p.row for p in codes(loaded, "axes_swapped")] == [1]


def test_degrees_without_declared_crs_may_be_shifted(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(f'宗地编号,geometry\nA,"{shapely.box(108.3, 22.8, 108.301, 22.801).wkt}"\n', encoding="utf-8")
    loaded = io.read_parcels(path)
    assert "maybe_shifted" in [n["code"] for n in loaded.crs_note]
    declared = io.read_parcels(path, crs="EPSG:4490")
    assert "maybe_shifted" not in [n["code"] for n in declared.crs_note]
    geojson = tmp_path / "p.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"宗地编号": "A"},
         "geometry": shapely.geometry.mapping(shapely.box(108.3, 22.8, 108.301, 22.801))}]}), encoding="utf-8")
    assert "maybe_shifted" in [n["code"] for n in io.read_parcels(geojson).crs_note]


# --------------------------------------------------------------------------- our own export read back


def test_zipped_shapefile_field_table_restores_full_names(tmp_path):
    from reports.tables import write_shapefile_zip

    shown = gpd.GeoDataFrame(
        {"宗地编号": ["A", "B"], "土地使用权人": ["甲公司", "乙公司"], "约定动工日期": ["2021-03-01", "2022-06-15"],
         "建构筑物及堆场占地面积(平方米)": [400.0, 500.0], "已开发面积(平方米)": [100.0, 200.0]},
        geometry=boxes(2), crs=4545,
    )
    path = quiet(write_shapefile_zip, shown, tmp_path / "导出.zip", layer="parcels")
    loaded = quiet(io.read_parcels, path)
    gdf = loaded.gdf
    assert list(gdf["parcel_id"]) == ["A", "B"] and list(gdf["holder"]) == ["甲公司", "乙公司"]
    assert list(gdf["footprint_m2"]) == [400.0, 500.0] and list(gdf["developed_area_m2"]) == [100.0, 200.0]
    assert gdf["agreed_start_date"].iloc[1] == pd.Timestamp("2022-06-15")
    assert any(n["code"] == "field_table_restored" for n in loaded.crs_note)
    assert loaded.unmapped_columns == []


KML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'


def _placemark(pid: str, holder: str, x: float) -> str:
    return (
        # Untyped <Data> (no <Schema>), as most tools write it: LIBKML names these ____.
        f"<Placemark><name>{pid}</name><ExtendedData>"
        f"<Data name=\"宗地编号\"><value>{pid}</value></Data><Data name=\"土地使用权人\"><value>{holder}</value></Data>"
        f"</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{x},22.8 {x + 0.001},22.8 {x + 0.001},22.801 {x},22.801 {x},22.8</coordinates></LinearRing>"
        f"</outerBoundaryIs></Polygon></Placemark>"
    )


SCHEMA = ""
KML_ONE_FOLDER = (KML_HEAD + SCHEMA + "<Folder><name>宗地</name>" + _placemark("ZD-1", "某公司", 108.30)
                  + _placemark("ZD-2", "另一公司", 108.31) + "</Folder></Document></kml>")
KML_TWO_FOLDERS = (KML_HEAD + SCHEMA + "<Folder><name>一期</name>" + _placemark("ZD-1", "某公司", 108.30)
                   + "</Folder><Folder><name>二期</name>" + _placemark("ZD-2", "另一公司", 108.31)
                   + "</Folder></Document></kml>")
