"""What the synthesis report says about positions: who took each side, with the sentences that take it.

Read through the public gate, like the rest of the report: a withheld contribution is neither counted, cited nor
quoted. Four queries, whatever the size of the record; the report groups and counts with what it has already
gathered (its records, its campaigns).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .access import public_stances
from .models import Position


@dataclass
class Evidence:
    """The sentence a contribution takes its side with (the stance's best evidence unit), for the report to quote.

    ``translations`` holds the unit's stored translations by language, when the secretariat or a translation
    service stored any (``{"fr": "..."}`` under the unit's ``"translations"`` key)."""

    text: str
    score: float
    translations: dict[str, str] = field(default_factory=dict)


@dataclass
class PositionSides:
    position: Position
    support: list[int] = field(default_factory=list)  # contribution ids, oldest stance row first
    oppose: list[int] = field(default_factory=list)
    evidence: dict[int, Evidence] = field(default_factory=dict)  # contribution id -> its sentence
    issues: list[str] = field(default_factory=list)  # WSIS issue slugs
    forums: list[str] = field(default_factory=list)  # forum slugs

    @property
    def kind(self) -> str:
        return self.position.kind


def report_positions(consultation) -> list[PositionSides]:
    """Per position (proposal, principle or assessment) on which at least one public contribution takes a side, in
    codebook order. A neutral mention is not a side and is left out."""
    sides: dict[int, PositionSides] = {}
    rows = public_stances(consultation).exclude(stance="neutral").order_by("contribution_id", "position_id")
    found: list[tuple[int, int, str, list, float | None]] = list(
        rows.values_list("position_id", "contribution_id", "stance", "evidence", "score")
    )
    if not found:
        return []
    positions = {
        p.pk: p for p in Position.objects.filter(pk__in={row[0] for row in found}).prefetch_related("issues", "forums")
    }
    for position_id, contribution_id, stance, evidence, score in found:
        item = sides.get(position_id)
        if item is None:
            position = positions[position_id]
            item = sides[position_id] = PositionSides(
                position,
                issues=[i.slug for i in position.issues.all()],
                forums=[f.slug for f in position.forums.all()],
            )
        getattr(item, stance).append(contribution_id)
        unit = next((u for u in evidence or [] if str(u.get("text", "")).strip()), None)
        if unit is not None:
            item.evidence[contribution_id] = Evidence(
                str(unit["text"]).strip(), float(score or 0.0), dict(unit.get("translations") or {})
            )
    return sorted(sides.values(), key=lambda s: (s.position.order, s.position.slug))
