"""
The store's database (embedded SQLite / PostGIS) and the migration between them: errors and reports.

Codes: ``geo.db.DB_ERROR_CODES``, ``geo.migrate.MIGRATE_CODES``; tables: label kind ``store_table``.
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

register(labels={"store_table": TABLES}, texts=TEXTS, arg_kinds={"store_table": "store_table", "store_tables": "store_table"})
