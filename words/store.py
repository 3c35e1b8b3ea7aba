"""
The store's database (embedded SQLite / PostGIS) and the migration between them: errors and reports.

Codes: ``geo.db.DB_ERROR_CODES``, ``geo.migrate.MIGRATE_CODES``, ``geo.parkstore.PARKS_CODES``,
``geo.imagestore.IMAGERY_CODES``; tables: label kind ``store_table``; the data page's parks section: ``ui``.
"""

from __future__ import annotations

from words.core import register

TABLES = {
    "case_log": {"zh": "案件登记记录", "en": "case entries"},
    "case_attachment": {"zh": "案件附件", "en": "case attachments"},
    "start_agreement": {"zh": "补充协议登记", "en": "supplementary agreements"},
    "account": {"zh": "账号", "en": "accounts"},
    "account_log": {"zh": "账号操作记录", "en": "account events"},
    "review_log": {"zh": "核查处置记录", "en": "review decisions"},
    "parcels": {"zh": "宗地", "en": "parcels"},
    "parcel_versions": {"zh": "宗地数据版本", "en": "parcel data versions"},
    "constraint_layers": {"zh": "管控图层", "en": "constraint layers"},
    "column_mappings": {"zh": "已保存的字段对应关系", "en": "remembered column mappings"},
    "parks": {"zh": "园区边界", "en": "park boundaries"},
    "imagery_files": {"zh": "影像文件", "en": "imagery files"},
}

TEXTS = {
    "db_url_unsupported": {
        "zh": "数据库地址“{scheme}://…”不受支持，请填写 PostGIS 数据库的地址（以 {expected} 开头）。",
        "en": "The database URL “{scheme}://…” is not supported: give the PostGIS database's URL (starting {expected}).",
    },
    "db_driver_missing": {
        "zh": "未安装 PostGIS 数据库驱动（{package}），请重新执行 {command}。",
        "en": "The PostgreSQL driver ({package}) is not installed: run {command} again.",
    },
    "db_unreachable": {
        "zh": "无法连接数据库 {url}：{detail}。请检查数据库服务是否启动、地址和密码是否正确。",
        "en": "Cannot connect to the database {url}: {detail}. Check that the server runs and the URL and password are right.",
    },
    "db_postgis_missing": {
        "zh": "数据库 {url} 未启用 PostGIS 扩展，请由数据库管理员执行 {sql}",
        "en": "The database {url} lacks the PostGIS extension: have its administrator run {sql}",
    },
    "migrate_target_not_empty": {
        "zh": "目标 {target} 已有数据（{store_tables}），未迁移；确认覆盖请加 --force。",
        "en": "The target {target} already holds data ({store_tables}); nothing migrated. Add --force to overwrite it.",
    },
    "migrate_count_mismatch": {
        "zh": "迁移核对未通过：{store_table}源数据 {source} 条，目标 {target} 条。",
        "en": "Migration check failed: {store_table} has {source} rows in the source and {target} in the target.",
    },
    "migrate_crs_mismatch": {
        "zh": "迁移核对未通过：宗地坐标系由 {source} 变为 {target}。",
        "en": "Migration check failed: the parcels' CRS changed from {source} to {target}.",
    },
    "migrate_same_store": {
        "zh": "源和目标是同一个数据库，未迁移。",
        "en": "The source and the target are the same database; nothing migrated.",
    },
    "migrate_needs_source": {
        "zh": "未指定迁移来源：请用 --from 给出数据库地址，或设置环境变量 {setting}。",
        "en": "No source to migrate from: give the database with --from or set {setting}.",
    },
    "migrate_copied": {
        "zh": "已迁移{store_table} {rows} 条，核对一致。",
        "en": "Migrated {rows} {store_table}; counts match.",
    },
    "migrate_crs_kept": {
        "zh": "宗地坐标系 {crs}，迁移前后一致。",
        "en": "Parcel CRS {crs}, the same before and after.",
    },
}

TEXTS |= {
    "parks_installed": {
        "zh": "已安装 {parks} 个园区的边界（第 {version} 版，来源文件 {source}），安装账号“{account}”，北京时间 {at}；"
              "各页面和各服务器现已使用新的园区边界。",
        "en": "Installed the boundaries of {parks} parks (version {version}, from {source}) by account “{account}” "
              "at {at} Beijing time. Every page and every server now uses them.",
    },
    "imagery_kind_unknown": {
        "zh": "影像文件类型“{kind}”无法识别，应为 {kinds} 之一。",
        "en": "Unknown imagery file kind “{kind}”; expected one of {kinds}.",
    },
    "imagery_bytes_corrupt": {
        "zh": "数据库中的影像文件已损坏（校验值 {sha256} 不符），请重新上传该影像。",
        "en": "An imagery file in the database is damaged (its SHA-256 {sha256} does not match); upload it again.",
    },
}

#: The data page's parks section.
UI = {
    "data_parks_title": {"zh": "园区边界", "en": "Park boundaries"},
    "data_parks_shipped": {"zh": "当前使用系统自带的示例园区边界（{n} 个园区，仅作示意）。",
                           "en": "Using the shipped illustrative park boundaries ({n} parks)."},
    "data_parks_workspace": {"zh": "当前使用工作区中的园区边界文件（{n} 个园区）。",
                             "en": "Using the workspace's own park boundaries file ({n} parks)."},
    "data_parks_current": {"zh": "当前园区边界为第 {version} 版（{n} 个园区），来源文件 {source}，安装账号“{account}”，"
                                 "北京时间 {at}。",
                           "en": "Park boundaries in force: version {version} ({n} parks) from {source}, installed by "
                                 "account “{account}” at {at} Beijing time."},
    "data_parks_current_no_account": {"zh": "当前园区边界为第 {version} 版（{n} 个园区），来源文件 {source}，"
                                            "北京时间 {at} 迁移入库（原工作区未记录安装账号）。",
                                      "en": "Park boundaries in force: version {version} ({n} parks) from {source}, "
                                            "migrated at {at} Beijing time (the workspace recorded no installing account)."},
    "data_parks_upload": {"zh": "安装园区边界文件（仅系统管理员）", "en": "Install a park boundaries file (admins only)"},
    "data_parks_help": {"zh": "文件须含园区编号、园区名称和级别字段，园区编号不得重复，须有坐标系。安装后各页面和各服务器"
                              "均使用新的园区边界，原有版本保留备查。",
                        "en": "The file needs park id, name and level columns, unique park ids and a coordinate system. "
                              "Once installed, every page and every server uses it; earlier versions are kept."},
    "data_parks_install": {"zh": "安装园区边界", "en": "Install park boundaries"},
}

#: Actions refused to an account (label kind ``account_action`` of ``words/accounts.py``).
ACTIONS = {"install_parks": {"zh": "安装园区边界", "en": "install park boundaries"}}


def parks_installed_text(manifest: dict, lang: str) -> str:
    """The message of an install (``geo.parkstore.install_parks``'s manifest), time in Beijing time."""
    from words.core import text
    from words.review import beijing_time_one

    return text("parks_installed", lang, parks=manifest["parks"], version=manifest["version"],
                source=manifest["source"], account=manifest["account"], at=beijing_time_one(manifest["installed_at"]))


register(labels={"ui": UI, "account_action": ACTIONS})
register(labels={"store_table": TABLES}, texts=TEXTS, arg_kinds={"store_table": "store_table", "store_tables": "store_table"})
