"""Stance on real public letters from the shared data folder, labelled by hand for Concord.

``eval/stance_real_labels.json`` holds the positions (written for Concord, per data set) and, for each labelled
pair, where the passage lies (data set, document, character offsets), the position and the stance. It holds no text
of the letters: the passages are read from ``DATA_DIR`` at run time, and a data set whose files are absent is left
out with a message. The test third was fixed by a hash of the document before any output was looked at, so every
passage of one letter falls in the same part.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "stance_real_labels.json"

# Where each data set's documents are, and how a document id finds its text.
SOURCES = {
    "acdeb": "acdeb-rfi-2021-responses",
    "usda": "regulations-gov-usda-2017-0002/text_comments_example.csv",
    "euai": "eu-ai-whitepaper-consultation/ai_haveyoursay_feedback_rounds_2020_2021.csv",
    "euai-roadmap": "eu-ai-whitepaper-consultation/ai_roadmap_feedback_2020_with_pdf_text.csv",
    "cis": "ig-texts-cis",
}


def split_of(dataset: str, document: str) -> str:
    """``test`` for a third of the documents, by a hash of the document id (fixed before labelling), so the portal's
    truncated copy of a letter and its full text fall in the same part."""
    digest = hashlib.sha256(document.encode()).digest()
    return "test" if digest[0] % 3 == 0 else "dev"


def _csv_rows(path: Path, key: str, field: str) -> dict[str, str]:
    csv.field_size_limit(1 << 27)
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {row[key]: row[field] for row in csv.DictReader(f) if row.get(key)}


def documents(data_dir: Path, dataset: str) -> dict[str, str] | None:
    """Every document of one data set by id, or ``None`` when its files are absent."""
    path = data_dir / SOURCES[dataset]
    if not path.exists():
        return None
    if dataset in ("acdeb", "cis"):
        return {p.stem: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.txt"))}
    if dataset == "usda":
        return _csv_rows(path, "Document ID", "Text Comment")
    if dataset == "euai":
        return _csv_rows(path, "Feedback reference", "Feedback Content")
    # The roadmap's feedback in full (a few rows are shifted by a column: their reference is "-").
    rows = _csv_rows(path, "Feedback reference", "Paragraph")
    return {key: text for key, text in rows.items() if key.startswith("F")}


def load(data_dir: Path | None) -> tuple[list[dict], dict[str, dict], list[str]]:
    """The labelled passages that could be read (with ``text``, ``id`` and ``split``), the codebook of each data set,
    and a message per data set left out."""
    spec = json.loads(LABELS.read_text("utf-8"))
    rows, missing = [], []
    cache: dict[str, dict[str, str] | None] = {}
    for passage in spec["passages"]:
        dataset = passage["dataset"]
        if dataset not in cache:
            cache[dataset] = documents(data_dir, dataset) if data_dir is not None else None
            if cache[dataset] is None:
                missing.append(f"{dataset}: {SOURCES[dataset]} not found under {data_dir}, its passages are left out")
        docs = cache[dataset]
        if docs is None:
            continue
        text = docs.get(passage["document"], "")[passage["start"] : passage["end"]]
        # The hash, not the text, says that the passage is still the one labelled.
        if hashlib.sha256(text.encode()).hexdigest()[:16] != passage["sha256"]:
            raise SystemExit(f"{dataset}/{passage['document']}@{passage['start']}: not the passage that was labelled")
        rows.append(
            {
                **passage,
                "id": f"{dataset}/{passage['document']}@{passage['start']}-{passage['end']}",
                "text": text,
                "split": split_of(dataset, passage["document"]),
            }
        )
    return rows, spec["codebooks"], missing


def _predict(detector_for, rows: list[dict], codebooks: dict, examples: dict | None = None) -> list[dict]:
    """Each row's passage read against its whole codebook, as the command does: ``{slug: (stance, evidence)}``."""
    from concord.analysis.stance import positions_from_codebook

    out: dict[int, dict] = {}
    by_codebook: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_codebook.setdefault(row["codebook"], []).append(i)
    for name, indices in by_codebook.items():
        positions = positions_from_codebook(codebooks[name])
        for position in positions:
            position.examples = list((examples or {}).get((name, position.slug), []))
        found = detector_for(positions).predict([rows[i]["text"] for i in indices])
        for i, results in zip(indices, found, strict=True):
            out[i] = {r.slug: (r.stance, [u.text for u in r.evidence]) for r in results}
    return [out[i] for i in range(len(rows))]


def _scored(rows: list[dict], predicted: list[dict], keep) -> tuple[list[str], list[str]]:
    truth, guess = [], []
    for row, found in zip(rows, predicted, strict=True):
        if not keep(row):
            continue
        for slug, label in row["labels"].items():
            if label == "unclear":
                continue
            truth.append(label)
            guess.append(found.get(slug, ("none", []))[0])
    return truth, guess


def evaluate(data_dir: Path | None, detector_for, per_class: int = 5) -> dict:
    """Macro F1 (support, oppose) on the dev and test parts, zero-shot and with ``per_class`` confirmed examples per
    class and position. A confirmed example is what the secretariat would confirm or correct in one click: the first
    evidence sentence the zero-shot reading gave a dev passage, with the passage's true label."""
    from eval.stance import f1_support_oppose

    rows, codebooks, missing = load(data_dir)
    if not rows:
        return {"missing": missing}
    zero = _predict(detector_for, rows, codebooks)
    examples: dict[tuple[str, str], list[tuple[str, str]]] = {}
    taught_ids: set[str] = set()
    for row, found in zip(rows, zero, strict=True):
        if row["split"] != "dev":
            continue
        for slug, label in row["labels"].items():
            if label not in ("support", "oppose", "neutral") or slug not in found:
                continue
            chosen = examples.setdefault((row["codebook"], slug), [])
            if sum(1 for _, s in chosen if s == label) < per_class:
                chosen.append((found[slug][1][0], label))
                taught_ids.add(row["id"])
    taught = _predict(detector_for, rows, codebooks, examples)
    report: dict = {"missing": missing, "errors": []}
    for part in ("dev", "test"):
        in_part = lambda r, part=part: r["split"] == part  # noqa: E731
        truth, guess = _scored(rows, zero, in_part)
        held = lambda r, part=part: r["split"] == part and r["id"] not in taught_ids  # noqa: E731
        t_truth, t_guess = _scored(rows, taught, held)
        report[part] = {
            "passages": sum(1 for r in rows if r["split"] == part),
            "pairs": len(truth),
            "sided": sum(1 for t in truth if t in ("support", "oppose")),
            "zero_shot": f1_support_oppose(truth, guess),
            "confirmed": f1_support_oppose(t_truth, t_guess),
            "confirmed_pairs": len(t_truth),
        }
    # Dev mistakes that matter to the score: a side where there is none, none where there is one, or the other side.
    sided = ("support", "oppose")
    for row, found in zip(rows, zero, strict=True):
        if row["split"] != "dev":
            continue
        for slug, label in row["labels"].items():
            got = found.get(slug, ("none", []))
            if label != "unclear" and got[0] != label and (label in sided or got[0] in sided):
                report["errors"].append((row["id"], slug, label, got[0], got[1][:1]))
    return report
