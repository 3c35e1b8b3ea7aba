"""Streamlit entry: navigation, the one sidebar, language. Pages live in views/."""

import streamlit as st

from views import common
from views.i18n import t

st.set_page_config(page_title="广西高新区土地管理", page_icon="🗺️", layout="wide")
common.sidebar()

pages = [
    st.Page("views/overview.py", title=t("page_overview"), url_path="overview", default=True),
    st.Page("views/idle.py", title=t("page_idle"), url_path="idle"),
    st.Page("views/intensity.py", title=t("page_intensity"), url_path="intensity"),
    st.Page("views/compare.py", title=t("page_compare"), url_path="compare"),
    st.Page("views/eco.py", title=t("page_eco"), url_path="eco"),
    st.Page("views/data.py", title=t("page_data"), url_path="data"),
]
st.navigation(pages).run()
