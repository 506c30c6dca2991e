"""Links to public classifications: skills to ESCO skills, roles to ESCO occupations and ISCO-08 groups.

The curated tables live in ``data/standards/`` (beside ``data/vocabulary/``) and are read at build time only;
nothing is fetched. Tools' Wikidata items stay in ``tools.yaml`` and are written by the vocabulary build.
:func:`standards_quads` turns the tables into ``skos:exactMatch`` / ``skos:closeMatch`` / ``skos:broadMatch``
triples in the vocabulary graph, so every export carries them.

>>> tables = load_standards()
>>> tables.skills["machine-learning"].iri
'http://data.europa.eu/esco/skill/3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43'
>>> tables.roles["data-engineer"].isco_iri
'http://data.europa.eu/esco/isco/C2511'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import NamedNode, Quad

from graph.errors import VocabularyError
from graph.namespaces import SKOS, SLUG, Iris, term
from graph.settings import PROJECT_ROOT
from graph.vocabulary import Vocabulary

WIKIDATA_ID = re.compile(r"^Q[1-9]\d*$")
ESCO_SKILL = re.compile(r"^http://data\.europa\.eu/esco/skill/[0-9a-f-]{36}$")
ESCO_OCCUPATION = re.compile(r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$")
ISCO_CODE = re.compile(r"^[0-9]{4}$")
#: ESCO publishes every ISCO-08 group as a concept with this IRI form (``C`` and the code).
ISCO_BASE = "http://data.europa.eu/esco/isco/C"
#: Table value of ``match`` -> the SKOS mapping property it stands for.
MATCHES = {"exact": "exactMatch", "close": "closeMatch", "broad": "broadMatch"}


@dataclass(frozen=True)
class SkillLink:
    """One of our skills and the ESCO skill concept it matches."""

    skill: str
    iri: str
    label: str
    match: str
    note: str | None = None


@dataclass(frozen=True)
class RoleLink:
    """One role, the ESCO occupation it matches and the ISCO-08 unit group above it."""

    role: str
    iri: str
    label: str
    match: str
    isco: str
    isco_label: str
    note: str | None = None

    @property
    def isco_iri(self) -> str:
        return ISCO_BASE + self.isco


@dataclass(frozen=True)
class Standards:
    """The reviewed tables: skill id -> link, role id -> link."""

    skills: dict[str, SkillLink]
    roles: dict[str, RoleLink]


def default_directory(vocabulary_dir: Path | None = None) -> Path:
    """``data/standards`` beside the vocabulary folder in use."""
    return (vocabulary_dir or PROJECT_ROOT / "data" / "vocabulary").parent / "standards"


def _entries(path: Path, key: str) -> list[dict[str, Any]]:
    if not path.exists():
        return []  # a data folder without standard links is allowed: the graph simply has none
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyError(f"{path}: {exc}") from exc
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise VocabularyError(f"{path}: expected a list of mappings under {key!r}")
    return entries


def _field(entry: dict[str, Any], name: str, where: str, pattern: re.Pattern[str] | None = None) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        raise VocabularyError(f"{where}: missing {name!r}")
    if pattern is not None and not pattern.fullmatch(value):
        raise VocabularyError(f"{where}: {name} {value!r} does not match {pattern.pattern}")
    return value


def _match(entry: dict[str, Any], name: str, where: str, allowed: Iterable[str]) -> str:
    value = _field(entry, name, where)
    if value not in allowed:
        raise VocabularyError(f"{where}: {name} {value!r} is not one of {', '.join(allowed)}")
    return value


def _note(entry: dict[str, Any]) -> str | None:
    note = entry.get("note")
    return " ".join(str(note).split()) if note else None


def _unique(values: list[str], what: str, where: Path) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise VocabularyError(f"{where}: {what} {value!r} is listed twice")
        seen.add(value)


def load_standards(directory: Path | None = None) -> Standards:
    """Read and check ``esco_skills.yaml`` and ``occupations.yaml`` (form and uniqueness of every link)."""
    return _load_cached((directory or default_directory()).resolve())


@functools.cache
def _load_cached(directory: Path) -> Standards:
    skills_path, roles_path = directory / "esco_skills.yaml", directory / "occupations.yaml"
    skills: list[SkillLink] = []
    for n, entry in enumerate(_entries(skills_path, "skills")):
        where = f"{skills_path.name}[{n}]"
        skills.append(
            SkillLink(
                skill=_field(entry, "skill", where, SLUG),
                iri=_field(entry, "esco", where, ESCO_SKILL),
                label=_field(entry, "label", where),
                match=_match(entry, "match", where, ("exact", "close")),
                note=_note(entry),
            )
        )
    _unique([s.skill for s in skills], "skill", skills_path)
    # One skill per ESCO concept: two of our skills matching the same concept would make them the same skill.
    _unique([s.iri for s in skills], "ESCO skill", skills_path)
    roles: list[RoleLink] = []
    for n, entry in enumerate(_entries(roles_path, "roles")):
        where = f"{roles_path.name}[{n}]"
        roles.append(
            RoleLink(
                role=_field(entry, "role", where, SLUG),
                iri=_field(entry, "esco", where, ESCO_OCCUPATION),
                label=_field(entry, "esco_label", where),
                match=_match(entry, "esco_match", where, ("exact", "close", "broad")),
                isco=_field(entry, "isco", where, ISCO_CODE),
                isco_label=_field(entry, "isco_label", where),
                note=_note(entry),
            )
        )
    _unique([r.role for r in roles], "role", roles_path)
    # Several roles may sit under one broader occupation, but only one may be its close or exact match.
    _unique([r.iri for r in roles if r.match != "broad"], "ESCO occupation (as a close or exact match)", roles_path)
    return Standards({s.skill: s for s in skills}, {r.role: r for r in roles})


def standards_quads(
    iris: Iris, vocab: Vocabulary, role_ids: Iterable[str], directory: Path | None = None
) -> list[Quad]:
    """The links of the tables in ``directory`` as quads in the vocabulary graph, for the skills in ``vocab``
    and the roles being built (``role_ids``).

    Links of skills or roles the graph does not hold are left out, so that no link dangles.

    >>> from graph.vocabulary import load_vocabulary
    >>> quads = standards_quads(Iris("https://rolegraph.example/"), load_vocabulary(), ["data-engineer"])
    >>> [(q.predicate.value.rsplit("#")[-1], q.object.value) for q in quads if "role/" in q.subject.value]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('closeMatch', 'http://data.europa.eu/esco/occupation/2079755f-d809-49e6-8037-4de6180e54c0'),
     ('broadMatch', 'http://data.europa.eu/esco/isco/C2511')]
    """
    standards = load_standards(directory)
    graph = iris.vocabulary_graph
    quads = [
        Quad(iris.node("skill", link.skill), term(SKOS, MATCHES[link.match]), NamedNode(link.iri), graph)
        for link in sorted(standards.skills.values(), key=lambda s: s.skill)
        if link.skill in vocab.skills
    ]
    for role_id in sorted(set(role_ids)):
        role_link = standards.roles.get(role_id)
        if role_link is None:
            continue
        role = iris.node("role", role_id)
        quads.append(Quad(role, term(SKOS, MATCHES[role_link.match]), NamedNode(role_link.iri), graph))
        quads.append(Quad(role, term(SKOS, "broadMatch"), NamedNode(role_link.isco_iri), graph))
    return quads
