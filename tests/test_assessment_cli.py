"""
``python -m geo assess`` on the shipped sample application and illustrative constraint layers:
the JSON shape, the DOCX review report (opens, verdict, checks, citations, no internal codes),
the GeoPackage layers; and the joint review sheet of a project.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import geopandas as gpd
import pyogrio
import pytest
import shapely

import words
from cli import main
from geo import assessment as A
from geo import io, sample
from geo.crs import area_m2

ROOT = Path(__file__).resolve().parent.parent
APPLICATION = ROOT / "data" / "sample_application.geojson"
AS_OF = "2026-11-25"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ws")
    sample.write_sample(root, n=400)
    return root


def run(tmp_path, workspace, monkeypatch, ext: str, *extra) -> Path:
    monkeypatch.setenv("GXLAND_WORKSPACE", str(workspace))
    out = tmp_path / f"review.{ext}"
    rc = main(["assess", str(APPLICATION), "--park", "nanning", "--kind", "expansion", "--as-of", AS_OF,
               "-o", str(out), *extra])
    assert rc == 0
    return out


def test_sample_files_are_labelled_illustrative():
    for layer in A.CONSTRAINT_LAYERS:
        frame = gpd.read_file(ROOT / "data" / "constraints" / f"{layer}.geojson")
        assert len(frame) and (frame["source"] == "illustrative").all()
    assert (gpd.read_file(APPLICATION)["source"] == "illustrative").all()
    assert (gpd.read_file(ROOT / "data" / "sample_project.geojson")["source"] == "illustrative").all()
    assert "ILLUSTRATIVE" in (ROOT / "data" / "constraints" / "README.md").read_text(encoding="utf-8")


def test_json_shape(tmp_path, workspace, monkeypatch, capsys):
    out = run(tmp_path, workspace, monkeypatch, "json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc) == {"verdict", "area_m2", "checks", "overlaps"}
    assert doc["verdict"] in A.VERDICTS
    assert doc["area_m2"] > 0
    for c in doc["checks"]:
        assert set(c) == {"id", "status", "value", "unit", "threshold", "source", "text"}
        assert c["id"] in A.CHECK_IDS and c["status"] in A.STATUSES
        assert c["text"] and c["source"] and "None" not in c["text"]
    statuses = [c["status"] for c in doc["checks"]]
    assert "fail" in statuses and "warn" in statuses  # the sample triggers both
    assert statuses == sorted(statuses, key={"fail": 0, "warn": 1, "pass": 2}.get)  # failing first
    assert doc["verdict"] == "do_not_recommend"
    ids = {c["id"] for c in doc["checks"]}
    assert {"area", "basic_farmland", "contiguity", "development_rate", "evaluation_rank"} <= ids
    for o in doc["overlaps"]:
        assert set(o) == {"layer", "piece", "area_m2"} and o["area_m2"] > 0
    assert any(o["layer"] == "basic_farmland" for o in doc["overlaps"])
    printed = capsys.readouterr().out
    assert words.label("assess_verdict", "do_not_recommend") in printed


def test_same_checks_as_the_engine(tmp_path, workspace, monkeypatch):
    doc = json.loads(run(tmp_path, workspace, monkeypatch, "json").read_text(encoding="utf-8"))
    parks = io.read_parks(ROOT / "data" / "parks.geojson")
    parcels = io.read_parcels(workspace / "parcels.parquet", parks=parks).gdf
    r = A.assess(io.read_parcels(APPLICATION).gdf, park_id="nanning", kind="expansion", as_of=AS_OF, parks=parks,
                 parcels=parcels, constraints=A.read_constraints(ROOT / "data" / "constraints"))
    assert [(c["id"], c["status"]) for c in doc["checks"]] == [(c["id"], c["status"]) for c in A.checks_records(r)]


def test_english_json(tmp_path, workspace, monkeypatch):
    doc = json.loads(run(tmp_path, workspace, monkeypatch, "json", "--lang", "en").read_text(encoding="utf-8"))
    assert all(not re.search(r"[\u4e00-\u9fff]", c["text"]) for c in doc["checks"])


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_docx_review_report(tmp_path, workspace, monkeypatch):
    text = _docx_text(run(tmp_path, workspace, monkeypatch, "docx"))
    assert "南宁高新技术产业开发区扩区审查意见" in text
    assert "审查结论：不建议同意" in text
    assert "有任一项“不符合”即不建议同意" in text  # the rule that derived it
    for cid in ("basic_farmland", "contiguity", "development_rate", "area"):
        assert words.label("assess_check", cid) in text
    assert "商资字〔2005〕96号" in text and "三条控制线" in text and "本系统默认参数" in text
    assert "示意数据" in text  # the illustrative constraint layers are said to be so
    assert re.search(r"总面积 \d+\.\d{4} 平方公里", text)
    assert "东至" in text and "北至" in text
    # no internal codes, no Python values
    for code in (*A.CHECK_IDS, *A.VERDICTS, *A.CONSTRAINT_LAYERS, "pass", "warn", "fail", "illustrative"):
        assert code not in text, code
    for bad in ("None", "nan", "NaN", "True", "False"):
        assert not re.search(rf"\b{bad}\b", text), bad
    assert len(docx.Document(str(tmp_path / "review.docx")).inline_shapes) == 1  # the map


def test_sample_layers_are_what_the_script_makes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_constraints", ROOT / "scripts" / "make_constraints.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    parks = io.read_parks(ROOT / "data" / "parks.geojson")
    for layer, frame in mod.make_layers(parks).items():
        shipped = gpd.read_file(ROOT / "data" / "constraints" / f"{layer}.geojson")
        assert shipped["feature_id"].tolist() == frame["feature_id"].tolist()
        # GeoJSON keeps 7 decimals (≈ 1 cm on every vertex): areas agree to 1 in 10,000.
        assert area_m2(shipped).to_numpy() == pytest.approx(area_m2(frame).to_numpy(), rel=1e-4)
    app = mod.make_application(parks)
    assert area_m2(gpd.read_file(APPLICATION)).to_numpy() == pytest.approx(area_m2(app).to_numpy(), rel=1e-4)


def test_english_docx(tmp_path, workspace, monkeypatch):
    text = _docx_text(run(tmp_path, workspace, monkeypatch, "docx", "--lang", "en"))
    assert "Conclusion: Do not recommend." in text
    # Document numbers (商资字〔2005〕96号) are cited as issued, in any language.
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号", "", text))


def test_gpkg_layers(tmp_path, workspace, monkeypatch):
    out = run(tmp_path, workspace, monkeypatch, "gpkg")
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert layers == {"application", "overlaps", "park"}
    ov = gpd.read_file(out, layer="overlaps")
    assert len(ov) and (ov["area_m2"] > 0).all()
    assert len(gpd.read_file(out, layer="application")) == 2


def test_bad_output_and_unknown_park(tmp_path, workspace, monkeypatch, capsys):
    monkeypatch.setenv("GXLAND_WORKSPACE", str(workspace))
    assert main(["assess", str(APPLICATION), "--park", "nanning", "--kind", "expansion", "--as-of", AS_OF,
                 "-o", str(tmp_path / "x.xlsx")]) == 2
    assert main(["assess", str(APPLICATION), "--park", "nowhere", "--kind", "expansion", "--as-of", AS_OF,
                 "-o", str(tmp_path / "x.json")]) == 2
    assert main(["assess", str(APPLICATION), "--park", "nanning", "--kind", "expansion", "--as-of", AS_OF,
                 "--preset", "no_such", "-o", str(tmp_path / "x.json")]) == 2


def test_project_joint_review_sheet(tmp_path, workspace, monkeypatch):
    parks = io.read_parks(ROOT / "data" / "parks.geojson")
    nanning = parks[parks["park_id"] == "nanning"].to_crs(4545)
    site = shapely.get_parts(nanning.geometry.iloc[0])[0].representative_point().buffer(80, quad_segs=2)
    proj = gpd.GeoDataFrame({"applicant": ["某电子科技有限公司"], "industry_code": ["3911"],
                             "industry_edition": ["2017"], "floor_area_m2": [30_000.0], "footprint_m2": [9_000.0],
                             "office_area_m2": [800.0], "green_area_m2": [3_000.0],
                             "total_investment_wan": [6_000.0], "output_wan": [20_000.0], "tax_wan": [800.0],
                             "employees": [150]}, geometry=[site], crs=4545)
    path = tmp_path / "project.geojson"
    proj.to_crs(4326).to_file(path, driver="GeoJSON")
    monkeypatch.setenv("GXLAND_WORKSPACE", str(workspace))
    out = tmp_path / "sheet.docx"
    assert main(["assess", str(path), "--park", "nanning", "--kind", "project", "--as-of", AS_OF, "-o", str(out)]) == 0
    text = _docx_text(out)
    assert "项目入园联席审查意见表" in text
    assert "某电子科技有限公司" in text and "容积率" in text and "固定资产投资强度" in text
    assert "审查部门（盖章）" in text
    assert "国土资发〔2008〕24号" in text
    for code in A.CHECK_IDS:
        assert code not in text
    js = tmp_path / "sheet.json"
    assert main(["assess", str(path), "--park", "nanning", "--kind", "project", "--as-of", AS_OF, "-o", str(js)]) == 0
    ids = [c["id"] for c in json.loads(js.read_text(encoding="utf-8"))["checks"]]
    assert {"project_far", "project_investment", "project_grade", "project_land_available"} <= set(ids)


def test_sample_project(tmp_path, workspace, monkeypatch):
    monkeypatch.setenv("GXLAND_WORKSPACE", str(workspace))
    out = tmp_path / "p.json"
    assert main(["assess", str(ROOT / "data" / "sample_project.geojson"), "--park", "nanning", "--kind", "project",
                 "--as-of", AS_OF, "-o", str(out)]) == 0
    checks = {c["id"]: c for c in json.loads(out.read_text(encoding="utf-8"))["checks"]}
    assert checks["project_green_ratio"]["status"] == "fail"  # 3,960 / 18,000 = 22 % > 20 %
    assert checks["project_green_ratio"]["value"] == pytest.approx(0.22, rel=1e-4)  # the site went through degrees (7 decimals)
    assert checks["project_far"]["value"] == pytest.approx(24_000 / 18_000, rel=1e-4)
    assert checks["project_investment"]["value"] == pytest.approx(6_480 / 27, rel=1e-4)  # 240 万元/亩 ≥ 220 (Nanning)
    assert checks["area"]["text"].startswith("项目用地面积")


def test_project_as_a_gbk_table_row(tmp_path, workspace, monkeypatch):
    csv = tmp_path / "project.csv"
    csv.write_bytes(("申请单位,行业代码,行业分类标准版本,用地面积,总建筑面积,固定资产投资,税收\n"
                     "某材料公司,3011,2017,\"20,000\",16000,5000,300\n").encode("gbk"))
    monkeypatch.setenv("GXLAND_WORKSPACE", str(workspace))
    out = tmp_path / "p.json"
    assert main(["assess", str(csv), "--park", "nanning", "--kind", "project", "--as-of", AS_OF, "-o", str(out)]) == 0
    checks = {c["id"]: c for c in json.loads(out.read_text(encoding="utf-8"))["checks"]}
    assert checks["project_far"]["value"] == pytest.approx(0.8)  # 16,000 / 20,000 m²
    assert checks["project_investment"]["value"] == pytest.approx(5_000 / 30)  # 30 亩
    assert checks["basic_farmland"]["status"] == "warn"  # no site polygon: not checked, said so
