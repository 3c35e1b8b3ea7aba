"""
Uploaded imagery (issue 12's rasters per park and the change patches) in the store.

Embedded (the default): the workspace's ``imagery/`` folder, ``<park_id>_<YYYY-MM-DD>.tif`` and
``patches.gpkg`` (:data:`geo.sample.IMAGERY_DIR`), as before.

With ``GXLAND_DATABASE_URL`` (:class:`PostgisImagery`): every upload is a row of the append-only
``imagery_file`` — park, image date, kind, the file's name in the folder, SHA-256, size, the bytes
(``bytea``), the account and its role, the moment (shown in Beijing time) — and the latest row of each
file name is in force. Each app process materialises the files in force into a folder of its own cache
(``.postgis-cache/<database>/imagery-<state>/``, named by the database's state, as
:meth:`geo.pgstore.PostgisLayers.local_folder` does), so the pages read a folder on either backend, and
every server of the database sees an upload at its next run. Bytes are fetched once per content
(``imagery-blobs/<sha256>``, checked against the recorded digest) and linked into each state's folder.

:func:`imagery_store` chooses by the setting. Codes only: :data:`IMAGERY_CODES` (words in ``words/store.py``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from geo import db
from geo.accounts import Account, require
from geo.errors import CodedError
from geo.sample import IMAGERY_DIR, PATCHES_FILE, imagery_files

#: What an imagery file is: a raster of one park at one date, or the change patches (卫片图斑).
IMAGERY_KINDS = ("raster", "patches")
IMAGERY_TABLE = "imagery_file"
#: Codes of :class:`ImageryError`.
IMAGERY_ERROR_CODES = ("imagery_kind_unknown", "imagery_bytes_corrupt")
IMAGERY_CODES = IMAGERY_ERROR_CODES
#: Columns of :meth:`PostgisImagery.current` / :meth:`EmbeddedImagery.current` (no bytes).
COLUMNS = ["file_name", "park_id", "image_date", "kind", "sha256", "size_bytes"]
_BLOBS = "imagery-blobs"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imagery_file (
    entry_id {id},
    park_id TEXT,
    image_date {date},
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    source TEXT,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content {blob} NOT NULL,
    account TEXT,
    role TEXT,
    recorded_at {timestamp} NOT NULL
);
"""



def _write_bytes_atomic(target: Path, data: bytes) -> None:
    """``data`` as ``target``: written beside it, then renamed into place (never half a file there)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{os.getpid()}-{uuid.uuid4().hex[:8]}{target.suffix}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)

class ImageryError(CodedError):
    """An imagery file refused or damaged: ``code`` of :data:`IMAGERY_ERROR_CODES`."""


def file_name(kind: str, park_id: str | None = None, day: date | None = None) -> str:
    """The name of an imagery file in the folder: ``<park_id>_<YYYY-MM-DD>.tif`` or ``patches.gpkg``."""
    if kind == "raster":
        return f"{park_id}_{day.isoformat()}.tif"
    if kind == "patches":
        return PATCHES_FILE
    raise ImageryError("imagery_kind_unknown", kind=str(kind), kinds=list(IMAGERY_KINDS))


def _check(account: Account | None, kind: str, park_id) -> None:
    """A park's raster: an account that records for that park; the patches (every park): an admin."""
    if kind == "raster":
        require(account, "record", park_id=park_id)
    else:
        require(account, "import", scoped=False)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder_files(folder: Path) -> pd.DataFrame:
    """The imagery files of a folder (``COLUMNS``), rasters by park and date, then the patches."""
    files = imagery_files(folder)
    rows = [{"file_name": Path(p).name, "park_id": park, "image_date": day.isoformat(), "kind": "raster",
             "path": Path(p)} for park, day, p in zip(files["park_id"], files["date"], files["path"], strict=True)]
    if (folder / PATCHES_FILE).is_file():
        rows.append({"file_name": PATCHES_FILE, "park_id": None, "image_date": None, "kind": "patches",
                     "path": folder / PATCHES_FILE})
    out = pd.DataFrame(rows, columns=[*COLUMNS[:4], "path"])
    out["size_bytes"] = [p.stat().st_size for p in out["path"]]
    out["sha256"] = [_sha256(p.read_bytes()) for p in out["path"]]
    return out[[*COLUMNS, "path"]]


class EmbeddedImagery:
    """The workspace's ``imagery/`` folder (the embedded store)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def folder(self) -> Path:
        return self.root / IMAGERY_DIR

    def put(self, data: bytes, *, kind: str = "raster", park_id: str | None = None, day: date | None = None,
            account: Account | None, source: str | None = None, now: datetime | None = None) -> dict:
        """Keep ``data`` as the folder's file of (park, day) or as its patches (replacing what was there)."""
        name = file_name(kind, park_id, day)
        _check(account, kind, park_id)
        _write_bytes_atomic(self.folder() / name, data)
        return {"file_name": name, "sha256": _sha256(data), "size_bytes": len(data)}

    def files(self) -> pd.DataFrame:
        """The folder's files (:data:`COLUMNS` and ``path``)."""
        return _folder_files(self.folder())

    def current(self) -> pd.DataFrame:
        return self.files()[COLUMNS]

    def count(self) -> int:
        """How many files the folder holds (rasters named by park and date, and the patches)."""
        folder = self.folder()
        return len(imagery_files(folder)) + int((folder / PATCHES_FILE).is_file())


class PostgisImagery:
    """
    Imagery files in a PostgreSQL database (``imagery_file``), materialised per process.

    Parameters
    ----------
    url
        The database (``postgresql://…``).
    cache_root
        The folder whose ``.postgis-cache/`` holds the materialised files (default: a temp folder).
    """

    def __init__(self, url: str, *, cache_root: str | Path | None = None):
        from geo.pgstore import postgis_database

        self.db, self.cache_root = postgis_database(url, cache_root)
        self.url = self.db.url
        self.db.ensure_schema("imagery", _SCHEMA, append_only=(IMAGERY_TABLE,))

    # ------------------------------------------------------------------ writing

    def put(self, data: bytes, *, kind: str = "raster", park_id: str | None = None, day: date | None = None,
            account: Account | None, source: str | None = None, now: datetime | None = None) -> dict:
        """Keep ``data`` as the file in force of (park, day), or as the patches: a new row of the log."""
        file_name(kind, park_id, day)  # refuses an unknown kind before anything is checked or kept
        _check(account, kind, park_id)
        return self.append(data, kind=kind, park_id=park_id, day=day, source=source,
                           account=account.name, role=account.role, now=now)

    def append(self, data: bytes, *, kind: str, park_id: str | None, day, source: str | None = None,
               account: str | None = None, role: str | None = None, now: datetime | None = None) -> dict:
        """A row of the log, unchecked (the migration's way in, keeping who and when)."""
        from geo.workspace import _beijing

        park_id = None if park_id is None or pd.isna(park_id) else str(park_id)
        day = None if day is None or pd.isna(day) else str(day)[:10]
        name = file_name(kind, park_id, date.fromisoformat(day) if day is not None else None)
        sha = _sha256(data)
        when = _beijing(now)
        with self.db.connect() as con, con.transaction():
            con.execute(
                "INSERT INTO imagery_file (park_id, image_date, kind, file_name, source, sha256, size_bytes,"
                " content, account, role, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (park_id, day, kind, name, source, sha, len(data), data,
                 account, role, when.isoformat(timespec="seconds")))
        return {"file_name": name, "sha256": sha, "size_bytes": len(data)}

    # ------------------------------------------------------------------ reading

    def current(self) -> pd.DataFrame:
        """The file in force of each name (:data:`COLUMNS`, with ``entry_id``), without the bytes."""
        with self.db.connect() as con:
            out = con.frame(
                "SELECT f.entry_id, f.file_name, f.park_id, f.image_date, f.kind, f.sha256, f.size_bytes"
                " FROM imagery_file f WHERE f.entry_id IN (SELECT MAX(entry_id) FROM imagery_file GROUP BY file_name)"
                " ORDER BY f.file_name")
        out["size_bytes"] = out["size_bytes"].astype("int64")
        return out[[*COLUMNS, "entry_id"]]

    def count(self) -> int:
        """How many files are in force (one per file name)."""
        with self.db.connect() as con:
            return int(con.value(f"SELECT COUNT(DISTINCT file_name) FROM {IMAGERY_TABLE}"))

    def log(self) -> pd.DataFrame:
        """Every upload, oldest first (no bytes): who (account, role) and when (``recorded_at``, UTC ISO)."""
        with self.db.connect() as con:
            return con.frame("SELECT entry_id, file_name, park_id, image_date, kind, source, sha256, size_bytes,"
                             " account, role, recorded_at FROM imagery_file ORDER BY entry_id")

    def read_bytes(self, entry_id: int) -> bytes:
        with self.db.connect() as con:
            data = con.value("SELECT content FROM imagery_file WHERE entry_id = ?", (int(entry_id),))
        return bytes(data)

    def revision(self) -> str:
        """Changes with every upload (a cache key every app process shares)."""
        cur = self.current()
        return hashlib.sha256("|".join(f"{n}:{s}" for n, s in zip(cur["file_name"], cur["sha256"], strict=True))
                              .encode()).hexdigest()[:12]

    def _base(self) -> Path:
        from geo.pgstore import CACHE_DIR

        return self.cache_root / CACHE_DIR / hashlib.sha256(self.url.encode()).hexdigest()[:12]

    def _blob(self, entry_id: int, sha: str) -> Path:
        """The file of one content in this process's cache, fetched and checked once."""
        blob = self._base() / _BLOBS / sha
        if blob.is_file():
            return blob
        data = self.read_bytes(entry_id)
        if _sha256(data) != sha:
            raise ImageryError("imagery_bytes_corrupt", sha256=sha)
        _write_bytes_atomic(blob, data)
        return blob

    def folder(self) -> Path:
        """The files in force, as an imagery folder of this process (one per state of the database)."""
        cur = self.current()
        state = hashlib.sha256("|".join(f"{n}:{s}" for n, s in zip(cur["file_name"], cur["sha256"], strict=True))
                               .encode()).hexdigest()[:12]
        folder = self._base() / f"imagery-{state}"
        if folder.is_dir():
            return folder
        tmp = folder.with_name(f".{folder.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        tmp.mkdir(parents=True)
        try:
            for name, entry, sha in zip(cur["file_name"], cur["entry_id"], cur["sha256"], strict=True):
                blob = self._blob(int(entry), sha)
                try:
                    os.link(blob, tmp / name)
                except OSError:  # a file system without hard links
                    shutil.copyfile(blob, tmp / name)
            os.replace(tmp, folder)
        except OSError:
            if not folder.is_dir():
                raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return folder

    # ------------------------------------------------------------------ migration

    def drop_all(self) -> None:
        """Remove every upload (``migrate --force`` only: the log is otherwise append-only)."""
        with self.db.connect() as con, con.transaction():
            con.execute(f"DROP TABLE IF EXISTS {IMAGERY_TABLE}")
        db.Database.forget(self.db.location)
        self.db.ensure_schema("imagery", _SCHEMA, append_only=(IMAGERY_TABLE,))


def imagery_store(root: str | Path, *, url: str | None = None) -> EmbeddedImagery | PostgisImagery:
    """The imagery of the workspace ``root``: in the database of ``GXLAND_DATABASE_URL`` when set, else its folder."""
    url = url or db.database_url()
    return PostgisImagery(url, cache_root=root) if url else EmbeddedImagery(root)
