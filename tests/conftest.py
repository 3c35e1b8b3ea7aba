"""Shared fixtures: the sample workspace, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-25"


@pytest.fixture(scope="session")
def sample_workspace(tmp_path_factory) -> Path:
    """A fresh sample workspace (5,000 parcels, seeded) in a temporary folder."""
    from geo import sample

    out = tmp_path_factory.mktemp("workspace")
    sample.write_sample(out)
    return out


@pytest.fixture
def app(sample_workspace, monkeypatch):
    """An AppTest of the whole app on the sample workspace, as of 2026-11-25, user 测试员."""
    from datetime import date

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    at.session_state["user"] = "测试员"
    return at
