"""园区总览: parks on a map coloured by level, and idle land per park."""

from __future__ import annotations

import streamlit as st

import layers
import words
from geo import crs, workspace
from layers.parks import default_park_tooltip, level_label
from layers.rendered import frame_key
from reports import tables
from views import common, mapview
from views.eco import targets_section
from views.i18n import lang, t
from words.errors import describe

#: Session key of the park clicked on the overview map.
SELECTED_KEY = "overview_park"
OVERVIEW_COLUMNS = ("park_name", "parcels", "area_mu", "idle_parcels", "idle_area_mu", "suspected_parcels", "fees_due_wan")


def render() -> None:
    st.title(t("page_overview"))
    parks = common.parks()
    parks = parks.assign(area_ha=crs.m2_to_ha(crs.area_m2_remembered(parks)))  # not re-measured per rerun
    parks["area_mu"] = parks["area_ha"] * crs.MU_PER_HA
    analysed = common.idle_parcels()
    summary = (tables.park_overview_display(workspace.park_overview(analysed, parks), parks, lang())
               if analysed is not None else None)

    st.subheader(t("parks_map"))
    tooltip = default_park_tooltip(["name", "level_label", "city", "area_mu", "area_ha"], lang=lang())
    if summary is not None:
        # per-park aggregates ride along in the tooltip: the overview never ships parcels
        aggregates = ["parcels", "idle_parcels", "idle_area_mu", "fees_due_wan"]
        parks = parks.join(summary[aggregates], on="park_id")
        tooltip |= {c: t(c) for c in aggregates}
    basemap = st.session_state.get("basemap", "none")
    tk = st.session_state.get("tianditu_tk") or None
    # The map's last click, taken before the map is drawn: the park is selected and outlined in
    # this same run (drawn on top through feature_group_to_add, so the map itself stays the same).
    clicked = layers.clicked_park_id(st.session_state.get("overview_map"))
    if (clicked is not None and clicked != st.session_state.get("overview_clicked")
            and clicked in set(parks["park_id"].astype(str))):
        st.session_state["overview_clicked"] = clicked
        st.session_state[SELECTED_KEY] = clicked
    selected = st.session_state.get(SELECTED_KEY)
    outline = layers.park_highlight(parks, selected, lang=lang())
    drawn = frame_key(parks, ["park_id", *tooltip])

    def draw(choice: str) -> None:
        # Rendered once per (parks and their figures, language, basemap): a rerun ships no map.
        mapview.folium_map(
            lambda: layers.park_map(parks, basemap=choice, tianditu_key=tk, lang=lang(), tooltip_fields=tooltip),
            cache_key=("overview", drawn, tuple(tooltip.items()), lang(), choice, tk), key="overview_map",
            height=520, returned_objects=["last_active_drawing"], feature_group_to_add=outline, parks_only=True)

    try:
        draw(basemap)
    except ValueError as exc:  # 天地图 without a key: the message is in the user's language
        st.error(common.md_escape(describe(exc, lang())))
        draw("none")
    if selected is not None:
        _selected_park_caption(parks, summary, selected)

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
    st.caption(t("level") + ("：" if lang() == "zh" else ": ")
               + " · ".join(f"{common.md_escape(k)} {v}" for k, v in levels.items()))
    targets_section(parks, as_of_year=common.as_of().year, lang=lang(), key="overview_targets")


def _selected_park_caption(parks, summary, park_id: str) -> None:
    """One line under the map about the park clicked: name, level, city and its idle land."""
    row = parks.loc[parks["park_id"].astype(str) == park_id].iloc[0]

    def given(col: str) -> str:
        value = row.get(col)
        return str(value).strip() if isinstance(value, str) and value.strip() else ""

    name = (given("name_en") if lang() == "en" else "") or given("name_zh") or given("name_en") or words.DASH
    # Names and cities come from the parks file: data, so escaped.
    parts = [common.md_escape(p) for p in (name, level_label(row.get("level"), lang()), given("city") or words.DASH)]
    if summary is not None and park_id in summary.index:
        s = summary.loc[park_id]
        parts.append(t("selected_park_idle", n=int(s["parcels"]), idle=int(s["idle_parcels"]),
                       area=float(s["idle_area_mu"])))
    st.caption(t("selected_park") + ("：" if lang() == "zh" else ": ") + " · ".join(parts))


if __name__ == "__main__":
    render()
