"""The cast of a statements phase: the secretariat (alice), two governments' and an NGO's representatives, and
bob, a member of the public, in a fictional consultation open from OPENS to CLOSES (time frozen inside it)."""

import datetime as dt

import pytest

from concord.deliberation import services
from tests.factories import OPENS, make_consultation, make_entity

DURING = OPENS + dt.timedelta(days=3)


@pytest.fixture
def consultation(db):
    return make_consultation()


@pytest.fixture
def phase(consultation):
    return services.open_phase("test", consultation, allow_public=True)


@pytest.fixture
def statements(phase):
    texts = [
        "A new intergovernmental body should be created.",
        "The Internet Governance Forum should be strengthened.",
        "Existing mechanisms address privacy adequately.",
    ]
    return [services.add_statement("alice", phase, text=t, created_at=DURING) for t in texts]


@pytest.fixture
def representatives(phase):
    """(voter, key) for two governments and a civil-society organisation."""
    return [
        services.register_voter("alice", phase, entity=make_entity(group=group), person_name=f"Delegate {i}")
        for i, group in enumerate(["government", "government", "civil-society"])
    ]


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(DURING, tick=False)
    return DURING


@pytest.fixture
def lasting_caches(monkeypatch):
    """The voting page's per-process caches kept for the test's length: their lives are seconds of the real clock,
    which a loaded machine can spend between two requests of a query count."""
    from concord.deliberation import access

    for cache in (access._phases, access._statements, access._voters, access._priorities):
        monkeypatch.setattr(cache, "ttl", 3600)
