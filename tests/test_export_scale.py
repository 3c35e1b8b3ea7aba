"""
Big exports in slices (reports.tables.write to .xlsx/.csv): the same file as written in one
piece, sheets past Excel's row limit, the BOM and the header once, no formula in any slice.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

import cli
import words
from reports import tables

PARKS = pd.DataFrame({"park_id": ["nanning"], "name_zh": ["南宁高新区"], "name_en": ["Nanning"]})
N = 11


def _frame(n: int = N) -> pd.DataFrame:
    """Every kind of column present() reads, formula-like texts spread over every slice."""
    i = np.arange(n)
    starts = ["=HYPERLINK(\"http://x\")", "+86 公司", "-1", "@甲", "\t制表", "普通公司"]
    notes = [[{"code": "park_missing"}], None, [], [{"code": "not_graded_land_use", "land_use": "residential"}]]
    return pd.DataFrame({
        "parcel_id": [f"=ZD-{k}" if k % 2 else f"ZD-{k}" for k in i],
        "park_id": ["nanning" if k % 3 else None for k in i],
        "holder": [starts[k % len(starts)] for k in i],
        "land_use": [["industrial", None, "residential"][k % 3] for k in i],
        "area_mu": [1.234567 * k if k % 4 else np.nan for k in i],
        "agreed_start_date": pd.to_datetime([f"2024-03-{1 + k % 28:02d}" if k % 5 else None for k in i]),
        "warning": [bool(k % 2) for k in i],
        # midnight in Beijing at first, a time of day only in the last rows: one kind on every sheet
        "decided_at": [None if k % 4 == 1 else
                       ("2026-11-24T16:00:00+00:00" if k < n - 2 else "2026-11-25T02:05:09+00:00") for k in i],
        "grade_notes": [notes[k % len(notes)] for k in i],
        "fee_wan": [12.3456 * k - 3 for k in i],
    })


def _cells(path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows()]
            for ws in wb.worksheets}


@pytest.mark.parametrize("codes", [False, True])
def test_sliced_csv_is_byte_identical(tmp_path, monkeypatch, codes):
    whole = tables.write(_frame(), tmp_path / "whole.csv", parks=PARKS, columns="all", codes=codes).read_bytes()
    monkeypatch.setattr(tables, "EXPORT_CHUNK_ROWS", 3)
    sliced = tables.write(_frame(), tmp_path / "sliced.csv", parks=PARKS, columns="all", codes=codes).read_bytes()
    assert sliced == whole
    assert whole.count(b"\xef\xbb\xbf") == 1 and whole.startswith(b"\xef\xbb\xbf")
    text = whole.decode("utf-8-sig")
    assert text.count("宗地编号" if not codes else "parcel_id") == 1  # the header once
    assert len(text.split("\r\n")) == N + 2  # header, rows, the final line break


def test_sliced_xlsx_is_cell_identical(tmp_path, monkeypatch):
    whole = _cells(tables.write(_frame(), tmp_path / "whole.xlsx", parks=PARKS, columns="all"))
    monkeypatch.setattr(tables, "EXPORT_CHUNK_ROWS", 2)
    sliced = _cells(tables.write(_frame(), tmp_path / "sliced.xlsx", parks=PARKS, columns="all"))
    assert sliced == whole
    rows = whole[tables.sheet_name(None, "zh")]
    assert len(rows) == N + 1
    head = [v for v, _, _ in rows[0]]
    moment = head.index(words.header("decided_at", "zh"))
    assert {fmt for row in rows[1:] for v, _, fmt in [row[moment]] if v is not None} == {"yyyy-mm-dd hh:mm"}


def test_sliced_xlsx_same_column_widths(tmp_path, monkeypatch):
    whole = openpyxl.load_workbook(tables.write(_frame(), tmp_path / "w.xlsx", parks=PARKS, columns="all")).active
    monkeypatch.setattr(tables, "EXPORT_CHUNK_ROWS", 1)
    sliced = openpyxl.load_workbook(tables.write(_frame(), tmp_path / "s.xlsx", parks=PARKS, columns="all")).active
    assert {k: d.width for k, d in sliced.column_dimensions.items()} == \
        {k: d.width for k, d in whole.column_dimensions.items()}


def test_sheets_split_past_the_row_limit(tmp_path, monkeypatch):
    full = _cells(tables.write(_frame(), tmp_path / "one.xlsx", parks=PARKS, columns="all"))
    (name, rows), = full.items()
    monkeypatch.setattr(tables, "EXCEL_MAX_ROWS", 5)  # 4 data rows a sheet
    monkeypatch.setattr(tables, "EXPORT_CHUNK_ROWS", 3)  # slices straddle the sheets
    split = _cells(tables.write(_frame(), tmp_path / "split.xlsx", parks=PARKS, columns="all"))
    assert list(split) == [name, f"{name} (2)", f"{name} (3)"] == tables.xlsx_sheet_titles(name, N)
    assert [len(r) for r in split.values()] == [5, 5, 4]
    assert all(r[0] == rows[0] for r in split.values())  # the header on every sheet
    assert [row for r in split.values() for row in r[1:]] == rows[1:]


def test_no_formula_in_any_slice_or_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "EXCEL_MAX_ROWS", 4)
    monkeypatch.setattr(tables, "EXPORT_CHUNK_ROWS", 2)
    wb = openpyxl.load_workbook(tables.write(_frame(), tmp_path / "x.xlsx", parks=PARKS, columns="all"))
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in texts if c.value.startswith(("=", "+", "-", "@", "\t"))]
    assert len(wb.worksheets) == 4 and len(risky) >= 2 * len(wb.worksheets)
    assert all(c.data_type == "s" for c in risky)
    raw = tables.write(_frame(), tmp_path / "x.csv", parks=PARKS, columns="all").read_bytes().decode("utf-8-sig")
    cells = [cell for line in raw.split("\r\n")[1:] if line for cell in line.split(",")]
    assert not [c for c in cells if c.strip('"').startswith(("=", "+", "@", "\t"))]
    # every =ZD-… (odd rows) and every =HYPERLINK holder (one row in six), whichever slice
    assert sum(c.strip('"').startswith("'=") for c in cells) == N // 2 + len(range(0, N, 6))


def test_too_long_a_cell_in_a_late_slice_leaves_no_file(tmp_path, monkeypatch):
    df = _frame()
    df.loc[N - 1, "holder"] = "长" * (tables.EXCEL_MAX_CELL_CHARS + 1)
    monkeypatch.setattr(tables, "EXPORT_CHUNK_ROWS", 2)
    out = tmp_path / "x.xlsx"
    with pytest.raises(ValueError, match="Excel 单元格上限"):
        tables.write(df, out, parks=PARKS, columns="all")
    assert list(tmp_path.iterdir()) == []


def test_cli_says_on_stderr_when_sheets_split(tmp_path, monkeypatch, capsys):
    from geo import sample

    paths = sample.write_sample(tmp_path / "ws", n=200, seed=7)
    monkeypatch.setattr(tables, "EXCEL_MAX_ROWS", 101)
    monkeypatch.setattr(tables, "EXPORT_CHUNK_ROWS", 64)
    out = tmp_path / "grades.xlsx"
    assert cli.main(["grade", str(paths["parcels"]), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    name = tables.sheet_name("grades", "zh")
    assert "已分 2 个工作表写入" in err and f"{name}、{name} (2)" in err
    assert openpyxl.load_workbook(out, read_only=True).sheetnames == [name, f"{name} (2)"]


def test_split_message_in_both_languages():
    for lang in ("zh", "en"):
        assert words.has_text("export_sheets_split", lang)


def test_sliced_csv_of_an_empty_table_has_the_header(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "EXPORT_CHUNK_ROWS", 2)
    raw = tables.write(_frame().iloc[:0], tmp_path / "e.csv", parks=PARKS, columns="all").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").count("\r\n") == 1
    assert raw.decode("utf-8-sig").startswith("宗地编号,")
