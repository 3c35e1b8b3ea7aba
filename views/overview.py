"""园区总览: parks on a map coloured by level, and idle land per park."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import layers
from geo import crs, workspace
from layers.parks import default_park_tooltip, level_label
from views import common
from views.eco import targets_section
from views.i18n import lang, t

OVERVIEW_COLUMNS = ("park_name", "parcels", "area_mu", "idle_parcels", "idle_area_mu", "suspected_parcels", "fees_due_wan")


def render() -> None:
    st.title(t("page_overview"))
    parks = common.parks()
    parks = parks.assign(area_ha=crs.m2_to_ha(crs.area_m2(parks)))
    parks["area_mu"] = parks["area_ha"] * crs.MU_PER_HA
    analysed = common.idle_parcels()
    summary = workspace.park_overview(analysed, parks, lang=lang()) if analysed is not None else None

    st.subheader(t("parks_map"))
    tooltip = default_park_tooltip(["name", "level_label", "city", "area_mu", "area_ha"], lang=lang())
    if summary is not None:
        # per-park aggregates ride along in the tooltip: the overview never ships parcels
        aggregates = ["parcels", "idle_parcels", "idle_area_mu", "fees_due_wan"]
        parks = parks.join(summary[aggregates], on="park_id")
        tooltip |= {c: t(c) for c in aggregates}
    basemap = st.session_state.get("basemap", "none")
    try:
        m = layers.park_map(parks, basemap=basemap, tianditu_key=st.session_state.get("tianditu_tk") or None,
                            lang=lang(), tooltip_fields=tooltip)
    except ValueError as exc:
        st.error(str(exc))
        m = layers.park_map(parks, basemap="none", lang=lang(), tooltip_fields=tooltip)
    st_folium(m, height=520, returned_objects=[], key="overview_map", use_container_width=True)

    if summary is None:
        return
    st.subheader(t("parks_table"))
    st.caption(f"{t('as_of')}{'：' if lang() == 'zh' else ': '}{common.as_of().isoformat()}")
    table = summary[list(OVERVIEW_COLUMNS)].rename(
        columns={c: t(c if c != "park_name" else "park") for c in OVERVIEW_COLUMNS}
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(table),  # every park in view: a 13-row table should not need scrolling
        column_config={c: st.column_config.NumberColumn(format="%.1f") for c in (t("area_mu"), t("idle_area_mu"))}
        | {t("fees_due_wan"): st.column_config.NumberColumn(format="%.2f")},
    )
    outside = int(summary.loc[""]["parcels"]) if "" in summary.index else 0
    if outside:
        st.caption(t("outside_parks", n=outside))
    levels = parks["level"].map(lambda v: level_label(v, lang()), na_action="ignore").value_counts()
    st.caption(t("level") + ("：" if lang() == "zh" else ": ") + " · ".join(f"{k} {v}" for k, v in levels.items()))
    targets_section(parks, as_of_year=common.as_of().year, lang=lang(), key="overview_targets")


if __name__ == "__main__":
    render()
