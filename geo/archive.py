"""
Zip files checked before anything is decompressed.

A bureau's Shapefiles arrive zipped; so can a zip bomb or a member named
``../../etc/cron.d/x``. :func:`check_zip` reads only the central directory (names,
sizes, flags — no member is inflated) and refuses an archive that would expand past
the limits, hides a huge compression ratio, nests zips, or holds members whose names
leave the folder or are links. The limits are settings (``geo/rules/limits.yaml``).

Errors carry a code and its arguments (``ArchiveError.code`` / ``.params``); the words
are in ``words``.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from geo.rules import load_rules

#: Every code :class:`ArchiveError` can carry, with its arguments.
ARCHIVE_ERROR_CODES: dict[str, tuple[str, ...]] = {
    "zip_unreadable": ("source",),
    "zip_too_many_members": ("source", "count", "limit"),
    "zip_too_large_expanded": ("source", "size_mb", "limit_mb"),
    "zip_ratio_too_high": ("source", "member", "ratio", "limit"),
    "zip_unsafe_member": ("source", "member"),
    "zip_link_member": ("source", "member"),
    "zip_nested": ("source", "member"),
    "zip_encrypted": ("source", "member"),
}


class ArchiveError(ValueError):
    """An archive refused before decompression; ``code`` and ``params`` say why."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ZipLimits:
    max_members: int
    max_expanded_bytes: int
    max_ratio: float


def zip_limits(settings: dict | None = None) -> ZipLimits:
    """The limits from ``geo/rules/limits.yaml`` (``zip`` section), with ``settings`` over them."""
    rules = load_rules("limits")["zip"] | (settings or {})
    return ZipLimits(
        max_members=int(rules["max_members"]),
        max_expanded_bytes=int(float(rules["max_expanded_mb"]) * 1024 * 1024),
        max_ratio=float(rules["max_ratio"]),
    )


def _unsafe(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or (len(name) > 1 and name[1] == ":")


def check_zip(path: str | Path, *, limits: ZipLimits | None = None, source: str | None = None) -> list[str]:
    """
    Check a zip from its central directory alone; return its member names.

    Parameters
    ----------
    path
        The zip file.
    limits
        Defaults from :func:`zip_limits`.
    source
        The name to report (the user's file name, not a server path).

    Returns
    -------
    names
        The member names, in archive order (folders left out).

    Raises
    ------
    ArchiveError
        With one of :data:`ARCHIVE_ERROR_CODES`.
    """
    limits = limits or zip_limits()
    source = source or Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ArchiveError("zip_unreadable", source=source) from None
    if len(infos) > limits.max_members:
        raise ArchiveError("zip_too_many_members", source=source, count=len(infos), limit=limits.max_members)
    total = 0
    names = []
    for info in infos:
        name = info.filename
        if _unsafe(name):
            raise ArchiveError("zip_unsafe_member", source=source, member=name)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ArchiveError("zip_link_member", source=source, member=name)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise ArchiveError("zip_encrypted", source=source, member=name)
        if name.lower().endswith(".zip"):
            raise ArchiveError("zip_nested", source=source, member=name)
        total += info.file_size
        if total > limits.max_expanded_bytes:
            raise ArchiveError("zip_too_large_expanded", source=source, size_mb=round(total / 1024 / 1024, 1),
                               limit_mb=round(limits.max_expanded_bytes / 1024 / 1024, 1))
        # A tiny member may compress well (a DBF of blanks); the ratio counts only past 1 MB.
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ArchiveError("zip_ratio_too_high", source=source, member=name,
                               ratio=round(info.file_size / max(info.compress_size, 1)), limit=limits.max_ratio)
        names.append(name)
    return names
