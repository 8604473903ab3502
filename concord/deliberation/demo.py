"""The rehearsal consultation's statements phase: statements from its codebook and fictional votes, so that the
voting page, the opinion map and the lists have something to show on `make run`.

Every voter is one of the demo's fictional entities (or a fictional member of the public); the votes are drawn
from a fixed random generator with leanings by stakeholder group, never attributed to a real organisation.
"""

from __future__ import annotations

import datetime as dt
import random

from concord.positions.codebook import DEMO_CODEBOOK, load_codebook, read_codebook
from concord.positions.models import Position
from concord.stakeholders.models import Entity

from . import opinions, services
from .models import Phase

ACTOR = "demo"
SEED = 2010
# Two ways of seeing enhanced cooperation, as the 2010 report describes them: a new intergovernmental arrangement,
# or existing multistakeholder forums. Each fictional voter leans to one; the statements below divide them.
INTERGOVERNMENTAL = {
    "intergovernmental-body": 1,
    "permanent-un-committee": 1,
    "arbitration-mechanism": 1,
    "cstd-working-group": 1,
    "cooperation-not-started": 1,
    "cooperation-under-way": -1,
    "igf-strengthened": -1,
}
MULTISTAKEHOLDER = {slug: -value for slug, value in INTERGOVERNMENTAL.items()}
# What nearly every voter agrees with, whichever way they lean.
SHARED = {"capacity-building-commitments", "stakeholder-dialogue", "not-addressed-spam", "global-principles"}
# The share of each group's voters leaning intergovernmental.
LEANING = {"government": 0.75, "international-organization": 0.5, "civil-society": 0.2, "private-sector": 0.15}
PUBLIC_VOTERS = 25
VOTERS_PER_GROUP = 20


def _value(rng: random.Random, slug: str, camp: dict) -> int:
    if slug in SHARED:
        return rng.choices([1, 0, -1], weights=[85, 10, 5])[0]
    if slug in camp:
        lean = camp[slug]
        return rng.choices([lean, 0, -lean], weights=[75, 10, 15])[0]
    return rng.choices([1, 0, -1], weights=[45, 25, 30])[0]


def load_statements(consultation, now: dt.datetime) -> Phase:
    """Open the rehearsal's statements phase (the public may vote), seed it from the 2010 demo's codebook, and
    cast the fictional votes."""
    if not Position.objects.filter(consultation=consultation).exists():
        load_codebook(ACTOR, consultation, read_codebook(DEMO_CODEBOOK))
    phase = services.open_phase(ACTOR, consultation, allow_public=True)
    statements = services.seed_statements_from_positions(ACTOR, consultation)
    slugs = {s.pk: s.position.slug for s in statements}
    rng = random.Random(SEED)
    heard = [g.slug for g in consultation.ordered_groups()]
    entities = Entity.objects.filter(is_fictional=True, group__slug__in=heard).select_related("group").order_by("pk")
    # A few dozen voters per group are enough to show groups on the map; the demo's registry of invitees holds
    # thousands of fictional entities, and voting for each of them made `make run` wait minutes.
    per_group: dict[str, list] = {}
    for entity in entities.iterator():
        chosen = per_group.setdefault(entity.group.slug, [])
        if len(chosen) < VOTERS_PER_GROUP:
            chosen.append(entity)
    voters = [
        services.register_voter(ACTOR, phase, entity=e, person_name=f"Representative of {e.name}")[0]
        for e in sorted((e for chosen in per_group.values() for e in chosen), key=lambda e: e.pk)
    ]
    voters += [services.join_as_public(phase, now=now)[0] for _ in range(PUBLIC_VOTERS)]
    for index, voter in enumerate(voters):
        share = LEANING.get(voter.group.slug if voter.group else "", 0.4)
        camp = INTERGOVERNMENTAL if rng.random() < share else MULTISTAKEHOLDER
        # Most voters answer most statements; some stop early, as on any voting page.
        answered = statements[: rng.randint(max(7, len(statements) // 2), len(statements))]
        for offset, statement in enumerate(answered):
            when = now - dt.timedelta(minutes=50) + dt.timedelta(seconds=index * 20 + offset)
            services.cast_vote(voter, statement, _value(rng, slugs[statement.pk], camp), now=when)
    # The map and the lists show from the first page read, without waiting for the task worker.
    opinions.refresh(phase)
    return phase
