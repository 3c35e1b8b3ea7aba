"""
The review store (核查处置): actions, disposal stages, decisions, refusals, Beijing time.

``geo.review`` stores codes and UTC times; the words and the clock an officer reads
(Beijing time, Asia/Shanghai) are here.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from words.core import DASH, register

BEIJING = ZoneInfo("Asia/Shanghai")

ACTION = {
    "confirm": {"zh": "确认闲置", "en": "Confirm"},
    "dismiss": {"zh": "排除", "en": "Dismiss"},
    "stage": {"zh": "处置进展", "en": "Disposal stage"},
    "note": {"zh": "备注", "en": "Note"},
}

#: Stages in the order the procedure of order No. 53 runs (Arts. 9-17).
STAGE = {
    "investigation_notice": {"zh": "已下达调查通知书", "en": "Investigation notice served"},
    "hearing": {"zh": "听证", "en": "Hearing"},
    "fee_levied": {"zh": "已下达征缴土地闲置费决定书", "en": "Fee decision served"},
    "fee_paid": {"zh": "土地闲置费已缴纳", "en": "Fee paid"},
    "extension_agreed": {"zh": "已协议延长动工开发期限", "en": "Extension agreed"},
    "recovered": {"zh": "已收回国有建设用地使用权", "en": "Land use right recovered"},
}

DECISION = {
    "confirmed": {"zh": "已确认闲置", "en": "Confirmed idle"},
    "dismissed": {"zh": "已排除", "en": "Dismissed"},
}

TEXTS = {
    "review_parcel_missing": {"zh": "请先选择宗地。", "en": "Pick a parcel first."},
    "review_action_unknown": {
        "zh": "无法识别的操作“{value}”。",
        "en": "Unknown action “{value}”.",
    },
    "review_dismissal_needs_reason": {
        "zh": "排除疑似闲置须填写理由。",
        "en": "A dismissal needs a reason.",
    },
    "review_stage_unknown": {
        "zh": "请选择处置阶段（“{value}”不是有效的处置阶段）。",
        "en": "Pick a disposal stage (“{value}” is not one).",
    },
}

#: Review history headers (the log's own columns).
COLUMNS = {
    "recorded_at": {"zh": "记录时间(北京时间)", "en": "Recorded at (Beijing time)"},
    "user_name": {"zh": "记录人", "en": "Recorded by"},
    "computed_status": {"zh": "记录时系统判定", "en": "Computed status then"},
}

register(
    labels={
        "review_action": ACTION,
        "disposal_stage": STAGE,
        "decision": DECISION,
        "column": COLUMNS,
    },
    texts=TEXTS,
)


def beijing_time(values, *, seconds: bool = False) -> pd.Series:
    """
    UTC timestamps (ISO text as the review store keeps them) as Beijing time text.

    ``2026-01-01T00:00:00+00:00`` → ``2026-01-01 08:00``; missing → "—". Naive
    timestamps are taken as UTC (the store writes nothing else).
    """
    s = pd.Series(values)
    t = pd.to_datetime(s, utc=True, errors="coerce", format="ISO8601")
    fmt = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return t.dt.tz_convert(BEIJING).dt.strftime(fmt).astype(object).where(t.notna(), DASH)


def beijing_time_one(value) -> str:
    """:func:`beijing_time` of one value."""
    return str(beijing_time([value]).iloc[0])
