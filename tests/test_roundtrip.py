"""
Import → export → import gives the same parcels and values, per format (issue 8, Exports).

The sample's parcels are read (geo.io.read_parcels), written by reports.tables.write both
as people read it (Chinese headers with units, labels such as 工业用地, 是/否, dates without
a time) and as codes, and read again: the same parcel numbers, the same areas (to 1e-6
relative) and the same values of the input columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo import io as gio
from geo.crs import area_m2
from reports import tables

TEXT = ("parcel_id", "holder", "land_use", "delay_cause", "industry_code")
DATES = ("supply_date", "agreed_start_date", "actual_start_date", "halted_since", "completion_date")
NUMBERS = ("land_price_wan", "total_investment_wan", "invested_wan", "area_due_m2", "developed_area_m2",
           "floor_area_m2", "tax_wan", "employees")
BOOLS = ("builtup",)
COLUMNS = (*TEXT, *DATES, *NUMBERS, *BOOLS)

FORMATS = (".gpkg", ".geojson", ".zip", ".xlsx", ".csv")


@pytest.fixture(scope="module")
def source(sample_workspace):
    parks = gio.read_parks(sample_workspace / "parks.geojson")
    gdf = gio.read_parcels(sample_workspace / "parcels.parquet", parks=parks).gdf
    # Every land use, delay cause and filled/blank pattern of the sample, in a few hundred rows.
    pick = pd.concat([gdf.groupby(c, dropna=False).head(3) for c in ("land_use", "delay_cause", "builtup")])
    pick = pd.concat([pick, gdf.head(150)])
    pick = pick[~pick.index.duplicated()].sort_index()
    return pick[[c for c in COLUMNS if c in gdf.columns] + ["geometry"]].reset_index(drop=True), parks


def _expected_numbers(s: pd.Series, col: str, codes: bool) -> np.ndarray:
    n = tables.decimals(col)
    return (s if codes or n is None else s.round(n)).to_numpy(float)


CASES = [
    pytest.param(
        ext, codes, id=f"{ext}-{'codes' if codes else 'presented'}",
        # DBF names of codes are cut to 10 bytes (floor_area_m2 and floor_area_over_8m_m2 both
        # start "floor_area"): the zip's 字段对照表.csv tells them apart on reading.
    )
    for ext in FORMATS
    for codes in (False, True)
]


@pytest.mark.parametrize(("ext", "codes"), CASES)
def test_round_trip(source, tmp_path, ext, codes):
    src, parks = source
    assert set(COLUMNS) <= set(src.columns)
    path = tables.write(src, tmp_path / f"out{ext}", codes=codes, parks=parks, columns=list(COLUMNS),
                        geometry="wkt")
    loaded = gio.read_parcels(path, parks=parks)
    back = loaded.gdf
    errors = loaded.problems_frame()
    if len(errors):
        assert not (errors["severity"] == "error").any(), errors.to_dict("records")[:5]
    assert list(back["parcel_id"]) == list(src["parcel_id"])
    missing = [c for c in COLUMNS if c not in back.columns]
    assert not missing, f"columns not read back: {missing}"
    # Same shapes: areas to 1e-6 relative (WKT is written at full precision).
    np.testing.assert_allclose(area_m2(back).to_numpy(float), area_m2(src).to_numpy(float), rtol=1e-6)
    for col in TEXT:
        assert back[col].fillna("").astype(str).tolist() == src[col].fillna("").astype(str).tolist(), col
    for col in DATES:
        a, b = back[col], src[col]
        assert (a.isna() == b.isna()).all(), col
        assert (a[a.notna()].dt.normalize() == b[b.notna()]).all(), col
    for col in NUMBERS:
        np.testing.assert_allclose(back[col].to_numpy(float), _expected_numbers(src[col], col, codes),
                                   rtol=1e-9, equal_nan=True, err_msg=col)
    for col in BOOLS:
        assert back[col].astype("boolean").tolist() == src[col].astype("boolean").tolist(), col


def test_presented_form_is_what_people_read(source, tmp_path):
    """The files people open carry Chinese headers, labels and dates without a time (what the reader must know)."""
    src, parks = source
    path = tables.write(src, tmp_path / "out.csv", parks=parks, columns=list(COLUMNS), geometry="wkt")
    text = path.read_text(encoding="utf-8-sig")
    head = text.splitlines()[0].split(",")
    assert head[0] == "宗地编号" and "土地用途" in head and head[-1] == "图形"
    assert "工业用地" in text and ("是" in text or "否" in text)
    assert "industrial" not in text and "00:00:00" not in text
