"""
Idle-land cases: the procedure of 《闲置土地处置办法》 (order No. 53) per parcel, as a store.

Flagging a parcel starts a legal procedure. A *case* is the procedure of one parcel,
keyed by its parcel number (宗地编号) so it survives re-imports of the parcel file.
Its stages, in the order the order runs them (domain.md §2):

1. ``investigation_notice`` 闲置土地调查通知书 (Art. 5-6): the holder replies within 30 days;
2. ``holder_reply`` (the holder's reply and evidence) and ``investigation`` (Art. 7);
3. ``determination`` 闲置土地认定书 (Arts. 9-10), recording the established cause — the
   holder's (``holder``) or one of the Art. 8 government causes (:data:`GOVERNMENT_CAUSES`).
   From then on the case's cause overrides the parcel file's ``delay_cause``
   (:func:`established_causes`, :func:`cause_in_force`);
4. ``public_notice`` of the determination (Art. 11);
5. for the holder's cause, ``hearing_notice`` (听证告知, Art. 15) before any fee or
   recovery decision, then ``hearing_held`` or ``hearing_waived``;
6. ``fee_decision`` 征缴土地闲置费决定书 (Art. 14 (1); pay within 30 days, Art. 17) →
   ``fee_paid``; or ``recovery_decision`` 收回国有建设用地使用权决定书 (Art. 14 (2);
   deregister within 30 days, Art. 17) → ``recovered``;
7. for a government cause, ``negotiated_disposal`` (Art. 12) in one of
   :data:`DISPOSAL_WAYS` — an extension of the start date ends at most 1 year after the
   supplementary agreement, temporary government use at most 2 years after it starts;
8. ``closed`` with an outcome (:data:`OUTCOMES`), or ``reopened``.

The order is enforced here, in the store: a stage whose preconditions (:data:`RULE_CODES`)
fail is refused with a :class:`CaseError`, unless the officer overrides it with a written
reason — the override, its reason and the rules it set aside stay in the log. Input that
cannot be recorded at all (no date, unknown cause …) is refused whatever the reason
(:data:`INPUT_ERROR_CODES`).

Every entry is recorded under the logged-in account (``geo.accounts.Account``: its name in
``officer``, its role in ``officer_role``) and only within the account's rights, checked here
(``geo.accounts.require``): viewers record nothing; a park officer records the steps on parcels
of the parks the account is scoped to; the acts that decide — determination, fee and recovery
decisions, negotiated disposal (``geo.accounts.APPROVAL_STAGES``) — and any override need a
reviewer (section chief). The parcel's park comes from the caller and, where the store knows
the workspace's parcels (``parcel_parks``), is checked against them.

Storage is one SQLite file (``cases.sqlite`` in the workspace) or, when ``GXLAND_DATABASE_URL``
is set, the bureau's PostgreSQL database (:mod:`geo.db`), with append-only tables — triggers
refuse UPDATE and DELETE, so the log *is* the audit trail. A write checks the rules and appends
inside one transaction that holds the parcel's case (SQLite: ``BEGIN IMMEDIATE`` in WAL mode with
a busy timeout; PostgreSQL: a row lock, ``SELECT … FOR UPDATE``, on the parcel's row of
``case_parcel``), so two officers — or two app servers — recording at once can neither both pass
a check that only one should, nor lose an entry. Dates of acts (``event_date``: the day a notice
was served, a fee paid …) are calendar days; the moment an entry was recorded is kept in UTC
(words show Beijing time). Attachments are kept in the same store, by content hash.

Codes only: every word is in ``words/cases.py``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from geo.accounts import APPROVAL_STAGES, AccessError, Account, check_park, require
from geo.db import Database, database_url
from geo.vocab import DELAY_CAUSES

CASES_FILE = "cases.sqlite"
#: The calendar that dates an act recorded "today" (the bureau's own day).
_BEIJING = ZoneInfo("Asia/Shanghai")

#: Stages in legal order (order No. 53, Arts. 5-17).
STAGES: tuple[str, ...] = (
    "investigation_notice",
    "holder_reply",
    "investigation",
    "determination",
    "public_notice",
    "hearing_notice",
    "hearing_held",
    "hearing_waived",
    "fee_decision",
    "fee_paid",
    "recovery_decision",
    "recovered",
    "negotiated_disposal",
    "closed",
    "reopened",
)
#: Entries that are not stages: a note on the case (no precondition).
ENTRY_KINDS: tuple[str, ...] = (*STAGES, "note")

#: Art. 8 causes that lie with government (or force majeure): negotiated disposal (Art. 12).
GOVERNMENT_CAUSES: tuple[str, ...] = tuple(DELAY_CAUSES)
#: Causes a determination can establish: the holder's, or one of Art. 8.
CASE_CAUSES: tuple[str, ...] = ("holder", *GOVERNMENT_CAUSES)

#: Ways of negotiated disposal (Art. 12 (1)-(6)).
DISPOSAL_WAYS: tuple[str, ...] = (
    "extension",  # 延长动工开发期限 (≤ 1 year)
    "change_use",  # 调整土地用途、规划条件
    "temporary_use",  # 由政府安排临时使用 (≤ 2 years)
    "paid_recovery",  # 协议有偿收回
    "swap",  # 置换土地
    "other_way",  # 其他处置方式
)
#: Ways whose agreement sets an end date (``until_date``), and the most it may be after the act.
WAY_LIMIT_YEARS: dict[str, int] = {"extension": 1, "temporary_use": 2}

#: How a case is closed.
OUTCOMES: tuple[str, ...] = ("fee_paid", "recovered", "negotiated", "not_idle", "other_outcome")
#: Outcomes that mean the idle land was disposed of (闲置土地处置率).
DISPOSED_OUTCOMES = frozenset({"fee_paid", "recovered", "negotiated"})
#: Stages that finish disposal on their own date (closing is the officer's bookkeeping).
DISPOSING_STAGES = frozenset({"fee_paid", "recovered", "negotiated_disposal"})

#: Refusals of input that cannot be recorded (no override).
INPUT_ERROR_CODES: tuple[str, ...] = (
    "case_parcel_missing",
    "case_stage_unknown",
    "case_date_missing",
    "case_date_invalid",
    "case_date_in_future",
    "case_cause_missing",
    "case_cause_unknown",
    "case_way_missing",
    "case_way_unknown",
    "case_until_missing",
    "case_until_before_date",
    "case_outcome_missing",
    "case_outcome_unknown",
    "case_note_required",
    "case_amount_invalid",
    "case_override_needs_reason",
    "agreement_new_start_missing",
    "agreement_new_start_before_signed",
)
#: Rules of the procedure an officer may override with a written reason.
RULE_CODES: tuple[str, ...] = (
    "case_needs_stage",
    "case_needs_one_of",
    "case_date_before_required",
    "case_needs_holder_cause",
    "case_needs_government_cause",
    "case_reply_period_running",
    "case_way_limit_exceeded",
    "case_is_closed",
    "case_not_closed",
    "case_outcome_unsupported",
    "case_outcome_contradicts_determination",
)
#: Every code a :class:`CaseError` can carry (words: ``words/cases.py``).
CASE_ERROR_CODES: tuple[str, ...] = (*INPUT_ERROR_CODES, *RULE_CODES)

#: Deadlines computed from the recorded dates: kind → (stage that starts it, days or None
#: for the agreement's own end date, stage that meets it, stages that make it moot).
DEADLINES: dict[str, tuple[str, int | None, str, tuple[str, ...]]] = {
    "reply": ("investigation_notice", 30, "holder_reply", ("determination", "closed")),  # Art. 5
    "payment": ("fee_decision", 30, "fee_paid", ("closed",)),  # Art. 17
    "deregistration": ("recovery_decision", 30, "recovered", ("closed",)),  # Art. 17
    "extension_end": ("negotiated_disposal", None, "closed", ("reopened",)),  # Art. 12 (1)
    "temporary_use_end": ("negotiated_disposal", None, "closed", ("reopened",)),  # Art. 12 (3)
}
DEADLINE_KINDS: tuple[str, ...] = tuple(DEADLINES)
#: States of a deadline in :func:`deadlines`.
DEADLINE_STATES: tuple[str, ...] = ("pending", "overdue", "met", "met_late", "moot")

#: Documents: the stage whose entry carries a document's number and date.
DOCUMENT_STAGES: tuple[str, ...] = (
    "investigation_notice",
    "determination",
    "public_notice",
    "hearing_notice",
    "fee_decision",
    "recovery_decision",
)

#: Supplementary agreements (补充协议) to the grant contract recorded on the page, outside any
#: case (e.g. a parcel still in its first year): they move the agreed start date as the file's
#: ``start_extensions`` do (:func:`start_extensions`), and make no case.
AGREEMENT_COLUMNS = [
    "agreement_id",
    "parcel_id",
    "signed_date",
    "new_start_date",
    "doc_number",
    "reason",
    "officer",
    "officer_role",
    "attachment_name",
    "attachment_sha256",
    "recorded_at",
]

LOG_COLUMNS = [
    "entry_id",
    "parcel_id",
    "stage",
    "event_date",
    "doc_number",
    "doc_date",
    "officer",
    "officer_role",
    "cause",
    "way",
    "until_date",
    "amount_wan",
    "outcome",
    "note",
    "attachment_name",
    "attachment_sha256",
    "override_reason",
    "overridden",
    "recorded_at",
]

#: Types in braces are the backend's (:meth:`geo.db.Database.ddl`).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS case_log (
    entry_id {{id}},
    parcel_id TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ({kinds})),
    event_date {{date}} NOT NULL,
    doc_number TEXT,
    doc_date {{date}},
    officer TEXT NOT NULL,
    officer_role TEXT,
    cause TEXT CHECK (cause IS NULL OR cause IN ({causes})),
    way TEXT CHECK (way IS NULL OR way IN ({ways})),
    until_date {{date}},
    amount_wan {{real}},
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ({outcomes})),
    note TEXT,
    attachment_name TEXT,
    attachment_sha256 TEXT,
    override_reason TEXT,
    overridden {{json}},
    recorded_at {{timestamp}} NOT NULL
);
CREATE INDEX IF NOT EXISTS case_log_parcel ON case_log (parcel_id, entry_id);
CREATE TABLE IF NOT EXISTS case_attachment (
    sha256 TEXT PRIMARY KEY,
    content {{blob}} NOT NULL,
    size_bytes INTEGER NOT NULL,
    recorded_at {{timestamp}} NOT NULL
);
CREATE TABLE IF NOT EXISTS start_agreement (
    agreement_id {{id}},
    parcel_id TEXT NOT NULL,
    signed_date {{date}} NOT NULL,
    new_start_date {{date}} NOT NULL,
    doc_number TEXT,
    reason TEXT,
    officer TEXT NOT NULL,
    officer_role TEXT,
    attachment_name TEXT,
    attachment_sha256 TEXT,
    recorded_at {{timestamp}} NOT NULL
);
CREATE INDEX IF NOT EXISTS start_agreement_parcel ON start_agreement (parcel_id, agreement_id);
"""
#: Tables whose rows are never changed nor deleted.
APPEND_ONLY = ("case_log", "case_attachment", "start_agreement")
#: PostgreSQL only: one row per parcel with a case, locked (``FOR UPDATE``) by the writer of that case.
_PG_LOCKS = """
CREATE TABLE IF NOT EXISTS case_parcel (parcel_id TEXT PRIMARY KEY);
"""


def _in(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


_SCHEMA_SQL = _SCHEMA.format(
    kinds=_in(ENTRY_KINDS), causes=_in(CASE_CAUSES), ways=_in(DISPOSAL_WAYS), outcomes=_in(OUTCOMES)
)


class CaseError(ValueError):
    """
    An entry that cannot be recorded as given.

    ``code`` is one of :data:`CASE_ERROR_CODES`, ``params`` its arguments; ``overridable``
    says whether a written reason may set the refusal aside (a rule of :data:`RULE_CODES`).
    The page renders :attr:`item` (``words.render(err.item, lang)``).
    """

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        detail = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{code}({detail})" if detail else code)

    @property
    def overridable(self) -> bool:
        return self.code in RULE_CODES

    @property
    def item(self) -> dict:
        return {"code": self.code, **self.params}


# --------------------------------------------------------------------------- dates


def _day(value, *, code: str = "case_date_invalid") -> _dt.date | None:
    """A calendar day from a date, a timestamp or ISO text; None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise CaseError(code, value=str(value)) from err
    if pd.isna(ts):
        return None
    return ts.date()


def _iso(day: _dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def add_years(day: _dt.date, years: int) -> _dt.date:
    """``day`` plus whole years; 29 February lands on 28 February (Civil Code arts. 201-202)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Entry:
    """One recorded stage of a case, as the rules see it."""

    entry_id: int
    stage: str
    event_date: _dt.date
    cause: str | None = None
    way: str | None = None
    until_date: _dt.date | None = None
    outcome: str | None = None


def _entries(rows: Iterable[Mapping]) -> list[Entry]:
    return [
        Entry(
            entry_id=int(r["entry_id"]),
            stage=str(r["stage"]),
            event_date=_day(r["event_date"]),
            cause=r.get("cause") or None,
            way=r.get("way") or None,
            until_date=_day(r.get("until_date")),
            outcome=r.get("outcome") or None,
        )
        for r in rows
    ]


def _ordered(entries: list[Entry]) -> list[Entry]:
    """Entries in the order the acts happened (same day: the order they were recorded)."""
    return sorted(entries, key=lambda e: (e.event_date, e.entry_id))


def _latest(entries: list[Entry], stages: Iterable[str], *, on_or_before: _dt.date | None = None) -> Entry | None:
    stages = set(stages)
    hit = [e for e in entries if e.stage in stages and (on_or_before is None or e.event_date <= on_or_before)]
    return _ordered(hit)[-1] if hit else None


def _is_closed(entries: list[Entry], on: _dt.date) -> bool:
    last = _latest(entries, ("closed", "reopened"), on_or_before=on)
    return last is not None and last.stage == "closed"


#: Stage → the stages one of which must have happened before it (Arts. 5-17).
REQUIRES: dict[str, tuple[str, ...]] = {
    "holder_reply": ("investigation_notice",),
    "investigation": ("investigation_notice",),
    "determination": ("investigation_notice",),
    "public_notice": ("determination",),
    "hearing_notice": ("determination",),
    "hearing_held": ("hearing_notice",),
    "hearing_waived": ("hearing_notice",),
    "fee_decision": ("hearing_held", "hearing_waived"),
    "fee_paid": ("fee_decision",),
    "recovery_decision": ("hearing_held", "hearing_waived"),
    "recovered": ("recovery_decision",),
    "negotiated_disposal": ("determination",),
    "reopened": ("closed",),
}
#: Stages that need a determination with the holder's cause in force (Arts. 14-15).
HOLDER_CAUSE_STAGES = frozenset(
    {"hearing_notice", "hearing_held", "hearing_waived", "fee_decision", "fee_paid", "recovery_decision", "recovered"}
)
#: Outcome → the stage that must have happened before a case closes with it.
OUTCOME_REQUIRES: dict[str, tuple[str, ...]] = {
    "fee_paid": ("fee_paid",),
    "recovered": ("recovered",),
    "negotiated": ("negotiated_disposal",),
    "not_idle": ("investigation_notice",),
}


def check_rules(entries: list[Entry], new: Entry) -> list[dict]:
    """
    The rules of the procedure that recording ``new`` after ``entries`` would break.

    Returns
    -------
    broken
        Message items (``{"code": …, **args}``), codes of :data:`RULE_CODES`; empty when
        the stage may be recorded.
    """
    broken: list[dict] = []
    on = new.event_date
    stage = new.stage
    if stage == "note":
        return broken
    if stage == "reopened":
        if not _is_closed(entries, on):
            broken.append({"code": "case_not_closed"})
        return broken
    if _is_closed(entries, on):
        broken.append({"code": "case_is_closed", "case_stage": stage})
    needs = REQUIRES.get(stage)
    if needs:
        done = [e for e in entries if e.stage in needs]
        if not done:
            code = "case_needs_stage" if len(needs) == 1 else "case_needs_one_of"
            broken.append({"code": code, "case_stage": stage, "case_needs": list(needs)})
        elif not any(e.event_date <= on for e in done):
            first = min(e.event_date for e in done)
            broken.append({"code": "case_date_before_required", "case_stage": stage, "case_needs": list(needs),
                           "date": on, "needs_date": first})
    determination = _latest(entries, ("determination",), on_or_before=on)
    if stage in HOLDER_CAUSE_STAGES and (determination is None or determination.cause != "holder"):
        broken.append({"code": "case_needs_holder_cause", "case_stage": stage})
    if stage == "negotiated_disposal" and (determination is None or determination.cause not in GOVERNMENT_CAUSES):
        broken.append({"code": "case_needs_government_cause", "case_stage": stage})
    if stage == "determination":
        notice = _latest(entries, ("investigation_notice",), on_or_before=on)
        if notice is not None:
            replied = _latest(entries, ("holder_reply",), on_or_before=on)
            due = notice.event_date + timedelta(days=DEADLINES["reply"][1])
            if (replied is None or replied.event_date < notice.event_date) and on <= due:
                # Art. 5: the holder has 30 days to give the cause; determining before
                # then, without a reply, would judge the holder unheard.
                broken.append({"code": "case_reply_period_running", "due": due})
    if stage == "negotiated_disposal" and new.way in WAY_LIMIT_YEARS and new.until_date is not None:
        limit = add_years(on, WAY_LIMIT_YEARS[new.way])
        if new.until_date > limit:
            broken.append({"code": "case_way_limit_exceeded", "disposal_way": new.way, "until": new.until_date,
                           "limit": limit, "years": WAY_LIMIT_YEARS[new.way]})
    if stage == "closed" and new.outcome in OUTCOME_REQUIRES:
        needs = OUTCOME_REQUIRES[new.outcome]
        if not any(e.stage in needs and e.event_date <= on for e in entries):
            broken.append({"code": "case_outcome_unsupported", "case_outcome": new.outcome, "case_needs": list(needs)})
        if new.outcome == "not_idle" and determination is not None:
            broken.append({"code": "case_outcome_contradicts_determination", "case_outcome": new.outcome})
    return broken


# --------------------------------------------------------------------------- the store


def _text(value) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


class CaseStore:
    """
    Append-only idle-land cases, in a SQLite file or a PostgreSQL database.

    Parameters
    ----------
    path
        The database file (created with its folder when absent), e.g. ``workspace/cases.sqlite``,
        or a ``postgresql://`` URL.
    timeout_s
        How long a writer waits for another one to finish.
    parcel_parks
        parcel number → its park id (None when unknown): the workspace's parcels, against which
        the park a caller gives is checked (``Workspace.case_store`` passes it).
    """

    def __init__(self, path: str | Path, *, timeout_s: float = 30.0,
                 parcel_parks: Callable[[str], str | None] | None = None):
        self.db = Database(path, timeout_s=timeout_s)
        self.path = self.db.path
        self.timeout_s = timeout_s
        self.parcel_parks = parcel_parks
        self._snapshot: dict | None = None
        if self.db.ensure_schema("cases", _SCHEMA_SQL, append_only=APPEND_ONLY, postgresql_extra=_PG_LOCKS):
            with self.db.connect() as con:
                for table in ("case_log", "start_agreement"):  # a store made before accounts: no role on its entries
                    con.add_column(table, "officer_role")

    @classmethod
    def in_workspace(cls, root: str | Path) -> CaseStore:
        """The store of a workspace: the database of ``GXLAND_DATABASE_URL`` when set, else ``cases.sqlite``."""
        url = database_url()
        return cls(url) if url else cls(Path(root) / CASES_FILE)

    @property
    def location(self) -> str:
        """The file or the URL this store lives in (a cache key)."""
        return self.db.location

    # ------------------------------------------------------------------ writing

    def record(
        self,
        parcel_id: str,
        stage: str,
        *,
        account: Account,
        event_date,
        park_id: str | None = None,
        doc_number: str | None = None,
        doc_date=None,
        cause: str | None = None,
        way: str | None = None,
        until_date=None,
        amount_wan: float | None = None,
        outcome: str | None = None,
        note: str | None = None,
        attachment_name: str | None = None,
        attachment: bytes | None = None,
        override: bool = False,
        override_reason: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """
        Append one stage (or a ``note``) to a parcel's case; returns its entry id.

        Parameters
        ----------
        parcel_id
            The parcel number (宗地编号).
        stage
            One of :data:`ENTRY_KINDS`.
        account
            The logged-in account that records it (its name and role are logged).
        event_date
            The day of the act: a notice or decision served, a reply received, a fee paid.
        park_id
            The parcel's park, as the caller knows it (checked against ``parcel_parks``).
        doc_number, doc_date
            The document's number (文号) and the date it bears (defaults to ``event_date``).
        cause
            ``determination`` only: one of :data:`CASE_CAUSES`.
        way, until_date
            ``negotiated_disposal`` only: one of :data:`DISPOSAL_WAYS`; for ``extension``
            the new agreed start date, for ``temporary_use`` the end of the temporary use.
        amount_wan
            The fee levied (``fee_decision``), paid (``fee_paid``) or the compensation
            (``negotiated_disposal`` by paid recovery), 万元.
        outcome
            ``closed`` only: one of :data:`OUTCOMES`.
        note
            Free text; required for ``reopened``, ``note``, the way ``other_way`` and the
            outcome ``other_outcome``.
        attachment_name, attachment
            A file kept with the entry (stored once by its SHA-256).
        override, override_reason
            Record although rules of the procedure fail — only with a written reason;
            the reason and the rules set aside are logged with the entry.
        at
            The moment of recording (default now); stored in UTC.

        Raises
        ------
        CaseError
            With a code of :data:`CASE_ERROR_CODES`.
        AccessError
            The account may not record this (``geo.accounts.ACCESS_ERROR_CODES``).
        """
        when = (at or datetime.now(UTC)).astimezone(UTC)
        parcel_id = _text(parcel_id)
        note = _text(note)
        if not parcel_id:
            raise CaseError("case_parcel_missing")
        park = check_park(park_id, self.parcel_parks(parcel_id) if self.parcel_parks else None)
        require(account, "approve" if stage in APPROVAL_STAGES else "record", park_id=park)
        officer = _text(account.name)
        if stage not in ENTRY_KINDS:
            raise CaseError("case_stage_unknown", value=str(stage))
        day = _day(event_date)
        if day is None:
            raise CaseError("case_date_missing", case_stage=stage)
        today = when.astimezone(_BEIJING).date()
        if day > today:
            raise CaseError("case_date_in_future", date=day, today=today)
        doc_day = _day(doc_date) or (day if _text(doc_number) else None)
        cause = _text(cause) if stage == "determination" else None
        if stage == "determination":
            if cause is None:
                raise CaseError("case_cause_missing")
            if cause not in CASE_CAUSES:
                raise CaseError("case_cause_unknown", value=cause)
        way = _text(way) if stage == "negotiated_disposal" else None
        until = _day(until_date) if stage == "negotiated_disposal" else None
        if stage == "negotiated_disposal":
            if way is None:
                raise CaseError("case_way_missing")
            if way not in DISPOSAL_WAYS:
                raise CaseError("case_way_unknown", value=way)
            if way in WAY_LIMIT_YEARS and until is None:
                raise CaseError("case_until_missing", disposal_way=way)
            if until is not None and until < day:
                raise CaseError("case_until_before_date", until=until, date=day)
        outcome = _text(outcome) if stage == "closed" else None
        if stage == "closed":
            if outcome is None:
                raise CaseError("case_outcome_missing")
            if outcome not in OUTCOMES:
                raise CaseError("case_outcome_unknown", value=outcome)
        if not note and (stage in ("reopened", "note") or way == "other_way" or outcome == "other_outcome"):
            raise CaseError("case_note_required", case_stage=stage)
        if amount_wan is not None:
            amount_wan = float(amount_wan)
            if not np.isfinite(amount_wan) or amount_wan < 0:
                raise CaseError("case_amount_invalid", value=amount_wan)
        reason = _text(override_reason)
        if override and not reason:
            raise CaseError("case_override_needs_reason")
        sha = None
        if attachment is not None:
            sha = hashlib.sha256(attachment).hexdigest()
            attachment_name = _text(attachment_name) or sha[:12]
        new = Entry(0, stage, day, cause=cause, way=way, until_date=until, outcome=outcome)
        recorded_at = when.isoformat(timespec="seconds")
        with self.db.connect() as con, con.transaction():
            # Held until the entry is in: no other writer of this case reads the log in between.
            con.lock_key("case_parcel", "parcel_id", parcel_id)
            rows = con.rows(
                "SELECT entry_id, stage, event_date, cause, way, until_date, outcome FROM case_log"
                " WHERE parcel_id = ? ORDER BY entry_id",
                (parcel_id,),
            )
            broken = check_rules(_entries(rows), new)
            if broken and not override:
                first = broken[0]
                raise CaseError(first["code"], **{k: v for k, v in first.items() if k != "code"})
            if broken:
                require(account, "override", park_id=park)
            if attachment is not None:
                con.execute(
                    "INSERT INTO case_attachment (sha256, content, size_bytes, recorded_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                    (sha, bytes(attachment), len(attachment), recorded_at),
                )
            return int(con.value(
                "INSERT INTO case_log (parcel_id, stage, event_date, doc_number, doc_date, officer, officer_role,"
                " cause, way, until_date, amount_wan, outcome, note, attachment_name, attachment_sha256,"
                " override_reason, overridden, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?, ?) RETURNING entry_id",
                (
                    parcel_id, stage, _iso(day), _text(doc_number), _iso(doc_day), officer, account.role, cause,
                    way,
                    _iso(until), amount_wan, outcome, note, _text(attachment_name) if sha else None, sha,
                    reason if broken else None,
                    json.dumps(broken, ensure_ascii=False, default=str) if broken else None,
                    recorded_at,
                ),
            ))

    def record_agreement(
        self,
        parcel_id: str,
        *,
        account: Account,
        signed_date,
        new_start_date,
        park_id: str | None = None,
        doc_number: str | None = None,
        reason: str | None = None,
        attachment: bytes | None = None,
        attachment_name: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """
        Record a supplementary agreement (补充协议) to a parcel's grant contract that sets a new
        agreed start date — signed outside the disposal procedure (an extension agreed in
        negotiated disposal is a ``negotiated_disposal`` entry of the case). Append-only; makes
        no case. The idle clock uses the new date from the day the agreement was signed
        (:func:`start_extensions` → :func:`geo.idle.classify_idle`). It moves the clock as an
        extension agreed in negotiated disposal does, so it needs the same right: a reviewer's
        (``approve``), within the account's parks.

        Raises :class:`CaseError` (``case_parcel_missing``, ``case_date_missing`` /
        ``case_date_invalid`` / ``case_date_in_future`` for the date signed,
        ``agreement_new_start_missing``, ``agreement_new_start_before_signed``) or
        :class:`geo.accounts.AccessError`. Returns the agreement's id.
        """
        when = (at or datetime.now(UTC)).astimezone(UTC)
        parcel_id = _text(parcel_id)
        if not parcel_id:
            raise CaseError("case_parcel_missing")
        park = check_park(park_id, self.parcel_parks(parcel_id) if self.parcel_parks else None)
        require(account, "approve", park_id=park)
        officer = _text(account.name)
        signed = _day(signed_date)
        if signed is None:
            raise CaseError("case_date_missing", case_stage="agreement")
        today = when.astimezone(_BEIJING).date()
        if signed > today:
            raise CaseError("case_date_in_future", date=signed, today=today)
        new_start = _day(new_start_date)
        if new_start is None:
            raise CaseError("agreement_new_start_missing")
        if new_start < signed:
            raise CaseError("agreement_new_start_before_signed", until=new_start, date=signed)
        sha = None
        if attachment is not None:
            sha = hashlib.sha256(attachment).hexdigest()
            attachment_name = _text(attachment_name) or sha[:12]
        recorded_at = when.isoformat(timespec="seconds")
        with self.db.connect() as con, con.transaction():
            if attachment is not None:
                con.execute(
                    "INSERT INTO case_attachment (sha256, content, size_bytes, recorded_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                    (sha, bytes(attachment), len(attachment), recorded_at),
                )
            return int(con.value(
                "INSERT INTO start_agreement (parcel_id, signed_date, new_start_date, doc_number, reason, officer,"
                " officer_role, attachment_name, attachment_sha256, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?) RETURNING agreement_id",
                (parcel_id, _iso(signed), _iso(new_start), _text(doc_number), _text(reason), officer,
                 account.role, _text(attachment_name) if sha else None, sha, recorded_at),
            ))

    @contextlib.contextmanager
    def snapshot(self):
        """
        Inside the block, :meth:`log` and :meth:`agreements` read the store once each and give
        copies of what they read: a register (which reads the log six times) sees one state of
        the store, whatever other officers record meanwhile, for one read.
        """
        outer = self._snapshot
        self._snapshot = {} if outer is None else outer
        try:
            yield self
        finally:
            self._snapshot = outer

    def _read(self, kind: str, parcel_id, read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        if self._snapshot is None:
            return read()
        key = (kind, None if parcel_id is None else str(parcel_id).strip())
        if key not in self._snapshot:
            self._snapshot[key] = read()
        return self._snapshot[key].copy()

    def agreements(self, parcel_id: str | None = None) -> pd.DataFrame:
        """The supplementary agreements recorded on the page (all, or one parcel's), in the order recorded."""
        return self._read("agreements", parcel_id, lambda: self._agreements(parcel_id))

    def _select(self, table: str, columns, parcel_id: str | None, order: str) -> pd.DataFrame:
        """``columns`` of ``table`` (all rows, or one parcel's) in ``order``."""
        sql = f"SELECT {', '.join(columns)} FROM {table}"
        params: tuple = ()
        if parcel_id is not None:
            sql += " WHERE parcel_id = ?"
            params = (str(parcel_id).strip(),)
        with self.db.connect() as con:
            return con.frame(f"{sql} ORDER BY {order}", params)

    def _agreements(self, parcel_id: str | None) -> pd.DataFrame:
        out = self._select("start_agreement", AGREEMENT_COLUMNS, parcel_id, "agreement_id")
        for col in ("signed_date", "new_start_date"):
            out[col] = pd.to_datetime(out[col], format="ISO8601")
        return out[AGREEMENT_COLUMNS]

    def record_many(self, parcel_ids: Iterable[str], stage: str, *, park_ids: Mapping[str, str] | None = None,
                    **kwargs) -> pd.DataFrame:
        """
        The same stage for several parcels (a batch action, e.g. investigation notices for
        the selected parcels), each in its own transaction: one refusal stops no other.
        ``park_ids``: parcel number → its park (the caller's, checked as in :meth:`record`).

        Returns
        -------
        results
            One row per parcel: ``parcel_id``, ``entry_id`` (None when refused) and
            ``error`` (the refusal as a message item, or None).
        """
        rows = []
        for pid in parcel_ids:
            try:
                park = (park_ids or {}).get(pid)
                rows.append({"parcel_id": pid, "entry_id": self.record(pid, stage, park_id=park, **kwargs),
                             "error": None})
            except (CaseError, AccessError) as err:
                rows.append({"parcel_id": pid, "entry_id": None, "error": err.item})
        return pd.DataFrame(rows, columns=["parcel_id", "entry_id", "error"])

    # ------------------------------------------------------------------ reading

    def log(self, parcel_id: str | None = None) -> pd.DataFrame:
        """
        The audit trail (all cases, or one parcel's), in the order recorded.

        ``event_date``, ``doc_date`` and ``until_date`` are dates (datetime64), ``recorded_at``
        ISO text in UTC, ``overridden`` the rules set aside (message items) or None.
        """
        return self._read("log", parcel_id, lambda: self._log(parcel_id))

    def _log(self, parcel_id: str | None) -> pd.DataFrame:
        log = self._select("case_log", LOG_COLUMNS, parcel_id, "entry_id")
        for col in ("event_date", "doc_date", "until_date"):
            log[col] = pd.to_datetime(log[col], format="ISO8601")
        log["amount_wan"] = log["amount_wan"].astype(float)
        log["overridden"] = log["overridden"].map(json.loads, na_action="ignore").astype(object)
        log["overridden"] = log["overridden"].where(log["overridden"].notna(), None)
        return log[LOG_COLUMNS]

    def attachment(self, sha256: str) -> bytes | None:
        """The bytes of an attachment by its hash (``log()['attachment_sha256']``)."""
        with self.db.connect() as con:
            content = con.value("SELECT content FROM case_attachment WHERE sha256 = ?", (sha256,))
        return bytes(content) if content is not None else None

    def revision(self) -> int:
        """
        The number of entries and agreements (0 for an empty store): both are append-only, so it
        grows with every one recorded, in whatever order concurrent writers commit (a cache key
        shared by every app process of the store).
        """
        with self.db.connect() as con:
            return int(con.value("SELECT (SELECT COUNT(*) FROM case_log) + (SELECT COUNT(*) FROM start_agreement)"))

    def parcels(self) -> list[str]:
        """Parcel numbers with a case."""
        with self.db.connect() as con:
            return [r["parcel_id"] for r in con.rows("SELECT DISTINCT parcel_id FROM case_log ORDER BY parcel_id")]

    def check(self, parcel_id: str, stage: str, *, event_date, way: str | None = None, until_date=None,
              outcome: str | None = None, cause: str | None = None, entries: list | None = None
              ) -> list[dict]:
        """
        The rules recording ``stage`` now would break (empty: allowed) — what a page shows
        before the officer confirms, and whether an override reason is needed. ``entries``: the
        parcel's :func:`log_entries` when the caller checks several stages (the log read once).
        """
        day = _day(event_date)
        if day is None:
            raise CaseError("case_date_missing", case_stage=stage)
        if entries is None:
            entries = log_entries(self.log(parcel_id))
        return check_rules(entries, Entry(0, stage, day, cause=cause, way=way, until_date=_day(until_date),
                                          outcome=outcome))


#: The audit trail's columns as tables show them (``log()``'s own names are the database's).
AUDIT_NAMES = {"stage": "case_stage", "cause": "case_cause", "way": "disposal_way", "outcome": "case_outcome",
               "note": "case_note"}


def audit_trail(store: CaseStore, parcel_id: str | None = None) -> pd.DataFrame:
    """:meth:`CaseStore.log` under the names tables present (``case_stage``, ``case_cause`` …)."""
    return store.log(parcel_id).rename(columns=AUDIT_NAMES)


def log_entries(log: pd.DataFrame) -> list[Entry]:
    """A parcel's :meth:`CaseStore.log` as the rules read it (:meth:`CaseStore.check`'s ``entries``)."""
    return _entries(_log_rows(log))


def _log_rows(log: pd.DataFrame) -> list[dict]:
    cols = ["entry_id", "stage", "event_date", "cause", "way", "until_date", "outcome"]
    return log[cols].astype(object).where(log[cols].notna(), None).to_dict("records")


# --------------------------------------------------------------------------- as of a date


def _as_of(as_of) -> pd.Timestamp:
    return pd.Timestamp(as_of).normalize()


def _happened(log: pd.DataFrame, as_of) -> pd.DataFrame:
    """Entries whose act happened on or before ``as_of``, in the order the acts happened."""
    return log[log["event_date"] <= _as_of(as_of)].sort_values(["event_date", "entry_id"], kind="stable")


def case_state(store: CaseStore, as_of) -> pd.DataFrame:
    """
    Each case as of a date.

    Returns
    -------
    state
        Indexed by ``parcel_id``: ``case_stage`` (latest stage, notes aside),
        ``stage_date``, ``closed`` (bool), ``case_outcome``, ``closed_on``, ``entries``
        (entries that happened by ``as_of``) and ``overrides`` (how many of them set a rule aside).
    """
    log = _happened(store.log(), as_of)
    cols = ["case_stage", "stage_date", "closed", "case_outcome", "closed_on", "entries", "overrides"]
    index = _case_index(log)
    out = pd.DataFrame(index=index, columns=cols)
    if log.empty:
        return out
    stages = log[log["stage"] != "note"]
    last = stages.groupby("parcel_id").last()
    out["case_stage"] = last["stage"]
    out["stage_date"] = last["event_date"]
    ends = stages[stages["stage"].isin(["closed", "reopened"])].groupby("parcel_id").last()
    closed = ends["stage"].eq("closed")
    out["closed"] = closed.reindex(index, fill_value=False).astype(bool)
    out["case_outcome"] = ends["outcome"].where(closed)
    out["closed_on"] = ends["event_date"].where(closed)
    out["stage_date"] = pd.to_datetime(out["stage_date"])
    out["closed_on"] = pd.to_datetime(out["closed_on"])
    out["entries"] = log.groupby("parcel_id").size().reindex(index, fill_value=0).astype(int)
    out["overrides"] = log["override_reason"].notna().groupby(log["parcel_id"]).sum().reindex(index, fill_value=0)
    out["overrides"] = out["overrides"].astype(int)
    return out


def _case_index(happened: pd.DataFrame) -> pd.Index:
    return pd.Index(sorted(happened["parcel_id"].unique()), name="parcel_id")


def cases_as_of(store: CaseStore, as_of) -> pd.Index:
    """
    The parcels with a case as of a date (an entry whose act happened by then), sorted: the index
    of :func:`case_state` and of the register, without building either.
    """
    return _case_index(_happened(store.log(), as_of))


def established_causes(store: CaseStore, as_of) -> pd.Series:
    """
    The cause each case's latest determination (认定书) on or before ``as_of`` established.

    Returns
    -------
    causes
        Indexed by ``parcel_id`` (only parcels with a determination by then), codes of
        :data:`CASE_CAUSES`; name ``established_cause``. A determination recorded later
        has not happened at ``as_of``.
    """
    return _determinations(store, as_of)["established_cause"]


def _determinations(store: CaseStore, as_of) -> pd.DataFrame:
    log = _happened(store.log(), as_of)
    det = log[log["stage"] == "determination"].groupby("parcel_id").last()
    out = pd.DataFrame(
        {
            "established_cause": det["cause"].astype(object),
            "cause_determined_on": det["event_date"],
            "cause_determined_by": det["officer"].astype(object),
            "determination_no": det["doc_number"].astype(object),
        },
        index=det.index.rename("parcel_id"),
    )
    return out


def cause_in_force(parcels: pd.DataFrame, store: CaseStore, as_of) -> pd.DataFrame:
    """
    The cause of delay in force per parcel: the case's established cause where a
    determination was made by ``as_of``, else the file's ``delay_cause`` — both kept.

    Parameters
    ----------
    parcels
        With ``parcel_id`` and optional ``delay_cause`` (as the file gives it).

    Returns
    -------
    causes
        Aligned to ``parcels.index``: ``delay_cause_file`` (as given), ``established_cause``,
        ``cause_determined_on``, ``cause_determined_by``, ``delay_cause`` (in force: the
        established code, or the file's value) and ``cause_source`` (``case`` | ``file`` |
        NA when neither says anything).
    """
    det = _determinations(store, as_of)
    pid = parcels["parcel_id"].astype("string").str.strip()
    file_cause = parcels["delay_cause"] if "delay_cause" in parcels else pd.Series(pd.NA, index=parcels.index)
    out = pd.DataFrame(index=parcels.index)
    out["delay_cause_file"] = file_cause.astype(object)
    for col in ("established_cause", "cause_determined_on", "cause_determined_by"):
        out[col] = pid.map(det[col]).to_numpy() if len(det) else pd.Series(pd.NA, index=parcels.index)
    out["cause_determined_on"] = pd.to_datetime(out["cause_determined_on"])
    has_case = out["established_cause"].notna()
    blank_file = file_cause.isna() | file_cause.astype("string").str.strip().eq("").fillna(True)
    out["delay_cause"] = out["established_cause"].where(has_case, file_cause).astype(object)
    source = np.where(has_case, "case", np.where(blank_file.to_numpy(dtype=bool), None, "file"))
    out["cause_source"] = pd.Series(source, index=parcels.index, dtype=object)
    return out


def start_extensions(store: CaseStore) -> pd.DataFrame:
    """
    The agreed start dates the store moves, as supplementary agreements for
    :func:`geo.idle.classify_idle` (``extensions=``): the extensions agreed in negotiated
    disposal (Art. 12 (1); signed on the entry's date, the new date its ``until_date``, with
    the note and 文号) and the agreements recorded outside the procedure
    (:meth:`CaseStore.record_agreement`). The idle clock then uses the date in force at the
    as-of date, as it does for the file's own agreements. Columns
    :data:`geo.idle.EXTENSION_COLUMNS`, ordered by parcel and date signed.
    """
    log = store.log()
    ext = log[(log["stage"] == "negotiated_disposal") & (log["way"] == "extension") & log["until_date"].notna()]
    agreed = store.agreements()
    parts = [
        pd.DataFrame({
            "parcel_id": ext["parcel_id"].astype(str).to_numpy(),
            "signed_date": pd.to_datetime(ext["event_date"]).to_numpy(),
            "new_start_date": pd.to_datetime(ext["until_date"]).to_numpy(),
            "reason": ext["note"].astype(object).to_numpy(),
            "doc_no": ext["doc_number"].astype(object).to_numpy(),
        }),
        pd.DataFrame({
            "parcel_id": agreed["parcel_id"].astype(str).to_numpy(),
            "signed_date": agreed["signed_date"].to_numpy(),
            "new_start_date": agreed["new_start_date"].to_numpy(),
            "reason": agreed["reason"].astype(object).to_numpy(),
            "doc_no": agreed["doc_number"].astype(object).to_numpy(),
        }),
    ]
    parts = [p for p in parts if len(p)] or parts[:1]
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return out.sort_values(["parcel_id", "signed_date"], kind="stable", ignore_index=True)


def disposed_as_of(store: CaseStore, as_of) -> pd.Series:
    """
    Whether each case's idle land was disposed of as of a date (闲置土地处置率).

    Disposed: a disposing act (fee paid, land recovered, a negotiated disposal agreed —
    :data:`DISPOSING_STAGES`) or a closing with a disposed outcome happened on or before
    ``as_of``, and the case was not reopened after it (by ``as_of``). An act dated after
    ``as_of`` does not count for that date.

    Returns
    -------
    disposed
        bool, indexed by ``parcel_id`` (every parcel with a case).
    """
    full = store.log()
    index = pd.Index(sorted(full["parcel_id"].unique()), name="parcel_id")
    log = _happened(full, as_of)
    disposing = log["stage"].isin(DISPOSING_STAGES) | (
        log["stage"].eq("closed") & log["outcome"].isin(DISPOSED_OUTCOMES)
    )
    last_disposed = log["event_date"].where(disposing).groupby(log["parcel_id"]).max()
    last_reopened = log["event_date"].where(log["stage"].eq("reopened")).groupby(log["parcel_id"]).max()
    last_disposed = last_disposed.reindex(index)
    last_reopened = last_reopened.reindex(index)
    # A reopening on the same day as the disposal undoes it (recorded because of it).
    out = last_disposed.notna() & ~(last_reopened >= last_disposed).fillna(False)
    return out.astype(bool).rename("disposed")


# --------------------------------------------------------------------------- deadlines


DEADLINE_COLUMNS = ["parcel_id", "deadline", "entry_id", "start_date", "due_date", "met_on", "days_left",
                    "deadline_state", "overdue"]


def deadlines(case: pd.DataFrame, as_of) -> pd.DataFrame:
    """
    The deadlines of one case (its :meth:`CaseStore.log`) — or of several — as of a date.

    Day 1 is the day after the act (a notice served on 5 January is due on 4 February): the
    due day itself is on time, the day after is overdue. Extension and temporary-use
    ends are the agreement's own ``until_date`` (≤ 1 and ≤ 2 years, Art. 12). Only the
    latest act that starts a deadline counts (a notice served again restarts the reply).

    Returns
    -------
    deadlines
        One row per case and deadline started by ``as_of``: ``parcel_id``, ``deadline``
        (:data:`DEADLINE_KINDS`), ``entry_id`` (the act that started it), ``start_date``,
        ``due_date``, ``met_on``, ``days_left`` (due − as_of, negative once past),
        ``deadline_state`` (:data:`DEADLINE_STATES`) and ``overdue`` (bool).
    """
    as_of = _as_of(as_of)
    # The columns the clocks read: the log's others (numbers, notes, attachments) would be carried
    # through every filter and join below (~2/3 of the time, with the store's text columns).
    log = _happened(case[["parcel_id", "entry_id", "stage", "event_date", "way", "until_date"]], as_of)
    parts = []
    for kind, (start_stage, days, meet_stage, moot_stages) in DEADLINES.items():
        starts = log[log["stage"] == start_stage]
        if kind == "extension_end":
            starts = starts[starts["way"] == "extension"]
        elif kind == "temporary_use_end":
            starts = starts[starts["way"] == "temporary_use"]
        if starts.empty:
            continue
        start = starts.groupby("parcel_id", sort=True)[["entry_id", "event_date", "until_date"]].last()
        start = start.rename(columns={"entry_id": "start_id", "event_date": "start_date"})
        due = start["start_date"] + pd.Timedelta(days=days) if days is not None else start["until_date"]
        later = log.merge(start[["start_id", "start_date"]], left_on="parcel_id", right_index=True)
        later = later[(later["event_date"] >= later["start_date"]) & (later["entry_id"] > later["start_id"])]
        met_on = later.loc[later["stage"] == meet_stage].groupby("parcel_id")["event_date"].min()
        moot = later["stage"].isin(moot_stages).groupby(later["parcel_id"]).any()
        part = pd.DataFrame({"deadline": kind, "entry_id": start["start_id"].astype(int),
                             "start_date": start["start_date"], "due_date": due})
        part["met_on"] = met_on.reindex(part.index)
        is_moot = moot.reindex(part.index, fill_value=False).astype(bool)
        part["deadline_state"] = np.select(
            [part["met_on"].notna() & (part["met_on"] <= part["due_date"]), part["met_on"].notna(), is_moot,
             as_of > part["due_date"]],
            ["met", "met_late", "moot", "overdue"],
            "pending",
        )
        part["days_left"] = (part["due_date"] - as_of).dt.days.astype(int)
        parts.append(part.rename_axis("parcel_id").reset_index())
    if not parts:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in DEADLINE_COLUMNS})
    else:
        out = pd.concat(parts, ignore_index=True)
    for col in ("start_date", "due_date", "met_on"):
        out[col] = pd.to_datetime(out[col])
    out["overdue"] = out["deadline_state"].eq("overdue").astype(bool)
    out = out.sort_values(["parcel_id", "due_date"], kind="stable", ignore_index=True)
    return out[DEADLINE_COLUMNS]


def all_deadlines(store: CaseStore, as_of) -> pd.DataFrame:
    """:func:`deadlines` of every case in the store (the work list's due / overdue view)."""
    return deadlines(store.log(), as_of)


# --------------------------------------------------------------------------- the register


#: Columns of the register (闲置土地处置台账), in order.
REGISTER_COLUMNS: tuple[str, ...] = (
    "parcel_id",
    "park_id",
    "holder",
    "area_m2",
    "area_mu",
    "supply_date",
    "agreed_start_date",
    "extended_start_date",
    "delay_cause_file",
    "established_cause",
    "cause_determined_on",
    "case_stage",
    "stage_date",
    "investigation_notice_no",
    "determination_no",
    "hearing_notice_no",
    "fee_decision_no",
    "recovery_decision_no",
    "disposal_way",
    "fee_levied_wan",
    "fee_paid_wan",
    "fee_paid_on",
    "next_due_date",
    "overdue_deadlines",
    "case_outcome",
    "closed_on",
    "disposed",
    "officer",
)


def register(store: CaseStore, parcels: pd.DataFrame | None = None, *, as_of,
             due: pd.DataFrame | None = None) -> pd.DataFrame:
    """
    The register a bureau keeps (闲置土地处置台账): one row per case as of a date.

    Parameters
    ----------
    parcels
        The parcel table (with ``parcel_id``; ``park_id``, ``holder``, ``supply_date``,
        ``agreed_start_date``, ``delay_cause`` and ``area_m2`` or a geometry are used when
        present). Cases whose parcel is not in it keep their case facts and blank parcel facts.

    Returns
    -------
    register
        Columns :data:`REGISTER_COLUMNS` (codes and numbers; ``reports.tables`` presents it);
        ``officer`` is who recorded the latest act (the work list filters by it).

    ``due``: :func:`all_deadlines` of the store as of the date, when the caller has it. The store
    is read once (:meth:`CaseStore.snapshot`).
    """
    with store.snapshot():
        return _register(store, parcels, as_of=_as_of(as_of), due=due)


def _register(store: CaseStore, parcels: pd.DataFrame | None, *, as_of: pd.Timestamp,
              due: pd.DataFrame | None) -> pd.DataFrame:
    full = store.log()
    log = _happened(full, as_of)
    state = case_state(store, as_of)
    index = state.index
    out = pd.DataFrame(index=index)
    if parcels is not None and len(parcels):
        from geo.workspace import parcel_area_m2

        facts = pd.DataFrame(index=parcels.index)
        facts["parcel_id"] = parcels["parcel_id"].astype("string").str.strip()
        for col in ("park_id", "holder", "supply_date", "agreed_start_date", "delay_cause"):
            facts[col] = parcels[col] if col in parcels else pd.NA
        facts["area_m2"] = parcel_area_m2(parcels).to_numpy()
        facts = facts.drop_duplicates("parcel_id", keep="first").set_index("parcel_id")
        facts = facts.reindex(index)
    else:
        facts = pd.DataFrame(index=index, columns=["park_id", "holder", "supply_date", "agreed_start_date",
                                                   "delay_cause", "area_m2"])
    out["park_id"] = facts["park_id"].astype(object)
    out["holder"] = facts["holder"].astype(object)
    out["area_m2"] = pd.to_numeric(facts["area_m2"], errors="coerce").astype(float)
    out["area_mu"] = out["area_m2"] / (10_000 / 15)
    out["supply_date"] = pd.to_datetime(facts["supply_date"], errors="coerce")
    out["agreed_start_date"] = pd.to_datetime(facts["agreed_start_date"], errors="coerce")
    # The agreed start date in force as of the date: the latest agreement signed by then, in the
    # procedure (Art. 12 (1)) or outside it.
    ext = start_extensions(store)
    ext = ext[ext["signed_date"] <= as_of].groupby("parcel_id").last()
    out["extended_start_date"] = ext["new_start_date"].reindex(index)
    out["delay_cause_file"] = facts["delay_cause"].astype(object)
    det = _determinations(store, as_of)
    out["established_cause"] = det["established_cause"].reindex(index)
    out["cause_determined_on"] = det["cause_determined_on"].reindex(index)
    out["case_stage"] = state["case_stage"]
    out["stage_date"] = state["stage_date"]
    for stage in ("investigation_notice", "determination", "hearing_notice", "fee_decision", "recovery_decision"):
        docs = log[(log["stage"] == stage) & log["doc_number"].notna()].groupby("parcel_id").last()
        out[f"{stage}_no"] = docs["doc_number"].reindex(index).astype(object)
    way = log[log["stage"] == "negotiated_disposal"].groupby("parcel_id").last()
    out["disposal_way"] = way["way"].reindex(index).astype(object)
    fee = log[log["stage"] == "fee_decision"].groupby("parcel_id").last()
    out["fee_levied_wan"] = fee["amount_wan"].reindex(index).astype(float)
    paid = log[log["stage"] == "fee_paid"]
    out["fee_paid_wan"] = paid.groupby("parcel_id")["amount_wan"].sum(min_count=1).reindex(index).astype(float)
    out["fee_paid_on"] = paid.groupby("parcel_id")["event_date"].max().reindex(index)
    if due is None:
        due = all_deadlines(store, as_of)
    open_due = due[due["deadline_state"].isin(["pending", "overdue"])]
    out["next_due_date"] = open_due.groupby("parcel_id")["due_date"].min().reindex(index)
    out["overdue_deadlines"] = due["overdue"].groupby(due["parcel_id"]).sum().reindex(index, fill_value=0).astype(int)
    out["case_outcome"] = state["case_outcome"].astype(object)
    out["closed_on"] = state["closed_on"]
    out["disposed"] = disposed_as_of(store, as_of).reindex(index, fill_value=False).astype(bool)
    out["officer"] = log.groupby("parcel_id")["officer"].last().reindex(index).astype(object)
    for col in ("extended_start_date", "cause_determined_on", "stage_date", "fee_paid_on", "next_due_date",
                "closed_on"):
        out[col] = pd.to_datetime(out[col])
    out = out.reset_index()
    return out[list(REGISTER_COLUMNS)]
