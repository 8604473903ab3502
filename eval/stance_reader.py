"""Train the stance reader (``concord/analysis/stance_reader.py``) and write its shipped weights.

Run: ``python -m eval.stance_reader [--write | --detector]``. Without either it prints what it would train on and
how the reader does on each training set when trained on the others (leave one set out), so one sees whether a
set's writer or topics carry it. ``--detector``: the detector's macro F1 (support, oppose) on each part, read with
the reader trained on the other parts, and the mean over the ``stance_train*`` sets: how the whole detector meets
a writer its reader never read (the rules, though, were read from these sets' errors). With ``--write`` it trains
on every training row and writes ``concord/analysis/stance_reader.npz``.

Training rows: the hand-written training sets (``stance_train*``: environment and transport; health, labour and
social policy; digital policy outside the evaluation sets' topics; agriculture, housing and culture, and more digital
policy, these two focused on implicit, ironic, rhetorical and informal stances; water, housing, pensions, policing
and elections, half of them formal submissions of three to eight sentences; Internet governance as a UN-style
consultation debates it; fisheries, night trains, sugar taxes, organ donation, with formal submissions that give
their side late; city life, schools, transport and public services, heavy on implicit, ironic and rhetorical
stances; public comments on local policy outside the Internet (libraries, tourist taxes, speed limits ...), ironic,
implicit and informal, with passing mentions and plain questions as neutral; formal submissions on international
cooperation outside the Internet (a pandemic fund, a plastics cap, seabed mining ...), with contrasts, concessions
and late sides), the dev part of Concord's labelled set and the tuning halves of the blind sets. Never read here:
the test part of Concord's labelled set, the test halves of the blind sets, ``stance_blind4`` to ``stance_blind7``
(evaluation only) and the real letters.

Each row's features are those the detector gives the reader at run time: the vector of the unit the rules chose as
evidence for the row's position (the whole text where the rules found none), the mean of the text's unit vectors,
and the text itself, whose character n-grams the reader also reads. Labels are evaluative (for or against what the
text discusses): turned over for assessments that something falls short, as the detector turns the reader's answer
over for them.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from concord.analysis import stance_reader
from concord.analysis.embed import shared_embedder
from concord.analysis.stance import StanceDetector, positions_from_codebook
from concord.analysis.stance_text import opposite
from concord.analysis.units import sentence_units
from eval.stance import f1_support_oppose, side_on

HERE = Path(__file__).resolve().parent
TRAINING_SETS = tuple(sorted(p.stem for p in HERE.glob("stance_train*.jsonl")))
TUNING_HALVES = ("stance_blind", "stance_blind2", "stance_blind3")


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def training_parts() -> dict[str, tuple[list[dict], dict]]:
    """``{name: (rows, codebook)}`` of every part the reader may learn from."""
    parts = {}
    for name in TRAINING_SETS:
        parts[name] = (
            _read_jsonl(HERE / f"{name}.jsonl"),
            json.loads((HERE / f"{name}_codebook.json").read_text("utf-8")),
        )
    for name in TUNING_HALVES:
        rows = [r for r in _read_jsonl(HERE / f"{name}.jsonl") if r["split"] == "tune"]
        parts[name] = (rows, json.loads((HERE / f"{name}_codebook.json").read_text("utf-8")))
    # Rows labelled "none" (the text does not address the position) teach nothing about sides.
    own = [
        r
        for r in _read_jsonl(HERE / "stance_labelled.jsonl")
        if r["split"] == "dev" and "source" not in r and r["stance"] != "none"
    ]
    parts["stance_labelled dev"] = (own, json.loads((HERE / "stance_positions.json").read_text("utf-8")))
    return parts


def featurise(rows: list[dict], codebook: dict) -> tuple[np.ndarray, list[str], list[str]]:
    """The reader's features, evaluative labels and texts (the n-grams' source) of each row, as the detector would
    hand them over."""
    detector = StanceDetector(reader=False).fit(positions_from_codebook(codebook))
    turned = {
        slug: assessment and shortfall
        for slug, assessment, shortfall in zip(detector.slugs_, detector.assessments_, detector.shortfall_, strict=True)
    }
    found = detector.predict([r["text"] for r in rows], [r.get("lang") for r in rows])
    # Every text's units and every evidence unit, encoded in one batch.
    units = [[unit.text for unit, _ in sentence_units(row["text"])] or [row["text"]] for row in rows]
    evidence = [
        next((r.evidence[0].text for r in results if r.slug == row["position"] and r.evidence), None)
        for row, results in zip(rows, found, strict=True)
    ]
    strings = [text for texts in units for text in texts] + [e for e in evidence if e is not None]
    vectors = iter(shared_embedder().encode(strings))
    wholes = [stance_reader.text_vector([next(vectors) for _ in texts]) for texts in units]
    features, labels = [], []
    for row, whole, chosen in zip(rows, wholes, evidence, strict=True):
        unit = next(vectors) if chosen is not None else whole
        features.append(stance_reader.features(unit, whole))
        label = row["stance"]
        labels.append(opposite(label) if turned[row["position"]] and label != "neutral" else label)
    return np.vstack(features), labels, [row["text"] for row in rows]


def main(argv: list[str]) -> None:
    training = training_parts()
    parts = {name: featurise(rows, codebook) for name, (rows, codebook) in training.items()}
    for name, (_, labels, _) in parts.items():
        print(f"{name}: {len(labels)} rows {dict(sorted(Counter(labels).items()))}")
    if "--write" in argv:
        X = np.vstack([x for x, _, _ in parts.values()])
        y = [label for _, labels, _ in parts.values() for label in labels]
        texts = [text for _, _, texts in parts.values() for text in texts]
        stance_reader.fit(X, y, texts).save()
        print(f"wrote {stance_reader.WEIGHTS} from {len(y)} rows")
        return
    scores = {}
    for name, (x_out, y_out, texts_out) in parts.items():
        X = np.vstack([x for other, (x, _, _) in parts.items() if other != name])
        y = [label for other, (_, labels, _) in parts.items() if other != name for label in labels]
        texts = [text for other, (_, _, ts) in parts.items() if other != name for text in ts]
        reader = stance_reader.fit(X, y, texts)
        if "--detector" in argv:
            rows, codebook = training[name]
            detector = StanceDetector().fit(positions_from_codebook(codebook))
            detector.reader_ = reader
            found = detector.predict([r["text"] for r in rows], [r.get("lang") for r in rows])
            predicted_sides = [side_on(results, r["position"]) for r, results in zip(rows, found, strict=True)]
            scores[name] = f1_support_oppose([r["stance"] for r in rows], predicted_sides)["macro"]
            print(f"{name} read by the detector, its reader trained on the others: macro F1 {scores[name]:.3f}")
            continue
        predicted = reader.proba(x_out, texts_out).argmax(axis=1)
        right = sum(reader.classes[p] == t for p, t in zip(predicted, y_out, strict=True))
        print(f"{name} read by a reader trained on the others: {right / len(y_out):.3f} of evaluative sides right")
    sets = [score for name, score in scores.items() if name.startswith("stance_train")]
    if sets:
        print(f"mean over the {len(sets)} stance_train sets: {np.mean(sets):.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
