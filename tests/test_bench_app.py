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
    assert out["no_rerun_drawn_s"] == 0.0


def test_an_interaction_that_never_reran_shows_how_long_the_browser_worked():
    picked = {"run_s": None, "drawn_s": 38.0, "ws_bytes": 0, "reruns": 0}
    out = bench_app.summary([picked, {**picked, "drawn_s": 36.0}], interaction=True)
    assert (out["drawn_s"], out["n"], out["no_rerun"], out["no_rerun_drawn_s"]) == (None, 0, 2, 37.0)
    result = _result(4.0, 900.0)
    result["sizes"]["50000"]["interactions"]["intensity.click"] = out
    figs = bench_app.figures(result)
    assert figs[("50000", "intensity.click drawn, no rerun")] == (37.0, "s")
    assert ("50000", "intensity.slider drawn, no rerun") not in figs  # it reran: its drawn is the figure


def test_a_fresh_workspace_is_installed_again(tmp_path):
    root, _ = gen.workspace(250, out_dir=tmp_path, log=lambda *_: None)
    again, info = gen.workspace(250, out_dir=tmp_path, log=lambda *_: None, fresh=True)
    assert again == root and info["cached"] is False
    assert len(io.read_parcels(Workspace(root).parcels_path).gdf) == 250


def test_a_canvas_that_stopped_drawing_is_quiet_and_one_that_keeps_drawing_is_an_animation():
    quiet = 500
    assert bench_app.canvas_quiet(10_000, 9_000, quiet, None) == (True, None)
    assert bench_app.canvas_quiet(10_000, 0, quiet, None) == (True, None)  # no canvas at all
    # drawing just now: not quiet, and from this probe on the canvas is the only thing moving
    assert bench_app.canvas_quiet(10_000, 9_900, quiet, None) == (False, 10_000)
    assert bench_app.canvas_quiet(12_000, 11_950, quiet, 10_000) == (False, 10_000)
    busy = 10_000 + bench_app.CANVAS_BUSY_MS
    assert bench_app.canvas_quiet(busy, busy - 10, quiet, 10_000) == (True, 10_000)


def _probe(**kw) -> dict:
    return {"leaflet": 0, "leafletCanvas": 0, "deck": 0, "gl": 0, **kw}


def test_a_webgl_canvas_is_a_map_once_webgl_drew_on_it():
    assert not bench_app.has_map(_probe())
    assert not bench_app.has_map(_probe(deck=2))  # the canvas is there, nothing drawn yet
    assert bench_app.has_map(_probe(deck=2, gl=38))
    assert bench_app.has_map(_probe(leafletCanvas=1))
    assert bench_app.map_kind(_probe(deck=2)) == "deck-undrawn"
    assert bench_app.map_kind(_probe(deck=2, gl=1)) == "deck"
    assert bench_app.map_kind(_probe(leaflet=760)) == "leaflet:760"
    assert bench_app.map_kind(_probe()) is None


class _Page:
    def on(self, event, handler) -> None:
        pass


class _Request:
    def __init__(self, url: str) -> None:
        self.url = url


def test_only_network_requests_keep_a_page_busy():
    s = bench_app.Session(None, _Page(), quiet_ms=500, timeout_s=10)
    media, worker = _Request("http://127.0.0.1:8501/media/a.json"), _Request("blob:http://127.0.0.1:8501/b6508d2e")
    s._on_request(media)
    s._on_request(worker)  # a Web Worker's script: reported as a request that never finishes
    s._on_request(_Request("data:application/json,{}"))
    assert s.inflight == 1
    s._on_request_done(worker)
    assert s.inflight == 1
    s._on_request_done(media)
    s._on_request_done(media)  # reported twice (finished, then failed): counted once
    assert s.inflight == 0


def test_after_import_figures_reach_the_tables():
    result = _result(4.0, 900.0)
    page = {"run_s": 30.0, "drawn_s": 60.0, "server_s": 25.0, "timeout": False}
    result["sizes"]["50000"]["after_import"] = {"pages": ["idle", "intensity"], "import_s": 40.0, "idle": page,
                                                "intensity": {**page, "timeout": True}, "rss_mb": 1941.5}
    figs = bench_app.figures(result)
    assert figs[("50000", "/idle first load after an import drawn")] == (60.0, "s")
    assert figs[("50000", "/idle first load after an import server")] == (25.0, "s")
    assert figs[("50000", "/intensity first load after an import drawn")] == (None, "s")  # timed out
    assert figs[("50000", "import by another process (a new version)")] == (40.0, "s")
    assert figs[("50000", "server RSS MB after the first loads after an import")] == (1941.5, "MB")
    text = bench_app.readme_table(result)
    assert "| /idle first load after an import drawn (s) | 60.00 |  |" in text
    assert "| /intensity first load after an import drawn (s) | — |  |" in text
    assert "--no-after-import" not in text
    assert bench_app.parse_args(["--no-after-import"]).no_after_import
    assert not bench_app.parse_args([]).no_after_import


def test_a_cached_workspace_of_other_import_code_is_reused_only_when_this_ones_is_missing(tmp_path):
    prefix = f"ws-300-{gen.SEED}-{gen._digest(gen.GEN_SOURCES)}"
    other = tmp_path / "ws" / f"{prefix}-000000000000"
    other.mkdir(parents=True)
    (other / gen.MANIFEST).write_text('{"parcels": 300, "key": "old"}')
    (tmp_path / "ws" / f"ws-301-{gen.SEED}-x-y").mkdir()
    root, info = bench_app.cached_workspace(300, out_dir=tmp_path)
    assert root == other and info["reused"] == other.name and info["parcels"] == 300
    assert bench_app.cached_workspace(299, out_dir=tmp_path) is None
    own = tmp_path / "ws" / f"{prefix}-{gen._digest(gen.INSTALL_SOURCES)}"
    own.mkdir()
    (own / gen.MANIFEST).write_text("{}")
    assert bench_app.cached_workspace(300, out_dir=tmp_path) is None  # the ordinary cache hit


def test_the_import_by_another_process_adds_a_version_with_the_same_parcels(tmp_path):
    import subprocess

    root, _ = gen.workspace(200, out_dir=tmp_path, log=lambda *_: None)
    source = bench_app.reimport_source(root)
    assert source.parent.name == "versions"
    done = subprocess.run(bench_app.import_command(source, root), cwd=BENCH.parent, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(list((root / "versions").glob("*.json"))) == 2
    assert bench_app.reimport_source(root) != source  # the new version's file
    assert len(io.read_parcels(Workspace(root).parcels_path).gdf) == 200


def test_autogroup_is_turned_off_only_inside_the_block_and_restored(tmp_path, monkeypatch):
    flag = tmp_path / "sched_autogroup_enabled"
    flag.write_text("1\n")
    monkeypatch.setattr(bench_app, "AUTOGROUP", flag)
    with bench_app.no_autogroup():
        assert flag.read_text() == "0" and bench_app.AUTOGROUP_WAS == "0"
    assert flag.read_text() == "1"
    with pytest.raises(RuntimeError), bench_app.no_autogroup():  # restored after an error too
        raise RuntimeError
    assert flag.read_text() == "1"


def test_autogroup_kept_leaves_the_setting_and_records_it(tmp_path, monkeypatch):
    flag = tmp_path / "sched_autogroup_enabled"
    flag.write_text("1\n")
    monkeypatch.setattr(bench_app, "AUTOGROUP", flag)
    assert bench_app.parse_args([]).autogroup == "off"
    with bench_app.scheduling(bench_app.parse_args(["--autogroup", "keep"]).autogroup):
        assert flag.read_text() == "1\n" and bench_app.AUTOGROUP_WAS == "1"
    with bench_app.scheduling("off"):
        assert flag.read_text() == "0"
    assert flag.read_text().strip() == "1"


def test_the_machine_record_carries_a_cpu_probe(monkeypatch):
    monkeypatch.setattr(bench_app, "CPU_PROBE_N", 100_000)
    small = bench_app.cpu_probe_s(repeat=2)
    assert 0 < small < 5
    assert bench_app.cpu_probe_s(n=2_000_000, repeat=1) > small  # more work, more time
    m = bench_app.machine()
    assert 0 < m["cpu_probe_s_start"] < 5 and m["nproc"] and len(m["loadavg_start"]) == 3
