#!/usr/bin/env python3
"""Rewrite the README's column tables from geo/schema.py (run after changing the schema)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.schema import PARCEL_COLUMNS, PARK_COLUMNS, Column  # noqa: E402

README = ROOT / "README.md"


def table(columns: tuple[Column, ...]) -> str:
    rows = ["| column | 中文 | type | also accepted |", "|---|---|---|---|"]
    rows += [f"| `{c.name}` | {c.zh} | {c.kind} | {'、'.join(c.aliases) or '—'} |" for c in columns]
    return "\n".join(rows)


def render(text: str) -> str:
    for name, cols in (("parcels", PARCEL_COLUMNS), ("parks", PARK_COLUMNS)):
        start, end = f"<!-- schema:{name} -->", f"<!-- /schema:{name} -->"
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), f"{start}\n{table(cols)}\n{end}", text, flags=re.S)
    return text


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"rewrote the column tables in {README}")
