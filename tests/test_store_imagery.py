"""
Uploaded imagery lives in the store (geo.imagestore): with PostGIS an upload through one app server is
read byte for byte by every other, from its own cache folder; the migration carries imagery and parks.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine

import words
from geo import db, imagestore, io, migrate, parkstore
from geo.accounts import AccessError, Account
from geo.sample import PATCHES_FILE, imagery_files

ADMIN = Account("张管理", "admin")
OFFICER = Account("柳经办", "officer", ("liuzhou",))
#: A point inside 柳州高新区 (EPSG:4545, from data/parks.geojson).
LIUZHOU = (643_079.0, 2_695_994.0)


def _tif(path: Path, value: int = 1) -> bytes:
    """A small GeoTIFF over 柳州高新区."""
    x, y = LIUZHOU
    with rasterio.open(path, "w", driver="GTiff", width=8, height=8, count=1, dtype="uint8", crs="EPSG:4545",
                       transform=Affine(10.0, 0.0, x, 0.0, -10.0, y + 80)) as dst:
        dst.write(np.full((1, 8, 8), value, np.uint8))
    return path.read_bytes()


def _servers(backend, tmp_path, monkeypatch) -> tuple[Path, Path]:
    if backend.kind == "postgresql":
        monkeypatch.setenv(db.DATABASE_URL_ENV, backend.target("imagery"))
        return tmp_path / "server-a", tmp_path / "server-b"
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    return tmp_path / "ws", tmp_path / "ws"


def test_every_imagery_code_has_words():
    for code in imagestore.IMAGERY_CODES:
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code
    item = {"code": "imagery_bytes_corrupt", "sha256": "ab12"}
    assert words.render(item, "zh") == "数据库中的影像文件已损坏（校验值 ab12 不符），请重新上传该影像。"


def test_imagery_uploaded_through_one_server_is_read_by_another(store_backend, tmp_path, monkeypatch):
    a, b = _servers(store_backend, tmp_path, monkeypatch)
    first = _tif(tmp_path / "a.tif", 1)
    later = _tif(tmp_path / "b.tif", 2)
    store_a = imagestore.imagery_store(a)
    assert isinstance(store_a, imagestore.PostgisImagery if store_backend.kind == "postgresql"
                      else imagestore.EmbeddedImagery)
    store_a.put(first, park_id="liuzhou", day=date(2026, 10, 1), account=OFFICER, source="柳州影像.tif",
                now=datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    store_a.put(b"GPKG patches", kind="patches", account=ADMIN)
    folder_b = imagestore.imagery_store(b).folder()
    files = imagery_files(folder_b)
    assert list(files["park_id"]) == ["liuzhou"] and list(files["date"]) == [date(2026, 10, 1)]
    assert (folder_b / "liuzhou_2026-10-01.tif").read_bytes() == first
    assert (folder_b / PATCHES_FILE).read_bytes() == b"GPKG patches"
    with rasterio.open(folder_b / "liuzhou_2026-10-01.tif") as src:
        assert src.crs.to_epsg() == 4545 and int(src.read(1)[0, 0]) == 1
    # The same park and date again: the new file is in force for every server.
    store_a.put(later, park_id="liuzhou", day=date(2026, 10, 1), account=ADMIN)
    again = imagestore.imagery_store(b).folder()
    assert (again / "liuzhou_2026-10-01.tif").read_bytes() == later
    assert imagestore.imagery_store(b).count() == 2
    if store_backend.kind == "postgresql":
        assert folder_b != again and folder_b.is_relative_to(b) and again.is_relative_to(b)
        assert not (a / "imagery").exists() and not (b / "imagery").exists()  # nothing on a server's own disk
        log = imagestore.imagery_store(b).log()
        assert list(log["account"]) == ["柳经办", "张管理", "张管理"] and list(log["role"]) == ["officer", "admin", "admin"]
        assert log.loc[0, "recorded_at"] == "2026-12-01T01:00:00+00:00" and log.loc[0, "source"] == "柳州影像.tif"
        assert log.loc[0, "sha256"] == hashlib.sha256(first).hexdigest() and int(log.loc[0, "size_bytes"]) == len(first)
        with pytest.raises(store_backend.db_error, match="append-only"):
            store_backend.execute(db.database_url(), "DELETE FROM imagery_file")
    else:
        assert folder_b == a / "imagery"  # the embedded store is the workspace's folder, as before


def test_the_store_refuses_uploads_outside_a_role(store_backend, tmp_path, monkeypatch):
    a, b = _servers(store_backend, tmp_path, monkeypatch)
    store = imagestore.imagery_store(a)
    data = _tif(tmp_path / "a.tif")
    refusals = [
        (Account("钱查看", "viewer"), "raster", "liuzhou", "access_read_only"),
        (Account("南经办", "officer", ("nanning",)), "raster", "liuzhou", "access_park_out_of_scope"),
        (OFFICER, "patches", None, "access_needs_admin"),
        (None, "raster", "liuzhou", "access_no_account"),
    ]
    for acc, kind, park, code in refusals:
        with pytest.raises(AccessError) as err:
            store.put(data, kind=kind, park_id=park, day=date(2026, 10, 1), account=acc)
        assert err.value.code == code
        assert words.render(err.value.item, "zh") and words.render(err.value.item, "en")
    with pytest.raises(imagestore.ImageryError) as err:
        store.put(data, kind="video", account=ADMIN)
    assert err.value.code == "imagery_kind_unknown" and "无法识别" in words.render(err.value.item, "zh")
    assert imagestore.imagery_store(b).count() == 0


def test_a_damaged_file_in_the_database_is_named(pg_backend, tmp_path):
    url = pg_backend.target("damaged")
    store = imagestore.PostgisImagery(url, cache_root=tmp_path / "a")
    pg_backend.execute(url, "INSERT INTO imagery_file (park_id, image_date, kind, file_name, sha256, size_bytes,"
                            " content, recorded_at) VALUES ('liuzhou', '2026-10-01', 'raster', 'liuzhou_2026-10-01.tif',"
                            f" '{'0' * 64}', 3, 'abc'::bytea, now())")
    with pytest.raises(imagestore.ImageryError) as err:
        store.folder()
    assert err.value.code == "imagery_bytes_corrupt"


def test_the_page_keeps_an_upload_in_the_store(pg_backend, tmp_path, monkeypatch):
    """views/imagery.py: the upload goes to PostGIS under the logged-in account; another server's folder has it."""
    from views import imagery

    url = pg_backend.target("page")
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(tmp_path / "server-a"))
    monkeypatch.setattr(imagery, "lang", lambda: "zh")
    monkeypatch.setattr(imagery.auth, "current", lambda: OFFICER)
    data = _tif(tmp_path / "a.tif")
    assert imagery.save_upload(data, "柳州影像.tif", "liuzhou", date(2026, 10, 1), io.read_parks()) is None
    # An officer of another park is refused in words by the store.
    monkeypatch.setattr(imagery.auth, "current", lambda: Account("南经办", "officer", ("nanning",)))
    monkeypatch.setattr(imagery.auth, "refusal", lambda exc: words.render(exc.item, "zh"))
    refused = imagery.save_upload(data, "柳州影像.tif", "liuzhou", date(2026, 10, 2), io.read_parks())
    assert refused is not None and "南经办" in refused
    monkeypatch.setenv("GXLAND_WORKSPACE", str(tmp_path / "server-b"))
    folder = imagery.folder()
    assert folder.is_relative_to(tmp_path / "server-b") and not (tmp_path / "server-a" / "imagery").exists()
    assert [p.name for p in imagery_files(folder)["path"]] == ["liuzhou_2026-10-01.tif"]
    assert (folder / "liuzhou_2026-10-01.tif").read_bytes() == data
    assert list(imagestore.PostgisImagery(url).log()["account"]) == ["柳经办"]


def test_migration_round_trip_carries_parks_and_imagery(pg_backend, tmp_path, monkeypatch):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    src = tmp_path / "embedded"
    parks = io.read_parks()
    parks.loc[parks["park_id"] == "liuzhou", "name_zh"] = "柳州高新区（新边界）"
    io.write_table(parks, tmp_path / "新园区.gpkg")
    parkstore.install_parks(src, tmp_path / "新园区.gpkg", account=ADMIN, now=datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    store = imagestore.EmbeddedImagery(src)
    tifs = {"liuzhou_2026-10-01.tif": _tif(tmp_path / "a.tif", 1), "liuzhou_2024-10-01.tif": _tif(tmp_path / "b.tif", 3)}
    for name, data in tifs.items():
        store.put(data, park_id="liuzhou", day=date.fromisoformat(name[8:18]), account=OFFICER)
    store.put(b"GPKG patches", kind="patches", account=ADMIN)
    before = migrate.summary(src)
    assert before["imagery_files"] == 3 and before["parks"] == 12
    url = pg_backend.target("migrated")
    items = migrate.migrate(src, url)
    assert migrate.summary(url) == before
    text = words.render(items, "zh")
    assert "已迁移影像文件 3 条，核对一致" in text and "已迁移园区边界 12 条，核对一致" in text
    # Every server of the database now reads the parks and the imagery from it.
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    server = tmp_path / "server"
    assert parkstore.parks_in_force(server).origin == "store"
    assert parkstore.read_parks(server).set_index("park_id").loc["liuzhou", "name_zh"] == "柳州高新区（新边界）"
    h = parkstore.parks_history(server)
    assert h.loc[0, "account"] == "张管理" and str(h.loc[0, "installed_at"]) == "2026-12-01 09:00:00"
    folder = imagestore.imagery_store(server).folder()
    for name, data in tifs.items():
        assert (folder / name).read_bytes() == data
    # A database holding imagery is not overwritten without --force.
    with pytest.raises(migrate.MigrateError) as err:
        migrate.migrate(src, url)
    assert err.value.code == "migrate_target_not_empty" and "imagery_files" in err.value.params["store_tables"]
    # And back into an empty folder: the same bytes, the same parks.
    back = tmp_path / "back"
    migrate.migrate(url, back)
    monkeypatch.delenv(db.DATABASE_URL_ENV)
    assert migrate.summary(back) == before
    for name, data in tifs.items():
        assert (back / "imagery" / name).read_bytes() == data
    assert (back / "imagery" / PATCHES_FILE).read_bytes() == b"GPKG patches"
    assert parkstore.read_parks(back).set_index("park_id").loc["liuzhou", "name_zh"] == "柳州高新区（新边界）"
