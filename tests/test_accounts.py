"""Local accounts (geo.accounts): hashing, must-change, lockout, disabled, expiry, the first admin, the CLI."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

import words
from cli import main
from geo import accounts
from geo.accounts import ACCOUNT_ERROR_CODES, AccessError, AccountStore
from tests.conftest import ROOT

T0 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    return AccountStore.in_workspace(tmp_path)


def test_every_code_has_words_in_both_languages():
    for code in ACCOUNT_ERROR_CODES:
        assert words.has_text(code, "zh") and words.has_text(code, "en"), code
    for role in accounts.ROLES:
        assert words.has_label("role", role, "zh") and words.has_label("role", role, "en"), role
    for action in accounts.ACTIONS:
        assert words.has_label("account_action", action, "zh"), action
    for event in accounts.ACCOUNT_EVENTS:
        assert words.has_label("account_event", event, "zh"), event


def test_passwords_are_argon2_hashes_never_the_text(store):
    pw = store.add("li", "officer", parks=["nanning"], now=T0)
    assert len(pw) >= accounts.MIN_PASSWORD_LENGTH
    raw = store.path.read_bytes()
    assert pw.encode() not in raw and b"$argon2id$" in raw
    assert accounts.verify_password(accounts.hash_password("秘密-12345"), "秘密-12345")
    assert not accounts.verify_password(accounts.hash_password("秘密-12345"), "秘密-12346")
    assert not accounts.verify_password(None, "")
    # two hashes of one password differ (salted)
    assert accounts.hash_password("same-pass-1") != accounts.hash_password("same-pass-1")


def test_login_and_must_change_at_first_login(store):
    pw = store.add("li", "officer", parks=["nanning", "guilin"], display_name="李明", now=T0)
    acc = store.authenticate("li", pw, now=T0)
    assert acc.role == "officer" and acc.parks == ("guilin", "nanning") and acc.must_change_password
    with pytest.raises(AccessError) as err:
        store.change_password("li", "wrong-old-1", "新的密码-2026")
    assert err.value.code == "password_wrong"
    for new, code in (("short", "password_too_short"), ("LI", "password_too_short"), (pw, "password_unchanged")):
        with pytest.raises(AccessError) as err:
            store.change_password("li", pw, new)
        assert err.value.code == code
    with pytest.raises(AccessError) as err:
        store.change_password("li", pw, "新的密码-2026", confirm="新的密码-2027")
    assert err.value.code == "password_mismatch"
    store.change_password("li", pw, "新的密码-2026", confirm="新的密码-2026")
    acc = store.authenticate("li", "新的密码-2026", now=T0)
    assert not acc.must_change_password
    # a reset makes it must-change again
    pw2 = store.reset("li", by="admin")
    assert store.authenticate("li", pw2).must_change_password
    with pytest.raises(AccessError):
        store.authenticate("li", "新的密码-2026")
    events = list(store.events("li")["event"])
    assert events[0] == "created" and {"login", "password_changed", "password_reset"} <= set(events)


def test_wrong_password_and_unknown_name_read_alike(store):
    store.add("li", "officer", parks=["nanning"], password="正确的密码-2026")
    codes = set()
    for name in ("li", "nobody"):
        with pytest.raises(AccessError) as err:
            store.authenticate(name, "错误的密码-1")
        codes.add((err.value.code, tuple(err.value.params)))
    assert codes == {("login_failed", ())}


def test_lockout_after_repeated_failures(store, monkeypatch):
    monkeypatch.setenv("GXLAND_LOCKOUT_FAILURES", "3")
    monkeypatch.setenv("GXLAND_LOCKOUT_MINUTES", "10")
    store.add("li", "officer", parks=["nanning"], password="正确的密码-2026")
    for _ in range(2):
        with pytest.raises(AccessError) as err:
            store.authenticate("li", "x-wrong-x", now=T0)
        assert err.value.code == "login_failed"
    with pytest.raises(AccessError) as err:
        store.authenticate("li", "x-wrong-x", now=T0)
    assert err.value.code == "login_locked"
    # locked: even the right password is refused until the time is up
    with pytest.raises(AccessError) as err:
        store.authenticate("li", "正确的密码-2026", now=T0 + timedelta(minutes=9))
    assert err.value.code == "login_locked"
    text = words.render(err.value.item, "zh")
    assert "已锁定至10:10（北京时间）" in text  # 02:10 UTC is 10:10 in Beijing
    assert store.authenticate("li", "正确的密码-2026", now=T0 + timedelta(minutes=11)).name == "li"
    assert "locked" in set(store.events("li")["event"])
    # an admin's reset unlocks at once
    for _ in range(3):
        with pytest.raises(AccessError):
            store.authenticate("li", "x-wrong-x", now=T0)
    store.reset("li", password="重置后的密码-1")
    assert store.authenticate("li", "重置后的密码-1", now=T0).name == "li"


def test_disabled_accounts_cannot_log_in_and_the_last_admin_stays(store):
    store.add("boss", "admin", password="管理员的密码-1")
    store.add("li", "viewer", password="查看员的密码-1")
    store.set_disabled("li")
    with pytest.raises(AccessError) as err:
        store.authenticate("li", "查看员的密码-1")
    assert err.value.code == "login_disabled"
    assert store.get("li") is None
    with pytest.raises(AccessError) as err:
        store.set_disabled("boss")
    assert err.value.code == "account_last_admin"
    store.set_disabled("li", False)
    assert store.authenticate("li", "查看员的密码-1").role == "viewer"


def test_account_input_is_checked(store):
    for kwargs, code in (
        ({"name": "a b", "role": "viewer"}, "account_name_invalid"),
        ({"name": "x", "role": "boss"}, "account_role_unknown"),
        ({"name": "x", "role": "officer"}, "account_officer_needs_parks"),
        ({"name": "x", "role": "viewer", "password": "x"}, "password_too_short"),
        ({"name": "x12345678", "role": "viewer", "password": "X12345678"}, "password_same_as_name"),
    ):
        with pytest.raises(AccessError) as err:
            store.add(**kwargs)
        assert err.value.code == code
    store.add("x", "viewer")
    with pytest.raises(AccessError) as err:
        store.add("x", "viewer")
    assert err.value.code == "account_exists"
    assert list(store.list()["name"]) == ["x"]


def test_session_expiry_setting(monkeypatch):
    assert accounts.session_expired(None, T0)
    assert not accounts.session_expired(T0, T0 + timedelta(minutes=479))
    assert accounts.session_expired(T0, T0 + timedelta(minutes=481))
    monkeypatch.setenv("GXLAND_SESSION_MINUTES", "30")
    assert accounts.session_minutes() == 30
    assert accounts.session_expired(T0, T0 + timedelta(minutes=31))
    monkeypatch.setenv("GXLAND_SESSION_MINUTES", "thirty")
    assert accounts.session_minutes() == accounts.SESSION_MINUTES


def test_sso_identities_need_an_account_made_for_them(store):
    store.add("zhao@gx.gov.cn", "reviewer", sso=True)
    acc = store.sso_account("zhao@gx.gov.cn")
    assert acc.source == "sso" and acc.role == "reviewer" and not acc.must_change_password
    with pytest.raises(AccessError) as err:
        store.sso_account("stranger@example.cn")
    assert err.value.code == "login_sso_no_account"
    store.add("li", "viewer", password="查看员的密码-1")
    with pytest.raises(AccessError) as err:
        store.sso_account("li")
    assert err.value.code == "login_sso_not_allowed"
    with pytest.raises(AccessError) as err:
        store.authenticate("zhao@gx.gov.cn", "anything-at-all")
    assert err.value.code == "login_password_needed"


def test_first_admin_password_file_is_owner_only_and_goes_when_changed(tmp_path):
    path = accounts.ensure_admin(tmp_path)
    assert path == tmp_path / accounts.INITIAL_PASSWORD_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "account: admin" and lines[1].startswith("password: ")
    pw = lines[1].removeprefix("password: ")
    assert accounts.ensure_admin(tmp_path) is None  # an admin exists: nothing new
    store = AccountStore.in_workspace(tmp_path)
    acc = store.authenticate("admin", pw)
    assert acc.role == "admin" and acc.must_change_password
    store.change_password("admin", pw, "管理员新密码-2026")
    assert not path.exists()


def test_cli_user_commands(tmp_path, capsys):
    ws = str(tmp_path)
    assert main(["user", "--workspace", ws, "init"]) == 0
    assert "初始管理员账号“admin”" in capsys.readouterr().out
    assert main(["user", "--workspace", ws, "add", "li", "--role", "officer", "--parks", "nanning,guilin",
                 "--display-name", "李明"]) == 0
    out = capsys.readouterr().out
    assert "已创建账号“li”（园区经办人）" in out and "首次登录须修改" in out
    pw = out.split("初始密码：")[1].split("（")[0]
    store = AccountStore.in_workspace(tmp_path)
    assert store.authenticate("li", pw).parks == ("guilin", "nanning")
    assert main(["user", "--workspace", ws, "add", "wang", "--role", "officer"]) == 2
    assert "园区经办人须指定负责的园区" in capsys.readouterr().err
    assert main(["user", "--workspace", ws, "reset", "li"]) == 0
    new = capsys.readouterr().out.split("：")[1].split("（")[0]
    assert store.authenticate("li", new).must_change_password
    assert main(["user", "--workspace", ws, "disable", "li"]) == 0
    assert main(["user", "--workspace", ws, "list"]) == 0
    listed = capsys.readouterr().out
    assert "南宁高新技术产业开发区" in listed and "系统管理员" in listed and "园区经办人" in listed
    assert main(["user", "--workspace", ws, "disable", "admin"]) == 2
    assert "唯一启用的系统管理员" in capsys.readouterr().err
    assert main(["user", "--workspace", ws, "enable", "li"]) == 0


def test_cli_password_from_stdin(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "user", "--workspace", str(tmp_path), "add", "chief", "--role", "reviewer",
         "--password-stdin"],
        input="科长的密码-2026\n", capture_output=True, text=True, cwd=ROOT, env={**os.environ}, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "科长的密码-2026" in proc.stdout
    assert AccountStore.in_workspace(tmp_path).authenticate("chief", "科长的密码-2026").role == "reviewer"


def test_cli_records_under_the_os_user_or_a_checked_account(tmp_path, capsys):
    import geopandas as gpd
    from shapely.geometry import box

    from geo import workspace

    src = tmp_path / "in.geojson"
    gpd.GeoDataFrame({"parcel_id": ["A"]}, geometry=[box(530_000, 2_527_000, 530_100, 2_527_100)],
                     crs=4545).to_file(src)
    ws = tmp_path / "ws"
    assert main(["import", str(src), "--workspace", str(ws), "--mode", "replace"]) == 0
    v = workspace.list_versions(workspace.Workspace(ws))
    assert v.loc[0, "user"] == accounts.os_account().name and v.loc[0, "role"] == "admin"
    capsys.readouterr()
    # --account must be an account of the workspace, and an admin to import
    assert main(["import", str(src), "--workspace", str(ws), "--account", "nobody"]) == 2
    assert "没有账号“nobody”" in capsys.readouterr().err
    AccountStore.in_workspace(ws).add("li", "officer", parks=["nanning"])
    assert main(["import", str(src), "--workspace", str(ws), "--account", "li"]) == 2
    assert "须由系统管理员办理" in capsys.readouterr().err
    AccountStore.in_workspace(ws).add("boss", "admin")
    assert main(["restore", "1", "--workspace", str(ws), "--account", "boss"]) == 0
    v = workspace.list_versions(workspace.Workspace(ws))
    assert v.loc[0, "user"] == "boss" and v.loc[0, "mode"] == "restore"


def test_sessions_resume_in_any_process_until_idle_or_logged_out(store, monkeypatch):
    monkeypatch.setenv("GXLAND_SESSION_MINUTES", "30")
    store.add("li", "officer", parks=["nanning"], password="正确的密码-2026")
    acc = store.authenticate("li", "正确的密码-2026", now=T0)
    token = store.open_session(acc, now=T0)
    assert token.encode() not in store.path.read_bytes()  # only its hash is kept
    other = AccountStore(store.path)  # another app process
    assert other.resume_session(token, now=T0 + timedelta(minutes=20)).parks == ("nanning",)
    # activity renews it; 31 idle minutes end it
    assert other.resume_session(token, now=T0 + timedelta(minutes=45)) is not None
    assert other.resume_session(token, now=T0 + timedelta(minutes=77)) is None
    assert other.resume_session(token, now=T0 + timedelta(minutes=78)) is None  # gone for good
    # logout ends it everywhere; so does disabling the account
    t2 = store.open_session(acc, now=T0)
    store.close_session(t2)
    assert other.resume_session(t2, now=T0) is None
    t3 = store.open_session(acc, now=T0)
    store.add("boss", "admin")
    store.set_disabled("li")
    assert other.resume_session(t3, now=T0) is None
    assert other.resume_session("made-up-token", now=T0) is None and other.resume_session(None) is None
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_a_session_is_renewed_at_most_once_a_minute(store, monkeypatch):
    monkeypatch.setenv("GXLAND_SESSION_MINUTES", "30")
    store.add("li", "officer", parks=["nanning"], password="正确的密码-2026")
    token = store.open_session(store.authenticate("li", "正确的密码-2026", now=T0), now=T0)

    def last_seen():
        with store.db.connect() as con:
            return con.rows("SELECT last_seen FROM account_session")[0]["last_seen"]

    written = last_seen()
    # clicks within the minute resume the session without writing it
    for s in (5, 30, 59):
        assert store.resume_session(token, now=T0 + timedelta(seconds=s)) is not None
    assert last_seen() == written
    assert store.resume_session(token, now=T0 + timedelta(seconds=61)) is not None
    assert last_seen() != written
    # the time-out counts from the activity written: 30 idle minutes after it, the session ends
    assert store.resume_session(token, now=T0 + timedelta(seconds=61, minutes=30)) is not None
    assert store.resume_session(token, now=T0 + timedelta(seconds=61, minutes=61, milliseconds=1)) is None
