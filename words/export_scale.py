"""Words of big exports (reports.tables streaming, the CLI's ``-o … .xlsx`` past Excel's row limit)."""

from words.core import register

register(
    texts={
        "export_sheets_split": {
            "zh": "共 {n} 行，超过 Excel 每个工作表 {limit} 行的上限，已分 {sheets} 个工作表写入：{titles}",
            "en": "{n} rows, more than Excel's limit of {limit} rows a sheet: written on {sheets} sheets: {titles}",
        },
    },
)
