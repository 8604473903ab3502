"""A large registry is written in bulk: one audit entry per batch, listing every row it created or changed."""

import pytest

from concord.core.models import AuditEntry
from concord.stakeholders import services
from concord.stakeholders.models import Entity, EntityContact
from concord.stakeholders.services import registry as registry_import

pytestmark = pytest.mark.django_db


def registry(n, *, suffix=""):
    rows = ["id,name,category,country,language,emails"]
    rows += [f"R{i},Fictional Registry Member {i}{suffix},ecosoc-ngo,KE,fr,m{i}@registry.example" for i in range(n)]
    return "\n".join(rows) + "\n"


def test_each_batch_has_one_entry_that_lists_every_row(monkeypatch):
    monkeypatch.setattr(registry_import, "IMPORT_BATCH", 40)
    report = services.import_entities("test", registry(100))
    assert report.created == 100 and Entity.objects.count() == EntityContact.objects.count() == 100
    entries = list(AuditEntry.objects.filter(action="entity.import").order_by("id"))
    assert [len(e.changes["rows"]) for e in entries] == [40, 40, 20]
    listed = [row["line"] for e in entries for row in e.changes["rows"]]
    assert listed == list(range(2, 102))
    member = EntityContact.objects.get(external_id="R7")
    row = next(r for e in entries for r in e.changes["rows"] if r["entity"] == member.entity_id)
    assert row["created"] == {
        "name": "Fictional Registry Member 7",
        "category": "ecosoc-ngo",
        "group": "civil-society",
        "country": "KE",
        "external_id": "R7",
        "language": "fr",
        "emails": ["m7@registry.example"],
    }


def test_a_reimport_lists_only_what_changed_with_its_diff():
    services.import_entities("test", registry(5))
    report = services.import_entities("test", registry(5).replace("Member 3,", "Member Three,"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    entry = AuditEntry.objects.filter(action="entity.import").latest("id")
    (row,) = entry.changes["rows"]
    assert row["updated"] == {"name": ["Fictional Registry Member 3", "Fictional Registry Member Three"]}
    assert EntityContact.objects.get(external_id="R3").entity.normalized_name == "fictional registry member three"


def test_the_same_name_and_country_under_two_identifiers_is_refused_across_batches(monkeypatch):
    monkeypatch.setattr(registry_import, "IMPORT_BATCH", 2)
    data = registry(3) + "R9,Fictional Registry Member 0,ecosoc-ngo,KE,fr,\n"
    report = services.import_entities("test", data)
    assert report.created == 3
    assert [r.line for r in report.rejected] == [5]
