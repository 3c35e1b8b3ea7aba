"""Tests for geo.io: every format, aliases, encodings, CRS rules, defects, parks, exports."""

from __future__ import annotations

import datetime as dt
import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely

import words
from geo.io import (
    DataError,
    Loaded,
    Problem,
    assign_parks,
    ensure_columns,
    parse_dates,
    read_parcels,
    read_parks,
    to_csv_bytes,
    to_gpkg_bytes,
    write_table,
)

X0, Y0 = 500_000, 2_500_000  # GK zone 108°E (EPSG:4545), near 南宁's latitude


def box(i: int, size: float = 100.0):
    """The i-th 100 m box along a row, 200 m apart: area 10,000 m² each."""
    return shapely.box(X0 + 200 * i, Y0, X0 + 200 * i + size, Y0 + size)


def parcels(n: int = 3, *, crs=4545) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "parcel_id": [f"450100-GX-{i:06d}" for i in range(1, n + 1)],
            "holder": ["广西南宁科技有限公司", "柳州市新材料有限公司", "桂林电子有限公司"][:n],
            "agreed_start_date": pd.to_datetime(["2021-03-01", "2022-06-15", "2020-01-31"][:n]),
            "total_investment_wan": [1500.0, 2500.5, 800.0][:n],
            "land_use": ["industrial", "storage", "commercial"][:n],
        },
        geometry=[box(i) for i in range(n)],
        crs=crs,
    )


def write_shp(
    gdf: gpd.GeoDataFrame, path: Path, *, encoding: str | None = None, keep_cpg: bool = True
) -> Path:
    with warnings.catch_warnings():
        # GDAL warns as it cuts field names to 10 bytes and stores dates as text: expected.
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(gdf, path, encoding=encoding)
    cpg = path.with_suffix(".cpg")
    if not keep_cpg and cpg.exists():
        cpg.unlink()
    return path


def zip_shp(shp: Path, target: Path, *, folder: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for part in shp.parent.glob(shp.stem + ".*"):
            if part != target:  # the zip being written matches the stem too
                zf.write(part, folder + part.name)
    return target


def rows_of(loaded: Loaded, column: str, severity: str | None = None) -> list[int | None]:
    return [
        p.row for p in loaded.problems if p.column == column and (severity is None or p.severity == severity)
    ]


# --------------------------------------------------------------------------- round trips


def _check_round_trip(loaded: Loaded, *, geometry: bool = True):
    gdf = loaded.gdf
    assert gdf["parcel_id"].tolist() == ["450100-GX-000001", "450100-GX-000002", "450100-GX-000003"]
    assert gdf["holder"].tolist()[0] == "广西南宁科技有限公司"
    assert gdf["agreed_start_date"].tolist() == [
        pd.Timestamp(d) for d in ("2021-03-01", "2022-06-15", "2020-01-31")
    ]
    assert str(gdf["agreed_start_date"].dtype) == "datetime64[ns]"
    assert gdf["total_investment_wan"].tolist() == [1500.0, 2500.5, 800.0]
    assert gdf["land_use"].tolist() == ["industrial", "storage", "commercial"]
    if geometry:
        assert gdf.crs.to_epsg() == 4545
        np.testing.assert_allclose(gdf.area.to_numpy(), [10_000.0] * 3)
    assert not [p for p in loaded.problems if p.severity == "error"]


@pytest.mark.parametrize("ext", [".geojson", ".gpkg", ".parquet"])
def test_round_trip_geo_formats(tmp_path, ext):
    path = write_table(parcels(), tmp_path / f"parcels{ext}")
    loaded = read_parcels(path)
    if ext == ".geojson":
        # GeoJSON is written in EPSG:4326; the area survives reprojection back.
        assert loaded.gdf.crs.to_epsg() == 4326
        loaded.gdf = loaded.gdf.to_crs(4545)
    _check_round_trip(loaded)
    assert loaded.source == f"parcels{ext}"


def test_round_trip_shapefile_and_zip(tmp_path):
    shp = write_shp(parcels(), tmp_path / "parcels.shp", encoding="UTF-8")
    _check_round_trip(read_parcels(shp))
    _check_round_trip(read_parcels(zip_shp(shp, tmp_path / "parcels.zip", folder="export/")))


@pytest.mark.parametrize("ext", [".csv", ".xlsx"])
def test_round_trip_tables_with_wkt(tmp_path, ext):
    frame = pd.DataFrame(parcels().drop(columns="geometry"))
    frame["geometry"] = shapely.to_wkt(parcels().geometry.to_numpy())
    path = write_table(frame, tmp_path / f"parcels{ext}")
    _check_round_trip(read_parcels(path, crs="EPSG:4545"))


def _zh(gdf):
    """Chinese headers as a bureau's own files carry them (the geometry column keeps its name)."""
    return gdf.rename(columns={c: words.header(c) for c in gdf.columns if c != gdf.geometry.name})


def test_attribute_table_without_geometry(tmp_path):
    path = write_table(_zh(parcels()), tmp_path / "attrs.xlsx")
    loaded = read_parcels(path)
    _check_round_trip(loaded, geometry=False)
    assert "geometry" not in loaded.gdf.columns
    assert loaded.crs_note == [{"code": "attribute_table"}]


def test_attribute_table_needs_parcel_id(tmp_path):
    path = tmp_path / "no_id.csv"
    path.write_text("holder,tax_wan\nA,1\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_parcels(path)
    assert (exc.value.code, exc.value.params) == ("attribute_table_no_id", {"source": "no_id.csv"})


def test_excel_title_row_above_header(tmp_path):
    path = tmp_path / "ledger.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["南宁高新区宗地台账"])
    ws.append(["宗地编号", "约定动工日期", "总投资额"])
    ws.append(["A-1", dt.datetime(2021, 3, 1), 1200])
    ws.append(["A-2", "bad date", "1,234.5"])
    wb.save(path)
    loaded = read_parcels(path)
    assert loaded.gdf["parcel_id"].tolist() == ["A-1", "A-2"]
    assert loaded.gdf["total_investment_wan"].tolist() == [1200.0, 1234.5]
    # Data row 2 (sheet row 4) holds the bad date.
    assert rows_of(loaded, "agreed_start_date", "error") == [2]


# --------------------------------------------------------------------------- aliases


def test_chinese_aliases_renamed(tmp_path):
    frame = pd.DataFrame(
        {
            "宗地编号": ["Z1", "Z2"],
            " 约定动工日期 ": ["2021-03-01", "2021/3/1"],
            "总投资额（万元）": ["1,000", "2000"],
            "土地使用权人": ["甲公司", "乙公司"],
            "所属园区": ["nanning", "nanning"],
            "PARCEL_ID_extra": ["x", "y"],  # unknown columns are kept as they are
        }
    )
    frame["geometry"] = [box(0).wkt, box(1).wkt]
    path = tmp_path / "zh.csv"
    frame.to_csv(path, index=False, encoding="gbk")  # GBK CSV as Excel saves it on a Chinese Windows
    loaded = read_parcels(path, crs=4545)
    gdf = loaded.gdf
    assert {"parcel_id", "agreed_start_date", "holder", "park_id", "PARCEL_ID_extra"} <= set(gdf.columns)
    assert gdf["agreed_start_date"].tolist() == [pd.Timestamp("2021-03-01")] * 2
    assert gdf["holder"].tolist() == ["甲公司", "乙公司"]
    # "总投资额（万元）" is the Chinese header 总投资额(万元) with full-width brackets.
    assert gdf["total_investment_wan"].tolist() == [1000.0, 2000.0]


def test_alias_case_and_space_insensitive(tmp_path):
    frame = pd.DataFrame({"Parcel_ID": ["a"], "ZDBH ": ["b"], "Tax_Wan": ["3"]})
    path = tmp_path / "case.csv"
    frame.to_csv(path, index=False)
    loaded = read_parcels(path)
    # Two headers mean parcel_id: the first is used, the second kept under its name and reported.
    assert loaded.gdf["parcel_id"].tolist() == ["a"]
    assert loaded.gdf["tax_wan"].tolist() == [3.0]
    assert any(p.column == "ZDBH " and p.severity == "warning" for p in loaded.problems)


def test_truncated_dbf_field_names_mapped(tmp_path):
    gdf = parcels().rename(columns={"parcel_id": "宗地编号", "agreed_start_date": "约定动工日期"})
    write_shp(gdf, tmp_path / "cut.shp", encoding="GBK", keep_cpg=False)  # 约定动工日期 → 约定动工日
    loaded = read_parcels(tmp_path / "cut.shp")
    assert loaded.gdf["agreed_start_date"].iloc[0] == pd.Timestamp("2021-03-01")
    cut = [p for p in loaded.problems if p.code == "column_name_cut"]
    assert cut and cut[0].args == {"header": "约定动工日", "column": "agreed_start_date"} and cut[0].severity == "info"


def test_chinese_code_labels_mapped(tmp_path):
    frame = pd.DataFrame(
        {
            "宗地编号": ["1", "2", "3"],
            "土地用途": ["工业用地", "仓储用地", "菜地"],
            "闲置原因": ["规划修改", None, "不可抗力"],
        }
    )
    path = tmp_path / "codes.csv"
    frame.to_csv(path, index=False)
    loaded = read_parcels(path)
    assert loaded.gdf["land_use"].tolist()[:2] == ["industrial", "storage"]
    assert loaded.gdf["land_use"].iloc[2] == "菜地"
    assert loaded.gdf["delay_cause"].iloc[0] == "plan_revised"
    assert loaded.gdf["delay_cause"].iloc[2] == "force_majeure"
    assert rows_of(loaded, "land_use", "warning") == [3]


# --------------------------------------------------------------------------- encodings


def gbk_parcels() -> gpd.GeoDataFrame:
    return parcels().rename(columns={"parcel_id": "宗地编号", "holder": "使用权人"})


def test_gbk_dbf_without_cpg_read_correctly(tmp_path):
    shp = write_shp(gbk_parcels(), tmp_path / "gbk.shp", encoding="GBK", keep_cpg=False)
    assert not shp.with_suffix(".cpg").exists()
    # Without detection GDAL reads the DBF as Latin-1 and Chinese turns to mojibake.
    assert "宗地编号" not in pyogrio.read_dataframe(shp).columns
    loaded = read_parcels(shp)
    assert loaded.gdf["holder"].tolist() == [
        "广西南宁科技有限公司",
        "柳州市新材料有限公司",
        "桂林电子有限公司",
    ]
    assert loaded.gdf["parcel_id"].iloc[0] == "450100-GX-000001"
    assert {"code": "dbf_encoding", "encoding": "GB18030", "found_by": "detected"} in loaded.crs_note


def test_zipped_gbk_shapefile_without_cpg(tmp_path):
    shp = write_shp(gbk_parcels(), tmp_path / "gbk.shp", encoding="GBK", keep_cpg=False)
    loaded = read_parcels(zip_shp(shp, tmp_path / "gbk.zip"))
    assert loaded.gdf["holder"].iloc[1] == "柳州市新材料有限公司"
    assert loaded.gdf.crs.to_epsg() == 4545


def test_encoding_argument_used_without_cpg(tmp_path):
    shp = write_shp(gbk_parcels(), tmp_path / "gbk.shp", encoding="GBK", keep_cpg=False)
    loaded = read_parcels(shp, encoding="GBK")
    assert loaded.gdf["holder"].iloc[2] == "桂林电子有限公司"
    assert {"code": "dbf_encoding", "encoding": "GBK", "found_by": "given"} in loaded.crs_note


def test_wrong_or_unknown_encoding_argument_is_a_coded_error(tmp_path):
    shp = write_shp(gbk_parcels(), tmp_path / "gbk.shp", encoding="GBK", keep_cpg=False)
    with pytest.raises(DataError) as exc:
        read_parcels(shp, encoding="UTF-8")
    assert exc.value.code == "encoding_wrong" and exc.value.params["encoding"] == "UTF-8"
    with pytest.raises(DataError) as exc:
        read_parcels(shp, encoding="XYZ")
    assert (exc.value.code, exc.value.params["encoding"]) == ("encoding_unknown", "XYZ")


def test_cpg_saying_utf8_wins_over_argument(tmp_path):
    shp = write_shp(gbk_parcels(), tmp_path / "utf8.shp", encoding="UTF-8")
    assert shp.with_suffix(".cpg").read_text().strip().upper().startswith("UTF")
    loaded = read_parcels(shp, encoding="GBK")
    assert loaded.gdf["holder"].iloc[0] == "广西南宁科技有限公司"
    assert {"code": "dbf_encoding", "encoding": "UTF-8", "found_by": "cpg"} in loaded.crs_note
    # Same inside a zip.
    zipped = read_parcels(zip_shp(shp, tmp_path / "utf8.zip"), encoding="GBK")
    assert zipped.gdf["holder"].iloc[0] == "广西南宁科技有限公司"


def test_cpg_saying_936_means_gbk(tmp_path):
    shp = write_shp(gbk_parcels(), tmp_path / "cp.shp", encoding="GBK")
    shp.with_suffix(".cpg").write_text("936")
    assert read_parcels(shp).gdf["holder"].iloc[0] == "广西南宁科技有限公司"


# --------------------------------------------------------------------------- CRS


def write_no_crs_shp(tmp_path: Path, geoms) -> Path:
    gdf = gpd.GeoDataFrame({"parcel_id": [f"P{i}" for i in range(len(geoms))]}, geometry=geoms, crs=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio warns that no CRS is written: that is the point
        pyogrio.write_dataframe(gdf, tmp_path / "nocrs.shp")
    assert not (tmp_path / "nocrs.prj").exists()
    return tmp_path / "nocrs.shp"


def test_no_crs_refused(tmp_path):
    shp = write_no_crs_shp(tmp_path, [shapely.box(1000, 1000, 1100, 1100)])
    with pytest.raises(DataError) as exc:
        read_parcels(shp)
    assert exc.value.code == "crs_missing"
    assert exc.value.params == {"source": "nocrs.shp", "basis": "no_known_crs"}


def test_no_crs_ambiguous_gk_eastings_refused(tmp_path):
    shp = write_no_crs_shp(tmp_path, [box(0), box(1)])  # eastings 0.5M: zone unknown
    with pytest.raises(DataError) as exc:
        read_parcels(shp)
    assert (exc.value.code, exc.value.params["basis"]) == ("crs_missing", "gk_zone_ambiguous")


def test_no_crs_but_crs_argument(tmp_path):
    shp = write_no_crs_shp(tmp_path, [box(0)])
    loaded = read_parcels(shp, crs="EPSG:4545")
    assert loaded.gdf.crs.to_epsg() == 4545
    assert loaded.crs_note[0] == {"code": "crs_given", "crs": "EPSG:4545"}
    assert loaded.gdf.area.iloc[0] == pytest.approx(10_000)


def test_no_crs_zone_prefixed_eastings_inferred(tmp_path):
    shp = write_no_crs_shp(tmp_path, [shapely.box(36_500_000, 2_500_000, 36_500_100, 2_500_100)])
    loaded = read_parcels(shp)
    assert loaded.gdf.crs.to_epsg() == 4524
    inferred = {"code": "crs_inferred", "epsg": 4524, "basis": "gk_zone_prefix"}
    assert loaded.crs_note[0] == inferred
    assert any(p.item == inferred and p.severity == "warning" for p in loaded.problems)


def test_no_crs_degrees_inferred(tmp_path):
    shp = write_no_crs_shp(tmp_path, [shapely.box(108.30, 22.80, 108.31, 22.81)])
    loaded = read_parcels(shp)
    assert loaded.gdf.crs.to_epsg() == 4490
    assert loaded.crs_note[0] == {"code": "crs_inferred", "epsg": 4490, "basis": "degrees_in_guangxi"}


def test_file_crs_wins_over_argument(tmp_path):
    path = write_table(parcels(), tmp_path / "p.gpkg")
    loaded = read_parcels(path, crs="EPSG:4546")
    assert loaded.gdf.crs.to_epsg() == 4545
    assert any(
        p.code == "crs_file_wins" and p.args == {"crs": "EPSG:4545", "given": "EPSG:4546"} for p in loaded.problems
    )


def test_unknown_crs_argument_is_a_coded_error(tmp_path):
    shp = write_no_crs_shp(tmp_path, [box(0)])
    with pytest.raises(DataError) as exc:
        read_parcels(shp, crs="EPSG:99999999")
    assert exc.value.code == "crs_invalid" and exc.value.params["given"] == "EPSG:99999999"


def test_geojson_with_metric_numbers_is_not_taken_as_degrees(tmp_path):
    # A CAD export: GeoJSON with GK eastings and no "crs" member. GDAL calls it
    # EPSG:4326; the numbers say otherwise, so the CRS is inferred from them.
    feature = {
        "type": "Feature",
        "properties": {"宗地编号": "C1"},
        "geometry": shapely.geometry.mapping(shapely.box(36_500_000, 2_500_000, 36_500_100, 2_500_100)),
    }
    path = tmp_path / "cad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    loaded = read_parcels(path)
    assert loaded.gdf.crs.to_epsg() == 4524
    assert loaded.gdf.area.iloc[0] == pytest.approx(10_000)


# --------------------------------------------------------------------------- defects


def test_bowtie_repaired_and_reported_with_row(tmp_path):
    gdf = parcels()
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    gdf.loc[1, "geometry"] = bowtie
    loaded = read_parcels(write_table(gdf, tmp_path / "bow.gpkg"))
    assert len(loaded.gdf) == 3
    fixed = loaded.gdf.geometry.iloc[1]
    assert fixed.is_valid and fixed.geom_type in ("Polygon", "MultiPolygon")
    # Two triangles of 100 × 50 / 2 each: 5,000 m² in all.
    assert fixed.area == pytest.approx(5_000)
    problems = [p for p in loaded.problems if p.column == "geometry"]
    assert [p.row for p in problems] == [2]
    assert problems[0].code == "geometry_repaired"
    assert problems[0].args["defect"] == "self_intersection"
    assert problems[0].args["x"] == pytest.approx(X0 + 50) and problems[0].args["y"] == pytest.approx(Y0 + 50)
    assert loaded.summary["repaired_geometries"] == 1


def test_missing_geometry_kept_and_reported(tmp_path):
    gdf = parcels()
    gdf.loc[2, "geometry"] = None
    loaded = read_parcels(write_table(gdf, tmp_path / "hole.gpkg"))
    assert len(loaded.gdf) == 3
    assert rows_of(loaded, "geometry", "error") == [3]


def test_duplicate_ids_reported_each_row(tmp_path):
    gdf = parcels()
    gdf.loc[2, "parcel_id"] = gdf.loc[0, "parcel_id"]
    loaded = read_parcels(write_table(gdf, tmp_path / "dup.parquet"))
    assert len(loaded.gdf) == 3
    assert rows_of(loaded, "parcel_id") == [1, 3]
    dup = [p for p in loaded.problems if p.column == "parcel_id"]
    assert {p.code for p in dup} == {"parcel_id_duplicate"}
    assert all(p.args == {"value": "450100-GX-000001", "count": 2, "dup_rows": [1, 3]} for p in dup)
    assert loaded.summary["duplicate_id_rows"] == 2


def test_unparseable_date_and_number_reported_with_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "宗地编号,约定动工日期,总投资额\nA,2021-03-01,100\nB,明年三月,\nC,2021-02-30,12abc\n",
        encoding="utf-8",
    )
    loaded = read_parcels(path)
    gdf = loaded.gdf
    assert gdf["agreed_start_date"].isna().tolist() == [False, True, True]
    assert np.isnan(gdf["total_investment_wan"].iloc[1])  # blank: no problem
    assert rows_of(loaded, "agreed_start_date", "error") == [2, 3]
    assert rows_of(loaded, "total_investment_wan", "error") == [3]
    date_problem = next(p for p in loaded.problems if p.column == "agreed_start_date")
    assert (date_problem.code, date_problem.args) == ("value_not_date", {"value": "明年三月"})
    number_problem = next(p for p in loaded.problems if p.column == "total_investment_wan")
    assert (number_problem.code, number_problem.args) == ("value_not_number", {"value": "12abc"})
    frame = loaded.problems_frame()
    assert list(frame.columns) == ["row", "column", "code", "args", "severity"]
    assert frame.loc[frame["column"] == "total_investment_wan", "row"].tolist() == [3]


@pytest.mark.parametrize(
    "value",
    [
        "2021-03-01",
        "2021/3/1",
        "2021.03.01",
        "20210301",
        "2021年3月1日",
        "2021-03-01 08:30:00",
        44256,
        44256.0,
        20210301,
        dt.datetime(2021, 3, 1, 15, 0),
        dt.date(2021, 3, 1),
        pd.Timestamp("2021-03-01"),
    ],
)
def test_date_forms(value):
    dates, bad = parse_dates(pd.Series([value], dtype=object))
    assert dates.iloc[0] == pd.Timestamp("2021-03-01")
    assert not bad.any()


@pytest.mark.parametrize("value", ["2021", 2021, "2021-13-01", "2021-02-29", "March", "2021-03"])
def test_date_forms_refused(value):
    dates, bad = parse_dates(pd.Series([value], dtype=object))
    assert pd.isna(dates.iloc[0])
    assert bad.tolist() == [True]


def test_leap_day_accepted():
    dates, bad = parse_dates(pd.Series(["2024-02-29", None, ""], dtype=object))
    assert dates.iloc[0] == pd.Timestamp("2024-02-29")
    assert bad.tolist() == [False, False, False]


# --------------------------------------------------------------------------- parks


def make_parks() -> gpd.GeoDataFrame:
    # Park A covers boxes 0-1 (x 500000-500300), park B boxes 2-3 (x 500300-500700).
    return gpd.GeoDataFrame(
        {"park_id": ["a", "b"], "name_zh": ["甲高新区", "乙高新区"], "level": ["national", "regional"]},
        geometry=[
            shapely.box(X0 - 50, Y0 - 50, X0 + 300, Y0 + 150),
            shapely.box(X0 + 300, Y0 - 50, X0 + 700, Y0 + 150),
        ],
        crs=4545,
    ).to_crs(4326)


def test_park_assignment_with_one_parcel_outside(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"parcel_id": ["p0", "p1", "p2", "p3", "p4"]},
        geometry=[
            box(0),  # inside a
            box(1),  # inside a
            shapely.box(X0 + 250, Y0, X0 + 370, Y0 + 100),  # 50 m in a, 70 m in b → b
            box(3),  # inside b
            box(10),  # x 502000: outside every park
        ],
        crs=4545,
    )
    loaded = read_parcels(write_table(gdf, tmp_path / "p.gpkg"), parks=make_parks())
    assert loaded.gdf["park_id"].tolist()[:4] == ["a", "a", "b", "b"]
    assert pd.isna(loaded.gdf["park_id"].iloc[4])
    assert len(loaded.gdf) == 5
    assert rows_of(loaded, "park_id", "warning") == [5]
    assert loaded.summary["outside_parks"] == 1


def test_park_assignment_only_fills_empty_ids_and_maps_names(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"parcel_id": ["p0", "p1", "p2"], "park_id": ["b", None, "乙高新区"]},
        geometry=[box(0), box(1), box(0)],
        crs=4545,
    )
    loaded = read_parcels(write_table(gdf, tmp_path / "p.gpkg"), parks=make_parks())
    # Given ids are kept (even when the shape says otherwise); names become ids; empties are joined.
    assert loaded.gdf["park_id"].tolist() == ["b", "a", "b"]
    assert loaded.summary["outside_parks"] == 0


def test_unknown_park_id_warned(tmp_path):
    gdf = gpd.GeoDataFrame({"parcel_id": ["p0"], "park_id": ["zz"]}, geometry=[box(0)], crs=4545)
    loaded = read_parcels(write_table(gdf, tmp_path / "p.gpkg"), parks=make_parks())
    # Under no park (reachable with the parcels outside every park), the text kept as written.
    assert loaded.gdf["park_id"].isna().all()
    assert loaded.gdf["park_unresolved"].tolist() == ["zz"]
    assert rows_of(loaded, "park_id", "warning") == [1]
    (p,) = [p for p in loaded.problems if p.column == "park_id" and p.severity == "warning"]
    assert (p.code, p.args) == ("park_unresolved", {"value": "zz"})
    assert loaded.summary["unresolved_parks"] == 1


def test_assign_parks_series_aligned():
    gdf = gpd.GeoDataFrame({"parcel_id": ["x", "y"]}, geometry=[box(10), box(3)], crs=4545, index=[7, 9])
    got = assign_parks(gdf, make_parks())
    assert got.index.tolist() == [7, 9]
    assert pd.isna(got.loc[7]) and got.loc[9] == "b"
    # A parcel that only touches a park's edge shares no area with it.
    touching = gpd.GeoDataFrame(geometry=[shapely.box(X0 + 700, Y0, X0 + 800, Y0 + 100)], crs=4545)
    assert pd.isna(assign_parks(touching, make_parks()).iloc[0])


def test_read_parks(tmp_path):
    path = write_table(make_parks(), tmp_path / "parks.geojson")
    parks = read_parks(path)
    assert parks["park_id"].tolist() == ["a", "b"]
    assert {"eco_status", "developable_ha"} <= set(parks.columns)  # optional columns added empty
    assert parks["developable_ha"].isna().all()


def test_read_parks_missing_required_column(tmp_path):
    path = write_table(make_parks().drop(columns="level"), tmp_path / "parks.geojson")
    with pytest.raises(DataError) as exc:
        read_parks(path)
    assert exc.value.code == "parks_columns_missing"
    assert exc.value.params == {"source": "parks.geojson", "columns": ["level"]}


def test_read_parks_duplicate_id(tmp_path):
    parks = make_parks()
    parks.loc[1, "park_id"] = "a"
    path = write_table(parks, tmp_path / "parks.geojson")
    with pytest.raises(DataError) as exc:
        read_parks(path)
    assert exc.value.item == {"code": "parks_id_repeats", "source": "parks.geojson", "row": 2, "value": "a"}


# --------------------------------------------------------------------------- exports


def test_csv_export_has_bom_chinese_headers_no_geometry(tmp_path):
    path = write_table(_zh(parcels()), tmp_path / "out.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == ["宗地编号", "土地使用权人", "约定动工日期", "总投资额(万元)", "土地用途"]
    assert "POLYGON" not in raw.decode("utf-8-sig")


def test_xlsx_export_chinese_headers_dates_and_lists(tmp_path):
    gdf = parcels()
    gdf["reasons"] = [["far", "coverage"], [], ["office"]]
    path = write_table(_zh(gdf), tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header == ["宗地编号", "土地使用权人", "约定动工日期", "总投资额(万元)", "土地用途", "reasons"]
    assert ws.cell(row=2, column=1).value == "450100-GX-000001"
    date_cell = ws.cell(row=2, column=3)
    assert date_cell.is_date and date_cell.value == dt.datetime(2021, 3, 1)
    assert ws.cell(row=2, column=6).value == "far; coverage"
    assert ws.max_column == 6  # no geometry column


def test_xlsx_english_by_default(tmp_path):
    path = write_table(parcels(), tmp_path / "out.xlsx")
    assert openpyxl.load_workbook(path).active.cell(row=1, column=1).value == "parcel_id"


def test_geojson_export_in_4326(tmp_path):
    path = write_table(parcels(), tmp_path / "out.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    x, y = data["features"][0]["geometry"]["coordinates"][0][0]
    assert 107 < x < 109 and 22 < y < 23.5


def test_gpkg_export_layer_name(tmp_path):
    path = write_table(parcels(), tmp_path / "out.gpkg", layer="flagged")
    assert pyogrio.list_layers(path)[:, 0].tolist() == ["flagged"]


def test_write_refuses_unknown_extension_and_missing_geometry(tmp_path):
    with pytest.raises(DataError) as exc:
        write_table(parcels(), tmp_path / "out.txt")
    assert exc.value.code == "write_ext_unsupported" and ".csv" in exc.value.params["extensions"]
    with pytest.raises(DataError) as exc:
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "out.geojson")
    assert exc.value.item == {"code": "write_needs_geometry", "source": "out.geojson", "ext": ".geojson"}


def test_bytes_for_download_buttons():
    gpkg = to_gpkg_bytes(parcels())
    assert gpkg[:16] == b"SQLite format 3\x00"
    assert to_csv_bytes(parcels()).startswith(b"\xef\xbb\xbfparcel_id")


def test_unknown_input_extension(tmp_path):
    path = tmp_path / "x.dwg"
    path.write_bytes(b"AC1032")
    with pytest.raises(DataError) as exc:
        read_parcels(path)
    assert (exc.value.code, exc.value.params["source"], exc.value.params["ext"]) == ("unknown_file_type", "x.dwg", ".dwg")
    with pytest.raises(DataError) as exc:
        read_parcels(tmp_path / "missing.gpkg")
    assert exc.value.code == "file_not_found" and exc.value.params["source"].endswith("missing.gpkg")


# --------------------------------------------------------------------------- small API


def test_ensure_columns_typed_na():
    out = ensure_columns(
        pd.DataFrame({"parcel_id": ["a"]}), ["parcel_id", "halted_since", "tax_wan", "builtup"]
    )
    assert str(out["halted_since"].dtype) == "datetime64[ns]"
    assert out["tax_wan"].dtype == "float64"
    assert str(out["builtup"].dtype) == "boolean"
    assert out[["halted_since", "tax_wan", "builtup"]].isna().all().all()


def test_problem_and_loaded_frame_shapes():
    loaded = Loaded(
        gdf=gpd.GeoDataFrame(),
        problems=[
            Problem(2, "x", "value_not_number", {"value": np.int64(7)}, "error"),
            Problem(None, None, "geometry_z_dropped", {}, "info"),
        ],
        crs_note=[],
        source="s",
    )
    frame = loaded.problems_frame()
    assert frame["row"].tolist()[0] == 2 and pd.isna(frame["row"].iloc[1])
    assert frame["severity"].tolist() == ["error", "info"]
    assert frame["code"].tolist() == ["value_not_number", "geometry_z_dropped"]
    assert frame["args"].tolist() == [{"value": 7}, {}]
    assert type(frame["args"].iloc[0]["value"]) is int  # numpy scalars become plain values
    assert loaded.problems[0].item == {"code": "value_not_number", "value": 7}


def test_problem_refuses_a_sentence_where_args_belong():
    # Problem(row, column, code, args, severity): a 4-argument call of the old form fails loudly.
    with pytest.raises(TypeError):
        Problem(1, "x", "value_not_number", "error")
    with pytest.raises(ValueError):
        Problem(1, "x", "value_not_number", {}, "fatal")


def test_every_emitted_code_is_listed(tmp_path):
    """Codes seen across this file's readers are in the exported lists (the words test walks those)."""
    from geo.io import ERROR_CODES, NOTE_CODES, PROBLEM_CODES

    gdf = parcels()
    gdf.loc[1, "geometry"] = shapely.Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    gdf.loc[2, "parcel_id"] = gdf.loc[0, "parcel_id"]
    loaded = read_parcels(write_table(gdf, tmp_path / "mixed.gpkg"))
    assert loaded.problems and all(p.code in PROBLEM_CODES for p in loaded.problems)
    assert all(set(p.args) <= set(PROBLEM_CODES[p.code]) for p in loaded.problems)
    assert all(n["code"] in NOTE_CODES for n in loaded.crs_note)
    assert "crs_missing" in ERROR_CODES
