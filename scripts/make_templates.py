"""
Write the shipped document templates ``reports/templates/*.docx`` (python-docx).

Each template is a Word file with Jinja tags (``{{ holder }}``, ``{% if holder_cause %}``)
that ``reports/documents.py`` fills with docxtpl from a case. A bureau may replace any of
them with its own wording and letterhead: keep the tags it needs (the variables are listed
in ``reports/documents.py``). The wording follows 《闲置土地处置办法》 (国土资源部令第53号).

The files are written byte for byte the same on every run (fixed document properties and
zip entry times), so ``git diff`` shows only real changes:

    .venv/bin/python scripts/make_templates.py            # into reports/templates/
    .venv/bin/python scripts/make_templates.py --out DIR
"""

from __future__ import annotations

import argparse
import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent.parent / "reports" / "templates"
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
_FIXED = datetime(2026, 1, 1)

# Paragraph kinds: ("title", text) centred, large, bold; ("number", text) centred;
# ("to", text) flush left (the addressee); ("body", text) first-line indent;
# ("sign", text) right-aligned (authority and date); ("tag", text) a paragraph-level
# docxtpl tag (``{%p if … %}``) that docxtpl removes with its paragraph.
HEAD = [
    ("authority", "{{ authority }}"),
]
SIGN = [
    ("sign", "{{ authority }}"),
    ("sign", "{{ doc_date }}"),
]
PARCEL = (
    "位于{{ location }}的国有建设用地（宗地编号：{{ parcel_id }}，土地用途：{{ land_use }}，"
    "面积{{ area_m2 }}平方米，合{{ area_mu }}亩{% if contract_no %}，"
    "合同（划拨决定书）编号：{{ contract_no }}{% endif %}）"
)
TO = "{{ holder }}{% if holder_address %}（地址：{{ holder_address }}）{% endif %}："
REMEDY = (
    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
)

TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "investigation_notice": [
        *HEAD,
        ("title", "闲置土地调查通知书"),
        ("number", "{{ doc_number }}"),
        ("to", TO),
        ("body",
         "你单位（人）于{{ supply_date }}取得" + PARCEL + "，约定动工开发日期为{{ agreed_start_date }}。"
         "经初步核查，该宗土地涉嫌构成《闲置土地处置办法》第二条规定的闲置土地。"),
        ("body",
         "根据《闲置土地处置办法》第五条、第六条的规定，我局决定对该宗土地开展调查核实。"
         "请你单位（人）自接到本通知书之日起三十日内（即{{ reply_due }}前），向我局提供土地开发利用情况、"
         "闲置原因以及相关说明等材料。属于《闲置土地处置办法》第八条规定的政府、政府有关部门的行为"
         "或者自然灾害等不可抗力造成动工开发延迟的，请一并提供土地闲置原因说明材料及相关证明。"),
        ("body",
         "调查期间，我局可以依照《闲置土地处置办法》第七条的规定询问当事人及其他证人、现场勘测、拍照、摄像，"
         "查阅、复制与该宗土地有关的资料，你单位（人）应当予以配合，如实说明有关情况。"),
        ("body", "特此通知。"),
        *SIGN,
    ],
    "determination": [
        *HEAD,
        ("title", "闲置土地认定书"),
        ("number", "{{ doc_number }}"),
        ("to", TO),
        ("body",
         "你单位（人）于{{ supply_date }}取得" + PARCEL + "，约定动工开发日期为{{ agreed_start_date }}。"
         "我局于{{ notice_date }}向你单位（人）发出《闲置土地调查通知书》（{{ notice_number }}）。"
         "经调查核实，该宗土地{{ idle_fact }}，符合《闲置土地处置办法》第二条规定的条件。"),
        ("body",
         "根据《闲置土地处置办法》第九条、第十条的规定，认定该宗土地为闲置土地。"
         "闲置原因：{{ cause }}。"
         "{% if holder_cause %}我局将依照《闲置土地处置办法》第十四条、第十五条的规定处置。"
         "{% else %}该原因属于《闲置土地处置办法》第八条规定的情形，"
         "我局将依照该办法第十二条、第十三条的规定与你单位（人）协商，选择处置方式。{% endif %}"),
        ("body",
         "本认定书下达后，我局将依照《闲置土地处置办法》第十一条的规定，"
         "向社会公开闲置土地的位置、国有建设用地使用权人名称、闲置时间等信息"
         "{% if not holder_cause %}，并同时公开闲置原因{% endif %}。"),
        *SIGN,
    ],
    "public_notice": [
        *HEAD,
        ("title", "闲置土地信息公告"),
        ("number", "{{ doc_number }}"),
        ("body",
         "根据《闲置土地处置办法》第十一条的规定，现将我局认定的闲置土地信息公开如下："),
        ("body",
         "一、位置：{{ location }}（宗地编号：{{ parcel_id }}，面积{{ area_m2 }}平方米，合{{ area_mu }}亩）。"),
        ("body", "二、国有建设用地使用权人：{{ holder }}。"),
        ("body", "三、闲置时间：自{{ idle_since }}起。认定书文号：{{ determination_number }}。"),
        ("tag", "{%p if not holder_cause %}"),
        ("body", "四、闲置原因：{{ cause }}。"),
        ("tag", "{%p endif %}"),
        ("body", "特此公告。"),
        *SIGN,
    ],
    "hearing_notice": [
        *HEAD,
        ("title", "听证告知书"),
        ("number", "{{ doc_number }}"),
        ("to", TO),
        ("body",
         "你单位（人）取得的" + PARCEL + "，已经我局以《闲置土地认定书》（{{ determination_number }}）"
         "认定为闲置土地，闲置原因为国有建设用地使用权人自身原因。"),
        ("body",
         "{% if recovery %}该宗土地未动工开发已满两年，我局拟依照《闲置土地处置办法》第十四条第（二）项的规定，"
         "报经有批准权的人民政府批准后，无偿收回你单位（人）的国有建设用地使用权。"
         "{% else %}该宗土地未动工开发已满一年，我局拟依照《闲置土地处置办法》第十四条第（一）项的规定，"
         "按照土地出让或者划拨价款{{ land_price_wan }}万元的百分之二十，"
         "向你单位（人）征缴土地闲置费{{ fee_wan }}万元。{% endif %}"),
        ("body",
         "根据《闲置土地处置办法》第十五条的规定，你单位（人）有要求举行听证的权利。"
         "如要求听证，请自收到本告知书之日起五个工作日内向我局提出书面申请；逾期未提出的，视为放弃听证。"),
        *SIGN,
    ],
    "fee_decision": [
        *HEAD,
        ("title", "征缴土地闲置费决定书"),
        ("number", "{{ doc_number }}"),
        ("to", TO),
        ("body",
         "你单位（人）于{{ supply_date }}取得" + PARCEL + "，约定动工开发日期为{{ agreed_start_date }}。"
         "经调查核实，该宗土地{{ idle_fact }}，已经我局以《闲置土地认定书》（{{ determination_number }}）"
         "认定为闲置土地，闲置原因为国有建设用地使用权人自身原因。"
         "我局已于{{ hearing_notice_date }}告知你单位（人）有要求举行听证的权利（{{ hearing_notice_number }}）"
         "{% if hearing_held %}，并已依法举行听证{% else %}，你单位（人）未要求听证{% endif %}。"),
        ("body",
         "根据《闲置土地处置办法》第十四条第（一）项的规定，经{{ government }}批准，决定按照土地出让或者划拨价款"
         "{{ land_price_wan }}万元的百分之二十，向你单位（人）征缴土地闲置费{{ fee_wan }}万元。"
         "土地闲置费不得列入生产成本。"),
        ("body",
         "根据《闲置土地处置办法》第十七条的规定，请你单位（人）自本决定书送达之日起三十日内"
         "（即{{ pay_due }}前）缴纳土地闲置费。" + REMEDY),
        *SIGN,
    ],
    "recovery_decision": [
        *HEAD,
        ("title", "收回国有建设用地使用权决定书"),
        ("number", "{{ doc_number }}"),
        ("to", TO),
        ("body",
         "你单位（人）于{{ supply_date }}取得" + PARCEL + "，约定动工开发日期为{{ agreed_start_date }}。"
         "经调查核实，该宗土地{{ idle_fact }}，已经我局以《闲置土地认定书》（{{ determination_number }}）"
         "认定为闲置土地，闲置原因为国有建设用地使用权人自身原因，未动工开发已满两年。"
         "我局已于{{ hearing_notice_date }}告知你单位（人）有要求举行听证的权利（{{ hearing_notice_number }}）"
         "{% if hearing_held %}，并已依法举行听证{% else %}，你单位（人）未要求听证{% endif %}。"),
        ("body",
         "根据《中华人民共和国城市房地产管理法》第二十六条和《闲置土地处置办法》第十四条第（二）项的规定，"
         "经{{ government }}批准，决定无偿收回你单位（人）上述国有建设用地使用权。"),
        ("body",
         "根据《闲置土地处置办法》第十七条的规定，请你单位（人）自本决定书送达之日起三十日内"
         "（即{{ deregister_due }}前），到我局办理国有建设用地使用权注销登记，交回土地权利证书。"
         "逾期不办理的，我局将依照《闲置土地处置办法》第十八条的规定直接公告注销。"
         "该宗土地设有抵押权的，本决定书同时抄送抵押权人。" + REMEDY),
        *SIGN,
    ],
}


def _font(run, name: str, size_pt: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def build(kind: str) -> bytes:
    """One template as .docx bytes (before the zip times are fixed)."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    props = doc.core_properties
    props.author = props.last_modified_by = ""
    props.title = TEMPLATES[kind][1][1]
    props.created = props.modified = _FIXED
    props.revision = 1
    for style, text in TEMPLATES[kind]:
        p = doc.add_paragraph()
        run = p.add_run(text)
        fmt = p.paragraph_format
        fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(28)
        if style == "authority":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(run, TITLE_FONT, 18)
        elif style == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_before, fmt.space_after = Pt(12), Pt(6)
            _font(run, TITLE_FONT, 22, bold=True)
        elif style == "number":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(12)
            _font(run, BODY_FONT, 16)
        elif style == "sign":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(run, BODY_FONT, 16)
        else:
            if style == "body":
                fmt.first_line_indent = Pt(32)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if style == "body" else WD_ALIGN_PARAGRAPH.LEFT
            _font(run, BODY_FONT, 16)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def reproducible(docx: bytes) -> bytes:
    """The same package with every zip entry dated 1980-01-01, in a fixed order."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def write_all(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in TEMPLATES:
        path = out / f"{kind}.docx"
        path.write_bytes(reproducible(build(kind)))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    for p in write_all(args.out):
        print(p)


if __name__ == "__main__":
    main()
