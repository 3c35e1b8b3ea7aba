"""
Standards as data: one YAML file per rule set, overridable by the user.

Every threshold the analysis uses lives in ``geo/rules/<name>.yaml`` with its
source and edition, so a bureau can see where a number comes from and adapt
it (an override file or dict) without touching code.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent

_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


class RulesError(ValueError):
    """A rules file or override is missing, malformed or not a mapping."""


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


def _read_yaml(path: Path, *, what: str) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(f"{what}: file {path} not found") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{what}: {path} is not valid YAML ({exc}); fix the syntax and reload") from exc
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise RulesError(
            f"{what}: {path} must hold a mapping (key: value lines) at top level, found {type(data).__name__}"
        )
    return dict(data)


@functools.lru_cache(maxsize=64)
def _read_shipped(path: Path, mtime_ns: int) -> dict:
    # Keyed on the modification time so an edited file is re-read; callers get deep copies.
    return _read_yaml(path, what=f"rule set {path.stem!r}")


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
        Unknown rule set (the message lists the available ones), unreadable or
        malformed YAML, or an override that is not a mapping.
    """
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise RulesError(f"rule set name {name!r} is not a plain file stem (letters, digits, _ or -)")
    path = RULES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise RulesError(
            f"no rule set {name!r}: {path} does not exist; available: {', '.join(available_rules()) or 'none'}"
        )
    rules = copy.deepcopy(_read_shipped(path, path.stat().st_mtime_ns))
    if override is None:
        return rules
    if isinstance(override, Mapping):
        extra = dict(override)
    elif isinstance(override, str | Path):
        extra = _read_yaml(Path(override), what=f"override for rule set {name!r}")
    else:
        raise RulesError(
            f"override for rule set {name!r} must be a path or a mapping, not {type(override).__name__}"
        )
    return deep_merge(rules, extra)


def rule_value(rules: Mapping, key: str, *, rule_set: str = "rules") -> Any:
    """
    The value of one rule, whether written as ``key: {value: ..., source: ...}`` or ``key: ...``.

    Raises
    ------
    RulesError
        When the key is absent (the message names the rule set and the key).
    """
    if key not in rules:
        raise RulesError(
            f"{rule_set}: rule {key!r} is missing; add it to geo/rules/{rule_set}.yaml or the override"
        )
    entry = rules[key]
    if isinstance(entry, Mapping):
        if "value" not in entry:
            raise RulesError(f"{rule_set}: rule {key!r} has no 'value' field")
        return entry["value"]
    return entry
