"""
Words of installing data into the workspace (``geo.workspace``): import modes, what an import
changes, versions and restore, attribute registers, the upload limit, and the import page's
and the CLI's own strings (kind ``ui``, keys ``data_imp_*`` and ``cli_imp_*``).
"""

from __future__ import annotations

import pandas as pd

from words.core import DASH, label, register


def _w(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


LABELS = {
    # geo.workspace.IMPORT_MODES
    "import_mode": {
        "replace": _w("全部替换", "Replace all"),
        "update": _w("按宗地编号更新", "Update by parcel number"),
        "add": _w("仅新增", "Add new only"),
    },
    # geo.workspace.VERSION_MODES: how a kept version came to be.
    "version_mode": {
        "replace": _w("全部替换", "Replace all"),
        "update": _w("按宗地编号更新", "Update by parcel number"),
        "add": _w("仅新增", "Add new only"),
        "restore": _w("恢复历史版本", "Restore"),
        "existing": _w("导入前已有数据", "Data found before the first import"),
    },
    # geo.workspace.IMPORT_OUTCOMES
    "import_outcome": {
        "new": _w("新增", "New"),
        "changed": _w("变更", "Changed"),
        "unchanged": _w("无变化", "Unchanged"),
        "removed": _w("删除", "Removed"),
        "kept": _w("保留不动", "Kept as is"),
        "existing": _w("已有（不导入）", "Already installed (not added)"),
        "no_id": _w("无宗地编号（不导入）", "No parcel number (not imported)"),
    },
    # Units a user may say a column is in (the readers' ``units`` argument).
    "import_unit": {
        "m2": _w("平方米", "m²"),
        "mu": _w("亩", "mu"),
        "ha": _w("公顷", "ha"),
        "yuan": _w("元", "yuan"),
        "wan": _w("万元", "10k yuan"),
    },
}

ARG_KINDS = {"mode": "import_mode", "examples": "as_written", "versions": "as_written", "modes": "as_written"}

TEXTS = {
    # geo.workspace.WORKSPACE_ERROR_CODES (install_no_geometry: words/io.py)
    "import_mode_unknown": _w("导入方式“{mode}”无效，请选择 {modes}",
                              "Unknown import mode “{mode}”; choose one of {modes}"),
    "import_needs_parcel_id": _w("文件没有宗地编号字段，只能“全部替换”，不能按宗地编号更新或新增",
                                 "The file has no parcel number column: it can only replace all data, "
                                 "not update or add by parcel number"),
    "version_not_found": _w("没有编号为 {version} 的历史版本（现有版本：{versions}）",
                            "No version {version} (versions kept: {versions})"),
    "register_no_key": _w("登记表与宗地数据须都有宗地编号字段，才能按宗地编号关联",
                          "The register and the parcels both need a parcel number column to be joined"),
    "upload_too_large": _w("{source}：文件大小 {size_mb} MB，超过上限 {limit_mb} MB；请拆分后分别导入，或请系统管理员调高上限",
                           "{source}: {size_mb} MB, above the limit of {limit_mb} MB; split it, or ask the "
                           "administrator to raise the limit"),
    # geo.workspace.REGISTER_CODES
    "register_joined": _w("登记表按宗地编号关联 {matched} 宗，填入字段：{columns}",
                          "Register joined to {matched} parcels by parcel number; columns filled: {columns}"),
    "register_unmatched_register": _w("登记表中有 {count} 个宗地编号在宗地数据中找不到，如：{examples}",
                                      "{count} parcel numbers of the register are not among the parcels, "
                                      "e.g. {examples}"),
    "register_unmatched_parcels": _w("宗地数据中有 {count} 宗在登记表中没有记录，如：{examples}",
                                     "{count} parcels have no row in the register, e.g. {examples}"),
    "register_duplicate_keys": _w("登记表中有 {count} 行宗地编号重复，按每个编号的最后一行填入",
                                  "{count} register rows repeat a parcel number; the last row of each was used"),
}

#: The import page's strings (kind ``ui``; ``data_imp_*`` keys, apart from words/io.py's ``data_*``).
UI = {
    "data_imp_limit": _w("单个文件不超过 {mb} MB", "Files up to {mb} MB"),
    "data_imp_layer": _w("文件含多个图层或工作表，请选择要导入的一个", "The file has several layers or sheets: pick one"),
    "data_imp_shifted": _w("坐标是否经过加密偏移（高德、百度等互联网地图下载的数据）",
                           "Were the coordinates shifted (downloaded from AMap, Baidu …)?"),
    "data_imp_shift_none": _w("否，按文件坐标", "No, as in the file"),
    "data_imp_shift_gcj02": _w("是，高德、腾讯等互联网地图的加密坐标（国测局加密）", "Yes, AMap/Tencent (GCJ-02)"),
    "data_imp_shift_bd09": _w("是，百度地图坐标（百度二次加密）", "Yes, Baidu (BD-09)"),
    "data_imp_unmapped": _w("以下字段未能识别。请为每个字段选择对应的系统字段；不选的，按原字段名保留，但不参与分析。"
                            "所作选择会被记住，下次导入表头相同的文件时自动填好。",
                            "These columns were not recognised. Map each to a product column; one left unmapped "
                            "is kept under its own name but not used. The choice is remembered for the next file "
                            "with the same headers."),
    "data_imp_map_to": _w("“{header}”对应", "“{header}” is"),
    "data_imp_ignore": _w("（按原字段名保留）", "(keep under its own name)"),
    "data_imp_units": _w("面积、金额的单位", "Units of areas and amounts"),
    "data_imp_unit_of": _w("{column}的单位", "Unit of {column}"),
    "data_imp_apply": _w("按所选对应关系重新读取", "Read again with these choices"),
    "data_imp_refused": _w("该文件不能导入：{reason}", "This file cannot be imported: {reason}"),
    "data_imp_register": _w("属性登记表（可选）：按宗地编号关联的 Excel/CSV 表，其数值填入或覆盖同名字段",
                            "Attribute register (optional): an Excel/CSV table keyed by parcel number; "
                            "its values fill or override the same columns"),
    "data_imp_register_failed": _w("登记表无法读取：{reason}", "The register cannot be read: {reason}"),
    "data_imp_mode": _w("导入方式", "Import mode"),
    "data_imp_mode_help": _w("全部替换：文件成为全部宗地数据；按宗地编号更新：文件中的宗地替换同编号的原宗地，"
                             "新编号的宗地新增，其他宗地不动；仅新增：只导入新编号的宗地。",
                             "Replace all: the file becomes all the parcels. Update by parcel number: the file's "
                             "parcels replace those with the same number, new numbers are added, the others stay. "
                             "Add new only: only parcels with new numbers are added."),
    "data_imp_changes": _w("导入后的变化（按园区）", "What the import changes (by park)"),
    "data_imp_park": _w("园区", "Park"),
    "data_imp_total": _w("合计", "Total"),
    "data_imp_no_park": _w("未归属园区", "No park"),
    "data_imp_changed_list": _w("变更的宗地及字段", "Changed parcels and columns"),
    "data_imp_removed_list": _w("将删除的宗地（前 {n} 宗）", "Parcels to be removed (first {n})"),
    "data_imp_parcel": _w("宗地编号", "Parcel number"),
    "data_imp_columns": _w("变更字段", "Columns changed"),
    "data_imp_confirm": _w("确认导入", "Confirm the import"),
    "data_imp_done": _w("已导入（版本 {version}）：现有宗地 {parcels} 宗。核查记录按宗地编号保留。",
                        "Imported (version {version}): {parcels} parcels now. Review decisions are kept by "
                        "parcel number."),
    "data_preparing": _w("正在为各页面准备新数据的分析……", "Preparing the analysis of the new data for every page…"),
    "data_imp_versions": _w("历史版本", "Versions"),
    "data_imp_versions_none": _w("尚无历史版本：第一次导入时，原有数据也会保存为一个版本。",
                                 "No versions yet: the first import keeps the data found before it as one."),
    "data_imp_version": _w("版本", "Version"),
    "data_imp_when": _w("导入时间（北京时间）", "Installed (Beijing time)"),
    "data_imp_how": _w("方式", "How"),
    "data_imp_source": _w("来源文件", "Source file"),
    "data_imp_user": _w("操作人", "By"),
    "data_imp_parcels": _w("宗地数", "Parcels"),
    "data_imp_current": _w("当前", "Current"),
    "data_imp_restored_from": _w("恢复自版本", "Restored from"),
    "data_imp_restore_pick": _w("恢复到版本", "Restore version"),
    "data_imp_restore": _w("恢复该版本", "Restore this version"),
    "data_imp_restore_confirm": _w("确认将工作空间恢复到版本 {version}？当前数据会另存为新版本，可再恢复。",
                                   "Restore the workspace to version {version}? The current data stay as a "
                                   "version and can be restored."),
    "data_imp_restore_yes": _w("确认恢复", "Yes, restore"),
    "data_imp_restored": _w("已恢复到版本 {version}（新版本 {new}）。核查记录未改动。",
                            "Restored version {version} (as version {new}). Review decisions unchanged."),
    "data_imp_nothing": _w("文件与现有数据相同，导入后不会有变化。", "The file matches the installed data: nothing "
                                                              "would change."),
    # The command line
    "cli_imp_preview": _w("导入预览（{mode}）：新增 {new} 宗，变更 {changed} 宗，删除 {removed} 宗，无变化 {unchanged} 宗，"
                          "保留不动 {kept} 宗，已有未导入 {existing} 宗，无编号未导入 {no_id} 宗",
                          "Preview ({mode}): {new} new, {changed} changed, {removed} removed, {unchanged} "
                          "unchanged, {kept} kept, {existing} already installed, {no_id} without a number"),
    "cli_imp_dry_run": _w("试运行：未写入工作空间", "Dry run: the workspace was not changed"),
    "cli_imp_done": _w("已导入，版本 {version}，现有宗地 {parcels} 宗", "Imported as version {version}; "
                                                                "{parcels} parcels now"),
    "cli_imp_restored": _w("已恢复到版本 {version}（新版本 {new}）", "Restored version {version} (as version {new})"),
    "cli_imp_no_versions": _w("工作空间尚无历史版本", "The workspace has no versions yet"),
    "cli_imp_refused": _w("{source}：不能导入：{reason}", "{source}: cannot be imported: {reason}"),
}

register(labels={**LABELS, "ui": UI}, texts=TEXTS, arg_kinds=ARG_KINDS)


# --------------------------------------------------------------------------- renderers


def preview_display(diff, parks: pd.DataFrame | None, lang: str = "zh") -> pd.DataFrame:
    """
    An import's preview per park as an officer reads it: the park's name, one column per
    outcome (``geo.workspace.IMPORT_OUTCOMES``), parks in their table's order, a total row.
    Outcomes no row has in this mode are left out.
    """
    t = diff.by_park()
    order = list(parks["park_id"]) if parks is not None else []
    idx = [p for p in order if p in t.index] + [p for p in t.index if p not in order and p != ""]
    idx += [""] if "" in t.index else []
    t = t.reindex(idx)
    used = [c for c in t.columns if t[c].sum() > 0] or ["new"]
    t = t[used]
    t.loc["__total__"] = t.sum()
    names = {}
    if parks is not None:
        names = parks.set_index("park_id")["name_zh" if lang == "zh" else "name_en"].to_dict()
    park = [label("ui", "data_imp_total", lang) if p == "__total__" else label("ui", "data_imp_no_park", lang)
            if p == "" else str(names.get(p, p)) for p in t.index]
    out = t.reset_index(drop=True).rename(columns={o: label("import_outcome", o, lang) for o in used})
    out.insert(0, label("ui", "data_imp_park", lang), park)
    return out


def _text_or_dash(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), None).map(lambda v: DASH if v is None or v == "" else str(v))


def versions_display(v: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``geo.workspace.list_versions`` as a table: headers in words, modes as labels, times in Beijing time."""
    heads = {c: label("ui", k, lang) for c, k in (
        ("version_id", "data_imp_version"), ("installed_at", "data_imp_when"), ("mode", "data_imp_how"),
        ("source", "data_imp_source"), ("user", "data_imp_user"), ("parcels", "data_imp_parcels"),
        ("restored_from", "data_imp_restored_from"), ("current", "data_imp_current"))}
    from words.accounts import account_label

    when = pd.to_datetime(v["installed_at"])
    parcels = pd.to_numeric(v["parcels"], errors="coerce")
    return pd.DataFrame({
        heads["version_id"]: v["version_id"].astype(str),
        heads["installed_at"]: when.dt.strftime("%Y-%m-%d %H:%M:%S").fillna(DASH),
        heads["mode"]: v["mode"].map(lambda m: label("version_mode", m, lang)),
        heads["source"]: _text_or_dash(v["source"]),
        heads["user"]: _text_or_dash(v["user"]) if "role" not in v else pd.Series(  # the account with its role
            [account_label(u, r, lang) for u, r in zip(v["user"], v["role"], strict=True)], index=v.index),
        heads["parcels"]: parcels.map(lambda n: DASH if pd.isna(n) else f"{int(n):,}"),
        heads["restored_from"]: _text_or_dash(v["restored_from"]),
        heads["current"]: v["current"].map(lambda b: label("bool", "true", lang) if b else ""),
    })
