"""
闲置土地处置案件 on the idle page: a parcel's case panel and the work list.

The case (``geo.cases``) is the procedure of 《闲置土地处置办法》 for one parcel: the panel
shows its stages so far, its deadlines, the stages the procedure allows next (as a form that
records one), the documents of the recorded notices and decisions, and the audit trail; the
work list shows every case by stage, due this week and overdue, with a batch action and the
register (闲置土地处置台账) as Excel. Every word comes from ``words`` (``words/cases.py``).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

import words
from geo.accounts import APPROVAL_STAGES, AccessError
from geo.cases import (
    CASE_CAUSES,
    DISPOSAL_WAYS,
    DOCUMENT_STAGES,
    OUTCOMES,
    STAGES,
    CaseError,
    CaseStore,
    all_deadlines,
    audit_trail,
    cases_as_of,
    deadlines,
    log_entries,
    register,
)
from reports import tables
from reports.documents import document_filename, register_xlsx_bytes, render_document
from views import auth, common
from views.i18n import lang, t
from words.accounts import access_text
from words.cases import days_text

#: Stages whose entry carries an amount (万元).
AMOUNT_STAGES = frozenset({"fee_decision", "fee_paid", "negotiated_disposal"})
#: Columns of the stage list on the card, and of the audit trail.
STAGE_COLUMNS = ("case_stage", "event_date", "doc_number", "officer", "recorded_at")
AUDIT_COLUMNS = ("recorded_at", "officer", "officer_role", "case_stage", "event_date", "doc_number", "case_cause", "disposal_way",
                 "until_date", "amount_wan", "case_note", "attachment_name", "override_reason", "overridden")
#: Columns of the supplementary agreements recorded on the page.
AGREEMENT_SHOWN = ("signed_date", "new_start_date", "doc_number", "reason", "officer", "officer_role",
                   "attachment_name", "recorded_at")
#: Days ahead that count as "due this week".
WEEK_DAYS = 7


# --------------------------------------------------------------------------- plain rules (unit-tested)


def shown(df: pd.DataFrame, columns=None, lg: str | None = None) -> pd.DataFrame:
    """
    A frame of ``geo.cases`` as an officer reads it: labels, Beijing time, "—" for every gap; in
    ``lg`` (default: the session's language).
    """
    out = tables.present(df, lang=lg or lang(), parks=common.parks(), columns=list(columns) if columns else None,
                         keep_dtypes=False)
    return out.astype(object).where(out.notna() & (out.astype(str) != "None"), words.DASH).astype(str)


def allowed_stages(store: CaseStore, parcel_id: str, on: date) -> list[str]:
    """The stages the procedure allows next for a parcel, recorded on ``on`` (no rule broken)."""
    out = []
    entries = log_entries(store.log(parcel_id))
    for stage in STAGES:
        cause = "holder" if stage == "determination" else None
        way = "change_use" if stage == "negotiated_disposal" else None
        outcome = "other_outcome" if stage == "closed" else None
        if not store.check(parcel_id, stage, event_date=on, cause=cause, way=way, outcome=outcome, entries=entries):
            out.append(stage)
    return out


def deadline_lines(dl: pd.DataFrame, lg: str) -> list[tuple[bool, str]]:
    """Each open deadline as (overdue, line): 缴纳土地闲置费期限：2026年…（剩余3天）."""
    open_ = dl[dl["deadline_state"].isin(["pending", "overdue"])]
    return [
        (bool(r.overdue), words.text("case_deadline_line", lg, deadline=r.deadline, due_date=r.due_date,
                                     days=days_text(r.days_left, lg)))
        for r in open_.itertuples()
    ]


def work_lists(reg: pd.DataFrame, due: pd.DataFrame, *, park_ids=None, officers=None) -> dict[str, pd.DataFrame]:
    """
    The work list's three views from the register and every deadline: ``by_stage`` (cases
    per stage), ``this_week`` (open deadlines due within :data:`WEEK_DAYS` days) and
    ``overdue`` — for the picked parks (``""`` = outside every park) and officers.
    """
    keep = pd.Series(True, index=reg.index)
    if park_ids is not None:
        keep &= reg["park_id"].fillna("").astype(str).isin(list(park_ids))
    if officers:
        keep &= reg["officer"].isin(list(officers))
    reg = reg[keep]
    by_stage = (reg.groupby("case_stage", sort=False).size().rename("status_count")
                .reindex([s for s in STAGES if s in set(reg["case_stage"])]).reset_index())
    facts = reg.set_index("parcel_id")[["park_id", "holder", "case_stage", "officer"]]
    due = due[due["parcel_id"].isin(facts.index)].join(facts, on="parcel_id")
    cols = ["parcel_id", "park_id", "holder", "case_stage", "deadline", "due_date", "days_left", "officer"]
    week, late = due_this_week(due), due_overdue(due)
    return {"by_stage": by_stage, "this_week": week[cols].sort_values("due_date"),
            "overdue": late[cols].sort_values("due_date")}


def due_this_week(due: pd.DataFrame) -> pd.DataFrame:
    """The open deadlines of ``due`` (:func:`geo.cases.all_deadlines`) due within :data:`WEEK_DAYS` days."""
    return due[(due["deadline_state"] == "pending") & (due["days_left"] <= WEEK_DAYS)]


def due_overdue(due: pd.DataFrame) -> pd.DataFrame:
    """The deadlines of ``due`` past and not met."""
    return due[due["deadline_state"] == "overdue"]


# --------------------------------------------------------------------------- the case panel


def case_panel(rows: pd.DataFrame) -> None:
    """The parcel card's case: stages, deadlines, the next stage as a form, documents, the audit trail."""
    row = rows.iloc[0]
    lg = lang()
    pid = str(row["parcel_id"])
    store = common.case_store()
    as_of = common.as_of()
    st.markdown(f"**{t('case_title')}**")
    # One read of the parcel's log for the card (its stages, the stages allowed next, the audit
    # trail), not one per part; a record made here reruns the page, which reads it anew.
    with store.snapshot():
        revision = store.revision()
        log = _parcel_log_shared(store.location, revision, pid)
        if log.empty:
            st.caption(t("case_none"))
        else:
            trail = audit_trail(store, pid)
            stages = trail[trail["case_stage"] != "note"]
            st.dataframe(shown(stages, STAGE_COLUMNS), hide_index=True, width="stretch", key="case_stages")
            for overdue, line in deadline_lines(deadlines(log, as_of), lg):
                (st.warning if overdue else st.info)(common.md_escape(line))
        _stage_form(store, row, as_of, revision)
        if not log.empty:
            _documents(log, row)
            audit = st.expander(t("case_audit"), on_change="rerun", key="case_audit_open")
            if audit.open:  # filled when opened, as the agreement panel
                with audit:
                    st.dataframe(shown(audit_trail(store, pid), AUDIT_COLUMNS), hide_index=True, width="stretch",
                                 key="case_audit")
                    _attachment_downloads(store, log, "case")


@st.cache_resource(show_spinner=False, max_entries=256)
def _parcel_log_shared(location: str, revision: int, parcel_id: str) -> pd.DataFrame:
    """A parcel's case log (:meth:`CaseStore.log`), once per server and revision of the store (shared, read-only)."""
    return common.case_store().log(parcel_id)


@st.cache_resource(show_spinner=False, max_entries=256)
def _allowed_shared(location: str, revision: int, parcel_id: str, on: date) -> tuple[str, ...]:
    """:func:`allowed_stages`, once per server and revision of the store: the card shows them on every run."""
    return tuple(allowed_stages(common.case_store(), parcel_id, on))


common.register_shared(_parcel_log_shared, _allowed_shared)


def _stage_form(store: CaseStore, row: pd.Series, as_of: date, revision: int) -> None:
    lg = lang()
    pid = str(row["parcel_id"])
    park = row.get("park_id")
    allowed = list(_allowed_shared(store.location, revision, pid, as_of))
    stage_words = words.labels("case_stage", lg)
    st.caption(t("case_next") + "：" + ("、".join(stage_words[s] for s in allowed) if allowed else words.DASH))
    if not auth.can("record", park):
        st.info(t("auth_read_only"))  # the store refuses it too
        return
    # Filled when opened (a rerun), as the agreements: closed, a load draws none of the form's
    # widgets (the card's two record forms were ~0.2 s of the idle page's drawing on the bench).
    box = st.expander(t("case_form_title"), on_change="rerun", key="case_form_open")
    if box.open:
        with box:
            _stage_fields(store, row, as_of, allowed)
    if msg := st.session_state.pop("case_flash", None):
        st.success(msg)


def _stage_fields(store: CaseStore, row: pd.Series, as_of: date, allowed: list[str]) -> None:
    """The stage to record and its form (in the opened panel of :func:`_stage_form`)."""
    lg = lang()
    pid = str(row["parcel_id"])
    park = row.get("park_id")
    stage_words = words.labels("case_stage", lg)
    options = [*allowed, *(s for s in STAGES if s not in allowed)]
    if not auth.can("approve", park):
        options = [s for s in options if s not in APPROVAL_STAGES]
        st.caption(t("auth_reviewer_only"))
    may_override = auth.can("override", park)
    # Picked outside the form: the form then asks only for what this stage records.
    stage = st.selectbox(t("case_stage_pick"), options, format_func=stage_words.get, key=f"case_stage@{lg}")
    with st.form("case_form", clear_on_submit=True):
        c1, c2 = st.columns(2)
        day = c1.date_input(t("case_date"), value=as_of, key="case_date")
        doc_number = c2.text_input(t("case_doc_number"), key="case_doc_number")
        cause = way = until = amount = outcome = None
        if stage == "determination":
            cause = st.selectbox(t("case_cause_pick"), CASE_CAUSES, format_func=words.labels("case_cause", lg).get,
                                 index=None, placeholder=t("case_pick"), key=f"case_cause@{lg}")
        if stage == "negotiated_disposal":
            c3, c4 = st.columns(2)
            way = c3.selectbox(t("case_way_pick"), DISPOSAL_WAYS, format_func=words.labels("disposal_way", lg).get,
                               index=None, placeholder=t("case_pick"), key=f"case_way@{lg}")
            until = c4.date_input(t("case_until"), value=None, key="case_until")
        if stage in AMOUNT_STAGES:
            amount = st.number_input(t("case_amount"), min_value=0.0, value=None, step=0.01, format="%.2f",
                                     key="case_amount")
        if stage == "closed":
            outcome = st.selectbox(t("case_outcome_pick"), OUTCOMES, format_func=words.labels("case_outcome", lg).get,
                                   index=None, placeholder=t("case_pick"), key=f"case_outcome@{lg}")
        upload = st.file_uploader(t("case_attachment"), key="case_attachment")
        note = st.text_area(t("case_note_input"), key="case_note", height=68)
        override = st.checkbox(t("case_override"), key="case_override") if may_override else False
        reason = st.text_input(t("case_override_reason"), key="case_override_reason") if may_override else None
        submitted = st.form_submit_button(t("case_record"), type="primary")
    if submitted:  # recorded under the logged-in account; the store checks its role and parks
        try:
            store.record(
                pid, stage, account=auth.current(), park_id=park, event_date=day, doc_number=doc_number or None,
                cause=cause, way=way, until_date=until, amount_wan=amount, outcome=outcome, note=note or None,
                attachment_name=upload.name if upload is not None else None,
                attachment=upload.getvalue() if upload is not None else None,
                override=bool(override), override_reason=reason or None,
            )
        except CaseError as exc:
            st.error(common.md_escape(words.render(exc.item, lg)))
        except AccessError as exc:
            st.error(auth.refusal(exc))
        else:
            st.session_state["case_flash"] = t("case_recorded", stage=stage_words[stage])
            st.rerun()


def agreement_form(rows: pd.DataFrame) -> None:
    """
    A supplementary agreement (补充协议) to the parcel's grant contract that sets a new agreed
    start date — signed outside the disposal procedure (e.g. while the parcel is in its first
    year). The idle clock uses the new date from the day it was signed; no case is opened.
    """
    lg = lang()
    pid = str(rows.iloc[0]["parcel_id"])
    park = rows.iloc[0].get("park_id")
    store = common.case_store()
    # Filled when opened (a rerun): closed, the card's load neither reads the agreements nor draws
    # the form (the browser's drawing of the card's record forms was ~0.2 s of an idle load).
    box = st.expander(t("agreement_title"), on_change="rerun", key="agreement_open")
    if not box.open:
        return
    with box:
        st.caption(t("agreement_help"))
        agreed = store.agreements(pid)
        if len(agreed):
            st.dataframe(shown(agreed, AGREEMENT_SHOWN), hide_index=True, width="stretch", key="agreement_log")
            _attachment_downloads(store, agreed, "agreement")
        if not auth.can("approve", park):  # it moves the clock as an agreed extension does: a reviewer's
            st.caption(t("auth_reviewer_only"))
            return
        with st.form("agreement_form", clear_on_submit=True):
            c1, c2 = st.columns(2)
            signed = c1.date_input(t("agreement_signed"), value=common.as_of(), key="agreement_signed")
            new_start = c2.date_input(t("agreement_new_start"), value=None, key="agreement_new_start")
            c3, c4 = st.columns(2)
            doc_number = c3.text_input(t("agreement_doc_no"), key="agreement_doc_no")
            reason = c4.text_input(t("agreement_reason"), key="agreement_reason")
            upload = st.file_uploader(t("agreement_attachment"), key="agreement_attachment")
            submitted = st.form_submit_button(t("agreement_record"))
        if submitted:
            try:
                store.record_agreement(
                    pid, account=auth.current(), park_id=park, signed_date=signed, new_start_date=new_start,
                    doc_number=doc_number or None, reason=reason or None,
                    attachment=upload.getvalue() if upload is not None else None,
                    attachment_name=upload.name if upload is not None else None,
                )
            except CaseError as exc:
                st.error(common.md_escape(words.render(exc.item, lg)))
            except AccessError as exc:
                st.error(auth.refusal(exc))
            else:
                st.session_state["agreement_flash"] = t("agreement_recorded",
                                                        date=words.fmt_date(new_start, lg))
                st.rerun()
        if msg := st.session_state.pop("agreement_flash", None):
            st.success(msg)


def _attachment_downloads(store: CaseStore, entries: pd.DataFrame, prefix: str) -> None:
    """A download button per stored attachment (the scan the officer uploaded, byte for byte)."""
    with_file = entries[entries["attachment_sha256"].notna()]
    id_col = "entry_id" if "entry_id" in entries else "agreement_id"
    for r in with_file.itertuples():
        sha = r.attachment_sha256
        name = r.attachment_name if isinstance(r.attachment_name, str) else sha[:12]

        def data(sha=sha) -> bytes:
            return store.attachment(sha) or b""

        st.container().download_button(common.md_escape(t("case_attachment_download", name=name)), data,
                                       file_name=name, key=f"{prefix}_att_{getattr(r, id_col)}",
                                       on_click="ignore")


def _documents(log: pd.DataFrame, row: pd.Series) -> None:
    lg = lang()
    recorded = [s for s in DOCUMENT_STAGES if (log["stage"] == s).any()]
    if not recorded:
        return
    st.markdown(f"**{t('case_documents')}**")
    parcel = row.to_dict()
    park_name = common.parks().set_index("park_id")["name_zh"].get(row.get("park_id"))
    box = st.container()
    for kind in recorded:
        entry = log[log["stage"] == kind].iloc[-1]
        number = entry["doc_number"] if isinstance(entry["doc_number"], str) else None
        # Built when the officer clicks, never on a rerun.
        data = _document_bytes(kind, log, parcel, park_name)
        label = words.label("document", kind, lg) + (f"（{number}）" if number else "")
        box.download_button(common.md_escape(label), data, file_name=document_filename(kind, str(row["parcel_id"]),
                                                                                     number),
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                           key=f"case_doc_{kind}", on_click="ignore")


def _document_bytes(kind: str, log: pd.DataFrame, parcel: dict, park_name):
    def build() -> bytes:
        return render_document(kind, log, parcel, park_name=park_name)

    return build


# --------------------------------------------------------------------------- the work list


def work_list(sel: pd.DataFrame) -> None:
    """Cases by stage, due this week, overdue; filters; the batch notice; the register download."""
    store = common.case_store()
    as_of = common.as_of()
    st.subheader(t("case_work_list"))
    key, revision = common.data_key(), store.revision()
    with_case, ids, due = _deadlines_shared(key, as_of, store.location, revision)
    acc = auth.current()
    only = None
    if acc is not None and acc.parks:  # an officer's work list holds the cases of its parks only
        with_case = with_case[with_case["park_id"].astype("string").isin(list(acc.parks)).fillna(False)
                              .to_numpy(dtype=bool)]
        only = set(with_case["parcel_id"].astype(str))
        ids = ids[ids.isin(only)]
        due = due[due["parcel_id"].isin(only)]
    # The counts always show, from the cases and deadlines as of the date; the register, the lists,
    # filters, batch notices and the download are made only when the panel is opened
    # (``on_change="rerun"``): closed, a load of the page or a new as-of date neither computes nor
    # ships them (the register was ~0.4 s of a new date's run at 50,000 parcels, the lists ~0.3 s
    # of the browser's work per load). Its label stays the same, so an opened panel stays open.
    n_week, n_late = len(due_this_week(due)), len(due_overdue(due))
    (st.warning if n_late else st.caption)(t("case_work_counts", week=n_week, late=n_late, cases=len(ids)))
    panel = st.expander(t("case_work_open"), on_change="rerun", key="case_work_open")
    if not panel.open:
        return
    reg = _register_shared(key, as_of, store.location, revision)
    if only is not None:
        reg = reg[reg["parcel_id"].isin(only)]
    register_key = (key, as_of, store.location, revision, auth.scope_key())
    with panel:
        _work_list_panel(store, sel, with_case, reg, due, register_key, only, as_of)


def _work_list_panel(store: CaseStore, sel: pd.DataFrame, with_case: pd.DataFrame, reg: pd.DataFrame,
                     due: pd.DataFrame, register_key: tuple, only: set | None, as_of: date) -> None:
    lg = lang()
    parks = common.parks()
    names = dict(zip(parks["park_id"].astype(str), parks["name_zh" if lg == "zh" else "name_en"], strict=True))
    names[""] = t("outside_label")
    c1, c2 = st.columns(2)
    park_ids = c1.multiselect(t("case_filter_parks"), list(names), format_func=names.get,
                              key=common.lkey("case_parks", []), placeholder=t("case_all"))
    officers = sorted(reg["officer"].dropna().astype(str).unique())
    picked_officers = c2.multiselect(t("case_filter_officers"), officers, key="case_officers",
                                     placeholder=t("case_all"))
    lists = _work_lists_shown(register_key, tuple(park_ids), tuple(picked_officers), lg, reg, due)
    tab_stage, tab_week, tab_late = st.tabs([t("case_by_stage"), t("case_due_week", n=len(lists["this_week"])),
                                             t("case_overdue", n=len(lists["overdue"]))])
    with tab_stage:
        st.dataframe(lists["by_stage"], hide_index=True, width="stretch", key="case_by_stage")
    with tab_week:
        st.dataframe(lists["this_week"], hide_index=True, width="stretch", key="case_this_week")
    with tab_late:
        st.dataframe(lists["overdue"], hide_index=True, width="stretch", key="case_overdue_list")
    _batch(store, sel)
    st.container().download_button(t("case_register_download"),
                       lambda: register_xlsx_bytes(store, with_case, as_of=as_of, parks=parks, lang=lg, only=only),
                       file_name=f"{t('case_register_file')}_{as_of.isoformat()}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="case_register_dl", on_click="ignore")


@st.cache_resource(show_spinner=False, max_entries=32)
def _work_lists_shown(register_key: tuple, park_ids: tuple, officers: tuple, lg: str, _reg: pd.DataFrame,
                      _due: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """
    The work list's three views as shown (:func:`work_lists`, :func:`shown`), once per server for a
    register (``register_key``: the version, date, case store revision and account scope that made
    ``_reg`` and ``_due``), the filters and the language — not on every click of every session.
    """
    lists = work_lists(_reg, _due, park_ids=list(park_ids) or None, officers=list(officers))
    return {name: shown(frame, lg=lg) for name, frame in lists.items()}


common.register_shared(_work_lists_shown)


@st.cache_resource(show_spinner=False, max_entries=4)
def _extensions_shared(location: str, revision: int) -> pd.DataFrame:
    """The store's agreed start dates (:func:`geo.cases.start_extensions`), once per server and revision."""
    from geo.cases import start_extensions

    return start_extensions(common.case_store())


common.register_shared(_extensions_shared)


def store_extensions(parcel_id: str) -> pd.DataFrame | None:
    """One parcel's agreed start dates in the case store (None when it has none), for the idle card."""
    store = common.case_store()
    ext = _extensions_shared(store.location, store.revision())
    ext = ext[ext["parcel_id"] == parcel_id]
    return ext if len(ext) else None


@st.cache_resource(show_spinner=False, max_entries=4)
def _deadlines_shared(key: tuple, as_of: date, location: str, revision: int):
    """
    (parcels with a case, the cases as of the date, every deadline as of the date): the work
    list's counts, built once per server for each version of the workspace and of the case store
    (``revision`` grows with every entry), shared by every session — never changed in place. The
    parcels are the stored ones (areas measured at import).
    """
    store = common.case_store()
    gdf = common.workspace_parcels(key)
    with_case = gdf[gdf["parcel_id"].astype(str).isin(set(store.parcels())).to_numpy(dtype=bool)]
    with store.snapshot():  # one state of the store, read once
        return with_case, cases_as_of(store, as_of), all_deadlines(store, as_of)


@st.cache_resource(show_spinner=False, max_entries=4)
def _register_shared(key: tuple, as_of: date, location: str, revision: int) -> pd.DataFrame:
    """The register as of a date (:func:`geo.cases.register`), once per server and version, as :func:`_deadlines_shared`."""
    store = common.case_store()
    with_case, _ids, due = _deadlines_shared(key, as_of, location, revision)
    return register(store, with_case, as_of=as_of, due=due)


common.register_shared(_deadlines_shared, _register_shared)


def prepare_register(key: tuple, as_of: date) -> None:
    """
    Build the shared counts of the work list of version ``key`` of the workspace as of ``as_of``
    (the page opens with its panel closed: the register is built when it is opened), for
    views/analysis.py.
    """
    store = common.case_store()
    _deadlines_shared(key, as_of, store.location, store.revision())


def _batch(store: CaseStore, sel: pd.DataFrame) -> None:
    """Investigation notices for the selected parcels (those of the list above without a case)."""
    lg = lang()
    with_case = set(store.parcels())
    ids = [p for p in dict.fromkeys(sel["parcel_id"].dropna().astype(str)) if p not in with_case]
    _batch_flash()
    if not auth.can("record", scoped=False):
        return
    with st.form("case_batch_form"):
        st.markdown(f"**{t('case_batch_title')}**")
        picked = st.multiselect(t("case_batch_parcels"), ids, key="case_batch_parcels")
        day = st.date_input(t("case_date"), value=common.as_of(), key="case_batch_date")
        submitted = st.form_submit_button(t("case_batch_record"))
    if not submitted:
        return
    if not picked:
        st.warning(t("case_batch_none"))
        return
    parks_of = dict(zip(sel["parcel_id"].astype(str), sel["park_id"], strict=False)) if "park_id" in sel else {}
    results = store.record_many(picked, "investigation_notice", account=auth.current(), park_ids=parks_of,
                                event_date=day)
    done = results["entry_id"].notna()
    st.session_state["case_batch_flash"] = (
        t("case_batch_done", n=int(done.sum())),
        [f"{r.parcel_id}：{access_text(r.error, lg, common.parks())}" for r in results[~done].itertuples()],
    )
    st.rerun()


def _batch_flash() -> None:
    if flash := st.session_state.pop("case_batch_flash", None):
        done, refused = flash
        st.success(done)
        for line in refused:
            st.error(common.md_escape(line))
