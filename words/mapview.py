"""Words of the map and table drawing on the pages (kind ``ui``): WebGL maps and table pages."""

from words.core import register

UI = {
    "webgl_drawn": {
        "zh": "所选范围共 {n:,} 宗，超过单张交互地图的上限 {limit:,} 宗，改用 WebGL 绘制全部宗地"
              "（悬停显示宗地编号，不能点选；请在右侧按编号查看详情）。",
        "en": "The selection has {n:,} parcels, more than the {limit:,} an interactive map can draw: all of them "
              "are drawn with WebGL (hover shows the parcel number, no clicking; pick a parcel by number on the right).",
    },
    "webgl_points": {
        "zh": "宗地较多，每宗地以一个点表示（点位于宗地内）；少选园区或加筛选条件可显示宗地轮廓。",
        "en": "Many parcels: each is drawn as a point inside it; pick fewer parks or filter to see their outlines.",
    },
    "picker_more_idle": {
        "zh": "共 {n:,} 宗，下拉列表列出前 {limit:,} 宗；其他宗地请在地图上点击或按宗地编号查找。",
        "en": "{n:,} parcels; the list shows the first {limit:,}: click any other on the map or find it by number.",
    },
    "picker_more_map": {
        "zh": "共 {n:,} 宗，下拉列表列出前 {limit:,} 宗（低效用地在前）；其他宗地请在地图上点击选取。",
        "en": "{n:,} parcels; the list shows the first {limit:,} (inefficient first): click any other on the map.",
    },
    "pager_size": {"zh": "每页行数", "en": "Rows per page"},
    "pager_page": {"zh": "页码", "en": "Page"},
    "pager_total": {"zh": "第 {page:,} / {pages:,} 页，共 {n:,} 宗", "en": "Page {page:,} of {pages:,}, {n:,} parcels"},
    "pager_total_rows": {"zh": "第 {page:,} / {pages:,} 页，共 {n:,} 行", "en": "Page {page:,} of {pages:,}, {n:,} rows"},
}

register(labels={"ui": UI})
