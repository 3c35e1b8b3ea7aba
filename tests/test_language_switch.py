"""Every page renders in English (AppTest); the switch itself is tested in Chromium (tests/browser)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, login_as

PAGES = ["views/overview.py", "views/idle.py", "views/intensity.py", "views/compare.py", "views/eco.py", "views/assess.py"]


@pytest.mark.parametrize("page", PAGES)
def test_page_in_english(sample_workspace, monkeypatch, page):
    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    login_as(at, sample_workspace)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value and not any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value)
