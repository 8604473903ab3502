"""Finding or creating the entity a contributor speaks for: one organisation is one entity, even under a race."""

import threading
import time

import pytest
from django.db import connection

from concord.stakeholders import services
from concord.stakeholders.models import Entity, EntityCategory, StakeholderGroup
from concord.stakeholders.services import find_or_create_entity

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
    create = services.create_entity

    def slow_create(*args, **kwargs):
        # Widen the window between the lookup and the insert: without the lock on the key, both threads would be
        # in it at once and each would create its own entity.
        time.sleep(0.3)
        return create(*args, **kwargs)

    monkeypatch.setattr(services, "create_entity", slow_create)
    start = threading.Barrier(4)
    found, errors = [], []

    def contributor(name):
        try:
            start.wait()
            found.append(find_or_create(name).pk)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # This thread's own connection.

    threads = [threading.Thread(target=contributor, args=(name,)) for name in [NAME, NAME.upper(), NAME, NAME]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(found) == 4 and len(set(found)) == 1
    assert Entity.objects.filter(name__iexact=NAME).count() == 1
