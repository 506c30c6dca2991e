"""Bridges and communities: betweenness on the role-item graph, Louvain on the role similarity graph.

* Betweenness. The role-item graph is bipartite (roles on one side, skills, tools, use cases, industries and
  responsibility areas on the other); an item's betweenness is the share of shortest role-to-role (and
  item-to-item) paths that pass through it, so items that connect otherwise separate groups of roles rank
  high. :func:`betweenness` is Brandes' algorithm run for a block of sources at once with sparse matrix
  products (a breadth-first search level is ``A @ frontier``), exact for graphs up to
  :data:`EXACT_BETWEENNESS_NODES` nodes and estimated from a fixed-seed sample of sources above (networkx's
  pure-Python loop would take minutes at 3,000 roles).
* Communities. Louvain (``networkx.community.louvain_communities``, fixed seed) on the graph that links each
  role to its :data:`NEIGHBOURS` most similar roles, weighted by their IDF cosine (a k-nearest-neighbour
  graph keeps it sparse: 3,000 roles give ~45,000 edges, not 4.5 million).

>>> import networkx as nx
>>> g = nx.path_graph(4)  # 0 - 1 - 2 - 3
>>> adjacency = nx.to_scipy_sparse_array(g, nodelist=range(4), format="csr")
>>> [round(float(b), 3) for b in betweenness(adjacency).values]
[0.0, 0.667, 0.667, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy import sparse

from graph.similarity import SimilarityMatrix

FloatArray = npt.NDArray[np.float64]

#: Up to this many nodes betweenness is exact (every node a source); above it, estimated from a sample.
EXACT_BETWEENNESS_NODES = 1200
#: Sources sampled above that size (fixed seed, so the ranking is reproducible).
SAMPLED_SOURCES = 384
#: Sources per sparse block: bounds memory to a few ``nodes x BLOCK`` arrays.
BLOCK = 128
#: Each role's links in the similarity graph Louvain runs on.
NEIGHBOURS = 12
#: Fewer roles than this: no community detection (every role is in community 0).
MIN_COMMUNITY_ROLES = 6
LOUVAIN_SEED = 0


@dataclass(frozen=True)
class Betweenness:
    """Normalised betweenness of every node (``values[v]``), and how it was computed."""

    values: FloatArray
    sources: int
    exact: bool

    @property
    def method(self) -> str:
        return "exact" if self.exact else f"estimated from {self.sources} sampled sources (seed {LOUVAIN_SEED})"


def _brandes_block(adjacency: sparse.csr_matrix, sources: npt.NDArray[np.int64]) -> FloatArray:
    """Brandes' dependency sums for a block of sources, every BFS level one sparse product for all of them."""
    n, b = adjacency.shape[0], len(sources)
    columns = np.arange(b)
    sigma = np.zeros((n, b))
    sigma[sources, columns] = 1.0
    visited = np.zeros((n, b), dtype=bool)
    visited[sources, columns] = True
    levels = [visited.copy()]
    frontier = sigma.copy()
    while True:
        # Shortest paths reaching each node through the current level: sum of its frontier neighbours' counts.
        arriving = np.asarray(adjacency @ frontier)
        arriving[visited] = 0.0
        reached = arriving > 0
        if not reached.any():
            break
        sigma[reached] = arriving[reached]
        visited |= reached
        levels.append(reached)
        frontier = np.where(reached, arriving, 0.0)
    delta = np.zeros((n, b))
    for depth in range(len(levels) - 1, 0, -1):
        here = levels[depth]
        coefficient = np.zeros((n, b))
        np.divide(1.0 + delta, sigma, out=coefficient, where=here)
        # Each node one level up collects sigma_v * sum over its children w of (1 + delta_w) / sigma_w.
        pulled = np.asarray(adjacency @ coefficient)
        above = levels[depth - 1]
        delta[above] += sigma[above] * pulled[above]
    delta[sources, columns] = 0.0  # a source is not between itself and others
    return np.asarray(delta.sum(axis=1), dtype=np.float64)


def betweenness(adjacency: sparse.csr_matrix, seed: int = LOUVAIN_SEED) -> Betweenness:
    """Normalised betweenness centrality of an undirected, unweighted graph given as a symmetric CSR matrix.

    Matches ``networkx.betweenness_centrality(g, normalized=True)`` when exact; above
    :data:`EXACT_BETWEENNESS_NODES` nodes, it is the same estimate as networkx's ``k=`` sampling.
    """
    adjacency = sparse.csr_matrix(adjacency, dtype=np.float64)
    n = adjacency.shape[0]
    exact = n <= EXACT_BETWEENNESS_NODES
    if exact:
        sources = np.arange(n, dtype=np.int64)
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=SAMPLED_SOURCES, replace=False))
    total = np.zeros(n)
    for start in range(0, len(sources), BLOCK):
        total += _brandes_block(adjacency, sources[start : start + BLOCK])
    if n > 2:
        # Undirected: each pair was counted from both ends; normalise by the (n-1)(n-2)/2 pairs not involving v.
        total *= 1.0 / ((n - 1) * (n - 2))
        if not exact:
            total *= n / len(sources)
    return Betweenness(total, len(sources), exact)


@dataclass(frozen=True)
class Partition:
    """Community number of every role (index as in the similarity matrix), and how it was found."""

    labels: npt.NDArray[np.int64]
    method: str
    modularity: float | None


def similarity_graph(matrix: SimilarityMatrix, neighbours: int = NEIGHBOURS) -> nx.Graph:
    """Roles linked to their most similar roles, weighted by cosine (only positive scores)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(matrix.n_roles))
    nearest, scores = matrix.neighbours(neighbours)
    for i in range(matrix.n_roles):
        for j, score in zip(nearest[i].tolist(), scores[i].tolist(), strict=True):
            if j >= 0 and score > 0:
                # Keep the larger weight if both ends chose each other (they are equal: cosine is symmetric).
                graph.add_edge(i, j, weight=score)
    return graph


def communities(matrix: SimilarityMatrix, seed: int = LOUVAIN_SEED) -> Partition:
    """Louvain communities of the role similarity graph, numbered largest first (ties: smallest role index)."""
    n = matrix.n_roles
    if n < MIN_COMMUNITY_ROLES:
        return Partition(np.zeros(n, dtype=np.int64), f"none: fewer than {MIN_COMMUNITY_ROLES} roles", None)
    graph = similarity_graph(matrix)
    found = nx.community.louvain_communities(graph, weight="weight", resolution=1.0, seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    labels = np.zeros(n, dtype=np.int64)
    for number, members in enumerate(ordered):
        labels[members] = number
    modularity = float(nx.community.modularity(graph, [set(c) for c in ordered], weight="weight"))
    method = f"louvain (networkx, seed {seed}) on the {NEIGHBOURS}-nearest-neighbour similarity graph"
    return Partition(labels, method, modularity)


def characteristic_items(
    incidence: sparse.csr_matrix, members: npt.NDArray[np.int64], limit: int
) -> list[tuple[int, float, float, float]]:
    """The items most typical of a group of roles: ``(item, score, share inside, share overall)``.

    The score is ``p_in * ln(p_in / p_all)``, a term of the Kullback-Leibler divergence: high for items that
    most of the group has and few other roles have; items no more common inside than overall are left out.
    """
    n = incidence.shape[0]
    inside = np.asarray(incidence[members].sum(axis=0), dtype=np.float64).ravel() / max(len(members), 1)
    overall = np.asarray(incidence.sum(axis=0), dtype=np.float64).ravel() / max(n, 1)
    candidates = np.flatnonzero((inside > 0) & (inside > overall))
    if not len(candidates):
        candidates = np.flatnonzero(inside > 0)  # one community of all roles: its most common items
    p_in, p_all = inside[candidates], overall[candidates]
    score = p_in * np.log(p_in / p_all)
    order = np.lexsort((candidates, -p_in, -score))[:limit]
    return [(int(candidates[o]), float(score[o]), float(p_in[o]), float(p_all[o])) for o in order]


def adjusted_rand_index(truth: list[int], found: list[int]) -> float:
    """Agreement of two partitions of the same items, 1 for identical, about 0 for chance (Hubert and Arabie).

    >>> adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7])
    1.0
    >>> round(adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]), 3)
    -0.5
    """
    if len(truth) != len(found):
        raise ValueError("the two partitions must label the same items")
    _, t = np.unique(np.asarray(truth), return_inverse=True)
    _, f = np.unique(np.asarray(found), return_inverse=True)
    pairs = np.zeros((int(t.max()) + 1 if len(t) else 0, int(f.max()) + 1 if len(f) else 0))
    np.add.at(pairs, (t, f), 1)

    def comb2(x: FloatArray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = comb2(pairs)
    rows, cols = comb2(pairs.sum(axis=1)), comb2(pairs.sum(axis=0))
    total = len(truth) * (len(truth) - 1) / 2
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
