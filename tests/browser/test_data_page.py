"""Upload the sample's GBK zipped Shapefile (Chinese headers, no .cpg), see the check, install it."""

from __future__ import annotations

import pytest
from conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_upload_gbk_shapefile_and_install(page, recorder, streamlit_app, browser_workspace):
    page.goto(streamlit_app + "/data")
    wait_for_app(page)
    page.locator("input[type='file']").set_input_files(str(browser_workspace / "parcels_gbk.zip"))
    page.get_by_text("读取 5000 宗", exact=False).wait_for(timeout=60_000)
    # the planted defects are listed with their rows
    assert page.get_by_text("数据问题", exact=False).count() >= 1
    page.get_by_role("button", name="导入为当前工作空间数据").click()
    page.get_by_text("已导入", exact=False).wait_for(timeout=60_000)
    assert (browser_workspace / "parcels.gpkg").exists()
    assert any((browser_workspace / "backup").iterdir())
    assert recorder.foreign_requests() == []
