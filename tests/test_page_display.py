"""What the officer reads: number formats, gaps as "—", rule texts in words, no raw codes on the pages."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

import words
from geo.vocab import LAND_USE_CLASSES
from tests.conftest import shown_tables
from views import display

NAMES = {"far": "容积率", "building_coef": "建筑系数", "office_share": "办公比重", "tax_wan_per_mu": "亩均税收"}


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (1229.94, "mu", "1,229.9"),  # 亩: 1 decimal
        (18350.218, "wan", "18,350.22"),  # 万元: 2
        (0.8946, "pct", "89.5%"),
        (0.8946, "pct2", "89.46%"),
        (1.0, "far", "1.00"),
        (69364.4, "m2", "69,364"),
        (np.nan, "mu", "—"),
        (None, "pct", "—"),
        (pd.NA, "int", "—"),
        (pd.NaT, "date", "—"),
        (pd.Timestamp("2027-05-12 00:00:00"), "date", "2027-05-12"),
    ],
)
def test_fmt_value(value, kind, text):
    assert display.fmt_value(value, kind) == text


def test_styled_gaps_become_dashes_and_full_columns_stay_numbers():
    df = pd.DataFrame({"a": [1.25, np.nan], "b": [0.5, 0.25], "c": ["x", None],
                       "d": pd.to_datetime(["2026-01-02", None])})
    sty = display.styled(df, {"a": "mu", "b": "pct"})
    data = sty.data
    assert list(data["a"]) == ["1.2", "—"] or list(data["a"]) == ["1.3", "—"]  # 1.25 → banker's or half-up
    assert data["b"].dtype == float  # no gap: stays sortable numbers, formatted by the Styler
    assert list(data["c"]) == ["x", "—"]
    assert list(data["d"]) == ["2026-01-02", "—"]
    html = sty.to_html()
    assert "50.0%" in html and "25.0%" in html and "None" not in html and "nan" not in html


def _html_table(markup: str) -> tuple[list[str], list[list[str]], str]:
    import lxml.html

    doc = lxml.html.fromstring(f"<div>{markup}</div>")
    table = next(doc.iter("table"))
    head = [th.text_content() for th in table.iter("th")]
    rows = [[td.text_content() for td in tr.findall("td")] for tr in table.iter("tr") if tr.findall("td")]
    return head, rows, "".join(s.text_content() for s in doc.iter("style"))


def test_table_html_writes_cells_as_the_house_does_and_escapes_them():
    df = pd.DataFrame({
        "项目<b>": ["<script>alert(1)</script>", "面积(亩)", "签订日期"],
        "数值": [1234.56, np.nan, 7.0],
        "日期": pd.to_datetime(["2026-01-02 08:00", None, "2025-12-31 00:00"]),
    })
    markup = display.table_html(df, {"数值": "mu"})
    assert "<script>" not in markup and "<b>" not in markup.split("</style>", 1)[1]
    head, rows, css = _html_table(markup)
    assert head == ["项目<b>", "数值", "日期"]  # the text as written, escaped in the markup
    assert rows == [["<script>alert(1)</script>", "1,234.6", "2026-01-02"], ["面积(亩)", "—", "—"],
                    ["签订日期", "7.0", "2025-12-31"]]  # fmt: skip
    scope = re.search(r'class="[^"]*\b(gx-t-[0-9a-f]+)', markup).group(1)
    # numbers right-aligned (the number column, not the text or dates), short columns broken at spaces only
    assert f".{scope} td:nth-child(2){{text-align:right}}" in css
    assert f".{scope} td:nth-child(1){{text-align:right}}" not in css
    assert f".{scope} td:nth-child(3){{text-align:right}}" not in css
    assert f".{scope} td:nth-child(2){{word-break:keep-all}}" in css


def test_table_html_long_text_wraps_and_an_empty_table_keeps_its_header():
    long = "《工业项目建设用地控制指标》（国土资发〔2008〕24号），行业大类 15（GB/T 4754-2017）"
    markup = display.table_html(pd.DataFrame({"规则": ["容积率"], "依据": [long]}))
    _, rows, css = _html_table(markup)
    assert rows == [["容积率", long]]  # the whole sentence, not cut at the column's width
    assert "td:nth-child(2){word-break:keep-all}" not in css
    assert _html_table(display.table_html(pd.DataFrame({"字段": [], "值": []})))[:2] == (["字段", "值"], [])
    # the same table, the same markup (an unchanged card is not a new message)
    assert markup == display.table_html(pd.DataFrame({"规则": ["容积率"], "依据": [long]}))


def test_reason_items_render_in_chinese_and_english():
    import words

    items = [
        {"code": "far_below_min", "far": 0.04, "far_min": 1.0, "source": "gtzf_2008_24"},
        {"code": "building_coef_below_min", "building_coef": 0.03, "building_coef_min": 0.3},
    ]
    assert words.render(items, "zh") == "容积率 0.04，低于下限 1.00；建筑系数 3.0%，低于下限 30.0%"
    assert words.render(items, "en") == (
        "FAR 0.04 below the minimum 1.00; building coefficient 3.0% below the minimum 30.0%"
    )
    assert words.render({"code": "land_use_not_checked", "land_use": "commercial"}, "zh") == "商服用地不属于核查范围"
    skipped = {"code": "input_missing", "control_rule": "office_share", "columns": ["office_area_m2"]}
    assert words.render(skipped, "zh").startswith("行政办公及生活服务设施用地所占比重：缺少")
    for empty in ([], None, np.nan):
        assert words.render(empty, "zh") == "—"
    s = pd.Series([items[:1], [], items[:1]])
    assert list(words.render_series(s, "zh")) == ["容积率 0.04，低于下限 1.00", "—", "容积率 0.04，低于下限 1.00"]


def test_grade_note_items():
    import words

    assert words.render({"code": "indicator_unknown", "indicator": "tax_wan_per_mu"}, "zh") == "亩均税收无数据，未参加评价"
    assert words.render({"code": "not_graded_land_use", "land_use": "residential"}, "zh") == "住宅用地不参加亩均评价"
    assert words.render({"code": "indicator_unknown", "indicator": "tax_wan_per_mu"}, "en") == (
        "Tax per mu unknown, not graded"
    )
    assert not hasattr(display, "reasons_text") and not hasattr(display, "grade_notes_text")


def test_crs_note_and_problems():
    notes = [{"code": "crs_from_file", "crs": "EPSG:4326"}]
    assert display.crs_note_text(notes, lang="zh") == "EPSG:4326（取自文件）"
    assert display.crs_note_text(notes, lang="en") == "EPSG:4326 (from the file)"
    # An inferred CRS with encoding notes: each note rendered, joined (the old "; " translator failed here).
    notes = [
        {"code": "crs_inferred", "epsg": 4524, "basis": "gk_zone_prefix"},
        {"code": "dbf_encoding", "encoding": "GB18030", "found_by": "detected"},
    ]
    zh = display.crs_note_text(notes, lang="zh")
    assert zh == (
        "文件未带坐标系，按坐标推断为 EPSG:4524（横坐标带有 3 度带带号，按 CGCS2000 高斯-克吕格投影该带），请核对；"
        "属性表（DBF）文字编码 GB18030（文件无 .cpg，自动识别）"
    )
    assert display.crs_note_text([], lang="zh") == ""
    probs = pd.DataFrame({
        "row": pd.array([3, None, 12], dtype="Int64"),
        "column": ["parcel_id", "geometry", None],
        "code": ["parcel_id_duplicate", "geometry_missing", "layer_chosen"],
        "args": [{"value": "ZD-001", "count": 2, "dup_rows": [3, 12]}, {},
                 {"count": 2, "layers": ["parcels", "roads"], "chosen": "parcels"}],
        "severity": ["warning", "error", "info"],
    })
    out = display.problems_display(probs, lang="zh")
    assert list(out.columns) == ["行号", "字段", "问题", "级别"]
    assert list(out["行号"]) == ["3", "—", "12"] and list(out["级别"]) == ["警告", "错误", "提示"]
    assert list(out["字段"]) == ["宗地编号", "图形", "—"]
    assert out["问题"].iloc[0] == "宗地编号“ZD-001”重复，共 2 行（第 3、12 行）：均已保留，请更正编号"
    assert out["问题"].iloc[2] == "文件含 2 个图层（parcels、roads），已读取图层“parcels”"
    assert "None" not in out.to_string() and "nan" not in out.to_string()
    en = display.problems_display(probs, lang="en")
    assert list(en.columns) == ["Row", "Column", "Problem", "Severity"]
    assert en["Problem"].iloc[0].startswith("Parcel number “ZD-001” repeats")
    assert display.problems_display(probs.iloc[:0], lang="zh").empty


# --------------------------------------------------------------------------- maps


def test_park_map_marks_each_park_and_leaves_room_for_the_legend():
    import layers

    parks = gpd.GeoDataFrame(
        {"park_id": ["a", "b"], "name_zh": ["甲园", "乙园"], "level": ["national", "regional"], "city": ["x", "y"]},
        geometry=[box(500_000, 2_500_000, 501_000, 2_501_000), box(560_000, 2_560_000, 561_000, 2_561_000)],
        crs="EPSG:4545",
    )
    html = layers.park_map(parks, lang="zh").get_root().render()
    # one circle per park (fixed screen size, visible at region zoom), drawn by a layer per class
    assert html.count('"type": "Point"') == 2 and html.count("L.CircleMarker") == 2
    assert '"paddingBottomRight": [240, 10]' in html


def test_formatted_is_styled_without_a_styler():
    """The same text as :func:`display.styled`: gaps as text, full columns as numbers with the kind's format."""
    df = pd.DataFrame({"a": [1.25, np.nan], "b": [1234.5, 2.0], "n": [1200, 3], "c": ["x", None],
                       "d": pd.to_datetime(["2026-01-02", None]), "p": [0.5, 0.25]})
    out, config = display.formatted(df, {"a": "mu", "b": "mu", "n": "int", "p": "pct"})
    sty = display.styled(df, {"a": "mu", "b": "mu", "n": "int", "p": "pct"}).data
    for col in ("a", "c", "d"):  # gaps: the same text
        assert list(out[col]) == list(sty[col])
    assert out["b"].dtype == float and out["n"].dtype.kind == "i"  # no gap: sortable numbers
    assert config["b"]["type_config"]["format"] == "%,.1f" and config["n"]["type_config"]["format"] == "%,.0f"
    assert list(out["p"]) == ["50.0%", "25.0%"]  # no number format for a rate: its text
    assert set(config) == {"b", "n"}
    assert list(df["a"].isna()) == [False, True]  # the frame given is not changed


@pytest.mark.parametrize("kind", sorted(display.PRINTF))
def test_printf_formats_write_what_the_styler_formats_write(kind):
    """Decimals and thousands separators alike (Streamlit's printf takes "," for thousands)."""
    assert display.FORMATS[kind] == "{:" + display.PRINTF[kind][1:] + "}"


# --------------------------------------------------------------------------- pages


def _frame(at, key):
    return next(d.value for d in at.dataframe if d.proto.id and key in d.proto.id)


def test_idle_tables_show_labels_not_codes(app):
    at = app.run()
    at.switch_page("views/idle.py").run()
    assert not at.exception
    frames = shown_tables(at)
    summary = next(f for f in frames if "闲置状态" in f.columns and "宗数" in f.columns)
    assert set(summary["闲置状态"]) <= set(words.labels("idle_status", "zh").values()) | {"合计"}
    listing = next(f for f in frames if "宗地编号" in f.columns and "土地用途" in f.columns)
    assert len(listing)
    assert set(listing["土地用途"].dropna()) <= {words.label("land_use", c) for c in LAND_USE_CLASSES}
    assert "园区" in listing.columns and listing["园区"].str.contains("高新").all()
    text = listing.astype(str)
    assert not text.isin(["None", "nan", "NaT"]).any().any()
    assert not text["下一节点日期"].str.contains("00:00").any()


def test_overview_targets_show_dashes_not_none(app):
    at = app.run()
    assert not at.exception
    targets = next(d.value for d in at.dataframe if "目标" in d.value.columns)
    shares = targets["目标比例"].astype(str)
    assert "—" in set(shares) and not shares.isin(["None", "nan"]).any()
    captions = " ".join(c.value for c in at.caption)
    assert "eco_status" not in captions


def test_intensity_card_reasons_in_chinese(app):
    at = app.run()
    at.switch_page("views/intensity.py").run()
    assert not at.exception
    texts = " ".join(str(m.value) for m in at.markdown)
    assert "低效原因" in texts
    assert "far:" not in texts and "building_coef:" not in texts and "far_below_min" not in texts
    assert not any("not graded" in c.value for c in at.caption)
    assert "code" not in texts and "None" not in texts


def test_formatted_rounds_as_the_styler_writes():
    """An exact tie is rounded half to even here, so the browser's printf (half away from zero) writes the styler's text."""
    df = pd.DataFrame({"far": [0.125, 1.375, 2.0], "mu": [0.25, 10.05, 3.0]})
    out, _ = display.formatted(df, {"far": "far", "mu": "mu"})
    sty = display.styled(df, {"far": "far", "mu": "mu"})
    text = sty.to_html()
    for col, fmt in (("far", "{:.2f}"), ("mu", "{:,.1f}")):
        for v in out[col]:
            assert fmt.format(v) in text
            assert f"{v:.{2 if col == 'far' else 1}f}" == fmt.format(v)
    assert list(out["far"]) == [0.12, 1.38, 2.0] and list(out["mu"]) == [0.2, 10.1, 3.0]
