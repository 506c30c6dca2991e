"""Insight benchmark: similar roles, learning path, bridges and communities at 3, 300 and 3,000 roles.

Run with ``make bench`` (or ``.venv/bin/python bench/insight_bench.py [SIZES...]``). The 3-role graph is the
seed; the larger ones are generated with planted clusters (``graph.generate``) on the curated vocabulary, in
an in-memory store. For each size it prints medians and p95 in milliseconds, and the ratio of each median to
the baseline measured in the same run: the SPARQL aggregation that ``/api/roles/{id}/similar`` replaces
(``graph/queries/insight_shared_counts.rq``: how many skills and tools each other role shares with one role).

"warm" answers come from the model cached for the store version; "cold" rows rebuild what a write
invalidates: the projection and the role index (shared with the rest of the service), the insight model
built from them, then betweenness and Louvain on first use. At 3 and 300 roles,
networkx's own ``betweenness_centrality`` on the same graph is timed once for comparison.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
from scipy import sparse  # noqa: E402

from bench.common import measure, report  # noqa: E402
from graph.build import build  # noqa: E402
from graph.communities import betweenness, communities  # noqa: E402
from graph.generate import generate_roles, load_generated  # noqa: E402
from graph.index import RoleIndex  # noqa: E402
from graph.insight import Insight  # noqa: E402
from graph.insight_model import InsightModel  # noqa: E402
from graph.namespaces import Iris  # noqa: E402
from graph.project import to_networkx  # noqa: E402
from graph.queries import QUERIES  # noqa: E402
from graph.questions import RoleGraph  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import GraphStore  # noqa: E402

SIZES = (3, 300, 3000)
CLUSTERS = 12


def load(n_roles: int) -> RoleGraph:
    """The seed (3 roles) or ``n_roles`` generated roles in planted clusters, in a fresh in-memory store."""
    settings = Settings()
    store = GraphStore.in_memory()
    if n_roles == 3:
        build(settings, store)
    else:
        build(settings, store, documents=[])
        load_generated(store, Iris(settings.base_iri), generate_roles(n_roles, seed=1, clusters=CLUSTERS))
    return RoleGraph(store, settings.base_iri)


def runs(n_roles: int, fast: int, slow: int) -> int:
    return fast if n_roles <= 300 else slow


def bench_size(n_roles: int) -> None:
    graph = load(n_roles)
    insight = Insight.of(graph)
    model = insight.model()
    roles = model.role_ids
    one, other = roles[0], roles[len(roles) // 2]
    iri = graph.role_iri(one)
    matrix = model.similarity
    row = model.role_index[one]
    insight.communities(), insight.bridges()  # warm the lazy parts

    baseline = measure(
        "baseline: SPARQL shared-item counts for one role",
        lambda: graph.store.select(QUERIES["insight_shared_counts"], {"role": iri}),
        runs(n_roles, 200, 20),
        warmup=3,
    )
    gap = measure(
        "SPARQL gap (what to has, from lacks; unordered)",
        lambda: graph.store.select(QUERIES["insight_gap"], {"from": graph.role_iri(one), "to": graph.role_iri(other)}),
        runs(n_roles, 200, 20),
        warmup=3,
    )
    warm = [
        measure("warm: similarity core, top-10 (SimilarityMatrix.top)", lambda: matrix.top(row, 10), 2000),
        measure("warm: similar top-10 with shared items (Insight.similar)", lambda: insight.similar(one, 10), 1000),
        measure("warm: learning path (Insight.path)", lambda: insight.path(one, other), 300),
        measure("warm: bridges, top 20 (Insight.bridges)", lambda: insight.bridges(limit=20), 100, warmup=3),
        measure("warm: communities (Insight.communities)", lambda: insight.communities(), 100, warmup=3),
    ]
    m = model.incidence.shape[1]
    adjacency = sparse.bmat([[None, model.incidence], [model.incidence.T, None]], format="csr")
    cold = [
        measure(
            "cold: projection from the store (to_networkx)",
            lambda: to_networkx(graph.store),
            runs(n_roles, 10, 3),
            warmup=1,
        ),
        measure(
            "cold: role index from the store (RoleIndex.load)",
            lambda: RoleIndex.load(graph.store),
            runs(n_roles, 10, 3),
            warmup=1,
        ),
        measure(
            "cold: insight model from projection and index",
            lambda: InsightModel.build(graph),
            runs(n_roles, 10, 3),
            warmup=1,
        ),
        measure(f"cold: betweenness ({betweenness(adjacency).method})", lambda: betweenness(adjacency), 3, 1),
        measure("cold: Louvain communities", lambda: communities(matrix), 3, 1),
    ]
    if n_roles <= 300:
        reference = nx.from_scipy_sparse_array(adjacency)
        cold.append(
            measure("networkx betweenness_centrality, exact (once)", lambda: nx.betweenness_centrality(reference), 1, 0)
        )
    title = f"{n_roles} roles, {m} linked items, {model.incidence.nnz} role-item links"
    report(title, [baseline, gap, *warm, *cold], baseline)
    # The table's ratio has one decimal; the warm answers are far below it, so say how many times faster.
    for timing, against in ((warm[0], baseline), (warm[1], baseline), (warm[2], gap)):
        name = timing.name.split("(")[0].removeprefix("warm: ").strip()
        print(f"  {name}: {against.median / timing.median:,.0f}x faster than {against.name.split(' (')[0]}")


def main() -> None:
    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    started = time.perf_counter()
    for n_roles in sizes:
        bench_size(n_roles)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
