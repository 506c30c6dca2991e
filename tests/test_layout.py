"""The design card's layout: our top-level packages are ours, and the seed is kept verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import api
import graph
import viz

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "roles.txt"


def test_top_level_packages_resolve_inside_the_repository() -> None:
    # graph/, api/ and viz/ are generic names: another installed distribution could shadow them.
    for module in (graph, api, viz):
        assert Path(module.__file__ or "").resolve().parent.parent == ROOT


def test_seed_documents_are_the_seed_text_unchanged() -> None:
    documents = [
        ROOT / "data" / "roles" / f"{name}.txt" for name in ("ai-engineer", "deep-learning-engineer", "data-engineer")
    ]
    texts = [p.read_text(encoding="utf-8").strip("\n") for p in documents]
    if SEED.exists():  # shared/ sits beside the clone on developer machines and in CI
        parts = [p.strip("\n") for p in re.split(r"(?m)^=+\s*$", SEED.read_text(encoding="utf-8")) if p.strip()]
        assert parts == texts
    assert texts[0].startswith("Roles and Responsibilities of an AI Engineer")
    assert texts[1].endswith("data pipelines,")  # the seed's own cut, kept as it is
