"""Parity of ``OpinionModel`` with Pol.is's own mathematics, per conversation.

1. ../shared/data/polis-reddwarf-fixtures: five conversations with the full output of Pol.is's math server
   (math-pca2.json). Each is fitted from its vote log and moderation, then compared: who is in the conversation,
   the PCA axes (|cosine|, up to sign), the participants' projection (largest difference, up to sign, where each
   base cluster is one participant), the group count and membership (adjusted Rand index), representative
   statements per group (set of statement and agree/disagree; groups matched by their members), consensus
   statements, group-aware consensus (largest difference). Above 100 participants Pol.is first summarises people
   into 100 base clusters, warm-started from the previous update since the conversation began, so the base
   clusters carry history that a fit from the final votes cannot see; the ``from Pol.is base clusters`` line runs
   our group step on Pol.is's own base clusters to show where the difference comes from.
2. ../shared/data/polis-opendata: for every conversation with a participants-votes.csv, the export is read as
   ``concord analyze opinions`` reads it and the groups are compared with the file's ``group-id`` column (ARI on
   participants both place in a group) and the group count with summary.csv.

Usage: python -m eval.opinions [DATA_DIR]; skips what is absent.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from concord.analysis import opinions_math as pm
from concord.analysis.opinions import OpinionModel, Vote
from concord.analysis.opinions_polis import PolisExportError, analyse_export

FIXTURES = [
    "below-100-ptpts",
    "25ptpt-3gp-no-strict-with-meta",
    "50ptpt-3gp-strict-no-meta",
    "150ptpt-3gp-no-strict-no-meta",
    "above-100-ptpts",
]


def _get(record: dict, *keys):
    for key in keys:
        if key in record:
            return record[key]
    raise KeyError(keys[0])


def load_fixture(folder: Path) -> tuple[list[Vote], set[str], set[str], dict]:
    """Votes (with their times), moderated-out and meta statements, and Pol.is's output."""
    votes = [
        Vote(
            str(_get(v, "participant_id", "pid")),
            str(_get(v, "statement_id", "tid")),
            int(v["vote"]),
            float(v["modified"]),
        )
        for v in json.loads((folder / "votes.json").read_text())
    ]
    comments = json.loads((folder / "comments.json").read_text())
    # Pol.is zeroes out a statement moderated out (-1) or marked meta; strict moderation only hides unmoderated
    # statements from voters, so it changes which votes exist, not the mathematics.
    mod_out = {str(_get(c, "statement_id", "tid")) for c in comments if _get(c, "moderated", "mod") == -1}
    meta = {str(_get(c, "statement_id", "tid")) for c in comments if c.get("is_meta")}
    return votes, mod_out, meta, json.loads((folder / "math-pca2.json").read_text())


def polis_groups(math: dict) -> dict[str, int]:
    base = math["base-clusters"]
    members = dict(zip(base["id"], base["members"], strict=True))
    return {str(p): g["id"] for g in math["group-clusters"] for b in g["members"] for p in members[b]}


def _match_groups(ours: dict[int, list[str]], theirs: dict[str, int]) -> dict[int, int | None]:
    """Our group -> the Pol.is group holding most of its members."""
    out = {}
    for g, members in ours.items():
        counts = Counter(theirs[p] for p in members if p in theirs)
        out[g] = counts.most_common(1)[0][0] if counts else None
    return out


def _repness_equal(model: OpinionModel, math: dict, mapping: dict) -> tuple[int, int]:
    same = 0
    for g, reps in model.repness_.items():
        expected = {(str(r["tid"]), r["repful-for"]) for r in math["repness"].get(str(mapping.get(g)), [])}
        same += expected == {(r["statement"], r["repful"]) for r in reps}
    return same, len(math["repness"])


def _figures(model: OpinionModel, math: dict, theirs: dict[str, int]) -> dict:
    ours = {p: g for p, g in model.participants_.items() if g is not None}
    both = sorted(set(ours) & set(theirs))
    mapping = _match_groups({g["id"]: g["members"] for g in model.groups_}, theirs)
    rep_same, rep_total = _repness_equal(model, math, mapping)
    consensus = all(
        [str(r["tid"]) for r in math["consensus"][side]] == model.consensus_[side] for side in ("agree", "disagree")
    )
    gac = math["group-aware-consensus"]
    gac_diff = max(abs(v - model.group_aware_consensus_.get(t, 0.0)) for t, v in gac.items())
    return {
        "k": f"{len(model.groups_)}/{len(math['group-clusters'])}",
        "ari": adjusted_rand_score([theirs[p] for p in both], [ours[p] for p in both]) if both else float("nan"),
        "repness": f"{rep_same}/{rep_total}",
        "consensus": "same" if consensus else "differs",
        "gac": gac_diff,
    }


def fixture_row(folder: Path) -> str:
    votes, mod_out, meta, math = load_fixture(folder)
    started = time.perf_counter()
    model = OpinionModel().fit(votes, moderated_out=mod_out, meta=meta)
    elapsed = time.perf_counter() - started
    theirs = polis_groups(math)
    in_conv = set(model.in_conversation_)
    expected_in = {str(p) for p in math["in-conv"]}
    tids = [str(t) for t in math["tids"]]
    index = {s: j for j, s in enumerate(model.statements_)}
    comps = np.array(math["pca"]["comps"])
    mine = model.pca_["comps"][:, [index[t] for t in tids]]
    cosines = [abs(comps[i] @ mine[i]) / (np.linalg.norm(comps[i]) * np.linalg.norm(mine[i])) for i in range(2)]
    projection = "-"
    base = math["base-clusters"]
    if all(len(m) == 1 for m in base["members"]):
        expected = np.array([base["x"], base["y"]]).T
        got = np.array([model.projection_[str(m[0])] for m in base["members"]])
        projection = f"{min(np.abs(expected - got).max(), np.abs(expected + got).max()):.1e}"
    f = _figures(model, math, theirs)
    line = (
        f"{folder.name:32} n={math['n']:4} in-conv {len(in_conv)}/{len(expected_in)} "
        f"(diff {len(in_conv ^ expected_in)}) | PCA |cos| {cosines[0]:.4f} {cosines[1]:.4f} proj {projection} | "
        f"k {f['k']} ARI {f['ari']:.3f} | repness {f['repness']} consensus {f['consensus']} "
        f"| GAC max diff {f['gac']:.1e} | {elapsed:.2f} s"
    )
    if len(in_conv ^ expected_in):
        # Who Pol.is kept in under the rules it ran earlier (see docs/opinions.md), forced in with ``keep``.
        kept = OpinionModel().fit(votes, moderated_out=mod_out, meta=meta, keep=expected_in)
        f = _figures(kept, math, theirs)
        line += (
            f"\n{'':32}   with Pol.is's in-conv kept: k {f['k']} ARI {f['ari']:.3f} | repness {f['repness']} "
            f"consensus {f['consensus']} | GAC max diff {f['gac']:.1e}"
        )
    if f["ari"] < 1.0:
        line += "\n" + from_polis_base_clusters(model, math, theirs)
    return line


def from_polis_base_clusters(model: OpinionModel, math: dict, theirs: dict[str, int]) -> str:
    """Our group step (k-means per k, silhouette) on Pol.is's own base clusters, in Pol.is's order."""
    base = math["base-clusters"]
    centers = np.array([base["x"], base["y"]]).T
    weights = np.array(base["count"], dtype=float)
    scores, clusterings = {}, {}
    for k in range(2, pm.max_groups(len(centers)) + 1):
        labels, _, _ = pm.kmeans(centers, pm.first_distinct(centers, k), weights)
        clusterings[k], scores[k] = labels, pm.silhouette(centers, labels)
    k = max(sorted(scores), key=lambda k: (scores[k], k))
    assignment = {str(p): int(clusterings[k][i]) for i, members in enumerate(base["members"]) for p in members}
    model.regroup(assignment)
    f = _figures(model, math, theirs)
    return (
        f"{'':32}   from Pol.is base clusters: k {f['k']} ARI {f['ari']:.3f} | repness {f['repness']} "
        f"consensus {f['consensus']} | GAC max diff {f['gac']:.1e}"
    )


def opendata_row(folder: Path) -> str | None:
    if not (folder / "participants-votes.csv").is_file():
        return None
    started = time.perf_counter()
    try:
        model, export = analyse_export(str(folder))
    except PolisExportError as exc:
        return f"{folder.name:46} unreadable: {exc}"
    elapsed = time.perf_counter() - started
    theirs = {p: g for p, g in export.polis_groups.items() if g is not None}
    ours = {p: g for p, g in model.participants_.items() if g is not None}
    both = sorted(set(ours) & set(theirs))
    ari = adjusted_rand_score([theirs[p] for p in both], [ours[p] for p in both]) if both else float("nan")
    source = "votes.csv" if (folder / "votes.csv").is_file() else "matrix"
    return (
        f"{folder.name:46} {source:9} grouped {len(ours):5}/{len(theirs):5} (both {len(both):5}) "
        f"groups {len(model.groups_)}/{export.summary.get('groups', '?')} ARI {ari:.3f} | {elapsed:.1f} s"
    )


def main(argv: list[str]) -> None:
    data = Path(argv[0] if argv else "../shared/data")
    fixtures = data / "polis-reddwarf-fixtures"
    if fixtures.is_dir():
        print("== opinions, red-dwarf fixtures (ours/Pol.is; PCA and projection up to sign; repness groups equal)")
        for name in FIXTURES:
            if (fixtures / name / "math-pca2.json").is_file():
                print(fixture_row(fixtures / name))
    else:
        print(f"-- skipped opinion parity on fixtures: {fixtures} is absent")
    opendata = data / "polis-opendata"
    if opendata.is_dir():
        print("== opinions, Pol.is open data (participants grouped ours/Pol.is, groups ours/summary.csv, ARI)")
        for folder in sorted(p for p in opendata.iterdir() if p.is_dir()):
            row = opendata_row(folder)
            if row:
                print(row)
    else:
        print(f"-- skipped opinion parity on open data: {opendata} is absent")


if __name__ == "__main__":
    main(sys.argv[1:])
