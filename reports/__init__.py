"""
Downloadable documents built from the analysis in ``geo/``.

Reports sit beside ``layers/``: they read ``geo`` results and render them (Word
documents, PNG maps); ``geo`` never imports them.
"""

from reports.park_report import (
    MAP_CLASSES,
    ReportError,
    indicator_rows,
    map_classes,
    park_map_png,
    park_report_docx,
    report_filename,
    settings_rows,
)

__all__ = [
    "MAP_CLASSES",
    "ReportError",
    "indicator_rows",
    "map_classes",
    "park_map_png",
    "park_report_docx",
    "report_filename",
    "settings_rows",
]
