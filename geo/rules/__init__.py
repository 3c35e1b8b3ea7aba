"""
Standards as data: one YAML file per rule set, overridable by the user.

Every threshold the analysis uses lives in ``geo/rules/<name>.yaml`` with its
source and edition, so a bureau can see where a number comes from and adapt
it (an override file or dict) without touching code.
"""

from __future__ import annotations

import copy
import functools
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from geo.errors import CodedError

RULES_DIR = Path(__file__).resolve().parent

_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


#: Every code of a :class:`RulesError` raised here, with its arguments (``rule_set`` is the
#: rule set's name, ``file`` the file's name as the user gave it, ``key`` a rule's key).
RULES_ERROR_CODES: tuple[str, ...] = (
    "rules_name_invalid",  # name
    "rules_unknown_set",  # name, available (rule-set names)
    "rules_file_missing",  # rule_set, file
    "rules_yaml_syntax",  # rule_set, file, line, column (1-based; None when yaml gives no place)
    "rules_not_mapping",  # rule_set, file
    "rules_override_type",  # rule_set
    "rule_missing",  # rule_set, key
    "rule_no_value",  # rule_set, key
)


class RulesError(CodedError):
    """
    A rules file or override that is missing, malformed or holds a value not allowed.

    ``code`` is one of :data:`RULES_ERROR_CODES` or of a loader's own list (e.g.
    ``geo.idle.IDLE_RULES_ERROR_CODES``); render ``item`` with ``words.render``.
    """


def available_rules() -> list[str]:
    """Names of the rule sets shipped in ``geo/rules/`` (file stems, sorted)."""
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


def deep_merge(base: Mapping, override: Mapping) -> dict:
    """
    Merge ``override`` into a copy of ``base``.

    Mappings are merged key by key, recursively; any other value (scalar, list,
    ``None``) in ``override`` replaces the one in ``base``. Keys only in
    ``override`` are added. Neither argument is modified.

    Parameters
    ----------
    base
        The defaults.
    override
        The user's changes.

    Returns
    -------
    merged
        A new dict; nested containers are copies, not shared with the inputs.
    """
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def yaml_place(exc: yaml.YAMLError) -> dict:
    """``{"line": …, "column": …}`` (1-based) of a YAML syntax error; None each when yaml gives no place."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return {"line": None, "column": None}
    return {"line": int(mark.line) + 1, "column": int(mark.column) + 1}


def _read_yaml(path: Path, *, rule_set: str) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise RulesError("rules_file_missing", rule_set=rule_set, file=path.name) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError("rules_yaml_syntax", rule_set=rule_set, file=path.name, **yaml_place(exc)) from exc
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise RulesError("rules_not_mapping", rule_set=rule_set, file=path.name)
    return dict(data)


@functools.lru_cache(maxsize=64)
def _read_shipped(path: Path, mtime_ns: int) -> dict:
    # Keyed on the modification time so an edited file is re-read; callers get deep copies.
    return _read_yaml(path, rule_set=path.stem)


def load_rules(name: str, override: str | Path | Mapping | None = None) -> dict:
    """
    Read the rule set ``geo/rules/<name>.yaml`` and apply an optional override.

    Parameters
    ----------
    name
        File stem, e.g. ``"idle"`` for ``geo/rules/idle.yaml``.
    override
        A path to a YAML (or JSON, a YAML subset) file, or a mapping, deep-merged
        over the defaults (see :func:`deep_merge`): give only what changes, e.g.
        ``{"warning_days": {"value": 60}}``. ``None`` keeps the defaults.

    Returns
    -------
    rules
        A fresh dict the caller may modify freely.

    Raises
    ------
    RulesError
        Unknown rule set (``rules_unknown_set`` lists the available ones), unreadable or
        malformed YAML (``rules_yaml_syntax`` with the line and column), or an override
        that is not a mapping.
    """
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise RulesError("rules_name_invalid", name=str(name))
    path = RULES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise RulesError("rules_unknown_set", name=name, available=available_rules())
    rules = copy.deepcopy(_read_shipped(path, path.stat().st_mtime_ns))
    if override is None:
        return rules
    if isinstance(override, Mapping):
        extra = dict(override)
    elif isinstance(override, str | Path):
        extra = _read_yaml(Path(override), rule_set=name)
    else:
        raise RulesError("rules_override_type", rule_set=name)
    return deep_merge(rules, extra)


def rule_value(rules: Mapping, key: str, *, rule_set: str = "rules") -> Any:
    """
    The value of one rule, whether written as ``key: {value: ..., source: ...}`` or ``key: ...``.

    Raises
    ------
    RulesError
        When the key is absent (``rule_missing`` names the rule set and the key).
    """
    if key not in rules:
        raise RulesError("rule_missing", rule_set=rule_set, key=key)
    entry = rules[key]
    if isinstance(entry, Mapping):
        if "value" not in entry:
            raise RulesError("rule_no_value", rule_set=rule_set, key=key)
        return entry["value"]
    return entry


def checked_number(raw: Any, *, key: str, error: type, prefix: str,
                   low: float | None = None, high: float | None = None) -> float:
    """
    A setting's value as a float, or ``error`` with code ``<prefix>_not_number``,
    ``<prefix>_out_of_range`` (``low``–``high``) or ``<prefix>_below_min`` (``low``).

    The one number check of the rule loaders (eco, grading): booleans and blanks are not numbers.
    """
    try:
        value = float(raw) if not isinstance(raw, bool) and raw is not None else math.nan
    except (TypeError, ValueError):
        value = math.nan
    if math.isnan(value):
        raise error(f"{prefix}_not_number", key=key, value=str(raw))
    if high is not None and not low <= value <= high:
        raise error(f"{prefix}_out_of_range", key=key, value=raw, low=low, high=high)
    if low is not None and value < low:
        raise error(f"{prefix}_below_min", key=key, value=raw, low=low)
    return value
