"""Every code the efficiency, grading, evaluation and eco analyses emit has zh and en words."""

from __future__ import annotations

import re

import pytest

import words
from geo import eco, evaluation, grading, intensity
from geo.rules import load_rules
from words import metrics as wm

LANGS = ("zh", "en")


def _message_codes() -> list[str]:
    return sorted({*intensity.REASON_CODES, *grading.NOTE_CODES, *evaluation.NOTE_CODES, *eco.NOTE_CODES})


@pytest.mark.parametrize("code", _message_codes())
@pytest.mark.parametrize("lang", LANGS)
def test_every_message_code_has_words(code, lang):
    assert words.has_text(code, lang), code


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("indicator", [*evaluation.FIGURES, *grading.INDICATORS, *eco.ECO_INDICATORS]),
        ("indicator_formula", list(evaluation.INDICATORS)),
        ("control_rule", list(intensity.RULE_IDS)),
        ("grade_class", [*grading.GRADE_CLASSES, "ungraded"]),
        ("park_type", list(evaluation.PARK_TYPES)),
        ("score_status", list(evaluation.SCORE_STATUSES)),
        ("eco_result", list(eco.RESULTS)),
        ("eco_target", list(eco.TARGET_IDS)),
        ("reference", [evaluation.REFERENCE_ID]),
        ("figure_part", ["numerator", "denominator"]),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_every_label_code_has_words(kind, codes, lang):
    missing = [c for c in codes if not words.has_label(kind, c, lang)]
    assert not missing, f"{kind}: {missing}"


def _source_keys() -> set[str]:
    keys = {f.source for f in evaluation.FIGURES.values()}
    ctl = load_rules("control_indicators")
    keys |= {r["source_key"] for r in ctl["rules"].values()}
    ev = load_rules("evaluation")
    keys |= {ev["source_key"], ev["NATIONAL_AVERAGES_2019"]["source_key"]}
    ec = load_rules("eco")
    keys |= {s["source_key"] for s in ec["indicators"].values()} | {s["verify_key"] for s in ec["indicators"].values()}
    keys |= {ec["targets"]["source_key"], load_rules("grading")["source_key"]}
    return keys


@pytest.mark.parametrize("key", sorted(_source_keys()))
@pytest.mark.parametrize("lang", LANGS)
def test_every_source_key_has_words(key, lang):
    assert words.has_label("source", key, lang)


def test_default_settings_are_cited_as_such():
    assert words.label("source", "system_default", "zh") == "本系统默认参数"
    assert "TD/T 1029-2017" in words.label("source", "td_t_1029_2017", "zh")
    assert "国土资发〔2008〕24号" in words.label("source", "gtzf_2008_24", "zh")


def test_rule_files_carry_no_display_labels():
    for name in ("control_indicators", "grading", "evaluation", "eco"):
        text = repr(load_rules(name))
        assert "label_zh" not in text and "label_en" not in text, name
        assert "'formula_zh'" not in text, name


@pytest.mark.parametrize(
    ("item", "zh"),
    [
        ({"code": "far_below_min", "far": 0.5, "far_min": 0.7, "source": "gtzf_2008_24"}, "容积率 0.50，低于下限 0.70"),
        ({"code": "building_coef_below_min", "building_coef": 0.25, "building_coef_min": 0.3},
         "建筑系数 25.0%，低于下限 30.0%"),
        ({"code": "invest_below_min", "invest_wan_per_mu": 80.0, "invest_min_wan_per_mu": 100.0},
         "投资强度 80.0 万元/亩，低于下限 100.0 万元/亩"),
        ({"code": "land_use_not_checked", "land_use": "storage"}, "仓储用地不属于核查范围"),
        ({"code": "graded_on_tax_only", "indicator": "tax_wan_per_mu"}, "指标不全，仅按亩均税收评价"),
        ({"code": "park_type_unknown", "park_type": "mixed"}, "无已建成土地，园区类型无法判定，按产城融合型计分"),
        ({"code": "verify_against", "source": "db45_t_1944_2019"}, "需与广西地方标准 DB45/T 1944-2019核对"),
    ],
)
def test_items_render_in_chinese(item, zh):
    assert words.render(item, "zh") == zh


def test_rendered_chinese_has_no_codes():
    ascii_word = re.compile(r"\b[a-z]+_[a-z_]+\b")
    samples = {
        "column_missing": {"measure": "far", "column": "floor_area_m2"},
        "input_missing": {"control_rule": "office_share", "columns": ["office_area_m2"]},
        "industry_unknown": {"control_rule": "far"},
        "indicator_unknown": {"indicator": "tax_wan_per_mu"},
        "idle_status_failed": {"error": "agreed_start_date missing"},
    }
    for code, args in samples.items():
        text = words.text(code, "zh", **args)
        assert not ascii_word.search(text), text


def test_indicator_headers_carry_units():
    assert wm.indicator_header("development_rate", "zh") == "土地开发率(%)"
    assert wm.indicator_header("invest_wan_per_ha", "zh") == "工业用地固定资产投入强度(万元/公顷)"
    assert wm.indicator_header("far_overall", "zh") == "综合容积率"
    assert words.header("invest_wan_per_ha", "zh") == "工业用地固定资产投入强度(万元/公顷)"


def test_settings_shown_have_names_and_choices_have_words():
    from reports import evaluation_tables as compare

    ev = load_rules("evaluation")
    for key in compare.SCALAR_SETTINGS:
        assert words.has_label("setting", key, "zh") and words.has_label("setting", key, "en"), key
    for key in ("missing_indicator", "unbuilt_basis", "rank_method"):
        assert words.has_label("setting_choice", ev[key], "zh"), ev[key]
    grading_settings = load_rules("grading")
    assert words.has_label("setting_choice", grading_settings["benchmark"]["method"], "zh")
    for group in grading.GROUPS:
        assert words.has_label("setting_choice", group, "zh")
