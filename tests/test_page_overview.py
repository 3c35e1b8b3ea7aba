"""The overview page under AppTest: the selected park is named under the map, in either language."""

from __future__ import annotations


def _captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_selected_park_is_named_under_the_map(app):
    app.session_state["overview_park"] = "nanning"
    at = app.run()
    assert not at.exception
    line = next(c.value for c in at.caption if c.value.startswith("已选园区："))
    assert line.startswith("已选园区：南宁高新技术产业开发区 · 国家级 · 南宁市 · 宗地 ")
    assert "nanning" not in _captions(at)


def test_selected_park_in_english(app):
    app.session_state["lang"] = "en"
    app.session_state["overview_park"] = "hezhou"
    at = app.run()
    assert not at.exception
    line = next(c.value for c in at.caption if c.value.startswith("Selected park: "))
    assert line.startswith("Selected park: Hezhou Hi-tech Industrial Development Zone · Region-level · 贺州市")


def test_no_selection_no_line(app):
    at = app.run()
    assert not at.exception
    assert "已选园区" not in _captions(at)
