"""The page: a :class:`~viz.model.View` drawn with pyvis' node, edge and option data, in our own template.

pyvis builds what vis-network draws (``Network.add_node``/``add_edge`` and the physics options); the page
is our template (``viz/templates/view.html``), because pyvis' own templates load assets from CDNs. The data
sits in ``<script type="application/json" id="graph-data">``, where tests read what the page draws.

>>> from graph.build import build
>>> from graph.questions import RoleGraph
>>> from graph.settings import Settings
>>> from graph.store import GraphStore
>>> from viz.model import ViewRequest, build_view
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> view = build_view(RoleGraph(store, Settings().base_iri), ViewRequest(kinds=("industry",)))
>>> page = standalone_page(view)
>>> any(f'src="{scheme}' in page for scheme in ("http:", "https:")), 'id="graph-data"' in page
(False, True)
"""

from __future__ import annotations

import functools
import html
import json
from dataclasses import asdict
from importlib import resources
from string import Template
from typing import TYPE_CHECKING, Any

from graph.onet import ATTRIBUTION as ONET_ATTRIBUTION
from graph.onet import LICENSE as ONET_LICENSE
from viz.assets import SCRIPTS, STYLES, read_asset
from viz.layout import positions
from viz.model import MAX_LIMIT, View
from viz.overlay import STANDALONE_PATH_ROLES, communities, learning_path, path_key
from viz.style import EDGE_COLOR, MANY_ROLES, NEUTRAL_ITEM, PATH_COLOR, item_size, item_style, legend, role_style

if TYPE_CHECKING:
    from pyvis.network import Network

TEMPLATE_NAME = "view.html"
#: forceAtlas2Based (pyvis' names): enough repulsion to keep labels apart, enough gravity to stay compact.
PHYSICS: dict[str, float] = {
    "gravity": -100,
    "central_gravity": 0.02,
    "spring_length": 80,
    "spring_strength": 0.06,
    "damping": 0.5,
    "overlap": 0.5,
}
#: barnesHut for many roles: forceAtlas2 pushes the items most roles share (its hubs) out to the rim, where
#: barnesHut's springs keep them in the middle, among the roles that link to them.
MANY_ROLES_PHYSICS: dict[str, float] = {
    "gravity": -8000,
    "central_gravity": 0.3,
    "spring_length": 180,
    "spring_strength": 0.01,
    "damping": 0.35,
    "overlap": 0.1,
}
#: Above this many nodes vis-network's "improved layout" (a clustering pre-pass) costs more than it helps.
IMPROVED_LAYOUT_NODES = 100
LABEL_PIXELS = 7


def network(view: View) -> Network:
    """The pyvis network: nodes with their look and starting position, edges, physics and options."""
    from pyvis.network import Network  # here: importing pyvis loads IPython, which only this needs

    # directed=True: pyvis then skips its quadratic search for an existing reverse edge (arrows are off).
    net = Network(directed=True, cdn_resources="local")
    where = positions([n.id for n in view.role_nodes], {n.id: [f"role/{r}" for r in n.roles] for n in view.items})
    most = max((len(n.roles) for n in view.items), default=1)
    for node in view.role_nodes:
        x, y = where[node.id]
        net.add_node(node.id, label=node.label, x=x, y=y, **role_style(len(view.roles)))
    for node in view.items:
        x, y = where[node.id]
        net.add_node(
            node.id, label=node.label, x=x, y=y, **item_style(node.type, item_size(len(node.roles), most), node.shared)
        )
    for edge in view.edges:
        net.add_edge(edge.source, edge.target, id=f"{edge.source}>{edge.target}", arrows="")
    if len(view.roles) > MANY_ROLES:
        net.barnes_hut(**MANY_ROLES_PHYSICS)
    else:
        net.force_atlas_2based(**PHYSICS)
    return net


def vis_options(net: Network, node_count: int, edge_count: int) -> dict[str, Any]:
    """pyvis' options plus what it has no method for: stabilisation budget, layout, interaction, edges."""
    options: dict[str, Any] = json.loads(net.options.to_json())
    large = node_count > IMPROVED_LAYOUT_NODES
    options["physics"]["stabilization"] = {
        # Not before the first draw: the page draws the starting positions (viz/layout.py) at once, then calls
        # network.stabilize() with this budget, which is bounded because those positions are already close.
        "enabled": False,
        "iterations": 250 if edge_count > 2000 else 400,
        "updateInterval": 50,
        "fit": True,
    }
    options["physics"]["minVelocity"] = 1.5
    options["layout"] = {"improvedLayout": not large, "randomSeed": 7}
    options["edges"] = {
        # Straight edges: "dynamic" smoothing adds a physics node per edge, far too slow for thousands.
        "smooth": False,
        # Thousands of edges at full strength are a grey fog over the items: fainter the more there are.
        "color": {
            "color": EDGE_COLOR,
            "highlight": "#1f2933",
            "hover": "#52606d",
            "opacity": 0.55 if edge_count <= 1500 else 0.22,
        },
        "width": 1 if edge_count > 1500 else 1.4,
        "selectionWidth": 1.5,
        "hoverWidth": 0.5,
    }
    options["interaction"] = {
        **options.get("interaction", {}),
        "hover": True,
        "tooltipDelay": 120,
        "hideEdgesOnDrag": large,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "multiselect": False,
        "navigationButtons": False,
    }
    # Labels smaller than this many screen pixels are not drawn: zoomed out, only the big (shared) items and
    # the roles are named; zooming in names the rest. Hover and search work at every zoom.
    options["nodes"] = {"shadow": False, "scaling": {"label": {"enabled": False, "drawThreshold": LABEL_PIXELS}}}
    options.pop("configure", None)
    return options


def _overlays(view: View, *, standalone: bool) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The communities and the paths the page holds: those asked for, and in a saved file (no server to ask)
    every shown role's community and, for up to ``STANDALONE_PATH_ROLES`` roles, the path between any two."""
    found = view.communities
    paths = {path_key(view.path["from"], view.path["to"]): view.path} if view.path else {}
    insight = view.overlay_source() if standalone else None
    if insight is not None:
        if found is None:
            found = communities(insight, view.roles)
        if len(view.roles) <= STANDALONE_PATH_ROLES:
            drawn = {n.id for n in view.items}
            for source in view.roles:
                for target in view.roles:
                    if source != target and path_key(source, target) not in paths:
                        paths[path_key(source, target)] = learning_path(
                            insight, source, target, drawn=drawn, not_drawn=view.not_drawn
                        )
    return found, paths


def graph_data(view: View, *, standalone: bool) -> dict[str, Any]:
    """What the page draws and says, as JSON: the test-facing contract of the page."""
    net = network(view)
    semantic = {n.id: n for n in view.nodes}
    found, paths = _overlays(view, standalone=standalone)
    membership = found["roles"] if found else {}
    nodes = []
    for vis_node in net.nodes:
        node = semantic[vis_node["id"]]
        nodes.append(
            {
                **vis_node,
                "slug": node.slug,
                "type": node.type,
                "kind": node.kind,
                "roles": node.roles,
                "shared": node.shared,
                "aliases": node.aliases,
                "mentions": node.mentions,
                "sources": [asdict(s) for s in node.sources],
                **({"community": membership[node.slug]} if node.type == "role" and node.slug in membership else {}),
            }
        )
    edges = [{**e, "relation": rel.relation} for e, rel in zip(net.edges, view.edges, strict=True)]
    request = view.request
    return {
        "version": 1,
        "meta": {
            "standalone": standalone,
            "base": view.base,
            "roles": view.roles,
            "roles_requested": list(request.roles),
            "kinds": list(request.kinds),
            "shared_only": request.shared_only,
            "limit": request.limit,
            "max_limit": MAX_LIMIT,
            "all_roles": [asdict(s) for s in view.all_roles],
            "counts": {
                "roles": len(view.roles),
                "items": len(view.items),
                "edges": len(view.edges),
                "candidates": view.candidates,
                "hidden_single": view.hidden_single,
                "hidden_by_limit": view.hidden_by_limit,
                "shared": sum(1 for n in view.items if n.shared),
            },
            "notes": view.notes(),
            "legend": legend(len(view.roles)),
            # Colour by community: the mode asked for, the shown roles' communities (with their colours) and
            # the neutral fill of the items in that mode.
            "color": request.color,
            "communities": found,
            "neutral_item": NEUTRAL_ITEM,
            # The path drawn (a key of ``paths``), and every path the page holds.
            "path": path_key(*request.path) if request.path else None,
            "path_color": PATH_COLOR,
            "path_roles_max": STANDALONE_PATH_ROLES,
            # O*NET's attribution when the page holds O*NET data (the footer shows it), else None.
            "attribution": ONET_ATTRIBUTION if view.onet else None,
        },
        "nodes": nodes,
        "edges": edges,
        "paths": paths,
        "options": vis_options(net, len(nodes), len(edges)),
    }


def json_for_script(value: object) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped, so no text can end the element.

    >>> json_for_script({"label": "</script><b>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@functools.cache
def _template() -> Template:
    return Template((resources.files("viz") / "templates" / TEMPLATE_NAME).read_text(encoding="utf-8"))


def _title(view: View) -> str:
    if view.path:
        return f"From {view.path['from_label']} to {view.path['to_label']} · rolegraph"
    labels = [n.label for n in view.role_nodes]
    shown = ", ".join(labels[:4]) + (f" and {len(labels) - 4} more" if len(labels) > 4 else "")
    return f"What {shown} share · rolegraph"


def _credits(view: View) -> str:
    """The footer crediting O*NET, only on a page that holds O*NET data (CC BY 4.0 asks for the attribution
    and the licence's address). Plain text, not a link: the page sends the reader nowhere else."""
    if not view.onet:
        return ""
    return (
        f'<footer class="credits"><span id="onet-attribution">{html.escape(ONET_ATTRIBUTION)}</span> '
        f'<span class="licence">({html.escape(ONET_LICENSE.value)})</span></footer>'
    )


def _page(view: View, *, standalone: bool, styles: str, scripts: str, home: str, icon: str = "") -> str:
    return _template().substitute(
        title=html.escape(_title(view)),
        credits=_credits(view),
        icon=icon,
        styles=styles,
        scripts=scripts,
        home=home,
        data=json_for_script(graph_data(view, standalone=standalone)),
    )


def served_page(view: View, root_path: str = "") -> str:
    """The page the app serves: scripts and styles from ``{root_path}/viz/assets/`` (never another host)."""
    assets = f"{root_path}/viz/assets"
    styles = "\n".join(f'<link rel="stylesheet" href="{assets}/{name}">' for name in STYLES)
    scripts = "\n".join(f'<script src="{assets}/{name}"></script>' for name in SCRIPTS)
    icon = f'<link rel="icon" href="{assets}/favicon.svg" type="image/svg+xml">'
    return _page(view, standalone=False, styles=styles, scripts=scripts, home=f"{root_path}/", icon=icon)


def standalone_page(view: View) -> str:
    """One self-contained HTML file: every script and style inlined, so it opens from disk with no network."""
    styles = "\n".join(f"<style>\n{read_asset(name)}\n</style>" for name in STYLES)
    scripts = "\n".join(f"<script>\n{read_asset(name)}\n</script>" for name in SCRIPTS)
    return _page(view, standalone=True, styles=styles, scripts=scripts, home="")
