"""The vocabulary: every word in both languages, Chinese without English, every code the analysis emits covered."""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest

import words
from words import core

#: ASCII that may stand in Chinese text: standards, units, CRS names, file formats.
ALLOWED_ASCII = {
    "GB", "T", "TD", "HJ", "DB", "EPSG", "CGCS", "WGS", "GK", "CRS", "FAR", "GDP", "R", "D", "A", "B", "C",
    "tce", "m", "km", "ha", "t", "CSV", "DBF", "XLSX", "Excel", "WPS", "QGIS", "GeoPackage", "GeoJSON",
    "Shapefile", "KML", "DXF", "TXT", "SHP", "GPKG", "ZIP", "prj", "cpg", "shp", "dbf", "zip", "gpkg",
    "geojson", "csv", "xlsx", "WKT", "UTF", "GBK", "GB18030", "OpenStreetMap", "WebGL", "tk", "Z", "OIDC",
    "No", "ID", "PDF", "DOCX", "Word", "JSON", "SQLite", "PostGIS", "Leaflet", "Natural", "Earth",
    "GeoNames", "CC", "BY", "MB", "KB", "sqlite", "crs", "RD", "Web", "Mercator", "Gauss", "Kruger", "Krüger",
    "GeoParquet", "FileGDB", "YAML", "PowerPoint", "FlatGeobuf", "TIFF", "GCJ", "Office", "GIF", "JPEG",
    "GZIP", "BD", "Parquet", "DataV", "PNG", "RAR", "X", "Y", "z", "adcode", "center", "Language",  # the language switch names itself in both
}


def _ascii_words(text: str) -> set[str]:
    cleaned = re.sub(r"\{[^}]*\}", "", text)  # placeholders are filled with values
    # What a user types or sees on disk stays as written: options, commands, file extensions, °E.
    cleaned = re.sub(r"python -m geo [a-z]+|--[a-z-]+(?: [A-Za-z0-9:<>-]+)?|\.[a-z]{2,4}\b|°[EN]|（(?:zh|en)）", "", cleaned)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]*", cleaned) if w not in ALLOWED_ASCII}


def test_every_label_has_both_languages():
    missing = [(kind, code, lang) for kind, codes in core.all_labels().items()
               for code, w in codes.items() for lang in words.LANGS if not w.get(lang)]
    assert not missing


def test_every_text_has_both_languages_with_the_same_placeholders():
    bad = []
    for code, w in core.all_texts().items():
        fields = {}
        for lang in words.LANGS:
            assert w.get(lang), f"{code} has no {lang}"
            fields[lang] = {f for _, f, _, _ in string.Formatter().parse(w[lang]) if f}
        if fields["zh"] != fields["en"]:
            bad.append((code, fields))
    assert not bad


def _dummy(spec: str):
    if spec and ("%" in spec):
        return pd.Timestamp("2024-03-01")
    if spec and spec[-1:] in ("d",):
        return 3
    if spec:
        return 1.25
    return "值"


@pytest.mark.parametrize("lang", list(words.LANGS))
def test_every_text_renders(lang):
    for code, w in core.all_texts().items():
        args = {f: _dummy(s) for _, f, s, _ in string.Formatter().parse(w[lang]) if f}
        out = words.text(code, lang, **args)
        assert "{" not in out and "}" not in out, code


def test_chinese_words_hold_no_english():
    offenders = {}
    for kind, codes in core.all_labels().items():
        for code, w in codes.items():
            if kind == "lang":
                continue
            # ``code（words）``: a setting or value as the user's file writes it, then its words.
            zh = w["zh"].removeprefix(f"{code}（") if w["zh"].startswith(f"{code}（") else w["zh"]
            if extra := _ascii_words(zh):
                offenders[f"{kind}/{code}"] = extra
    for code, w in core.all_texts().items():
        if extra := _ascii_words(w["zh"]):
            offenders[code] = extra
    assert not offenders


def test_render_items_lists_and_gaps():
    item = {"code": "export_unknown_columns", "columns": ["area_mu", "holder"]}
    assert words.render(item) == "没有这些列：面积、土地使用权人"
    assert words.render([item, item], "en").count("; ") == 1
    assert words.render(None) == words.DASH and words.render([]) == words.DASH
    assert words.label("land_use", None) == words.DASH
    assert words.label("land_use", "工业") == "工业"  # the user's own spelling, kept
    with pytest.raises(words.MissingWord):
        words.label("land_use", "nonsense", strict=True)
    with pytest.raises(words.MissingWord):
        words.text("no_such_code")


def test_header_with_and_without_unit():
    assert words.header("area_mu") == "面积(亩)"
    assert words.header("area_mu", unit=False) == "面积"
    assert words.header("fee_wan", "en") == "Idle-land fee (万元)"
    assert words.header("not_a_column") == "not_a_column"


def test_words_imports_no_screen():
    import subprocess
    import sys

    code = "import sys, words; words.label('ui','page_idle'); print(any(m.startswith(('streamlit','folium')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
