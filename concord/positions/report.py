"""What the synthesis report says about positions: who put each forward and who opposed it, from the stances.

Read through the public gate, like the rest of the report: a withheld contribution is neither counted nor cited.
Two queries, whatever the size of the record; the report groups and counts with what it has already gathered.
"""

from __future__ import annotations

from .access import public_stances
from .models import Kind, Position


def report_positions(consultation) -> list[dict]:
    """Per proposal or principle that at least one public contribution takes a side on, in codebook order:
    ``{"position", "support": [contribution id], "oppose": [...]}``."""
    sides: dict[int, dict[str, list[int]]] = {}
    rows = public_stances(consultation).exclude(stance="neutral").exclude(position__kind=Kind.ASSESSMENT)
    for position_id, contribution_id, stance in rows.order_by("contribution_id").values_list(
        "position_id", "contribution_id", "stance"
    ):
        sides.setdefault(position_id, {"support": [], "oppose": []})[stance].append(contribution_id)
    positions = Position.objects.filter(pk__in=sides).order_by("order", "slug")
    return [{"position": position, **sides[position.pk]} for position in positions]
