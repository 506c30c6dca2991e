"""How each kind of node looks: colour, shape and legend text, in one table the page and the legend share.

The palette is Okabe-Ito (readable with the common colour-vision deficiencies); kinds differ by shape too,
so the legend still works in greyscale and in the exported PNG.

>>> STYLES["tool"].shape, STYLES["tool"].legend
('dot', 'Tool')
>>> item_size(roles=3, most=3), item_size(roles=1, most=3)
(34.0, 12.0)
>>> community_color(0), community_color(len(COMMUNITY_PALETTE)) == community_color(0)
('#4477aa', True)
>>> text_color("#4477aa"), text_color("#ddcc77")
('#ffffff', '#1f2933')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class KindStyle:
    """The look of one node type; ``shape`` is a vis-network shape name."""

    legend: str
    color: str
    shape: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


STYLES: dict[str, KindStyle] = {
    "role": KindStyle("Role", "#1f2933", "box"),
    "tool": KindStyle("Tool", "#0072b2", "dot"),
    "skill": KindStyle("Skill", "#009e73", "diamond"),
    "use-case": KindStyle("Use case", "#cc79a7", "square"),
    "industry": KindStyle("Industry", "#d55e00", "triangle"),
    "responsibility-area": KindStyle("Responsibility area", "#56b4e9", "hexagon"),
}

#: The ring around items every shown role links to (amber: no kind uses it).
SHARED_BORDER = "#e69f00"
EDGE_COLOR = "#aab4c0"
#: Item sizes (vis-network ``size``, in canvas pixels) for the least and the most shared item.
SMALLEST, LARGEST = 12.0, 34.0
#: With more roles than this, role nodes are drawn smaller so that the items stay visible.
MANY_ROLES = 12

#: Colours of role communities, by community id (``id % 12``: the same community, the same colour, in every
#: view of one graph). Paul Tol's qualitative "bright" and "muted" schemes, most distinct first; no amber
#: (the shared ring) and no grey (the items, when roles are coloured by community).
COMMUNITY_PALETTE = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#332288",
    "#44aa99",
    "#882255",
    "#999933",
    "#ddcc77",
    "#cc6677",
)
#: Items when roles are coloured by community: one neutral fill, so that colour means community only (the
#: kinds still differ by shape).
NEUTRAL_ITEM = "#b8c2cc"
#: The learning path: the ring of its steps and its edges (the target role's links to the steps).
PATH_COLOR = "#1f2933"


def community_color(community: int) -> str:
    return COMMUNITY_PALETTE[community % len(COMMUNITY_PALETTE)]


def _luminance(color: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_color(background: str, dark: str = STYLES["role"].color) -> str:
    """White or ``dark`` text, whichever contrasts more with ``background`` (WCAG contrast ratio)."""
    light = _luminance(background) + 0.05
    return "#ffffff" if 1.05 / light >= light / (_luminance(dark) + 0.05) else dark


def item_size(roles: int, most: int) -> float:
    """The size of an item linked to ``roles`` of the shown roles, when the best-linked item has ``most``.

    Square root: with hundreds of roles, the few items nearly every role uses must not dwarf the rest.
    """
    if most <= 1:
        return SMALLEST
    share: float = ((roles - 1) / (most - 1)) ** 0.5
    return round(SMALLEST + (LARGEST - SMALLEST) * share, 1)


def role_style(role_count: int) -> dict[str, Any]:
    """vis-network options for a role node: a large dark box with its name, or a small square for many roles.

    With hundreds of roles the items are what people look for: a box per role (sized by its label, drawn
    even when the label is too small to read) would cover them.
    """
    color = STYLES["role"].color
    colors = {
        "background": color,
        "border": color,
        "highlight": {"background": "#3e4c59", "border": SHARED_BORDER},
        "hover": {"background": "#3e4c59", "border": "#3e4c59"},
    }
    if role_count > MANY_ROLES:
        # Named only when zoomed in well past the overview (see LABEL_PIXELS): 300 names would bury the items.
        font = {"color": color, "size": 9, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#fff"}
        return {"shape": "square", "size": 7, "color": colors, "font": font, "borderWidth": 1, "mass": 1.5}
    return {
        "shape": STYLES["role"].shape,
        "color": colors,
        "font": {"color": "#ffffff", "size": 30, "face": "system-ui, sans-serif"},
        "margin": 14,
        "borderWidth": 1,
        "mass": 4,
    }


def item_style(kind: str, size: float, shared: bool) -> dict[str, Any]:
    """vis-network options for an item node; shared items get an amber ring and a bold, larger label."""
    style = STYLES[kind]
    # Labels grow with the item: zoomed out, the most shared items are still named (see LABEL_PIXELS).
    font_size = round(12 + (size - SMALLEST) * 0.45)
    return {
        "shape": style.shape,
        "size": size,
        # Heavier nodes push harder in forceAtlas2: the big labelled items keep more room around them.
        "mass": round(1 + 1.5 * (size - SMALLEST) / (LARGEST - SMALLEST), 2),
        "color": {
            "background": style.color,
            "border": SHARED_BORDER if shared else "#ffffff",
            "highlight": {"background": style.color, "border": "#1f2933"},
            "hover": {"background": style.color, "border": "#1f2933"},
        },
        "borderWidth": 5 if shared else 1.5,
        "font": {
            "size": font_size,
            "color": "#1f2933",
            "face": "system-ui, sans-serif",
            "strokeWidth": 4,
            "strokeColor": "#ffffff",
            # The page wraps shared labels in <b>: vis-network only draws bold text in its "html" mode.
            **({"multi": "html", "bold": {"color": "#1f2933", "size": font_size}} if shared else {}),
        },
    }


def legend(role_count: int) -> list[dict[str, Any]]:
    """The legend entries, in drawing order: roles first (drawn as :func:`role_style` draws them), then items."""
    entries = [{"type": kind, **style.as_json()} for kind, style in STYLES.items()]
    entries[0]["shape"] = role_style(role_count)["shape"]
    return entries
