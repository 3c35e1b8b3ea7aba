"""
园区对比 page: its pure helpers on hand-worked box parcels, then the page under AppTest
on the sample workspace, checked against ``python -m geo evaluate``.

Hand case (EPSG:4545, 1 ha = a 100 m × 100 m box), as of 2026-11-25:

Park A (national; developable 10 ha, supply-ready 8 ha):
  a1 industrial 2 ha, supplied 2015, completed 2017: floor 16,000 m², footprint
     10,000 m², invested 3,000 万元, tax 300 万元
  a2 commercial 1 ha, supplied 2018, completed 2019: floor 20,000 m², footprint 4,000 m², tax 200 万元
  a3 industrial 1 ha, supplied 2024, not built, idle_fee, fee_paid (disposed)
  a4 industrial 1 ha, supplied 2025, not built, idle_recover, not disposed
  → supplied 5 ha, built-up 3 ha, built-up industrial 2 ha; supply rate 5/8, built-up
    rate 3/5, industrial share 2/3, overall FAR 36,000/30,000 = 1.2, building density
    14,000/30,000, industrial FAR 16,000/20,000 = 0.8, building coefficient 0.5,
    investment 1,500 万元/ha, industrial tax 150 万元/ha, overall tax 500/3 万元/ha,
    idle disposal 1/2, unbuilt share 2/10.
Park B (national; 6 ha / 5 ha): b1 industrial 1 ha built-up, floor 9,000 m².
Park C (regional; 4 ha / 3 ha): no parcels at all → NaN rates, no crash.
"""

from __future__ import annotations

import io
import json
import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

import cli
import words
from geo import io as geo_io
from geo import workspace
from geo.evaluation import INDICATORS, EvaluationError, evaluate_parks, evaluation_settings
from geo.review import ReviewStore
from tests.conftest import ROOT, map_scripts
from views import compare, display, pager

AS_OF = "2026-11-25"


def ha_box(x0: float, ha: float):
    return box(x0, 0, x0 + 100 * ha, 100)


@pytest.fixture(scope="module")
def hand_ev():
    parks = pd.DataFrame({
        "park_id": ["A", "B", "C"], "name_zh": ["甲园区", "乙园区", "丙园区"], "name_en": ["Park A", "Park B", "Park C"],
        "level": ["national", "national", "regional"],
        "developable_ha": [10.0, 6.0, 4.0], "supply_ready_ha": [8.0, 5.0, 3.0],
    })
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": ["a1", "a2", "a3", "a4", "b1"],
            "park_id": ["A", "A", "A", "A", "B"],
            "land_use": ["industrial", "commercial", "industrial", "industrial", "industrial"],
            "supply_date": pd.to_datetime(["2015-01-01", "2018-01-01", "2024-01-01", "2025-01-01", "2016-01-01"]),
            "completion_date": pd.to_datetime(["2017-01-01", "2019-01-01", None, None, "2018-01-01"]),
            "floor_area_m2": [16_000.0, 20_000.0, np.nan, np.nan, 9_000.0],
            "footprint_m2": [10_000.0, 4_000.0, np.nan, np.nan, 5_000.0],
            "invested_wan": [3_000.0, np.nan, np.nan, np.nan, 1_000.0],
            "tax_wan": [300.0, 200.0, np.nan, np.nan, 80.0],
            "idle_status": ["not_idle", "not_idle", "idle_fee", "idle_recover", "not_idle"],
            "disposal_status": [None, None, "fee_paid", None, None],
            "inefficient": [False, False, False, False, True],
        },
        geometry=[ha_box(0, 2), ha_box(1000, 1), ha_box(2000, 1), ha_box(3000, 1), ha_box(5000, 1)],
        crs="EPSG:4545",
    )
    return evaluate_parks(parks, parcels, as_of=AS_OF)


def test_indicator_table_worked_by_hand(hand_ev):
    tb = compare.indicator_table(hand_ev, ["A", "B"], lang="zh").set_index("park_id")
    a = tb.loc["A"]
    assert a["name"] == "甲园区" and a["level"] == "国家级"
    expected = {
        "development_rate": 8 / 10, "supply_rate": 5 / 8, "builtup_rate": 3 / 5, "industrial_share": 2 / 3,
        "far_overall": 36_000 / 30_000, "building_density": 14_000 / 30_000, "far_industrial": 0.8,
        "building_coef_industrial": 0.5, "invest_wan_per_ha": 1_500, "tax_industrial_wan_per_ha": 150,
        "tax_overall_wan_per_ha": 500 / 3, "idle_disposal_rate": 0.5, "unbuilt_share": 2 / 10,
    }
    for ind, value in expected.items():
        assert a[ind] == pytest.approx(value), ind
    # Reference row: domain.md §5 national averages of end 2019, last, without rank.
    ref = tb.loc[compare.REFERENCE_ID]
    assert list(tb.index)[-1] == compare.REFERENCE_ID
    assert ref["name"] == "全国平均(2019年)"
    assert ref["development_rate"] == pytest.approx(0.8946)
    assert ref["invest_wan_per_ha"] == pytest.approx(8984)
    assert pd.isna(ref["rank"]) and pd.isna(ref["building_density"])
    heads = compare.indicator_headers(lang="zh", settings=hand_ev.settings)
    assert heads["development_rate"] == "土地开发率(%)"
    assert heads["invest_wan_per_ha"] == "工业用地固定资产投入强度(万元/公顷)"
    assert heads["far_overall"] == "综合容积率"


@pytest.mark.parametrize("figure", list(compare.FIGURE_PARTS))
@pytest.mark.parametrize("park", ["A", "B"])
def test_parts_equal_sums_over_parcels_behind(hand_ev, figure, park):
    parts = compare.figure_breakdown(hand_ev, park, figure)
    assert parts["matches"].all(), parts
    for _, p in parts.iterrows():
        if p["parcel_column"] is None or pd.isna(p["parcel_column"]):
            continue
        rows = compare.behind_rows(hand_ev, park, figure, p["part"], lang="en")
        if p["parcel_column"] == "area_ha":
            assert rows["area_ha"].sum() == pytest.approx(p["table_value"] if not math.isnan(p["table_value"]) else 0)


def test_parts_by_hand(hand_ev):
    parts = compare.figure_breakdown(hand_ev, "A", "far_overall").set_index("part")
    assert parts.loc["numerator", "parcel_sum"] == pytest.approx(36_000)  # a1 + a2 floor area
    assert parts.loc["denominator", "parcel_sum"] == pytest.approx(3.0)  # built-up ha
    assert parts.loc["denominator", "n_parcels"] == 2
    idle = compare.figure_breakdown(hand_ev, "A", "idle_disposal_rate").set_index("part")
    assert idle.loc["numerator", "parcel_sum"] == pytest.approx(1.0)
    assert idle.loc["denominator", "parcel_sum"] == pytest.approx(2.0)
    dev = compare.figure_breakdown(hand_ev, "A", "development_rate")
    assert dev["parcel_column"].isna().all() and list(dev["table_value"]) == [8.0, 10.0]
    with pytest.raises(EvaluationError) as err:
        compare.figure_breakdown(hand_ev, "A", "nonsense")
    assert err.value.item == {"code": "eval_unknown_figure", "figure": "nonsense"}
    with pytest.raises(EvaluationError) as err:
        compare.figure_breakdown(hand_ev, "Z", "supply_rate")
    assert err.value.item == {"code": "eval_park_not_evaluated", "park_ids": ["Z"]}


def test_park_without_parcels_gives_nan_rates_not_a_crash(hand_ev):
    tb = compare.indicator_table(hand_ev, ["A", "C"], lang="en").set_index("park_id")
    c = tb.loc["C"]
    assert c["development_rate"] == pytest.approx(3 / 4)  # park attributes only
    for ind in ("supply_rate", "builtup_rate", "far_overall", "invest_wan_per_ha", "idle_disposal_rate"):
        assert math.isnan(c[ind]), ind
    bars, _ = compare.bar_frame(hand_ev, ["A", "C"], "supply_rate", lang="en")
    assert bars["value"].iloc[0] == pytest.approx(62.5) and math.isnan(bars["value"].iloc[1])
    points = compare.radar_frame(hand_ev, ["C"], lang="en", include_reference=False)
    assert points["missing"].any() and np.isfinite(points[["x", "y"]].to_numpy()).all()
    for figure in compare.FIGURE_PARTS:
        parts = compare.figure_breakdown(hand_ev, "C", figure)
        assert parts["matches"].all(), figure
        assert (parts["n_parcels"] == 0).all()
    ranking = compare.ranking_table(hand_ev, lang="en", picked=["A", "C"])
    # Only development_rate (weight 6 of 100) is known: below min_weight_share_for_score → no score, no rank, last.
    assert list(ranking["park_id"])[-1] == "C" and pd.isna(ranking["rank"].iloc[-1])
    assert ranking.set_index("park_id").loc["C", "n_parcels"] == 0


def test_radar_points_are_polar(hand_ev):
    points = compare.radar_frame(hand_ev, ["A"], lang="zh", include_reference=True)
    n = len(INDICATORS)
    a = points[points["series"] == "甲园区"]
    assert len(a) == n + 1 and a["indicator"].iloc[0] == a["indicator"].iloc[-1]  # closed line
    first = a.iloc[0]
    assert first["x"] == pytest.approx(0.0) and first["y"] == pytest.approx(first["std"])  # north spoke
    k = INDICATORS.index("far_industrial")
    row = a.iloc[k]
    r = math.hypot(row["x"], row["y"])
    assert r == pytest.approx(row["std"])
    assert math.atan2(row["x"], row["y"]) % (2 * math.pi) == pytest.approx(2 * math.pi * k / n)
    ref = points[points["series"] == "全国平均(2019年)"]
    assert ref["missing"].any()  # building density has no published national average
    compare.radar_chart(points, lang="zh").to_dict()  # a valid Vega-Lite spec


def test_ranking_and_excel_export(hand_ev):
    ranking = compare.ranking_table(hand_ev, lang="zh", picked=["A", "B"])
    assert list(ranking["rank"].dropna()) == sorted(ranking["rank"].dropna())
    blob = compare.excel_bytes(hand_ev, ["B", "A"], lang="zh")
    sheets = pd.read_excel(io.BytesIO(blob), sheet_name=None)
    assert set(sheets) == {"评价指标对比", "本次评价使用的参数", "全国平均(2019年)"}
    ev_sheet = sheets["评价指标对比"]
    assert list(ev_sheet["园区名称"]) == ["乙园区", "甲园区", "全国平均(2019年)"]
    assert "园区编号" not in ev_sheet.columns
    assert "得分" in ev_sheet.columns and "土地供应率" in ev_sheet.columns
    assert ev_sheet["土地供应率"].iloc[1] == pytest.approx(5 / 8)
    assert ev_sheet["园区类型"].iloc[1] == "工业主导型" and ev_sheet["级别"].iloc[1] == "国家级"
    settings = sheets["本次评价使用的参数"].set_index("参数")
    cut = settings.loc["园区类型划分界限（工业用地率 ≥ 界限为工业主导型）"]
    assert cut["取值"] == "30.0%" and cut["依据"] == "本系统默认参数"
    assert str(settings.loc["工业主导型权重：工业用地综合容积率", "取值"]) == "12"
    ref = sheets["全国平均(2019年)"]
    assert ref["公布平均分值(分)"].iloc[0] == pytest.approx(61.53)
    assert "国家级开发区土地集约利用监测统计情况" in ref["来源"].iloc[0]
    text = " ".join(f.astype(str).to_string() for f in sheets.values())
    assert not re.search(r"\b(national_average_2019|industry_led|mixed|national|exclude|supplied|True|False|"
                         r"[a-z]+_[a-z_]+)\b", text)


def test_settings_table_marks_user_settings():
    s = evaluation_settings({"park_type_cutoff_industrial_share": 0.5})
    table = compare.settings_table(s, lang="zh").set_index("参数")
    row = table.loc["园区类型划分界限（工业用地率 ≥ 界限为工业主导型）"]
    assert row["取值"] == "50.0%" and row["默认值"] == "30.0%" and row["依据"] == "用户设定"
    assert table.loc["无数据指标的处理", "取值"] == "剔除，其余权重归一"
    assert table.loc["逆向指标", "取值"] == "待建地占比"


def test_parse_settings():
    assert compare.parse_settings(None) is None
    s = compare.parse_settings("park_type_cutoff_industrial_share: 0.5\n")
    assert s["park_type_cutoff_industrial_share"] == 0.5 and s["overridden"] == ["park_type_cutoff_industrial_share"]
    with pytest.raises(EvaluationError) as err:
        compare.parse_settings("a: 1\nb: [1,\n")
    assert err.value.code == "eval_settings_yaml_syntax"
    line, column = err.value.params["line"], err.value.params["column"]
    assert isinstance(line, int) and line >= 2 and isinstance(column, int)
    assert words.render(err.value.item, "zh").startswith(f"评价参数文件第{line}行第{column}列附近格式有误")
    with pytest.raises(EvaluationError) as err:
        compare.parse_settings("- 1\n- 2\n")
    assert err.value.item == {"code": "eval_settings_not_mapping"}
    with pytest.raises(EvaluationError) as err:
        compare.parse_settings("missing_indicator: maybe\n")
    assert err.value.item == {"code": "eval_setting_choice", "key": "missing_indicator", "value": "maybe",
                              "allowed_choices": ["exclude", "zero"]}
    with pytest.raises(EvaluationError) as err:
        compare.parse_settings("park_type_cutoff_industrial_share: 1.5\n")
    assert err.value.item == {"code": "eval_setting_out_of_range", "key": "park_type_cutoff_industrial_share",
                              "value": 1.5, "low": 0, "high": 1}
    assert words.render(err.value.item, "zh") == (
        "评价参数中 park_type_cutoff_industrial_share（园区类型划分界限（工业用地率 ≥ 界限为工业主导型））"
        " 的值 1.5 超出范围：应在 0 到 1 之间。")


def test_report_for_a_hand_park(hand_ev):
    from reports import park_report_docx

    blob = park_report_docx(hand_ev, "A", parks=pd.DataFrame({"park_id": ["A", "B", "C"]}), lang="zh")
    assert blob[:2] == b"PK"  # a .docx is a zip


# --------------------------------------------------------------------------- AppTest on the sample




def _frame_with(at, column: str) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, f"no table with column {column!r}"
    return frames[0]


def _sample_evaluation(ws):
    parks = geo_io.read_parks(ROOT / "data" / "parks.geojson")
    loaded = geo_io.read_parcels(ws / "parcels.parquet", parks=parks)
    parcels = workspace.join_review(loaded.gdf, ReviewStore(ws / "review.sqlite").current())
    return evaluate_parks(parks, parcels, as_of=AS_OF)


def test_compare_page_default_national_parks(app):
    at = app.run()
    at.switch_page("views/compare.py").run()
    assert not at.exception
    assert at.title[0].value == "园区对比"
    assert at.multiselect(key="cmp_parks@zh").value == ["nanning", "liuzhou", "guilin", "beihai"]
    table = _frame_with(at, "土地开发率(%)")
    assert "园区编号" not in table.columns
    assert list(table["园区"])[-1] == "全国平均(2019年)"
    assert table["园区"].iloc[0].startswith("南宁")
    assert table["综合容积率"].iloc[-1] == pytest.approx(0.98)
    ranking = _frame_with(at, "已选")
    assert len(ranking) == 12 and list(ranking["总排名"]) == sorted(ranking["总排名"])
    buttons = [b.proto.label for b in at.get("download_button")]
    assert "下载评价报告（Word）" in buttons and any("Excel" in b for b in buttons)
    assert at.selectbox(key="cmp_report_park@zh").value == "nanning"


def test_page_matches_cli_evaluate(app, sample_workspace, tmp_path):
    out = tmp_path / "evaluation.csv"
    code = cli.main(["evaluate", "--parks", str(ROOT / "data" / "parks.geojson"),
                     "--parcels", str(sample_workspace / "parcels.parquet"), "--as-of", AS_OF, "-o", str(out),
                     "--review", str(sample_workspace / "review.sqlite"), "--cases", str(sample_workspace / "cases.sqlite"),
                     "--codes"])
    assert code == 0
    cli_table = pd.read_csv(out, encoding="utf-8-sig").set_index("park_id")
    at = app.run()
    at.switch_page("views/compare.py").run()
    everyone = list(cli_table.index)
    at.multiselect(key="cmp_parks@zh").set_value(everyone).run()
    assert not at.exception
    heads = compare.indicator_headers(lang="zh")
    names = dict(zip(cli_table.index, cli_table["name_zh"], strict=True))
    page = _frame_with(at, heads["development_rate"]).set_index(heads["name"]).drop(index="全国平均(2019年)")
    assert list(page.index) == [names[p] for p in everyone]
    kinds = compare.display_kinds(heads)
    for col in ("score", "development_rate", "supply_rate", "far_overall", "invest_wan_per_ha",
                "tax_overall_wan_per_ha", "idle_disposal_rate"):
        # compared as the officer reads them: "—", "12.34%", "186.67" (a column with a gap is text)
        kind = kinds[heads[col]]
        expected = [display.fmt_value(v, kind) for v in cli_table.loc[everyone, col].astype(float)]
        shown = [v if isinstance(v, str) else display.fmt_value(v, kind) for v in page.loc[[names[p] for p in everyone], heads[col]]]
        assert shown == expected, col
    for col in ("rank", "rank_in_level"):
        assert list(page[heads[col]].astype(int)) == list(cli_table.loc[everyone, col].astype(int)), col
    ranking = _frame_with(at, "已选").set_index("园区")
    ranked = [names[p] for p in everyone]
    assert list(ranking.loc[ranked, "总排名"].astype(int)) == list(cli_table.loc[everyone, "rank"].astype(int))
    assert set(ranking["已选"]) == {"是"}


def test_sample_figures_equal_sums_over_parcels(sample_workspace):
    ev = _sample_evaluation(sample_workspace)
    for pid in ev.table["park_id"]:
        for figure in compare.FIGURE_PARTS:
            parts = compare.figure_breakdown(ev, pid, figure)
            assert parts["matches"].all(), (pid, figure, parts)


def test_parcels_behind_expander_on_the_page(app, sample_workspace):
    at = app.run()
    at.switch_page("views/compare.py").run()
    with pytest.raises(KeyError):  # closed: nothing of it made or shipped
        at.selectbox(key="cmp_behind_park@zh")
    at.session_state["cmp_behind_open"] = True  # as a click on the expander does
    at.run()
    at.selectbox(key="cmp_behind_park@zh").set_value("liuzhou")
    at.selectbox(key="cmp_behind_fig@zh").set_value("builtup_rate")
    at.radio(key="cmp_behind_part@zh").set_value("denominator").run()
    assert not at.exception
    ev = _sample_evaluation(sample_workspace)
    supplied = float(ev.table.set_index("park_id").loc["liuzhou", "supplied_ha"])
    behind = compare.behind_rows(ev, "liuzhou", "builtup_rate", "denominator")
    assert behind["area_ha"].sum() == pytest.approx(supplied)
    captions = " ".join(c.value for c in at.caption)
    assert f"{supplied:,.2f} 公顷" in captions and "不一致" not in captions
    # a page of the parcels at a time, the first page by default, with the count of them all
    area_head = words.header("area_ha")
    rows = _frame_with(at, area_head)
    assert len(behind) > 50 and len(rows) == 50
    assert list(rows[words.header("parcel_id")]) == list(behind["parcel_id"].head(50))
    assert pager.total_line(pager.page_of(len(behind), 50, 1), "zh") in captions
    at.number_input(key="cmp_behind_pager_page").set_value(2).run()
    rows = _frame_with(at, area_head)
    assert list(rows[words.header("parcel_id")]) == list(behind["parcel_id"].iloc[50:100])


def test_charts_made_when_opened_and_converted_once(app, monkeypatch):
    def charts(at) -> list[dict]:
        return [json.loads(e.proto.spec) for e in [*at.get("arrow_vega_lite_chart"), *at.get("vega_lite_chart")]]

    at = app.switch_page("views/compare.py").run()
    assert not at.exception
    assert charts(at) == []  # closed: neither made nor shipped
    assert any(e.label == "图表：指标柱状图、标准化分值雷达图" for e in at.expander)
    at.session_state["cmp_charts_open"] = True  # as a click on the expander does
    at.run()
    assert not at.exception
    bar, radar = charts(at)
    assert "layer" in radar and len(radar["layer"]) == 5  # rings, spokes, labels, lines, points
    assert "全国平均(2019年)" in " ".join(c.value for c in at.caption)  # the bars' reference line, named
    # the next run converts nothing: the specs are kept per chart and figures
    from streamlit.elements import vega_charts

    converted = []
    real = vega_charts._convert_altair_to_vega_lite_spec
    monkeypatch.setattr(vega_charts, "_convert_altair_to_vega_lite_spec", lambda c: converted.append(c) or real(c))
    at.run()
    assert charts(at) == [bar, radar] and converted == []
    at.selectbox(key="cmp_bar_ind@zh").set_value("score").run()  # another figure: a new bar chart only
    assert not at.exception and len(converted) == 1
    new_bar, same_radar = charts(at)
    assert new_bar != bar and same_radar == radar


def test_compare_map_rendered_once_per_figure_and_parks(app, rendered_maps):
    scripts, rendered = map_scripts, rendered_maps
    at = app.switch_page("views/compare.py").run()
    assert not at.exception
    first = scripts(at)
    assert len(first) == 1 and json.dumps("评价分值(分)")[1:-1] in first[0] and len(rendered) == 1
    at.session_state["cmp_charts_open"] = True  # another part of the page (the charts): the same map
    at.run()
    assert not at.exception and scripts(at) == first and len(rendered) == 1
    at.selectbox(key="cmp_map_ind@zh").set_value(INDICATORS[0]).run()  # another figure: another map
    assert not at.exception and scripts(at) != first and len(rendered) == 2
    at.selectbox(key="cmp_map_ind@zh").set_value("score").run()  # back: the first map, kept
    assert scripts(at) == first and len(rendered) == 2
    at.multiselect(key="cmp_parks@zh").set_value(["nanning", "beihai"]).run()  # other parks: another map
    assert not at.exception and scripts(at) != first and len(rendered) == 3


def test_compare_page_in_english(app):
    app.session_state["lang"] = "en"
    # One run only: a second run trips AppTest over the sidebar's translated basemap options.
    at = app.switch_page("views/compare.py").run()
    assert at.title[0].value == "Compare parks"
    assert not at.exception
    assert _frame_with(at, "Development rate(%)")["Park"].iloc[-1] == "National average (2019)"


def test_chinese_compare_page_shows_no_codes(app):
    at = app.run()
    at.switch_page("views/compare.py").run()
    assert not at.exception
    texts = [str(m.value) for m in at.markdown] + [c.value for c in at.caption]
    for d in at.dataframe:
        frame = d.value.data if hasattr(d.value, "data") else d.value
        if "问题" in frame.columns:
            continue  # the data-problems table belongs to the import page (views/common.show_problems)
        texts += [str(c) for c in frame.columns] + frame.astype(str).to_numpy().ravel().tolist()
    vocab = re.compile(r"\b([a-z]+_[a-z_]+|industrial|industry_led|mixed|national|regional|nanning|liuzhou|"
                       r"guilin|beihai|None|NaN|nan|True|False)\b")
    hits = {(m.group(0), text[:60]) for text in texts for m in vocab.finditer(text)}
    assert not hits, sorted(hits)[:20]
    notes = " ".join(str(m.value) for m in at.markdown)
    assert "classify_idle" not in notes


def test_compare_needs_two_parks(app):
    at = app.run()
    at.switch_page("views/compare.py").run()
    at.multiselect(key="cmp_parks@zh").set_value(["beihai"]).run()
    assert not at.exception
    assert any("至少选择两个" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (b"park_type_cutoff_industrial_share: 0.4\nmissing_indicator: [exclude,\n", "行第"),
        (b"park_type_cutoff_industrial_share: 1.5\n", "的值 1.5 超出范围：应在 0 到 1 之间"),
    ],
    ids=["yaml_syntax", "out_of_range"],
)
def test_bad_settings_file_is_refused_in_chinese(app, text, expect):
    at = app.run()
    at.switch_page("views/compare.py").run()
    at.file_uploader(key="cmp_settings_file").set_value(("settings.yaml", text, "application/x-yaml")).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [e.value for e in at.error if "参数文件无法使用" in e.value]
    assert len(shown) == 1, [e.value for e in at.error]
    msg = shown[0]
    assert "已改用默认参数" in msg and expect in msg
    if "行第" in expect:
        assert re.search(r"第\d+行第\d+列", msg)
    # No English: the only ASCII word left is the key as the user's own file writes it.
    assert not re.findall(r"[A-Za-z]{2,}", msg.replace("\\_", "_").replace("park_type_cutoff_industrial_share", "")), msg
    # The page goes on with the defaults.
    assert _frame_with(at, "土地开发率(%)") is not None
