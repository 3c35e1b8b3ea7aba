"""
The park evaluation report (issue 4): a .docx reopened with python-docx.

Three parks of ``shapely.box`` parcels in EPSG:4545 (100 m-high strips, so a
strip ``ha`` hectares long is ``100·ha`` m wide), as of 2026-11-25:

Park A (national; developable 20 ha, supply-ready 16 ha):

==  ==========  ==  ==========  ==========  =======================================
id  land use    ha  supplied    completed   other
==  ==========  ==  ==========  ==========  =======================================
a1  industrial  4   2015-03-01  2017-01-01  floor 48,000 m², footprint 20,000 m²,
                                            investment 40,000, tax 4,000 万元
a2  commercial  2   2018-05-01  2019-06-30  floor 30,000 m², footprint 8,000 m², tax 1,000
a3  industrial  2   2025-01-10  —           not due
a4  industrial  1   2022-03-01  —           idle (fee), fee paid → disposed
==  ==========  ==  ==========  ==========  =======================================

supplied 9 ha, built-up 6 ha, industrial built-up 4 ha → industrial share 2/3 ≥
0.30: industry-led. Development rate 16/20 = 0.8 → standardised 80; every one of
the 13 indicators has data, so the weights scored add up to 100 and the
development rate contributes 6 × 80 / 100 = 4.8 points.

Park B (regional; developable 10 ha, supply-ready 8 ha): b1 residential 3 ha and
b2 industrial 1 ha, both built → industrial share 0.25 < 0.30: mixed.

Park C (regional; developable 10 ha, supply-ready 5 ha): no parcels at all.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from docx import Document
from PIL import Image
from shapely import box

import words
from geo.evaluation import INDICATORS, evaluate_parks
from reports import ReportError, indicator_rows, map_classes, park_report_docx, report_filename, settings_rows
from reports.park_report import MAP_CLASSES, PRODUCT_NAME, nice_scale_length_m

AS_OF = "2026-11-25"
GENERATED = datetime(2026, 12, 1, 9, 30)


#: Offsets putting the shapes near the zone's central meridian (108°E, ~22.6°N).
E0, N0 = 500_000, 2_500_000


def strip(x0: float, y0: float, ha: float):
    """A 100 m-high box of ``ha`` hectares with its lower-left corner at (E0 + x0, N0 + y0)."""
    return box(E0 + x0, N0 + y0, E0 + x0 + 100 * ha, N0 + y0 + 100)


def park_box(x0: float, x1: float):
    return box(E0 + x0, N0 - 100, E0 + x1, N0 + 300)


def tiny() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    parks = gpd.GeoDataFrame(
        {
            "park_id": ["A", "B", "C"],
            "name_zh": ["甲高新区", "乙高新区", "丙高新区"],
            "name_en": ["Alpha Hi-tech Zone", "Beta Hi-tech Zone", "Gamma Hi-tech Zone"],
            "level": ["national", "regional", "regional"],
            "city": ["南宁市", "柳州市", None],
            "leading_industries": ["新材料;智能制造", "电子信息", None],
            "developable_ha": [20.0, 10.0, 10.0],
            "supply_ready_ha": [16.0, 8.0, 5.0],
        },
        geometry=[park_box(-100, 1200), park_box(2000, 2600), park_box(3000, 3500)],
        crs=4545,
    )
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": ["a1", "a2", "a3", "a4", "b1", "b2"],
            "park_id": ["A", "A", "A", "A", "B", "B"],
            "land_use": ["industrial", "commercial", "industrial", "industrial", "residential", "industrial"],
            "supply_date": pd.to_datetime(
                ["2015-03-01", "2018-05-01", "2025-01-10", "2022-03-01", "2016-01-01", "2016-01-01"]),
            "completion_date": pd.to_datetime(
                ["2017-01-01", "2019-06-30", None, None, "2018-01-01", "2018-01-01"]),
            "floor_area_m2": [48000, 30000, np.nan, np.nan, 45000, 8000],
            "footprint_m2": [20000, 8000, np.nan, np.nan, 9000, 4000],
            "invested_wan": [40000, np.nan, np.nan, np.nan, np.nan, 3000],
            "tax_wan": [4000, 1000, np.nan, np.nan, 600, 200],
            "idle_status": ["completed", "completed", "not_due", "idle_fee", "completed", "completed"],
            "disposal_status": [None, None, None, "fee_paid", None, None],
            "inefficient": [False, False, False, False, False, True],
        },
        geometry=[strip(0, 0, 4), strip(500, 0, 2), strip(0, 150, 2), strip(300, 150, 1),
                  strip(2100, 0, 3), strip(2100, 150, 1)],
        crs=4545,
    )
    return parks, parcels


@pytest.fixture(scope="module")
def data():
    parks, parcels = tiny()
    return parks, evaluate_parks(parks, parcels, as_of=AS_OF)


def reopen(blob: bytes) -> Document:
    assert blob[:2] == b"PK"  # a .docx is a zip archive
    return Document(io.BytesIO(blob))


def all_text(doc: Document) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def table_with(doc: Document, *header: str):
    for table in doc.tables:
        first = [c.text for c in table.rows[0].cells]
        if all(h in first for h in header):
            return table
    raise AssertionError(f"no table with header {header}")


def column(table, name: str) -> list[str]:
    idx = [c.text for c in table.rows[0].cells].index(name)
    return [row.cells[idx].text for row in table.rows[1:]]


def row_of(table, first_cell: str) -> list[str]:
    for row in table.rows:
        if row.cells[0].text == first_cell:
            return [c.text for c in row.cells]
    raise AssertionError(f"no row {first_cell!r}")


@pytest.fixture(scope="module")
def report_a(data):
    parks, ev = data
    return reopen(park_report_docx(ev, "A", parks=parks, prepared_by="李工", generated_at=GENERATED))


# --------------------------------------------------------------------------- the evaluation behind the tests


def test_tiny_evaluation_is_as_worked_by_hand(data):
    _, ev = data
    t = ev.table.set_index("park_id")
    assert t.loc["A", "supplied_ha"] == pytest.approx(9)
    assert t.loc["A", "builtup_ha"] == pytest.approx(6)
    assert t.loc["A", "industrial_share"] == pytest.approx(4 / 6)
    assert t.loc["A", "park_type"] == "industry_led"
    assert t.loc["B", "industrial_share"] == pytest.approx(0.25)
    assert t.loc["B", "park_type"] == "mixed"
    assert np.isnan(t.loc["C", "score"])


# --------------------------------------------------------------------------- content


def test_title_has_park_name_and_as_of_date(report_a):
    title = report_a.paragraphs[0]
    assert title.style.name == "Title"
    assert title.text == "甲高新区 土地节约集约利用评价报告（评价基准日 2026-11-25）"


def test_basic_info_and_park_type_reason(report_a):
    info = table_with(report_a, "项目", "内容")
    assert row_of(info, "级别")[1] == "国家级"
    assert row_of(info, "所在城市")[1] == "南宁市"
    assert row_of(info, "主导产业")[1] == "新材料、智能制造"
    assert row_of(info, "园区类型")[1] == "工业主导型"
    # 4 / 6 = 66.67 % against the 30 % default cut-off (inclusive: ≥).
    assert row_of(info, "类型判定依据")[1] == "工业用地率 66.67% ≥ 划分界限 30.00%，为工业主导型"


def test_land_areas_in_ha_and_mu(report_a):
    areas = table_with(report_a, "土地类别", "面积（公顷）", "面积（亩）")
    assert row_of(areas, "可开发土地")[1:] == ["20.00", "300.0", "100.00%"]  # 20 ha × 15 亩/ha
    assert row_of(areas, "已达到供地条件土地")[1:] == ["16.00", "240.0", "80.00%"]
    assert row_of(areas, "已供应国有建设用地")[1:] == ["9.00", "135.0", "45.00%"]
    assert row_of(areas, "已建成城镇建设用地")[1:] == ["6.00", "90.0", "30.00%"]


def test_score_and_rank_text_match_evaluation(data, report_a):
    _, ev = data
    a = ev.table.set_index("park_id").loc["A"]
    text = all_text(report_a)
    assert f"土地集约利用评价分值：{a['score']:.2f} 分" in text
    # C has no score, so two parks are ranked; A is the only scored national park.
    assert f"总排名：第 {int(a['rank'])} 名（共 2 个参评园区）" in text
    assert f"国家级园区中排名：第 {int(a['rank_in_level'])} 名（共 1 个）" in text
    assert int(a["rank_in_level"]) == 1


def test_regional_park_rank_counts_only_scored_peers(data):
    parks, ev = data
    b = ev.table.set_index("park_id").loc["B"]
    text = all_text(reopen(park_report_docx(ev, "B", parks=parks)))
    assert f"总排名：第 {int(b['rank'])} 名（共 2 个参评园区）" in text
    assert "自治区级园区中排名：第 1 名（共 1 个）" in text
    assert "工业用地率 25.00% < 划分界限 30.00%，为产城融合型" in text
    # B has no idle land: the disposal rate has no value, is left out and said so.
    doc = reopen(park_report_docx(ev, "B", parks=parks))
    table = table_with(doc, "指标", "计算公式", "加权得分")
    disposal = row_of(table, "闲置土地处置率")
    assert disposal[4] == "—" and disposal[8] == "缺项剔除"
    assert row_of(table, "工业用地率")[8] == "不计分"
    assert "无数据、未参与计分的指标：闲置土地处置率" in all_text(doc)
    assert "无闲置土地，闲置土地处置率不适用" in all_text(doc)
    # 4 of 8 supply-ready ha left, nothing supplied since 2016: no supply pace to divide by.
    pot = table_with(doc, "项目", "面积（公顷）", "面积（亩）")
    assert row_of(pot, "剩余可供地年限")[1] == "近 3 年无供地，无法按供地速度测算"


def test_tied_ranks_are_said_to_be_tied():
    parks, parcels = tiny()
    twin = parks[parks["park_id"] == "B"].assign(park_id="D", name_zh="丁高新区")
    twin_parcels = parcels[parcels["park_id"] == "B"].assign(park_id="D", parcel_id=["d1", "d2"])
    twin_parcels = twin_parcels.set_geometry(twin_parcels.translate(0, 1000))
    parks2 = pd.concat([parks, twin], ignore_index=True)
    ev = evaluate_parks(parks2, pd.concat([parcels, twin_parcels], ignore_index=True), as_of=AS_OF)
    t = ev.table.set_index("park_id")
    assert t.loc["B", "rank"] == t.loc["D", "rank"]
    text = all_text(reopen(park_report_docx(ev, "D", parks=parks2)))
    assert f"总排名：第 {int(t.loc['D', 'rank'])} 名（共 3 个参评园区，并列）" in text
    assert "自治区级园区中排名：第 1 名（共 2 个，并列）" in text


def test_every_indicator_in_the_indicator_table(data, report_a):
    _, ev = data
    table = table_with(report_a, "指标", "计算公式", "分子", "分母", "理想值", "权重", "加权得分")
    names = column(table, "指标")
    for ind in INDICATORS:
        assert words.label("indicator", ind, "zh") in names, ind
    # The development rate row as worked by hand: 16 / 20 ha, 80 %, ideal 100 %, 80 points × 6 / 100.
    dev = row_of(table, "土地开发率")
    assert dev[2:] == ["16.00 公顷", "20.00 公顷", "80.00%", "100.00%", "80.00", "6", "4.80", "89.46%"]
    # FAR row: 78,000 m² floor area on 60,000 m² built-up land = 1.30 (the national 2019 average 0.98 beside it).
    far = row_of(table, "综合容积率")
    assert far[2:5] == ["78,000 平方米", "60,000 平方米", "1.30"]
    assert far[-1] == "0.98"
    total = row_of(table, "合计（评价分值）")
    assert total[-3:] == ["100", f"{ev.table.set_index('park_id').loc['A', 'score']:.2f}", "61.53"]


def test_indicator_rows_add_up_to_the_score(data):
    _, ev = data
    for pid in ("A", "B"):
        rows = indicator_rows(ev, pid)
        score = ev.table.set_index("park_id").loc[pid, "score"]
        assert rows["contribution"].sum() == pytest.approx(score)
    a = indicator_rows(ev, "A").set_index("indicator")
    assert a.loc["development_rate", "contribution"] == pytest.approx(6 * 80 / 100)
    # Reverse indicator: 3 ha awaiting construction (a3 + a4) / 20 ha = 0.15; ideal 0.05 → 0.05 / 0.15 × 100.
    assert a.loc["unbuilt_share", "std"] == pytest.approx(100 / 3)
    b = indicator_rows(ev, "B").set_index("indicator")
    assert b.loc["industrial_share", "status"] == "not_weighted"  # weight 0 for mixed parks by default
    assert np.isnan(b.loc["industrial_share", "contribution"])


def test_missing_indicators_counted_as_zero_when_configured():
    parks, parcels = tiny()
    ev = evaluate_parks(parks, parcels, as_of=AS_OF, settings={"missing_indicator": "zero"})
    rows = indicator_rows(ev, "B").set_index("indicator")
    assert rows.loc["idle_disposal_rate", "status"] == "zero"
    assert rows.loc["idle_disposal_rate", "contribution"] == 0
    assert rows["contribution"].sum() == pytest.approx(ev.table.set_index("park_id").loc["B", "score"])
    doc = reopen(park_report_docx(ev, "B", parks=parks))
    assert row_of(table_with(doc, "指标", "加权得分"), "闲置土地处置率")[8] == "0.00"
    assert "无数据的指标按 0 分计：闲置土地处置率" in all_text(doc)


def test_potential_section(report_a):
    pot = table_with(report_a, "项目", "面积（公顷）", "面积（亩）")
    assert row_of(pot, "待建地（已供应未建成）")[1:] == ["3.00", "45.0"]
    assert row_of(pot, "闲置土地")[1:] == ["1.00", "15.0"]
    assert row_of(pot, "尚可供应土地（已达到供地条件未供应）")[1:] == ["7.00", "105.0"]
    # Supplied within (2023-11-25, 2026-11-25]: a3 2 ha → 2/3 ha a year; 7 ha left → 10.5 years.
    assert row_of(pot, "剩余可供地年限")[1] == "10.50 年"


def test_picture_is_embedded_png(report_a):
    assert len(report_a.inline_shapes) == 1
    blobs = [rel.target_part.blob for rel in report_a.part.rels.values() if "image" in rel.reltype]
    assert len(blobs) == 1 and blobs[0][:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(blobs[0])).convert("RGB")
    colours = {f"#{r:02x}{g:02x}{b:02x}" for _, (r, g, b) in img.getcolors(maxcolors=1 << 20)}
    # a4 is idle (red), a1/a2 built-up (blue), a3 supplied not built (orange).
    for code in ("idle", "builtup", "unbuilt"):
        assert dict((c[0], c[1]) for c in MAP_CLASSES)[code] in colours, code
    assert "宗地分布" in all_text(report_a)


def test_map_of_geographic_data_is_drawn_in_metric_crs():
    parks, parcels = tiny()
    ev = evaluate_parks(parks.to_crs(4490), parcels.to_crs(4490), as_of=AS_OF)
    doc = reopen(park_report_docx(ev, "A", parks=parks.to_crs(4490)))
    assert len(doc.inline_shapes) == 1
    caption = next(p.text for p in doc.paragraphs if p.style.name == "Caption")
    # drawn in the park's GK zone (CM 108°E), named in Chinese with its EPSG code
    assert "坐标系：CGCS2000 3度带高斯-克吕格投影，中央经线 108°E（EPSG:4545）" in caption


def test_footer_has_time_preparer_and_product(report_a):
    footer = " ".join(p.text for p in report_a.sections[0].footer.paragraphs)
    assert "2026-12-01 09:30" in footer
    assert "李工" in footer
    assert PRODUCT_NAME["zh"] in footer


def test_settings_section_says_defaults_were_used(report_a):
    text = all_text(report_a)
    assert "全部采用本系统默认参数" in text
    assert "TD/T 1029-2017《开发区土地集约利用评价规程》" in text
    params = table_with(report_a, "参数", "取值", "默认值", "来源")
    assert set(column(params, "来源")) == {"默认值"}
    weights = table_with(report_a, "指标", "工业主导型（本园区适用） 权重")
    assert row_of(weights, "工业用地固定资产投入强度")[1:3] == ["12", "20,000.0 万元/公顷"]


def test_settings_set_by_user_are_marked():
    parks, parcels = tiny()
    settings = {"park_type_cutoff_industrial_share": 0.7,
                "park_types": {"mixed": {"ideals": {"far_overall": 2.5}}}}
    ev = evaluate_parks(parks, parcels, as_of=AS_OF, settings=settings)
    doc = reopen(park_report_docx(ev, "A", parks=parks))
    text = all_text(doc)
    # 66.67 % is now below the 70 % cut-off: A is scored as a mixed park.
    assert "工业用地率 66.67% < 划分界限 70.00%，为产城融合型" in text
    # the settings changed are named in words, not by their keys
    assert "以下参数由用户设定：园区类型划分界限（工业用地率 ≥ 界限为工业主导型）、产城融合型综合容积率理想值" in text
    assert "park_type_cutoff_industrial_share" not in text and "park_types.mixed" not in text
    params = table_with(doc, "参数", "取值", "默认值", "来源")
    cut = row_of(params, "园区类型划分界限（工业用地率 ≥ 界限为工业主导型）")
    assert cut[1:] == ["70.00%", "30.00%", "用户设定"]
    weights = table_with(doc, "指标", "产城融合型（本园区适用） 理想值")
    assert row_of(weights, "综合容积率")[4] == "2.50 *"
    changed = settings_rows(ev.settings).query("not is_default")["key"].tolist()
    assert sorted(changed) == ["park_type_cutoff_industrial_share", "park_types.mixed.ideals.far_overall"]


def test_english_variant(data):
    parks, ev = data
    a = ev.table.set_index("park_id").loc["A"]
    doc = reopen(park_report_docx(ev, "A", parks=parks, lang="en"))
    assert doc.paragraphs[0].text == (
        "Alpha Hi-tech Zone: Land Saving and Intensive Use Evaluation Report (as of 2026-11-25)")
    text = all_text(doc)
    assert f"Land intensity score: {a['score']:.2f} points" in text
    assert f"Overall rank: {int(a['rank'])} of 2 parks scored" in text
    assert "Rank among national-level parks: 1 of 1" in text
    names = column(table_with(doc, "Indicator", "Formula", "Weighted points"), "Indicator")
    for ind in INDICATORS:
        assert words.label("indicator", ind, "en") in names
    assert len(doc.inline_shapes) == 1
    assert PRODUCT_NAME["en"] in " ".join(p.text for p in doc.sections[0].footer.paragraphs)


def test_park_without_parcels_still_reports(data):
    parks, ev = data
    doc = reopen(park_report_docx(ev, "C", parks=parks))
    text = all_text(doc)
    assert doc.paragraphs[0].text.startswith("丙高新区 ")
    assert "无数据" in text  # no city, no leading industries
    assert "总排名：未排名（无评价分值）" in text
    assert "土地集约利用评价分值：无" in text
    table = table_with(doc, "指标", "计算公式", "指标值")
    values = dict(zip(column(table, "指标"), column(table, "指标值"), strict=True))
    assert values["土地开发率"] == "50.00%"  # from the park's own records: 5 / 10 ha
    assert values["土地供应率"] == "—" and values["综合容积率"] == "—"
    assert "无宗地数据" in text
    assert len(doc.inline_shapes) == 1  # the park boundary alone
    # Notes are the evaluation's codes rendered in words: no code, no English.
    assert "本园区：无宗地数据，由宗地汇总的面积与指标无数据" in text
    assert not re.search(r"\b(no_parcels|park_type_unknown|industry_led|too_few_indicators|code)\b", text)


def test_park_without_any_geometry_reports_without_map():
    parks, parcels = tiny()
    plain_parks = pd.DataFrame(parks.drop(columns="geometry"))
    ev = evaluate_parks(plain_parks, parcels, as_of=AS_OF)
    doc = reopen(park_report_docx(ev, "C", parks=plain_parks))
    assert len(doc.inline_shapes) == 0
    assert "未绘制地图" in all_text(doc)


def test_unknown_park_id_is_a_clear_error(data):
    parks, ev = data
    with pytest.raises(ReportError, match=r"park_id 'Z' is not in this evaluation \(parks evaluated: A, B, C\)"):
        park_report_docx(ev, "Z", parks=parks)


def test_unknown_language_is_refused(data):
    parks, ev = data
    with pytest.raises(ReportError, match="language 'fr'"):
        park_report_docx(ev, "A", parks=parks, lang="fr")


# --------------------------------------------------------------------------- pieces


def test_map_classes_precedence():
    flags = pd.DataFrame(
        {
            "idle": pd.array([True, False, False, False, None], dtype="boolean"),
            "inefficient": pd.array([True, True, False, False, None], dtype="boolean"),
            "builtup": [False, True, True, False, False],
            "supplied": [True, True, True, True, False],
        }
    )
    assert map_classes(flags).tolist() == ["idle", "inefficient", "builtup", "unbuilt", "not_supplied"]


@pytest.mark.parametrize(
    ("span_m", "expected_m"),
    [(1000, 200), (4999, 500), (5000, 1000), (12, 2), (3, 1), (70_000, 10_000)],
)
def test_scale_bar_length(span_m, expected_m):
    assert nice_scale_length_m(span_m) == expected_m


def test_report_filename():
    assert report_filename("A", "2026-11-25", "zh") == "土地集约利用评价报告_A_2026-11-25.docx"
    assert report_filename("nanning", pd.Timestamp("2026-11-25"), "en") == "land-use-evaluation_nanning_2026-11-25.docx"
    assert report_filename("南宁/高新 区", "2026-11-25", "en") == "land-use-evaluation_南宁_高新_区_2026-11-25.docx"
    # named by the park's name when the parks layer is given (the id is the system's, not the reader's)
    parks, _ = tiny()
    assert report_filename("A", "2026-11-25", "zh", parks=parks) == "土地集约利用评价报告_甲高新区_2026-11-25.docx"
    assert report_filename("A", "2026-11-25", "en", parks=parks) == (
        "land-use-evaluation_Alpha_Hi-tech_Zone_2026-11-25.docx")
    assert report_filename("Z", "2026-11-25", "zh", parks=parks) == "土地集约利用评价报告_Z_2026-11-25.docx"
    with pytest.raises(ReportError, match="not a date"):
        report_filename("A", None, "zh")
    with pytest.raises(ReportError, match="language"):
        report_filename("A", "2026-11-25", "de")


def test_docx_styles_name_chinese_fonts(report_a):
    normal = report_a.styles["Normal"].element.rPr.rFonts
    heading = report_a.styles["Heading 1"].element.rPr.rFonts
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert normal.get(f"{w}eastAsia") == "宋体"
    assert heading.get(f"{w}eastAsia") == "黑体"
    assert heading.get(f"{w}eastAsiaTheme") is None  # a theme font would override 黑体
    defaults = report_a.styles.element.find(f"{w}docDefaults").find(f"{w}rPrDefault").find(f"{w}rPr")
    assert defaults.find(f"{w}rFonts").get(f"{w}eastAsia") == "宋体"
    assert defaults.find(f"{w}lang").get(f"{w}eastAsia") == "zh-CN"


def test_docx_converts_with_libreoffice(data, tmp_path):
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: conversion check skipped")
    parks, ev = data
    src = tmp_path / "report.docx"
    src.write_bytes(park_report_docx(ev, "A", parks=parks))
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    assert re.search(rb"/Type\s*/Page\b", pdf.read_bytes())


# --------------------------------------------------------------------------- Chinese throughout (issue 7)

#: What must never reach a Chinese reader: project files, internal codes, Python's spelling of gaps.
FORBIDDEN = ("domain.md", ".yaml", "geo/", "rules/", "missing", "None", "NaN", "nan", "NaT", "True", "False",
             "national", "regional", "industrial", "industry_led", "mixed", "park_types", "idle_fee")


def forbidden_in(text: str) -> list[str]:
    return [w for w in FORBIDDEN if re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text)]


def test_chinese_report_holds_no_codes_and_cites_the_regulations(report_a):
    text = all_text(report_a)
    assert forbidden_in(text) == []
    assert "TD/T 1029-2017《开发区土地集约利用评价规程》" in text
    assert "本系统默认参数" in text
    # the park is named, never shown by its id
    info = table_with(report_a, "项目", "内容")
    assert [r.cells[0].text for r in info.rows if r.cells[0].text == "园区编号"] == []
    assert row_of(info, "园区名称")[1] == "甲高新区"


def test_map_caption_and_legend_in_chinese(report_a):
    caption = next(p.text for p in report_a.paragraphs if p.style.name == "Caption")
    assert caption == ("图 1  甲高新区宗地分布（坐标系：CGCS2000 3度带高斯-克吕格投影，中央经线 108°E（EPSG:4545）；"
                       "评价基准日 2026-11-25）")
    legend = next(p.text for p in report_a.paragraphs if p.text.startswith("图中颜色"))
    assert "红色 — 闲置土地" in legend and "黑色粗线为园区边界" in legend
    assert not re.search(r"[A-Za-z]{3,}", legend)


def test_crs_text_names_projections_in_chinese():
    from pyproj import CRS

    from reports.park_report import crs_text

    assert crs_text(CRS.from_epsg(4490)) == "坐标系：CGCS2000 地理坐标（EPSG:4490）"
    assert crs_text(CRS.from_epsg(4524)) == "坐标系：CGCS2000 3度带高斯-克吕格投影，第 36 带（EPSG:4524）"
    assert crs_text(CRS.from_epsg(2360)) == "坐标系：西安1980 3度带高斯-克吕格投影，第 36 带（EPSG:2360）"
    assert crs_text(CRS.from_epsg(32649)) == "坐标系：WGS 84 通用横轴墨卡托投影，第 49N 带（EPSG:32649）"
    assert crs_text(CRS.from_epsg(4545), "en") == (
        "CRS: CGCS2000 3-degree Gauss-Kruger, central meridian 108°E (EPSG:4545)")


def test_map_legend_drawn_with_a_cjk_font():
    from matplotlib import font_manager

    from reports.fonts import cjk_family

    if not any("CJK" in p or "wqy" in p.lower() for p in font_manager.findSystemFonts()):
        msg = "no CJK font installed: apt-get install fonts-noto-cjk (make fonts)"
        if os.environ.get("CI"):
            pytest.fail(msg + " — required in CI", pytrace=False)
        pytest.skip(msg)
    family = cjk_family()
    assert family is not None
    ft = font_manager.get_font(font_manager.findfont(font_manager.FontProperties(family=family)))
    assert all(ft.get_char_index(ord(ch)) for ch in "闲置土地园区边界坐标系北")  # the glyphs are there


def test_without_a_cjk_font_the_report_says_so(data, monkeypatch, caplog):
    import reports.park_report as pr

    parks, ev = data
    monkeypatch.setattr(pr, "cjk_font", lambda *a, **k: None)
    with caplog.at_level("WARNING"):
        doc = reopen(park_report_docx(ev, "A", parks=parks))
    assert len(doc.inline_shapes) == 1
    assert "未安装中文字体" in all_text(doc)
    assert any("CJK font" in r.getMessage() for r in caplog.records)


def test_parcels_without_a_park_are_noted_in_chinese():
    parks, parcels = tiny()
    extra = parcels.iloc[[0, 1]].copy()
    extra["parcel_id"] = ["x1", "x2"]
    extra["park_id"] = [None, None]
    ev = evaluate_parks(parks, pd.concat([parcels, extra]), as_of=AS_OF)
    text = all_text(reopen(park_report_docx(ev, "A", parks=parks)))
    assert "2 宗宗地不在任何园区内，未计入" in text
    assert "missing" not in text and "park_id" not in text


def test_sample_reports_hold_no_codes(sample_workspace):
    import json
    from pathlib import Path

    from geo import evaluation
    from geo import io as gio

    repo = Path(__file__).resolve().parent.parent
    parks = gio.read_parks(repo / "data" / "parks.geojson")
    parcels = gio.read_parcels(sample_workspace / "parcels.parquet", parks=parks).gdf
    ev = evaluation.evaluate_parks(parks, parcels, as_of=AS_OF)
    ids = {f["properties"]["park_id"] for f in json.loads((repo / "data" / "parks.geojson").read_text())["features"]}
    for pid in ("nanning", "hezhou"):
        text = all_text(reopen(park_report_docx(ev, pid, parks=parks)))
        assert forbidden_in(text) == [], pid
        assert [i for i in ids if re.search(rf"(?<![A-Za-z_]){i}(?![A-Za-z_])", text)] == [], pid
        # no English sentence: Latin words only in the park's English name, EPSG and the standard's code
        latin = [ln for ln in text.splitlines() if re.search(r"[a-z]{3,}", ln) and "Hi-tech" not in ln]
        assert latin == [], pid
