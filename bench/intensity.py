"""
Benchmark: floor-area efficiency, control indicators and 亩均 grading of N parcels.

    .venv/bin/python bench/intensity.py [--n 1000000] [--seed 0] [--rowwise-n 20000]

Generates N box parcels (seeded numpy, no Python loop) in EPSG:4490 over Guangxi
with industry codes in both GB/T 4754 editions' forms, floor areas, footprints,
investment and the six grading inputs; writes them as GeoParquet to
``bench/out/``; then times end to end: read parquet → ``parcel_metrics`` (areas per
GK zone) → ``check_compliance`` → ``grade`` (by park) → write parquet. Also times
the what-if slider call (``check_compliance`` on precomputed metrics) on 5,000
parcels. For comparison the same metrics and rules are written as a per-row
function run with ``DataFrame.apply(axis=1)`` (what geo/ forbids) on a subsample
of ``--rowwise-n`` parcels and extrapolated linearly to N (the table says so);
its inefficient flags are checked against the vectorised ones. On the subsample
the site areas are also checked bit for bit against ``GeoSeries.to_crs(zone).area``
and every item of the message-list columns for a code; the output file holds each
list as its codes joined by "; ". Peak memory: process RSS
(``ru_maxrss``) after the vectorised run, and tracemalloc's peak for the analysis
step alone on the subsample.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.crs import M2_PER_MU, area_m2, gk_epsg_for_lon  # noqa: E402
from geo.grading import grade  # noqa: E402
from geo.intensity import check_compliance, load_control_rules, parcel_metrics  # noqa: E402

OUT_DIR = ROOT / "bench" / "out"
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQ = 111_320.0
PARKS = pd.DataFrame(
    {
        "park_id": ["nanning", "liuzhou", "guilin", "beihai", "wuzhou", "qinzhou"],
        "level": ["national", "national", "national", "national", "regional", "regional"],
        "city": ["南宁", "柳州", "桂林", "北海", "梧州", "钦州"],
    }
)


def synthetic_parcels(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """N square parcels (60-300 m a side) in EPSG:4490 with intensity and grading inputs."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(104.6, 111.9, n)
    lat = rng.uniform(21.6, 26.2, n)
    side = rng.uniform(60.0, 300.0, n)
    dlat = side / M_PER_DEG_LAT
    dlon = side / (M_PER_DEG_LON_EQ * np.cos(np.radians(lat)))
    geom = shapely.box(lon, lat, lon + dlon, lat + dlat)
    site = side**2
    codes = np.array(["13", "17", "26", "27", "3911", "C39", "40", "25", "34", "44", "3562.0"])
    frame = {
        "parcel_id": np.char.add("P", np.arange(n).astype(str)),
        "park_id": rng.choice(PARKS["park_id"].to_numpy(), n),
        "land_use": rng.choice(["industrial", "storage", "commercial"], n, p=[0.75, 0.15, 0.10]),
        "industry_code": rng.choice(codes, n),
        "industry_edition": rng.choice(np.array(["2002", "2017"], dtype=object), n, p=[0.3, 0.7]),
        "floor_area_m2": site * rng.uniform(0.3, 1.8, n),
        "floor_area_over_8m_m2": site * rng.uniform(0.0, 0.2, n),
        "footprint_m2": site * rng.uniform(0.2, 0.7, n),
        "office_area_m2": site * rng.uniform(0.0, 0.1, n),
        "green_area_m2": site * rng.uniform(0.05, 0.25, n),
        "total_investment_wan": site / M2_PER_MU * rng.uniform(50, 400, n),
        "output_wan": site / M2_PER_MU * rng.uniform(50, 800, n),
        "tax_wan": site / M2_PER_MU * rng.uniform(0.5, 40, n),
        "value_added_wan": site / M2_PER_MU * rng.uniform(10, 200, n),
        "energy_tce": rng.uniform(10, 5_000, n),
        "emission_t": rng.uniform(1, 500, n),
        "employees": rng.integers(5, 2_000, n).astype(float),
        "rd_wan": rng.uniform(0, 500, n),
        "revenue_wan": rng.uniform(100, 50_000, n),
    }
    gdf = gpd.GeoDataFrame(frame, geometry=geom, crs=4490)
    # Small firms without the full set of grading inputs are graded on tax alone.
    gap = rng.random(n) < 0.2
    gdf.loc[gap, "value_added_wan"] = np.nan
    gdf.loc[rng.random(n) < 0.02, "floor_area_m2"] = np.nan
    return gdf


# --------------------------------------------------------------------------- row-wise version


def _row_division(code, edition, table) -> tuple[str | None, float]:
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return None, np.nan
    txt = str(code).strip().upper().removesuffix(".0").lstrip("C").strip()
    if not txt.isdigit() or len(txt) not in (2, 3, 4):
        return None, np.nan
    ed = table["edition_aliases"].get(str(edition), str(edition))
    entry = table["tables"].get(ed, {}).get(txt[:2])
    return txt[:2], (float(entry["far_min"]) if entry else np.nan)


def metrics_and_rules_row(row: pd.Series, rules: dict, parks: pd.DataFrame) -> pd.Series:
    """One parcel at a time, as a naive implementation would: area, metrics, five rules, gap."""
    area = row["site_m2"]
    mu = area / M2_PER_MU
    floor = row["floor_area_m2"] + row["floor_area_over_8m_m2"]
    far = floor / area
    checked = row["land_use"] in rules["checked_land_uses"]
    _, far_min = _row_division(row["industry_code"], row["industry_edition"], rules["far_min_by_industry"])
    park = parks[parks["park_id"] == row["park_id"]]
    inv = rules["investment_intensity"]
    if len(park) == 0:
        inv_min = np.nan
    elif row["park_id"] in inv["nanning_central_park_ids"]:
        inv_min = inv["nanning_central"]["national" if park["level"].iloc[0] == "national" else "other"]
    elif park["level"].iloc[0] == "national":
        inv_min = inv["national"]
    else:
        inv_min = inv["regional_prefecture_city"]
    tol = 1e-9
    reasons = []
    if checked:
        if not np.isnan(far) and not np.isnan(far_min) and far < far_min - tol * max(far_min, 1):
            reasons.append(f"far: {far:.2f} < {far_min:.2f}")
        coef = row["footprint_m2"] / area
        if coef < 0.30 - tol:
            reasons.append(f"building_coef: {coef:.2f} < 0.30")
        office = row["office_area_m2"] / area
        if office > 0.07 + tol:
            reasons.append(f"office_share: {office:.2f} > 0.07")
        green = row["green_area_m2"] / area
        if green > 0.20 + tol:
            reasons.append(f"green_ratio: {green:.2f} > 0.20")
        invest = row["total_investment_wan"] / mu
        if not np.isnan(inv_min) and invest < inv_min - tol * inv_min:
            reasons.append(f"invest_intensity: {invest:.1f} < {inv_min:.1f}")
    freed = area - floor / far_min if checked and far < far_min else 0.0
    return pd.Series({"far": far, "inefficient": bool(reasons), "reasons": reasons, "freed_m2": freed})


def run_rowwise(sub: gpd.GeoDataFrame, rules: dict) -> tuple[pd.DataFrame, float]:
    t0 = time.perf_counter()
    frame = pd.DataFrame(sub.drop(columns="geometry"))
    # Areas row by row too: reproject each geometry to its own GK zone.
    frame["site_m2"] = sub.apply(lambda r: area_m2(gpd.GeoSeries([r.geometry], crs=sub.crs)).iloc[0], axis=1)
    out = frame.apply(metrics_and_rules_row, axis=1, rules=rules, parks=PARKS)
    return out, time.perf_counter() - t0


# --------------------------------------------------------------------------- main


#: List-valued result columns (message items, ``geo.messages``).
LIST_COLUMNS = ("missing_inputs", "inefficiency_reasons", "nonbinding_failures", "skipped_rules", "grade_notes",
                "indicator_missing")


def _codes_text(lists: pd.Series) -> pd.Series:
    """Each list of message items as its codes joined by "; " (computed once per list object)."""
    values = lists.to_numpy(dtype=object)
    codes, _ = pd.factorize(np.fromiter(map(id, values), dtype=np.int64, count=len(values)))
    first = np.zeros(codes.max() + 1 if len(codes) else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    text = np.array(["; ".join(item["code"] for item in values[i]) for i in first], dtype=object)
    return pd.Series(text[codes], index=lists.index, dtype=object)


def write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """
    GeoParquet with dictionary encoding for text columns only.

    pyarrow dictionary-encodes every column by default and gives up per column once
    the dictionary outgrows its page: for ~40 float columns of distinct values that
    is wasted work (measured ≈ 0.4 s of 3.3 s CPU at 1M rows). Text columns (codes,
    statuses, notes) keep it.
    """
    text = [c for c in gdf.columns if c != gdf.geometry.name and not pd.api.types.is_numeric_dtype(gdf[c])]
    gdf.to_parquet(path, use_dictionary=text)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rowwise-n", type=int, default=20_000)
    args = ap.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    src = OUT_DIR / f"intensity_parcels_{args.n}.parquet"
    dst = OUT_DIR / f"intensity_result_{args.n}.parquet"

    t = time.perf_counter()
    gdf = synthetic_parcels(args.n, seed=args.seed)
    t_gen = time.perf_counter() - t
    gdf.to_parquet(src)
    del gdf

    stages = {}
    t0 = time.perf_counter()
    gdf = gpd.read_parquet(src)
    stages["read GeoParquet"] = time.perf_counter() - t0
    t = time.perf_counter()
    rules = load_control_rules()
    m = parcel_metrics(gdf)
    stages["areas + metrics (parcel_metrics)"] = time.perf_counter() - t
    t = time.perf_counter()
    c = check_compliance(gdf, parks=PARKS, rules=rules, metrics=m)
    stages["compliance (check_compliance)"] = time.perf_counter() - t
    t = time.perf_counter()
    g = grade(gdf.assign(area_mu=m["area_mu"]), group="park")
    stages["grading (grade, by park)"] = time.perf_counter() - t
    t = time.perf_counter()
    added = pd.concat([m, c, g.drop(columns=[col for col in g.columns if col in m.columns])], axis=1)
    out = pd.concat([gdf.drop(columns=[col for col in added.columns if col in gdf.columns]), added], axis=1)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=gdf.crs)
    # Parquet columns of lists of differently-keyed dicts do not round-trip: each list
    # column is written as the codes of its items, "; "-joined (one join per distinct list).
    for col in LIST_COLUMNS:
        if col in out.columns:
            out[col] = _codes_text(out[col])
    write_parquet(out, dst)
    stages["join + write GeoParquet"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    rss_vec = peak_rss_mb()

    # The page's what-if slider: check_compliance on 5,000 parcels with metrics cached.
    s5k, m5k = gdf.iloc[:5_000], m.iloc[:5_000]
    check_compliance(s5k, parks=PARKS, rules=rules, metrics=m5k, min_far_override=1.0)
    reps = []
    for f in (0.8, 1.0, 1.2, 1.4, 1.6):
        t = time.perf_counter()
        check_compliance(s5k, parks=PARKS, rules=rules, metrics=m5k, min_far_override=f)
        reps.append(time.perf_counter() - t)
    slider_ms = 1000 * float(np.median(reps))

    k = min(args.rowwise_n, args.n)
    sub = gdf.iloc[:k]
    tracemalloc.start()
    mk = parcel_metrics(sub)
    ck = check_compliance(sub, parks=PARKS, rules=rules, metrics=mk)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for col, frame in (("missing_inputs", mk), ("inefficiency_reasons", ck), ("skipped_rules", ck)):
        if not frame[col].map(lambda items: all(isinstance(i, dict) and "code" in i for i in items)).all():
            raise SystemExit(f"{col}: an item without a code")
    # Site areas must equal GeoSeries.to_crs(zone).area to the bit (geo.crs.area_m2 skips
    # the GeoSeries and measures the projected coordinate arrays).
    zone = gk_epsg_for_lon(sub.geometry.bounds[["minx", "maxx"]].mean(axis=1).to_numpy())
    for code in np.unique(zone):
        ref = sub.geometry[zone == code].to_crs(int(code)).area
        if not np.array_equal(ref.to_numpy(), m["area_m2"].iloc[:k][zone == code].to_numpy()):
            raise SystemExit(f"area_m2 differs from GeoSeries.to_crs({code}).area")
    row, t_row = run_rowwise(sub, rules)
    agree = (row["inefficient"].to_numpy() == ck["inefficient"].to_numpy()).mean()
    vec_analysis = stages["areas + metrics (parcel_metrics)"] + stages["compliance (check_compliance)"]
    row_extrap = t_row * args.n / k

    print(f"\n## Intensity benchmark: {args.n:,} parcels (seed {args.seed}; generated in {t_gen:.1f} s)\n")
    print("| stage | seconds |\n|---|---:|")
    for name, sec in stages.items():
        print(f"| {name} | {sec:.2f} |")
    print(f"| **end to end** | **{total:.2f}** |")
    print("\n| what | value |\n|---|---:|")
    print(f"| inefficient parcels | {int(c['inefficient'].sum()):,} of {int(c['checked'].sum()):,} checked |")
    print(f"| freed-land potential | {c['freed_land_mu'].sum():,.0f} 亩 |")
    print(
        f"| graded / tax-only | {int(g['grade_class'].notna().sum()):,} / {int(g['graded_on_tax_only'].sum()):,} |"
    )
    print(f"| what-if slider, 5,000 parcels (median of 5) | {slider_ms:.0f} ms |")
    print(f"| row-wise `.apply(axis=1)` on {k:,} parcels (areas + metrics + rules) | {t_row:.1f} s |")
    print(f"| row-wise extrapolated to {args.n:,} (linear) | {row_extrap:,.0f} s |")
    print(f"| vectorised areas + metrics + rules on {args.n:,} | {vec_analysis:.1f} s |")
    print(f"| speed-up (analysis only) | {row_extrap / vec_analysis:,.0f}× |")
    print(f"| row-wise vs vectorised inefficient flags agree | {agree:.2%} |")
    print(f"| peak RSS after vectorised run | {rss_vec:,.0f} MB |")
    print(f"| tracemalloc peak, metrics + compliance on {k:,} | {traced / 2**20:,.0f} MB |")
    print(
        f"| GeoParquet in / out | {src.stat().st_size / 2**20:,.0f} MB / {dst.stat().st_size / 2**20:,.0f} MB |"
    )


if __name__ == "__main__":
    main()
