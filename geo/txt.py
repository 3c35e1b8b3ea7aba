"""
The 国土 boundary-point exchange format (《勘测定界界址点坐标交换格式》, "坐标 TXT").

Survey firms and bureaus exchange parcel boundaries as a text file::

    [属性描述]
    格式版本号=1.01版本
    坐标系=2000国家大地坐标系
    几度分带=3
    带号=36
    精度=0.001
    [地块坐标]
    5,2.0000,DK01,地块一,面,,工业用地,0601,@
    J1,1,2528000.000,36512000.000
    J2,1,2528000.000,36512200.000
    …

Each parcel starts with ``点数,面积(公顷),编号,名称,图形属性,图幅号,用途,地类编码,@`` (or
``@`` first) and is followed by point lines ``点号,圈号,X,Y`` — X the northing, Y the easting
with the zone number in front. A 圈号 above 1 may be a hole, another part or an island in a
hole: rings are nested by containment, never by number.

What real files do that this reader takes as it comes: BOM or none, CRLF or LF, GBK or UTF-8
(detected), full-width section brackets (【】, ［］), header keys in any order and any subset
(every key is kept, in order), an empty 带号 (the zone comes from the eastings' prefix),
placeholders (``/``, ``无``…) in parcel fields, an area written with its unit
(``1.2345公顷``), rings closed by repeating the first point, by a new point name at the same
place, or not at all (closed here, with a warning), point counts that disagree with the rows.

Nothing here is a sentence: warnings are items ``{"code": …, **args}`` with the file's line
number (codes in :data:`WARNING_CODES`), errors are :class:`TxtError` (a
:class:`geo.io.DataError`, codes in :data:`ERROR_CODES`), and the CRS choice is an item of
:data:`NOTE_CODES`. The words are in ``words/txt.py``.

Placing the CRS: 坐标系 names the system (CGCS2000 when the header names none, with a
warning), 带号 the zone (or the eastings' prefix when 带号 is empty), 几度分带 the width (or the
zone number: 25–45 are 3-degree zones, 13–23 6-degree zones); the EPSG code comes from
:func:`geo.crs.gk_epsg`. Eastings with a prefix that disagrees with 带号 are placed by the
prefix (the coordinates are what was surveyed; warned). Coordinates in degrees take the
system's geographic CRS. WGS 84 with a 带号 and eastings without a prefix is read as
WGS 84 / UTM zone 带号 N (:func:`geo.crs.utm_epsg`), the only projected WGS 84 zones EPSG defines for
China; WGS 84 on 3-degree Gauss-Krüger zones (or with prefixed eastings) has no standard
definition and is refused, as is a zone no system has (each with its line number).

The format's own tokens (section and key names, the names of the geodetic systems) are the
format, not words for people, and live here.

Writing (:func:`write_txt`) produces what real exchange files are: GBK with CRLF line ends
(UTF-8 on request), point names J1…, each ring closed by repeating its first point, 圈号 in
ring order (the first part's outer ring 1, its holes next, then the next part), the area in
公顷 to 4 decimals measured on the coordinates written.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo import vocab
from geo.crs import (
    GK_ZONES,
    M2_PER_HA,
    M2_PER_MU,
    area_m2,
    geographic_epsg,
    gk_epsg,
    gk_zone_for_lon,
    gk_zone_of_epsg,
    utm_epsg,
)
from geo.io import DataError

HEADER_SECTION = "属性描述"
COORD_SECTION = "地块坐标"

#: 坐标系 as files write it → geodetic system code: the first rule whose keyword the folded
#: value (NFKC, no spaces, case-folded) contains ("2000国家大地坐标系", "国家2000坐标系", "CGCS2000",
#: "80国家大地坐标系", "1980西安坐标系", "西安80", "1954北京坐标系", "北京54", "WGS84坐标系", "WGS-84" …).
SYSTEM_KEYWORDS = (
    ("wgs84", "wgs84"), ("wgs-84", "wgs84"),
    ("2000", "cgcs2000"),
    ("西安", "xian80"), ("1980", "xian80"), ("80", "xian80"),
    ("北京", "beijing54"), ("1954", "beijing54"), ("54", "beijing54"),
)
#: How :func:`write_txt` names each system (the exchange format's own spelling).
SYSTEM_NAMES = {
    "cgcs2000": "2000国家大地坐标系",
    "xian80": "80国家大地坐标系",
    "beijing54": "1954北京坐标系",
    "wgs84": "WGS84坐标系",
}
#: Area units a 面积 field may carry → m² per unit (公顷 when none is written).
AREA_UNITS = {
    "公顷": M2_PER_HA, "ha": M2_PER_HA, "hm2": M2_PER_HA, "hm²": M2_PER_HA,
    "平方米": 1.0, "m2": 1.0, "m²": 1.0, "㎡": 1.0, "平米": 1.0,
    "亩": M2_PER_MU,
}
#: Header keys written by :func:`write_txt` when a header lacks them, in the format's order.
DEFAULT_HEADER = {
    "格式版本号": "1.01版本",
    "数据产生单位": "",
    "数据产生日期": "",
    "坐标系": "",
    "几度分带": "",
    "投影类型": "高斯克吕格",
    "计量单位": "米",
    "带号": "",
    "精度": "0.001",
    "转换参数": ",,,,,,",
}
#: Key of the layer metadata holding a TXT header in a GeoPackage (:func:`write_gpkg`).
METADATA_KEY = "txt_header"

#: Two points closer than this (m, or the file's unit) are the same point (closing a ring).
SAME_POINT = 0.0005
#: Plausible distance of an easting from its zone's false easting (500 km), by zone width.
MAX_OFFSET_M = {3: 250_000, 6: 450_000}
#: Northings of China's territory in Gauss-Krüger coordinates (about 3°N to 54°N).
NORTHING_RANGE_M = (300_000, 6_100_000)
#: A computed area within this of the declared 面积 (公顷) is the same area (4 decimals as written).
AREA_TOLERANCE_HA = 0.0001

#: Every warning code with its arguments; every warning also carries ``line`` (1-based line of
#: the file) and, for a parcel, ``parcel`` (0-based position in the frame) and ``parcel_id``.
WARNING_CODES: dict[str, tuple[str, ...]] = {
    "line_outside_section": ("line",),
    "header_line_ignored": ("line", "text"),
    "system_assumed": ("line",),  # no 坐标系 line: CGCS2000, the national system since 2008
    "zone_from_prefix": ("line", "zone"),  # 带号 empty or absent: the eastings' prefix
    "zone_mismatch": ("line", "zone", "prefix"),  # 带号 and the eastings' prefix disagree
    "zone_width_mismatch": ("line", "zone", "zone_width"),  # 几度分带 contradicts the zone number
    "coords_outside_zone": ("line", "parcel_id", "easting", "northing"),
    "ring_not_closed": ("line", "parcel_id", "ring"),
    "ring_closed_renamed": ("line", "parcel_id", "ring", "first", "last"),
    "area_mismatch": ("line", "parcel_id", "declared_ha", "computed_ha", "diff_m2", "diff_pct"),
    "area_unreadable": ("line", "parcel_id", "value"),
    "point_count_mismatch": ("line", "parcel_id", "declared", "rows"),
    "point_count_unreadable": ("line", "parcel_id", "value"),
    "shape_not_polygon": ("line", "parcel_id", "shape"),  # 图形属性 线/点: not a parcel, skipped
    "rings_overlap": ("line", "parcel_id"),  # rings neither nested nor apart: merged
    "ring_self_intersects": ("line", "parcel_id"),  # a ring crosses itself: cut into its pieces
    "parcel_id_repeats": ("line", "parcel_id", "first_line"),
}
#: Warnings that only say how the file was read (``info``), not that something is amiss.
INFO_CODES = ("zone_from_prefix", "ring_closed_renamed")

#: Every error code with its arguments (``source`` is the file's name).
ERROR_CODES: dict[str, tuple[str, ...]] = {
    "txt_unreadable_encoding": ("source",),
    "txt_no_coordinates": ("source",),
    "txt_line_malformed": ("source", "line", "text"),
    "txt_number_unreadable": ("source", "line", "field", "value"),
    "txt_point_before_parcel": ("source", "line"),
    "txt_ring_too_short": ("source", "line", "parcel_id", "ring", "points"),
    "txt_system_unknown": ("source", "line", "value"),
    "txt_zone_unplaceable": ("source", "line", "zone", "zone_width", "geodetic_system"),
    "txt_zone_missing": ("source", "line"),
    "txt_zone_mixed": ("source", "line", "zone", "other"),
    "txt_wgs84_gauss_kruger": ("source", "line", "zone"),
    "txt_write_no_crs": ("source",),
    "txt_write_no_polygons": ("source",),
}

#: Codes of the CRS choice (:attr:`TxtResult.crs`) and the encoding note.
NOTE_CODES: dict[str, tuple[str, ...]] = {
    # system: one of geo.crs.DATUMS; zone_from: one of ZONE_SOURCES
    "txt_crs": ("epsg", "geodetic_system", "zone_width", "zone", "zone_from"),
    "txt_crs_degrees": ("epsg", "geodetic_system"),  # coordinates in degrees: the system's geographic CRS
    "txt_encoding": ("encoding",),
}
#: Where a zone number came from (``zone_from`` of the ``txt_crs`` note).
ZONE_SOURCES = ("header", "prefix", "utm")
#: The geodetic systems a file may name (label kind ``txt_system`` in words/txt.py).
SYSTEMS = tuple(SYSTEM_NAMES)

#: Columns of the parcels frame, in order (words in words/txt.py, kind ``column``).
COLUMNS = (
    "parcel_id", "parcel_name", "land_use", "land_use_written", "land_class_code", "shape_kind", "map_sheet",
    "declared_area_ha", "declared_area_m2", "declared_points", "point_rows", "ring_count",
    "area_m2", "area_diff_m2", "area_diff_pct", "txt_line",
)


class TxtError(DataError):
    """A 坐标 TXT cannot be read or written; ``code`` (:data:`ERROR_CODES`) and ``params`` say where."""

    def __reduce__(self):
        return (_txt_error, (self.code, self.params))


def _txt_error(code: str, params: dict) -> TxtError:
    return TxtError(code, **params)


@dataclass
class TxtResult:
    """
    A 坐标 TXT as read.

    ``gdf``: one row per parcel (:data:`COLUMNS`) in the file's CRS; ``header``: every
    ``key=value`` of [属性描述] in file order; ``sections``: any other section's lines by name;
    ``warnings``: items ``{"code", "line", …}`` (:data:`WARNING_CODES`); ``crs``: the
    ``txt_crs`` note item; ``encoding``: ``utf-8`` or ``gbk``.
    """

    gdf: gpd.GeoDataFrame
    header: dict[str, str]
    sections: dict[str, list[str]]
    warnings: list[dict]
    crs: dict
    encoding: str
    source: str
    notes: list[dict] = field(default_factory=list)


# --------------------------------------------------------------------------- text


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        tries = [("utf-8", "utf-8", data[3:])]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        tries = [("utf-16", "utf-16", data)]
    else:
        # GB18030 is a superset of GBK: a GBK file decodes the same.
        tries = [("utf-8", "utf-8", data), ("gb18030", "gbk", data)]
    for codec, name, body in tries:
        try:
            return body.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise TxtError("txt_unreadable_encoding", source=source)


_SECTION = re.compile(r"^\s*[\[【［]\s*(?P<name>[^\]】］]*?)\s*[\]】］]\s*$")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def _fold(value: str) -> str:
    return vocab.fold(value)


def _blank(value: str | None) -> bool:
    return value is None or _fold(value) in vocab.BLANK_TOKENS


def _field(value: str) -> str | None:
    """A parcel field as written (trimmed), None for empty and placeholders."""
    value = value.strip()
    return None if _blank(value) else value


def _number(text: str) -> float | None:
    t = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    return float(t) if _NUMBER.match(t) else None


def _area_m2(text: str) -> tuple[float | None, int | None]:
    """A 面积 field → (m², decimals written) or (None, None) when unreadable; 公顷 unless a unit says."""
    t = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    unit = M2_PER_HA
    for name, per in sorted(AREA_UNITS.items(), key=lambda kv: -len(kv[0])):
        folded = unicodedata.normalize("NFKC", name).casefold()
        if t.casefold().endswith(folded):
            t, unit = t[: len(t) - len(folded)], per
            break
    if not _NUMBER.match(t):
        return None, None
    decimals = len(t.split(".")[1]) if "." in t else 0
    return float(t) * unit, decimals if unit == M2_PER_HA else None


# --------------------------------------------------------------------------- reading


@dataclass
class _Parcel:
    line: int
    fields: list[str]
    points: list[tuple[int, str, str, float, float]] = field(default_factory=list)  # line, name, ring, x, y


def _split(line: str) -> list[str]:
    return [f.strip() for f in line.split(",")]


def _parse(text: str, source: str):
    header: dict[str, str] = {}
    header_lines: dict[str, int] = {}
    sections: dict[str, list[str]] = {}
    parcels: list[_Parcel] = []
    warnings: list[dict] = []
    section = None
    seen_coords = False
    # Only CR and LF end a line (str.splitlines would also split on form feeds and the like,
    # and line numbers would no longer be an editor's).
    for no, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        m = _SECTION.match(line)
        if m:
            section = unicodedata.normalize("NFKC", m.group("name")).strip()
            seen_coords = seen_coords or section == COORD_SECTION
            if section not in (HEADER_SECTION, COORD_SECTION):
                sections.setdefault(section, [])
            continue
        if section is None:
            warnings.append({"code": "line_outside_section", "line": no})
        elif section == COORD_SECTION:
            fields = _split(line)
            if fields[0] == "@" or fields[-1] == "@":
                body = fields[1:] if fields[0] == "@" else fields[:-1]
                parcels.append(_Parcel(no, (body + [""] * 8)[:8]))
                continue
            while len(fields) > 4 and fields[-1] == "":
                fields.pop()
            if len(fields) != 4:
                raise TxtError("txt_line_malformed", source=source, line=no, text=line[:80])
            if not parcels:
                raise TxtError("txt_point_before_parcel", source=source, line=no)
            x, y = _number(fields[2]), _number(fields[3])
            for name, value, parsed in (("X", fields[2], x), ("Y", fields[3], y)):
                if parsed is None:
                    raise TxtError("txt_number_unreadable", source=source, line=no, field=name, value=value[:40])
            ring = _fold(fields[1]) or "1"
            parcels[-1].points.append((no, fields[0], ring, x, y))
        elif section == HEADER_SECTION:
            if "=" not in line:
                warnings.append({"code": "header_line_ignored", "line": no, "text": line[:80]})
                continue
            key, value = line.split("=", 1)
            key = unicodedata.normalize("NFKC", key).strip()
            header[key] = value.strip()
            header_lines[key] = no
        else:
            sections[section].append(line)
    if not seen_coords or not parcels:
        raise TxtError("txt_no_coordinates", source=source)
    return header, header_lines, sections, parcels, warnings


def system_of(value: str) -> str | None:
    """The geodetic system (:data:`geo.crs.DATUMS`) a 坐标系 value names, or None."""
    folded = _fold(value)
    return next((code for key, code in SYSTEM_KEYWORDS if key in folded), None)


def _zone_number(value: str) -> int | None:
    """带号 as written: ``36``, ``36带``, ``第36带``."""
    m = re.fullmatch(r"第?(\d{1,2})(?:\.0+)?带?", _fold(value))
    return int(m.group(1)) if m else None


def _zone_width(value: str | None) -> int | None:
    if value is None:
        return None
    t = _fold(value)
    if t.startswith(("3", "三")):
        return 3
    if t.startswith(("6", "六")):
        return 6
    return None


def _choose_crs(header, header_lines, parcels, source, warnings) -> tuple[int, dict]:
    """
    The EPSG code of the file and its ``txt_crs`` note. Eastings are kept as written: a
    zone-prefixed CRS carries the prefix in its false easting.
    """
    first_point_line = parcels[0].points[0][0] if parcels[0].points else parcels[0].line
    system_text = header.get("坐标系")
    if system_text is None or _blank(system_text):
        system = "cgcs2000"
        warnings.append({"code": "system_assumed", "line": header_lines.get("坐标系", first_point_line)})
    else:
        system = system_of(system_text)
        if system is None:
            raise TxtError("txt_system_unknown", source=source, line=header_lines["坐标系"], value=system_text)
    xs = np.array([p[3] for pc in parcels for p in pc.points], dtype=float)
    ys = np.array([p[4] for pc in parcels for p in pc.points], dtype=float)
    lines = np.array([p[0] for pc in parcels for p in pc.points], dtype=int)
    if xs.size == 0:
        raise TxtError("txt_no_coordinates", source=source)
    if np.all(np.abs(xs) <= 90) and np.all(np.abs(ys) <= 180):
        epsg = geographic_epsg(system)
        return epsg, _note(epsg, system, 0, 0, "degrees")
    zone_line = header_lines.get("带号", header_lines.get("坐标系", first_point_line))
    zone_text = header.get("带号")
    zone_given = None
    if zone_text is not None and not _blank(zone_text):
        zone_given = _zone_number(zone_text)
        if zone_given is None:
            raise TxtError("txt_number_unreadable", source=source, line=header_lines["带号"], field="带号",
                           value=zone_text)
    width_key = "几度分带" if "几度分带" in header else "分带"
    width = _zone_width(header.get(width_key))
    prefixes = np.floor(ys / 1_000_000).astype(int)
    prefixed = bool(np.all(prefixes >= 1))
    if prefixed and np.unique(prefixes).size > 1:
        other = int(np.flatnonzero(prefixes != prefixes[0])[0])
        raise TxtError("txt_zone_mixed", source=source, line=int(lines[other]), zone=int(prefixes[0]),
                       other=int(prefixes[other]))
    prefix = int(prefixes[0]) if prefixed else None
    if system == "wgs84":
        if width == 3 or prefixed:
            raise TxtError("txt_wgs84_gauss_kruger", source=source, line=zone_line, zone=zone_given or prefix)
        epsg = utm_epsg(zone_given) if zone_given is not None else None
        if epsg is None:
            raise TxtError("txt_zone_missing", source=source, line=zone_line)
        _check_offsets(ys, xs, lines, parcels, 6, warnings)
        return epsg, _note(epsg, system, 6, zone_given, "utm")
    zone_from = "header"
    if zone_given is None:
        if prefix is None:
            raise TxtError("txt_zone_missing", source=source, line=zone_line)
        zone, zone_from = prefix, "prefix"
        warnings.append({"code": "zone_from_prefix", "line": int(lines[0]), "zone": zone})
    else:
        zone = zone_given
        if prefix is not None and prefix != zone_given:
            # The coordinates are what was surveyed: the prefix places them, the header is a typo.
            warnings.append({"code": "zone_mismatch", "line": zone_line, "zone": zone_given, "prefix": prefix})
            zone = prefix
    by_number = next((w for w, (lo, hi) in GK_ZONES.items() if lo <= zone <= hi), None)
    if width is None:
        width = by_number
    elif by_number is not None and by_number != width:
        warnings.append({"code": "zone_width_mismatch", "line": header_lines.get(width_key, zone_line),
                         "zone": zone, "zone_width": width})
        width = by_number
    epsg = gk_epsg(system, width, zone, prefixed=prefixed) if width else None
    if epsg is None:
        raise TxtError("txt_zone_unplaceable", source=source, line=zone_line, zone=zone, zone_width=width,
                       geodetic_system=system)
    _check_offsets(ys - (prefix or 0) * 1_000_000, xs, lines, parcels, width, warnings)
    return epsg, _note(epsg, system, width, zone, zone_from)


def _note(epsg, system, width, zone, zone_from) -> dict:
    if zone_from == "degrees":
        return {"code": "txt_crs_degrees", "epsg": int(epsg), "geodetic_system": system}
    return {"code": "txt_crs", "epsg": int(epsg), "geodetic_system": system, "zone_width": int(width),
            "zone": int(zone or 0), "zone_from": zone_from}


def _check_offsets(eastings, northings, lines, parcels, width, warnings) -> None:
    """Zone against coordinates: an easting far from its zone's meridian, a northing outside China."""
    bad = (np.abs(eastings - 500_000) > MAX_OFFSET_M[width]) | (northings < NORTHING_RANGE_M[0]) | (
        northings > NORTHING_RANGE_M[1]
    )
    if not bad.any():
        return
    # One warning per parcel, at its first point out of place.
    starts = np.array([pc.points[0][0] if pc.points else pc.line for pc in parcels])
    owner = np.searchsorted(starts, lines, side="right") - 1
    first_bad = np.flatnonzero(bad)
    _, keep = np.unique(owner[first_bad], return_index=True)
    for i in first_bad[np.sort(keep)]:
        k = int(owner[i])
        warnings.append({"code": "coords_outside_zone", "line": int(lines[i]),
                         "parcel_id": _field(parcels[k].fields[2]),
                         "easting": float(eastings[i]), "northing": float(northings[i])})


def _rings(pc: _Parcel, source: str, pid, k: int, warnings: list[dict]) -> list[Polygon]:
    """The parcel's rings, each closed, as polygons, in the order of their first point."""
    order: dict[str, list] = {}
    for p in pc.points:
        order.setdefault(p[2], []).append(p)
    out = []
    for ring, pts in order.items():
        xy = np.array([(p[4], p[3]) for p in pts], dtype=float)  # (easting, northing)
        closed = len(xy) > 1 and np.hypot(*(xy[0] - xy[-1])) <= SAME_POINT
        if closed and pts[0][1] != pts[-1][1]:
            warnings.append({"code": "ring_closed_renamed", "line": pts[-1][0], "parcel": k, "parcel_id": pid,
                             "ring": ring, "first": pts[0][1], "last": pts[-1][1]})
        if closed:
            xy = xy[:-1]
        distinct = len({(round(a, 4), round(b, 4)) for a, b in xy})
        if distinct < 3:
            raise TxtError("txt_ring_too_short", source=source, line=pts[0][0], parcel_id=pid, ring=ring,
                           points=distinct)
        if not closed:
            warnings.append({"code": "ring_not_closed", "line": pts[-1][0], "parcel": k, "parcel_id": pid,
                             "ring": ring})
        out.append(Polygon(xy))
    return out


def nest_rings(rings: list[Polygon]) -> tuple[Polygon | MultiPolygon, bool, bool]:
    """
    Polygons from rings by containment: a ring inside an even number of others is an outer
    ring, inside an odd number a hole of the smallest ring containing it (islands in holes
    become parts).

    Returns the shape, whether some rings overlapped without nesting (then they are merged),
    and whether a ring crossed itself (then it is cut into the pieces it encloses).
    """
    polys: list[Polygon] = []
    crossed = False
    for r in rings:
        if r.is_valid:
            polys.append(r)
            continue
        crossed = True
        fixed = shapely.make_valid(r)
        polys += [Polygon(g.exterior) for g in getattr(fixed, "geoms", [fixed])
                  if g.geom_type == "Polygon" and g.area > 0]
    order = sorted(range(len(polys)), key=lambda i: -polys[i].area)
    parent: dict[int, int | None] = {}
    depth: dict[int, int] = {}
    overlap = False
    for pos, i in enumerate(order):
        parent[i], depth[i] = None, 0
        for j in reversed(order[:pos]):  # larger rings, the smallest first: the first container is the parent
            if polys[j].contains(polys[i]):
                parent[i], depth[i] = j, depth[j] + 1
                break
            if polys[j].intersection(polys[i]).area > 0:
                overlap = True
    shells = [
        Polygon(polys[i].exterior.coords,
                [polys[h].exterior.coords for h in order if parent[h] == i and depth[h] % 2 == 1])
        for i in order if depth[i] % 2 == 0
    ]
    if overlap:
        return shapely.union_all(shells), True, crossed
    return (shells[0] if len(shells) == 1 else MultiPolygon(shells)), False, crossed


def read_txt(path_or_bytes, *, source: str | None = None) -> TxtResult:
    """
    Read a 坐标 TXT into parcels.

    Parameters
    ----------
    path_or_bytes
        A path or the file's bytes.
    source
        The file's name in warnings and errors (the path's name by default).

    Returns
    -------
    result
        :class:`TxtResult`: parcels in the file's CRS (:data:`COLUMNS`; ``area_m2`` measured
        on the coordinates, ``area_diff_m2``/``area_diff_pct`` against the declared 面积),
        the header, extra sections, warnings with line numbers, and the CRS choice.

    Raises
    ------
    TxtError
        Malformed line, unreadable number, a ring of under three points, no parcels, or a
        CRS that cannot be placed (each with its line number).
    """
    if isinstance(path_or_bytes, bytes | bytearray):
        data, source = bytes(path_or_bytes), source or "坐标.txt"
    else:
        p = Path(path_or_bytes)
        source = source or p.name
        if not p.exists():
            raise DataError("file_not_found", source=str(p))
        data = p.read_bytes()
    text, encoding = _decode(data, source)
    header, header_lines, sections, parcels, warnings = _parse(text, source)
    epsg, crs_note = _choose_crs(header, header_lines, parcels, source, warnings)

    rows, geoms, first_line_of = [], [], {}
    for pc in parcels:
        f = pc.fields
        pid = _field(f[2])
        shape = _field(f[4])
        k = len(rows)
        if shape is not None and _fold(shape) in ("线", "点", "line", "point"):
            warnings.append({"code": "shape_not_polygon", "line": pc.line, "parcel_id": pid, "shape": shape})
            continue
        if not pc.points:
            raise TxtError("txt_ring_too_short", source=source, line=pc.line, parcel_id=pid, ring="1", points=0)
        if pid is not None:
            if pid in first_line_of:
                warnings.append({"code": "parcel_id_repeats", "line": pc.line, "parcel": k, "parcel_id": pid,
                                 "first_line": first_line_of[pid]})
            first_line_of.setdefault(pid, pc.line)
        geom, overlap, crossed = nest_rings(_rings(pc, source, pid, k, warnings))
        if overlap:
            warnings.append({"code": "rings_overlap", "line": pc.line, "parcel": k, "parcel_id": pid})
        if crossed:
            warnings.append({"code": "ring_self_intersects", "line": pc.line, "parcel": k, "parcel_id": pid})
        declared_m2, decimals = (None, None) if _blank(f[1]) else _area_m2(f[1])
        if declared_m2 is None and not _blank(f[1]):
            warnings.append({"code": "area_unreadable", "line": pc.line, "parcel": k, "parcel_id": pid,
                             "value": f[1]})
        count = None
        if not _blank(f[0]):
            n = _number(f[0])
            if n is None or n != int(n):
                warnings.append({"code": "point_count_unreadable", "line": pc.line, "parcel": k,
                                 "parcel_id": pid, "value": f[0]})
            else:
                count = int(n)
        rows.append({
            "parcel_id": pid, "parcel_name": _field(f[3]), "land_use": _field(f[6]),
            "land_use_written": _field(f[6]),
            "land_class_code": _field(f[7]), "shape_kind": shape, "map_sheet": _field(f[5]),
            "declared_area_m2": declared_m2, "declared_points": count, "point_rows": len(pc.points),
            "ring_count": len({p[2] for p in pc.points}), "txt_line": pc.line, "_decimals": decimals,
            "_distinct": _distinct_points(pc),
        })
        geoms.append(geom)
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "_decimals", "_distinct"])
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index), crs=epsg)
    gdf["declared_area_m2"] = gdf["declared_area_m2"].astype(float)
    gdf["declared_area_ha"] = gdf["declared_area_m2"] / M2_PER_HA
    gdf["declared_points"] = gdf["declared_points"].astype("Int64")
    gdf["area_m2"] = area_m2(gdf).to_numpy()
    gdf["area_diff_m2"] = gdf["area_m2"] - gdf["declared_area_m2"]
    gdf["area_diff_pct"] = gdf["area_diff_m2"] / gdf["declared_area_m2"].where(gdf["declared_area_m2"] > 0) * 100
    warnings += _checks(gdf)
    gdf = gdf.drop(columns=["_decimals", "_distinct"])[[*COLUMNS, "geometry"]]
    gdf.attrs["txt_header"] = dict(header)
    gdf.attrs["txt_sections"] = {k: list(v) for k, v in sections.items()}
    warnings.sort(key=lambda w: w["line"])
    notes = [crs_note, {"code": "txt_encoding", "encoding": encoding}]
    return TxtResult(gdf, header, sections, warnings, crs_note, encoding, source, notes)


def _distinct_points(pc: _Parcel) -> int:
    """Point rows less each ring's closing repeat of its first point."""
    rings: dict[str, list] = {}
    for p in pc.points:
        rings.setdefault(p[2], []).append(p)
    n = 0
    for pts in rings.values():
        closed = len(pts) > 1 and math.hypot(pts[0][3] - pts[-1][3], pts[0][4] - pts[-1][4]) <= SAME_POINT
        n += len(pts) - int(closed)
    return n


def _checks(gdf: gpd.GeoDataFrame) -> list[dict]:
    """Declared against measured: area (to the decimals written, at least 0.0001 公顷) and point count."""
    out = []
    half_unit = 0.5 * 10.0 ** (-gdf["_decimals"].astype(float))
    tol_ha = np.maximum(half_unit.fillna(AREA_TOLERANCE_HA), AREA_TOLERANCE_HA)
    diff_ha = (gdf["area_diff_m2"] / M2_PER_HA).abs()
    for k in np.flatnonzero((diff_ha > tol_ha + 1e-12).to_numpy()):
        r = gdf.iloc[k]
        out.append({"code": "area_mismatch", "line": int(r["txt_line"]), "parcel": int(k),
                    "parcel_id": r["parcel_id"], "declared_ha": float(r["declared_area_ha"]),
                    "computed_ha": float(r["area_m2"] / M2_PER_HA), "diff_m2": float(r["area_diff_m2"]),
                    "diff_pct": float(r["area_diff_pct"]) if pd.notna(r["area_diff_pct"]) else None})
    declared = gdf["declared_points"]
    off = declared.notna() & (declared != gdf["point_rows"]) & (declared != gdf["_distinct"])
    for k in np.flatnonzero(off.to_numpy(dtype=bool)):
        r = gdf.iloc[k]
        out.append({"code": "point_count_mismatch", "line": int(r["txt_line"]), "parcel": int(k),
                    "parcel_id": r["parcel_id"], "declared": int(r["declared_points"]),
                    "rows": int(r["point_rows"])})
    return out


def severity(code: str) -> str:
    """``info`` for a warning that only says how the file was read, else ``warning``."""
    return "info" if code in INFO_CODES else "warning"


def for_io(path, *, source: str):
    """
    What :func:`geo.io.read_parcels` needs of a TXT: ``(frame, crs, notes, problems)``.

    Problems are :class:`geo.io.Problem` on the parcel's 1-based row (the file's line number is
    an argument), so every reader face lists them like any other file's.
    """
    from geo.io import Problem

    res = read_txt(path, source=source)
    problems = [
        Problem(
            (int(w["parcel"]) + 1) if w.get("parcel") is not None else None,
            "geometry" if w["code"].startswith(("ring", "coords", "shape")) else None,
            w["code"],
            {k: v for k, v in w.items() if k not in ("code", "parcel")},
            severity(w["code"]),
        )
        for w in res.warnings
    ]
    return res.gdf, res.gdf.crs, [res.crs, *(n for n in res.notes if n is not res.crs)], problems


# --------------------------------------------------------------------------- writing


def _decimals(precision: str | None) -> int:
    """Coordinate decimals from 精度: ``0.001`` → 3, ``3`` → 3; 3 when absent or unreadable."""
    v = _number(precision) if precision else None
    if v is None or v <= 0:
        return 3
    if v < 1:
        return max(0, round(-math.log10(v)))
    return int(v) if v == int(v) and v <= 8 else 3


def _placed(gdf: gpd.GeoDataFrame, source: str) -> tuple[gpd.GeoDataFrame, tuple[str, int, int]]:
    """The frame in a zone-prefixed Gauss-Krüger CRS: its own zone if it has one, else CGCS2000 3-degree."""
    if gdf.crs is None:
        raise TxtError("txt_write_no_crs", source=source)
    placed = gk_zone_of_epsg(gdf.crs.to_epsg())
    if placed is None:
        b = gdf.geometry.to_crs(geographic_epsg("cgcs2000")).bounds
        lon = float(np.nanmedian((b["minx"] + b["maxx"]) / 2))
        placed = ("cgcs2000", 3, gk_zone_for_lon(lon, 3), False)
    datum, width, zone, _prefixed = placed
    target = gk_epsg(datum, width, zone, prefixed=True)
    out = gdf if gdf.crs.to_epsg() == target else gdf.to_crs(target)
    return out, (datum, width, zone)


def _clean(value) -> str:
    """A field value as the format can hold it: no commas or line breaks; missing → empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return re.sub(r"[\r\n]+", " ", str(value)).replace(",", "，").strip()


def txt_text(gdf: gpd.GeoDataFrame, *, header: Mapping[str, str] | None = None,
             sections: Mapping[str, list[str]] | None = None, source: str = "坐标.txt") -> str:
    """The 坐标 TXT of ``gdf`` as text (LF line ends); :func:`write_txt` encodes it."""
    polys = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty
                & gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polys.empty:
        raise TxtError("txt_write_no_polygons", source=source)
    polys, (datum, width, zone) = _placed(polys, source)
    given = dict(header if header is not None else gdf.attrs.get("txt_header") or {})
    head = given or dict(DEFAULT_HEADER)
    # The placement keys say what the coordinates written are; a value that already says so
    # (in the file's own spelling) is kept as written.
    if system_of(head.get("坐标系") or "") != datum:
        head["坐标系"] = SYSTEM_NAMES[datum]
    if _zone_number(head.get("带号") or "") != zone:
        head["带号"] = str(zone)
    width_key = "分带" if "分带" in head and "几度分带" not in head else "几度分带"
    if _zone_width(head.get(width_key)) != width:
        head[width_key] = str(width)
    decimals = _decimals(head.get("精度"))
    lines = [f"[{HEADER_SECTION}]", *(f"{k}={v}" for k, v in head.items())]
    extra = sections if sections is not None else gdf.attrs.get("txt_sections") or {}
    for name, body in extra.items():
        lines += [f"[{name}]", *body]
    lines.append(f"[{COORD_SECTION}]")
    # The coordinates as written (rounded to 精度): the area stated is the area of what is written.
    polys = polys.set_geometry(shapely.transform(polys.geometry.to_numpy(), lambda c: np.round(c, decimals)))
    areas = area_m2(polys)
    cols = {c: polys[c] if c in polys.columns else pd.Series(None, index=polys.index, dtype=object)
            for c in ("parcel_id", "parcel_name", "shape_kind", "map_sheet", "land_use", "land_class_code")}
    if "land_use_written" in polys.columns:  # 用途 as the file wrote it, before any normalising
        cols["land_use"] = polys["land_use_written"].where(polys["land_use_written"].notna(), cols["land_use"])
    for pos, geom in enumerate(polys.geometry):
        # Point names run on through the parcel (J1, J2 …); a ring's closing line repeats its first.
        named: list[str] = []
        count = 0
        rings = [r for part in getattr(geom, "geoms", [geom]) for r in (part.exterior, *part.interiors)]
        for ring_no, ring in enumerate(rings, start=1):
            coords = np.asarray(ring.coords)[:-1, :2]  # a Z value has no place in the format
            first = count + 1
            for e, n in coords:
                count += 1
                named.append(f"J{count},{ring_no},{n:.{decimals}f},{e:.{decimals}f}")
            named.append(f"J{first},{ring_no},{coords[0][1]:.{decimals}f},{coords[0][0]:.{decimals}f}")
        r = {c: _clean(cols[c].iloc[pos]) for c in cols}
        fields = [str(len(named)), f"{areas.iloc[pos] / M2_PER_HA:.4f}", r["parcel_id"], r["parcel_name"],
                  r["shape_kind"] or "面", r["map_sheet"], r["land_use"], r["land_class_code"], "@"]
        lines.append(",".join(fields))
        lines += named
    return "\n".join(lines) + "\n"


def write_txt(gdf: gpd.GeoDataFrame, path, *, header: Mapping[str, str] | None = None,
              sections: Mapping[str, list[str]] | None = None, encoding: str = "gbk") -> Path:
    """
    Write parcels as a 坐标 TXT.

    Parameters
    ----------
    gdf
        Polygons with a CRS; columns ``parcel_id``, ``parcel_name``, ``land_use`` (written as
        they are: give 用途 in Chinese; ``land_use_written``, the 用途 a TXT was read with,
        wins where present, so a normalised land use never replaces it), ``land_class_code``, ``shape_kind``, ``map_sheet`` when
        present. Rows without a polygon are left out. A frame in a Gauss-Krüger zone of
        :func:`geo.crs.gk_epsg` is written in that zone with the zone number in front of the
        eastings; any other CRS is reprojected to the CGCS2000 3-degree zone of its median
        longitude (one file, one zone: parcels beyond that zone are written in its extension).
        点数 is the count of point lines written, closing lines included.
    header
        [属性描述] keys in order (``gdf.attrs["txt_header"]`` from :func:`read_txt` by default;
        the format's usual keys when neither). 坐标系, 带号 and 几度分带 are set from the
        coordinates written; 精度 sets the decimals of the coordinates (3 by default).
    sections
        Extra sections (name → lines), written between [属性描述] and [地块坐标].
    encoding
        ``gbk`` (default: what bureau software reads; written as GB18030, which is GBK for
        every GBK character) or ``utf-8``. Lines end CRLF, as exchange files do.
    """
    p = Path(path)
    p.write_bytes(txt_bytes(gdf, header=header, sections=sections, encoding=encoding, source=p.name))
    return p


def txt_bytes(gdf: gpd.GeoDataFrame, *, header: Mapping[str, str] | None = None,
              sections: Mapping[str, list[str]] | None = None, encoding: str = "gbk",
              source: str = "坐标.txt") -> bytes:
    """The file :func:`write_txt` writes, as bytes (download buttons)."""
    text = txt_text(gdf, header=header, sections=sections, source=source)
    codec = "gb18030" if encoding.lower().replace("-", "") in ("gbk", "gb2312", "gb18030") else "utf-8"
    return text.replace("\n", "\r\n").encode(codec)


# --------------------------------------------------------------------------- keeping the header in a GeoPackage


def write_gpkg(gdf: gpd.GeoDataFrame, path, *, header: Mapping[str, str] | None = None,
               sections: Mapping[str, list[str]] | None = None, layer: str = "parcels") -> Path:
    """A GeoPackage whose layer metadata keeps the TXT header and sections (:func:`gpkg_header`)."""
    import pyogrio

    head = dict(header if header is not None else gdf.attrs.get("txt_header") or {})
    extra = dict(sections if sections is not None else gdf.attrs.get("txt_sections") or {})
    out = gdf.copy()
    out.attrs = {}
    meta = {METADATA_KEY: json.dumps({"header": head, "sections": extra}, ensure_ascii=False)} if head or extra \
        else None
    pyogrio.write_dataframe(out, Path(path), layer=layer, driver="GPKG", layer_metadata=meta)
    return Path(path)


def gpkg_header(path, *, layer: str | None = None) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The TXT header and sections kept in a GeoPackage by :func:`write_gpkg` (empty when none)."""
    import pyogrio

    p = Path(path)
    if p.suffix.lower() != ".gpkg" or not p.exists():
        return {}, {}
    meta = pyogrio.read_info(p, layer=layer).get("layer_metadata") or {}
    if METADATA_KEY not in meta:
        return {}, {}
    kept = json.loads(meta[METADATA_KEY])
    return dict(kept.get("header") or {}), {k: list(v) for k, v in (kept.get("sections") or {}).items()}

