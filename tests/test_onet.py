"""The O*NET import through the API: roles and tools as the files say, merged tools, whole-graph replace/remove."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Quad

from api.app import create_app
from api.cli import main
from graph.build import ontology_tool_kinds
from graph.errors import InvalidDocument
from graph.namespaces import Iris, rg
from graph.onet import ATTRIBUTION, OnetData, onet_quads, read_onet, role_id
from graph.remote import RemoteStore
from graph.resolve import ONET_DIR, Resolver, new_tool_id
from graph.settings import Settings
from graph.store import GraphStore
from graph.validate import validate_document
from tests.conftest import REMOTE, TOKEN
from tests.server import CHROMIUM, CHROMIUM_ARGS, LiveServer, OxigraphServer

pytestmark = pytest.mark.store

AUTH = {"Authorization": f"Bearer {TOKEN}"}
THREE = ("15-2051.00", "15-1243.00", "15-1252.00")  # Data Scientists, Database Architects, Software Developers


# -- the files, read here without the importer (an independent reading) -----------------------------------
def tsv(name: str) -> list[dict[str, str]]:
    with (ONET_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


TECHNOLOGIES = tsv("technology_skills.txt")
OCCUPATIONS = {row["O*NET-SOC Code"]: row for row in tsv("occupation_data.txt")}


def names_of(code: str) -> set[str]:
    return {row["Example"] for row in TECHNOLOGIES if row["O*NET-SOC Code"] == code}


def export(client: TestClient) -> list[bytes]:
    return sorted(client.get("/api/export", params={"format": "nq"}).content.splitlines())


def projected(query: str) -> list[str]:
    """The variables a SELECT projects: ``?x`` outside parentheses, and the ``AS ?x`` of expressions."""
    head, depth, outside = query.split("WHERE")[0], 0, []
    for char in head:
        depth += (char == "(") - (char == ")")
        outside.append(char if depth == 0 else " ")
    return re.findall(r"\?(\w+)", "".join(outside)) + re.findall(r"AS \?(\w+)", head)


def select(store: GraphStore, query: str) -> list[dict[str, str]]:
    """Rows as plain strings, straight from the store under test (the SPARQL endpoint's worker processes
    would first copy the whole store, which costs seconds over a remote store)."""
    names = projected(query)
    return [{name: term.value for name in names if (term := row[name]) is not None} for row in store.select(query)]


# -- one import for the module ------------------------------------------------------------------------------
@dataclass
class Imported:
    client: TestClient
    store: GraphStore
    seed: list[bytes]
    response: dict[str, object]


@pytest.fixture(scope="module")
def imported(seed_nquads: bytes, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    """The seed graph plus the O*NET import, written through ``POST /api/imports/onet``."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-onet")).start() if REMOTE else None
    store: GraphStore = RemoteStore(server.query_url, timeout=120) if server else GraphStore.in_memory()
    store.load_nquads(seed_nquads)
    settings = Settings(data_dir=tmp_path_factory.mktemp("onet"), api_token=TOKEN, sparql_workers=1)
    try:
        with TestClient(create_app(settings, store=store)) as client:
            seed = export(client)
            response = client.post("/api/imports/onet", params={"validate": "false"}, headers=AUTH)
            assert response.status_code == 201, response.text
            yield Imported(client, store, seed, response.json())
    finally:
        if isinstance(store, RemoteStore):
            store.close()
        if server:
            server.stop()


def test_import_reports_what_it_wrote(imported: Imported) -> None:
    body = imported.response
    assert body["roles"] == len({row["O*NET-SOC Code"] for row in TECHNOLOGIES}) == 923
    assert body["tool_uses"] == len(TECHNOLOGIES) == 32435
    assert body["technology_names"] == len({row["Example"] for row in TECHNOLOGIES})
    assert body["merged_names"] + body["unmatched"] == body["technology_names"]
    assert body["new_tools"] == body["unmatched"] and body["replaced"] is False
    assert body["attribution"] == ATTRIBUTION
    roles = {r["id"] for r in imported.client.get("/api/roles").json()}
    assert {"ai-engineer", role_id("15-2051.00")} <= roles and len(roles) == 3 + 923


def test_shared_tools_of_three_occupations_match_the_file(imported: Imported) -> None:
    response = imported.client.get("/api/shared", params={"kind": "tool", "role": [role_id(c) for c in THREE]})
    assert response.status_code == 200, response.text
    shared = {item["id"] for item in response.json()["items"]}
    # The same question answered from the file: each occupation's names mapped to tool ids by the resolver
    # (merged names) or by the new-tool id rule, then intersected.
    resolver = Resolver.default()

    def tool_id(name: str) -> str:
        match = resolver.resolve(name)
        return match.tool_id if match else new_tool_id(name)

    expected = set.intersection(*({tool_id(n) for n in names_of(code)} for code in THREE))
    assert shared == expected
    # And without the resolver: every name all three occupations list is among the shared tools.
    common_names = set.intersection(*(names_of(code) for code in THREE))
    assert common_names and {tool_id(n) for n in common_names} <= shared
    assert {"python", "sql", "microsoft-excel"} <= shared


def test_hot_and_in_demand_counts_per_occupation_match_the_file(imported: Imported) -> None:
    rows = select(
        imported.store,
        """SELECT ?code (SUM(IF(?hot, 1, 0)) AS ?hots) (SUM(IF(?demand, 1, 0)) AS ?demands) (COUNT(?use) AS ?uses)
           WHERE { ?use a rg:ToolUse ; rg:role ?role ; rg:hotTechnology ?hot ; rg:inDemand ?demand .
                   ?role rg:onetCode ?code }
           GROUP BY ?code""",
    )
    found = {r["code"]: (int(r["hots"]), int(r["demands"]), int(r["uses"])) for r in rows}
    hot = Counter(row["O*NET-SOC Code"] for row in TECHNOLOGIES if row["Hot Technology"] == "Y")
    demand = Counter(row["O*NET-SOC Code"] for row in TECHNOLOGIES if row["In Demand"] == "Y")
    uses = Counter(row["O*NET-SOC Code"] for row in TECHNOLOGIES)
    assert found == {code: (hot[code], demand[code], uses[code]) for code in uses}
    assert found["15-2051.00"][0] > 0


def test_seed_role_and_data_scientists_share_merged_tools(imported: Imported) -> None:
    client = imported.client
    shared = client.get("/api/shared", params={"kind": "tool", "role": ["ai-engineer", role_id("15-2051.00")]})
    assert {"aws", "python", "java"} <= {item["id"] for item in shared.json()["items"]}
    # One node each: no second tool carries these names (O*NET's spelling is an alias of the curated tool).
    for name, tool in (("Amazon Web Services AWS software", "aws"), ("Oracle Java", "java"), ("Python", "python")):
        hits = [h for h in client.get("/api/search", params={"q": name}).json() if h["matched"] == name]
        assert [(h["type"], h["id"]) for h in hits] == [("tool", tool)], hits
    listed = {
        row["name"]
        for row in select(
            imported.store,
            "SELECT ?name WHERE { ?u rg:tool <https://rolegraph.example/tool/java> ; rg:listedName ?name }",
        )
    }
    # How O*NET names Java, kept on each link: every name of the file that resolves to it.
    resolver = Resolver.default()
    java_names = {
        row["Example"] for row in TECHNOLOGIES if (m := resolver.resolve(row["Example"])) and m.tool_id == "java"
    }
    assert listed == java_names == {"Oracle Java", "Sun Microsystems Java"}


def test_merged_tools_keep_both_labels_and_sources(imported: Imported) -> None:
    client = imported.client
    rows = select(
        imported.store, "SELECT ?source WHERE { <https://rolegraph.example/tool/hadoop-yarn> dcterms:source ?source }"
    )
    assert {r["source"] for r in rows} == {"O*NET", "rolegraph vocabulary"}
    labels = select(
        imported.store,
        "SELECT ?p ?label WHERE { <https://rolegraph.example/tool/hadoop-yarn> ?p ?label FILTER(isLiteral(?label)) }",
    )
    pref = {r["label"] for r in labels if r["p"].endswith("prefLabel")}
    alt = {r["label"] for r in labels if r["p"].endswith("altLabel")}
    assert pref == {"Hadoop YARN"} and "Apache Hadoop YARN" in alt
    # A new tool: O*NET name as its label, kind from its UNSPSC commodity, in that category.
    tool = client.get("/api/nodes/onet-microsoft-dynamics-gp").json()
    assert tool["label"] == "Microsoft Dynamics GP" and tool["type"] == "tool"
    categories = select(
        imported.store,
        "SELECT ?code ?title WHERE { <https://rolegraph.example/tool/onet-microsoft-dynamics-gp> rg:toolCategory ?c ."
        " ?c dcterms:identifier ?code ; skos:prefLabel ?title }",
    )
    file_categories = {
        (row["Commodity Code"], row["Commodity Title"])
        for row in TECHNOLOGIES
        if row["Example"] == "Microsoft Dynamics GP"
    }
    assert {(r["code"], r["title"]) for r in categories} == file_categories


def test_an_occupation_as_a_role(imported: Imported) -> None:
    role = imported.client.get(f"/api/roles/{role_id('15-2051.00')}").json()
    assert role["label"] == OCCUPATIONS["15-2051.00"]["Title"] == "Data Scientists"
    assert role["description"] == OCCUPATIONS["15-2051.00"]["Description"]
    resolver = Resolver.default()
    expected = {(m.tool_id if (m := resolver.resolve(n)) else new_tool_id(n)) for n in names_of("15-2051.00")}
    assert role["skills"] == [] and {t["id"] for t in role["tools"]} == expected
    rows = select(
        imported.store,
        "SELECT ?code ?source WHERE { <https://rolegraph.example/role/onet-15-2051-00> rg:onetCode ?code ;"
        " dcterms:source ?source }",
    )
    assert rows == [{"code": "15-2051.00", "source": "O*NET"}]
    node = imported.client.get(f"/api/nodes/{role_id('15-2051.00')}").json()
    assert {"python", "java"} <= {n["id"] for n in node["neighbours"]}


def test_status_and_attribution_on_the_query_page(imported: Imported) -> None:
    status = imported.client.get("/api/imports/onet").json()
    assert status["imported"] is True and status["roles"] == 923 and status["attribution"] == ATTRIBUTION
    page = imported.client.get("/", headers={"Accept": "text/html"}).text
    assert 'id="onet-attribution"' in page and "O*NET® is a trademark of USDOL/ETA." in page


def test_writes_need_the_token(imported: Imported) -> None:
    assert imported.client.post("/api/imports/onet").status_code == 401
    assert imported.client.delete("/api/imports/onet").status_code == 401


def test_reimport_gives_the_same_graph(imported: Imported) -> None:
    store, graph = imported.store, NamedNode("https://rolegraph.example/graph/import/onet")

    def snapshot() -> tuple[list[str], list[NamedNode], int]:
        # The import graph as sorted N-Quads, and every graph's name and the total: a re-import replaces
        # only its own graph (the whole export is compared after the removal below, where it is small).
        return sorted(f"{t} {graph} ." for t in store.graph_triples(graph)), store.named_graphs(), len(store)

    before = snapshot()
    again = imported.client.post("/api/imports/onet", params={"validate": "false"}, headers=AUTH)
    assert again.status_code == 201 and again.json()["replaced"] is True
    assert snapshot() == before and len(before[0]) == imported.response["triples"]


def test_remove_leaves_the_seed_exactly_as_it_was(imported: Imported) -> None:
    client = imported.client
    assert client.delete("/api/imports/onet", headers=AUTH).status_code == 200
    assert export(client) == imported.seed
    assert client.get("/api/imports/onet").json()["imported"] is False
    assert client.delete("/api/imports/onet", headers=AUTH).status_code == 404
    assert len(client.get("/api/roles").json()) == 3


# -- the shapes ------------------------------------------------------------------------------------------
def subset(codes: tuple[str, ...]) -> OnetData:
    data = read_onet(ONET_DIR)
    return OnetData({code: data.occupations[code] for code in codes}, [t for t in data.technologies if t.code in codes])


@pytest.fixture(scope="module")
def slice_quads(seed_store: GraphStore, seed_settings: Settings) -> list[Quad]:
    """The import graph of a slice of occupations (the whole import validates in about a minute: see the
    report; this slice goes through the same code)."""
    codes = (*THREE, "11-1011.00", "29-1141.00", "47-2111.00", "53-3032.00")
    iris = Iris(seed_settings.base_iri)
    return onet_quads(subset(codes), iris, Resolver.default(), ontology_tool_kinds(seed_store)).quads


def test_the_import_conforms_to_the_shapes(slice_quads: list[Quad], seed_settings: Settings) -> None:
    report = validate_document(slice_quads, seed_settings)
    assert report.conforms, report.text


def test_the_shapes_catch_a_broken_import(slice_quads: list[Quad], seed_settings: Settings) -> None:
    no_flag = [q for q in slice_quads if q.predicate != rg("hotTechnology")]
    report = validate_document(no_flag, seed_settings)
    assert not report.conforms and any("rg:hotTechnology" in m for m in report.messages)
    # Without its direct rg:usesTool links, an O*NET role breaks the materialisation rule.
    unlinked = [q for q in slice_quads if q.predicate != rg("usesTool")]
    assert any("materialised" in m for m in validate_document(unlinked, seed_settings).messages)
    # A role that is not from O*NET still needs a skill.
    sourceless = [q for q in slice_quads if not (isinstance(q.object, Literal) and q.object.value == "O*NET")]
    messages = validate_document(sourceless, seed_settings).messages
    assert any("at least one required skill" in m for m in messages)
    assert any("must say it comes from O*NET" in m for m in messages)


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "occupation_data.txt").write_text("Code\tTitle\n", encoding="utf-8")
    with pytest.raises(InvalidDocument, match="expected the columns"):
        read_onet(tmp_path)
    (tmp_path / "occupation_data.txt").write_text(
        "O*NET-SOC Code\tTitle\tDescription\r\n15-2051.00\tData Scientists\tx\r\n", encoding="utf-8"
    )
    (tmp_path / "technology_skills.txt").write_text(
        "O*NET-SOC Code\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand\r\n"
        "15-2051.00\tPython\t43232405\tObject or component oriented development software\tmaybe\tN\r\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidDocument, match="line 2"):
        read_onet(tmp_path)


# -- the command line and the query page -------------------------------------------------------------------
def three_occupations(folder: Path) -> Path:
    """A copy of the O*NET files holding the three occupations only (the whole import on disk takes about half
    a minute)."""
    folder.mkdir()
    for name in ("occupation_data.txt", "technology_skills.txt"):
        lines = (ONET_DIR / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (folder / name).write_text(
            "".join([lines[0], *(line for line in lines[1:] if line.startswith(THREE))]), encoding="utf-8"
        )
    return folder


@pytest.mark.skipif(REMOTE, reason="the command line writes the embedded store on disk")
def test_cli_import_summary_and_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    onet_dir = three_occupations(tmp_path / "onet")
    data_dir = str(tmp_path / "data")
    assert main(["--data-dir", data_dir, "build", "--no-validate"]) == 0
    assert main(["--data-dir", data_dir, "import-onet", str(onet_dir), "--show-unmatched", "3"]) == 0
    out = capsys.readouterr().out
    assert "imported O*NET: 3 roles" in out and "SHACL: conforms" in out
    assert f"resolution: {len(set().union(*(names_of(code) for code in THREE)))} technology names" in out
    assert "not matched to a curated tool (first 3 of" in out and ATTRIBUTION in out
    ask = "ASK { GRAPH <https://rolegraph.example/graph/import/onet> { ?s ?p ?o } }"
    assert main(["--data-dir", data_dir, "query", ask]) == 0 and capsys.readouterr().out.strip() == "true"
    assert main(["--data-dir", data_dir, "remove-onet"]) == 0
    assert main(["--data-dir", data_dir, "remove-onet"]) == 1
    assert "O*NET has not been imported" in capsys.readouterr().err


@pytest.mark.browser
@pytest.mark.server
@pytest.mark.skipif(REMOTE, reason="the server runs on the embedded store on disk")
def test_query_page_shows_the_attribution_while_onet_is_loaded(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (CI installs it and fails without it)")
    from playwright.sync_api import sync_playwright

    data_dir = tmp_path / "data"
    assert main(["--data-dir", str(data_dir), "build", "--no-validate"]) == 0
    assert main(["--data-dir", str(data_dir), "import-onet", str(three_occupations(tmp_path / "onet"))]) == 0
    server = LiveServer(data_dir, env={"ROLEGRAPH_API_TOKEN": TOKEN}).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url + "/")
            footer = page.locator("#onet-attribution")
            footer.wait_for(state="visible")
            assert footer.inner_text() == ATTRIBUTION
            assert httpx.delete(server.url + "/api/imports/onet", headers=AUTH).status_code == 200
            page.goto(server.url + "/sparql")
            page.wait_for_load_state("networkidle")
            assert not footer.is_visible()
            browser.close()
    finally:
        server.stop()
