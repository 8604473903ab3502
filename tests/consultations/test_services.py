"""Consultation writes go through services that leave field-level audit entries."""

import pytest
from django.core.exceptions import ValidationError

from concord.consultations import services
from concord.core.audit import entries_for
from tests.factories import make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db


def test_creation_is_audited_with_every_field_groups_and_questions():
    consultation = make_consultation(groups=("government", "civil-society"), questions=("Q1?", "Q2?"))
    entry = entries_for(consultation).get(action="consultation.create")
    assert entry.actor_label == "test"
    assert entry.changes["title"] == [None, "A fictional consultation"]
    assert entry.changes["groups"] == [None, ["government", "civil-society"]]
    assert entry.changes["questions"] == [None, ["Q1?", "Q2?"]]
    assert [g.slug for g in consultation.ordered_groups()] == ["government", "civil-society"]
    assert list(consultation.questions.values_list("text", flat=True)) == ["Q1?", "Q2?"]


def test_update_records_only_the_changed_fields(alice):
    consultation = make_consultation()
    services.update_consultation(alice, consultation, title="A renamed fictional consultation")
    entry = entries_for(consultation).get(action="consultation.update")
    assert entry.changes == {"title": ["A fictional consultation", "A renamed fictional consultation"]}
    assert entry.actor == alice


def test_an_update_that_changes_nothing_writes_no_entry(alice):
    consultation = make_consultation()
    services.update_consultation(alice, consultation, title=consultation.title)
    assert not entries_for(consultation).filter(action="consultation.update").exists()


def test_it_refuses_to_edit_fields_outside_the_service(alice):
    consultation = make_consultation()
    with pytest.raises(ValueError):
        services.update_consultation(alice, consultation, published_at=None)


def test_questions_are_replaced_in_order(alice):
    consultation = make_consultation(questions=("Old?",))
    services.set_questions(alice, consultation, ["First?", " ", "Second?"])
    assert list(consultation.questions.values_list("text", flat=True)) == ["First?", "Second?"]
    assert entries_for(consultation).get(action="consultation.questions").changes == {
        "questions": [["Old?"], ["First?", "Second?"]]
    }


def test_a_group_with_contributions_cannot_be_dropped(alice):
    consultation = make_consultation(groups=("government", "civil-society"))
    make_contribution(consultation, make_entity(category="ecosoc-ngo"))
    with pytest.raises(ValidationError):
        services.set_groups(alice, consultation, ["government"])
    services.set_groups(alice, consultation, ["civil-society"])
    assert [g.slug for g in consultation.ordered_groups()] == ["civil-society"]
