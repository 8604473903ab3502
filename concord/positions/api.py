"""The public API's positions: the codebook with each group's figures, and the stances behind them.

Like the rest of the public API, it reads through the public record's gate: a withheld contribution's stance does
not exist here. Registered by ``concord.api.public.register``.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status

from concord.api.public import ErrorOut, ReadThrottle
from concord.consultations.models import Consultation

from . import selectors
from .models import Position

router = Router(tags=["positions"], throttle=[ReadThrottle()])


class GroupFiguresOut(Schema):
    group: str
    contributions: int = Field(description="The group's public contributions counted (a campaign counts once).")
    support: int
    oppose: int
    neutral: int
    support_share: float
    support_interval: list[float] = Field(description="95 % Wilson interval of support_share.")
    oppose_share: float
    oppose_interval: list[float]
    lean: float | None = Field(description="support / (support + oppose); null when no contribution takes a side.")
    lean_interval: list[float]
    state: str = Field(description="support, oppose, divided, unclear or silent (see docs/positions.md).")


class PositionOut(Schema):
    slug: str
    kind: str
    original_language: str
    statement: dict[str, str]
    issues: list[str]
    forums: list[str]
    support: int
    oppose: int
    neutral: int
    classification: str = Field(
        description="shared, contested-between-groups, contested-within-groups, one-group or too-few."
    )
    direction: str | None
    groups: list[GroupFiguresOut]
    evidence_url: str


class UnitOut(Schema):
    text: str
    start: int = Field(description="Offset into the contribution's analysed text (title, text, answers, files).")
    end: int


class StanceOut(Schema):
    receipt_number: str
    url: str
    group: str
    stance: str
    score: float | None
    source: str
    evidence: list[UnitOut]


class StanceQuery(Schema):
    group: str = Field("", max_length=50)
    stance: str = Field("", pattern=r"^(|support|oppose|neutral)$")


def _consultation(slug: str) -> Consultation | None:
    return Consultation.objects.published().filter(slug=slug.replace("\x00", "")).first()


def _not_found(slug: str):
    return Status(404, {"error": "unknown-consultation", "message": f"No published consultation {slug!r}."})


def _absolute(request: HttpRequest, name: str, **kwargs) -> str:
    with translation.override("en"):
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def _figures(cell) -> dict:
    return {
        "group": cell.group,
        "contributions": cell.contributions,
        "support": cell.support,
        "oppose": cell.oppose,
        "neutral": cell.neutral,
        "support_share": cell.support_share,
        "support_interval": list(cell.support_interval),
        "oppose_share": cell.oppose_share,
        "oppose_interval": list(cell.oppose_interval),
        "lean": cell.lean,
        "lean_interval": list(cell.lean_interval),
        "state": cell.state,
    }


@router.get(
    "/consultations/{slug}/positions",
    response={200: list[PositionOut], 404: ErrorOut},
    summary="The consultation's positions, with support and opposition by stakeholder group",
)
def list_positions(request: HttpRequest, slug: str):
    consultation = _consultation(slug)
    if consultation is None:
        return _not_found(slug)
    found = selectors.positions_by_group(consultation, include_silent=True)
    rows = sorted(found["proposals"] + found["assessments"], key=lambda r: (r["position"].order, r["position"].slug))
    positions = {p.pk: p for p in Position.objects.filter(consultation=consultation).prefetch_related("forums")}
    out = []
    for row in rows:
        position, result = positions[row["position"].pk], row["agreement"]
        out.append(
            {
                "slug": position.slug,
                "kind": position.kind,
                "original_language": position.original_language,
                "statement": position.statements(),
                "issues": [i.slug for i in row["issues"]],
                "forums": [f.slug for f in position.forums.all()],
                "support": result.support,
                "oppose": result.oppose,
                "neutral": result.neutral,
                "classification": result.classification,
                "direction": result.direction,
                "groups": [_figures(cell) for cell in row["cells"]],
                "evidence_url": _absolute(
                    request, "positions:evidence", slug=consultation.slug, position=position.slug
                ),
            }
        )
    return out


@router.get(
    "/consultations/{slug}/positions/{position}/stances",
    response={200: list[StanceOut], 404: ErrorOut},
    summary="The published contributions' stances on one position, with the sentences that take them",
)
def list_stances(request: HttpRequest, slug: str, position: str, query: Query[StanceQuery]):
    consultation = _consultation(slug)
    if consultation is None:
        return _not_found(slug)
    position_obj = Position.objects.filter(consultation=consultation, slug=position.replace("\x00", "")).first()
    if position_obj is None:
        return Status(404, {"error": "unknown-position", "message": f"No position {position!r}."})
    rows = selectors.evidence(consultation, position_obj, group=query.group or None, stance=query.stance or None)
    page = _absolute(request, "record:contribution", slug=consultation.slug, receipt="~receipt~")
    return [
        {
            "receipt_number": s.contribution.receipt_number,
            "url": page.replace("~receipt~", s.contribution.receipt_number),
            "group": s.contribution.group.slug,
            "stance": s.stance,
            "score": s.score,
            "source": s.source,
            "evidence": s.evidence,
        }
        for s in rows
    ]
