"""
Review store: staff decisions on flagged parcels, kept beside the workspace.

Monitoring systems call an automatic hit "suspected idle" (疑似闲置); staff confirm
or dismiss it and record the disposal stages (domain.md §2). The computed status
and the human decision are kept apart: the analysis never overwrites a decision,
and a decision records the status it was made on.

Storage is a single append-only table (``review_log``) in the workspace's SQLite
file ``review.sqlite`` or, when ``GXLAND_DATABASE_URL`` is set, in the bureau's
PostgreSQL database (:mod:`geo.db`): triggers refuse UPDATE and DELETE, so the
table *is* the audit log, and the current state of a parcel is derived from its
latest entries. Each write is its own short transaction (WAL mode with a busy
timeout in SQLite), so two sessions recording at once both land. Decisions are
keyed by ``parcel_id`` and so survive re-imports of the parcel file.

Every entry is recorded under the logged-in account (``geo.accounts.Account``: its name in
``user_name``, its role in ``user_role``) and within its rights, checked here: viewers record
nothing, a park officer records on parcels of its parks only, and the stages that are
decisions (fee levied, land recovered, extension agreed: ``geo.accounts.REVIEW_APPROVAL_STAGES``)
need a reviewer (section chief).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from geo.accounts import REVIEW_APPROVAL_STAGES, Account, check_park, require
from geo.db import Database, database_url

#: The store's file in a workspace folder (the embedded backend).
REVIEW_FILE = "review.sqlite"
ACTIONS = ("confirm", "dismiss", "stage", "note")
#: Disposal stages in the order the procedure runs (order No. 53, arts. 9-14).
STAGES = (
    "investigation_notice",
    "hearing",
    "fee_levied",
    "fee_paid",
    "extension_agreed",
    "recovered",
)
#: Stages after which disposal of the idle parcel is finished (闲置土地处置率 counts these).
FINISHED_STAGES = frozenset({"fee_paid", "extension_agreed", "recovered"})

#: Every code a :class:`ReviewError` can carry (words: ``words/review.py``).
REVIEW_ERROR_CODES = (
    "review_parcel_missing",
    "review_action_unknown",
    "review_dismissal_needs_reason",
    "review_stage_unknown",
)
#: Values of :meth:`ReviewStore.current`'s ``decision``.
DECISIONS = ("confirmed", "dismissed")

#: Types in braces are the backend's (:meth:`geo.db.Database.ddl`); the table is append-only.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_log (
    entry_id {{id}},
    parcel_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('confirm', 'dismiss', 'stage', 'note')),
    stage TEXT CHECK (stage IS NULL OR stage IN ({stages})),
    reason TEXT,
    note TEXT,
    computed_status TEXT,
    user_name TEXT NOT NULL,
    user_role TEXT,
    recorded_at {{timestamp}} NOT NULL
);
CREATE INDEX IF NOT EXISTS review_log_parcel ON review_log (parcel_id, entry_id);
""".format(stages=", ".join(f"'{s}'" for s in STAGES))
#: Tables whose rows are never changed nor deleted.
APPEND_ONLY = ("review_log",)

LOG_COLUMNS = [
    "entry_id",
    "parcel_id",
    "action",
    "stage",
    "reason",
    "note",
    "computed_status",
    "user_name",
    "user_role",
    "recorded_at",
]


class ReviewError(ValueError):
    """
    A decision that cannot be recorded as given.

    ``code`` is one of :data:`REVIEW_ERROR_CODES`, ``params`` its arguments; the page
    renders :attr:`item` in the user's language (``words.render(err.item, lang)``).
    """

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        detail = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{code}({detail})" if detail else code)

    @property
    def item(self) -> dict:
        """The refusal as a message item ``{"code": …, **args}``."""
        return {"code": self.code, **self.params}


class ReviewStore:
    """
    Append-only decisions on parcels, in a SQLite file or a PostgreSQL database.

    Parameters
    ----------
    path
        The database file (created with its folder when absent), or a ``postgresql://`` URL.
    parcel_parks
        parcel number → its park id (None when unknown): the workspace's parcels, against which
        the park a caller gives is checked.
    """

    def __init__(self, path: str | Path, *, timeout_s: float = 30.0,
                 parcel_parks: Callable[[str], str | None] | None = None):
        self.db = Database(path, timeout_s=timeout_s)
        self.path = self.db.path
        self.timeout_s = timeout_s
        self.parcel_parks = parcel_parks
        if self.db.ensure_schema("review", _SCHEMA, append_only=APPEND_ONLY):
            with self.db.connect() as con:
                con.add_column("review_log", "user_role")  # a store made before accounts: no role on its entries

    @classmethod
    def in_workspace(cls, root: str | Path) -> ReviewStore:
        """The store of a workspace: the database of ``GXLAND_DATABASE_URL`` when set, else ``review.sqlite``."""
        url = database_url()
        return cls(url) if url else cls(Path(root) / REVIEW_FILE)

    @property
    def location(self) -> str:
        """The file or the URL this store lives in (a cache key)."""
        return self.db.location

    def record(
        self,
        parcel_id: str,
        *,
        action: str,
        account: Account,
        park_id: str | None = None,
        stage: str | None = None,
        reason: str | None = None,
        note: str | None = None,
        computed_status: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """
        Append one decision; returns its entry id.

        A dismissal needs a reason and a stage entry needs a stage, so the log
        always says why. ``at`` defaults to now; times are stored in UTC (pages
        show them in Beijing time, ``words.review.beijing_time``). ``account`` is the logged-in
        account, ``park_id`` the parcel's park as the caller knows it.

        Raises
        ------
        ReviewError
            With a code of :data:`REVIEW_ERROR_CODES`.
        geo.accounts.AccessError
            The account may not record this.
        """
        parcel_id = str(parcel_id or "").strip()
        if not parcel_id:
            raise ReviewError("review_parcel_missing")
        park = check_park(park_id, self.parcel_parks(parcel_id) if self.parcel_parks else None)
        decides = action == "stage" and stage in REVIEW_APPROVAL_STAGES
        require(account, "approve" if decides else "record", park_id=park)
        user = account.name.strip()
        if action not in ACTIONS:
            raise ReviewError("review_action_unknown", value=str(action))
        if action == "dismiss" and not (reason or "").strip():
            raise ReviewError("review_dismissal_needs_reason")
        if action == "stage" and stage not in STAGES:
            raise ReviewError("review_stage_unknown", value=str(stage))
        if action != "stage":
            stage = None
        when = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        with self.db.connect() as con, con.transaction():
            return int(con.value(
                "INSERT INTO review_log (parcel_id, action, stage, reason, note, computed_status,"
                " user_name, user_role, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING entry_id",
                (parcel_id, action, stage, reason, note, computed_status, user, account.role, when),
            ))

    def log(self, parcel_id: str | None = None) -> pd.DataFrame:
        """The audit log (all entries, or one parcel's), oldest first."""
        sql = f"SELECT {', '.join(LOG_COLUMNS)} FROM review_log"
        params: tuple = ()
        if parcel_id is not None:
            sql += " WHERE parcel_id = ?"
            params = (str(parcel_id),)
        with self.db.connect() as con:
            return con.frame(sql + " ORDER BY entry_id", params)

    def revision(self) -> int:
        """
        The number of decisions recorded (0 for an empty store): the log is append-only, so it grows
        with every one, in whatever order concurrent writers commit (a cache key shared by every app
        process of the store).
        """
        with self.db.connect() as con:
            return int(con.value("SELECT COUNT(*) FROM review_log"))

    def current(self) -> pd.DataFrame:
        """
        Current state per parcel, derived from the log.

        Returns
        -------
        state
            Indexed by ``parcel_id`` with ``decision`` (latest confirm/dismiss:
            ``confirmed`` | ``dismissed``), ``decision_reason``, ``decided_by``,
            ``decided_at``, ``decided_on_status``, ``disposal_stage`` (latest stage),
            ``stage_at``, ``disposal_finished`` (bool), ``entries``.
        """
        log = self.log()
        cols = [
            "decision",
            "decision_reason",
            "decided_by",
            "decided_at",
            "decided_on_status",
            "disposal_stage",
            "stage_at",
            "disposal_finished",
            "entries",
        ]
        if log.empty:
            return pd.DataFrame(columns=cols, index=pd.Index([], name="parcel_id"))
        decisions = log[log["action"].isin(["confirm", "dismiss"])].groupby("parcel_id").last()
        stages = log[log["action"] == "stage"].groupby("parcel_id").last()
        out = pd.DataFrame(index=pd.Index(sorted(log["parcel_id"].unique()), name="parcel_id"))
        out["decision"] = decisions["action"].map({"confirm": "confirmed", "dismiss": "dismissed"})
        out["decision_reason"] = decisions["reason"]
        out["decided_by"] = decisions["user_name"]
        out["decided_at"] = decisions["recorded_at"]
        out["decided_on_status"] = decisions["computed_status"]
        out["disposal_stage"] = stages["stage"]
        out["stage_at"] = stages["recorded_at"]
        out["disposal_finished"] = out["disposal_stage"].isin(FINISHED_STAGES)
        out["entries"] = log.groupby("parcel_id").size()
        return out[cols]


def merge_disposal_status(parcels: pd.DataFrame, store_state: pd.DataFrame) -> pd.Series:
    """
    ``disposal_status`` per parcel: the review store's latest stage where there is one,
    else the imported ``disposal_status`` column (else empty).
    """
    imported = (
        parcels["disposal_status"]
        if "disposal_status" in parcels
        else pd.Series(pd.NA, index=parcels.index, dtype="object")
    )
    if store_state.empty or "parcel_id" not in parcels:
        return imported.rename("disposal_status")
    staged = parcels["parcel_id"].astype(str).map(store_state["disposal_stage"])
    return staged.where(staged.notna(), imported).rename("disposal_status")
