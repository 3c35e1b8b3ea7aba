"""Idle land and the review store in words: every code has zh and en, explanations read right."""

from __future__ import annotations

import pandas as pd
import pytest

import words
from geo.accounts import Account
from geo.idle import ARTICLE_CODES, EXPLANATION_CODES, IDLE_KINDS, IDLE_STATUSES, explain_idle
from geo.review import ACTIONS, DECISIONS, REVIEW_ERROR_CODES, STAGES, ReviewError, ReviewStore
from words.idle import explanation, missing_fields_text, status_label, status_labels
from words.review import beijing_time

LANGS = ("zh", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_every_idle_and_review_code_has_words(lang):
    for kind, codes in (
        ("idle_status", IDLE_STATUSES),
        ("idle_kind", IDLE_KINDS),
        ("idle_clock", IDLE_KINDS),
        ("idle_article", ARTICLE_CODES),
        ("review_action", ACTIONS),
        ("disposal_stage", STAGES),
        ("decision", DECISIONS),
    ):
        for code in codes:
            assert words.has_label(kind, code, lang), f"{kind}/{code} has no {lang} label"
    for code in (*EXPLANATION_CODES, *REVIEW_ERROR_CODES, "idle_search_not_found"):
        assert words.has_text(code, lang), f"{code} has no {lang} text"
    for col in ("idle_status", "idle_kind", "idle_days", "idle_since", "clock_start", "next_threshold_date",
                "fee_wan", "warning", "missing_fields", "overdue_days", "halted_days", "status_count",
                "decided_at", "stage_at", "recorded_at", "user_name", "computed_status"):  # fmt: skip
        assert words.header(col, lang) != col, f"column {col} has no {lang} header"


def test_status_labels_name_the_clock_of_order_53():
    assert words.label("idle_status", "idle_fee") == "逾期未动工或中止开发满1年（征缴土地闲置费）"
    assert status_label("idle_fee", "not_started") == "逾期未动工满1年（征缴土地闲置费）"
    assert status_label("idle_recover", "not_started") == "逾期未动工满2年（可无偿收回）"
    assert status_label("idle_fee", "stalled") == "中止开发满1年（征缴土地闲置费）"
    assert status_label("idle_recover", "stalled") == "中止开发满2年（可无偿收回）"
    assert status_label("overdue", "not_started") == "逾期未动工（不满1年）"
    assert status_label(None) == "—"
    # "闲置满N年" counted from the agreed start date contradicts "idle since" a year later
    for code in IDLE_STATUSES:
        assert "闲置满" not in words.label("idle_status", code)
    shown = status_labels(pd.Series(["idle_fee", "active", None]), pd.Series(["stalled", None, None]), "zh")
    assert shown.tolist() == ["中止开发满1年（征缴土地闲置费）", "正常开发", "—"]


def test_idle_fee_explanation_cites_article_14_with_the_arithmetic():
    items = explain_idle({"agreed_start_date": "2021-03-01", "land_price_wan": 800.0, "delay_cause": "使用权人原因"},
                         as_of="2022-11-01")
    zh = explanation(items, "zh")
    assert "《闲置土地处置办法》第二条第一款" in zh
    assert "约定动工开发日期为2021-03-01，截至2022-11-01已逾期1年8个月未动工开发" in zh
    assert "超过约定动工开发日期满1年未动工开发，自2022-03-01起" in zh  # idle since: one year after the clock start
    assert "第十四条第（一）项" in zh and "800.00万元 × 20% = 160.00万元" in zh
    assert "第十七条" in zh and "第十五条" in zh and "听证" in zh
    assert "如至2023-03-01（超过约定动工开发日期满2年）" in zh
    en = explanation(items, "en")
    assert "Art. 14(1)" in en and "800.00 万元 × 20% = 160.00 万元" in en and "1 yr 8 mo" in en
    for text in (zh,):
        for code in ("explain_", "art14", "not_started", "None", "nan", "{"):
            assert code not in text


def test_other_explanations_read_right():
    stalled = explanation(explain_idle({
        "actual_start_date": "2022-06-01", "halted_since": "2024-03-01", "area_due_m2": 10_000.0,
        "developed_area_m2": 2_000.0, "total_investment_wan": 1_000.0, "invested_wan": 100.0,
    }, as_of="2025-01-01"), "zh")  # fmt: skip
    assert "自2024-03-01起中止开发建设，截至2025-01-01已中止10个月" in stalled
    assert "已开发建设面积占应动工开发建设总面积的20.0%，不足三分之一" in stalled
    assert "已投资额占总投资额的10.0%，不足25%" in stalled
    assert "如至2025-03-01仍未恢复开发建设" in stalled and "第二条第二款" in stalled
    assert "距满1年仅剩59天（预警期90天）" in stalled
    exempt = explanation(explain_idle({"agreed_start_date": "2021-03-01", "delay_cause": "plan_revised"},
                                      as_of="2024-01-01"), "zh")  # fmt: skip
    assert "闲置原因为“规划修改”，属于第八条" in exempt and "第十二条" in exempt and "第十三条" in exempt
    recover = explanation(explain_idle({"agreed_start_date": "2021-03-01", "delay_cause": "holder"},
                                       as_of="2023-03-01"), "zh")  # fmt: skip
    assert "自2023-03-01起已超过约定动工开发日期满2年" in recover and "第十四条第（二）项" in recover
    unknown = explanation(explain_idle({"parcel_id": "X"}, as_of="2025-01-01"), "zh")
    assert "约定动工日期缺失或无法识别" in unknown and "agreed_start_date" not in unknown
    assert explanation([], "zh") == "—"


def test_missing_fields_render_as_headers():
    assert missing_fields_text("agreed_start_date,land_price_wan", "zh") == "约定动工日期、土地出让价款"
    assert missing_fields_text("", "zh") == "—"
    assert missing_fields_text("agreed_start_date", "en") == words.header("agreed_start_date", "en", unit=False)


@pytest.mark.parametrize("code", REVIEW_ERROR_CODES)
def test_review_errors_render_in_both_languages(code):
    for lang in LANGS:
        text = words.render({"code": code, "value": "x"}, lang)
        assert text and text != "—" and code not in text


def test_review_error_from_the_store_renders_in_chinese(tmp_path):
    with pytest.raises(ReviewError) as err:
        ReviewStore(tmp_path / "r.sqlite").record("P1", action="dismiss", account=Account("a", "reviewer"))
    assert words.render(err.value.item, "zh") == "排除疑似闲置须填写理由。"


def test_beijing_time_is_utc_plus_8_without_seconds():
    shown = beijing_time(["2026-03-01T16:05:09+00:00", None, "2026-03-01T00:00:00"])
    assert shown.tolist() == ["2026-03-02 00:05", "—", "2026-03-01 08:00"]
