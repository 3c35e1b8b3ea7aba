"""Labels shared by every page and export: yes/no, land use, park level, eco status, causes, review."""

from words.core import register

register(
    labels={
        "bool": {
            "true": {"zh": "是", "en": "Yes"},
            "false": {"zh": "否", "en": "No"},
        },
        # The classes the rules use (geo.vocab.LAND_USE_CLASSES); GB/T 21010 names.
        "land_use": {
            "industrial": {"zh": "工业用地", "en": "Industrial"},
            "mining": {"zh": "采矿用地", "en": "Mining"},
            "storage": {"zh": "仓储用地", "en": "Storage & logistics"},
            "commercial": {"zh": "商服用地", "en": "Commercial & business"},
            "residential": {"zh": "住宅用地", "en": "Residential"},
            "public_service": {"zh": "公共管理与公共服务用地", "en": "Public administration & services"},
            "transport": {"zh": "交通运输用地", "en": "Transport"},
            "utilities": {"zh": "公用设施用地", "en": "Public utilities"},
            "green_space": {"zh": "绿地与广场用地", "en": "Green space & squares"},
            "special": {"zh": "特殊用地", "en": "Special use"},
            "water": {"zh": "水域及水利设施用地", "en": "Water & water works"},
            "agricultural": {"zh": "农用地", "en": "Agricultural land"},
            "other": {"zh": "其他土地", "en": "Other land"},
        },
        "park_level": {
            "national": {"zh": "国家级", "en": "National"},
            "regional": {"zh": "自治区级", "en": "Region-level"},
        },
        "eco_status": {
            "not_started": {"zh": "未启动", "en": "Not started"},
            "in_progress": {"zh": "推进中", "en": "In progress"},
            "completed": {"zh": "已完成", "en": "Completed"},
        },
        # Art. 8 of 《闲置土地处置办法》: causes that lie with government (or force majeure).
        "delay_cause": {
            "land_not_delivered": {"zh": "未按约定交付土地", "en": "Land not delivered as agreed"},
            "plan_revised": {"zh": "规划修改", "en": "Plan revised"},
            "policy_change": {"zh": "国家出台相关政策", "en": "New national policy"},
            "petition": {"zh": "群众信访", "en": "Local petitions"},
            "military_or_relics": {"zh": "军事管制或文物保护", "en": "Military control or cultural relics"},
            "government_other": {"zh": "其他政府行为", "en": "Other government act"},
            "force_majeure": {"zh": "不可抗力", "en": "Force majeure"},
        },
        "severity": {
            "error": {"zh": "错误", "en": "Error"},
            "warning": {"zh": "警告", "en": "Warning"},
            "info": {"zh": "提示", "en": "Note"},
        },
        "lang": {"zh": {"zh": "中文", "en": "Chinese"}, "en": {"zh": "英文", "en": "English"}},
    },
    arg_kinds={
        "land_use": "land_use",
        "land_uses": "land_use",
        "level": "park_level",
        "eco_status": "eco_status",
        "cause": "delay_cause",
        "severity": "severity",
        "column": "column",
        "columns": "column",
    },
    value_kinds={
        "land_use": "land_use",
        "level": "park_level",
        "eco_status": "eco_status",
        "delay_cause": "delay_cause",
        "severity": "severity",
    },
)
