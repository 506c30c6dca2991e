"""Insight: similar roles, learning paths, bridges and communities, on the seed (real HTTP) and on generated
graphs with planted clusters (``graph.generate``), whose structure the answers must recover."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator

import networkx as nx
import numpy as np
import pytest
from fastapi.testclient import TestClient
from scipy import sparse

from graph.build import build
from graph.communities import adjusted_rand_index, betweenness
from graph.generate import GeneratedRole, generate_roles, load_generated
from graph.insight import Insight
from graph.insight_model import InsightModel
from graph.namespaces import Iris
from graph.queries import QUERIES
from graph.questions import RoleGraph
from graph.settings import Settings
from graph.similarity import SimilarityMatrix
from graph.store import GraphStore

pytestmark = pytest.mark.store

AI, DL, DE = "ai-engineer", "deep-learning-engineer", "data-engineer"


# -- similarity ----------------------------------------------------------------------------------------
def test_deep_learning_and_ai_engineer_are_each_others_closest_role(client: TestClient) -> None:
    for role, closest in ((DL, AI), (AI, DL)):
        response = client.get(f"/api/roles/{role}/similar")
        assert response.status_code == 200
        found = response.json()
        assert found[0]["id"] == closest
        assert [r["score"] for r in found] == sorted((r["score"] for r in found), reverse=True)
        assert all(0 < r["score"] <= 1 and role != r["id"] for r in found)
        assert {"id", "label", "score", "shared", "top_shared", "node"} <= set(found[0])


def test_similar_names_what_the_two_roles_share(client: TestClient, seed_graph: RoleGraph) -> None:
    top = client.get(f"/api/roles/{DL}/similar", params={"limit": 1}).json()
    assert len(top) == 1
    shared_tools = seed_graph.index().shared("tool", [AI, DL])
    assert top[0]["shared"]["tool"] == len(shared_tools)
    named = {i["id"] for i in top[0]["top_shared"]}
    assert named and named <= shared_tools | seed_graph.index().shared("skill", [AI, DL])


def test_shared_counts_agree_with_the_sparql_aggregation(seed_graph: RoleGraph) -> None:
    insight = Insight.of(seed_graph)
    for role in (AI, DL, DE):
        rows = seed_graph.store.select(QUERIES["insight_shared_counts"], {"role": seed_graph.role_iri(role)})
        in_sparql = {row["id"].value: int(row["shared"].value) for row in rows}  # type: ignore[union-attr]
        in_model = {r["id"]: r["shared"]["skill"] + r["shared"]["tool"] for r in insight.similar(role)}
        assert in_model == in_sparql


def test_matrix_as_json_and_csv(client: TestClient) -> None:
    body = client.get("/api/similarity").json()
    roles, scores = body["roles"], body["scores"]
    assert sorted(roles) == sorted([AI, DL, DE])
    n = len(roles)
    assert all(scores[i][i] == 1.0 and scores[i][j] == scores[j][i] for i in range(n) for j in range(n))
    similar = {r["id"]: r["score"] for r in client.get(f"/api/roles/{AI}/similar").json()}
    assert similar[DL] == scores[roles.index(AI)][roles.index(DL)]

    response = client.get("/api/similarity", params={"format": "csv", "role": [DL, AI]})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["role", DL, AI]
    assert [r[0] for r in rows[1:]] == [DL, AI]
    assert float(rows[1][2]) == pytest.approx(similar[DL], abs=1e-4)


def test_idf_weighting_lets_rare_shared_items_count_more_than_common_ones() -> None:
    # a and b share only "python", which every role has; a and c share two rare items.
    matrix = SimilarityMatrix.build(
        ["a", "b", "c", "d"],
        [["python", "x", "rare1", "rare2"], ["python", "y", "z"], ["python", "rare1", "rare2"], ["python", "q"]],
    )
    assert matrix.idf[matrix.item_ids.index("python")] < matrix.idf[matrix.item_ids.index("rare1")]
    assert matrix.role_ids[matrix.top(0, 3)[0][0]] == "c"
    # Without any item in common the score is 0, not NaN; a role with no items is similar to nothing.
    empty = SimilarityMatrix.build(["a", "b"], [["x"], []])
    assert empty.top(0, 1) == [(1, 0.0)]


# -- learning path -------------------------------------------------------------------------------------
def test_data_engineer_to_deep_learning_engineer_path(client: TestClient, seed_graph: RoleGraph) -> None:
    response = client.get("/api/path", params={"from": DE, "to": DL})
    assert response.status_code == 200
    path = response.json()
    assert (path["from"], path["to"]) == (DE, DL)
    steps = path["steps"]
    ids = [s["id"] for s in steps]
    assert {"tensorflow", "pytorch", "keras"} <= set(ids)  # the deep-learning frameworks
    assert {"deep-learning", "model-training", "neural-networks", "convolutional-neural-networks"} <= set(ids)
    has = {i.id for kind in ("skill", "tool") for i in seed_graph.role_items(DE, kind)}
    assert not has & set(ids), "the path lists nothing the Data Engineer already has"
    needs = {i.id for kind in ("skill", "tool") for i in seed_graph.role_items(DL, kind)}
    assert set(ids) == needs - has
    # Skills first, then tools; numbered from 1; every step says why it is there.
    kinds = [s["kind"] for s in steps]
    assert kinds == sorted(kinds, key=("skill", "tool").index)
    assert [s["order"] for s in steps] == list(range(1, len(steps) + 1))
    assert all(s["why"] and "required" in s["reason"] for s in steps)
    assert path["nodes"] == [f"role/{DE}", *(s["node"] for s in steps), f"role/{DL}"]


def test_path_puts_broader_skills_first_and_gives_partial_credit(seed_graph: RoleGraph) -> None:
    path = Insight.of(seed_graph).path(DE, DL)
    position = {s["id"]: n for n, s in enumerate(path["steps"])}
    model = Insight.of(seed_graph).model()
    for step in path["steps"]:
        for earlier in step["after"]:
            assert position[earlier] < position[step["id"]]
        if step["kind"] == "skill":
            # Every broader skill that is itself a step comes first (prerequisites).
            for broader in model.broader.get(step["id"], ()):
                if broader in position:
                    assert position[broader] < position[step["id"]], (broader, step["id"])
    calculus, mathematics = position["calculus"], position["mathematics"]
    assert mathematics < calculus
    deep = next(s for s in path["steps"] if s["id"] == "deep-learning")
    # The Data Engineer knows machine learning, the broader skill of deep learning: partly covered.
    assert deep["partial"] and deep["have"] == ["machine-learning"] and "partial-broader" in deep["reason"]
    assert "Partly covered" in deep["why"] and "Machine learning" in deep["why"]
    assert "prerequisite" in deep["reason"] and "convolutional-neural-networks" in deep["before"]
    assert deep["essential"] is True and "essential" in deep["reason"]
    assert path["summary"]["partial"] == sum(s["partial"] for s in path["steps"]) > 0


def test_path_agrees_with_the_sparql_gap_query(seed_graph: RoleGraph) -> None:
    rows = seed_graph.store.select(
        QUERIES["insight_gap"], {"from": seed_graph.role_iri(AI), "to": seed_graph.role_iri(DE)}
    )
    in_sparql = {row["id"].value: int(row["roles"].value) for row in rows}  # type: ignore[union-attr]
    steps = Insight.of(seed_graph).path(AI, DE)["steps"]
    assert {s["id"]: s["roles"] for s in steps} == in_sparql


def test_path_to_oneself_is_empty(client: TestClient) -> None:
    path = client.get("/api/path", params={"from": AI, "to": AI}).json()
    assert path["steps"] == [] and path["similarity"] == 1.0


# -- bridges and communities ---------------------------------------------------------------------------
def test_bridges_rank_items_by_betweenness(client: TestClient) -> None:
    body = client.get("/api/bridges", params={"kind": "tool", "limit": 50}).json()
    items = body["items"]
    assert body["kind"] == "tool" and body["betweenness"] == "exact" and all(i["kind"] == "tool" for i in items)
    keys = [(-i["betweenness"], -i["roles"]) for i in items]
    assert keys == sorted(keys)
    assert {i["id"] for i in items[:5]} == {"aws", "azure", "google-cloud", "java", "python"}  # all three roles
    by_roles = client.get("/api/bridges", params={"by": "roles", "limit": 500}).json()["items"]
    assert [i["roles"] for i in by_roles] == sorted((i["roles"] for i in by_roles), reverse=True)
    assert {i["kind"] for i in by_roles} == {"tool", "skill", "use-case", "industry", "responsibility-area"}


def test_betweenness_matches_networkx_on_the_seed(seed_graph: RoleGraph) -> None:
    model = Insight.of(seed_graph).model()
    n, m = model.incidence.shape
    adjacency = sparse.bmat([[None, model.incidence], [model.incidence.T, None]], format="csr")
    mine = betweenness(adjacency)
    reference = nx.betweenness_centrality(nx.from_scipy_sparse_array(adjacency), normalized=True)
    assert mine.exact and np.allclose(mine.values, [reference[v] for v in range(n + m)])


def test_communities_on_the_seed_are_one_group(client: TestClient) -> None:
    body = client.get("/api/communities").json()
    assert body["method"].startswith("none")  # three roles are too few to look for communities
    assert body["membership"] == {AI: 0, DL: 0, DE: 0}
    assert len(body["communities"][0]["items"]) == 8


def test_view_overlay_gives_each_role_a_community_and_the_path_as_node_ids(client: TestClient) -> None:
    body = client.get("/api/insight/view", params={"from": DE, "to": DL}).json()
    assert set(body["roles"]) == {f"role/{r}" for r in (AI, DL, DE)}
    assert {v["community"] for v in body["roles"].values()} == {0}
    path = body["path"]
    assert path["nodes"][0] == f"role/{DE}" and path["nodes"][-1] == f"role/{DL}"
    assert all(edge[0] == f"role/{DL}" and edge[1] in path["nodes"] for edge in path["edges"])
    assert "path" not in client.get("/api/insight/view").json()


# -- errors ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/api/roles/no-such-role/similar", {}, 404),
        ("/api/roles/Not_A_Slug/similar", {}, 422),
        (f"/api/roles/{AI}/similar", {"limit": 0}, 422),
        (f"/api/roles/{AI}/similar", {"limit": 10**30}, 422),
        (f"/api/roles/{AI}/similar", {"limit": "ten"}, 422),
        ("/api/similarity", {"role": [AI, "no-such-role"]}, 404),
        ("/api/similarity", {"role": "x" * 5000}, 422),
        ("/api/similarity", {"role": ["a"] * 1001}, 422),
        ("/api/similarity", {"role": "' } DROP ALL ; #"}, 422),
        ("/api/similarity", {"format": "xml"}, 422),
        ("/api/path", {"from": DE, "to": "no-such-role"}, 404),
        ("/api/path", {"from": "no-such-role", "to": DE}, 404),
        ("/api/path", {"from": DE}, 422),
        ("/api/path", {"from": "<script>", "to": DE}, 422),
        ("/api/path", {"from": "rôle", "to": DE}, 422),
        ("/api/bridges", {"kind": "../../etc"}, 422),
        ("/api/bridges", {"limit": -1}, 422),
        ("/api/bridges", {"by": "magic"}, 422),
        ("/api/communities", {"items": 10**6}, 422),
        ("/api/insight/view", {"from": DE}, 422),
        ("/api/insight/view", {"from": DE, "to": "nobody"}, 404),
    ],
)
def test_bad_input_is_a_clear_4xx_never_a_500(
    client: TestClient, url: str, params: dict[str, object], status: int
) -> None:
    response = client.get(url, params=params)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert detail
    if status == 404:
        assert "unknown role" in detail and ("no-such-role" in detail or "nobody" in detail)


# -- caching -------------------------------------------------------------------------------------------
def test_the_model_is_built_once_per_store_version(fresh_store: GraphStore, seed_settings: Settings) -> None:
    graph = RoleGraph(fresh_store, seed_settings.base_iri)
    insight = Insight.of(graph)
    assert Insight.of(graph) is insight
    model = insight.model()
    assert insight.model() is model
    assert {r["id"] for r in insight.similar(AI)} == {DL, DE}
    fresh_store.update(f"DELETE WHERE {{ GRAPH ?g {{ {graph.role_iri(DE)} ?p ?o }} }}")
    assert insight.model() is not model
    assert {r["id"] for r in insight.similar(AI)} == {DL}


# -- generated graphs with planted clusters ------------------------------------------------------------
@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Insight, list[GeneratedRole]]]:
    """240 generated roles in 8 planted clusters (``graph.generate``), on the curated vocabulary."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("planted"))
    store = GraphStore.in_memory()
    build(settings, store, documents=[])  # the ontology and the vocabulary, no documents
    roles = generate_roles(240, seed=11, clusters=8)
    load_generated(store, Iris(settings.base_iri), roles)
    yield Insight.of(RoleGraph(store, settings.base_iri)), roles


def test_communities_recover_the_planted_clusters(planted: tuple[Insight, list[GeneratedRole]]) -> None:
    insight, roles = planted
    body = insight.communities()
    assert body["method"].startswith("louvain")
    truth = [r.cluster for r in roles]
    found = [body["membership"][r.id] for r in roles]
    assert adjusted_rand_index(truth, found) >= 0.9
    # Each community's most characteristic items are its cluster's planted core (mostly tools and skills).
    biggest = body["communities"][0]
    assert biggest["items"][0]["share"] > 0.5 > biggest["items"][0]["overall"]


def test_similarity_recovers_the_planted_clusters(planted: tuple[Insight, list[GeneratedRole]]) -> None:
    insight, roles = planted
    cluster = {r.id: r.cluster for r in roles}
    precision, voted = [], []
    for role in roles:
        similar = [r["id"] for r in insight.similar(role.id, limit=10)]
        precision.append(np.mean([cluster[other] == role.cluster for other in similar]))
        # A nearest-neighbour vote: the planted cluster most common among the five most similar roles.
        voted.append(Counter(cluster[other] for other in similar[:5]).most_common(1)[0][0])
    assert np.mean(precision) >= 0.9
    assert adjusted_rand_index([r.cluster for r in roles], voted) >= 0.9


def test_bridges_on_a_generated_graph_are_the_items_spanning_communities(
    planted: tuple[Insight, list[GeneratedRole]],
) -> None:
    insight, _ = planted
    items = insight.bridges(limit=10)["items"]
    communities = len(insight.communities()["communities"])
    # The top bridges are linked from (almost) every community; the planted cores are not bridges.
    assert all(i["communities"] >= communities - 1 for i in items[:5])


def test_adjusted_rand_index_by_hand() -> None:
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [3, 3, 3, 9, 9, 9]) == 1.0
    # Contingency [[2, 1], [0, 3]]: index 1 + 3 = 4, rows 3 + 3 = 6, columns 1 + 6 = 7, 15 pairs:
    # expected 6 * 7 / 15 = 2.8, maximum 6.5, ARI (4 - 2.8) / (6.5 - 2.8).
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1]) == pytest.approx(1.2 / 3.7)


def test_model_handles_a_graph_without_roles(tmp_path: object) -> None:
    store = GraphStore.in_memory()
    build(Settings(), store, documents=[])
    insight = Insight.of(RoleGraph(store, Settings().base_iri))
    assert insight.communities()["communities"] == []
    assert insight.bridges()["items"] == []
    assert insight.similarity().role_ids == []
    assert isinstance(insight.model(), InsightModel)
