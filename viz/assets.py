"""The page's scripts and styles: vis-network from the installed pyvis package, ours from ``viz/static``.

Nothing is fetched from a CDN: the app serves these files under ``/viz/assets/`` and the standalone file
inlines them (pyvis' own ``local``/``in_line`` templates still reference CDN assets, pyvis issues 228, 229).

>>> sorted(ASSETS)
['favicon.svg', 'view.css', 'view.js', 'vis-network.css', 'vis-network.min.js']
>>> ASSETS["vis-network.min.js"].media_type
'text/javascript'
"""

from __future__ import annotations

import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path


def _package_dir(name: str) -> Path:
    """Where an installed package lives, found without importing it (importing pyvis loads IPython)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {name} package is not installed: the view needs its copy of vis-network")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


#: The vis-network build pyvis 0.3.2 ships (the newest of its copies).
VIS_VERSION = "9.1.2"
VIS_DIR = _package_dir("pyvis") / "lib" / f"vis-{VIS_VERSION}"
STATIC_DIR = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True)
class Asset:
    """A file the page loads: where it is and how it is served."""

    path: Path
    media_type: str
    #: vis-network is versioned by its folder, so browsers may keep it; ours change with the code.
    cache_control: str

    @property
    def is_script(self) -> bool:
        return self.media_type == "text/javascript"


ASSETS: dict[str, Asset] = {
    "vis-network.min.js": Asset(VIS_DIR / "vis-network.min.js", "text/javascript", "public, max-age=86400"),
    "vis-network.css": Asset(VIS_DIR / "vis-network.css", "text/css", "public, max-age=86400"),
    "view.js": Asset(STATIC_DIR / "view.js", "text/javascript", "no-cache"),
    "view.css": Asset(STATIC_DIR / "view.css", "text/css", "no-cache"),
    # The page's icon: without one, browsers ask for /favicon.ico and log the 404 as a console error.
    "favicon.svg": Asset(STATIC_DIR / "favicon.svg", "image/svg+xml", "public, max-age=86400"),
}
#: The order the page loads them in: vis-network before the view script that uses it.
STYLES = ("vis-network.css", "view.css")
SCRIPTS = ("vis-network.min.js", "view.js")

_CLOSING_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


@functools.cache
def read_asset(name: str) -> str:
    """The text of an asset, checked once: inlined, it must not close its own element early."""
    asset = ASSETS[name]
    try:
        text = asset.path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuntimeError(f"viz asset {name} is missing at {asset.path} (is pyvis installed?): {exc}") from exc
    if _CLOSING_TAG.search(text):
        raise RuntimeError(f"viz asset {name} contains a closing </script> or </style> and cannot be inlined")
    return text
