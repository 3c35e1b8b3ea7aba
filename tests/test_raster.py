"""
Imagery as evidence (geo/raster.py): tiny rasters written here, expectations counted by hand.

The class raster is 10 × 10 pixels of 10 m in EPSG:4545, top-left corner (500000, 2500000):
rows 0-4 × cols 0-4 built (1), rows 5-9 × cols 5-9 cleared (2), rows 0-1 × cols 8-9 nodata
(255), the rest 0. Row r spans y 2500000-10r-10 … 2500000-10r; col c spans x 500000+10c ….
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from shapely.geometry import box

import words
from geo import raster as R

X0, Y0, PX = 500_000.0, 2_500_000.0, 10.0
CRS = "EPSG:4545"


def px_box(c0, r0, c1, r1):
    """A box from pixel coordinates (columns c0…c1, rows r0…r1; fractions allowed)."""
    return box(X0 + c0 * PX, Y0 - r1 * PX, X0 + c1 * PX, Y0 - r0 * PX)


def write(path, bands, *, crs=CRS, nodata=None, date=None, dtype=None):
    arr = np.asarray(bands)
    if arr.ndim == 2:
        arr = arr[None]
    profile = dict(driver="GTiff", width=arr.shape[2], height=arr.shape[1], count=arr.shape[0],
                   dtype=dtype or arr.dtype, transform=Affine(PX, 0.0, X0, 0.0, -PX, Y0), nodata=nodata)
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(arr.astype(profile["dtype"]))
        if date:
            dst.update_tags(ACQUISITION_DATE=date)
    return path


def class_grid():
    a = np.zeros((10, 10), dtype=np.uint8)
    a[0:5, 0:5] = 1
    a[5:10, 5:10] = 2
    a[0:2, 8:10] = 255
    return a


@pytest.fixture
def class_tif(tmp_path):
    return write(tmp_path / "class.tif", class_grid(), nodata=255, date="2026-10-01")


def parcels(*geoms, **cols):
    return gpd.GeoDataFrame({"parcel_id": [f"P{i}" for i in range(len(geoms))], **cols},
                            geometry=list(geoms), crs=CRS)


STRADDLE = px_box(2.5, 1.5, 6.5, 3.5)  # 4 × 2 pixels: cols 2.5-4 built (2.5 of 4 columns)
SUBPIXEL = px_box(1.1, 1.1, 1.4, 1.4)  # 3 m × 3 m inside built pixel (1, 1)
OUTSIDE = px_box(50, 50, 52, 52)
NODATA = px_box(7, 0, 10, 2)  # 3 × 2 pixels, 4 of them nodata
CLEARED = px_box(5.5, 5.5, 9.5, 9.5)
EMPTY_GROUND = px_box(0, 5, 5, 10)


def test_class_raster_hand_counted(class_tif):
    p = parcels(STRADDLE, SUBPIXEL, OUTSIDE, NODATA, CLEARED, EMPTY_GROUND)
    z = R.zonal_shares(p, class_tif)
    # Straddling: columns 2.5-6.5 × rows 1.5-3.5 → per column 1, 2, 2, 2, 1 pixels; built 1+2+2 of 8.
    assert z.loc[0, "builtup_frac"] == pytest.approx(5 / 8)
    assert z.loc[0, "pixels"] == pytest.approx(8.0)
    assert z.loc[0, "valid_frac"] == pytest.approx(1.0)
    assert z.loc[0, "cleared_frac"] == pytest.approx(0.0)
    # Smaller than a pixel: 9 m² of a 100 m² built pixel still gets its value.
    assert z.loc[1, "builtup_frac"] == pytest.approx(1.0)
    assert z.loc[1, "pixels"] == pytest.approx(0.09)
    assert z.loc[1, "valid_frac"] == pytest.approx(1.0)
    # Outside the raster: nothing valid, every pixel it covers counted as without data.
    assert math.isnan(z.loc[2, "builtup_frac"])
    assert z.loc[2, "valid_frac"] == 0.0
    assert z.loc[2, "nodata_pixels"] == pytest.approx(4.0)
    # Nodata excluded and counted: 6 pixels, 4 nodata, the 2 valid ones not built.
    assert z.loc[3, "valid_frac"] == pytest.approx(2 / 6)
    assert z.loc[3, "nodata_pixels"] == pytest.approx(4.0)
    assert z.loc[3, "builtup_frac"] == pytest.approx(0.0)
    # Cleared block; bare ground of class 0.
    assert z.loc[4, "cleared_frac"] == pytest.approx(1.0)
    assert z.loc[5, "builtup_frac"] == 0.0 and z.loc[5, "cleared_frac"] == 0.0
    assert z.attrs["kind"] == "class" and str(z.attrs["date"]) == "2026-10-01"
    # Scene-only figures stay empty for a class raster.
    assert z["ndvi_mean"].isna().all()


@pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")  # inside rasterstats
def test_rasterstats_centre_rule_differs_on_small_parcels(class_tif):
    # Outside oracle: rasterstats (centre-point rule) misses the sub-pixel parcel entirely,
    # which is why exact coverage is used; on a parcel aligned to whole pixels both agree.
    rasterstats = pytest.importorskip("rasterstats")
    p = parcels(SUBPIXEL, px_box(0, 0, 5, 2))
    rs = rasterstats.zonal_stats(p, str(class_tif), categorical=True, nodata=255)
    assert rs[0] == {}
    assert rs[1] == {1: 10}
    z = R.zonal_shares(p, class_tif)
    assert z.loc[1, "builtup_frac"] == pytest.approx(1.0) and z.loc[1, "pixels"] == pytest.approx(10.0)


def test_built_values_setting_and_index_raster(class_tif, tmp_path):
    p = parcels(STRADDLE, CLEARED)
    # Counting the cleared class as built as well.
    s = R.settings_with(None, built_values=[1, 2])  # 2 leaves the cleared values
    assert s["cleared_values"] == ()
    z = R.zonal_shares(p, class_tif, settings=s)
    assert z.loc[1, "builtup_frac"] == pytest.approx(1.0) and z.loc[1, "cleared_frac"] == 0.0
    with pytest.raises(R.RasterError) as err:  # in a settings file, one value cannot mean both
        R.load_raster_settings({"built_values": [1, 2]})
    assert err.value.code == "raster_values_invalid"
    # An index raster: a float ramp 0.0 … 0.9 by column; built when ≥ threshold.
    ramp = np.tile(np.arange(10, dtype=np.float32) / 10, (10, 1))
    idx = write(tmp_path / "index.tif", ramp, nodata=np.nan)
    z = R.zonal_shares(parcels(px_box(3, 0, 7, 2)), idx, settings=R.settings_with(None, built_threshold=0.5))
    assert R.describe_raster(idx).kind == "index"
    assert z.loc[0, "builtup_frac"] == pytest.approx(2 / 4)  # columns 5 and 6 of 3-6
    assert math.isnan(z.loc[0, "cleared_frac"])  # an index raster cannot tell cleared land


def _scene(tmp_path, *, swir: bool = False):
    # Left half vegetation, right half bright roofs; reflectance × 10000.
    veg = {"blue": 500, "green": 600, "red": 400, "nir": 2400, "swir1": 1500, "swir2": 900}
    roof = {"blue": 2200, "green": 2100, "red": 2000, "nir": 2200, "swir1": 2800, "swir2": 2600}
    names = ["blue", "green", "red", "nir"] + (["swir1", "swir2"] if swir else [])
    bands = np.zeros((len(names), 10, 10), dtype=np.uint16)
    for i, n in enumerate(names):
        bands[i, :, :5] = veg[n]
        bands[i, :, 5:] = roof[n]
    bands[:, 9, 9] = 0  # one nodata pixel
    return write(tmp_path / ("s2.tif" if swir else "gf.tif"), bands, nodata=0)


def test_ndvi_on_hand_set_band_values(tmp_path):
    path = _scene(tmp_path)
    info = R.describe_raster(path)
    assert (info.kind, info.sensor) == ("multispectral", "gf")
    z = R.zonal_shares(parcels(px_box(3, 0, 7, 10), px_box(8, 8, 10, 10)), path)
    ndvi_veg = (0.24 - 0.04) / (0.24 + 0.04)
    ndvi_roof = (0.22 - 0.20) / (0.22 + 0.20)
    assert z.loc[0, "ndvi_mean"] == pytest.approx((ndvi_veg + ndvi_roof) / 2, rel=1e-5)
    assert z.loc[0, "brightness_mean"] == pytest.approx(((0.05 + 0.06 + 0.04) / 3 + (0.22 + 0.21 + 0.20) / 3) / 2, rel=1e-5)
    assert z.loc[0, "builtup_frac"] == pytest.approx(0.5)  # roof half: NDVI 0.05 < 0.3, brightness 0.21 ≥ 0.18
    assert math.isnan(z.loc[0, "ndbi_mean"])  # no SWIR band: no NDBI
    # The corner parcel: 4 pixels, one nodata.
    assert z.loc[1, "valid_frac"] == pytest.approx(3 / 4)
    assert z.loc[1, "nodata_pixels"] == pytest.approx(1.0)
    assert z.loc[1, "ndvi_mean"] == pytest.approx(ndvi_roof, rel=1e-5)


def test_ndbi_only_with_swir(tmp_path):
    path = _scene(tmp_path, swir=True)
    assert R.describe_raster(path).sensor == "sentinel2"
    z = R.zonal_shares(parcels(px_box(5, 0, 10, 5)), path)
    assert z.loc[0, "ndbi_mean"] == pytest.approx((0.28 - 0.22) / (0.28 + 0.22), rel=1e-5)
    assert z.loc[0, "builtup_frac"] == pytest.approx(1.0)
    # A stricter NDBI threshold turns the roofs into cleared ground.
    z = R.zonal_shares(parcels(px_box(5, 0, 10, 5)), path, settings={"ndbi_built_min": 0.2})
    assert z.loc[0, "builtup_frac"] == 0.0 and z.loc[0, "cleared_frac"] == pytest.approx(1.0)


def test_landsat_band_order_by_default(tmp_path):
    # Collection 2 SR_B1…SR_B7: blue is band 2, NIR band 5, SWIR1 band 6; reflectance = DN × 0.0000275 − 0.2.
    dn = lambda r: (r + 0.2) / 0.0000275  # noqa: E731
    bands = np.zeros((7, 10, 10), dtype=np.uint16)
    for i, r in enumerate((0.05, 0.20, 0.21, 0.22, 0.25, 0.30, 0.28)):
        bands[i] = round(dn(r))
    path = write(tmp_path / "l9.tif", bands, nodata=0)
    info = R.describe_raster(path)
    assert (info.sensor, info.bands["nir"], info.bands["swir1"]) == ("landsat89", 5, 6)
    z = R.zonal_shares(parcels(px_box(0, 0, 10, 10)), path)
    assert z.loc[0, "ndvi_mean"] == pytest.approx((0.25 - 0.22) / (0.25 + 0.22), abs=1e-4)
    assert z.loc[0, "ndbi_mean"] == pytest.approx((0.30 - 0.25) / (0.30 + 0.25), abs=1e-4)
    assert z.loc[0, "builtup_frac"] == pytest.approx(1.0)


def test_crs_mismatch_reprojects_the_parcels(class_tif):
    p = parcels(STRADDLE, SUBPIXEL, NODATA)
    z = R.zonal_shares(p, class_tif)
    z_deg = R.zonal_shares(p.to_crs("EPSG:4490"), class_tif)
    for col in ("builtup_frac", "valid_frac", "pixels"):
        np.testing.assert_allclose(z_deg[col], z[col], rtol=1e-6)


def test_raster_in_degrees(tmp_path):
    # A raster in CGCS2000 degrees: pixel and parcel areas are both in degrees², so the shares
    # and pixel counts are the same hand counts as in metres.
    d = 0.0001
    path = tmp_path / "deg.tif"
    with rasterio.open(path, "w", driver="GTiff", width=10, height=10, count=1, dtype="uint8", nodata=255,
                       crs="EPSG:4490", transform=Affine(d, 0.0, 108.0, 0.0, -d, 22.0)) as dst:
        dst.write(class_grid()[None])
    deg = gpd.GeoDataFrame(geometry=[box(108.0 + 2.5 * d, 22.0 - 3.5 * d, 108.0 + 6.5 * d, 22.0 - 1.5 * d),
                                     box(108.0 + 7 * d, 22.0 - 2 * d, 108.0 + 10 * d, 22.0)], crs="EPSG:4490")
    z = R.zonal_shares(deg, path)
    assert z.loc[0, "builtup_frac"] == pytest.approx(5 / 8) and z.loc[0, "pixels"] == pytest.approx(8.0)
    assert z.loc[1, "valid_frac"] == pytest.approx(2 / 6) and z.loc[1, "nodata_pixels"] == pytest.approx(4.0)


def test_raster_errors(tmp_path, class_tif):
    with pytest.raises(R.RasterError) as err:
        R.describe_raster(write(tmp_path / "nocrs.tif", class_grid(), crs=None))
    assert err.value.code == "raster_no_crs"
    with pytest.raises(R.RasterError) as err:
        R.describe_raster(write(tmp_path / "three.tif", np.zeros((3, 10, 10), np.uint16)))
    assert err.value.code == "raster_band_count" and err.value.params["count"] == 3
    assert "3 个波段" in words.render(err.value.item, "zh")
    with pytest.raises(R.RasterError) as err:
        R.check_overlap(class_tif, parcels(OUTSIDE))
    assert err.value.code == "raster_no_overlap"
    assert R.check_overlap(class_tif, parcels(STRADDLE)).kind == "class"
    with pytest.raises(R.RasterError) as err:
        R.check_upload_size(300 * 1_048_576, source="big.tif")
    assert err.value.code == "raster_too_large"
    (tmp_path / "junk.tif").write_bytes(b"not a raster")
    with pytest.raises(R.RasterError) as err:
        R.describe_raster(tmp_path / "junk.tif")
    assert err.value.code == "raster_unreadable"


@pytest.mark.parametrize(("override", "code"), [
    ({"built_frac_min": "lots"}, "raster_setting_not_number"),
    ({"valid_frac_min": 1.5}, "raster_setting_out_of_range"),
    ({"patch_overlap_min_m2": -1}, "raster_setting_below_min"),
    ({"sensor": "spot"}, "raster_setting_choice"),
    ({"single_band": "both"}, "raster_setting_choice"),
    ({"sensors": {"gf": {"bands": {"blue": 1, "green": 1, "red": 3, "nir": 4}}}}, "raster_band_order_invalid"),
    ({"built_values": ["built"]}, "raster_values_invalid"),
])
def test_settings_refused_with_codes(override, code):
    with pytest.raises(R.RasterError) as err:
        R.load_raster_settings(override)
    assert err.value.code == code
    assert words.render(err.value.item, "zh") != code


def test_defaults_marked_as_system_defaults():
    s = R.load_raster_settings()
    assert s["source"] == "本系统默认参数"
    assert s["sensors"]["gf"]["bands"] == {"blue": 1, "green": 2, "red": 3, "nir": 4}
    assert "swir1" in s["sensors"]["sentinel2"]["bands"] and "swir1" in s["sensors"]["landsat89"]["bands"]


# --------------------------------------------------------------------------- evidence at thresholds

EPS = 1e-9


def figures(**cols):
    n = max(len(v) for v in cols.values())
    base = {"valid_frac": [1.0] * n, "builtup_frac": [0.0] * n, "cleared_frac": [0.0] * n,
            "builtup_change": [np.nan] * n, "patch_overlap_m2": [0.0] * n}
    return pd.DataFrame({**base, **cols})


def test_evidence_each_class_at_its_threshold():
    s = R.load_raster_settings()
    v, b, c = s["valid_frac_min"], s["built_frac_min"], s["cleared_frac_min"]
    ev = R.classify_evidence(figures(valid_frac=[v - EPS, v, v + EPS], builtup_frac=[0.9, 0.9, 0.9]))
    assert ev.tolist() == ["no_data", "construction_detected", "construction_detected"]
    ev = R.classify_evidence(figures(builtup_frac=[b - EPS, b, b + EPS]))
    assert ev.tolist() == ["no_construction", "construction_detected", "construction_detected"]
    ev = R.classify_evidence(figures(cleared_frac=[c - EPS, c, c + EPS]))
    assert ev.tolist() == ["no_construction", "cleared_not_built", "cleared_not_built"]
    ev = R.classify_evidence(figures(builtup_frac=[np.nan], valid_frac=[0.0]))
    assert ev.tolist() == ["no_data"]


def _lead(state, *, has_before=True, **cols):
    f = figures(**cols)
    f["evidence"] = R.classify_evidence(f)
    return R.cross_check(f, pd.Series([state] * len(f)), has_before=has_before).tolist()


def test_record_doubtful_at_its_threshold():
    b = R.load_raster_settings()["built_frac_min"]
    assert _lead("completed", builtup_frac=[b - EPS, b, b + EPS]) == ["record_doubtful", None, None]
    # Started: cleared ground agrees with site works; bare untouched ground does not.
    assert _lead("started", builtup_frac=[0.0, 0.0], cleared_frac=[0.5, 0.0]) == [None, "record_doubtful"]
    # No usable imagery says nothing.
    assert _lead("completed", valid_frac=[0.1]) == [None]
    assert _lead("not_started", builtup_frac=[0.0]) == [None]


def test_record_out_of_date_at_its_threshold():
    s = R.load_raster_settings()
    r, m = s["builtup_rise_min"], s["patch_overlap_min_m2"]
    assert _lead("not_started", builtup_change=[r - EPS, r, r + EPS]) == [None, "record_out_of_date", "record_out_of_date"]
    assert _lead("not_started", patch_overlap_m2=[m - EPS, m, m + EPS]) == [None, "record_out_of_date", "record_out_of_date"]
    # One date only: built-up now stands in for "rose".
    b = s["built_frac_min"]
    assert _lead("not_started", has_before=False, builtup_frac=[b - EPS, b]) == [None, "record_out_of_date"]
    # A started or completed record is never out of date.
    assert _lead("completed", builtup_change=[0.5], builtup_frac=[0.6]) == [None]


def test_record_state_from_the_records_at_the_image_date():
    df = pd.DataFrame({
        "supply_date": pd.to_datetime(["2020-01-01"] * 5 + [None]),
        "actual_start_date": pd.to_datetime([None, "2021-01-01", "2021-01-01", "2027-01-01", None, None]),
        "completion_date": pd.to_datetime([None, None, "2022-01-01", None, None, None]),
        "halted_since": pd.to_datetime([None, None, None, None, "2023-01-01", None]),
    })
    st = R.record_state(df, as_of="2026-10-01")
    assert st.tolist() == ["not_started", "started", "completed", "not_started", "started", "unknown"]


def test_zonal_evidence_end_to_end(tmp_path, class_tif):
    before = class_grid()
    before[0:5, 0:5] = 0  # the built block was empty ground at the earlier date
    before_tif = write(tmp_path / "before.tif", before, nodata=255, date="2024-10-01")
    patches = gpd.GeoDataFrame({"图斑编号": ["W1", "W2"], "监测日期": ["2026-06-01", "2027-01-01"]},
                               geometry=[px_box(0, 5, 2, 7), px_box(0, 5, 5, 10)], crs=CRS)
    patches_path = tmp_path / "patches.gpkg"
    patches.to_file(patches_path, driver="GPKG")
    p = parcels(px_box(0, 0, 5, 5), px_box(0, 5, 5, 10), CLEARED, NODATA, px_box(0, 0, 5, 5), px_box(3, 7, 5, 10),
                supply_date=pd.to_datetime(["2020-01-01"] * 6),
                actual_start_date=pd.to_datetime([None, None, "2025-01-01", None, "2021-01-01", "2021-01-01"]),
                completion_date=pd.to_datetime([None, None, None, None, "2022-06-01", "2022-06-01"]))
    out = R.zonal_evidence(p, class_tif, before=before_tif, patches=patches_path)
    assert list(out.columns) == list(R.ZONAL_COLUMNS)
    assert out["evidence"].tolist() == ["construction_detected", "no_construction", "cleared_not_built", "no_data",
                                        "construction_detected", "no_construction"]
    assert out.loc[0, "builtup_frac_before"] == 0.0 and out.loc[0, "builtup_change"] == pytest.approx(1.0)
    # Patch W2 is dated after the image: left out; W1 covers 2 × 2 pixels = 400 m².
    assert out.loc[1, "patch_overlap_m2"] == pytest.approx(400.0)
    assert out.loc[1, "patch_count"] == 1
    assert str(out.loc[1, "patch_date_latest"].date()) == "2026-06-01"
    # P0 built up since the earlier image and P1 under a patch, both recorded not started;
    # P4 completed and built agrees; P5 completed on empty ground is doubtful.
    assert out["lead"].tolist() == ["record_out_of_date", "record_out_of_date", None, None, None, "record_doubtful"]
    check = R.field_check_list(p, out)
    assert list(check.columns) == list(R.FIELD_CHECK_COLUMNS)
    assert check["parcel_id"].tolist() == ["P5", "P0", "P1"]
    assert (check["site_photo"] == "").all() and (check["check_notes"] == "").all()
    assert check["area_mu"].iloc[1] == pytest.approx(2500 / (10_000 / 15))
    summary = R.evidence_summary(out).set_index("code")["parcels"]
    assert summary["construction_detected"] == 2 and summary["record_out_of_date"] == 2
    assert summary["record_doubtful"] == 1 and summary["no_data"] == 1
    items = R.explain_evidence(out.loc[0].to_dict())
    text = words.render(items, "zh")
    assert "线索，须实地核查" in text and "建成占比 100.0%" in text and "自然资发〔2023〕258号" in text
    assert "登记为未动工" in text and "上升 100.0 个百分点" in text and "前后变化 +100.0 个百分点" in text
    assert "与卫片图斑重叠 400 平方米" in words.render(R.explain_evidence(out.loc[1].to_dict()), "zh")
    doubtful = words.render(R.explain_evidence(out.loc[5].to_dict()), "zh")
    assert "登记为已竣工，但影像建成占比 0.0% 低于 20%，记录存疑" in doubtful
    assert "Recorded completed" in words.render(R.explain_evidence(out.loc[5].to_dict()), "en")


def test_every_code_has_words():
    for code in (*R.RASTER_ERROR_CODES, *R.EXPLANATION_CODES):
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code
    for kind, codes in (("raster_evidence", R.EVIDENCE_CODES), ("raster_lead", R.LEAD_CODES),
                        ("record_state", R.RECORD_STATES), ("raster_kind", R.RASTER_KINDS)):
        for code in codes:
            assert words.has_label(kind, code, "zh") and words.has_label(kind, code, "en"), (kind, code)
    for col in (*R.ZONAL_COLUMNS, *R.FIELD_CHECK_COLUMNS):
        assert words.header(col, "zh") != col, col
    s = R.load_raster_settings()
    for name in s["sensors"]:
        assert words.has_label("raster_sensor", name, "zh")
    for key in ("sensor", "built_frac_min", "valid_frac_min", "builtup_rise_min", "patch_overlap_min_m2"):
        assert words.has_label("setting_key", key, "zh")


def test_figures_park_by_park_are_those_of_one_window_over_every_parcel(class_tif, monkeypatch):
    """zonal_shares reads one window per park: each parcel's figures are those of one window over all."""
    p = parcels(px_box(3, 0, 7, 2), px_box(0.5, 8.25, 2.75, 9.5), px_box(8, 3, 10, 7), px_box(1, 4, 3, 6))
    windows = []
    real = R._window
    monkeypatch.setattr(R, "_window", lambda src, bounds: windows.append(bounds) or real(src, bounds))
    whole = R.zonal_shares(p, class_tif)
    assert len(windows) == 1
    by_park = R.zonal_shares(p.assign(park_id=["A", "B", "A", None]), class_tif)
    assert len(windows) == 1 + 3  # A, B and the parcel outside every park
    pd.testing.assert_frame_equal(by_park, whole, check_exact=False, rtol=1e-12, atol=1e-12)
