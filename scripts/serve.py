"""
Serve the app with several worker processes behind HAProxy: one server, every core in use.

One Streamlit process runs every session's scripts on one Python interpreter, one core at a
time. With ``--workers N`` this starts ``N`` Streamlit processes on loopback ports and Debian's
HAProxy in front of them on ``--address``/``--port``. HAProxy gives each browser a worker by a
cookie of its own (``gxland_worker``), so a session's page, its websocket, its uploads and its
downloads all reach the process that holds the session. Every worker serves the same workspace
(``GXLAND_WORKSPACE``) and the same store; a worker sees another's import as it sees one from the
command line (``views/analysis.py`` looks for new versions every ``GXLAND_PREPARE_EVERY_S``).

Usage::

    .venv/bin/python scripts/serve.py --workers 2 --port 8501      # make run WORKERS=2
    .venv/bin/python scripts/serve.py --workers 2 --print-haproxy-config > /etc/haproxy/haproxy.cfg

The process stays in the foreground; SIGTERM or SIGINT stops HAProxy and every worker. A worker
that dies is started again; HAProxy sends no new browser to it meanwhile (its health check).
``--workers 1`` runs Streamlit alone, as ``make run`` did before.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The cookie by which HAProxy keeps a browser on its worker.
WORKER_COOKIE = "gxland_worker"
#: A worker that answers no health check for this long is started again.
START_TIMEOUT_S = 120


def haproxy_config(address: str, port: int, worker_ports: list[int]) -> str:
    """HAProxy's configuration: ``address:port`` in front of the workers on loopback."""
    servers = "\n".join(
        f"    server w{i} 127.0.0.1:{p} cookie w{i} check inter 2s fall 2 rise 1" for i, p in enumerate(worker_ports, 1)
    )
    # Long client/server/tunnel time-outs: a Streamlit page is one websocket held open all day.
    return f"""\
# 广西高新区土地管理 — HAProxy in front of {len(worker_ports)} app workers (scripts/serve.py)
global
    maxconn 2000

defaults
    mode http
    timeout connect 5s
    timeout client 12h
    timeout server 12h
    timeout tunnel 12h
    timeout http-request 30s
    option forwardfor

frontend gxland
    bind {address}:{port}
    default_backend workers

backend workers
    balance leastconn
    # A browser keeps its worker: the session, its uploads and downloads live in that process.
    cookie {WORKER_COOKIE} insert indirect nocache httponly attr "SameSite=Strict"
    option httpchk GET /_stcore/health
    http-check expect status 200
{servers}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_args(port: int, address: str = "127.0.0.1") -> list[str]:
    """``streamlit run app.py`` on ``address:port``."""
    return ["run", str(ROOT / "app.py"), "--server.address", address, "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false"]


def worker_command(port: int, address: str = "127.0.0.1") -> list[str]:
    """One app process: this script's :func:`run_worker` on ``address:port``."""
    return [sys.executable, str(Path(__file__).resolve()), "--run-worker", "--address", address, "--port", str(port)]


def run_worker(port: int, address: str) -> int:
    """
    Streamlit's own command line, ``streamlit run app.py``, after starting this process's preparer
    (``views/analysis.py``): a new process analyses the workspace's version before its first
    visitor, not when the first visitor's page runs ``app.py``.
    """
    sys.path.insert(0, str(ROOT))
    from streamlit.web import cli

    from views import analysis

    analysis.start_preparer()
    sys.argv = ["streamlit", *streamlit_args(port, address)]
    return cli.main(prog_name="streamlit")


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy", "/usr/bin/haproxy") if Path(p).is_file()), None)
    if not found:
        raise SystemExit("HAProxy not found: `make haproxy` installs Debian's package (or run with --workers 1)")
    return found


def healthy(port: int) -> bool:
    """The app worker on loopback ``port`` answers its health check."""
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


class Workers:
    """The worker processes and HAProxy; :meth:`stop` ends them all."""

    def __init__(self, n: int, address: str, port: int, worker_ports: list[int] | None = None) -> None:
        self.address, self.port = address, port
        # w1, w2, … in the order of their ports
        self.worker_ports = sorted(worker_ports or [free_port() for _ in range(n)])
        self.procs: dict[int, subprocess.Popen] = {}
        self.haproxy: subprocess.Popen | None = None
        self.dir = Path(tempfile.mkdtemp(prefix="gxland-serve-"))
        # One cookie secret for every worker: a form's XSRF token is good on any of them.
        self.env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
                    or secrets.token_hex(32)}

    def start_worker(self, port: int) -> None:
        self.procs[port] = subprocess.Popen(worker_command(port), cwd=ROOT, env=self.env)

    def start(self) -> None:
        for p in self.worker_ports:
            self.start_worker(p)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not all(healthy(p) for p in self.worker_ports):
            if any(proc.poll() is not None for proc in self.procs.values()) or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("an app worker did not start (its messages are above)")
            time.sleep(0.25)
        cfg = self.dir / "haproxy.cfg"
        cfg.write_text(haproxy_config(self.address, self.port, self.worker_ports), encoding="utf-8")
        # -db: in the foreground, messages to this terminal.
        self.haproxy = subprocess.Popen([haproxy_binary(), "-db", "-f", str(cfg)], cwd=self.dir)

    def watch(self) -> None:
        """Until stopped: start again a worker that died; stop when HAProxy dies."""
        while True:
            time.sleep(1)
            if self.haproxy is not None and self.haproxy.poll() is not None:
                raise SystemExit(f"HAProxy stopped (exit {self.haproxy.returncode})")
            for port, proc in list(self.procs.items()):
                if proc.poll() is not None:
                    print(f"app worker on port {port} stopped (exit {proc.returncode}); starting it again",
                          file=sys.stderr, flush=True)
                    self.start_worker(port)

    def stop(self) -> None:
        procs = [p for p in [self.haproxy, *self.procs.values()] if p is not None]
        for p in procs:
            with contextlib.suppress(ProcessLookupError):
                p.terminate()
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2, help="app processes (default 2; 1: Streamlit alone)")
    ap.add_argument("--address", default=os.environ.get("GXLAND_ADDRESS", "127.0.0.1"), help="address browsers reach")
    ap.add_argument("--port", type=int, default=int(os.environ.get("GXLAND_PORT", "8501")))
    ap.add_argument("--worker-ports", type=int, nargs="+", help="the workers' loopback ports (default: free ones)")
    ap.add_argument("--print-haproxy-config", action="store_true", help="print HAProxy's configuration and exit")
    ap.add_argument("--run-worker", action="store_true", help=argparse.SUPPRESS)  # one app process (internal)
    args = ap.parse_args(argv)
    if args.workers < 1:
        ap.error("--workers must be at least 1")
    if args.worker_ports and len(args.worker_ports) != args.workers:
        ap.error(f"{args.workers} workers, {len(args.worker_ports)} ports")
    if args.print_haproxy_config:
        ports = args.worker_ports or [args.port + 100 + i for i in range(1, args.workers + 1)]
        print(haproxy_config(args.address, args.port, ports), end="")
        return 0
    if args.run_worker or args.workers == 1:
        return run_worker(args.port, args.address)
    workers = Workers(args.workers, args.address, args.port, args.worker_ports)

    def _stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    try:
        workers.start()
        print(f"serving on http://{args.address}:{args.port} with {args.workers} app workers"
              f" (ports {', '.join(map(str, workers.worker_ports))})", flush=True)
        workers.watch()
    except KeyboardInterrupt:
        pass
    finally:
        workers.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
