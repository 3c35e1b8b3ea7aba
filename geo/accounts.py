"""
Accounts, roles and what each role may record — the bureau server's access rules, as data.

Who may do what (issue 13; order No. 53's procedure, domain.md §2):

- ``viewer`` reads (pages, tables, downloads) and records nothing;
- ``officer`` (park officer, 园区经办人) records the procedure's steps — investigation notices,
  replies, investigations, hearings, payments, closings, notes, review confirmations — on
  parcels of the parks the account is scoped to (one or more park ids);
- ``reviewer`` (section chief, 科室负责人) does what an officer does and alone records the acts
  that decide: the determination (闲置土地认定书, Arts. 9-10), the fee decision (征缴土地闲置费
  决定书, Art. 14 (1)), the recovery decision (收回国有建设用地使用权决定书, Art. 14 (2)) and the
  negotiated disposal (Art. 12/13: the disposal plan the government approves) — see
  :data:`APPROVAL_STAGES` — and any recording that sets a rule of the procedure aside
  (an override); a reviewer's parks, when listed, scope the reviewer too;
- ``admin`` manages accounts and settings and alone installs imports and restores versions;
  an admin may also record (the bureau's last resort), always under the admin's own name.

The refusals are here and in the stores (:func:`require`), not only in the pages: a park
officer of 南宁 calling :meth:`geo.cases.CaseStore.record` on a 桂林 parcel gets an
:class:`AccessError`.

Local accounts live in ``accounts.sqlite`` in the workspace: argon2id password hashes
(``argon2-cffi``), a must-change flag (every new or reset password must be changed at the first
login), disabled accounts, and a lockout after :data:`LOCKOUT_FAILURES` failed logins in a row.
Single sign-on (OIDC) identities are matched to an account of the same name (the e-mail the
identity provider gives) that an admin created with ``--sso``: no account, no entry.
Changes to accounts are appended to ``account_log`` (who, what, when — UTC).

Codes only: every word is in ``words/accounts.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo.db import Database, database_url
from geo.errors import CodedError

ACCOUNTS_FILE = "accounts.sqlite"
#: Times a user reads (a lock's end) are Beijing time; stored times are UTC.
BEIJING = ZoneInfo("Asia/Shanghai")
#: The first admin's password, readable by the server's user only, removed once it is changed.
INITIAL_PASSWORD_FILE = "initial-admin-password.txt"
DEFAULT_ADMIN = "admin"

ROLES: tuple[str, ...] = ("viewer", "officer", "reviewer", "admin")
#: Roles that may record anything at all.
RECORDING_ROLES = frozenset({"officer", "reviewer", "admin"})
#: Roles that approve (order No. 53: the acts that decide on the land).
APPROVING_ROLES = frozenset({"reviewer", "admin"})
#: Case stages (``geo.cases.STAGES``) that decide and so need a reviewer: 认定书 (Arts. 9-10),
#: 征缴土地闲置费决定书 and 收回决定书 (Art. 14), the negotiated disposal (Arts. 12-13).
APPROVAL_STAGES = frozenset({"determination", "fee_decision", "recovery_decision", "negotiated_disposal"})
#: Review-store stages (``geo.review.STAGES``) that are decisions: fee levied, land recovered,
#: extension agreed.
REVIEW_APPROVAL_STAGES = frozenset({"fee_levied", "recovered", "extension_agreed"})
#: What an account may be asked to do (:func:`require`).
ACTIONS: tuple[str, ...] = ("record", "approve", "override", "import", "restore", "manage_accounts")
#: Where an account came from.
SOURCES: tuple[str, ...] = ("local", "sso", "os")

#: Refusals of an action (the stores and the CLI raise them).
ACCESS_ERROR_CODES: tuple[str, ...] = (
    "access_no_account",
    "access_read_only",
    "access_needs_reviewer",
    "access_needs_admin",
    "access_park_out_of_scope",
    "access_park_unknown",
    "access_park_mismatch",
)
#: Refusals at login and in account management.
LOGIN_ERROR_CODES: tuple[str, ...] = (
    "login_failed",
    "login_locked",
    "login_disabled",
    "login_sso_no_account",
    "login_sso_not_allowed",
    "login_password_needed",
    "account_exists",
    "account_unknown",
    "account_name_invalid",
    "account_role_unknown",
    "account_officer_needs_parks",
    "account_last_admin",
    "password_too_short",
    "password_same_as_name",
    "password_unchanged",
    "password_mismatch",
    "password_wrong",
)
ACCOUNT_ERROR_CODES: tuple[str, ...] = (*ACCESS_ERROR_CODES, *LOGIN_ERROR_CODES)
#: Events of ``account_log``.
ACCOUNT_EVENTS: tuple[str, ...] = ("created", "password_reset", "password_changed", "disabled", "enabled",
                                   "login", "login_failed", "locked", "role_changed")

MIN_PASSWORD_LENGTH = 8
#: Failed logins in a row that lock an account, and for how long (environment settings).
LOCKOUT_FAILURES = 5
LOCKOUT_MINUTES = 15
#: A session with no activity for this long ends (minutes; ``GXLAND_SESSION_MINUTES``).
SESSION_MINUTES = 480

_NAME = re.compile(r"^[^\s\x00-\x1f\x7f]{1,64}$")
_HASHER = PasswordHasher()


def setting(name: str, default: int) -> int:
    """An integer setting from the environment (``GXLAND_<NAME>``), the default when unset or not a number."""
    raw = os.environ.get(f"GXLAND_{name.upper()}", "").strip()
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def session_minutes() -> int:
    return setting("session_minutes", SESSION_MINUTES)


def lockout_failures() -> int:
    return setting("lockout_failures", LOCKOUT_FAILURES)


def lockout_minutes() -> int:
    return setting("lockout_minutes", LOCKOUT_MINUTES)


class AccessError(CodedError):
    """An action refused to an account, or a login refused: a code of :data:`ACCOUNT_ERROR_CODES`."""


@dataclass(frozen=True)
class Account:
    """
    Who acts: an account's name (its id), role and the parks it is scoped to.

    ``parks`` empty means every park (an officer always has at least one).
    """

    name: str
    role: str
    parks: tuple[str, ...] = ()
    display_name: str | None = None
    source: str = "local"
    must_change_password: bool = False
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def sees(self, park_id) -> bool:
        """Whether the account's scope holds ``park_id`` (unscoped accounts see every park)."""
        if not self.parks:
            return True
        return park_id is not None and str(park_id) in self.parks

    def scope_mask(self, park_ids: pd.Series) -> pd.Series:
        """Rows of a frame whose ``park_id`` is in the account's scope (vectorised :meth:`sees`)."""
        if not self.parks:
            return pd.Series(True, index=park_ids.index)
        return park_ids.astype("string").isin(list(self.parks)).fillna(False).astype(bool)

    @property
    def item(self) -> dict:
        """What a log keeps of the account."""
        return {"account": self.name, "role": self.role}


def _clean(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = str(value).strip()
    return s or None


def require(account: Account | None, action: str, *, park_id=None, scoped: bool = True) -> Account:
    """
    Check that ``account`` may do ``action`` (:data:`ACTIONS`) on a parcel of ``park_id``.

    ``scoped`` False: the action is not about one parcel (an import, a restore).

    Raises
    ------
    AccessError
        ``access_no_account``, ``access_read_only``, ``access_needs_reviewer``,
        ``access_needs_admin``, ``access_park_unknown`` or ``access_park_out_of_scope``.
    """
    if not isinstance(account, Account) or not _clean(account.name):
        raise AccessError("access_no_account")
    role = account.role
    if role not in ROLES:
        raise AccessError("account_role_unknown", role=str(role))
    if action in ("import", "restore", "manage_accounts"):
        if role != "admin":
            raise AccessError("access_needs_admin", account=account.name, role=role, action=action)
        return account
    if role not in RECORDING_ROLES:
        raise AccessError("access_read_only", account=account.name, role=role)
    if action in ("approve", "override") and role not in APPROVING_ROLES:
        raise AccessError("access_needs_reviewer", account=account.name, role=role, action=action)
    if scoped and account.parks:
        park = _clean(park_id)
        if park is None:
            raise AccessError("access_park_unknown", account=account.name, parks=list(account.parks))
        if park not in account.parks:
            raise AccessError("access_park_out_of_scope", account=account.name, park_id=park,
                              parks=list(account.parks))
    return account


def check_park(given, known) -> str | None:
    """
    The parcel's park: what the caller says (``given``) checked against what the workspace's
    parcels say (``known``, None when the store cannot tell).

    Raises
    ------
    AccessError
        ``access_park_mismatch`` when both are known and differ.
    """
    given, known = _clean(given), _clean(known)
    if given is not None and known is not None and given != known:
        raise AccessError("access_park_mismatch", park_id=given, known_park_id=known)
    return known if known is not None else given


def os_account() -> Account:
    """The account the CLI records under without ``--account``: the OS user who runs it (admin: shell access)."""
    import getpass

    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return Account(name=name, role="admin", source="os")


# --------------------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    """An argon2id hash (salted, with its parameters) of ``password``."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (False for an account without a password)."""
    if not stored_hash:
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_new_password(name: str, password: str, *, old: str | None = None) -> None:
    """Refuse a password that is too short, is the account's name or the old password."""
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise AccessError("password_too_short", min_length=MIN_PASSWORD_LENGTH)
    if password.strip().lower() == str(name).strip().lower():
        raise AccessError("password_same_as_name")
    if old is not None and password == old:
        raise AccessError("password_unchanged")


def new_password() -> str:
    """A random password for a new or reset account (to be changed at the first login)."""
    return secrets.token_urlsafe(12)


#: A session's activity is written again once this long has passed since it was last written.
SESSION_RENEW_EVERY = timedelta(minutes=1)


def session_expired(last_seen: datetime | None, now: datetime, minutes: int | None = None) -> bool:
    """Whether a session last active at ``last_seen`` has expired by ``now``."""
    if last_seen is None:
        return True
    return now - last_seen > timedelta(minutes=minutes or session_minutes())


# --------------------------------------------------------------------------- the store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS account (
    name TEXT PRIMARY KEY,
    display_name TEXT,
    role TEXT NOT NULL CHECK (role IN ({roles})),
    parks TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT,
    sso INTEGER NOT NULL DEFAULT 0,
    must_change INTEGER NOT NULL DEFAULT 1,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    last_login TEXT
);
CREATE TABLE IF NOT EXISTS account_log (
    entry_id {{id}},
    name TEXT NOT NULL,
    event TEXT NOT NULL,
    by_account TEXT,
    detail TEXT,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_session (
    token_sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
""".format(roles=", ".join(f"'{r}'" for r in ROLES))
#: Tables whose rows are never changed nor deleted (triggers on both backends: ``geo.db``).
APPEND_ONLY = ("account_log",)
#: PostgreSQL only: a row per account name, locked (``FOR UPDATE``) by whoever changes that account.
_PG_LOCKS = "CREATE TABLE IF NOT EXISTS account_lock (name TEXT PRIMARY KEY);"

LIST_COLUMNS = ["name", "display_name", "role", "parks", "sso", "has_password", "must_change", "disabled",
                "locked_until", "failed_logins", "created_at", "last_login"]


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


class AccountStore:
    """
    Local accounts and login sessions: ``accounts.sqlite`` in the workspace, or the database of
    ``GXLAND_DATABASE_URL`` (:mod:`geo.db`), so that every app process of a bureau's server —
    on one machine or several — knows the same accounts and resumes the same sessions.

    Parameters
    ----------
    path
        The database file (created with its folder when absent, readable by its owner only), or
        a ``postgresql://`` URL.
    """

    def __init__(self, path: str | Path, *, timeout_s: float = 30.0, workspace: str | Path | None = None):
        self.db = Database(path, timeout_s=timeout_s)
        self.timeout_s = timeout_s
        if self.db.kind == "sqlite":
            self.path = Path(self.db.path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # password hashes and session tokens: the server's user only
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        else:  # the workspace folder still holds the first admin's password file
            self.path = Path(workspace or ".") / ACCOUNTS_FILE
        self.db.ensure_schema("accounts", _SCHEMA, append_only=APPEND_ONLY, postgresql_extra=_PG_LOCKS)

    @classmethod
    def in_workspace(cls, root: str | Path) -> AccountStore:
        """The accounts of a workspace: GXLAND_DATABASE_URL's database when set, else ``accounts.sqlite``."""
        url = database_url()
        return cls(url, workspace=root) if url else cls(Path(root) / ACCOUNTS_FILE)

    @property
    def location(self) -> str:
        return self.db.location

    def _log(self, con, name: str, event: str, by: str | None, when: datetime, **detail) -> None:
        con.execute(
            "INSERT INTO account_log (name, event, by_account, detail, recorded_at) VALUES (?, ?, ?, ?, ?)",
            (name, event, by, json.dumps(detail, ensure_ascii=False) if detail else None, _stamp(when)),
        )

    def _row(self, con, name: str):
        rows = con.rows("SELECT * FROM account WHERE name = ?", (name,))
        return rows[0] if rows else None

    @staticmethod
    def _account(row) -> Account:
        return Account(name=row["name"], role=row["role"], parks=tuple(json.loads(row["parks"] or "[]")),
                       display_name=row["display_name"], source="sso" if row["sso"] and not row["password_hash"]
                       else "local", must_change_password=bool(row["must_change"]))

    # ------------------------------------------------------------------ administration

    def add(self, name: str, role: str, *, parks=(), password: str | None = None, sso: bool = False,
            display_name: str | None = None, by: str | None = None, now: datetime | None = None) -> str | None:
        """
        Create an account; returns its first password (random unless given; None for an
        SSO-only account). The password must be changed at the first login.
        """
        name = _clean(name) or ""
        if not _NAME.match(name):
            raise AccessError("account_name_invalid", value=name)
        if role not in ROLES:
            raise AccessError("account_role_unknown", role=str(role))
        parks = sorted({p for p in (_clean(x) for x in parks or ()) if p})
        if role == "officer" and not parks:
            raise AccessError("account_officer_needs_parks")
        if password is None and not sso:
            password = new_password()
        if password is not None:
            check_new_password(name, password)
        when = _now(now)
        with self.db.connect() as con, con.transaction():
            con.lock_key("account_lock", "name", name)
            if self._row(con, name) is not None:
                raise AccessError("account_exists", account=name)
            con.execute(
                "INSERT INTO account (name, display_name, role, parks, password_hash, sso, must_change,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, _clean(display_name), role, json.dumps(parks, ensure_ascii=False),
                 hash_password(password) if password is not None else None, int(bool(sso)),
                 int(password is not None), _stamp(when)),
            )
            self._log(con, name, "created", by, when, role=role, parks=parks, sso=bool(sso))
        return password

    def reset(self, name: str, *, password: str | None = None, by: str | None = None,
              now: datetime | None = None) -> str:
        """A new password (random unless given) to be changed at the next login; unlocks the account."""
        password = password if password is not None else new_password()
        check_new_password(name, password)
        when = _now(now)
        with self.db.connect() as con, con.transaction():
            if self._row(con, name) is None:
                raise AccessError("account_unknown", account=str(name))
            con.execute("UPDATE account SET password_hash = ?, must_change = 1, failed_logins = 0,"
                        " locked_until = NULL WHERE name = ?", (hash_password(password), name))
            self._log(con, name, "password_reset", by, when)
        return password

    def set_disabled(self, name: str, disabled: bool = True, *, by: str | None = None,
                     now: datetime | None = None) -> None:
        """Disable (or enable again) an account; the last enabled admin cannot be disabled."""
        when = _now(now)
        with self.db.connect() as con, con.transaction():
            con.lock_key("account_lock", "name", "admins")  # one change of the admins at a time
            row = self._row(con, name)
            if row is None:
                raise AccessError("account_unknown", account=str(name))
            if disabled and row["role"] == "admin" and not row["disabled"]:
                admins = con.value("SELECT COUNT(*) FROM account WHERE role = 'admin' AND disabled = 0")
                if admins <= 1:
                    raise AccessError("account_last_admin", account=name)
            con.execute("UPDATE account SET disabled = ? WHERE name = ?", (int(disabled), name))
            self._log(con, name, "disabled" if disabled else "enabled", by, when)

    def list(self) -> pd.DataFrame:
        """Every account (no hashes): :data:`LIST_COLUMNS`."""
        with self.db.connect() as con:
            df = con.frame("SELECT * FROM account ORDER BY name")
        df["parks"] = df["parks"].map(json.loads).map(tuple)
        df["has_password"] = df["password_hash"].notna()
        for col in ("sso", "must_change", "disabled"):
            df[col] = df[col].astype(bool)
        return df.reindex(columns=LIST_COLUMNS)

    def events(self, name: str | None = None) -> pd.DataFrame:
        """The account log (who created, reset, disabled; logins and failures), oldest first."""
        sql = "SELECT entry_id, name, event, by_account, detail, recorded_at FROM account_log"
        params: tuple = ()
        if name is not None:
            sql += " WHERE name = ?"
            params = (name,)
        with self.db.connect() as con:
            return con.frame(sql + " ORDER BY entry_id", params)

    def get(self, name: str) -> Account | None:
        """The enabled account ``name`` (None when unknown or disabled)."""
        with self.db.connect() as con:
            row = self._row(con, str(name))
        if row is None or row["disabled"]:
            return None
        return self._account(row)

    def has_admin(self) -> bool:
        with self.db.connect() as con:
            return con.value("SELECT COUNT(*) FROM account WHERE role = 'admin' AND disabled = 0") > 0

    # ------------------------------------------------------------------ login

    def authenticate(self, name: str, password: str, *, now: datetime | None = None) -> Account:
        """
        The account for ``name`` and ``password``.

        A wrong password and an unknown name are refused alike (``login_failed``); after
        :func:`lockout_failures` failures in a row the account is locked for
        :func:`lockout_minutes` (``login_locked``, even with the right password).
        """
        name = _clean(name) or ""
        when = _now(now)
        refusal: AccessError | None = None
        with self.db.connect() as con, con.transaction():
            # A failure is counted and logged whatever follows: the refusal is raised once committed.
            con.lock_key("account_lock", "name", name)
            row = self._row(con, name)
            locked = row["locked_until"] if row is not None else None
            if row is None:
                verify_password(_DUMMY_HASH, password or "")  # the same time for an unknown name
                refusal = AccessError("login_failed")
            elif row["disabled"]:
                refusal = AccessError("login_disabled", account=name)
            elif locked and datetime.fromisoformat(locked) > when:
                refusal = AccessError("login_locked", until=datetime.fromisoformat(locked).astimezone(BEIJING))
            elif not row["password_hash"]:
                refusal = AccessError("login_password_needed", account=name)
            elif not verify_password(row["password_hash"], password or ""):
                failed = int(row["failed_logins"]) + 1
                until = None
                if failed >= lockout_failures():
                    until = when + timedelta(minutes=lockout_minutes())
                    failed = 0
                con.execute("UPDATE account SET failed_logins = ?, locked_until = ? WHERE name = ?",
                            (failed, _stamp(until) if until else None, name))
                self._log(con, name, "locked" if until else "login_failed", None, when)
                refusal = (AccessError("login_locked", until=until.astimezone(BEIJING)) if until is not None
                           else AccessError("login_failed"))
            else:
                con.execute("UPDATE account SET failed_logins = 0, locked_until = NULL, last_login = ?"
                            " WHERE name = ?", (_stamp(when), name))
                self._log(con, name, "login", None, when)
        if refusal is not None:
            raise refusal
        return self._account(row)

    def sso_account(self, email: str | None, *, now: datetime | None = None) -> Account:
        """The account an SSO identity (its e-mail) logs in as: one an admin created with ``sso``."""
        name = _clean(email) or ""
        with self.db.connect() as con, con.transaction():
            row = self._row(con, name)
            if row is None:
                raise AccessError("login_sso_no_account", account=name)
            if row["disabled"]:
                raise AccessError("login_disabled", account=name)
            if not row["sso"]:
                raise AccessError("login_sso_not_allowed", account=name)
            con.execute("UPDATE account SET last_login = ? WHERE name = ?", (_stamp(_now(now)), name))
            self._log(con, name, "login", None, _now(now), sso=True)
        account = self._account(row)
        return Account(account.name, account.role, account.parks, account.display_name, "sso", False)

    def change_password(self, name: str, old: str, new: str, *, confirm: str | None = None,
                        now: datetime | None = None) -> None:
        """The account's own change of password (the old one checked; clears the must-change flag)."""
        if confirm is not None and confirm != new:
            raise AccessError("password_mismatch")
        check_new_password(name, new, old=old)
        when = _now(now)
        with self.db.connect() as con, con.transaction():
            row = self._row(con, name)
            if row is None or row["disabled"]:
                raise AccessError("account_unknown", account=str(name))
            if not verify_password(row["password_hash"], old or ""):
                raise AccessError("password_wrong")
            con.execute("UPDATE account SET password_hash = ?, must_change = 0 WHERE name = ?",
                        (hash_password(new), name))
            self._log(con, name, "password_changed", name, when)
        initial = self.path.parent / INITIAL_PASSWORD_FILE
        if initial.is_file() and initial_account(initial) == name:
            initial.unlink(missing_ok=True)


    # ------------------------------------------------------------------ sessions (shared by every app process)

    def open_session(self, account: Account, *, now: datetime | None = None) -> str:
        """
        A session for a logged-in account: returns a random token (the browser keeps it in a cookie);
        only its SHA-256 is stored, with the last activity, so any app process can resume it.
        """
        token = secrets.token_urlsafe(32)
        when = _stamp(_now(now))
        with self.db.connect() as con, con.transaction():
            con.execute("INSERT INTO account_session (token_sha256, name, source, created_at, last_seen)"
                        " VALUES (?, ?, ?, ?, ?)", (_token_hash(token), account.name, account.source, when, when))
        return token

    def resume_session(self, token: str | None, *, now: datetime | None = None,
                       minutes: int | None = None) -> Account | None:
        """
        The account of a session token, its activity renewed; None when the token is unknown, the
        session was idle longer than the setting (it is then closed) or the account is disabled.
        """
        if not isinstance(token, str) or not token:
            return None
        when = _now(now)
        key = _token_hash(token)
        with self.db.connect() as con, con.transaction():
            rows = con.rows("SELECT name, source, last_seen FROM account_session WHERE token_sha256 = ?", (key,))
            row = rows[0] if rows else None
            if row is None:
                return None
            if session_expired(datetime.fromisoformat(row["last_seen"]), when, minutes):
                con.execute("DELETE FROM account_session WHERE token_sha256 = ?", (key,))
                return None
            acc_row = self._row(con, row["name"])
            if acc_row is None or acc_row["disabled"]:
                con.execute("DELETE FROM account_session WHERE token_sha256 = ?", (key,))
                return None
            # Renewed at most once a minute: every click of every officer resumes the session, and a
            # write per click (a transaction, a WAL sync) bought nothing at minutes of time-out.
            if when - datetime.fromisoformat(row["last_seen"]) >= SESSION_RENEW_EVERY:
                con.execute("UPDATE account_session SET last_seen = ? WHERE token_sha256 = ?", (_stamp(when), key))
        acc = self._account(acc_row)
        if row["source"] == "sso":
            return Account(acc.name, acc.role, acc.parks, acc.display_name, "sso", False)
        return acc

    def close_session(self, token: str | None) -> None:
        """End a session (logout): its token no longer resumes anything."""
        if isinstance(token, str) and token:
            with self.db.connect() as con, con.transaction():
                con.execute("DELETE FROM account_session WHERE token_sha256 = ?", (_token_hash(token),))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_DUMMY_HASH = hash_password(secrets.token_hex(8))


def initial_account(path: Path) -> str | None:
    """The account an initial-password file (:func:`ensure_admin`) is for; None when unreadable."""
    try:
        first = path.read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return None
    return first.split(":", 1)[1].strip() if ":" in first else None


def ensure_admin(root: str | Path, *, now: datetime | None = None) -> Path | None:
    """
    The first admin of a workspace: when no enabled admin exists, create ``admin`` with a random
    password that must be changed at the first login, written to ``initial-admin-password.txt``
    in the workspace, readable by the server's user only (mode 600). Returns that file's path
    (None when an admin exists already). The file is removed once the password is changed.
    """
    root = Path(root)
    store = AccountStore.in_workspace(root)
    if store.has_admin():
        return None
    name = DEFAULT_ADMIN
    n = 1
    while store.get(name) is not None or name in set(store.list()["name"]):
        n += 1
        name = f"{DEFAULT_ADMIN}{n}"
    password = new_password()
    try:
        store.add(name, "admin", password=password, by="setup", now=now)
    except AccessError as err:
        if err.code == "account_exists":  # another app process made it a moment ago
            return None
        raise
    path = root / INITIAL_PASSWORD_FILE
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"account: {name}\npassword: {password}\n")
    return path
