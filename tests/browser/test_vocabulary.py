"""
Every page in Chinese, in real Chromium: no word of the analysis' internal vocabulary on screen.

Visible text, opened expanders, the data grids (read through their accessible table),
and the map's own frame are searched for status / land-use / park-id codes and for the
Python spellings of gaps and booleans.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import wait_for_app

REPO = Path(__file__).resolve().parents[2]
PAGES = ("overview", "idle", "intensity", "compare", "eco", "data", "assess")


def _vocabulary() -> set[str]:
    from geo.idle import IDLE_STATUSES

    parks = json.loads((REPO / "data" / "parks.geojson").read_text(encoding="utf-8"))
    ids = {f["properties"]["park_id"] for f in parks["features"]}
    land_uses = {"industrial", "storage", "commercial", "residential", "public_service", "transport",
                 "green_space"}
    return {*IDLE_STATUSES, *land_uses, *ids, "national_average_2019", "None", "NaN", "nan", "NaT",
            "True", "False", "dismissed", "confirmed", "not_started", "in_progress", "regional", "national"}


def _page_text(page) -> str:
    for exp in page.locator("[data-testid='stExpander'] summary").all():
        try:
            exp.click(timeout=2_000)
        except Exception: # an expander scrolled away is read closed
            continue
    wait_for_app(page, timeout_ms=60_000)
    texts = [page.locator("[data-testid='stMain']").inner_text()]
    # st.dataframe draws on a canvas; its accessible table carries the visible cells.
    for grid in page.locator("[data-testid='stDataFrame'] table").all():
        texts.append(grid.inner_text())
    for frame in page.frames[1:]:
        try:
            texts.append(frame.locator("body").inner_text(timeout=5_000))
        except Exception: # a frame without a body (a component still loading)
            continue
    return "\n".join(texts)


@pytest.mark.parametrize("path", PAGES)
def test_no_internal_vocabulary_on_chinese_pages(streamlit_app, page, path):
    page.goto(f"{streamlit_app}/{path}")
    wait_for_app(page, timeout_ms=90_000)
    page.wait_for_timeout(1_500)
    wait_for_app(page, timeout_ms=90_000)
    text = _page_text(page)
    assert len(text) > 50, text
    found = sorted(w for w in _vocabulary() if re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text))
    assert not found, f"/{path} shows {found}"
    assert "00:00:00" not in text
