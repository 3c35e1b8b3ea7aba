"""Install: set-up stops on an unsupported Python, repairs a stale virtualenv, the service unit, `make run`."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "venv.sh"


def _fake_python(folder: Path, version: str) -> Path:
    """A `python` that says it is ``version`` and does nothing else."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "python"
    exe.write_text(f"#!/bin/sh\necho {version}\n")
    exe.chmod(0o755)
    return exe


def _run(tmp_path: Path, python: str, **env) -> subprocess.CompletedProcess:
    (tmp_path / "requirements.txt").write_text("\n")
    return subprocess.run(["sh", str(SCRIPT)], cwd=tmp_path, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHON": python, "VENV": str(tmp_path / ".venv"), **env})


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    ws.mkdir()
    (ws / "cases.sqlite").write_bytes(b"the bureau's decisions")
    return ws


@pytest.mark.parametrize("version", ["3.9", "3.10", "2.7", "3.14"])
def test_unsupported_python_stops_before_anything_is_made(tmp_path, version):
    fake = _fake_python(tmp_path / "bin", version)
    out = _run(tmp_path, str(fake))
    assert out.returncode == 1
    assert f"是 Python {version}，本系统支持 Python 3.11 3.12 3.13" in out.stderr
    assert "make setup PYTHON=python3.11" in out.stderr  # how to go on
    assert not (tmp_path / ".venv").exists()


def test_missing_python_says_what_to_install(tmp_path):
    out = _run(tmp_path, str(tmp_path / "no-such-python"))
    assert out.returncode == 1
    assert "找不到 Python" in out.stderr and "python3-venv" in out.stderr
    assert not (tmp_path / ".venv").exists()


@pytest.mark.parametrize("stale", ["other_python", "broken"])
def test_stale_virtualenv_is_made_again_and_the_workspace_kept(tmp_path, stale):
    ws = _workspace(tmp_path)
    venv = tmp_path / ".venv"
    if stale == "other_python":
        _fake_python(venv / "bin", "3.10")
    else:
        (venv / "bin").mkdir(parents=True)
        (venv / "bin" / "python").symlink_to(tmp_path / "gone" / "python3")  # its Python was removed
    (venv / "leftover").write_text("x")
    out = _run(tmp_path, sys.executable, PIP_INSTALL="0")
    assert out.returncode == 0, out.stderr
    assert "正在重建" in out.stderr and "工作空间数据不受影响" in out.stderr
    assert not (venv / "leftover").exists() and (venv / "pyvenv.cfg").is_file()
    have = subprocess.run([str(venv / "bin" / "python"), "-c", "import sys; print(sys.version_info[:2])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert have == str(tuple(sys.version_info[:2]))
    assert (ws / "cases.sqlite").read_bytes() == b"the bureau's decisions"
    # a healthy one is kept as it is
    (venv / "kept").write_text("x")
    again = _run(tmp_path, sys.executable, PIP_INSTALL="0")
    assert again.returncode == 0 and "重建" not in again.stderr and (venv / "kept").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
def test_make_run_checks_python_makes_the_first_admin_and_binds_the_address():
    plan = subprocess.run(["make", "-n", "run", "WORKSPACE=/srv/ws", "ADDRESS=10.0.0.5", "PORT=8600"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert "scripts/venv.sh" in plan
    assert "-m geo user --workspace /srv/ws init" in plan
    assert "scripts/serve.py --workers 1 --address 10.0.0.5 --port 8600" in plan
    default = subprocess.run(["make", "-n", "run"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "--address 127.0.0.1" in default  # this machine only unless told
    assert "haproxy" not in default  # one process: Streamlit alone
    two = subprocess.run(["make", "-n", "run", "WORKERS=2"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "scripts/serve.py --workers 2" in two and "haproxy" in two  # HAProxy installed when absent
    if (REPO / "static" / "vendor" / "manifest.json").is_file():
        # the virtualenv is checked on every set-up; the map assets are not fetched again for it
        assert "fetch_assets.py" not in default


def test_service_unit_runs_the_app_without_setup_as_a_service_user():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(REPO / "deploy" / "gxland.service", encoding="utf-8")
    svc = unit["Service"]
    assert svc["User"] not in ("", "root")
    start = svc["ExecStart"]
    assert "scripts/serve.py --workers ${GXLAND_WORKERS}" in start
    assert "--address ${GXLAND_ADDRESS}" in start and "--port ${GXLAND_PORT}" in start
    assert "make" not in start and "pip" not in start  # no set-up, no network
    assert "geo user --workspace ${GXLAND_WORKSPACE} init" in svc["ExecStartPre"]
    text = (REPO / "deploy" / "gxland.service").read_text(encoding="utf-8")
    env = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("Environment=")]
    assert {e.split("=")[0] for e in env} >= {"GXLAND_WORKSPACE", "GXLAND_ADDRESS", "GXLAND_PORT",
                                             "GXLAND_SESSION_MINUTES", "GXLAND_WORKERS"}
    assert unit["Install"]["WantedBy"] == "multi-user.target"
