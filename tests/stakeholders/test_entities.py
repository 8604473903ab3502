"""Finding or creating the entity a contributor speaks for: one organisation is one entity, even under a race."""

import pytest
from django.db import connection

from concord.stakeholders.models import Entity, EntityCategory, StakeholderGroup
from concord.stakeholders.services import entities, find_or_create_entity
from tests.concurrency import at_once, slowed

NAME = "Fictional Coopérative for Rural Connectivity"


def find_or_create(name=NAME, country="KE"):
    return find_or_create_entity(
        "test",
        name=name,
        category=EntityCategory.objects.get(slug="ecosoc-ngo"),
        group=StakeholderGroup.objects.get(slug="civil-society"),
        country=country,
    )


@pytest.mark.django_db
def test_it_finds_the_organisation_whatever_the_case_accents_and_spacing():
    first = find_or_create()
    assert find_or_create("  fictional COOPÉRATIVE for   rural connectivity ") == first
    assert find_or_create("Fictional Cooperative for Rural Connectivity") == first
    assert find_or_create(country="SN") != first  # Another country is another organisation.
    assert Entity.objects.filter(normalized_name=first.normalized_name).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)  # Each thread commits on its own connection, as server threads do.
def test_two_simultaneous_first_submissions_of_one_organisation_create_one_entity(reference_data, monkeypatch):
    # Without the lock on the key, all four would be between the lookup and the insert at once.
    slowed(monkeypatch, entities, "create_entity")
    found, errors = at_once(lambda name: find_or_create(name).pk, [(NAME,), (NAME.upper(),), (NAME,), (NAME,)])
    assert errors == []
    assert len(found) == 4 and len(set(found)) == 1
    assert Entity.objects.filter(name__iexact=NAME).count() == 1
