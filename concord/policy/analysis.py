"""Runs the analysis library on a stored consultation and saves the results through the services.

The Django side stops here: contributions become plain texts, the library returns plain results, and
``services.save_analysis`` stores them.
"""

from __future__ import annotations

from concord.analysis import pipeline
from concord.analysis.campaigns import CampaignDetector
from concord.analysis.tagging import IssueTagger, confirmed_improvement
from concord.contributions.models import Contribution

from . import services
from .models import ContributionIssue, PolicyIssue, TagSource


def taxonomy() -> list[dict]:
    """The taxonomy as the secretariat keeps it in the database, as plain records."""
    return [issue.as_record() for issue in PolicyIssue.objects.all()]


def confirmed_examples(consultation) -> tuple[list[str], list[list[str]]]:
    """Texts of the consultation whose tags the secretariat reviewed, with their confirmed issues."""
    reviewed: dict[int, list[str]] = {}
    rows = ContributionIssue.objects.filter(contribution__consultation=consultation).exclude(source=TagSource.AUTO)
    for contribution_id, slug, source in rows.values_list("contribution_id", "issue__slug", "source"):
        reviewed.setdefault(contribution_id, [])
        if source == TagSource.CONFIRMED:
            reviewed[contribution_id].append(slug)
    texts = {c.pk: c.analysis_text for c in Contribution.objects.filter(pk__in=reviewed)}
    ids = sorted(reviewed)
    return [texts[i] for i in ids], [reviewed[i] for i in ids]


def build_tagger(consultation) -> tuple[IssueTagger, dict | None]:
    """The tagger for a consultation, trained on its confirmed tags when there are some, and what they gained."""
    tagger = IssueTagger(taxonomy())
    texts, labels = confirmed_examples(consultation)
    if not texts:
        return tagger.fit(), None
    improvement = confirmed_improvement(tagger, texts, labels)
    return tagger.fit(texts, labels), improvement


def analyse_consultation(actor, consultation, *, workers=None, scheduler=None, progress=None) -> dict:
    """Tag every contribution of ``consultation``, detect campaigns and translations, and store the results."""
    contributions = list(
        Contribution.objects.filter(consultation=consultation)
        .order_by("received_at", "id")
        .only("id", "title", "text", "language", "receipt_number", "received_at")
    )
    ids = [c.pk for c in contributions]
    texts = [c.analysis_text for c in contributions]
    langs = [c.language or None for c in contributions]
    tagger, improvement = build_tagger(consultation)
    with pipeline.dask_client(workers, scheduler) as client:
        tagged = pipeline.tag(texts, langs, tagger, client=client, progress=progress)
        detector = pipeline.campaigns(texts, langs, CampaignDetector(), client=client)
    tags = dict(zip(ids, tagged, strict=True))
    members: dict[int, list[int]] = {}
    for i, label in enumerate(detector.labels_):
        if label >= 0:
            members.setdefault(int(label), []).append(ids[i])
    found = [{"canonical": ids[c], "members": members[k]} for k, c in enumerate(detector.canonical_)]
    translations = {ids[i]: ids[j] for i, j in enumerate(detector.translation_of_) if j >= 0}
    summary = {"improvement": improvement} if improvement else {}
    return services.save_analysis(
        actor, consultation, tags=tags, campaigns=found, translations=translations, summary=summary
    )
