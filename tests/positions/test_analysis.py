"""``concord analyze run`` reads every contribution against the codebook and stores stances, keeping reviewed ones."""

from django.core.management import call_command

from concord.consultations.demo import DEMO_SLUG
from concord.positions import services
from concord.positions.analysis import analyse_stances
from concord.positions.models import Stance, StanceSource


def stance_of(receipt: str, slug: str) -> str | None:
    row = Stance.objects.filter(contribution__receipt_number=receipt, position__slug=slug).first()
    return row.stance if row else None


def test_analyze_run_stores_stances_with_their_evidence(analysed_demo):
    stances = Stance.objects.filter(position__consultation=analysed_demo)
    assert stances.count() > 98
    # Meeting turns are contributions too.
    assert stances.filter(contribution__channel="intervention").exists()
    for stance in stances.select_related("contribution")[:200]:
        text = stance.contribution.analysis_text
        assert stance.evidence, stance
        for unit in stance.evidence:
            assert text[unit["start"] : unit["end"]] == unit["text"]
        assert 0.0 <= stance.score <= 1.0


def test_the_new_body_is_put_forward_by_its_proposer_and_opposed_by_its_critics(analysed_demo):
    """Issue 15: the report named five contributions as proposing an intergovernmental body; only one does."""
    assert stance_of("EC2010-W-000009", "intergovernmental-body") == "support"
    assert stance_of("EC2010-W-000019", "intergovernmental-body") == "oppose"
    assert stance_of("EC2010-W-000056", "intergovernmental-body") == "oppose"
    for receipt in ("EC2010-W-000021", "EC2010-W-000040"):
        assert stance_of(receipt, "intergovernmental-body") in (None, "neutral"), receipt


def test_a_second_run_keeps_what_the_secretariat_reviewed(alice, analysed_demo):
    automatic = Stance.objects.filter(position__consultation=analysed_demo, source=StanceSource.AUTOMATIC)
    corrected = automatic.filter(stance="support").first()
    confirmed = automatic.exclude(pk=corrected.pk).first()
    services.correct_stance(alice, corrected, "oppose")
    services.confirm_stance(alice, confirmed)
    before = Stance.objects.count()

    call_command("analyze", "run", DEMO_SLUG, verbosity=0)

    corrected.refresh_from_db()
    confirmed.refresh_from_db()
    assert (corrected.stance, corrected.source) == ("oppose", StanceSource.CORRECTED)
    assert confirmed.source == StanceSource.CONFIRMED
    # The corrected sentence now teaches the detector; the count may move, but only by what it learned.
    assert abs(Stance.objects.count() - before) < 50


def test_a_consultation_without_a_codebook_is_left_alone(db):
    from tests.factories import make_consultation, make_contribution

    consultation = make_consultation()
    make_contribution(consultation)
    assert analyse_stances("test", consultation) == {"positions": 0}
    assert not Stance.objects.exists()


def test_retraining_reports_macro_f1_before_and_after_on_held_out_reviews(alice, alice_client, analysed_demo):
    from django.contrib.admin import helpers
    from django.urls import reverse

    from concord.positions.learning import reviewed_improvement

    assert reviewed_improvement(analysed_demo) is None
    automatic = Stance.objects.filter(position__consultation=analysed_demo, source=StanceSource.AUTOMATIC)
    sides = list(automatic.filter(stance="support")[:4]) + list(automatic.filter(stance="oppose")[:4])
    for stance in sides[:6]:
        services.confirm_stance(alice, stance)
    for stance in sides[6:]:
        services.correct_stance(alice, stance, "support")

    gain = reviewed_improvement(analysed_demo)
    assert gain["examples"] == 8
    assert 0.0 <= gain["zero_shot_f1"] <= 1.0 and 0.0 <= gain["trained_f1"] <= 1.0

    response = alice_client.post(
        reverse("admin:positions_stance_changelist"),
        {"action": "retrain", helpers.ACTION_CHECKBOX_NAME: [sides[0].pk]},
        follow=True,
    )
    message = [str(m) for m in response.context["messages"]][0]
    assert "retrained on 8 reviewed stances; macro F1 (support, oppose)" in message
