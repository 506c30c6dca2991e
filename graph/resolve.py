"""Entity resolution: which curated tool (if any) an O*NET technology name is.

The curated vocabulary's labels and aliases are the only targets; the rules that rewrite an O*NET name
(vendor prefixes, suffixes such as "software", a trailing acronym) are data in ``data/onet/resolution.yaml``.
Matching is exact and case-insensitive after the rewrites (case-sensitive for tools the vocabulary marks
``case_sensitive``); nothing is fuzzy, so "Microsoft SQL Server" can only ever be a tool called "SQL Server",
never SQL. When the rewrites of one name reach two different tools at the same number of steps, the name is
ambiguous and is not merged.

>>> resolver = Resolver.default()
>>> [resolver.resolve(name).tool_id for name in ("Oracle Java", "The MathWorks MATLAB", "Microsoft Azure software")]
['java', 'matlab', 'azure']
>>> resolver.resolve("Microsoft SQL Server").tool_id, resolver.resolve("Oracle SQL Plus") is None
('microsoft-sql-server', True)
>>> new_tool_id("Microsoft Visual C++")
'onet-microsoft-visual-c-plus-plus'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.errors import VocabularyError
from graph.namespaces import slugify
from graph.settings import PROJECT_ROOT
from graph.vocabulary import TOOL_KINDS, Vocabulary, load_vocabulary

#: The bundled O*NET extract and its resolution rules.
ONET_DIR = PROJECT_ROOT / "data" / "onet"
RULES_FILE = ONET_DIR / "resolution.yaml"

#: How many rewrites are chained at most (vendor + suffix + acronym).
MAX_STEPS = 3

_ACRONYM = re.compile(r"^\(?([A-Z][A-Z0-9]*[A-Z])\)?$")
_SLUG_SYMBOLS = (("+", " plus "), ("#", " sharp "), ("&", " and "), ("@", " at "))


def normalise(text: str) -> str:
    """Whitespace collapsed, ends stripped (the form every comparison starts from)."""
    return " ".join(text.split())


@dataclass(frozen=True)
class ResolutionRules:
    """The rewrite rules and the commodity -> tool kind table, as read from ``resolution.yaml``."""

    vendors: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    acronym_min_letters: int = 2
    acronym_skip_words: frozenset[str] = frozenset()
    same_as: Mapping[str, str] = field(default_factory=dict)
    distinct: frozenset[str] = frozenset()
    tool_kinds: Mapping[str, str] = field(default_factory=dict)
    default_kind: str = "software"

    @classmethod
    def load(cls, path: Path = RULES_FILE) -> ResolutionRules:
        return _load_rules(path.resolve())

    def kind_for(self, commodity_code: str) -> str:
        return self.tool_kinds.get(commodity_code, self.default_kind)


def _strings(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabularyError(f"{path}: {key!r} must be a list of strings")
    return tuple(normalise(v) for v in value)


@functools.cache
def _load_rules(path: Path) -> ResolutionRules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected a mapping at the top level")
    acronym = data.get("acronym") or {}
    same_as = data.get("same_as") or {}
    kinds = {str(k): str(v) for k, v in (data.get("tool_kinds") or {}).items()}
    default_kind = str(data.get("default_kind") or "software")
    for kind in [*kinds.values(), default_kind]:
        if kind not in TOOL_KINDS:
            raise VocabularyError(f"{path}: tool kind {kind!r} is not one of {', '.join(TOOL_KINDS)}")
    if not isinstance(same_as, dict) or not isinstance(acronym, dict):
        raise VocabularyError(f"{path}: 'same_as' and 'acronym' must be mappings")
    return ResolutionRules(
        vendors=_strings(data, "vendors", path),
        suffixes=_strings(data, "suffixes", path),
        acronym_min_letters=int(acronym.get("min_letters", 2)),
        acronym_skip_words=frozenset(w.casefold() for w in _strings(acronym, "skip_words", path)),
        same_as={normalise(str(k)): str(v) for k, v in same_as.items()},
        distinct=frozenset(_strings(data, "distinct", path)),
        tool_kinds=kinds,
        default_kind=default_kind,
    )


@dataclass(frozen=True)
class Match:
    """An O*NET name resolved to a curated tool: ``how`` names the rules applied (``alias`` when none)."""

    name: str
    tool_id: str
    how: tuple[str, ...]
    form: str

    @property
    def rule(self) -> str:
        return "+".join(self.how) if self.how else "alias"


@dataclass
class ResolutionReport:
    """What :meth:`Resolver.resolve_all` found: merges, names left as they are, and ambiguous names."""

    matched: dict[str, Match] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    def by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for match in self.matched.values():
            counts[match.rule] = counts.get(match.rule, 0) + 1
        return dict(sorted(counts.items()))

    def summary(self) -> str:
        total = len(self.matched) + len(self.unmatched)
        rules = ", ".join(f"{rule} {count}" for rule, count in self.by_rule().items())
        return (
            f"{total} technology names: {len(self.matched)} resolved to {len(set(self.tool_ids()))} curated tools "
            f"({rules}); {len(self.unmatched)} not matched (new tools), {len(self.ambiguous)} of them ambiguous"
        )

    def tool_ids(self) -> list[str]:
        return [m.tool_id for m in self.matched.values()]


class Resolver:
    """Resolves O*NET technology names to the ids of curated tools.

    >>> Resolver.default().resolve("Amazon Web Services AWS software").tool_id
    'aws'
    """

    def __init__(self, vocabulary: Vocabulary, rules: ResolutionRules) -> None:
        self.vocabulary = vocabulary
        self.rules = rules
        self._folded: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        for tool in vocabulary.tools.values():
            for form in tool.surface_forms:
                if tool.case_sensitive:
                    self._exact[normalise(form)] = tool.id
                else:
                    self._folded[normalise(form).casefold()] = tool.id
        for name, tool_id in rules.same_as.items():
            if tool_id not in vocabulary.tools:
                raise VocabularyError(f"resolution same_as: {name!r} names unknown tool {tool_id!r}")

    @classmethod
    def default(cls, vocabulary: Vocabulary | None = None) -> Resolver:
        return cls(vocabulary or load_vocabulary(), ResolutionRules.load())

    # -- lookups and rewrites ----------------------------------------------------------------------
    def lookup(self, text: str) -> str | None:
        """The curated tool called exactly ``text`` (a label or an alias), if any."""
        text = normalise(text)
        return self._exact.get(text) or self._folded.get(text.casefold())

    def _strip_vendor(self, text: str) -> Iterator[str]:
        folded = text.casefold()
        for vendor in self.rules.vendors:
            prefix = vendor.casefold() + " "
            if folded.startswith(prefix) and len(text) > len(prefix):
                yield text[len(prefix) :]

    def _strip_suffix(self, text: str) -> Iterator[str]:
        folded = text.casefold()
        for suffix in self.rules.suffixes:
            ending = " " + suffix.casefold()
            if folded.endswith(ending) and len(text) > len(ending):
                yield text[: -len(ending)]

    def _acronym(self, text: str) -> Iterator[str]:
        """The trailing acronym and the words it abbreviates, when it is exactly their initials."""
        words = text.split()
        if len(words) < 2:
            return
        found = _ACRONYM.match(words[-1])
        if found is None:
            return
        acronym = found.group(1)
        letters = [c for c in acronym if c.isalpha()]
        if len(letters) < self.rules.acronym_min_letters or len(letters) != len(acronym):
            return
        before = words[:-1]
        initials = [w[0].casefold() for w in before if w.casefold() not in self.rules.acronym_skip_words]
        if len(initials) < len(letters):
            return
        # The acronym abbreviates the last len(acronym) significant words before it.
        if initials[-len(letters) :] != [c.casefold() for c in letters]:
            return
        yield acronym
        # The expansion: the words from the first abbreviated one on (vendor words before it are dropped).
        significant = [i for i, w in enumerate(before) if w.casefold() not in self.rules.acronym_skip_words]
        yield " ".join(before[significant[-len(letters)] :])

    def rewrites(self, name: str) -> Iterator[tuple[int, str, tuple[str, ...]]]:
        """``(steps, text, rules)`` for the name and every rewrite of it, fewest steps first."""
        start = normalise(name)
        frontier: list[tuple[str, tuple[str, ...]]] = [(start, ())]
        seen = {start}
        yield 0, start, ()
        for steps in range(1, MAX_STEPS + 1):
            next_frontier: list[tuple[str, tuple[str, ...]]] = []
            for text, how in frontier:
                for rule, rewrite in (
                    ("vendor", self._strip_vendor),
                    ("suffix", self._strip_suffix),
                    ("acronym", self._acronym),
                ):
                    for new in rewrite(text):
                        new = normalise(new)
                        if new and new not in seen:
                            seen.add(new)
                            next_frontier.append((new, (*how, rule)))
                            yield steps, new, (*how, rule)
            frontier = next_frontier

    # -- resolution --------------------------------------------------------------------------------
    def candidates(self, name: str) -> list[Match]:
        """The matches at the fewest rewrite steps that reach any tool (several: ambiguous)."""
        name = normalise(name)
        if name in self.rules.distinct:
            return []
        if name in self.rules.same_as:
            return [Match(name, self.rules.same_as[name], ("same-as",), name)]
        best: dict[str, Match] = {}
        best_steps: int | None = None
        for steps, text, how in self.rewrites(name):
            if best_steps is not None and steps > best_steps:
                break
            tool_id = self.lookup(text)
            if tool_id is not None and tool_id not in best:
                best[tool_id] = Match(name, tool_id, how, text)
                best_steps = steps
        return list(best.values())

    def resolve(self, name: str) -> Match | None:
        """The curated tool ``name`` is, or ``None`` (no rule reaches a tool, or two tools: ambiguous)."""
        found = self.candidates(name)
        return found[0] if len(found) == 1 else None

    def resolve_all(self, names: Iterable[str]) -> ResolutionReport:
        report = ResolutionReport()
        for name in sorted(set(names)):
            found = self.candidates(name)
            if len(found) == 1:
                report.matched[name] = found[0]
            else:
                report.unmatched.append(name)
                if len(found) > 1:
                    report.ambiguous[name] = sorted(m.tool_id for m in found)
        return report


def new_tool_id(name: str) -> str:
    """The id of the new tool an unmatched O*NET name becomes: ``onet-`` and a slug of the name.

    >>> new_tool_id("Microsoft Visual C#"), new_tool_id("AT&T Troff")
    ('onet-microsoft-visual-c-sharp', 'onet-at-and-t-troff')
    """
    text = name
    for symbol, word in _SLUG_SYMBOLS:
        text = text.replace(symbol, word)
    return "onet-" + (slugify(text) or "technology")[:180].strip("-")
