"""
Browser-test harness: a real Streamlit server and Debian's Chromium via Playwright.

- ``streamlit_app``: session fixture; runs ``streamlit run app.py`` on a free
  port (``GXLAND_WORKSPACE`` = the ``browser_workspace`` fixture, which a
  project conftest may override; default ``$GXLAND_WORKSPACE`` or
  ``workspace/``), waits until it serves, yields the base URL, stops it.
- ``browser``: headless Chromium from ``/usr/bin/chromium`` (``playwright
  install`` cannot download browsers here).
- ``RequestRecorder`` / ``recorder``: every request URL of a page and its
  iframes; ``foreign_requests`` lists those leaving the app's host.
- ``wait_for_app``: waits for ``[data-testid='stApp'][data-test-script-state='notRunning']``.
- ``login_cookie(page, workspace, name, role, parks)``: the browser context logged in as an
  account of ``workspace`` (created when absent) through the app's session cookie — every page
  needs a login; ``page`` comes logged in as the admin 测试员 of ``browser_workspace``.
  ``login_form`` logs in through the login page itself.

Tests here are marked ``browser``. Without ``/usr/bin/chromium`` they are
skipped, unless ``$CI`` is set: in CI a missing Chromium fails.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("GXLAND_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
SERVER_START_TIMEOUT_S = 60


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def require_chromium() -> None:
    """Skip when Chromium is missing locally; fail in CI, where it must be installed."""
    if CHROMIUM.is_file():
        return
    msg = f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set GXLAND_CHROMIUM)"
    if os.environ.get("CI"):
        pytest.fail(msg + " — required in CI", pytrace=False)
    pytest.skip(msg)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serving(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def run_streamlit(
    script: Path, *, env: dict[str, str] | None = None, cwd: Path | None = None, workers: int = 1
) -> Iterator[str]:
    """
    Run ``streamlit run script`` on a free port; yield its base URL; stop it.

    Parameters
    ----------
    script
        The Streamlit entry script; its directory must hold ``static/`` (and
        ``.streamlit/config.toml`` when ``cwd`` is that directory).
    env
        Extra environment variables.
    cwd
        Working directory (default: the script's directory, so its
        ``.streamlit/config.toml`` applies).
    workers
        From 2 on, ``scripts/serve.py``: that many app processes behind HAProxy (``script`` is
        then the app's own ``app.py``).
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.enableStaticServing", "true",
    ]  # fmt: skip
    if workers > 1:
        cmd = [sys.executable, str(REPO_ROOT / "scripts" / "serve.py"), "--workers", str(workers),
               "--address", "127.0.0.1", "--port", str(port)]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd or script.parent,
        # A real server prepares each new version in the background, as a bureau's does.
        env={**os.environ, "GXLAND_PREPARE_EVERY_S": "2", **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _serving(f"{base_url}/_stcore/health"):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                out = log.read().decode(errors="replace")[-3000:]
                raise RuntimeError(f"streamlit run {script} did not start on {base_url}:\n{out}")
            time.sleep(0.25)
        yield base_url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser_workspace(request) -> Path:
    """
    Workspace the app runs on: ``$GXLAND_WORKSPACE`` if set, else the project's
    ``sample_workspace`` fixture (tests/conftest.py), else ``workspace/``.
    """
    if os.environ.get("GXLAND_WORKSPACE"):
        return Path(os.environ["GXLAND_WORKSPACE"])
    try:
        return Path(request.getfixturevalue("sample_workspace"))
    except pytest.FixtureLookupError:
        return REPO_ROOT / "workspace"


@pytest.fixture(scope="session")
def app_run_log(tmp_path_factory) -> Path:
    """The run log (``GXLAND_RUN_LOG``, views/runlog.py) of the ``streamlit_app`` server: one JSON line per run."""
    return tmp_path_factory.mktemp("runlog") / "runs.jsonl"


def runs_since(run_log: Path, since_ms: float) -> list[dict]:
    """The runs the app logged that started at or after ``since_ms`` (epoch ms)."""
    import json

    if not run_log.exists():
        return []
    runs = [json.loads(line) for line in run_log.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in runs if r["start_ms"] >= since_ms and not r.get("prepared")]


@pytest.fixture(scope="session")
def streamlit_app(browser_workspace: Path, app_run_log: Path) -> Iterator[str]:
    """Base URL of ``streamlit run app.py`` serving the test workspace (its runs logged in ``app_run_log``)."""
    require_chromium()
    app = REPO_ROOT / "app.py"
    if not app.is_file():
        pytest.fail(f"{app} does not exist: the browser tests drive the real app", pytrace=False)
    from layers.assets import missing_assets

    missing = missing_assets()
    if missing:
        pytest.fail(
            f"vendored map assets missing ({', '.join(missing)}): run `python scripts/fetch_assets.py`",
            pytrace=False,
        )
    env = {"GXLAND_WORKSPACE": str(browser_workspace), "GXLAND_RUN_LOG": str(app_run_log)}
    with run_streamlit(app, env=env, cwd=REPO_ROOT) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class RequestRecorder:
    """
    Records every request a page (and its iframes, workers) makes.

    Attach before navigating: ``rec = RequestRecorder(page)``.
    """

    def __init__(self, page):
        self.urls: list[str] = []
        self.failed: list[str] = []
        self.bad_status: list[tuple[int, str]] = []
        self.dialogs: list[str] = []
        page.on("request", lambda req: self.urls.append(req.url))
        page.on("requestfailed", lambda req: self.failed.append(req.url))
        page.on("response", self._on_response)
        page.on("dialog", self._on_dialog)
        page.context.on("request", self._from_context)
        self._page = page

    def _on_response(self, resp):
        if resp.status >= 400:
            self.bad_status.append((resp.status, resp.url))

    def _on_dialog(self, dialog):
        # An alert() from data text would mean escaping failed; record and dismiss.
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _from_context(self, req):
        # Service workers and popups report to the context, not the page.
        if req.frame is None or req.frame.page is not self._page:
            self.urls.append(req.url)

    def hosts(self) -> set[str]:
        """Hosts of recorded http(s)/ws(s) URLs."""
        return {
            urlsplit(u).hostname or ""
            for u in self.urls
            if urlsplit(u).scheme in ("http", "https", "ws", "wss")
        }

    def foreign_requests(self, allowed_hosts: frozenset[str] = LOCAL_HOSTS) -> list[str]:
        """Recorded URLs whose host is not the app's own (data: and blob: URLs are local)."""
        out = []
        for u in self.urls:
            parts = urlsplit(u)
            if parts.scheme in ("data", "blob", "about", "chrome-extension"):
                continue
            if (parts.hostname or "") not in allowed_hosts:
                out.append(u)
        return out


def login_cookie(page, workspace: Path, name: str = "测试员", role: str = "admin", parks=()) -> None:
    """
    Log ``page``'s browser context in as an account of ``workspace`` (created when absent, its first
    password already changed): a session of the accounts store, its token in the app's cookie.
    Cookies go to every port of 127.0.0.1: the last call wins.
    """
    from geo.accounts import AccountStore
    from tests.conftest import ensure_account

    acc = ensure_account(workspace, name, role, parks)
    token = AccountStore.in_workspace(workspace).open_session(acc)
    page.context.add_cookies([{"name": "gxland_session", "value": token, "domain": "127.0.0.1", "path": "/"}])


def login_form(page, base_url: str, name: str, password: str) -> None:
    """Log in through the login page (the account exists); waits until the app ran."""
    page.goto(base_url + "/")
    wait_for_app(page)
    page.get_by_role("textbox", name="账号").fill(name)
    page.get_by_role("textbox", name="密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    page.wait_for_function("() => document.cookie.includes('gxland_session=')", timeout=30_000)


@pytest.fixture
def page(browser, browser_workspace):
    """A fresh page (own context) of 1400×1000, logged in as the admin 测试员 of ``browser_workspace``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    login_cookie(pg, browser_workspace)
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def recorder(page) -> RequestRecorder:
    """Records the requests of ``page``; create it before ``page.goto``."""
    return RequestRecorder(page)


def wait_for_app(page, *, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)


def account_shown(page, *, timeout_ms: int = 30_000) -> str:
    """
    The sidebar's "当前账号" once it holds a name. Waited for, not read at once: the script may
    have finished while the browser still mounts the sidebar's input (seen in CI as "" right
    after a reload, the main area already drawn).
    """
    from playwright.sync_api import expect

    box = page.get_by_label("当前账号")
    expect(box).not_to_have_value("", timeout=timeout_ms)
    return box.input_value()


def open_panel(page, title: str, *, timeout_ms: int = 30_000) -> None:
    """
    Open the expander titled ``title`` (a panel whose widgets are drawn when it is opened: the
    card's record forms); nothing when it is open already (it stays open after a record).
    """
    box = page.get_by_test_id("stExpander").filter(has_text=title).first
    box.wait_for(timeout=timeout_ms)
    if box.locator("details").first.get_attribute("open") is None:
        box.locator("summary").first.click()
        page.wait_for_timeout(300)
        wait_for_app(page, timeout_ms=timeout_ms)


def map_paths(page, url: str):
    """Open ``url`` and wait for its map: (the map's frame, its Leaflet paths, a path drawn)."""
    page.goto(url)
    wait_for_app(page, timeout_ms=60_000)
    frame = map_frame(page)
    paths = frame.locator("path.leaflet-interactive")
    paths.first.wait_for(timeout=30_000)
    return frame, paths


def map_frame(page, *, timeout_ms: int = 30_000):
    """The st_folium component's iframe (a FrameLocator), once Leaflet has drawn a path in it."""
    frame = page.frame_locator("iframe[title*='st_folium'], iframe[title*='streamlit_folium']").first
    frame.locator(".leaflet-container").first.wait_for(timeout=timeout_ms)
    return frame
