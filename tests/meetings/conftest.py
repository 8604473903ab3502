import datetime as dt

import pytest

from concord.core.services import grant_role
from concord.meetings import services
from tests.factories import UserFactory, make_consultation, make_entity, make_meeting

UTC = dt.UTC


@pytest.fixture
def chuck(db):
    """The meeting's chair: an account without staff rights."""
    return UserFactory(username="chuck")


@pytest.fixture
def sam(db):
    """A secretariat officer in the meeting-chair role (staff, not superuser, not this meeting's chair)."""
    return grant_role("test", UserFactory(username="sam", is_staff=True), "meeting-chair")


@pytest.fixture
def meeting(db, chuck):
    consultation = make_consultation()
    meeting = make_meeting(consultation)
    return services.update_meeting("test", meeting, chair=chuck, speaking_time_seconds=120)


@pytest.fixture
def speakers(meeting):
    """Three registered participants from three groups."""
    people = [
        ("Ana Ficticia", make_entity("Fictional Open Net", category="ecosoc-ngo")),
        ("Bo Fictional", make_entity("Fictional Chip Makers", category="business", country="TV")),
        ("Chen Xuni", make_entity("Fictional Ministry", category="member-state", country="")),
    ]
    return [services.register_participant("test", meeting, entity=e, person_name=n) for n, e in people]


@pytest.fixture(autouse=True)
def _fresh_floor_cache():
    # Live states are cached per meeting and version; ids are reused from one test to the next.
    from django.core.cache import cache

    cache.clear()
