"""Role-to-role similarity over skills and tools: IDF-weighted cosine on a sparse role x item matrix.

Why this measure. A role is the set of skills and tools its document names. Two roles are alike when they
share items that few other roles have: sharing Python, which every role lists, says little; sharing PyTorch
and convolutional networks says a lot. So each item gets the weight ``idf = ln((N + 1) / df)`` (``N`` roles,
``df`` of them link the item) and each role becomes the vector of its items' weights; the score of two roles
is the cosine of their vectors.

* Cosine rather than weighted Jaccard: both reward shared rare items, but cosine divides by the geometric mean
  of the two roles' sizes, so a role that lists 80 items is not "close" to everything, and the scores of one
  role against all others are one sparse matrix-vector product (Jaccard needs a per-pair union).
* ``ln((N + 1) / df)`` rather than ``ln(N / df)``: an item every role has weighs ``ln(1 + 1/N)``, almost
  nothing at 3,000 roles, but not exactly zero, so two roles that share only common items still compare
  (with plain ``ln(N / df)`` the two roles of a two-role graph would always score 0).
* Binary presence: a document names an item or not; how often it repeats it says more about its style.

The matrix is built once per store version (see :class:`graph.insight.Insight`); answering "most similar to
X" is then one CSR matrix-vector product and a partial sort, microseconds at 3,000 roles.

>>> import numpy as np
>>> m = SimilarityMatrix.build(["a", "b", "c"], [["py", "torch"], ["py", "torch"], ["py", "sql"]])
>>> [(m.role_ids[j], round(s, 3)) for j, s in m.top(0, 2)]
[('b', 1.0), ('c', 0.078)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def idf_weights(document_frequency: FloatArray, n_roles: int) -> FloatArray:
    """``ln((N + 1) / df)``: rare items weigh most, items of every role almost nothing (never exactly 0).

    >>> [round(float(w), 3) for w in idf_weights(np.array([1.0, 2.0, 3.0]), 3)]
    [1.386, 0.693, 0.288]
    """
    return np.log((n_roles + 1) / np.maximum(document_frequency, 1.0))


@dataclass
class SimilarityMatrix:
    """Rows are roles, columns items; ``weighted`` holds the L2-normalised IDF weights (CSR)."""

    role_ids: list[str]
    item_ids: list[str]
    #: Binary role x item incidence (CSR, float64).
    incidence: sparse.csr_matrix
    #: Per item: how many roles link it, and its IDF weight.
    document_frequency: FloatArray
    idf: FloatArray
    #: Row-normalised IDF-weighted incidence: the cosine of two roles is the dot product of their rows.
    weighted: sparse.csr_matrix

    @classmethod
    def build(cls, role_ids: Sequence[str], items_per_role: Sequence[Sequence[str]]) -> SimilarityMatrix:
        """From each role's item ids (``items_per_role[i]`` belongs to ``role_ids[i]``)."""
        item_ids = sorted({item for items in items_per_role for item in items})
        column = {item: j for j, item in enumerate(item_ids)}
        rows: list[int] = []
        cols: list[int] = []
        for i, items in enumerate(items_per_role):
            for item in set(items):
                rows.append(i)
                cols.append(column[item])
        shape = (len(role_ids), len(item_ids))
        incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape, dtype=np.float64)
        return cls.from_incidence(list(role_ids), item_ids, incidence)

    @classmethod
    def from_incidence(cls, role_ids: list[str], item_ids: list[str], incidence: sparse.csr_matrix) -> SimilarityMatrix:
        incidence = sparse.csr_matrix(incidence, dtype=np.float64)
        incidence.sum_duplicates()
        incidence.data[:] = 1.0
        document_frequency = np.asarray(incidence.sum(axis=0), dtype=np.float64).ravel()
        idf = idf_weights(document_frequency, len(role_ids))
        weighted = sparse.csr_matrix(incidence.multiply(idf[np.newaxis, :]))
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1), dtype=np.float64).ravel())
        # A role with no skills or tools has a zero vector: it is similar to nothing (score 0), not NaN.
        inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        weighted = sparse.csr_matrix(sparse.diags(inverse) @ weighted)
        weighted.sort_indices()
        return cls(role_ids, item_ids, sparse.csr_matrix(incidence), document_frequency, idf, weighted)

    @property
    def n_roles(self) -> int:
        return len(self.role_ids)

    def row_vector(self, i: int) -> FloatArray:
        """Role ``i``'s normalised weights as a dense vector over the items."""
        vector = np.zeros(len(self.item_ids))
        start, end = self.weighted.indptr[i], self.weighted.indptr[i + 1]
        vector[self.weighted.indices[start:end]] = self.weighted.data[start:end]
        return vector

    def scores(self, i: int, row_i: FloatArray | None = None) -> FloatArray:
        """The cosine of role ``i`` with every role (itself included), one CSR matrix-vector product."""
        return np.asarray(self.weighted @ (self.row_vector(i) if row_i is None else row_i), dtype=np.float64)

    def top(self, i: int, k: int, row_i: FloatArray | None = None) -> list[tuple[int, float]]:
        """The ``k`` roles most similar to role ``i`` (never ``i``), best first; ties by role id."""
        scores = self.scores(i, row_i)
        scores[i] = -np.inf
        k = min(k, self.n_roles - 1)
        if k <= 0:
            return []
        # A linear-time partition finds the k-th best score; only the roles at or above it are then sorted
        # (every role tied at the cut is kept, so the answer does not depend on the partition's choice).
        threshold = np.partition(scores, self.n_roles - k)[self.n_roles - k]
        candidates = np.flatnonzero(scores >= threshold)
        order = sorted(candidates.tolist(), key=lambda j: (-scores[j], self.role_ids[j]))
        return [(j, float(scores[j])) for j in order[:k] if scores[j] > -np.inf]

    def matrix(self, rows: Sequence[int]) -> FloatArray:
        """The cosine of every pair of the given roles, as a dense ``len(rows) x len(rows)`` array."""
        sub = self.weighted[list(rows)]
        return np.asarray((sub @ sub.T).toarray(), dtype=np.float64)

    def shared_items(self, i: int, j: int, row_i: FloatArray | None = None) -> tuple[IntArray, FloatArray]:
        """The columns of the items roles ``i`` and ``j`` share and each one's contribution to their cosine,
        largest first (ties by column).

        ``row_i`` is :meth:`row_vector` of ``i`` when the caller already has it (asking for several ``j``):
        looking ``j``'s items up in it is a gather, cheaper than intersecting the two sorted index lists.
        """
        vector = self.row_vector(i) if row_i is None else row_i
        start, end = self.weighted.indptr[j], self.weighted.indptr[j + 1]
        columns = self.weighted.indices[start:end]
        contribution = self.weighted.data[start:end] * vector[columns]
        shared = contribution > 0  # every stored weight is positive: zero means i lacks the item
        columns, contribution = columns[shared], contribution[shared]
        order = np.lexsort((columns, -contribution))
        return columns[order].astype(np.int64), contribution[order]

    def neighbours(self, k: int, block: int = 512) -> tuple[IntArray, FloatArray]:
        """Every role's ``k`` nearest roles and their scores (``n x k`` arrays; fewer roles: padded with -1).

        Computed in blocks of rows (a sparse x dense product per block), so memory stays ``n x block``.
        """
        n = self.n_roles
        k = max(0, min(k, n - 1))
        neighbours = np.full((n, k), -1, dtype=np.int64)
        scores = np.zeros((n, k))
        if k == 0:
            return neighbours, scores
        for start in range(0, n, block):
            stop = min(n, start + block)
            dense = self.weighted[start:stop].toarray()  # block x items
            sims = np.asarray((self.weighted @ dense.T).T)  # block x n
            sims[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # never one's own neighbour
            best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            best_scores = np.take_along_axis(sims, best, axis=1)
            order = np.argsort(-best_scores, axis=1, kind="stable")
            neighbours[start:stop] = np.take_along_axis(best, order, axis=1)
            scores[start:stop] = np.take_along_axis(best_scores, order, axis=1)
        return neighbours, scores
