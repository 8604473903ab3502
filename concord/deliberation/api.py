"""The public API's statements phase: the public statements with their votes by opinion group and stakeholder
group, and the opinion groups with their stakeholder-group composition.

Read through the statements' gate, like the pages. Registered by ``concord.api.public.register``.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from concord.api.public import ErrorOut, ReadThrottle
from concord.consultations.models import Consultation

from . import selectors
from .models import Phase
from .opinions import opinion_results

router = Router(tags=["deliberation"], throttle=[ReadThrottle()])


class VotesOut(Schema):
    agree: int
    disagree: int
    pass_: int = Field(alias="pass")
    total: int


class OpinionGroupVotesOut(VotesOut):
    group: int = Field(description="The opinion group's id.")


class StakeholderVotesOut(Schema):
    group: str = Field(description="A stakeholder group's slug, or `public`.")
    agree: int
    disagree: int
    pass_: int = Field(alias="pass")
    state: str = Field(description="support, oppose, divided, unclear or silent (docs/positions.md).")


class StatementOut(Schema):
    number: int = Field(description="The statement's number (Pol.is comment-id).")
    original_language: str
    text: dict[str, str] = Field(description="The statement by language: as written, and stored translations.")
    is_meta: bool
    votes: VotesOut
    opinion_groups: list[OpinionGroupVotesOut]
    stakeholder_groups: list[StakeholderVotesOut]
    classification: str = Field(
        description="By stakeholder group: shared, contested-between-groups, contested-within-groups, one-group "
        "or too-few."
    )
    group_aware_consensus: float | None


class CompositionOut(Schema):
    group: str
    count: int


class OpinionGroupOut(Schema):
    id: int
    label: str
    size: int
    stakeholder_groups: list[CompositionOut]


class OpinionGroupsOut(Schema):
    participants: int
    groups: list[OpinionGroupOut]
    consensus_agree: list[int]
    consensus_disagree: list[int]


def _phase(slug: str) -> Phase | None:
    consultation = Consultation.objects.published().filter(slug=slug.replace("\x00", "")).first()
    return Phase.objects.filter(consultation=consultation).first() if consultation else None


def _not_found(slug: str):
    return Status(404, {"error": "unknown-consultation", "message": f"No statements phase in {slug!r}."})


@router.get(
    "/consultations/{slug}/statements",
    response={200: list[StatementOut], 404: ErrorOut},
    summary="The public statements, with their votes by opinion group and by stakeholder group",
    by_alias=True,
)
def list_statements(request: HttpRequest, slug: str):
    phase = _phase(slug)
    if phase is None:
        return _not_found(slug)
    data = opinion_results(phase)
    rows = selectors.statement_rows(phase, data)
    out = []
    for row in rows:
        statement, result = row["statement"], row["agreement"]
        texts = {statement.original_language: statement.text}
        texts.update({code: f["text"] for code, f in (statement.translations or {}).items() if f.get("text")})
        out.append(
            {
                "number": statement.number,
                "original_language": statement.original_language,
                "text": texts,
                "is_meta": statement.is_meta,
                "votes": {k: row["totals"][k] for k in ("agree", "disagree", "pass", "total")},
                "opinion_groups": [
                    {"group": b["id"], **{k: b[k] for k in ("agree", "disagree", "pass", "total")}} for b in row["bars"]
                ],
                "stakeholder_groups": [
                    {"group": c.group, "agree": c.support, "disagree": c.oppose, "pass": c.neutral, "state": c.state}
                    for c in result.groups
                ],
                "classification": result.classification,
                "group_aware_consensus": row["gac"],
            }
        )
    return out


@router.get(
    "/consultations/{slug}/opinion-groups",
    response={200: OpinionGroupsOut, 404: ErrorOut},
    summary="The opinion groups the votes form, with the stakeholder groups in each, and the consensus statements",
)
def opinion_groups(request: HttpRequest, slug: str):
    phase = _phase(slug)
    if phase is None:
        return _not_found(slug)
    data = opinion_results(phase)
    public = {str(n) for n in selectors.public_statements(phase).values_list("number", flat=True)}
    return {
        "participants": len(data["participants"]),
        "groups": [
            {
                "id": g["id"],
                "label": g["label"],
                "size": g["size"],
                "stakeholder_groups": [{"group": c["slug"], "count": c["count"]} for c in g["composition"]],
            }
            for g in selectors.opinion_groups(phase, data)
        ],
        "consensus_agree": [int(s) for s in data["consensus"].get("agree", []) if s in public],
        "consensus_disagree": [int(s) for s in data["consensus"].get("disagree", []) if s in public],
    }
