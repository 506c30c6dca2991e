"""The view model: which roles and items the page draws, what each item is shared by, and where it is said.

Everything comes from the store in a fixed number of SPARQL queries (``viz/queries/*.rq``), however many
roles are shown: the links, the role link counts, the aliases and the provenance are each fetched in bulk,
with role and item IRIs bound through :func:`graph.queries.with_values`, never pasted from user text.

>>> from graph.build import build
>>> from graph.settings import Settings
>>> from graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> view = build_view(RoleGraph(store, Settings().base_iri), ViewRequest(kinds=("tool",)))
>>> view.roles
['ai-engineer', 'data-engineer', 'deep-learning-engineer']
>>> sorted(node.slug for node in view.items if node.shared)
['aws', 'azure', 'google-cloud', 'java', 'python']
>>> view.onet  # no O*NET import in the store: the page needs no O*NET attribution
False

Colour by community and a learning path (:mod:`viz.overlay`) are asked for in the request too:

>>> request = ViewRequest(kinds=("tool",), color="community", path_from="data-engineer", path_to="ai-engineer")
>>> view = build_view(RoleGraph(store, Settings().base_iri), request)
>>> view.communities["roles"]
{'ai-engineer': 0, 'data-engineer': 0, 'deep-learning-engineer': 0}
>>> [step["node"] for step in view.path["steps"] if step["drawn"]][:2]
['tool/keras', 'tool/pytorch']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolution

from graph.errors import InvalidRequest, NotFound
from graph.insight import Insight
from graph.namespaces import check_slug, rg
from graph.onet import import_graph as onet_graph
from graph.queries import with_in_filter, with_values
from graph.questions import ITEM_KINDS, RoleGraph, check_kind
from viz.overlay import COLOR_MODES, communities, learning_path

#: What the page shows when the link does not say: responsibility areas are off (they are coarse).
DEFAULT_KINDS = ("tool", "skill", "use-case", "industry")
#: Items drawn at most, best shared first; the page says how many more there are.
DEFAULT_LIMIT = 150
MAX_LIMIT = 2000
#: Without a role choice the view shows every role up to this many, else the roles with the most links.
DEFAULT_ROLES = 12
MAX_ROLES = 1000
#: Provenance kept per item: sentences per (role, item) and roles per item (hover and panel, not an index).
SENTENCES_PER_LINK = 2
ROLES_WITH_SOURCES = 6
SENTENCE_CHARS = 280


def _load() -> dict[str, str]:
    folder = resources.files("viz") / "queries"
    return {
        e.name.removesuffix(".rq"): e.read_text(encoding="utf-8") for e in folder.iterdir() if e.name.endswith(".rq")
    }


QUERIES: dict[str, str] = _load()


@dataclass(frozen=True)
class ViewRequest:
    """What to show: the roles (none: the default choice), the kinds, shared items only, how many items;
    how to colour the roles (``kind`` or ``community``) and the learning path to draw (two shown roles)."""

    roles: tuple[str, ...] = ()
    kinds: tuple[str, ...] = DEFAULT_KINDS
    shared_only: bool = False
    limit: int = DEFAULT_LIMIT
    color: str = "kind"
    path_from: str | None = None
    path_to: str | None = None

    def checked(self) -> ViewRequest:
        """The same request with duplicates dropped and every value checked (raises InvalidRequest)."""
        roles = tuple(dict.fromkeys(check_slug(r, "role id", field="role") for r in self.roles))
        if len(roles) == 1:
            raise InvalidRequest("choose at least two roles to compare (or none for the default view)", field="role")
        if len(roles) > MAX_ROLES:
            raise InvalidRequest(f"at most {MAX_ROLES} roles can be shown at once", field="role")
        kinds = {check_kind(k) for k in self.kinds}
        if not kinds:
            raise InvalidRequest("choose at least one kind of item", field="kind")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
        if self.color not in COLOR_MODES:
            raise InvalidRequest(f"color must be one of {', '.join(COLOR_MODES)}", field="color")
        path_from, path_to = self.path_from or None, self.path_to or None
        if (path_from is None) != (path_to is None):
            missing = "path_to" if path_to is None else "path_from"
            raise InvalidRequest("a path needs both path_from and path_to (two of the roles shown)", field=missing)
        if path_from is not None and path_to is not None:
            check_slug(path_from, "path_from role id", field="path_from")
            check_slug(path_to, "path_to role id", field="path_to")
            if path_from == path_to:
                raise InvalidRequest("path_from and path_to must be two different roles", field="path_to")
        # Kinds in one fixed order, so that equal views have equal links.
        kinds_in_order = tuple(k for k in ITEM_KINDS if k in kinds)
        return ViewRequest(roles, kinds_in_order, self.shared_only, self.limit, self.color, path_from, path_to)

    @property
    def path(self) -> tuple[str, str] | None:
        return (self.path_from, self.path_to) if self.path_from and self.path_to else None


@dataclass(frozen=True)
class Source:
    """A sentence of a role's document that mentions an item."""

    role: str
    section: str
    sentence: str


@dataclass(frozen=True)
class RoleSummary:
    id: str
    label: str
    links: int


@dataclass
class Node:
    """A role or an item. ``id`` is its IRI path under the base (``tool/python``), unique across kinds."""

    id: str
    slug: str
    label: str
    type: str
    kind: str
    roles: list[str] = field(default_factory=list)
    shared: bool = False
    aliases: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    mentions: int = 0


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str


@dataclass
class View:
    """The roles and items to draw, and what was left out (so the page can say so)."""

    request: ViewRequest
    #: The IRI base: a node's IRI is ``base + id``.
    base: str
    roles: list[str]
    all_roles: list[RoleSummary]
    role_nodes: list[Node]
    items: list[Node]
    edges: list[Edge]
    #: Items linked to the shown roles (before ``shared_only`` and the limit), hidden by each of them.
    candidates: int = 0
    hidden_single: int = 0
    hidden_by_limit: int = 0
    #: True when no role was asked for and only the best-linked ``DEFAULT_ROLES`` are shown.
    roles_capped: bool = False
    #: Items the roles link to that are not drawn: node id -> why (a :data:`viz.overlay.HIDDEN` code).
    not_drawn: dict[str, str] = field(default_factory=dict)
    #: The shown roles' communities (``color=community``) and the learning path asked for (viz.overlay).
    communities: dict[str, Any] | None = None
    path: dict[str, Any] | None = None
    #: The graph, and the insight model both came from (None when neither was asked for): a saved file asks
    #: for more (every shown role's community, the paths between the roles).
    graph: RoleGraph | None = field(default=None, repr=False)
    insight: Insight | None = field(default=None, repr=False)
    #: The page holds O*NET data, so it must carry O*NET's attribution (:func:`holds_onet` says when).
    onet: bool = False

    def overlay_source(self) -> Insight | None:
        """The insight model to ask for communities and paths (the graph's own, with its cached model)."""
        if self.insight is None and self.graph is not None:
            self.insight = Insight.of(self.graph)
        return self.insight

    @property
    def nodes(self) -> list[Node]:
        return self.role_nodes + self.items

    def notes(self) -> list[str]:
        """What the page says about what it does not draw."""
        notes = []
        if self.roles_capped:
            notes.append(
                f"Showing the {len(self.roles)} roles with the most links out of {len(self.all_roles)}: "
                "choose roles to see others."
            )
        if self.hidden_single:
            n = self.hidden_single
            notes.append(
                f"{n} item{'s' * (n != 1)} linked to only one role {'are' if n != 1 else 'is'} hidden (shared only)."
            )
        if self.hidden_by_limit:
            notes.append(
                f"Showing {len(self.items)} of {self.candidates - self.hidden_single} items, the most shared first: "
                f"{self.hidden_by_limit} more {'are' if self.hidden_by_limit != 1 else 'is'} hidden "
                "(raise the limit to see them)."
            )
        return notes


def _text(row: QuerySolution, name: str) -> str:
    value = row[name]
    return value.value if isinstance(value, Literal | NamedNode) else ""


def _relations(kinds: tuple[str, ...]) -> dict[str, str]:
    """Relation IRI -> item kind."""
    return {rg(ITEM_KINDS[kind][1]).value: kind for kind in kinds}


def role_summaries(graph: RoleGraph, kinds: tuple[str, ...]) -> list[RoleSummary]:
    """Every role with how many items of ``kinds`` it links to, most links first.

    Counted from the service's role index (kept per store version), not re-aggregated per request.
    """
    index = graph.index()
    summaries = [
        RoleSummary(role_id, label, sum(len(index.role_items(kind, role_id)) for kind in kinds))
        for role_id, (label, _) in index.roles.items()
    ]
    return sorted(summaries, key=lambda s: (-s.links, s.label.casefold(), s.id))


def _choose_roles(request: ViewRequest, summaries: list[RoleSummary], graph: RoleGraph) -> tuple[list[str], bool]:
    if request.roles:
        graph.require_roles(list(request.roles))  # NotFound names every unknown role
        return list(request.roles), False
    if not summaries:
        raise NotFound("the graph holds no roles yet: build it first (rolegraph build)")
    chosen = summaries if len(summaries) <= DEFAULT_ROLES else summaries[:DEFAULT_ROLES]
    # Shown in label order, like /api/roles.
    ids = [s.id for s in sorted(chosen, key=lambda s: (s.label.casefold(), s.id))]
    return ids, len(chosen) < len(summaries)


def _links(
    graph: RoleGraph, role_iris: list[NamedNode], kinds: tuple[str, ...]
) -> tuple[dict[str, Node], list[tuple[str, str, str]]]:
    """The items the roles link to, and (role id, item node id, kind) for each link."""
    relations = _relations(kinds)
    if not role_iris or not relations:
        return {}, []  # (unfilled, the query would match every link of every role: with_values leaves UNDEF)
    query = with_values(QUERIES["links"], "role", role_iris)
    query = with_in_filter(query, "relation", [NamedNode(iri) for iri in relations])
    items: dict[str, Node] = {}
    links = []
    for row in graph.store.select(query):
        kind = relations[_text(row, "relation")]
        parsed = graph.iris.parse(_text(row, "item"))
        if parsed is None:  # an item minted under another base: not ours to draw
            continue
        node_id = "/".join(parsed)
        if node_id not in items:
            label, tool_kind = _text(row, "label"), _text(row, "kind")
            items[node_id] = Node(node_id, _text(row, "id"), label, kind, tool_kind or kind)
        links.append((_text(row, "roleId"), node_id, kind))
    return items, links


def _rank(items: list[Node]) -> list[Node]:
    """Most shared first; among equals the most mentioned, then by label (a stable, explainable order)."""
    return sorted(items, key=lambda n: (-len(n.roles), -n.mentions, n.label.casefold(), n.id))


def _add_provenance(graph: RoleGraph, roles: list[str], role_iris: list[NamedNode], items: dict[str, Node]) -> None:
    """Count every mention of the items in the roles' documents and keep the first few sentences."""
    if not items:
        return
    # Items are filtered here, not in the query: a second VALUES block makes the store join every role with
    # every item (several times slower for hundreds of roles), and the rows of other kinds are few.
    query = with_values(QUERIES["provenance_bulk"], "role", role_iris)
    order = {role: i for i, role in enumerate(roles)}
    mentions = []
    for row in graph.store.select(query):
        role = _text(row, "role").removeprefix(graph.iris.base + "role/")
        node = items.get(_text(row, "item").removeprefix(graph.iris.base))
        if node is not None and role in order:
            mentions.append((order[role], int(_text(row, "start") or 0), role, node, row))
    # The shown roles' order, then document order: the first sources kept are those of the first roles.
    mentions.sort(key=lambda m: m[:2])
    kept: dict[str, dict[str, list[str]]] = defaultdict(dict)  # item node id -> role -> sentences kept
    for _, _, role, node, row in mentions:
        node.mentions += 1
        by_role = kept[node.id]
        if role not in by_role:
            if len(by_role) >= ROLES_WITH_SOURCES:
                continue
            by_role[role] = []
        sentence = clip(_text(row, "sentence"))
        if sentence in by_role[role] or len(by_role[role]) >= SENTENCES_PER_LINK:
            continue
        by_role[role].append(sentence)
        node.sources.append(Source(role, _text(row, "section"), sentence))


def clip(sentence: str) -> str:
    """A sentence cut to ``SENTENCE_CHARS`` (documents can hold very long "sentences", e.g. lists).

    >>> clip("short")
    'short'
    >>> len(clip("x" * 1000)) == SENTENCE_CHARS
    True
    """
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= SENTENCE_CHARS else sentence[: SENTENCE_CHARS - 1].rstrip() + "…"


def _add_aliases(graph: RoleGraph, items: list[Node]) -> None:
    if not items:
        return
    by_iri = {graph.iris.base + node.id: node for node in items}
    query = with_values(QUERIES["aliases"], "item", [NamedNode(iri) for iri in by_iri])
    for row in graph.store.select(query):
        by_iri[_text(row, "item")].aliases.append(_text(row, "alias"))
    for node in items:
        node.aliases.sort(key=str.casefold)


def _check_path_roles(request: ViewRequest, roles: list[str], graph: RoleGraph) -> None:
    """A path runs between two of the roles shown: NotFound for an unknown role, InvalidRequest for another."""
    if request.path is None:
        return
    shown = set(roles)
    for name, role in zip(("path_from", "path_to"), request.path, strict=True):
        if role not in shown:
            graph.require_roles([role])  # NotFound: unknown role(s): ...
            raise InvalidRequest(
                f"{name} {role!r} is not one of the roles shown: add it to the roles (role=) to draw a path from "
                "or to it",
                field=name,
            )


def holds_onet(graph: RoleGraph) -> bool:
    """Whether a page of this graph holds O*NET data: whenever the O*NET import is in the store.

    Not only when an O*NET role or tool is drawn: every page lists all the roles (the role picker, and the
    data a saved file embeds), so O*NET's occupation titles are on it, and a drawn curated tool that O*NET
    names too shows O*NET's names among its aliases. Everything the import describes lives in its one named
    graph (:mod:`graph.onet`), which is therefore the one sign to ask for.
    """
    return bool(graph.store.query(QUERIES["onet_loaded"], {"graph": onet_graph(graph.iris)}))


def build_view(graph: RoleGraph, request: ViewRequest) -> View:
    """The view for ``request``: raises InvalidRequest for bad input and NotFound for unknown roles."""
    request = request.checked()
    summaries = role_summaries(graph, request.kinds)
    roles, capped = _choose_roles(request, summaries, graph)
    _check_path_roles(request, roles, graph)
    role_iris = [graph.role_iri(role) for role in roles]
    items, links = _links(graph, role_iris, request.kinds)
    for role, node_id, _ in links:
        items[node_id].roles.append(role)
    order = {role: i for i, role in enumerate(roles)}
    for node in items.values():
        node.roles.sort(key=order.__getitem__)
        node.shared = len(node.roles) == len(roles)
    # Provenance for every candidate: the mention counts rank equally shared items.
    _add_provenance(graph, roles, role_iris, items)

    candidates = list(items.values())
    shown = [n for n in candidates if len(n.roles) > 1] if request.shared_only else candidates
    ranked = _rank(shown)
    drawn = ranked[: request.limit]
    _add_aliases(graph, drawn)
    drawn_ids = {n.id for n in drawn}
    not_drawn = {n.id: "limit" for n in ranked[request.limit :]}
    not_drawn.update((n.id, "shared-only") for n in candidates if len(n.roles) < 2 and request.shared_only)

    labels = {s.id: s.label for s in summaries}
    role_nodes = [Node(f"role/{r}", r, labels.get(r, r), "role", "role", roles=[r], shared=False) for r in roles]
    edges = [
        Edge(f"role/{role}", node_id, ITEM_KINDS[kind][1]) for role, node_id, kind in links if node_id in drawn_ids
    ]
    # The insight model (the app's, built once per store version) only for a view that colours or draws a path.
    path = request.path
    insight = Insight.of(graph) if request.color == "community" or path else None
    return View(
        request=request,
        base=graph.iris.base,
        roles=roles,
        all_roles=summaries,
        role_nodes=role_nodes,
        items=drawn,
        edges=edges,
        candidates=len(candidates),
        hidden_single=len(candidates) - len(shown),
        hidden_by_limit=len(ranked) - len(drawn),
        roles_capped=capped,
        not_drawn=not_drawn,
        communities=communities(insight, roles) if insight and request.color == "community" else None,
        path=learning_path(insight, *path, drawn=drawn_ids, not_drawn=not_drawn) if insight and path else None,
        graph=graph,
        insight=insight,
        onet=holds_onet(graph),
    )
