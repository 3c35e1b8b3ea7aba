"""
Moving a bureau's store between the embedded workspace and PostGIS, and back.

``python -m geo migrate --to postgresql://…`` copies a workspace folder (parcels and their kept versions,
cases with their attachments, review decisions) into a PostGIS database; ``--from postgresql://…
--to-workspace DIR`` copies a database into a workspace folder. Both:

- refuse a target that already holds data unless ``force`` (then the target's store tables — or store
  files — are removed first: the append-only logs are replaced, never merged);
- keep entry ids, times (UTC), officers and users, version ids, modes and Beijing times of installs;
- check after copying that every table has as many rows as its source (case entries, attachments,
  review decisions, each parcel version, each constraint layer, the parks) and that every parcel version
  kept its CRS, and report the numbers — decisions (confirm/dismiss), cases (parcels with a case) and
  audit entries among them.

The parks: a workspace's own ``parks.geojson`` when it has one, else the shipped ``data/parks.geojson``,
go to PostGIS as the layer ``parks`` (:mod:`geo.parkstore`); the constraint layers are the workspace's own
``constraints/``; the imagery (:mod:`geo.imagestore`): the files of the workspace's ``imagery/`` folder, and
back the files in force of the database, byte for byte (SHA-256 checked).

Codes only (:data:`MIGRATE_CODES`; words in ``words/store.py``).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import db, imagestore, io, parkstore
from geo.cases import CASES_FILE, CaseStore
from geo.errors import CodedError
from geo.review import REVIEW_FILE, ReviewStore

#: Refusals of a migration.
MIGRATE_ERROR_CODES = ("migrate_target_not_empty", "migrate_count_mismatch", "migrate_crs_mismatch",
                       "migrate_same_store", "migrate_needs_source")
#: Every code a migration reports or refuses with.
MIGRATE_CODES = (*MIGRATE_ERROR_CODES, "migrate_copied", "migrate_crs_kept")
#: The store's tables, in the order they are copied, with the column that orders and keys them.
TABLES: dict[str, str] = {"case_attachment": "sha256", "case_log": "entry_id", "start_agreement": "agreement_id",
                          "review_log": "entry_id", "account": "name", "account_log": "entry_id"}
#: The account store's tables (login sessions are not copied: every login starts afresh).
ACCOUNT_TABLES = ("account", "account_log")


#: A workspace's own constraint layers and parks (the app falls back to the shipped ones).
CONSTRAINTS_DIR = "constraints"
PARKS_FILE = parkstore.PARKS_FILE
SHIPPED_PARKS = parkstore.SHIPPED_PARKS


def _store_file(table: str) -> str:
    """The workspace file of a table of :data:`TABLES`."""
    if table in ACCOUNT_TABLES:
        from geo.accounts import ACCOUNTS_FILE

        return ACCOUNTS_FILE
    return CASES_FILE if _in_cases(table) else REVIEW_FILE


def _in_cases(table: str) -> bool:
    """Whether a table of :data:`TABLES` is the case store's (the rest are the review store's)."""
    return table.startswith("case_") or table == "start_agreement"


class MigrateError(CodedError):
    """A migration refused or failed its checks: ``code`` of :data:`MIGRATE_ERROR_CODES`."""


# --------------------------------------------------------------------------- the two ends


class _End:
    """One end of a migration: a workspace folder or a PostgreSQL database."""

    def __init__(self, target: str | Path):
        self.url = db.libpq_url(target) if db.is_url(target) else None
        self.root = None if self.url else Path(target)

    @property
    def name(self) -> str:
        return db.redacted(self.url) if self.url else str(self.root)

    def location(self, file: str) -> str | Path:
        return self.url if self.url else self.root / file

    def cases(self) -> CaseStore:
        return CaseStore(self.location(CASES_FILE))

    def review(self) -> ReviewStore:
        return ReviewStore(self.location(REVIEW_FILE))

    def accounts(self):
        from geo.accounts import ACCOUNTS_FILE, AccountStore

        return AccountStore(self.location(ACCOUNTS_FILE), workspace=self.root)

    def database(self, table: str) -> db.Database:
        if table in ACCOUNT_TABLES:
            return self.accounts().db
        return (self.cases() if _in_cases(table) else self.review()).db

    def has(self, table: str) -> bool:
        """Whether the table's store exists (a workspace's file; a database always has its stores)."""
        return self.root is None or (self.root / _store_file(table)).exists()

    def counts(self) -> dict[str, int]:
        """Rows per store table (0 where there is no table or no file); parcel versions as ``parcels``."""
        out = {}
        for table in TABLES:
            if not self.has(table):
                out[table] = 0
                continue
            with self.database(table).connect() as con:
                out[table] = int(con.value(f"SELECT COUNT(*) FROM {table}")) if con.table_exists(table) else 0
        out["parcels"] = sum(self.parcel_counts().values())
        out["constraint_layers"] = len(self.layer_counts())
        out["imagery_files"] = self.imagery().count()
        return out

    def imagery(self):
        """The imagery (:mod:`geo.imagestore`): the database's files in force, or the folder's ``imagery/``."""
        return imagestore.PostgisImagery(self.url) if self.url else imagestore.EmbeddedImagery(self.root)

    # ---------------------------------------------------------------- constraint layers and parks

    def layers(self):
        from geo.pgstore import PostgisLayers

        return PostgisLayers(self.url) if self.url else None

    def layer_counts(self) -> dict[str, int]:
        """Features per constraint layer the store holds (a workspace's own ``constraints/`` files)."""
        if self.url:
            cur = self.layers().current("constraints")
            return dict(zip(cur["name"], cur["features"].astype(int), strict=True))
        from geo import assessment

        files = assessment.constraint_files(self.root / CONSTRAINTS_DIR)
        return {k: len(io.read_parcels(p).gdf) for k, p in files.items() if p is not None}

    def parks_count(self) -> int:
        """Parks the store holds: PostGIS's ``parks`` layer; a workspace's ``parks.geojson`` or the shipped one."""
        if self.url:
            got = self.layers().read("parks", "parks")
            return 0 if got is None else len(got)
        return len(io.read_parks(_parks_file(self.root)))

    # ---------------------------------------------------------------- parcels

    def parcels(self):
        if self.url:
            from geo.pgstore import PostgisParcels

            return PostgisParcels(self.url)
        return None

    def parcel_counts(self) -> dict[str, int]:
        if self.url:
            return self.parcels().counts()
        return {m["version_id"]: len(gdf) for m, gdf in _workspace_versions(self.root, read=True)}

    def wipe(self) -> None:
        """Remove the store's tables or files (``force``)."""
        if self.url:
            with db.Database(self.url).connect() as con, con.transaction():
                for table in (*TABLES, "case_parcel", "account_session", "account_lock"):
                    con.execute(f"DROP TABLE IF EXISTS {table}")
            db.Database.forget(self.url)
            self.parcels().drop_all()
            self.layers().drop_all()
            self.imagery().drop_all()
            return
        from geo import workspace

        for file in (CASES_FILE, REVIEW_FILE, _store_file("account")):
            for suffix in ("", "-wal", "-shm", "-journal"):
                (self.root / (file + suffix)).unlink(missing_ok=True)
        for name in workspace.PARCEL_FILE_CANDIDATES:
            (self.root / name).unlink(missing_ok=True)
        for sub in (workspace.VERSIONS_DIR, CONSTRAINTS_DIR, imagestore.IMAGERY_DIR, parkstore.PARKS_VERSIONS_DIR):
            folder = self.root / sub
            if folder.is_dir():
                for p in folder.iterdir():
                    if p.is_file():
                        p.unlink()
        (self.root / PARKS_FILE).unlink(missing_ok=True)
        (self.root / workspace.MAPPINGS_FILE).unlink(missing_ok=True)


def _parks_file(root: Path) -> Path:
    own = root / PARKS_FILE
    return own if own.exists() else SHIPPED_PARKS


def _copy_layers(src: _End, dst: _End) -> list[dict]:
    """The constraint layers (and the parks) from one end to the other, counts and CRS checked."""
    from geo import assessment

    items = []
    if dst.url:
        layers = dst.layers()
        for name, path in assessment.constraint_files(src.root / CONSTRAINTS_DIR).items():
            if path is None:
                continue
            gdf = io.read_parcels(path).gdf
            layers.save("constraints", name, gdf, source=path.name)
            _check_layer(name, gdf, layers.read("constraints", name))
            items.append(name)
        parks = io.read_parks(_parks_file(src.root))
        # Who installed the workspace's parks, and when (geo.parkstore's log), go along.
        log = parkstore._embedded_log(src.root) if _parks_file(src.root) != SHIPPED_PARKS else []
        last = log[-1] if log else {}
        layers.save("parks", "parks", parks, source=last.get("source") or _parks_file(src.root).name,
                    user=last.get("account"),
                    now=datetime.fromisoformat(last["installed_at"]) if last.get("installed_at") else None)
        _check_layer("parks", parks, layers.read("parks", "parks"))
    else:
        layers = src.layers()
        folder = dst.root / CONSTRAINTS_DIR
        for name in layers.current("constraints")["name"]:
            gdf = layers.read("constraints", name)
            folder.mkdir(parents=True, exist_ok=True)
            io.write_table(gdf, folder / f"{name}.gpkg")
            _check_layer(name, gdf, io.read_parcels(folder / f"{name}.gpkg").gdf)
            items.append(name)
        parks = layers.read("parks", "parks")
        if parks is not None:
            io.write_table(parks, dst.root / PARKS_FILE)
            _check_layer("parks", parks, io.read_parks(dst.root / PARKS_FILE))
    return items


def _copy_imagery(src: _End, dst: _End) -> int:
    """The imagery files (the folder's, or the database's in force) to the other end, byte for byte."""
    from geo.workspace import BEIJING

    if dst.url:
        store = dst.imagery()
        for row in imagestore.EmbeddedImagery(src.root).files().itertuples(index=False):
            when = datetime.fromtimestamp(row.path.stat().st_mtime, BEIJING)
            store.append(row.path.read_bytes(), kind=row.kind, park_id=row.park_id, day=row.image_date,
                         source=row.file_name, now=when)
    else:
        store = src.imagery()
        folder = dst.root / imagestore.IMAGERY_DIR
        for row in store.current().itertuples(index=False):
            folder.mkdir(parents=True, exist_ok=True)
            (folder / row.file_name).write_bytes(store.read_bytes(row.entry_id))
    held = src.imagery().current()
    got = dst.imagery().current()
    if sorted(zip(held["file_name"], held["sha256"], strict=True)) != sorted(zip(got["file_name"], got["sha256"],
                                                                                  strict=True)):
        raise MigrateError("migrate_count_mismatch", store_table="imagery_files", source=len(held), target=len(got))
    return len(got)


def _mappings(end: _End) -> dict:
    from geo import workspace

    if end.url:
        return end.parcels().mappings()
    # The folder's own file, whatever GXLAND_DATABASE_URL says (the workspace functions would follow it).
    try:
        data = json.loads((end.root / workspace.MAPPINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _copy_mappings(src: _End, dst: _End) -> int:
    """The remembered column mappings of the import page (header signature → columns and units)."""
    from geo import workspace

    held = _mappings(src)
    if dst.url:
        for sig, entry in held.items():
            dst.parcels().save_mapping(sig, entry)
    elif held:
        dst.root.mkdir(parents=True, exist_ok=True)
        workspace._write_json_atomic(held, dst.root / workspace.MAPPINGS_FILE)
    if _mappings(dst) != held:
        raise MigrateError("migrate_count_mismatch", store_table="column_mappings", source=len(held),
                           target=len(_mappings(dst)))
    return len(held)


def _check_layer(name: str, source: gpd.GeoDataFrame, target: gpd.GeoDataFrame) -> None:
    if len(source) != len(target):
        raise MigrateError("migrate_count_mismatch", store_table=name, source=len(source), target=len(target))


def _read_file(path: Path) -> gpd.GeoDataFrame:
    """A kept parcel file as it is (no re-reading of columns: the data were read when installed)."""
    if path.suffix.lower() in (".parquet", ".geoparquet"):
        return gpd.read_parquet(path)
    return gpd.read_file(path)


def _workspace_versions(root: Path, *, read: bool):
    """
    The workspace's versions in order, as (manifest, parcels): the kept versions, and the current data
    as a last version where no version holds them (the sample, a file copied in) or where the current
    one is not the latest.
    """
    from geo import workspace

    ws = workspace.Workspace(root)
    ms = workspace._manifests(ws)
    out = []
    for m in ms:
        path = root / workspace.VERSIONS_DIR / m["file"]
        out.append((m, _read_file(path) if read else path))
    # The folder's own parcel file, whatever GXLAND_DATABASE_URL says (ws.parcels_path would follow it).
    current = next((root / n for n in workspace.PARCEL_FILE_CANDIDATES if (root / n).exists()), None)
    if current is not None:
        sha = workspace._sha256(current)
        held = [m for m in ms if m.get("sha256") == sha]
        if not held or held[-1] is not ms[-1]:
            gdf = _read_file(current)
            vid = f"{int(ms[-1]['version_id']) + 1:04d}" if ms else "0001"
            mtime = datetime.fromtimestamp(current.stat().st_mtime, workspace.BEIJING)
            m = {"version_id": vid, "installed_at": mtime.isoformat(timespec="seconds"),
                 "mode": "restore" if held else "existing", "source": current.name, "user": None,
                 "counts": {"parcels": len(gdf)}, "restored_from": held[-1]["version_id"] if held else None}
            out.append((m, gdf if read else current))
    return out


# --------------------------------------------------------------------------- copying


def _copy_table(src: _End, dst: _End, table: str) -> tuple[int, int]:
    """Copy one table's rows (ids kept) in one transaction; returns (source rows, target rows)."""
    key = TABLES[table]
    rows = []
    if src.has(table):
        with src.database(table).connect() as con:
            rows = con.rows(f"SELECT * FROM {table} ORDER BY {key}") if con.table_exists(table) else []
    dst_db = dst.database(table)
    with dst_db.connect() as con, con.transaction():
        if rows:
            cols = list(rows[0])
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
            con.executemany(sql, [tuple(r[c] for c in cols) for r in rows])
            if dst_db.kind == "postgresql" and key in ("entry_id", "agreement_id"):
                # The identity goes on after the copied ids.
                con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), "
                            f"(SELECT MAX({key}) FROM {table}))")
        copied = int(con.value(f"SELECT COUNT(*) FROM {table}"))
        if copied != len(rows):
            raise MigrateError("migrate_count_mismatch", store_table=table, source=len(rows), target=copied)
    return len(rows), copied


def _copy_parcels_to_postgis(src: _End, dst: _End) -> list[dict]:
    store = dst.parcels()
    report = []
    for m, gdf in _workspace_versions(src.root, read=True):
        store.append_version(gdf, m)
        back = store.read_version(m["version_id"])
        _check_version(m["version_id"], gdf, back)
        report.append({"version_id": m["version_id"], "rows": len(back), "crs": _crs_name(back)})
    return report


def _copy_parcels_to_workspace(src: _End, dst: _End) -> list[dict]:
    from geo import workspace

    store = src.parcels()
    ws = workspace.Workspace(dst.root)
    dst.root.mkdir(parents=True, exist_ok=True)
    versions = store._versions()
    report = []
    for row in versions.itertuples(index=False):
        gdf = store.read_version(row.version_id)
        when = pd.Timestamp(row.installed_at).tz_convert(workspace.BEIJING).to_pydatetime()
        m = workspace._swap_in(ws, gdf, mode=row.mode, source=row.source, counts=json.loads(row.counts),
                               user=row.user_name, now=when, restored_from=row.restored_from, role=row.role)
        back = _read_file(dst.root / workspace.VERSIONS_DIR / m["file"])
        _check_version(row.version_id, gdf, back)
        report.append({"version_id": m["version_id"], "rows": len(back), "crs": _crs_name(back)})
    return report


def _crs_name(gdf: gpd.GeoDataFrame) -> str | None:
    if gdf.crs is None:
        return None
    epsg = gdf.crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else gdf.crs.name


def _check_version(vid: str, source: gpd.GeoDataFrame, target: gpd.GeoDataFrame) -> None:
    if len(source) != len(target):
        raise MigrateError("migrate_count_mismatch", store_table="parcels", source=len(source), target=len(target))
    if not (source.crs == target.crs or (source.crs is not None and target.crs is not None
                                         and source.crs.to_epsg() == target.crs.to_epsg() is not None)):
        raise MigrateError("migrate_crs_mismatch", source=_crs_name(source), target=_crs_name(target))


def migrate(source: str | Path, target: str | Path, *, force: bool = False) -> list[dict]:
    """
    Copy the store at ``source`` (a workspace folder or a ``postgresql://`` URL) to ``target``.

    Returns
    -------
    report
        Message items (``migrate_copied`` per table, ``migrate_crs_kept``), and under the key
        ``counts`` of the first item's neighbours the numbers a test or an operator checks:
        see :func:`summary`.

    Raises
    ------
    MigrateError
        ``migrate_target_not_empty`` (without ``force``), ``migrate_same_store``, or a failed check.
    """
    src, dst = _End(source), _End(target)
    if (src.url or str(src.root.resolve())) == (dst.url or str(dst.root.resolve())):
        raise MigrateError("migrate_same_store")
    held = {t: n for t, n in dst.counts().items() if n}
    if held:
        if not force:
            raise MigrateError("migrate_target_not_empty", target=dst.name, store_tables=list(held))
        dst.wipe()
    before = summary(source)
    items = []
    for table in TABLES:
        n, _ = _copy_table(src, dst, table)
        items.append({"code": "migrate_copied", "store_table": table, "rows": n})
    versions = _copy_parcels_to_postgis(src, dst) if dst.url else _copy_parcels_to_workspace(src, dst)
    if versions:
        rows = sum(v["rows"] for v in versions)
        items.append({"code": "migrate_copied", "store_table": "parcel_versions", "rows": len(versions)})
        items.append({"code": "migrate_copied", "store_table": "parcels", "rows": rows})
        items.append({"code": "migrate_crs_kept", "crs": "、".join(dict.fromkeys(str(v["crs"]) for v in versions))})
    mappings = _copy_mappings(src, dst)
    if mappings:
        items.append({"code": "migrate_copied", "store_table": "column_mappings", "rows": mappings})
    layers = _copy_layers(src, dst)
    if layers:
        items.append({"code": "migrate_copied", "store_table": "constraint_layers", "rows": len(layers)})
    items.append({"code": "migrate_copied", "store_table": "parks", "rows": dst.parks_count()})
    imagery = _copy_imagery(src, dst)
    if imagery:
        items.append({"code": "migrate_copied", "store_table": "imagery_files", "rows": imagery})
    after = summary(target)
    for key, n in before.items():
        if after.get(key) != n:
            raise MigrateError("migrate_count_mismatch", store_table=key, source=n, target=after.get(key))
    return items


def summary(store: str | Path) -> dict[str, int]:
    """
    The numbers a migration keeps: rows per table, parcel versions and rows of the current version,
    review decisions (confirm/dismiss entries), cases (parcels with a case) and overrides.
    """
    end = _End(store)
    counts = end.counts()
    review = end.review().log() if counts["review_log"] else pd.DataFrame(columns=["action"])
    cases = end.cases().log() if counts["case_log"] else pd.DataFrame(columns=["parcel_id", "override_reason"])
    versions = end.parcel_counts()
    counts.update({
        "parcel_versions": len(versions),
        "current_parcels": versions[max(versions)] if versions else 0,
        "decisions": int(review["action"].isin(["confirm", "dismiss"]).sum()),
        "cases": int(cases["parcel_id"].nunique()),
        "overrides": int(cases["override_reason"].notna().sum()),
        "constraint_features": sum(end.layer_counts().values()),
        "column_mappings": len(_mappings(end)),
        "parks": end.parks_count(),
    })
    return counts
