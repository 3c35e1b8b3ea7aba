"""Shared fixtures: the sample workspace, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-25"
#: Passwords of the test accounts (the first is changed to the second at once, as at a first login).
TEST_PASSWORD = "初次密码-2026"
TEST_PASSWORD_CHANGED = "测试密码-2026"


def ensure_account(root, name: str = "测试员", role: str = "admin", parks=(), display_name=None):
    """
    An account of the workspace ``root`` whose first password was already changed (password
    :data:`TEST_PASSWORD_CHANGED`); created when absent. Returns the account.
    """
    from geo.accounts import AccountStore

    store = AccountStore.in_workspace(root)
    if store.get(name) is None:
        store.add(name, role, parks=parks, password=TEST_PASSWORD, display_name=display_name)
        store.change_password(name, TEST_PASSWORD, TEST_PASSWORD_CHANGED)
    return store.get(name)


def login_as(at, root, name: str = "测试员", role: str = "admin", parks=(), display_name=None):
    """Log an AppTest session in as an account of ``root`` (created when absent; admin by default)."""
    from datetime import UTC, datetime

    at.session_state["auth_account"] = ensure_account(root, name, role, parks, display_name)
    at.session_state["auth_seen"] = datetime.now(UTC)
    return at


@pytest.fixture(scope="session")
def sample_workspace(tmp_path_factory) -> Path:
    """A fresh sample workspace (5,000 parcels, seeded) in a temporary folder."""
    from geo import sample

    out = tmp_path_factory.mktemp("workspace")
    sample.write_sample(out)
    return out


@pytest.fixture
def app(sample_workspace, monkeypatch):
    """An AppTest of the whole app on the sample workspace, as of 2026-11-25, logged in as the admin 测试员."""
    from datetime import date

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    return login_as(at, sample_workspace)
