"""Opinion groups from agree / disagree / pass votes on short statements: the mathematics of Pol.is.

``OpinionModel`` reproduces polismath (compdemocracy/polis, ``math/``): the participant x statement matrix with
Pol.is's rules for who is in the conversation and which statements count, PCA and the sparsity-aware projection,
base clusters then k-means groups with k chosen by silhouette, representative statements (repness) with their
tests, consensus and group-aware consensus. The steps are in :mod:`concord.analysis.opinions_math`; docs/opinions.md
says how the output compares with Pol.is's own.

Plain records in (``Vote`` tuples), plain dicts out; no Django. ``partial_fit`` adds votes and recomputes from the
previous state (PCA restarted from the last axes, clusters from the last centres, the group count smoothed), as
Pol.is does after each batch of votes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

import numpy as np

from concord.analysis import opinions_math as pm
from concord.analysis.opinions_history import clojure_hash_key, replay_base_clusters, warm_kmeans

AGREE, DISAGREE, PASS = 1, -1, 0


class Vote(NamedTuple):
    """One vote: value 1 agree, -1 disagree, 0 pass. ``time`` (a number or a datetime) orders a vote log; when
    every vote has one, votes are taken in time order and the latest vote per participant and statement wins;
    without times, the order given is the order of arrival."""

    participant: str
    statement: str
    value: int
    time: float | datetime | None = None


def _time(value) -> float:
    return value.timestamp() if hasattr(value, "timestamp") else float(value)


def _in_time_order(votes: Iterable) -> tuple[list, bool]:
    """The votes sorted by time (stable) when every vote has one; whether they all had one."""
    votes = list(votes)
    try:
        times = [v[3] for v in votes]
        if times and hasattr(times[0], "timestamp"):
            times = [t.timestamp() for t in times]  # datetimes, as the database stores them
        times = np.array(times, dtype=np.float64)
    except (TypeError, IndexError, AttributeError):
        return votes, False
    if np.isnan(times).any():  # a None among the times
        return votes, False
    if len(times) and np.any(np.diff(times) < 0):
        votes = [votes[i] for i in np.argsort(times, kind="stable").tolist()]
    return votes, bool(len(votes))


class _Grid:
    """The vote matrix with room to grow: raw values (int8), who voted (bool), centred votes (float64)."""

    def __init__(self):
        self.n_rows = self.n_cols = 0
        self.values = np.zeros((0, 0), dtype=np.int8)
        self.voted = np.zeros((0, 0), dtype=bool)
        self.centred = np.zeros((0, 0))

    def ensure(self, n_rows: int, n_cols: int) -> None:
        cap_r, cap_c = self.values.shape
        if n_rows > cap_r or n_cols > cap_c:
            # Room for a quarter more, and growth by half again, so that one new participant per vote does not
            # copy the matrix each time.
            new_r = max(n_rows + n_rows // 4, cap_r + cap_r // 2) if n_rows > cap_r else cap_r
            new_c = max(n_cols + n_cols // 4, cap_c + cap_c // 2) if n_cols > cap_c else cap_c
            for name, dtype in (("values", np.int8), ("voted", bool), ("centred", np.float64)):
                old = getattr(self, name)
                new = np.zeros((new_r, new_c), dtype=dtype)
                new[: old.shape[0], : old.shape[1]] = old
                setattr(self, name, new)
        self.n_rows, self.n_cols = max(self.n_rows, n_rows), max(self.n_cols, n_cols)

    def view(self, name: str) -> np.ndarray:
        return getattr(self, name)[: self.n_rows, : self.n_cols]


class OpinionModel:
    """Pol.is's opinion groups, representative statements and consensus.

    Parameters
    ----------
    min_votes : int
        Votes a participant needs to be clustered (Pol.is: 7, or every statement when there are fewer).
    base_k : int
        Number of base clusters the participants are first summarised into (Pol.is: 100).
    max_groups : int
        Most opinion groups (Pol.is: 5); fewer when there are few base clusters.
    k_buffer : int
        Updates in a row a new group count must win before ``partial_fit`` switches to it (Pol.is: 4).
    pick : int
        Representative statements per group and consensus statements per side (Pol.is: 5).
    replay : bool
        When every vote has a time, decide who is in the conversation by replaying the log, as Pol.is saw it;
        and for a conversation of at most ``base_k`` participants in it and ``replay_limit`` votes, replay
        Pol.is's base clusters update by update too (:mod:`concord.analysis.opinions_history`), since the order
        they end in decides where the group k-means starts.
    random_state : int
        Seeds the only random choice (a starting vector when a principal axis is missing).
    """

    def __init__(
        self,
        min_votes: int = 7,
        base_k: int = 100,
        max_groups: int = 5,
        base_iters: int = 100,
        group_iters: int = 20,
        k_buffer: int = 4,
        pick: int = 5,
        replay: bool = True,
        replay_limit: int = 5000,
        random_state: int = 0,
    ):
        self.min_votes = min_votes
        self.base_k = base_k
        self.max_groups = max_groups
        self.base_iters = base_iters
        self.group_iters = group_iters
        self.k_buffer = k_buffer
        self.pick = pick
        self.replay = replay
        self.replay_limit = replay_limit
        self.random_state = random_state

    # -- learning --------------------------------------------------------------------------------------------

    def fit(self, votes: Iterable, moderated_out: Iterable = (), meta: Iterable = (), keep: Iterable = ()):
        """Compute everything from a full vote log.

        ``moderated_out`` and ``meta`` statements are zeroed out as Pol.is does (they keep their votes in the
        counts but move nobody and are never selected); ``keep`` lists participants to cluster whatever their
        vote count (Pol.is's history can keep such participants in; see docs/opinions.md).
        """
        self._grid = _Grid()
        self._center = np.zeros(0)
        self.__dict__.pop("_cells_cache", None)
        self.__dict__.pop("_cells_key", None)
        self._participants: list[str] = []
        self._p_index: dict[str, int] = {}
        self._statements: list[str] = []
        self._s_index: dict[str, int] = {}
        self._state: dict = {}
        votes, timed = _in_time_order(votes)
        rows, cols = self._add_votes(votes)
        self._mod_out = {str(s) for s in moderated_out} | {str(s) for s in meta}
        self._meta = {str(s) for s in meta}
        self._keep = {str(p) for p in keep}
        counts = np.count_nonzero(self._grid.view("voted"), axis=1)
        self._history = None
        if timed and self.replay:
            inside = pm.replay_in_conversation(rows, cols, counts, self.min_votes)
            if len(votes) <= self.replay_limit and inside.sum() <= self.base_k:
                inside, self._history = replay_base_clusters(
                    rows,
                    cols,
                    np.array([v[2] for v in votes], dtype=np.float64),
                    np.array([_time(v[3]) for v in votes], dtype=np.float64),
                    self._participants,
                    self._counted(),
                    self.min_votes,
                    self.base_k,
                    self.base_iters,
                )
        else:
            inside = pm.in_conversation(counts, len(self._statements), self.min_votes)
        self._in_conv = inside | self._kept()
        self._recentre(np.arange(len(self._statements)))
        centred = self._grid.view("centred")
        self._gram = centred.T @ centred
        self.comps_, self._basis = pm.pca_components(self._gram)
        self._cluster(warm=False)
        self._summarise()
        return self

    def partial_fit(self, votes: Iterable, moderated_out: Iterable | None = None, meta: Iterable | None = None):
        """Add votes (and optionally replace the moderation sets) and update from the previous state."""
        if not hasattr(self, "_grid"):
            return self.fit(votes, moderated_out or (), meta or ())
        votes, _ = _in_time_order(votes)
        n_cols_before = len(self._statements)
        rows, cols = self._add_votes(votes)
        self._update_cells(rows, cols)
        touched = set(cols.tolist()) | set(range(n_cols_before, len(self._statements)))
        if moderated_out is not None or meta is not None:
            mod_out = {str(s) for s in (moderated_out or ())} | {str(s) for s in (meta or ())}
            changed = mod_out ^ self._mod_out
            self._mod_out, self._meta = mod_out, {str(s) for s in (meta or ())}
            touched |= {self._s_index[s] for s in changed if s in self._s_index}
        touched = np.array(sorted(touched), dtype=np.int64)
        previous = np.zeros(len(self._participants), dtype=bool)
        previous[: len(self._in_conv)] = self._in_conv
        counts = np.count_nonzero(self._grid.view("voted"), axis=1)
        self._in_conv = pm.in_conversation(counts, len(self._statements), self.min_votes, previous) | self._kept()
        self._recentre(touched)
        self._update_gram(touched)
        self.comps_, self._basis = pm.pca_components(self._gram, start=self._basis)
        self._cluster(warm=True)
        self._summarise()
        return self

    def regroup(self, assignment: dict):
        """Recompute the per-group figures (votes, group-aware consensus, repness) for another grouping of the
        participants: ``assignment`` maps participant -> group label, None or absent for no group. Used to read
        the statements by stakeholder group, and by the parity evaluation to start from Pol.is's own groups."""
        labels = sorted({g for g in assignment.values() if g is not None}, key=str)
        number = {g: i for i, g in enumerate(labels)}
        pairs = [
            (self._p_index[str(p)], number[g])
            for p, g in assignment.items()
            if g is not None and str(p) in self._p_index
        ]
        pairs.sort()
        self._rows = np.array([r for r, _ in pairs], dtype=np.int64)
        self._labels = np.array([g for _, g in pairs], dtype=np.int64)
        self._group_centers = np.zeros((len(labels), 2))
        self._summarise()
        self.group_labels_ = labels
        return self

    # -- the steps -------------------------------------------------------------------------------------------

    def _add_votes(self, votes: list) -> tuple[np.ndarray, np.ndarray]:
        p_index, s_index = self._p_index, self._s_index
        # setdefault numbers each new id by arrival: the matrix keeps Pol.is's order of first appearance.
        rows = np.array([p_index.setdefault(p, len(p_index)) for p in map(str, [v[0] for v in votes])], np.int64)
        cols = np.array([s_index.setdefault(x, len(s_index)) for x in map(str, [v[1] for v in votes])], np.int64)
        values = np.array([v[2] for v in votes], np.int64)
        bad = ~np.isin(values, (AGREE, DISAGREE, PASS))
        if bad.any():
            raise ValueError(f"vote value must be 1, -1 or 0, not {votes[int(np.argmax(bad))][2]!r}")
        self._participants = list(p_index)
        self._statements = list(s_index)
        grid = self._grid
        self._version = getattr(self, "_version", 0) + 1
        grid.ensure(len(self._participants), len(self._statements))
        # Later votes overwrite earlier ones on the same cell: the latest vote wins.
        grid.values[rows, cols] = values
        grid.voted[rows, cols] = True
        return rows, cols

    def _kept(self) -> np.ndarray:
        kept = np.zeros(len(self._participants), dtype=bool)
        for p in self._keep:
            if p in self._p_index:
                kept[self._p_index[p]] = True
        return kept

    def _counted(self) -> np.ndarray:
        """Statements that count: neither moderated out nor meta."""
        return np.array([s not in self._mod_out for s in self._statements], dtype=bool)

    def _update_cells(self, rows: np.ndarray, cols: np.ndarray) -> None:
        """Keep the voted-cell list current after new votes without scanning the whole matrix: the cells are
        kept sorted by (row, column), so each new vote is found or inserted by binary search."""
        if not hasattr(self, "_cells_cache") or len(rows) == 0:
            return
        r, c, v = self._cells_cache
        keys = (r << 32) | c
        new_keys, last = np.unique(((rows << 32) | cols)[::-1], return_index=True)
        new_rows, new_cols = new_keys >> 32, new_keys & 0xFFFFFFFF
        new_values = self._grid.values[new_rows, new_cols].astype(np.float64)
        pos = np.searchsorted(keys, new_keys)
        found = pos < len(keys)
        found[found] = keys[pos[found]] == new_keys[found]
        v = v.copy()
        v[pos[found]] = new_values[found]
        if (~found).any():
            at = pos[~found]
            r = np.insert(r, at, new_rows[~found])
            c = np.insert(c, at, new_cols[~found])
            v = np.insert(v, at, new_values[~found])
        self._cells_cache = (r, c, v)
        self._cells_key = (self._grid.n_rows, self._grid.n_cols, self._version)

    def _cells(self, cols: np.ndarray | None = None):
        """Rows, columns and values of the cells someone voted on (in ``cols`` only, when given)."""
        grid = self._grid
        if cols is None:
            key = (grid.n_rows, grid.n_cols, self._version)
            if getattr(self, "_cells_key", None) != key:
                self._cells_cache, self._cells_key = self._cells(np.arange(grid.n_cols)), key
            return self._cells_cache
        if len(cols) == grid.n_cols:
            r, c = np.nonzero(grid.view("voted"))
        else:
            r, c = np.nonzero(grid.voted[: grid.n_rows, cols])
            c = cols[c]
        return r, c, grid.values[r, c].astype(np.float64)

    def _recentre(self, cols: np.ndarray) -> None:
        """Column means and centred votes for these columns; zero where nobody voted or the statement is out."""
        grid = self._grid
        if len(cols) == 0:
            return
        counted = self._counted()
        r, c, v = self._cells(cols)
        keep = counted[c]
        n = grid.n_cols
        sums = np.bincount(c[keep], weights=v[keep], minlength=n)
        totals = np.bincount(c[keep], minlength=n)
        means = np.divide(sums, totals, out=np.zeros(n), where=totals > 0)
        if len(cols) == n:
            grid.centred[: grid.n_rows, :n] = 0.0
        else:
            grid.centred[: grid.n_rows, cols] = 0.0
        grid.centred[r[keep], c[keep]] = v[keep] - means[c[keep]]
        center = np.zeros(n)
        previous = getattr(self, "_center", np.zeros(0))
        center[: len(previous)] = previous[:n]
        center[cols] = means[cols]
        self._center = center

    def _update_gram(self, cols: np.ndarray) -> None:
        n = len(self._statements)
        gram = self._gram
        if gram.shape[0] != n:
            gram = np.zeros((n, n))
            gram[: self._gram.shape[0], : self._gram.shape[0]] = self._gram
        if len(cols):
            x = self._grid.view("centred")
            block = x[:, cols].T @ x
            gram[cols, :] = block
            gram[:, cols] = block.T
        self._gram = gram

    def _cluster(self, warm: bool) -> None:
        grid = self._grid
        n_statements = len(self._statements)
        counted = self._counted()
        r, c, v = self._cells()
        keep = counted[c]
        r, c, v = r[keep], c[keep], v[keep]
        # Pol.is zeroes a moderated-out column for everyone, so it counts as a vote in everyone's row.
        n_votes = np.bincount(r, minlength=grid.n_rows) + int((~counted).sum())
        proj = pm.project(r, c, v, self._center, self.comps_, grid.n_rows, n_votes, n_statements)
        self._proj = proj
        rows = np.flatnonzero(self._in_conv)
        points = proj[rows]
        state = self._state if warm else {}
        if len(points) == 0:
            self._rows, self._labels, self._group_centers = rows, np.zeros(0, dtype=int), np.zeros((0, 2))
            return
        # Base clusters: Pol.is summarises the participants into up to base_k clusters first.
        start = None
        if warm and "base_rows" in state:
            known = np.isin(state["base_rows"], rows)
            positions = {r: i for i, r in enumerate(rows.tolist())}
            idx = np.array([positions[r] for r in state["base_rows"][known]], dtype=np.int64)
            start = pm.recenter(points[idx], state["base_labels"][known], None, len(state["base_centers"]))
            start = pm.grow_centers(points, start, self.base_k)
        elif getattr(self, "_history", None) is not None:
            # Pol.is's final update, restarted from the replayed base clusters, participants in its set order;
            # the base clusters are then taken in the order of their ids, as Pol.is sorts them.
            order = np.array(sorted(range(len(rows)), key=lambda i: clojure_hash_key(self._participants[rows[i]])))
            ids_in_order, _ = warm_kmeans(points[order], self._history[rows[order]], self.base_k, self.base_iters)
            ids = np.empty(len(rows), dtype=np.int64)
            ids[order] = ids_in_order
            _, base_labels = np.unique(ids, return_inverse=True)
            base_centers = np.stack([points[base_labels == i].mean(axis=0) for i in range(base_labels.max() + 1)])
        else:
            start = pm.first_distinct(points, self.base_k)
        if start is not None:
            base_labels, base_centers, _ = pm.kmeans(points, start, max_iters=self.base_iters)
        base_weights = np.bincount(base_labels, minlength=len(base_centers)).astype(np.float64)
        # Groups: weighted k-means of the base clusters for each k, k chosen by silhouette.
        max_k = pm.max_groups(len(base_centers), self.max_groups)
        clusterings, scores = {}, {}
        for k in range(2, max_k + 1):
            previous = state.get("groups", {}).get(k)
            if previous is not None:
                start = pm.grow_centers(base_centers, previous, k)
            else:
                start = pm.first_distinct(base_centers, k)
            labels, centers, _ = pm.kmeans(base_centers, start, base_weights, max_iters=self.group_iters)
            clusterings[k] = (labels, centers)
            scores[k] = pm.silhouette(base_centers, labels)
        if clusterings:
            # On a tie the larger k, as Clojure's max-key picks the last.
            this_k = max(sorted(scores), key=lambda k: (scores[k], k))
        else:
            # Too few base clusters to split: everyone in one group.
            this_k = 1
            clusterings[1] = (np.zeros(len(base_centers), dtype=int), base_centers.mean(axis=0, keepdims=True))
        smoother = state.get("smoother", {})
        count = smoother.get("count", 0) + 1 if smoother.get("last") == this_k else 1
        smoothed = this_k if count >= self.k_buffer or "smoothed" not in smoother else smoother["smoothed"]
        if smoothed not in clusterings:
            smoothed = this_k
        group_of_base, group_centers = clusterings[smoothed]
        self._state = {
            "base_rows": rows,
            "base_labels": base_labels,
            "base_centers": base_centers,
            "groups": {k: c for k, (_, c) in clusterings.items()},
            "smoother": {"last": this_k, "count": count, "smoothed": smoothed},
        }
        self.silhouettes_ = scores
        self.base_clusters_ = {"centers": base_centers, "weights": base_weights}
        self._rows = rows
        self._labels = group_of_base[base_labels]
        self._group_centers = group_centers

    def _summarise(self) -> None:
        statements = self._statements
        m = len(statements)
        r, c, v = self._cells()
        k = len(self._group_centers)
        # Group counts from the voted cells: one bincount per kind over (group, statement).
        group_of_row = np.full(self._grid.n_rows, -1)
        group_of_row[self._rows] = self._labels
        row_group = group_of_row[r]
        inside = row_group >= 0
        cell = row_group[inside] * m + c[inside]
        vals = v[inside]
        na = np.bincount(cell[vals == AGREE], minlength=k * m).reshape(k, m).astype(np.float64)
        nd = np.bincount(cell[vals == DISAGREE], minlength=k * m).reshape(k, m).astype(np.float64)
        ns = np.bincount(cell, minlength=k * m).reshape(k, m).astype(np.float64)
        total_a = np.bincount(c[v == AGREE], minlength=m).astype(np.float64)
        total_d = np.bincount(c[v == DISAGREE], minlength=m).astype(np.float64)
        total_s = np.bincount(c, minlength=m).astype(np.float64)
        counted = self._counted()
        self.participants_ = dict.fromkeys(self._participants)
        for row, label in zip(self._rows.tolist(), self._labels.tolist(), strict=True):
            self.participants_[self._participants[row]] = int(label)
        self.groups_ = [
            {
                "id": g,
                "size": int((self._labels == g).sum()),
                "members": [self._participants[r] for r in self._rows[self._labels == g].tolist()],
            }
            for g in range(k)
        ]
        self.projection_ = {
            p: (float(x), float(y)) for p, (x, y) in zip(self._participants, self._proj.tolist(), strict=True)
        }
        self.in_conversation_ = [self._participants[r] for r in self._rows.tolist()]
        self.statement_votes_ = {
            s: {
                g: {"agree": int(na[g, j]), "disagree": int(nd[g, j]), "pass": int(ns[g, j] - na[g, j] - nd[g, j])}
                for g in range(k)
            }
            for j, s in enumerate(statements)
        }
        # Pol.is's group-aware consensus: for each group the chance of agreeing (+1 / +2 prior), multiplied.
        gac = np.prod((na + 1.0) / (ns + 2.0), axis=0) if k else np.zeros(len(statements))
        self.group_aware_consensus_ = {s: float(gac[j]) for j, s in enumerate(statements)}
        stats = pm.group_stats(na, nd, ns)
        self.repness_ = dict(enumerate(pm.select_repness(stats, statements, counted, self.pick)))
        self.consensus_stats_ = pm.select_consensus(total_a, total_d, total_s, statements, counted, self.pick)
        self.consensus_ = {side: [r["statement"] for r in rows] for side, rows in self.consensus_stats_.items()}
        self.pca_ = {
            "center": self._center.copy(),
            "comps": self.comps_.copy(),
            "statement_projection": pm.statement_projection(self._center, self.comps_),
        }
        self.statements_ = list(statements)
        self.moderated_out_ = sorted(self._mod_out)
