"""闲置土地: parcels by idle status, a card per parcel, review decisions, exports."""

from __future__ import annotations

import html
import os

import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
import words
from geo import io
from geo.idle import IDLE_STATUSES, STATUS_COLORS, STATUS_LABELS, explain_idle, summarize_idle
from geo.review import ACTION_LABELS, ACTIONS, STAGE_LABELS, STAGES, ReviewError
from geo.schema import PARCEL_BY_NAME
from geo.workspace import FLAGGED_STATUSES
from layers.webgl import webgl_parcels
from views import common, display
from views.i18n import lang, t

CARD_FIELDS = (
    "parcel_id", "park_id", "land_use", "holder", "supply_date", "agreed_start_date", "actual_start_date",
    "halted_since", "completion_date", "area_mu", "area_due_m2", "developed_area_m2", "total_investment_wan",
    "invested_wan", "land_price_wan", "delay_cause",
)
STATUS_FIELDS = ("idle_status", "idle_kind", "clock_start", "idle_days", "idle_since", "next_threshold_date",
                 "fee_wan", "warning", "missing_fields")
LIST_COLUMNS = ("parcel_id", "park_id", "land_use", "holder", "area_mu", "idle_status", "idle_days",
                "idle_since", "next_threshold_date", "fee_wan", "warning", "decision", "disposal_stage")
STATUS_HEADERS = {
    "zh": {"idle_status": "闲置状态", "idle_kind": "闲置类型", "clock_start": "起算日期", "idle_days": "闲置天数",
           "idle_since": "认定闲置日期", "next_threshold_date": "下一节点日期", "fee_wan": "闲置费(万元)",
           "warning": "临近预警", "missing_fields": "缺失字段", "area_mu": "面积(亩)", "decision": "核查结论",
           "disposal_stage": "处置阶段", "status_count": "宗数", "total": "合计"},
    "en": {"idle_status": "Idle status", "idle_kind": "Kind of idleness", "clock_start": "Clock starts",
           "idle_days": "Days idle", "idle_since": "Idle since", "next_threshold_date": "Next threshold",
           "fee_wan": "Idle-land fee (万元)", "warning": "Nearing a threshold", "missing_fields": "Missing fields",
           "area_mu": "Area (亩)", "decision": "Decision", "disposal_stage": "Disposal stage",
           "status_count": "Parcels", "total": "Total"},
}
KIND_LABELS = {
    "zh": {"not_started": "未动工（逾期满1年）", "stalled": "已动工后中止"},
    "en": {"not_started": "Not started (A)", "stalled": "Stalled (B)"},
}
YES_NO = {"zh": {True: "是", False: "否"}, "en": {True: "yes", False: "no"}}
LIST_KINDS = {"area_mu": "mu", "fee_wan": "wan", "idle_days": "int"}


def filter_parcels(df: pd.DataFrame, *, park_ids=None, statuses=None, land_uses=None, holder: str = "") -> pd.DataFrame:
    """Rows of ``df`` in the picked parks (``""`` = outside every park), statuses, uses and holder text."""
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
    return df[keep]


def land_use_label(code: str) -> str:
    """A land-use code in words: 工业用地 in Chinese, ``public_service`` → Public service in English."""
    if lang() == "zh":
        return words.label("land_use", code, "zh")
    return code.replace("_", " ").capitalize() if isinstance(code, str) else code


def _colon() -> str:
    return "：" if lang() == "zh" else ": "


def _fmt(value) -> str:
    if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)):
        return "—"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _label(col: str) -> str:
    if col in PARCEL_BY_NAME:
        c = PARCEL_BY_NAME[col]
        return c.zh if lang() == "zh" else c.en
    return STATUS_HEADERS.get(lang(), {}).get(col, col)


def _display_value(col: str, value) -> str:
    if col == "idle_status":
        return STATUS_LABELS[lang()].get(value, _fmt(value))
    if col == "park_id" and isinstance(value, str) and value:
        names = common.parks().set_index("park_id")["name_zh" if lang() == "zh" else "name_en"]
        return f"{names.get(value, value)}（{value}）"
    if col == "land_use" and isinstance(value, str):
        return land_use_label(value)
    if col == "delay_cause" and lang() == "zh":
        return words.label("delay_cause", value, "zh")
    if col == "idle_kind":
        return KIND_LABELS[lang()].get(value, _fmt(value))
    if col == "warning" and isinstance(value, (bool, np.bool_)):
        return YES_NO[lang()][bool(value)]
    if col == "missing_fields" and isinstance(value, str):
        return "、".join(_label(c) for c in value.split(",") if c) or "—"
    if col == "area_mu" and not pd.isna(value):
        return f"{float(value):,.1f}"
    if col == "idle_days" and not pd.isna(value):
        return f"{int(value):,}"
    return _fmt(value)


def parcel_card(rows: pd.DataFrame) -> None:
    row = rows.iloc[0]
    if len(rows) > 1:
        st.warning(("宗地编号重复：" if lang() == "zh" else "Duplicate parcel number: ") + f"{len(rows)}")
    color = STATUS_COLORS.get(row["idle_status"], "#888")
    st.markdown(
        f"<span style='background:{color};color:#fff;padding:2px 8px;border-radius:4px'>"
        f"{html.escape(STATUS_LABELS[lang()].get(row['idle_status'], str(row['idle_status'])))}</span>",
        unsafe_allow_html=True,
    )
    st.markdown(f"**{t('explanation')}**{_colon()}" + explain_idle(row.to_dict(), as_of=common.as_of(), lang=lang()))
    fields = [c for c in (*CARD_FIELDS, *STATUS_FIELDS) if c in rows.columns]
    field, value = ("项目", "内容") if lang() == "zh" else ("Field", "Value")
    table = pd.DataFrame({field: [_label(c) for c in fields], value: [_display_value(c, row[c]) for c in fields]})
    st.dataframe(table, hide_index=True, width="stretch", key="idle_card_table")


def review_panel(rows: pd.DataFrame) -> None:
    row = rows.iloc[0]
    pid = str(row["parcel_id"])
    store = common.current_workspace().review_store()
    st.markdown(f"**{t('review')}**")
    decision = row.get("decision")
    if isinstance(decision, str):
        st.info(f"{t('current_decision')}{_colon()}{t('decided_' + decision)}"
                + (f"（{row.get('decided_by')}，{row.get('decided_at')}）" if row.get("decided_by") else ""))
    with st.form("review_form", clear_on_submit=True):
        action = st.radio(t("action"), ACTIONS, format_func=ACTION_LABELS[lang()].get, horizontal=True,
                          key=common.lkey("review_action", ACTIONS[0]))
        stage = st.selectbox(t("stage"), STAGES, format_func=STAGE_LABELS[lang()].get,
                             key=common.lkey("review_stage", STAGES[0]))
        reason = st.text_input(t("reason"), key="review_reason")
        note = st.text_area(t("note"), key="review_note", height=68)
        submitted = st.form_submit_button(t("record"), type="primary")
    if submitted:
        try:
            store.record(pid, action=action, user=st.session_state.get("user", ""), stage=stage if action == "stage" else None,
                         reason=reason or None, note=note or None, computed_status=row["idle_status"])
        except ReviewError as exc:
            st.error(str(exc) if st.session_state.get("user") else t("user_required"))
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
        log = log.assign(action=log["action"].map(ACTION_LABELS[lang()]), stage=log["stage"].map(STAGE_LABELS[lang()]))
        st.dataframe(log.drop(columns=["entry_id", "parcel_id"]), hide_index=True, width="stretch", key="idle_history")


def summary_display(summary: pd.DataFrame) -> pd.DataFrame:
    """``summarize_idle`` output with status labels and headers in the session's language."""
    labels = STATUS_LABELS[lang()] | {"total": _label("total")}
    out = summary.reset_index()
    status_col = out.columns[0]
    out[status_col] = out[status_col].map(lambda v: labels.get(v, v))
    return out.rename(columns={status_col: _label("idle_status"), "count": _label("status_count"),
                               "area_mu": _label("area_mu"), "fee_wan": _label("fee_wan")})


def list_display(df: pd.DataFrame) -> pd.DataFrame:
    """The parcel list as shown: codes → labels, dates as text, display headers."""
    lg = lang()
    out = df.copy()
    if "idle_status" in out:
        out["idle_status"] = out["idle_status"].map(STATUS_LABELS[lg])
    if "park_id" in out:
        parks = common.parks()
        names = dict(zip(parks["park_id"].astype(str), parks["name_zh" if lg == "zh" else "name_en"], strict=True))
        out["park_id"] = out["park_id"].map(lambda p: names.get(p, p) if isinstance(p, str) and p else t("outside_label"))
    if "land_use" in out:
        out["land_use"] = out["land_use"].map(land_use_label, na_action="ignore")
    for col in ("idle_since", "next_threshold_date"):
        if col in out:
            out[col] = display.dates_text(out[col])
    if "warning" in out:
        out["warning"] = out["warning"].map(YES_NO[lg]).fillna("—")
    if "decision" in out:
        out["decision"] = out["decision"].map(
            lambda d: t(f"decided_{d}") if isinstance(d, str) and d else "—")
    if "disposal_stage" in out:
        out["disposal_stage"] = out["disposal_stage"].map(lambda v: STAGE_LABELS[lg].get(v, v), na_action="ignore")
    return out.rename(columns={c: _label(c) for c in df.columns} | {"park_id": t("park")})


def _picked() -> None:
    st.session_state["idle_selected"] = st.session_state["idle_pick"]


def render() -> None:
    st.title(t("page_idle"))
    analysed = common.idle_parcels()
    if analysed is None:
        return
    parks = common.parks()
    names = dict(zip(parks["park_id"], parks["name_zh" if lang() == "zh" else "name_en"], strict=True))
    park_options = [*parks["park_id"], ""]
    c1, c2 = st.columns([2, 3])
    names[""] = t("outside_label")
    picked = c1.multiselect(t("pick_parks"), park_options, format_func=names.get,
                            key=common.lkey("idle_parks", [park_options[0]]))
    statuses = c2.multiselect(t("filter_status"), IDLE_STATUSES, format_func=STATUS_LABELS[lang()].get,
                              key=common.lkey("idle_statuses", list(FLAGGED_STATUSES)))
    c3, c4 = st.columns([3, 2])
    uses = sorted(analysed["land_use"].dropna().astype(str).unique()) if "land_use" in analysed else []
    land_uses = c3.multiselect(t("filter_land_use"), uses,
                               format_func={u: land_use_label(u) for u in uses}.get,
                               key=common.lkey("idle_uses", uses))
    holder = c4.text_input(t("filter_holder"), key="idle_holder")
    in_parks = filter_parcels(analysed, park_ids=picked)
    sel = filter_parcels(in_parks, statuses=statuses, land_uses=land_uses, holder=holder)
    st.caption(t("n_shown", n=len(sel), area=float(sel["area_mu"].sum())))

    map_col, card_col = st.columns([3, 2])
    with map_col:
        # The folium limit can be lowered for slow office machines (or raised for fast ones).
        limit = int(os.environ.get("GXLAND_MAP_MAX_PARCELS", layers.MAX_PARCELS_PER_MAP))
        too_big = layers.check_map_size(len(sel), limit=limit, lang=lang())
        if too_big:
            st.warning(too_big)
            if st.toggle(t("webgl_draw", n=len(sel)), key="idle_webgl"):
                with st.spinner("…"):
                    deck = webgl_parcels(
                        sel.assign(idle_status_label=sel["idle_status"].map(STATUS_LABELS[lang()])),
                        color_col="idle_status", colors=STATUS_COLORS, label_col="idle_status_label",
                    )  # fmt: skip
                st.pydeck_chart(deck, height=560)
        elif len(sel):
            m = layers.parcel_map(
                sel.assign(idle_status_label=sel["idle_status"].map(STATUS_LABELS[lang()])),
                parks=parks[parks["park_id"].isin(picked)],
                color_col="idle_status",
                colors={k: c for k, c in STATUS_COLORS.items() if k in set(sel["idle_status"])},  # legend: shown classes only
                labels=STATUS_LABELS[lang()],
                tooltip_fields={"parcel_id": _label("parcel_id"), "holder": _label("holder"),
                                "idle_status_label": _label("idle_status"), "area_mu": "面积(亩)" if lang() == "zh" else "Area (亩)"},
                basemap=st.session_state.get("basemap", "none"),
                tianditu_key=st.session_state.get("tianditu_tk") or None,
                legend_title=t("filter_status"),
                lang=lang(),
                max_parcels=limit,
            )
            # The selection outline goes in as a separate layer: were it part of the map,
            # st_folium would see a new component on every selection and drop the click.
            outline = layers.highlight_layer(sel, st.session_state.get("idle_selected"), lang=lang())
            result = st_folium(m, height=560, returned_objects=["last_active_drawing"], key="idle_map",
                               use_container_width=True, feature_group_to_add=outline)
            clicked = layers.clicked_parcel_id(result)
            if clicked and clicked != st.session_state.get("idle_clicked"):
                st.session_state["idle_clicked"] = clicked
                st.session_state["idle_selected"] = clicked
                st.session_state["idle_pick"] = clicked
                st.rerun()
        else:
            st.info(t("no_parcels"))
    with card_col:
        st.subheader(t("parcel_card"))
        ids = list(dict.fromkeys(sel["parcel_id"].astype(str))) if len(sel) else []
        # ?parcel=<id> in the address keeps the parcel across reloads and makes links shareable.
        if "idle_selected" not in st.session_state and st.query_params.get("parcel"):
            st.session_state["idle_selected"] = st.query_params["parcel"]
        current = st.session_state.get("idle_selected")
        if current and current not in ids and current in set(analysed["parcel_id"].astype(str)):
            ids = [current, *ids]
        if ids:
            if st.session_state.get("idle_pick") not in ids:
                st.session_state["idle_pick"] = current if current in ids else ids[0]
            pick = st.selectbox(t("pick_parcel"), ids, key="idle_pick", on_change=_picked)
            st.session_state["idle_selected"] = pick
            st.query_params["parcel"] = pick
            rows = analysed[analysed["parcel_id"].astype(str) == pick]
            parcel_card(rows)
            review_panel(rows)

    st.subheader(t("status_summary"))
    summary = summary_display(summarize_idle(sel["idle_status"], sel["area_mu"], sel["fee_wan"]))
    st.dataframe(display.styled(summary, {_label("area_mu"): "mu", _label("fee_wan"): "wan"}),
                 hide_index=True, width="stretch", key="idle_summary")

    st.subheader(t("parcel_list"))
    cols = [c for c in LIST_COLUMNS if c in sel.columns]
    listing = list_display(sel[cols])
    st.dataframe(display.styled(listing, {_label(c): k for c, k in LIST_KINDS.items()}),
                 hide_index=True, width="stretch", key="idle_list")
    export = sel.drop(columns=[c for c in sel.columns if c.startswith("_")])
    d1, d2 = st.columns(2)
    d1.download_button(t("export_xlsx"), data=lambda: io.to_excel_bytes(export.drop(columns="geometry"), lang=lang()),
                       file_name=f"idle_{common.as_of().isoformat()}.xlsx", key="idle_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    d2.download_button(t("export_gpkg"), data=lambda: io.to_gpkg_bytes(export), file_name=f"idle_{common.as_of().isoformat()}.gpkg",
                       key="idle_gpkg", mime="application/geopackage+sqlite3")


if __name__ == "__main__":
    render()
