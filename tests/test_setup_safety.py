"""Set-up never writes over or deletes a bureau's workspace (Makefile and `python -m geo sample`)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

import cli

REPO = Path(__file__).resolve().parent.parent


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def _user_workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "parcels.gpkg").write_bytes(b"the bureau's own parcels")
    (ws / "review.sqlite").write_bytes(b"decisions")
    return ws


def test_sample_refuses_a_folder_with_data(tmp_path, capsys):
    ws = _user_workspace(tmp_path)
    before = _digest(ws)
    assert cli.main(["sample", "--out", str(ws), "--n", "50"]) == 2
    assert "不是空文件夹" in capsys.readouterr().err
    assert cli.main(["sample", "--out", str(ws), "--n", "50", "--if-empty"]) == 0
    assert _digest(ws) == before


def test_sample_fills_an_empty_or_new_folder(tmp_path):
    assert cli.main(["sample", "--out", str(tmp_path / "new"), "--n", "200", "--if-empty"]) == 0
    assert (tmp_path / "new" / "parcels.parquet").stat().st_size > 0


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
def test_make_sample_and_clean_leave_user_data(tmp_path):
    ws = _user_workspace(tmp_path)
    before = _digest(ws)
    subprocess.run(["make", "-s", "sample", f"WORKSPACE={ws}"], cwd=REPO, check=True, capture_output=True)
    assert _digest(ws) == before
    plan = subprocess.run(["make", "-n", "clean", f"WORKSPACE={ws}"], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout
    assert str(ws) not in plan and "workspace" not in plan


def test_no_page_lets_a_browser_user_pick_the_workspace(app):
    at = app.run()
    assert not at.exception
    labels = [w.label for w in at.sidebar.text_input]
    assert "工作空间" not in labels and "Workspace" not in labels
