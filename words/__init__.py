"""
Every word a person reads: zh/en labels and sentences for the analysis' codes.

``geo/`` speaks in codes and numbers; this package is the one place that turns them
into Chinese (default) or English, for every face — pages, CLI, Excel/CSV, DOCX.
It imports neither Streamlit nor folium, so the CLI and the report use it as the
pages do.

- :func:`label` — a code of a known kind (``label("idle_status", "idle_fee")``).
- :func:`text` — a message code with arguments (``text("far_below_min", far=0.5, far_min=0.7)``).
- :func:`render` — a message item as ``geo`` returns it (``{"code": …, **args}``) or a
  list of them, joined.
- :func:`header` — a column's header with its unit.

The words themselves live in the catalogue modules of this package (``words/ui.py``,
``words/idle.py`` …), each registering its ``LABELS`` and ``TEXTS``; adding a rule or
a language means touching those files only. ``tests/test_words.py`` walks every code
list the analysis exports and fails on a code without both renderings.
"""

from words.core import (
    DASH,
    LANGS,
    MissingWord,
    fmt_date,
    fmt_number,
    has_label,
    has_text,
    header,
    headers,
    joiner,
    label,
    labels,
    render,
    render_series,
    text,
    value_kind,
    yes_no,
)

__all__ = [
    "DASH",
    "LANGS",
    "MissingWord",
    "fmt_date",
    "fmt_number",
    "has_label",
    "has_text",
    "header",
    "headers",
    "joiner",
    "label",
    "labels",
    "render",
    "render_series",
    "text",
    "value_kind",
    "yes_no",
]
