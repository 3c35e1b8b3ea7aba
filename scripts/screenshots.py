#!/usr/bin/env python3
"""
Take the README's screenshots of a running app in headless Chromium.

Usage: ``make run`` in one shell, then
``GXLAND_ACCOUNT=… GXLAND_PASSWORD=… .venv/bin/python scripts/screenshots.py [http://localhost:8501]``
→ docs/*.png (the app needs a login: an account whose first password was changed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
MAP = "iframe[title*='st_folium'], iframe[title*='streamlit_folium']"
BIGGEST = "els => els.map(e => e.getBBox().width * e.getBBox().height).reduce((b, a, i, all) => a > all[b] ? i : b, 0)"


def shoot(base: str) -> None:
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1050})
        page.goto(base + "/")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("textbox", name="账号").fill(os.environ["GXLAND_ACCOUNT"])
        page.get_by_role("textbox", name="密码").fill(os.environ["GXLAND_PASSWORD"])
        page.get_by_role("button", name="登录").click()
        page.wait_for_function("() => document.cookie.includes('gxland_session=')", timeout=60_000)
        for path, name, click in (("/", "overview", None), ("/idle", "idle", "click"), ("/compare", "compare", None)):
            page.goto(base + path)
            page.wait_for_selector(IDLE, timeout=60_000)
            frame = page.frame_locator(MAP).first
            paths = frame.locator("path.leaflet-interactive")
            paths.first.wait_for(timeout=60_000)
            if click:
                target = paths.nth(paths.evaluate_all(BIGGEST))
                target.hover() if click == "hover" else target.click()
                page.wait_for_timeout(1500)
                page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=DOCS / f"screenshot-{name}.png")
            print(DOCS / f"screenshot-{name}.png")
        browser.close()


if __name__ == "__main__":
    shoot(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8501")
