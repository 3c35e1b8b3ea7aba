"""Tables a page at a time: page counts and bounds, the totals line in both languages, the widgets."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.idle import IDLE_STATUSES
from views import common
from views.pager import PAGE_SIZES, page_of, total_line


@pytest.mark.parametrize(
    ("total", "size", "number", "expected"),
    [
        (230, 50, 1, (1, 5, 0, 50)),
        (230, 50, 5, (5, 5, 200, 230)),  # the last page holds the remainder
        (230, 50, 9, (5, 5, 200, 230)),  # past the end: the last page
        (230, 50, 0, (1, 5, 0, 50)),  # below 1: the first
        (200, 50, 4, (4, 4, 150, 200)),  # exact multiple: no empty page
        (201, 50, 5, (5, 5, 200, 201)),
        (0, 50, 3, (1, 1, 0, 0)),  # an empty table is one empty page
        (1, 500, 1, (1, 1, 0, 1)),
    ],
)
def test_page_bounds(total, size, number, expected):
    p = page_of(total, size, number)
    assert (p.number, p.pages, p.start, p.stop) == expected
    assert p.total == total and p.size == size


def test_pages_cover_every_row_once():
    total, size = 1234, 100
    pages = page_of(total, size, 1).pages
    rows = [r for n in range(1, pages + 1) for r in range(page_of(total, size, n).start, page_of(total, size, n).stop)]
    assert rows == list(range(total))


def test_page_size_must_be_positive():
    with pytest.raises(ValueError):
        page_of(10, 0, 1)


def test_total_line_in_both_languages():
    p = page_of(12_345, 50, 2)
    assert total_line(p, "zh") == "第 2 / 247 页，共 12,345 宗"
    assert total_line(p, "en") == "Page 2 of 247, 12,345 parcels"
    assert total_line(p, "zh", unit="rows") == "第 2 / 247 页，共 12,345 行"


def _table_app():
    import pandas as pd
    import streamlit as st

    from views.pager import paged

    frame = pd.DataFrame({"parcel_id": [f"P{i:04d}" for i in range(230)], "area_mu": range(230)})
    shown = paged(frame, key="t", lang=st.session_state.get("lang", "zh"))
    st.dataframe(shown, key="table")
    small = paged(frame.head(7), key="s", lang="zh")
    st.dataframe(small, key="small")


def _shown_ids(at) -> list[str]:
    return list(at.dataframe[0].value["parcel_id"])


def test_paged_table_ships_one_page_and_moves_between_pages():
    at = AppTest.from_function(_table_app).run()
    assert not at.exception
    assert _shown_ids(at) == [f"P{i:04d}" for i in range(50)]  # 50 of 230 rows shipped
    assert "第 1 / 5 页，共 230 宗" in [c.value for c in at.caption]
    at.number_input(key="t_page").set_value(5).run()
    assert _shown_ids(at) == [f"P{i:04d}" for i in range(200, 230)]
    assert "第 5 / 5 页，共 230 宗" in [c.value for c in at.caption]
    # larger pages: the page number is brought back into range (230 rows fit on 2 pages of 200)
    at.selectbox(key="t_size").set_value(200).run()
    assert not at.exception
    assert at.number_input(key="t_page").value == 2
    assert _shown_ids(at) == [f"P{i:04d}" for i in range(200, 230)]
    assert list(at.selectbox(key="t_size").options) == [str(s) for s in PAGE_SIZES]
    # a table that fits one page: no widgets, the line only, every row
    assert len(at.dataframe[1].value) == 7 and "第 1 / 1 页，共 7 宗" in [c.value for c in at.caption]


def test_pager_speaks_the_page_language():
    at = AppTest.from_function(_table_app)
    at.session_state["lang"] = "en"
    at.run()
    assert "Page 1 of 5, 230 parcels" in [c.value for c in at.caption]
    assert at.selectbox(key="t_size").label == "Rows per page"
    assert at.number_input(key="t_page").label == "Page"


def _idle_list(at):
    (table,) = [v for d in at.dataframe if "土地用途" in (v := getattr(d.value, "data", d.value)).columns]
    return table


def test_idle_list_is_paged(app, monkeypatch):
    monkeypatch.setenv("GXLAND_MAP_MAX_PARCELS", "10")  # the map drawn with WebGL: quicker
    at = app.run()
    at.switch_page("views/idle.py").run()
    # every park, every status: the whole sample in the selection
    at.multiselect(key="idle_statuses@zh").set_value(list(IDLE_STATUSES)).run()
    at.multiselect(key="idle_parks@zh").set_value([*common.parks()["park_id"].astype(str), ""]).run()
    assert not at.exception
    listed = _idle_list(at)
    assert len(listed) == 50
    line = next(c.value for c in at.caption if c.value.startswith("第 1 / "))
    n = int(line.split("共 ")[1].rstrip(" 宗").replace(",", ""))
    assert n > 4_000 and line == f"第 1 / {-(-n // 50)} 页，共 {n:,} 宗"
    at.number_input(key="idle_list_pager_page").set_value(2).run()
    second = _idle_list(at)
    assert len(second) == 50 and not set(second.iloc[:, 0]) & set(listed.iloc[:, 0])


def test_picker_lists_a_bounded_number_and_keeps_the_current_pick():
    from views.pager import picker_options

    ids = [f"P{i:05d}" for i in range(14_000)]
    assert picker_options(ids, None, limit=200) == ids[:200]
    assert picker_options(ids, "P00007", limit=200) == ids[:200]  # already listed: not twice
    assert picker_options(ids, "P09999", limit=200) == [*ids[:200], "P09999"]  # clicked on the map
    assert picker_options(ids, "elsewhere", limit=200) == ids[:200]  # not in this selection
    assert picker_options(ids[:3], "P00001") == ids[:3]


def test_efficiency_card_lists_a_bounded_number_of_parcels(app, monkeypatch):
    import views.pager

    monkeypatch.setattr(views.pager, "PICKER_LIMIT", 5)
    at = app.run()
    at.switch_page("views/intensity.py").run()
    assert not at.exception
    box = at.selectbox(key="int_pick")
    assert len(box.options) == 5
    assert any(c.value.startswith("共 ") and "下拉列表列出前 5 宗" in c.value for c in at.caption)


def test_same_table_same_styler_id_so_an_unchanged_table_is_not_sent_again():
    """pandas gives each Styler a random id; display.styled derives it from the contents."""
    import pandas as pd

    from views.display import styled

    table = pd.DataFrame({"面积(亩)": [1.25, None], "宗地编号": ["A", "B"]})
    assert styled(table, {"面积(亩)": "mu"}).uuid == styled(table.copy(), {"面积(亩)": "mu"}).uuid
    assert styled(table, {"面积(亩)": "mu"}).uuid != styled(table.assign(宗地编号=["A", "C"]), {"面积(亩)": "mu"}).uuid
