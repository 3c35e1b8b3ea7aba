"""The sample's synthetic imagery (geo.sample.write_sample_imagery) read by geo.raster and python -m geo zonal."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import rasterio

import cli
from geo import raster, sample


@pytest.fixture(scope="module")
def imagery(tmp_path_factory):
    out = tmp_path_factory.mktemp("ws")
    parks = sample.make_parks()
    parcels = sample.make_parcels(parks, n=600)
    folder = sample.write_sample_imagery(parcels, parks, out)
    gpkg = out / "parcels.gpkg"
    parcels.to_file(gpkg, layer="parcels", driver="GPKG")
    return parcels, folder, gpkg


def test_two_parks_two_dates_small_and_labelled_synthetic(imagery):
    _, folder, _ = imagery
    files = sample.imagery_files(folder)
    assert set(files["park_id"]) == set(sample.IMAGERY_PARKS) and len(sample.IMAGERY_PARKS) >= 2
    for _park, g in files.groupby("park_id"):
        assert tuple(g["date"]) == sample.IMAGERY_DATES
    for park, g in files.groupby("park_id"):
        assert sum(p.stat().st_size for p in g["path"]) < 400 * 1024, park
        for p in g["path"]:
            with rasterio.open(p) as src:
                assert src.tags()["SYNTHETIC"] == "yes" and "合成示例影像" in src.tags()["DESCRIPTION"]
                assert src.compression is not None and src.crs is not None
    assert "非真实卫星数据" in (folder / "README.txt").read_text(encoding="utf-8")
    patches = raster.read_patches(folder / sample.PATCHES_FILE)
    assert len(patches) >= 2 and patches["patch_date"].notna().all()
    assert patches["patch_date"].between(pd.Timestamp(sample.IMAGERY_DATES[0]), pd.Timestamp(sample.IMAGERY_DATES[1])).all()


def test_every_evidence_class_and_both_leads_in_each_park(imagery):
    parcels, folder, _ = imagery
    files = sample.imagery_files(folder)
    kinds = set()
    for park, g in files.groupby("park_id"):
        mine = parcels[parcels["park_id"] == park]
        ev = raster.zonal_evidence(mine, g["path"].iloc[-1], before=g["path"].iloc[0],
                                   patches=folder / sample.PATCHES_FILE)
        kinds.add(ev.attrs["kind"])
        assert set(ev["evidence"]) == set(raster.EVIDENCE_CODES), park
        assert set(ev["lead"].dropna()) == set(raster.LEAD_CODES), park
        # Consistent with the records: most completed parcels are built, most idle ones are not.
        done = ev["record_state"] == "completed"
        assert (ev.loc[done, "evidence"] == "construction_detected").mean() > 0.8
        # A few records contradict the imagery, not most.
        assert 0 < ev["lead"].notna().mean() < 0.25
    assert kinds == {"class", "multispectral"}


def test_cli_zonal_on_the_sample(imagery, tmp_path, capsys):
    _, folder, gpkg = imagery
    files = sample.imagery_files(folder)
    g = files[files["park_id"] == "liuzhou"]
    out, check = tmp_path / "zonal.xlsx", tmp_path / "check.xlsx"
    rc = cli.main(["zonal", str(gpkg), str(g["path"].iloc[-1]), "--before", str(g["path"].iloc[0]),
                   "--patches", str(folder / sample.PATCHES_FILE), "--built-values", "1", "-o", str(out),
                   "--field-check", str(check)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "影像比对结果" in printed and "线索，须实地核查" in printed and "登记未动工但影像显示建设" in printed
    table = pd.read_excel(out)
    assert {"影像建成占比", "影像证据", "核查线索", "有效像元占比"} <= set(table.columns)
    assert set(table["影像证据"].dropna()) <= {"影像显示已有建设", "影像显示已平整未建设", "影像未见建设", "影像无有效数据"}
    lst = pd.read_excel(check, sheet_name="实地核查清单")
    assert {"现场照片", "核查情况", "核查线索", "宗地编号"} <= set(lst.columns)
    assert len(lst) >= 2 and lst["现场照片"].isna().all() and lst["核查情况"].isna().all()
    # Machines: codes and canonical names.
    rc = cli.main(["zonal", str(gpkg), str(g["path"].iloc[-1]), "-o", str(tmp_path / "z.csv"), "--codes"])
    assert rc == 0
    codes = pd.read_csv(tmp_path / "z.csv")
    assert set(codes["evidence"]) <= set(raster.EVIDENCE_CODES)
    geo_out = tmp_path / "z.gpkg"
    assert cli.main(["zonal", str(gpkg), str(g["path"].iloc[-1]), "-o", str(geo_out)]) == 0
    assert len(gpd.read_file(geo_out)) == len(table)


def test_cli_zonal_errors_in_chinese(imagery, tmp_path, capsys):
    _, _, gpkg = imagery
    import numpy as np
    from affine import Affine

    bad = tmp_path / "nocrs.tif"
    with rasterio.open(bad, "w", driver="GTiff", width=4, height=4, count=1, dtype="uint8",
                       transform=Affine(10.0, 0.0, 0.0, 0.0, -10.0, 40.0)) as dst:
        dst.write(np.zeros((1, 4, 4), np.uint8))
    rc = cli.main(["zonal", str(gpkg), str(bad), "-o", str(tmp_path / "x.xlsx")])
    assert rc == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "没有坐标系" in err and "nocrs.tif" in err
