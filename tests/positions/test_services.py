"""The codebook and the stances are written through services, in one transaction, with audit entries."""

import pytest
from django.core.exceptions import ValidationError

from concord.core.audit import entries_for
from concord.policy.models import Forum, PolicyIssue
from concord.positions import services
from concord.positions.models import Position, Stance, StanceSource

from .conftest import stance_row


def test_creating_a_position_is_audited_with_its_links(consultation):
    position = services.create_position(
        "alice",
        consultation,
        slug="privacy-gap",
        kind="assessment",
        statement="Privacy is not adequately addressed by existing mechanisms.",
        issues=[PolicyIssue.objects.get(slug="privacy")],
        forums=[Forum.objects.get(slug="oecd")],
    )
    entry = entries_for(position).get()
    assert entry.action == "positions.position.create"
    assert entry.changes["slug"] == [None, "privacy-gap"]
    assert entry.changes["issues"] == [None, ["privacy"]]
    assert entry.changes["forums"] == [None, ["oecd"]]


def test_a_slug_is_unique_within_a_consultation(consultation, position):
    with pytest.raises(ValidationError):
        services.create_position("alice", consultation, slug="new-body", statement="Again.")


def test_translations_must_use_the_six_languages(consultation):
    with pytest.raises(ValidationError):
        services.create_position(
            "alice", consultation, slug="x", statement="X.", translations={"de": {"statement": "X."}}
        )
    assert not Position.objects.filter(slug="x").exists()


def test_examples_need_a_known_stance(consultation):
    with pytest.raises(ValidationError):
        services.create_position(
            "alice", consultation, slug="x", statement="X.", examples=[{"text": "Yes.", "stance": "maybe"}]
        )


def test_updating_logs_only_what_changed(position):
    services.update_position("alice", position, statement="A new body should be created.", order=5)
    services.update_position("alice", position, issues=[PolicyIssue.objects.get(slug="cybersecurity")])
    actions = {e.action: e.changes for e in entries_for(position)}
    assert actions["positions.position.update"] == {
        "statement": ["A new intergovernmental body should be created.", "A new body should be created."],
        "order": [0, 5],
    }
    assert actions["positions.position.relink"] == {"issues": [[], ["cybersecurity"]]}


def test_unknown_fields_cannot_be_edited(position, consultation):
    with pytest.raises(ValidationError):
        services.update_position("alice", position, consultation=consultation)


def test_statement_in_falls_back_to_the_original(position):
    assert position.statement_in("fr") == ("Un nouvel organe intergouvernemental devrait être créé.", "fr")
    assert position.statement_in("ar") == ("A new intergovernmental body should be created.", "en")
    assert list(position.statements()) == ["en", "fr"]


def test_saving_stances_replaces_automatic_ones_and_keeps_reviewed_ones(consultation, position, contribution):
    other = services.create_position("test", consultation, slug="igf", statement="Strengthen the IGF.")
    services.save_stances("command", consultation, {contribution.pk: [stance_row("new-body"), stance_row("igf")]})
    reviewed = Stance.objects.get(position=position)
    services.correct_stance("alice", reviewed, "oppose")

    result = services.save_stances(
        "command", consultation, {contribution.pk: [stance_row("new-body", "support"), stance_row("igf", "neutral")]}
    )

    assert result["stances"] == 1 and result["kept"] == 1
    reviewed.refresh_from_db()
    assert (reviewed.stance, reviewed.source) == ("oppose", StanceSource.CORRECTED)
    assert Stance.objects.get(position=other).stance == "neutral"
    assert Stance.objects.get(position=other).evidence == [{"text": "We call for a new body.", "start": 0, "end": 23}]
    assert entries_for(consultation).filter(action="positions.stances.save").count() == 2


def test_unknown_positions_in_results_are_ignored(consultation, position, contribution):
    result = services.save_stances("command", consultation, {contribution.pk: [stance_row("nobody-wrote-this")]})
    assert result["stances"] == 0


def test_confirming_records_who_and_when(alice, consultation, position, contribution):
    services.save_stances("command", consultation, {contribution.pk: [stance_row("new-body")]})
    stance = Stance.objects.get()
    services.confirm_stance(alice, stance)
    stance.refresh_from_db()
    assert (stance.source, stance.confirmed_by) == (StanceSource.CONFIRMED, alice)
    assert stance.confirmed_at is not None
    entry = entries_for(stance).get()
    assert entry.action == "positions.stance.confirm"
    assert entry.changes["source"] == ["automatic", "confirmed"]


def test_correcting_to_an_unknown_stance_is_refused(consultation, position, contribution):
    services.save_stances("command", consultation, {contribution.pk: [stance_row("new-body")]})
    with pytest.raises(ValidationError):
        services.correct_stance("alice", Stance.objects.get(), "maybe")


def test_deleting_a_position_keeps_what_it_said_in_the_audit_log(consultation, position, contribution):
    services.save_stances("command", consultation, {contribution.pk: [stance_row("new-body")]})
    pk = position.pk
    services.delete_position("alice", position)
    assert not Stance.objects.exists()
    from concord.core.models import AuditEntry

    entry = AuditEntry.objects.get(action="positions.position.delete", target_id=str(pk))
    assert entry.changes["stances"] == [1, None]
