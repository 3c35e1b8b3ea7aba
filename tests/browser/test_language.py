"""Switching 中文 ⇄ English in the real app keeps pages working and keeps the user's filters."""

from __future__ import annotations

import pytest
from conftest import wait_for_app

pytestmark = pytest.mark.browser

EXCEPTION = "[data-testid='stException']"


def _settle(page):
    page.wait_for_timeout(800)
    wait_for_app(page)


def test_switch_language_back_and_forth(page, streamlit_app):
    page.goto(streamlit_app + "/idle")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "闲置土地"
    page.get_by_text("English", exact=True).click()
    _settle(page)
    assert page.locator("h1").first.inner_text() == "Idle land"
    # any later rerun used to fail on the Chinese labels the widgets had kept
    page.locator("h1").first.click()
    page.keyboard.press("r")  # a rerun (the user field it used to type in is now the account, read-only)
    _settle(page)
    assert page.locator(EXCEPTION).count() == 0
    # the default status filter came across (its labels now in English)
    assert page.get_by_text("Overdue, not started (< 1 year)", exact=True).count() >= 1
    page.get_by_text("中文", exact=True).click()
    _settle(page)
    page.locator("h1").first.click()
    page.keyboard.press("r")
    _settle(page)
    assert page.locator(EXCEPTION).count() == 0
    assert page.locator("h1").first.inner_text() == "闲置土地"
