"""Upload the sample's GBK zipped Shapefile (Chinese headers, no .cpg), see the check and the preview, install it."""

from __future__ import annotations

import pytest
from conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_upload_gbk_shapefile_and_install(page, recorder, streamlit_app, browser_workspace):
    page.goto(streamlit_app + "/data")
    wait_for_app(page)
    page.locator("input[type='file']").first.set_input_files(str(browser_workspace / "parcels_gbk.zip"))
    page.get_by_text("读取 5000 宗", exact=False).wait_for(timeout=60_000)
    # the planted defects are listed with their rows
    assert page.get_by_text("数据问题", exact=False).count() >= 1
    # the same parcels as installed: the preview says nothing would change, per park
    page.get_by_text("导入后的变化（按园区）").wait_for(timeout=60_000)
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入", exact=False).wait_for(timeout=60_000)
    assert (browser_workspace / "parcels.parquet").exists()
    assert any((browser_workspace / "versions").glob("*.json"))
    # never a server path on the page
    assert str(browser_workspace) not in page.inner_text("body")
    assert recorder.foreign_requests() == []
