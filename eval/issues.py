"""Issue tagging on Concord's own labelled set (eval/labelled_issues.jsonl), and on the real IG texts when present.

Run: ``python -m eval.issues [DATA_DIR]``. Prints micro and macro F1 zero-shot, then with 5 confirmed examples per
issue (the light classifier), evaluated on the texts that were not confirmed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from concord.analysis.tagging import IssueTagger
from concord.analysis.taxonomy import read_taxonomy

from .metrics import multilabel_f1

HERE = Path(__file__).resolve().parent


def load_labelled(path: Path = HERE / "labelled_issues.jsonl") -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def confirmed_split(rows: list[dict], per_issue: int, slugs: list[str]) -> tuple[list[int], list[int]]:
    """The first ``per_issue`` texts raising each issue (in file order) are 'confirmed'; the rest are held out."""
    chosen: list[int] = []
    for slug in slugs:
        have = sum(1 for i in chosen if slug in rows[i]["issues"])
        for i, row in enumerate(rows):
            if have >= per_issue:
                break
            if slug in row["issues"] and i not in chosen:
                chosen.append(i)
                have += 1
    held = [i for i in range(len(rows)) if i not in chosen]
    return sorted(chosen), held


def evaluate(per_issue: int = 5) -> dict:
    taxonomy = read_taxonomy()
    slugs = [issue["slug"] for issue in taxonomy]
    rows = load_labelled()
    texts = [r["text"] for r in rows]
    truth = [r["issues"] for r in rows]

    started = time.perf_counter()
    tagger = IssueTagger(taxonomy).fit()
    predicted = tagger.predict(texts)
    zero = multilabel_f1(truth, predicted, slugs)
    elapsed = time.perf_counter() - started

    chosen, held = confirmed_split(rows, per_issue, slugs)
    held_truth = [truth[i] for i in held]
    zero_held = multilabel_f1(held_truth, [predicted[i] for i in held], slugs)
    trained = IssueTagger(taxonomy).fit([texts[i] for i in chosen], [truth[i] for i in chosen])
    confirmed = multilabel_f1(held_truth, trained.predict([texts[i] for i in held]), slugs)
    return {
        "texts": len(rows),
        "zero_shot": zero,
        "zero_shot_held_out": zero_held,
        "confirmed": confirmed,
        "confirmed_examples": len(chosen),
        "held_out": len(held),
        "seconds": elapsed,
    }


# The known answers of ig-texts-cis/SOURCE.md ("Use as a test"), in the taxonomy's slugs.
IG_EXPECTED = {
    "inputs-to-wgec.txt": {"critical-internet-resources"},
    "free-basics-negating-net-parity.txt": {"net-neutrality"},
    "multiple-aspects-need-to-be-addressed-network-neutrality.txt": {"net-neutrality"},
    "open-letter-to-hillary-clinton-on-internet-freedom.txt": {"freedom-of-information", "privacy"},
    "regulating-the-internet-india-ietf.txt": {"cybersecurity"},
}


def evaluate_ig_texts(data_dir: Path) -> list[tuple[str, list[str]]] | None:
    folder = data_dir / "ig-texts-cis"
    if not folder.is_dir():
        return None
    tagger = IssueTagger(read_taxonomy()).fit()
    names = sorted(p.name for p in folder.glob("*.txt"))
    texts = [(folder / name).read_text(encoding="utf-8") for name in names]
    return list(zip(names, tagger.predict(texts), strict=True))


def main(argv: list[str]) -> None:
    result = evaluate()
    print(f"== issue tagging: {result['texts']} labelled texts, six languages, 17 issues")
    for key, label in [
        ("zero_shot", "zero-shot, all texts"),
        ("zero_shot_held_out", f"zero-shot, {result['held_out']} held-out texts"),
        ("confirmed", f"with {result['confirmed_examples']} confirmed examples (5 per issue), held-out texts"),
    ]:
        m = result[key]
        print(f"{label:70s} micro F1 {m['micro_f1']:.3f}  macro F1 {m['macro_f1']:.3f}")
    print(f"zero-shot tagging took {result['seconds']:.1f} s (model load included)")
    worst = sorted(result["zero_shot"]["per_label"].items(), key=lambda kv: kv[1])[:5]
    print("weakest issues (zero-shot F1):", ", ".join(f"{k} {v:.2f}" for k, v in worst))
    data_dir = Path(argv[0]) if argv else None
    if data_dir is not None:
        tagged = evaluate_ig_texts(data_dir)
        if tagged is None:
            print(f"-- skipped the Internet-governance texts: {data_dir / 'ig-texts-cis'} is absent")
        else:
            print("== real Internet-governance texts (ig-texts-cis): issues found")
            hits = 0
            for name, issues in tagged:
                expected = IG_EXPECTED.get(name)
                hit = expected is not None and bool(expected & set(issues))
                hits += hit
                mark = (
                    ""
                    if expected is None
                    else (" (expected: found)" if hit else f" (expected one of {sorted(expected)})")
                )
                print(f"  {name}: {', '.join(issues) or '-'}{mark}")
            print(f"  the known issue was found in {hits} of {len(IG_EXPECTED)} texts with a known answer")


if __name__ == "__main__":
    main(sys.argv[1:])
