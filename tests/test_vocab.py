"""
One vocabulary for the values bureau files carry (geo/vocab.py, geo/rules/land_use.yaml,
geo/rules/vocab.yaml).

Every expected class below is read off the classification's own table (GB/T 21010-2017
表1, TD/T 1055-2019 附录A, GB 50137-2011 表3.2.2/3.3.2, 自然资办发〔2020〕51号 附录A).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import words
from geo import vocab
from geo.evaluation import evaluate_parks, flag_parcels
from geo.grading import grade
from geo.intensity import check_compliance, parcel_metrics
from geo.io import DEFAULT_PARKS_PATH, read_parcels, read_parks, write_table
from geo.rules import RulesError, load_rules

# --------------------------------------------------------------------------- land use

CASES = [
    # GB/T 21010-2017, first and second level
    ("01", "agricultural"), ("0101", "agricultural"), ("0204", "agricultural"), ("04", "agricultural"),
    ("05", "commercial"), ("0501", "commercial"), ("0505", "commercial"), ("0507", "commercial"),
    ("06", "industrial"), ("0601", "industrial"), ("0602", "mining"), ("0603", "mining"),
    ("0604", "storage"), ("07", "residential"), ("0701", "residential"), ("0702", "residential"),
    ("08", "public_service"), ("0803", "public_service"), ("0809", "utilities"), ("0810", "green_space"),
    ("09", "special"), ("0904", "special"), ("10", "transport"), ("1003", "transport"),
    ("11", "water"), ("1104", "water"), ("12", "other"), ("1201", "other"), ("1202", "agricultural"),
    ("工矿仓储用地", "industrial"), ("采矿用地", "mining"), ("盐田", "mining"), ("商服用地", "commercial"),
    ("城镇住宅用地", "residential"), ("公园与绿地", "green_space"), ("河流水面", "water"),
    ("铁路用地", "transport"), ("空闲地", "other"), ("水田", "agricultural"),
    # 三调 working classification
    ("05H1", "commercial"), ("0508", "storage"), ("08H1", "public_service"), ("08H2", "public_service"),
    ("00", "water"), ("商业服务业设施用地", "commercial"), ("物流仓储用地", "storage"),
    ("机关团体新闻出版用地", "public_service"), ("科教文卫用地", "public_service"), ("种植园用地", "agricultural"),
    # GB 50137-2011
    ("M", "industrial"), ("M1", "industrial"), ("M2", "industrial"), ("M3", "industrial"),
    ("W", "storage"), ("W1", "storage"), ("W2", "storage"), ("W3", "storage"),
    ("R", "residential"), ("R2", "residential"), ("R21", "residential"),
    ("A", "public_service"), ("A33", "public_service"), ("B", "commercial"), ("B14", "commercial"),
    ("S", "transport"), ("S42", "transport"), ("U", "utilities"), ("U12", "utilities"),
    ("G", "green_space"), ("G1", "green_space"), ("G3", "green_space"),
    ("H5", "mining"), ("H4", "special"), ("E1", "water"), ("E2", "agricultural"), ("H", "other"),
    ("一类工业用地", "industrial"), ("二类工业用地", "industrial"), ("三类工业用地", "industrial"),
    ("一类物流仓储用地", "storage"), ("道路与交通设施用地", "transport"), ("公共管理与公共服务设施用地", "public_service"),
    # 2020 用地用海分类 (codes found in no other classification)
    ("100101", "industrial"), ("100102", "industrial"), ("100103", "industrial"),
    ("110101", "storage"), ("110102", "storage"), ("110103", "storage"),
    ("070101", "residential"), ("080403", "public_service"), ("090101", "commercial"),
    ("120803", "transport"), ("13", "utilities"), ("1303", "utilities"), ("14", "green_space"),
    ("1401", "green_space"), ("15", "special"), ("16", "other"), ("17", "water"), ("1705", "water"),
    ("23", "other"), ("储备库用地", "storage"), ("工矿用地", "industrial"), ("居住用地", "residential"),
    ("绿地与开放空间用地", "green_space"), ("留白用地", "other"), ("二类物流仓储用地", "storage"),
    # the product's codes and their names; with/without 用地; code and name together
    ("industrial", "industrial"), ("Industrial", "industrial"), ("public_service", "public_service"),
    ("green space", "green_space"), ("工业用地", "industrial"), ("工业", "industrial"), ("仓储", "storage"),
    ("商服", "commercial"), ("住宅", "residential"), ("盐田用地", "mining"), ("农用地", "agricultural"),
    ("0601 工业用地", "industrial"), ("0601工业用地", "industrial"), ("M1一类工业用地", "industrial"),
    ("M1 一类工业用地", "industrial"), ("工业用地(0601)", "industrial"), ("工业用地（M）", "industrial"),
    ("100101一类工业用地", "industrial"), ("1101 物流仓储用地", "storage"), ("W2二类物流仓储用地", "storage"),
    ("0604-仓储用地", "storage"), ("（0508）物流仓储用地", "storage"),
    # full-width, spaces, Excel numbers
    ("０６０１", "industrial"), ("Ｍ１", "industrial"), ("ｍ１", "industrial"), (" 0601 ", "industrial"),
    ("\u3000工业用地\u3000", "industrial"), ("工 业 用 地", "industrial"), (601, "industrial"),
    (601.0, "industrial"), (604, "storage"), (100101, "industrial"), ("601", "industrial"),
    # older spellings of this product's evaluation settings
    ("cropland", "agricultural"), ("forest", "agricultural"),
]


@pytest.mark.parametrize(("value", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_every_code_and_name_lands_in_its_class(value, expected):
    classes, unknown = vocab.land_use_classes(pd.Series([value], dtype=object))
    assert classes.iloc[0] == expected
    assert not unknown.iloc[0]


def test_cases_cover_each_classification():
    assert len(CASES) >= 60
    t = vocab.land_use_tables()
    keys = {vocab._code_key(str(v)) for v, _ in CASES}
    for cid in vocab.CLASSIFICATIONS:
        assert len(keys & t.codes[cid].keys()) >= 10, cid


def test_every_listed_code_maps_to_a_rule_class_and_the_classes_have_words():
    rules = load_rules("land_use")
    assert set(vocab.LAND_USE_CLASSES) <= set(words.labels("land_use"))
    for cid, spec in rules["classifications"].items():
        assert spec["source"].strip() and str(spec["edition"]).strip(), cid
        for code, (name, klass) in spec["codes"].items():
            assert klass in vocab.LAND_USE_CLASSES, (cid, code)
            # Each code, alone and with its name, reads as the classification says when it goes first.
            got = vocab.land_use_class(pd.Series([code, f"{code} {name}"]), classification=cid)
            assert got.tolist() == [klass, klass], (cid, code, name)
    assert set(rules["precedence"]) <= set(rules["classifications"])
    assert rules["land_use_classification"] == "auto"


def test_blanks_are_na_and_not_reported():
    classes, unknown = vocab.land_use_classes(pd.Series([None, np.nan, "", "  ", "-", "/", "无"], dtype=object))
    assert classes.isna().all()
    assert not unknown.any()


def test_unrecognised_values_are_reported_by_row():
    s = pd.Series(["0601", "菜地", None, "99", "M7", "工业用地", "菜地"], index=list("abcdefg"))
    classes, unknown = vocab.land_use_classes(s)
    assert unknown.index.equals(s.index)
    assert unknown[unknown].index.tolist() == ["b", "d", "e", "g"]
    assert classes[["a", "f"]].tolist() == ["industrial", "industrial"]
    assert classes[unknown].isna().all()
    kept = vocab.land_use_class(s, keep_unrecognised=True)
    assert kept[["b", "d", "e"]].tolist() == ["菜地", "99", "M7"]
    assert pd.isna(kept["c"])


# --------------------------------------------------------------------------- collisions


def test_code_collision_default_precedence_reads_gbt21010():
    # "1001": 铁路用地 in GB/T 21010-2017 and 三调, 工业用地 in the 2020 用地用海分类.
    got = vocab.land_use_class(pd.Series(["1001", "1101", "0601", "05", "12"]))
    assert got.tolist() == ["transport", "water", "industrial", "commercial", "other"]


def test_code_collision_file_evidence_picks_the_2020_classification():
    # A 6-digit code exists only in the 2020 classification: the column is read in it.
    got = vocab.land_use_class(pd.Series(["1001", "100101", "1101", "1201", "0601"]))
    assert got.tolist() == ["industrial", "industrial", "storage", "transport", "transport"]
    # ... and a name beside a code says which classification it is.
    got = vocab.land_use_class(pd.Series(["1001", "1002 采矿用地", "1001 工业用地"]))
    assert got.tolist() == ["industrial", "mining", "industrial"]


def test_code_collision_file_evidence_for_gbt21010_keeps_it():
    got = vocab.land_use_class(pd.Series(["1001", "0810", "05H1"]))
    assert got.tolist() == ["transport", "green_space", "commercial"]


def test_code_collision_override_per_file_and_by_rules():
    s = pd.Series(["1001", "1101", "0601", "0508"])
    assert vocab.land_use_class(s, classification="ydyh_2020").tolist() == [
        "industrial", "storage", "transport", "storage"]
    assert vocab.land_use_class(s, classification="gbt21010_2017").tolist() == [
        "transport", "water", "industrial", "storage"]
    by_rules = vocab.land_use_class(s, rules={"precedence": ["ydyh_2020", "gbt21010_2017", "tdc3_2019"],
                                              "land_use_classification": "ydyh_2020"})
    assert by_rules.tolist()[:2] == ["industrial", "storage"]
    with pytest.raises(RulesError) as err:
        vocab.land_use_class(s, classification="gb9999")
    assert (err.value.code, err.value.params["value"]) == ("land_use_classification_unknown", "gb9999")


def test_gbt21010_and_tdc3_are_one_family_and_never_disagree():
    t = vocab.land_use_tables()
    assert t.families["gbt21010_2017"] == t.families["tdc3_2019"] != t.families["ydyh_2020"]


def test_classes_in_reads_rule_lists_and_refuses_typos():
    assert vocab.classes_in(["industrial", "仓储用地", "M"]) == ["industrial", "storage", "industrial"]
    with pytest.raises(RulesError) as err:
        vocab.classes_in(["industrail"])
    assert err.value.code == "land_uses_unknown" and err.value.params["values"] == ["industrail"]


@settings(max_examples=150, deadline=None)
@given(
    value=st.sampled_from([v for v, _ in CASES if isinstance(v, str)] + ["菜地", "99", "x工业"]),
    left=st.sampled_from(["", " ", "\u3000", "\t", "  \u3000"]),
    right=st.sampled_from(["", " ", "\u3000", "\n"]),
    full_width=st.booleans(),
)
def test_normalisation_is_idempotent_and_blind_to_whitespace_and_full_width(value, left, right, full_width):
    once = vocab.land_use_class(pd.Series([value]), keep_unrecognised=True)
    twice = vocab.land_use_class(once, keep_unrecognised=True)
    assert once.tolist() == twice.tolist()
    text = value
    if full_width:
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)
    variant = vocab.land_use_class(pd.Series([left + text + right]))
    assert variant.tolist() == vocab.land_use_class(pd.Series([value])).tolist()


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


_SPELLED = [(k, sp) for k in vocab.KINDS for sp in [*vocab.codes(k), *vocab.spellings(k).values(), "资金不足"]]


@settings(max_examples=100, deadline=None)
@given(item=st.sampled_from(_SPELLED), pad=st.sampled_from(["", " ", "\u3000", "\t "]), wide=st.booleans())
def test_other_kinds_are_blind_to_whitespace_and_full_width(item, pad, wide):
    kind, text = item
    variant = pad + (_full_width(text) if wide else text) + pad
    a, bad_a = vocab.normalise(kind, pd.Series([text], dtype=object))
    b, bad_b = vocab.normalise(kind, pd.Series([variant], dtype=object))
    assert a.tolist() == b.tolist() and bad_a.tolist() == bad_b.tolist()
    if kind != "yes_no" and not bad_a.iloc[0]:
        assert vocab.normalise(kind, a)[0].tolist() == a.tolist()  # idempotent


def test_many_rows_are_read_once_per_distinct_value(monkeypatch):
    calls = []
    t = vocab.land_use_tables()
    real = type(t).resolve
    monkeypatch.setattr(type(t), "resolve", lambda self, text, order: calls.append(text) or real(self, text, order))
    s = pd.Series(np.tile(np.array(["0601", "M1", "菜地", "商服用地"], dtype=object), 250_000))
    got = vocab.land_use_class(s)
    assert len(got) == 1_000_000 and len(calls) == 4
    assert got.iloc[[0, 1, 3]].tolist() == ["industrial", "industrial", "commercial"] and pd.isna(got.iloc[2])


# --------------------------------------------------------------------------- other kinds


@pytest.mark.parametrize(
    ("value", "expected"),
    [("是", True), ("否", False), ("Y", True), ("n", False), ("true", True), ("FALSE", False), ("1", True),
     ("0", False), ("有", True), ("无", False), ("√", True), ("×", False), ("已建成", True), ("未建成", False),
     ("Ｙｅｓ", True), (" 是 ", True)],
)
def test_yes_no(value, expected):
    got = vocab.yes_no(pd.Series([value], dtype=object))
    assert str(got.dtype) == "boolean" and got.iloc[0] == expected


def test_yes_no_blank_unknown_numbers_and_bools():
    got, bad = vocab.normalise("yes_no", pd.Series(["", None, "maybe", "是"], dtype=object))
    assert got.isna().tolist() == [True, True, True, False] and bad.tolist() == [False, False, True, False]
    assert vocab.yes_no(pd.Series([1.0, 0.0, np.nan])).tolist() == [True, False, pd.NA]
    assert vocab.yes_no(pd.Series([True, False])).tolist() == [True, False]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("land_not_delivered", "land_not_delivered"), ("Land not delivered", "land_not_delivered"),
     ("land-not-delivered", "land_not_delivered"), ("未按约定交付土地", "land_not_delivered"),
     ("规划修改", "plan_revised"), ("规划调整", "plan_revised"), ("国家出台相关政策", "policy_change"),
     ("群众信访", "petition"), ("军事管制或文物保护", "military_or_relics"), ("文物保护", "military_or_relics"),
     ("其他政府行为", "government_other"), ("不可抗力", "force_majeure"), ("自然灾害", "force_majeure"),
     ("ＦＯＲＣＥ_ＭＡＪＥＵＲＥ", "force_majeure")],
)
def test_delay_cause(value, expected):
    assert vocab.delay_cause(pd.Series([value])).iloc[0] == expected


def test_delay_cause_unknown_and_blank():
    got, bad = vocab.normalise("delay_cause", pd.Series(["资金不足", "", None, "-"], dtype=object))
    assert got.isna().all() and bad.tolist() == [True, False, False, False]
    assert vocab.DELAY_CAUSES == tuple(load_rules("idle")["exempt_causes"]["value"])


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [("park_level", "国家级", "national"), ("park_level", "national", "national"), ("park_level", "省级", "regional"),
     ("park_level", "自治区级", "regional"), ("park_level", "Region", "regional"),
     ("eco_status", "未启动", "not_started"), ("eco_status", "进行中", "in_progress"),
     ("eco_status", "已完成", "completed"), ("eco_status", "in progress", "in_progress")],
)
def test_park_level_and_eco_status(kind, value, expected):
    assert getattr(vocab, kind)(pd.Series([value])).iloc[0] == expected


def test_every_code_has_words_and_spellings_read_back():
    for kind in ("park_level", "delay_cause", "eco_status", "land_use"):
        for code in vocab.codes(kind):
            assert words.has_label(kind, code, "zh") and words.has_label(kind, code, "en"), (kind, code)
        written = vocab.spellings(kind)
        assert set(written) == set(vocab.codes(kind))
        read = (vocab.land_use_class if kind == "land_use" else getattr(vocab, kind))(pd.Series(list(written.values())))
        assert read.tolist() == list(written), kind
    for code in vocab.PROBLEM_CODES:
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code
    assert "菜地" in words.text("land_use_unrecognised", "zh", value="菜地")
    assert words.header("park_unresolved") == "未识别的园区名称"


# --------------------------------------------------------------------------- parks


@pytest.fixture(scope="module")
def parks() -> gpd.GeoDataFrame:
    return read_parks(DEFAULT_PARKS_PATH)


@pytest.mark.parametrize(
    ("name", "park_id"),
    [
        ("南宁高新区", "nanning"), ("南宁国家高新区", "nanning"), ("南宁高新技术产业开发区", "nanning"),
        ("南宁国家高新技术产业开发区", "nanning"), ("nanning", "nanning"), ("南宁国家级高新区", "nanning"),
        ("广西南宁高新区", "nanning"), ("南宁市高新区", "nanning"), (" 南宁 高新区 ", "nanning"),
        ("Nanning Hi-tech Industrial Development Zone", "nanning"),
        ("柳州高新区", "liuzhou"), ("柳州国家高新区", "liuzhou"), ("柳州高新技术产业开发区", "liuzhou"),
        ("柳州河西高新区", "liuzhou_hexi"), ("柳州河西高新技术产业开发区", "liuzhou_hexi"),
        ("柳州市河西高新区", "liuzhou_hexi"), ("柳州河西自治区级高新区", "liuzhou_hexi"), ("liuzhou_hexi", "liuzhou_hexi"),
        ("北海高新区", "beihai"), ("北海国家高新区", "beihai"),
        ("百色高新区", "baise"), ("百色自治区级高新区", "baise"), ("百色高新技术产业开发区", "baise"),
        ("防城港高新区", "fangchenggang"),
    ],
)
def test_park_names_resolve(parks, name, park_id):
    got, unresolved = vocab.resolve_parks(pd.Series([name]), parks)
    assert got.iloc[0] == park_id and not unresolved.iloc[0]


@pytest.mark.parametrize("name", ["南宁经开区", "北京高新区", "柳州", "高新区", "柳州国家河西高新区", "百色国家高新区"])
def test_unknown_park_names_are_reported_never_guessed(parks, name):
    got, unresolved = vocab.resolve_parks(pd.Series([name]), parks)
    assert pd.isna(got.iloc[0]) and unresolved.iloc[0]


def test_blank_park_is_not_unresolved_and_aliases_column_counts(parks):
    extra = parks.assign(aliases=None)
    extra.loc[extra["park_id"] == "nanning", "aliases"] = "南宁高新园、邕江园"
    got, unresolved = vocab.resolve_parks(pd.Series(["邕江园", None, ""], dtype=object), extra)
    assert got.iloc[0] == "nanning" and got.iloc[1:].isna().all()
    assert unresolved.tolist() == [False, False, False]


def test_a_variant_two_parks_share_resolves_to_neither():
    twins = pd.DataFrame({"park_id": ["a", "b"], "name_zh": ["甲高新区", "乙高新区"], "level": ["national"] * 2,
                          "aliases": ["共园", "共园"]})
    got, unresolved = vocab.resolve_parks(pd.Series(["共园", "甲国家高新区"]), twins)
    assert pd.isna(got.iloc[0]) and unresolved.iloc[0]
    assert got.iloc[1] == "a"


# --------------------------------------------------------------------------- the reader


def test_reader_reports_unrecognised_land_use_and_resolves_park_names(tmp_path, parks):
    nanning = parks.loc[parks["park_id"] == "nanning"].to_crs(4545).geometry.iloc[0].representative_point()
    x, y = nanning.x, nanning.y
    gdf = gpd.GeoDataFrame(
        {
            "parcel_id": ["p1", "p2", "p3", "p4"],
            "park_id": ["南宁国家高新区", "南宁高新区", "外省高新区", "柳州河西高新区"],
            "land_use": ["M1一类工业用地", "菜地", "100101", "0604 仓储用地"],  # 100101: a 2020-coded file
        },
        geometry=[shapely.box(x + i, y, x + i + 1, y + 1) for i in range(4)],
        crs=4545,
    )
    loaded = read_parcels(write_table(gdf, tmp_path / "p.gpkg"), parks=parks)
    df = loaded.gdf
    assert df["park_id"].tolist()[:2] == ["nanning", "nanning"] and df["park_id"].iloc[3] == "liuzhou_hexi"
    assert pd.isna(df["park_id"].iloc[2]) and df["park_unresolved"].iloc[2] == "外省高新区"
    assert df["land_use"].tolist() == ["industrial", "菜地", "industrial", "storage"]
    coded = {(p.row, p.column, p.code): p.args for p in loaded.problems if p.code in vocab.PROBLEM_CODES}
    assert coded == {(2, "land_use", "land_use_unrecognised"): {"value": "菜地"},
                     (3, "park_id", "park_unresolved"): {"value": "外省高新区"}}
    # Saved as a workspace and read again: still under no park (not placed by location), still reported.
    again = read_parcels(write_table(df, tmp_path / "ws.gpkg"), parks=parks)
    assert again.gdf["park_id"].isna().tolist() == [False, False, True, False]
    assert again.gdf["park_unresolved"].iloc[2] == "外省高新区"
    assert [(p.row, p.code) for p in again.problems if p.code == "park_unresolved"] == [(3, "park_unresolved")]
    # Once the parks table knows the name, the parcel joins its park.
    known = parks.assign(aliases=np.where(parks["park_id"] == "nanning", "外省高新区", None))
    joined = read_parcels(tmp_path / "ws.gpkg", parks=known)
    assert joined.gdf["park_id"].iloc[2] == "nanning" and "park_unresolved" not in joined.gdf


# --------------------------------------------------------------------------- acceptance

FOUR_WAYS = ("0601", "M1", "100101", "一类工业用地")


def _industrial_parcels(land_use: str) -> gpd.GeoDataFrame:
    """Four 100 m × 100 m industrial parcels (15 亩 each) of one park, land use written one way."""
    n = 4
    return gpd.GeoDataFrame(
        {
            "parcel_id": [f"p{i}" for i in range(n)],
            "park_id": ["nanning"] * n,
            "land_use": [land_use] * n,
            "industry_code": ["39"] * n,
            "industry_edition": [2002] * n,  # electrical machinery: minimum FAR 0.7
            "floor_area_m2": [5_000.0, 8_000.0, 9_000.0, 12_000.0],  # FAR 0.5 fails, the rest pass
            "floor_area_over_8m_m2": [0.0] * n,
            "footprint_m2": [4_000.0] * n,
            "office_area_m2": [500.0] * n,
            "green_area_m2": [1_500.0] * n,
            "total_investment_wan": [3_000.0] * n,
            "tax_wan": [15.0, 30.0, 45.0, 60.0],
            "supply_date": pd.to_datetime(["2015-01-01"] * n),
            "completion_date": pd.to_datetime(["2017-01-01"] * n),
        },
        geometry=[shapely.box(500_000 + i * 1_000, 2_500_000, 500_100 + i * 1_000, 2_500_100) for i in range(n)],
        crs=4545,
    )


@pytest.mark.parametrize("written", FOUR_WAYS)
def test_one_industrial_parcel_written_four_ways_is_treated_alike(written):
    reference = _industrial_parcels("industrial")
    parcels = _industrial_parcels(written)
    park = pd.DataFrame({"park_id": ["nanning"], "name_zh": ["南宁高新技术产业开发区"], "level": ["national"],
                         "city": ["南宁市"], "developable_ha": [10.0], "supply_ready_ha": [8.0]})

    comp, comp_ref = check_compliance(parcels, parks=park), check_compliance(reference, parks=park)
    assert comp["checked"].all()
    assert parcel_metrics(parcels)["far"].tolist() == pytest.approx([0.5, 0.8, 0.9, 1.2])
    assert comp["far_ok"].tolist() == [False, True, True, True]
    assert comp["far_ok"].tolist() == comp_ref["far_ok"].tolist()
    assert comp["inefficient"].tolist() == comp_ref["inefficient"].tolist()

    graded = grade(parcels.join(parcel_metrics(parcels)), group="park")
    graded_ref = grade(reference.join(parcel_metrics(reference)), group="park")
    assert graded["grade_class"].notna().all()
    assert graded["grade_class"].tolist() == graded_ref["grade_class"].tolist()

    flags = flag_parcels(parcels, as_of="2026-11-25")
    assert flags["industrial"].all() and flags["builtup_industrial"].all()
    assert (flags["land_use"] == "industrial").all()
    ev, ev_ref = evaluate_parks(park, parcels, as_of="2026-11-25"), evaluate_parks(park, reference, as_of="2026-11-25")
    for col in ("industrial_share", "far_industrial", "tax_industrial_wan_per_ha"):
        assert ev.table[col].tolist() == pytest.approx(ev_ref.table[col].tolist()), col
    assert ev.table["industrial_share"].iloc[0] == pytest.approx(1.0)
