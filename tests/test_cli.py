"""`python -m geo idle` on the sample: every status, outputs by extension, same numbers as the overview page."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cli import main
from geo.idle import IDLE_STATUSES
from tests.conftest import ROOT, login_as


@pytest.fixture(scope="module")
def idle_csv(sample_workspace, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "idle.csv"
    assert main([str(p) for p in ("idle", sample_workspace / "parcels.parquet", "--as-of", "2026-11-25", "-o", out, "--codes")]) == 0
    return out


def test_every_status_occurs_on_the_sample(idle_csv):
    df = pd.read_csv(idle_csv, encoding="utf-8-sig")
    counts = df["idle_status"].value_counts()
    assert set(IDLE_STATUSES) <= set(counts.index), counts
    assert len(df) == 5000


@pytest.mark.parametrize("suffix", [".xlsx", ".geojson", ".gpkg"])
def test_output_formats(sample_workspace, tmp_path, suffix):
    out = tmp_path / f"idle{suffix}"
    assert main(["idle", str(sample_workspace / "parcels.parquet"), "--as-of", "2026-11-25", "-o", str(out)]) == 0
    if suffix == ".xlsx":
        df = pd.read_excel(out)
        assert "宗地编号" in df.columns and "闲置状态" in df.columns
    else:
        gdf = gpd.read_file(out)
        assert len(gdf) == 5000 and gdf.geometry.notna().all()


def test_bad_input_exits_with_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "idle", str(tmp_path / "nope.gpkg"), "--as-of", "2026-11-25", "-o", str(tmp_path / "x.csv")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1
    # One Chinese line (the default language): what is wrong and with which file.
    assert line.startswith("错误：找不到文件 ") and "nope.gpkg" in line and "not found" not in line


def test_bad_input_in_english_with_lang_en(tmp_path, capsys):
    code = main(["idle", str(tmp_path / "nope.gpkg"), "--as-of", "2026-11-25", "-o", str(tmp_path / "x.csv"),
                 "--lang", "en"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: File not found: ") and "nope.gpkg" in err
    assert len(err.splitlines()) == 1


def test_reader_problems_printed_in_chinese(tmp_path, capsys):
    import geopandas as gpd
    import shapely

    path = tmp_path / "dup.gpkg"
    gpd.GeoDataFrame({"parcel_id": ["A", "A"], "agreed_start_date": ["2020-01-01", "明年"]},
                     geometry=[shapely.box(500_000, 2_500_000, 500_100, 2_500_100)] * 2, crs=4545).to_file(path)
    assert main(["idle", str(path), "--as-of", "2026-11-25", "-o", str(tmp_path / "x.csv")]) == 0
    out = capsys.readouterr().out
    assert "坐标系：EPSG:4545（取自文件）" in out
    assert "[警告] 第 1 行 宗地编号：宗地编号“A”重复，共 2 行（第 1、2 行）" in out
    assert "[错误] 第 2 行 约定动工日期：日期“明年”无法识别" in out
    assert "duplicate" not in out and "None" not in out


def test_bad_date_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["idle", "x.gpkg", "--as-of", "2026-13-01", "-o", str(tmp_path / "x.csv")])
    assert exc.value.code == 2


def test_cli_summary_matches_overview_page(sample_workspace, monkeypatch, capsys):
    out = sample_workspace.parent / "summary.csv"
    main(["idle", str(sample_workspace / "parcels.parquet"), "--as-of", "2026-11-25", "-o", str(out),
          "--review", str(sample_workspace / "review.sqlite"), "--cases", str(sample_workspace / "cases.sqlite")])
    printed = capsys.readouterr().out
    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    login_as(at, sample_workspace)
    at.run()
    table = at.dataframe[0].value
    total = table.iloc[-1]
    assert total.iloc[0] == "合计"
    # the CLI's by-park table prints the same totals: parcels, idle parcels, idle area, fees
    total_line = [line for line in printed.splitlines() if line.split()[:1] == ["合计"]][-1]
    numbers = [float(x.replace(",", "")) for x in total_line.split()[1:]]
    assert numbers[0] == total["宗地数"]
    assert numbers[2] == total["闲置宗数"]
    assert numbers[3] == pytest.approx(total["闲置面积（亩）"], abs=0.01)
    assert numbers[5] == pytest.approx(total["应征闲置费（万元）"], abs=0.01)
    lines = {line.split()[0]: line.split() for line in printed.splitlines() if line.strip()}
    parks = gpd.read_file(ROOT / "data" / "parks.geojson")
    for park_id, name in zip(parks["park_id"], parks["name_zh"], strict=True):  # rows named, never by id
        assert park_id not in lines
        cli = [float(x.replace(",", "")) for x in lines[name][1:]]
        page = table[table.iloc[:, 0] == name].iloc[0]
        assert cli[0] == page["宗地数"], park_id
        assert cli[2] == page["闲置宗数"], park_id
        assert cli[3] == pytest.approx(page["闲置面积（亩）"], abs=0.01), park_id
        assert cli[5] == pytest.approx(page["应征闲置费（万元）"], abs=0.01), park_id
