"""SHACL: the built graph conforms; a deliberately broken one fails with a readable report."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main
from graph.settings import Settings
from graph.store import GraphStore
from graph.validate import validate_store

pytestmark = pytest.mark.store

BASE = "https://rolegraph.example/"


def test_seed_graph_conforms(seed_store: GraphStore, seed_settings: Settings) -> None:
    report = validate_store(seed_store, seed_settings.ontology_dir)
    assert report.conforms, report.text
    assert report.violations == 0


BREAKAGES = {
    "tool without kind": (
        f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}tool/python> rg:toolKind ?k }} }}",
        "A tool needs exactly one kind",
    ),
    "tool with two kinds": (
        f"INSERT DATA {{ GRAPH <{BASE}graph/vocabulary> {{ <{BASE}tool/python> rg:toolKind rg:Library }} }}",
        "A tool needs exactly one kind",
    ),
    "dangling tool reference": (
        f"INSERT DATA {{ GRAPH <{BASE}graph/document/ai-engineer> "
        f"{{ <{BASE}role/ai-engineer> rg:usesTool <{BASE}tool/unheard-of> }} }}",
        "dangling",
    ),
    "role without skills": (
        f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}role/data-engineer> rg:requiresSkill ?s }} }}",
        "A role needs at least one required skill",
    ),
    "mention without document": (
        f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}mention/ai-engineer/1> rg:inDocument ?d }} }}",
        "A mention must be in exactly one document",
    ),
}


@pytest.mark.parametrize("case", list(BREAKAGES))
def test_broken_graph_fails_with_a_readable_report(case: str, fresh_store: GraphStore, seed_settings: Settings) -> None:
    update, message = BREAKAGES[case]
    fresh_store.update(update)
    report = validate_store(fresh_store, seed_settings.ontology_dir)
    assert not report.conforms
    assert any(message in m for m in report.messages), report.messages
    assert "Constraint Violation" in report.text


def test_cli_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "build"]) == 0
    assert "SHACL: conforms" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path), "validate"]) == 0
    assert "Conforms: True" in capsys.readouterr().out
    store = GraphStore.open(tmp_path / "store")
    # Python is no longer a typed tool: the roles' and mentions' references to it dangle.
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}tool/python> a ?type }} }}")
    del store
    assert main(["--data-dir", str(tmp_path), "validate"]) == 1
    out = capsys.readouterr().out
    assert "Conforms: False" in out and "dangling" in out
