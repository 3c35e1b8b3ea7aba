"""
A bureau's own file, from the app alone: a zipped GBK Shapefile with pinyin field names is
uploaded, one unrecognised column mapped on the page, installed by 宗地编号 (update), its
parcels found on the idle page, and the previous version restored. Hostile text in the file and
in an officer's name stays text: the browser never asks example.invalid for anything.

The app runs on its own workspace here (not the session's sample), since this test changes it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import REPO_ROOT, login_cookie, require_chromium, run_streamlit, wait_for_app

from geo import io
from geo.accounts import Account
from geo.review import ReviewStore
from geo.workspace import Workspace, list_versions

pytestmark = pytest.mark.browser

NANNING = (530_627.0, 2_527_917.0)  # inside 南宁高新区, EPSG:4545
HOSTILE = "![x](http://example.invalid/x.png)<img src=x onerror=alert(1)>"
SELECTBOX_HOLDS = """
id => [...document.querySelectorAll("[data-testid='stSelectbox'] input")].some(e => e.value === id)
"""
EXCEPTION = "[data-testid='stException']"
#: Pinyin abbreviations as cadastre software writes them, and what each means. ZDY1 (自定义1)
#: is the bureau's own column: no reader knows it, so the page asks.
PINYIN = {"DKBH": "parcel_id", "QLR": "holder", "TDYT": "land_use", "YDKGRQ": "agreed_start_date",
          "ZDY1": "land_price_wan"}


def _squares(n: int, first: int) -> list:
    x, y = NANNING
    return [shapely.box(x + (i % 5) * 40, y + (i // 5) * 40, x + (i % 5) * 40 + 30, y + (i // 5) * 40 + 30)
            for i in range(first, first + n)]


@pytest.fixture(scope="module")
def import_ws(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("import_ws")
    installed = gpd.GeoDataFrame(
        {"parcel_id": ["GX-0001", "GX-0002", "GX-0003"], "park_id": "nanning", "holder": ["甲公司", "乙公司", "丙公司"],
         "land_use": "industrial", "agreed_start_date": pd.to_datetime(["2023-01-01"] * 3)},
        geometry=_squares(3, 0), crs=4545)
    io.write_table(installed, root / "parcels.gpkg")
    ReviewStore(root / "review.sqlite").record("GX-0001", action="confirm", account=Account(HOSTILE, "officer"),
                                               note=HOSTILE)
    return root


@pytest.fixture(scope="module")
def import_app(import_ws) -> str:
    require_chromium()
    from layers.assets import missing_assets

    if missing_assets():
        pytest.fail("vendored map assets missing: run `python scripts/fetch_assets.py`", pytrace=False)
    with run_streamlit(REPO_ROOT / "app.py", env={"GXLAND_WORKSPACE": str(import_ws)}, cwd=REPO_ROOT) as url:
        yield url


@pytest.fixture(scope="module")
def gbk_zip(tmp_path_factory) -> Path:
    """GX-0002 and GX-0003 again (0003 with a new holder), GX-0004 and GX-0005 new; GBK, no .cpg."""
    folder = tmp_path_factory.mktemp("shp")
    gdf = gpd.GeoDataFrame(
        {"DKBH": ["GX-0002", "GX-0003", "GX-0004", "GX-0005"],
         "QLR": ["乙公司", "丙公司（更名）", "丁公司", HOSTILE],
         "TDYT": ["工业用地"] * 4,
         "YDKGRQ": ["2023-01-01", "2023-01-01", "2024-03-01", "2024-03-01"],
         "ZDY1": [120.0, 80.0, 300.0, 50.0]},
        geometry=_squares(4, 1), crs=4545)
    gdf.to_file(folder / "宗地.shp", encoding="GBK", engine="pyogrio")
    (folder / "宗地.cpg").unlink(missing_ok=True)  # as bureaus send them: the encoding is not written down
    out = folder / "宗地_GBK.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(folder.glob("宗地.*")):
            zf.write(p, p.name)
    return out


def _pick(page, label: str, option: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).get_by_role("combobox")
    box.click()
    box.press_sequentially(option.split("(")[0])  # the list is long: type to narrow it, as a user would
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(300)
    wait_for_app(page)


def test_import_map_update_see_restore(page, recorder, import_app, import_ws, gbk_zip):
    login_cookie(page, import_ws)
    page.goto(import_app + "/data")
    wait_for_app(page)
    # the parcel file's own uploader (the page also has the parks' one), then the file's name in it
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="宗地文件").first
    uploader.locator("input[type='file']").set_input_files(str(gbk_zip))
    uploader.get_by_text("宗地_GBK.zip").wait_for(timeout=60_000)
    wait_for_app(page)
    # reading a zipped Shapefile on a loaded 2-core CI machine: allow for it (16 s alone, over 60 s once)
    page.get_by_text("读取 4 宗", exact=False).wait_for(timeout=150_000)
    wait_for_app(page)
    # Every pinyin header no reader knows gets a choice on the page; ZDY1 always does.
    for header, column in PINYIN.items():
        box = page.get_by_test_id("stSelectbox").filter(has_text=f"“{header}”对应")
        if header == "ZDY1":
            assert box.count() == 1
        if box.count():
            _pick(page, f"“{header}”对应", _header(column))
    page.get_by_text("识别到的字段", exact=False).first.wait_for()
    assert page.get_by_text("土地出让价款(万元)", exact=False).count() >= 1
    # update by 宗地编号 is the default where the workspace has data; the preview names the park
    assert page.get_by_role("radio", name="按宗地编号更新").is_checked()
    page.get_by_text("导入后的变化（按园区）").wait_for()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入（版本 0002）", exact=False).wait_for(timeout=60_000)
    assert page.locator(EXCEPTION).count() == 0
    got = io.read_parcels(Workspace(import_ws).parcels_path).gdf.set_index("parcel_id")
    assert sorted(got.index) == ["GX-0001", "GX-0002", "GX-0003", "GX-0004", "GX-0005"]
    assert got.loc["GX-0003", "holder"] == "丙公司（更名）" and got.loc["GX-0004", "land_price_wan"] == 300.0

    # the idle page uses the new parcels
    page.goto(import_app + "/idle")
    wait_for_app(page)
    box = page.get_by_role("textbox", name="按宗地编号查找（全部园区）")
    box.fill("GX-0004")
    box.press("Enter")
    page.wait_for_timeout(500)
    wait_for_app(page)
    page.wait_for_function(SELECTBOX_HOLDS, arg="GX-0004", timeout=30_000)
    page.get_by_text("宗地编号：GX-0004", exact=False).wait_for(timeout=30_000)
    # the officer's name from the review store is shown as text
    box.fill("GX-0001")
    box.press("Enter")
    page.wait_for_timeout(500)
    wait_for_app(page)
    page.get_by_text("![x](http://example.invalid/x.png)", exact=False).first.wait_for(timeout=30_000)
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("img[src*='example.invalid']").count() == 0

    # restore the version before the import, with confirmation
    page.goto(import_app + "/data")
    wait_for_app(page)
    page.get_by_role("button", name="恢复该版本").first.click()
    wait_for_app(page)
    page.get_by_text("确认将工作空间恢复到版本", exact=False).wait_for()
    page.get_by_role("button", name="确认恢复").click()
    page.get_by_text("已恢复到版本", exact=False).wait_for(timeout=60_000)
    restored = sorted(io.read_parcels(Workspace(import_ws).parcels_path).gdf["parcel_id"])
    assert restored == ["GX-0001", "GX-0002", "GX-0003"]
    assert list(list_versions(Workspace(import_ws))["mode"])[:1] == ["restore"]
    assert ReviewStore(Workspace(import_ws).review_path).current().loc["GX-0001", "decision"] == "confirmed"

    assert not [u for u in recorder.urls if "example.invalid" in u]
    assert recorder.dialogs == []
    assert recorder.foreign_requests() == []


def _header(column: str) -> str:
    import words

    return words.header(column, "zh")
