"""Import O*NET: occupations become roles, their technologies tools, all in one named graph of its own.

The two O*NET files bundled in ``data/onet/`` (see its README for the licence and the attribution) become:

* one ``rg:Role`` per occupation that lists at least one technology: id ``onet-`` plus the O*NET-SOC code
  with ``.`` as ``-`` (``onet-15-2051-00``), ``rdfs:label`` the title, ``dcterms:description`` the
  description, ``rg:onetCode`` the code and ``dcterms:source "O*NET"``;
* one ``rg:Tool`` per technology name, resolved first to a curated tool (:mod:`graph.resolve`): a merged tool
  gains the O*NET name as ``skos:altLabel`` (unless the vocabulary already calls it so) and its sources; an
  unmatched name becomes a new tool ``onet-<slug>`` whose kind comes from its UNSPSC commodity;
* one ``rg:ToolCategory`` per UNSPSC commodity, in the concept scheme ``{base}scheme/tool-categories``;
* one ``rg:ToolUse`` per occupation-technology row of the file, carrying O*NET's "hot technology" and
  "in demand" flags and the name O*NET lists; the direct ``rg:usesTool`` triple is written too, so every
  query that knows only roles and tools works unchanged.

Everything goes into ``{base}graph/import/onet``, written by one ``replace_graph`` transaction and removed by
one ``drop_graph``: the rest of the store is never touched.

>>> data = read_onet(ONET_DIR)
>>> len(data.occupations), len(data.technologies), len(data.names())
(1016, 32435, 8745)
>>> role_id("15-2051.00")
'onet-15-2051-00'
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import Literal, NamedNode, Quad

from graph.build import ALT_LABEL, IDENTIFIER, IN_SCHEME, LABEL, PREF_LABEL, _Quads, node_iri, ontology_tool_kinds
from graph.errors import InvalidDocument, NotFound, ShapeViolation, StoreError
from graph.namespaces import DCTERMS, RDF, SKOS, Iris, rg, term
from graph.queries import QUERIES
from graph.resolve import ONET_DIR, ResolutionReport, Resolver, new_tool_id, normalise
from graph.settings import Settings
from graph.store import GraphStore
from graph.vocabulary import load_vocabulary

#: The value of ``dcterms:source`` on everything this import describes.
SOURCE = "O*NET"
#: The source a merged tool's curated half comes from (the vocabulary graph does not state its own).
VOCABULARY_SOURCE = "rolegraph vocabulary"
#: What anything that ships or shows O*NET data must carry (``data/onet/README.md``); keep it verbatim.
ATTRIBUTION = (
    "This product includes information from the O*NET Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. "
    "O*NET® is a trademark of USDOL/ETA."
)
LICENSE = NamedNode("https://creativecommons.org/licenses/by/4.0/")

OCCUPATION_FILE = "occupation_data.txt"
TECHNOLOGY_FILE = "technology_skills.txt"
OCCUPATION_HEADER = ("O*NET-SOC Code", "Title", "Description")
TECHNOLOGY_HEADER = ("O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand")
_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_COMMODITY = re.compile(r"^\d{8}$")

A = term(RDF, "type")
SOURCE_PREDICATE = term(DCTERMS, "source")


# -- reading the files ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    description: str


@dataclass(frozen=True)
class Technology:
    """One row of ``technology_skills.txt``: an occupation lists a technology."""

    code: str
    name: str
    commodity_code: str
    commodity_title: str
    hot: bool
    in_demand: bool


@dataclass(frozen=True)
class OnetData:
    occupations: dict[str, Occupation]
    technologies: list[Technology]

    def names(self) -> set[str]:
        return {t.name for t in self.technologies}

    def occupations_with_technology(self) -> list[Occupation]:
        codes = {t.code for t in self.technologies}
        return [o for code, o in sorted(self.occupations.items()) if code in codes]


def _rows(path: Path, header: tuple[str, ...]) -> Iterable[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidDocument(f"{path}: cannot be read as UTF-8 text: {exc}") from exc
    # O*NET's files are tab-separated with CRLF endings and never quote a field.
    reader = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    found = tuple(next(reader, ()))
    if found != header:
        raise InvalidDocument(f"{path}: expected the columns {', '.join(header)}; found {', '.join(found) or 'none'}")
    for number, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise InvalidDocument(f"{path}, line {number}: expected {len(header)} fields, found {len(row)}")
        yield number, [normalise(value) for value in row]


def _flag(value: str, path: Path, number: int) -> bool:
    if value not in ("Y", "N"):
        raise InvalidDocument(f"{path}, line {number}: a Y/N flag is {value!r}")
    return value == "Y"


def read_onet(directory: Path) -> OnetData:
    """Read and check the two O*NET files in ``directory``."""
    occupations: dict[str, Occupation] = {}
    path = directory / OCCUPATION_FILE
    for number, (code, title, description) in _rows(path, OCCUPATION_HEADER):
        if not _CODE.fullmatch(code) or not title:
            raise InvalidDocument(f"{path}, line {number}: not an O*NET-SOC code and title: {code!r}, {title!r}")
        occupations[code] = Occupation(code, title, description)
    technologies: list[Technology] = []
    path = directory / TECHNOLOGY_FILE
    for number, (code, name, commodity, title, hot, demand) in _rows(path, TECHNOLOGY_HEADER):
        if code not in occupations:
            raise InvalidDocument(f"{path}, line {number}: occupation {code!r} is not in {OCCUPATION_FILE}")
        if not name or not _COMMODITY.fullmatch(commodity):
            raise InvalidDocument(f"{path}, line {number}: no technology name or no 8-digit commodity code")
        technologies.append(
            Technology(code, name, commodity, title, _flag(hot, path, number), _flag(demand, path, number))
        )
    return OnetData(occupations, technologies)


# -- ids and IRIs -----------------------------------------------------------------------------------------
def role_id(code: str) -> str:
    """The role id of an occupation: ``onet-`` and the O*NET-SOC code with ``.`` as ``-``."""
    return "onet-" + code.replace(".", "-")


def import_graph(iris: Iris) -> NamedNode:
    return iris.node("graph", "import", "onet")


def category_scheme(iris: Iris) -> NamedNode:
    return iris.node("scheme", "tool-categories")


def category_iri(iris: Iris, commodity_code: str) -> NamedNode:
    # Not one of Iris's node types (graph/namespaces.py): minted here under the same base.
    return NamedNode(f"{iris.base}tool-category/{commodity_code}")


def tool_use_iri(iris: Iris, role: str, name_key: str) -> NamedNode:
    return NamedNode(f"{iris.base}tool-use/{role}/{name_key}")


def new_tool_ids(names: Iterable[str]) -> dict[str, str]:
    """Each name's ``onet-<slug>`` id; names whose slugs collide all get a short hash of the name appended,
    so an id never depends on which other names happen to be in the file."""
    by_slug: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        by_slug.setdefault(new_tool_id(name), []).append(name)
    ids: dict[str, str] = {}
    for slug, group in by_slug.items():
        for name in group:
            digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
            ids[name] = slug if len(group) == 1 else f"{slug}-{digest}"
    return ids


# -- building the graph -----------------------------------------------------------------------------------
class Progress(Protocol):
    """Where a long import reports how far it is (the CLI draws it as a progress bar)."""

    def stage(self, name: str, total: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class _Silent:
    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass
class OnetImport:
    """The import graph's quads and what went into them."""

    quads: list[Quad]
    resolution: ResolutionReport
    roles: int = 0
    tool_uses: int = 0
    new_tools: int = 0
    merged_tools: int = 0
    categories: int = 0
    unmatched: list[str] = field(default_factory=list)

    def as_json(self, unmatched_listed: int = 50) -> dict[str, Any]:
        return {
            "source": SOURCE,
            "attribution": ATTRIBUTION,
            "roles": self.roles,
            "tool_uses": self.tool_uses,
            "technology_names": len(self.resolution.matched) + len(self.resolution.unmatched),
            "merged_names": len(self.resolution.matched),
            "merged_tools": self.merged_tools,
            "merged_by_rule": self.resolution.by_rule(),
            "new_tools": self.new_tools,
            "unmatched": len(self.unmatched),
            "unmatched_sample": self.unmatched[:unmatched_listed],
            "ambiguous": self.resolution.ambiguous,
            "categories": self.categories,
            "triples": len(self.quads),
        }


def _most_common_commodity(counts: Counter[str]) -> str:
    return min(counts, key=lambda code: (-counts[code], code))


def onet_quads(
    data: OnetData,
    iris: Iris,
    resolver: Resolver,
    tool_kinds: dict[str, NamedNode],
    progress: Progress | None = None,
) -> OnetImport:
    """The import graph for ``data``: deterministic, so a re-import gives identical quads."""
    progress = progress or _Silent()
    out = _Quads(import_graph(iris))
    vocab = resolver.vocabulary

    progress.stage("resolving technology names", 1)
    resolution = resolver.resolve_all(data.names())
    progress.advance()
    new_ids = new_tool_ids(resolution.unmatched)
    name_keys = {name: new_id.removeprefix("onet-") for name, new_id in new_tool_ids(data.names()).items()}

    def tool_of(name: str) -> str:
        match = resolution.matched.get(name)
        return match.tool_id if match else new_ids[name]

    # The dataset itself: where it comes from and under which licence.
    dataset = import_graph(iris)
    out.add(dataset, term(DCTERMS, "title"), "O*NET occupations and technology skills")
    out.add(dataset, SOURCE_PREDICATE, SOURCE)
    out.add(dataset, term(DCTERMS, "license"), LICENSE)
    out.add(dataset, term(DCTERMS, "rights"), ATTRIBUTION)

    # UNSPSC commodities: a flat SKOS scheme of tool categories.
    titles: dict[str, str] = {}
    for tech in data.technologies:
        titles.setdefault(tech.commodity_code, tech.commodity_title)
    scheme = category_scheme(iris)
    out.add(scheme, A, term(SKOS, "ConceptScheme"))
    out.add(scheme, PREF_LABEL, "Tool categories (UNSPSC commodities)")
    out.add(scheme, IDENTIFIER, "tool-categories")
    out.add(scheme, SOURCE_PREDICATE, SOURCE)
    for code, title in sorted(titles.items()):
        category = category_iri(iris, code)
        out.add(category, A, rg("ToolCategory"))
        out.add(category, PREF_LABEL, title)
        out.add(category, IDENTIFIER, code)
        out.add(category, IN_SCHEME, scheme)
        out.add(category, term(SKOS, "topConceptOf"), scheme)
        out.add(scheme, term(SKOS, "hasTopConcept"), category)

    # Tools: the categories and commodities each one is listed under, across all its names.
    progress.stage("describing tools", len(data.names()))
    commodities: dict[str, Counter[str]] = {}
    for tech in data.technologies:
        commodities.setdefault(tech.name, Counter())[tech.commodity_code] += 1
    tools_scheme = iris.node("scheme", "tools")
    merged: set[str] = set()
    for name in sorted(data.names()):
        tool_id = tool_of(name)
        tool = node_iri(iris, "tool", tool_id)
        if name in resolution.matched:
            merged.add(tool_id)
            # Both labels: the O*NET name becomes an alias unless the vocabulary already has it (the union
            # of the graphs would otherwise return the same label twice).
            if name not in vocab.tools[tool_id].surface_forms:
                out.add(tool, ALT_LABEL, name)
            out.add(tool, SOURCE_PREDICATE, VOCABULARY_SOURCE)
        else:
            kind = resolver.rules.kind_for(_most_common_commodity(commodities[name]))
            out.add(tool, A, rg("Tool"))
            out.add(tool, PREF_LABEL, name)
            out.add(tool, IDENTIFIER, tool_id)
            out.add(tool, IN_SCHEME, tools_scheme)
            out.add(tool, rg("toolKind"), tool_kinds[kind])
        out.add(tool, SOURCE_PREDICATE, SOURCE)
        for code in sorted(commodities[name]):
            out.add(tool, rg("toolCategory"), category_iri(iris, code))
        progress.advance()

    # Roles and their tool uses.
    occupations = data.occupations_with_technology()
    by_code: dict[str, list[Technology]] = {}
    for tech in data.technologies:
        by_code.setdefault(tech.code, []).append(tech)
    progress.stage("describing roles", len(occupations))
    tool_uses = 0
    for occupation in occupations:
        rid = role_id(occupation.code)
        role = iris.node("role", rid)
        out.add(role, A, rg("Role"))
        out.add(role, LABEL, occupation.title)
        out.add(role, IDENTIFIER, rid)
        out.add(role, term(DCTERMS, "description"), occupation.description or None)
        out.add(role, rg("onetCode"), occupation.code)
        out.add(role, SOURCE_PREDICATE, SOURCE)
        for tech in sorted(by_code[occupation.code], key=lambda t: t.name):
            tool = node_iri(iris, "tool", tool_of(tech.name))
            out.add(role, rg("usesTool"), tool)
            use = tool_use_iri(iris, rid, name_keys[tech.name])
            out.add(use, A, rg("ToolUse"))
            out.add(use, rg("role"), role)
            out.add(use, rg("tool"), tool)
            out.add(use, rg("listedName"), tech.name)
            out.add(use, rg("hotTechnology"), tech.hot)
            out.add(use, rg("inDemand"), tech.in_demand)
            tool_uses += 1
        progress.advance()

    return OnetImport(
        # Two names of one merged tool repeat some triples (the role's rg:usesTool, the tool's sources).
        quads=list(dict.fromkeys(out.quads)),
        resolution=resolution,
        roles=len(occupations),
        tool_uses=tool_uses,
        new_tools=len(new_ids),
        merged_tools=len(merged),
        categories=len(titles),
        unmatched=list(resolution.unmatched),
    )


# -- the store --------------------------------------------------------------------------------------------
def prepare_onet(
    store: GraphStore,
    settings: Settings,
    directory: Path = ONET_DIR,
    *,
    validate: bool = True,
    progress: Progress | None = None,
) -> OnetImport:
    """Read, resolve, build and (optionally) validate the import graph; nothing is written."""
    progress = progress or _Silent()
    tool_kinds = ontology_tool_kinds(store)
    if not tool_kinds:
        raise StoreError("the store holds no ontology: run 'rolegraph build' before importing O*NET")
    progress.stage("reading the O*NET files", 1)
    data = read_onet(directory)
    progress.advance()
    resolver = Resolver.default(load_vocabulary(settings.vocabulary_dir))
    result = onet_quads(data, Iris(settings.base_iri), resolver, tool_kinds, progress)
    if validate:
        progress.stage("checking the SHACL shapes", 1)
        key = (_fingerprint(result.quads), settings.base_iri, settings.ontology_dir, settings.vocabulary_dir)
        if key not in _CONFORMING:
            from graph.validate import validate_document  # pySHACL: loaded by the commands that validate

            report = validate_document(result.quads, settings)
            if not report.conforms:
                raise ShapeViolation(
                    f"the O*NET import breaks {report.violations} SHACL constraint(s): {report.summary}", report.text
                )
            _CONFORMING.add(key)
        progress.advance()
    return result


#: Import graphs (by fingerprint and settings) that conformed in this process: checking some 290,000 triples
#: takes most of a minute, and re-importing unchanged files builds the very same graph again.
_CONFORMING: set[tuple[str, str, Path, Path]] = set()


def _fingerprint(quads: list[Quad]) -> str:
    digest = hashlib.sha256()
    for line in sorted(str(q) for q in quads):
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


def import_onet(
    store: GraphStore,
    settings: Settings,
    directory: Path = ONET_DIR,
    *,
    validate: bool = True,
    progress: Progress | None = None,
) -> OnetImport:
    """Import (or re-import) O*NET: the import graph is replaced whole, in one transaction."""
    result = prepare_onet(store, settings, directory, validate=validate, progress=progress)
    progress = progress or _Silent()
    progress.stage("writing the import graph", 1)
    store.replace_graph(import_graph(Iris(settings.base_iri)), result.quads)
    store.flush()
    progress.advance()
    return result


def remove_onet(store: GraphStore, settings: Settings) -> None:
    """Remove the whole import; :class:`NotFound` when there is none."""
    graph = import_graph(Iris(settings.base_iri))
    if not store.has_graph(graph):
        raise NotFound("O*NET has not been imported")
    store.drop_graph(graph)
    store.flush()


def onet_status(store: GraphStore, settings: Settings) -> dict[str, Any]:
    """Whether O*NET is imported, with its counts and the attribution to show with it."""
    graph = import_graph(Iris(settings.base_iri))
    if not store.has_graph(graph):
        return {"imported": False, "source": SOURCE}
    rows = store.select(QUERIES["onet_status"], {"g": graph})
    roles, tools = (rows[0]["roles"], rows[0]["tools"]) if rows else (None, None)
    return {
        "imported": True,
        "source": SOURCE,
        "graph": graph.value,
        "roles": int(roles.value) if isinstance(roles, Literal) else 0,
        "tools": int(tools.value) if isinstance(tools, Literal) else 0,
        "license": LICENSE.value,
        "attribution": ATTRIBUTION,
    }
