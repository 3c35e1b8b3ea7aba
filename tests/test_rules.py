"""The rules loader: shipped YAML, deep-merged overrides, clear errors."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

import words
from geo.rules import RulesError, available_rules, deep_merge, load_rules, rule_value

IDLE_KEYS = (
    "idle_after_years",
    "recover_after_years",
    "developed_share_min",
    "invested_share_min",
    "fee_share_of_price",
    "warning_days",
    "exempt_causes",
)


def test_idle_rules_ship_with_values_sources_and_editions():
    rules = load_rules("idle")
    assert "idle" in available_rules()
    for key in IDLE_KEYS:
        entry = rules[key]
        assert {"value", "source", "edition"} <= set(entry), key
        assert entry["source"].strip()
    assert "53" in rules["idle_after_years"]["source"] and "第二条" in rules["idle_after_years"]["source"]
    assert "第十四条" in rules["fee_share_of_price"]["source"]
    assert "第八条" in rules["exempt_causes"]["source"]
    assert rule_value(rules, "idle_after_years") == 1
    assert rule_value(rules, "recover_after_years") == 2
    assert Fraction(rule_value(rules, "developed_share_min")) == Fraction(1, 3)
    assert Fraction(rule_value(rules, "invested_share_min")) == Fraction(1, 4)
    assert rule_value(rules, "fee_share_of_price") == pytest.approx(0.20)
    assert rule_value(rules, "warning_days") == 90
    assert len(rule_value(rules, "exempt_causes")) == 7


def test_dict_override_is_deep_merged():
    rules = load_rules("idle", {"warning_days": {"value": 30}, "new_key": 1})
    assert rules["warning_days"]["value"] == 30
    assert "source" in rules["warning_days"]  # sibling fields survive
    assert rules["new_key"] == 1
    assert rules["idle_after_years"]["value"] == 1


def test_lists_and_scalars_are_replaced_not_appended():
    rules = load_rules("idle", {"exempt_causes": {"value": ["force_majeure"]}, "warning_days": 45})
    assert rules["exempt_causes"]["value"] == ["force_majeure"]
    assert rules["warning_days"] == 45
    assert rule_value(rules, "warning_days") == 45


def test_yaml_file_override(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("warning_days:\n  value: 60\n  source: 本局规定\n", encoding="utf-8")
    rules = load_rules("idle", path)
    assert rules["warning_days"] == {**load_rules("idle")["warning_days"], "value": 60, "source": "本局规定"}
    assert load_rules("idle", str(path))["warning_days"]["value"] == 60


def test_json_file_override(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"fee_share_of_price": {"value": 0.1}}), encoding="utf-8")
    assert load_rules("idle", path)["fee_share_of_price"]["value"] == 0.1


def test_empty_override_file_keeps_defaults(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing\n", encoding="utf-8")
    assert load_rules("idle", path) == load_rules("idle")


def test_loaded_rules_are_fresh_copies():
    first = load_rules("idle")
    first["warning_days"]["value"] = -1
    first["exempt_causes"]["value"].clear()
    again = load_rules("idle")
    assert again["warning_days"]["value"] == 90
    assert len(again["exempt_causes"]["value"]) == 7


def test_deep_merge_leaves_inputs_alone():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    over = {"a": {"b": 2}, "e": {"f": 3}}
    merged = deep_merge(base, over)
    assert merged == {"a": {"b": 2, "c": [1, 2]}, "d": 1, "e": {"f": 3}}
    merged["a"]["c"].append(3)
    merged["e"]["f"] = 4
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    assert over == {"a": {"b": 2}, "e": {"f": 3}}


def test_unknown_rule_set_names_the_available_ones():
    with pytest.raises(RulesError) as err:
        load_rules("nope")
    assert err.value.code == "rules_unknown_set"
    assert err.value.params["name"] == "nope" and "idle" in err.value.params["available"]
    zh = words.render(err.value.item, "zh")
    assert "“nope”" in zh and "idle" in zh and "规则集" in zh


@pytest.mark.parametrize("name", ["../idle", "idle.yaml", "", "a/b"])
def test_rule_set_name_must_be_a_plain_stem(name):
    with pytest.raises(RulesError) as err:
        load_rules(name)
    assert err.value.code == "rules_name_invalid"


def test_bad_overrides(tmp_path):
    with pytest.raises(RulesError) as err:
        load_rules("idle", tmp_path / "missing.yaml")
    assert err.value.item == {"code": "rules_file_missing", "rule_set": "idle", "file": "missing.yaml"}
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules("idle", listy)
    assert err.value.code == "rules_not_mapping"
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules("idle", broken)
    assert err.value.code == "rules_yaml_syntax" and err.value.params["line"] >= 1
    zh = words.render(err.value.item, "zh")
    assert f"第{err.value.params['line']}行第{err.value.params['column']}列" in zh and "闲置土地认定规则" in zh
    with pytest.raises(RulesError) as err:
        load_rules("idle", 42)
    assert err.value.code == "rules_override_type"


def test_rule_value_errors_name_the_key():
    with pytest.raises(RulesError) as err:
        rule_value({}, "missing", rule_set="idle")
    assert err.value.item == {"code": "rule_missing", "rule_set": "idle", "key": "missing"}
    with pytest.raises(RulesError) as err:
        rule_value({"k": {"source": "x"}}, "k")
    assert err.value.code == "rule_no_value" and err.value.params["key"] == "k"
