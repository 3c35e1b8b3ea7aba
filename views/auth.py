"""
The login gate: no page and no download without a logged-in account (``geo.accounts``).

``app.py`` calls :func:`gate` before the navigation runs: without an account in the session it
draws the login page (local accounts; single sign-on through ``st.login`` when
``.streamlit/secrets.toml`` has an ``[auth]`` section) and stops the run, so no page script runs
and no download is built. An account whose password must be changed sees only the form that
changes it. A session idle for longer than the setting (``GXLAND_SESSION_MINUTES``, 480 by
default) ends; so does one whose account was disabled meanwhile. Streamlit's own health check
(``/_stcore/health``) needs no login.

A reload of the page is a new Streamlit session: the login survives it through a session
cookie (``gxland_session``, a random token; the accounts store keeps only its hash and the last
activity, so any app process behind a proxy resumes it, and logging out ends it everywhere).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from geo import accounts
from geo.accounts import AccessError, Account
from views import common
from views.i18n import LANGS, lang, t
from words.accounts import access_text, account_label, park_names

#: Session keys of the gate.
ACCOUNT_KEY = "auth_account"
SEEN_KEY = "auth_seen"
FLASH_KEY = "auth_flash"
TOKEN_KEY = "auth_token"
COOKIE_KEY = "auth_cookie"  # the cookie still to be written to (or cleared from) the browser
COOKIE = "gxland_session"


def store() -> accounts.AccountStore:
    """The workspace's accounts (``accounts.sqlite`` beside the cases)."""
    return accounts.AccountStore.in_workspace(common.current_workspace().root)


def current() -> Account | None:
    """The logged-in account of this session (None before login)."""
    acc = st.session_state.get(ACCOUNT_KEY)
    return acc if isinstance(acc, Account) else None


def sso_configured() -> bool:
    """Whether single sign-on is set up: ``.streamlit/secrets.toml`` has an ``[auth]`` section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or one Streamlit cannot read
        return False


def _now() -> datetime:
    return datetime.now(UTC)


def _login(acc: Account, *, new_session: bool = False) -> None:
    st.session_state[ACCOUNT_KEY] = acc
    st.session_state[SEEN_KEY] = _now()
    if new_session:
        token = store().open_session(acc)
        st.session_state[TOKEN_KEY] = token
        st.session_state[COOKIE_KEY] = token


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no browser (a script run without a client)
        return None
    return token if isinstance(token, str) and token else None


def _write_cookie() -> None:
    """
    Write the session's cookie to the browser (or clear it after a logout). Written on every run
    until the browser sends it back: a run that switches pages drops what it drew, cookie included.
    """
    import streamlit.components.v1 as components

    if st.session_state.get(COOKIE_KEY) == "":  # a logout: the login page that follows clears it
        st.session_state.pop(COOKIE_KEY)
        value = f"{COOKIE}=; path=/; max-age=0"
    else:
        st.session_state.pop(COOKIE_KEY, None)
        token = st.session_state.get(TOKEN_KEY)
        if not token or token == _cookie_token():
            return
        value = f"{COOKIE}={token}; path=/; SameSite=Strict"
    components.html(f"<script>window.parent.document.cookie = {value!r};</script>", height=0)


def logout(flash: str | None = None) -> None:
    """End the session's login everywhere (and the identity provider's session, for single sign-on)."""
    acc = current()
    store().close_session(st.session_state.get(TOKEN_KEY) or _cookie_token())
    for key in (ACCOUNT_KEY, SEEN_KEY, TOKEN_KEY):
        st.session_state.pop(key, None)
    st.session_state[COOKIE_KEY] = ""
    if flash:
        st.session_state[FLASH_KEY] = flash
    if acc is not None and acc.source == "sso" and sso_configured():
        st.logout()


def refusal(exc: AccessError) -> str:
    """A refusal in the session's language, parks by name (Markdown-safe)."""
    return common.md_escape(access_text(exc.item, lang(), common.parks()))


def _still_valid(acc: Account) -> bool:
    """The session's account as the store has it now (disabled → the session ends)."""
    fresh = store().get(acc.name)
    if fresh is None:
        logout(t("auth_gone"))
        return False
    reset = acc.source == "local" and fresh.must_change_password and not acc.must_change_password
    if fresh.role != acc.role or fresh.parks != acc.parks or reset:  # changed by an admin meanwhile
        _login(Account(fresh.name, fresh.role, fresh.parks, fresh.display_name, acc.source,
                       fresh.must_change_password and acc.source == "local"))
    return True


def gate() -> bool:
    """
    Whether the session may see the pages. Draws the login page (or the password change) and
    returns False otherwise; the caller stops the run.
    """
    st.session_state.setdefault("lang", "zh")
    accounts.ensure_admin(common.current_workspace().root)
    acc = current()
    if acc is None and (token := _cookie_token()):
        resumed = store().resume_session(token)
        if resumed is not None:
            _login(resumed)
            st.session_state[TOKEN_KEY] = token
            acc = resumed
    if acc is not None:
        seen = st.session_state.get(SEEN_KEY)
        if st.session_state.get(TOKEN_KEY) and store().resume_session(st.session_state[TOKEN_KEY]) is None:
            logout(t("auth_expired"))  # idle too long, or ended by a logout elsewhere
            acc = None
        elif accounts.session_expired(seen, _now()):
            logout(t("auth_expired"))
            acc = None
        elif _still_valid(acc):
            st.session_state[SEEN_KEY] = _now()
            acc = current()
        else:
            acc = None
    if acc is None and sso_configured() and getattr(st.user, "is_logged_in", False):
        try:
            _login(store().sso_account(getattr(st.user, "email", None)), new_session=True)
            acc = current()
        except AccessError as exc:
            _language_switch()
            st.error(refusal(exc))
            if st.button(t("auth_logout"), key="auth_sso_logout"):
                st.logout()
            return False
    if acc is None:
        _write_cookie()
        _login_page()
        return False
    _write_cookie()
    if acc.must_change_password:
        _change_page(acc)
        return False
    return True


def _language_switch() -> None:
    st.radio(t("language"), list(LANGS), format_func=LANGS.get, key="lang", horizontal=True)


def _login_page() -> None:
    _language_switch()
    st.title(t("auth_title"))
    st.caption(t("app_title"))
    if msg := st.session_state.pop(FLASH_KEY, None):
        st.info(msg)
    st.write(t("auth_intro"))
    initial = common.current_workspace().root / accounts.INITIAL_PASSWORD_FILE
    if initial.is_file():
        st.caption(common.md_escape(t("auth_initial_hint", account=accounts.initial_account(initial) or "admin",
                                      path=initial.name)))
    if sso_configured():
        if st.button(t("auth_sso"), key="auth_sso", type="primary"):
            st.login()
        st.caption(t("auth_or"))
    with st.form("auth_login"):
        name = st.text_input(t("auth_account"), key="auth_name")
        password = st.text_input(t("auth_password"), type="password", key="auth_password")
        submitted = st.form_submit_button(t("auth_submit"), type="primary")
    if not submitted:
        return
    if not name.strip() or not password:
        st.error(t("auth_missing"))
        return
    try:
        acc = store().authenticate(name, password)
    except AccessError as exc:
        st.error(refusal(exc))
        return
    _login(acc, new_session=True)
    st.rerun()


def _change_page(acc: Account) -> None:
    _language_switch()
    st.title(t("auth_change_title"))
    st.write(t("auth_change_intro"))
    st.caption(f"{t('auth_logged_in_as')}：{common.md_escape(account_label(acc.name, acc.role, lang()))}")
    with st.form("auth_change"):
        old = st.text_input(t("auth_old_password"), type="password", key="auth_old")
        new = st.text_input(t("auth_new_password"), type="password", key="auth_new")
        new2 = st.text_input(t("auth_new_password2"), type="password", key="auth_new2")
        submitted = st.form_submit_button(t("auth_change_submit"), type="primary")
    if st.button(t("auth_logout"), key="auth_change_logout"):
        logout()
        st.rerun()
    if not submitted:
        return
    try:
        store().change_password(acc.name, old, new, confirm=new2)
    except AccessError as exc:
        st.error(refusal(exc))
        return
    _login(Account(acc.name, acc.role, acc.parks, acc.display_name, acc.source, False))
    st.session_state["auth_changed_flash"] = t("auth_changed")
    st.rerun()


def sidebar_account() -> None:
    """The logged-in account, read-only, with its role, parks and the logout button (in the sidebar)."""
    acc = current()
    if acc is None:
        return
    lg = lang()
    names = park_names(common.parks(), lg)
    scope = "、".join(names.get(p, p) for p in acc.parks) if acc.parks else t("auth_scope_all")
    shown = acc.name if not acc.display_name else f"{acc.display_name}（{acc.name}）"
    # Set before the widget on every run: a keyed widget keeps its first value, so a language
    # switch (the role's name) or a renamed account would otherwise show the old text.
    st.session_state["auth_who"] = account_label(shown, acc.role, lg)
    st.text_input(t("auth_logged_in_as"), disabled=True, key="auth_who")
    st.caption(f"{t('auth_scope')}：{common.md_escape(scope)}")
    if msg := st.session_state.pop("auth_changed_flash", None):
        st.success(msg)
    if st.button(t("auth_logout"), key="auth_logout"):
        logout()
        st.rerun()


def can(action: str, park_id=None, *, scoped: bool = True) -> bool:
    """Whether the logged-in account may do ``action`` (pages hide what it may not; the store refuses)."""
    try:
        accounts.require(current(), action, park_id=park_id, scoped=scoped)
    except AccessError:
        return False
    return True


def scope_key() -> str:
    """
    The logged-in account's parks as a cache-key suffix ("" for an unscoped account): a result
    cached from one account's parcels is never served to an account with other parks.
    """
    acc = current()
    return "" if acc is None or not acc.parks else "#parks=" + ",".join(acc.parks)


def scoped(df: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of a parcel frame in the logged-in account's parks (all rows for an unscoped account)."""
    acc = current()
    if df is None or acc is None or not acc.parks or "park_id" not in df:
        return df
    return df[acc.scope_mask(df["park_id"]).to_numpy()]
