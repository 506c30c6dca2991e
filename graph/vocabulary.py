"""The curated vocabulary: tools, skills, use cases, industries and responsibility areas, read from YAML.

The files in ``data/vocabulary/`` are the single source of these terms; this module only reads and checks
them and offers one :class:`TermMatcher` per category.

>>> vocab = load_vocabulary()
>>> vocab.tools["amazon-s3"].part_of
'aws'
>>> [m.term_id for m in vocab.matcher("tool").find("AWS (e.g., Redshift, S3)")]
['aws', 'amazon-redshift', 'amazon-s3']
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.errors import VocabularyError
from graph.matcher import TermMatcher
from graph.namespaces import SLUG
from graph.settings import PROJECT_ROOT

#: The kinds a tool can have; ``ontology/rolegraph.ttl`` defines one rg:ToolKind for each slug.
TOOL_KINDS = (
    "programming-language",
    "framework",
    "library",
    "cloud-platform",
    "cloud-service",
    "database",
    "big-data",
    "data-integration",
    "data-format",
    "devops",
    "mlops",
    "version-control",
    "collaboration",
    "business-intelligence",
    "monitoring",
    "hardware",
    "operating-system",
    "development-environment",
    "pretrained-model",
    "software",
)

#: Category -> (file name, list key, URL path segment of its IRIs).
CATEGORIES: dict[str, tuple[str, str, str]] = {
    "tool": ("tools.yaml", "tools", "tool"),
    "skill": ("skills.yaml", "skills", "skill"),
    "use-case": ("use_cases.yaml", "use_cases", "use-case"),
    "industry": ("industries.yaml", "industries", "industry"),
    "area": ("responsibility_areas.yaml", "areas", "area"),
}

_KEYS = {
    "tool": {"id", "label", "kind", "aliases", "part_of", "wikidata", "case_sensitive", "definition"},
    "skill": {"id", "label", "definition", "aliases", "broader"},
    "use-case": {"id", "label", "definition", "aliases", "industries"},
    "industry": {"id", "label", "definition", "aliases"},
    "area": {"id", "label", "definition", "aliases"},
}


@dataclass(frozen=True)
class Term:
    """One curated concept."""

    id: str
    label: str
    category: str
    aliases: tuple[str, ...] = ()
    definition: str | None = None
    case_sensitive: bool = False
    kind: str | None = None
    part_of: str | None = None
    wikidata: str | None = None
    broader: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass
class Vocabulary:
    """All curated terms, by category, plus heading phrase tables and blocking phrases."""

    terms: dict[str, dict[str, Term]]
    phrases: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    not_tools: tuple[str, ...] = ()
    _matchers: dict[str, TermMatcher] = field(default_factory=dict, repr=False)

    @property
    def tools(self) -> Mapping[str, Term]:
        return self.terms["tool"]

    @property
    def skills(self) -> Mapping[str, Term]:
        return self.terms["skill"]

    @property
    def use_cases(self) -> Mapping[str, Term]:
        return self.terms["use-case"]

    @property
    def industries(self) -> Mapping[str, Term]:
        return self.terms["industry"]

    @property
    def areas(self) -> Mapping[str, Term]:
        return self.terms["area"]

    def all_terms(self) -> Iterator[Term]:
        for category in CATEGORIES:
            yield from self.terms[category].values()

    def matcher(self, category: str) -> TermMatcher:
        """The matcher for one category (built once)."""
        if category not in self._matchers:
            entries: list[tuple[str | None, str, bool]] = [
                (t.id, form, t.case_sensitive) for t in self.terms[category].values() for form in t.surface_forms
            ]
            if category == "tool":
                entries += [(None, phrase, False) for phrase in self.not_tools]
            self._matchers[category] = TermMatcher(entries)
        return self._matchers[category]

    def map_heading(self, category: str, heading: str) -> tuple[str, ...]:
        """Term ids for a section heading: the phrase table first, then an exact label or alias."""
        table = self.phrases.get(category, {})
        key = " ".join(heading.split()).casefold()
        if key in table:
            return table[key]
        found = self.matcher(category).lookup(heading)
        return (found,) if found else ()


def _as_tuple(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise VocabularyError(f"{where}: expected a string or a list of strings, got {value!r}")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected a mapping at the top level")
    return data


def _parse_term(category: str, raw: Any, where: str) -> Term:
    if not isinstance(raw, dict):
        raise VocabularyError(f"{where}: expected a mapping, got {raw!r}")
    unknown = set(raw) - _KEYS[category]
    if unknown:
        raise VocabularyError(f"{where}: unknown keys {sorted(unknown)}")
    term_id, label = raw.get("id"), raw.get("label")
    if not isinstance(term_id, str) or not SLUG.fullmatch(term_id):
        raise VocabularyError(f"{where}: id {term_id!r} is not a slug")
    if not isinstance(label, str) or not label.strip():
        raise VocabularyError(f"{where} ({term_id}): missing label")
    kind = raw.get("kind")
    if category == "tool" and kind not in TOOL_KINDS:
        raise VocabularyError(f"{where} ({term_id}): kind {kind!r} is not one of {', '.join(TOOL_KINDS)}")
    return Term(
        id=term_id,
        label=label.strip(),
        category=category,
        aliases=_as_tuple(raw.get("aliases"), f"{where} ({term_id}) aliases"),
        definition=raw.get("definition"),
        case_sensitive=bool(raw.get("case_sensitive", False)),
        kind=kind,
        part_of=raw.get("part_of"),
        wikidata=str(raw["wikidata"]) if raw.get("wikidata") else None,
        broader=_as_tuple(raw.get("broader"), f"{where} ({term_id}) broader"),
        industries=_as_tuple(raw.get("industries"), f"{where} ({term_id}) industries"),
    )


def _check_references(vocab: Vocabulary) -> None:
    seen: dict[str, str] = {}
    for term in vocab.all_terms():
        if term.id in seen:
            raise VocabularyError(f"id {term.id!r} is used by a {seen[term.id]} and a {term.category}")
        seen[term.id] = term.category
    for term in vocab.tools.values():
        if term.part_of and term.part_of not in vocab.tools:
            raise VocabularyError(f"tool {term.id}: part_of {term.part_of!r} is not a tool")
    for term in vocab.skills.values():
        for broader in term.broader:
            if broader not in vocab.skills:
                raise VocabularyError(f"skill {term.id}: broader {broader!r} is not a skill")
    for term in vocab.use_cases.values():
        for industry in term.industries:
            if industry not in vocab.industries:
                raise VocabularyError(f"use case {term.id}: industry {industry!r} is not an industry")
    for category, table in vocab.phrases.items():
        for phrase, ids in table.items():
            for term_id in ids:
                if term_id not in vocab.terms[category]:
                    raise VocabularyError(f"{category} phrase {phrase!r} names unknown id {term_id!r}")


def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    """Read and check every vocabulary file in ``directory`` (default ``data/vocabulary``)."""
    directory = directory or PROJECT_ROOT / "data" / "vocabulary"
    return _load_cached(directory.resolve())


@functools.cache
def _load_cached(directory: Path) -> Vocabulary:
    terms: dict[str, dict[str, Term]] = {}
    phrases: dict[str, dict[str, tuple[str, ...]]] = {}
    not_tools: tuple[str, ...] = ()
    for category, (file_name, key, _) in CATEGORIES.items():
        path = directory / file_name
        data = _read(path)
        entries = data.get(key)
        if not isinstance(entries, list):
            raise VocabularyError(f"{path}: expected a list under {key!r}")
        terms[category] = {}
        for index, raw in enumerate(entries):
            term = _parse_term(category, raw, f"{path.name}[{index}]")
            terms[category][term.id] = term
        table = data.get("phrases") or {}
        if not isinstance(table, dict):
            raise VocabularyError(f"{path}: 'phrases' must be a mapping")
        phrases[category] = {
            " ".join(str(k).split()).casefold(): _as_tuple(v, f"{path.name} phrase {k!r}") for k, v in table.items()
        }
        if category == "tool":
            not_tools = _as_tuple(data.get("not_tools"), f"{path.name} not_tools")
    vocab = Vocabulary(terms=terms, phrases=phrases, not_tools=not_tools)
    _check_references(vocab)
    return vocab
