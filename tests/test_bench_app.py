"""
The app benchmark's own parts that need no browser (bench/_gen.py, bench/app.py): the generated
workspaces hold what the pages read, and the tables say what the JSON holds. No timing here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import shapely

from geo import io
from geo.schema import PARCEL_COLUMNS
from geo.workspace import Workspace

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str, file: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load("bench_gen", "_gen.py")
bench_app = _load("bench_app", "app.py")


def test_generator_spreads_n_parcels_over_the_apps_parks():
    parks = gen.read_parks()
    parcels = gen.make(300)
    assert len(parcels) == 300
    assert [c.name for c in PARCEL_COLUMNS if c.name not in parcels.columns] == []
    assert parcels.crs.to_epsg() == 4326
    ids = parcels["park_id"].dropna().astype(str)
    inside = ids[ids != ""]
    assert set(inside) <= set(parks["park_id"].astype(str))
    assert inside.nunique() == len(parks)  # every park gets parcels
    # the sample's one deliberate bowtie is the only invalid polygon
    assert int((~shapely.is_valid(parcels.geometry.to_numpy())).sum()) == 1
    # valid parcels lie in their parks (a park's polygon contains the parcel's centre)
    joined = parcels[parcels["park_id"].isin(parks["park_id"])].merge(
        parks[["park_id", "geometry"]].rename(columns={"geometry": "park_geom"}), on="park_id"
    )
    geoms = joined.geometry.to_numpy()
    within = shapely.contains(joined["park_geom"].to_numpy(), shapely.centroid(geoms))
    assert within[shapely.is_valid(geoms)].all()


def test_workspace_is_installed_as_an_import_and_reused(tmp_path):
    root, info = gen.workspace(300, out_dir=tmp_path, log=lambda *_: None)
    assert info["parcels"] == 300 and info["cached"] is False
    ws = Workspace(root)
    loaded = io.read_parcels(ws.parcels_path, parks=gen.read_parks())
    assert len(loaded.gdf) == 300
    assert ws.cases_path.exists()
    assert list((root / "versions").glob("*.json"))  # a version, as the data page's import leaves
    again, info2 = gen.workspace(300, out_dir=tmp_path, log=lambda *_: None)
    assert again == root and info2["cached"] is True


def _result(drawn: float, rss8: float) -> dict:
    page = {"drawn_s": drawn, "run_s": drawn / 2, "ws_bytes": 2_000_000}
    return {
        "meta": {"date": "2026-11-30 21:00 UTC", "machine": {"loadavg_start": [1.0, 1.0, 1.0]}, "git": {}},
        "floor": {"drawn_s": 1.0},
        "sizes": {
            "50000": {
                "warm": {"idle": page},
                "interactions": {"intensity.slider": {"run_s": 1.0, "drawn_s": drawn, "ws_bytes": 7_500_000}},
                "rss_mb": {"0": 100.0, "1": 200.0, "4": 300.0, "8": rss8},
                "concurrency": {"idle.filter": {"sessions": 4, "ratio_drawn_s": 3.3,
                                                "concurrent": {"max_drawn_s": 11.0}}},
            }
        },
    }


def test_figures_flatten_the_headline_numbers():
    figs = bench_app.figures(_result(4.0, 900.0))
    assert figs[("50000", "/idle warm drawn − floor")] == (3.0, "s")
    assert figs[("50000", "RSS MB per idle session (after the 1st)")] == (100.0, "MB")  # (900 - 200) / 7
    assert figs[("50000", "idle.filter 4-vs-1 sessions ×")] == (3.3, "×")
    text = bench_app.table(_result(4.0, 900.0))
    assert "| intensity.slider ws KB (KB) | 7,500 |" in text


def test_compare_puts_before_and_after_side_by_side():
    text = bench_app.compare(_result(4.0, 900.0), _result(1.0, 180.0))
    row = next(line for line in text.splitlines() if "/idle warm drawn (s)" in line)
    assert row.split("|")[3:6] == [" 4.00 ", " 1.00 ", " 0.25 "]
    rss = next(line for line in text.splitlines() if "8 sessions" in line)
    assert rss.split("|")[3:6] == [" 900 ", " 180 ", " 0.20 "]


@pytest.mark.parametrize(("argv", "sizes"), [([], [5000, 50000]), (["--quick"], [1000]),
                                              (["--sizes", "250000"], [250000])])
def test_sizes_on_the_command_line(argv, sizes):
    assert bench_app.parse_args(argv).sizes == sizes


def test_readme_table_has_before_and_after_columns_and_goals():
    text = bench_app.readme_table(_result(4.0, 900.0), _result(1.0, 180.0))
    assert text.splitlines()[0] == "| metric | 50k before | 50k after | goal (50k) |"
    assert "| RSS MB per idle session (after the 1st) (MB) | 100 | -3 | ≤ 20 |" in text
    assert "| idle.filter 4-vs-1 sessions × (×) | 3.30 | 3.30 | ≤ 1.5 |" in text


def test_an_interaction_that_ran_nothing_is_counted_not_averaged():
    ran = {"run_s": 2.0, "drawn_s": 3.0, "ws_bytes": 1000, "reruns": 1}
    idle = {"run_s": None, "drawn_s": 0.0, "ws_bytes": 0, "reruns": 0}
    out = bench_app.summary([ran, idle, ran], interaction=True)
    assert (out["drawn_s"], out["ws_bytes"], out["n"], out["no_rerun"]) == (3.0, 1000, 2, 1)
    assert bench_app.summary([ran, idle, ran])["drawn_s"] == 3.0  # median of 3.0, 0.0, 3.0


def test_a_fresh_workspace_is_installed_again(tmp_path):
    root, _ = gen.workspace(250, out_dir=tmp_path, log=lambda *_: None)
    again, info = gen.workspace(250, out_dir=tmp_path, log=lambda *_: None, fresh=True)
    assert again == root and info["cached"] is False
    assert len(io.read_parcels(Workspace(root).parcels_path).gdf) == 250
