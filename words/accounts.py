"""
Accounts and roles (``geo.accounts``): roles, refusals, the login page, the audit's account columns.

Parks in refusals are named by the caller: :func:`access_text` replaces the park ids of an item
with the parks' names (from the parks table) before rendering.
"""

from __future__ import annotations

from collections.abc import Mapping

from words.core import DASH, register, render

ROLE = {
    "viewer": {"zh": "查看人员", "en": "Viewer"},
    "officer": {"zh": "园区经办人", "en": "Park officer"},
    "reviewer": {"zh": "科室负责人（审核）", "en": "Section chief (reviewer)"},
    "admin": {"zh": "系统管理员", "en": "Administrator"},
}

SOURCE = {
    "local": {"zh": "本地账号", "en": "Local account"},
    "sso": {"zh": "统一身份认证", "en": "Single sign-on"},
    "os": {"zh": "服务器操作系统用户", "en": "Server OS user"},
}

ACTION = {
    "record": {"zh": "记录办理环节", "en": "record a step"},
    "approve": {"zh": "审核决定", "en": "approve a decision"},
    "override": {"zh": "越过程序规则记录", "en": "record over a rule of the procedure"},
    "import": {"zh": "导入宗地数据", "en": "import parcel data"},
    "restore": {"zh": "恢复历史版本", "en": "restore a version"},
    "manage_accounts": {"zh": "管理账号", "en": "manage accounts"},
}

EVENT = {
    "created": {"zh": "创建账号", "en": "Account created"},
    "password_reset": {"zh": "重置密码", "en": "Password reset"},
    "password_changed": {"zh": "修改密码", "en": "Password changed"},
    "disabled": {"zh": "停用账号", "en": "Account disabled"},
    "enabled": {"zh": "启用账号", "en": "Account enabled"},
    "login": {"zh": "登录", "en": "Login"},
    "login_failed": {"zh": "登录失败", "en": "Failed login"},
    "locked": {"zh": "连续登录失败，账号锁定", "en": "Locked after failed logins"},
    "role_changed": {"zh": "变更角色", "en": "Role changed"},
}

TEXTS = {
    # refusals of an action
    "access_no_account": {
        "zh": "未登录，不能记录。请先登录。",
        "en": "Not logged in: nothing can be recorded. Log in first.",
    },
    "access_read_only": {
        "zh": "账号“{account}”的角色为{role}，只能查看，不能记录。",
        "en": "Account “{account}” is a {role}: it may view, not record.",
    },
    "access_needs_reviewer": {
        "zh": "{action}须由科室负责人（审核）办理，账号“{account}”的角色为{role}。",
        "en": "To {action} needs a section chief (reviewer); account “{account}” is a {role}.",
    },
    "access_needs_admin": {
        "zh": "{action}须由系统管理员办理，账号“{account}”的角色为{role}。",
        "en": "To {action} needs an administrator; account “{account}” is a {role}.",
    },
    "access_park_out_of_scope": {
        "zh": "该宗地属于{park_id}，不在账号“{account}”负责的园区（{parks}）内，不能记录。",
        "en": "The parcel lies in {park_id}, outside the parks of account “{account}” ({parks}): not recorded.",
    },
    "access_park_unknown": {
        "zh": "无法确定该宗地所属园区，账号“{account}”只负责{parks}，不能记录。",
        "en": "The parcel's park is not known and account “{account}” acts for {parks} only: not recorded.",
    },
    "access_park_mismatch": {
        "zh": "提交的所属园区（{park_id}）与工作空间宗地数据中的园区（{known_park_id}）不一致，不能记录。",
        "en": "The park given ({park_id}) differs from the workspace's parcel data ({known_park_id}): not recorded.",
    },
    # login and account management
    "login_failed": {
        "zh": "账号或密码不正确。连续多次输错，账号将被暂时锁定。",
        "en": "Wrong account or password. After repeated failures the account is locked for a while.",
    },
    "login_locked": {
        "zh": "连续登录失败次数过多，账号已锁定至{until:%H:%M}（北京时间），请稍后再试或联系管理员重置密码。",
        "en": "Too many failed logins: the account is locked until {until:%H:%M} (Beijing time). Try later or ask an administrator to reset the password.",
    },
    "login_disabled": {
        "zh": "账号“{account}”已停用，请联系系统管理员。",
        "en": "Account “{account}” is disabled: ask an administrator.",
    },
    "login_sso_no_account": {
        "zh": "统一身份认证账号“{account}”尚未在本系统开通，请联系系统管理员开通后再登录。",
        "en": "Single sign-on identity “{account}” has no account here: ask an administrator to create one.",
    },
    "login_sso_not_allowed": {
        "zh": "账号“{account}”未开通统一身份认证登录，请使用账号密码登录。",
        "en": "Account “{account}” may not log in by single sign-on: use its password.",
    },
    "login_password_needed": {
        "zh": "账号“{account}”只能通过统一身份认证登录。",
        "en": "Account “{account}” logs in by single sign-on only.",
    },
    "account_exists": {"zh": "账号“{account}”已存在。", "en": "Account “{account}” exists already."},
    "account_unknown": {"zh": "没有账号“{account}”。", "en": "No account “{account}”."},
    "account_name_invalid": {
        "zh": "账号名“{value}”无效：须为1至64个字符，不含空格。",
        "en": "Account name “{value}” is not valid: 1 to 64 characters, no spaces.",
    },
    "account_role_unknown": {
        "zh": "无法识别的角色“{role}”（可选：查看人员、园区经办人、科室负责人、系统管理员）。",
        "en": "Unknown role “{role}” (viewer, officer, reviewer or admin).",
    },
    "account_officer_needs_parks": {
        "zh": "园区经办人须指定负责的园区（至少一个）。",
        "en": "A park officer needs at least one park.",
    },
    "account_last_admin": {
        "zh": "“{account}”是唯一启用的系统管理员，不能停用。",
        "en": "“{account}” is the only enabled administrator and cannot be disabled.",
    },
    "password_too_short": {
        "zh": "密码至少须{min_length}个字符。",
        "en": "A password needs at least {min_length} characters.",
    },
    "password_same_as_name": {"zh": "密码不能与账号名相同。", "en": "The password may not be the account name."},
    "password_unchanged": {"zh": "新密码不能与原密码相同。", "en": "The new password must differ from the old one."},
    "password_mismatch": {"zh": "两次输入的新密码不一致。", "en": "The two new passwords differ."},
    "password_wrong": {"zh": "原密码不正确。", "en": "The current password is wrong."},
    # the CLI
    "user_added": {
        "zh": "已创建账号“{account}”（{role}）。初始密码：{password}（首次登录须修改）",
        "en": "Account “{account}” ({role}) created. First password: {password} (to be changed at the first login)",
    },
    "user_added_sso": {
        "zh": "已创建账号“{account}”（{role}），通过统一身份认证登录。",
        "en": "Account “{account}” ({role}) created; it logs in by single sign-on.",
    },
    "user_reset": {
        "zh": "已重置账号“{account}”的密码：{password}（下次登录须修改）",
        "en": "Password of “{account}” reset: {password} (to be changed at the next login)",
    },
    "user_disabled": {"zh": "已停用账号“{account}”。", "en": "Account “{account}” disabled."},
    "user_enabled": {"zh": "已启用账号“{account}”。", "en": "Account “{account}” enabled."},
    "user_initial_admin": {
        "zh": "已创建初始管理员账号“{account}”，初始密码保存在 {path}（仅服务器当前用户可读），首次登录后须修改密码，修改后该文件自动删除。",
        "en": "First administrator “{account}” created; its password is in {path} (readable by the server's user only). It must be changed at the first login; the file is then removed.",
    },
    "user_initial_pending": {
        "zh": "初始管理员密码尚未修改，见 {path}（仅服务器当前用户可读）。",
        "en": "The first administrator's password is not changed yet: see {path} (readable by the server's user only).",
    },
    "user_admin_exists": {
        "zh": "已有系统管理员账号，未创建初始管理员。",
        "en": "An administrator exists: no first administrator created.",
    },
    "user_account_cli": {
        "zh": "以账号“{account}”（{role}）记录。",
        "en": "Recording as “{account}” ({role}).",
    },
}

#: Account columns (``AccountStore.list``) and the audit's account columns.
COLUMNS = {
    "account": {"zh": "账号", "en": "Account"},
    "role": {"zh": "角色", "en": "Role"},
    "officer_role": {"zh": "经办人角色", "en": "Officer's role"},
    "user_role": {"zh": "记录人角色", "en": "Recorder's role"},
    "display_name": {"zh": "姓名", "en": "Name"},
    "parks": {"zh": "负责园区", "en": "Parks"},
    "sso": {"zh": "统一身份认证", "en": "Single sign-on"},
    "has_password": {"zh": "已设密码", "en": "Has a password"},
    "must_change": {"zh": "须修改密码", "en": "Must change password"},
    "disabled": {"zh": "已停用", "en": "Disabled"},
    "locked_until": {"zh": "锁定至(北京时间)", "en": "Locked until (Beijing time)"},
    "failed_logins": {"zh": "连续登录失败次数", "en": "Failed logins in a row"},
    "created_at": {"zh": "创建时间(北京时间)", "en": "Created (Beijing time)"},
    "last_login": {"zh": "最近登录(北京时间)", "en": "Last login (Beijing time)"},
}

UI = {
    "auth_title": {"zh": "登录", "en": "Log in"},
    "auth_intro": {
        "zh": "本系统记录的每项办理环节和决定都归属于登录账号。请使用系统管理员为您开通的账号登录。",
        "en": "Every step and decision recorded here is attributed to the account logged in. Use the account an administrator created for you.",
    },
    "auth_account": {"zh": "账号", "en": "Account"},
    "auth_password": {"zh": "密码", "en": "Password"},
    "auth_submit": {"zh": "登录", "en": "Log in"},
    "auth_sso": {"zh": "统一身份认证登录", "en": "Log in with single sign-on"},
    "auth_or": {"zh": "或使用本系统账号密码登录：", "en": "Or log in with an account of this system:"},
    "auth_missing": {"zh": "请填写账号和密码。", "en": "Enter the account and the password."},
    "auth_expired": {
        "zh": "长时间未操作，登录已过期，请重新登录。",
        "en": "The session expired after a period without activity: log in again.",
    },
    "auth_gone": {
        "zh": "账号已停用或已删除，请联系系统管理员。",
        "en": "The account was disabled or removed: ask an administrator.",
    },
    "auth_initial_hint": {
        "zh": "首次使用：初始管理员账号为 {account}，密码保存在服务器工作空间中的文件 {path} 内（仅服务器当前用户可读），首次登录后须修改。",
        "en": "First use: the first administrator is {account}; its password is in the file {path} of the workspace on the server (readable by the server's user only) and must be changed at the first login.",
    },
    "auth_logged_in_as": {"zh": "当前账号", "en": "Logged in as"},
    "auth_logout": {"zh": "退出登录", "en": "Log out"},
    "auth_change_title": {"zh": "修改密码", "en": "Change the password"},
    "auth_change_intro": {
        "zh": "首次登录或密码被重置后须先修改密码，修改后方可使用本系统。新密码至少8个字符，不能与账号名相同。",
        "en": "After the first login or a reset the password must be changed before anything else. At least 8 characters, not the account name.",
    },
    "auth_old_password": {"zh": "原密码", "en": "Current password"},
    "auth_new_password": {"zh": "新密码", "en": "New password"},
    "auth_new_password2": {"zh": "再次输入新密码", "en": "New password again"},
    "auth_change_submit": {"zh": "修改密码", "en": "Change the password"},
    "auth_changed": {"zh": "密码已修改。", "en": "Password changed."},
    "auth_scope_all": {"zh": "全部园区", "en": "All parks"},
    "auth_scope": {"zh": "负责园区", "en": "Parks"},
    "auth_read_only": {
        "zh": "您的账号只能查看，不能记录。",
        "en": "Your account may view, not record.",
    },
    "auth_admin_only": {
        "zh": "导入宗地数据和恢复历史版本须由系统管理员办理。",
        "en": "Importing parcel data and restoring versions is for administrators.",
    },
    "page_accounts": {"zh": "账号管理", "en": "Accounts"},
    "acc_admin_only": {"zh": "账号管理须由系统管理员办理。", "en": "Accounts are managed by administrators."},
    "acc_add": {"zh": "新建账号", "en": "New account"},
    "acc_sso": {"zh": "通过统一身份认证登录（账号名为电子邮箱，不设密码）",
                "en": "Logs in by single sign-on (the account is the e-mail; no password)"},
    "acc_add_submit": {"zh": "创建账号", "en": "Create the account"},
    "acc_change": {"zh": "重置密码、停用或启用", "en": "Reset a password, disable or enable"},
    "acc_reset": {"zh": "重置密码", "en": "Reset the password"},
    "acc_disable": {"zh": "停用账号", "en": "Disable the account"},
    "acc_enable": {"zh": "启用账号", "en": "Enable the account"},
    "auth_reviewer_only": {
        "zh": "认定书、征缴土地闲置费决定书、收回决定书和协商处置须由科室负责人（审核）记录。",
        "en": "Determinations, fee and recovery decisions and negotiated disposals are recorded by a section chief (reviewer).",
    },
}

register(
    labels={"role": ROLE, "account_source": SOURCE, "account_action": ACTION, "account_event": EVENT,
            "column": COLUMNS, "ui": UI},
    texts=TEXTS,
    arg_kinds={"role": "role", "action": "account_action"},
    value_kinds={"role": "role", "officer_role": "role", "user_role": "role"},
)


def park_names(parks, lang: str) -> dict[str, str]:
    """park id → the park's name in ``lang`` (a parks table with ``park_id``, ``name_zh``/``name_en``)."""
    if parks is None or "park_id" not in parks:
        return {}
    col = "name_en" if lang == "en" and "name_en" in parks else "name_zh"
    if col not in parks:
        return {}
    return dict(zip(parks["park_id"].astype(str), parks[col].astype(str), strict=False))


def access_text(item: Mapping, lang: str, parks=None) -> str:
    """
    A refusal of ``geo.accounts`` in words, the park ids named by the parks table (an id no park
    has is shown as written).
    """
    names = park_names(parks, lang)
    out = dict(item)
    for key in ("park_id", "known_park_id"):
        if key in out and out[key] is not None:
            out[key] = names.get(str(out[key]), str(out[key]))
    if "parks" in out:
        out["parks"] = ("、" if lang == "zh" else ", ").join(names.get(str(p), str(p)) for p in out["parks"] or []) \
            or DASH
    return render(out, lang)


def account_label(name, role, lang: str) -> str:
    """“黄志强（园区经办人）”: an account with its role, for the audit trails."""
    from words.core import label

    if name is None or (isinstance(name, float) and name != name) or str(name).strip() == "":
        return DASH
    if role is None or (isinstance(role, float) and role != role) or str(role).strip() == "":
        return str(name)
    return f"{name}（{label('role', role, lang)}）" if lang == "zh" else f"{name} ({label('role', role, lang)})"
