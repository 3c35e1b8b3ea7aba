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
