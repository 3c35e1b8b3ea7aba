"""Roles and park scopes refused in the stores (geo.cases, geo.review, geo.workspace), not only in the pages."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo import workspace
from geo.accounts import APPROVAL_STAGES, AccessError, Account, require
from geo.cases import STAGES
from geo.workspace import Workspace
from words.accounts import access_text

NANNING = (530_627.0, 2_527_917.0)

VIEWER = Account("查看员", "viewer")
NANNING_OFFICER = Account("南宁经办", "officer", parks=("nanning",))
GUILIN_OFFICER = Account("桂林经办", "officer", parks=("guilin",))
GUILIN_CHIEF = Account("桂林科长", "reviewer", parks=("guilin",))
CHIEF = Account("科长", "reviewer")
ADMIN = Account("管理员", "admin")


@pytest.fixture
def ws(tmp_path) -> Workspace:
    """Two parcels of 南宁 (N1, N2) and two of 桂林 (G1, G2), the park written in the file."""
    x, y = NANNING
    gdf = gpd.GeoDataFrame(
        {"parcel_id": ["N1", "N2", "G1", "G2"], "park_id": ["nanning", "nanning", "guilin", "guilin"]},
        geometry=[box(x + i * 100, y, x + i * 100 + 80, y + 80) for i in range(4)], crs=4545)
    gdf.to_file(tmp_path / "parcels.gpkg")
    return Workspace(tmp_path)


def _code(fn) -> str:
    with pytest.raises(AccessError) as err:
        fn()
    return err.value.code


def test_a_nanning_officer_cannot_record_on_a_guilin_parcel(ws):
    store = ws.case_store()
    day = date(2026, 9, 1)
    store.record("N1", "investigation_notice", account=NANNING_OFFICER, park_id="nanning", event_date=day)
    # the caller's park …
    assert _code(lambda: store.record("G1", "investigation_notice", account=NANNING_OFFICER, park_id="guilin",
                                      event_date=day)) == "access_park_out_of_scope"
    # … and the workspace's: a park given wrongly is caught, none given is looked up
    assert _code(lambda: store.record("G1", "investigation_notice", account=NANNING_OFFICER, park_id="nanning",
                                      event_date=day)) == "access_park_mismatch"
    assert _code(lambda: store.record("G1", "investigation_notice", account=NANNING_OFFICER,
                                      event_date=day)) == "access_park_out_of_scope"
    store.record("N2", "investigation_notice", account=NANNING_OFFICER, event_date=day)
    # a parcel no file knows, with no park given: a scoped account cannot act on it
    assert _code(lambda: store.record("X9", "investigation_notice", account=NANNING_OFFICER,
                                      event_date=day)) == "access_park_unknown"
    log = store.log()
    assert list(log["parcel_id"]) == ["N1", "N2"]
    assert list(log["officer"]) == ["南宁经办", "南宁经办"] and list(log["officer_role"]) == ["officer", "officer"]


def test_officers_record_steps_reviewers_the_decisions(ws):
    store = ws.case_store()
    store.record("G1", "investigation_notice", account=GUILIN_OFFICER, event_date=date(2026, 1, 5))
    store.record("G1", "holder_reply", account=GUILIN_OFFICER, event_date=date(2026, 1, 20))
    with pytest.raises(AccessError) as err:
        store.record("G1", "determination", account=GUILIN_OFFICER, event_date=date(2026, 3, 1), cause="holder")
    assert err.value.code == "access_needs_reviewer" and err.value.params["action"] == "approve"
    # a chief of another park cannot either
    assert _code(lambda: store.record("G1", "determination", account=Account("南宁科长", "reviewer", ("nanning",)),
                                      event_date=date(2026, 3, 1), cause="holder")) == "access_park_out_of_scope"
    store.record("G1", "determination", account=GUILIN_CHIEF, event_date=date(2026, 3, 1), cause="holder")
    # an override of the procedure's rules is a chief's call as well
    assert _code(lambda: store.record("G1", "hearing_held", account=GUILIN_OFFICER, event_date=date(2026, 3, 2),
                                      override=True, override_reason="当面告知")) == "access_needs_reviewer"
    store.record("G1", "hearing_held", account=CHIEF, event_date=date(2026, 3, 2), override=True,
                 override_reason="当面告知")
    log = store.log("G1")
    assert list(log["officer_role"]) == ["officer", "officer", "reviewer", "reviewer"]
    assert list(log["officer"]) == ["桂林经办", "桂林经办", "桂林科长", "科长"]


@pytest.mark.parametrize("stage", sorted(APPROVAL_STAGES))
def test_every_approval_stage_needs_a_reviewer(ws, stage):
    """认定书, 征缴决定书, 收回决定书, 协商处置: an officer of the parcel's own park is refused, whatever else."""
    assert stage in STAGES
    store = ws.case_store()
    assert _code(lambda: store.record("N1", stage, account=NANNING_OFFICER, event_date=date(2026, 9, 1))) \
        == "access_needs_reviewer"
    assert store.log().empty


def test_viewers_and_anonymous_record_nothing(ws):
    cases, review = ws.case_store(), ws.review_store()
    for account, code in ((VIEWER, "access_read_only"), (None, "access_no_account"),
                          (Account(" ", "admin"), "access_no_account")):
        assert _code(lambda a=account: cases.record("N1", "investigation_notice", account=a,
                                                     event_date=date(2026, 9, 1))) == code
        assert _code(lambda a=account: review.record("N1", action="confirm", account=a)) == code
    assert cases.log().empty and review.log().empty


def test_review_store_scope_and_decisions(ws):
    store = ws.review_store()
    store.record("N1", action="confirm", account=NANNING_OFFICER, park_id="nanning")
    store.record("N1", action="stage", stage="fee_paid", account=NANNING_OFFICER)
    assert _code(lambda: store.record("G1", action="confirm", account=NANNING_OFFICER)) == "access_park_out_of_scope"
    assert _code(lambda: store.record("N1", action="stage", stage="fee_levied",
                                      account=NANNING_OFFICER)) == "access_needs_reviewer"
    store.record("N1", action="stage", stage="fee_levied", account=CHIEF)
    log = store.log()
    assert list(log["user_name"]) == ["南宁经办", "南宁经办", "科长"]
    assert list(log["user_role"]) == ["officer", "officer", "reviewer"]


def test_imports_and_restores_are_for_admins(ws):
    x, y = NANNING
    incoming = gpd.GeoDataFrame({"parcel_id": ["N1"], "park_id": ["nanning"]},
                                geometry=[box(x, y, x + 50, y + 50)], crs=4545)
    for account, code in ((NANNING_OFFICER, "access_needs_admin"), (CHIEF, "access_needs_admin"),
                          (VIEWER, "access_needs_admin"), (None, "access_no_account")):
        assert _code(lambda a=account: workspace.install(ws, incoming, "update", account=a)) == code
        assert _code(lambda a=account: workspace.restore(ws, "1", account=a)) == code
    m = workspace.install(ws, incoming, "update", account=ADMIN)
    assert m["user"] == "管理员" and m["role"] == "admin"
    m = workspace.restore(ws, "1", account=ADMIN)
    assert m["user"] == "管理员" and m["mode"] == "restore"


def test_batch_refuses_parcels_out_of_scope_one_by_one(ws):
    store = ws.case_store()
    out = store.record_many(["N1", "G1", "N2"], "investigation_notice", account=NANNING_OFFICER,
                            park_ids={"N1": "nanning", "G1": "guilin"}, event_date=date(2026, 9, 1))
    assert out["entry_id"].notna().tolist() == [True, False, True]
    assert out.loc[1, "error"]["code"] == "access_park_out_of_scope"


def test_refusals_read_in_chinese_with_park_names():
    from geo import io

    parks = io.read_parks("data/parks.geojson")
    with pytest.raises(AccessError) as err:
        require(NANNING_OFFICER, "record", park_id="guilin")
    text = access_text(err.value.item, "zh", parks)
    assert text == ("该宗地属于桂林高新技术产业开发区，不在账号“南宁经办”负责的园区（南宁高新技术产业开发区）内，"
                    "不能记录。")
    with pytest.raises(AccessError) as err:
        require(VIEWER, "record", park_id="guilin")
    assert access_text(err.value.item, "zh", parks) == "账号“查看员”的角色为查看人员，只能查看，不能记录。"
    with pytest.raises(AccessError) as err:
        require(NANNING_OFFICER, "approve", park_id="nanning")
    assert access_text(err.value.item, "zh", parks) == \
        "审核决定须由科室负责人（审核）办理，账号“南宁经办”的角色为园区经办人。"
    assert "guilin" not in access_text({"code": "access_park_mismatch", "park_id": "guilin",
                                        "known_park_id": "nanning"}, "zh", parks)
