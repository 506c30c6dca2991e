"""Records become RDF: the vocabulary graph, one graph per role document, and the ontology graph.

Every IRI is minted from slugs under the configured base, every triple is written without blank nodes,
so a rebuild gives identical sorted N-Triples.

>>> from graph.extract import extract_role_document
>>> doc = extract_role_document("Roles and Responsibilities of a Data Analyst\\nSkills Required\\n"
...                             "Programming: Python and SQL.\\n")
>>> quads = document_quads(doc, Iris("https://rolegraph.example/"), "analyst.txt")
>>> role_tools = sorted(q.object.value for q in quads if q.predicate == rg("usesTool"))
>>> role_tools
['https://rolegraph.example/tool/python', 'https://rolegraph.example/tool/sql']
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import CanonicalizationAlgorithm, Dataset, Literal, NamedNode, Quad, RdfFormat, parse

from graph.errors import VocabularyError
from graph.extract import RoleDocument, extract_role_document
from graph.namespaces import DCTERMS, PROV, RDF, RDFS, RG, SKOS, WD, XSD, Iris, rg, term
from graph.settings import Settings
from graph.standards import standards_quads
from graph.store import GraphStore
from graph.vocabulary import CATEGORIES, Vocabulary, load_vocabulary

A = term(RDF, "type")
LABEL = term(RDFS, "label")
PREF_LABEL = term(SKOS, "prefLabel")
ALT_LABEL = term(SKOS, "altLabel")
DEFINITION = term(SKOS, "definition")
IN_SCHEME = term(SKOS, "inScheme")
IDENTIFIER = term(DCTERMS, "identifier")
INTEGER = term(XSD, "integer")
BOOLEAN = term(XSD, "boolean")

#: Category -> (class, scheme slug, role relation).
CATEGORY_MODEL: dict[str, tuple[str, str, str]] = {
    "tool": ("Tool", "tools", "usesTool"),
    "skill": ("Skill", "skills", "requiresSkill"),
    "use-case": ("UseCase", "use-cases", "hasUseCase"),
    "industry": ("Industry", "industries", "activeInIndustry"),
    "area": ("ResponsibilityArea", "responsibility-areas", "hasResponsibilityArea"),
}


class _Quads:
    """Collects quads for one named graph."""

    def __init__(self, graph: NamedNode) -> None:
        self.graph = graph
        self.quads: list[Quad] = []

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal | str | int | bool | None) -> None:
        if o is None:
            return
        if isinstance(o, bool):
            o = Literal("true" if o else "false", datatype=BOOLEAN)
        elif isinstance(o, int):
            o = Literal(str(o), datatype=INTEGER)
        elif isinstance(o, str):
            o = Literal(o)
        self.quads.append(Quad(s, p, o, self.graph))


def node_iri(iris: Iris, category: str, term_id: str) -> NamedNode:
    return iris.node(CATEGORIES[category][2], term_id)


def vocabulary_quads(vocab: Vocabulary, iris: Iris, tool_kinds: dict[str, NamedNode]) -> list[Quad]:
    """The curated vocabulary as SKOS concepts, typed by the ontology's classes."""
    out = _Quads(iris.vocabulary_graph)
    for category, (class_name, scheme_slug, _) in CATEGORY_MODEL.items():
        scheme = iris.node("scheme", scheme_slug)
        out.add(scheme, A, term(SKOS, "ConceptScheme"))
        out.add(scheme, PREF_LABEL, scheme_slug.replace("-", " ").capitalize())
        for t in sorted(vocab.terms[category].values(), key=lambda t: t.id):
            node = node_iri(iris, category, t.id)
            out.add(node, A, rg(class_name))
            out.add(node, PREF_LABEL, t.label)
            out.add(node, IDENTIFIER, t.id)
            out.add(node, IN_SCHEME, scheme)
            out.add(node, DEFINITION, t.definition)
            for alias in t.aliases:
                out.add(node, ALT_LABEL, alias)
            if category == "tool":
                if t.kind not in tool_kinds:
                    raise VocabularyError(f"tool {t.id}: the ontology defines no rg:ToolKind {t.kind!r}")
                out.add(node, rg("toolKind"), tool_kinds[t.kind or ""])
                if t.part_of:
                    out.add(node, rg("partOf"), node_iri(iris, "tool", t.part_of))
                if t.wikidata:
                    out.add(node, term(SKOS, "exactMatch"), NamedNode(WD + t.wikidata))
            for broader in t.broader:
                out.add(node, term(SKOS, "broader"), node_iri(iris, "skill", broader))
                out.add(node_iri(iris, "skill", broader), term(SKOS, "narrower"), node)
            if category == "skill" and not t.broader:
                out.add(node, term(SKOS, "topConceptOf"), scheme)
            for industry in t.industries:
                out.add(node, rg("inIndustry"), node_iri(iris, "industry", industry))
    return out.quads


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_quads(doc: RoleDocument, iris: Iris, file_name: str) -> list[Quad]:
    """One role document's graph: the document, its role, the role's links, and every mention."""
    out = _Quads(iris.document_graph(doc.doc_id))
    document = iris.node("document", doc.doc_id)
    role = iris.node("role", doc.role_id)

    out.add(document, A, rg("Document"))
    out.add(document, LABEL, doc.title)
    out.add(document, IDENTIFIER, doc.doc_id)
    out.add(document, rg("fileName"), file_name)
    out.add(document, rg("contentHash"), content_hash(doc.text))
    out.add(document, rg("describes"), role)
    out.add(document, rg("truncated"), doc.truncated)
    for note in doc.skipped:
        out.add(document, rg("skipped"), note)

    out.add(role, A, rg("Role"))
    out.add(role, LABEL, doc.role_label)
    out.add(role, IDENTIFIER, doc.role_id)
    out.add(role, term(DCTERMS, "description"), doc.summary or None)
    out.add(role, term(PROV, "wasDerivedFrom"), document)

    for item in doc.responsibilities:
        resp = iris.node("responsibility", doc.doc_id, item.position)
        out.add(role, rg("hasResponsibility"), resp)
        out.add(resp, A, rg("Responsibility"))
        out.add(resp, LABEL, item.title)
        out.add(resp, rg("position"), item.position)
        out.add(resp, rg("roleStatement"), item.role_statement)
        for task in item.tasks:
            out.add(resp, rg("task"), task)
        for area in item.areas:
            out.add(resp, rg("inArea"), node_iri(iris, "area", area))
    for activity in doc.activities:
        act = iris.node("activity", doc.doc_id, activity.position)
        out.add(role, rg("hasActivity"), act)
        out.add(act, A, rg("Activity"))
        out.add(act, LABEL, activity.title)
        out.add(act, rg("position"), activity.position)
        out.add(act, rg("timeOfDay"), activity.time_of_day)
        for task in activity.tasks:
            out.add(act, rg("task"), task)

    # Role -> item links, each backed by the mentions below.
    essential = doc.essential_skills()
    for category, (_, _, relation) in CATEGORY_MODEL.items():
        for term_id in sorted(doc.term_ids(category)):
            target = node_iri(iris, category, term_id)
            out.add(role, rg(relation), target)
            if category == "skill":
                kind = "requiresEssentialSkill" if term_id in essential else "requiresOptionalSkill"
                out.add(role, rg(kind), target)
    for use_case, industry in sorted(doc.use_case_industries()):
        out.add(node_iri(iris, "use-case", use_case), rg("inIndustry"), node_iri(iris, "industry", industry))

    for number, m in enumerate(doc.mentions, start=1):
        node: NamedNode = iris.node("mention", doc.doc_id, number)
        out.add(node, A, rg("Mention"))
        out.add(node, rg("mentionOf"), node_iri(iris, m.category, m.term_id))
        out.add(node, rg("inDocument"), document)
        out.add(node, rg("section"), m.section)
        out.add(node, rg("sentence"), m.sentence)
        out.add(node, rg("matchedText"), m.text)
        out.add(node, rg("startOffset"), m.start)
        out.add(node, rg("endOffset"), m.end)
        out.add(node, rg("sentenceOffset"), m.sentence_start)
    return out.quads


@dataclass
class BuildReport:
    """What a build wrote."""

    triples: int = 0
    roles: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)


def ontology_quads(path: Path, graph: NamedNode) -> list[Quad]:
    """The ontology's triples in ``graph``, with blank nodes renamed by RDFC-1.0 so that rebuilds are identical."""
    dataset = Dataset(
        Quad(t.subject, t.predicate, t.object, graph) for t in parse(path=str(path), format=RdfFormat.TURTLE)
    )
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return list(dataset)


def ontology_tool_kinds(store: GraphStore) -> dict[str, NamedNode]:
    """Tool kind slug -> rg:ToolKind IRI, as the ontology defines them."""
    rows = store.select(f"SELECT ?kind ?id WHERE {{ ?kind a <{RG}ToolKind> ; <{DCTERMS}identifier> ?id }}")
    kinds: dict[str, NamedNode] = {}
    for row in rows:
        kind, slug = row["kind"], row["id"]
        if isinstance(kind, NamedNode) and isinstance(slug, Literal):
            kinds[slug.value] = kind
    return kinds


def role_document_paths(roles_dir: Path) -> list[Path]:
    return sorted(p for p in roles_dir.iterdir() if p.suffix in (".txt", ".md") and p.is_file())


def read_role_document(path: Path, vocab: Vocabulary) -> RoleDocument:
    return extract_role_document(path.read_text(encoding="utf-8"), vocab)


def build(settings: Settings, store: GraphStore, documents: Iterable[Path] | None = None) -> BuildReport:
    """Rebuild the whole graph in ``store`` from the ontology, the vocabulary and the role documents."""
    iris = Iris(settings.base_iri)
    vocab = load_vocabulary(settings.vocabulary_dir)
    paths = list(documents) if documents is not None else role_document_paths(settings.roles_dir)
    records = [(path, read_role_document(path, vocab)) for path in paths]

    store.clear()
    store.add_all(ontology_quads(settings.ontology_dir / "rolegraph.ttl", iris.ontology_graph))
    quads = vocabulary_quads(vocab, iris, ontology_tool_kinds(store))
    report = BuildReport()
    for path, doc in records:
        quads += document_quads(doc, iris, path.name)
        report.roles.append(doc.role_id)
        report.skipped[doc.doc_id] = doc.skipped
    # Links to ESCO and ISCO-08 (data/standards/), in the vocabulary graph, for the skills and the built roles.
    quads += standards_quads(iris, vocab, report.roles, settings.vocabulary_dir.parent / "standards")
    store.add_all(quads)
    store.flush()
    report.triples = len(store)
    return report
