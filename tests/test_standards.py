"""Links to public classifications: every external identifier in data/ has the right form, is unique, names
something that exists here, and reaches the built graph and its exports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import yaml
from fastapi.testclient import TestClient

from graph.errors import VocabularyError
from graph.namespaces import SKOS
from graph.settings import PROJECT_ROOT, Settings
from graph.standards import (
    ESCO_OCCUPATION,
    ESCO_SKILL,
    ISCO_CODE,
    WIKIDATA_ID,
    load_standards,
    standards_quads,
)
from graph.store import GraphStore
from graph.validate import validate_graph
from graph.vocabulary import load_vocabulary

DATA = PROJECT_ROOT / "data"
SEED_ROLES = {p.stem for p in (DATA / "roles").iterdir() if p.suffix in (".txt", ".md")}


# -- the tables as files -------------------------------------------------------------------------------
def test_wikidata_ids_have_the_q_form_and_are_unique() -> None:
    ids = [t.wikidata for t in load_vocabulary().tools.values() if t.wikidata]
    assert len(ids) >= 50
    assert all(WIKIDATA_ID.fullmatch(i) for i in ids), [i for i in ids if not WIKIDATA_ID.fullmatch(i)]
    assert len(ids) == len(set(ids)), "two tools cannot be the same Wikidata item"


def test_esco_skill_links_have_the_iri_form_are_unique_and_name_our_skills() -> None:
    links = list(load_standards().skills.values())
    assert len(links) >= 30
    skills = load_vocabulary().skills
    for link in links:
        assert re.fullmatch(r"^http://data\.europa\.eu/esco/skill/[0-9a-f-]{36}$", link.iri), link
        assert link.skill in skills, f"{link.skill} is not a skill of data/vocabulary/skills.yaml"
        assert link.match in ("exact", "close") and link.label.strip()
    assert len({link.iri for link in links}) == len(links)
    assert len({link.skill for link in links}) == len(links)


def test_role_links_have_esco_and_isco_forms_and_name_seed_roles() -> None:
    roles = load_standards().roles
    assert set(roles) == SEED_ROLES
    for link in roles.values():
        assert ESCO_OCCUPATION.fullmatch(link.iri), link
        assert re.fullmatch(r"^[0-9]{4}$", link.isco) and ISCO_CODE.fullmatch(link.isco)
        assert link.isco_iri == f"http://data.europa.eu/esco/isco/C{link.isco}"
    close = [link.iri for link in roles.values() if link.match != "broad"]
    assert len(close) == len(set(close)), "an ESCO occupation is the close match of one role at most"


def _strings(node: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, string value) in a parsed YAML document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, str(k))
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str | int):
        yield key, str(node)


def test_every_external_identifier_in_data_has_a_known_form() -> None:
    """A walk through every value of every YAML file under data/, so that no link escapes the checks above."""
    forms = (ESCO_SKILL, ESCO_OCCUPATION, re.compile(r"^http://data\.europa\.eu/esco/isco/C[0-9]{4}$"))
    seen = 0
    for path in sorted(DATA.rglob("*.yaml")):
        for key, value in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if key == "wikidata":
                seen += 1
                assert WIKIDATA_ID.fullmatch(value), f"{path.name}: wikidata {value!r}"
            for found in re.findall(r"\S*(?:europa\.eu/esco|wikidata\.org)\S*", value):
                seen += 1
                assert any(f.fullmatch(found) for f in forms), f"{path.name}: {found}"
    assert seen >= 90


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "skills:\n  - {skill: statistics, esco: 'http://data.europa.eu/esco/skill/x', label: s, match: close}\n",
            "does not match",
        ),
        (
            "skills:\n  - {skill: statistics, esco: 'http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833',"
            " label: s, match: related}\n",
            "is not one of",
        ),
        (
            "skills:\n"
            "  - {skill: statistics, esco: 'http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833',"
            " label: s, match: close}\n"
            "  - {skill: mathematics, esco: 'http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833',"
            " label: s, match: close}\n",
            "listed twice",
        ),
        ("skills: nope\n", "expected a list"),
    ],
)
def test_a_malformed_table_is_refused_with_a_clear_message(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "esco_skills.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError, match=message):
        load_standards(tmp_path)


def test_a_folder_without_tables_gives_no_links(tmp_path: Path) -> None:
    standards = load_standards(tmp_path)
    assert standards.skills == {} and standards.roles == {}


# -- in the built graph ----------------------------------------------------------------------------------
@pytest.mark.store
def test_the_built_graph_carries_every_link(seed_store: GraphStore) -> None:
    rows = seed_store.select(
        "SELECT ?s ?p ?o WHERE { VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch } ?s ?p ?o }"
    )
    links = {(r["s"].value, r["p"].value.removeprefix(SKOS), r["o"].value) for r in rows}  # type: ignore[union-attr]
    standards, vocab = load_standards(), load_vocabulary()
    base = Settings().base_iri
    for tool in vocab.tools.values():
        if tool.wikidata:
            assert (f"{base}tool/{tool.id}", "exactMatch", f"http://www.wikidata.org/entity/{tool.wikidata}") in links
    for skill in standards.skills.values():
        assert (f"{base}skill/{skill.skill}", f"{skill.match}Match", skill.iri) in links
    for role in standards.roles.values():
        assert (f"{base}role/{role.role}", f"{role.match}Match", role.iri) in links
        assert (f"{base}role/{role.role}", "broadMatch", role.isco_iri) in links
    wikidata = sum(1 for t in vocab.tools.values() if t.wikidata)
    assert len(links) == wikidata + len(standards.skills) + 2 * len(standards.roles)


@pytest.mark.store
def test_exports_carry_the_links(client: TestClient) -> None:
    turtle = client.get("/api/export", params={"format": "nt"}).text
    assert "<http://data.europa.eu/esco/skill/3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43>" in turtle
    assert "<http://data.europa.eu/esco/isco/C2511>" in turtle
    assert "<http://www.wikidata.org/entity/Q28865>" in turtle


def test_links_of_roles_not_built_are_left_out() -> None:
    from graph.namespaces import Iris

    quads = standards_quads(Iris(Settings().base_iri), load_vocabulary(), ["some-other-role"])
    assert quads and not any("/role/" in q.subject.value for q in quads)


def test_shapes_refuse_a_malformed_link() -> None:
    rg = rdflib.Namespace("https://rolegraph.example/ontology#")
    skos = rdflib.Namespace(SKOS)
    data = rdflib.Graph()
    skill = rdflib.URIRef("https://rolegraph.example/skill/statistics")
    data.add((skill, rdflib.RDF.type, rg.Skill))
    data.add((skill, skos.prefLabel, rdflib.Literal("Statistics")))
    data.add((skill, skos.closeMatch, rdflib.URIRef("http://data.europa.eu/esco/skill/statistics")))
    data.add((skill, skos.closeMatch, rdflib.URIRef("https://example.org/other-scheme/statistics")))  # not ESCO
    report = validate_graph(data, Settings().ontology_dir)
    assert not report.conforms and report.violations == 1
    assert any("ESCO skill IRI" in m for m in report.messages)
