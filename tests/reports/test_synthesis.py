"""Sections III-V and the conclusions: a synthesis drawn from the positions, quoting their evidence sentences only."""

import datetime as dt
import io
import re
from collections import Counter
from types import SimpleNamespace

import docx
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from concord.analysis.agreement import agreement
from concord.contributions.models import Channel, Consent, Contribution
from concord.contributions.services import Submitter, moderate_contribution, submit_written_contribution
from concord.meetings.models import Participant
from concord.positions import services as positions
from concord.positions.access import public_stances
from concord.positions.models import Stance
from concord.reports import render
from concord.reports import synthesis_text as t
from concord.reports.generate import draft_paragraphs, gather
from concord.reports.models import Section
from concord.reports.services import generate_report
from concord.stakeholders.models import Entity
from concord.stakeholders.services import update_entity
from tests.factories import make_consultation, make_contribution, make_entity

pytestmark = pytest.mark.django_db

# A quote: after "wrote:" or "said:", in the language's quotation marks, isolated (U+2068 ... U+2069).
QUOTE = {
    "en": re.compile(
        "(Also in favour|In favour|Against)?,? ?(\u2068[^\u2069]*\u2069|a contributor of the group “[^”]*”) "
        "(wrote|said): “\u2068([^\u2069]*)\u2069”"
    ),
    "fr": re.compile(
        "(Également en faveur|En faveur|Contre)?,? ?(\u2068[^\u2069]*\u2069|un auteur du groupe «\u00a0[^»]*\u00a0») "
        "(a écrit|a déclaré)\u00a0: «\u00a0\u2068([^\u2069]*)\u2069\u00a0»"
    ),
}
SIDE = {
    "In favour": "support",
    "Also in favour": "support",
    "En faveur": "support",
    "Également en faveur": "support",
    "Against": "oppose",
    "Contre": "oppose",
}
ORAL = {"said", "a déclaré"}


@pytest.fixture
def english(analysed_demo):
    return generate_report("test", analysed_demo, "en")


@pytest.fixture
def french(analysed_demo):
    return generate_report("test", analysed_demo, "fr")


def receipt(pk) -> str:
    return Contribution.objects.get(pk=pk).receipt_number


def evidence_sentences(position_slugs, consultation) -> dict[str, list[tuple[str, str, Contribution]]]:
    """Per stance side, the first evidence sentence of each public stance on these positions, with its contribution."""
    found = {"support": [], "oppose": []}
    rows = public_stances(consultation).filter(position__slug__in=position_slugs).exclude(stance="neutral")
    for stance in rows.select_related("contribution"):
        if stance.evidence:
            found[stance.stance].append((stance.evidence[0]["text"], stance.contribution))
    return found


def quotes_of(text: str, language: str) -> list[tuple[str | None, str, str, str]]:
    """(side, who, verb, sentence) of every quote in a paragraph; a cut sentence loses its " …"."""
    return [
        (SIDE.get(side), who, verb, sentence.removesuffix(" …"))
        for side, who, verb, sentence in QUOTE[language].findall(text)
    ]


def test_no_opponent_is_counted_or_quoted_as_a_supporter(english, analysed_demo):
    stances = {
        s.contribution.receipt_number: s.stance
        for s in Stance.objects.filter(position__slug="intergovernmental-body").select_related("contribution")
    }
    # The detector read these three right in the demo: the report must keep them on their side.
    assert stances["EC2010-W-000019"] == stances["EC2010-W-000056"] == "oppose"
    assert stances["EC2010-W-000009"] == "support"

    paragraph = english.paragraphs.get(key="position.intergovernmental-body")
    sides = evidence_sentences(["intergovernmental-body"], analysed_demo)
    public = public_stances(analysed_demo).filter(position__slug="intergovernmental-body")
    support, oppose = public.filter(stance="support").count(), public.filter(stance="oppose").count()
    assert f"was put forward in {support} contributions (" in paragraph.text
    assert f"The opposite view was taken in {oppose} contributions (" in paragraph.text
    quotes = quotes_of(paragraph.text, "en")
    assert quotes
    opponents = {text for text, _c in sides["oppose"]}
    for side, _who, _verb, sentence in quotes:
        owners = [c for text, c in sides[side] if text.startswith(sentence)]
        assert owners, f"{sentence!r} is not the sentence of a contribution on the {side} side"
        if side == "support":
            assert not any(text.startswith(sentence) for text in opponents)

    # As printed: the Word document says the same, with the opponents only after "Against".
    document = docx.Document(io.BytesIO(render.to_docx(english)))
    printed = next(
        p.text for p in document.paragraphs if "should be created within the United Nations system" in p.text
    )
    for text, contribution in sides["oppose"]:
        if contribution.receipt_number in ("EC2010-W-000019", "EC2010-W-000056") and text[:60] in printed:
            assert printed.index(text[:60]) > printed.index("Against, ")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_quote_is_an_evidence_sentence_of_its_paragraph_s_position(analysed_demo, language):
    draft = generate_report("test", analysed_demo, language)
    positions_of = {}
    for stance in Stance.objects.filter(position__consultation=analysed_demo).select_related("position"):
        positions_of.setdefault(stance.position.slug, stance.position)
    checked = 0
    for paragraph in draft.paragraphs.exclude(generated_text=""):
        if paragraph.key.startswith("position."):
            slugs = [paragraph.key.removeprefix("position.")]
        elif paragraph.key.startswith("issue."):
            issue = paragraph.key.removeprefix("issue.")
            slugs = [
                slug
                for slug, position in positions_of.items()
                if position.kind == "assessment" and position.issues.filter(slug=issue).exists()
            ]
        else:
            assert not quotes_of(paragraph.generated_text, language), paragraph.key
            continue
        sides = evidence_sentences(slugs, analysed_demo)
        for side, _who, verb, sentence in quotes_of(paragraph.generated_text, language):
            owners = [c for text, c in sides[side] if text.startswith(sentence)]
            assert owners, f"{paragraph.key}: {sentence!r} is no {side} evidence of {slugs}"
            # Oral statements are "said", written ones "wrote".
            assert any((c.channel != Channel.WRITTEN) == (verb in ORAL) for c in owners)
            checked += 1
    assert checked >= 10


def test_only_designated_spokespersons_who_consented_are_named(english, analysed_demo):
    designated = set(
        Participant.objects.filter(meeting__consultation=analysed_demo, designated=True).values_list(
            "entity__name", flat=True
        )
    )
    named, by_group = set(), 0
    for paragraph in english.paragraphs.filter(section__in=[Section.ISSUES, Section.MECHANISMS, Section.UN_ROLE]):
        for _side, who, _verb, _sentence in quotes_of(paragraph.generated_text, "en"):
            if who.startswith("\u2068"):
                named.add(who.strip("\u2068\u2069").replace("\u00a0", " ").replace("\u2060", ""))
            else:
                by_group += 1
    assert named and named <= designated
    assert by_group, "a contributor who is not a designated representative is reported by group"
    # The demo's anonymous contributions are never named anywhere in the body.
    for contribution in Contribution.objects.filter(consultation=analysed_demo, consent=Consent.ANONYMOUS):
        assert not english.paragraphs.filter(generated_text__contains=contribution.entity.name).exists()


def test_the_french_report_counts_dates_and_plurals_in_french(french):
    texts = {p.key: p.generated_text for p in french.paragraphs.all()}
    body = "\n".join(texts.values())
    assert "du 1er septembre 2010 au 31 décembre 2010" in texts["summary.outcome"]
    assert re.search(r"\b1 contribution\b", body)
    assert not re.search(r"\b[01] contributions\b", body)
    assert re.search(r"\b85 contributions écrites ou orales ont été reçues", body)
    assert "(Gouvernements\u00a0:" in body
    # Numbers, shares and isolates: "38 %" with a no-break space, every quote isolated.
    assert re.search(r"\d+\u00a0%", body)
    assert body.count("\u2068") == body.count("\u2069")


def test_section_v_answers_the_question_on_the_role_of_the_united_nations(english):
    un_role = list(english.paragraphs.filter(section=Section.UN_ROLE).order_by("position"))
    assert un_role[0].key == "un_role.question"
    assert "What role can the United Nations" in un_role[0].generated_text
    # A proposal that gives the UN system a role is reported here, with its measured agreement.
    assert "position.intergovernmental-body" in [p.key for p in un_role]
    # The demo's positions from the seed's paragraphs 35-38: the Secretary-General's initiative (contested),
    # consultations, the coordination of the UN system, capacity-building.
    keys = {p.key for p in un_role}
    for slug in ("sg-initiative", "sg-consultations", "un-system-coordination", "un-capacity-building"):
        assert f"position.{slug}" in keys
    assert "The opposite view was taken in" in english.paragraphs.get(key="position.sg-initiative").generated_text
    assert not english.paragraphs.filter(section=Section.MECHANISMS, key="position.intergovernmental-body").exists()


def test_the_conclusions_are_a_flagged_draft_never_a_placeholder(english, french):
    for draft, mark in ((english, "[Draft for the secretariat] "), (french, "[Projet à l’intention du secrétariat] ")):
        conclusions = list(draft.paragraphs.filter(section=Section.CONCLUSIONS))
        assert conclusions
        for paragraph in conclusions:
            assert paragraph.generated_text.startswith(mark)
            assert len(paragraph.generated_text) > len(mark) + 40
        assert not draft.paragraphs.filter(generated_text__contains="to be written here").exists()
        assert not draft.paragraphs.filter(kind="text", generated_text="").exists()
    shared = english.paragraphs.get(key="conclusions.convergence").generated_text
    assert "agreed with" in shared and "“\u2068" in shared


def test_reference_data_is_a_sourced_footnote_in_the_report_s_language(english, french):
    assert not english.paragraphs.filter(key__startswith="forums.").exists()
    issue = english.paragraphs.get(key="issue.interconnection-costs")
    assert issue.footnotes and issue.footnotes[0].startswith("Reference data, not a finding of the consultation")
    assert "International Telecommunication Union" in issue.footnotes[0]
    assert "Union internationale des télécommunications" in french.paragraphs.get(key=issue.key).footnotes[0]
    # The report does not cite itself: the mandate as stored ends with its source, this report's symbol.
    mandate = english.paragraphs.get(key="background.mandate").generated_text
    assert english.consultation.report_symbol not in mandate
    # Nor in Chinese, whose translation of the mandate cites it in full-width brackets.
    chinese = generate_report(None, english.consultation, "zh-hans")
    assert english.consultation.report_symbol not in chinese.paragraphs.get(key="background.mandate").generated_text
    assert all(english.consultation.report_symbol not in note for p in english.paragraphs.all() for note in p.footnotes)


def test_answers_to_the_question_on_the_un_are_counted_in_section_v():
    consultation = make_consultation(
        questions=["Which issues are not adequately addressed?", "What role can the United Nations play?"]
    )
    question = consultation.questions.get(text__startswith="What role")
    coalition = Submitter(
        kind="organization",
        name="Fictional Coalition",
        category="ecosoc-ngo",
        group="civil-society",
        email="contact@coalition.example",
    )
    with time_machine.travel(consultation.opens_at + dt.timedelta(days=1), tick=False):
        answering = submit_written_contribution(
            None,
            consultation,
            submitter=coalition,
            text="Our views.",
            answers=[{"question_id": question.pk, "answer": "The Secretary-General should keep convening us."}],
            consent=Consent.ANONYMOUS,
        ).contribution
    moderate_contribution("test", answering, "publish", "")  # the consultation moderates first
    make_contribution(consultation, make_entity(group="government"), text="Other views.")
    with translation.override("en"):
        paras = {p.key: p for p in draft_paragraphs(gather(consultation))}
    para = paras["un_role.question"]
    assert "1 contribution answered it separately." in para.text
    assert "By stakeholder group: Civil society: 1." in para.text
    assert para.sources == [answering.receipt_number]
    assert "un_role.none" in paras  # no position gives the UN a role here


def test_a_stance_with_a_stored_translation_is_quoted_in_the_report_s_language():
    consultation = make_consultation()
    position = positions.create_position(
        "test", consultation, slug="new-body", statement="A new body should be created.", kind="proposal"
    )
    contribution = make_contribution(
        consultation, make_entity(group="government"), language="es", text="Proponemos un nuevo órgano."
    )
    unit = {
        "text": "Proponemos un nuevo órgano.",
        "start": 0,
        "end": 27,
        "translations": {"en": "We propose a new body."},
    }
    positions.save_stances(
        "test",
        consultation,
        {contribution.pk: [{"position": position.slug, "stance": "support", "score": 0.9, "evidence": [unit]}]},
    )
    with translation.override("en"):
        text = {p.key: p for p in draft_paragraphs(gather(consultation))}["position.new-body"].text
    assert "wrote: “\u2068We propose a new body.\u2069” (translated from Spanish)." in text
    with translation.override("fr"):
        text = {p.key: p for p in draft_paragraphs(gather(consultation))}["position.new-body"].text
    assert "«\u00a0\u2068Proponemos un nuevo órgano.\u2069\u00a0» (en espagnol)" in text


def test_drafting_the_analysed_demo_takes_a_fixed_number_of_queries(analysed_demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(24):
        draft_paragraphs(gather(analysed_demo))


GROUPS = {"Governments": 3, "Civil society": 2, "Private sector": 2, "International organizations": 1}


def test_an_issue_paragraph_opens_by_how_widely_the_issue_was_raised():
    with translation.override("en"):
        assert (
            t.issue_opening("Spam", 3, {"Governments": 3}, 4)
            == "Only one stakeholder group, Governments, raised the issue “Spam”, in 3 contributions."
        )
        assert t.issue_opening("Spam", 8, GROUPS, 4) == (
            "The issue “Spam” was raised across all the stakeholder groups, in 8 contributions (Governments: 3; "
            "Civil society: 2; Private sector: 2; International organizations: 1), none of them standing out."
        )
        leading = t.issue_opening("Spam", 8, GROUPS, 4, ("Private sector", 0.25))
        assert leading.startswith("Every stakeholder group raised the issue “Spam”, in 8 contributions (")
        assert leading.endswith("and Private sector most of all: 25% of its contributions raised it.")
        assert t.issue_opening("Spam", 5, {"Governments": 3, "Civil society": 2}, 4) == (
            "The issue “Spam” was raised in 5 contributions (Governments: 3; Civil society: 2)."
        )
        # Some groups, one far ahead: the paragraph opens with that group.
        assert t.issue_opening("Spam", 5, {"Governments": 4, "Civil society": 1}, 4, ("Governments", 0.4)) == (
            "Governments raised the issue “Spam” more often than any other group (40% of its contributions), out "
            "of 5 contributions in all (Governments: 4; Civil society: 1)."
        )
        # What contributions said of existing mechanisms comes first, whatever the spread; a contested issue that
        # one group led opens on the question itself, so that several contested issues do not open alike.
        assert t.issue_opening("Spam", 8, GROUPS, 4, None, t.CONTESTED) == (
            "Contributors disagreed on whether existing mechanisms adequately address the issue “Spam”, which 8 "
            "contributions raised (Governments: 3; Civil society: 2; Private sector: 2; International organizations: "
            "1)."
        )
        assert t.issue_opening("Spam", 8, GROUPS, 4, ("Private sector", 0.25), t.CONTESTED) == (
            "Whether existing mechanisms adequately address the issue “Spam” divided the 8 contributions that raised "
            "it (Governments: 3; Civil society: 2; Private sector: 2; International organizations: 1). It weighed "
            "most with Private sector, where 25% of the contributions raised it."
        )
        assert t.issue_opening("Spam", 3, {"Governments": 3}, 4, None, t.HELD) == (
            "Among the issues called not adequately addressed by existing mechanisms was “Spam”, raised in 3 "
            "contributions (Governments: 3)."
        )
        assert t.issue_opening("Spam", 1, {"Governments": 1}, 4, None, t.DISPUTED).startswith(
            "No contribution called the issue “Spam” not adequately addressed by existing mechanisms, although 1 "
            "contribution raised it"
        )
        assert [t.issue_assessed(True, True), t.issue_assessed(True, False), t.issue_assessed(False, True)] == [
            t.CONTESTED,
            t.HELD,
            t.DISPUTED,
        ]
        assert t.issue_assessed(False, False) is None
    with translation.override("fr"):
        assert t.issue_opening("Pourriel", 1, {"Gouvernements": 1}, 4) == (
            "Un seul groupe de parties prenantes, «\u00a0Gouvernements\u00a0», a soulevé la question "
            "«\u00a0Pourriel\u00a0», dans 1 contribution."
        )


def test_what_was_said_of_existing_mechanisms_follows_how_contributions_divided():
    statement = "“X is not adequately addressed”"
    with translation.override("en"):
        assert (
            t.issue_assessment(statement, ["Governments"], [])
            == f"One contribution (Governments: 1) held that {statement}."
        )
        assert t.issue_assessment(statement, ["Civil society"] * 3, []) == (
            f"3 contributions, all from Civil society, held that {statement}."
        )
        # Both sides counted with their noun: "1 contribution", never a bare "1" after another count's plural.
        assert t.issue_assessment(statement, ["Governments", "Civil society"], ["Private sector"]) == (
            "On one side, 2 contributions (Governments: 1; Civil society: 1) held that "
            f"{statement}; on the other, 1 contribution (Private sector: 1) took the opposite view."
        )
        assert t.issue_assessment(statement, [], ["Governments", "Governments"]).startswith(
            f"The view that {statement} was disputed in 2 contributions (Governments: 2) and held in none."
        )


def test_where_agreement_cannot_be_measured_the_report_says_why():
    groups = {"Governments": 10, "Civil society": 10, "Private sector": 10}
    with translation.override("en"):
        one = agreement("p", [("Governments", "support")] * 4 + [("Civil society", "support")], groups)
        assert t.agreement_sentence(one) == (
            "Only Governments leaned clearly in favour; the other groups had too few contributions on it to tell."
        )
        # Three contributions or fewer: the paragraph's counts say it all.
        assert t.agreement_sentence(agreement("p", [("Governments", "support")] * 2, groups)) == ""
        spread = [("Governments", "support"), ("Governments", "oppose"), ("Civil society", "support")]
        assert t.agreement_sentence(agreement("p", [*spread, ("Civil society", "oppose")], groups)) == (
            "The 4 contributions that took a side were spread too thinly across the groups for any of them to lean "
            "clearly, so agreement between the groups cannot be measured."
        )
        # Spread over three groups or more, the sentence says over how many.
        assert t.agreement_sentence(agreement("p", [*spread, ("Private sector", "support")], groups)) == (
            "Those taking a side came from 3 stakeholder groups, none with enough contributions on it to lean "
            "clearly, so agreement between the groups cannot be measured."
        )


def test_a_position_s_opening_follows_what_was_measured():
    groups = {"Governments": 10, "Civil society": 10, "Private sector": 10}
    statement = "“\u2068X\u2069”"

    def opening(stances, kind="proposal"):
        result = agreement("p", stances, groups)
        support = [group for group, side in stances if side == "support"]
        oppose = [group for group, side in stances if side == "oppose"]
        return t.position_opening(kind, statement, support, oppose, result)

    shared = [("Governments", "support")] * 5 + [("Civil society", "support")] * 5 + [("Private sector", "support")]
    divided = [("Governments", "support")] * 5 + [("Civil society", "oppose")] * 5
    with translation.override("en"):
        assert opening(shared).startswith(
            "Governments and Civil society converged in favour of the proposal “\u2068X\u2069”, which 11 "
            "contributions took up (Governments: 5; Civil society: 5; Private sector: 1)"
        )
        assert opening(divided).startswith(
            "The proposal “\u2068X\u2069” divided the stakeholder groups: Governments in favour, Civil society against."
        )
        assert opening([("Governments", "support")] * 4) == (
            "Only Governments took up the proposal “\u2068X\u2069”, in 4 contributions."
        )
        assert opening([("Governments", "support"), ("Civil society", "oppose")], "assessment") == (
            "Few contributions took a side on the view that “\u2068X\u2069”: 1 contribution in favour "
            "(Governments: 1), 1 contribution against (Civil society: 1)."
        )
        three = shared[:1] + [("Civil society", "support")] + [("Private sector", "support")]
        assert opening(three, "principle") == (
            "Only 3 contributions took up the principle “\u2068X\u2069” (Governments: 1; Civil society: 1; Private "
            "sector: 1)."
        )
    with translation.override("fr"):
        assert opening(divided).startswith("La proposition “\u2068X\u2069” a divisé les groupes")


def test_section_iii_s_paragraphs_do_not_all_open_the_same_way(english, french):
    for draft in (english, french):
        texts = [p.generated_text for p in draft.paragraphs.filter(section=Section.ISSUES, key__startswith="issue.")]
        openings = Counter(" ".join(text.split()[:3]) for text in texts)
        assert len(texts) >= 10
        # No opening of three words stands for more than a quarter of the issues, and there are at least five.
        assert max(openings.values()) <= len(texts) / 4, openings
        assert len(openings) >= 5, openings
    issues = {p.key: p.generated_text for p in english.paragraphs.filter(section=Section.ISSUES)}
    # The demo's privacy assessment is held in one contribution and disputed in another: the paragraph opens on it.
    assert issues["issue.privacy"].startswith(
        ("Contributors disagreed on whether existing mechanisms adequately", "Whether existing mechanisms adequately")
    )


def test_sections_iv_and_v_do_not_open_every_paragraph_with_one_formula(english, french):
    for draft in (english, french):
        openings = [
            p.generated_text.split("\u2068", 1)[0]
            for p in draft.paragraphs.filter(
                section__in=[Section.MECHANISMS, Section.UN_ROLE], key__startswith="position."
            )
        ]
        assert len(openings) >= 5
        assert len(set(openings)) >= 3, openings


def test_an_entity_is_named_in_the_report_s_language_where_a_translation_is_stored(analysed_demo):
    arcadia = Entity.objects.get(name="Republic of Arcadia")
    assert arcadia.names["fr"] == "République d'Arcadie"
    named = Participant.objects.filter(meeting__consultation=analysed_demo, designated=True).values_list(
        "entity_id", flat=True
    )
    translated = list(Entity.objects.filter(pk__in=named).exclude(names={}))
    assert translated, "the demo's designated speakers include States with translated names"
    for language in ("fr", "zh-hans", "ar"):
        draft = generate_report("test", analysed_demo, language)
        body = "\n".join(p.generated_text.replace("\u00a0", " ").replace("\u2060", "") for p in draft.paragraphs.all())
        # A named contributor is isolated (U+2068 ... U+2069): its name as the report prints it, never the original.
        quoted = [e for e in translated if f"\u2068{e.names[language]}\u2069" in body]
        assert quoted, language
        assert not [e for e in translated if f"\u2068{e.name}\u2069" in body], language
        with translation.override(language):
            annex = {row.entity for row in render.context(draft)["annex"]}
        assert {e.names[language] for e in quoted} <= annex
        assert not {e.name for e in quoted} & annex


def test_chinese_sentences_are_joined_without_a_space(analysed_demo):
    draft = generate_report("test", analysed_demo, "zh-hans")
    texts = {p.key: p.generated_text for p in draft.paragraphs.all()}
    assert "意见，有" in texts["summary.outcome"] or "，有" in texts["summary.outcome"]
    for key, text in texts.items():
        assert not re.search("[。，：；？] ", text), (key, text)
        assert not text.startswith(" "), key


def test_entity_names_are_checked_and_audited():
    entity = make_entity(name="Republic of Testland")
    updated = update_entity("test", entity, names={"fr": "  République de  Testland ", "ar": ""})
    assert updated.names == {"fr": "République de Testland"}
    assert updated.name_in("fr") == "République de Testland" and updated.name_in("ru") == "Republic of Testland"
    with pytest.raises(ValidationError):
        update_entity("test", entity, names={"xx": "Testland"})


def test_a_statement_is_quoted_without_its_full_stop_and_chinese_sentences_take_no_space():
    position = SimpleNamespace(statement_in=lambda language: ("现有国际机制未能充分处理垃圾邮件问题。", "zh-hans"))
    with translation.override("zh-hans"):
        assert t.statement_of(position) == "“\u2068现有国际机制未能充分处理垃圾邮件问题\u2069”"
        assert t.sentences(["一。", "", "二。"]) == "一。二。"
    with translation.override("en"):
        assert t.sentences(["One.", "", "Two."]) == "One. Two."


def test_a_quote_is_isolated_in_html_with_the_direction_of_its_first_letter():
    # WeasyPrint ignores U+2068/U+2069 and a <bdi> without dir: a quote's full stop would land on the wrong side.
    html = render.isolated_html(
        "قال: \u2068We support it.\u2069 و\u2068نؤيد ذلك.\u2069 \u2068« Oui » & co\u2069 \u2068…\u2069"
    )
    assert '<bdi dir="ltr">We support it.</bdi>' in html
    assert '<bdi dir="rtl">نؤيد ذلك.</bdi>' in html
    assert '<bdi dir="ltr">« Oui » &amp; co</bdi>' in html
    assert "<bdi>…</bdi>" in html


def test_a_name_in_the_other_direction_is_kept_on_one_line():
    with translation.override("ar"):
        assert t.unbroken("Kingdom of Valdoria") == "Kingdom\u00a0of\u00a0Valdoria"
        assert t.unbroken("Inter-Regional Forum") == "Inter-\u2060Regional\u00a0Forum"
        assert t.unbroken("جمهورية صحرانة") == "جمهورية صحرانة"
        assert t.unbroken("The Kingdom of Valdoria's Ministry of Communications and Digital Affairs") == (
            "The Kingdom of Valdoria's Ministry of Communications and Digital Affairs"
        )
    with translation.override("en"):
        assert t.unbroken("Kingdom of Valdoria") == "Kingdom of Valdoria"
        assert t.unbroken("جمهورية صحرانة") == "جمهورية\u00a0صحرانة"


def test_a_quote_ending_with_its_own_full_stop_takes_no_second_one():
    record = SimpleNamespace(entity_name="X", group_label="Société civile", language="fr", channel="written")
    with translation.override("fr"):
        said = t.attributed(
            record, SimpleNamespace(text="Nous le demandons.", translations={}), side="support", named=False
        )
        assert said.endswith("«\u00a0\u2068Nous le demandons.\u2069\u00a0»")
        unfinished = SimpleNamespace(text="Nous le demandons", translations={})
        assert t.attributed(record, unfinished, side="support", named=False).endswith("demandons\u2069\u00a0».")
    record.language = "zh-hans"
    with translation.override("zh-hans"):
        said = t.attributed(
            record, SimpleNamespace(text="任何国家都无法单独应对。", translations={}), side="oppose", named=False
        )
        assert said.endswith("应对。\u2069”")


def test_an_isolate_glued_to_the_word_before_it_is_preceded_by_a_word_joiner():
    # Without it WeasyPrint broke the line at the paragraph's first space when the quote's first word ended a line.
    html = render.isolated_html(
        "la proposition «\u00a0\u2068La Commission\u2069\u00a0». Contre, \u2068Royaume\u2069 a écrit"
    )
    assert '«\u00a0\u2060<bdi dir="ltr">La Commission</bdi>' in html
    assert 'Contre, <bdi dir="ltr">Royaume</bdi>' in html


# The noun each language puts after a count of contributions.
NOUN = {
    "en": "contribution",
    "fr": "contribution",
    "es": "contribuci",
    "ru": "материал",
    "zh-hans": "份意见",
    "ar": "مساهم",
}


@pytest.mark.parametrize("language", sorted(NOUN))
def test_every_count_in_a_sentence_with_two_counts_carries_its_noun(language):
    """A sentence counting both sides took its plural from the first count only, and printed the second bare:
    "بينما أخذت 1 (…)", "and 1 (Private sector: 1) took the opposite view". Each count is now worded by itself."""
    groups = {"Governments": 10, "Civil society": 10, "Private sector": 10}
    statement = "“\u2068X\u2069”"
    with translation.override(language):
        texts = [
            t.issue_assessment(statement, ["Governments", "Civil society"], ["Private sector"]),
            t.issue_assessment(statement, ["Governments"] * 5, ["Private sector"] * 2),
            t.position_opening(
                "proposal",
                statement,
                ["Governments"],
                ["Civil society"],
                agreement("p", [("Governments", "support"), ("Civil society", "oppose")], groups),
            ),
            t.position_opening(
                "proposal",
                statement,
                ["Governments"] * 5,
                ["Civil society"] * 5,
                agreement("p", [("Governments", "support")] * 5 + [("Civil society", "oppose")] * 5, groups),
            ),
        ]
        for text in texts:
            # Outside the breakdowns ("Governments: 1"), every figure stands beside the language's noun.
            outside = re.sub(r"[(（][^()（）]*[)）]", "()", text)
            for match in re.finditer(r"\d+", outside):
                around = outside[max(0, match.start() - 16) : match.end() + 16]
                assert NOUN[language] in around, (text, match.group())
        # The opponents' count is the phrase that counts contributions, whatever the supporters' count.
        assert t.contributions(1) in texts[0]
        assert t.contributions(2) in texts[1]
        assert t.contributions(5) in texts[3]


def test_arabic_writes_one_and_two_contributions_as_words():
    with translation.override("ar"):
        assert t.contributions(1) == "مساهمة واحدة"
        assert t.contributions(2) == "مساهمتان"
        assert t.contributions(3) == "3 مساهمات"
        assert t.contributions(11) == "11 مساهمة"
        text = t.issue_assessment("“\u2068X\u2069”", ["الحكومات"], ["القطاع الخاص"])
        assert "بينما أخذت 1" not in text and "أخذت مساهمة واحدة" in text
        # The dual, in the genitive after "في".
        opening = t.issue_opening("X", 2, {"الحكومات": 1, "المجتمع المدني": 1}, 4)
        assert "في مساهمتين" in opening and "2 مساهمة" not in opening


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "ar", "zh_Hans"])
def test_each_catalogue_chooses_its_plural_forms_by_the_cldr_rules(language):
    """The catalogue's Plural-Forms picks one form per CLDR plural category (Babel), for every count a report can
    print up to a thousand: Arabic's zero, one, two, few, many and other; Russian's one, few and many."""
    import gettext
    from pathlib import Path

    from babel import Locale

    po = (Path(__file__).resolve().parents[2] / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    header = re.search(r'"Plural-Forms:([^"]*)"(?:\s*"([^"]*)")?', po)
    expression = (header.group(1) + (header.group(2) or "")).replace("\\n", "")
    plural = gettext.c2py(expression.split("plural=", 1)[1].rstrip("; "))
    locale = Locale.parse(language)
    forms: dict[str, int] = {}
    for count in range(1001):
        category = locale.plural_form(count)
        assert forms.setdefault(category, plural(count)) == plural(count), (count, category)
    assert len(set(forms.values())) == len(forms), forms


def test_a_paragraph_holding_a_chinese_quote_is_printed_unjustified():
    french = SimpleNamespace(
        text="En faveur, un auteur a écrit : « \u2068我们支持多利益攸关方模式。\u2069 » (en chinois)."
    )
    latin = SimpleNamespace(text="En faveur, un auteur a écrit : « \u2068We support it.\u2069 » (en anglais).")
    assert render.Numbered(1, french).han
    assert not render.Numbered(2, latin).han


def test_the_french_report_s_paragraph_quoting_chinese_is_marked_unjustified(french):
    html = render.to_html(french)
    marked = re.findall(r'<p class="numbered han" data-key="([^"]+)"', html)
    # The demo's cybersecurity paragraph quotes a Chinese sentence; a paragraph with no Chinese stays justified.
    assert "issue.cybersecurity" in marked
    assert '<p class="numbered" data-key="issue.capacity-building"' in html


def test_the_coverage_opens_the_page_of_the_annex_in_print(french):
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render.to_pdf(french))).pages]
    coverage = [i for i, text in enumerate(pages) if "Couverture des contributions" in text]
    assert len(coverage) == 1
    # Never alone on its page: the annex it describes follows on the same page.
    assert "Annexe" in pages[coverage[0]].split("Couverture des contributions", 1)[1]


def test_the_arabic_report_writes_one_and_two_contributions_as_words_in_every_sentence():
    """Every count of contributions the report's sentences make: Arabic says "مساهمة واحدة" and the dual
    ("مساهمتان", "مساهمتين"), never "1 مساهمة" or "2 مساهمة"."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "locale" / "ar" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        catalogue = read_po(po)
    checked = 0
    for message in catalogue:
        if not message.pluralizable or not any(file.startswith("concord/reports/") for file, _ in message.locations):
            continue
        if "%(count)s contribution" not in message.id[0] and "%(count)s written" not in message.id[0]:
            continue
        checked += 1
        for form in (1, 2):
            assert not re.search(r"%\(count\)s\s+مساهم", message.string[form]), (message.id[0], form)
    assert checked >= 10
