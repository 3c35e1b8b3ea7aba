"""
How long the server spent on each script run — for the benchmark (``bench/app.py``) and for an
administrator who wants to see it: set ``GXLAND_RUN_LOG`` to a file and every run appends one
JSON line (session, page, wall-clock start and end in ms, server seconds, CPU seconds of the
run's thread). Unset (the default), nothing is measured or written.

The browser sees a run end when the last message has travelled and been drawn; this is the
server's part alone, which the issue-11 goals count ("≤ 0.5 s of server time").
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time

ENV = "GXLAND_RUN_LOG"
_lock = threading.Lock()


@contextlib.contextmanager
def timed():
    """Time the script run inside the block (also when it ends in ``st.stop``/``st.rerun``)."""
    path = os.environ.get(ENV)
    if not path:
        yield
        return
    start_ms, t0, cpu0 = time.time() * 1000, time.perf_counter(), time.thread_time()
    try:
        yield
    finally:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        line = json.dumps({
            "session": ctx.session_id if ctx else None,
            "page": ctx.page_script_hash if ctx else None,
            "start_ms": round(start_ms, 1),
            "end_ms": round(time.time() * 1000, 1),
            "server_s": round(time.perf_counter() - t0, 4),
            "cpu_s": round(time.thread_time() - cpu0, 4),
        })
        with _lock, open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
