"""
The parks in force for a workspace, and installing a bureau's own park boundaries.

Which parks every page and the CLI read (:func:`parks_in_force`), first found wins:

1. with ``GXLAND_DATABASE_URL`` set, the PostGIS layer ``("parks", "parks")`` of
   :class:`geo.pgstore.PostgisLayers` when it exists — shared by every app server of the database;
2. the workspace's own ``parks.geojson``;
3. the shipped ``data/parks.geojson`` (illustrative boundaries).

The answer is a file :func:`geo.io.read_parks` reads (PostGIS's layer is kept as a GeoParquet file in
the process's cache folder, named by its version) and a stamp that changes with every install, so
that a server reads the parks once per revision.

:func:`install_parks` (admins only: ``geo.accounts.require(…, "import")``) reads a parks file in any
format :func:`geo.io.read_parks` reads — the reader refuses a file without ``park_id``, with a
repeated id or without a coordinate system, with its codes — and makes it the parks in force: a new
version of the PostGIS layer, or the workspace's ``parks.geojson`` replaced in one rename, the
previous one kept in ``parks_versions/`` with who installed it and when (Beijing time).

Codes only: :data:`PARKS_CODES` (words in ``words/store.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import db, io
from geo.accounts import AccessError, Account, require

#: The workspace's own parks, and the shipped ones.
PARKS_FILE = "parks.geojson"
SHIPPED_PARKS = Path(__file__).resolve().parent.parent / "data" / "parks.geojson"
#: The PostGIS layer of the parks (kind, name) in :class:`geo.pgstore.PostgisLayers`.
PARKS_LAYER = ("parks", "parks")
#: Installed parks files of an embedded workspace, and their log (one JSON line per install).
PARKS_VERSIONS_DIR = "parks_versions"
PARKS_LOG = "log.jsonl"
#: Where the parks in force come from.
ORIGINS = ("store", "workspace", "shipped")
#: Every code this module emits (an install is refused with the reader's codes — ``parks_columns_missing``,
#: ``parks_id_repeats``, ``crs_missing`` … of ``geo.io`` — or the access codes of ``geo.accounts``).
PARKS_CODES = ("parks_installed",)
#: Columns of :func:`parks_history`.
HISTORY_COLUMNS = ["version", "installed_at", "account", "source", "parks", "current"]


@dataclass(frozen=True)
class ParksInForce:
    """The parks a workspace uses: a file :func:`geo.io.read_parks` reads, a cache stamp, where from."""

    path: Path
    stamp: tuple
    origin: str


def _file_stamp(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return (str(path), 0, 0, 0)
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size)


def _db_key(url: str) -> str:
    """The same key as :class:`geo.pgstore.PostgisParcels` names its cache folder with."""
    return hashlib.sha256(db.libpq_url(url).encode()).hexdigest()[:12]


def _layer_version(url: str) -> int | None:
    """The version in force of PostGIS's parks layer (None when never installed): one query."""
    kind, name = PARKS_LAYER
    with db.Database(url).connect() as con:
        if not con.table_exists("layer_version"):
            return None
        got = con.value("SELECT MAX(version) FROM layer_version WHERE kind = ? AND name = ?", (kind, name))
    return None if got is None else int(got)


def _cache_file(url: str, root: Path, version: int) -> Path:
    from geo.pgstore import CACHE_DIR

    return Path(root) / CACHE_DIR / _db_key(url) / f"parks_v{version}.parquet"


def _materialise(url: str, root: Path, version: int) -> Path:
    """PostGIS's parks layer (version ``version``) as a GeoParquet file in this process's cache folder."""
    target = _cache_file(url, root, version)
    if target.exists():
        return target
    from geo import workspace
    from geo.pgstore import PostgisLayers

    return workspace.write_atomic(PostgisLayers(url, cache_root=root).read(*PARKS_LAYER), target)


def parks_in_force(root: str | Path) -> ParksInForce:
    """
    The parks of the workspace ``root``: PostGIS's layer (with ``GXLAND_DATABASE_URL``, when
    installed), else the workspace's ``parks.geojson``, else the shipped one.
    """
    root = Path(root)
    url = db.database_url()
    if url:
        version = _layer_version(url)
        if version is not None:
            return ParksInForce(_materialise(url, root, version), ("postgis", _db_key(url), version), "store")
    own = root / PARKS_FILE
    if own.is_file():
        return ParksInForce(own, _file_stamp(own), "workspace")
    return ParksInForce(SHIPPED_PARKS, _file_stamp(SHIPPED_PARKS), "shipped")


def read_parks(root: str | Path) -> gpd.GeoDataFrame:
    """The parks in force of the workspace ``root``, read (:func:`geo.io.read_parks`)."""
    return io.read_parks(parks_in_force(root).path)


# --------------------------------------------------------------------------- installing


def read_parks_file(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """
    A parks file as an install takes it: :func:`geo.io.read_parks` (refuses ``parks_columns_missing``,
    ``parks_id_repeats``, ``parks_id_empty``, ``table_no_rows``, ``crs_missing`` — a file without a
    coordinate system, unless its coordinates are degrees, taken as CGCS2000 as every reader does).
    """
    return io.read_parks(path, layer=layer)


def _beijing(now: datetime | None) -> datetime:
    from geo.workspace import _beijing as beijing

    return beijing(now)


def install_parks(root: str | Path, path: str | Path, *, account: Account, source: str | None = None,
                  layer: str | None = None, now: datetime | None = None) -> dict:
    """
    Make the parks of ``path`` the workspace's parks in force (admins only).

    Returns
    -------
    manifest
        ``version``, ``installed_at`` (Beijing time, ISO), ``account``, ``role``, ``source``, ``parks``
        (how many), ``store`` (``postgis`` or ``workspace``).

    Raises
    ------
    geo.accounts.AccessError
        ``access_needs_admin`` (or ``access_no_account``) — checked before the file is read.
    geo.io.DataError
        The file refused (the reader's codes).
    """
    try:
        require(account, "import", scoped=False)
    except AccessError as exc:
        if "action" in exc.params:
            exc.params["action"] = "install_parks"  # what was refused, in the refusal's words
        raise
    root = Path(root)
    gdf = read_parks_file(path, layer=layer)
    source = source or Path(path).name
    now = _beijing(now)
    url = db.database_url()
    if url:
        from geo.pgstore import PostgisLayers

        version = PostgisLayers(url, cache_root=root).save(*PARKS_LAYER, gdf, source=source, user=account.name,
                                                           now=now)
        store = "postgis"
    else:
        version = _install_embedded(root, gdf, account=account, source=source, now=now)
        store = "workspace"
    return {"code": "parks_installed", "version": version, "installed_at": now.isoformat(timespec="seconds"),
            "account": account.name, "role": account.role, "source": source, "parks": len(gdf), "store": store}


def _install_embedded(root: Path, gdf: gpd.GeoDataFrame, *, account: Account, source: str, now: datetime) -> int:
    """``parks.geojson`` replaced in one rename (under the workspace's install lock), the install logged."""
    from geo import workspace

    ws = workspace.Workspace(root)
    folder = root / PARKS_VERSIONS_DIR
    with workspace._installing(ws):
        folder.mkdir(parents=True, exist_ok=True)
        log = _embedded_log(root)
        version = max((int(e["version"]) for e in log), default=0) + 1
        kept = folder / f"parks_v{version:04d}.geojson"
        workspace.write_atomic(gdf, kept)
        tmp = root / f".parks-{os.getpid()}-{uuid.uuid4().hex[:8]}.geojson"
        try:
            shutil.copyfile(kept, tmp)
            workspace._atomic_replace(tmp, root / PARKS_FILE)
        finally:
            tmp.unlink(missing_ok=True)
        entry = {"version": version, "installed_at": now.isoformat(timespec="seconds"), "account": account.name,
                 "role": account.role, "source": source, "parks": len(gdf), "file": kept.name}
        with open(folder / PARKS_LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
    return version


def _embedded_log(root: Path) -> list[dict]:
    path = Path(root) / PARKS_VERSIONS_DIR / PARKS_LOG
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue  # a line cut by a crash mid-write
    return out


def parks_history(root: str | Path) -> pd.DataFrame:
    """
    The installs of parks, newest first (:data:`HISTORY_COLUMNS`; ``installed_at`` Beijing time without
    zone): PostGIS's layer versions with ``GXLAND_DATABASE_URL``, else the workspace's log.
    """
    from geo.workspace import BEIJING

    url = db.database_url()
    if url:
        kind, name = PARKS_LAYER
        with db.Database(url).connect() as con:
            if not con.table_exists("layer_version"):
                return pd.DataFrame(columns=HISTORY_COLUMNS)
            out = con.frame("SELECT version, recorded_at AS installed_at, user_name AS account, source,"
                            " features AS parks FROM layer_version WHERE kind = ? AND name = ? ORDER BY version",
                            (kind, name))
    else:
        out = pd.DataFrame(_embedded_log(root)).reindex(columns=HISTORY_COLUMNS[:-1])
    if out.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    out["installed_at"] = pd.to_datetime(out["installed_at"], utc=True, format="ISO8601").dt.tz_convert(BEIJING) \
        .dt.tz_localize(None)
    out["version"] = out["version"].astype(int)
    out["parks"] = out["parks"].astype(int)
    out["current"] = out["version"] == out["version"].max()
    return out[HISTORY_COLUMNS].iloc[::-1].reset_index(drop=True)
