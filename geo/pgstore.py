"""
The workspace's parcels in PostGIS: read, install a new version, list versions, restore.

The same four acts as the embedded workspace (:mod:`geo.workspace`: ``parcels.gpkg`` and ``versions/``),
for a bureau server whose store is a PostgreSQL database with PostGIS (``GXLAND_DATABASE_URL``):

- every installed version is a table of its own, ``parcels_v0001``, ``parcels_v0002`` …, with a PostGIS
  ``geometry`` column in the data's CRS (its EPSG code as SRID), written by geopandas ``to_postgis``;
- ``parcel_version`` (append-only) holds one row per version with what the embedded manifest holds:
  Beijing time of the install, mode, source file name, the account and its role, counts, the version restored from;
- the current data are the latest version: an install or a restore appends a version, so a restore is
  itself undone by restoring again; versions are numbered by the database, under an advisory lock that
  serialises installs of every app process (the embedded workspace's lock file is one machine's);
- :meth:`PostgisParcels.local_file` gives the current version as a GeoParquet file in a per-process
  cache folder, named by its version id, so the readers (:func:`geo.io.read_parcels`) and the pages'
  caches work as on a workspace file; the database, not the file's time, says which version is current.

:func:`parcel_store` chooses between :class:`EmbeddedParcels` and :class:`PostgisParcels` by the setting.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import Protocol

import geopandas as gpd
import pandas as pd

from geo import db, io

#: Serialises installs and restores of one database (every app process).
_INSTALL_LOCK = 0x67786C70  # "gxlp"
VERSION_TABLE = "parcel_version"
#: Where :meth:`PostgisParcels.local_file` keeps the current version (inside the workspace folder).
CACHE_DIR = ".postgis-cache"
#: A database made before the account's role was kept with each version gets the column (NULL for those).
_SCHEMA_UPGRADE = "ALTER TABLE parcel_version ADD COLUMN IF NOT EXISTS role TEXT;\n"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS parcel_version (
    version_id TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    installed_at {timestamp} NOT NULL,
    mode TEXT NOT NULL,
    source TEXT,
    user_name TEXT,
    counts {json} NOT NULL,
    restored_from TEXT,
    srid INTEGER,
    role TEXT
);
CREATE TABLE IF NOT EXISTS column_mapping (
    entry_id {id},
    signature TEXT NOT NULL,
    payload {json} NOT NULL,
    recorded_at {timestamp} NOT NULL
);
"""


class ParcelStore(Protocol):
    """
    What the workspace does with its parcels, whichever backend holds them. Callers go through
    :func:`geo.workspace.install` / :func:`geo.workspace.restore`, which check the account's right
    (``geo.accounts.require``) and record it; a backend is only ever called by them.
    """

    def current_file(self) -> Path:
        """The current parcels as a file :func:`geo.io.read_parcels` reads (``NoParcelFile`` when none)."""

    def install(self, incoming: gpd.GeoDataFrame, mode: str = "replace", *, user: str | None = None,
                now: datetime | None = None, source: str | None = None, parks: gpd.GeoDataFrame | None = None
                ) -> dict:
        """Install ``incoming`` in ``mode``; returns the new version's manifest."""

    def list_versions(self) -> pd.DataFrame:
        """The kept versions, newest first (columns of :func:`geo.workspace.list_versions`)."""

    def restore(self, version_id: str, *, user: str | None = None, now: datetime | None = None) -> dict:
        """Make a kept version current again, as a new version."""


class EmbeddedParcels:
    """The workspace folder's parcel file and ``versions/`` (:mod:`geo.workspace`)."""

    def __init__(self, ws):
        self.ws = ws

    def current_file(self) -> Path:
        from geo import workspace

        return workspace._current_file(self.ws) or self.ws.parcels_path

    def install(self, incoming, mode="replace", **kwargs) -> dict:
        from geo import workspace

        return workspace.install(self.ws, incoming, mode, **kwargs)

    def list_versions(self) -> pd.DataFrame:
        from geo import workspace

        return workspace.list_versions(self.ws)

    def restore(self, version_id, **kwargs) -> dict:
        from geo import workspace

        return workspace.restore(self.ws, version_id, **kwargs)


def parcel_store(ws) -> ParcelStore:
    """The workspace's parcels: in PostGIS when ``GXLAND_DATABASE_URL`` is set, else the folder's files."""
    url = db.database_url()
    return PostgisParcels(url, cache_root=ws.root) if url else EmbeddedParcels(ws)


def postgis_database(url: str, cache_root: str | Path | None) -> tuple[db.Database, Path]:
    """
    A PostGIS store's database (any other URL refused) and the folder under which each process
    keeps its copies of what it read (``<cache_root>/.postgis-cache``; default a temp folder).
    """
    database = db.Database(url)
    if database.kind != "postgresql":
        raise db.StoreError("db_url_unsupported", scheme=str(url).split(":", 1)[0], expected="postgresql://")
    if cache_root is None:
        import tempfile

        cache_root = Path(tempfile.gettempdir()) / "gxland"
    return database, Path(cache_root)


def _table(version_id: str) -> str:
    return f"parcels_v{version_id}"


def _srid(gdf: gpd.GeoDataFrame) -> int | None:
    return gdf.crs.to_epsg() if gdf.crs is not None else None


class PostgisParcels:
    """
    A workspace's parcels and their versions in a PostGIS database.

    Parameters
    ----------
    url
        The database (``postgresql://…``); the PostGIS extension must be there (``CREATE EXTENSION postgis``).
    cache_root
        The folder whose ``.postgis-cache/`` holds :meth:`local_file`'s copy (default: a temp folder).
    """

    def __init__(self, url: str, *, cache_root: str | Path | None = None):
        self.db, self.cache_root = postgis_database(url, cache_root)
        self.url = self.db.url
        self._engine = None
        with self.db.connect() as con:
            if con.value("SELECT COUNT(*) FROM pg_extension WHERE extname = 'postgis'") == 0:
                raise db.StoreError("db_postgis_missing", url=db.redacted(self.url), sql="CREATE EXTENSION postgis;")
        self.db.ensure_schema("parcels", _SCHEMA, append_only=(VERSION_TABLE, "column_mapping"),
                              postgresql_extra=_SCHEMA_UPGRADE)

    # ------------------------------------------------------------------ plumbing

    @property
    def engine(self):
        """SQLAlchemy engine (psycopg 3) for geopandas' PostGIS reading and writing."""
        if self._engine is None:
            from sqlalchemy import create_engine
            from sqlalchemy.pool import NullPool

            self._engine = create_engine(db.sqlalchemy_url(self.url), poolclass=NullPool)
        return self._engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _versions(self) -> pd.DataFrame:
        sql = ("SELECT version_id, table_name, installed_at, mode, source, user_name, role, counts, restored_from,"
               " srid FROM parcel_version ORDER BY version_id")
        with self.db.connect() as con:
            return con.frame(sql)

    def current_version(self) -> str | None:
        """The id of the current version (the latest), or None before the first install."""
        with self.db.connect() as con:
            return con.value("SELECT MAX(version_id) FROM parcel_version")

    def revision(self) -> str:
        """Changes with every install or restore (a cache key shared by every app process)."""
        return self.current_version() or "0000"

    def read_version(self, version_id: str) -> gpd.GeoDataFrame:
        """One version's parcels, in its CRS, in the order installed."""
        from sqlalchemy import text

        vid = str(version_id).strip().zfill(4)
        with self.engine.connect() as conn:
            table = conn.execute(text("SELECT table_name FROM parcel_version WHERE version_id = :v"),
                                 {"v": vid}).scalar()
            if table is None:
                from geo.workspace import WorkspaceError

                raise WorkspaceError("version_not_found", version=str(version_id),
                                     versions=list(self._versions()["version_id"]))
            return self._read_table(conn, table)

    @staticmethod
    def _read_table(conn, table: str) -> gpd.GeoDataFrame:
        gdf = gpd.read_postgis(f'SELECT * FROM "{table}" ORDER BY "__row"', conn, geom_col="geometry")
        return gdf.drop(columns="__row").reset_index(drop=True)

    def read(self) -> gpd.GeoDataFrame | None:
        """The current parcels (None before the first install)."""
        vid = self.current_version()
        return None if vid is None else self.read_version(vid)

    def current_file(self) -> Path:
        """The current version as a GeoParquet file (the cache of this process, by version id)."""
        vid = self.current_version()
        if vid is None:
            from geo.workspace import NoParcelFile

            raise NoParcelFile(self.cache_root)
        return self.local_file(vid)

    def local_file(self, version_id: str) -> Path:
        folder = self.cache_root / CACHE_DIR / self._db_key()
        target = folder / f"parcels_v{version_id}.parquet"
        if target.exists():
            return target
        from geo import workspace

        return workspace.write_atomic(self.read_version(version_id), target)

    def _db_key(self) -> str:
        import hashlib

        return hashlib.sha256(self.url.encode()).hexdigest()[:12]

    # ------------------------------------------------------------------ writing

    def _append_version(self, conn, gdf: gpd.GeoDataFrame, *, mode: str, source: str | None, counts: dict,
                        user: str | None, now: datetime, restored_from: str | None = None,
                        version_id: str | None = None, role: str | None = None) -> dict:
        """Inside a transaction holding the install lock: ``gdf`` as the next version."""
        from sqlalchemy import text

        if version_id is None:
            last = conn.execute(text("SELECT MAX(version_id) FROM parcel_version")).scalar()
            version_id = f"{int(last or 0) + 1:04d}"
        table = _table(version_id)
        from geo.workspace import DERIVED_COLUMNS

        # The areas are derived when the version is read (as from any file, geo.workspace.read_stored): kept
        # here they would come back as columns of the bureau's data ("not recognised" on every page).
        out = gdf.drop(columns=[c for c in DERIVED_COLUMNS if c in gdf.columns]).reset_index(drop=True)
        out["__row"] = range(len(out))
        geom = out.geometry.name
        if geom != "geometry":
            out = out.rename_geometry("geometry")
        # geopandas writes into "public" unless told: the schema the connection works in (its search_path).
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        out.to_postgis(table, conn, schema=schema, if_exists="fail", index=False)
        manifest = {
            "version_id": version_id,
            "file": table,
            "installed_at": now.isoformat(timespec="seconds"),
            "mode": mode,
            "source": source,
            "user": user or None,
            "role": role or None,
            "counts": {k: int(v) for k, v in counts.items()},
            "restored_from": restored_from,
        }
        conn.execute(
            text("INSERT INTO parcel_version (version_id, table_name, installed_at, mode, source, user_name, role,"
                 " counts, restored_from, srid) VALUES (:v, :t, :at, :m, :s, :u, :role, :c, :r, :srid)"),
            {"v": version_id, "t": table, "at": now, "m": mode, "s": source, "u": user or None, "role": role or None,
             "c": json.dumps(manifest["counts"]), "r": restored_from, "srid": _srid(gdf)},
        )
        return manifest

    def _locked(self):
        """A transaction holding the install lock of the database (every app process queues on it)."""
        from contextlib import contextmanager

        from sqlalchemy import text

        @contextmanager
        def block():
            with self.engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _INSTALL_LOCK})
                yield conn

        return block()

    def install(self, incoming: gpd.GeoDataFrame, mode: str = "replace", *, user: str | None = None,
                now: datetime | None = None, source: str | None = None, parks: gpd.GeoDataFrame | None = None,
                role: str | None = None) -> dict:
        """
        Install ``incoming`` in ``mode`` (:data:`geo.workspace.IMPORT_MODES`) as a new version; the installed
        data are read again under the lock, so what another server installed since the preview is merged.
        """
        from geo import workspace

        if mode not in workspace.IMPORT_MODES:
            raise workspace.WorkspaceError("import_mode_unknown", mode=str(mode), modes=list(workspace.IMPORT_MODES))
        if not isinstance(incoming, gpd.GeoDataFrame) or incoming._geometry_column_name not in incoming \
                or incoming.geometry.isna().all():
            raise workspace.WorkspaceError("install_no_geometry")
        now = workspace._beijing(now)
        with self._locked() as conn:
            vid = conn.exec_driver_sql("SELECT MAX(version_id) FROM parcel_version").scalar()
            current = None
            if vid is not None:
                current = self._read_table(conn, _table(vid))
            diff = workspace.preview_import(current, incoming, mode)
            merged = workspace.merge_import(current, incoming, mode)
            counts = {**diff.counts, "parcels": len(merged)}
            return self._append_version(conn, merged, mode=mode, source=source, counts=counts, user=user, now=now,
                                        role=role)

    def list_versions(self) -> pd.DataFrame:
        """The versions, newest first, in the columns of :func:`geo.workspace.list_versions`."""
        from geo import workspace

        cols = ["version_id", "installed_at", "mode", "source", "user", "role", "parcels",
                *workspace.IMPORT_OUTCOMES, "restored_from", "current"]
        v = self._versions()
        if v.empty:
            return pd.DataFrame(columns=cols)
        counts = pd.json_normalize([json.loads(c) for c in v["counts"]]).reindex(
            columns=["parcels", *workspace.IMPORT_OUTCOMES])
        out = pd.concat([v.drop(columns=["counts"]).rename(columns={"user_name": "user"}), counts], axis=1)
        # Stored as a moment (UTC); shown as the embedded store shows it: Beijing time, no zone.
        out["installed_at"] = pd.to_datetime(out["installed_at"], utc=True).dt.tz_convert(workspace.BEIJING) \
            .dt.tz_localize(None)
        out["current"] = out["version_id"] == out["version_id"].max()
        out = out.reindex(columns=cols)
        return out.iloc[::-1].reset_index(drop=True)

    def restore(self, version_id: str, *, user: str | None = None, now: datetime | None = None,
                role: str | None = None) -> dict:
        """Make version ``version_id`` current again, as a new version (itself restorable)."""
        from geo import workspace

        vid = str(version_id).strip().zfill(4)
        versions = self._versions()
        found = versions[versions["version_id"] == vid]
        if found.empty:
            raise workspace.WorkspaceError("version_not_found", version=str(version_id),
                                           versions=list(versions["version_id"]))
        row = found.iloc[-1]
        now = workspace._beijing(now)
        parcels = json.loads(row["counts"]).get("parcels")
        counts = {"parcels": parcels} if parcels is not None else {}
        with self._locked() as conn:
            gdf = self._read_table(conn, row["table_name"])
            return self._append_version(conn, gdf, mode="restore", source=row["source"], counts=counts, user=user,
                                        now=now, restored_from=vid, role=role)

    # ------------------------------------------------------------------ remembered column mappings

    def mappings(self) -> dict:
        """Header signature → the mapping last saved for it (``geo.workspace.mapping_for`` reads it)."""
        with self.db.connect() as con:
            rows = con.rows("SELECT signature, payload FROM column_mapping ORDER BY entry_id")
        return {r["signature"]: json.loads(r["payload"]) for r in rows}

    def save_mapping(self, signature: str, entry: dict) -> None:
        from datetime import UTC

        with self.db.connect() as con, con.transaction():
            con.execute("INSERT INTO column_mapping (signature, payload, recorded_at) VALUES (?, ?, ?)",
                        (signature, json.dumps(entry, ensure_ascii=False),
                         datetime.now(UTC).isoformat(timespec="seconds")))

    # ------------------------------------------------------------------ migration

    def counts(self) -> dict[str, int]:
        """Rows per version (``{version_id: rows}``)."""
        out = {}
        with self.db.connect() as con:
            for r in con.rows("SELECT version_id, table_name FROM parcel_version ORDER BY version_id"):
                out[r["version_id"]] = int(con.value(f'SELECT COUNT(*) FROM "{r["table_name"]}"'))
        return out

    def drop_all(self) -> None:
        """Remove every version (``migrate --force`` only: the versions' log is otherwise append-only)."""
        with self.db.connect() as con, con.transaction():
            tables = [r["table_name"] for r in con.rows("SELECT table_name FROM parcel_version")] \
                if con.table_exists(VERSION_TABLE) else []
            for t in tables:
                con.execute(f'DROP TABLE IF EXISTS "{t}"')
            con.execute(f"DROP TABLE IF EXISTS {VERSION_TABLE}")
            con.execute("DROP TABLE IF EXISTS column_mapping")
        db.Database.forget(self.db.location)
        self.db.ensure_schema("parcels", _SCHEMA, append_only=(VERSION_TABLE, "column_mapping"),
                              postgresql_extra=_SCHEMA_UPGRADE)

    def append_version(self, gdf: gpd.GeoDataFrame, manifest: dict) -> dict:
        """Keep ``gdf`` as the version ``manifest`` describes (its id, time, mode …): the migration's way in."""
        when = datetime.fromisoformat(str(manifest["installed_at"]))
        with self._locked() as conn:
            return self._append_version(conn, gdf, mode=manifest["mode"], source=manifest.get("source"),
                                        counts=manifest.get("counts") or {}, user=manifest.get("user"), now=when,
                                        restored_from=manifest.get("restored_from"),
                                        version_id=manifest["version_id"], role=manifest.get("role"))


# --------------------------------------------------------------------------- named layers

#: Kinds of named layers kept in PostGIS: the constraint layers of the assessment (by
#: ``geo.assessment.CONSTRAINT_LAYERS`` id) and the parks (one layer, ``parks``).
LAYER_KINDS = ("constraints", "parks")

_LAYER_SCHEMA = """
CREATE TABLE IF NOT EXISTS layer_version (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    source TEXT,
    user_name TEXT,
    recorded_at {timestamp} NOT NULL,
    srid INTEGER,
    features INTEGER NOT NULL,
    PRIMARY KEY (kind, name, version)
);
"""


class PostgisLayers:
    """
    Named layers (constraint layers, parks) in PostGIS: each saved layer is a new table
    ``layer_<kind>_<name>_v<n>`` and a row of the append-only ``layer_version``; the latest version of
    each name is in force. :meth:`local_folder` gives the layers in force as GeoParquet files named by the
    layer (``basic_farmland.parquet`` …) in a per-process cache folder named by the database's state, so
    the folder readers (``geo.assessment.read_constraints``) and the pages' caches work unchanged.
    """

    def __init__(self, url: str, *, cache_root: str | Path | None = None):
        self.parcels = PostgisParcels(url, cache_root=cache_root)
        self.db = self.parcels.db
        self.db.ensure_schema("layers", _LAYER_SCHEMA, append_only=("layer_version",))

    def current(self, kind: str) -> pd.DataFrame:
        """The version in force of each layer of ``kind``: ``name``, ``version``, ``table_name``, ``source`` …"""
        with self.db.connect() as con:
            return con.frame(
                "SELECT v.name, v.version, v.table_name, v.source, v.user_name, v.recorded_at, v.features"
                " FROM layer_version v WHERE v.kind = ? AND v.version = (SELECT MAX(w.version) FROM layer_version w"
                " WHERE w.kind = v.kind AND w.name = v.name) ORDER BY v.name", (kind,))

    def save(self, kind: str, name: str, gdf: gpd.GeoDataFrame, *, source: str | None = None,
             user: str | None = None, now: datetime | None = None) -> int:
        """Keep ``gdf`` as the new version of layer ``name``; returns its version number."""
        from sqlalchemy import text

        from geo import workspace

        now = workspace._beijing(now)
        with self.parcels._locked() as conn:
            last = conn.execute(text("SELECT MAX(version) FROM layer_version WHERE kind = :k AND name = :n"),
                                {"k": kind, "n": name}).scalar()
            version = int(last or 0) + 1
            table = f"layer_{kind}_{name}_v{version}"
            out = gdf.reset_index(drop=True).copy()
            out["__row"] = range(len(out))
            if out.geometry.name != "geometry":
                out = out.rename_geometry("geometry")
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
            out.to_postgis(table, conn, schema=schema, if_exists="fail", index=False)
            conn.execute(
                text("INSERT INTO layer_version (kind, name, version, table_name, source, user_name, recorded_at,"
                     " srid, features) VALUES (:k, :n, :v, :t, :s, :u, :at, :srid, :f)"),
                {"k": kind, "n": name, "v": version, "t": table, "s": source, "u": user, "at": now,
                 "srid": _srid(gdf), "f": len(gdf)})
        return version

    def drop_all(self) -> None:
        """Remove every layer (``migrate --force`` only: the layers' log is otherwise append-only)."""
        with self.db.connect() as con, con.transaction():
            for t in [r["table_name"] for r in con.rows("SELECT table_name FROM layer_version")]:
                con.execute(f'DROP TABLE IF EXISTS "{t}"')
            con.execute("DROP TABLE IF EXISTS layer_version")
        db.Database.forget(self.db.location)
        self.db.ensure_schema("layers", _LAYER_SCHEMA, append_only=("layer_version",))

    def read(self, kind: str, name: str) -> gpd.GeoDataFrame | None:
        cur = self.current(kind)
        hit = cur[cur["name"] == name]
        if hit.empty:
            return None
        with self.parcels.engine.connect() as conn:
            return self.parcels._read_table(conn, hit["table_name"].iloc[0])

    def local_folder(self, kind: str) -> Path:
        """The layers of ``kind`` in force as ``<name>.parquet`` files (a folder per state of the database)."""
        import hashlib

        cur = self.current(kind)
        state = hashlib.sha256("|".join(f"{n}:{v}" for n, v in zip(cur["name"], cur["version"], strict=True))
                               .encode()).hexdigest()[:12]
        folder = self.parcels.cache_root / CACHE_DIR / self.parcels._db_key() / f"{kind}-{state}"
        if folder.is_dir():
            return folder
        tmp = folder.with_name(f".{folder.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        tmp.mkdir(parents=True)
        for name in cur["name"]:
            io.write_table(self.read(kind, name), tmp / f"{name}.parquet")
        try:
            os.replace(tmp, folder)
        except OSError:  # another session of this process wrote the same state first
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        return folder


def shared_layers(ws) -> PostgisLayers | None:
    """The named layers in PostGIS when ``GXLAND_DATABASE_URL`` is set, else None (the workspace's files)."""
    url = db.database_url()
    return PostgisLayers(url, cache_root=ws.root) if url else None
