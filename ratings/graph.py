"""Shape of the comparison graph: which models are linked by votes, and whether a finite
Bradley–Terry maximum exists (Ford's condition)."""

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def comparison_components(first: np.ndarray, second: np.ndarray, n_models: int) -> list[np.ndarray]:
    """Connected components of the graph on n_models nodes with edges (first[p], second[p]) [P].

    Returns int arrays of model indices, largest component first, ties by smallest index.
    """
    graph = _graph(first, second, first, second, n_models)
    _, labels = connected_components(graph, directed=False)
    groups = [np.flatnonzero(labels == label) for label in np.unique(labels)]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def has_finite_optimum(
    first: np.ndarray, second: np.ndarray, scores: np.ndarray, totals: np.ndarray, n_models: int
) -> bool:
    """True when maximum-likelihood strengths for all n_models exist and are unique up to a shift.

    Ford (1957): that holds iff, for every split of the models into two groups, someone in each
    group scored against someone in the other, i.e. the directed "scored against" graph (edge
    first→second when scores [P] > 0, second→first when totals − scores > 0) is strongly connected.
    """
    if n_models <= 1:
        return True
    forward, backward = scores > 0, (totals - scores) > 0
    graph = _graph(first[forward], second[forward], second[backward], first[backward], n_models)
    n_strong, _ = connected_components(graph, directed=True, connection="strong")
    return n_strong == 1


def _graph(rows_a, cols_a, rows_b, cols_b, n: int):
    rows = np.concatenate([rows_a, rows_b])
    cols = np.concatenate([cols_a, cols_b])
    return coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
