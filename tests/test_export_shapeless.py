"""
Tables without shapes (issue 11): ``read_parcels(geometry=False)`` and the CLI's ``.xlsx``/``.csv``
exports that use it give what the read with shapes gives — the same columns and values, problems,
notes and summary, the site area measured on the same repaired shapes, parks assigned by location
the same way — while the frame holds no geometry. The files compared here exercise every step the
shapes decide: area from the geometry (the parcels carry no area column), park by location (park
numbers blanked), a park written by its name, missing, empty, 3-D, bowtie and collection shapes.
"""

from __future__ import annotations

import io as _io
import json

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely

import cli
from geo import io, sample
from geo.crs import area_m2


@pytest.fixture(scope="module")
def parcels() -> gpd.GeoDataFrame:
    parks = io.read_parks()
    g = sample.make_parcels(parks, n=600, seed=11)
    assert "area_m2" not in g.columns and "area_mu" not in g.columns  # the area comes from the shapes
    g.loc[10:60, "park_id"] = None  # assigned by location
    g.loc[61:63, "park_id"] = parks["name_zh"].iloc[0]  # the park by its name
    g.loc[70, "geometry"] = None
    g.loc[71, "geometry"] = shapely.Polygon()
    g.loc[72, "geometry"] = shapely.GeometryCollection([g.geometry[72], shapely.Point(g.geometry[72].exterior.coords[0])])
    g.loc[73, "geometry"] = shapely.force_3d(g.geometry[73])
    g.loc[74, "geometry"] = shapely.Polygon([(108.30, 22.80), (108.31, 22.81), (108.31, 22.80), (108.30, 22.81)])
    return g


@pytest.fixture(params=["parquet", "gpkg", "csv"])
def parcel_file(request, parcels, tmp_path_factory):
    """The parcels as GeoParquet, GeoPackage (their shapes read as WKB) and a CSV with WKT (shed after reading)."""
    path = tmp_path_factory.mktemp("shapeless") / f"parcels.{request.param}"
    if request.param == "parquet":
        parcels.to_parquet(path)
    elif request.param == "gpkg":
        parcels.to_file(path, layer="parcels")
    else:
        plain = pd.DataFrame(parcels.drop(columns="geometry"))
        plain["geometry"] = parcels.geometry.to_wkt()
        plain.to_csv(path, index=False)
    return path


@pytest.fixture(autouse=True)
def small_slices(monkeypatch):
    monkeypatch.setattr(io, "SHAPE_CHUNK_ROWS", 128)  # several slices, the last one short
    monkeypatch.setattr(cli, "INTENSITY_SLICE_ROWS", 128)  # intensity to a table: analysed in slices
    from geo import evaluation

    monkeypatch.setattr(evaluation, "DERIVE_SLICE_ROWS", 128)  # evaluate: inefficiency derived in slices


def _same_read(with_shapes: io.Loaded, shapeless: io.Loaded) -> None:
    assert isinstance(with_shapes.gdf, gpd.GeoDataFrame) and "geometry" in with_shapes.gdf.columns
    assert not isinstance(shapeless.gdf, gpd.GeoDataFrame) and "geometry" not in shapeless.gdf.columns
    pd.testing.assert_frame_equal(pd.DataFrame(with_shapes.gdf.drop(columns="geometry")), shapeless.gdf)
    assert shapeless.problems == with_shapes.problems
    assert shapeless.crs_note == with_shapes.crs_note
    assert shapeless.summary == with_shapes.summary
    assert shapeless.refusal == with_shapes.refusal
    assert with_shapes.area_m2 is None
    expected = area_m2(with_shapes.gdf).to_numpy()
    np.testing.assert_array_equal(shapeless.area_m2.to_numpy(), expected)


def test_shapeless_read_decides_as_the_read_with_shapes(parcel_file):
    parks = io.read_parks()
    full = io.read_parcels(parcel_file, parks=parks)
    lean = io.read_parcels(parcel_file, parks=parks, geometry=False)
    _same_read(full, lean)
    codes = {p.code for p in full.problems}
    # the file did exercise what the shapes decide
    assert {"park_assigned_by_location", "geometry_missing", "geometry_repaired", "geometry_collection",
            "geometry_z_dropped"} <= codes
    assert lean.gdf.loc[10:60, "park_id"].notna().sum() > 40
    assert lean.gdf.loc[61:63, "park_id"].eq(parks["park_id"].iloc[0]).all()
    assert np.isnan(lean.area_m2[70]) and lean.area_m2[73] > 0


def test_shapeless_read_metric_crs_inferred_and_placement(parcels, tmp_path):
    """A GK-zone file without a CRS: inferred from the shapes' box; rows moved out of Guangxi flagged."""
    metric = parcels.to_crs(4524)  # CGCS2000 3° GK zone 36, the zone number before the eastings
    west = metric.geometry.bounds["minx"]
    i = int(west.idxmin())
    # moved to 103.6°E, west of Guangxi and still inside the zone's eastings (the CRS can be inferred)
    metric.loc[i, "geometry"] = shapely.affinity.translate(metric.geometry[i], xoff=36_050_000 - west[i])
    path = tmp_path / "metric.csv"
    plain = pd.DataFrame(metric.drop(columns="geometry"))
    plain["geometry"] = metric.geometry.to_wkt()
    plain.to_csv(path, index=False)
    full = io.read_parcels(path, parks=io.read_parks())
    lean = io.read_parcels(path, parks=io.read_parks(), geometry=False)
    _same_read(full, lean)
    assert full.crs_note[0]["code"] == "crs_inferred"
    assert any(p.code == "outside_guangxi" and p.row == i + 1 for p in lean.problems)


def test_shapeless_read_shifted_coordinates(parcels, tmp_path):
    path = tmp_path / "gcj.parquet"
    parcels.iloc[:200].to_parquet(path)
    full = io.read_parcels(path, parks=io.read_parks(), shifted="gcj02")
    lean = io.read_parcels(path, parks=io.read_parks(), shifted="gcj02", geometry=False)
    _same_read(full, lean)
    assert {"code": "shifted_converted", "system": "gcj02"} in lean.crs_note


def test_shapeless_read_refuses_as_the_read_with_shapes(tmp_path):
    bad = gpd.GeoDataFrame({"parcel_id": ["A"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326)
    path = tmp_path / "far.parquet"
    bad.to_parquet(path)
    with pytest.raises(io.DataError) as with_shapes:
        io.read_parcels(path, shifted="gcj02")
    with pytest.raises(io.DataError) as shapeless:
        io.read_parcels(path, shifted="gcj02", geometry=False)
    assert shapeless.value.code == with_shapes.value.code == "shifted_not_degrees"


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def _run(argv, capsys) -> str:
    assert cli.main(argv) == 0
    return capsys.readouterr().out


#: (input, output, columns): every input with every column set's Excel; CSV output from the
#: GeoParquet and GeoPackage inputs (a CSV input's path is the .xlsx run's); the table's own
#: columns from one input.
_CASES = [(src, fmt, cols) for src in ("parquet", "gpkg", "csv") for fmt in ("xlsx", "csv") for cols in ("all", "table")
          if not (src == "csv" and fmt == "csv") and (src == "parquet" or cols == "all")]


@pytest.mark.parametrize(("parcel_file", "fmt", "columns"), _CASES, indirect=["parcel_file"],
                         ids=[f"{a}-{b}-{c}" for a, b, c in _CASES])
@pytest.mark.parametrize("command", [["grade"], ["idle", "--as-of", "2026-06-30"], ["intensity"],
                                     ["intensity", "--min-far", "1.1", "--edition", "2011"]],
                         ids=["grade", "idle", "intensity", "intensity-what-if"])
def test_cli_tables_without_shapes_are_the_same_cells(parcel_file, command, fmt, columns, tmp_path, monkeypatch,
                                                      capsys):
    """``--columns all`` writes every column the read and the analysis made; without it ``grade``,
    ``idle`` and ``intensity`` let go of the columns they neither show nor read before the analysis
    (the same cells all the same)."""
    columns = ["--columns", "all"] if columns == "all" else []
    reads = []
    real = io.read_parcels

    def spy(*args, **kwargs):
        loaded = real(*args, **kwargs)
        reads.append(loaded)
        return loaded

    monkeypatch.setattr(io, "read_parcels", spy)
    lean_out = tmp_path / f"lean.{fmt}"
    lean_said = _run([command[0], str(parcel_file), "-o", str(lean_out), *command[1:], *columns], capsys)
    assert reads[-1].area_m2 is not None and "geometry" not in reads[-1].gdf.columns  # no shapes held
    monkeypatch.setattr(cli, "_table_only", lambda args: False)  # the read with shapes, as before
    full_out = tmp_path / f"full.{fmt}"
    full_said = _run([command[0], str(parcel_file), "-o", str(full_out), *command[1:], *columns], capsys)
    assert reads[-1].area_m2 is None and "geometry" in reads[-1].gdf.columns
    assert lean_said.replace(str(lean_out), "OUT") == full_said.replace(str(full_out), "OUT")
    if command[0] == "grade":  # the settings and every park's benchmark, graded park by park or at once
        settings = lean_out.with_name(lean_out.name + ".settings.json").read_text(encoding="utf-8")
        assert settings == full_out.with_name(full_out.name + ".settings.json").read_text(encoding="utf-8")
        assert len(json.loads(settings)["benchmarks"]) >= 3
    if fmt == "csv":
        assert lean_out.read_bytes() == full_out.read_bytes()
        table = pd.read_csv(_io.BytesIO(lean_out.read_bytes()), encoding="utf-8-sig")
        assert len(table) == 600
    else:
        cells = _cells(lean_out)
        assert cells == _cells(full_out)
        assert sum(len(rows) - 1 for rows in cells.values()) == 600


@pytest.mark.parametrize("parcel_file", ["parquet"], indirect=True)
def test_cli_spatial_output_keeps_the_shapes(parcel_file, tmp_path, monkeypatch, capsys):
    out = tmp_path / "grades.gpkg"
    _run(["grade", str(parcel_file), "-o", str(out)], capsys)
    written = gpd.read_file(out)
    shaped = ~(written.geometry.isna() | written.geometry.is_empty)
    assert len(written) == 600 and shaped.sum() == 598  # all but the missing and the empty shape


def _intensity_both_ways(path, argv, tmp_path, monkeypatch, capsys) -> tuple[pd.DataFrame, io.Loaded]:
    """``intensity`` to a CSV of codes, read without and with the shapes: the same bytes and words."""
    reads = []
    real = io.read_parcels

    def spy(*args, **kwargs):
        reads.append(real(*args, **kwargs))
        return reads[-1]

    monkeypatch.setattr(io, "read_parcels", spy)
    lean_out, full_out = tmp_path / "lean.csv", tmp_path / "full.csv"
    lean_said = _run(["intensity", str(path), "-o", str(lean_out), *argv], capsys)
    lean = reads[-1]
    assert lean.area_m2 is not None and lean.shape_present is not None and "geometry" not in lean.gdf.columns
    monkeypatch.setattr(cli, "_table_only", lambda args: False)
    full_said = _run(["intensity", str(path), "-o", str(full_out), *argv], capsys)
    assert reads[-1].area_m2 is None and reads[-1].shape_present is None
    assert lean_said.replace(str(lean_out), "OUT") == full_said.replace(str(full_out), "OUT")
    assert lean_out.read_bytes() == full_out.read_bytes()
    return pd.read_csv(lean_out, encoding="utf-8-sig", dtype={"parcel_id": str}), lean


def test_intensity_without_shapes_tells_a_missing_shape_from_a_zero_area(parcels, tmp_path, monkeypatch, capsys):
    """
    In a metric CRS an empty shape measures 0 m² where a missing one measures nothing: the read
    without shapes says which parcels have one (``Loaded.shape_present``), so ``missing_inputs``
    names a missing site shape, not a site area of zero, as the read with shapes does.
    """
    metric = parcels.to_crs(4524).drop(index=[72, 74])  # (the bowtie and the collection: as above)
    path = tmp_path / "metric.parquet"
    metric.to_parquet(path)
    table, lean = _intensity_both_ways(path, ["--codes", "--columns", "all"], tmp_path, monkeypatch, capsys)
    assert lean.area_m2[71] == 0 and not lean.shape_present[71]  # the empty shape: 0 m², no shape
    assert np.isnan(lean.area_m2[70]) and not lean.shape_present[70]
    assert lean.shape_present.drop(index=[70, 71]).all()
    notes = table.set_index("parcel_id")["missing_inputs"]
    for i in (70, 71):
        said = notes[metric.loc[i, "parcel_id"]]
        assert "site_geometry_missing" in said and "site_area_not_positive" not in said


def test_intensity_attribute_table_keeps_its_own_area(parcels, tmp_path, capsys):
    """A register without shapes (an ``area_m2`` column, no geometry) is measured by that column."""
    g = parcels.iloc[:200]
    plain = pd.DataFrame(g.drop(columns="geometry")).assign(area_m2=area_m2(g).round(1))
    plain.loc[3, "area_m2"] = None
    path = tmp_path / "register.csv"
    plain.to_csv(path, index=False)
    out = tmp_path / "out.csv"
    _run(["intensity", str(path), "-o", str(out), "--codes", "--columns", "all"], capsys)
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"parcel_id": str}).set_index("parcel_id")
    given = plain["area_m2"].drop(index=3)  # NaN where the shape was missing or empty
    np.testing.assert_allclose(table["area_m2"].drop(index=plain.loc[3, "parcel_id"]).to_numpy(),
                               given.where(given > 0).to_numpy())  # a site area of 0 is none
    assert "site_geometry_missing" in table.loc[plain.loc[3, "parcel_id"], "missing_inputs"]


_EVALUATE_CASES = [("xlsx", []), ("csv", []), ("csv", ["--codes"]), ("geojson", []), ("xlsx", ["--review"])]


@pytest.mark.parametrize("parcel_file", ["parquet"], indirect=True)
@pytest.mark.parametrize(("fmt", "extra"), _EVALUATE_CASES, ids=[f"{f}{'-' + e[0][2:] if e else ''}"
                                                                 for f, e in _EVALUATE_CASES])
def test_cli_evaluate_reads_the_parcels_without_shapes(parcel_file, fmt, extra, tmp_path, monkeypatch, capsys):
    """
    ``evaluate`` writes one row per park (the parks' shapes for a map): it reads the parcels
    without theirs whatever the output, and derives inefficiency from the measured areas as it
    did from the shapes — the same file, the same words.
    """
    from geo.accounts import Account
    from geo.review import ReviewStore

    if extra == ["--review"]:
        store = tmp_path / "review.sqlite"
        ids = pd.read_parquet(parcel_file, columns=["parcel_id"])["parcel_id"]
        officer = Account("ck", "reviewer")
        for pid in ids.iloc[:40]:
            ReviewStore(store).record(pid, action="dismiss", reason="实地核查已开工", account=officer)
        extra = ["--review", str(store)]
    reads, force = [], {}
    real = io.read_parcels

    def spy(*args, **kwargs):
        reads.append(real(*args, **{**kwargs, **force}))
        return reads[-1]

    monkeypatch.setattr(io, "read_parcels", spy)
    argv = ["evaluate", "--parks", str(cli.DEFAULT_PARKS_FILE), "--parcels", str(parcel_file), "--as-of", "2026-06-30",
            *extra]
    (tmp_path / "lean").mkdir()
    (tmp_path / "full").mkdir()
    # the same name (a GeoJSON names its collection by it)
    lean_out, full_out = tmp_path / "lean" / f"evaluation.{fmt}", tmp_path / "full" / f"evaluation.{fmt}"
    lean_said = _run([*argv, "-o", str(lean_out)], capsys)
    assert reads[-1].area_m2 is not None and "geometry" not in reads[-1].gdf.columns
    force["geometry"] = True  # the read with shapes, as before: every column kept
    monkeypatch.setattr(cli, "_evaluation_reads", lambda: None)
    full_said = _run([*argv, "-o", str(full_out)], capsys)
    assert reads[-1].area_m2 is None and "geometry" in reads[-1].gdf.columns
    assert lean_said.replace(str(lean_out), "OUT") == full_said.replace(str(full_out), "OUT")
    if fmt == "xlsx":
        assert _cells(lean_out) == _cells(full_out)
    else:
        assert lean_out.read_bytes() == full_out.read_bytes()
    if extra == ["--codes"]:  # idle land and inefficiency derived from the parcels, not left unknown
        table = pd.read_csv(lean_out, encoding="utf-8-sig")
        assert table["inefficient_ha"].notna().all() and table["inefficient_ha"].sum() > 0
        assert table["idle_ha"].notna().all()


@pytest.mark.parametrize("parcel_file", ["parquet"], indirect=True)
def test_intensity_in_slices_is_the_whole_analysis(parcel_file):
    """Analysed 128 parcels at a time (the last slice short): the same frame, dtypes and rules as all at once."""
    from geo import intensity

    parks = io.read_parks()
    lean = io.read_parcels(parcel_file, parks=parks, geometry=False)
    site = (lean.area_m2, lean.shape_present)
    options = dict(parks=parks, min_far_override=1.1)
    whole = intensity.analyse_intensity(lean.gdf, site=site, **options)
    sliced = cli._intensity_in_slices(lean.gdf, site=site, keep=None, **options)
    pd.testing.assert_frame_equal(sliced, whole)
    assert sliced.attrs["rules"] == whole.attrs["rules"]
    kept = cli._intensity_in_slices(lean.gdf, site=site, keep={"far", "inefficient"}, **options)
    # the parcels' own columns (those the analysis replaces, such as industry_edition, as it gives them) and the kept
    assert list(kept.columns) == [c for c in whole.columns if c in lean.gdf.columns or c in ("far", "inefficient")]
    pd.testing.assert_frame_equal(kept, whole[kept.columns])


@pytest.mark.parametrize("parcel_file", ["parquet"], indirect=True)
def test_evaluation_derives_inefficiency_slice_by_slice_as_at_once(parcel_file, monkeypatch):
    from geo import evaluation

    parks = io.read_parks()
    loaded = io.read_parcels(parcel_file, parks=parks, geometry=False)
    parcels = cli._measured(loaded)
    sliced = evaluation.evaluate_parks(parks, parcels, as_of="2026-06-30")  # 128 at a time (the fixture)
    monkeypatch.setattr(evaluation, "DERIVE_SLICE_ROWS", 100_000)
    whole = evaluation.evaluate_parks(parks, parcels, as_of="2026-06-30")
    assert {"code": "inefficient_derived"} in whole.notes and sliced.notes == whole.notes
    assert whole.parcels["inefficient"].sum() > 0
    pd.testing.assert_frame_equal(sliced.parcels, whole.parcels)
    pd.testing.assert_frame_equal(pd.DataFrame(sliced.table), pd.DataFrame(whole.table))
