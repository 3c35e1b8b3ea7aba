"""
Independent audit of the readers (``geo.io``), areas (``geo.crs``) and the ``idle`` CLI
against issue 2 §3 and domain.md §8, with hand-made files and hand-worked numbers.

Area oracle: 1 亩 = 10 000 / 15 m², so a 100 m × 100 m square is exactly 15 亩; for
squares handed over in degrees, pyproj's geodesic area on the CGCS2000 ellipsoid (GRS80)
is the outside check.

Known discrepancies are ``xfail(strict=True)`` with the reason starting "BUG:".
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import Geod
from shapely import box
from shapely.geometry import MultiPolygon, mapping

import words
from cli import main
from geo import io
from geo.crs import area_m2, m2_to_mu
from geo.idle import IDLE_OUTPUT_COLUMNS, classify_idle
from geo.workspace import analyse_idle

ROOT = Path(__file__).resolve().parent.parent
GRS80 = Geod(ellps="GRS80")


# --------------------------------------------------------------------------- spreadsheets and CSV


def test_xlsx_chinese_headers_excel_dates_and_odd_header_spelling(tmp_path):
    # Headers as bureaus type them: full-width parentheses, stray spaces (also inside),
    # an alias (停工日期 is canonical zh; 出让价款 is an alias of land_price_wan).
    path = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["宗地编号", "约定动工日期", "应开发面积（平方米）", " 已开发面积 (平方米) ", "土地 使用权人", "出让价款", "停工日期", "实际动工日期",
               "延迟原因"])  # fmt: skip
    # Row 1: a true Excel date cell; halted given as the serial 45292 (= 2024-01-01, day 0 = 1899-12-30);
    # the holder's own cause recorded (企业原因).
    ws.append(["A1", dt.datetime(2021, 3, 1), 3000, 999, "南宁某公司", 1234.5, 45292, dt.date(2021, 5, 1), "企业原因"])
    # Row 2: a Feb 29 date cell; text date for the halt; no cause recorded.
    ws.append(["A2", dt.date(2024, 2, 29), None, None, "某公司2", None, None, None, None])
    ws["B2"].number_format = "yyyy-mm-dd"
    wb.save(path)
    loaded = io.read_parcels(path)
    df = loaded.gdf
    assert [p for p in loaded.problems if p.severity == "error"] == []
    assert df["parcel_id"].tolist() == ["A1", "A2"]
    assert df["agreed_start_date"].tolist() == [pd.Timestamp("2021-03-01"), pd.Timestamp("2024-02-29")]
    assert df.loc[0, "halted_since"] == pd.Timestamp("2024-01-01")
    assert df.loc[0, "area_due_m2"] == 3000.0 and df.loc[0, "developed_area_m2"] == 999.0
    assert df.loc[0, "holder"] == "南宁某公司" and df.loc[0, "land_price_wan"] == 1234.5
    # Row 1 halted 2024-01-01, 999/3000 < 1/3 -> idle since 2025-01-01, fee 20 % × 1234.5 = 246.9.
    # Row 2 agreed 2024-02-29, not started -> idle since 2025-02-28; no cause recorded -> suspected
    # (issue 10: the cause is established by the investigation), no fee.
    out = classify_idle(df, as_of="2025-06-01")
    assert out["idle_status"].tolist() == ["idle_fee", "idle_suspected"]
    assert out.loc[0, "fee_wan"] == pytest.approx(246.9)
    assert out.loc[1, "idle_since"] == pd.Timestamp("2025-02-28")


def test_gbk_csv_with_chinese_dates_and_cause_labels(tmp_path):
    # Saved by Excel on a Chinese Windows machine: GBK, Chinese date forms, a cause label.
    text = (
        "宗地编号,约定动工日期,土地使用权人,延迟原因,土地出让价款（万元）\n"
        "Z-1,2021年3月1日,广西桂林某某科技有限公司,规划修改,500\n"
        "Z-2,2023/3/1,柳州某厂,,80\n"
    )
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    loaded = io.read_parcels(path)
    df = loaded.gdf
    assert df["holder"].tolist() == ["广西桂林某某科技有限公司", "柳州某厂"]
    assert df["agreed_start_date"].tolist() == [pd.Timestamp("2021-03-01"), pd.Timestamp("2023-03-01")]
    assert df["delay_cause"].iloc[0] == "plan_revised"
    assert df["land_price_wan"].tolist() == [500.0, 80.0]
    # Z-1: idle since 2022-03-01 with a government cause -> exempt. Z-2: agreed 2023-03-01,
    # 1 year 2024-03-01, 2 years 2025-03-01 <= 2025-06-01, no cause recorded -> suspected, and
    # recovery would follow were the cause the holder's.
    out = classify_idle(df, as_of="2025-06-01")
    assert out["idle_status"].tolist() == ["idle_exempt", "idle_suspected"]
    assert out["status_if_holder"].iloc[1] == "idle_recover"


# --------------------------------------------------------------------------- CRS of files without one


def _geojson_without_crs(path: Path, geom) -> Path:
    fc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"宗地编号": "G1"}, "geometry": mapping(geom)}],
    }
    path.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    return path


def test_geojson_with_unprefixed_gk_metres_is_ambiguous_and_refused(tmp_path):
    # Eastings 500 000 fit zones 4544, 4545 and 4546 alike (domain.md §8): infer nothing, ask.
    path = _geojson_without_crs(tmp_path / "m.geojson", box(500_000, 2_500_000, 500_100, 2_500_100))
    with pytest.raises(io.DataError) as exc:
        io.read_parcels(path)
    assert exc.value.code == "crs_missing" and exc.value.params["basis"] == "gk_zone_ambiguous"
    loaded = io.read_parcels(path, crs="EPSG:4545")
    assert loaded.gdf.crs.to_epsg() == 4545
    assert m2_to_mu(area_m2(loaded.gdf)).iloc[0] == pytest.approx(15.0, abs=1e-9)


def test_geojson_with_zone_prefixed_eastings_is_inferred_and_reported(tmp_path):
    # 36 500 000: zone 36 (CM 108°E) with the zone number prefixed -> EPSG:4524; the 100 m
    # square is measured in that zone: 10 000 m² = 15 亩.
    path = _geojson_without_crs(tmp_path / "p.geojson", box(36_500_000, 2_500_000, 36_500_100, 2_500_100))
    loaded = io.read_parcels(path)
    assert loaded.gdf.crs.to_epsg() == 4524
    assert loaded.crs_note[0] == {"code": "crs_inferred", "epsg": 4524, "basis": "gk_zone_prefix"}
    assert any(
        p.severity == "warning" and p.code == "crs_inferred" and p.args["epsg"] == 4524 for p in loaded.problems
    )
    assert m2_to_mu(area_m2(loaded.gdf)).iloc[0] == pytest.approx(15.0, abs=1e-6)


# --------------------------------------------------------------------------- zipped shapefile with .cpg


def test_zipped_shapefile_cpg_gbk_wins_and_cut_names_map(tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    g = gpd.GeoDataFrame(
        {
            "宗地编号": ["甲1"],  # 8 bytes in GBK: fits the 10-byte DBF limit
            "约定动工日期": ["2023-03-01"],  # 12 bytes: GDAL cuts it to 约定动工日
            "土地使用权人": ["广西某某有限公司"],
            "延迟原因": ["军事管制或文物保护"],
            "出让价款": [800.0],
        },
        geometry=[box(500_000, 2_500_000, 500_100, 2_500_100)],
        crs=4545,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL warns about the cut field names
        pyogrio.write_dataframe(g, folder / "parcels.shp", encoding="GBK")
    assert (folder / "parcels.cpg").read_text().strip().upper() == "GBK"
    zpath = tmp_path / "parcels.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for p in folder.iterdir():
            zf.write(p, p.name)
    # The caller says UTF-8, but the .cpg says GBK: the .cpg wins (issue 2 §3).
    loaded = io.read_parcels(zpath, encoding="UTF-8")
    row = loaded.gdf.iloc[0]
    assert row["parcel_id"] == "甲1"
    assert row["holder"] == "广西某某有限公司"
    assert row["agreed_start_date"] == pd.Timestamp("2023-03-01")
    assert row["delay_cause"] == "military_or_relics"
    assert {"code": "dbf_encoding", "encoding": "GBK", "found_by": "cpg"} in loaded.crs_note
    # Agreed 2023-03-01, 2 years on 2025-03-01, cause military/relics -> exempt, not recovered.
    assert classify_idle(loaded.gdf, as_of="2025-06-01")["idle_status"].iloc[0] == "idle_exempt"


# --------------------------------------------------------------------------- areas in 亩


def _true_square_deg(lon: float, lat: float, zone_epsg: int) -> gpd.GeoDataFrame:
    """A 100 m × 100 m square laid out in its own GK zone, handed over in CGCS2000 degrees."""
    c = gpd.GeoSeries.from_xy([lon], [lat], crs=4490).to_crs(zone_epsg)
    x, y = float(c.x.iloc[0]), float(c.y.iloc[0])
    sq = gpd.GeoDataFrame(geometry=[box(x - 50, y - 50, x + 50, y + 50)], crs=zone_epsg)
    return sq.to_crs(4490)


@pytest.mark.parametrize(("lon", "zone"), [(108.0, 4545), (111.9, 4546)])
def test_100m_square_is_15_mu_in_degrees(lon, zone):
    sq = _true_square_deg(lon, 23.0, zone)
    mu = m2_to_mu(area_m2(sq)).iloc[0]
    # Outside oracle: geodesic area on GRS80 of the same degree polygon. At 111.9°E the GK
    # scale (0.9° off CM 111) inflates areas by ~2e-4 (2 m² = 0.003 亩): within 0.01 亩.
    lons, lats = sq.geometry.iloc[0].exterior.coords.xy
    geodesic_mu = abs(GRS80.polygon_area_perimeter(lons, lats)[0]) / (10_000 / 15)
    assert mu == pytest.approx(15.0, abs=0.01)
    assert mu == pytest.approx(geodesic_mu, abs=0.01)


def test_100m_square_at_108_in_zone_metres_is_exactly_15_mu():
    sq = gpd.GeoSeries([box(500_000, 2_500_000, 500_100, 2_500_100)], crs=4545)
    assert m2_to_mu(area_m2(sq)).iloc[0] == pytest.approx(15.0, abs=1e-9)


def test_projected_data_are_measured_in_their_own_crs():
    # Decision: a file's declared metric CRS is the user's authority (surveyed data); it is not
    # silently re-measured in another zone. A true 100 m square at 111.9°E handed in EPSG:4545
    # (3.9° off the meridian) therefore reads 0.37 % large; reprojecting it to EPSG:4546 fixes it.
    sq = _true_square_deg(111.9, 23.0, 4546)
    assert m2_to_mu(area_m2(sq)).iloc[0] == pytest.approx(15.0, abs=0.01)
    in_4545 = sq.to_crs(4545)
    assert area_m2(in_4545).iloc[0] == pytest.approx(in_4545.area.iloc[0])


def test_multipolygon_parcel_area_sums_parts():
    # Parts 100 × 100 and 100 × 50: 10 000 + 5 000 = 15 000 m² = 22.5 亩, in metres and in degrees.
    mp = MultiPolygon([box(500_000, 2_500_000, 500_100, 2_500_100), box(500_200, 2_500_000, 500_300, 2_500_050)])
    gdf = gpd.GeoDataFrame({"parcel_id": ["M1"]}, geometry=[mp], crs=4545)
    assert m2_to_mu(area_m2(gdf)).iloc[0] == pytest.approx(22.5, abs=1e-9)
    assert m2_to_mu(area_m2(gdf.to_crs(4490))).iloc[0] == pytest.approx(22.5, abs=0.01)
    out = analyse_idle(gdf.assign(agreed_start_date="2024-03-01"), as_of="2025-03-01")
    assert out["area_mu"].iloc[0] == pytest.approx(22.5, abs=1e-9)
    assert out["idle_status"].iloc[0] == "idle_suspected"  # no cause recorded


# --------------------------------------------------------------------------- the idle CLI

#: A point well inside the 南宁 park polygon, in EPSG:4545 metres (from data/parks.geojson).
NANNING_X, NANNING_Y = 530_000.0, 2_527_000.0


@pytest.fixture
def cli_parcels(tmp_path) -> Path:
    x, y = NANNING_X, NANNING_Y
    g = gpd.GeoDataFrame(
        {
            "parcel_id": ["P1", "P2", "P3", "P4"],
            "agreed_start_date": ["2023-01-01", "2024-01-01", "2026-01-01", "2024-01-01"],
            "land_price_wan": [1000.0, 500.0, 100.0, 300.0],
            "delay_cause": ["使用权人原因"] * 4,  # established as the holder's: fee and recovery apply
            "备注": ["甲", "乙", "丙", "丁"],
        },
        geometry=[
            box(x, y, x + 100, y + 100),  # 15 亩
            box(x + 200, y, x + 300, y + 100),  # 15 亩
            box(x + 400, y, x + 500, y + 150),  # 22.5 亩
            box(200_000, 2_300_000, 200_100, 2_300_100),  # 15 亩, outside every park
        ],
        crs=4545,
    )
    path = tmp_path / "parcels.gpkg"
    g.to_file(path)
    return path


def test_cli_output_keeps_every_input_column_and_summary_totals(cli_parcels, tmp_path, capsys):
    out = tmp_path / "idle.csv"
    argv = ["idle", str(cli_parcels), "--as-of", "2025-06-01", "-o", str(out), "--codes", "--columns", "all"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    df = pd.read_csv(out, encoding="utf-8-sig")
    for col in ("parcel_id", "agreed_start_date", "land_price_wan", "备注", *IDLE_OUTPUT_COLUMNS):
        assert col in df.columns, col
    assert df["备注"].tolist() == ["甲", "乙", "丙", "丁"]
    # As of 2025-06-01: P1 agreed 2023-01-01 -> recovery since 2025-01-01; P2 and P4 agreed
    # 2024-01-01 -> fee 100 and 60; P3 agreed 2026-01-01 -> not_due.
    assert df["idle_status"].tolist() == ["idle_recover", "idle_fee", "not_due", "idle_fee"]
    assert df["fee_wan"].fillna(0).tolist() == pytest.approx([0.0, 100.0, 0.0, 60.0])
    rows = [ln.split() for ln in printed.splitlines() if ln.strip()]
    lines = {r[0]: r[1:] for r in rows}
    # Summary by status: idle_fee 2 parcels, 30 亩, 160 万元; total 4 parcels, 67.5 亩, 160 万元.
    assert lines[words.label("idle_status", "idle_fee")] == ["2", "30.00", "160.00"]
    status_total = next(r for r in rows if r[0] == "合计")
    assert status_total[1:] == ["4", "67.50", "160.00"]
    # The parcel outside every park is kept and counted (issue 2: empty park_id, in the summary).
    assert df["park_id"].isna().sum() == 1
    assert lines["南宁高新技术产业开发区"][-6:] == ["3", "52.50", "2", "30.00", "0", "100.00"]
    outside = next(ln.split() for ln in printed.splitlines() if ln.strip().startswith("未归属园区"))
    # Outside: 1 parcel, 15 亩, idle (P4, fee stage) 1 parcel 15 亩, fee 60.
    assert outside[-6:] == ["1", "15.00", "1", "15.00", "0", "60.00"]
    # Park table total: 4 parcels, 67.5 亩, idle P1 + P2 + P4 = 3 parcels 45 亩, fees 160.
    assert lines["合计"][-6:] == ["4", "67.50", "3", "45.00", "0", "160.00"]


def test_cli_chinese_headers_keep_unknown_input_columns(cli_parcels, tmp_path):
    out = tmp_path / "idle.xlsx"
    assert main(["idle", str(cli_parcels), "--as-of", "2025-06-01", "-o", str(out), "--columns", "all"]) == 0
    df = pd.read_excel(out)
    for col in ("宗地编号", "约定动工日期", "土地出让价款(万元)", "备注", "闲置状态", "闲置费(万元)", "面积(亩)"):
        assert col in df.columns, col


def test_cli_warning_days_override_moves_the_edge(tmp_path, capsys):
    # Agreed 2024-01-01, mark 2025-01-01; as of 2024-10-02 the mark is 91 days away:
    # no warning at the default 90, a warning with --warning-days 91.
    x, y = NANNING_X, NANNING_Y
    path = tmp_path / "w.gpkg"
    gpd.GeoDataFrame(
        {"parcel_id": ["W"], "agreed_start_date": ["2024-01-01"]}, geometry=[box(x, y, x + 100, y + 100)], crs=4545
    ).to_file(path)
    out = tmp_path / "w.csv"
    for extra, warn in (([], False), (["--warning-days", "91"], True)):
        assert main(["idle", str(path), "--as-of", "2024-10-02", "-o", str(out), "--codes", *extra]) == 0
        row = pd.read_csv(out, encoding="utf-8-sig").iloc[0]
        assert row["idle_status"] == "overdue"
        assert bool(row["warning"]) is warn
    capsys.readouterr()


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", "idle", *args],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
    )


def _assert_one_line_exit_2(proc: subprocess.CompletedProcess, *words: str, lang: str = "zh") -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("错误：" if lang == "zh" else "error: ")
    for w in words:
        assert w in lines[0]


def test_cli_missing_file(tmp_path):
    _assert_one_line_exit_2(
        _run_cli(str(tmp_path / "nope.gpkg"), "--as-of", "2025-06-01", "-o", str(tmp_path / "o.csv")),
        "nope.gpkg", "找不到文件",
    )


def test_cli_file_without_crs(tmp_path):
    g = gpd.GeoDataFrame({"parcel_id": ["N1"]}, geometry=[box(500_000, 2_500_000, 500_100, 2_500_100)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio warns that no CRS is written: that is the point
        g.to_file(tmp_path / "noprj.shp")
    assert not (tmp_path / "noprj.prj").exists()
    # The command line's own fix: --crs (the web page names its field instead).
    _assert_one_line_exit_2(
        _run_cli(str(tmp_path / "noprj.shp"), "--as-of", "2025-06-01", "-o", str(tmp_path / "o.csv")),
        "noprj.shp", "没有坐标系", "--crs", "EPSG:4545",
    )
    _assert_one_line_exit_2(
        _run_cli(str(tmp_path / "noprj.shp"), "--as-of", "2025-06-01", "-o", str(tmp_path / "o.csv"), "--lang", "en"),
        "noprj.shp", "no coordinate system", "--crs", lang="en",
    )


def test_cli_unknown_extension(tmp_path):
    path = tmp_path / "parcels.dwg"
    path.write_bytes(b"AC1027")
    _assert_one_line_exit_2(
        _run_cli(str(path), "--as-of", "2025-06-01", "-o", str(tmp_path / "o.csv")), "parcels.dwg", "“.dwg”", ".gpkg"
    )


def test_cli_attribute_table_without_geometry_does_not_crash(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("宗地编号,约定动工日期,土地出让价款(万元),延迟原因\nT1,2024-01-01,100,企业原因\n", encoding="utf-8")
    proc = _run_cli(str(path), "--as-of", "2025-06-01", "-o", str(tmp_path / "o.csv"), "--codes")
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 2)
    if proc.returncode == 0:
        # Agreed 2024-01-01 -> idle since 2025-01-01, fee 20 % × 100 = 20.
        df = pd.read_csv(tmp_path / "o.csv", encoding="utf-8-sig")
        assert df["idle_status"].tolist() == ["idle_fee"]
        assert df["fee_wan"].tolist() == pytest.approx([20.0])
    else:
        assert len(proc.stderr.strip().splitlines()) == 1


def test_shapely_is_the_geometry_engine():
    # Guard for the arithmetic above: shapely.box areas are exact.
    assert shapely.area(box(0, 0, 100, 100)) == 10_000.0
