"""
How long the server spent on each script run — for the benchmark (``bench/app.py``) and for an
administrator who wants to see it: set ``GXLAND_RUN_LOG`` to a file and every run appends one
JSON line (session, page, wall-clock start and end in ms, server seconds, CPU seconds of the
run's thread). Unset (the default), nothing is measured or written.

The browser sees a run end when the last message has travelled and been drawn; this is the
server's part alone, which the issue-11 goals count ("≤ 0.5 s of server time").

``GXLAND_PROFILE`` naming a folder also profiles each run's thread (``cProfile``) into one
file per run there (``<start ms>-<session>.prof``, read with ``pstats``): where a run's time goes.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time

ENV = "GXLAND_RUN_LOG"
PROFILE_ENV = "GXLAND_PROFILE"
_lock = threading.Lock()
#: Set while a run is timed in this thread: a fragment inside a whole run is part of that run.
_timing = threading.local()


def fragment(fn):
    """
    ``st.fragment(fn)`` whose runs of its own (a click inside it reruns only it, not the script)
    are timed as a script run is; within a whole run it is part of that run's time.
    """
    import functools

    import streamlit as st

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with timed():
            return fn(*args, **kwargs)

    return st.fragment(run)


@contextlib.contextmanager
def timed():
    """Time the script run inside the block (also when it ends in ``st.stop``/``st.rerun``)."""
    path, profile_dir = os.environ.get(ENV), os.environ.get(PROFILE_ENV)
    if (not path and not profile_dir) or getattr(_timing, "on", False):
        yield
        return
    start_ms, t0, cpu0 = time.time() * 1000, time.perf_counter(), time.thread_time()
    profiler = None
    if profile_dir:
        import cProfile

        profiler = cProfile.Profile()  # this thread only: the run's
        profiler.enable()
    _timing.on = True
    try:
        yield
    finally:
        _timing.on = False
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if profiler is not None:
            profiler.disable()
            os.makedirs(profile_dir, exist_ok=True)
            profiler.dump_stats(os.path.join(profile_dir, f"{int(start_ms)}-{ctx.session_id if ctx else 'bare'}.prof"))
        if path:
            line = json.dumps({
                "session": ctx.session_id if ctx else None,
                "pid": os.getpid(),  # which app process (scripts/serve.py runs several)
                "page": ctx.page_script_hash if ctx else None,
                "start_ms": round(start_ms, 1),
                "end_ms": round(time.time() * 1000, 1),
                "server_s": round(time.perf_counter() - t0, 4),
                "cpu_s": round(time.thread_time() - cpu0, 4),
                # A fragment's run of its own (a click on a map), not the whole script.
                "fragment": bool(getattr(ctx, "fragment_ids_this_run", None)) if ctx else False,
            })
            with _lock, open(path, "a", encoding="utf-8") as f:
                f.write(line + "\n")


def record_prepared(start_ms: float, seconds: float, failed: list[str]) -> None:
    """
    One line for a version the server prepared in the background (``views/analysis.py``), told
    from script runs by ``"prepared": true``: which process, when, how long, what could not be.
    """
    path = os.environ.get(ENV)
    if not path:
        return
    line = json.dumps({"prepared": True, "pid": os.getpid(), "start_ms": round(start_ms, 1),
                       "end_ms": round(time.time() * 1000, 1), "server_s": round(seconds, 4), "failed": failed})
    with _lock, open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")
