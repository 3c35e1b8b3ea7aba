"""Zip checks before decompression (geo.archive): bombs, traversal, links, nesting — refused fast, in words."""

from __future__ import annotations

import stat
import tracemalloc
import zipfile

import pytest

import words
from geo.archive import ARCHIVE_ERROR_CODES, ArchiveError, ZipLimits, check_zip

LIMITS = ZipLimits(max_members=10, max_expanded_bytes=50 * 1024 * 1024, max_ratio=200)


def _zip(path, members: dict[str, bytes], **kw):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, **kw) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_a_shapefile_zip_passes(tmp_path):
    z = _zip(tmp_path / "a.zip", {"地块.shp": b"x" * 100, "地块.dbf": b" " * 5000, "地块.shx": b"y"})
    assert check_zip(z, limits=LIMITS) == ["地块.shp", "地块.dbf", "地块.shx"]


def test_bomb_refused_before_inflating_fast_and_flat(tmp_path):
    # 60 MB of zeros compress to ~60 KB: over the expanded limit and the ratio limit.
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_DEFLATED) as zf, zf.open("big.dbf", "w") as f:
        block = b"\0" * (1024 * 1024)
        for _ in range(60):
            f.write(block)
    assert z.stat().st_size < 1024 * 1024
    tracemalloc.start()
    with pytest.raises(ArchiveError) as err:
        check_zip(z, limits=LIMITS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert err.value.code in ("zip_too_large_expanded", "zip_ratio_too_high")
    assert peak < 5 * 1024 * 1024  # nothing was inflated
    assert "bomb.zip" in words.text(err.value.code, "zh", **err.value.params)


def test_ratio_alone(tmp_path):
    z = tmp_path / "r.zip"
    _zip(z, {"x.dbf": b"\0" * (3 * 1024 * 1024)})
    with pytest.raises(ArchiveError) as err:
        check_zip(z, limits=ZipLimits(10, 10**10, 200))
    assert err.value.code == "zip_ratio_too_high" and err.value.params["member"] == "x.dbf"


@pytest.mark.parametrize("name", ["../evil.shp", "/etc/passwd", "a/../../b.dbf", "C:/x.shp", "..\\x.shp"])
def test_traversal_refused(tmp_path, name):
    z = _zip(tmp_path / "t.zip", {name: b"x"})
    with pytest.raises(ArchiveError) as err:
        check_zip(z, limits=LIMITS)
    assert err.value.code == "zip_unsafe_member"


def test_symlink_member_refused(tmp_path):
    z = tmp_path / "l.zip"
    with zipfile.ZipFile(z, "w") as zf:
        info = zipfile.ZipInfo("link.shp")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(ArchiveError) as err:
        check_zip(z, limits=LIMITS)
    assert err.value.code == "zip_link_member"


def test_nested_zip_and_too_many_members(tmp_path):
    with pytest.raises(ArchiveError) as err:
        check_zip(_zip(tmp_path / "n.zip", {"inner.zip": b"PK"}), limits=LIMITS)
    assert err.value.code == "zip_nested"
    with pytest.raises(ArchiveError) as err:
        check_zip(_zip(tmp_path / "m.zip", {f"f{i}.txt": b"x" for i in range(11)}), limits=LIMITS)
    assert err.value.code == "zip_too_many_members"


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 truncated", b"\x89PNG\r\n"])
def test_unreadable(tmp_path, data):
    z = tmp_path / "bad.zip"
    z.write_bytes(data)
    with pytest.raises(ArchiveError) as err:
        check_zip(z, limits=LIMITS)
    assert err.value.code == "zip_unreadable"


def test_every_code_has_words():
    for code in ARCHIVE_ERROR_CODES:
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code


def test_default_limits_load():
    from geo.archive import zip_limits

    lim = zip_limits()
    assert lim.max_members == 2000 and lim.max_ratio == 200
