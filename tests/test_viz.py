"""The /viz page over real HTTP: what it draws equals what the API says; it works offline; it scales.

The page's data is read from its ``<script type="application/json" id="graph-data">`` element, which is what
view.js draws (the browser tests check that the drawing matches it).
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from graph.build import build
from graph.insight import Insight
from graph.onet import ATTRIBUTION, LICENSE, import_onet, role_id
from graph.questions import PLURALS, RoleGraph
from graph.settings import Settings
from graph.store import GraphStore
from graph.vocabulary import Term, load_vocabulary
from tests.test_onet import THREE, three_occupations
from viz.assets import ASSETS
from viz.model import DEFAULT_KINDS, DEFAULT_LIMIT, SENTENCES_PER_LINK, ViewRequest, build_view, clip
from viz.overlay import HIDDEN
from viz.render import graph_data as page_data
from viz.render import standalone_page
from viz.style import COMMUNITY_PALETTE

AI, DL, DE = "ai-engineer", "deep-learning-engineer", "data-engineer"
SEED = [AI, DL, DE]
ALL_KINDS = ["tool", "skill", "use-case", "industry", "responsibility-area"]
GRAPH_DATA = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.DOTALL)
# Where an HTML page can make the browser fetch something: script, link, img, iframe, CSS url() and @import.
FETCHING = re.compile(
    r"""<(?:script|img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)"""
    r"""|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""",
    re.IGNORECASE,
)


def graph_data(page: str) -> dict[str, Any]:
    match = GRAPH_DATA.search(page)
    assert match, "the page has no graph-data element"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def external_fetches(page: str) -> list[str]:
    """Every script, style, image or import the page would load from another host."""
    found = ["".join(groups) for groups in FETCHING.findall(page)]
    return [url for url in found if url.lower().startswith(("http:", "https:", "//", "ftp:"))]


def items_by_type(data: dict[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for node in data["nodes"]:
        found.setdefault(node["type"], set()).add(node["slug"])
    return found


def api_items(client: TestClient, roles: list[str], kinds: list[str]) -> dict[str, dict[str, set[str]]]:
    """kind -> item id -> the roles linking to it, from /api/roles/{id}."""
    linked: dict[str, dict[str, set[str]]] = {kind: {} for kind in kinds}
    for role in roles:
        body = client.get(f"/api/roles/{role}").json()
        for kind in kinds:
            for item in body[PLURALS[kind]]:
                linked[kind].setdefault(item["id"], set()).add(role)
    return linked


def view(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/viz", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return graph_data(response.text)


# -- what the page draws ---------------------------------------------------------------------------------------
def test_default_view_is_every_seed_role_and_the_default_kinds(client: TestClient) -> None:
    data = view(client)
    roles = [n["slug"] for n in data["nodes"] if n["type"] == "role"]
    assert sorted(roles) == sorted(SEED)
    assert data["meta"]["kinds"] == list(DEFAULT_KINDS) and data["meta"]["limit"] == DEFAULT_LIMIT
    assert {n["type"] for n in data["nodes"]} == {"role", *DEFAULT_KINDS}
    # The seed links 193 items of the default kinds: the page draws the limit and says how many are hidden.
    items = [n for n in data["nodes"] if n["type"] != "role"]
    assert len(items) == DEFAULT_LIMIT
    hidden = data["meta"]["counts"]["hidden_by_limit"]
    assert hidden == data["meta"]["counts"]["candidates"] - DEFAULT_LIMIT > 0
    assert any(f"{hidden} more are hidden" in note for note in data["meta"]["notes"])


@pytest.mark.parametrize(
    ("roles", "kinds"),
    [([AI, DE], ["tool", "industry"]), (SEED, ["skill"]), ([DL, DE], ["use-case", "responsibility-area"])],
)
def test_nodes_are_the_roles_items(client: TestClient, roles: list[str], kinds: list[str]) -> None:
    data = view(client, role=roles, kind=kinds, limit=2000)
    linked = api_items(client, roles, kinds)
    drawn = items_by_type(data)
    assert drawn.pop("role") == set(roles)
    assert drawn == {kind: set(linked[kind]) for kind in kinds if linked[kind]}
    for node in data["nodes"]:
        if node["type"] != "role":
            assert set(node["roles"]) == linked[node["type"]][node["slug"]], node["id"]
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert len(data["edges"]) == sum(len(n["roles"]) for n in data["nodes"] if n["type"] != "role")


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_shared_items_are_api_shared(client: TestClient, kind: str) -> None:
    data = view(client, role=SEED, kind=kind, limit=2000)
    shared = {n["slug"] for n in data["nodes"] if n["type"] == kind and n["shared"]}
    api = client.get("/api/shared", params={"kind": kind, "role": SEED}).json()
    assert shared == {item["id"] for item in api["items"]}


def test_shared_only_hides_single_role_items(client: TestClient) -> None:
    everything = view(client, role=SEED, kind=ALL_KINDS, limit=2000)
    shared_only = view(client, role=SEED, kind=ALL_KINDS, limit=2000, shared_only=True)
    many = {n["id"] for n in everything["nodes"] if n["type"] == "role" or len(n["roles"]) > 1}
    assert {n["id"] for n in shared_only["nodes"]} == many
    single = len(everything["nodes"]) - len(many)
    assert single > 0 and shared_only["meta"]["counts"]["hidden_single"] == single
    assert any(f"{single} items linked to only one role" in note for note in shared_only["meta"]["notes"])


def test_items_are_ranked_by_how_many_roles_share_them(client: TestClient) -> None:
    capped = view(client, role=SEED, kind=ALL_KINDS, limit=40)
    full = view(client, role=SEED, kind=ALL_KINDS, limit=2000)
    drawn = [n for n in capped["nodes"] if n["type"] != "role"]
    assert len(drawn) == 40 and capped["meta"]["counts"]["hidden_by_limit"] == len(full["nodes"]) - 3 - 40
    least_drawn = min(len(n["roles"]) for n in drawn)
    hidden = [n for n in full["nodes"] if n["type"] != "role" and n["id"] not in {d["id"] for d in drawn}]
    assert all(len(n["roles"]) <= least_drawn for n in hidden)


def test_hover_sources_equal_role_graph_sources(client: TestClient, seed_graph: RoleGraph) -> None:
    # The bulk provenance query (viz/queries/provenance_bulk.rq) says what RoleGraph.sources says per link.
    data = view(client, role=SEED, kind=ALL_KINDS, limit=2000)
    for node in data["nodes"]:
        if node["type"] == "role":
            continue
        total = 0
        for role in node["roles"]:
            sources = seed_graph.sources(role, node["type"], node["slug"])
            total += len(sources)
            expected = list(dict.fromkeys(clip(s.sentence) for s in sources))[:SENTENCES_PER_LINK]
            assert [s["sentence"] for s in node["sources"] if s["role"] == role] == expected, (node["id"], role)
        assert node["mentions"] == total, node["id"]
    python = next(n for n in data["nodes"] if n["id"] == "tool/python")
    assert {s["role"] for s in python["sources"]} == set(SEED) and python["aliases"]


# -- colour by community, learning path ------------------------------------------------------------------------
def roles_by_community(data: dict[str, Any]) -> dict[str, int]:
    return {n["slug"]: n["community"] for n in data["nodes"] if n["type"] == "role"}


def check_communities(client: TestClient, data: dict[str, Any]) -> None:
    """The page's communities are /api/communities' (membership, labels, sizes), with a colour each."""
    api = client.get("/api/communities").json()
    assert data["meta"]["color"] == "community"
    shown = roles_by_community(data)
    assert shown == {role: api["membership"][role] for role in data["meta"]["roles"]}
    overlay = data["meta"]["communities"]
    assert overlay["roles"] == shown and overlay["method"] == api["method"]
    groups = {g["id"]: g for g in api["communities"]}
    assert [c["id"] for c in overlay["communities"]] == sorted(set(shown.values()))
    for community in overlay["communities"]:
        group = groups[community["id"]]
        assert community["size"] == group["size"] == len(group["roles"])
        assert community["label"] == group["items"][0]["label"]
        assert community["shown"] == sum(1 for c in shown.values() if c == community["id"])
        assert community["color"] == COMMUNITY_PALETTE[community["id"] % len(COMMUNITY_PALETTE)]


def test_color_by_community_embeds_each_roles_community(client: TestClient, seed_graph: RoleGraph) -> None:
    data = view(client, color="community")
    check_communities(client, data)
    # The same as Insight.view() for the graph the app serves.
    insight = Insight.of(seed_graph).view()
    assert roles_by_community(data) == {info["id"]: info["community"] for info in insight["roles"].values()}
    assert data["meta"]["communities"]["communities"][0]["label"] == insight["communities"][0]["label"]
    # Colouring by kind (the default) asks the insight model for nothing and embeds no communities.
    plain = view(client)
    assert plain["meta"]["color"] == "kind" and plain["meta"]["communities"] is None
    assert all("community" not in n for n in plain["nodes"])


def test_color_by_community_with_many_communities(big: tuple[TestClient, list[str]]) -> None:
    client, roles = big
    data = view(client, role=roles[:60], color="community")
    check_communities(client, data)
    communities = data["meta"]["communities"]["communities"]
    assert len(communities) > 1
    # A stable palette: one colour per community id, distinct for up to 12 communities.
    colors = [c["color"] for c in communities]
    assert len(set(colors)) == min(len(colors), len(COMMUNITY_PALETTE))
    again = view(client, role=roles[30:90], color="community")
    shared = {c["id"]: c["color"] for c in again["meta"]["communities"]["communities"]}
    assert all(shared[c["id"]] == c["color"] for c in communities if c["id"] in shared)


PATH = {"role": [DE, DL, AI], "path_from": DE, "path_to": DL}


def test_path_embeds_the_api_steps_in_order(client: TestClient) -> None:
    data = view(client, **PATH)
    api = client.get("/api/path", params={"from": DE, "to": DL}).json()
    assert data["meta"]["path"] == f"{DE}>{DL}" and list(data["paths"]) == [f"{DE}>{DL}"]
    path = data["paths"][f"{DE}>{DL}"]
    steps = path["steps"]
    assert [s["node"] for s in steps] == [s["node"] for s in api["steps"]] == api["nodes"][1:-1]
    assert [s["n"] for s in steps] == [s["order"] for s in api["steps"]] == list(range(1, len(steps) + 1))
    assert [(s["id"], s["kind"], s["why"]) for s in steps] == [(s["id"], s["kind"], s["why"]) for s in api["steps"]]
    assert (path["from"], path["to"], path["from_label"], path["to_label"]) == (
        DE,
        DL,
        api["from_label"],
        api["to_label"],
    )
    # Each step is drawn or hidden, and a hidden one says why: the default limit leaves some out.
    drawn = {n["id"] for n in data["nodes"]}
    assert [s["drawn"] for s in steps] == [s["node"] in drawn for s in steps]
    hidden = [s for s in steps if not s["drawn"]]
    assert hidden and {s["hidden"] for s in hidden} == {HIDDEN["limit"]}
    assert all(s["hidden"] is None for s in steps if s["drawn"])
    assert path["summary"]["drawn"] == len(steps) - len(hidden)
    # Every drawn step is an item the target role links to, and the source does not.
    by_id = {n["id"]: n for n in data["nodes"]}
    assert all(DL in by_id[s["node"]]["roles"] and DE not in by_id[s["node"]]["roles"] for s in steps if s["drawn"])
    assert "From Data Engineer to Deep Learning Engineer" in client.get("/viz", params=PATH).text


@pytest.mark.parametrize(
    ("params", "reasons"),
    [
        ({"kind": "tool", "limit": 2000}, {HIDDEN["kind"]}),
        ({"kind": ["tool", "skill"], "shared_only": True, "limit": 2000}, {HIDDEN["shared-only"]}),
    ],
)
def test_path_steps_say_why_they_are_hidden(client: TestClient, params: dict[str, Any], reasons: set[str]) -> None:
    data = view(client, **PATH, **params)
    steps = data["paths"][f"{DE}>{DL}"]["steps"]
    assert {s["hidden"] for s in steps if not s["drawn"]} == reasons
    drawn = {n["id"] for n in data["nodes"]}
    assert {s["node"] for s in steps if s["drawn"]} == {s["node"] for s in steps} & drawn


def test_saved_file_holds_communities_and_the_paths_between_its_roles(
    client: TestClient, seed_graph: RoleGraph
) -> None:
    saved = page_data(build_view(seed_graph, ViewRequest(roles=tuple(SEED))), standalone=True)
    assert saved["meta"]["color"] == "kind" and saved["meta"]["path"] is None
    assert roles_by_community(saved) == client.get("/api/communities").json()["membership"]
    assert sorted(saved["paths"]) == sorted(f"{a}>{b}" for a in SEED for b in SEED if a != b)
    for key, path in saved["paths"].items():
        source, target = key.split(">")
        served = view(client, role=SEED, path_from=source, path_to=target)["paths"][key]
        assert path == served


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({**PATH, "path_from": "nurse"}, 404, "unknown role(s): nurse"),
        ({**PATH, "role": [AI, DL]}, 422, "path_from 'data-engineer' is not one of the roles shown"),
        ({"role": [AI, DE], "path_from": AI, "path_to": DL}, 422, "path_to 'deep-learning-engineer' is not one of"),
        ({"path_from": DE}, 422, "a path needs both path_from and path_to"),
        ({"path_to": DE}, 422, "a path needs both path_from and path_to"),
        ({"path_from": DE, "path_to": DE}, 422, "two different roles"),
        ({"path_from": "Not A Slug", "path_to": DE}, 422, "not a valid id"),
        ({"color": "rainbow"}, 422, "'kind' or 'community'"),
    ],
)
def test_bad_colour_or_path_says_what_is_wrong(
    client: TestClient, params: dict[str, Any], status: int, says: str
) -> None:
    response = client.get("/viz", params=params)
    assert response.status_code == status, response.text
    assert says in response.text
    if status == 404 or "path" in says or "valid id" in says:
        page = client.get("/viz", params=params, headers={"Accept": "text/html"})
        assert page.status_code == status and page.headers["content-type"].startswith("text/html")
        assert says.replace("'", "&#x27;") in page.text


# -- bad input -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"role": [AI, "nurse"]}, 404, "unknown role(s): nurse"),
        ({"role": [AI, "Not A Slug"]}, 422, "not a valid id"),
        ({"role": [AI]}, 422, "at least two roles"),
        ({"role": [AI, DE], "kind": "salary"}, 422, "responsibility-area"),
        ({"limit": 0}, 422, "greater than or equal to 1"),
    ],
)
def test_bad_requests_say_what_is_wrong(client: TestClient, params: dict[str, Any], status: int, says: str) -> None:
    response = client.get("/viz", params=params)
    assert response.status_code == status
    assert says in response.text
    # A browser gets a page rather than JSON for the errors the domain raises.
    if status == 404 or "valid id" in says or "two roles" in says:
        page = client.get("/viz", params=params, headers={"Accept": "text/html"})
        assert page.status_code == status and page.headers["content-type"].startswith("text/html")
        assert says in page.text


def test_empty_graph_says_to_build_it(settings: Settings) -> None:
    with TestClient(create_app(settings, store=GraphStore.in_memory())) as client:
        response = client.get("/viz")
    assert response.status_code == 404 and "build it first" in response.json()["detail"]


# -- offline: assets from the app, or inlined ------------------------------------------------------------------
def test_served_page_loads_everything_from_the_app(client: TestClient) -> None:
    page = client.get("/viz").text
    assert external_fetches(page) == []
    local = [url for groups in FETCHING.findall(page) for url in groups if url]
    assert {url.rsplit("/", 1)[-1] for url in local} == set(ASSETS)
    for url in local:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith(ASSETS[url.rsplit("/", 1)[-1]].media_type)
    served = client.get("/viz/assets/vis-network.min.js").content
    assert served == ASSETS["vis-network.min.js"].path.read_bytes() and b"vis-network" in served[:2000]
    assert client.get("/viz/assets/nothing.js").status_code == 404


def test_standalone_file_inlines_everything(
    tmp_path: Path, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, out = tmp_path / "data", tmp_path / "view.html"
    assert main(["--data-dir", str(data_dir), "build", "--no-validate"]) == 0
    roles = [arg for role in SEED for arg in ("--role", role)]
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "viz", "--out", str(out), *roles, "--kind", "tool"]) == 0
    assert "3 roles" in capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert external_fetches(page) == []
    assert "<script src" not in page and "<link" not in page
    assert ASSETS["vis-network.min.js"].path.read_text(encoding="utf-8") in page
    standalone = graph_data(page)
    assert standalone["meta"]["standalone"] is True
    served = view(client, role=SEED, kind="tool")
    assert [n["id"] for n in standalone["nodes"]] == [n["id"] for n in served["nodes"]]
    # Errors are one line, never a traceback.
    assert main(["--data-dir", str(data_dir), "viz", "--out", str(out), "--role", AI, "--role", "nurse"]) == 1
    assert capsys.readouterr().err.strip() == "rolegraph: error: unknown role(s): nurse"


def test_labels_cannot_break_out_of_the_page(tmp_path: Path, settings: Settings) -> None:
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "# Roles and Responsibilities of a </script><script>alert(1)</script> & <b>Engineer</b>\n\n"
        "## Skills Required\n- **Programming**: Python and SQL.\n",
        encoding="utf-8",
    )
    store = GraphStore.in_memory()
    build(settings, store, [hostile, Path(__file__).parent / "documents" / "analytics-engineer.md"])
    with TestClient(create_app(settings, store=store)) as client:
        page = client.get("/viz").text
    data = graph_data(page)
    labels = {n["label"] for n in data["nodes"] if n["type"] == "role"}
    assert any("</script><script>alert(1)</script>" in label for label in labels)
    assert "<script>alert(1)" not in page


# -- O*NET's attribution: on every page that holds O*NET data, on no other -----------------------------------
# The visible credit: the element viz/render.py writes under the view (the page data also holds the sentence).
CREDIT = re.compile(r'<span id="onet-attribution">(.*?)</span>', re.DOTALL)
DATA_SCIENTISTS = role_id(THREE[0])


def credit(page: str) -> str | None:
    match = CREDIT.search(GRAPH_DATA.sub("", page))
    return html.unescape(match.group(1)) if match else None


def assert_credits_onet(page: str) -> None:
    assert credit(page) == ATTRIBUTION
    assert f"({LICENSE.value})" in GRAPH_DATA.sub("", page)
    assert graph_data(page)["meta"]["attribution"] == ATTRIBUTION


@pytest.fixture(scope="module")
def onet_client(seed_nquads: bytes, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The seed graph plus three O*NET occupations, imported as ``rolegraph import-onet`` does."""
    folder = tmp_path_factory.mktemp("onet-view")
    settings = Settings(data_dir=folder / "data")
    store = GraphStore.in_memory()
    store.load_nquads(seed_nquads)
    assert import_onet(store, settings, three_occupations(folder / "onet"), validate=False).roles == 3
    with TestClient(create_app(settings, store=store)) as client:
        yield client


def test_seed_view_carries_no_attribution(client: TestClient, seed_graph: RoleGraph) -> None:
    for params in ({}, {"role": SEED, "kind": ALL_KINDS, "limit": 2000}):
        page = client.get("/viz", params=params).text
        assert graph_data(page)["meta"]["attribution"] is None
        assert ATTRIBUTION not in page and "onet-attribution" not in page and LICENSE.value not in page
    saved = standalone_page(build_view(seed_graph, ViewRequest(roles=tuple(SEED))))
    assert ATTRIBUTION not in saved and "onet-attribution" not in saved


def test_onet_roles_drawn_carry_the_attribution(onet_client: TestClient) -> None:
    page = onet_client.get("/viz", params={"role": [DATA_SCIENTISTS, AI], "kind": "tool"}).text
    data = graph_data(page)
    assert {n["slug"] for n in data["nodes"] if n["type"] == "role"} == {DATA_SCIENTISTS, AI}
    assert any(n["slug"].startswith("onet-") for n in data["nodes"] if n["type"] == "tool")  # O*NET's own tools
    assert_credits_onet(page)
    # The default view (the best-linked roles: the O*NET ones among them) too.
    assert_credits_onet(onet_client.get("/viz").text)


def test_seed_roles_carry_the_attribution_while_onet_is_loaded(onet_client: TestClient) -> None:
    # Skills only: nothing drawn comes from O*NET, but the page still lists O*NET's occupations (the role
    # picker), so it holds O*NET data and must say where it comes from.
    page = onet_client.get("/viz", params={"role": SEED, "kind": "skill"}).text
    data = graph_data(page)
    assert {n["slug"] for n in data["nodes"] if n["type"] == "role"} == set(SEED)
    assert DATA_SCIENTISTS in {r["id"] for r in data["meta"]["all_roles"]}
    assert_credits_onet(page)


def test_saved_file_carries_the_attribution_while_onet_is_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, out = str(tmp_path / "data"), tmp_path / "view.html"
    assert main(["--data-dir", data_dir, "build", "--no-validate"]) == 0
    onet = str(three_occupations(tmp_path / "onet"))
    assert main(["--data-dir", data_dir, "import-onet", onet, "--no-validate"]) == 0
    write = ["--data-dir", data_dir, "viz", "--out", str(out), "--role", DATA_SCIENTISTS, "--role", role_id(THREE[1])]
    assert main(write) == 0
    page = out.read_text(encoding="utf-8")
    assert graph_data(page)["meta"]["standalone"] is True
    assert_credits_onet(page)
    # Removing the import takes the attribution off the next file of the same store.
    assert main(["--data-dir", data_dir, "remove-onet"]) == 0
    assert main(["--data-dir", data_dir, "viz", "--out", str(out), "--role", AI, "--role", DE]) == 0
    page = out.read_text(encoding="utf-8")
    assert ATTRIBUTION not in page and "onet-attribution" not in page
    capsys.readouterr()


# -- scale: 300 generated roles --------------------------------------------------------------------------------
ROLE_NAMES = ("Data", "Platform", "Machine Learning", "Analytics", "Cloud", "Research", "Vision", "Language")


def _pick(rng: random.Random, terms: list[Term], count: int) -> list[Term]:
    """``count`` distinct terms, the vocabulary's first ones far more often (a few tools most roles use)."""
    weights = [1 / (rank + 1) for rank in range(len(terms))]
    chosen: list[Term] = []
    while len(chosen) < count:
        term = rng.choices(terms, weights)[0]
        if term not in chosen:
            chosen.append(term)
    return chosen


def write_role_documents(folder: Path, count: int, seed: int = 4) -> list[Path]:
    """``count`` small Markdown role documents naming seed vocabulary terms (deterministic for a seed)."""
    vocab = load_vocabulary()
    rng = random.Random(seed)
    terms = {category: list(vocab.terms[category].values()) for category in vocab.terms}
    paths = []
    for n in range(1, count + 1):
        label = f"{ROLE_NAMES[n % len(ROLE_NAMES)]} Engineer {n:03d}"
        tools = _pick(rng, terms["tool"], rng.randint(5, 12))
        skills = _pick(rng, terms["skill"], rng.randint(3, 8))
        use_cases = _pick(rng, terms["use-case"], rng.randint(1, 3))
        industries = _pick(rng, terms["industry"], 2)
        areas = _pick(rng, terms["area"], 2)
        lines = [f"# {label} in the {industries[0].label} Industry", "", f"A {label} builds and runs systems.", ""]
        lines += ["## Responsibilities", "", f"### 1. {areas[0].label}"]
        lines += [
            f"- Builds services with {' and '.join(t.label for t in tools[i : i + 2])}."
            for i in range(0, len(tools), 2)
        ]
        lines += [f"### 2. {areas[1].label}"] + [f"- Applies {s.label.lower()} every day." for s in skills]
        lines += ["", "## Use Cases"] + [f"- **{u.label}**: delivered for clients." for u in use_cases]
        lines += [f"- **{industries[1].label}**: {use_cases[0].label.lower()} at scale."]
        lines += ["", "## Skills Required", f"- **Programming**: {tools[0].label}.", f"- **{skills[0].label}**: daily."]
        path = folder / f"role-{n:03d}.md"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[str]]]:
    folder = tmp_path_factory.mktemp("roles-300")
    settings = Settings(data_dir=folder / "data")
    store = GraphStore.in_memory()
    report = build(settings, store, write_role_documents(folder, 300))
    assert len(report.roles) == 300
    with TestClient(create_app(settings, store=store)) as client:
        yield client, report.roles


def test_300_roles_are_capped_and_say_so(big: tuple[TestClient, list[str]]) -> None:
    client, roles = big
    data = view(client, role=roles)
    meta, items = data["meta"], [n for n in data["nodes"] if n["type"] != "role"]
    assert len([n for n in data["nodes"] if n["type"] == "role"]) == 300
    assert len(items) == DEFAULT_LIMIT
    assert meta["counts"]["hidden_by_limit"] == meta["counts"]["candidates"] - DEFAULT_LIMIT > 100
    assert any(f"{meta['counts']['hidden_by_limit']} more are hidden" in note for note in meta["notes"])
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert data["options"]["layout"]["improvedLayout"] is False
    # Provenance is kept short per item, however many roles link to it.
    assert max(len({s["role"] for s in n["sources"]}) for n in items) <= 6


def test_default_view_of_many_roles_is_the_busiest_twelve(big: tuple[TestClient, list[str]]) -> None:
    client, _ = big
    data = view(client)
    shown = {n["slug"] for n in data["nodes"] if n["type"] == "role"}
    ranked = sorted(data["meta"]["all_roles"], key=lambda r: -r["links"])
    assert len(shown) == 12 and len(ranked) == 300
    assert min(r["links"] for r in ranked if r["id"] in shown) >= max(
        r["links"] for r in ranked if r["id"] not in shown
    )
    assert any("the 12 roles with the most links out of 300" in note for note in data["meta"]["notes"])


def test_query_count_does_not_grow_with_roles(
    big: tuple[TestClient, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, roles = big
    calls: list[str] = []
    select = GraphStore.select

    def counting(self: GraphStore, sparql: str, substitutions: Any = None) -> Any:
        calls.append(sparql)
        return select(self, sparql, substitutions)

    monkeypatch.setattr(GraphStore, "select", counting)
    counts = []
    for shown in (roles[:3], roles):
        calls.clear()
        view(client, role=shown)
        counts.append(len(calls))
    assert counts[0] == counts[1] <= 8, counts
