"""
What an officer opens — the Excel exports of every CLI table and the DOCX report of every
park — holds no internal code and no Python spelling of gaps or booleans (Chinese, the default).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest

import cli
from geo.idle import IDLE_STATUSES

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-25"


def _vocabulary() -> set[str]:
    parks = json.loads((REPO / "data" / "parks.geojson").read_text(encoding="utf-8"))
    ids = {f["properties"]["park_id"] for f in parks["features"]}
    return {*IDLE_STATUSES, *ids, "industrial", "storage", "commercial", "residential", "public_service",
            "transport", "green_space", "national_average_2019", "None", "NaN", "nan", "NaT", "True", "False",
            "dismissed", "confirmed", "not_started", "in_progress", "regional", "national", "missing"}


def _codes_in(text: str) -> list[str]:
    return sorted(w for w in _vocabulary() if re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text))


def _xlsx_text(path: Path) -> str:
    """Every cell as Excel shows it: a date cell by its number format (a time only if the format has one)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                if cell.is_date:
                    fmt = "%Y-%m-%d %H:%M" if "h" in cell.number_format else "%Y-%m-%d"
                    out.append(cell.value.strftime(fmt))
                else:
                    out.append(str(cell.value))
    return "\n".join(out)


@pytest.mark.parametrize("command", ["idle", "intensity", "grade"])
def test_cli_excel_exports_hold_no_codes(sample_workspace, tmp_path, command):
    out = tmp_path / f"{command}.xlsx"
    argv = [command, str(sample_workspace / "parcels.parquet"), "-o", str(out)]
    if command == "idle":
        argv += ["--as-of", AS_OF]
    assert cli.main(argv) == 0
    text = _xlsx_text(out)
    assert _codes_in(text) == []
    assert "00:00:00" not in text


def test_evaluation_excel_export_holds_no_codes(sample_workspace, tmp_path):
    out = tmp_path / "parks.xlsx"
    argv = ["evaluate", "--parks", str(REPO / "data" / "parks.geojson"), "--parcels",
            str(sample_workspace / "parcels.parquet"), "--as-of", AS_OF, "-o", str(out)]
    assert cli.main(argv) == 0
    assert _codes_in(_xlsx_text(out)) == []


def test_park_reports_hold_no_codes(sample_workspace):
    from geo import evaluation
    from geo import io as gio
    from reports.park_report import park_report_docx

    parks = gio.read_parks(REPO / "data" / "parks.geojson")
    parcels = gio.read_parcels(sample_workspace / "parcels.parquet", parks=parks).gdf
    ev = evaluation.evaluate_parks(parks, parcels, as_of=AS_OF)
    for pid in ("nanning", "hezhou"):
        doc = docx.Document(io.BytesIO(park_report_docx(ev, pid, parks=parks)))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
        text = "\n".join(parts)
        assert _codes_in(text) == [], pid
        assert ".yaml" not in text and "domain.md" not in text
