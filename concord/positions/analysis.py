"""Runs the stance detector over a stored consultation and saves the stances through the services.

The Django side stops here: contributions become plain texts, the codebook plain ``Position`` records (with the
sentences the secretariat confirmed or corrected as examples), and ``services.save_stances`` stores the results.
"""

from __future__ import annotations

from concord.analysis import pipeline
from concord.analysis.discovery import PositionDiscovery
from concord.analysis.stance import Position as PositionRecord
from concord.analysis.stance import StanceDetector
from concord.contributions.models import Contribution

from . import services
from .codebook import codebook_of
from .learning import reviewed_improvement


def detector_positions(consultation) -> list[PositionRecord]:
    """The consultation's codebook as the detector reads it; reviewed stances teach it by example."""
    return [
        PositionRecord(
            slug=row["slug"],
            statements=row["statement"],
            examples=[(example["text"], example["stance"]) for example in row["examples"]],
        )
        for row in codebook_of(consultation)["positions"]
    ]


def _as_rows(results) -> list[dict]:
    return [
        {
            "position": result.slug,
            "stance": result.stance,
            "score": float(result.score),
            "evidence": [{"text": u.text, "start": u.start, "end": u.end} for u in result.evidence],
        }
        for result in results
    ]


def analyse_stances(actor, consultation, *, workers=None, scheduler=None, progress=None, client=None) -> dict:
    """Every contribution's stance on every position of the consultation's codebook (written texts, extracted
    file text and meeting turns alike), stored in place of the previous automatic ones. Nothing to do, and nothing
    written, when the consultation has no codebook."""
    positions = detector_positions(consultation)
    if not positions:
        return {"positions": 0}
    contributions = list(
        Contribution.objects.filter(consultation=consultation)
        .order_by("received_at", "id")
        .only("id", "title", "text", "answers", "extracted_text", "language")
    )
    texts = [c.analysis_text for c in contributions]
    langs = [c.language or None for c in contributions]
    detector = StanceDetector().fit(positions)
    if client is not None:
        found = pipeline.stance(texts, langs, detector, client=client, progress=progress)
    else:
        with pipeline.dask_client(workers, scheduler) as own:
            found = pipeline.stance(texts, langs, detector, client=own, progress=progress)
    results = {c.pk: _as_rows(r) for c, r in zip(contributions, found, strict=True)}
    summary = {"positions": len(positions)}
    improvement = reviewed_improvement(consultation)
    if improvement:
        summary["improvement"] = improvement
    result = services.save_stances(actor, consultation, results, summary=summary)
    result["suggestions"] = discover_positions(actor, consultation, positions=positions, contributions=contributions)
    return result


def discover_positions(actor, consultation, *, positions=None, contributions=None, embedder=None) -> dict:
    """Proposals several contributions make that the codebook lacks, stored as suggestions for the secretariat in
    place of the open ones. Run in this process: only the proposal-like sentences are embedded, a small share of
    the texts."""
    if positions is None:
        positions = detector_positions(consultation)
    if contributions is None:
        contributions = list(
            Contribution.objects.filter(consultation=consultation)
            .order_by("received_at", "id")
            .only("id", "title", "text", "answers", "extracted_text", "language")
        )
    by_id = {str(c.pk): c for c in contributions}
    found = PositionDiscovery(embedder=embedder).fit(
        [c.analysis_text for c in contributions],
        ids=list(by_id),
        langs=[c.language or None for c in contributions],
        positions=positions,
    )
    rows = [
        {
            "representative": s.representative.text,
            "language": by_id[s.representative_id].language,
            "size": s.size,
            "members": [int(i) for i in s.member_ids],
            "languages": s.langs,
        }
        for s in found.suggestions_
    ]
    return services.save_suggestions(actor, consultation, rows)
