"""Sample cases: every stage, both kinds of cause, every way used, the deadline states a work list shows."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.case_sample import AGREEMENT_STATUSES, AGREEMENTS, GOVERNMENT_CHAINS, HOLDER_CHAINS, seed_cases
from geo.cases import STAGES, CaseStore, all_deadlines, disposed_as_of, register

AS_OF = dt.date(2026, 11, 25)


def _classified(n=80):
    status = ["idle_suspected", "idle_fee", "idle_recover", "idle_exempt", "overdue", "not_due", "started", "idle_fee"]
    return pd.DataFrame({
        "parcel_id": [f"P{i:03d}" for i in range(n)],
        "idle_status": [status[i % len(status)] for i in range(n)],
        "land_price_wan": [100.0 + i for i in range(n)],
        "fee_wan": [None] * n,
    })


def test_seed_covers_every_path(tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite")
    seeded = seed_cases(store, _classified(), as_of=AS_OF, seed=3)
    chained = seeded[seeded["chain"] != "agreement"]
    assert len(chained) == len(HOLDER_CHAINS) + len(GOVERNMENT_CHAINS) and seeded["parcel_id"].is_unique
    log = store.log()
    assert set(STAGES) <= set(log["stage"])
    assert log["override_reason"].isna().all()  # every chain runs in legal order
    assert (log["event_date"] <= pd.Timestamp(AS_OF)).all()
    det = log[log["stage"] == "determination"]
    assert "holder" in set(det["cause"]) and len(set(det["cause"]) - {"holder"}) >= 5
    assert {"extension", "temporary_use", "change_use", "swap", "paid_recovery"} <= set(log["way"].dropna())
    assert {"fee_paid", "recovered", "negotiated", "not_idle"} <= set(log["outcome"].dropna())
    states = set(all_deadlines(store, AS_OF)["deadline_state"])
    assert {"pending", "overdue", "met"} <= states
    due = all_deadlines(store, AS_OF)
    assert set(due.loc[due["overdue"], "deadline"]) >= {"reply", "payment", "extension_end"}
    reg = register(store, _classified(), as_of=AS_OF)
    assert reg["disposed"].any() and not reg["disposed"].all()
    assert disposed_as_of(store, AS_OF).sum() == reg["disposed"].sum()
    # holder chains went to suspected / holder-idle parcels, government ones to exempt parcels
    status = _classified().set_index("parcel_id")["idle_status"]
    chains = seeded.set_index("parcel_id")["chain"]
    gov = chains[chains.isin(list(GOVERNMENT_CHAINS))].index
    assert set(status[gov]) == {"idle_exempt"}


def test_seed_is_deterministic(tmp_path):
    a = seed_cases(CaseStore(tmp_path / "a.sqlite"), _classified(), as_of=AS_OF, seed=1)
    b = seed_cases(CaseStore(tmp_path / "b.sqlite"), _classified(), as_of=AS_OF, seed=1)
    pd.testing.assert_frame_equal(a, b)


def test_seed_records_agreements_outside_the_procedure(tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite")
    seeded = seed_cases(store, _classified(), as_of=AS_OF, seed=3)
    agreed = store.agreements()
    assert len(agreed) == AGREEMENTS
    assert set(agreed["parcel_id"]) == set(seeded.loc[seeded["chain"] == "agreement", "parcel_id"])
    assert not set(agreed["parcel_id"]) & set(store.parcels())  # no case opened for them
    status = _classified().set_index("parcel_id")["idle_status"]
    assert set(status[agreed["parcel_id"]]) <= set(AGREEMENT_STATUSES)
    assert (agreed["new_start_date"] > agreed["signed_date"]).all()
