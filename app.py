"""Streamlit entry: the login gate, navigation, the one sidebar, language. Pages live in views/."""

import streamlit as st

from views import analysis, auth, common, runlog
from views.i18n import t

# The server's time for this run, when GXLAND_RUN_LOG asks for it (the benchmark).
# One thread per server prepares each new version of the workspace before anyone opens it.
analysis.start_preparer()

with runlog.timed():
    st.set_page_config(page_title="广西高新区土地管理", page_icon="🗺️", layout="wide")
    # No page and no download before login: the gate draws the login page and the run stops here.
    if not auth.gate():
        st.stop()
    acc = auth.current()
    st.session_state["user"] = acc.display_name or acc.name  # "prepared by" on reports: the logged-in person
    common.sidebar()

    overview = st.Page("views/overview.py", title=t("page_overview"), url_path="overview")
    pages = [
        overview,
        st.Page("views/idle.py", title=t("page_idle"), url_path="idle"),
        st.Page("views/intensity.py", title=t("page_intensity"), url_path="intensity"),
        st.Page("views/compare.py", title=t("page_compare"), url_path="compare"),
        st.Page("views/eco.py", title=t("page_eco"), url_path="eco"),
        st.Page("views/assess.py", title=t("page_assess"), url_path="assess"),
        st.Page("views/data.py", title=t("page_data"), url_path="data"),
    ]
    if auth.can("manage_accounts", scoped=False):  # admins only
        pages.append(st.Page("views/accounts.py", title=t("page_accounts"), url_path="accounts"))

    def _home() -> None:
        # Streamlit serves its default page at "/" only, never at its url_path: were the overview
        # the default, a typed /overview would be "page not found". The root address opens it.
        st.switch_page(overview)

    home = st.Page(_home, title=t("page_overview"), url_path="home", default=True, visibility="hidden")
    st.navigation([home, *pages]).run()
