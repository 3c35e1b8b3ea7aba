"""
A CJK font for the Chinese text matplotlib draws into report maps.

matplotlib's own fonts have no Chinese glyphs: Chinese drawn with them comes out as
empty boxes. The install provides one (``make fonts`` installs Debian's
``fonts-noto-cjk``); :func:`cjk_font` finds it through ``matplotlib.font_manager``.
matplotlib caches its font list when first used, so a font installed afterwards is
not in the cache: the system font folders are then scanned once and the CJK files
found there added — and first the app's own ``fonts/`` folder, where the offline bundle puts
one (``scripts/bundle.py``). No font found → None, and a warning in the log; the report says
so in the document too (never a silent fallback).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.font_manager import FontProperties

log = logging.getLogger(__name__)

#: Families tried in order: simplified-Chinese faces first.
PREFERRED_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Droid Sans Fallback",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
)
#: File names of fonts with Chinese glyphs (for the scan when matplotlib's cache predates them).
_CJK_FILE = re.compile(r"cjk|wqy|wenquanyi|sourcehan|simhei|simsun|msyh|droidsansfallback|uming|ukai", re.I)
#: Any family whose name says it covers simplified Chinese.
_CJK_FAMILY = re.compile(r"CJK ?SC|Han Sans|Han Serif|WenQuanYi|YaHei|SimHei|SimSun|UMing|UKai", re.I)


def _installed_families() -> dict[str, str]:
    return {f.name: f.fname for f in font_manager.fontManager.ttflist}


def _pick(families: dict[str, str]) -> str | None:
    for name in PREFERRED_FAMILIES:
        if name in families:
            return name
    return next((name for name in sorted(families) if _CJK_FAMILY.search(name)), None)


#: A folder of fonts that ships with the app (the offline bundle puts Noto Sans CJK there).
APP_FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"


def _add_system_cjk_fonts() -> int:
    added = 0
    bundled = [str(p) for p in sorted(APP_FONT_DIR.glob("*")) if p.suffix.lower() in (".ttc", ".ttf", ".otf")]
    for path in [*bundled, *font_manager.findSystemFonts()]:
        if _CJK_FILE.search(path):
            try:
                font_manager.fontManager.addfont(path)
                added += 1
            except (OSError, RuntimeError, ValueError):  # an unreadable file is not a font we can use
                continue
    return added


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The name of an installed font family with Chinese glyphs, or None (and a warning)."""
    family = _pick(_installed_families())
    if family is None and _add_system_cjk_fonts():
        family = _pick(_installed_families())
    if family is None:
        log.warning(
            "no CJK font found for the report maps: their Chinese labels are left out. "
            "Install one (Debian: apt-get install fonts-noto-cjk, or `make fonts`)."
        )
    return family


def cjk_font(size: float | None = None) -> FontProperties | None:
    """FontProperties of :func:`cjk_family` (``size`` in points), or None when there is none."""
    family = cjk_family()
    if family is None:
        return None
    return FontProperties(family=family, size=size)
