"""
扩区/升级审查 page: the drawn-polygon reader on st_folium's return value, the map builder, and
the page under AppTest on the sample workspace, checked against ``python -m geo assess``.
"""

from __future__ import annotations

import json
import re

import pytest

import cli
import words
from geo import assessment as A
from layers.assessment import assessment_map, drawn_polygons, overlap_labels
from tests.conftest import AS_OF, ROOT

APPLICATION = ROOT / "data" / "sample_application.geojson"
PROJECT = ROOT / "data" / "sample_project.geojson"

SQUARE = {"type": "Feature", "properties": {},
          "geometry": {"type": "Polygon", "coordinates": [[[108.3, 22.8], [108.31, 22.8], [108.31, 22.81],
                                                           [108.3, 22.81], [108.3, 22.8]]]}}


# --------------------------------------------------------------------------- drawing extraction


def test_drawn_polygons_reads_all_drawings():
    line = {"type": "Feature", "properties": {}, "geometry": {"type": "LineString",
                                                              "coordinates": [[108.3, 22.8], [108.4, 22.9]]}}
    second = json.loads(json.dumps(SQUARE).replace("108.3,", "108.32,").replace("108.31,", "108.33,"))
    got = drawn_polygons({"all_drawings": [SQUARE, line, second], "last_active_drawing": line})
    assert got.crs.to_epsg() == 4326
    assert len(got) == 2
    assert list(got.geom_type) == ["Polygon", "Polygon"]
    assert got.geometry.iloc[0].bounds == pytest.approx((108.3, 22.8, 108.31, 22.81))


def test_drawn_polygons_falls_back_to_last_drawing_and_none():
    got = drawn_polygons({"all_drawings": None, "last_active_drawing": SQUARE})
    assert len(got) == 1
    assert drawn_polygons(None) is None
    assert drawn_polygons({}) is None
    assert drawn_polygons({"all_drawings": [], "last_active_drawing": None}) is None
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.3, 22.8]}}
    assert drawn_polygons({"all_drawings": [point, {"geometry": None}, "junk"]}) is None


def test_drawn_multipolygon_splits_into_blocks():
    multi = {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [
        SQUARE["geometry"]["coordinates"],
        [[[108.4, 22.8], [108.41, 22.8], [108.41, 22.81], [108.4, 22.8]]]]}}
    assert len(drawn_polygons({"all_drawings": [multi]})) == 2


def test_overlap_labels_in_mu_and_hectares():
    import pandas as pd

    frame = pd.DataFrame({"layer": ["basic_farmland"], "piece": [2], "area_m2": [20_000.0]})
    assert overlap_labels(frame, "zh").iloc[0] == "永久基本农田2：30.00 亩（2.0000 公顷）"


def test_page_words_present():
    from words.assess_page import TEXTS, UI

    for key in UI:
        assert words.has_label("ui", key, "zh") and words.has_label("ui", key, "en")
    for code in TEXTS:
        assert words.has_text(code, "zh") and words.has_text(code, "en")


# --------------------------------------------------------------------------- AppTest


@pytest.fixture(scope="module")
def cli_result(sample_workspace, tmp_path_factory):
    import os

    out = tmp_path_factory.mktemp("cli") / "review.json"
    old = os.environ.get("GXLAND_WORKSPACE")
    os.environ["GXLAND_WORKSPACE"] = str(sample_workspace)
    try:
        assert cli.main(["assess", str(APPLICATION), "--park", "nanning", "--kind", "expansion", "--as-of", AS_OF,
                         "-o", str(out)]) == 0
    finally:
        if old is None:
            os.environ.pop("GXLAND_WORKSPACE", None)
        else:
            os.environ["GXLAND_WORKSPACE"] = old
    return json.loads(out.read_text(encoding="utf-8"))


def _open(app, kind="expansion"):
    app.session_state["asp_kind@zh"] = kind
    app.session_state["asp_park@zh"] = "nanning"
    at = app.switch_page("views/assess.py").run()
    assert not at.exception
    return at


def _upload(at, name, data):
    at.file_uploader(key="assess_upload").upload(name, data, "application/octet-stream").run()
    assert not at.exception
    return at


def _errors(at) -> list[str]:
    """Error boxes other than a 不建议同意 verdict (shown red)."""
    return [e.value for e in at.error if not e.value.startswith("审查结论")]


def _checklist(at):
    frames = [d.value for d in at.dataframe if "审查事项" in d.value.columns]
    assert frames, "no checklist"
    return frames[0]


def _texts(at) -> list[str]:
    out = [str(m.value) for m in at.markdown] + [c.value for c in at.caption]
    out += [str(e.value) for e in (*at.error, *at.warning, *at.info, *at.success)]
    for d in at.dataframe:
        frame = d.value
        out += [str(c) for c in frame.columns] + frame.astype(str).to_numpy().ravel().tolist()
    return out


CODES = re.compile(r"\b([a-z]+_[a-z_]+|expansion|upgrade|project|pass|warn|fail|recommend|nanning|liuzhou|"
                   r"None|NaN|nan|True|False)\b")


def test_expansion_page_gives_the_cli_checks(app, cli_result):
    at = _upload(_open(app), "申请范围.geojson", APPLICATION.read_bytes())
    assert at.title[0].value == "扩区/升级审查"
    table = _checklist(at)
    id_of = {words.label("assess_check", c, "zh"): c for c in A.CHECK_IDS}
    status_of = {words.label("assess_status", s, "zh"): s for s in A.STATUSES}
    page = [(id_of[c], status_of[s]) for c, s in zip(table["审查事项"], table["结果"], strict=True)]
    assert page == [(c["id"], c["status"]) for c in cli_result["checks"]]
    # failing first
    order = [{"fail": 0, "warn": 1, "pass": 2}[s] for _, s in page]
    assert order == sorted(order)
    verdict = words.label("assess_verdict", cli_result["verdict"], "zh")
    shown = [str(e.value) for e in (*at.success, *at.warning, *at.error)]
    assert any(f"审查结论：{verdict}" in s for s in shown)
    texts = _texts(at)
    assert any("结论依据" in s for s in texts)
    assert any("平方公里" in s and "区块" in s for s in texts)
    assert any("示意数据" in s for s in texts)
    assert not _errors(at)
    labels = [b.label for b in at.get("download_button")]
    assert len(labels) == 3
    bad = sorted({m for s in texts for m in CODES.findall(s)})
    assert not bad, bad


@pytest.mark.parametrize("kind,path", [("upgrade", APPLICATION), ("project", PROJECT)])
def test_upgrade_and_project_render(app, kind, path):
    at = _upload(_open(app, kind), path.name, path.read_bytes())
    table = _checklist(at)
    expected = A.load_preset(None)["kinds"][kind]
    assert sorted(table["审查事项"]) == sorted(words.label("assess_check", c, "zh") for c in expected)
    assert not _errors(at)
    bad = sorted({m for s in _texts(at) for m in CODES.findall(s)})
    assert not bad, bad


def test_project_as_one_csv_row(app):
    csv = "申请单位,行业代码,用地面积,总建筑面积,总投资\n某某科技有限公司,C3981,20000,30000,12000\n".encode()
    at = _upload(_open(app, "project"), "项目.csv", csv)
    assert not _errors(at)
    assert len(_checklist(at)) == len(A.load_preset(None)["kinds"]["project"])


def test_bad_file_gives_a_chinese_error(app):
    at = _upload(_open(app), "坏文件.geojson", b"{this is not json")
    assert at.error
    msg = at.error[0].value
    assert msg.startswith("无法审查")
    assert re.search(r"[\u4e00-\u9fff]", msg)
    assert not CODES.findall(msg), msg
    assert not [d for d in at.dataframe if "审查事项" in d.value.columns]


def test_map_builder_with_draw_tool_is_local():
    from geo.io import read_parks

    parks = read_parks(ROOT / "data" / "parks.geojson")
    mine = parks["park_id"] == "nanning"
    m = assessment_map(park=parks[mine], neighbours=parks[~mine],
                       constraints=A.read_constraints(ROOT / "data" / "constraints"),
                       illustrative={"basic_farmland": True}, draw=True)
    page = m.get_root().render()
    assert "/app/static/vendor/leaflet-draw/leaflet.draw.js" in page
    assert "cdnjs" not in page and "cdn.jsdelivr" not in page
    names = [getattr(c, "layer_name", "") for c in m._children.values()]
    assert "永久基本农田（示意数据）" in names
    assert "生态保护红线" in names  # not marked: not said to be illustrative here


# --------------------------------------------------------------------------- the project form


def test_project_figures_and_with_figures():
    import geopandas as gpd
    from shapely import box

    from views.assess import project_figures, with_figures

    figs = project_figures({"applicant": " 某公司 ", "industry_code": "", "tax_wan": None, "floor_area_m2": 30000.0,
                            "output_wan": float("nan"), "not_a_column": 1})
    assert figs == {"applicant": "某公司", "floor_area_m2": 30000.0}
    site = gpd.GeoDataFrame({"floor_area_m2": [1.0, 2.0]}, geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1)], crs=4545)
    out = with_figures(site, figs)
    assert out["floor_area_m2"].tolist() == [30000.0, 2.0]
    assert out["applicant"].iloc[0] == "某公司"
    assert site["floor_area_m2"].tolist() == [1.0, 2.0]  # the input is left alone
    assert with_figures(site, {}) is site
    table = with_figures(gpd.GeoDataFrame(), {"area_m2": 20000.0})
    assert table["area_m2"].tolist() == [20000.0]


def test_project_form_figures_reach_the_checks(app):
    at = _upload(_open(app, "project"), PROJECT.name, PROJECT.read_bytes())
    far = words.label("assess_check", "project_far", "zh")
    before = _checklist(at).set_index("审查事项").loc[far, "说明"]
    at.number_input(key="asp_f_floor_area_m2").set_value(987654.0).run()
    assert not at.exception and not _errors(at)
    after = _checklist(at).set_index("审查事项").loc[far, "说明"]
    assert after != before
    bad = sorted({m for s in _texts(at) for m in CODES.findall(s)})
    assert not bad, bad


def test_page_in_english(app):
    app.session_state["lang"] = "en"
    app.session_state["asp_park@en"] = "nanning"
    # One run only before the upload: a second bare run trips AppTest over the sidebar's translated options.
    at = app.switch_page("views/assess.py").run()
    assert not at.exception
    assert at.title[0].value == "Expansion / upgrade review"
    at.file_uploader(key="assess_upload").upload("app.geojson", APPLICATION.read_bytes(), "x").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe if "Check" in d.value.columns]
    assert frames and len(frames[0]) == len(A.load_preset(None)["kinds"]["expansion"])
    assert any("Conclusion:" in str(e.value) for e in (*at.success, *at.warning, *at.error))


def test_map_of_a_review_labels_the_overlaps():
    import folium
    import geopandas as gpd

    from geo.io import read_parks

    parks = read_parks(ROOT / "data" / "parks.geojson")
    a = A.assess(gpd.read_file(APPLICATION), park_id="nanning", kind="expansion", as_of=AS_OF, parks=parks,
                 constraints=A.read_constraints(ROOT / "data" / "constraints"))
    assert len(a.overlaps)
    m = assessment_map(park=a.park, neighbours=a.neighbours, constraints=a.constraints, application=a.application,
                       overlaps=a.overlaps)
    markers = [c for c in m._children.values() if isinstance(c, folium.Marker)]
    assert len(markers) == min(len(a.overlaps), 30)
    shown = " ".join(c.icon.options.get("html", "") if hasattr(c.icon, "options") else c.icon.html.render()
                     for c in markers)
    for label in overlap_labels(a.overlaps, "zh").head(30):
        assert "亩" in label and "公顷" in label
        assert label in shown


def test_checklist_marks_system_defaults(app):
    at = _upload(_open(app), "申请范围.geojson", APPLICATION.read_bytes())
    thresholds = _checklist(at)["标准"].tolist()
    assert any("本系统默认参数" in s for s in thresholds)


def test_downloads_round_trip(tmp_path):
    import geopandas as gpd
    import pyogrio

    from geo.io import read_parcels, read_parks
    from geo.txt import txt_bytes
    from views.assess import gpkg_bytes

    parks = read_parks(ROOT / "data" / "parks.geojson")
    a = A.assess(gpd.read_file(APPLICATION), park_id="nanning", kind="expansion", as_of=AS_OF, parks=parks,
                 constraints=A.read_constraints(ROOT / "data" / "constraints"))
    gpkg = tmp_path / "review.gpkg"
    gpkg.write_bytes(gpkg_bytes(a))
    assert [name for name, _ in pyogrio.list_layers(gpkg)] == ["application", "overlaps", "park"]
    txt = tmp_path / "申请范围.txt"
    txt.write_bytes(txt_bytes(a.application))
    back = read_parcels(txt).gdf
    assert back.to_crs(a.crs).area.sum() == pytest.approx(a.area_m2, rel=1e-6)


def test_own_constraint_layer_replaces_the_sample(app, sample_workspace, tmp_path, monkeypatch):
    # The bureau's own 永久基本农田 (here: the whole application's extent) uploaded on the page is
    # kept in the workspace and the review uses it: the farmland check fails with the overlap.
    import shutil

    import geopandas as gpd

    ws = tmp_path / "ws"
    shutil.copytree(sample_workspace, ws)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(ws))
    application = gpd.read_file(APPLICATION)
    farmland = gpd.GeoDataFrame({"名称": ["本单位基本农田"]}, geometry=[application.union_all().envelope],
                                crs=application.crs)
    at = _open(app)
    at.file_uploader(key="asp_cons_basic_farmland").upload(
        "基本农田.geojson", farmland.to_json().encode("utf-8"), "application/geo+json").run()
    assert not at.exception
    assert any("已保存" in s.value for s in at.success)
    assert sorted(p.name for p in (ws / "constraints").iterdir()) == ["basic_farmland.geojson"]
    at = _upload(at, "申请范围.geojson", APPLICATION.read_bytes())
    table = _checklist(at)
    row = table[table["审查事项"] == words.label("assess_check", "basic_farmland", "zh")].iloc[0]
    assert row["结果"] == words.label("assess_status", "fail", "zh")


def test_unreadable_constraint_file_is_refused_and_not_kept(app, sample_workspace, tmp_path, monkeypatch):
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(sample_workspace, ws)
    monkeypatch.setenv("GXLAND_WORKSPACE", str(ws))
    at = _open(app)
    at.file_uploader(key="asp_cons_ecological_red_line").upload("红线.geojson", b"{not json", "x").run()
    assert not at.exception
    assert _errors(at) and "红线.geojson" in _errors(at)[0] and _errors(at)[0].startswith("“生态保护红线”图层未替换")
    assert not (ws / "constraints").exists() or not any((ws / "constraints").iterdir())
