"""Each page runs under AppTest on the sample workspace without exceptions."""

from __future__ import annotations

from datetime import date

from geo.review import ReviewStore

AS_OF = date(2026, 11, 25)




def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def test_overview_page(app):
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "园区总览"
    table = at.dataframe[0].value
    assert "南宁高新技术产业开发区" in " ".join(table.iloc[:, 0].astype(str)) or len(table) >= 12
    assert table.iloc[-1, 0] == "合计"


def test_overview_in_english(app):
    app.session_state["lang"] = "en"
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "Overview"


def test_idle_page_records_a_decision(app, sample_workspace):
    at = app.run()
    at.switch_page("views/idle.py").run()
    assert not at.exception
    assert at.title[0].value == "闲置土地"
    pick = at.selectbox(key="idle_pick")
    pid = pick.value
    assert pid
    assert not [r for r in at.radio if r.key == "review_action@zh"]  # the form is drawn when its panel opens
    at.session_state["review_form_open"] = True  # as a click on the expander does
    at.run()
    at.radio(key="review_action@zh").set_value("confirm")
    at.text_area(key="review_note").set_value("现场核实未动工")
    submit = [b for b in at.button if b.label == "记录"]
    assert submit, "record button missing"
    submit[0].click().run()
    assert not at.exception
    log = ReviewStore(sample_workspace / "review.sqlite").log(pid)
    assert (log["note"] == "现场核实未动工").any()
    assert (log["user_name"] == "测试员").any()


def test_idle_page_dismiss_needs_reason(app, sample_workspace):
    at = app.run()
    at.switch_page("views/idle.py").run()
    pid = at.selectbox(key="idle_pick").value
    before = len(ReviewStore(sample_workspace / "review.sqlite").log(pid))
    at.session_state["review_form_open"] = True
    at.run()
    at.radio(key="review_action@zh").set_value("dismiss")
    next(b for b in at.button if b.label == "记录").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["排除疑似闲置须填写理由。"]  # the refusal in Chinese, not a code
    assert len(ReviewStore(sample_workspace / "review.sqlite").log(pid)) == before


def test_idle_page_filters_to_nothing(app):
    at = app.run()
    at.switch_page("views/idle.py").run()
    at.multiselect(key="idle_statuses@zh").set_value([]).run()
    assert not at.exception
    assert "显示 0 宗" in _texts(at)
