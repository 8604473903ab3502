"""Pol.is's base clusters as its history made them: the vote log replayed update by update.

Pol.is never clusters from scratch. After each batch of votes it recomputes the PCA and restarts the base-cluster
k-means from the previous update's clusters (``clean-start-clusters``): each old cluster is recentred on where its
members now are, and while there are fewer clusters than distinct points the point farthest from every centre
becomes a new cluster with the next id. The ids, and so the order of the base clusters, carry the conversation's
history, and the groups Pol.is then finds by k-means from the first distinct base clusters depend on that order.
Replaying the log reproduces it; a fit of the final votes alone cannot. Used by ``OpinionModel.fit`` for timed
logs of conversations small enough to replay (``replay_limit`` votes).
"""

from __future__ import annotations

import numpy as np

from concord.analysis import opinions_math as pm

_M32 = 0xFFFFFFFF


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _M32


def _mix_k1(k: int) -> int:
    return (_rotl((k * 0xCC9E2D51) & _M32, 15) * 0x1B873593) & _M32


def _mix_h1(h: int, k: int) -> int:
    return (_rotl(h ^ k, 13) * 5 + 0xE6546B64) & _M32


def clojure_hash_key(value: str) -> tuple:
    """Where Clojure's hash set puts a participant id: Pol.is's participant ids are integers, its in-conv is a
    Clojure set, and its base clustering takes the participants in that set's order. The order is Murmur3 of the
    long (``Murmur3.hashLong``), read five bits at a time from the lowest (the hash array mapped trie's levels).
    Ids that are not integers go after, by their text."""
    try:
        number = int(value)
    except ValueError:
        return (1, value)
    if number == 0:
        h = 0
    else:
        h = _mix_h1(_mix_h1(0, _mix_k1(number & _M32)), _mix_k1((number >> 32) & _M32))
        h ^= 8
        h ^= h >> 16
        h = (h * 0x85EBCA6B) & _M32
        h ^= h >> 13
        h = (h * 0xC2B2AE35) & _M32
        h ^= h >> 16
    return (0, tuple((h >> shift) & 31 for shift in range(0, 32, 5)))


def _centers(points: np.ndarray, labels: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    sums = np.stack([np.bincount(labels, weights=points[:, i], minlength=n) for i in range(2)], axis=1)
    counts = np.bincount(labels, minlength=n)
    return np.divide(sums, counts[:, None], out=np.zeros_like(sums), where=counts[:, None] > 0), counts


def warm_kmeans(points: np.ndarray, previous: np.ndarray, k: int, max_iters: int = 100):
    """Pol.is's k-means on ``points`` (in Pol.is's row order) restarted from ``previous``, the cluster id of each
    point at the last update (-1 for a point new to the clustering). Returns the cluster id of each point and the
    ids in use, in order; ids are kept from update to update and a new cluster takes the next one."""
    if len(points) == 0:
        return previous, np.zeros(0, dtype=np.int64)
    if (previous >= 0).any():
        # safe-recenter: old clusters with members still here, centred on those members' new positions.
        next_id = int(previous.max()) + 1
        labels = previous.copy()
        ids = np.unique(labels[labels >= 0])
        index = np.full(next_id, -1)
        index[ids] = np.arange(len(ids))
        known = labels >= 0
        centers, _ = _centers(points[known], index[labels[known]], len(ids))
        # uniqify: clusters whose centres coincide merge into the larger one.
        keep: dict[tuple, int] = {}
        for i in range(len(ids)):
            j = keep.get(tuple(centers[i]))
            if j is not None:
                larger = (labels == ids[j]).sum() >= (labels == ids[i]).sum()
                big, small = (ids[j], ids[i]) if larger else (ids[i], ids[j])
                labels[labels == small] = big
                ids[j] = big
            else:
                keep[tuple(centers[i])] = i
        ids = np.unique(labels[labels >= 0])
        possible = min(k, len(np.unique(points, axis=0)))
        while True:
            index = np.full(max(next_id, int(ids.max()) + 1), -1)
            index[ids] = np.arange(len(ids))
            known = labels >= 0
            centers, counts = _centers(points[known], index[labels[known]], len(ids))
            ids, centers = ids[counts > 0], centers[counts > 0]
            if len(ids) >= possible:
                break
            # most-distal: the point farthest from its closest centre (the last one on a tie) starts a cluster.
            d = np.sqrt(((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
            far = len(d) - 1 - int(np.argmax(d[::-1]))
            if d[far] <= 0:
                break
            labels[far] = next_id
            next_id += 1
            ids = np.unique(labels[labels >= 0])
        start = centers
    else:
        start = pm.first_distinct(points, k)
        ids = np.arange(len(start))
    labels, _, kept = pm.kmeans(points, start, max_iters=max_iters)
    ids = ids[kept]
    return ids[labels], ids


def replay_base_clusters(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    times: np.ndarray,
    participants: list[str],
    counted: np.ndarray,
    min_votes: int = 7,
    base_k: int = 100,
    base_iters: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Replay the time-ordered log, one Pol.is update per distinct time, and return who is in the conversation
    (bool per participant row) and each participant's base-cluster id (-1 when not in).

    Each update does what polismath's ``small-conv-update`` does: the vote matrix so far (moderated-out columns
    zeroed), in-conv (sticky, topped up to fifteen), the PCA restarted from the last axes, the sparsity-aware
    projection, and the base clusters restarted from the last ones (:func:`warm_kmeans`), with the participants
    taken in the order of Pol.is's in-conv set.
    """
    n_rows, n_cols = len(participants), len(counted)
    hash_rank = np.empty(n_rows, dtype=np.int64)
    hash_rank[sorted(range(n_rows), key=lambda r: pm_key(participants[r]))] = np.arange(n_rows)
    values_now = np.zeros((n_rows, n_cols))
    voted = np.zeros((n_rows, n_cols), dtype=bool)
    col_seen = np.zeros(n_cols, dtype=bool)
    row_seen = np.zeros(n_rows, dtype=bool)
    inside = np.zeros(n_rows, dtype=bool)
    base = np.full(n_rows, -1, dtype=np.int64)
    basis = None
    comps_before = None
    # One update per distinct time: votes with the same time arrived together.
    bounds = np.flatnonzero(np.diff(times) != 0) + 1
    for batch in np.split(np.arange(len(rows)), bounds):
        r, c = rows[batch], cols[batch]
        values_now[r, c] = values[batch]
        voted[r, c] = True
        col_seen[c] = True
        row_seen[r] = True
        seen_cols = np.flatnonzero(col_seen)
        counts = voted.sum(axis=1)
        inside |= row_seen & (counts >= min(min_votes, len(seen_cols)))
        if inside.sum() < pm.GREEDY_N:
            # Most votes first; among equal counts, the order of Pol.is's vote-count map (its hash order).
            outside = np.flatnonzero(row_seen & ~inside)
            order = outside[np.lexsort((hash_rank[outside], -counts[outside]))]
            inside[order[: pm.GREEDY_N - int(inside.sum())]] = True
        live = counted[seen_cols]
        x = np.where(voted[:, seen_cols] & live[None, :], values_now[:, seen_cols], 0.0)
        n_voted = (voted[:, seen_cols] & live[None, :]).sum(axis=0)
        means = np.divide(x.sum(axis=0), n_voted, out=np.zeros(len(seen_cols)), where=n_voted > 0)
        centred = np.where(voted[:, seen_cols] & live[None, :], x - means[None, :], 0.0)
        gram = centred.T @ centred
        if len(seen_cols) < 2 or not gram.any():
            continue
        start = None
        if basis is not None:
            start = np.zeros((len(seen_cols), basis.shape[1]))
            start[: basis.shape[0]] = basis
        # Restarted subspace iteration: after one more vote it converges in a step or two, where a full
        # eigendecomposition per update would dominate the replay.
        basis, eigenvalues = pm._subspace_iteration(gram, 2, start)
        comps = np.array([pm.orient(v) for v in basis[:, :2].T])
        if comps_before is not None:
            # Pol.is restarts its power iteration from the last axes, so an axis keeps its direction.
            for i in range(2):
                overlap = comps[i, : len(comps_before[i])] @ comps_before[i]
                if overlap < 0:
                    comps[i] = -comps[i]
        comps_before = comps
        n_votes = (voted[:, seen_cols] & live[None, :]).sum(axis=1) + int((~live).sum())
        proj = (centred @ comps.T) * np.sqrt(len(seen_cols) / np.maximum(n_votes, 1))[:, None]
        members = np.flatnonzero(inside)
        members = members[np.argsort(hash_rank[members], kind="stable")]
        labels, _ = warm_kmeans(proj[members], base[members], base_k, base_iters)
        base[:] = -1
        base[members] = labels
    return inside, base


pm_key = clojure_hash_key
