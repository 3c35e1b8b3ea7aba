"""An idle-land case in real Chromium: a suspected parcel taken from the investigation notice to the fee paid."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO_ROOT, login_cookie, open_panel, require_chromium, run_streamlit, wait_for_app

from geo import io as gio
from geo import sample, workspace
from geo.cases import CaseStore

pytestmark = pytest.mark.browser

EXCEPTION = "[data-testid='stException']"
OFFICER = "黄测试"


@pytest.fixture(scope="module")
def case_ws(tmp_path_factory) -> Path:
    """A sample workspace of this module's own (its cases are written to)."""
    root = tmp_path_factory.mktemp("case_flow_ws")
    sample.write_sample(root, n=800)
    return root


@pytest.fixture(scope="module")
def case_app(case_ws) -> str:
    require_chromium()
    from layers.assets import missing_assets

    if missing_assets():
        pytest.fail("vendored map assets missing: run `python scripts/fetch_assets.py`", pytrace=False)
    env = {"GXLAND_WORKSPACE": str(case_ws)}
    with run_streamlit(REPO_ROOT / "app.py", env=env, cwd=REPO_ROOT) as url:
        yield url


def _suspected(ws: Path) -> str:
    """A suspected parcel (no cause recorded) of 南宁 without a case, as of today (the app's default date)."""
    w = workspace.Workspace(ws)
    parks = gio.read_parks(REPO_ROOT / "data" / "parks.geojson")
    analysed = workspace.analyse_idle(gio.read_parcels(w.parcels_path, parks=parks).gdf, as_of=date.today(),
                                      cases=w.case_store())
    taken = set(w.case_store().parcels())
    rows = analysed[(analysed["idle_status"] == "idle_suspected") & ~analysed["parcel_id"].isin(taken)
                    & analysed["parcel_id"].notna() & ~analysed["parcel_id"].duplicated(keep=False)]
    return str(rows["parcel_id"].iloc[0])


def _pick(page, label: str, option: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).get_by_role("combobox")
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(200)


def _record(page, stage: str, *, doc: str = "", cause: str | None = None, amount: str | None = None) -> None:
    open_panel(page, "登记处置环节")  # the form's widgets are drawn when its panel is opened
    _pick(page, "登记环节", stage)
    wait_for_app(page)  # the form then shows only what the stage records
    if doc:
        page.get_by_role("textbox", name="文号", exact=True).fill(doc)
    if cause:
        _pick(page, "认定的闲置原因", cause)
    if amount:
        page.get_by_label("金额(万元)").fill(amount)
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    assert page.locator(EXCEPTION).count() == 0
    page.get_by_text(f"已登记“{stage}”。").wait_for(timeout=30_000)


def test_suspected_parcel_through_to_the_fee_paid(page, case_ws, case_app, tmp_path):
    pid = _suspected(case_ws)
    login_cookie(page, case_ws, OFFICER, "reviewer")  # a section chief records every stage, overrides too
    page.goto(f"{case_app}/idle?parcel={pid}")
    wait_for_app(page)
    page.get_by_text("尚未立案", exact=False).first.wait_for(timeout=30_000)

    _record(page, "下达闲置土地调查通知书", doc="自然资闲调〔2026〕201号")
    _record(page, "使用权人提交说明材料")
    _record(page, "下达闲置土地认定书", doc="自然资闲认〔2026〕202号", cause="国有建设用地使用权人自身原因")
    _record(page, "闲置土地信息公开", doc="自然资闲公〔2026〕203号")
    _record(page, "告知听证权利", doc="自然资听告〔2026〕204号")
    _record(page, "放弃听证")
    _record(page, "下达征缴土地闲置费决定书", doc="自然资闲征〔2026〕205号", amount="12.50")
    _record(page, "土地闲置费已缴纳", amount="12.50")

    page.reload()
    wait_for_app(page)
    assert page.locator(EXCEPTION).count() == 0
    # The case is there: its documents download and open, its audit trail is on the card.
    button = page.get_by_role("button", name="征缴土地闲置费决定书（自然资闲征〔2026〕205号）")
    button.wait_for(timeout=30_000)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=45_000) as info:
        button.click()
    path = tmp_path / "fee.docx"
    info.value.save_as(path)
    from docx import Document

    doc = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for tb in doc.tables for r in tb.rows for c in r.cells)
    assert pid in text and "自然资闲征〔2026〕205号" in text
    for name in ("闲置土地调查通知书（自然资闲调〔2026〕201号）", "闲置土地认定书（自然资闲认〔2026〕202号）",
                 "听证告知书（自然资听告〔2026〕204号）"):
        assert page.get_by_role("button", name=name).count() == 1, name
    audit = page.get_by_text("操作记录（只增不改）")
    audit.scroll_into_view_if_needed()
    audit.click()  # the trail is made when the panel is opened (a rerun)
    page.wait_for_timeout(500)
    wait_for_app(page)
    trail = page.get_by_test_id("stExpander").filter(has_text="操作记录").get_by_test_id("stDataFrame")
    trail.wait_for(timeout=30_000)
    assert trail.count() == 1
    log = CaseStore(case_ws / "cases.sqlite").log(pid)
    assert list(log["stage"]) == ["investigation_notice", "holder_reply", "determination", "public_notice",
                                  "hearing_notice", "hearing_waived", "fee_decision", "fee_paid"]
    assert set(log["officer"]) == {OFFICER} and log["override_reason"].isna().all()
