"""What the secretariat's reviews teach the stance detector, measured before and after.

A reviewed stance (confirmed or corrected) is a labelled pair: this contribution takes this side on this position.
Its first evidence sentence becomes an example of that side. The gain is measured by cross-validation over the
reviewed contributions: each fold is predicted by a detector that learned only from the other folds' reviews, so
the "after" figure never scores a detector on the sentences it was given.
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.metrics import f1_score

from concord.analysis.stance import Position as PositionRecord
from concord.analysis.stance import StanceDetector
from concord.contributions.models import Contribution

from .codebook import codebook_of
from .models import Stance, StanceSource

NOT_ADDRESSED = "none"
SIDES = ["support", "oppose"]


def reviewed_pairs(consultation) -> list[dict]:
    """``{"contribution", "position", "stance", "example"}`` for every reviewed stance, oldest contribution first."""
    rows = (
        Stance.objects.filter(position__consultation=consultation)
        .exclude(source=StanceSource.AUTOMATIC)
        .order_by("contribution_id", "position_id")
        .values_list("contribution_id", "position__slug", "stance", "evidence")
    )
    return [
        {"contribution": c, "position": slug, "stance": stance, "example": evidence[0]["text"] if evidence else ""}
        for c, slug, stance, evidence in rows
    ]


def _positions(codebook: dict, examples: Sequence[dict]) -> list[PositionRecord]:
    learned: dict[str, list[tuple[str, str]]] = {}
    for pair in examples:
        if pair["example"]:
            learned.setdefault(pair["position"], []).append((pair["example"], pair["stance"]))
    return [
        PositionRecord(
            slug=row["slug"],
            statements=row["statement"],
            examples=[(e["text"], e["stance"]) for e in row["examples"]] + learned.get(row["slug"], []),
        )
        for row in codebook["positions"]
    ]


def _predicted(detector: StanceDetector, texts: dict[int, tuple[str, str | None]], pairs: Sequence[dict]) -> list:
    ids = sorted({p["contribution"] for p in pairs})
    found = detector.predict([texts[i][0] for i in ids], [texts[i][1] for i in ids])
    by_id = {i: {r.slug: r.stance for r in results} for i, results in zip(ids, found, strict=True)}
    return [by_id[p["contribution"]].get(p["position"], NOT_ADDRESSED) for p in pairs]


def reviewed_improvement(consultation, folds: int = 5) -> dict | None:
    """Macro F1 over support and oppose on the reviewed stances: the codebook alone (zero-shot) and with the other
    folds' reviews as examples. ``None`` with fewer than four reviewed contributions."""
    pairs = reviewed_pairs(consultation)
    contributions = sorted({p["contribution"] for p in pairs})
    if len(contributions) < 4:
        return None
    folds = min(folds, len(contributions))
    fold_of = {c: i % folds for i, c in enumerate(contributions)}
    texts = {
        c.pk: (c.analysis_text, c.language or None)
        for c in Contribution.objects.filter(pk__in=contributions).only(
            "id", "title", "text", "answers", "extracted_text", "language"
        )
    }
    codebook = codebook_of(consultation, reviewed=False)
    zero = _predicted(StanceDetector().fit(_positions(codebook, [])), texts, pairs)
    trained: list[str] = [NOT_ADDRESSED] * len(pairs)
    for k in range(folds):
        test = [i for i, p in enumerate(pairs) if fold_of[p["contribution"]] == k]
        train = [p for p in pairs if fold_of[p["contribution"]] != k]
        detector = StanceDetector().fit(_positions(codebook, train))
        for i, label in zip(test, _predicted(detector, texts, [pairs[i] for i in test]), strict=True):
            trained[i] = label
    truth = [p["stance"] for p in pairs]

    def macro(predicted):
        return round(float(f1_score(truth, predicted, labels=SIDES, average="macro", zero_division=0)), 4)

    return {"examples": len(pairs), "zero_shot_f1": macro(zero), "trained_f1": macro(trained)}
