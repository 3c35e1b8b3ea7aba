"""账号管理 (admins): the workspace's accounts — list, add, reset a password, disable or enable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import words
from geo import accounts
from geo.accounts import ROLES, AccessError
from views import auth, common
from views.i18n import lang, t
from words.accounts import park_names

FLASH = "acc_flash"


def _table(df: pd.DataFrame, lg: str, names: dict[str, str]) -> pd.DataFrame:
    """The accounts as an admin reads them: roles, parks by name, 是/否, Beijing time."""
    from words.review import beijing_time

    yes_no = {True: words.yes_no(True, lg), False: words.yes_no(False, lg)}
    return pd.DataFrame({
        words.header("account", lg): df["name"].astype(str),
        words.header("display_name", lg): df["display_name"].fillna(words.DASH).astype(str),
        words.header("role", lg): df["role"].map(lambda r: words.label("role", r, lg)),
        words.header("parks", lg): df["parks"].map(lambda ps: "、".join(names.get(p, p) for p in ps)
                                                   or t("auth_scope_all")),
        words.header("sso", lg): df["sso"].map(yes_no),
        words.header("must_change", lg): df["must_change"].map(yes_no),
        words.header("disabled", lg): df["disabled"].map(yes_no),
        words.header("last_login", lg): beijing_time(df["last_login"]).fillna(words.DASH).to_numpy(),
    })


def render() -> None:
    st.title(t("page_accounts"))
    lg = lang()
    me = auth.current()
    if not auth.can("manage_accounts", scoped=False):
        st.info(t("acc_admin_only"))
        return
    store = auth.store()
    parks = common.parks()
    names = park_names(parks, lg)
    if flash := st.session_state.pop(FLASH, None):
        st.success(common.md_escape(flash))
    listed = store.list()
    st.dataframe(_table(listed, lg, names), hide_index=True, width="stretch", key="acc_table")

    st.subheader(t("acc_add"))
    role_words = {r: words.label("role", r, lg) for r in ROLES}
    with st.form("acc_add_form", clear_on_submit=True):
        c1, c2 = st.columns(2)
        name = c1.text_input(t("auth_account"), key="acc_name")
        display = c2.text_input(words.header("display_name", lg), key="acc_display")
        role = st.selectbox(words.header("role", lg), ROLES, format_func=role_words.get, index=1, key=f"acc_role@{lg}")
        picked = st.multiselect(t("auth_scope"), list(names), format_func=names.get, key=f"acc_parks@{lg}")
        sso = st.checkbox(t("acc_sso"), key="acc_sso")
        added = st.form_submit_button(t("acc_add_submit"), type="primary")
    if added:
        try:
            accounts.require(me, "manage_accounts", scoped=False)
            pw = store.add(name, role, parks=picked, sso=sso, display_name=display or None, by=me.name)
        except AccessError as exc:
            st.error(auth.refusal(exc))
        else:
            key = "user_added_sso" if pw is None else "user_added"
            st.session_state[FLASH] = words.text(key, lg, account=name.strip(), role=role, password=pw)
            st.rerun()

    st.subheader(t("acc_change"))
    others = [n for n in listed["name"].astype(str) if n != me.name]
    if not others:
        return
    who = st.selectbox(t("auth_account"), others, key="acc_pick")
    row = listed.set_index("name").loc[who]
    c1, c2 = st.columns(2)
    if c1.button(t("acc_reset"), key="acc_reset", disabled=bool(row["sso"]) and not bool(row["has_password"])):
        try:
            accounts.require(me, "manage_accounts", scoped=False)
            pw = store.reset(who, by=me.name)
        except AccessError as exc:
            st.error(auth.refusal(exc))
        else:
            st.session_state[FLASH] = words.text("user_reset", lg, account=who, password=pw)
            st.rerun()
    disabled = bool(row["disabled"])
    if c2.button(t("acc_enable") if disabled else t("acc_disable"), key="acc_toggle"):
        try:
            accounts.require(me, "manage_accounts", scoped=False)
            store.set_disabled(who, not disabled, by=me.name)
        except AccessError as exc:
            st.error(auth.refusal(exc))
        else:
            st.session_state[FLASH] = words.text("user_enabled" if disabled else "user_disabled", lg, account=who)
            st.rerun()


if __name__ == "__main__":
    render()
