"""scripts/serve.py: HAProxy's configuration in front of several app processes (checked by HAProxy itself)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.serve import WORKER_COOKIE, haproxy_config, main, streamlit_args, worker_command

ROOT = Path(__file__).resolve().parent.parent


def test_each_browser_keeps_its_worker_by_a_cookie_and_dead_workers_get_no_one():
    cfg = haproxy_config("0.0.0.0", 8501, [8601, 8602, 8603])
    assert "bind 0.0.0.0:8501" in cfg
    # one server line per worker, on loopback, each with its cookie value and a health check
    for i, port in enumerate((8601, 8602, 8603), 1):
        assert f"server w{i} 127.0.0.1:{port} cookie w{i} check" in cfg
    assert f"cookie {WORKER_COOKIE} insert indirect nocache" in cfg
    assert "option httpchk GET /_stcore/health" in cfg
    # a page's websocket stays open all day: no time-out cuts it
    assert "timeout tunnel 12h" in cfg


@pytest.mark.skipif(not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").is_file()),
                    reason="Debian's haproxy not installed (make haproxy)")
def test_haproxy_accepts_the_configuration(tmp_path):
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(haproxy_config("127.0.0.1", 8501, [8601, 8602]), encoding="utf-8")
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    res = subprocess.run([haproxy, "-c", "-f", str(cfg)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_print_haproxy_config_for_a_service(capsys):
    assert main(["--workers", "2", "--address", "0.0.0.0", "--port", "8501", "--worker-ports", "8601", "8602",
                 "--print-haproxy-config"]) == 0
    out = capsys.readouterr().out
    assert "bind 0.0.0.0:8501" in out and "127.0.0.1:8601" in out and "127.0.0.1:8602" in out


def test_ports_must_match_the_workers():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "serve.py"), "--workers", "2", "--worker-ports", "8601"],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "2 workers, 1 ports" in res.stderr


def test_a_worker_is_streamlit_on_the_address_given():
    args = streamlit_args(8600, "10.0.0.5")
    assert args[0] == "run" and args[1].endswith("app.py")
    assert args[args.index("--server.address") + 1] == "10.0.0.5" and args[args.index("--server.port") + 1] == "8600"
    # workers listen on loopback only: browsers reach them through HAProxy
    cmd = worker_command(8601)
    assert "--run-worker" in cmd and cmd[cmd.index("--address") + 1] == "127.0.0.1"
