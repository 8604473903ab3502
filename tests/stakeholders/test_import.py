import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from concord.core.models import AuditEntry
from concord.stakeholders.models import Entity, EntityContact
from concord.stakeholders.services import import_entities

pytestmark = pytest.mark.django_db

GOOD = """name,category,group,country,language,emails,id
Fictional Network for Open Access,ecosoc-ngo,,KE,en,info@fnoa.example;policy@fnoa.example,NGO-1
Association fictive des usagers,wsis-accredited,civil-society,SN,fr,contact@afu.example,
Cámara Ficticia de Comercio Digital,business,private-sector,AR,es,camara@cfcd.example,BIZ-7
"""


def test_it_creates_entities_with_contacts():
    report = import_entities("test", GOOD)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (3, 0, 0, [])
    network = Entity.objects.get(name="Fictional Network for Open Access")
    assert network.group.slug == "civil-society"  # the category's default group
    assert network.contact.emails == ["info@fnoa.example", "policy@fnoa.example"]
    assert network.contact.external_id == "NGO-1"
    # One entry for the batch, listing every row with what it created.
    (entry,) = AuditEntry.objects.filter(action="entity.import")
    assert [row["line"] for row in entry.changes["rows"]] == [2, 3, 4]
    assert entry.changes["rows"][0]["created"]["name"] == "Fictional Network for Open Access"


def test_reimporting_the_same_file_changes_nothing():
    import_entities("test", GOOD)
    report = import_entities("test", GOOD)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Entity.objects.count() == 3


def test_it_updates_by_stable_id_even_when_the_name_changes():
    import_entities("test", GOOD)
    renamed = "id,name,category,country,language,emails\nNGO-1,Fictional Network for Open Knowledge,ecosoc-ngo,KE,fr,\n"
    report = import_entities("test", renamed)
    assert (report.created, report.updated) == (0, 1)
    entity = EntityContact.objects.get(external_id="NGO-1").entity
    assert entity.name == "Fictional Network for Open Knowledge"
    assert entity.contact.language == "fr"
    assert entity.contact.emails == ["info@fnoa.example", "policy@fnoa.example"]  # empty cell keeps what was known


def test_it_matches_on_normalised_name_and_country_without_id():
    import_entities("test", GOOD)
    again = "name,category,country,emails\n  ASSOCIATION  fictive des USAGERS ,wsis-accredited,SN,new@afu.example\n"
    report = import_entities("test", again)
    assert (report.created, report.updated) == (0, 1)
    assert Entity.objects.filter(normalized_name="association fictive des usagers").count() == 1
    # Same name, another country: another entity.
    report = import_entities("test", "name,category,country\nAssociation fictive des usagers,wsis-accredited,ML\n")
    assert report.created == 1


def test_it_reports_malformed_rows_and_imports_the_rest():
    data = (
        "name,category,group,country,language,emails,id\n"
        ",ecosoc-ngo,,KE,en,a@b.example,\n"  # 2: no name
        "Fictional A,unknown-cat,,KE,en,,\n"  # 3: unknown category
        "Fictional B,ecosoc-ngo,aliens,KE,en,,\n"  # 4: unknown group
        "Fictional C,ecosoc-ngo,,XX,en,,\n"  # 5: unknown country
        "Fictional D,ecosoc-ngo,,KE,de,,\n"  # 6: not a UN language
        "Fictional E,ecosoc-ngo,,KE,en,not-an-email,\n"  # 7: bad e-mail
        "Fictional F,ecosoc-ngo,,KE,en,,,extra\n"  # 8: too many cells
        "Fictional G,ecosoc-ngo,,KE,zh,g@g.example,X1\n"  # 9: good (zh means zh-hans)
        "Fictional H,ecosoc-ngo,,KE,en,,X1\n"  # 10: duplicate identifier
        "Fictional G,ecosoc-ngo,,KE,en,,\n"  # 11: good: no id, matched later by name (a different row than 9? no)
        "\n"
    )
    report = import_entities("test", data)
    reasons = {r.line: r.reason for r in report.rejected}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 10, 11]
    assert "name" in reasons[2].lower()
    assert "unknown-cat" in reasons[3]
    assert "aliens" in reasons[4]
    assert "XX" in reasons[5]
    assert "de" in reasons[6]
    assert "not-an-email" in reasons[7]
    assert "line 9" in reasons[10] and "line 9" in reasons[11]
    assert report.created == 1
    assert Entity.objects.get().contact.language == "zh-hans"


def test_it_refuses_a_file_without_the_required_columns():
    with pytest.raises(ValidationError, match="category"):
        import_entities("test", "name,country\nFictional,KE\n")


def test_it_reads_windows_1252_and_semicolons():
    data = "name;category;country\nCâmara Fictícia;business;BR\n".encode("cp1252")
    report = import_entities("test", data)
    assert report.created == 1
    assert Entity.objects.get().name == "Câmara Fictícia"


def test_the_command_prints_the_report(tmp_path, capsys):
    path = tmp_path / "registry.csv"
    path.write_text(GOOD + "Broken,nope,,KE,en,,\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import-entities", str(path))
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert "3 created" in out and "1 rejected" in out
    assert "line 5: Unknown category" in err


def test_an_entity_with_an_unknown_country_code_is_refused():
    from concord.stakeholders.models import EntityCategory
    from concord.stakeholders.services import create_entity

    category = EntityCategory.objects.get(slug="ecosoc-ngo")
    with pytest.raises(ValidationError) as refused:
        create_entity("test", name="Fictional Nowhere Society", category=category, country="ZZ")
    assert "country" in refused.value.message_dict
    assert create_entity("test", name="Fictional Somewhere Society", category=category, country="KE").country == "KE"
    assert not Entity.objects.filter(name="Fictional Nowhere Society").exists()
