"""Words for geo/vocab.py: values of a parcel or park file that could not be read."""

from words.core import register

register(
    labels={
        "column": {
            "park_unresolved": {"zh": "未识别的园区名称", "en": "Unresolved park name"},
        },
    },
    texts={
        "land_use_unrecognised": {
            "zh": "土地用途“{value}”不属于任何用地分类，该宗地不参与按用途的核查和统计；"
            "请按《土地利用现状分类》(GB/T 21010-2017)、第三次全国国土调查工作分类、"
            "《城市用地分类与规划建设用地标准》(GB 50137-2011)或"
            "《国土空间调查、规划、用途管制用地用海分类指南》的代码或名称填写",
            "en": "land use “{value}” is in no land classification: the parcel is left out of "
            "checks and sums by land use; write a code or name of GB/T 21010-2017, the third "
            "national land survey, GB 50137-2011 or the 2020 land and sea use classification",
        },
        "park_unresolved": {
            "zh": "园区名称“{value}”与园区名录中的园区均不对应，该宗地列入“未归属园区”；"
            "请改写为园区全称或通用简称（如南宁高新区），或在园区名录中补充别名",
            "en": "park “{value}” matches no park of the parks table: the parcel is listed "
            "under “no park”; write the park's full or usual short name (e.g. 南宁高新区) "
            "or add the name to the park's aliases",
        },
        "delay_cause_unrecognised": {
            "zh": "延迟原因“{value}”既不是《闲置土地处置办法》第八条所列情形，也不是土地使用权人原因的写法，"
            "闲置原因按待调查认定处理（不视为使用权人原因）；请填写第八条所列情形之一、“使用权人原因”或留空",
            "en": "delay cause “{value}” is neither a case of Art. 8 of the Measures on Idle Land nor the "
            "holder's cause: the cause is left to be established (never read as the holder's); write one of "
            "those cases, “holder” or leave it empty",
        },
        "park_level_unrecognised": {
            "zh": "园区级别“{value}”无法识别；请填写“国家级”或“自治区级”",
            "en": "park level “{value}” is not understood: write national or region-level",
        },
        "eco_status_unrecognised": {
            "zh": "生态化改造状态“{value}”无法识别；请填写“未启动”“推进中”或“已完成”",
            "en": "eco-transformation status “{value}” is not understood: write not started, "
            "in progress or completed",
        },
    },
)
