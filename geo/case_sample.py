"""
Sample idle-land cases: every stage of the procedure, both causes, every deadline state.

``seed_cases`` fills a :class:`geo.cases.CaseStore` for the sample workspace from the
classified sample parcels, so every path of the procedure can be seen: cases waiting for a
reply (in time and overdue), determinations of the holder's and of government causes, hearing
notices, fee decisions paid and unpaid, recoveries, negotiated disposals of each way (an
extension still running and one past its end), closed, reopened and not-idle cases. Every act
is recorded in legal order, so no entry needs an override. Deterministic for a seed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from geo.accounts import APPROVAL_STAGES, Account
from geo.cases import GOVERNMENT_CAUSES, CaseStore

OFFICERS = ("黄志强", "韦丽萍", "李建华", "覃海燕")
#: The section chief who records the acts that decide (``geo.accounts.APPROVAL_STAGES``).
CHIEF = "陆振华"

# A chain: (stage, days before as_of, extra fields). Document numbers are filled in.
HOLDER_CHAINS: dict[str, list[tuple[str, int, dict]]] = {
    "reply_pending": [("investigation_notice", 12, {})],
    "reply_overdue": [("investigation_notice", 45, {})],
    "replied": [("investigation_notice", 40, {}), ("holder_reply", 20, {}), ("investigation", 10, {})],
    "determined": [("investigation_notice", 90, {}), ("holder_reply", 70, {}), ("determination", 20, {})],
    "published": [("investigation_notice", 100, {}), ("holder_reply", 80, {}), ("determination", 40, {}),
                  ("public_notice", 30, {})],
    "hearing_noticed": [("investigation_notice", 120, {}), ("holder_reply", 100, {}), ("determination", 60, {}),
                        ("public_notice", 50, {}), ("hearing_notice", 3, {})],
    "fee_pending": [("investigation_notice", 160, {}), ("holder_reply", 140, {}), ("determination", 100, {}),
                    ("public_notice", 90, {}), ("hearing_notice", 60, {}), ("hearing_waived", 50, {}),
                    ("fee_decision", 10, {})],
    "fee_overdue": [("investigation_notice", 200, {}), ("holder_reply", 180, {}), ("determination", 140, {}),
                    ("public_notice", 130, {}), ("hearing_notice", 110, {}), ("hearing_held", 90, {}),
                    ("fee_decision", 50, {})],
    "fee_paid": [("investigation_notice", 260, {}), ("holder_reply", 240, {}), ("determination", 200, {}),
                 ("public_notice", 190, {}), ("hearing_notice", 170, {}), ("hearing_waived", 160, {}),
                 ("fee_decision", 120, {}), ("fee_paid", 100, {}), ("closed", 95, {"outcome": "fee_paid"})],
    "recovery_pending": [("investigation_notice", 300, {}), ("holder_reply", 280, {}), ("determination", 240, {}),
                         ("public_notice", 230, {}), ("hearing_notice", 200, {}), ("hearing_held", 180, {}),
                         ("recovery_decision", 20, {})],
    "recovered": [("investigation_notice", 400, {}), ("holder_reply", 380, {}), ("determination", 340, {}),
                  ("public_notice", 330, {}), ("hearing_notice", 300, {}), ("hearing_waived", 290, {}),
                  ("recovery_decision", 200, {}), ("recovered", 175, {}), ("closed", 170, {"outcome": "recovered"})],
    "reopened": [("investigation_notice", 420, {}), ("holder_reply", 400, {}), ("determination", 360, {}),
                 ("public_notice", 350, {}), ("hearing_notice", 330, {}), ("hearing_waived", 320, {}),
                 ("fee_decision", 280, {}), ("fee_paid", 260, {}), ("closed", 255, {"outcome": "fee_paid"}),
                 ("reopened", 15, {"note": "缴纳土地闲置费后仍未动工开发，未动工开发已满两年，重新立案"})],
    "not_idle": [("investigation_notice", 70, {}),
                 ("investigation", 50, {"note": "现场核查：基坑已开挖，桩基已施工，已动工开发"}),
                 ("closed", 48, {"outcome": "not_idle"})],
}
GOVERNMENT_CHAINS: dict[str, list[tuple[str, int, dict]]] = {
    "gov_determined": [("investigation_notice", 90, {}), ("holder_reply", 70, {}), ("determination", 15, {})],
    "extension_running": [("investigation_notice", 200, {}), ("holder_reply", 180, {}), ("determination", 150, {}),
                          ("public_notice", 140, {}),
                          ("negotiated_disposal", 100, {"way": "extension", "until_days": 265})],
    "extension_overdue": [("investigation_notice", 600, {}), ("holder_reply", 580, {}), ("determination", 550, {}),
                          ("public_notice", 540, {}),
                          ("negotiated_disposal", 500, {"way": "extension", "until_days": 365})],
    "temporary_use": [("investigation_notice", 300, {}), ("holder_reply", 280, {}), ("determination", 250, {}),
                      ("public_notice", 240, {}),
                      ("negotiated_disposal", 200, {"way": "temporary_use", "until_days": 700})],
    "change_use": [("investigation_notice", 300, {}), ("holder_reply", 280, {}), ("determination", 250, {}),
                   ("public_notice", 240, {}), ("negotiated_disposal", 120, {"way": "change_use"}),
                   ("closed", 110, {"outcome": "negotiated"})],
    "swap": [("investigation_notice", 320, {}), ("holder_reply", 300, {}), ("determination", 270, {}),
             ("public_notice", 260, {}), ("negotiated_disposal", 150, {"way": "swap"})],
    "paid_recovery": [("investigation_notice", 380, {}), ("holder_reply", 360, {}), ("determination", 330, {}),
                      ("public_notice", 320, {}),
                      ("negotiated_disposal", 200, {"way": "paid_recovery", "amount_wan": 350.0}),
                      ("closed", 190, {"outcome": "negotiated"})],
}
_DOC_PREFIX = {
    "investigation_notice": "闲调",
    "determination": "闲认",
    "public_notice": "闲公",
    "hearing_notice": "听告",
    "fee_decision": "闲征",
    "recovery_decision": "闲收",
    "negotiated_disposal": "补协",
}
#: Parcel statuses whose parcels may carry a holder's-cause case (the suspected ones are
#: investigated; the determination then establishes the holder's cause).
HOLDER_STATUSES = ("idle_suspected", "idle_fee", "idle_recover")
#: Parcels within their first year that get a supplementary agreement outside the procedure.
AGREEMENT_STATUSES = ("overdue", "not_due")
AGREEMENTS = 3
AGREEMENT_REASONS = ("园区配套道路尚未建成，经双方协商顺延动工开发日期", "项目初步设计调整，受让人申请延期动工",
                     "地块外电力线路迁改未完成")


def seed_cases(
    store: CaseStore, classified: pd.DataFrame, *, as_of: date, seed: int = 0
) -> pd.DataFrame:
    """
    Record sample cases for some of the classified parcels (one chain per parcel).

    Parameters
    ----------
    classified
        Parcels with ``parcel_id``, ``idle_status`` and optional ``fee_wan``,
        ``land_price_wan``: holder's-cause chains go to :data:`HOLDER_STATUSES`, government
        chains to ``idle_exempt`` (both fall back on any parcel when there are too few).

    Returns
    -------
    seeded
        ``parcel_id`` and ``chain`` (a key of :data:`HOLDER_CHAINS` / :data:`GOVERNMENT_CHAINS`,
        or ``agreement`` for a supplementary agreement recorded outside the procedure).
    """
    rng = np.random.default_rng(seed)
    as_of = pd.Timestamp(as_of).date()
    at = datetime(as_of.year, as_of.month, as_of.day, 10, 0, tzinfo=UTC)
    ids = classified["parcel_id"].astype("string").str.strip()
    status = classified["idle_status"].astype("string") if "idle_status" in classified else pd.Series(
        pd.NA, index=classified.index, dtype="string")
    ok = ids.notna() & ~ids.duplicated(keep=False)
    holder_pool = ids[ok & status.isin(HOLDER_STATUSES).fillna(False)].tolist()
    gov_pool = ids[ok & status.eq("idle_exempt").fillna(False)].tolist()
    rest = ids[ok & ~status.isin([*HOLDER_STATUSES, "idle_exempt"]).fillna(True)].tolist()
    rng.shuffle(holder_pool)
    rng.shuffle(gov_pool)
    rng.shuffle(rest)
    pool_h = holder_pool + rest
    pool_g = gov_pool + rest[::-1]
    fee = pd.to_numeric(classified.get("fee_wan", pd.Series(np.nan, index=classified.index)), errors="coerce")
    price = pd.to_numeric(classified.get("land_price_wan", pd.Series(np.nan, index=classified.index)),
                          errors="coerce")
    fee_by_id = dict(zip(ids, fee.where(fee.notna(), price * 0.2), strict=False))
    used: set[str] = set()
    counters: dict[str, int] = {}
    out = []

    def take(pool: list[str]) -> str | None:
        while pool:
            pid = pool.pop(0)
            if pid not in used:
                used.add(pid)
                return pid
        return None

    chains = [(name, chain, None) for name, chain in HOLDER_CHAINS.items()]
    causes = list(GOVERNMENT_CAUSES)
    chains += [(name, chain, causes[i % len(causes)]) for i, (name, chain) in enumerate(GOVERNMENT_CHAINS.items())]
    for name, chain, gov_cause in chains:
        pid = take(pool_h if gov_cause is None else pool_g)
        if pid is None:
            break
        officer = OFFICERS[int(rng.integers(len(OFFICERS)))]
        for stage, days_before, extra in chain:
            day = as_of - timedelta(days=days_before)
            kw = {k: v for k, v in extra.items() if k != "until_days"}
            if "until_days" in extra:
                kw["until_date"] = day + timedelta(days=extra["until_days"])
            if stage == "determination":
                kw["cause"] = gov_cause or "holder"
            if stage in ("fee_decision", "fee_paid") and pd.notna(fee_by_id.get(pid)):
                kw["amount_wan"] = round(float(fee_by_id[pid]), 2)
            if stage in _DOC_PREFIX:
                counters[stage] = counters.get(stage, 0) + 1
                kw["doc_number"] = f"自然资{_DOC_PREFIX[stage]}〔{day.year}〕{counters[stage]}号"
            who = Account(CHIEF, "reviewer") if stage in APPROVAL_STAGES else Account(officer, "officer")
            store.record(pid, stage, account=who, event_date=day, at=at, **kw)
        out.append({"parcel_id": pid, "chain": name})
    # Supplementary agreements signed outside the procedure, for parcels still within their
    # first year (late or not yet due): the agreed start date moves, no case is opened.
    first_year = ids[ok & status.isin(AGREEMENT_STATUSES).fillna(False)].tolist()
    rng.shuffle(first_year)
    for i in range(AGREEMENTS):
        pid = take(first_year)
        if pid is None:
            break
        signed = as_of - timedelta(days=60 + 30 * i)
        store.record_agreement(
            pid, account=Account(CHIEF, "reviewer"), signed_date=signed,
            new_start_date=signed + timedelta(days=240), doc_number=f"出让合同补字〔{signed.year}〕{i + 1}号",
            reason=AGREEMENT_REASONS[i % len(AGREEMENT_REASONS)], at=at,
        )
        out.append({"parcel_id": pid, "chain": "agreement"})
    return pd.DataFrame(out, columns=["parcel_id", "chain"])
