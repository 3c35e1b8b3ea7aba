"""
The Streamlit app at a bureau's scale, measured in headless Chromium (issue 11).

Usage::

    .venv/bin/python bench/app.py                       # 5,000 and 50,000 parcels
    .venv/bin/python bench/app.py --sizes 5000 50000 250000
    .venv/bin/python bench/app.py --quick               # smoke run: 1,000 parcels, few repeats
    .venv/bin/python bench/app.py --compare bench/results/app-before-*.json [bench/out/app.json]
    .venv/bin/python bench/app.py --readme bench/results/app-before-*.json bench/out/app.json

For each size a workspace is generated and installed as an import would (``bench/_gen.py``;
cached under ``bench/out/``), ``streamlit run app.py`` serves it on a free port and Debian's
Chromium (Playwright) drives it. Measured:

- **floor**: ``/overview`` of a workspace without a parcel file — the app's own cost (sidebar,
  navigation, one page) when no page can load parcels; warm loads, once per run;
- **first load** of every page on a freshly started server (one server per page, so the
  page pays for reading the workspace) and **warm loads** (median of ``--repeat``) on a
  server that has shown every page once;
- **interactions**: a filter change on the idle page (a park added / removed), a what-if
  slider step on the efficiency page (min FAR ± 0.05), a click on the map (efficiency and
  idle pages), a new as-of date in the sidebar (idle page);
- **first load after an import**: on a copy of the workspace, a server that has shown every
  page once; another process installs a new version (``python -m geo import`` of the newest
  version's own parcel file, ``--mode replace``: the same parcels); then the tab that showed
  the pages before (the officer's open app; each load a new Streamlit session — before
  session 10 a new browser, whose first page also fetched and compiled the app's scripts)
  loads each map page once, idle first, ``--after-import-wait`` seconds (default 30) after the import
  returned — an officer who opens the page a little after the admin's import. The server
  prepares a new version in the background (``views/analysis.py``, it looks every
  ``GXLAND_PREPARE_EVERY_S`` = 5 s); ``--after-import-wait 0`` measures a visit at once, which
  waits for that preparing. ``--no-after-import`` skips it;
- **bytes** the server shipped over the websocket for each load and interaction
  (Playwright ``framereceived`` payloads summed);
- **server RSS** (the streamlit process and its children, from ``/proc``) after 0, 1, 4 and 8
  idle sessions, each having shown the idle and the efficiency page;
- **concurrency**: the idle filter and the efficiency slider, first in one session, then in
  four sessions at once, each in a Chromium of its own; the ratio of the medians. Measured
  twice: with the four browsers at the same CPU priority (on this machine they draw on the
  server's own cores), and "as on their own PCs": in each round three sessions act first and,
  once their change has left the browser, their browsers drop to the lowest priority
  (``nice 19``) and the fourth acts — its run overlaps theirs on the server, but their drawing
  no longer takes the server's cores; each session is measured in turn (needs root; Linux's
  autogroup scheduling is turned off for the run, else nice only counts within a session).

The server is ``scripts/serve.py``: ``--workers`` app processes (default 2, as the service runs
them, ``GXLAND_WORKERS``) behind HAProxy; ``--workers 1`` is Streamlit alone, as ``make run``.

Times: ``server`` is the server's own time for the runs an action caused, as the app logs
each run when ``GXLAND_RUN_LOG`` names a file (``views/runlog.py``; also its run thread's CPU
seconds, ``cpu_s``: the rest is waiting for the interpreter while other sessions run);
``run`` is action → the script finished (Streamlit's ``data-test-script-state`` back
to ``notRunning``, the last time when the page reruns itself); ``drawn`` is action → the last
DOM change in the page and its iframes (Leaflet's paths, tables), the last drawing on a canvas
(its attributes, 2D fills, strokes and text, WebGL draw calls; a change of a canvas's fallback
content is not drawing — st.dataframe's grid rewrites the screen-reader table it keeps there ~0.3 s
after it drew its cells, a debounce, which counted until session 12: ``fallback_s`` and
``drawn_with_fallback_s`` give the old rule's figure for the same loads) and, once WebGL has drawn, the end of the last long
main-thread task (mostly waiting for the software WebGL of headless Chromium), once the page
has been quiet for ``--quiet-ms`` with no network request in flight (``blob:`` addresses do not
count: the deck.gl chart starts two Web Workers from blobs, and one's request never finishes). A canvas
still redrawing ``CANVAS_BUSY_MS`` after the rest went quiet is an animation: the page counts as
settled and its redraws are left out of ``drawn`` (``canvas_animating``). Both are observed in the
browser (a MutationObserver injected into every frame), so they include the websocket and
the browser's own work, and they are noisy on a shared machine: the machine's load is
recorded with the results. An interaction after which the script did not run (a click that
hit no parcel, or the parcel already selected) is counted as ``no_rerun`` and left out of the
medians. Nothing here asserts a time.

Writes ``bench/out/app.json`` (``--out``) and prints Markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

CHROMIUM = os.environ.get("GXLAND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = ("overview", "idle", "intensity", "compare", "eco", "assess", "data")
#: Pages that draw a map (Leaflet in st_folium's iframe, or a deck.gl canvas).
MAP_PAGES = frozenset({"overview", "idle", "intensity", "compare", "eco", "assess"})
INTERACTIONS = ("idle.filter", "intensity.slider", "intensity.click", "idle.click", "idle.as_of")
CONCURRENT = ("idle.filter", "intensity.slider")
#: Map pages visited, in this order, by a new session after an import (the first pays for reading
#: the new version, if the server has not read it already).
AFTER_IMPORT_PAGES = ("idle", "intensity", "overview", "compare", "eco", "assess")
IMPORT_TIMEOUT_S = 1800
SESSION_STEPS = (1, 4, 8)
DEFAULT_SIZES = (5000, 50000)
QUICK_SIZES = (1000,)
VIEWPORT = {"width": 1400, "height": 1000}
OUT_JSON = REPO_ROOT / "bench" / "out" / "app.json"
SERVER_START_TIMEOUT_S = 90
#: A canvas still drawing this long after the rest of the page went quiet is animating (a redraw
#: per frame), not finishing a picture: the page counts as settled.
CANVAS_BUSY_MS = 5000
#: Requests that reach the network (the server): a ``blob:`` or ``data:`` address is the browser's
#: own memory — of the two Web Workers the deck.gl chart starts from blobs, Playwright reports one
#: request that never finishes (the hang at 250k parcels).
NETWORK_SCHEMES = ("http:", "https:")

# Injected into every frame (the app and st_folium's iframe): the time of the last DOM change and
# every change of Streamlit's script state, in epoch milliseconds (comparable across frames and
# with Python's clock). A canvas draws without changing the DOM: ``lastPaint`` is the last sign of
# drawing on one (an attribute change of a <canvas>, a WebGL draw call), and, once WebGL has drawn,
# ``lastBusy`` the end of the last long main-thread task (the draw calls return long before the
# picture is there: at 250k parcels the page then waits ~25 s for headless Chromium's software WebGL,
# and a click waits ~30 s in deck.gl's picking ``readPixels``, by a CPU profile).
INIT_JS = """
(() => {
  if (window.__bench) return;
  const now = () => performance.timeOrigin + performance.now();
  const b = window.__bench = {lastMut: now(), states: [], lastPaint: 0, lastBusy: 0, lastFallback: 0, gl: 0, glFirst: 0,
                               flush: () => {}};
  // A canvas's children are its fallback content, never painted while the canvas is supported:
  // st.dataframe's grid writes its cells there for screen readers ~0.3 s after it drew them (a
  // debounce), so a change inside a canvas is no drawing (its painting is seen by the hooks below).
  const inCanvas = n => { for (let x = n; x; x = x.parentNode) if (x.nodeName === 'CANVAS') return true; return false; };
  new MutationObserver(recs => {
    const t = now();
    let dom = false;
    for (const r of recs) {
      if (r.type === 'attributes' && r.target.nodeName === 'CANVAS') { b.lastPaint = t; continue; }
      if (r.type !== 'attributes' && inCanvas(r.target)) { b.lastFallback = t; continue; }
      dom = true;
      if (r.type === 'attributes' && r.attributeName === 'data-test-script-state')
        b.states.push([r.target.getAttribute('data-test-script-state'), t]);
    }
    if (dom) b.lastMut = t;
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  for (const C of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    if (!C) continue;
    for (const m of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced', 'drawRangeElements']) {
      const f = C.prototype[m];
      if (!f) continue;
      C.prototype[m] = function (...a) {
        const t = now();
        b.gl++;
        if (!b.glFirst) b.glFirst = t;
        if (t > b.lastPaint) b.lastPaint = t;
        return f.apply(this, a);
      };
    }
  }
  // A 2D canvas draws without changing the DOM either (Leaflet's canvas renderer, the parcels'
  // canvas of layers/canvas.py, st.dataframe's grid): its last fill, stroke or text is a sign of drawing.
  if (window.CanvasRenderingContext2D) {
    for (const m of ['fill', 'stroke', 'drawImage', 'putImageData', 'fillRect', 'strokeRect', 'fillText',
                     'strokeText', 'clearRect']) {
      const f = CanvasRenderingContext2D.prototype[m];
      if (!f) continue;
      CanvasRenderingContext2D.prototype[m] = function (...a) {
        const t = now();
        if (t > b.lastPaint) b.lastPaint = t;
        return f.apply(this, a);
      };
    }
  }
  const seen = list => {
    for (const e of list) {
      const end = performance.timeOrigin + e.startTime + e.duration;
      if (b.glFirst && end >= b.glFirst && end > b.lastBusy) b.lastBusy = end;
    }
  };
  try {
    const lt = new PerformanceObserver(l => seen(l.getEntries()));
    lt.observe({type: 'longtask'});
    b.flush = () => seen(lt.takeRecords());  // a task that just ended, before its entry is delivered
  } catch (e) {}
})();
"""

# One look at the page: script state, its changes since t0, the last DOM change in any frame,
# what map is drawn, whether Streamlit shows an exception.
PROBE_JS = """
(t0) => {
  const app = document.querySelector("[data-testid='stApp']");
  const b = window.__bench || {states: [], lastMut: 0, lastPaint: 0, lastBusy: 0, lastFallback: 0, gl: 0};
  if (b.flush) b.flush();
  let lastMut = b.lastMut, lastPaint = b.lastPaint, lastBusy = b.lastBusy, lastFallback = b.lastFallback || 0,
      gl = b.gl, leaflet = 0, leafletCanvas = 0;
  const docs = [document];
  for (const f of document.querySelectorAll('iframe')) {
    try {
      const w = f.contentWindow, fb = w.__bench;
      if (fb) {
        if (fb.flush) fb.flush();
        lastMut = Math.max(lastMut, fb.lastMut);
        lastPaint = Math.max(lastPaint, fb.lastPaint);
        lastBusy = Math.max(lastBusy, fb.lastBusy);
        lastFallback = Math.max(lastFallback, fb.lastFallback || 0);
        gl += fb.gl;
      }
      if (w.document) docs.push(w.document);
    } catch (e) {}
  }
  for (const d of docs) {
    leaflet += d.querySelectorAll('path.leaflet-interactive').length;
    leafletCanvas += d.querySelectorAll('.leaflet-container canvas').length;
  }
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    states: b.states.filter(s => s[1] >= t0),
    lastMut, lastPaint, lastBusy, lastFallback, gl,
    leaflet, leafletCanvas,
    deck: document.querySelectorAll("[data-testid='stDeckGlJsonChart'] canvas").length,
    exception: document.querySelectorAll("[data-testid='stException']").length,
  };
}
"""


# In st_folium's iframe: the view-port positions of the parcels' centres (features with a
# parcel_id, or those a parcel canvas lists) and where the map sits in the iframe.
PARCEL_SPOTS_JS = """
() => {
  const key = Object.keys(window).find(k => k.startsWith('map_') && window[k] && window[k].latLngToContainerPoint);
  if (!key) return null;
  const map = window[key], size = map.getSize(), pts = [];
  map.eachLayer(l => {
    if (l.gxSpots) { pts.push(...l.gxSpots()); return; }  // parcels on one canvas (layers/canvas.py)
    const f = l.feature;
    if (!f || !f.properties || f.properties.parcel_id == null || !l.getBounds) return;
    const p = map.latLngToContainerPoint(l.getBounds().getCenter());
    if (p.x > 10 && p.y > 10 && p.x < size.x - 10 && p.y < size.y - 10) pts.push([p.x, p.y]);
  });
  const r = map.getContainer().getBoundingClientRect();
  return {pts, left: r.left, top: r.top};
}
"""


def now_ms() -> float:
    return time.time() * 1000.0


# ============================================================================ machine & server


def machine() -> dict:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_gb": mem_gb, "python": platform.python_version(),
            "loadavg_start": loadavg(), "cpu_probe_s_start": cpu_probe_s()}


#: Iterations of :func:`cpu_probe_s`'s loop (~0.4–0.9 s on the 2-core benchmark machine).
CPU_PROBE_N = 30_000_000


def cpu_probe_s(n: int | None = None, repeat: int = 3) -> float:
    """
    Seconds one core takes for a fixed pure-Python loop (the best of ``repeat``), at the start and
    end of a run: the shared machine's speed varied about twofold between sessions with the same
    load average (the floor, the same page, 0.71 s in one session and 1.33 s in the next), so runs
    are compared with their probe and their floor beside them.
    """
    n = CPU_PROBE_N if n is None else n
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        sum(range(n))
        best = min(best, time.perf_counter() - t)
    return round(best, 3)


def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def git_state() -> dict:
    def run(*args) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": run("rev-parse", "--short", "HEAD"), "branch": run("rev-parse", "--abbrev-ref", "HEAD"),
            "dirty": bool(run("status", "--porcelain", "--untracked-files=no"))}


def tree_rss_mb(pid: int) -> float | None:
    """Resident memory of ``pid`` and all its descendants (MB), from /proc."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d.name))
    total_kb, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except (OSError, ValueError):
            if p == pid:
                return None
        todo.extend(children.get(p, []))
    return round(total_kb / 1024, 1)


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serving(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


class Server:
    """``streamlit run app.py`` on a free port serving ``workspace``; ``async with`` starts and stops it."""

    def __init__(self, workspace: Path, workers: int = 1) -> None:
        self.workspace = workspace
        #: App processes; from 2 on, ``scripts/serve.py`` runs them behind HAProxy.
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = None
        self.start_s: float | None = None
        # The app's own record of each script run (views/runlog.py): the server's time.
        fd, name = tempfile.mkstemp(prefix="gxland-runs-", suffix=".jsonl")
        os.close(fd)
        self.run_log = Path(name)

    async def __aenter__(self) -> Server:
        # As `make run` starts the app (one process: Streamlit alone).
        cmd = [sys.executable, str(REPO_ROOT / "scripts" / "serve.py"), "--workers", str(self.workers),
               "--address", "127.0.0.1", "--port", str(self.port)]
        self.log = tempfile.TemporaryFile()
        t0 = time.perf_counter()
        env = {**os.environ, "GXLAND_WORKSPACE": str(self.workspace), "GXLAND_RUN_LOG": str(self.run_log)}
        self.proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not await asyncio.to_thread(_serving, f"{self.url}/_stcore/health"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                await self.__aexit__(None, None, None)
                raise RuntimeError(f"streamlit did not start on {self.url}:\n{self.tail()}")
            await asyncio.sleep(0.25)
        self.start_s = round(time.perf_counter() - t0, 2)
        return self

    def tail(self, n: int = 3000) -> str:
        if self.log is None or self.log.closed:
            return ""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-n:]

    def rss_mb(self) -> float | None:
        return tree_rss_mb(self.proc.pid) if self.proc else None

    def runs(self, since_ms: float, session: str | None = None) -> list[dict]:
        """The script runs the app logged that started at or after ``since_ms`` (of one session)."""
        out = []
        with contextlib.suppress(FileNotFoundError):
            for line in self.run_log.read_text(encoding="utf-8").splitlines():
                with contextlib.suppress(ValueError):
                    r = json.loads(line)
                    if r.get("prepared"):  # a version prepared in the background: not a script run
                        continue
                    if r["start_ms"] >= since_ms - 50 and (session is None or r["session"] == session):
                        out.append(r)
        return out

    def prepared(self, since_ms: float = 0) -> list[dict]:
        """The versions the server's processes prepared in the background since ``since_ms``."""
        with contextlib.suppress(FileNotFoundError):
            lines = [json.loads(x) for x in self.run_log.read_text(encoding="utf-8").splitlines() if x.strip()]
            return [r for r in lines if r.get("prepared") and r["start_ms"] >= since_ms - 50]
        return []

    async def __aexit__(self, *exc) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                await asyncio.to_thread(self.proc.wait, 15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                await asyncio.to_thread(self.proc.wait, 15)
            self.proc = None
        if self.log is not None:
            self.log.close()
        self.run_log.unlink(missing_ok=True)


# ============================================================================ one browser session


BENCH_ACCOUNT = "基准测试"


def _session_token(workspace: Path) -> str:
    """A login session of the workspace's bench admin (created with a random password when absent)."""
    import secrets

    from geo.accounts import AccountStore

    store = AccountStore.in_workspace(workspace)
    if store.get(BENCH_ACCOUNT) is None:
        password = secrets.token_urlsafe(16)
        store.add(BENCH_ACCOUNT, "admin", password=password)
        store.change_password(BENCH_ACCOUNT, password, secrets.token_urlsafe(16))
    return store.open_session(store.get(BENCH_ACCOUNT))


def has_map(p: dict) -> bool:
    """A map is drawn: Leaflet's paths or canvas, or a deck.gl canvas WebGL has drawn on."""
    return p["leaflet"] + p["leafletCanvas"] > 0 or (p["deck"] > 0 and p.get("gl", 0) > 0)


def map_kind(p: dict) -> str | None:
    if p["deck"]:
        return "deck" if p.get("gl", 0) else "deck-undrawn"
    if p["leaflet"]:
        return f"leaflet:{p['leaflet']}"
    return "leaflet-canvas" if p["leafletCanvas"] else None


def canvas_quiet(t: float, last_paint: float, quiet_ms: float, busy_since: float | None
                 ) -> tuple[bool, float | None]:
    """
    Whether the canvases are done drawing at ``t`` (epoch ms), and since when they have been the
    only thing still moving.

    ``busy_since`` is the time of the first probe that saw the rest of the page quiet while a
    canvas was still drawing (None: not seen yet; the caller resets it while the rest is not
    quiet). A canvas is done when it has not drawn for ``quiet_ms``, or when it has kept
    drawing for ``CANVAS_BUSY_MS`` of probes since (an animation). The time counts from a
    probe, not from the last DOM change: a probe waits while the main thread is busy, so a page
    that was busy drawing for 20 s is not taken for an animation.
    """
    if t - last_paint >= quiet_ms:
        return True, None
    if busy_since is None:
        return False, t
    return t - busy_since >= CANVAS_BUSY_MS, busy_since


class Session:
    """One browser context and page (one Streamlit session per page load) with a websocket meter."""

    def __init__(self, context, page, *, quiet_ms: int, timeout_s: float, server: Server | None = None) -> None:
        self.context, self.page = context, page
        self.server = server
        #: The Streamlit session of this page (from the server's run log, after ``_ready``): its
        #: runs are told from those of other sessions interacting at the same time.
        self.server_session: str | None = None
        self.quiet_ms, self.timeout_s = quiet_ms, timeout_s
        self.ws_bytes = 0
        self.ws_frames = 0
        #: Websocket frames the page sent (a widget's change reaching the server).
        self.ws_sent = 0
        self.last_frame = 0.0
        #: Network requests started and not finished (request → address).
        self.pending: dict = {}
        self.last_request = 0.0
        page.on("websocket", self._on_ws)
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_request_done)
        page.on("requestfailed", self._on_request_done)

    @classmethod
    async def open(cls, browser, *, workspace: Path, quiet_ms: int, timeout_s: float,
                   server: Server | None = None) -> Session:
        context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        await context.add_init_script(INIT_JS)
        # Logged in as the bench's admin: a session of the workspace's accounts in the app's cookie.
        await context.add_cookies([{"name": "gxland_session", "value": _session_token(workspace),
                                    "domain": "127.0.0.1", "path": "/"}])
        page = await context.new_page()
        return cls(context, page, quiet_ms=quiet_ms, timeout_s=timeout_s, server=server)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.context.close()

    def _on_ws(self, ws) -> None:
        ws.on("framereceived", self._on_frame)
        ws.on("framesent", self._on_sent)

    def _on_sent(self, payload) -> None:
        self.ws_sent += 1

    def _on_frame(self, payload) -> None:
        self.ws_bytes += len(payload.encode() if isinstance(payload, str) else payload)
        self.ws_frames += 1
        self.last_frame = now_ms()

    @property
    def inflight(self) -> int:
        return len(self.pending)

    def _on_request(self, request) -> None:
        if not request.url.startswith(NETWORK_SCHEMES):
            return
        self.pending[request] = request.url
        self.last_request = now_ms()

    def _on_request_done(self, request) -> None:
        if self.pending.pop(request, None) is not None:
            self.last_request = now_ms()

    async def probe(self, t0: float) -> dict | None:
        try:
            return await self.page.evaluate(PROBE_JS, t0)
        except Exception:  # navigating: the old document is gone, the new one not there yet
            return None

    async def settle(self, t0: float, *, want_map: bool, expect_rerun: bool = True) -> dict:
        """
        Wait until the page has finished what the action at ``t0`` (epoch ms) started.

        Finished: the script ran and stopped after ``t0`` (or, when ``expect_rerun`` is false or
        nothing ran within 5 s, the page stayed idle), no DOM change, websocket frame, network
        request or (once WebGL has drawn) long main-thread task for ``quiet_ms``, no drawing on a
        canvas for ``quiet_ms`` either (or only that for ``CANVAS_BUSY_MS``: see
        :func:`canvas_quiet`), and — on a map page — a map present (Leaflet's paths or canvas, or
        a deck.gl canvas WebGL has drawn on) or 3 s of quiet past it.
        """
        bytes0, frames0 = self.ws_bytes, self.ws_frames
        deadline = t0 + self.timeout_s * 1000
        timed_out = False
        busy_since: float | None = None
        p = None
        while True:
            await asyncio.sleep(0.05)
            t = now_ms()
            p = await self.probe(t0) or p
            if p is None:
                if t > deadline:
                    timed_out = True
                    break
                continue
            t = now_ms()  # a probe waits while the page's main thread is busy
            done = [ts for s, ts in p["states"] if s == "notRunning"]
            ran = any(s == "running" for s, _ in p["states"])
            idle = p["state"] == "notRunning"
            # Long tasks after WebGL first drew are the map being drawn: no page counts as settled
            # while they go on.
            last = max(p["lastMut"], p["lastBusy"], self.last_frame, self.last_request, *(done[-1:] or [t0]))
            quiet = idle and self.inflight == 0 and t - last >= self.quiet_ms
            paint_quiet, busy_since = canvas_quiet(t, p["lastPaint"], self.quiet_ms, busy_since)
            if not quiet:
                busy_since = None
            finished = bool(done) or ((not expect_rerun or t - t0 > 5000) and not ran)
            map_ok = not want_map or has_map(p) or t - last >= 3000
            if finished and quiet and paint_quiet and map_ok:
                break
            if t > deadline:
                timed_out = True
                break
        p = p or {"states": [], "lastMut": t0, "lastPaint": 0, "lastBusy": 0, "gl": 0, "leaflet": 0, "leafletCanvas": 0,
                  "deck": 0, "exception": 0}
        done = [ts for s, ts in p["states"] if s == "notRunning"]
        run_end = done[-1] if done else None
        # A canvas that kept redrawing: its frames are not the end of drawing the page.
        animating = busy_since is not None and now_ms() - p["lastPaint"] < self.quiet_ms
        drawn_end = max(p["lastMut"], p["lastBusy"], run_end or t0, 0 if animating else p["lastPaint"])
        out = {
            "run_s": round((run_end - t0) / 1000, 3) if run_end else None,
            "drawn_s": round((drawn_end - t0) / 1000, 3),
            "ws_bytes": self.ws_bytes - bytes0,
            "ws_frames": self.ws_frames - frames0,
            "reruns": sum(1 for s, _ in p["states"] if s == "running"),
            "map": map_kind(p),
            "exception": bool(p["exception"]),
            "timeout": timed_out,
            **self.server_time(t0),
        }
        if animating:
            out["canvas_animating"] = True
        if p.get("lastFallback", 0) >= t0:
            # the last change of a canvas's fallback content (st.dataframe's screen-reader table):
            # before session 12 it counted as drawing, so max(drawn_s, fallback_s) is the old rule's
            out["fallback_s"] = round((p["lastFallback"] - t0) / 1000, 3)
        if timed_out and self.pending:
            out["pending"] = sorted(self.pending.values())[:5]
        return out

    def server_time(self, t0: float) -> dict:
        """
        The server's seconds (and its run thread's CPU seconds) for the runs since ``t0``: this
        session's, or — before its session is known (a page load) — every session's, which is
        this one's while one page loads at a time.
        """
        if self.server is None:
            return {}
        runs = self.server.runs(t0, self.server_session)
        if not runs:
            return {"server_s": None, "cpu_s": None, "server_runs": 0}
        return {"server_s": round(sum(r["server_s"] for r in runs), 3),
                "cpu_s": round(sum(r["cpu_s"] for r in runs), 3), "server_runs": len(runs),
                "session": runs[-1]["session"]}

    async def load(self, url: str, page_name: str) -> dict:
        t0 = now_ms()
        await self.page.goto(url, wait_until="commit", timeout=self.timeout_s * 1000)
        return await self.settle(t0, want_map=page_name in MAP_PAGES)

    async def nav(self, base: str, page_name: str) -> dict:
        """Go to another page in the same session (the sidebar's navigation link)."""
        link = self.page.locator(f"[data-testid='stSidebarNav'] a[href$='/{page_name}']").first
        t0 = now_ms()
        await link.click(timeout=self.timeout_s * 1000)
        return await self.settle(t0, want_map=page_name in MAP_PAGES)


# ============================================================================ interactions


def ui(key: str) -> str:
    import words

    return words.label("ui", key, "zh")


class Interactions:
    """The issue's interactions, each toggling between two states so that it can be repeated."""

    def __init__(self) -> None:
        self.park_name = self._second_park_name()

    @staticmethod
    def _second_park_name() -> str:
        from _gen import read_parks

        parks = read_parks()
        return str(parks["name_zh"].iloc[1])

    async def run(self, s: Session, name: str, step: int) -> dict:
        return await getattr(self, name.replace(".", "_"))(s, step)

    async def idle_filter(self, s: Session, step: int) -> dict:
        box = s.page.get_by_test_id("stMultiSelect").filter(has_text=ui("pick_parks")).first
        inp = box.locator("input").first
        await inp.click()
        if step % 2 == 0:  # add the second park
            await inp.fill(self.park_name[:4])
            await s.page.wait_for_timeout(300)
            t0 = now_ms()
            await inp.press("Enter")
        else:  # remove the last park picked
            t0 = now_ms()
            await inp.press("Backspace")
        out = await s.settle(t0, want_map=True)
        await inp.press("Escape")
        return out

    async def intensity_slider(self, s: Session, step: int) -> dict:
        thumb = s.page.get_by_test_id("stSlider").filter(has_text="最低容积率").get_by_role("slider").first
        await thumb.focus()
        t0 = now_ms()
        await thumb.press("ArrowRight" if step % 2 == 0 else "ArrowLeft")
        return await s.settle(t0, want_map=True)

    async def _click_map(self, s: Session, step: int) -> dict:
        # Leaflet draws big maps on a canvas (no element per parcel): ask the map where its
        # parcels are and click there with the mouse, as a user does.
        iframe = s.page.locator("iframe[title*='st_folium'], iframe[title*='streamlit_folium']").first
        if not await iframe.count():
            return await self._click_deck(s)
        await iframe.scroll_into_view_if_needed()
        frame = await (await iframe.element_handle()).content_frame()
        spots = await frame.evaluate(PARCEL_SPOTS_JS)
        if not spots or not spots["pts"]:
            return {"skipped": "no parcel in view on the folium map"}
        box = await iframe.bounding_box()
        # Only points inside the browser's view port can be clicked.
        pts = [(x, y) for x, y in spots["pts"] if 0 < box["y"] + spots["top"] + y < VIEWPORT["height"]]
        if not pts:
            return {"skipped": "no parcel of the folium map inside the view port"}
        x, y = pts[(len(pts) // 3 + step * 7919) % len(pts)]
        t0 = now_ms()
        await s.page.mouse.click(box["x"] + spots["left"] + x, box["y"] + spots["top"] + y)
        return await s.settle(t0, want_map=True)

    async def _click_deck(self, s: Session) -> dict:
        """A WebGL (deck.gl) map: a click at the middle of its canvas, where the parcels are densest."""
        canvas = s.page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
        if not await canvas.count():
            return {"skipped": "no map on the page"}
        await canvas.scroll_into_view_if_needed()
        box = await canvas.bounding_box()
        t0 = now_ms()
        await s.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        return {**await s.settle(t0, want_map=True), "target": "deck.gl canvas, middle"}

    async def intensity_click(self, s: Session, step: int) -> dict:
        return await self._click_map(s, step)

    async def idle_click(self, s: Session, step: int) -> dict:
        return await self._click_map(s, step)

    async def idle_as_of(self, s: Session, step: int) -> dict:
        # Streamlit's date field commits a date picked in its calendar: open it, move a month
        # back (even steps) or forward (odd steps) from the date shown, pick with Enter.
        box = s.page.get_by_test_id("stDateInput").filter(has_text=ui("as_of")).first
        await box.get_by_test_id("stDateInputCalendarButton").click()
        await s.page.get_by_role("dialog").first.wait_for()
        await s.page.keyboard.press("PageUp" if step % 2 == 0 else "PageDown")
        t0 = now_ms()
        await s.page.keyboard.press("Enter")
        return await s.settle(t0, want_map=True)


INTERACTION_PAGE = {name: name.split(".")[0] for name in INTERACTIONS}


# ============================================================================ statistics


def median_of(samples: list[dict], key: str) -> float | None:
    vals = [x[key] for x in samples if x.get(key) is not None and not x.get("timeout")]
    return round(statistics.median(vals), 3) if vals else None


def summary(samples: list[dict], *, interaction: bool = False) -> dict:
    """
    Medians of a list of measurements, with the samples themselves.

    For an interaction, a sample after which the script did not run (a click beside every
    parcel, on the parcel already selected) measured nothing: it is counted as ``no_rerun``
    and left out of the medians.
    """
    real = [x for x in samples if "skipped" not in x]
    idle_drawn = None
    if interaction:
        kept = [x for x in real if x.get("reruns", 1) > 0 or x.get("timeout")]
        # The browser may still work after an action the server ignored (deck.gl picking a
        # parcel under a click): how long, apart from the medians.
        idle_drawn = median_of([x for x in real if x not in kept], "drawn_s")
        no_rerun, real = len(real) - len(kept), kept
    out = {k: median_of(real, k) for k in ("run_s", "drawn_s", "ws_bytes", "server_s", "cpu_s")}
    out["max_drawn_s"] = max((x["drawn_s"] for x in real if x.get("drawn_s") is not None), default=None)
    # As before session 12, when a canvas's fallback content (st.dataframe's screen-reader table)
    # counted as drawing: the rules' difference, on the same loads.
    with_fallback = [max(x["drawn_s"], x.get("fallback_s") or 0) for x in real if x.get("drawn_s") is not None]
    out["drawn_with_fallback_s"] = round(statistics.median(with_fallback), 3) if with_fallback else None
    out["n"] = len(real)
    out["timeouts"] = sum(1 for x in real if x.get("timeout"))
    out["exceptions"] = sum(1 for x in real if x.get("exception"))
    out["map"] = next((x.get("map") for x in reversed(real) if x.get("map")), None)
    if interaction:
        out["no_rerun"] = no_rerun
        out["no_rerun_drawn_s"] = idle_drawn
    if any("skipped" in x for x in samples):
        out["skipped"] = next(x["skipped"] for x in samples if "skipped" in x)
    out["samples"] = samples
    return out


# ============================================================================ the run


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


async def measure_floor(browser, args) -> dict:
    from _gen import empty_workspace

    samples = []
    async with Server(empty_workspace(), args.workers) as srv:
        s = await Session.open(browser, workspace=srv.workspace, server=srv, quiet_ms=args.quiet_ms, timeout_s=args.timeout)
        try:
            await s.load(f"{srv.url}/overview", "data")  # first visit, not counted
            for _ in range(args.repeat):
                samples.append(await s.load(f"{srv.url}/overview", "data"))
        finally:
            await s.close()
    log(f"floor: {summary(samples)['drawn_s']} s")
    return {"page": "/overview on a workspace without a parcel file", **summary(samples)}


async def measure_cold(browser, ws: Path, args) -> dict:
    out = {}
    for name in args.pages:
        async with Server(ws, args.workers) as srv:
            s = await Session.open(browser, workspace=srv.workspace, server=srv, quiet_ms=args.quiet_ms, timeout_s=args.timeout)
            try:
                r = await s.load(f"{srv.url}/{name}", name)
            finally:
                await s.close()
            r["rss_mb"] = srv.rss_mb()
            r["server_start_s"] = srv.start_s
        log(f"  cold /{name}: run {r['run_s']} s, drawn {r['drawn_s']} s, {r['ws_bytes'] / 1e6:.2f} MB, {r['map']}")
        out[name] = r
    return out


async def measure_sessions(browser, srv: Server, args) -> dict:
    """RSS after 0, 1, 4, 8 idle sessions, each having shown the idle and the efficiency page."""
    rss = {"0": srv.rss_mb()}
    sessions: list[Session] = []
    try:
        for target in args.sessions:
            while len(sessions) < target:
                s = await Session.open(browser, workspace=srv.workspace, server=srv, quiet_ms=args.quiet_ms, timeout_s=args.timeout)
                sessions.append(s)
                await s.load(f"{srv.url}/idle", "idle")
                await s.nav(srv.url, "intensity")
            await asyncio.sleep(2)
            rss[str(target)] = srv.rss_mb()
            log(f"  RSS after {target} session(s): {rss[str(target)]} MB")
    finally:
        for s in sessions:
            await s.close()
    return rss


async def measure_warm(browser, srv: Server, args) -> dict:
    s = await Session.open(browser, workspace=srv.workspace, server=srv, quiet_ms=args.quiet_ms, timeout_s=args.timeout)
    samples: dict[str, list] = {p: [] for p in args.pages}
    try:
        for name in args.pages:  # every page once, so that every cache is filled
            await s.load(f"{srv.url}/{name}", name)
        for _ in range(args.repeat):
            for name in args.pages:
                samples[name].append(await s.load(f"{srv.url}/{name}", name))
    finally:
        await s.close()
    out = {name: summary(v) for name, v in samples.items()}
    for name, v in out.items():
        log(f"  warm /{name}: run {v['run_s']} s, drawn {v['drawn_s']} s, {(v['ws_bytes'] or 0) / 1e6:.2f} MB")
    return out


async def _ready(s: Session, srv: Server, page_name: str) -> None:
    r = await s.load(f"{srv.url}/{page_name}", page_name)
    s.server_session = r.get("session")  # pages are readied one at a time: the runs were this page's
    if r["timeout"] or r["exception"]:
        log(f"  warning: /{page_name} {'timed out' if r['timeout'] else 'shows an exception'} before interacting")


async def measure_interactions(browser, srv: Server, acts: Interactions, args) -> dict:
    out = {}
    for name in args.interactions:
        s = await Session.open(browser, workspace=srv.workspace, server=srv, quiet_ms=args.quiet_ms, timeout_s=args.timeout)
        samples = []
        try:
            await _ready(s, srv, INTERACTION_PAGE[name])
            for step in range(args.steps):
                try:
                    samples.append(await acts.run(s, name, step))
                except Exception as exc:  # a widget not found: recorded, the run goes on
                    samples.append({"skipped": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"})
                    break
        finally:
            await s.close()
        out[name] = summary(samples, interaction=True)
        v = out[name]
        log(f"  {name}: server {v['server_s']} s (cpu {v['cpu_s']} s), run {v['run_s']} s, drawn {v['drawn_s']} s,"
            f" {(v['ws_bytes'] or 0) / 1e3:.0f} KB"
            + (f" ({v['skipped']})" if v.get("skipped") else ""))
    return out


def _proc_tree(root: int) -> list[int]:
    """``root`` and every process below it (from ``/proc``)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _browser_pid(tag: str) -> int | None:
    """The Chromium browser process launched with ``--gxland-bench-browser=<tag>``."""
    needle = f"--gxland-bench-browser={tag}".encode()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if needle in cmdline.read_bytes().split(b"\0"):
                return int(cmdline.parent.name)
    return None


def renice_browser(tag: str, nice: int) -> None:
    """Every thread of one Chromium and its children (renderers, GPU process) to ``nice``."""
    pid = _browser_pid(tag)
    if pid is None:
        raise RuntimeError(f"Chromium {tag} not found in /proc")
    for proc in _proc_tree(pid):
        for task in Path(f"/proc/{proc}/task").glob("[0-9]*"):
            with contextlib.suppress(ProcessLookupError, FileNotFoundError):
                os.setpriority(os.PRIO_PROCESS, int(task.name), nice)


AUTOGROUP = Path("/proc/sys/kernel/sched_autogroup_enabled")
#: The autogroup setting while the benchmark ran (None: no such setting), see :func:`no_autogroup`.
AUTOGROUP_WAS: str | None = None


@contextlib.contextmanager
def no_autogroup():
    """
    Linux's autogroup scheduling off while the block runs (restored after), for the processes
    started meanwhile: with it, the kernel first shares the CPU between sessions (the server's,
    the browsers') and a browser's nice value only counts within its own session, so lowering it
    changes nothing; a task keeps the group it started in, so it is turned off before anything
    starts. Needs root: without it the block runs with autogroup as it is.
    """
    global AUTOGROUP_WAS
    try:
        before = AUTOGROUP.read_text().strip()
    except OSError:  # a kernel without autogroup: nice values count as they are
        yield
        return
    changed = False
    if before != "0":
        try:
            AUTOGROUP.write_text("0")
            changed = True
        except PermissionError:
            pass
    AUTOGROUP_WAS = "0" if changed else before
    try:
        yield
    finally:
        if changed:
            AUTOGROUP.write_text(before)


@contextlib.contextmanager
def kept_autogroup():
    """
    The machine's own scheduling left as it is (``--autogroup keep``): with Linux's default
    autogroup, the server's processes and the browser's share the cores as groups, so a page
    drawing in the browser takes less of the server's time — closer to an officer's browser on a
    PC of its own than the default run, where every thread of both competes for the two cores.
    The concurrency test's "as on their own PCs" figure needs autogroup off and is then skipped.
    """
    global AUTOGROUP_WAS
    try:
        AUTOGROUP_WAS = AUTOGROUP.read_text().strip()
    except OSError:
        AUTOGROUP_WAS = None
    yield


def scheduling(mode: str):
    """``no_autogroup()`` for ``off`` (the default), :func:`kept_autogroup` for ``keep``."""
    return kept_autogroup() if mode == "keep" else no_autogroup()


async def launch_browser(pw, tag: str | None = None):
    extra = [f"--gxland-bench-browser={tag}"] if tag else []
    return await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + extra)


async def measure_concurrency(pw, srv: Server, acts: Interactions, args) -> dict:
    """
    One session alone, then ``--concurrency`` sessions acting at once, each in a Chromium of its own.

    Two figures. ``concurrent``: every browser at the same priority — on this machine the four
    browsers draw on the server's own two cores. ``concurrent_own_pc``: in each round one session
    is measured while the other browsers run at the lowest CPU priority (``nice 19``), as if each
    officer's browser were on a PC of its own; the server's work for all of them is the same, at
    the usual priority. Each session is measured in turn. Linux's autogroup scheduling is turned
    off for the whole run (:func:`no_autogroup`), else nice values only count within a session.
    Both need root: without it that figure is left out.
    """
    out = {}
    tags = [f"{os.getpid()}-{i}" for i in range(args.concurrency)]
    for name in CONCURRENT:
        browsers = [await launch_browser(pw, tag) for tag in tags]
        sessions = [await Session.open(b, workspace=srv.workspace, server=srv, quiet_ms=args.quiet_ms, timeout_s=args.timeout)
                    for b in browsers]
        own_pc: list[dict] = []
        own_pc_note = None
        try:
            for s in sessions:
                await _ready(s, srv, INTERACTION_PAGE[name])
            single = [await acts.run(sessions[0], name, step) for step in range(args.rounds)]
            many: list[dict] = []
            for r in range(args.rounds):
                step = args.rounds + r
                many.extend(await asyncio.gather(*(acts.run(s, name, step) for s in sessions)))
            step = 2 * args.rounds
            try:
                if AUTOGROUP_WAS is not None and AUTOGROUP_WAS != "0":
                    raise PermissionError
                for r in range(args.rounds):
                    measured = r % len(sessions)
                    others = [i for i in range(len(sessions)) if i != measured]
                    for tag in tags:
                        renice_browser(tag, 0)
                    # The others act first, at the usual priority until their change has left the
                    # browser (a websocket frame sent); then their browsers drop to nice 19 and the
                    # measured session acts: its run starts while theirs run, as when four officers
                    # act at once, but their drawing no longer takes the server's cores.
                    sent = {i: sessions[i].ws_sent for i in others}
                    tasks = {i: asyncio.create_task(acts.run(sessions[i], name, step + r)) for i in others}
                    deadline = time.monotonic() + 10
                    while any(sessions[i].ws_sent == sent[i] for i in others) and time.monotonic() < deadline:
                        await asyncio.sleep(0.005)
                    for i in others:
                        renice_browser(tags[i], 19)
                    mine = await acts.run(sessions[measured], name, step + r)
                    await asyncio.gather(*tasks.values())
                    own_pc.append({**mine, "measured": measured})
            except PermissionError:
                own_pc_note = "lowering a browser's CPU priority again, and turning autogroup off, need root"
            with contextlib.suppress(PermissionError, RuntimeError):
                for tag in tags:
                    renice_browser(tag, 0)
        except Exception as exc:
            out[name] = {"skipped": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
            log(f"  concurrency {name}: {out[name]['skipped']}")
            continue
        finally:
            for s in sessions:
                await s.close()
            for b in browsers:
                with contextlib.suppress(Exception):
                    await b.close()
        one, four = summary(single, interaction=True), summary(many, interaction=True)
        entry = {"sessions": args.concurrency, "workers": args.workers, "single": one, "concurrent": four}
        for key in ("run_s", "drawn_s", "server_s"):
            entry[f"ratio_{key}"] = round(four[key] / one[key], 2) if one[key] and four[key] else None
        if own_pc:
            mine = summary(own_pc, interaction=True)
            entry["concurrent_own_pc"] = mine
            for key in ("drawn_s", "server_s"):
                entry[f"ratio_own_pc_{key}"] = round(mine[key] / one[key], 2) if one[key] and mine[key] else None
        elif own_pc_note:
            entry["own_pc_skipped"] = own_pc_note
        out[name] = entry
        log(f"  concurrency {name}: 1 → {one['drawn_s']} s, {args.concurrency} → {four['drawn_s']} s "
            f"(×{entry['ratio_drawn_s']}, worst {four['max_drawn_s']} s); server 1 → {one['server_s']} s,"
            f" {args.concurrency} → {four['server_s']} s (×{entry['ratio_server_s']})")
        if own_pc:
            log(f"  concurrency {name}, other browsers as on their own PCs: {args.concurrency} →"
                f" {entry['concurrent_own_pc']['drawn_s']} s (×{entry['ratio_own_pc_drawn_s']}); server"
                f" {entry['concurrent_own_pc']['server_s']} s (×{entry['ratio_own_pc_server_s']})")
    return out


def cached_workspace(n: int, out_dir: Path | None = None) -> tuple[Path, dict] | None:
    """
    The workspace of ``n`` generated parcels cached under ``bench/out/ws`` by this checkout's
    import code, else the newest one installed by other import code (its key is in the
    manifest), or None.
    """
    from _gen import GEN_SOURCES, INSTALL_SOURCES, MANIFEST, OUT_DIR, SEED, _digest

    root = (out_dir or OUT_DIR) / "ws"
    if (root / f"ws-{n}-{SEED}-{_digest(GEN_SOURCES)}-{_digest(INSTALL_SOURCES)}" / MANIFEST).exists():
        return None  # the ordinary cache hit
    found = sorted(root.glob(f"ws-{n}-{SEED}-{_digest(GEN_SOURCES)}-*/{MANIFEST}"), key=lambda m: m.stat().st_mtime)
    if not found:
        return None
    return found[-1].parent, {**json.loads(found[-1].read_text()), "cached": True, "reused": found[-1].parent.name}


def reimport_source(workspace: Path) -> Path:
    """The parcel file of the workspace's newest version (same parcels, so the count stays)."""
    versions = sorted((workspace / "versions").glob("*.parquet"))
    if not versions:
        raise FileNotFoundError(f"no stored version in {workspace / 'versions'}")
    return versions[-1]


def import_command(file: Path, workspace: Path) -> list[str]:
    """The bureau's command-line import of ``file`` into ``workspace`` (replacing every parcel)."""
    return [sys.executable, "-m", "geo", "import", str(file), "--workspace", str(workspace), "--mode", "replace"]


async def measure_after_import(browser, ws: Path, args) -> dict:
    """
    A new version installed by another process while the server runs warm, then the first load
    of each map page in the tab that showed them before (each load a new Streamlit session; the
    cold loads measure a browser's very first visit).

    Done on a copy of the workspace (the cached one stays as generated): a server on the copy
    shows every page once, ``python -m geo import`` installs the newest version's own parcel
    file again (``--mode replace``: a new version, the same parcels), and a new session loads
    the map pages one after the other.
    """
    pages = [p for p in AFTER_IMPORT_PAGES if p in args.pages]
    out: dict = {"pages": pages, "wait_s": args.after_import_wait}
    with tempfile.TemporaryDirectory(prefix="gxland-bench-import-") as tmp:
        copy = Path(tmp) / ws.name
        await asyncio.to_thread(shutil.copytree, ws, copy)
        source = Path(tmp) / f"reimport-{reimport_source(copy).name}"
        shutil.copyfile(reimport_source(copy), source)
        async with Server(copy, args.workers) as srv:
            # The officer's tab: the app open in it before the import (a browser's very first visit
            # is the cold loads' row); each load after the import is a new Streamlit session.
            first = await Session.open(browser, workspace=copy, server=srv, quiet_ms=args.quiet_ms,
                                       timeout_s=args.timeout)
            try:
                for name in args.pages:  # every page once: the server is warm
                    await first.load(f"{srv.url}/{name}", name)
            except BaseException:
                await first.close()
                raise
            versions = len(list((copy / "versions").glob("*.json")))
            t = time.perf_counter()
            env = {**os.environ, "GXLAND_WORKSPACE": str(copy)}
            env.pop("GXLAND_RUN_LOG", None)
            proc = await asyncio.to_thread(subprocess.run, import_command(source, copy), cwd=REPO_ROOT, env=env,
                                           capture_output=True, text=True, timeout=IMPORT_TIMEOUT_S)
            out["import_s"] = round(time.perf_counter() - t, 2)
            out["versions"] = [versions, len(list((copy / "versions").glob("*.json")))]
            if proc.returncode != 0:
                out["skipped"] = f"import failed ({proc.returncode}): {(proc.stderr or proc.stdout)[-300:]}"
                log(f"  after import: {out['skipped']}")
                await first.close()
                return out
            log(f"  import by another process: {out['import_s']} s, versions {out['versions'][0]} → {out['versions'][1]}")
            imported_ms = now_ms()
            if args.after_import_wait:
                await asyncio.sleep(args.after_import_wait)
            # each app process's preparing of the new version, as it logged it
            out["prepared"] = [{"pid": r["pid"], "after_import_s": round((r["end_ms"] - imported_ms) / 1000, 2),
                                "server_s": r["server_s"], "failed": r["failed"]} for r in srv.prepared(imported_ms)]
            log(f"  prepared by the server in the meantime: {out['prepared'] or 'not yet'}")
            s = first
            try:
                for name in pages:
                    r = await s.load(f"{srv.url}/{name}", name)
                    out[name] = r
                    log(f"  after import /{name}: server {r.get('server_s')} s, run {r['run_s']} s,"
                        f" drawn {r['drawn_s']} s, {r['map']}" + (" (timed out)" if r["timeout"] else ""))
            finally:
                await s.close()
            out["rss_mb"] = srv.rss_mb()
    return out


async def run_size(pw, browser, n: int, acts: Interactions, args) -> dict:
    from _gen import workspace

    log(f"== {n:,} parcels")
    reused = cached_workspace(n) if args.reuse_install and not args.fresh else None
    ws, info = reused or workspace(n, log=log, fresh=args.fresh)
    if reused:
        log(f"  reusing {ws.name} (installed by other import code than this checkout's)")
    res: dict = {"workspace": info, "loadavg_start": loadavg()}
    if not args.no_cold:
        res["cold"] = await measure_cold(browser, ws, args)
    async with Server(ws, args.workers) as srv:
        res["server_start_s"] = srv.start_s
        res["rss_mb"] = await measure_sessions(browser, srv, args)
        res["warm"] = await measure_warm(browser, srv, args)
        res["interactions"] = await measure_interactions(browser, srv, acts, args)
        if args.concurrency > 1:
            res["concurrency"] = await measure_concurrency(pw, srv, acts, args)
        res["rss_mb"]["end"] = srv.rss_mb()
    if not args.no_after_import:
        res["after_import"] = await measure_after_import(browser, ws, args)
    res["loadavg_end"] = loadavg()
    return res


async def run(args) -> dict:
    from playwright.async_api import async_playwright

    acts = Interactions()
    result = {"meta": {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
                       "git": git_state(), "quiet_ms": args.quiet_ms, "repeat": args.repeat, "steps": args.steps,
                       "label": args.label},
              "sizes": {}}
    log(f"machine: {result['meta']['machine']}")
    async with async_playwright() as pw:
        browser = await launch_browser(pw)
        try:
            result["floor"] = await measure_floor(browser, args)
            for n in args.sizes:
                result["sizes"][str(n)] = await run_size(pw, browser, n, acts, args)
                write_json(result, args.out)  # a long run keeps what it measured
        finally:
            await browser.close()
    result["meta"]["machine"]["loadavg_end"] = loadavg()
    result["meta"]["machine"]["cpu_probe_s_end"] = cpu_probe_s()
    return result


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    tmp.replace(path)


# ============================================================================ tables


def _fmt(v, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "s":
        return f"{v:.2f}"
    if unit == "MB":
        return f"{v:,.0f}"
    if unit == "KB":
        return f"{v / 1e3:,.0f}"
    if unit == "×":
        return f"{v:.2f}"
    return str(v)


def figures(result: dict) -> dict[tuple[str, str], tuple[float | None, str]]:
    """
    The headline figures of a result, flat: (size, metric) → (value, unit).

    Times are medians in seconds (``drawn``), bytes in KB, memory in MB, ratios as ×.
    """
    out: dict[tuple[str, str], tuple[float | None, str]] = {}
    floor = (result.get("floor") or {}).get("drawn_s")
    out[("—", "floor: /overview without parcels, warm drawn")] = (floor, "s")
    for size, r in result.get("sizes", {}).items():
        # a size measured in a run of its own (merged for the README) carries that run's floor
        size_floor = (r.get("floor") or {}).get("drawn_s", floor)
        for page, v in (r.get("cold") or {}).items():
            out[(size, f"/{page} first load drawn")] = (v.get("drawn_s"), "s")
        for page, v in (r.get("warm") or {}).items():
            out[(size, f"/{page} warm drawn")] = (v.get("drawn_s"), "s")
            out[(size, f"/{page} warm server")] = (v.get("server_s"), "s")
            over = None if v.get("drawn_s") is None or size_floor is None else round(v["drawn_s"] - size_floor, 3)
            out[(size, f"/{page} warm drawn − floor")] = (over, "s")
            out[(size, f"/{page} warm ws KB")] = (v.get("ws_bytes"), "KB")
        for name, v in (r.get("interactions") or {}).items():
            out[(size, f"{name} server")] = (v.get("server_s"), "s")
            out[(size, f"{name} run")] = (v.get("run_s"), "s")
            out[(size, f"{name} drawn")] = (v.get("drawn_s"), "s")
            out[(size, f"{name} ws KB")] = (v.get("ws_bytes"), "KB")
            if v.get("no_rerun_drawn_s") is not None and not v.get("n"):
                out[(size, f"{name} drawn, no rerun")] = (v["no_rerun_drawn_s"], "s")
        after = r.get("after_import") or {}
        if after.get("import_s") is not None:
            out[(size, "import by another process (a new version)")] = (after["import_s"], "s")
        if after.get("rss_mb") is not None:
            out[(size, "server RSS MB after the first loads after an import")] = (after["rss_mb"], "MB")
        for page in after.get("pages", []):
            v = after.get(page) or {}
            for key, what in (("drawn_s", "drawn"), ("run_s", "run"), ("server_s", "server")):
                out[(size, f"/{page} first load after an import {what}")] = (
                    None if v.get("timeout") else v.get(key), "s")
        rss = r.get("rss_mb") or {}
        for k in ("0", "1", "4", "8"):
            if k in rss:
                out[(size, f"server RSS MB, {k} sessions")] = (rss[k], "MB")
        # Sessions after the first: the first one also pays for the imports and the shared caches.
        top = max((int(k) for k in rss if k.isdigit() and int(k) > 1 and rss[k] is not None), default=None)
        if top is not None and rss.get("1") is not None:
            out[(size, "RSS MB per idle session (after the 1st)")] = (round((rss[str(top)] - rss["1"]) / (top - 1), 1), "MB")
        for name, v in (r.get("concurrency") or {}).items():
            out[(size, f"{name} {v.get('sessions', 4)}-vs-1 sessions ×")] = (v.get("ratio_drawn_s"), "×")
            out[(size, f"{name} {v.get('sessions', 4)}-vs-1 sessions, server time ×")] = (v.get("ratio_server_s"), "×")
            out[(size, f"{name} {v.get('sessions', 4)} sessions worst drawn")] = (
                (v.get("concurrent") or {}).get("max_drawn_s"), "s")
            if v.get("ratio_own_pc_drawn_s") is not None:
                out[(size, f"{name} {v.get('sessions', 4)}-vs-1 sessions, other browsers as on their own PCs ×")] = (
                    v["ratio_own_pc_drawn_s"], "×")
    return out


def table(result: dict) -> str:
    figs = figures(result)
    sizes = list(dict.fromkeys(s for s, _ in figs if s != "—"))
    metrics = list(dict.fromkeys(m for _, m in figs))
    head = "| metric | " + " | ".join(f"{int(s):,} parcels" for s in sizes) + " |"
    lines = [head, "|---|" + "---:|" * len(sizes)]
    for m in metrics:
        if ("—", m) in figs:
            v, unit = figs[("—", m)]
            lines.append(f"| {m} ({unit}) | " + " | ".join(_fmt(v, unit) for _ in sizes) + " |")
            continue
        unit = next(figs[(s, m)][1] for s in sizes if (s, m) in figs)
        cells = [_fmt(figs[(s, m)][0], unit) if (s, m) in figs else "" for s in sizes]
        lines.append(f"| {m} ({unit}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def compare(before: dict, after: dict) -> str:
    """Before and after side by side, per size and metric, with after/before."""
    fb, fa = figures(before), figures(after)
    keys = list(dict.fromkeys([*fb, *fa]))
    mb, ma = before.get("meta", {}), after.get("meta", {})
    lines = [
        f"before: {mb.get('date')} {mb.get('git', {}).get('commit', '')} load {mb.get('machine', {}).get('loadavg_start')}",
        f"after:  {ma.get('date')} {ma.get('git', {}).get('commit', '')} load {ma.get('machine', {}).get('loadavg_start')}",
        "",
        "| parcels | metric | before | after | after/before |",
        "|---:|---|---:|---:|---:|",
    ]
    for key in keys:
        size, metric = key
        vb, unit = fb.get(key, (None, None))
        va, unit_a = fa.get(key, (None, None))
        unit = unit or unit_a
        ratio = f"{va / vb:.2f}" if vb and va is not None and unit != "×" else "—"
        label = size if size == "—" else f"{int(size):,}"
        lines.append(f"| {label} | {metric} ({unit}) | {_fmt(vb, unit)} | {_fmt(va, unit)} | {ratio} |")
    return "\n".join(lines)


#: README rows: (metric of :func:`figures`, goal of issue 11 at 50k parcels).
README_ROWS = (
    ("floor: /overview without parcels, warm drawn", ""),
    *((f"/{p} first load drawn", "") for p in PAGES),
    *((f"/{p} warm drawn − floor", "≤ 1") for p in PAGES),
    ("import by another process (a new version)", ""),
    *((f"/{p} first load after an import drawn", "") for p in AFTER_IMPORT_PAGES),
    *((f"/{p} first load after an import server", "") for p in AFTER_IMPORT_PAGES),
    ("/intensity warm ws KB", ""),
    *((f"{i} server", "≤ 0.5") for i in INTERACTIONS),
    *((f"{i} run", "") for i in INTERACTIONS),
    *((f"{i} drawn", "≤ 1") for i in INTERACTIONS),
    *((f"{i} drawn, no rerun", "") for i in INTERACTIONS),
    *((f"{i} ws KB", "< 100" if i.endswith(("click", "slider")) else "") for i in INTERACTIONS),
    ("server RSS MB, 0 sessions", ""),
    ("server RSS MB, 1 sessions", ""),
    ("server RSS MB, 8 sessions", "< 1,500"),
    ("RSS MB per idle session (after the 1st)", "≤ 20"),
    ("server RSS MB after the first loads after an import", ""),
    *((f"{i} 4-vs-1 sessions ×", "≤ 1.5") for i in CONCURRENT),
    *((f"{i} 4-vs-1 sessions, other browsers as on their own PCs ×", "≤ 1.5") for i in CONCURRENT),
    *((f"{i} 4-vs-1 sessions, server time ×", "") for i in CONCURRENT),
    *((f"{i} 4 sessions worst drawn", "") for i in CONCURRENT),
)


def readme_table(before: dict, after: dict | None = None) -> str:
    """The README's table: every size of ``before``, then ``after`` at the same sizes, and the goal."""
    fb, fa = figures(before), figures(after) if after else {}
    sizes = list(dict.fromkeys(s for s, _ in fb if s != "—"))
    cols = [(f"{int(s) // 1000}k before", fb, s) for s in sizes]
    cols += [(f"{int(s) // 1000}k after", fa, s) for s in sizes if after]
    lines = ["| metric | " + " | ".join(c[0] for c in cols) + " | goal (50k) |",
             "|---|" + "---:|" * len(cols) + "---|"]
    for metric, goal in README_ROWS:
        units = [f.get((sz, metric), f.get(("—", metric), (None, None)))[1] for _, f, sz in cols]
        unit = next((u for u in units if u), None)
        if unit is None:
            continue
        cells = [_fmt(f.get((sz, metric), f.get(("—", metric), (None, unit)))[0], unit) for _, f, sz in cols]
        lines.append(f"| {metric} ({unit}) | " + " | ".join(cells) + f" | {goal} |")
    return "\n".join(lines)


# ============================================================================ command line


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", help=f"parcel counts (default {' '.join(map(str, DEFAULT_SIZES))})")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1,000 parcels, one repeat, 2 sessions")
    ap.add_argument("--repeat", type=int, default=3, help="warm loads per page (median)")
    ap.add_argument("--steps", type=int, default=6, help="repeats of each interaction (median)")
    ap.add_argument("--rounds", type=int, default=8, help="rounds of the concurrency test")
    ap.add_argument("--concurrency", type=int, default=4, help="sessions interacting at once (1: skip)")
    ap.add_argument("--workers", type=int, default=2,
                    help="app processes behind HAProxy, as the service runs (scripts/serve.py, GXLAND_WORKERS=2;"
                         " 1: Streamlit alone, as `make run`)")
    ap.add_argument("--sessions", type=int, nargs="+", default=list(SESSION_STEPS), help="idle sessions for RSS")
    ap.add_argument("--pages", nargs="+", default=list(PAGES), choices=PAGES)
    ap.add_argument("--interactions", nargs="+", default=list(INTERACTIONS), choices=INTERACTIONS)
    ap.add_argument("--no-cold", action="store_true", help="skip the first load of each page on a fresh server")
    ap.add_argument("--no-after-import", action="store_true",
                    help="skip the first load of each map page in a new session after another process imported"
                         " a new version (on a copy of the workspace)")
    ap.add_argument("--after-import-wait", type=float, default=30,
                    help="seconds between the import and the new session's first load (default 30;"
                         " the server prepares the new version meanwhile)")
    ap.add_argument("--quiet-ms", type=int, default=500, help="quiet time that ends a measurement")
    ap.add_argument("--timeout", type=float, default=240, help="seconds before a load or interaction is given up")
    ap.add_argument("--fresh", action="store_true",
                    help="install the workspaces again (they are cached by the import code's source)")
    ap.add_argument("--reuse-install", action="store_true",
                    help="use the newest cached workspace of the same generated parcels even when the import code"
                         " changed since it was installed (a 250k install takes minutes)")
    ap.add_argument("--autogroup", choices=("off", "keep"), default="off",
                    help="off (default): Linux's autogroup scheduling off for the run, every thread of the server"
                         " and the browsers competing for the cores (needed for the concurrency test's 'as on their"
                         " own PCs' figure); keep: the machine's own scheduling (kept_autogroup)")
    ap.add_argument("--label", default="", help="a note stored with the results (e.g. before / after)")
    ap.add_argument("--out", type=Path, default=OUT_JSON)
    ap.add_argument("--compare", nargs="+", type=Path, metavar="JSON",
                    help="print BEFORE [AFTER] side by side (AFTER defaults to --out) and exit")
    ap.add_argument("--readme", nargs="+", type=Path, metavar="JSON",
                    help="print the README's table of BEFORE [AFTER] and exit")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes = args.sizes or list(QUICK_SIZES)
        args.repeat, args.steps, args.rounds = 1, 2, 2
        args.sessions = [1, 2]
        args.concurrency = min(args.concurrency, 2)
    args.sizes = args.sizes or list(DEFAULT_SIZES)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.compare:
        before = json.loads(args.compare[0].read_text())
        after = json.loads((args.compare[1] if len(args.compare) > 1 else args.out).read_text())
        print(compare(before, after))
        return 0
    if args.readme:
        docs = [json.loads(p.read_text()) for p in args.readme[:2]]
        print(readme_table(*docs))
        return 0
    if not Path(CHROMIUM).is_file():
        print(f"Chromium not found at {CHROMIUM}: `make chromium` (or set GXLAND_CHROMIUM)", file=sys.stderr)
        return 2
    from layers.assets import missing_assets

    if missing := missing_assets():
        print(f"vendored map assets missing ({', '.join(missing)}): run `make setup`", file=sys.stderr)
        return 2
    with scheduling(args.autogroup):  # before any server or browser starts: see no_autogroup
        result = asyncio.run(run(args))
    result["meta"]["autogroup"] = AUTOGROUP_WAS
    write_json(result, args.out)
    m = result["meta"]["machine"]
    print(f"\n{result['meta']['date']} · {m['nproc']} × {m['cpu']} · load {m['loadavg_start']} → {m['loadavg_end']}"
          f" · CPU probe {m.get('cpu_probe_s_start')} → {m.get('cpu_probe_s_end')} s\n")
    print(table(result))
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
