"""What the view draws over its roles and items: communities of roles and the learning path between two roles.

Both come from :class:`graph.insight.Insight` (the model cached per store version, so a view of many roles
adds no store query): a role's community is ``Insight.view()``'s, the path is ``Insight.path()``'s, with its
steps in the same order. Each step says whether the view draws it, and if not, why not (its kind is not
shown, it is linked to one role only while shared items only are shown, or it is beyond the item limit).

>>> from graph.build import build
>>> from graph.questions import RoleGraph
>>> from graph.settings import Settings
>>> from graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> insight = Insight.of(RoleGraph(store, Settings().base_iri))
>>> found = communities(insight, ["ai-engineer", "data-engineer"])
>>> found["roles"], [(c["id"], c["size"], c["shown"]) for c in found["communities"]]
({'ai-engineer': 0, 'data-engineer': 0}, [(0, 3, 2)])
>>> path = learning_path(
...     insight, "data-engineer", "deep-learning-engineer", drawn={"tool/pytorch"}, not_drawn={"tool/keras": "limit"}
... )
>>> [(s["n"], s["node"]) for s in path["steps"] if s["drawn"]]
[(49, 'tool/pytorch')]
>>> [s["hidden"] for s in path["steps"] if s["node"] in ("tool/keras", "skill/deep-learning")]
['its kind is not shown', 'beyond the item limit']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from graph.insight import Insight
from viz.style import community_color, text_color

#: Colour modes of the roles (the query parameter ``color``).
COLOR_MODES = ("kind", "community")
#: A saved file (``rolegraph viz --out``) holds the path between every two of its roles up to this many roles
#: (30 paths at most), so that its path control works without a server; with more it holds none.
STANDALONE_PATH_ROLES = 6
#: Why an item the roles link to is not drawn (``View.not_drawn``), as the path panel says it.
HIDDEN = {
    "kind": "its kind is not shown",
    "shared-only": "linked to one role only (shared items only)",
    "limit": "beyond the item limit",
}
#: What the page keeps of a step of ``Insight.path`` (the rest is for the API: reason codes, neighbours).
STEP_FIELDS = ("id", "label", "kind", "why", "partial", "essential", "tool_kind")


def communities(insight: Insight, roles: list[str]) -> dict[str, Any]:
    """The shown roles' communities: role id -> community id, and each community with a shown role.

    ``size`` is the community's size in the whole graph, ``shown`` how many of its roles the view shows.
    """
    overlay = insight.view()
    membership = {info["id"]: int(info["community"]) for info in overlay["roles"].values()}
    # A role written after the model was built has no community yet (the next request rebuilds the model).
    shown_roles = {role: membership[role] for role in roles if role in membership}
    shown = Counter(shown_roles.values())
    groups = [
        {
            "id": group["id"],
            "label": group["label"],
            "size": group["size"],
            "shown": shown[group["id"]],
            "color": community_color(group["id"]),
            "text": text_color(community_color(group["id"])),
        }
        for group in overlay["communities"]
        if group["id"] in shown
    ]
    return {"method": overlay["method"], "roles": shown_roles, "communities": groups}


def learning_path(
    insight: Insight,
    from_role: str,
    to_role: str,
    *,
    drawn: Collection[str],
    not_drawn: Mapping[str, str],
) -> dict[str, Any]:
    """``Insight.path`` for the page: numbered steps (``n``, from 1), each drawn or hidden with the reason.

    ``drawn`` holds the view node ids the page draws; ``not_drawn`` maps the others the roles link to to a
    :data:`HIDDEN` code (a step in neither has a kind the view does not show).
    """
    path = insight.path(from_role, to_role)
    steps = []
    for n, step in enumerate(path["steps"], 1):
        node = step["node"]
        shown = node in drawn
        steps.append(
            {
                "n": n,
                "node": node,
                **{key: step[key] for key in STEP_FIELDS if key in step},
                "drawn": shown,
                "hidden": None if shown else HIDDEN[not_drawn.get(node, "kind")],
            }
        )
    return {
        "from": path["from"],
        "to": path["to"],
        "from_label": path["from_label"],
        "to_label": path["to_label"],
        "similarity": path["similarity"],
        "summary": {**path["summary"], "steps": len(steps), "drawn": sum(s["drawn"] for s in steps)},
        "steps": steps,
    }


def path_key(from_role: str, to_role: str) -> str:
    """The key of a path in the page data (``paths``)."""
    return f"{from_role}>{to_role}"
