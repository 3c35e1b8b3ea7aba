"""
The 坐标 TXT (《勘测定界界址点坐标交换格式》): files written here, shapes of round numbers, so
every expected area is arithmetic (a 100 m × 200 m rectangle is 20,000 m² = 2.0000 公顷 = 30 亩).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import shapely.affinity
from pyproj import CRS

import words
from geo import crs as gcrs
from geo import io, txt
from geo.txt import TxtError, read_txt, write_txt

ROOT = Path(__file__).resolve().parent.parent

HEADER = [
    "[属性描述]",
    "格式版本号=1.01版本",
    "数据产生单位=广西壮族自治区某测绘院",
    "数据产生日期=2024-05-20",
    "坐标系=2000国家大地坐标系",
    "几度分带=3",
    "投影类型=高斯克吕格",
    "计量单位=米",
    "带号=36",
    "精度=0.001",
    "转换参数=,,,,,,",
]
N0, E0 = 2_528_000.0, 36_512_000.0  # a point in zone 36 (CM 108°E), near 南宁


def rect(n0, e0, dn, de, *, ring=1, start=1, close="same", names=None):
    """Point lines of a rectangle dn (north) × de (east) from (n0, e0); closed as asked."""
    pts = [(n0, e0), (n0, e0 + de), (n0 + dn, e0 + de), (n0 + dn, e0)]
    names = names or [f"J{start + i}" for i in range(4)]
    lines = [f"{nm},{ring},{n:.3f},{e:.3f}" for nm, (n, e) in zip(names, pts, strict=True)]
    if close == "same":
        lines.append(f"{names[0]},{ring},{pts[0][0]:.3f},{pts[0][1]:.3f}")
    elif close == "renamed":
        lines.append(f"J{start + 4},{ring},{pts[0][0]:.3f},{pts[0][1]:.3f}")
    return lines


def parcel(points, area, pid, name="地块", use="工业用地", code="0601", n=None, at_first=False):
    fields = [str(len(points) if n is None else n), area, pid, name, "面", "", use, code]
    return ["@," + ",".join(fields)] if at_first else [",".join(fields) + ",@"], points


def txt_file(tmp_path, *parcels, header=HEADER, name="坐标.txt", encoding="utf-8", bom=False, crlf=False,
             coord_section="[地块坐标]"):
    lines = [*header, coord_section]
    for head, pts in parcels:
        lines += head + pts
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    data = text.encode(encoding)
    p = tmp_path / name
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return p


def two_parcels(tmp_path, **kw):
    a = rect(N0, E0, 100, 200)  # 100 m × 200 m = 2.0000 公顷
    b = rect(N0 + 1000, E0, 50, 40)  # 2,000 m² = 0.2000 公顷
    return txt_file(tmp_path, parcel(a, "2.0000", "DK01", "一号地块"), parcel(b, "0.2000", "DK02", "二号地块"), **kw)


# --------------------------------------------------------------------------- reading


def test_two_parcels_hand_computed_area(tmp_path):
    res = read_txt(two_parcels(tmp_path))
    g = res.gdf
    assert list(g["parcel_id"]) == ["DK01", "DK02"]
    assert list(g["parcel_name"]) == ["一号地块", "二号地块"]
    assert list(g["land_use"]) == ["工业用地", "工业用地"]
    assert list(g["land_class_code"]) == ["0601", "0601"]
    assert g.crs.to_epsg() == 4524
    # 100 m × 200 m = 20,000 m² = 2.0000 公顷 = 30 亩, matching the declared 公顷 to 0.0001
    assert g["area_m2"].iloc[0] == pytest.approx(20_000.0)
    assert gcrs.m2_to_mu(g["area_m2"].iloc[0]) == pytest.approx(30.0)
    assert abs(g["area_m2"].iloc[0] / 10_000 - g["declared_area_ha"].iloc[0]) < 1e-4
    assert g["declared_area_m2"].iloc[1] == pytest.approx(2_000.0)
    assert list(g["area_diff_m2"]) == pytest.approx([0.0, 0.0])
    # x is the easting (Y of the file, with the zone prefix), y the northing (X of the file)
    assert g.geometry.iloc[0].bounds == pytest.approx((E0, N0, E0 + 200, N0 + 100))
    assert res.warnings == []
    assert list(res.header) == [h.split("=")[0] for h in HEADER[1:]]
    assert res.header["转换参数"] == ",,,,,,"
    assert res.crs == {"code": "txt_crs", "epsg": 4524, "geodetic_system": "cgcs2000", "zone_width": 3, "zone": 36,
                       "zone_from": "header"}


def test_hole_second_part_and_island_in_hole(tmp_path):
    outer = rect(N0, E0, 300, 300)
    hole = rect(N0 + 100, E0 + 100, 100, 100, ring=2, start=6)
    island = rect(N0 + 130, E0 + 130, 40, 40, ring=3, start=11)
    part = rect(N0 + 1000, E0, 100, 100, ring=4, start=16)
    p = txt_file(tmp_path, parcel(outer + hole, "8.0000", "H1"), parcel(outer + hole + island + part, "1.0", "H2"),
                 parcel(island + hole + part + outer, "1.0", "H3"))
    g = read_txt(p).gdf
    assert g.geometry.iloc[0].geom_type == "Polygon"
    assert len(g.geometry.iloc[0].interiors) == 1
    assert g["area_m2"].iloc[0] == pytest.approx(300 * 300 - 100 * 100)
    # island inside the hole and a part apart: three polygons, whatever the 圈号 order
    for k in (1, 2):
        geom = g.geometry.iloc[k]
        assert geom.geom_type == "MultiPolygon" and len(geom.geoms) == 3
        assert g["area_m2"].iloc[k] == pytest.approx(300 * 300 - 100 * 100 + 40 * 40 + 100 * 100)
        assert g["ring_count"].iloc[k] == 4


def test_unclosed_ring_and_ring_closed_under_new_name(tmp_path):
    p = txt_file(tmp_path, parcel(rect(N0, E0, 100, 200, close="none"), "2.0000", "U1"),
                 parcel(rect(N0 + 500, E0, 100, 200, close="renamed"), "2.0000", "R1"))
    res = read_txt(p)
    assert list(res.gdf["area_m2"]) == pytest.approx([20_000.0, 20_000.0])
    codes = {w["code"]: w for w in res.warnings}
    assert codes["ring_not_closed"]["parcel_id"] == "U1"
    assert codes["ring_not_closed"]["line"] == len(HEADER) + 1 + 1 + 4  # the ring's last point
    assert codes["ring_closed_renamed"]["first"] == "J1" and codes["ring_closed_renamed"]["last"] == "J5"
    assert txt.severity("ring_closed_renamed") == "info" and txt.severity("ring_not_closed") == "warning"
    assert all(g.is_valid for g in res.gdf.geometry)


def test_empty_zone_number_taken_from_prefix(tmp_path):
    header = [h if not h.startswith("带号") else "带号=" for h in HEADER]
    res = read_txt(txt_file(tmp_path, parcel(rect(N0, E0 + 1_000_000, 100, 200), "2.0000", "Z"), header=header))
    assert res.gdf.crs.to_epsg() == 4525  # zone 37, from 37512000
    assert res.crs["zone_from"] == "prefix" and res.crs["zone"] == 37
    assert [w["code"] for w in res.warnings] == ["zone_from_prefix"]
    header = [h for h in HEADER if not h.startswith(("带号", "几度分带"))]
    assert read_txt(txt_file(tmp_path, parcel(rect(N0, E0, 100, 200), "2", "Z"), header=header)).gdf.crs.to_epsg() == 4524


def test_full_width_brackets_at_first_extra_section_and_zone_key_variant(tmp_path):
    header = ["【属性描述】", "分带=3度带", "带号=36", "坐标系=2000国家大地坐标系", "［项目信息］", "项目名称=某产业园扩区"]
    p = txt_file(tmp_path, parcel(rect(N0, E0, 100, 200), "2.0000公顷", "F1", at_first=True), header=header,
                 coord_section="【地块坐标】")
    res = read_txt(p)
    assert res.gdf["parcel_id"].tolist() == ["F1"]
    assert res.gdf["declared_area_ha"].iloc[0] == pytest.approx(2.0)
    assert res.header == {"分带": "3度带", "带号": "36", "坐标系": "2000国家大地坐标系"}
    assert res.sections == {"项目信息": ["项目名称=某产业园扩区"]}
    assert res.warnings == []


@pytest.mark.parametrize(
    ("encoding", "bom", "crlf"),
    [("utf-8", False, False), ("utf-8", True, False), ("utf-8", True, True), ("utf-8", False, True),
     ("gbk", False, False), ("gbk", False, True)],  # a BOM is UTF-8's
)
def test_encodings_bom_and_line_ends(tmp_path, encoding, bom, crlf):
    res = read_txt(two_parcels(tmp_path, encoding=encoding, bom=bom, crlf=crlf))
    assert res.encoding == encoding
    assert res.gdf["parcel_name"].tolist() == ["一号地块", "二号地块"]
    assert res.header["数据产生单位"] == "广西壮族自治区某测绘院"
    assert res.gdf["area_m2"].tolist() == pytest.approx([20_000.0, 2_000.0])


def test_from_bytes_with_stray_lines_repeats_and_area_units(tmp_path):
    header = ["界址点坐标文件", *HEADER, "这一行没有等号"]
    p = txt_file(tmp_path, parcel(rect(N0, E0, 100, 200), "20000平方米", "S1"),
                 parcel(rect(N0 + 500, E0, 100, 200), "30亩", "S1"), header=header)
    res = read_txt(p.read_bytes(), source="上传.txt")
    assert res.gdf["declared_area_m2"].tolist() == pytest.approx([20_000.0, 20_000.0])
    assert [(w["code"], w["line"]) for w in res.warnings] == [
        ("line_outside_section", 1), ("header_line_ignored", len(header)), ("parcel_id_repeats", len(header) + 8),
    ]
    with pytest.raises(TxtError) as exc:
        read_txt(b"[\xe5\xb1\x9e\xe6\x80\xa7\xe6\x8f\x8f\xe8\xbf\xb0]\n", source="空.txt")
    assert exc.value.code == "txt_no_coordinates" and exc.value.params["source"] == "空.txt"


def test_self_crossing_and_overlapping_rings_are_read_with_warnings(tmp_path):
    bow = ["J1,1,2528000,36512000", "J2,1,2528100,36512100", "J3,1,2528000,36512100", "J4,1,2528100,36512000",
           "J1,1,2528000,36512000"]  # a bow tie: two triangles of 2,500 m²
    over = rect(N0 + 500, E0, 100, 100) + rect(N0 + 550, E0 + 50, 100, 100, ring=2, start=6)
    res = read_txt(txt_file(tmp_path, parcel(bow, "0.5000", "B1"), parcel(over, "1.7500", "O1")))
    assert res.gdf["area_m2"].tolist() == pytest.approx([5_000.0, 17_500.0])
    assert [w["code"] for w in res.warnings] == ["ring_self_intersects", "rings_overlap"]
    assert all(g.is_valid for g in res.gdf.geometry)


def test_precision_as_digit_count_sets_written_decimals(tmp_path):
    header = [h if not h.startswith("精度") else "精度=2" for h in HEADER]
    src = read_txt(txt_file(tmp_path, parcel(rect(N0, E0, 100, 200), "2.0000", "P"), header=header))
    text = write_txt(src.gdf, tmp_path / "p.txt", encoding="utf-8").read_text(encoding="utf-8")
    assert "J1,1,2528000.00,36512000.00" in text and "精度=2" in text


def test_point_names_bare_numbers_and_placeholders(tmp_path):
    pts = rect(N0, E0, 100, 200, names=["01", "02", "03", "04"])
    head = ["5,2.0000,/,无,,—,,,@"]
    res = read_txt(txt_file(tmp_path, (head, pts)))
    row = res.gdf.iloc[0]
    assert row["parcel_id"] is None and row["parcel_name"] is None and row["map_sheet"] is None
    assert row["area_m2"] == pytest.approx(20_000.0)


def test_malformed_line_is_a_line_numbered_error(tmp_path):
    pts = rect(N0, E0, 100, 200)
    pts[2] = "J3,1,2528100.000"
    p = txt_file(tmp_path, parcel(pts, "2.0000", "M1"))
    with pytest.raises(TxtError) as exc:
        read_txt(p)
    line = len(HEADER) + 1 + 1 + 3
    assert exc.value.code == "txt_line_malformed" and exc.value.params["line"] == line
    assert f"第 {line} 行" in words.render(exc.value.item, "zh")
    pts[2] = "J3,1,25281OO.0,36512200"
    with pytest.raises(TxtError) as exc:
        read_txt(txt_file(tmp_path, parcel(pts, "2.0000", "M1")))
    assert exc.value.code == "txt_number_unreadable" and exc.value.params["line"] == line
    assert isinstance(exc.value, io.DataError)  # every face that catches the readers' errors catches it


def test_area_and_point_count_mismatches_are_warnings(tmp_path):
    p = txt_file(tmp_path, parcel(rect(N0, E0, 100, 200), "2.1000", "A1", n=7),
                 parcel(rect(N0 + 500, E0, 100, 200), "2.0000", "A2", n=4))  # 4 = distinct points: fine
    res = read_txt(p)
    assert len(res.gdf) == 2  # a warning never blocks a readable parcel
    by = {w["code"]: w for w in res.warnings}
    assert set(by) == {"area_mismatch", "point_count_mismatch"}
    a = by["area_mismatch"]
    assert a["parcel_id"] == "A1" and a["line"] == len(HEADER) + 2
    assert a["diff_m2"] == pytest.approx(-1_000.0) and a["diff_pct"] == pytest.approx(-1_000 / 21_000 * 100)
    assert by["point_count_mismatch"] == {"code": "point_count_mismatch", "line": len(HEADER) + 2, "parcel": 0,
                                          "parcel_id": "A1", "declared": 7, "rows": 5}
    zh = words.render(a, "zh")
    assert "2.1000 公顷" in zh and "2.0000 公顷" in zh and "-1,000.00 平方米" in zh


def test_zone_against_coordinates(tmp_path):
    header = [h if not h.startswith("带号") else "带号=35" for h in HEADER]
    res = read_txt(txt_file(tmp_path, parcel(rect(N0, E0, 100, 200), "2.0000", "Z"), header=header))
    assert res.gdf.crs.to_epsg() == 4524  # the eastings' prefix 36 wins over 带号=35
    assert [w["code"] for w in res.warnings] == ["zone_mismatch"]
    far = rect(N0, E0 + 400_000, 100, 200)  # 912 km east of the false easting: not zone 36's
    res = read_txt(txt_file(tmp_path, parcel(far, "2.0000", "Z")))
    assert {w["code"] for w in res.warnings} == {"coords_outside_zone"}


def test_unplaceable_crs_refused_with_line(tmp_path):
    header = [h if not h.startswith("带号") else "带号=" for h in HEADER]
    unprefixed = rect(N0, 512_000, 100, 200)
    with pytest.raises(TxtError) as exc:
        read_txt(txt_file(tmp_path, parcel(unprefixed, "2.0000", "Z"), header=header))
    assert exc.value.code == "txt_zone_missing" and exc.value.params["line"] == HEADER.index("带号=36") + 1
    header = [h if not h.startswith("坐标系") else "坐标系=地方坐标系" for h in HEADER]
    with pytest.raises(TxtError) as exc:
        read_txt(txt_file(tmp_path, parcel(rect(N0, E0, 100, 200), "2", "Z"), header=header))
    assert exc.value.code == "txt_system_unknown" and exc.value.params["line"] == 5
    header = [h if not h.startswith("带号") else "带号=50" for h in HEADER]
    with pytest.raises(TxtError) as exc:
        read_txt(txt_file(tmp_path, parcel(rect(N0, 512_000, 100, 200), "2", "Z"), header=header))
    assert exc.value.code == "txt_zone_unplaceable" and exc.value.params["line"] == 9


@pytest.mark.parametrize(
    ("system", "zone", "prefixed", "width", "epsg"),
    [
        ("2000国家大地坐标系", 35, True, "3", 4523),  # Guangxi, CM 105°E
        ("2000国家大地坐标系", 36, True, "3", 4524),  # Guangxi, CM 108°E
        ("2000国家大地坐标系", 37, True, "3", 4525),  # Guangxi, CM 111°E
        ("2000国家大地坐标系", 36, False, "3", 4545),
        ("2000国家大地坐标系", 40, True, "3", 4528),  # CM 120°E (Zhejiang)
        ("2000国家大地坐标系", 19, True, "6", 4497),
        ("80国家大地坐标系", 36, True, "3", 2360),
        ("西安80", 19, False, "6", 2344),
        ("1954北京坐标系", 37, True, "3", 2413),
        ("1954北京坐标系", 18, True, "6", 21418),
    ],
)
def test_zone_placement(tmp_path, system, zone, prefixed, width, epsg):
    header = ["[属性描述]", f"坐标系={system}", f"几度分带={width}", f"带号={zone}"]
    e0 = (zone * 1_000_000 if prefixed else 0) + 512_000
    res = read_txt(txt_file(tmp_path, parcel(rect(N0, e0, 100, 200), "2.0000", "Z"), header=header))
    assert res.gdf.crs.to_epsg() == epsg
    assert res.gdf["area_m2"].iloc[0] == pytest.approx(20_000.0)
    assert res.warnings == []


def test_wgs84_utm_and_degrees(tmp_path):
    header = ["[属性描述]", "坐标系=WGS84坐标系", "带号=49"]
    res = read_txt(txt_file(tmp_path, parcel(rect(N0, 512_000, 100, 200), "2.0000", "W"), header=header))
    assert res.gdf.crs.to_epsg() == 32649 and res.crs["zone_from"] == "utm"
    with pytest.raises(TxtError) as exc:
        read_txt(txt_file(tmp_path, parcel(rect(N0, E0, 100, 200), "2", "W"),
                          header=["[属性描述]", "坐标系=WGS84坐标系", "几度分带=3", "带号=36"]))
    assert exc.value.code == "txt_wgs84_gauss_kruger"
    deg = ["J1,1,22.8,108.3", "J2,1,22.8,108.301", "J3,1,22.801,108.301", "J4,1,22.801,108.3"]
    res = read_txt(txt_file(tmp_path, parcel(deg, "", "D"), header=["[属性描述]", "坐标系=2000国家大地坐标系"]))
    assert res.gdf.crs.to_epsg() == 4490 and res.crs["code"] == "txt_crs_degrees"
    assert res.gdf["area_m2"].iloc[0] == pytest.approx(102.6 * 111.0 * 1.0, rel=0.05)  # ~0.001° squared


def test_every_gk_zone_is_the_zone_pyproj_names():
    # Outside oracle: the EPSG registry as pyproj ships it names each code's zone or meridian.
    datum_names = {"cgcs2000": "CGCS2000", "xian80": "Xian 1980", "beijing54": "Beijing 1954"}
    for datum, name in datum_names.items():
        for width, (lo, hi) in gcrs.GK_ZONES.items():
            for zone in range(lo, hi + 1):
                cm = gcrs.gk_central_meridian(zone, width)
                for prefixed in (True, False):
                    code = gcrs.gk_epsg(datum, width, zone, prefixed=prefixed)
                    c = CRS.from_epsg(code)
                    assert c.name.startswith(f"{name} / ")
                    assert ("3-degree" in c.name) == (width == 3)
                    assert c.name.endswith(f"zone {zone}" if prefixed else f"CM {cm}E"), (code, c.name)
                    params = {p.name: p.value for p in c.coordinate_operation.params}
                    assert params["Longitude of natural origin"] == cm
                    assert params["False easting"] == (zone * 1_000_000 if prefixed else 0) + 500_000
                    assert gcrs.gk_zone_of_epsg(code) == (datum, width, zone, prefixed)
    assert gcrs.gk_epsg("cgcs2000", 3, 24) is None and gcrs.gk_epsg("wgs84", 3, 36) is None
    assert CRS.from_epsg(gcrs.utm_epsg(49)).name == "WGS 84 / UTM zone 49N"


def test_shape_not_polygon_is_skipped_with_a_warning(tmp_path):
    line_parcel = (["3,,L1,道路中线,线,,,,@"], ["J1,1,2528000,36512000", "J2,1,2528100,36512000",
                                               "J3,1,2528200,36512050"])
    res = read_txt(txt_file(tmp_path, line_parcel, parcel(rect(N0, E0, 100, 200), "2.0000", "P1")))
    assert res.gdf["parcel_id"].tolist() == ["P1"]
    assert [w["code"] for w in res.warnings] == ["shape_not_polygon"]


# --------------------------------------------------------------------------- writing and round trips


def _rings(geom):
    parts = getattr(geom, "geoms", [geom])
    return [[tuple(c) for c in r.coords] for p in parts for r in (p.exterior, *p.interiors)]


def test_write_txt_format(tmp_path):
    src = read_txt(txt_file(tmp_path, parcel(rect(N0, E0, 300, 300) + rect(N0 + 100, E0 + 100, 100, 100, ring=2),
                                             "8.0000", "W1", "带孔地块")))
    out = write_txt(src.gdf, tmp_path / "out.txt")
    raw = out.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    text = raw.decode("gbk")
    lines = text.splitlines()
    assert lines[: len(HEADER)] == HEADER
    assert lines[len(HEADER)] == "[地块坐标]"
    assert lines[len(HEADER) + 1] == "10,8.0000,W1,带孔地块,面,,工业用地,0601,@"
    body = lines[len(HEADER) + 2:]
    assert [b.split(",")[:2] for b in body] == [
        ["J1", "1"], ["J2", "1"], ["J3", "1"], ["J4", "1"], ["J1", "1"],
        ["J5", "2"], ["J6", "2"], ["J7", "2"], ["J8", "2"], ["J5", "2"],
    ]
    assert body[0] == "J1,1,2528000.000,36512000.000"
    utf = write_txt(src.gdf, tmp_path / "utf.txt", encoding="utf-8").read_bytes()
    assert utf.decode("utf-8") == text


def test_write_txt_reprojects_other_crs_to_prefixed_zone(tmp_path):
    g = gpd.GeoDataFrame({"parcel_id": ["X"]}, geometry=[shapely.box(512_000, N0, 512_200, N0 + 100)], crs=4545)
    back = read_txt(write_txt(g, tmp_path / "x.txt"))
    assert back.gdf.crs.to_epsg() == 4524
    assert back.gdf.geometry.iloc[0].bounds == pytest.approx((E0, N0, E0 + 200, N0 + 100))
    assert back.header["带号"] == "36" and back.header["坐标系"] == "2000国家大地坐标系"
    assert back.gdf["declared_area_ha"].iloc[0] == pytest.approx(2.0)
    geo = gpd.GeoDataFrame({"parcel_id": ["G"]}, geometry=[shapely.box(110.9, 24.3, 110.91, 24.31)], crs=4490)
    assert read_txt(write_txt(geo, tmp_path / "g.txt")).gdf.crs.to_epsg() == 4525  # CM 111°E


def test_round_trip_txt_gpkg_txt(tmp_path):
    outer = rect(N0, E0, 300, 300)
    hole = rect(N0 + 100, E0 + 100, 100, 100, ring=2, start=6)
    island = rect(N0 + 130, E0 + 130, 40, 40, ring=3, start=11)
    part = rect(N0 + 1000, E0, 100, 100, ring=4, start=16)
    header = [*HEADER, "[项目信息]", "项目名称=某园区扩区"]
    src_path = txt_file(tmp_path, parcel(rect(N0 - 500, E0, 100, 200), "2.0000", "R1", "一号"),
                        parcel(outer + hole + island + part, "9.6000", "R2", "二号", use="城镇住宅用地", code="0701"),
                        header=header)
    src = read_txt(src_path)
    gpkg = txt.write_gpkg(src.gdf, tmp_path / "mid.gpkg")
    loaded = io.read_parcels(gpkg)
    head, sections = txt.gpkg_header(gpkg)
    assert head == src.header and sections == {"项目信息": ["项目名称=某园区扩区"]}
    from reports import tables

    loaded.gdf.attrs.update({"txt_header": head, "txt_sections": sections})
    back = read_txt(tables.write(loaded.gdf, tmp_path / "back.txt"))
    assert back.header == src.header and back.sections == src.sections
    assert back.gdf["parcel_id"].tolist() == ["R1", "R2"]
    assert back.gdf["land_use"].tolist() == ["工业用地", "城镇住宅用地"]
    assert back.gdf["land_class_code"].tolist() == ["0601", "0701"]
    for a, b in zip(src.gdf.geometry, back.gdf.geometry, strict=True):
        assert a.equals(b)
        assert sorted(map(sorted, _rings(a))) == sorted(map(sorted, _rings(b)))  # the same points
    assert back.gdf["ring_count"].tolist() == [1, 4]
    assert back.warnings == []


def test_read_parcels_takes_txt(tmp_path):
    loaded = io.read_parcels(two_parcels(tmp_path, name="界址点.TXT"))
    assert loaded.gdf["parcel_id"].tolist() == ["DK01", "DK02"]
    assert loaded.gdf["land_use"].tolist() == ["industrial", "industrial"]  # normalised like any file
    assert loaded.gdf.crs.to_epsg() == 4524
    assert any(n["code"] == "txt_crs" for n in loaded.crs_note)
    p = txt_file(tmp_path, parcel(rect(N0, E0, 100, 200), "2.1000", "A1"), name="m.txt")
    problems = io.read_parcels(p).problems
    assert [(pr.row, pr.code, pr.args["line"]) for pr in problems] == [(1, "area_mismatch", len(HEADER) + 2)]


# --------------------------------------------------------------------------- CLI


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_convert_prints_areas_and_round_trips(tmp_path):
    src = two_parcels(tmp_path)
    r = _cli("convert", src, "-o", tmp_path / "a.gpkg")
    assert r.returncode == 0, r.stderr
    assert "DK01：20,000.00 平方米，2.0000 公顷，30.00 亩" in r.stdout
    assert "合计：22,000.00 平方米，2.2000 公顷，33.00 亩" in r.stdout
    r = _cli("convert", tmp_path / "a.gpkg", "-o", tmp_path / "b.txt", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "DK01: 20,000.00 m², 2.0000 ha, 30.00 mu" in r.stdout
    assert read_txt(tmp_path / "b.txt").header == read_txt(src).header
    for ext in (".geojson", ".zip"):
        r = _cli("convert", src, "-o", tmp_path / f"c{ext}")
        assert r.returncode == 0, r.stderr
        back = io.read_parcels(tmp_path / f"c{ext}").gdf
        assert back["parcel_id"].tolist() == ["DK01", "DK02"]
        assert gcrs.area_m2(back).tolist() == pytest.approx([20_000.0, 2_000.0], rel=1e-4)


def test_cli_convert_malformed_line_exits_2_with_line(tmp_path):
    pts = rect(N0, E0, 100, 200)
    pts[1] = "J2;1;2528000;36512200"
    r = _cli("convert", txt_file(tmp_path, parcel(pts, "2", "M")), "-o", tmp_path / "m.gpkg")
    assert r.returncode == 2
    assert f"第 {len(HEADER) + 4} 行" in r.stderr  # header, [地块坐标], parcel line, J1, J2


# --------------------------------------------------------------------------- words


def test_words_for_every_code():
    for code in (*txt.WARNING_CODES, *txt.ERROR_CODES, *txt.NOTE_CODES):
        for lang in ("zh", "en"):
            assert words.has_text(code, lang), (code, lang)
    for code in txt.SYSTEMS:
        assert words.has_label("txt_system", code, "zh") and words.has_label("txt_system", code, "en")
    for code in txt.ZONE_SOURCES:
        assert words.has_label("txt_zone_source", code, "zh") and words.has_label("txt_zone_source", code, "en")
    for col in txt.COLUMNS:
        assert words.has_label("column", col, "zh") and words.has_label("column", col, "en"), col


def test_every_sentence_renders_without_internal_words():
    sample = {"line": 12, "parcel_id": "DK01", "ring": "2", "first": "J1", "last": "J9", "declared_ha": 2.0,
              "computed_ha": 2.1, "diff_m2": 1000.0, "diff_pct": 5.0, "declared": 5, "rows": 6, "value": "x",
              "shape": "线", "first_line": 9, "zone": 36, "prefix": 37, "zone_width": 3, "easting": 912_000.0,
              "northing": 2_528_000.0, "text": "abc", "source": "坐标.txt", "field": "X", "points": 2,
              "geodetic_system": "cgcs2000", "other": 37, "epsg": 4524, "zone_from": "prefix", "encoding": "gbk"}
    for code, args in {**txt.WARNING_CODES, **txt.ERROR_CODES, **txt.NOTE_CODES}.items():
        zh = words.text(code, "zh", **{a: sample[a] for a in args})
        en = words.text(code, "en", **{a: sample[a] for a in args})
        for s in (zh, en):
            assert "—" not in s and "None" not in s and "{" not in s, (code, s)
        assert not any(w in zh for w in ("cgcs2000", "prefix", "nan", "True", "False")), zh
    assert words.render(sample | {"code": "txt_crs"}, "zh") == \
        "2000国家大地坐标系，3 度分带第 36 带（EPSG:4524，文件头未填带号，取自横坐标前的带号）"


@pytest.mark.parametrize(
    ("written", "system"),
    [("2000国家大地坐标系", "cgcs2000"), ("国家2000坐标系", "cgcs2000"), ("CGCS2000", "cgcs2000"),
     ("80国家大地坐标系", "xian80"), ("1980西安坐标系", "xian80"), ("西安80", "xian80"),
     ("1954北京坐标系", "beijing54"), ("北京54", "beijing54"), ("WGS84坐标系", "wgs84"), ("WGS-84", "wgs84"),
     ("地方独立坐标系", None)],
)
def test_system_spellings(written, system):
    assert txt.system_of(written) == system


def test_zone_number_written_with_its_word(tmp_path):
    header = ["[属性描述]", "坐标系=2000国家大地坐标系", "带号=第37带"]
    res = read_txt(txt_file(tmp_path, parcel(rect(N0, E0 + 1_000_000, 100, 200), "2.0000", "Z"), header=header))
    assert res.gdf.crs.to_epsg() == 4525 and res.warnings == []


def test_tables_write_txt_gives_land_use_in_chinese_and_drops_z(tmp_path):
    from reports import tables

    z = shapely.force_3d(shapely.box(512_000, N0, 512_200, N0 + 100), 50.0)
    g = gpd.GeoDataFrame({"parcel_id": ["T1", "T2"], "land_use": ["industrial", "科研用地"]},
                         geometry=[z, shapely.box(512_000, N0 + 500, 512_100, N0 + 600)], crs=4545)
    back = read_txt(tables.write(g, tmp_path / "t.txt", lang="en"))
    assert back.gdf["land_use"].tolist() == ["工业用地", "科研用地"]  # the format is Chinese whatever the page's language
    assert back.gdf["area_m2"].tolist() == pytest.approx([20_000.0, 10_000.0])
    assert back.header["坐标系"] == "2000国家大地坐标系" and back.header["格式版本号"] == "1.01版本"


def test_argument_kinds_are_ours_alone():
    # arg_kinds are global: an argument name of ours in another catalogue's sentence would be
    # rendered with our labels (as "system" of the GCJ-02 notes would have been).
    import string

    from words import core
    from words import txt as wtxt

    ours = {"geodetic_system", "zone_from"}
    for code, w in core.all_texts().items():
        if code in wtxt.TEXTS:
            continue
        for text in w.values():
            assert not ours & {f for _, f, _, _ in string.Formatter().parse(text) if f}, code
    assert words.text("txt_crs_degrees", "zh", epsg=4490, geodetic_system="cgcs2000") == \
        "2000国家大地坐标系经纬度（EPSG:4490）"


def test_txt_bytes_and_error_pickling(tmp_path):
    import pickle

    src = read_txt(two_parcels(tmp_path))
    data = txt.txt_bytes(src.gdf)
    assert data == write_txt(src.gdf, tmp_path / "w.txt").read_bytes()
    assert read_txt(data).gdf["area_m2"].tolist() == pytest.approx([20_000.0, 2_000.0])
    err = pickle.loads(pickle.dumps(TxtError("txt_line_malformed", source="a.txt", line=3, text="x")))
    assert isinstance(err, TxtError) and err.params["line"] == 3


def test_write_read_keeps_any_polygon_to_the_millimetre():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.tuples(st.floats(0, 2_000), st.floats(0, 2_000)), min_size=3, max_size=12),
           st.integers(35, 37))
    def run(xy, zone):
        # Any polygon (hull of the points, so valid) in any Guangxi zone: written and read back,
        # it reads back without a warning (the 面积 written is that of the coordinates written)
        # and every vertex within the 精度 of 1 mm.
        hull = shapely.MultiPoint(xy).convex_hull
        if hull.geom_type != "Polygon" or hull.area < 1:
            return
        shape = shapely.affinity.translate(hull, zone * 1_000_000 + 400_000, 2_500_000)
        g = gpd.GeoDataFrame({"parcel_id": ["H"]}, geometry=[shape], crs=gcrs.gk_epsg("cgcs2000", 3, zone))
        back = read_txt(txt.txt_bytes(g))
        assert back.warnings == []
        # rounding every vertex by at most half a millimetre moves the area by at most that much
        # along the boundary
        assert abs(back.gdf["area_m2"].iloc[0] - shape.area) <= shape.length * 0.0005 + 1e-6
        assert shapely.hausdorff_distance(back.gdf.geometry.iloc[0], shape) <= 0.001

    run()
