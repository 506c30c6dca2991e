"""Skill gaps as a learning path: what one role needs to learn to become another, in a sensible order.

The steps are the skills and then the tools the target role links to and the starting role lacks. Order:

1. Prerequisites first: a skill comes after every broader skill (``skos:broader``, transitively) that is
   itself a step, and a tool after the platform it is part of (``rg:partOf``). This is a topological order
   (Kahn's algorithm), so it holds whatever the other preferences say.
2. Among the steps free to go next, skills are taken in a pre-order walk of the taxonomy (a broader skill,
   then the skills under it, so related skills stay together); siblings, and the top-level groups, go full
   gaps before partly covered ones (``partial``: the starting role already has a directly narrower or
   broader skill, or the tool's platform or a sibling component), then items more roles need before rarer
   ones (more transferable), then by label. Tools go by the same preferences.
3. Skills before tools: tools are how a skill is practised, so they follow the skills they serve.

Each step says why it is there, in words (``why``) and as codes (``reason``): ``required`` (always),
``essential`` (in the target's skills section), ``prerequisite`` (broader than, or the platform of, a later
step), ``builds-on`` (a broader step or platform comes earlier), ``partial-narrower`` / ``partial-broader`` /
``partial-platform`` (partly covered already), ``common`` (at least half of all roles need it).

>>> inputs = PathInputs(
...     have={"skill": frozenset({"ml"}), "tool": frozenset({"python"})},
...     need={"skill": frozenset({"ml", "dl", "cnn", "maths"}), "tool": frozenset({"python", "pytorch"})},
...     essential=frozenset({"dl"}),
...     broader={"dl": ("ml",), "cnn": ("dl",)},
...     part_of={},
...     roles_with={"ml": 2, "dl": 1, "cnn": 1, "maths": 2, "python": 2, "pytorch": 1},
...     n_roles=2,
...     labels={"ml": "ML", "dl": "Deep learning", "cnn": "CNN", "maths": "Maths", "pytorch": "PyTorch"},
...     tool_kinds={"pytorch": "framework"},
... )
>>> [(s.id, s.partial) for s in plan(inputs, "Data Engineer", "DL Engineer")]
[('maths', False), ('dl', True), ('cnn', False), ('pytorch', False)]
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PathInputs:
    """What the planner needs, per kind (``skill``, ``tool``): item ids the roles have and need."""

    have: Mapping[str, frozenset[str]]
    need: Mapping[str, frozenset[str]]
    essential: frozenset[str]
    #: Skill id -> its broader skills (the vocabulary's ``broader``); tool id -> the tool it is part of.
    broader: Mapping[str, tuple[str, ...]]
    part_of: Mapping[str, str]
    #: Item id -> how many roles link it; the number of roles.
    roles_with: Mapping[str, int]
    n_roles: int
    labels: Mapping[str, str]
    tool_kinds: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Step:
    """One thing to learn, with the reasons it is in the path and where."""

    id: str
    label: str
    kind: str
    order: int = 0
    why: str = ""
    reason: list[str] = field(default_factory=list)
    partial: bool = False
    #: Items the starting role has that partly cover this one.
    have: list[str] = field(default_factory=list)
    #: Earlier steps this one builds on (broader skills, or the tool's platform), and later ones it opens.
    after: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    roles: int = 0
    essential: bool | None = None
    tool_kind: str | None = None

    def as_json(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict, which deep-copies every list (it dominated /api/path).
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "kind": self.kind,
            "order": self.order,
            "why": self.why,
            "reason": list(self.reason),
            "partial": self.partial,
            "have": list(self.have),
            "after": list(self.after),
            "before": list(self.before),
            "roles": self.roles,
        }
        if self.essential is not None:
            out["essential"] = self.essential
        if self.tool_kind is not None:
            out["tool_kind"] = self.tool_kind
        return out


def _ancestors(item: str, parents: Mapping[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    stack = list(parents.get(item, ()))
    while stack:
        parent = stack.pop()
        if parent not in seen:
            seen.add(parent)
            stack.extend(parents.get(parent, ()))
    return seen


def _depth(item: str, parents: Mapping[str, tuple[str, ...]], memo: dict[str, int], guard: frozenset[str]) -> int:
    """Longest chain of broader links above ``item`` (0 for a top concept); ``guard`` breaks any cycle."""
    if item not in memo:
        above = [p for p in parents.get(item, ()) if p not in guard]
        memo[item] = 1 + max((_depth(p, parents, memo, guard | {item}) for p in above), default=-1)
    return memo[item]


def _chain(item: str, parents: Mapping[str, tuple[str, ...]], memo: dict[str, int]) -> list[str]:
    """``item`` and its ancestors up the deepest broader link each time, top concept first."""
    chain = [item]
    while len(chain) <= len(memo) + 1:
        above = [p for p in parents.get(chain[-1], ()) if p not in chain]
        if not above:
            break
        chain.append(max(above, key=lambda p: (_depth(p, parents, memo, frozenset()), p)))
    return chain[::-1]


def _order(
    missing: set[str], parents: Mapping[str, tuple[str, ...]], key: Mapping[str, tuple[Any, ...]]
) -> tuple[list[str], dict[str, set[str]]]:
    """Kahn's topological sort (a step after its ancestors among the steps), the smallest ``key`` first."""
    requires = {item: _ancestors(item, parents) & missing for item in missing}
    dependants: dict[str, set[str]] = {item: set() for item in missing}
    for item, before in requires.items():
        for other in before:
            dependants[other].add(item)
    waiting = {item: len(before) for item, before in requires.items()}
    ready = [(key[item], item) for item, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, item = heapq.heappop(ready)
        ordered.append(item)
        for other in dependants[item]:
            waiting[other] -= 1
            if waiting[other] == 0:
                heapq.heappush(ready, (key[other], other))
    # A cycle in the taxonomy (the vocabulary forbids none explicitly) must not lose steps: append the rest.
    ordered += sorted((item for item in missing if item not in set(ordered)), key=lambda i: key[i])
    return ordered, requires


def _names(ids: list[str], labels: Mapping[str, str]) -> str:
    names = [labels.get(i, i) for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _share(count: int, n_roles: int, verb: str) -> str:
    """``2 of 3 roles require it.`` (``verb`` in the plural; one role takes the singular)."""
    return f"{count} of {n_roles} role{'s' if n_roles != 1 else ''} {verb if count != 1 else verb + 's'} it."


def _skill_steps(inputs: PathInputs, from_label: str, to_label: str) -> list[Step]:
    have, need = inputs.have.get("skill", frozenset()), inputs.need.get("skill", frozenset())
    missing = set(need - have)
    parents = inputs.broader
    children: dict[str, set[str]] = {}
    for child, ups in parents.items():
        for up in ups:
            children.setdefault(up, set()).add(child)
    steps: dict[str, Step] = {}
    memo: dict[str, int] = {}
    for skill in missing:
        narrower_had = sorted(children.get(skill, set()) & have)
        broader_had = sorted(set(parents.get(skill, ())) & have)
        step = Step(skill, inputs.labels.get(skill, skill), "skill", roles=inputs.roles_with.get(skill, 0))
        step.essential = skill in inputs.essential
        step.have = narrower_had + broader_had
        step.partial = bool(step.have)
        steps[skill] = step

    def node_key(skill: str) -> tuple[Any, ...]:
        step = steps.get(skill)
        roles = step.roles if step else inputs.roles_with.get(skill, 0)
        label = inputs.labels.get(skill, skill).casefold()
        return (step.partial if step else False, -roles, label, skill)

    # Pre-order through the taxonomy: a skill's key is the keys of its chain of broader skills, so related
    # skills stay together and each subtree follows its broader skill (Kahn's order still rules).
    keys = {skill: tuple(node_key(a) for a in _chain(skill, parents, memo)) for skill in missing}
    ordered, requires = _order(missing, parents, keys)
    for skill in ordered:
        step = steps[skill]
        step.after = sorted(requires[skill], key=ordered.index)
        step.before = [other for other in ordered if skill in requires[other]]
        reasons = ["required"] + (["essential"] if step.essential else [])
        what = "an essential skill" if step.essential else "a skill"
        why = [f"{to_label} requires {step.label} ({what}); {from_label} does not have it."]
        if step.before:
            reasons.append("prerequisite")
            why.append(f"It is broader than {_names(step.before, inputs.labels)}, which come later.")
        if step.after:
            reasons.append("builds-on")
            why.append(f"It builds on {_names(step.after, inputs.labels)}, earlier in this path.")
        narrower_had = [h for h in step.have if h in children.get(skill, set())]
        broader_had = [h for h in step.have if h not in narrower_had]
        covered = []
        if narrower_had:
            reasons.append("partial-narrower")
            covered.append(f"{_names(narrower_had, inputs.labels)} (narrower)")
        if broader_had:
            reasons.append("partial-broader")
            covered.append(f"{_names(broader_had, inputs.labels)} (broader)")
        if covered:
            why.append(f"Partly covered: {from_label} already has {' and '.join(covered)}.")
        if inputs.n_roles and 2 * step.roles >= inputs.n_roles:
            reasons.append("common")
        why.append(_share(step.roles, inputs.n_roles, "require"))
        step.reason, step.why = reasons, " ".join(why)
    return [steps[skill] for skill in ordered]


def _tool_steps(inputs: PathInputs, from_label: str, to_label: str) -> list[Step]:
    have, need = inputs.have.get("tool", frozenset()), inputs.need.get("tool", frozenset())
    missing = set(need - have)
    parents = {tool: (parent,) for tool, parent in inputs.part_of.items()}
    steps: dict[str, Step] = {}
    keys: dict[str, tuple[Any, ...]] = {}
    for tool in missing:
        step = Step(tool, inputs.labels.get(tool, tool), "tool", roles=inputs.roles_with.get(tool, 0))
        step.tool_kind = inputs.tool_kinds.get(tool)
        platform = inputs.part_of.get(tool)
        related = {platform} if platform else set()
        related |= {t for t in have if platform and inputs.part_of.get(t) == platform}  # sibling components
        related |= {t for t in have if inputs.part_of.get(t) == tool}  # components of this platform
        step.have = sorted(related & have)
        step.partial = bool(step.have)
        steps[tool] = step
        keys[tool] = (step.partial, -step.roles, step.tool_kind or "", step.label.casefold(), tool)
    ordered, requires = _order(missing, parents, keys)
    for tool in ordered:
        step = steps[tool]
        step.after = sorted(requires[tool], key=ordered.index)
        step.before = [other for other in ordered if tool in requires[other]]
        kind = f" ({step.tool_kind.replace('-', ' ')})" if step.tool_kind else ""
        reasons = ["required"]
        why = [f"{to_label} uses {step.label}{kind}; {from_label} does not."]
        if step.before:
            reasons.append("prerequisite")
            why.append(f"It is the platform of {_names(step.before, inputs.labels)}, which come later.")
        if step.after:
            reasons.append("builds-on")
            why.append(f"It is part of {_names(step.after, inputs.labels)}, earlier in this path.")
        if step.partial:
            reasons.append("partial-platform")
            why.append(f"Partly covered: {from_label} already uses {_names(step.have, inputs.labels)} (same platform).")
        if inputs.n_roles and 2 * step.roles >= inputs.n_roles:
            reasons.append("common")
        why.append(_share(step.roles, inputs.n_roles, "use"))
        step.reason, step.why = reasons, " ".join(why)
    return [steps[tool] for tool in ordered]


def plan(inputs: PathInputs, from_label: str, to_label: str) -> list[Step]:
    """The ordered steps: skills (prerequisites first), then tools; ``order`` numbers them from 1."""
    steps = _skill_steps(inputs, from_label, to_label) + _tool_steps(inputs, from_label, to_label)
    for number, step in enumerate(steps, start=1):
        step.order = number
    return steps
