"""
Map legend as a Leaflet control: title plus colour swatches, all text escaped.

A control added from the element's ``script`` macro (rather than HTML in the
figure) survives streamlit-folium, which keeps only the map's scripts.
"""

from __future__ import annotations

import html
import re

from branca.element import MacroElement
from jinja2 import Template

#: Colours a swatch may use: ``#rgb``/``#rrggbb``(``aa``) or a CSS colour name.
_COLOR_RE = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")


def check_color(color: str) -> str:
    """Return ``color`` if it is a hex code or a CSS colour name, else raise ValueError."""
    if not isinstance(color, str) or not _COLOR_RE.match(color):
        raise ValueError(f"colour {color!r} is neither a hex code (#1f77b4) nor a CSS colour name")
    return color


def legend_html(title: str, items: list[tuple[str, str]], *, outline: list[tuple[str, str]] = ()) -> str:
    """
    The legend's inner HTML.

    Parameters
    ----------
    title
        Heading; escaped.
    items
        ``(label, fill colour)`` pairs in display order; labels escaped.
    outline
        ``(label, line colour)`` pairs drawn as outlined boxes (park boundaries).
    """
    rows = (
        [f'<div style="font-weight:600;margin-bottom:4px">{html.escape(str(title))}</div>'] if title else []
    )
    box = "display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;"
    for label, color in items:
        rows.append(
            f'<div><span style="{box}background:{check_color(color)};border:1px solid #555"></span>'
            f"{html.escape(str(label))}</div>"
        )
    for label, color in outline:
        rows.append(
            f'<div><span style="{box}border:2px solid {check_color(color)}"></span>{html.escape(str(label))}</div>'
        )
    return "".join(rows)


class Legend(MacroElement):
    """
    A legend control for a ``folium.Map``.

    Parameters
    ----------
    title
        Heading (escaped).
    items
        ``(label, colour)`` pairs (labels escaped, colours validated).
    outline
        ``(label, colour)`` pairs shown as outlined boxes.
    position
        Leaflet control position.
    kind
        What the legend keys (a word of letters): its box also has the CSS class
        ``gx-legend-<kind>``, by which a script finds this legend among a map's others
        (``layers.classes.shown_script`` rewrites the ``classes`` one, never the imagery's).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', 'gx-legend gx-legend-' + {{ this.kind|tojson }});
            div.style.cssText = 'background:rgba(255,255,255,0.9);padding:6px 8px;border-radius:4px;'
                + 'font:12px/1.5 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,0.3);max-height:40vh;overflow:auto';
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        items: list[tuple[str, str]],
        *,
        outline: list[tuple[str, str]] = (),
        position: str = "bottomright",
        kind: str = "classes",
    ):
        super().__init__()
        self._name = "Legend"
        if not kind.isascii() or not kind.isalpha():
            raise ValueError(f"legend kind {kind!r} is not a word of letters")
        self.kind = kind
        if position not in ("topleft", "topright", "bottomleft", "bottomright"):
            raise ValueError(f"legend position {position!r} is not a Leaflet control position")
        self.position = position
        self.items = list(items)
        self.outline = list(outline)
        self.html = legend_html(title, self.items, outline=self.outline)
