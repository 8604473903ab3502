import datetime as dt

import pytest

from concord.core import audit
from concord.core.models import AuditEntry
from tests.factories import make_entity

pytestmark = pytest.mark.django_db


def test_diff_names_only_the_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
    assert audit.diff({}, {"a": 1}) == {"a": [None, 1]}


def test_snapshot_is_json_safe_and_keyed_by_attribute(alice):
    entity = make_entity(name="Fictional Lighthouse Society", country="CL")
    values = audit.snapshot(entity)
    assert values["name"] == "Fictional Lighthouse Society"
    assert values["country"] == "CL"
    assert isinstance(values["group_id"], int)
    assert isinstance(values["created_at"], str)
    dt.datetime.fromisoformat(values["created_at"])


def test_a_user_actor_is_kept_with_its_name(alice):
    entity = make_entity()
    entry = audit.log(alice, "entity.test", entity, {"x": [1, 2]})
    assert (entry.actor, entry.actor_label, entry.target_repr) == (alice, "alice", entity.name)
    assert list(audit.entries_for(entity).values_list("action", flat=True)) == ["entity.test", "entity.create"]


def test_a_system_actor_is_kept_as_a_label():
    entry = AuditEntry.objects.get(action="entity.create", target_id=str(make_entity().pk))
    assert entry.actor is None
    assert entry.actor_label == "test"
