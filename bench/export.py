"""
Exports at scale: the CLI's own ``grade``/``idle``/``intensity``/``evaluate`` commands writing
``.xlsx`` and ``.csv`` at 100k and 1M parcels, each in its own process, with wall time and peak
memory.

Usage::

    .venv/bin/python bench/export.py                   # grade and idle at 100k, then 1M
    .venv/bin/python bench/export.py --sizes 100000    # one size
    .venv/bin/python bench/export.py --commands grade --formats xlsx
    .venv/bin/python bench/export.py --sizes 1000000 --commands intensity,evaluate --formats csv

Parcels: ``geo.sample.make_parcels`` draws ``--base`` parcels (default 20,000) over the app's
parks, which are repeated (same shapes and attributes, fresh parcel numbers ``X0000001`` …)
up to each size and stored as GeoParquet under ``bench/out/export/`` (reused when present).
Every command runs as ``python -m geo … -o out.<fmt>`` under ``/usr/bin/time -v``; peak MB is
the process's maximum resident set size, ``sheets`` the worksheets of the written workbook.
The machine's load (``/proc/loadavg``) is printed before and after each run: the benchmark
machine is shared, and seconds move with it. The commands read the parcels without holding
their shapes for these table formats (``geo.io.read_parcels(geometry=False)``); a spatial
output would not, except ``evaluate``, which writes one row per park (the app's parks,
``data/parks.geojson``) and reads the parcels without shapes for every output.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

OUT_DIR = REPO_ROOT / "bench" / "out" / "export"
PARKS_FILE = REPO_ROOT / "data" / "parks.geojson"
#: Each command's arguments after ``python -m geo``, given the parcel file and the output.
COMMANDS = {
    "grade": lambda parcels, out: ["grade", str(parcels), "-o", str(out)],
    "idle": lambda parcels, out: ["idle", str(parcels), "-o", str(out), "--as-of", "2026-06-30"],
    "intensity": lambda parcels, out: ["intensity", str(parcels), "-o", str(out)],
    "evaluate": lambda parcels, out: ["evaluate", "--parks", str(PARKS_FILE), "--parcels", str(parcels),
                                      "--as-of", "2026-06-30", "-o", str(out)],
}


def parcels_file(n: int, *, base: int = 20_000, out_dir: Path = OUT_DIR) -> Path:
    """``n`` parcels as GeoParquet: ``base`` sample parcels repeated with fresh parcel numbers."""
    path = out_dir / f"parcels-{n}-{base}.parquet"
    if path.exists():
        return path
    import numpy as np

    from bench import _gen

    seed_rows = _gen.make(min(base, n))
    take = np.resize(np.arange(len(seed_rows)), n)
    big = seed_rows.iloc[take].reset_index(drop=True)
    big["parcel_id"] = [f"X{i:07d}" for i in range(1, n + 1)]
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    big.to_parquet(tmp)
    tmp.replace(path)
    return path


def sheets_of(path: Path) -> int | None:
    """Worksheets in a written ``.xlsx`` (None for other files or none written)."""
    if path.suffix != ".xlsx" or not path.exists():
        return None
    with zipfile.ZipFile(path) as zf:
        return sum(1 for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))


def run(command: str, parcels: Path, fmt: str, *, out_dir: Path = OUT_DIR) -> dict:
    """One CLI export in its own process: seconds, peak MB, exit status, sheets, stderr's last line."""
    out = out_dir / f"{command}-{parcels.stem}.{fmt}"
    out.unlink(missing_ok=True)
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "geo", *COMMANDS[command](parcels, out)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    own = [ln for ln in proc.stderr.splitlines() if ln.strip() and not ln.startswith("\t")
           and not ln.startswith("Command ")]
    return {
        "command": command,
        "format": fmt,
        "seconds": seconds,
        "peak_mb": int(peak.group(1)) / 1024 if peak else float("nan"),
        "status": proc.returncode,
        "sheets": sheets_of(out),
        "size_mb": out.stat().st_size / 2**20 if out.exists() else 0.0,
        "stderr": own[-1] if own else "",
    }


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,1000000", help="comma-separated row counts")
    ap.add_argument("--commands", default="grade,idle", help=f"comma-separated, of {', '.join(COMMANDS)}")
    ap.add_argument("--formats", default="xlsx,csv", help="comma-separated: xlsx, csv")
    ap.add_argument("--base", type=int, default=20_000, help="distinct sample parcels repeated up to each size")
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    commands = [c.strip() for c in a.commands.split(",") if c.strip()]
    formats = [f.strip() for f in a.formats.split(",") if f.strip()]
    print(f"load before: {loadavg()}", flush=True)
    rows = []
    for n in sizes:
        src = parcels_file(n, base=a.base)
        for command in commands:
            for fmt in formats:
                before = loadavg()
                r = {"rows": n, **run(command, src, fmt)}
                rows.append(r)
                r["load_before"], r["load_after"] = before, loadavg()
                print(f"{r['command']:<10} {n:>9,} {fmt:<5} {r['seconds']:8.1f} s {r['peak_mb']:8.0f} MB "
                      f"exit {r['status']} sheets {r['sheets'] if r['sheets'] is not None else '-'}"
                      f"  load {before} -> {r['load_after']}  {r['stderr'][:120]}", flush=True)
    print(f"load after: {loadavg()}\n")
    print("| command | rows | format | seconds | peak MB | sheets | exit | load (1 min) before / after |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['command']} | {r['rows']:,} | {r['format']} | {r['seconds']:.0f} | {r['peak_mb']:.0f} | "
              f"{r['sheets'] if r['sheets'] is not None else '—'} | {r['status']} | "
              f"{r['load_before'].split()[0]} / {r['load_after'].split()[0]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
