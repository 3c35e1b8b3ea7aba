"""
Page weight and draw time of parcel maps in headless Chromium.

Usage::

    .venv/bin/python bench/map.py [--sizes 1000 5000 20000 100000] [--repeat 3] [--out bench/out]

Builds ``layers.parcel_map`` for synthetic parcels (100 m × 100 m boxes on a
120 m grid in EPSG:4545, three tooltip fields: id, holder, status), writes each
map's HTML, serves it with ``static/vendor`` from a local HTTP server and
loads it in Debian's Chromium. Reports

- page weight: bytes Chromium received for the page and all its resources
  (Chrome DevTools ``encodedDataLength``; nothing is compressed, as with
  Streamlit's static files);
- map payload: the HTML file alone (what st_folium sends over its websocket);
- build: Python time to build and render the HTML;
- drawn: navigation start → every parcel drawn (SVG: as many
  ``path.leaflet-interactive`` as parcels; canvas: the parcels' canvas of
  ``layers.canvas`` holds them all) and two animation frames painted.

Goal from the issue: 5,000 parcels < 3 MB and < 2 s.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from layers import parcel_map  # noqa: E402
from layers.assets import OWN_DIR, VENDOR_DIR, missing_assets  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
HOLDERS = np.array(
    ["广西某某新材料有限公司", "南宁市某某电子科技有限公司", "柳州某某汽车零部件有限公司", "<b>&测试</b>"]
)
STATUSES = np.array(["idle", "suspected", "ok", "ok", "ok"])


def synthetic_parcels(n: int, *, side_m: float = 100.0, pitch_m: float = 120.0) -> gpd.GeoDataFrame:
    """``n`` square parcels in EPSG:4545 near 108°E, 22.6°N, laid out row by row."""
    cols = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0 = 500_000 + (i % cols) * pitch_m
    y0 = 2_500_000 + (i // cols) * pitch_m
    return gpd.GeoDataFrame(
        {
            "parcel_id": np.char.add("450100-", np.char.zfill(i.astype(str), 6)),
            "holder": HOLDERS[i % HOLDERS.size],
            "status": STATUSES[i % STATUSES.size],
        },
        geometry=shapely.box(x0, y0, x0 + side_m, y0 + side_m),
        crs=4545,
    )


def build(n: int, out_dir: Path) -> tuple[Path, float, bool]:
    """Write the map HTML for ``n`` parcels; return (path, build seconds, drawn on canvas?)."""
    parcels = synthetic_parcels(n)
    t0 = time.perf_counter()
    m = parcel_map(
        parcels,
        color_col="status",
        colors={"idle": "#e31a1c", "suspected": "#fd8d3c", "ok": "#2ca25f"},
        labels={"idle": "闲置", "suspected": "疑似闲置", "ok": "正常"},
        tooltip_fields={"parcel_id": "宗地编号", "holder": "土地使用权人", "status": "状态"},
    )
    html = m.get_root().render()
    seconds = time.perf_counter() - t0
    path = out_dir / f"parcels_{n}.html"
    path.write_text(html, encoding="utf-8")
    return path, seconds, bool(m.options.get("prefer_canvas") or m.options.get("preferCanvas"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` on a free local port in a thread."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


_DRAWN_JS = """
([n, canvas]) => new Promise(resolve => {
  const done = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
  const check = () => {
    // canvas: the parcels' canvas (layers/canvas.py) holds every parcel, drawn in the next frames
    const ok = canvas
      ? Object.keys(window).some(k => k.startsWith('class_canvas_') && window[k]._n >= n)
      : document.querySelectorAll('path.leaflet-interactive').length >= n;
    if (ok) done(); else setTimeout(check, 10);
  };
  check();
})
"""


def measure(browser, url: str, n: int, canvas: bool) -> tuple[float, float]:
    """(MB received, seconds from navigation start to all parcels drawn) for one cold page load."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    received = []
    cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
    page.goto(url, wait_until="commit")
    drawn_ms = page.evaluate(_DRAWN_JS, [n, canvas])
    page.wait_for_load_state("load")
    if not canvas:
        count = page.locator("path.leaflet-interactive").count()
        if count < n:
            raise RuntimeError(f"only {count} of {n} parcels drawn")
    page.wait_for_timeout(200)
    context.close()
    return sum(received) / 1e6, drawn_ms / 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000, 100000])
    parser.add_argument("--repeat", type=int, default=3, help="page loads per size (median reported)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "out")
    args = parser.parse_args(argv)

    missing = missing_assets()
    if missing:
        print(f"vendored assets missing ({', '.join(missing)}): run scripts/fetch_assets.py", file=sys.stderr)
        return 1
    root = args.out / "site"
    static = root / "app" / "static"
    static.mkdir(parents=True, exist_ok=True)
    for link, target in ((static / "vendor", VENDOR_DIR), (static / "gxland", OWN_DIR)):
        if not link.exists():
            link.symlink_to(target, target_is_directory=True)

    from playwright.sync_api import sync_playwright

    server, base = serve(root)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for n in args.sizes:
                path, build_s, canvas = build(n, root)
                runs = [measure(browser, f"{base}/{path.name}", n, canvas) for _ in range(args.repeat)]
                mb = statistics.median(r[0] for r in runs)
                drawn = statistics.median(r[1] for r in runs)
                rows.append((n, path.stat().st_size / 1e6, mb, build_s, drawn, "canvas" if canvas else "svg"))
            browser.close()
    finally:
        server.shutdown()

    print("| parcels | map HTML (MB) | page weight (MB) | build (s) | drawn in Chromium (s) | renderer |")
    print("|---:|---:|---:|---:|---:|---|")
    for n, html_mb, mb, build_s, drawn, renderer in rows:
        print(f"| {n:,} | {html_mb:.2f} | {mb:.2f} | {build_s:.2f} | {drawn:.2f} | {renderer} |")
    goal = [r for r in rows if r[0] == 5000]
    if goal:
        _, _, mb, _, drawn, _ = goal[0]
        verdict = "meets" if mb < 3 and drawn < 2 else "MISSES"
        print(f"\n5,000 parcels: {mb:.2f} MB, {drawn:.2f} s — {verdict} the goal (< 3 MB, < 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
