"""Issue tagging on Concord's labelled set, split once into a tuning part and a held-out part; on a blind set; and
on real texts.

Run: ``python -m eval.issues [DATA_DIR] [--write-calibration] [--tuning]`` (``--tuning``: the cross-validated
tuning part only, for development; neither the held-out part nor the blind set is even read, and
``--write-calibration`` with it refits the calibration without looking at either).

- ``eval/labelled_issues.jsonl``: 307 texts written for Concord (fictional speakers) in the six languages, short
  and long, with a ``group`` per text: the translations of one text share a group.
- The held-out part is fixed by a hash of the group (``held_out``), about a third of those 307 texts; it was set
  before any result was looked at and nothing is tuned on it.
- ``eval/labelled_issues_tuning*.jsonl`` (``tuning_files``): texts written later (fictional speakers, six
  languages; ``_tuning``: mostly long letters on two to four issues, none a translation of another;
  ``_tuning2``: a second author's; ``_tuning3``: a third author's, 300 texts on the issues tagged worst); every one
  of them goes to the tuning part, so that the held-out part stays the same texts. The calibration
  (``concord/analysis/tagging_calibration.json``) and the classifiers per issue (``tagging_learned.npz`` on the
  pooled embedding, ``tagging_ngrams.npz`` on character n-grams) are fitted on the tuning part only, by
  ``--tuning --write-calibration``.
- ``eval/labelled_issues_blind.jsonl`` (``BLIND``) to ``eval/labelled_issues_blind4.jsonl`` (``BLIND4``): texts
  written by four other authors without sight of the tagger, each to be measured when the tagger is settled;
  reported as parts of their own like the held-out part, never tuned on and never read by ``--tuning``.
- Tuning part: F1 by 5-fold cross-validation over groups (the classifier, the calibration and its cut-offs
  refitted without each fold; ``--fold-salt=S`` deals the groups to other folds), also per set (per author), and
  each set tagged by a model fitted on the other sets only (how the tagger meets an author it was not tuned on).
  Held-out part and blind set: the tagger as the command ``concord analyze tag`` runs it, with the shipped
  calibration. All with per-issue F1, and the calibration (Brier score, expected calibration error) of the
  probabilities.
- With DATA_DIR: 42 real US bill titles from ``cap-topic-labelled/USCongress.csv`` labelled with WSIS issues by
  hand (``eval/labelled_issues_cap.jsonl`` holds ids and labels only; the texts are read from DATA_DIR), never tuned
  on; and the known answers of ``ig-texts-cis``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from concord.analysis.tagging import DEFAULT_CALIBRATION, DEFAULT_LEARNED, DEFAULT_NGRAMS, IssueTagger
from concord.analysis.tagging_model import (
    IssueCalibration,
    calibration_report,
    fit_tagging,
    folds_of,
    ngram_counts,
    raised_issues,
    with_learned,
)
from concord.analysis.taxonomy import read_taxonomy

from .metrics import multilabel_f1

HERE = Path(__file__).resolve().parent
# Fixed before any result was looked at; chosen among salts by the share of texts it holds out and by how many
# texts of each issue it leaves on each side (labels only).
SALT = "wsis-heldout-8"
TUNING_ONLY = HERE / "labelled_issues_tuning.jsonl"  # the first set written after the split
# Measured once, at the end: never in the tuning part, never read by ``--tuning``.
BLIND = HERE / "labelled_issues_blind.jsonl"
BLIND2 = HERE / "labelled_issues_blind2.jsonl"
BLIND3 = HERE / "labelled_issues_blind3.jsonl"
BLIND4 = HERE / "labelled_issues_blind4.jsonl"
WEAK = ("investment-innovation", "affordability", "capacity-building", "net-neutrality")


def blind_parts() -> tuple[tuple[str, Path, str], ...]:
    """Each blind set's key in the report, its file and its printed label. Read at call time, so that a test can
    point a set at a file of its own."""
    return (
        ("blind", BLIND, "blind set ({} texts, another author)"),
        ("blind2", BLIND2, "blind set 2 ({} texts, a third author)"),
        ("blind3", BLIND3, "blind set 3 ({} texts, a fourth author)"),
        ("blind4", BLIND4, "blind set 4 ({} texts, a fifth author)"),
    )


def load_labelled(path: Path = HERE / "labelled_issues.jsonl") -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def held_out(group: str) -> bool:
    """Whether a group of texts is in the held-out third."""
    return int(hashlib.sha256((SALT + group).encode()).hexdigest()[:8], 16) % 3 == 0


def tuning_files() -> list[Path]:
    """Every set written for the tuning part after the split (``labelled_issues_tuning*.jsonl``), by name."""
    return sorted(HERE.glob("labelled_issues_tuning*.jsonl"))


def split() -> tuple[list[dict], list[dict]]:
    """The tuning part and the held-out part of the labelled set. Texts written after the split go to the tuning
    part whatever their hash, so that the held-out part stays the same texts."""
    rows = load_labelled()
    tune = [{**r, "source": "labelled_issues"} for r in rows if not held_out(r["group"])]
    for path in tuning_files():
        tune += [{**r, "source": path.stem} for r in load_labelled(path)]
    return tune, [r for r in rows if held_out(r["group"])]


def load_blind(tune: list[dict], held: list[dict], path: Path | None = None) -> list[dict] | None:
    """A blind set (``BLIND`` unless ``path`` says which), or ``None`` before it is written. A text sharing a group
    or an id with the other parts would be a translation or a copy of a text tuned on (or of the held-out part):
    refused rather than measured."""
    path = BLIND if path is None else path
    if not path.is_file():
        return None
    rows = load_labelled(path)
    clash = {r["group"] for r in rows} & {r["group"] for r in tune + held}
    clash |= {r["id"] for r in rows} & {r["id"] for r in tune + held}
    if clash:
        raise ValueError(f"{path.name} shares groups or ids with the labelled set: {sorted(clash)[:5]}")
    return rows


def load_cap(data_dir: Path) -> list[dict] | None:
    """The hand-labelled CAP bill titles with their text from ``DATA_DIR``, or ``None`` where the data is absent."""
    path = data_dir / "cap-topic-labelled" / "USCongress.csv"
    if not path.is_file():
        return None
    with open(path, encoding="latin-1") as f:
        texts = {row["ID"]: row["text"] for row in csv.DictReader(f, delimiter=";")}
    return [
        {**row, "text": texts[row["row_id"]], "lang": "en"} for row in load_labelled(HERE / "labelled_issues_cap.jsonl")
    ]


def truth_matrix(rows: list[dict], slugs: list[str]) -> np.ndarray:
    index = {s: k for k, s in enumerate(slugs)}
    Y = np.zeros((len(rows), len(slugs)), dtype=bool)
    for i, row in enumerate(rows):
        for slug in row["issues"]:
            Y[i, index[slug]] = True
    return Y


def same_fit(a, b, tol: float = 1e-4) -> bool:
    """Whether two fits (``IssueCalibration.to_dict``) are the same: the same keys, names and settings, and numbers
    equal within ``tol`` (relative to the larger where it exceeds 1). A refit on another numpy or OpenBLAS build
    differs in the sixth decimal; a real change (new texts, features or settings) moves them far more."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_fit(a[k], b[k], tol) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same_fit(x, y, tol) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int | float) or not isinstance(b, int | float):
        return a == b
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def cross_validated(
    F, X, Y, groups, slugs, max_issues, folds: int = 5, salt: str = "", fold=None, floor=None, counts=None
):
    """Out-of-fold probabilities and raised issues of the tuning part: each fold tagged by a classifier on the
    pooled embeddings ``X``, one on the n-gram ``counts`` (``ngram_counts``) and a calibration (with their own
    inner cross-validation for the classifiers' scores and the cut-offs) fitted on the other folds
    (``fit_tagging``). ``max_issues``: one number, or one per text (``IssueTagger.caps``); ``floor``:
    ``IssueTagger.floor``; ``salt``: another assignment of the groups to folds; ``fold``: a fold per text given
    outright (one per source: each author's texts tagged by a model fitted on the others')."""
    if fold is None:
        fold = folds_of(groups, folds, salt)
    fold = np.asarray(fold)
    folds = int(fold.max()) + 1
    caps = np.broadcast_to(np.asarray(max_issues, dtype=int), (len(Y),))
    P = np.zeros(Y.shape)
    raised: list[list[int]] = [[] for _ in range(len(Y))]
    for f in range(folds):
        test = np.flatnonzero(fold == f)
        train = np.flatnonzero(fold != f)
        cal, clf, ngrams = fit_tagging(
            F[train], X[train], Y[train], slugs, [groups[i] for i in train], counts=counts[train]
        )
        P[test] = cal.predict_proba(
            with_learned(F[test], clf.decision_function(X[test]), ngrams.decision_function(counts[test]))
        )
        cutoffs = cal.cutoffs_for(clf.learned_ & ngrams.learned_)
        for i, r in zip(test, raised_issues(P[test], cutoffs, caps[test], floor), strict=True):
            raised[i] = r
    return P, raised


def scores(rows, raised_idx, slugs, labels=None) -> dict:
    predicted = [[slugs[k] for k in r] for r in raised_idx]
    return multilabel_f1([r["issues"] for r in rows], predicted, labels or slugs)


def line(label: str, m: dict, cal: dict | None = None, weak=WEAK) -> str:
    per = m["per_label"]
    text = f"{label:44s} micro F1 {m['micro_f1']:.3f}  macro F1 {m['macro_f1']:.3f}"
    text += "  | " + ", ".join(f"{w} {per[w]:.2f}" for w in weak if w in per)
    if cal:
        text += f"  | Brier {cal['brier']:.4f} ECE {cal['ece']:.4f}"
    return text


def by_source(tune: list[dict], raised_idx, slugs) -> dict[str, tuple[int, dict]]:
    """Out-of-fold scores of each set of the tuning part alone (its macro F1 over the issues it has)."""
    out = {}
    for source in dict.fromkeys(r["source"] for r in tune):
        idx = [i for i, r in enumerate(tune) if r["source"] == source]
        rows = [tune[i] for i in idx]
        present = [s for s in slugs if any(s in r["issues"] for r in rows)]
        out[source] = (len(idx), scores(rows, [raised_idx[i] for i in idx], slugs, present))
    return out


def evaluate(
    data_dir: Path | None = None, write_calibration: bool = False, tuning_only: bool = False, salt: str = ""
) -> dict:
    taxonomy = read_taxonomy()
    slugs = [issue["slug"] for issue in taxonomy]
    tune, held = split()
    started = time.perf_counter()
    # The evidence does not depend on the calibration: one embedding pass serves every fit below.
    raw = IssueTagger(taxonomy, calibration=None, learned=None, ngrams=None).fit()
    F_tune, X_tune = raw.features([r["text"] for r in tune])[:2]
    caps_tune = raw.caps([r["text"] for r in tune])
    counts = ngram_counts([r["text"] for r in tune])
    Y_tune, Y_held = truth_matrix(tune, slugs), truth_matrix(held, slugs)
    groups = [r["group"] for r in tune]
    out: dict = {"texts": len(tune) + len(held), "tuning": len(tune), "held_out": len(held)}

    P_cv, raised_cv = cross_validated(
        F_tune, X_tune, Y_tune, groups, slugs, caps_tune, salt=salt, floor=raw.floor, counts=counts
    )
    out["tuning_cv"] = (scores(tune, raised_cv, slugs), calibration_report(P_cv, Y_tune))
    out["tuning_cv_by_source"] = by_source(tune, raised_cv, slugs)
    # Each author's set tagged by a model fitted on the other sets alone: how the tagger meets a new author.
    sources = list(dict.fromkeys(r["source"] for r in tune))
    if tuning_only and len(sources) > 1:
        own = [sources.index(r["source"]) for r in tune]
        _, raised_loso = cross_validated(
            F_tune, X_tune, Y_tune, groups, slugs, caps_tune, fold=own, floor=raw.floor, counts=counts
        )
        out["tuning_by_author"] = by_source(tune, raised_loso, slugs)
    fitted, learned, ngrams = fit_tagging(F_tune, X_tune, Y_tune, slugs, groups, counts=counts)
    if write_calibration:
        with open(DEFAULT_CALIBRATION, "w", encoding="utf-8") as f:
            json.dump(fitted.to_dict(), f, ensure_ascii=False, indent=1)
            f.write("\n")
        learned.save(DEFAULT_LEARNED)
        ngrams.save(DEFAULT_NGRAMS)
    if tuning_only:
        return out
    shipped = IssueTagger(taxonomy).fit()  # what `concord analyze tag` runs
    out["stale"] = shipped.calibration_ is None or not same_fit(
        shipped.calibration_.to_dict(), IssueCalibration.from_dict(fitted.to_dict()).to_dict()
    )
    P_held = shipped.decision_function([r["text"] for r in held])
    out["held_out_shipped"] = (
        scores(
            held, raised_issues(P_held, shipped.cutoffs_, shipped.caps([r["text"] for r in held]), shipped.floor), slugs
        ),
        calibration_report(P_held, Y_held),
    )
    for key, path, _ in blind_parts():
        blind = load_blind(tune, held, path)
        if blind is None:
            continue
        texts = [r["text"] for r in blind]
        P_blind = shipped.decision_function(texts)
        out[key] = (
            scores(blind, raised_issues(P_blind, shipped.cutoffs_, shipped.caps(texts), shipped.floor), slugs),
            calibration_report(P_blind, truth_matrix(blind, slugs)),
        )
        out[f"{key}_texts"] = len(blind)
    out["uncalibrated"] = {
        name: scores(part, [[slugs.index(s) for s in p] for p in raw.predict([r["text"] for r in part])], slugs)
        for name, part in (("tuning", tune), ("held_out", held))
    }
    out["seconds"] = time.perf_counter() - started
    if data_dir is not None:
        cap = load_cap(data_dir)
        if cap is not None:
            P_cap = shipped.decision_function([r["text"] for r in cap])
            present = sorted({s for r in cap for s in r["issues"]})
            out["cap"] = (
                scores(
                    cap,
                    raised_issues(P_cap, shipped.cutoffs_, shipped.caps([r["text"] for r in cap]), shipped.floor),
                    slugs,
                    present,
                ),
                calibration_report(P_cap, truth_matrix(cap, slugs)),
                len(cap),
            )
        out["ig"] = evaluate_ig_texts(data_dir, shipped)
    return out


# The known answers of ig-texts-cis/SOURCE.md ("Use as a test"), in the taxonomy's slugs.
IG_EXPECTED = {
    "inputs-to-wgec.txt": {"critical-internet-resources"},
    "free-basics-negating-net-parity.txt": {"net-neutrality"},
    "multiple-aspects-need-to-be-addressed-network-neutrality.txt": {"net-neutrality"},
    "open-letter-to-hillary-clinton-on-internet-freedom.txt": {"freedom-of-information", "privacy"},
    "regulating-the-internet-india-ietf.txt": {"cybersecurity"},
}


def evaluate_ig_texts(data_dir: Path, tagger: IssueTagger | None = None) -> list[tuple[str, dict]] | None:
    folder = data_dir / "ig-texts-cis"
    if not folder.is_dir():
        return None
    tagger = tagger or IssueTagger(read_taxonomy()).fit()
    names = sorted(p.name for p in folder.glob("*.txt"))
    texts = [(folder / name).read_text(encoding="utf-8") for name in names]
    return list(zip(names, tagger.tag(texts), strict=True))


def main(argv: list[str]) -> None:
    write = "--write-calibration" in argv
    tuning_only = "--tuning" in argv
    salt = next((a.split("=", 1)[1] for a in argv if a.startswith("--fold-salt=")), "")
    args = [a for a in argv if not a.startswith("--")]
    data_dir = Path(args[0]) if args else None
    r = evaluate(data_dir, write, tuning_only, salt)
    if tuning_only:
        # For development: the held-out part is neither tagged nor printed.
        if write:
            names = f"{DEFAULT_CALIBRATION.name}, {DEFAULT_LEARNED.name} and {DEFAULT_NGRAMS.name}"
            print(f"wrote {names} from the tuning part")
        title = f"tuning part, 5-fold CV ({r['tuning']} texts)" + (f", fold salt {salt!r}" if salt else "")
        print(line(title, *r["tuning_cv"]))
        for slug, f1 in r["tuning_cv"][0]["per_label"].items():
            print(f"  {slug:30s} {f1:.2f}")
        print("per set of the tuning part (macro over the issues it has): out of fold; fitted on the other sets")
        for source, (n, m) in r["tuning_cv_by_source"].items():
            other = r.get("tuning_by_author", {}).get(source)
            # A tuning part of one set has no other sets to fit on.
            alone = (
                f"; other sets only: micro {other[1]['micro_f1']:.3f} macro {other[1]['macro_f1']:.3f}" if other else ""
            )
            print(f"  {source:28s} {n:4d} texts  micro {m['micro_f1']:.3f} macro {m['macro_f1']:.3f}" + alone)
        return
    print(
        f"== issue tagging: {r['texts']} labelled texts, six languages, 17 issues; tuning part {r['tuning']}, "
        f"held-out part {r['held_out']} (fixed by a hash of the group, never tuned on)"
    )
    if write:
        print(
            f"wrote {DEFAULT_CALIBRATION.name}, {DEFAULT_LEARNED.name} and {DEFAULT_NGRAMS.name} from the tuning part"
        )
    elif r["stale"]:
        print(f"!! {DEFAULT_CALIBRATION.name} differs from a fit on the tuning part: run with --write-calibration")
    print(line(f"tuning part, 5-fold CV ({r['tuning']} texts)", *r["tuning_cv"]))
    print(line(f"held-out part ({r['held_out']} texts)", *r["held_out_shipped"]))
    if "blind" not in r:
        print(f"-- no blind set: {BLIND} is absent")
    blinds = [key for key, _, _ in blind_parts() if key in r]
    for key, _, label in blind_parts():
        if key in r:
            print(line(label.format(r[f"{key}_texts"]), *r[key]))
    print(line("uncalibrated rule, tuning part", r["uncalibrated"]["tuning"]))
    print(line("uncalibrated rule, held-out part", r["uncalibrated"]["held_out"]))
    print("per issue (F1): issue, tuning CV, held-out" + "".join(f", {key}" for key in blinds))
    held_per = r["held_out_shipped"][0]["per_label"]
    for slug, f1 in r["tuning_cv"][0]["per_label"].items():
        blind_f1 = "".join(f"  {r[key][0]['per_label'][slug]:.2f}" for key in blinds if slug in r[key][0]["per_label"])
        print(f"  {slug:30s} {f1:.2f}  {held_per[slug]:.2f}{blind_f1}")
    print(f"evidence and fits took {r['seconds']:.1f} s (model load included)")
    if data_dir is None:
        return
    if "cap" not in r:
        print(f"-- skipped the CAP bill titles: {data_dir / 'cap-topic-labelled'} is absent")
    else:
        m, cal, n = r["cap"]
        print(line(f"CAP bill titles, never tuned on ({n}; macro over issues present)", m, cal))
    tagged = r.get("ig")
    if tagged is None:
        print(f"-- skipped the Internet-governance texts: {data_dir / 'ig-texts-cis'} is absent")
        return
    print("== real Internet-governance texts (ig-texts-cis): issues found")
    hits = 0
    for name, result in tagged:
        expected = IG_EXPECTED.get(name)
        hit = expected is not None and bool(expected & set(result["issues"]))
        hits += hit
        mark = "" if expected is None else (" (expected: found)" if hit else f" (expected one of {sorted(expected)})")
        print(f"  {name}: {', '.join(result['issues']) or '-'}{mark}")
    print(f"  the known issue was found in {hits} of {len(IG_EXPECTED)} texts with a known answer")


if __name__ == "__main__":
    main(sys.argv[1:])
