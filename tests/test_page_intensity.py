"""
The 用地效率 page (views/intensity.py): pure helpers on hand-made parcels, the page
under AppTest on the sample workspace, and agreement with ``python -m geo intensity``.
"""

from __future__ import annotations

import io as _bytesio
import re
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from geo import io
from geo.grading import grade
from geo.intensity import analyse_intensity, check_compliance, parcel_metrics, summarize_intensity
from geo.workspace import Workspace
from tests.conftest import ROOT, shown_tables
from views import analysis
from views import intensity as page

AS_OF = date(2026, 11, 25)
X0, Y0 = 500_000.0, 2_500_000.0


def _box(i: int) -> shapely.Polygon:
    return shapely.box(X0 + i * 1_000, Y0, X0 + i * 1_000 + 100, Y0 + 100)  # 10,000 m² = 15 亩


def _parcels(rows: list[dict]) -> gpd.GeoDataFrame:
    base = {
        "parcel_id": None, "land_use": "industrial", "park_id": "liuzhou", "industry_code": "39",
        "industry_edition": 2002, "floor_area_m2": 8_000.0, "floor_area_over_8m_m2": 0.0,
        "footprint_m2": 4_000.0, "office_area_m2": 500.0, "green_area_m2": 1_500.0,
        "total_investment_wan": 3_000.0,
    }  # fmt: skip
    recs = [base | {"parcel_id": f"P{i}"} | r for i, r in enumerate(rows)]
    return gpd.GeoDataFrame(recs, geometry=[_box(i) for i in range(len(rows))], crs="EPSG:4545")


PARKS = pd.DataFrame({"park_id": ["liuzhou"], "level": ["regional"], "city": ["柳州市"]})


# --------------------------------------------------------------------------- pure helpers


def test_compliance_classes_on_boxes():
    gdf = _parcels(
        [
            {},  # FAR 0.8 ≥ 0.7, coef 0.4, office 5 %, green 15 %, invest 200 ≥ 100: compliant
            {"floor_area_m2": 5_000.0},  # FAR 0.5 < 0.7
            {"footprint_m2": 2_000.0},  # FAR passes, coef 0.2 < 0.3
            {"land_use": "commercial", "floor_area_m2": 1_000.0},  # not checked whatever its FAR
            {"floor_area_m2": None},  # FAR unknown, nothing else fails
            {"floor_area_m2": 7_000.0},  # FAR exactly 0.7: the boundary passes
            {"floor_area_m2": None, "office_area_m2": 800.0},  # FAR unknown, office 8 % > 7 %
        ]
    )
    comp = check_compliance(gdf, parks=PARKS)
    got = analysis.compliance_class(comp).tolist()
    assert got == [
        "compliant",
        "far_below",
        "other_failed",
        "not_checked",
        "no_data",
        "compliant",
        "other_failed",
    ]


def test_whatif_raises_the_floor_and_freed_land_is_arithmetic():
    gdf = _parcels([{}, {"floor_area_m2": 9_000.0}])  # FAR 0.8 and 0.9
    m = parcel_metrics(gdf)
    far, coef = page.whatif_overrides(0.85, 0.30, 0.30)
    assert (far, coef) == (0.85, None)
    comp = check_compliance(
        gdf, parks=PARKS, metrics=m, min_far_override=far, min_building_coef_override=coef
    )
    n, freed_mu = page.whatif_counts(comp, m["area_mu"])
    # P0 needs 8,000 / 0.85 = 9,411.76 m² of land: 588.24 m² = 0.8824 亩 could be freed
    assert n == 1
    assert freed_mu == pytest.approx((10_000 - 8_000 / 0.85) / (10_000 / 15))
    assert analysis.compliance_class(comp).tolist() == ["far_below", "compliant"]
    # building coefficient 0.45 fails both (footprint 4,000 m² of 10,000 m²)
    far, coef = page.whatif_overrides(0.0, 0.45, 0.30)
    assert (far, coef) == (None, 0.45)
    comp = check_compliance(gdf, parks=PARKS, metrics=m, min_building_coef_override=coef)
    assert page.whatif_counts(comp, m["area_mu"]) == (2, 0.0)


def test_whatif_overrides_at_rule_values_are_none():
    assert page.whatif_overrides(0.0, 0.30, 0.30) == (None, None)
    assert page.whatif_overrides(0.05, 0.31, 0.30) == (0.05, 0.31)


def test_take_click_selects_listed_parcels_once():
    feature = {"last_active_drawing": {"properties": {"parcel_id": "P2"}}}
    state = {"int_map": feature, "int_pick": "P1"}
    page.take_click(state, ["P1", "P2"])
    assert state["int_pick"] == "P2" and state["int_clicked"] == "P2"
    # the same click seen again does not undo a later choice in the selectbox
    state["int_pick"] = "P1"
    page.take_click(state, ["P1", "P2"])
    assert state["int_pick"] == "P1"
    # a pick of another park is dropped; a click on an unlisted id changes nothing
    state = {"int_map": {"last_active_drawing": {"properties": {"parcel_id": "X"}}}, "int_pick": "Q"}
    page.take_click(state, ["P1"])
    assert "int_pick" not in state
    page.take_click({"int_map": None}, [])


def test_grading_state_roundtrip():
    from views import analysis

    state = analysis.default_grading_state()
    assert sum(state[analysis.SS_WEIGHT + k] for k in ("tax_wan_per_mu", "va_wan_per_mu")) == 50
    ov = analysis.grading_override(state)
    assert ov["cutoffs"] == pytest.approx({"A": 0.25, "B": 0.70, "C": 0.95})
    assert ov["weights"]["tax_wan_per_mu"] == 30


def test_grade_breakdown_sums_to_score(sample_workspace):
    gdf = io.read_parcels(Workspace(sample_workspace).parcels_path, parks=io.read_parks()).gdf
    settings = {"weights": {"rd_share": 0}, "cap_ratio": 3}
    g = grade(gdf, settings=settings)
    graded = g[g["score"].notna()]
    assert graded["graded_on_tax_only"].any() and (~graded["graded_on_tax_only"]).any()
    for _, row in pd.concat([graded[graded["graded_on_tax_only"]].head(20), graded.head(50)]).iterrows():
        bd = page.grade_breakdown(row.to_dict())
        assert bd["contribution"].sum() == pytest.approx(row["score"], rel=1e-9)
        assert bd["weight"].sum() == pytest.approx(100.0)
        assert bd.loc["rd_share", "weight"] == 0
        assert (bd["ratio"].dropna() <= 3).all()


def test_grade_breakdown_by_hand():
    firm = pd.DataFrame({"land_use": ["industrial"], "park_id": ["p"], "area_mu": [1.0], "tax_wan": [15.0],
                         "value_added_wan": [25.0]})
    weights = {"tax_wan_per_mu": 60, "va_wan_per_mu": 40, "va_wan_per_tce": 0, "va_wan_per_t_emission": 0,
               "va_wan_per_employee": 0, "rd_share": 0}
    g = grade(firm, settings={"weights": weights,
                              "benchmark": {"fixed": {"tax_wan_per_mu": 10.0, "va_wan_per_mu": 50.0}}})
    bd = page.grade_breakdown(g.iloc[0].to_dict())
    # 15/10 × 60 + 25/50 × 40 = 90 + 20
    assert bd.loc["tax_wan_per_mu", "contribution"] == pytest.approx(90.0)
    assert bd.loc["va_wan_per_mu", "contribution"] == pytest.approx(20.0)
    assert bd.loc["tax_wan_per_mu", "benchmark"] == pytest.approx(10.0)
    assert bd["contribution"].sum() == pytest.approx(110.0) == pytest.approx(g["score"].iloc[0])
    # Without value added the firm is graded on tax alone: 15/10 × 100.
    g = grade(firm.drop(columns="value_added_wan"), settings={"weights": weights,
              "benchmark": {"fixed": {"tax_wan_per_mu": 10.0}}})
    assert page.grade_breakdown(g.iloc[0].to_dict())["contribution"].sum() == pytest.approx(150.0)


def test_totals_table_matches_summaries():
    gdf = _parcels([{}, {"floor_area_m2": 5_000.0}, {"park_id": None, "floor_area_m2": 6_000.0}])
    res = analyse_intensity(gdf, parks=PARKS)
    res = pd.concat([res, grade(gdf, group="region")[["grade_class", "graded_on_tax_only"]]], axis=1)
    tot = page.totals_table(res, {"liuzhou": "柳州"})
    assert tot["park"].tolist() == ["柳州", "园区外", "合计"]
    assert tot["inefficient"].tolist() == [1, 1, 2]
    # P1: 15 亩 − 5,000/0.7 m² ; P2: 15 亩 − 6,000/0.7 m²
    mu = 10_000 / 15
    assert tot["freed_land_mu"].iloc[-1] == pytest.approx((20_000 - 11_000 / 0.7) / mu)
    assert tot[["A", "B", "C", "D", "ungraded"]].iloc[-1].sum() == 3


def test_settings_rows_in_words_and_excel_second_sheet():
    gdf = _parcels([{}, {"floor_area_m2": 5_000.0}])
    comp = check_compliance(gdf, parks=PARKS, min_far_override=1.0)
    g = grade(gdf, group="region")
    rows = page.settings_rows(comp.attrs["rules"], g.attrs["settings"], {"min_far_override": 1.0})
    assert list(rows.columns) == ["section", "setting", "value", "source"]
    by = rows.set_index("setting")
    assert by.loc["建筑系数下限", "value"] == "30.0%"
    assert "国土资发〔2008〕24号" in by.loc["建筑系数下限", "source"]
    assert "桂政办发〔2007〕137号" in by.loc["投资强度下限", "source"]
    assert "150 万元/亩" in by.loc["投资强度下限", "value"]
    assert by.loc["基准与排名范围", "value"] == "全区"
    assert by.loc["基准与排名范围", "source"] == "本系统默认参数"
    assert by.loc["指标权重：亩均税收", "value"] == "30.0"
    assert by.loc["假设分析：最低容积率", "value"] == "1.00"
    assert by.loc["核查的土地用途", "value"] == "工业用地"
    text = rows.to_string()
    assert "{" not in text and "industrial" not in text and "None" not in text
    data = page.excel_with_settings(pd.DataFrame(gdf.drop(columns="geometry")), rows, lang_code="zh")
    wb = load_workbook(_bytesio.BytesIO(data))
    assert wb.sheetnames == ["用地效率", "参数设置"]
    values = [[c.value for c in r] for r in wb["参数设置"].iter_rows()]
    assert values[0] == ["类别", "设置项", "取值", "依据"]
    assert len(values) == len(rows) + 1


def test_export_frame_renders_lists_and_classes():
    gdf = _parcels([{}, {"floor_area_m2": 5_000.0}])
    m = parcel_metrics(gdf)
    comp = check_compliance(gdf, parks=PARKS, metrics=m)
    res = analysis.join_results(gdf, m, comp, grade(gdf, group="region"))
    exp = page.export_frame(res, lang="zh")
    assert exp["低效原因"].iloc[1] == "容积率 0.50，低于下限 0.70"
    assert exp["核查结果分类"].tolist() == ["达标", "容积率低于下限"]
    assert page.export_frame(res)["compliance_class"].tolist() == ["compliant", "far_below"]


# --------------------------------------------------------------------------- AppTest




def _open(at) -> AppTest:
    at.run()
    at.switch_page("views/intensity.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _totals(at) -> pd.DataFrame:
    """The per-park totals as shown (an HTML table: numbers as the officer reads them, made numbers again)."""
    hits = [f for f in shown_tables(at) if "低效宗数" in f.columns and "可腾退土地(亩)" in f.columns]
    assert len(hits) == 1
    out = hits[0].copy()
    for col in out.columns.drop("园区"):
        out[col] = pd.to_numeric(out[col].str.replace(",", ""), errors="coerce")
    return out


def _metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def _cli_summary(sample_workspace) -> pd.DataFrame:
    """What ``python -m geo intensity`` computes (cmd_intensity → run_intensity), default rules."""
    parks = io.read_parks(ROOT / "data" / "parks.geojson")
    loaded = io.read_parcels(Workspace(sample_workspace).parcels_path, parks=parks)
    result = analyse_intensity(loaded.gdf, parks=parks, rules=None, min_far_override=None,
                               min_building_coef_override=None, edition=None)  # fmt: skip
    return summarize_intensity(result, by="park_id")


def test_page_totals_agree_with_cli(app, sample_workspace):
    at = _open(app)
    assert at.title[0].value == "用地效率"
    shown = _totals(at).set_index("园区")
    cli = _cli_summary(sample_workspace)
    parks = io.read_parks(ROOT / "data" / "parks.geojson")
    names = dict(zip(parks["park_id"], parks["name_zh"], strict=True)) | {
        "(unknown)": "园区外",
        "__total__": "合计",
    }
    assert len(shown) == len(cli)
    for pid, row in cli.iterrows():
        got = shown.loc[names[pid]]
        assert int(got["低效宗数"]) == int(row["inefficient"]), pid
        # shown to 0.1 亩, as every area in 亩
        assert float(got["可腾退土地(亩)"]) == round(row["freed_land_mu"], 1), pid
        assert float(got["低效面积(亩)"]) == round(row["inefficient_area_mu"], 1), pid
        assert int(got["核查宗数(工业用地)"]) == int(row["checked"]), pid
    assert int(shown.loc["合计", "低效宗数"]) > 0


def test_page_totals_agree_with_cli_output_file(app, sample_workspace, tmp_path, capsys):
    from cli import main

    out = tmp_path / "intensity.csv"
    assert (
        main(["intensity", str(Workspace(sample_workspace).parcels_path), "-o", str(out), "--codes", "--columns", "all"])
        == 0
    )
    written = pd.read_csv(out, dtype={"park_id": "string"})
    cli = summarize_intensity(written, by="park_id")
    at = _open(app)
    shown = _totals(at)
    assert shown["低效宗数"].tolist()[-1] == int(cli.loc["__total__", "inefficient"])
    assert float(shown["可腾退土地(亩)"].iloc[-1]) == round(cli.loc["__total__", "freed_land_mu"], 1)  # to 0.1 亩


def test_whatif_slider_changes_counts(app):
    at = _open(app)
    before = _metric(at, "全部园区低效宗数")
    assert before.delta in ("+0", "0")
    n0 = int(before.value.replace(",", ""))
    at.slider(key="int_min_far").set_value(2.0).run()
    assert not at.exception
    after = _metric(at, "全部园区低效宗数")
    n1 = int(after.value.replace(",", ""))
    assert n1 > n0
    assert after.delta == f"{n1 - n0:+,}"
    freed = _metric(at, "全部园区可腾退土地")
    assert freed.delta.startswith("+") and freed.delta != "+0.0 亩"
    # the totals table follows the scenario
    assert int(_totals(at)["低效宗数"].iloc[-1]) == n1
    # and the newly short parcels are listed
    assert any("新增低效宗地" in e.label for e in at.expander)
    at.slider(key="int_min_coef").set_value(0.5).run()
    assert int(_metric(at, "全部园区低效宗数").value.replace(",", "")) >= n1


def _charts(at) -> list:
    return [e for e in at.get("arrow_vega_lite_chart")] + [e for e in at.get("vega_lite_chart")]


def test_charts_are_made_only_when_opened(app):
    at = _open(app)
    # closed: neither computed nor shipped (Vega in the browser was ~0.2 s of every load and step)
    assert any(e.label == "图表：容积率分布、各园区亩均评价等级" for e in at.expander)
    assert not _charts(at)
    at.session_state["int_charts_open"] = True
    at.run()
    assert not at.exception
    assert len(_charts(at)) == 2
    assert any("容积率分布与最低容积率" in m.value for m in at.markdown)
    # a what-if step with the charts open redraws them
    at.slider(key="int_min_far").set_value(2.0).run()
    assert not at.exception and len(_charts(at)) == 2


def test_data_problems_are_drawn_only_when_opened(app):
    at = _open(app)
    panel = [e.label for e in at.expander if e.label.startswith("数据问题")]
    assert len(panel) == 1 and int(panel[0].split("(")[1].rstrip(")")) > 0
    assert not any("问题" in d.value.columns for d in at.dataframe)  # closed: neither the grid nor its pager
    at.session_state["data_problems_open"] = True  # as a click on the expander does
    at.run()
    assert not at.exception
    problems = next(d.value for d in at.dataframe if "问题" in d.value.columns)
    assert list(problems.columns) == ["行号", "字段", "问题", "级别"] and len(problems)
    assert [e.label for e in at.expander if e.label.startswith("数据问题")] == panel


def test_colour_switch_and_parcel_card(app):
    at = _open(app)
    at.radio(key="int_color_by@zh").set_value("grade").run()
    assert not at.exception
    pid = at.selectbox(key="int_pick").value
    assert pid
    texts = " ".join(str(m.value) for m in at.markdown)
    assert "控制指标核查" in texts and "亩均评价得分构成" in texts
    rule_table = next(v for v in shown_tables(at) if "依据" in v.columns)
    assert len(rule_table) == 5
    assert rule_table["依据"].str.contains("国土资发〔2008〕24号").any()
    assert set(rule_table["结果"]) <= {"达标", "不达标", "未评价"}


def test_card_shows_grade_breakdown_of_a_graded_parcel(app, sample_workspace):
    gdf = io.read_parcels(Workspace(sample_workspace).parcels_path, parks=io.read_parks()).gdf
    g = grade(gdf)
    graded = gdf.loc[
        g["score"].notna() & ~g["graded_on_tax_only"] & (gdf["park_id"] == "nanning"), "parcel_id"
    ]
    at = _open(app)
    at.selectbox(key="int_park@zh").set_value("nanning").run()
    at.selectbox(key="int_pick").set_value(str(graded.iloc[0])).run()
    assert not at.exception
    bd = next(v for v in shown_tables(at) if "得分贡献(分)" in v.columns)
    assert len(bd) == 6
    assert bd["评价指标"].iloc[0] == "亩均税收(万元/亩)"
    total = bd["得分贡献(分)"].replace("—", np.nan).astype(float).sum()
    score = float(g.loc[graded.index[0], "score"])
    assert total == pytest.approx(score, abs=0.05)  # contributions shown to 2 decimals
    assert any(f"得分 {score:.2f}" in c.value for c in at.caption)


def test_grading_settings_edit_and_reset(app):
    at = _open(app)
    grading = [w for w in at.number_input if w.key.startswith(("int_w_", "int_cut_"))]
    assert not grading  # the settings' panel draws its widgets when opened
    at.session_state["int_grading_open"] = True  # as a click on the expander does
    at.run()
    at.radio(key="int_group_widget@zh").set_value("region").run()
    at.number_input(key="int_w_tax_wan_per_mu").set_value(60.0).run()
    at.number_input(key="int_cut_A").set_value(10.0).run()
    assert not at.exception
    assert any("权重合计：130" in c.value for c in at.caption)
    assert not at.json  # settings as a table in words, never raw JSON
    assert not any("设置项" in d.value.columns for d in at.dataframe)  # its panel is filled when opened
    at.session_state["int_settings_open"] = True  # as a click on the expander does
    at.run()
    table = next(d.value for d in at.dataframe if "设置项" in d.value.columns).set_index("设置项")
    assert table.loc["基准与排名范围", "取值"] == "全区"
    assert table.loc["分类位次上限", "取值"].startswith("A 10%")
    assert table.loc["指标权重：亩均税收", "取值"] == f"{60 / 130 * 100:.1f}"
    # closed, the panel's settings still grade (a widget not drawn would lose its value) ...
    at.session_state["int_grading_open"] = False
    at.run()
    assert not at.exception and not [w for w in at.number_input if w.key.startswith(("int_w_", "int_cut_"))]
    table = next(d.value for d in at.dataframe if "设置项" in d.value.columns).set_index("设置项")
    assert table.loc["基准与排名范围", "取值"] == "全区"
    assert table.loc["指标权重：亩均税收", "取值"] == f"{60 / 130 * 100:.1f}"
    # ... and opened again, it shows them
    at.session_state["int_grading_open"] = True
    at.run()
    assert at.number_input(key="int_w_tax_wan_per_mu").value == 60
    assert at.number_input(key="int_cut_A").value == 10
    assert at.radio(key="int_group_widget@zh").value == "region"
    next(b for b in at.button if b.label == "恢复默认设置").click().run()
    assert not at.exception
    assert at.number_input(key="int_w_tax_wan_per_mu").value == 30
    assert at.number_input(key="int_cut_A").value == 25
    assert at.radio(key="int_group_widget@zh").value == "park"


def test_bad_cutoffs_fall_back_with_an_error(app):
    at = _open(app)
    at.session_state["int_grading_open"] = True
    at.run()
    at.number_input(key="int_cut_A").set_value(80.0).run()  # A 80 % > B 70 %
    assert not at.exception
    shown = [e.value for e in at.error if "评价设置无效" in e.value]
    assert len(shown) == 1
    # Says which setting, the values given and what is allowed, in Chinese.
    assert "已按默认设置评价" in shown[0] and "分类位次上限" in shown[0]
    assert "A类 80%、B类 70%、C类 95%" in shown[0] and "应满足 A类 ≤ B类 ≤ C类" in shown[0]
    assert not re.findall(r"[A-Za-z]{2,}", shown[0]), shown[0]


ASCII_VOCABULARY = re.compile(
    r"\b(far_below_min|[a-z]+_[a-z_]+|industrial|storage|commercial|nanning|liuzhou|None|NaN|nan|True|False)\b"
)


def test_chinese_page_shows_no_codes(app):
    at = _open(app)
    texts = [str(m.value) for m in at.markdown] + [c.value for c in at.caption]
    for frame in shown_tables(at):
        if "问题" in frame.columns:
            continue  # the import's data-problems table is the import page's (views/common.show_problems)
        texts += [str(c) for c in frame.columns] + frame.astype(str).to_numpy().ravel().tolist()
    hits = {(m.group(0), text[:80]) for text in texts for m in ASCII_VOCABULARY.finditer(text)}
    assert not hits, sorted(hits)[:20]


def test_page_in_english(app):
    at = _open(app)
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Land efficiency"
    assert any(m.label == "Inefficient parcels (all parks)" for m in at.metric)


def test_exports_of_the_sample_open(sample_workspace, tmp_path):
    parks = io.read_parks()
    gdf = io.read_parcels(Workspace(sample_workspace).parcels_path, parks=parks).gdf.head(400)
    m = parcel_metrics(gdf)
    comp = check_compliance(gdf, parks=parks, metrics=m, min_far_override=1.5)
    g = grade(gdf)
    res = analysis.join_results(gdf, m, comp, g)
    assert len(res) == len(gdf) and res.crs == gdf.crs
    assert res.columns.is_unique
    exp = page.export_frame(res)
    assert {"compliance_class", "grade_code", "far", "freed_land_mu", "score"} <= set(exp.columns)
    gpkg = tmp_path / "export.gpkg"
    gpkg.write_bytes(io.to_gpkg_bytes(exp, layer="intensity"))
    back = gpd.read_file(gpkg, layer="intensity")
    assert len(back) == len(gdf)
    assert back["compliance_class"].tolist() == exp["compliance_class"].tolist()
    rows = page.settings_rows(comp.attrs["rules"], g.attrs["settings"], {"min_far_override": 1.5})
    shown = page.export_frame(res, lang="zh")
    wb = load_workbook(_bytesio.BytesIO(page.excel_with_settings(shown, rows, lang_code="zh")))
    assert wb.sheetnames == ["用地效率", "参数设置"]
    assert wb["用地效率"].max_row == len(gdf) + 1


def test_card_lists_inefficient_parcels_first():
    view = pd.DataFrame(
        {
            "parcel_id": ["a", "b", "c", "d"],
            "inefficient": [False, True, True, False],
            "freed_land_mu": [0.0, 1.0, 3.0, np.nan],
        }
    )
    assert page.card_ids(view) == ["c", "b", "a", "d"]


def test_far_histogram_counts_parcels_per_bar_and_status():
    far = pd.Series([0.0, 0.05, 0.1, 0.29, 0.3, 1.0, 2.95, 3.0, 4.2])
    status = ["达标", "低于", "达标", "达标", "达标", "低于", "达标", "达标", "达标"]
    h = page.far_histogram(far, status)
    got = {(r.bin_start, r.status): r.parcels for r in h.itertuples()}
    assert got == {(0.0, "达标"): 1, (0.0, "低于"): 1, (0.1, "达标"): 1, (0.2, "达标"): 1, (0.3, "达标"): 1,
                   (1.0, "低于"): 1, (2.9, "达标"): 1, (3.0, "达标"): 2}  # 4.2 counts in the last bar
    assert (h["bin_end"] - h["bin_start"]).round(2).eq(0.1).all()
    assert int(h["parcels"].sum()) == len(far)


def test_card_order_follows_the_whatif_and_comes_back(app):
    """The card's order (kept per park and what-if, analysis.card_order) follows each step."""
    at = _open(app)
    first = list(at.selectbox(key="int_pick").options[:5])
    at.slider(key="int_min_far").set_value(3.0).run()
    assert not at.exception
    raised = list(at.selectbox(key="int_pick").options[:5])
    assert raised != first  # a higher floor frees more land: other parcels come first
    at.slider(key="int_min_far").set_value(0.0).run()
    assert list(at.selectbox(key="int_pick").options[:5]) == first


def test_inefficient_listing_is_written_by_formats_not_a_styler(app):
    """Numbers stay sortable numbers rounded to their shown decimals; the rate and gaps are text; no Styler."""
    import json

    at = _open(app)
    listing = next(d for d in at.dataframe if "低效原因" in d.value.columns)
    frame, config = listing.value, json.loads(listing.proto.columns)
    assert len(frame) and not listing.proto.arrow_data.styler.display_values
    for col, fmt, decimals in (("面积(亩)", "%,.1f", 1), ("容积率", "%.2f", 2)):
        if frame[col].dtype.kind == "f":
            assert config[col]["type_config"]["format"] == fmt
            assert (frame[col] == frame[col].round(decimals)).all()
        else:  # a gap in the column: text, "—" for the gap
            assert frame[col].map(lambda v: isinstance(v, str)).all()
    assert frame["建筑系数"].map(lambda v: isinstance(v, str) and (v.endswith("%") or v == "—")).all()
