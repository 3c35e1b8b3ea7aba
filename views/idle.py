"""闲置土地: parcels by idle status, a card per parcel, review decisions, exports."""

from __future__ import annotations

import copy
import html
import os
import unicodedata

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from shapely.geometry.base import BaseGeometry

import layers
import words
from geo.accounts import REVIEW_APPROVAL_STAGES, AccessError
from geo.idle import CONFLICT_CODES, IDLE_STATUSES, explain_idle, extension_history, summarize_idle
from geo.review import ACTIONS, STAGES, ReviewError
from geo.workspace import FLAGGED_STATUSES
from layers.canvas import CanvasScript
from layers.classes import (
    IDLE_STATUS_COLORS,
    PARK_OUTLINE_COLOR,
    ClassLayer,
    bounds_view,
    class_layer,
    map_view,
    shown_positions,
    shown_script,
)
from layers.classes import text as map_text
from layers.legend import legend_html
from layers.rendered import frame_key
from layers.webgl import POINTS_FROM, webgl_parcels
from views import auth, cases, common, display, exports, imagery, mapview, pager, runlog
from views.i18n import lang, t
from words.idle import conflicts_text, explanation, missing_fields_text, status_label, status_labels
from words.review import beijing_time, beijing_time_one

CARD_FIELDS = (
    "parcel_id", "park_id", "land_use", "holder", "supervision_no", "contract_no", "supply_date", "agreed_start_date",
    "actual_start_date",
    "halted_since", "completion_date", "area_mu", "area_due_m2", "developed_area_m2", "total_investment_wan",
    "invested_wan", "land_price_wan", "delay_cause", "cause_source", "delay_cause_file", "cause_determined_on",
    "cause_determined_by",
)
STATUS_FIELDS = ("idle_status", "idle_kind", "agreed_start_in_force", "extension_doc_no", "clock_start", "idle_days",
                 "idle_since", "next_threshold_date", "fee_wan", "status_if_holder", "fee_if_holder_wan", "warning",
                 "missing_fields", "data_conflicts")
#: Card fields shown only when they say something: the agreement in force, what would follow
#: for a suspected parcel, the data conflicts.
_CARD_WHEN = {
    "agreed_start_in_force": lambda row: isinstance(row.get("extension_doc_no"), str)
    or pd.notna(row.get("extension_signed_date")),
    "extension_doc_no": lambda row: isinstance(row.get("extension_doc_no"), str),
    "status_if_holder": lambda row: row.get("idle_status") == "idle_suspected",
    "fee_if_holder_wan": lambda row: row.get("idle_status") == "idle_suspected",
    "data_conflicts": lambda row: isinstance(row.get("data_conflicts"), str) and bool(row.get("data_conflicts")),
    # The cause established by a determination overrides the file's, which is shown beside it.
    "cause_source": lambda row: row.get("cause_source") == "case",
    "delay_cause_file": lambda row: row.get("cause_source") == "case",
    "cause_determined_on": lambda row: row.get("cause_source") == "case",
    "cause_determined_by": lambda row: row.get("cause_source") == "case",
}
LIST_COLUMNS = ("parcel_id", "park_id", "land_use", "holder", "area_mu", "idle_status", "overdue_days",
                "halted_days", "idle_since", "next_threshold_date", "fee_wan", "warning", "data_conflicts", "decision",
                "decided_at", "disposal_stage", "stage_at")
DATE_FIELDS = frozenset({"cause_determined_on", "supply_date", "agreed_start_date", "actual_start_date", "halted_since", "completion_date",
                         "clock_start", "idle_since", "next_threshold_date", "agreed_start_in_force"})
#: Decimals per unit: 亩 1, 万元 2, 平方米 2.
DECIMALS = {"area_mu": 1, "area_due_m2": 2, "developed_area_m2": 2, "total_investment_wan": 2, "invested_wan": 2,
            "land_price_wan": 2, "fee_wan": 2, "fee_if_holder_wan": 2}
LIST_KINDS = {"area_mu": "mu", "fee_wan": "wan", "overdue_days": "int", "halted_days": "int"}
MAP_HEIGHT_PX = 560


# --------------------------------------------------------------------------- plain rules (unit-tested)


def filter_parcels(df: pd.DataFrame, *, park_ids=None, statuses=None, land_uses=None, holder: str = "",
                   conflicts=None) -> pd.DataFrame:
    """
    Rows of ``df`` in the picked parks (``""`` = outside every park), statuses, uses and holder
    text; with ``conflicts`` (codes of ``geo.idle.CONFLICT_CODES``, none = no filter) only rows
    having at least one of them.
    """
    keep = filter_mask(df, park_ids=park_ids, statuses=statuses, land_uses=land_uses, holder=holder,
                       conflicts=conflicts)
    return df if keep.all() else df[keep]  # everything picked: the (shared, read-only) frame itself, not a copy


def filter_mask(df: pd.DataFrame, *, park_ids=None, statuses=None, land_uses=None, holder: str = "",
                conflicts=None) -> np.ndarray:
    """:func:`filter_parcels` as a boolean mask over the rows of ``df``."""
    keep = pd.Series(True, index=df.index)
    if park_ids is not None:
        pid = df["park_id"].fillna("").astype(str) if "park_id" in df else pd.Series("", index=df.index)
        keep &= pid.isin(list(park_ids))
    if statuses is not None:
        keep &= df["idle_status"].isin(list(statuses))
    if land_uses is not None and "land_use" in df:
        keep &= df["land_use"].fillna("").astype(str).isin(list(land_uses))
    if holder and "holder" in df:
        keep &= df["holder"].fillna("").astype(str).str.contains(holder, regex=False, case=False)
    if conflicts and "data_conflicts" in df:
        listed = "," + df["data_conflicts"].fillna("").astype(str) + ","
        keep &= pd.concat([listed.str.contains(f",{c},", regex=False) for c in conflicts], axis=1).any(axis=1)
    return keep.to_numpy(dtype=bool)


#: The columns the filters read.
FILTER_COLUMNS = ("park_id", "idle_status", "land_use", "holder", "data_conflicts")


def select_parcels(df: pd.DataFrame, *, park_ids=None, held_statuses=(), **filters) -> tuple[pd.DataFrame,
                                                                                               pd.DataFrame]:
    """
    ``(filter_parcels(df, park_ids=park_ids, **filters), the rows of those parks whose status is
    one of held_statuses or of the statuses filtered)``, each taken from ``df`` once: the filters
    read only their few columns (taking every column of a park's 70,000 rows to filter them was
    most of a run at 250,000 parcels). Everything picked gives ``df`` itself (shared, read-only).
    """
    narrow = df[[c for c in FILTER_COLUMNS if c in df.columns]]
    in_parks = filter_mask(narrow, park_ids=park_ids)
    rows = np.flatnonzero(in_parks)
    near = narrow if in_parks.all() else narrow.iloc[rows]
    keep = filter_mask(near, **filters)
    sel = df if in_parks.all() and keep.all() else df.iloc[rows[keep]]
    held = near["idle_status"].isin([*held_statuses, *(filters.get("statuses") or ())]).to_numpy(dtype=bool)
    return sel, (df if in_parks.all() and held.all() else df.iloc[rows[held]])


def normalise_parcel_number(text) -> str:
    """A 宗地编号 as typed, comparable: trimmed, full-width → half-width (NFKC), case-folded."""
    return unicodedata.normalize("NFKC", str(text or "")).strip().casefold()


def find_parcel(parcel_ids: pd.Series, query) -> str | None:
    """
    The parcel number ``query`` means, among ``parcel_ids`` (every park's), or None.

    An exact match wins; then a match after :func:`normalise_parcel_number` on both
    sides (``" ｇｘ－００１ "`` finds ``GX-001``). Among several normalised matches the
    first in ``parcel_ids`` order is returned.
    """
    raw = str(query or "")
    if not raw.strip():
        return None
    ids = pd.Series(parcel_ids).dropna().astype(str)
    for candidate in (raw, raw.strip()):
        if (ids == candidate).any():
            return candidate
    wanted = normalise_parcel_number(raw)
    hit = ids[ids.map(normalise_parcel_number) == wanted]
    return str(hit.iloc[0]) if len(hit) else None


def card_parcel(selected: str | None, visible_ids, pinned: str | None) -> str | None:
    """
    The parcel the card may keep showing after the parks or filters changed.

    It stays when it is still among ``visible_ids`` (the parcels the selection
    shows) or it is the ``pinned`` parcel (found by number or opened by address,
    shown whatever the filters); otherwise the card is cleared (None), so a card
    never shows a parcel of a park the user has left.
    """
    if selected is None:
        return None
    selected = str(selected)
    if pinned is not None and selected == str(pinned):
        return selected
    return selected if selected in set(map(str, visible_ids)) else None


def filter_signature(picked, statuses, land_uses, holder, conflicts=()) -> tuple:
    """The parks and filters as one comparable value (a pin lasts while it is unchanged)."""
    return (tuple(picked or ()), tuple(statuses or ()), tuple(land_uses or ()), str(holder or ""),
            tuple(conflicts or ()))


# --------------------------------------------------------------------------- words


def park_names(lg: str) -> dict[str, str]:
    """``park_id`` → the park's name in ``lg`` (from the parks table); ids never reach the page."""
    parks = common.parks()
    return dict(zip(parks["park_id"].astype(str), parks["name_zh" if lg == "zh" else "name_en"], strict=True))


def _park_name(value, names: dict[str, str]) -> str:
    if not isinstance(value, str) or not value:
        return t("outside_label")
    return names.get(value, value)


def _header(col: str, kind: str | None = None) -> str:
    if col == "park_id":
        return t("park")
    if col == "idle_days" and kind in ("not_started", "stalled"):
        return t("idle_days_a" if kind == "not_started" else "idle_days_b")
    if col == "clock_start" and kind in ("not_started", "stalled"):
        return t("idle_clock_a" if kind == "not_started" else "idle_clock_b")
    return words.header(col, lang())


def _display_value(col: str, value, row: pd.Series) -> str:
    lg = lang()
    if col in ("idle_status", "status_if_holder"):
        return status_label(value, row.get("idle_kind"), lg)
    if col == "data_conflicts":
        return conflicts_text(value, lg)
    if col == "park_id":
        return _park_name(value, park_names(lg))
    if col == "land_use":
        return words.label("land_use", value, lg)
    if col == "cause_source":
        return words.label("cause_source", value, lg)
    if col in ("delay_cause", "delay_cause_file"):
        # A cause no spelling matched is shown as written, for the officer to settle.
        return words.label("delay_cause", value.strip(), lg) if isinstance(value, str) and value.strip() else words.DASH
    if col == "idle_kind":
        return words.label("idle_kind", value, lg)
    if col == "warning":
        return words.yes_no(value, lg)
    if col == "missing_fields":
        return missing_fields_text(value, lg)
    if col in DATE_FIELDS:
        return words.fmt_date(value, lg)
    if col == "idle_days":
        return words.fmt_number(value, 0)
    if col in DECIMALS:
        return words.fmt_number(value, DECIMALS[col])
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return words.DASH
    return str(value)


# --------------------------------------------------------------------------- card and review


def parcel_card(rows: pd.DataFrame) -> None:
    row = rows.iloc[0]
    lg = lang()
    if len(rows) > 1:
        st.warning(t("idle_duplicate", n=len(rows)))
    as_of = common.as_of()
    # The file's agreements and those the case store holds (agreed in the procedure or recorded
    # on the page): the history the clock uses.
    ext = cases.store_extensions(str(row.get("parcel_id")))
    park = _park_name(row.get("park_id"), park_names(lg))
    card = _card_shown(_card_key(row, ext, as_of, lg, park), rows.iloc[[0]], ext, as_of, lg, park)
    st.markdown(card["badge"], unsafe_allow_html=True)
    st.caption(card["caption"])
    if card["cause"]:
        (st.warning if card["cause"][0] == "warning" else st.info)(card["cause"][1])
    st.markdown(card["explanation"])
    if card["conflicts"]:
        st.warning(card["conflicts"])
    st.html(card["fields"])
    if card["history"]:
        st.markdown(f"**{t('idle_extensions_title')}**")
        st.html(card["history"])


def _card_key(row: pd.Series, ext: pd.DataFrame | None, as_of, lg: str, park: str) -> tuple:
    """
    What a parcel's card is made of: its values (not its shape), the case store's agreements for
    it, the date, the language and its park's name — the same card for every session and rerun.
    """
    values = repr([(c, row[c]) for c in row.index if not isinstance(row[c], BaseGeometry)])
    agreed = None if ext is None else repr(ext.to_numpy().tolist())
    return (str(row.get("parcel_id")), as_of, lg, park, values, agreed)


@st.cache_resource(show_spinner=False, max_entries=256)
def _card_shown(key: tuple, _rows: pd.DataFrame, _ext: pd.DataFrame | None, as_of, lg: str, park: str) -> dict:
    """
    A parcel's card as shown (texts and HTML tables), once per server for its :func:`_card_key`:
    the rules' explanation and the formatted tables were ~0.07 s of every run of the page (a filter,
    a date) at 50,000 parcels, for a card that had not changed.
    """
    row = _rows.iloc[0]
    color = IDLE_STATUS_COLORS.get(row["idle_status"], "#888888")
    ink = "#000" if _light(color) else "#fff"  # readable on yellow as on dark red
    sep = "　" if lg == "zh" else " · "
    items = explain_idle(row.to_dict(), as_of=as_of)
    conflicts = row.get("data_conflicts")
    kind = row.get("idle_kind") if isinstance(row.get("idle_kind"), str) else None
    fields = [c for c in (*CARD_FIELDS, *STATUS_FIELDS)
              if c in _rows.columns and (c not in _CARD_WHEN or _CARD_WHEN[c](row))]
    table = pd.DataFrame({t("idle_field"): [_header(c, kind) for c in fields],
                          t("idle_value"): [_display_value(c, row[c], row) for c in fields]})
    history = extension_history(_rows, as_of=as_of, extensions=_ext)
    return {
        "badge": f"<span style='background:{color};color:{ink};padding:2px 8px;border-radius:4px'>"
                 f"{html.escape(status_label(row['idle_status'], row.get('idle_kind'), lg))}</span>",
        "caption": f"{words.header('parcel_id', lg)}{_colon()}{common.md_escape(row['parcel_id'])}{sep}{t('park')}"
                   f"{_colon()}{common.md_escape(park)}",
        "cause": _cause_notice(row),
        "explanation": f"**{t('explanation')}**{_colon()}" + common.md_escape(explanation(items, lg)),
        "conflicts": f"{t('idle_conflicts_title')}{_colon()}{common.md_escape(conflicts_text(conflicts, lg))}"
                     if isinstance(conflicts, str) and conflicts else None,
        "fields": display.table_html(table),
        "history": display.table_html(extensions_display(history, lg)) if len(history) else None,
    }


common.register_shared(_card_shown)


def _cause_notice(row: pd.Series) -> tuple[str, str] | None:
    """
    A suspected parcel: the cause is still to be established, nothing is proposed; an unrecognised
    text is shown — ``("warning" | "info", text)``, or None.
    """
    if row.get("idle_status") != "idle_suspected" and not bool(row.get("cause_unrecognised")):
        return None
    raw = row.get("delay_cause")
    if bool(row.get("cause_unrecognised")) and isinstance(raw, str) and raw.strip():
        return "warning", t("idle_cause_to_settle", value=common.md_escape(raw.strip()))
    return "info", t("idle_cause_pending")


def extensions_display(history: pd.DataFrame, lg: str) -> pd.DataFrame:
    """One parcel's supplementary agreements (``geo.idle.extension_history``) as an officer reads them."""
    state = pd.Series(t("idle_ext_superseded"), index=history.index)
    state[~history["counts"]] = t("idle_ext_not_yet")
    state[history["in_force"]] = t("idle_ext_in_force")
    state[~history["readable"]] = t("idle_ext_unreadable")
    text = {c: history[c].astype(object).where(history[c].notna(), words.DASH) for c in ("reason", "doc_no")}
    return pd.DataFrame({
        t("idle_ext_signed"): history["signed_date"].map(lambda v: words.fmt_date(v, lg)).to_numpy(),
        t("idle_ext_new_start"): history["new_start_date"].map(lambda v: words.fmt_date(v, lg)).to_numpy(),
        t("idle_ext_reason"): text["reason"].to_numpy(),
        t("idle_ext_doc_no"): text["doc_no"].to_numpy(),
        t("idle_ext_state"): state.to_numpy(),
    })


def _light(hex_color: str) -> bool:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b > 150


def _colon() -> str:
    return "：" if lang() == "zh" else ": "


def history_display(log: pd.DataFrame, lg: str) -> pd.DataFrame:
    """The review log as an officer reads it: labels, Beijing time, headers in ``lg``, "—" for gaps."""
    out = pd.DataFrame(index=log.index)
    out[words.header("recorded_at", lg)] = beijing_time(log["recorded_at"]).to_numpy()
    out[words.header("user_name", lg)] = log["user_name"].fillna(words.DASH).astype(str).to_numpy()
    roles = log["user_role"] if "user_role" in log else pd.Series(None, index=log.index, dtype=object)
    out[words.header("user_role", lg)] = roles.map(lambda r: words.label("role", r, lg)).to_numpy()
    out[words.label("ui", "action", lg)] = log["action"].map(lambda v: words.label("review_action", v, lg))
    out[words.header("disposal_stage", lg)] = log["stage"].map(lambda v: words.label("disposal_stage", v, lg))
    for col, key in (("reason", "reason"), ("note", "note")):
        text = log[col].astype(object)
        blank = text.isna() | (text.astype(str).str.strip() == "")
        out[words.label("ui", key, lg)] = text.where(~blank, words.DASH)
    out[words.header("computed_status", lg)] = status_labels(log["computed_status"], None, lg)
    return out.reset_index(drop=True)


def review_panel(rows: pd.DataFrame) -> None:
    row = rows.iloc[0]
    lg = lang()
    pid = str(row["parcel_id"])
    store = common.current_workspace().review_store(parks=common.parks())
    st.markdown(f"**{t('review')}**")
    decision = row.get("decision")
    if isinstance(decision, str) and decision:
        by = row.get("decided_by")
        who = f"（{common.md_escape(by)}，{beijing_time_one(row.get('decided_at'))}）" if isinstance(by, str) and by else ""
        st.info(f"{t('current_decision')}{_colon()}{words.label('decision', decision, lg)}{who}")
    action_words = words.labels("review_action", lg)
    stage_words = words.labels("disposal_stage", lg)
    park = row.get("park_id")
    # Pages hide what the account may not do; the store refuses it all the same.
    stages = STAGES if auth.can("approve", park) else tuple(s for s in STAGES if s not in REVIEW_APPROVAL_STAGES)
    submitted = False
    if not auth.can("record", park):
        st.info(t("auth_read_only"))
    # Filled when opened (a rerun), as the case's form: closed, a load draws none of its widgets.
    elif (box := st.expander(t("review_form_title"), on_change="rerun", key="review_form_open")).open:
        with box, st.form("review_form", clear_on_submit=True):
            action = st.radio(t("action"), ACTIONS, format_func=action_words.get, horizontal=True,
                              key=common.lkey("review_action", ACTIONS[0]))
            stage = st.selectbox(t("stage"), stages, format_func=stage_words.get,
                                 key=common.lkey("review_stage", stages[0]))
            reason = st.text_input(t("reason"), key="review_reason")
            note = st.text_area(t("note"), key="review_note", height=68)
            submitted = st.form_submit_button(t("record"), type="primary")
    if submitted:
        try:
            store.record(pid, action=action, account=auth.current(), park_id=park,
                         stage=stage if action == "stage" else None,
                         reason=reason or None, note=note or None, computed_status=row["idle_status"])
        except ReviewError as exc:
            st.error(common.md_escape(words.render(exc.item, lg)))
        except AccessError as exc:
            st.error(auth.refusal(exc))
        else:
            st.session_state["idle_flash"] = t("recorded")
            st.rerun()
    if msg := st.session_state.pop("idle_flash", None):
        st.success(msg)
    log = store.log(pid)
    st.markdown(f"**{t('history')}**")
    if log.empty:
        st.caption(t("no_history"))
    else:
        st.dataframe(history_display(log, lg), hide_index=True, width="stretch", key="idle_history")


# --------------------------------------------------------------------------- tables


def summary_display(summary: pd.DataFrame) -> pd.DataFrame:
    """``summarize_idle`` output with status labels and headers in the session's language."""
    lg = lang()
    labels = words.labels("idle_status", lg) | {"total": t("total")}
    out = summary.reset_index()
    status_col = out.columns[0]
    out[status_col] = out[status_col].map(lambda v: labels.get(v, v))
    out["area_mu"] = out["area_mu"].round(1)
    out["fee_wan"] = out["fee_wan"].round(2)
    return out.rename(columns={status_col: words.header("idle_status", lg), "count": words.header("status_count", lg),
                               "area_mu": words.header("area_mu", lg), "fee_wan": words.header("fee_wan", lg)})


def list_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The list's columns from the analysed parcels: the clock's days split by kind (逾期未动工 / 中止开发)."""
    out = df.copy()
    if "idle_days" in out and "idle_kind" in out:
        days = out["idle_days"].astype("Int64")
        out["overdue_days"] = days.where(out["idle_kind"] == "not_started")
        out["halted_days"] = days.where(out["idle_kind"] == "stalled")
    return out[[c for c in LIST_COLUMNS if c in out.columns]]


def _list_shown(page: pd.DataFrame, lg: str) -> tuple[pd.DataFrame, dict]:
    """
    One page of the list as shown (:func:`list_display`, ``display.formatted``), made once per
    server for the page's values, the parks and the language: writing the page was ~0.02 s of
    every run of the page (a filter, a date, a click) for a page that had not changed.
    """
    cols = [c for c in dict.fromkeys((*LIST_COLUMNS, "idle_kind", "idle_days")) if c in page.columns]
    return _list_shared((frame_key(pd.DataFrame(page[cols]), cols), common.data_key(), lg), page)


@st.cache_resource(show_spinner=False, max_entries=64)
def _list_shared(key: tuple, _page: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    return display.formatted(list_display(_page), {_header(c): k for c, k in LIST_KINDS.items()})


common.register_shared(_list_shared)


def list_display(df: pd.DataFrame) -> pd.DataFrame:
    """The parcel list as shown and exported: codes → labels, dates as text, rounded numbers, headers with units."""
    lg = lang()
    out = list_frame(df)
    if "idle_status" in out:
        kind = df["idle_kind"] if "idle_kind" in df else None
        out["idle_status"] = status_labels(out["idle_status"], kind, lg)
    if "park_id" in out:
        names = park_names(lg)
        out["park_id"] = out["park_id"].map(lambda p: _park_name(p, names))
    if "land_use" in out:
        out["land_use"] = out["land_use"].map(lambda v: words.label("land_use", v, lg))
    for col in ("idle_since", "next_threshold_date"):
        if col in out:
            out[col] = display.dates_text(out[col])
    for col in ("decided_at", "stage_at"):
        if col in out:
            out[col] = beijing_time(out[col]).to_numpy()
    if "warning" in out:
        out["warning"] = out["warning"].map(lambda v: words.yes_no(v, lg))
    if "data_conflicts" in out:
        out["data_conflicts"] = out["data_conflicts"].map(lambda v: conflicts_text(v, lg))
    if "decision" in out:
        out["decision"] = out["decision"].map(lambda v: words.label("decision", v, lg))
    if "disposal_stage" in out:
        out["disposal_stage"] = out["disposal_stage"].map(lambda v: words.label("disposal_stage", v, lg))
    for col in ("overdue_days", "halted_days"):
        if col in out:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    for col, n in DECIMALS.items():
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(n)
    if "holder" in out:
        out["holder"] = out["holder"].fillna(words.DASH)
    return out.rename(columns={c: _header(c) for c in out.columns})


def list_export(df: pd.DataFrame, listing: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """The parcel list as shown (:func:`list_display`) with each parcel's shape, for the downloads."""
    listing = list_display(df) if listing is None else listing
    return gpd.GeoDataFrame(listing, geometry=df.geometry.to_numpy(), crs=df.crs)


# --------------------------------------------------------------------------- selection state


def _picked() -> None:
    st.session_state["idle_selected"] = st.session_state["idle_pick"]


def _select(pid: str, sig: tuple) -> None:
    ss = st.session_state
    ss["idle_selected"] = pid
    ss["idle_pinned"] = {"id": pid, "sig": sig}


def _drop_stale_pin(sig: tuple) -> None:
    """
    A pin lasts while the parks and filters stay as they were when it was set.

    Runs before the search box is drawn, so the box can be emptied with it: the number
    typed there no longer shows, and typing it again finds the parcel again.
    """
    ss = st.session_state
    pin = ss.get("idle_pinned")
    if pin and pin["sig"] != sig:
        ss.pop("idle_pinned")
        ss["idle_search"] = ""
        ss["idle_search_done"] = ""
        ss["idle_search_miss"] = None


def _selection(analysed: pd.DataFrame, sel: pd.DataFrame, sig: tuple) -> tuple[list[str], str | None, str | None]:
    """(options of the parcel picker, the parcel to show or None, the pinned parcel or None)."""
    ss = st.session_state
    # The map's last click (st_folium's value sits under its key before the map is drawn again):
    # selected and outlined in this same run.
    clicked = layers.clicked_parcel_id(ss.get("idle_map"))
    if clicked and clicked != ss.get("idle_clicked"):
        ss["idle_clicked"] = clicked
        ss["idle_selected"] = clicked
        ss["idle_pick"] = clicked
    all_ids = analysed["parcel_id"].astype(str)
    # ?parcel=<id> in the address keeps the parcel across reloads and makes links shareable:
    # it is brought in whatever the filters, as a search is.
    if "idle_selected" not in ss and st.query_params.get("parcel"):
        found = find_parcel(all_ids, st.query_params["parcel"])
        if found:
            _select(found, sig)
    query = str(ss.get("idle_search") or "")
    if query.strip() != ss.get("idle_search_done", ""):
        ss["idle_search_done"] = query.strip()
        found = find_parcel(all_ids, query) if query.strip() else None
        ss["idle_search_miss"] = query.strip() if query.strip() and not found else None
        if found:
            _select(found, sig)
    pin = ss.get("idle_pinned")
    pinned = pin["id"] if pin and pin["sig"] == sig else None
    ids = list(dict.fromkeys(sel["parcel_id"].astype(str))) if len(sel) else []
    if "idle_selected" in ss:
        current = card_parcel(ss["idle_selected"], ids, pinned)
        if current is None and ss["idle_selected"] is not None:
            st.query_params.pop("parcel", None)
        ss["idle_selected"] = current
    else:
        current = ids[0] if ids else None  # first visit: the first parcel of the selection
    options = ids if pinned is None or pinned in ids else [pinned, *ids]
    return options, current, pinned


# --------------------------------------------------------------------------- the map, filtered in place

_TOOLTIP = ("parcel_id", "holder", "idle_status_label", "area_mu")


def map_parcels(held: pd.DataFrame, sel: pd.DataFrame, *, limit: int) -> pd.DataFrame:
    """
    The parcels the map holds for the picked parks: ``held``, every parcel of a flagged status or
    of a status picked (:func:`select_parcels`), so that a change of the statuses, uses, holder or
    conflicts picked shows and hides parcels of the drawn map instead of drawing a new one;
    ``sel`` itself when ``held`` is more than the map may carry (``limit``) or lacks a row of it.
    """
    if len(held) > limit or not sel.index.isin(held.index).all():
        return sel
    return held


def map_tooltip(lg: str) -> dict[str, str]:
    """The map's tooltip: ``{property: header}`` in ``lg``."""
    return {c: words.header("idle_status" if c == "idle_status_label" else c, lg) for c in _TOOLTIP}


def map_parts(on_map: pd.DataFrame, version, lg: str) -> list[tuple[str, ClassLayer]]:
    """
    ``(park_id, its parcels on the map)`` of each park of ``on_map`` (``""``: outside every park);
    from ``mapview.canvas_from()`` parcels on the map, each part is drawn on a canvas of its own
    (``layers.canvas``) instead of a Leaflet layer per parcel.
    """
    tooltip = map_tooltip(lg)
    canvas = len(on_map) >= mapview.canvas_from()
    park_of = on_map["park_id"].fillna("").astype(str) if "park_id" in on_map else pd.Series("", index=on_map.index)
    return [(str(park), _part(rows, str(park), version, lg, tooltip, canvas))
            for park, rows in on_map.groupby(park_of.to_numpy(), sort=False)]


def prepare_default_map(analysed: pd.DataFrame, parks: pd.DataFrame, version, lg: str = "zh") -> int:
    """
    The parcel files of the map as the page opens by default (the first park, the flagged
    statuses) made ahead, for ``views.analysis`` to prepare a new version; how many parcels.
    """
    if not len(parks):
        return 0
    sel, held = select_parcels(analysed, park_ids=[str(parks["park_id"].astype(str).iloc[0])],
                               held_statuses=FLAGGED_STATUSES, statuses=FLAGGED_STATUSES)
    on_map = map_parcels(held, sel, limit=mapview.folium_limit())
    if len(sel) > mapview.folium_limit():
        return 0  # drawn with WebGL
    # The map itself, without parcels, built once in this server process (each process serves
    # sessions of its own) as the page builds it: the parks' areas and labels it measures are
    # remembered per process (geo.crs.area_m2_remembered; ~0.2 s of a first visit, mostly pyproj's
    # transformers). Its rendering is left to the page: streamlit_folium registers its component
    # only when first imported inside a script run, and this thread has none.
    map_frame(analysed, parks, lg, "none", os.environ.get("TIANDITU_TK") or None, mapview.folium_limit(), None)
    return sum(len(part) for _, part in map_parts(on_map, version, lg))


def map_frame_key(parks: pd.DataFrame, lg: str, basemap: str, tk: str | None, limit: int, overlay) -> tuple:
    """
    The key of the idle map as drawn, without parcels (:func:`map_frame`): it does not follow the
    parks, the filters or the version, only the parks' outlines, the language, the basemap, the
    limit and the imagery overlay.
    """
    return ("idle-map", frame_key(parks, ["park_id"]), lg, basemap, tk, limit, words.label("ui", "filter_status", lg),
            overlay)


def map_frame(columns: pd.DataFrame, parks: pd.DataFrame, lg: str, basemap: str, tk: str | None, limit: int,
              overlay):
    """
    The idle map without parcels (every park's outline, the legend, the basemap, the overlay); the
    parks' parcels are files it loads (:func:`map_parts`). ``columns``: a frame of the parcels'
    columns (its rows are not drawn).
    """
    empty = columns.iloc[:0].assign(idle_status_label=pd.Series(dtype=object))
    m = layers.parcel_map(empty, parks=parks, color_col="idle_status", colors=dict(IDLE_STATUS_COLORS),
                          labels=words.labels("idle_status", lg), tooltip_fields=map_tooltip(lg), basemap=basemap,
                          tianditu_key=tk, legend_title=words.label("ui", "filter_status", lg), lang=lg,
                          max_parcels=limit)
    imagery.draw_overlay(m, overlay)
    CanvasScript().add_to(m)  # the parks' parcels may come as canvas parts (map_parts)
    return m


def _part(rows: pd.DataFrame, park: str, version, lg: str, tooltip: dict, canvas: bool = False) -> ClassLayer:
    """One park's parcels on the map (cached: the same file for every session and filter)."""

    def make() -> ClassLayer:
        labelled = rows.assign(idle_status_label=status_labels(rows["idle_status"], rows.get("idle_kind"), lg))
        return class_layer(labelled, labelled["idle_status"], tooltip_fields=tooltip, canvas=canvas)

    key = ("idle", park, frame_key(rows, ["idle_status", "idle_kind"], rows_of=version), lg, tuple(tooltip.values()),
           canvas)
    return mapview.PARTS.get(key, make)


def _filtered_map(on_map: pd.DataFrame, sel: pd.DataFrame, outlined: pd.DataFrame, current, pinned,
                  parks: pd.DataFrame, picked: list, status_words: dict, basemap: str, limit: int, version) -> None:
    """
    The idle map: drawn once (every park's outline, the legend) and kept whatever the parks and
    filters picked; each picked park's parcels are a file the map loads once, and a change of
    the filters shows and hides parcels in place (``layers.classes.shown_script``), so the map
    is not drawn anew. The legend lists the statuses shown.
    """
    lg = lang()
    tooltip = map_tooltip(lg)
    tk = st.session_state.get("tianditu_tk") or None
    # Always one container: the overlay's controls appear only for parks with imagery, and an
    # element appearing before the map would move it (a new map).
    with st.container():
        overlay = imagery.overlay_controls(picked, key="idle")

    def build():
        return map_frame(on_map, parks, lg, basemap, tk, limit, overlay)

    parts, bounds = [], []
    for park, part in map_parts(on_map, version, lg):
        if len(part):
            url = mapview.media_address(part.blob, f"idle:{park}")
            parts.append((url, len(part), shown_positions(part, sel.index), part.kind))
            if part.bounds:
                bounds.append(part.bounds)
    shown = set(sel["idle_status"])
    legend = legend_html(t("filter_status"), [(status_words.get(k, k), c) for k, c in IDLE_STATUS_COLORS.items()
                                               if k in shown],
                         outline=[(map_text("parks", lg), PARK_OUTLINE_COLOR)] if len(parks) else [])
    script = shown_script(parts, IDLE_STATUS_COLORS, tooltip_fields=tooltip, legend=legend,
                          canvas=len(on_map) >= mapview.canvas_from(), blank=words.DASH)
    cache_key = map_frame_key(parks, lg, basemap, tk, limit, overlay)
    # The picked parcel's outline, made and rendered once per parcel (its shape is the version's):
    # building it was ~0.1 s of every run at 50,000 parcels.
    outline_key = None
    if current is not None and (outlined["parcel_id"].astype(str) == str(current)).any():
        outline_key = ("idle-outline", version, str(current), lg, len(on_map) < mapview.canvas_from())
    # The view: the pinned parcel, else the picked parks' parcels; it moves the drawn map.
    if pinned:
        view = map_view(outlined[outlined["parcel_id"].astype(str) == pinned])
    else:
        view = bounds_view([[min(b[0][0] for b in bounds), min(b[0][1] for b in bounds)],
                            [max(b[1][0] for b in bounds), max(b[1][1] for b in bounds)]] if bounds else None)
    # A click is taken before the page is drawn (``_selection``): one run, no second rerun.
    mapview.folium_map(build, cache_key=cache_key, key="idle_map", height=MAP_HEIGHT_PX,
                       returned_objects=["last_active_drawing"], restyle=script,
                       feature_group_to_add=lambda: layers.highlight_layer(
                           outlined, current, lang=lg, interactive=len(on_map) < mapview.canvas_from()),
                       feature_group_key=outline_key,
                       center=view[0] if view else None, zoom=view[1] if view else None)
    imagery.overlay_caption(overlay)


# --------------------------------------------------------------------------- page


@runlog.fragment
def _map_and_card(analysed: pd.DataFrame, sel: pd.DataFrame, sig: tuple, picked: list, parks: pd.DataFrame,
                  status_words: dict, held: pd.DataFrame | None = None) -> None:
    """
    The map and the parcel card: a click on the map or a parcel picked reruns this part only
    (``st.fragment``), not the filters, the lists and the work list below, which a click does not
    change. A record made on the card reruns the whole page (``st.rerun()``): the lists show it.
    """
    lg = lang()
    options, current, pinned = _selection(analysed, sel, sig)
    # Always one container here, filled when a search found nothing: an element that appears
    # before the map would move it in the page, and the map would be drawn anew.
    notice = st.container()
    if miss := st.session_state.get("idle_search_miss"):
        notice.warning(common.md_escape(words.text("idle_search_not_found", lg, value=miss)))
    st.caption(t("n_shown", n=len(sel), area=float(sel["area_mu"].sum())))

    # A parcel found by number goes on the map as its outline (also outside the selection) and
    # the map moves to it; the selection's map itself stays the same component, so it is not
    # remounted and the move applies.
    outlined = sel
    if pinned is not None and pinned not in set(sel["parcel_id"].astype(str)):
        outlined = pd.concat([sel, analysed[analysed["parcel_id"].astype(str) == pinned]])
    map_col, card_col = st.columns([3, 2])
    with map_col:
        limit = mapview.folium_limit()
        too_big = layers.check_map_size(len(sel), limit=limit, lang=lg)
        basemap = st.session_state.get("basemap", "none")
        # The parcels' shapes, numbers, holders and areas are the version's: only what the date,
        # the cases and the review change is hashed (``frame_key``'s ``rows_of``).
        version = (common.data_key(), auth.scope_key())
        drawn = ["idle_status", "idle_kind"]
        on_map = sel if too_big or held is None else map_parcels(held, sel, limit=limit)
        if too_big:
            # Too many for folium: every parcel drawn with WebGL, once per selection.
            st.info(t("webgl_drawn", n=len(sel), limit=limit))
            if len(sel) >= POINTS_FROM:
                st.caption(t("webgl_points"))
            shown = set(sel["idle_status"])
            colors = {k: c for k, c in IDLE_STATUS_COLORS.items() if k in shown}
            with st.spinner("…"):
                mapview.webgl_map(
                    lambda: webgl_parcels(sel, color_col="idle_status", colors=colors, labels=status_words,
                                          legend_title=t("filter_status"), lang=lg),
                    cache_key=("idle", frame_key(sel, drawn, rows_of=version), lg, t("filter_status")),
                    key="idle_webgl_map", height=MAP_HEIGHT_PX)
        elif len(outlined) or len(on_map):
            _filtered_map(on_map, sel, outlined, current, pinned, parks, picked, status_words, basemap, limit,
                          version)
        else:
            st.info(t("no_parcels"))
    with card_col:
        st.subheader(t("parcel_card"))
        if options:
            # a bounded list: the options travel with the box on every click
            shown_ids = pager.picker_options(options, current)
            st.session_state["idle_pick"] = current if current in shown_ids else None
            pick = st.selectbox(t("pick_parcel"), shown_ids, key="idle_pick", on_change=_picked,
                                placeholder=t("idle_pick_none"))
            if len(shown_ids) < len(options):
                st.caption(t("picker_more_idle", n=len(options), limit=pager.PICKER_LIMIT))
            if pick is not None:
                st.session_state["idle_selected"] = pick
                st.query_params["parcel"] = pick
                rows = analysed[analysed["parcel_id"].astype(str) == pick]
                parcel_card(rows)
                imagery.evidence_card(analysed, rows)
                cases.case_panel(rows)
                cases.agreement_form(rows)
                review_panel(rows)
            else:
                st.caption(t("idle_pick_none"))


def render() -> None:
    st.title(t("page_idle"))
    analysed = common.idle_parcels()
    if analysed is None:
        return
    lg = lang()
    parks = common.parks()
    names = park_names(lg)
    park_options = [*parks["park_id"].astype(str), ""]
    names[""] = t("outside_label")
    status_words = words.labels("idle_status", lg)
    c1, c2 = st.columns([2, 3])
    picked = c1.multiselect(t("pick_parks"), park_options, format_func=names.get,
                            key=common.lkey("idle_parks", [park_options[0]]))
    statuses = c2.multiselect(t("filter_status"), IDLE_STATUSES, format_func=status_words.get,
                              key=common.lkey("idle_statuses", list(FLAGGED_STATUSES)))
    c3, c4, c6, c5 = st.columns([3, 2, 2, 2])
    uses = sorted(analysed["land_use"].dropna().astype(str).unique()) if "land_use" in analysed else []
    land_uses = c3.multiselect(t("filter_land_use"), uses,
                               format_func={u: words.label("land_use", u, lg) for u in uses}.get,
                               key=common.lkey("idle_uses", uses))
    holder = c4.text_input(t("filter_holder"), key="idle_holder")
    conflict_words = words.labels("idle_conflict", lg)
    conflicts = c6.multiselect(t("idle_filter_conflicts"), CONFLICT_CODES, format_func=conflict_words.get,
                               help=t("idle_filter_conflicts_help"), key=common.lkey("idle_conflicts", []))
    sig = filter_signature(picked, statuses, land_uses, holder, conflicts)
    _drop_stale_pin(sig)
    c5.text_input(t("idle_search"), key="idle_search", placeholder=t("idle_search_help"))
    sel, held = select_parcels(analysed, park_ids=picked, held_statuses=FLAGGED_STATUSES, statuses=statuses,
                               land_uses=land_uses, holder=holder, conflicts=conflicts)
    sel = imagery.contradiction_filter(analysed, sel, key="idle")
    _map_and_card(analysed, sel, sig, picked, parks, status_words, held)

    st.subheader(t("status_summary"))
    summary = summary_display(summarize_idle(sel["idle_status"], sel["area_mu"], sel["fee_wan"]))
    common.small_table(summary, {words.header("status_count", lg): "int", words.header("area_mu", lg): "mu",
                                 words.header("fee_wan", lg): "wan"})

    st.subheader(t("parcel_list"))
    # One page of the list is dressed and shipped; the downloads take the whole selection.
    frame, config = _list_shown(pager.paged(sel, key="idle_list_pager", lang=lg), lg)
    st.dataframe(frame, column_config=copy.deepcopy(config), hide_index=True, width="stretch", key="idle_list")
    exports.export_buttons(lambda: list_export(sel), has_geometry=True, base_name=t("page_idle"),
                           stamp=common.as_of().isoformat(), key="idle_dl", sheet=t("parcel_list"), layer="idle")

    imagery.imagery_section(analysed, sel, picked, key="idle")
    cases.work_list(sel)


if __name__ == "__main__":
    render()
