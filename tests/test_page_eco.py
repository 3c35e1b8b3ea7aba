"""
生态化改造 page: status map, target tracker and indicator checks on hand-made parks,
then the page (and the overview's target section) under AppTest on the sample.

Hand parks: 2 national (N1 completed 2019, N2 completed 2021) and 10 region-level,
R1-R3 completed in 2020, R4 completed without a year, R5 in progress, the rest not
started. Plan targets (domain.md §1): all national and ≥ 30 % of region-level parks
completed by 2020 → national need 2, region-level need ceil(0.3 × 10) = 3.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

import words
from geo.eco import EcoError
from layers.legend import Legend
from tests.conftest import map_scripts
from views import eco

AS_OF = date(2026, 11, 25)


@pytest.fixture
def parks() -> gpd.GeoDataFrame:
    n = 12
    status = ["completed", "completed", "completed", "completed", "completed", "completed", "in_progress",
              *["not_started"] * 5]
    year = [2019, 2021, 2020, 2020, 2020, np.nan, np.nan, *[np.nan] * 5]
    frame = pd.DataFrame({
        "park_id": ["N1", "N2", *[f"R{i}" for i in range(1, 11)]],
        "name_zh": ["国一", "国二", *[f"区{i}" for i in range(1, 11)]],
        "name_en": ["Nat 1", "Nat 2", *[f"Reg {i}" for i in range(1, 11)]],
        "level": ["national"] * 2 + ["regional"] * 10,
        "eco_status": status,
        "eco_year": year,
        # N1 exactly at every threshold (inclusive: passes); N2 fails each; others not supplied.
        "energy_tce_per_wan_va": [0.5, 0.51, *[np.nan] * 10],
        "water_m3_per_wan_va": [9.0, 9.5, *[np.nan] * 10],
        "industrial_water_reuse": [0.75, 0.7, *[np.nan] * 10],
        "solid_waste_use": [0.70, 0.69, *[np.nan] * 10],
        "reclaimed_water_reuse": [0.10, 0.05, *[np.nan] * 10],
        "va_wan_per_worker": [15.0, 14.9, *[np.nan] * 10],
    })
    geoms = [box(400_000 + 5_000 * i, 2_500_000, 402_000 + 5_000 * i, 2_502_000) for i in range(n)]
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4545")


def test_tracker_by_hand(parks):
    tb = eco.tracker_table(parks, as_of_year=2026, lang="zh").set_index("目标")
    nat = tb.loc["国家级园区完成生态化改造"]
    assert nat["基数(个)"] == 2 and nat["目标数(个)"] == 2
    assert nat["2020年底完成/现有(个)"] == 1 and nat["2020年底差距(个)"] == 1 and nat["2020年底是否达标"] == "否"
    assert nat["2026年底完成/现有(个)"] == 2 and nat["2026年底是否达标"] == "是"
    reg = tb.loc["自治区级园区完成生态化改造"]
    assert reg["目标数(个)"] == 3 and reg["目标比例"] == pytest.approx(0.3)
    assert reg["2020年底完成/现有(个)"] == 3 and reg["2020年底比例"] == pytest.approx(0.3)
    assert reg["2020年底是否达标"] == "是"
    assert "1 个已完成园区缺完成年份" in reg["说明"]
    count = tb.loc["高新区数量"]
    assert count["2020年底完成/现有(个)"] == 12 and count["2020年底差距(个)"] == 4  # target 16
    # As of the target year itself, no duplicate "as of" columns.
    same = eco.tracker_table(parks, as_of_year=2020, lang="en")
    assert not any("2020" in c and c.endswith("met") for c in same.columns[9:])
    assert "End 2020: met" in same.columns


def test_checks_text_thresholds_inclusive(parks):
    tb = eco.checks_table(parks, lang="zh")
    n1 = tb[tb["园区"] == "国一"].set_index("指标")
    assert (n1["核查结果"] == "达标").all()  # every value exactly at its threshold
    assert n1.loc["单位工业增加值综合能耗", "园区数值"] == "0.50 吨标准煤/万元"
    assert n1.loc["单位工业增加值综合能耗", "标准值"] == "≤ 0.50 吨标准煤/万元"
    assert (n1["依据"] == "HJ 274-2015《国家生态工业示范园区标准》").all()
    assert n1.loc["工业用水重复利用率", "标准值"] == "≥ 75.0%"
    assert n1.loc["工业用水重复利用率", "园区数值"] == "75.0%"
    n2 = tb[tb["园区"] == "国二"]
    assert (n2["核查结果"] == "未达标").all()
    r1 = tb[tb["园区"] == "区1"]
    assert (r1["核查结果"] == "未提供").all() and (r1["园区数值"] == "—").all()
    assert (tb["备注"] == "需与广西地方标准 DB45/T 1944-2019核对").all()
    summary = eco.summary_table(parks, lang="zh").set_index("园区")
    assert summary.loc["国一", "达标(项)"] == 6 and summary.loc["国二", "未达标(项)"] == 6
    assert summary.loc["区5", "已提供(项)"] == 0 and summary.loc["区4", "完成年份"] == "—"


def test_percentage_given_as_75_is_refused(parks):
    bad = parks.assign(industrial_water_reuse=[75.0, *[np.nan] * 11])
    with pytest.raises(EcoError) as err:
        eco.checks_table(bad, lang="zh")
    assert err.value.code == "eco_rate_above_one"
    zh = words.render(err.value.item, "zh")
    assert "疑为百分数" in zh and "0.75" in zh and "N1" in zh


def test_status_map_legend_and_tooltip(parks):
    frame = eco.status_frame(parks, lang="zh")
    assert list(frame["eco_status_label"][:7]) == ["已完成"] * 6 + ["推进中"]
    assert frame["eco_year_label"].iloc[0] == "2019" and frame["eco_year_label"].iloc[6] == "—"
    m = eco.status_map(parks, lang="zh")
    (legend,) = [c for c in m._children.values() if isinstance(c, Legend)]
    assert "生态化改造状态" in legend.html
    assert legend.items == [("未启动", "#d62728"), ("推进中", "#ff9f0e"), ("已完成", "#2ca02c")]
    feats = [f for c in m._children.values() if isinstance(c, folium.GeoJson) for f in c.data["features"]]
    props = {f["properties"]["name"]: f["properties"] for f in feats}
    assert props["国一"]["eco_status_label"] == "已完成" and props["国一"]["eco_year_label"] == "2019"
    assert props["国一"]["eco_level_label"] == "国家级" and props["区5"]["eco_status_label"] == "推进中"
    html = m.get_root().render()
    assert "\\u5b8c\\u6210\\u5e74\\u4efd" in html or "完成年份" in html  # tooltip header 完成年份


def test_excel_export(parks):
    blob = eco.excel_bytes(parks, as_of_year=2026, lang="zh")
    sheets = pd.read_excel(io.BytesIO(blob), sheet_name=None)
    assert set(sheets) == {"各园区指标核查", "目标", "各园区核查汇总"}
    checks = sheets["各园区指标核查"]
    assert len(checks) == 12 * 6
    assert set(checks["核查结果"]) == {"达标", "未达标", "未提供"}
    assert list(sheets["目标"]["目标数(个)"][:2]) == [2, 3]
    text = " ".join(f.astype(str).to_string() for f in sheets.values())
    assert not re.search(r"\b(passed|failed|not_supplied|completed|national|hj_274_2015|True|False)\b", text)




def test_eco_page(app):
    at = app.run()
    at.switch_page("views/eco.py").run()
    assert not at.exception
    assert at.title[0].value == "生态化改造"
    frames = [d.value for d in at.dataframe]
    tracker = next(f for f in frames if "目标" in f.columns)
    # Sample parks: 4 national (南宁 2019, 桂林 2020 completed by 2020; 柳州 2021), 8 region-level.
    nat = tracker.set_index("目标").loc["国家级园区完成生态化改造"]
    assert nat["2020年底完成/现有(个)"] == 2 and nat["2020年底差距(个)"] == 2
    assert nat["2026年底完成/现有(个)"] == 3
    checks = next(f for f in frames if "核查结果" in f.columns)
    assert len(checks) == 12 * 6
    at.multiselect(key="eco_parks@zh").set_value(["nanning", "beihai"]).run()
    assert not at.exception
    checks = next(d.value for d in at.dataframe if "核查结果" in d.value.columns)
    assert len(checks) == 2 * 6
    texts = [str(m.value) for m in at.markdown] + [c.value for c in at.caption]
    for d in at.dataframe:
        frame = d.value.data if hasattr(d.value, "data") else d.value
        if "问题" in frame.columns:
            continue  # the data-problems table belongs to the import page (views/common.show_problems)
        texts += [str(c) for c in frame.columns] + frame.astype(str).to_numpy().ravel().tolist()
    vocab = re.compile(r"\b([a-z]+_[a-z_]+|national|regional|completed|nanning|beihai|None|NaN|nan|True|False)\b")
    hits = {m.group(0) for text in texts for m in vocab.finditer(text)}
    assert not hits, sorted(hits)


def test_eco_page_in_english(app):
    app.session_state["lang"] = "en"
    at = app.switch_page("views/eco.py").run()
    assert not at.exception
    assert at.title[0].value == "Eco-transformation"


def test_overview_shows_plan_targets(app):
    at = app.run()
    assert not at.exception
    assert "规划目标（2020年）" in [s.value for s in at.subheader]
    tracker = next(d.value for d in at.dataframe if "目标" in d.value.columns)
    assert "高新区数量" in set(tracker["目标"])


def _has(script: str, text: str) -> bool:
    """``text`` is in the map's script (as the JSON string it is written as)."""
    return json.dumps(text)[1:-1] in script


def test_eco_map_rendered_once_and_shared(app, rendered_maps):
    at = app.switch_page("views/eco.py").run()
    assert not at.exception
    first = map_scripts(at)
    # labels and legend in words; the parks themselves are a layer file the map loads by address
    assert len(first) == 1 and _has(first[0], "南宁") and _has(first[0], "生态化改造状态")
    assert len(rendered_maps) == 1
    at.multiselect(key="eco_parks@zh").set_value(["nanning", "beihai"]).run()  # another part of the page
    assert not at.exception and map_scripts(at) == first and len(rendered_maps) == 1  # not made again
    at.session_state["lang"] = "en"
    at.run()
    english = map_scripts(at)
    assert len(english) == 1 and english != first and _has(english[0], "Nanning") and len(rendered_maps) == 2
