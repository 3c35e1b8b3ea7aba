"""The login gate (AppTest): no page without login, Chinese errors, first-login change, expiry, SSO button, logout."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from geo.accounts import AccountStore
from tests.conftest import ROOT, TEST_PASSWORD_CHANGED, ensure_account, login_as

PAGES = ["views/overview.py", "views/idle.py", "views/intensity.py", "views/compare.py", "views/eco.py",
         "views/assess.py", "views/data.py"]


@pytest.fixture
def bare(sample_workspace, monkeypatch):
    """The app with no one logged in."""
    monkeypatch.setenv("GXLAND_WORKSPACE", str(sample_workspace))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["as_of"] = date(2026, 11, 25)
    return at


def _login_page_only(at) -> None:
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["登录"]
    assert not at.dataframe and not at.get("download_button") and not at.sidebar.get("date_input")
    assert at.text_input(key="auth_password").proto.type == at.text_input(key="auth_password").proto.PASSWORD


@pytest.mark.parametrize("page", PAGES)
def test_every_page_requires_login(bare, page):
    at = bare.run()
    _login_page_only(at)
    at.switch_page(page).run()
    _login_page_only(at)


def test_login_errors_are_chinese_and_english_on_switch(bare, sample_workspace):
    ensure_account(sample_workspace, "测试员")
    at = bare.run()
    at.button(key="FormSubmitter:auth_login-登录").click().run()
    assert [e.value for e in at.error] == ["请填写账号和密码。"]
    at.text_input(key="auth_name").input("测试员")
    at.text_input(key="auth_password").input("不对的密码-0000")
    at.button(key="FormSubmitter:auth_login-登录").click().run()
    assert [e.value for e in at.error] == ["账号或密码不正确。连续多次输错，账号将被暂时锁定。"]
    at.radio(key="lang").set_value("en").run()
    assert [t.value for t in at.title] == ["Log in"]


def test_first_login_must_change_the_password_then_pages_open(bare, sample_workspace):
    store = AccountStore.in_workspace(sample_workspace)
    if store.get("新同事") is None:
        store.add("新同事", "viewer", password="首次登录密码-1")
    at = bare.run()
    at.text_input(key="auth_name").input("新同事")
    at.text_input(key="auth_password").input("首次登录密码-1")
    at.button(key="FormSubmitter:auth_login-登录").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["修改密码"]
    at.switch_page("views/idle.py").run()
    assert [t.value for t in at.title] == ["修改密码"]  # nothing else before the change
    at.text_input(key="auth_old").input("首次登录密码-1")
    at.text_input(key="auth_new").input("新同事的密码-2026")
    at.text_input(key="auth_new2").input("新同事的密码-2027")
    at.button(key="FormSubmitter:auth_change-修改密码").click().run()
    assert [e.value for e in at.error] == ["两次输入的新密码不一致。"]
    at.text_input(key="auth_old").input("首次登录密码-1")
    at.text_input(key="auth_new").input("新同事的密码-2026")
    at.text_input(key="auth_new2").input("新同事的密码-2026")
    at.button(key="FormSubmitter:auth_change-修改密码").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "闲置土地"
    # the sidebar shows the account read-only: no typed name
    who = at.sidebar.text_input(key="auth_who")
    assert who.disabled and who.value == "新同事（查看人员）"
    assert "user" not in [t.key for t in at.text_input]
    # a viewer sees no import
    at.switch_page("views/data.py").run()
    assert any("须由系统管理员办理" in i.value for i in at.info)
    assert "data_upload" not in [u.key for u in at.get("file_uploader")]


def test_session_expires_after_the_setting(bare, sample_workspace, monkeypatch):
    monkeypatch.setenv("GXLAND_SESSION_MINUTES", "30")
    at = login_as(bare, sample_workspace)
    at.session_state["auth_seen"] = datetime.now(UTC) - timedelta(minutes=31)
    at.run()
    _login_page_only(at)
    assert any("登录已过期" in i.value for i in at.info)


def test_a_disabled_account_is_logged_out(bare, sample_workspace):
    ensure_account(sample_workspace, "停用测试", "viewer")
    at = login_as(bare, sample_workspace, "停用测试", "viewer").run()
    assert at.title[0].value != "登录"
    AccountStore.in_workspace(sample_workspace).set_disabled("停用测试")
    at.run()
    _login_page_only(at)
    assert any("已停用" in i.value for i in at.info)


def test_logout(bare, sample_workspace):
    at = login_as(bare, sample_workspace).run()
    assert at.title[0].value != "登录"
    at.sidebar.button(key="auth_logout").click().run()
    _login_page_only(at)
    # and in again with the password
    at.text_input(key="auth_name").input("测试员")
    at.text_input(key="auth_password").input(TEST_PASSWORD_CHANGED)
    at.button(key="FormSubmitter:auth_login-登录").click().run()
    assert at.title[0].value != "登录"


def test_sso_button_only_when_configured(bare):
    at = bare.run()
    assert "auth_sso" not in [b.key for b in at.button]
    configured = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    configured.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-cookie-secret",
        "client_id": "gxland",
        "client_secret": "secret",
        "server_metadata_url": "https://sso.example.invalid/.well-known/openid-configuration",
    }
    configured.run()
    assert not configured.exception
    assert configured.button(key="auth_sso").label == "统一身份认证登录"
    assert [t.value for t in configured.title] == ["登录"]


def test_a_reset_by_an_admin_applies_at_the_next_run(bare, sample_workspace):
    ensure_account(sample_workspace, "调整测试", "viewer")
    at = login_as(bare, sample_workspace, "调整测试", "viewer").run()
    assert at.sidebar.text_input(key="auth_who").value == "调整测试（查看人员）"
    AccountStore.in_workspace(sample_workspace).reset("调整测试", password="管理员重置-2026")
    at.run()
    assert [t.value for t in at.title] == ["修改密码"]


@pytest.mark.parametrize("page", PAGES)
def test_a_park_officer_s_pages_run_on_its_parks(bare, sample_workspace, page):
    at = login_as(bare, sample_workspace, "南宁页面测试", "officer", parks=["nanning"]).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title[0].value != "登录"
    assert at.sidebar.caption[0].value == "负责园区：南宁高新技术产业开发区"


def test_constraint_layers_are_uploaded_by_admins_only(bare, sample_workspace):
    at = login_as(bare, sample_workspace, "南宁页面测试", "officer", parks=["nanning"]).run()
    at.switch_page("views/assess.py").run()
    assert not at.exception
    assert not [u for u in at.get("file_uploader") if str(u.key or "").startswith("asp_cons_")]
    at = login_as(at, sample_workspace).run()  # the admin 测试员
    assert [u for u in at.get("file_uploader") if str(u.key or "").startswith("asp_cons_")]


def test_admins_manage_accounts_on_a_page_others_do_not_have(bare, sample_workspace):
    at = login_as(bare, sample_workspace).run()  # the admin 测试员
    at.switch_page("views/accounts.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "账号管理"
    at.text_input(key="acc_name").input("页面新建")
    at.text_input(key="acc_display").input("韦丽萍")
    at.selectbox(key="acc_role@zh").set_value("officer")
    at.multiselect(key="acc_parks@zh").set_value(["guilin"])
    at.button(key="FormSubmitter:acc_add_form-创建账号").click().run()
    assert not at.exception, at.exception
    shown = at.success[0].value
    assert "已创建账号“页面新建”（园区经办人）" in shown
    # The message is Markdown-escaped on the page (a "_" of the random password shows as "\_" here).
    password = shown.split("初始密码：")[1].split("（")[0].replace("\\", "")
    store = AccountStore.in_workspace(sample_workspace)
    acc = store.authenticate("页面新建", password)
    assert acc.parks == ("guilin",) and acc.must_change_password and acc.display_name == "韦丽萍"
    assert store.events("页面新建")["by_account"].iloc[0] == "测试员"
    # reset, then disable
    at.selectbox(key="acc_pick").set_value("页面新建")
    at.button(key="acc_reset").click().run()
    new = at.success[0].value.split("：")[1].split("（")[0].replace("\\", "")
    assert store.authenticate("页面新建", new).must_change_password
    at.selectbox(key="acc_pick").set_value("页面新建")
    at.button(key="acc_toggle").click().run()
    assert at.success[0].value == "已停用账号“页面新建”。" and store.get("页面新建") is None
    # an officer has no such page
    at = login_as(at, sample_workspace, "南宁页面测试", "officer", parks=["nanning"])
    at.switch_page("views/accounts.py").run()
    assert at.title[0].value != "账号管理"
    assert "acc_name" not in [ti.key for ti in at.text_input]


@pytest.mark.parametrize("page", ["views/intensity.py", "views/compare.py", "views/assess.py"])
def test_results_cached_for_one_account_are_not_served_to_another_scope(bare, sample_workspace, page):
    at = login_as(bare, sample_workspace).run()  # the admin: every park
    at.switch_page(page).run()
    assert not at.exception, at.exception
    at = login_as(at, sample_workspace, "南宁页面测试", "officer", parks=["nanning"]).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    if page == "views/intensity.py":
        assert at.selectbox(key="int_park@zh").options == ["南宁高新技术产业开发区"]


def test_the_account_field_follows_the_language(bare, sample_workspace):
    """The sidebar's read-only account field is rewritten on every run (a keyed widget keeps its first value)."""
    ensure_account(sample_workspace, "语言测试", "viewer")
    at = login_as(bare, sample_workspace, "语言测试", "viewer").run()
    assert at.sidebar.text_input(key="auth_who").value == "语言测试（查看人员）"
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    who = at.sidebar.text_input(key="auth_who").value
    assert who.startswith("语言测试 (") and who != "语言测试（查看人员）"
