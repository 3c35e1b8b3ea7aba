"""
Canonical column names, their types and their Chinese aliases.

Every reader maps incoming headers onto these English snake_case names; every
export can map them back to Chinese (``zh``) for Excel users. Units are the
last part of a name (``_m2``, ``_wan``, ``_tce``); dates are ``datetime64``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "str" | "date" | "float" | "int" | "bool"
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


PARCEL_COLUMNS: tuple[Column, ...] = (
    Column("parcel_id", "str", "宗地编号", "Parcel no.", ("宗地号", "地块编号", "宗地代码", "PARCEL_ID", "ZDBH", "DKBH", "ZDDM", "ZDH")),
    Column("park_id", "str", "园区编号", "Park", ("园区", "所属园区", "开发区")),
    Column("land_use", "str", "土地用途", "Land use", ("用地类型", "用途", "地类", "地类编码", "TDYT", "DKYT", "DLBM")),
    Column("holder", "str", "土地使用权人", "Holder", ("使用权人", "权利人", "用地单位", "企业名称", "权利人名称", "QLR", "QLRMC")),
    Column("supply_date", "date", "供地日期", "Supply date", ("出让日期", "划拨日期", "合同签订日期")),
    Column("agreed_start_date", "date", "约定动工日期", "Agreed start date", ("约定开工日期", "合同约定动工日期", "约定开工时间", "约定的动工日期", "约定动工时间")),
    Column("actual_start_date", "date", "实际动工日期", "Actual start date", ("实际开工日期", "动工日期", "实际开工时间", "实际动工时间")),
    Column("halted_since", "date", "停工日期", "Halted since", ("中止开发日期", "停建日期")),
    Column("completion_date", "date", "竣工日期", "Completion date", ("实际竣工日期", "竣工时间")),
    Column("area_due_m2", "float", "应开发面积(平方米)", "Area due (m²)", ("应动工开发建设面积", "应开发面积")),
    Column("developed_area_m2", "float", "已开发面积(平方米)", "Developed area (m²)", ("已动工开发建设面积", "已开发面积")),
    Column("total_investment_wan", "float", "总投资额(万元)", "Total investment (万元)", ("总投资额", "总投资", "固定资产投资")),
    Column("invested_wan", "float", "已完成投资额(万元)", "Invested (万元)", ("已投资额", "已完成投资")),
    Column("land_price_wan", "float", "土地出让价款(万元)", "Land price (万元)", ("出让价款", "土地价款", "划拨价款", "土地出让金", "出让金", "成交价", "出让金额", "成交价款")),
    Column("delay_cause", "str", "延迟原因", "Delay cause", ("闲置原因", "未动工原因")),
    Column("disposal_status", "str", "处置状态", "Disposal status", ("处置情况",)),
    Column("industry_code", "str", "行业代码", "Industry (GB/T 4754)", ("国民经济行业代码", "行业分类代码")),
    Column("industry_edition", "str", "行业分类标准版本", "GB/T 4754 edition", ("行业分类版本", "国民经济行业分类版本")),
    Column("floor_area_m2", "float", "总建筑面积(平方米)", "Floor area (m²)", ("总建筑面积", "建筑面积", "JZMJ")),
    Column("floor_area_over_8m_m2", "float", "层高超8米建筑面积(平方米)", "Floor area in storeys > 8 m (m²)", ("层高超过8米建筑面积",)),
    Column("footprint_m2", "float", "建构筑物及堆场占地面积(平方米)", "Footprint incl. yards (m²)", ("建筑物构筑物及堆场占地面积", "建筑基底面积", "占地面积")),
    Column("office_area_m2", "float", "行政办公及生活服务设施用地面积(平方米)", "Office & living area (m²)", ("行政办公及生活服务设施用地面积",)),
    Column("green_area_m2", "float", "绿地面积(平方米)", "Green area (m²)", ("绿地面积",)),
    Column("output_wan", "float", "产值(万元)", "Output (万元)", ("工业总产值", "产值")),
    Column("tax_wan", "float", "税收(万元)", "Tax (万元)", ("税收", "实缴税金", "税收总额")),
    Column("value_added_wan", "float", "工业增加值(万元)", "Value added (万元)", ("增加值", "工业增加值")),
    Column("energy_tce", "float", "综合能耗(吨标准煤)", "Energy (tce)", ("综合能耗", "能耗")),
    Column("emission_t", "float", "主要污染物排放量(吨)", "Emissions (t)", ("排放量", "污染物排放量")),
    Column("employees", "float", "从业人员(人)", "Employees", ("从业人员", "职工人数", "年末从业人员")),
    Column("rd_wan", "float", "研发经费(万元)", "R&D spend (万元)", ("研发经费", "R&D经费")),
    Column("revenue_wan", "float", "营业收入(万元)", "Revenue (万元)", ("营业收入", "主营业务收入")),
    Column("builtup", "bool", "已建成", "Built-up", ("是否建成",)),
)

#: Columns of cadastre exports and supply registers that the readers keep (declared values,
#: register numbers) but the analyses do not use; not part of the sample. Headers are in
#: ``words/io.py`` (kind ``column``).
REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("parcel_name", "str", "地块名称", "Parcel name", ("宗地名称", "项目名称", "DKMC", "ZDMC")),
    Column("declared_area_m2", "float", "宗地面积(平方米)", "Declared parcel area (m²)",
           ("宗地面积", "出让面积", "土地面积", "用地面积", "ZDMJ")),
    Column("declared_far", "float", "容积率(约定)", "Declared FAR", ("容积率", "约定容积率", "RJL")),
    Column("declared_density", "float", "建筑密度(约定)", "Declared building density", ("建筑密度", "JZMD")),
    Column("declared_green_ratio", "float", "绿地率(约定)", "Declared green ratio", ("绿地率", "LDL", "LHL")),
    Column("supervision_no", "str", "电子监管号", "Supervision no.", ("电子监管编号", "监管号", "DZJGH")),
    Column("contract_no", "str", "合同编号", "Contract no.", ("出让合同编号", "合同号", "HTBH")),
)

#: Every column the parcel readers recognise: the analysed ones, then the register's.
READ_PARCEL_COLUMNS: tuple[Column, ...] = PARCEL_COLUMNS + REGISTER_COLUMNS

PARK_COLUMNS: tuple[Column, ...] = (
    Column("park_id", "str", "园区编号", "Park id"),
    Column("name_zh", "str", "园区名称", "Name (Chinese)", ("名称",)),
    Column("name_en", "str", "英文名称", "Name (English)"),
    Column("level", "str", "级别", "Level"),
    Column("city", "str", "所在城市", "City", ("城市",)),
    Column("leading_industries", "str", "主导产业", "Leading industries"),
    Column("eco_status", "str", "生态化改造状态", "Eco-transformation status"),
    Column("eco_year", "float", "生态化改造完成年份", "Eco-transformation year"),
    Column("developable_ha", "float", "可开发面积(公顷)", "Developable (ha)"),
    Column("supply_ready_ha", "float", "已达到供地条件面积(公顷)", "Supply-ready (ha)"),
    Column("boundary_source", "str", "边界来源", "Boundary source"),
)

PARCEL_BY_NAME = {c.name: c for c in READ_PARCEL_COLUMNS}
PARK_BY_NAME = {c.name: c for c in PARK_COLUMNS}


def normalise_header(name) -> str:
    """
    A header as compared with the aliases: full-width forms folded (NFKC: （ → (, Ｚ → Z,
    the ideographic space → space), every space removed, case-folded.
    """
    text = unicodedata.normalize("NFKC", str(name))
    return re.sub(r"\s+", "", text).casefold()


@lru_cache(maxsize=8)
def _alias_map(columns: tuple[Column, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in columns:
        for a in (c.name, c.zh, *c.aliases):
            key = normalise_header(a)
            if out.get(key, c.name) != c.name:
                raise ValueError(f"alias {a!r} means both {out[key]} and {c.name}")
            out[key] = c.name
    return out


def alias_map(columns: tuple[Column, ...] = READ_PARCEL_COLUMNS) -> dict[str, str]:
    """
    Every accepted header (:func:`normalise_header`) → canonical name.

    Raises
    ------
    ValueError
        When one spelling would mean two columns (a defect of this table).
    """
    return dict(_alias_map(tuple(columns)))


def match_header(name, columns: tuple[Column, ...] = READ_PARCEL_COLUMNS) -> str | None:
    """The canonical column a file's header means, or None."""
    return _alias_map(tuple(columns)).get(normalise_header(name))
