"""
One place that reads the values bureau files carry: land use, park level, yes/no, delay
cause, eco status and park names → the codes every analysis uses.

The spellings are data: ``geo/rules/land_use.yaml`` (the four land classifications with
source and edition, and how code collisions between them are resolved) and
``geo/rules/vocab.yaml`` (the other kinds, and how park names are varied). Every
function works on the distinct values of a column, so a million rows cost one pass of
``pandas.factorize`` plus a look-up per distinct value.

Each normaliser comes in two forms: ``land_use_class(values)`` returns the codes (NA for
blanks and for values it does not know), ``land_use_classes(values)`` returns the codes
and a mask of the values it did not know, so the caller can report them by row. No
display words live here: labels are in ``words`` (kinds ``land_use``, ``park_level``,
``delay_cause``, ``eco_status``, ``bool``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from geo.rules import RulesError, load_rules

#: Codes of the problems a reader reports with what these functions return
#: (``words/vocab.py`` holds their sentences; each takes the argument ``value``).
PROBLEM_CODES: tuple[str, ...] = (
    "land_use_unrecognised",
    "park_unresolved",
    "delay_cause_unrecognised",
    "park_level_unrecognised",
    "eco_status_unrecognised",
)

#: Every code of a :class:`~geo.rules.RulesError` raised on vocab.yaml / land_use.yaml
#: (besides :data:`geo.rules.RULES_ERROR_CODES`), with its arguments.
VOCAB_ERROR_CODES: tuple[str, ...] = (
    "vocab_spelling_ambiguous",  # rule_set, vocabulary, spelling, codes
    "land_use_precedence_unknown",  # rule_set, key, values, allowed_ids
    "land_use_class_unknown",  # rule_set, where, value, allowed_classes
    "land_use_classification_unknown",  # rule_set, key, value, allowed_ids
    "land_uses_unknown",  # rule_set, values, allowed_classes
)

#: The kinds :func:`normalise` knows (besides land use and park names).
KINDS: tuple[str, ...] = ("park_level", "yes_no", "delay_cause", "eco_status")


def _vocab_rules() -> dict:
    return load_rules("vocab")


def _land_use_rules() -> dict:
    return load_rules("land_use")


#: The classes the rules use (subset of the ``land_use`` labels in words/common.py).
LAND_USE_CLASSES: tuple[str, ...] = tuple(_land_use_rules()["classes"])
#: The land classifications known, by id (``gbt21010_2017``, ``tdc3_2019``, ``ydyh_2020``, ``gb50137_2011``).
CLASSIFICATIONS: tuple[str, ...] = tuple(_land_use_rules()["classifications"])
#: Art. 8 delay causes (《闲置土地处置办法》第八条), in the order of the article.
DELAY_CAUSES: tuple[str, ...] = tuple(_vocab_rules()["delay_cause"])
PARK_LEVELS: tuple[str, ...] = tuple(_vocab_rules()["park_level"])
ECO_STATUSES: tuple[str, ...] = tuple(_vocab_rules()["eco_status"])
#: Folded cell texts that mean "no value" (see :func:`fold`).
BLANK_TOKENS: frozenset[str] = frozenset(
    unicodedata.normalize("NFKC", str(t)).strip().casefold() for t in _vocab_rules()["blank"]
)

_SPACE = re.compile(r"\s+")
_JOINERS = re.compile(r"[\s_\-]+")


# --------------------------------------------------------------------------- folding


def fold(value) -> str:
    """
    A value as compared: NFKC (full-width → half-width), no whitespace, case-folded.

    ``"　０６０１ 工业用地 "`` → ``"0601工业用地"``; ``"Ｍ１"`` → ``"m1"``.
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(value))).casefold()


def _key(value) -> str:
    """:func:`fold` without ``_`` and ``-`` (codes such as ``land_not_delivered``)."""
    return _JOINERS.sub("", unicodedata.normalize("NFKC", str(value))).casefold()


def _text(value, keep: Mapping | frozenset = frozenset()) -> str | None:
    """The text of one cell, or None when it is blank (NA, empty, a blank token not in ``keep``)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        if value == np.floor(value) and abs(value) < 1e15:
            value = int(value)  # 601.0 from Excel → "601"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    folded = text.casefold()
    return None if folded in BLANK_TOKENS and _key(text) not in keep else text


def _series(values) -> pd.Series:
    return values if isinstance(values, pd.Series) else pd.Series(values)


def _spread(
    values, func: Callable[[list, np.ndarray], list], *, dtype="str", keep=frozenset()
) -> tuple[pd.Series, pd.Series]:
    """
    Codes per row from ``func(texts, counts)`` over the distinct texts (None = blank) and
    their row counts — each distinct value is looked at once; unrecognised = not blank and
    no code.
    """
    s = _series(values)
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    texts = [_text(u, keep) for u in np.asarray(uniques, dtype=object)]
    counts = np.bincount(codes[codes >= 0], minlength=len(texts))
    out = np.asarray(func(texts, counts), dtype=object)
    texts_blank = np.array([t is None for t in texts], dtype=bool)
    has = codes >= 0
    row_code = np.full(len(s), None, dtype=object)
    row_code[has] = out[codes[has]]
    u_bad = np.array([o is None for o in out], dtype=bool) & ~texts_blank
    bad = np.zeros(len(s), dtype=bool)
    bad[has] = u_bad[codes[has]]
    if dtype == "boolean":
        na = np.array([c is None for c in out], dtype=bool)
        truth = np.array([bool(c) for c in out], dtype=bool)
        row_na = np.ones(len(s), dtype=bool)
        row_na[has] = na[codes[has]]
        vals = np.zeros(len(s), dtype=bool)
        vals[has] = truth[codes[has]]
        result = pd.Series(pd.arrays.BooleanArray(vals, row_na), index=s.index, name=s.name)
    else:
        result = pd.Series(row_code, index=s.index, name=s.name).astype(dtype)
    return result, pd.Series(bad, index=s.index, name=s.name)


# --------------------------------------------------------------------------- simple kinds


@functools.lru_cache(maxsize=8)
def _table(kind: str) -> dict[str, str]:
    rules = _vocab_rules()
    if kind not in KINDS:
        raise ValueError(f"unknown vocabulary {kind!r}: use one of {', '.join(KINDS)}")
    out: dict[str, str] = {}
    for code, spellings in rules[kind].items():
        for sp in (code, *(spellings or [])):
            key = _key(sp)
            if key in out and out[key] != str(code):
                raise RulesError("vocab_spelling_ambiguous", rule_set="vocab", vocabulary=kind,
                                 spelling=str(sp), codes=[out[key], str(code)])
            out[key] = str(code)
    return out


def normalise(kind: str, values) -> tuple[pd.Series, pd.Series]:
    """
    Values of a coded column → codes, and the values not understood.

    Parameters
    ----------
    kind
        ``park_level``, ``yes_no``, ``delay_cause`` or ``eco_status`` (spellings in
        ``geo/rules/vocab.yaml``).
    values
        Any Series (text, numbers, booleans); other iterables are wrapped.

    Returns
    -------
    codes
        Aligned to ``values``; ``str`` codes (``boolean`` for ``yes_no``); NA where the
        cell is blank or not understood.
    unrecognised
        bool, True where the cell holds something that is not a known spelling.
    """
    table = _table(kind)

    def look(texts: list, _counts=None) -> list:
        return [None if t is None else table.get(_key(t)) for t in texts]

    if kind == "yes_no":
        s = _series(values)
        if pd.api.types.is_bool_dtype(s.dtype):
            return s.astype("boolean"), pd.Series(False, index=s.index, name=s.name)
        if pd.api.types.is_numeric_dtype(s.dtype):
            out = (s != 0).astype("boolean").mask(s.isna())
            return out, pd.Series(False, index=s.index, name=s.name)

        def look_bool(texts: list, _counts=None) -> list:
            return [None if c is None else c == "true" for c in look(texts)]

        return _spread(s, look_bool, dtype="boolean", keep=table)
    return _spread(values, look, keep=table)


def park_level(values) -> pd.Series:
    """``national`` / ``regional`` (国家级, 自治区级, 省级 … accepted); NA when blank or unknown."""
    return normalise("park_level", values)[0]


def yes_no(values) -> pd.Series:
    """Nullable booleans from 是/否, Y/N, true/false, 1/0, 有/无, √/× …; NA when blank or unknown."""
    return normalise("yes_no", values)[0]


def delay_cause(values) -> pd.Series:
    """Art. 8 cause codes (:data:`DELAY_CAUSES`) from codes or Chinese names; NA when blank or unknown."""
    return normalise("delay_cause", values)[0]


def eco_status(values) -> pd.Series:
    """``not_started`` / ``in_progress`` / ``completed`` (未启动, 推进中, 已完成 …); NA when blank or unknown."""
    return normalise("eco_status", values)[0]


def codes(kind: str) -> tuple[str, ...]:
    """The codes of ``kind`` (``land_use`` or one of :data:`KINDS`), in the data's order."""
    if kind == "land_use":
        return LAND_USE_CLASSES
    if kind not in KINDS:
        raise ValueError(f"unknown vocabulary {kind!r}: use land_use or one of {', '.join(KINDS)}")
    return tuple(str(c) for c in _vocab_rules()[kind])


def spellings(kind: str) -> dict[str, str]:
    """
    Each code of ``kind`` → the first spelling its data lists: how a bureau file usually
    writes it (``industrial`` → 工业用地, ``plan_revised`` → 规划修改).

    Input data, for writing sample files and tests that read them — not display words
    (those are :func:`words.label`).
    """
    if kind == "land_use":
        aliases = _land_use_rules().get("class_aliases") or {}
        return {c: str((aliases.get(c) or [c])[0]) for c in LAND_USE_CLASSES}
    rules = _vocab_rules()
    if kind not in KINDS:
        raise ValueError(f"unknown vocabulary {kind!r}: use land_use or one of {', '.join(KINDS)}")
    return {str(c): str((sp or [c])[0]) for c, sp in rules[kind].items()}


def is_blank(values) -> pd.Series:
    """True where a cell is NA, empty or a blank token (``-``, ``/``, ``null`` …)."""
    s = _series(values)
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    u_blank = np.array([_text(u) is None for u in np.asarray(uniques, dtype=object)], dtype=bool)
    out = np.ones(len(s), dtype=bool)
    has = codes >= 0
    out[has] = u_blank[codes[has]]
    return pd.Series(out, index=s.index, name=s.name)


# --------------------------------------------------------------------------- land use

_CODE = r"\d{2}H\d|\d{6}|\d{4}|\d{2}|[A-Z]\d{0,2}"
_OPEN, _CLOSE = r"[(\[【〔]", r"[)\]】〕]"
_SEP = r"[:.、\-—_/]*"
_CODE_ONLY = re.compile(rf"^(?:{_OPEN})?(?P<code>{_CODE})(?:{_CLOSE})?$")
_CODE_NAME = re.compile(rf"^(?:{_OPEN})?(?P<code>{_CODE})(?:{_CLOSE})?{_SEP}(?P<name>[^\x00-\x7f].*)$")
_NAME_CODE = re.compile(rf"^(?P<name>[^\x00-\x7f].*?){_SEP}(?:{_OPEN})(?P<code>{_CODE})(?:{_CLOSE})$")
_NUMBER = re.compile(r"^\d{1,6}(?:\.0+)?$")


def _name_key(name: str) -> str:
    """A land-use name as compared: folded, without a trailing 用地 (工业 = 工业用地)."""
    k = fold(name)
    return k[:-2] if k.endswith("用地") and len(k) > 3 else k


def _code_key(text: str) -> str:
    k = fold(text).upper()
    if _NUMBER.match(k):
        k = k.split(".")[0]
        if len(k) % 2:
            k = "0" + k  # 601 (a code read by Excel as a number) → 0601
    return k


class _LandUseTables:
    """The land-use look-up tables built from one land_use.yaml (with any override)."""

    def __init__(self, rules: Mapping):
        self.classes = tuple(rules["classes"])
        self.precedence = tuple(rules.get("precedence") or ())
        self.mode = str(rules.get("land_use_classification", "auto"))
        cls = rules["classifications"]
        unknown = [c for c in self.precedence if c not in cls]
        if unknown:
            raise RulesError("land_use_precedence_unknown", rule_set="land_use", key="precedence",
                             values=[str(u) for u in unknown], allowed_ids=list(cls))
        # Classifications not listed in precedence come after it, in file order.
        self.order = (*self.precedence, *(c for c in cls if c not in self.precedence))
        self.codes: dict[str, dict[str, tuple[str, str]]] = {}
        for cid, spec in cls.items():
            table: dict[str, tuple[str, str]] = {}
            for code, (name, klass) in (spec.get("codes") or {}).items():
                self._check(klass, f"{cid} {code}")
                table[_code_key(str(code))] = (_name_key(str(name)), str(klass))
            self.codes[cid] = table
        self.aliases: dict[str, str] = {}
        for klass, spellings in (rules.get("class_aliases") or {}).items():
            self._check(klass, "class_aliases")
            for sp in (klass, *(spellings or [])):
                self.aliases[_key(sp)] = str(klass)
                self.aliases[_name_key(str(sp))] = str(klass)
        # name → {classification: class}
        self.names: dict[str, dict[str, str]] = {}
        for cid, table in self.codes.items():
            for nk, klass in table.values():
                self.names.setdefault(nk, {}).setdefault(cid, klass)
        self.families = self._families()

    def _check(self, klass, where: str) -> None:
        if klass not in self.classes:
            raise RulesError("land_use_class_unknown", rule_set="land_use", where=where, value=str(klass),
                             allowed_classes=list(self.classes))

    def _families(self) -> dict[str, int]:
        """Classifications that never give one code two classes share a family (GB/T 21010 and 三调)."""
        fam = {c: i for i, c in enumerate(self.order)}
        for i, a in enumerate(self.order):
            for b in self.order[i + 1 :]:
                shared = self.codes[a].keys() & self.codes[b].keys()
                if shared and all(self.codes[a][k][1] == self.codes[b][k][1] for k in shared):
                    old, new = fam[b], fam[a]
                    fam = {c: (new if f == old else f) for c, f in fam.items()}
        return fam

    def order_for(self, classification: str | None) -> tuple[str, ...]:
        if classification in (None, "auto"):
            return self.order
        if classification not in self.codes:
            raise RulesError("land_use_classification_unknown", rule_set="land_use",
                             key="land_use_classification", value=str(classification),
                             allowed_ids=["auto", *self.codes])
        return (classification, *(c for c in self.order if c != classification))

    def split(self, text: str) -> tuple[str | None, str | None]:
        """(code, name) of a value; either may be None."""
        k = _code_key(text)
        m = _CODE_ONLY.match(k)
        if m:
            return m["code"], None
        folded = fold(text)
        for pattern in (_CODE_NAME, _NAME_CODE):
            m = pattern.match(folded.upper())
            if m:
                return m["code"], _name_key(m["name"])
        return None, _name_key(text)

    def holders(self, code: str, name: str | None) -> set[str]:
        """Classifications that have ``code`` (with ``name``, when one is given)."""
        return {
            c for c, t in self.codes.items()
            if code in t and (name is None or t[code][0] == name)
        }

    def resolve(self, text: str, order: tuple[str, ...]) -> str | None:
        alias = self.aliases.get(_key(text))
        if alias is not None:
            return alias
        code, name = self.split(text)
        if code is not None and name is not None and not self.holders(code, None):
            code, name = None, _name_key(text)  # "X工业": no such code, so no code+name pair
        if code is not None:
            if name is not None:
                for c in order:  # the pair as one classification writes it
                    hit = self.codes[c].get(code)
                    if hit is not None and hit[0] == name:
                        return hit[1]
                by_name = self._by_name(name, order)
                if by_name is not None:
                    return by_name
            for c in order:
                hit = self.codes[c].get(code)
                if hit is not None:
                    return hit[1]
            return None
        return self._by_name(name, order) if name else None

    def _by_name(self, name: str, order: tuple[str, ...]) -> str | None:
        if name in self.aliases:
            return self.aliases[name]
        by = self.names.get(name)
        if not by:
            return None
        return next(by[c] for c in order if c in by)

    def evidence_order(self, texts: list, counts: np.ndarray, mode: str | None) -> tuple[str, ...]:
        """The classification order for one column: the override, or the file's evidence (mode auto)."""
        mode = self.mode if mode is None else mode
        if mode != "auto":
            return self.order_for(mode)
        votes: dict[int, int] = {}
        for text, n in zip(texts, counts, strict=True):
            if text is None or _key(text) in self.aliases:
                continue
            code, name = self.split(text)
            if code is None:
                continue
            fams = {self.families[c] for c in self.holders(code, name)}
            if code[0].isdigit() and len(fams) == 1:
                # Found on one side of the numeric collisions only: a vote for that side.
                fam = next(iter(fams))
                votes[fam] = votes.get(fam, 0) + int(n)
        if not votes:
            return self.order
        rank = {c: i for i, c in enumerate(self.order)}
        return tuple(sorted(self.order, key=lambda c: (-votes.get(self.families[c], 0), rank[c])))


@functools.lru_cache(maxsize=1)
def _default_tables() -> _LandUseTables:
    return _LandUseTables(_land_use_rules())


def land_use_tables(rules: Mapping | str | Path | None = None) -> _LandUseTables:
    """The look-up tables of ``land_use.yaml`` with ``rules`` merged over it (cached for the default)."""
    if rules is None:
        return _default_tables()
    return _LandUseTables(load_rules("land_use", rules))


def land_use_classes(
    values, *, classification: str | None = None, rules: Mapping | str | Path | None = None
) -> tuple[pd.Series, pd.Series]:
    """
    Land-use values in any classification's spelling → the class codes the rules use.

    Parameters
    ----------
    values
        A column as a file writes it: GB/T 21010-2017 / 三调 codes and names (``0601``,
        ``工业用地``, ``05H1``), GB 50137-2011 codes and names (``M1``, ``一类工业用地``),
        2020 用地用海分类 codes and names (``100101``, ``1101 物流仓储用地``), this product's
        class codes (``industrial``), with or without 用地, code and name together, in
        full-width characters or with spaces.
    classification
        ``auto`` (let the column's own codes decide a collision, see land_use.yaml) or a
        classification id to read bare codes in first (e.g. ``ydyh_2020``); None takes
        ``land_use_classification`` from the rules.
    rules
        Override of ``geo/rules/land_use.yaml`` (mapping or YAML path), deep-merged.

    Returns
    -------
    classes
        ``str`` class codes (:data:`LAND_USE_CLASSES`) aligned to ``values``; NA where
        blank or not understood.
    unrecognised
        bool: True where the cell holds a value that maps to no class.
    """
    t = land_use_tables(rules)

    def look(texts: list, counts: np.ndarray) -> list:
        order = t.evidence_order(texts, counts, classification)
        return [None if x is None else t.resolve(x, order) for x in texts]

    return _spread(values, look)


def land_use_class(
    values,
    *,
    classification: str | None = None,
    rules: Mapping | str | Path | None = None,
    keep_unrecognised: bool = False,
) -> pd.Series:
    """
    :func:`land_use_classes` without the mask: class codes, NA where blank or not understood.

    With ``keep_unrecognised`` a value that maps to no class is kept as written (stripped)
    instead of NA, so a table or note can still show it; it matches no rule's class.
    """
    classes, bad = land_use_classes(values, classification=classification, rules=rules)
    if keep_unrecognised and bad.any():
        raw = _series(values)
        classes = classes.astype(object)
        classes[bad.to_numpy()] = raw[bad.to_numpy()].astype(str).str.strip().to_numpy()
        classes = classes.astype("str")
    return classes


def classes_in(spec: Iterable[str], *, rules: Mapping | str | Path | None = None) -> list[str]:
    """
    A rule's list of land uses (``[industrial, storage]``, or any spelling) as class codes.

    Raises
    ------
    RulesError
        An entry that names no class — a typo in a rules file must not silently drop a use.
    """
    items = [spec] if isinstance(spec, str) else list(spec)
    got, bad = land_use_classes(pd.Series(items, dtype=object), rules=rules)
    if bad.any():
        raise RulesError("land_uses_unknown", rule_set="land_use",
                         values=[str(v) for v in pd.Series(items)[bad.to_numpy()]], allowed_classes=list(LAND_USE_CLASSES))
    return [c for c in got.dropna().tolist()]


# --------------------------------------------------------------------------- park names


def _split_aliases(value) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return [str(v) for v in value if str(v).strip()]
    return [p for p in re.split(r"[;；,，、|]", str(value)) if p.strip()]


def _stem(name: str, suffixes: Iterable[str]) -> str | None:
    for suf in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suf) and len(name) > len(suf):
            return name[: -len(suf)]
    return None


def park_name_variants(parks: pd.DataFrame, *, rules: Mapping | str | Path | None = None) -> dict[str, str]:
    """
    Every folded way of writing a park's name → its ``park_id``.

    Built from ``park_id``, ``name_zh``, ``name_en``, an optional ``aliases`` column
    (a list, or text separated by 、 , ;) and, for each park, its name's stem (南宁 of
    南宁高新技术产业开发区; with the city: 南宁市) joined with each level word of its
    ``level`` (国家, 自治区级 …) and each suffix (高新区, 高新技术产业开发区 …) of
    ``geo/rules/vocab.yaml`` ``park_names``. A variant two parks would share is left
    out: it is reported when met, never guessed.
    """
    spec = (load_rules("vocab", rules) if rules is not None else _vocab_rules())["park_names"]
    suffixes = [str(s) for s in spec["suffixes"]]
    level_words = {k: [str(w) for w in v] for k, v in spec["level_words"].items()}
    all_words = sorted({w for ws in level_words.values() for w in ws}, key=len, reverse=True)
    prefixes = [str(p) for p in spec.get("prefixes", [""])]
    claims: dict[str, set[str]] = {}

    def claim(text, pid: str) -> None:
        if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
            return
        claims.setdefault(_key(text), set()).add(pid)

    ids = parks["park_id"].astype(str).tolist()
    levels = park_level(parks["level"]) if "level" in parks else pd.Series(pd.NA, index=parks.index)
    cols = {c: parks[c].tolist() if c in parks else [None] * len(parks) for c in ("name_zh", "name_en", "city", "aliases")}
    for i, pid in enumerate(ids):
        claim(pid, pid)
        for col in ("name_zh", "name_en"):
            claim(cols[col][i], pid)
        for a in _split_aliases(cols["aliases"][i]):
            claim(a, pid)
        name = cols["name_zh"][i]
        if not isinstance(name, str) or not name.strip():
            continue
        name = unicodedata.normalize("NFKC", name).strip()
        for p in sorted(prefixes, key=len, reverse=True):
            if p and name.startswith(p):
                name = name[len(p):]
                break
        stem = _stem(name, suffixes)
        if stem is None:
            continue
        for w in all_words:  # 南宁国家 → 南宁
            if w and stem.endswith(w) and len(stem) > len(w):
                stem = stem[: -len(w)]
                break
        stems = {stem}
        city = cols["city"][i]
        if isinstance(city, str) and city.strip():
            city = unicodedata.normalize("NFKC", city).strip()
            bare = city.removesuffix("市")
            if stem.startswith(bare):
                stems.add(city + stem[len(bare):])  # 柳州河西 → 柳州市河西
        lvl = levels.iloc[i]
        words = level_words.get(str(lvl), [""]) if isinstance(lvl, str) else [""]
        for st in stems:
            for p in prefixes:
                for w in words:
                    for suf in suffixes:
                        claim(f"{p}{st}{w}{suf}", pid)
    return {k: next(iter(v)) for k, v in claims.items() if len(v) == 1}


def resolve_parks(
    values, parks: pd.DataFrame, *, rules: Mapping | str | Path | None = None
) -> tuple[pd.Series, pd.Series]:
    """
    Park names as people write them (南宁高新区, 南宁国家高新技术产业开发区, ``nanning``) → ``park_id``.

    Parameters
    ----------
    values
        A parcel file's park column.
    parks
        The parks table (``park_id``; ``name_zh``, ``name_en``, ``city``, ``level``,
        ``aliases`` used when present).

    Returns
    -------
    park_id
        ``str`` aligned to ``values``; NA where blank or unresolved. Only an exact match
        of a folded variant (:func:`park_name_variants`) counts: 柳州河西高新区 is never
        柳州高新区, and a name two parks could share resolves to neither.
    unresolved
        bool: True where the cell names no park.
    """
    table = park_name_variants(parks, rules=rules)

    def look(texts: list, _counts=None) -> list:
        return [None if t is None else table.get(_key(t)) for t in texts]

    return _spread(values, look)
