"""The steps of Pol.is's mathematics (polismath), as plain numpy functions on arrays.

:class:`concord.analysis.opinions.OpinionModel` strings these together; each one follows the Clojure code of
compdemocracy/polis (``math/src/polismath/math/*.clj``), read and rewritten here, never copied. Where Pol.is does
something surprising, the comment says so, because parity with its output depends on it.

Votes use the export convention: agree = 1, disagree = -1, pass = 0. Pol.is's own database stores agree as -1;
that flips the sign of the centre and of the projections, never the groups or the statistics.
"""

from __future__ import annotations

import numpy as np

#: One-sided z for 90 % confidence, the threshold of every Pol.is test (``z-sig-90?``).
Z_90 = 1.2816
#: Pol.is puts the most active participants in the conversation until it holds this many (``greedy-n``).
GREEDY_N = 15


# -- who is in the conversation -------------------------------------------------------------------------------


def in_conversation(counts: np.ndarray, n_statements: int, min_votes: int, previous: np.ndarray | None = None):
    """Participants Pol.is clusters: those with ``min(min_votes, n_statements)`` votes or more, once in always in,
    topped up with the most active participants while fewer than fifteen are in (``:in-conv``)."""
    inside = np.zeros(len(counts), dtype=bool) if previous is None else previous.copy()
    inside[: len(counts)] |= counts >= min(min_votes, n_statements)
    missing = GREEDY_N - int(inside.sum())
    if missing > 0:
        outside = np.flatnonzero(~inside & (counts > 0))
        # Most votes first; a stable sort keeps the order of arrival between equal counts.
        order = outside[np.argsort(-counts[outside], kind="stable")]
        inside[order[:missing]] = True
    return inside


def replay_in_conversation(rows: np.ndarray, cols: np.ndarray, final_counts: np.ndarray, min_votes: int) -> np.ndarray:
    """Who Pol.is has in the conversation after seeing these votes one at a time (rows, cols in time order).

    Pol.is updates after each batch of votes and never takes anyone out, so a participant who was among the
    fifteen most active early on, or who had voted on every statement that existed then, stays in with a single
    vote. Replaying the log reproduces those participants; computing from the final counts alone would drop them.
    """
    n_rows = len(final_counts)
    counts = np.zeros(n_rows, dtype=np.int64)
    seen_cells: set[tuple[int, int]] = set()
    seen_cols: set[int] = set()
    inside = np.zeros(n_rows, dtype=bool)
    n_inside = 0
    # Only the start of the conversation needs the replay: once fifteen are in and there are min_votes
    # statements, the threshold is min_votes for good and counts only grow, so the final counts tell the rest.
    step = 4096
    for start in range(0, len(rows), step):
        for r, c in zip(rows[start : start + step].tolist(), cols[start : start + step].tolist(), strict=True):
            if n_inside >= GREEDY_N and len(seen_cols) >= min_votes:
                return inside | (final_counts >= min_votes)
            seen_cols.add(c)
            if (r, c) not in seen_cells:
                seen_cells.add((r, c))
                counts[r] += 1
            if not inside[r] and counts[r] >= min(min_votes, len(seen_cols)):
                inside[r] = True
                n_inside += 1
            if n_inside < GREEDY_N:
                inside = in_conversation(counts, len(seen_cols), min_votes, inside)
                n_inside = int(inside.sum())
    return inside


# -- PCA and projection ---------------------------------------------------------------------------------------


def column_means(values: np.ndarray, voted: np.ndarray) -> np.ndarray:
    """Mean vote of each statement over those who voted on it; 0 for a statement nobody voted on."""
    counts = voted.sum(axis=0)
    sums = np.where(voted, values, 0).sum(axis=0, dtype=np.float64)
    return np.divide(sums, counts, out=np.zeros(values.shape[1]), where=counts > 0)


def pca_components(gram: np.ndarray, n_components: int = 2, start: np.ndarray | None = None):
    """The leading eigenvectors of the centred matrix's Gram matrix (rows are components), and a basis of the
    leading subspace to restart from after new votes.

    Pol.is fills each missing vote with its statement's mean, centres, and runs power iteration; the filled and
    centred matrix is exactly the centred votes with zeros where nobody voted, so its principal axes are the top
    eigenvectors of ``X.T @ X``. Small matrices get an exact eigendecomposition; large ones a block subspace
    iteration (oversampled, so it converges in a few dozen products) restarted from ``start`` when given, as
    Pol.is restarts its power iteration from the last PCA. The sign is the one Pol.is's all-positive starting
    vector converges to.
    """
    n = gram.shape[0]
    comps = np.zeros((n_components, n))
    if n == 0:
        return comps, np.zeros((0, 0))
    if n <= SMALL_PCA:
        eigenvalues, eigenvectors = np.linalg.eigh(gram)
        order = np.argsort(eigenvalues)[::-1]
        basis = eigenvectors[:, order[: n_components + OVERSAMPLE]]
        eigenvalues = eigenvalues[order]
    else:
        basis, eigenvalues = _subspace_iteration(gram, n_components, start)
    top = max(eigenvalues[0], 1.0) if len(eigenvalues) else 1.0
    for i in range(min(n_components, basis.shape[1])):
        if eigenvalues[i] <= 1e-12 * top:
            break
        comps[i] = orient(basis[:, i])
    return comps, basis


SMALL_PCA = 400
OVERSAMPLE = 8


def _subspace_iteration(gram: np.ndarray, n_components: int, start: np.ndarray | None, tol: float = 1e-9):
    """Block power iteration with Rayleigh-Ritz, one product with the Gram matrix per step, until the leading
    Ritz pairs' residual ``|G v - lambda v| / lambda_1`` is below ``tol``."""
    n = gram.shape[0]
    width = min(n, n_components + OVERSAMPLE)
    basis = np.random.default_rng(0).standard_normal((n, width))
    if start is not None and start.size:
        m, w = min(n, start.shape[0]), min(width, start.shape[1])
        basis[:m, :w] = start[:m, :w]
        basis[m:, :w] = 0.0
    basis = _orthonormal(basis)
    eigenvalues = np.zeros(width)
    for _ in range(1000):
        product = gram @ basis
        eigenvalues, rotation = np.linalg.eigh(basis.T @ product)
        order = np.argsort(eigenvalues)[::-1]
        eigenvalues, rotation = eigenvalues[order], rotation[:, order]
        basis, product = basis @ rotation, product @ rotation
        lead = slice(0, n_components)
        residual = np.abs(product[:, lead] - basis[:, lead] * eigenvalues[lead]).max()
        if residual <= tol * max(eigenvalues[0], 1e-300):
            break
        basis = _orthonormal(product)
    return basis, eigenvalues


def _orthonormal(block: np.ndarray) -> np.ndarray:
    """An orthonormal basis of a tall, thin block by Cholesky QR done twice (CholQR2): two small products
    instead of LAPACK's Householder QR, which costs far more on a 1,000 x 10 block; Householder when the block
    is too close to rank-deficient for Cholesky."""
    q = block
    try:
        for _ in range(2):
            chol = np.linalg.cholesky(q.T @ q)
            q = np.linalg.solve(chol, q.T).T
    except np.linalg.LinAlgError:
        q, _ = np.linalg.qr(block)
    return q


def orient(vector: np.ndarray) -> np.ndarray:
    total = vector.sum()
    return -vector if total < 0 or (total == 0 and vector[np.flatnonzero(vector)[:1]].sum() < 0) else vector


def project(rows, cols, values, center, comps, n_rows: int, n_votes: np.ndarray, n_statements: int) -> np.ndarray:
    """Pol.is's sparsity-aware projection of the voted cells (rows, cols, values, counted statements only): each
    participant's centred votes on the axes, pushed out from the centre by ``sqrt(n_statements / n_votes)`` so
    that someone who voted on few statements is not drawn to the middle just for lack of votes."""
    centred = values - center[cols]
    raw = np.stack([np.bincount(rows, weights=centred * comp[cols], minlength=n_rows) for comp in comps[:2]], axis=1)
    scale = np.sqrt(n_statements / np.maximum(n_votes, 1))
    return raw * scale[:, None]


def statement_projection(center: np.ndarray, comps: np.ndarray) -> np.ndarray:
    """Where a lone agree on each statement would project (Pol.is's ``comment-projection``), shape (n, 2)."""
    n = len(center)
    return ((1.0 - center) * np.sqrt(n))[:, None] * comps.T


# -- k-means as Pol.is runs it --------------------------------------------------------------------------------


def first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """Pol.is's ``init-clusters``: the first k distinct points, in order."""
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def _same_clustering(old: np.ndarray, new: np.ndarray, threshold: float = 0.01) -> bool:
    a = old[np.lexsort(old.T[::-1])]
    b = new[np.lexsort(new.T[::-1])]
    m = min(len(a), len(b))
    return bool(np.all(np.linalg.norm(a[:m] - b[:m], axis=1) < threshold))


def assign(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the closest centre; on a tie the later centre, as Clojure's ``min-key`` picks."""
    if len(points) * len(centers) <= 100_000:
        d = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        return len(centers) - 1 - np.argmin(d[:, ::-1], axis=1)
    # Many points: the same distances, one coordinate at a time, without the (points x centres x 2)
    # intermediate; the first of tied centres wins here, which only matters for exactly equal centres.
    d = np.zeros((len(points), len(centers)))
    for i in range(points.shape[1]):
        d += np.subtract.outer(points[:, i], centers[:, i]) ** 2
    return np.argmin(d, axis=1)


def _weighted_sums(points: np.ndarray, labels: np.ndarray, w: np.ndarray, k: int):
    sums = np.stack([np.bincount(labels, weights=points[:, i] * w, minlength=k) for i in range(points.shape[1])], 1)
    return sums, np.bincount(labels, weights=w, minlength=k)


def kmeans(points: np.ndarray, centers: np.ndarray, weights: np.ndarray | None = None, max_iters: int = 20):
    """Lloyd's k-means with Pol.is's rules: clusters left empty are dropped, not reseeded; it stops when every
    centre moved less than 0.01 or after ``max_iters + 1`` steps. Returns (labels, centers, kept): the members
    are those of the last step, and ``kept`` gives, for each returned cluster, its index among the starting
    centres."""
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    kept = np.arange(len(centers))
    for iteration in range(max_iters, -1, -1):
        labels = assign(points, centers)
        sums, totals = _weighted_sums(points, labels, w, len(centers))
        used = np.flatnonzero(totals > 0)
        new = sums[used] / totals[used, None]
        renumber = np.full(len(centers), -1)
        renumber[used] = np.arange(len(used))
        labels, kept = renumber[labels], kept[used]
        done = iteration == 0 or _same_clustering(centers, new)
        centers = new
        if done:
            break
    return labels, centers, kept


def recenter(points: np.ndarray, labels: np.ndarray, weights: np.ndarray | None, k: int) -> np.ndarray:
    """Centres of the previous clusters on the points' new positions (empty ones dropped)."""
    w = np.ones(len(points)) if weights is None else weights
    sums, totals = _weighted_sums(points, labels, w, k)
    return sums[totals > 0] / totals[totals > 0, None]


def grow_centers(points: np.ndarray, centers: np.ndarray, k: int) -> np.ndarray:
    """Pol.is's ``clean-start-clusters``: while there are fewer centres than k (and distinct points to spare),
    split off the point farthest from every centre as a new cluster."""
    possible = min(k, len(np.unique(points, axis=0)))
    centers = np.unique(centers, axis=0) if len(centers) else centers
    while len(centers) < possible:
        if len(centers) == 0:
            centers = points[:1].copy()
            continue
        d = np.sqrt(((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        far = int(np.argmax(d))
        if d[far] <= 0:
            break
        centers = np.vstack([centers, points[far]])
    return centers


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette over the points (unweighted, as Pol.is scores base clusters); 0 for a singleton."""
    d = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    clusters = np.unique(labels)
    if len(clusters) < 2:
        return 0.0
    scores = np.zeros(len(points))
    for i in range(len(points)):
        own = labels == labels[i]
        if own.sum() == 1:
            continue
        a = d[i, own].sum() / (own.sum() - 1)
        b = min(d[i, labels == c].mean() for c in clusters if c != labels[i])
        top = max(a, b)
        scores[i] = (b - a) / top if top > 0 else 0.0
    return float(scores.mean())


def max_groups(n_base: int, limit: int = 5) -> int:
    """Pol.is's ``max-k-fn``: at most ``limit`` groups, and two more than one per twelve base clusters."""
    return min(limit, 2 + n_base // 12)


# -- representative statements and consensus --------------------------------------------------------------------


def prop_test(success: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Pol.is's one-proportion z against one half, with a +1 pseudocount on both counts."""
    s, t = success + 1.0, n + 1.0
    return 2.0 * np.sqrt(t) * (s / t - 0.5)


def two_prop_test(succ_in, succ_out, pop_in, pop_out):
    """Pol.is's two-proportion z (in the group against the rest), +1 on every count; 0 when all succeed."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, pop_in + 1.0, pop_out + 1.0
    pi1, pi2 = s1 / n1, s2 / n2
    pi_hat = (s1 + s2) / (n1 + n2)
    denominator = np.sqrt(pi_hat * (1 - pi_hat) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (pi1 - pi2) / denominator
    return np.where(pi_hat == 1, 0.0, z)


def group_stats(na: np.ndarray, nd: np.ndarray, ns: np.ndarray) -> dict[str, np.ndarray]:
    """Per group and statement (arrays of shape (groups, statements)): Pol.is's ``comment-stats`` then the
    comparison with the other groups (``add-comparitive-stats``)."""
    rest_a, rest_d, rest_s = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (na + 1.0) / (ns + 2.0), (nd + 1.0) / (ns + 2.0)
    return {
        "na": na,
        "nd": nd,
        "ns": ns,
        "pa": pa,
        "pd": pd,
        "pat": prop_test(na, ns),
        "pdt": prop_test(nd, ns),
        "ra": pa / ((rest_a + 1.0) / (rest_s + 2.0)),
        "rd": pd / ((rest_d + 1.0) / (rest_s + 2.0)),
        "rat": two_prop_test(na, rest_a, ns, rest_s),
        "rdt": two_prop_test(nd, rest_d, ns, rest_s),
    }


def _finalize(statement, s: dict) -> dict:
    agree = s["rat"] > s["rdt"]
    n_success, p_success, p_test, rep, rep_test = (
        (s["na"], s["pa"], s["pat"], s["ra"], s["rat"]) if agree else (s["nd"], s["pd"], s["pdt"], s["rd"], s["rdt"])
    )
    return {
        "statement": statement,
        "repful": "agree" if agree else "disagree",
        "n_success": int(n_success),
        "n_trials": int(s["ns"]),
        "p_success": float(p_success),
        "p_test": float(p_test),
        "repness": float(rep),
        # Pol.is rounds the test to a 32-bit float here, and compares and sorts on the rounded value.
        "repness_test": float(np.float32(rep_test)),
    }


def _metric(r: dict) -> float:
    return r["repness"] * r["repness_test"] * r["p_success"] * r["p_test"]


def _beats_best_agree(s: dict, best: dict | None) -> bool:
    if s["na"] == 0 and s["nd"] == 0:
        return False
    if best is not None and best["ra"] > 1.0:
        return s["ra"] * s["rat"] * s["pa"] * s["pat"] > best["ra"] * best["rat"] * best["pa"] * best["pat"]
    if best is not None:
        return s["pa"] * s["pat"] > best["pa"] * best["pat"]
    return s["pat"] > Z_90 or (s["ra"] > 1.0 and s["pa"] > 0.5)


def select_repness(stats: dict[str, np.ndarray], statements: list, counted: np.ndarray, pick: int = 5) -> list:
    """Pol.is's ``select-rep-comments`` for every group: statements whose agree (or disagree) is significant both
    in the group and against the rest, best first; the group's best agreed statement always leads; at least one
    statement per group even when none passes. Returns one list per group (row of ``stats``)."""
    n_groups = stats["na"].shape[0]
    keys = list(stats)
    passing = ((stats["rat"] > Z_90) & (stats["pat"] > Z_90)) | ((stats["rdt"] > Z_90) & (stats["pdt"] > Z_90))
    columns = np.flatnonzero(counted).tolist()
    result = []
    for g in range(n_groups):
        # Plain lists: the walk below is sequential (each choice depends on the best so far), so it runs in
        # Python, and list lookups are much cheaper there than numpy scalars.
        lists = {key: stats[key][g].tolist() for key in keys}
        passes = passing[g].tolist()

        def at(j, lists=lists):
            return {key: lists[key][j] for key in keys}

        sufficient, best, best_agree = [], None, None
        rat, rdt = lists["rat"], lists["rdt"]
        for j in columns:
            if passes[j]:
                sufficient.append(_finalize(statements[j], at(j)))
            elif not sufficient and (best is None or max(rat[j], rdt[j]) > best["repness_test"]):
                best = _finalize(statements[j], at(j))
            if lists["na"][j] == 0 and lists["nd"][j] == 0:
                continue
            s = at(j)
            if _beats_best_agree(s, best_agree):
                best_agree = dict(s, statement=statements[j])
        head = []
        if best_agree is not None:
            final = _finalize(best_agree["statement"], best_agree)
            head = [dict(final, n_agree=int(best_agree["na"]), best_agree=True)]
        elif best is not None:
            head = [best]
        if not sufficient:
            result.append(head)
            continue
        rest = [r for r in sufficient if best_agree is None or r["statement"] != best_agree["statement"]]
        rest.sort(key=lambda r: -_metric(r))
        chosen = (head if best_agree is not None else []) + rest
        chosen = chosen[:pick]
        result.append([r for r in chosen if r["repful"] == "agree"] + [r for r in chosen if r["repful"] == "disagree"])
    return result


def select_consensus(na, nd, ns, statements: list, counted: np.ndarray, pick: int = 5) -> dict[str, list]:
    """Pol.is's ``select-consensus-comments`` over every participant: statements more likely agreed (disagreed)
    than not at 90 %, the five with the highest ``p * z``."""
    out = {}
    for side, n in (("agree", na), ("disagree", nd)):
        p = (n + 1.0) / (ns + 2.0)
        z = prop_test(n, ns)
        chosen = np.flatnonzero(counted & (p > 0.5) & (z > Z_90))
        chosen = chosen[np.argsort(-(p * z)[chosen], kind="stable")][:pick]
        out[side] = [
            {
                "statement": statements[j],
                "n_success": int(n[j]),
                "n_trials": int(ns[j]),
                "p_success": float(p[j]),
                "p_test": float(z[j]),
            }
            for j in chosen
        ]
    return out
