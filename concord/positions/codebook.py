"""A codebook as a file: the shape ``concord analyze stance --codebook`` reads, loaded and written through services.

``{"positions": [{"slug", "statement": {lang: text}, "kind"?, "examples"?: [{"text", "stance"}], "issues"?: [slug],
"forums"?: [slug], "order"?}]}``. The first language of ``statement`` (or ``original_language`` when given) is the
position's original; the others are its translations.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.policy.models import Forum, PolicyIssue

from . import services
from .models import Position, Stance, StanceSource

DEMO_CODEBOOK = Path(__file__).parent / "data" / "demo_codebook.json"


def read_codebook(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def load_codebook(actor, consultation, data: dict) -> list[Position]:
    """Create the codebook's positions in ``consultation`` (one audited service call each); positions whose slug is
    already there are left as they are, so loading twice changes nothing."""
    existing = set(Position.objects.filter(consultation=consultation).values_list("slug", flat=True))
    issues = {i.slug: i for i in PolicyIssue.objects.all()}
    forums = {f.slug: f for f in Forum.objects.all()}
    created = []
    for index, row in enumerate(data.get("positions", [])):
        if row["slug"] in existing:
            continue
        statements = dict(row["statement"])
        original = row.get("original_language") or data.get("original_language") or next(iter(statements))
        if original not in statements:
            raise ValidationError(_("Position %s has no statement in its original language.") % row["slug"])
        unknown = sorted({*row.get("issues", [])} - set(issues)) + sorted({*row.get("forums", [])} - set(forums))
        if unknown:
            raise ValidationError(_("Unknown issues or forums: %s") % ", ".join(unknown))
        created.append(
            services.create_position(
                actor,
                consultation,
                slug=row["slug"],
                kind=row.get("kind", "proposal"),
                statement=statements.pop(original),
                original_language=original,
                translations={code: {"statement": text} for code, text in statements.items()},
                examples=row.get("examples", []),
                order=row.get("order", (index + 1) * 10),
                issues=[issues[s] for s in row.get("issues", [])],
                forums=[forums[s] for s in row.get("forums", [])],
            )
        )
    return created


def codebook_of(consultation, *, reviewed: bool = True) -> dict:
    """The consultation's codebook in the file's shape. With ``reviewed``, the sentences of the stances the
    secretariat confirmed or corrected join each position's examples: that is how the detector learns from them."""
    positions = list(
        Position.objects.filter(consultation=consultation)
        .prefetch_related("issues", "forums")
        .order_by("order", "slug")
    )
    learned: dict[int, list[dict]] = {}
    if reviewed:
        rows = Stance.objects.filter(position__consultation=consultation).exclude(source=StanceSource.AUTOMATIC)
        for position_id, stance, evidence in rows.values_list("position_id", "stance", "evidence"):
            for unit in (evidence or [])[:1]:
                learned.setdefault(position_id, []).append({"text": unit["text"], "stance": stance})
    return {
        "positions": [
            {
                "slug": p.slug,
                "kind": p.kind,
                "original_language": p.original_language,
                "statement": p.statements(),
                "examples": [*p.examples, *learned.get(p.pk, [])],
                "issues": [i.slug for i in p.issues.all()],
                "forums": [f.slug for f in p.forums.all()],
                "order": p.order,
            }
            for p in positions
        ]
    }
