"""Pol.is's mathematics in ``OpinionModel`` on small hand-made conversations, and ``concord analyze opinions``."""

import csv
import json
import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from sklearn.metrics import adjusted_rand_score

from concord.analysis import opinions_math as pm
from concord.analysis.opinions import OpinionModel, Vote
from concord.analysis.opinions_history import clojure_hash_key, warm_kmeans

AGREE_SIDE = [f"s{i}" for i in range(1, 6)]
DISAGREE_SIDE = [f"s{i}" for i in range(6, 11)]


def two_blocs(n_per_bloc=10, undecided=0, shared="s11"):
    """Bloc A agrees with s1-s5 and disagrees with s6-s10; bloc B the reverse; everyone agrees with ``shared``.
    One vote in each participant's row is passed so that no two rows are identical (a second one from the eleventh
    participant of a bloc on, up to twenty)."""
    votes, truth = [], {}
    for bloc, sign in (("a", 1), ("b", -1)):
        for i in range(n_per_bloc):
            p = f"{bloc}{i}"
            truth[p] = bloc
            for j, s in enumerate(AGREE_SIDE + DISAGREE_SIDE):
                value = sign if j < 5 else -sign
                if j == i % 10 or (i >= 10 and j == (i + 3) % 10):
                    value = 0
                votes.append(Vote(p, s, value))
            votes.append(Vote(p, shared, 1))
    for i in range(undecided):
        votes += [Vote(f"u{i}", "s1", 1), Vote(f"u{i}", "s6", -1)]
    return votes, truth


def test_it_finds_the_two_blocs_and_leaves_out_those_with_too_few_votes():
    votes, truth = two_blocs(undecided=2)
    model = OpinionModel().fit(votes)
    grouped = {p: g for p, g in model.participants_.items() if g is not None}
    assert set(grouped) == set(truth)
    assert model.participants_["u0"] is None and model.participants_["u1"] is None
    assert len(model.groups_) == 2
    assert adjusted_rand_score([truth[p] for p in grouped], [grouped[p] for p in grouped]) == 1.0
    assert sorted(g["size"] for g in model.groups_) == [10, 10]
    assert {p for g in model.groups_ for p in g["members"]} == set(truth)
    # The two blocs sit on either side of the first axis.
    xs = {bloc: [model.projection_[p][0] for p in truth if truth[p] == bloc] for bloc in "ab"}
    assert max(xs["a"]) < min(xs["b"]) or max(xs["b"]) < min(xs["a"])


def test_each_blocs_representative_statements_are_its_own_side():
    votes, truth = two_blocs()
    model = OpinionModel().fit(votes)
    group_a = model.participants_["a0"]
    reps = model.repness_[group_a]
    assert reps and len(reps) <= 5
    for r in reps:
        expected = "agree" if r["statement"] in AGREE_SIDE else "disagree"
        assert r["statement"] in AGREE_SIDE + DISAGREE_SIDE
        assert r["repful"] == expected
        assert r["p_test"] > pm.Z_90 and r["repness_test"] > pm.Z_90
    # Pol.is lists agreed statements before disagreed ones.
    sides = [r["repful"] for r in reps]
    assert sides == sorted(sides)


def test_the_shared_statement_is_the_consensus():
    votes, _ = two_blocs()
    model = OpinionModel().fit(votes)
    assert model.consensus_["agree"][0] == "s11"
    assert not set(model.consensus_["agree"]) & set(AGREE_SIDE + DISAGREE_SIDE)


def test_group_aware_consensus_is_the_product_over_groups_of_agrees_plus_one_over_votes_plus_two():
    votes, _ = two_blocs()
    model = OpinionModel().fit(votes)
    for statement in ("s1", "s6", "s11"):
        expected = 1.0
        for counts in model.statement_votes_[statement].values():
            total = counts["agree"] + counts["disagree"] + counts["pass"]
            expected *= (counts["agree"] + 1) / (total + 2)
        assert model.group_aware_consensus_[statement] == pytest.approx(expected)
    # Everyone agrees with s11: (10 + 1) / (10 + 2) in each group.
    assert model.group_aware_consensus_["s11"] == pytest.approx((11 / 12) ** 2)


def test_a_moderated_out_statement_keeps_its_counts_but_is_never_selected():
    votes, _ = two_blocs()
    model = OpinionModel().fit(votes, moderated_out={"s11"}, meta={"s1"})
    assert "s11" not in model.consensus_["agree"]
    assert all(r["statement"] not in {"s1", "s11"} for reps in model.repness_.values() for r in reps)
    assert sum(c["agree"] for c in model.statement_votes_["s11"].values()) == 20
    assert len(model.groups_) == 2


def test_the_latest_vote_wins_and_the_log_is_taken_in_time_order():
    votes = [Vote("p", "s", 1, 2.0), Vote("p", "s", -1, 1.0), Vote("q", "s", 0, 1.5)]
    model = OpinionModel().fit(votes)
    assert model.statement_votes_["s"]  # everyone is in with so few participants
    counts = {k: sum(c[k] for c in model.statement_votes_["s"].values()) for k in ("agree", "disagree", "pass")}
    assert counts == {"agree": 1, "disagree": 0, "pass": 1}
    start = datetime(2026, 12, 7, tzinfo=UTC)
    stored = [Vote("p", "s", 1, start + timedelta(seconds=2)), Vote("p", "s", -1, start)]
    assert OpinionModel().fit(stored).statement_votes_["s"][0] == {"agree": 1, "disagree": 0, "pass": 0}


def test_an_early_participant_with_one_vote_stays_in_as_pol_is_keeps_them():
    # Before fifteen people are in, Pol.is fills up with the most active ones, and never takes them out again.
    votes = [Vote("early", "s1", 1, 0.0)]
    t = 1.0
    for p in range(20):
        for s in range(8):
            votes.append(Vote(f"p{p}", f"s{s}", 1 if (p + s) % 3 else -1, t))
            t += 1
    replayed = OpinionModel().fit(votes)
    assert replayed.participants_["early"] is not None
    final_counts_only = OpinionModel(replay=False).fit(votes)
    assert final_counts_only.participants_["early"] is None


def test_partial_fit_adds_votes_like_a_fit_on_the_whole_log():
    votes, truth = two_blocs()
    # k_buffer=1: take the best group count at once (Pol.is waits for it to win four updates in a row).
    model = OpinionModel(k_buffer=1).fit(votes[:-5])
    model.partial_fit(votes[-5:] + [Vote("a0", "s12", 1), Vote("newcomer", "s12", -1)])
    full = OpinionModel(k_buffer=1).fit(votes + [Vote("a0", "s12", 1), Vote("newcomer", "s12", -1)])
    assert model.statement_votes_.keys() == full.statement_votes_.keys()
    assert model.group_aware_consensus_ == pytest.approx(full.group_aware_consensus_)
    grouped = list(truth)
    assert adjusted_rand_score(
        [model.participants_[p] for p in grouped], [full.participants_[p] for p in grouped]
    ) == pytest.approx(1.0)
    np.testing.assert_allclose(np.abs(model.pca_["comps"]), np.abs(full.pca_["comps"]), atol=1e-6)


def test_a_new_group_count_must_win_four_updates_in_a_row_before_it_is_taken():
    # Thirty distinct voters: enough base clusters that two and three groups stay on offer at every update. Which of
    # the two the silhouettes prefer on these blocs turns on floating-point detail (which vectors LAPACK returns,
    # which changed with numpy's OpenBLAS builds), so the test takes whichever they prefer as the newcomer and the
    # other as the settled count: the smoothing is what it checks.
    votes, _ = two_blocs(n_per_bloc=15)
    model = OpinionModel().fit(votes)
    assert {2, 3} <= set(model.silhouettes_)
    best = model._state["smoother"]["last"]
    assert best in (2, 3) and len(model.groups_) == best
    settled = 5 - best
    # As if the last update had settled on the other count.
    model._state["smoother"] = {"last": settled, "count": 4, "smoothed": settled}
    model.partial_fit([])
    assert model._state["smoother"] == {"last": best, "count": 1, "smoothed": settled}
    assert len(model.groups_) == settled
    for count in (2, 3):
        model.partial_fit([])
        assert model._state["smoother"] == {"last": best, "count": count, "smoothed": settled}
    model.partial_fit([])
    assert model._state["smoother"] == {"last": best, "count": 4, "smoothed": best}
    assert len(model.groups_) == best


def test_no_votes_give_no_groups_and_one_group_needs_two_distinct_voters():
    empty = OpinionModel().fit([])
    assert (empty.participants_, empty.groups_, empty.consensus_) == ({}, [], {"agree": [], "disagree": []})
    same = OpinionModel().fit([Vote(f"p{i}", f"s{j}", 1) for i in range(20) for j in range(8)])
    # Identical voters are one point on the map, so one base cluster and one group.
    assert [g["size"] for g in same.groups_] == [20]


def test_regroup_gives_the_figures_for_another_grouping_such_as_stakeholder_groups():
    votes, truth = two_blocs(undecided=1)
    model = OpinionModel().fit(votes).regroup({**truth, "u0": None})
    assert model.group_labels_ == ["a", "b"]
    a = model.group_labels_.index("a")
    assert model.statement_votes_["s1"][a] == {"agree": 9, "disagree": 0, "pass": 1}
    assert model.participants_["u0"] is None and model.participants_["a3"] == a
    assert {r["statement"] for r in model.repness_[a]} <= set(AGREE_SIDE + DISAGREE_SIDE)


def test_participants_are_taken_in_the_order_of_pol_is_s_clojure_set():
    # The in-conv list of a Pol.is math output (red-dwarf's below-100-ptpts fixture), as Pol.is iterated it.
    polis_order = [0, 7, 20, 27, 1, 4, 15, 21, 33, 13, 22, 6, 3, 12, 2, 23, 19, 11, 9, 5, 14, 10, 8]
    assert sorted((str(p) for p in sorted(polis_order)), key=clojure_hash_key) == [str(p) for p in polis_order]


def test_warm_k_means_keeps_cluster_ids_and_gives_a_new_point_the_next_id():
    points = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0]])
    labels, ids = warm_kmeans(points[:2], np.array([-1, -1]), k=100)
    assert labels.tolist() == [0, 1] and ids.tolist() == [0, 1]
    # The two known points swap their previous ids' places; the newcomer far away starts cluster 2.
    labels, ids = warm_kmeans(points, np.array([1, 0, -1]), k=100)
    assert labels.tolist() == [1, 0, 2] and ids.tolist() == [0, 1, 2]


def test_a_small_timed_conversation_replays_pol_is_s_base_clusters():
    votes, truth = two_blocs()
    timed = [Vote(v.participant, v.statement, v.value, float(t)) for t, v in enumerate(votes)]
    model = OpinionModel().fit(timed)
    assert model._history is not None and (model._history >= 0).sum() == len(truth)
    grouped = {p: g for p, g in model.participants_.items() if g is not None}
    assert adjusted_rand_score([truth[p] for p in grouped], [grouped[p] for p in grouped]) == 1.0
    assert OpinionModel(replay_limit=10).fit(timed)._history is None


def test_it_rejects_a_vote_value_other_than_agree_disagree_or_pass():
    with pytest.raises(ValueError, match="1, -1 or 0"):
        OpinionModel().fit([Vote("p", "s", 2)])


def test_pol_is_tests_match_their_formulas():
    # prop-test: 2 sqrt(n + 1) ((s + 1) / (n + 1) - 1/2); two-prop-test with +1 on every count.
    assert pm.prop_test(np.array(3.0), np.array(3.0)) == pytest.approx(2 * math.sqrt(4) * (4 / 4 - 0.5))
    s1, s2, n1, n2 = 4, 2, 5, 9
    p1, p2, ph = s1 / n1, s2 / n2, (s1 + s2) / (n1 + n2)
    expected = (p1 - p2) / math.sqrt(ph * (1 - ph) * (1 / n1 + 1 / n2))
    assert pm.two_prop_test(np.array(3.0), np.array(1.0), np.array(4.0), np.array(8.0)) == pytest.approx(expected)


# -- the command ----------------------------------------------------------------------------------------------


def write_export(folder, votes, comments=None, moderated=None):
    """A tiny Pol.is export with fictional comments."""
    folder.mkdir(exist_ok=True)
    ids = sorted({v.statement for v in votes}, key=int) if comments is None else comments
    moderated = moderated or {}
    with open(folder / "comments.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"]
        )
        for cid in ids:
            w.writerow([1000, "", cid, 0, 0, 0, moderated.get(cid, 1), f"Fictional statement number {cid}."])
    with open(folder / "votes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for t, v in enumerate(votes):
            w.writerow([2000 + t, "", v.statement, v.participant, v.value])
    with open(folder / "summary.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["topic", "A fictional conversation"], ["groups", 2]])
    return folder


def numeric_blocs():
    votes, truth = two_blocs(undecided=1)
    names = {p: str(i) for i, p in enumerate(dict.fromkeys(v.participant for v in votes))}
    return [Vote(names[v.participant], v.statement[1:], v.value) for v in votes], {
        names[p]: b for p, b in truth.items()
    }


def test_the_command_writes_the_contract(tmp_path):
    votes, truth = numeric_blocs()
    folder = write_export(tmp_path / "export", votes, moderated={"11": -1})
    out = tmp_path / "out.json"
    call_command("analyze", "opinions", "--polis", str(folder), "--output", str(out), verbosity=0)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result) == {"participants", "groups", "comments"}
    assert set(result["participants"]) == {v.participant for v in votes}
    undecided = next(p for p in result["participants"] if p not in truth)
    assert result["participants"][undecided] is None
    assert all(isinstance(g, int) for p, g in result["participants"].items() if p in truth)
    # A timed log this small is replayed as Pol.is saw it; how many groups that gives is Pol.is's business.
    assert len(result["groups"]) >= 2
    assert all(set(g) == {"id", "size"} and isinstance(g["id"], int) for g in result["groups"])
    assert sum(g["size"] for g in result["groups"]) == len(truth)
    for g in result["groups"]:
        assert g["size"] == sum(1 for v in result["participants"].values() if v == g["id"])
    assert set(result["comments"]) == {str(i) for i in range(1, 12)}
    for cid, comment in result["comments"].items():
        assert set(comment) == {"groups", "group_aware_consensus"}
        assert set(comment["groups"]) == {str(g["id"]) for g in result["groups"]}
        expected = 1.0
        for gid, counts in comment["groups"].items():
            members = {p for p, g in result["participants"].items() if g == int(gid)}
            mine = [v.value for v in votes if v.statement == cid and v.participant in members]
            # In the export 1 is agree and -1 disagree.
            assert counts == {"agree": mine.count(1), "disagree": mine.count(-1), "pass": mine.count(0)}
            expected *= (counts["agree"] + 1) / (len(mine) + 2)
        assert comment["group_aware_consensus"] == pytest.approx(expected)


def test_the_command_reads_the_vote_matrix_when_there_is_no_vote_log(tmp_path):
    votes, _ = numeric_blocs()
    folder = write_export(tmp_path / "export", votes)
    statements = sorted({v.statement for v in votes}, key=int)
    with open(folder / "participants-votes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *statements])
        for p in dict.fromkeys(v.participant for v in votes):
            row = {v.statement: v.value for v in votes if v.participant == p}
            w.writerow([p, "", 0, len(row), 0, 0, *[row.get(s, "") for s in statements]])
    out_log, out_matrix = tmp_path / "log.json", tmp_path / "matrix.json"
    call_command("analyze", "opinions", "--polis", str(folder), "--output", str(out_log), verbosity=0)
    (folder / "votes.csv").unlink()
    call_command("analyze", "opinions", "--polis", str(folder), "--output", str(out_matrix), verbosity=0)
    log, matrix = json.loads(out_log.read_text()), json.loads(out_matrix.read_text())
    assert log["participants"].keys() == matrix["participants"].keys()

    def totals(result):
        return {
            cid: {k: sum(g[k] for g in c["groups"].values()) for k in ("agree", "disagree", "pass")}
            for cid, c in result["comments"].items()
        }

    # The same votes either way; only the log has times to replay, so the groups may differ.
    grouped = {p for p, g in log["participants"].items() if g is not None}
    assert grouped == {p for p, g in matrix["participants"].items() if g is not None}
    assert totals(log) == totals(matrix)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: None, "not a directory"),
        (lambda d: d.mkdir(), "no comments.csv"),
        (lambda d: (d.mkdir(), (d / "comments.csv").write_text("comment-id,moderated\n1,1\n")), "neither votes.csv"),
        (
            lambda d: (
                d.mkdir(),
                (d / "comments.csv").write_text("comment-id,moderated\n1,1\n"),
                (d / "votes.csv").write_text("timestamp,voter,vote\n1,2,1\n"),
            ),
            "missing column",
        ),
        (
            lambda d: (
                d.mkdir(),
                (d / "comments.csv").write_text("comment-id,moderated\n1,1\n"),
                (d / "votes.csv").write_text("timestamp,comment-id,voter-id,vote\n1,1,2,agree\n"),
            ),
            "vote is not a number",
        ),
    ],
)
def test_the_command_fails_with_one_clear_line_on_a_bad_export(tmp_path, setup, message):
    folder = tmp_path / "export"
    setup(folder)
    with pytest.raises(CommandError, match=message) as caught:
        call_command("analyze", "opinions", "--polis", str(folder), "--output", str(tmp_path / "o.json"))
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "o.json").exists()
