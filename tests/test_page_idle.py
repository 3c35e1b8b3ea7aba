"""The idle page: find a parcel by number in any park, cards that follow the selection, Chinese only."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import pytest

from geo.accounts import Account
from geo.review import ReviewStore
from tests.conftest import shown_tables
from views.idle import card_parcel, filter_signature, find_parcel, normalise_parcel_number

IDS = pd.Series(["450100-GX-000010", "GX-001", "gx-002", "ＡＢ-7", None])

# No code of the analysis' vocabulary and no raw value may reach a Chinese reader.
BANNED = ("idle_fee", "idle_recover", "idle_exempt", "idle_suspected", "not_supplied", "holder",
          "progress_without_start", "supply_after_as_of", "halt_before_start", "agreed_before_supply",
          "extension_unreadable", "not_due", "not_started", "industrial", "residential",
          "nanning", "liuzhou", "confirmed", "dismissed", "investigation_notice", "None", "NaN", "nan",
          "True", "False", "00:00:00", "+00:00", "NaT", "explain_", "art14")  # fmt: skip


# --------------------------------------------------------------------------- plain rules


def test_find_parcel_exact_first_then_normalised():
    assert find_parcel(IDS, "GX-001") == "GX-001"
    assert find_parcel(IDS, "  GX-001 ") == "GX-001"  # trimmed
    assert find_parcel(IDS, "ｇｘ－００１") == "GX-001"  # full-width, other case
    assert find_parcel(IDS, "GX-002") == "gx-002"  # case
    assert find_parcel(IDS, "ab-7") == "ＡＢ-7"  # the stored number may be the full-width one
    assert find_parcel(IDS, "GX-003") is None
    assert find_parcel(IDS, "   ") is None and find_parcel(IDS, None) is None


def test_exact_match_wins_over_a_normalised_one():
    ids = pd.Series(["gx-001", "GX-001"])
    assert find_parcel(ids, "GX-001") == "GX-001"
    assert find_parcel(ids, "gx-001") == "gx-001"
    assert find_parcel(ids, "Gx-001") == "gx-001"  # no exact one: the first normalised match


def test_normalise_parcel_number():
    assert normalise_parcel_number(" ４５０１００－GX ") == "450100-gx"
    assert normalise_parcel_number(None) == ""


def test_card_parcel_clears_a_parcel_the_selection_left():
    assert card_parcel("A", ["A", "B"], None) == "A"
    assert card_parcel("A", ["B"], None) is None  # another park: the card is cleared
    assert card_parcel("A", ["B"], "A") == "A"  # found by number: kept whatever the filters
    assert card_parcel("A", [], "C") is None
    assert card_parcel(None, ["A"], None) is None
    assert filter_signature(["nanning"], ["idle_fee"], None, "") != filter_signature(["liuzhou"], ["idle_fee"], None, "")


# --------------------------------------------------------------------------- page


@pytest.fixture(scope="module")
def sample_parcels(sample_workspace) -> gpd.GeoDataFrame:
    return pd.DataFrame(gpd.read_parquet(sample_workspace / "parcels.parquet").drop(columns="geometry"))


def _idle_page(app):
    at = app.run()
    at.switch_page("views/idle.py").run()
    assert not at.exception
    return at


#: How each table is recognised (keyed dataframes carry no id under AppTest): a column it has.
TABLE_COLUMNS = {"idle_card_table": "项目", "idle_list": "土地用途", "idle_history": "记录时间(北京时间)",
                 "idle_summary": "宗数"}  # fmt: skip


def _table(at, key: str) -> pd.DataFrame | None:
    for v in shown_tables(at):
        if TABLE_COLUMNS[key] in v.columns:
            return v
    return None


def _visible_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [e.value for e in at.error] + [s.value for s in at.subheader]
    for v in shown_tables(at):
        parts.append(" ".join(map(str, v.columns)))
        parts.append(v.astype(str).to_csv(index=False))
    return "\n".join(map(str, parts))


def _banned_in(text: str) -> list[str]:
    return [w for w in BANNED if re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text)]


def _pid_in(parcels: gpd.GeoDataFrame, park: str, status: str | None = None) -> str:
    rows = parcels[parcels["park_id"] == park]
    return str(rows["parcel_id"].iloc[len(rows) // 2])


def test_search_finds_a_parcel_of_a_park_not_selected(app, sample_parcels):
    pid = _pid_in(sample_parcels, "liuzhou")
    at = _idle_page(app)
    assert at.multiselect(key="idle_parks@zh").value == ["nanning"]
    at.text_input(key="idle_search").input(f"  {pid.lower()} ").run()
    assert not at.exception
    assert at.selectbox(key="idle_pick").value == pid
    card = _table(at, "idle_card_table")
    values = dict(zip(card.iloc[:, 0], card.iloc[:, 1], strict=True))
    assert values["宗地编号"] == pid and values["园区"] == "柳州高新技术产业开发区"
    assert at.query_params["parcel"] == [pid] or at.query_params["parcel"] == pid
    # another rerun (e.g. a click elsewhere) keeps it; changing the parks clears it
    at.run()
    assert at.selectbox(key="idle_pick").value == pid
    at.multiselect(key="idle_parks@zh").set_value(["nanning", "guilin"]).run()
    assert not at.exception
    assert at.selectbox(key="idle_pick").value is None
    assert _table(at, "idle_card_table") is None
    assert at.text_input(key="idle_search").value == ""  # the number left with its parcel
    at.text_input(key="idle_search").input(pid).run()  # typed again: found again
    assert at.selectbox(key="idle_pick").value == pid


def test_unknown_number_says_so_in_chinese(app):
    at = _idle_page(app)
    at.text_input(key="idle_search").input("无此编号-999").run()
    assert not at.exception
    assert any("未找到宗地编号“无此编号-999”" in w.value for w in at.warning)


def test_card_is_cleared_when_the_park_changes(app, sample_parcels):
    at = _idle_page(app)
    options = at.selectbox(key="idle_pick").options
    at.selectbox(key="idle_pick").set_value(options[1]).run()
    assert at.selectbox(key="idle_pick").value == options[1]
    at.multiselect(key="idle_parks@zh").set_value(["liuzhou"]).run()
    assert not at.exception
    assert at.selectbox(key="idle_pick").value is None  # no parcel of 南宁 left on the card
    assert _table(at, "idle_card_table") is None
    assert "请在地图上点击或从列表中选择宗地" in _visible_text(at)


def test_parcel_in_the_address_opens_its_card(app, sample_parcels):
    pid = _pid_in(sample_parcels, "guilin")
    at = app.run()  # "/" opens the overview (a page switch, which drops the address's parameters)
    at.query_params["parcel"] = pid  # then /idle?parcel=… is opened
    at.switch_page("views/idle.py").run()
    assert not at.exception
    assert at.selectbox(key="idle_pick").value == pid
    assert _table(at, "idle_card_table") is not None


def test_chinese_page_shows_no_codes_even_with_decisions(app, sample_workspace, sample_parcels):
    store = ReviewStore(sample_workspace / "review.sqlite")
    at = _idle_page(app)
    listing = _table(at, "idle_list")
    fee_rows = listing[listing["闲置状态"].str.contains("征缴土地闲置费")]
    pid = str(fee_rows["宗地编号"].iloc[0])
    store.record(pid, action="confirm", account=Account("测试员", "reviewer"), computed_status="idle_fee")
    store.record(pid, action="stage", stage="investigation_notice", account=Account("测试员", "reviewer"))
    at.text_input(key="idle_search").input(pid).run()
    assert not at.exception and at.selectbox(key="idle_pick").value == pid
    text = _visible_text(at)
    assert _banned_in(text) == []
    assert "第十四条" in text and "万元" in text
    history = _table(at, "idle_history")
    assert list(history.columns) == ["记录时间(北京时间)", "记录人", "记录人角色", "操作", "处置阶段", "理由", "备注",
                                     "记录时系统判定"]
    assert set(history["记录人"]) == {"测试员"} and set(history["记录人角色"]) == {"科室负责人（审核）"}
    assert set(history["操作"]) == {"确认闲置", "处置进展"}
    assert history["记录时系统判定"].iloc[0].startswith("逾期未动工")
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", v) for v in history["记录时间(北京时间)"])
    listing = _table(at, "idle_list")
    row = listing[listing["宗地编号"] == pid].iloc[0]
    assert row["核查结论"] == "已确认闲置" and row["处置阶段"] == "已下达调查通知书"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row["核查时间(北京时间)"])
    info = " ".join(i.value for i in at.info)
    assert "当前结论：已确认闲置（测试员，" in info


def test_every_status_and_kind_renders_in_chinese(app):
    at = _idle_page(app)
    at.multiselect(key="idle_parks@zh").set_value(["nanning", "liuzhou", "guilin", "beihai"]).run()
    at.multiselect(key="idle_statuses@zh").set_value(
        ["not_supplied", "not_due", "overdue", "stalled", "idle_suspected", "idle_fee", "idle_recover", "idle_exempt",
         "active", "completed", "unknown"]
    ).run()
    assert not at.exception
    text = _visible_text(at)
    assert _banned_in(text) == []
    listing = _table(at, "idle_list")
    assert listing["面积(亩)"].map(lambda v: v is None or round(float(v), 1) == float(v)).all()


def test_search_works_when_the_filters_show_nothing(app, sample_parcels):
    pid = _pid_in(sample_parcels, "beihai")
    at = _idle_page(app)
    at.multiselect(key="idle_statuses@zh").set_value([]).run()
    at.text_input(key="idle_search").input(pid).run()
    assert not at.exception
    assert at.selectbox(key="idle_pick").value == pid
    assert "显示 0 宗" in _visible_text(at)


def test_english_page_explains_in_english(app, sample_parcels):
    app.session_state["lang"] = "en"
    at = _idle_page(app)
    text = _visible_text(at)
    assert "**Explanation**: " in text and "Art. 2" in text
    assert "Nanning Hi-tech Industrial Development Zone" in text and "nanning" not in text.split()
    summary = _table_en(at)
    assert summary.iloc[-1, 0] == "Total"


def _table_en(at) -> pd.DataFrame:
    return next(v for v in shown_tables(at) if "Parcels" in v.columns)


def _feature_groups(at) -> list[str | None]:
    import json

    args = [json.loads(e.proto.json_args or "{}") for e in at.get("component_instance")]
    return [a.get("feature_group") for a in args if "script" in a]


def test_the_picked_parcels_outline_is_made_once_per_parcel(app, sample_parcels, monkeypatch):
    import layers
    from views import mapview

    mapview.GROUPS.clear()  # another test may have outlined the same parcels
    made = []
    real = layers.highlight_layer
    monkeypatch.setattr(layers, "highlight_layer", lambda *a, **k: made.append(a[1]) or real(*a, **k))
    at = _idle_page(app)
    first = at.selectbox(key="idle_pick").value
    (group,) = _feature_groups(at)
    assert first is not None and first in group  # the card's parcel, outlined on the map
    n = len(made)
    at.run()  # another rerun, the same parcel
    assert not at.exception and _feature_groups(at) == [group] and len(made) == n  # not made again
    other = next(p for p in at.selectbox(key="idle_pick").options if p != first)
    at.selectbox(key="idle_pick").set_value(other).run()
    assert not at.exception
    (group2,) = _feature_groups(at)
    assert other in group2 and first not in group2 and len(made) == n + 1
