"""
Coded errors of the analysis: every code has zh and en words that render with sample
arguments, and every shipped rule set loads through its one validating loader.
"""

from __future__ import annotations

import pickle
import re

import pandas as pd
import pytest

import words
from geo import crs, eco, evaluation, grading, idle, intensity, vocab
from geo.errors import CodedError, error_item
from geo.rules import RULES_ERROR_CODES, RulesError, available_rules, load_rules
from words.errors import describe

#: Each module's error codes, as geo exports them.
CODE_LISTS = {
    "geo.rules.RULES_ERROR_CODES": RULES_ERROR_CODES,
    "geo.idle.IDLE_RULES_ERROR_CODES": idle.IDLE_RULES_ERROR_CODES,
    "geo.vocab.VOCAB_ERROR_CODES": vocab.VOCAB_ERROR_CODES,
    "geo.evaluation.EVALUATION_ERROR_CODES": evaluation.EVALUATION_ERROR_CODES,
    "geo.eco.ECO_ERROR_CODES": eco.ECO_ERROR_CODES,
    "geo.grading.GRADING_ERROR_CODES": grading.GRADING_ERROR_CODES,
    "geo.intensity.INTENSITY_ERROR_CODES": intensity.INTENSITY_ERROR_CODES,
    "geo.crs.CRS_ERROR_CODES": crs.CRS_ERROR_CODES,
}
ALL_CODES = sorted({c for codes in CODE_LISTS.values() for c in codes})

#: Sample arguments: every argument any of these codes takes.
SAMPLE = {
    "name": "nope", "available": ["idle", "eco"], "rule_set": "idle", "file": "my.yaml", "line": 3, "column": 7,
    "key": "park_type_cutoff_industrial_share", "value": 1.5, "low": 0, "high": 1, "values": ["foo", "bar"],
    "allowed_causes": ["plan_revised", "force_majeure"], "vocabulary": "park_level", "spelling": "国家",
    "codes": ["national", "regional"], "allowed_ids": ["auto", "gbt21010_2017"], "where": "class_aliases",
    "allowed_classes": ["industrial", "storage"], "park_type": "mixed", "allowed_indicators": ["far_overall"],
    "indicator": "far_overall", "weight": 14.0, "allowed_choices": ["exclude", "zero"], "park_ids": ["nanning"],
    "n": 2, "figure": "score", "part": "middle", "ext": ".txt", "allowed_exts": [".csv", ".xlsx"],
    "allowed_levels": ["national", "regional"],
    "allowed_statuses": ["not_started", "completed"], "allowed_directions": ["max", "min"], "a": 0.8, "b": 0.7,
    "c": 0.95, "edition": "2011", "allowed_editions": ["2002", "2017"], "columns": ["level", "city"],
    "crs": "EPSG:4490", "what": "data",
}
SAMPLE_ITEM = {**SAMPLE, "column": 7}  # (``column`` is a line's column in syntax errors, a field elsewhere)

#: English words that must not appear in a Chinese sentence.
ENGLISH = re.compile(r"\b(the|is|not|must|valid|invalid|error|line|column|settings?|between|missing|unknown|"
                     r"allowed|file|use|give|none|true|false)\b", re.IGNORECASE)


def test_code_lists_are_disjoint_and_not_empty():
    seen: dict[str, str] = {}
    for name, codes in CODE_LISTS.items():
        assert codes, name
        for code in codes:
            assert code not in seen, f"{code} in {seen.get(code)} and {name}"
            seen[code] = name


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_error_code_has_words(code):
    assert words.has_text(code, "zh") and words.has_text(code, "en"), code


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_error_code_renders_with_sample_arguments(code):
    item = {"code": code, **SAMPLE_ITEM}
    zh, en = words.render(item, "zh"), words.render(item, "en")
    assert zh and en and zh != en
    assert re.search(r"[\u4e00-\u9fff]", zh), zh
    assert "{" not in zh and "{" not in en and "None" not in zh and "['" not in zh, zh
    assert not ENGLISH.search(zh.replace("park_type_cutoff_industrial_share", "")), zh


def test_a_setting_is_named_as_written_and_in_words():
    item = {"code": "eval_setting_out_of_range", "key": "park_type_cutoff_industrial_share", "value": 1.5,
            "low": 0, "high": 1}
    assert words.render(item, "zh") == ("评价参数中 park_type_cutoff_industrial_share（园区类型划分界限（工业用地率 ≥ "
                                        "界限为工业主导型）） 的值 1.5 超出范围：应在 0 到 1 之间。")
    # A key words do not know is shown as the file writes it, never dropped.
    assert "foo_bar" in words.render({**item, "key": "foo_bar"}, "zh")


def test_allowed_values_are_listed_as_the_user_writes_them_and_in_words():
    item = {"code": "eval_setting_choice", "key": "missing_indicator", "value": "drop",
            "allowed_choices": ["exclude", "zero"]}
    zh = words.render(item, "zh")
    assert "可选：exclude（剔除，其余权重归一）、zero（按0分计）" in zh and "missing_indicator（无数据指标的处理）" in zh
    causes = words.render({"code": "rule_unknown_delay_causes", "rule_set": "idle", "key": "exempt_causes",
                           "values": ["plan_revisd"], "allowed_causes": list(vocab.DELAY_CAUSES)}, "zh")
    assert "《闲置土地处置办法》第八条" in causes and "规划修改" in causes and "闲置土地认定规则" in causes


def test_coded_error_shape():
    exc = RulesError("rule_missing", rule_set="idle", key="warning_days")
    assert isinstance(exc, CodedError) and isinstance(exc, ValueError)
    assert exc.item == {"code": "rule_missing", "rule_set": "idle", "key": "warning_days"}
    assert str(exc) == "rule_missing(rule_set='idle', key='warning_days')"
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is RulesError and again.item == exc.item
    assert error_item(exc) == exc.item and error_item(ValueError("x")) is None


def test_describe_never_shows_an_english_sentence():
    assert describe(evaluation.EvaluationError("eval_parks_missing_id", n=2), "zh") == "园区数据中有 2 行未填写园区编号，请补充。"
    assert describe(ValueError("something went wrong"), "zh") == "处理时出现意外错误，请联系系统管理员。"
    from layers.basemap import BasemapError

    keyless = BasemapError("basemap_needs_key", "zh", env="TIANDITU_TK")
    assert describe(keyless, "zh") == str(keyless)


# --------------------------------------------------------------------------- every rule set loads, validated

#: The one validating loader of each shipped rule set.
LOADERS = {
    "control_indicators": intensity.load_control_rules,
    "far_min_by_industry": intensity.load_control_rules,
    "eco": eco.eco_rules,
    "evaluation": evaluation.evaluation_settings,
    "grading": grading.load_grading_settings,
    "idle": idle.idle_thresholds,
    "land_use": vocab.land_use_tables,
    # Each kind's spelling table is built (and checked for a spelling of two codes) on first use.
    "vocab": lambda: [vocab.normalise(kind, pd.Series(["?"], dtype=object)) for kind in vocab.KINDS],
    "limits": lambda: __import__("geo.archive", fromlist=["zip_limits"]).zip_limits(),
    "assessment": lambda: __import__("geo.assessment", fromlist=["load_preset"]).load_preset(None),
    "raster": lambda: __import__("geo.raster", fromlist=["load_raster_settings"]).load_raster_settings(),
}


def test_every_shipped_rule_set_has_a_loader():
    assert set(LOADERS) == set(available_rules())


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_shipped_rule_set_loads_validated(name):
    assert load_rules(name)  # the file itself: valid YAML, a mapping
    assert LOADERS[name]() is not None


def test_loaders_return_typed_values():
    th = idle.idle_thresholds()
    assert isinstance(th["idle_months"], int) and isinstance(th["warning_days"], int)
    g = grading.load_grading_settings()
    assert all(isinstance(v, float) for v in g["weights"].values())
    assert all(isinstance(v, float) for v in g["cutoffs"].values())
    assert g["graded_land_uses"] == ["industrial", "storage"]
    e = eco.eco_rules()
    assert all(isinstance(spec["threshold"], float) for spec in e["indicators"].values())
    s = evaluation.evaluation_settings()
    assert s["_resolved"] and evaluation._resolved(s) is s  # validated once, passed through after


@pytest.mark.parametrize(
    ("loader", "override", "code"),
    [
        (idle.idle_thresholds, {"fee_share_of_price": {"value": 20}}, "rule_share_out_of_range"),
        (grading.load_grading_settings, {"graded_land_uses": ["industrail"]}, "land_uses_unknown"),
        (grading.load_grading_settings, {"fallback_indicator": "profit"}, "grading_fallback_unknown"),
        (evaluation.evaluation_settings, {"supply_window_years": 0}, "eval_setting_not_whole"),
        (evaluation.evaluation_settings, {"rank_method": "best"}, "eval_setting_choice"),
        (evaluation.evaluation_settings, {"industrial_land_uses": ["industral"]}, "land_uses_unknown"),
        (evaluation.evaluation_settings, {"park_types": {"mixed": {"weights": {"far_overall": "x"}}}},
         "eval_setting_not_number"),
        (eco.eco_rules, {"targets": {"park_count_min": -1}}, "eco_rule_below_min"),
        (intensity.load_control_rules, {"far_min_by_industry": {"default_edition": "1994"}},
         "intensity_edition_no_table"),
    ],
)
def test_a_bad_override_is_refused_at_load_with_a_code(loader, override, code):
    with pytest.raises(CodedError) as err:
        loader(override)
    assert err.value.code == code
    zh = words.render(err.value.item, "zh")
    assert re.search(r"[\u4e00-\u9fff]", zh) and "{" not in zh


@pytest.mark.parametrize(
    ("text", "expect"),
    [("park_type_cutoff_industrial_share: 1.5\n", "的值 1.5 超出范围：应在 0 到 1 之间"),
     ("a: 1\nb: [1,\n", "评价参数文件第")],
)
def test_cli_says_a_bad_settings_file_in_chinese(sample_workspace, tmp_path, capsys, text, expect):
    import cli
    from tests.conftest import AS_OF, ROOT

    bad = tmp_path / "settings.yaml"
    bad.write_text(text, encoding="utf-8")
    rc = cli.main(["evaluate", "--parks", str(ROOT / "data" / "parks.geojson"),
                   "--parcels", str(sample_workspace / "parcels.parquet"), "--as-of", AS_OF,
                   "-o", str(tmp_path / "out.csv"), "--settings", str(bad)])
    err = capsys.readouterr().err
    assert rc == cli.EXIT_BAD_INPUT
    assert err.startswith("错误：") and expect in err, err
    assert not (tmp_path / "out.csv").exists()
