"""Exports as people read them (reports.tables): labels, units, dates, Beijing time, text-only cells."""

from __future__ import annotations

import csv

import numpy as np
import openpyxl
import pandas as pd
import pytest

from reports import tables

PARKS = pd.DataFrame({"park_id": ["nanning"], "name_zh": ["南宁高新区"], "name_en": ["Nanning"]})


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "parcel_id": ["=HYPERLINK(\"http://x\")", "ZD-2"],
            "park_id": ["nanning", "nanning"],
            "holder": ["+86 公司", "@甲公司"],
            "land_use": ["industrial", None],
            "area_mu": [1.234567891234, np.nan],
            "agreed_start_date": pd.to_datetime(["2024-03-01", None]),
            "warning": [True, False],
            "decided_at": ["2026-11-25T02:05:09+00:00", None],
            "missing_fields": ["halted_since,area_due_m2", None],
            "fee_wan": [12.3456, -1.0],
        }
    )


def test_present_zh_labels_units_dates_and_beijing_time():
    out = tables.present(_frame(), parks=PARKS, columns="all")
    assert list(out.columns)[:5] == ["宗地编号", "园区名称", "土地使用权人", "土地用途", "面积(亩)"]
    assert out.loc[0, "园区名称"] == "南宁高新区"
    assert out.loc[0, "土地用途"] == "工业用地"
    assert out.loc[0, "面积(亩)"] == 1.23
    assert out.loc[0, "临近预警"] == "是" and out.loc[1, "临近预警"] == "否"
    # 02:05 UTC is 10:05 in Beijing.
    assert out.loc[0, "核查时间(北京时间)"] == pd.Timestamp("2026-11-25 10:05")
    assert out.loc[0, "缺失字段"] == "停工日期、应开发面积"


def test_present_en():
    out = tables.present(_frame(), parks=PARKS, columns="all", lang="en")
    assert out.loc[0, "Park"] == "Nanning"
    assert out.loc[0, "Land use"] == "Industrial"
    assert out.loc[1, "Early warning"] == "No"


def test_codes_keep_canonical_names_and_values():
    out = tables.present(_frame(), parks=PARKS, columns="all", codes=True)
    assert list(out.columns) == list(_frame().columns)
    assert out.loc[0, "park_id"] == "nanning" and out.loc[0, "land_use"] == "industrial"
    assert out.loc[0, "decided_at"] == "2026-11-25T10:05:09+08:00"
    assert out.loc[0, "agreed_start_date"] == "2024-03-01"


def test_xlsx_text_cells_are_never_formulas(tmp_path):
    path = tables.write(_frame(), tmp_path / "x.xlsx", parks=PARKS, table="idle", columns=["fee_wan"])
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "闲置土地"
    head = [c.value for c in ws[1]]
    assert head[0] == "宗地编号" and "闲置费(万元)" in head
    row = {h: c for h, c in zip(head, ws[2], strict=True)}
    assert row["宗地编号"].data_type == "s" and row["宗地编号"].value.startswith("=HYPERLINK")
    assert row["土地使用权人"].data_type == "s"
    assert row["约定动工日期"].number_format == "yyyy-mm-dd"
    assert row["核查时间(北京时间)"].value.hour == 10
    assert row["闲置费(万元)"].value == 12.35
    # One header row only; the second row is data.
    assert ws.max_row == 3


def test_csv_neutralises_formulas_and_keeps_negative_numbers(tmp_path):
    path = tables.write(_frame(), tmp_path / "x.csv", parks=PARKS, columns="all")
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][2] == "'+86 公司" and rows[2][2] == "'@甲公司"
    assert rows[2][-1] == "-1.0"  # a number, not text: stays as it is
    assert "2026-11-25 10:05" in rows[1] and "00:00:00" not in text


def test_unknown_extra_column_is_refused_in_words():
    with pytest.raises(KeyError, match="没有这些列"):
        tables.present(_frame(), table="idle", columns=["no_such"])


def test_excel_sheet_split_past_the_row_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(tables, "EXCEL_MAX_ROWS", 4)
    df = pd.DataFrame({"parcel_id": [f"P{i}" for i in range(7)]})
    tables.write_xlsx({"闲置土地": df}, tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert wb.sheetnames == ["闲置土地", "闲置土地 (2)", "闲置土地 (3)"]
    assert [wb[n].max_row for n in wb.sheetnames] == [4, 4, 2]


def test_short_dbf_names_fit_ten_bytes_and_stay_unique():
    cols = ["宗地编号", "土地使用权人", "土地使用权人甲", "agreed_start_date", "agreed_start_time", "面积(亩)"]
    names = tables.short_names(cols)
    assert all(len(n.encode("utf-8")) <= 10 for n in names.values())
    assert len({n.casefold() for n in names.values()}) == len(cols)
    assert names["宗地编号"] == "宗地编"  # 9 bytes: a fourth character would make 12


def test_zipped_shapefile_round_trip_with_codes(sample_workspace, tmp_path):
    import zipfile

    from geo import io as gio

    parks = gio.read_parks(sample_workspace / "parks.geojson")
    src = gio.read_parcels(sample_workspace / "parcels.gpkg", parks=parks).gdf.head(300)
    cols = ["parcel_id", "park_id", "land_use", "holder", "agreed_start_date", "land_price_wan"]
    path = tables.write(src[[*cols, "geometry"]], tmp_path / "out.zip", codes=True, columns="all")
    with zipfile.ZipFile(path) as zf:
        members = zf.namelist()
    assert any(m.endswith(".cpg") for m in members) and any(m.endswith(".csv") for m in members)
    back = gio.read_parcels(path, parks=parks).gdf
    assert list(back["parcel_id"]) == list(src["parcel_id"])
    for col in ("park_id", "land_use", "holder"):
        assert back[col].fillna("").tolist() == src[col].fillna("").tolist(), col
    assert (back["agreed_start_date"].fillna(pd.Timestamp(0)) == src["agreed_start_date"].fillna(pd.Timestamp(0))).all()
    np.testing.assert_allclose(back["land_price_wan"].to_numpy(float), src["land_price_wan"].round(2).to_numpy(float))
    from geo.crs import area_m2

    np.testing.assert_allclose(area_m2(back).to_numpy(float), area_m2(src).to_numpy(float), rtol=1e-6)
