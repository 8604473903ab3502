"""Stance on Concord's labelled set (eval/stance_labelled.jsonl) and on real letters (eval/stance_real_labels.json,
read from DATA_DIR), dev and test parts apart.

Run: ``python -m eval.stance [DATA_DIR] [--dev] [-v]``. Prints macro F1 over support and oppose, zero-shot and with 5
confirmed examples per class and position (taken from the dev part), on each part of both sets, then the demo
check. Rows quoted from ``DATA_DIR`` (field ``source``) count only where that file is present; the real letters are
left out, with a message, where their folders are absent. The test third was fixed by a hash of each id before anything
was tuned; only the dev part feeds ``concord/analysis/stance_calibration.jsonl`` (``--write-calibration``).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from concord.analysis.stance import Position, StanceDetector, positions_from_codebook
from eval import stance_real

HERE = Path(__file__).resolve().parent
CALIBRATION = HERE.parent / "concord" / "analysis" / "stance_calibration.jsonl"
PER_CLASS = 5


def load(data_dir: Path | None = None) -> tuple[list[dict], dict]:
    rows = [json.loads(line) for line in (HERE / "stance_labelled.jsonl").read_text("utf-8").splitlines() if line]
    if data_dir is None or not data_dir.is_dir():
        rows = [r for r in rows if "source" not in r]
    else:
        rows = [r for r in rows if "source" not in r or (data_dir / r["source"]).is_file()]
    codebook = json.loads((HERE / "stance_positions.json").read_text("utf-8"))
    statements = {p["slug"]: p["statement"] for p in codebook["positions"]}
    return rows, statements


def f1_support_oppose(truth: list[str], predicted: list[str]) -> dict:
    scores = {}
    for label in ("support", "oppose"):
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores["macro"] = (scores["support"] + scores["oppose"]) / 2
    return scores


def predict(rows: list[dict], statements: dict, examples: dict | None = None) -> list[dict[str, str]]:
    """Each row's stance on every position of the codebook (``{slug: stance}``, "none" where not addressed), with
    the whole codebook in the row's statement language."""
    out: dict[int, dict[str, str]] = {}
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_lang[row["statement_lang"]].append(i)
    for lang, indices in by_lang.items():
        positions = [
            Position(slug, {lang: texts[lang]}, list((examples or {}).get(slug, [])))
            for slug, texts in statements.items()
        ]
        detector = StanceDetector().fit(positions)
        results = detector.predict([rows[i]["text"] for i in indices], [rows[i]["lang"] for i in indices])
        for i, found in zip(indices, results, strict=True):
            got = {r.slug: r.stance for r in found}
            out[i] = {slug: got.get(slug, "none") for slug in statements}
    return [out[i] for i in range(len(rows))]


def confirmed(rows: list[dict]) -> tuple[dict, set[str]]:
    """The first PER_CLASS dev rows of each class (support, oppose, neutral) per position, as confirmed examples."""
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    chosen: set[str] = set()
    for row in rows:
        if row["split"] != "dev" or row["stance"] == "none":
            continue
        have = sum(1 for _, s in examples[row["position"]] if s == row["stance"])
        if have < PER_CLASS:
            examples[row["position"]].append((row["text"], row["stance"]))
            chosen.add(row["id"])
    return examples, chosen


def evaluate(data_dir: Path | None = None) -> dict:
    rows, statements = load(data_dir)
    examples, chosen = confirmed(rows)
    report = {}
    zero = predict(rows, statements)
    taught = predict(rows, statements, examples)
    for part in ("dev", "test"):
        idx = [i for i, r in enumerate(rows) if r["split"] == part]
        held = [i for i in idx if rows[i]["id"] not in chosen]
        truth = [rows[i]["stance"] for i in idx]
        # Codebook-wide: every (text, position) pair, the positions a text was not written about counting as
        # "none", so a stance given to the wrong position counts against.
        wide_truth = [rows[i]["stance"] if slug == rows[i]["position"] else "none" for i in idx for slug in statements]
        wide = [zero[i][slug] for i in idx for slug in statements]
        report[part] = {
            "pairs": len(idx),
            "zero_shot": f1_support_oppose(truth, [zero[i][rows[i]["position"]] for i in idx]),
            "wide": f1_support_oppose(wide_truth, wide),
            "confirmed": f1_support_oppose(
                [rows[i]["stance"] for i in held], [taught[i][rows[i]["position"]] for i in held]
            ),
            "confirmed_pairs": len(held),
        }
    report["errors"] = [
        (r["id"], r["phenomenon"], r["stance"], zero[i][r["position"]])
        for i, r in enumerate(rows)
        if r["split"] == "dev" and zero[i][r["position"]] != r["stance"]
    ]
    return report


def side_on(results, slug: str) -> str:
    """A text's stance on ``slug`` among the detector's results for it; "none" where it does not address it."""
    return next((r.stance for r in results if r.slug == slug), "none")


BLIND_SETS = (
    "stance_blind",
    "stance_blind2",
    "stance_blind3",
    "stance_blind4",
    "stance_blind5",
    "stance_blind6",
    "stance_blind7",
)


def evaluate_blind(name: str = "stance_blind") -> dict:
    """A set written blind to the detector by one of seven writers (eval/stance_blind.md ... stance_blind7.md): each
    text against its whole six-language codebook, on its tuning half (``tune``: the rules were tuned on it and the
    reader of ``concord/analysis/stance_reader.py`` trained on it) and the half never used to change the detector
    (``test``). stance_blind4 to 7 have only a test part: each was written to be measured, never tuned on."""
    rows = [json.loads(line) for line in (HERE / f"{name}.jsonl").read_text("utf-8").splitlines() if line]
    positions = positions_from_codebook(json.loads((HERE / f"{name}_codebook.json").read_text("utf-8")))
    # Confirmed examples: the first PER_CLASS tuning texts of each class per position, as the secretariat would.
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    chosen: set[str] = set()
    for row in rows:
        have = sum(1 for _, s in examples[row["position"]] if s == row["stance"])
        if row["split"] == "tune" and have < PER_CLASS:
            examples[row["position"]].append((row["text"], row["stance"]))
            chosen.add(row["id"])
    texts, langs = [r["text"] for r in rows], [r["lang"] for r in rows]
    zero = StanceDetector().fit(positions).predict(texts, langs)
    taught_positions = [Position(p.slug, p.statements, examples[p.slug]) for p in positions]
    taught = StanceDetector().fit(taught_positions).predict(texts, langs)
    slugs = [p.slug for p in positions]
    report = {}
    for part in ("tune", "test"):
        idx = [i for i, r in enumerate(rows) if r["split"] == part]
        if not idx:
            # stance_blind4 to 7 are all test: written to be measured, never tuned on.
            continue
        held = [i for i in idx if rows[i]["id"] not in chosen]

        report[part] = {
            "pairs": len(idx),
            "zero_shot": f1_support_oppose(
                [rows[i]["stance"] for i in idx], [side_on(zero[i], rows[i]["position"]) for i in idx]
            ),
            "confirmed": f1_support_oppose(
                [rows[i]["stance"] for i in held], [side_on(taught[i], rows[i]["position"]) for i in held]
            ),
            "confirmed_pairs": len(held),
            "wide": f1_support_oppose(
                [rows[i]["stance"] if slug == rows[i]["position"] else "none" for i in idx for slug in slugs],
                [side_on(zero[i], slug) for i in idx for slug in slugs],
            ),
        }
    return report


def evaluate_demo() -> dict:
    """The demo consultation's 98 contributions (long, mostly about other things) on one position: with that
    position alone, and within a seven-position codebook of the report's proposals."""
    spec = json.loads((HERE / "stance_demo_labels.json").read_text("utf-8"))
    demo = json.loads((HERE.parent / "concord" / "consultations" / "demo_data.json").read_text("utf-8"))
    texts = [c["text"] for c in demo["contributions"]]
    truth = ["none"] * len(texts)
    for label in spec["labels"]:
        if not texts[label["index"]].startswith(label["starts"]):
            raise SystemExit(f"demo contribution {label['index']} is no longer the one labelled")
        truth[label["index"]] = label["stance"]
    slug = spec["position"]
    positions = positions_from_codebook(spec["codebook"])
    report = {}
    for name, codebook in (("alone", [p for p in positions if p.slug == slug]), ("codebook", positions)):
        found = StanceDetector().fit(codebook).predict(texts)
        predicted = [side_on(results, slug) for results in found]
        sided = [i for i, p in enumerate(predicted) if p in ("support", "oppose")]
        report[name] = {
            "f1": f1_support_oppose(truth, predicted),
            "sided": len(sided),
            "wrong_side_or_none": sum(truth[i] != predicted[i] for i in sided),
        }
    return report


def write_calibration() -> None:
    """The dev part, in the shape ``StanceDetector`` reads to calibrate its score."""
    rows, statements = load(None)
    with open(CALIBRATION, "w", encoding="utf-8") as f:
        for row in rows:
            if row["split"] == "dev":
                statement = statements[row["position"]][row["statement_lang"]]
                f.write(
                    json.dumps(
                        {"text": row["text"], "statement": statement, "stance": row["stance"]}, ensure_ascii=False
                    )
                    + "\n"
                )


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--write-calibration":
        write_calibration()
        return
    paths = [a for a in argv if not a.startswith("-")]
    data_dir = Path(paths[0]) if paths else None
    report = evaluate(data_dir)
    # --dev prints the dev parts only: what one tunes against, so the test parts are not looked at while tuning.
    parts = ("dev",) if "--dev" in argv else ("dev", "test")
    for part in parts:
        r = report[part]
        z, c = r["zero_shot"], r["confirmed"]
        print(
            f"stance own {part} ({r['pairs']} pairs): macro F1 (support, oppose) zero-shot {z['macro']:.3f} "
            f"(support {z['support']:.3f}, oppose {z['oppose']:.3f}); with {PER_CLASS} confirmed examples per class "
            f"{c['macro']:.3f} on {r['confirmed_pairs']} pairs not confirmed; over every position of the codebook "
            f"{r['wide']['macro']:.3f}"
        )
    real = stance_real.evaluate(data_dir, lambda positions: StanceDetector().fit(positions), PER_CLASS)
    for line in real["missing"]:
        print(f"stance real: {line}")
    for part in parts if part_present(real) else ():
        r = real[part]
        z, c = r["zero_shot"], r["confirmed"]
        print(
            f"stance real {part} ({r['passages']} passages of real letters, {r['pairs']} pairs, {r['sided']} with a "
            f"side): macro F1 (support, oppose) zero-shot {z['macro']:.3f} (support {z['support']:.3f}, oppose "
            f"{z['oppose']:.3f}); with {PER_CLASS} confirmed examples per class {c['macro']:.3f} on "
            f"{r['confirmed_pairs']} pairs not confirmed"
        )
    for name in BLIND_SETS:
        blind = evaluate_blind(name)
        for part in ("tune",) if "--dev" in argv else ("tune", "test"):
            if part not in blind:
                continue
            r = blind[part]
            z, c = r["zero_shot"], r["confirmed"]
            # A set with no tuning half has no examples to confirm: its second figure would repeat the first.
            taught = (
                f"with {PER_CLASS} confirmed examples per class {c['macro']:.3f} on {r['confirmed_pairs']} texts not "
                "confirmed; "
                if "tune" in blind
                else ""
            )
            print(
                f"{name.replace('_', ' ')} {part} ({r['pairs']} texts written blind to the detector, six languages): "
                f"macro F1 (support, oppose) zero-shot {z['macro']:.3f} (support {z['support']:.3f}, "
                f"oppose {z['oppose']:.3f}); {taught}over every position of the codebook {r['wide']['macro']:.3f}"
            )
    demo = evaluate_demo()
    for name, text in (("alone", "the position alone"), ("codebook", "in a codebook of 7 proposals")):
        r = demo[name]
        print(
            f"stance demo (98 contributions, new-body, {text}): macro F1 {r['f1']['macro']:.3f} "
            f"(support {r['f1']['support']:.3f}, oppose {r['f1']['oppose']:.3f}); {r['sided']} given a side, "
            f"{r['wrong_side_or_none']} of them wrongly"
        )
    if "-v" in argv:
        for error in report["errors"]:
            print("  own dev error:", *error)
        for error in real.get("errors", []):
            print("  real dev error:", *error)


def part_present(real: dict) -> bool:
    return "dev" in real


if __name__ == "__main__":
    main(sys.argv[1:])
