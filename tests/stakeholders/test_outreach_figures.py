"""The outreach figures are counted by the database: the same numbers as counting invitation by invitation, in a
fixed number of queries whatever the number of invitations."""

from collections import Counter

import pytest
from django.template import Context, Template

from concord.contributions.models import Contribution
from concord.contributions.services import moderate_contribution, withdraw_contribution
from concord.stakeholders import services
from concord.stakeholders.models import Entity, Invitation, InvitationState
from concord.stakeholders.outreach import outreach, region_of, statuses_of
from tests.factories import make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db

# Kenya (Africa, other), Senegal (least developed), Tuvalu (least developed and small island), Lao PDR (least
# developed and landlocked), France (Europe), Brazil (Americas), and an entity without a country.
REGISTRY = """id,name,category,group,country,language,emails
F1,Fictional Open Net,ecosoc-ngo,,KE,en,a@open.example
F2,Réseau fictif,wsis-accredited,civil-society,SN,fr,b@reseau.example;c@reseau.example
F3,Fictional Chip Makers,business,,TV,en,d@chips.example
F4,Fictional Mountain Link,ecosoc-ngo,,LA,en,e@mountain.example
F5,Fictional Ministry,member-state,,,ar,minister@ministry.example
F6,Fictional Cable Union,business,,FR,fr,f@cable.example;g@cable.example
F7,Fictional Rede Aberta,wsis-accredited,civil-society,BR,en,h@rede.example
F8,Fictional Spam Sender,business,,KE,en,i@spam.example
"""


def _straight_count(consultation) -> dict:
    """The figures the plain way: every invitation read with its entity, asked whether its entity contributed or
    one of its addresses sent a counted contribution."""
    counted = list(Contribution.objects.filter(consultation=consultation).counted())
    entity_ids = {c.entity_id for c in counted}
    addresses = {c.contact_email.lower() for c in counted if c.contact_email}
    invited = {dim: Counter() for dim in ("by_group", "by_category", "by_region", "by_status")}
    responded = {dim: Counter() for dim in invited}
    states = Counter()
    invitations = Invitation.objects.filter(consultation=consultation).select_related(
        "entity__group", "entity__category"
    )
    for invitation in invitations:
        entity = invitation.entity
        answered = invitation.entity_id in entity_ids or any(e.lower() in addresses for e in invitation.emails)
        states[invitation.state] += 1
        states["answered"] += answered
        keys = {
            "by_group": [entity.group.slug],
            "by_category": [entity.category.slug],
            "by_region": [region_of(entity.country)],
            "by_status": statuses_of(entity.country),
        }
        for dim, values in keys.items():
            for value in values:
                invited[dim][value] += 1
                responded[dim][value] += answered
    return {
        "invited": len(invitations),
        "sent": states[InvitationState.SENT],
        "failed": states[InvitationState.FAILED],
        "bounced": states[InvitationState.BOUNCED],
        "responded": states["answered"],
        **{dim: {key: (n, responded[dim][key]) for key, n in invited[dim].items()} for dim in invited},
    }


def _as_counts(figures) -> dict:
    data = figures.as_dict()
    rows = {dim: {r["key"]: (r["invited"], r["responded"]) for r in data.pop(dim) if r["invited"]} for dim in _DIMS}
    return {**data, **rows}


_DIMS = ("by_group", "by_category", "by_region", "by_status")


@pytest.fixture
def campaign(settings, django_capture_on_commit_callbacks):
    """Eight invited entities: one answered as itself, three from an address they were invited at (in another case
    on either side), one withdrew, one was rejected as spam, one bounced, one's address sent only spam."""
    settings.CONCORD_INVITATIONS_PER_SECOND = 0
    services.import_entities("test", REGISTRY)
    consultation = make_consultation()
    with django_capture_on_commit_callbacks(execute=True):
        services.launch_campaign("test", services.create_campaign("test", consultation, name="Everyone"))
    entity = {e.contact.external_id: e for e in Entity.objects.filter(contact__external_id__startswith="F")}
    services.mark_bounced("test", Invitation.objects.get(entity=entity["F4"]), "550 no such user")

    # F1 answers as itself, from an address F6 was also invited at: both count, F6 by its address.
    by_f1 = make_contribution(consultation, entity["F1"])
    # F2's colleague writes from an address F2 was invited at, as a new entity the form created.
    by_colleague = make_contribution(consultation, make_entity("Fictional Colleague Office", country="SN"))
    # The contact address comes with a submission from the web form; staff recording sets none.
    Contribution.objects.filter(pk=by_f1.pk).update(contact_email="G@Cable.example")
    Contribution.objects.filter(pk=by_colleague.pk).update(contact_email="C@RESEAU.example")
    # An address typed in the admin keeps its case on the invitation; F7's partner wrote from it.
    Invitation.objects.filter(entity=entity["F7"]).update(emails=["H@Rede.example"])
    by_partner = make_contribution(consultation, make_entity("Fictional Partner Office", country="BR"))
    Contribution.objects.filter(pk=by_partner.pk).update(contact_email="h@rede.example")
    # F3 withdrew, F8's contribution was spam: neither counts, nor does a spam from F5's address.
    withdraw_contribution("test", make_contribution(consultation, entity["F3"]))
    moderate_contribution("test", make_contribution(consultation, entity["F8"]), "reject", "Spam test.")
    spam = make_contribution(consultation, make_entity("Fictional Spam Relay"))
    Contribution.objects.filter(pk=spam.pk).update(contact_email="minister@ministry.example")
    moderate_contribution("test", spam, "reject", "Spam test.")
    return consultation


def test_the_figures_match_a_count_invitation_by_invitation(campaign):
    figures = outreach(campaign)
    assert _as_counts(figures) == _straight_count(campaign)
    # F1 (itself), F2 (its colleague's address, in another case), F6 (the address F1 wrote from), F7 (its partner's).
    assert (figures.invited, figures.sent, figures.bounced, figures.failed, figures.responded) == (8, 7, 1, 0, 4)
    regions = {r.key: (r.invited, r.responded) for r in figures.by_region}
    assert regions == {
        "africa": (3, 2),
        "americas": (1, 1),
        "asia": (1, 0),
        "europe": (1, 1),
        "oceania": (1, 0),
        "none": (1, 0),
    }


def test_the_figures_take_three_queries_whatever_the_number_of_invitations(campaign, django_assert_num_queries):
    with django_assert_num_queries(3):
        outreach(campaign)
    extra = [f"Fictional Extra {i},ecosoc-ngo,{c},en,x{i}@extra.example" for i, c in enumerate(["KE", "TV"] * 20)]
    services.import_entities("test", "\n".join(["name,category,country,language,emails", *extra]))
    services.launch_campaign("test", services.create_campaign("test", campaign, name="More"))
    with django_assert_num_queries(3):
        figures = outreach(campaign)
    assert figures.invited == 48 and _as_counts(figures) == _straight_count(campaign)
    # The page's tag: the outreach figures and the contributions' breakdown (two more).
    template = Template("{% load outreach %}{% outreach_figures consultation as f %}{{ f.outreach.invited }}")
    with django_assert_num_queries(5):
        assert template.render(Context({"consultation": campaign})) == "48"


def test_the_demo_figures_match_a_count_invitation_by_invitation(demo):
    assert _as_counts(outreach(demo)) == _straight_count(demo)
