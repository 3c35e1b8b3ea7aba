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
    src = gio.read_parcels(sample_workspace / "parcels.parquet", parks=parks).gdf.head(300)
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


# --------------------------------------------------------------------------- formula injection, every path

HOSTILE = ('=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1")


def _hostile_parcels(sample_workspace, n: int = 60):
    from geo import io as gio

    parks = gio.read_parks(sample_workspace / "parks.geojson")
    gdf = gio.read_parcels(sample_workspace / "parcels.parquet", parks=parks).gdf.head(n).copy()
    gdf["holder"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(gdf))]
    return gdf, parks


def _hostile_parks(parks):
    out = parks.copy()
    out["name_zh"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(out))]
    return out


def _assert_xlsx_safe(blob: bytes, *, expect: int = 1) -> None:
    import io as _io

    wb = openpyxl.load_workbook(_io.BytesIO(blob))
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value in HOSTILE:
                    assert c.data_type == "s"
                    seen += 1
    assert seen >= expect, "the hostile text did not reach the workbook"


def _assert_csv_safe(blob: bytes, *, expect: int = 1) -> None:
    import io as _io

    text = blob.decode("utf-8-sig")
    seen = 0
    for row in csv.reader(_io.StringIO(text, newline="")):
        for cell in row:
            assert not cell.startswith(tables._FORMULA_START) or _is_number(cell), repr(cell)
            if cell.startswith("'") and cell[1:] in HOSTILE:
                seen += 1
    assert seen >= expect, "the hostile text did not reach the CSV"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _bytes(df, ext, tmp_path, **kw) -> bytes:
    return tables.write(df, tmp_path / f"t{ext}", **kw).read_bytes()


@pytest.mark.parametrize("codes", [False, True])
def test_idle_exports_keep_hostile_holders_as_text(sample_workspace, tmp_path, codes):
    from datetime import date

    from geo import workspace

    gdf, parks = _hostile_parcels(sample_workspace)
    idle = workspace.analyse_idle(gdf, as_of=date(2026, 11, 25))
    for geometry in (None, "wkt"):
        _assert_xlsx_safe(_bytes(idle, ".xlsx", tmp_path, table="idle", parks=parks, codes=codes, geometry=geometry))
        _assert_csv_safe(_bytes(idle, ".csv", tmp_path, table="idle", parks=parks, codes=codes, geometry=geometry))
    # The page's own list (views.idle.list_display) goes through the same writer.
    shown = tables.present(idle, parks=parks, table="idle")
    _assert_xlsx_safe(tables.export_bytes(shown, ".xlsx"))
    _assert_csv_safe(tables.export_bytes(shown, ".csv"))


def test_intensity_and_grade_exports_keep_hostile_holders_as_text(sample_workspace, tmp_path):
    from geo.grading import grade
    from geo.intensity import check_compliance, parcel_metrics
    from views import analysis
    from views import intensity as page

    gdf, parks = _hostile_parcels(sample_workspace)
    m = parcel_metrics(gdf)
    comp = check_compliance(gdf, parks=parks, metrics=m)
    g = grade(gdf)
    res = analysis.join_results(gdf, m, comp, g)
    shown = page.export_frame(res, lang="zh", parks=parks)
    rows = page.settings_rows(comp.attrs["rules"], g.attrs["settings"], {})
    _assert_xlsx_safe(page.excel_with_settings(shown.drop(columns=shown.geometry.name), rows, lang_code="zh"))
    _assert_csv_safe(tables.export_bytes(shown, ".csv"))
    for table in ("intensity", "grades"):
        _assert_xlsx_safe(_bytes(res, ".xlsx", tmp_path, table=table, parks=parks))
        _assert_csv_safe(_bytes(res, ".csv", tmp_path, table=table, parks=parks))
        _assert_xlsx_safe(_bytes(res, ".xlsx", tmp_path, table=table, codes=True))
        _assert_csv_safe(_bytes(res, ".csv", tmp_path, table=table, codes=True))


def test_evaluation_exports_keep_hostile_park_names_as_text(sample_workspace, tmp_path):
    from geo.evaluation import evaluate_parks
    from reports import evaluation_tables as et

    gdf, parks = _hostile_parcels(sample_workspace, n=400)
    hostile = _hostile_parks(parks)
    ev = evaluate_parks(hostile, gdf, as_of="2026-11-25")
    ids = list(ev.table["park_id"])
    _assert_xlsx_safe(et.excel_bytes(ev, ids, lang="zh"), expect=len(HOSTILE))
    frame = et.evaluation_frame(ev, ids, lang="zh")
    _assert_csv_safe(tables.export_bytes(frame, ".csv"), expect=len(HOSTILE))
    _assert_csv_safe(tables.csv_bytes(et.export_tables(ev, ids, lang="zh")["evaluation"]), expect=len(HOSTILE))
    _assert_xlsx_safe(et.write_codes(ev, tmp_path / "codes.xlsx").read_bytes(), expect=len(HOSTILE))
    _assert_csv_safe(et.write_codes(ev, tmp_path / "codes.csv").read_bytes(), expect=len(HOSTILE))


def test_cli_evaluate_csv_keeps_hostile_park_names_as_text(sample_workspace, tmp_path):
    import cli
    from geo import io as gio

    hostile = _hostile_parks(gio.read_parks(sample_workspace / "parks.geojson"))
    parks_path = tmp_path / "parks.geojson"
    gio.write_table(hostile, parks_path)
    for name, extra in (("p.csv", []), ("c.csv", ["--codes"]), ("p.xlsx", []), ("c.xlsx", ["--codes"])):
        out = tmp_path / name
        assert cli.main(["evaluate", "--parks", str(parks_path), "--parcels", str(sample_workspace / "parcels.parquet"),
                         "--as-of", "2026-11-25", "-o", str(out), *extra]) == 0
        check = _assert_csv_safe if name.endswith(".csv") else _assert_xlsx_safe
        check(out.read_bytes(), expect=len(HOSTILE))


def test_eco_exports_keep_hostile_park_names_as_text(sample_workspace):
    from geo import io as gio
    from views import eco

    hostile = _hostile_parks(gio.read_parks(sample_workspace / "parks.geojson"))
    _assert_xlsx_safe(eco.excel_bytes(hostile, as_of_year=2026, lang="zh"), expect=len(HOSTILE))
    frame = eco.checks_frame(hostile, lang="zh")
    _assert_csv_safe(tables.export_bytes(frame, ".csv"), expect=len(HOSTILE))


def test_headers_and_field_table_are_text_too(tmp_path):
    import io as _io
    import zipfile

    import geopandas as gpd
    from shapely import box

    df = gpd.GeoDataFrame({"=cmd": ["x"], "parcel_id": ["@A"]}, geometry=[box(0, 0, 1, 1)], crs=4547)
    ws = openpyxl.load_workbook(_io.BytesIO(tables.export_bytes(df, ".xlsx"))).active
    assert [c.data_type for c in ws[1]] == ["s", "s"] and ws["A1"].value == "=cmd"
    assert tables.export_bytes(df, ".csv").decode("utf-8-sig").splitlines()[0] == "'=cmd,parcel_id"
    with zipfile.ZipFile(_io.BytesIO(tables.export_bytes(df, ".zip"))) as zf:
        table = next(n for n in zf.namelist() if n.endswith(".csv"))
        assert "'=cmd" in zf.read(table).decode("utf-8-sig")


def test_long_text_past_excels_cell_limit_is_refused_in_words(monkeypatch):
    monkeypatch.setattr(tables, "EXCEL_MAX_CELL_CHARS", 5)
    with pytest.raises(ValueError, match="Excel 单元格上限"):
        tables.xlsx_bytes({"s": pd.DataFrame({"a": ["123456"]})})


def test_download_words_exist_in_both_languages():
    import words
    from views import exports

    keys = [label for _, label in exports.FORMATS.values()] + ["dl_heading", "dl_help"]
    for key in keys:
        for lg in ("zh", "en"):
            assert words.has_label("ui", key, lg), (key, lg)
    assert all(words.has_text("export_cell_too_long", lg) for lg in ("zh", "en"))
    assert exports.file_name("闲置土地", ".xlsx", "2026-11-25") == "闲置土地_2026-11-25.xlsx"
    assert exports.file_name('a/b:c*?"<>| d', ".csv") == "a_b_c_d.csv"
