"""
The documents of an idle-land case (闲置土地处置文书), filled from the case store, and its register.

Each notice and decision of 《闲置土地处置办法》 is a Word template in ``reports/templates/``
(``investigation_notice.docx`` 闲置土地调查通知书, ``determination.docx`` 闲置土地认定书,
``public_notice.docx`` 闲置土地信息公告, ``hearing_notice.docx`` 听证告知书,
``fee_decision.docx`` 征缴土地闲置费决定书, ``recovery_decision.docx`` 收回国有建设用地使用权
决定书) with Jinja tags, filled by docxtpl. The templates are written by
``scripts/make_templates.py``; a bureau may replace any of them with its own wording and
letterhead (``template_dir=``), using the variables of :data:`TEMPLATE_VARIABLES`.

A document's number (文号) and date are those recorded with its stage in the case
(:class:`geo.cases.CaseStore`): the document is printed from the case, never the other way
round. Deadlines printed (reply, payment, deregistration) are computed from the recorded
dates exactly as :func:`geo.cases.deadlines` computes them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import pandas as pd

import words
from geo.cases import DEADLINES, DOCUMENT_STAGES, CaseStore, register
from geo.crs import m2_to_mu
from words.cases import date_zh

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
DOCUMENT_KINDS: tuple[str, ...] = DOCUMENT_STAGES

#: Variables every template may use (all text; missing facts are "—").
COMMON_VARIABLES: tuple[str, ...] = (
    "authority", "doc_number", "doc_date", "holder", "holder_address", "parcel_id", "location",
    "park_name", "land_use", "area_m2", "area_mu", "supply_date", "agreed_start_date", "contract_no",
    "land_price_wan", "fee_wan", "cause", "holder_cause", "idle_fact", "idle_since", "government",
    "notice_date", "notice_number", "reply_due", "determination_number", "hearing_notice_date",
    "hearing_notice_number", "hearing_held", "recovery", "pay_due", "deregister_due",
)
#: Variables of each template (the shipped ones use these; a bureau's may use any of them).
TEMPLATE_VARIABLES: dict[str, tuple[str, ...]] = {kind: COMMON_VARIABLES for kind in DOCUMENT_KINDS}

#: Codes of :class:`DocumentError`.
DOCUMENT_ERROR_CODES: tuple[str, ...] = ("document_kind_unknown", "document_stage_missing",
                                         "document_template_missing")


class DocumentError(ValueError):
    """A document that cannot be made: ``code`` of :data:`DOCUMENT_ERROR_CODES` with ``params``."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code}({params})")

    @property
    def item(self) -> dict:
        return {"code": self.code, **self.params}


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _text(v, default: str = words.DASH) -> str:
    return default if _missing(v) or not str(v).strip() else str(v).strip()


def _latest(log: pd.DataFrame, stage: str, *, up_to: int | None = None) -> pd.Series | None:
    rows = log[log["stage"] == stage]
    if up_to is not None:
        rows = rows[rows["entry_id"] <= up_to]
    if rows.empty:
        return None
    return rows.sort_values(["event_date", "entry_id"]).iloc[-1]


def _due(entry: pd.Series | None, kind: str) -> str:
    if entry is None:
        return words.DASH
    return date_zh(entry["event_date"] + timedelta(days=DEADLINES[kind][1]))


def _fee_share() -> float:
    from geo.rules import load_rules

    return float(load_rules("idle")["fee_share_of_price"]["value"])


def _land_use(value) -> str:
    if _missing(value):
        return words.DASH
    from geo.vocab import land_use_class

    code = land_use_class(pd.Series([value])).iloc[0]
    return words.label("land_use", code) if not _missing(code) else str(value)


def document_context(
    kind: str,
    case_log: pd.DataFrame,
    parcel: Mapping,
    *,
    entry_id: int | None = None,
    authority: str | None = None,
    park_name: str | None = None,
    government: str | None = None,
    recovery: bool | None = None,
) -> dict:
    """
    The variables of one document, as text, from a case and its parcel.

    Parameters
    ----------
    kind
        One of :data:`DOCUMENT_KINDS` (the stage whose entry carries the document).
    case_log
        The case's :meth:`geo.cases.CaseStore.log`.
    parcel
        The parcel's facts (a row of the parcel table, or of the idle analysis): ``parcel_id``,
        ``holder``, ``area_m2``, ``land_use``, ``supply_date``, ``agreed_start_date`` (the
        date in force), ``land_price_wan``; optional ``location``, ``holder_address``,
        ``contract_no``, ``idle_kind``, ``idle_since``, ``idle_status``, ``fee_wan``.
    entry_id
        Which entry of the stage (default: the latest).
    authority
        The issuing authority (发文机关), e.g. 南宁市自然资源局.
    park_name
        The park's name, used as the location when the parcel has no ``location``.
    government
        The people's government that approved a fee or recovery decision (Art. 14).
    recovery
        For the hearing notice: whether the proposed decision is recovery (default: the
        parcel's ``idle_status`` is ``idle_recover``).
    """
    if kind not in DOCUMENT_KINDS:
        raise DocumentError("document_kind_unknown", value=str(kind))
    log = case_log
    if entry_id is not None:
        rows = log[(log["entry_id"] == entry_id) & (log["stage"] == kind)]
        entry = rows.iloc[0] if len(rows) else None
    else:
        entry = _latest(log, kind)
    if entry is None:
        raise DocumentError("document_stage_missing", case_stage=kind)
    upto = int(entry["entry_id"])
    notice = _latest(log, "investigation_notice", up_to=upto)
    det = _latest(log, "determination", up_to=upto)
    hearing = _latest(log, "hearing_notice", up_to=upto)
    fee = _latest(log, "fee_decision", up_to=upto)
    recov = _latest(log, "recovery_decision", up_to=upto)
    held = _latest(log, "hearing_held", up_to=upto)

    area = pd.to_numeric(pd.Series([parcel.get("area_m2")]), errors="coerce").iloc[0]
    price = pd.to_numeric(pd.Series([parcel.get("land_price_wan")]), errors="coerce").iloc[0]
    fee_wan = fee["amount_wan"] if fee is not None and not _missing(fee["amount_wan"]) else None
    if fee_wan is None and not _missing(parcel.get("fee_wan")):
        fee_wan = float(parcel["fee_wan"])
    if fee_wan is None and not _missing(price):
        fee_wan = float(price) * _fee_share()  # Art. 14 (1): 20 % of the land price
    cause = det["cause"] if det is not None else None
    idle_since = parcel.get("idle_since")
    if _missing(idle_since) and not _missing(parcel.get("agreed_start_date")):
        from geo.cases import add_years

        idle_since = add_years(pd.Timestamp(parcel["agreed_start_date"]).date(), 1)
    idle_kind = parcel.get("idle_kind")
    location = _text(parcel.get("location"), "") or _text(park_name, "") or _text(parcel.get("park_id"))
    if recovery is None:
        recovery = str(parcel.get("idle_status") or "") == "idle_recover"
    doc_date = entry["doc_date"] if not _missing(entry["doc_date"]) else entry["event_date"]
    return {
        "authority": _text(authority, words.text("doc_authority_blank")),
        "doc_number": _text(entry["doc_number"], ""),
        "doc_date": date_zh(doc_date),
        "holder": _text(parcel.get("holder")),
        "holder_address": _text(parcel.get("holder_address"), ""),
        "parcel_id": _text(parcel.get("parcel_id")),
        "location": location,
        "park_name": _text(park_name),
        "land_use": _land_use(parcel.get("land_use")),
        "area_m2": words.fmt_number(area, 2),
        "area_mu": words.fmt_number(m2_to_mu(area) if not _missing(area) else None, 2),
        "supply_date": date_zh(parcel.get("supply_date")),
        "agreed_start_date": date_zh(parcel.get("agreed_start_date")),
        "contract_no": _text(parcel.get("contract_no"), ""),
        "land_price_wan": words.fmt_number(price, 2),
        "fee_wan": words.fmt_number(fee_wan, 2),
        "cause": words.label("case_cause", cause),
        "holder_cause": cause == "holder",
        "idle_fact": words.text("doc_idle_fact_stalled" if idle_kind == "stalled" else "doc_idle_fact_not_started"),
        "idle_since": date_zh(idle_since),
        "government": _text(government, words.text("doc_government_default")),
        "notice_date": date_zh(notice["event_date"]) if notice is not None else words.DASH,
        "notice_number": _text(notice["doc_number"]) if notice is not None else words.DASH,
        "reply_due": _due(notice, "reply"),
        "determination_number": _text(det["doc_number"]) if det is not None else words.DASH,
        "hearing_notice_date": date_zh(hearing["event_date"]) if hearing is not None else words.DASH,
        "hearing_notice_number": _text(hearing["doc_number"]) if hearing is not None else words.DASH,
        "hearing_held": held is not None,
        "recovery": bool(recovery),
        "pay_due": _due(fee, "payment"),
        "deregister_due": _due(recov, "deregistration"),
    }


def render_document(kind: str, case_log: pd.DataFrame, parcel: Mapping, *, template_dir: str | Path | None = None,
                    **context_kwargs) -> bytes:
    """
    One document of a case as .docx bytes (see :func:`document_context` for the arguments).

    ``template_dir`` holds a bureau's own templates (same file names); default the shipped ones.
    """
    from docxtpl import DocxTemplate

    context = document_context(kind, case_log, parcel, **context_kwargs)
    path = Path(template_dir or TEMPLATE_DIR) / f"{kind}.docx"
    if not path.exists():
        raise DocumentError("document_template_missing", path=str(path))
    tpl = DocxTemplate(str(path))
    tpl.render(context, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def document_filename(kind: str, parcel_id: str, doc_number: str | None = None) -> str:
    """``闲置土地调查通知书_宗地编号_文号.docx`` (characters a file system refuses replaced)."""
    parts = [words.label("document", kind), str(parcel_id)]
    if doc_number and str(doc_number).strip():
        parts.append(str(doc_number).strip())
    name = "_".join(parts)
    for ch in '\\/:*?"<>|':
        name = name.replace(ch, "-")
    return name + ".docx"


def register_xlsx_bytes(store: CaseStore, parcels: pd.DataFrame | None, *, as_of, parks: pd.DataFrame | None = None,
                        lang: str = "zh", only=None) -> bytes:
    """
    The register (闲置土地处置台账) as of a date as an Excel workbook, headers and cells in words;
    ``only``: the parcel numbers to keep (an account's parks), all when None.
    """
    from reports import tables

    reg = register(store, parcels, as_of=as_of)
    if only is not None:
        reg = reg[reg["parcel_id"].isin(list(only))]
    shown = tables.present(reg, lang=lang, parks=parks)
    return tables.xlsx_bytes({words.label("ui", "sheet_case_register", lang): shown})
