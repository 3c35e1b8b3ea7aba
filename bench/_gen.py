"""
Synthetic bureau workspaces for the app benchmark (bench/app.py).

``parcels(n)`` draws ``n`` parcels with ``geo.sample.make_parcels`` over the parks of
``data/parks.geojson`` (the ones the app shows): plots on a jittered street grid inside each
park, the sample's attribute distributions and its few deliberate defects (one duplicated
parcel number, one bowtie polygon, two parcels outside every park). ``workspace(n)`` installs
them into an empty folder with ``geo.workspace.install`` — as the data page's import does —
and adds the sample's idle-land cases.

Both are cached under ``bench/out/``: the parcels by size, seed and the generator's source,
the workspace additionally by the source of the import code (``geo/workspace.py``,
``geo/io.py``), so a change to how a workspace is stored gives a fresh install while reruns
of the same code reuse the folder.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import geopandas as gpd

from geo.accounts import os_account

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "bench" / "out"
PARKS_FILE = REPO_ROOT / "data" / "parks.geojson"
SEED = 20261125
#: Sources whose change invalidates the cached parcels / the installed workspace.
GEN_SOURCES = ("geo/sample.py", "data/parks.geojson")
INSTALL_SOURCES = ("geo/workspace.py", "geo/io.py", "geo/cases.py", "geo/case_sample.py")
MANIFEST = "bench_workspace.json"


def _digest(paths) -> str:
    h = hashlib.sha256()
    for rel in paths:
        p = REPO_ROOT / rel
        h.update(rel.encode())
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()[:12]


def read_parks() -> gpd.GeoDataFrame:
    from geo import io

    return io.read_parks(PARKS_FILE)


def make(n: int, *, seed: int = SEED) -> gpd.GeoDataFrame:
    """``n`` parcels over the app's parks (EPSG:4326, the columns of ``geo.schema.PARCEL_COLUMNS``)."""
    from geo.sample import make_parcels

    return make_parcels(read_parks(), n=int(n), seed=seed)


def parcels(n: int, *, seed: int = SEED, out_dir: Path = OUT_DIR) -> tuple[gpd.GeoDataFrame, Path]:
    """``make(n)``, cached as GeoParquet under ``out_dir/gen/``; returns (parcels, cache file)."""
    cache = out_dir / "gen" / f"parcels-{n}-{seed}-{_digest(GEN_SOURCES)}.parquet"
    if cache.exists():
        return gpd.read_parquet(cache), cache
    gdf = make(n, seed=seed)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    gdf.to_parquet(tmp)
    tmp.replace(cache)
    return gdf, cache


def workspace(n: int, *, seed: int = SEED, out_dir: Path = OUT_DIR, log=print, fresh: bool = False
              ) -> tuple[Path, dict]:
    """
    A workspace folder holding ``n`` installed parcels and the sample's cases (``fresh``:
    installed again even when cached).

    Returns
    -------
    root, info
        ``info``: ``parcels``, ``generate_s`` / ``install_s`` / ``cases_s`` (0 when cached),
        ``cached`` and the digests the cache is keyed by.
    """
    from geo import workspace as gw
    from geo.sample import write_sample_cases

    key = f"{_digest(GEN_SOURCES)}-{_digest(INSTALL_SOURCES)}"
    root = out_dir / "ws" / f"ws-{n}-{seed}-{key}"
    manifest = root / MANIFEST
    if manifest.exists() and not fresh:
        info = json.loads(manifest.read_text())
        return root, {**info, "cached": True}
    if root.exists():
        shutil.rmtree(root)  # a half-built folder of an interrupted run
    t0 = time.perf_counter()
    gdf, _ = parcels(n, seed=seed, out_dir=out_dir)
    t1 = time.perf_counter()
    log(f"  installing {n:,} parcels into {root} …")
    root.mkdir(parents=True)
    gw.install(gw.Workspace(root), gdf, "replace", source=f"bench-{n}.gpkg", parks=read_parks(),
               account=os_account())
    t2 = time.perf_counter()
    write_sample_cases(gdf, root, seed=seed)
    t3 = time.perf_counter()
    info = {"parcels": len(gdf), "seed": seed, "key": key, "generate_s": round(t1 - t0, 2),
            "install_s": round(t2 - t1, 2), "cases_s": round(t3 - t2, 2)}
    manifest.write_text(json.dumps(info, indent=2))
    return root, {**info, "cached": False}


def empty_workspace(out_dir: Path = OUT_DIR) -> Path:
    """A workspace folder without a parcel file: the app's floor (no page can load parcels)."""
    root = out_dir / "ws" / "empty"
    root.mkdir(parents=True, exist_ok=True)
    return root
