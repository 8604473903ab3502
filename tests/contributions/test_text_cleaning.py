"""What the cleaning of names and texts takes out (invisible format characters, lone surrogates) and keeps (the
joiners that Persian, Arabic and Indic scripts need), through the service, the form and the API."""

import datetime as dt
import json
import sys
import unicodedata

import pytest
import time_machine

from concord.api.services import issue_api_token
from concord.contributions.models import Contribution
from concord.contributions.services import submit_written_contribution
from concord.contributions.submission import Submitter, clean_text
from tests.factories import OPENS, make_consultation, make_entity

pytestmark = pytest.mark.django_db
DURING = OPENS + dt.timedelta(days=5)
KEPT = {"\u200c", "\u200d", *map(chr, range(0x600, 0x606)), "\u06dd", "\u08e2"}
# A name that an override makes display as "Ministry of Trade" reversed: what a reader sees is not what it says.
SPOOFED = "Fictional \u202eedarT fo yrtsiniM\u202c Office"
PERSIAN = "می\u200cخواهیم هزینه\u200cهای اتصال بین\u200cالمللی کاهش یابد"  # ZWNJ inside words, as Persian spells them
ARABIC = "لا تزال تكاليف الربط الدولي مرتفعة جدا بالنسبة للبلدان النامية\u200c، ويجب خفضها"


def test_every_format_character_goes_but_the_joiners_and_the_arabic_number_signs():
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    # The text begins with the controls, tab, line ends and space: the strip at its ends takes the four of them.
    removed = set(everything) - set(clean_text(everything)) - {"\t", "\n", "\r", " "}
    categories = {unicodedata.category(ch) for ch in removed}
    assert categories <= {"Cc", "Cf", "Cs", "Cn"}  # Cn: format characters of a newer Unicode than this Python's
    format_characters = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert format_characters - removed == KEPT
    assert {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"} <= removed
    assert {chr(c) for c in range(0xD800, 0xE000)} <= removed


def test_persian_and_hindi_keep_their_joiners():
    hindi = "क्\u200dष और क्\u200cष"
    assert clean_text(PERSIAN) == PERSIAN
    assert clean_text(hindi) == hindi


def test_a_bidi_override_is_removed_from_the_name_and_the_text():
    consultation = make_consultation()
    submitter = Submitter(
        kind="organization", name=SPOOFED, category="ecosoc-ngo", group="civil-society", email="x@example.org"
    )
    with time_machine.travel(DURING, tick=False):
        submission = submit_written_contribution(
            None, consultation, submitter=submitter, title="\u2067Title\u2069", text=ARABIC + "\u2066 \u202d!"
        )
    contribution = submission.contribution
    assert contribution.entity.name == "Fictional edarT fo yrtsiniM Office"
    assert (contribution.title, contribution.text) == ("Title", ARABIC + " !")


def test_lone_surrogates_sent_to_the_api_are_removed_not_answered_with_a_500(client, alice):
    consultation = make_consultation()
    entity = make_entity("Fictional Federation of Cooperatives", group="civil-society")
    token = issue_api_token(alice, "test", entity=entity, consultations=[consultation])[1]
    body = {
        "submitter": {"name": "Fictional Federation of Cooperatives", "email": "api@example.org"},
        "title": "Interconnection",
        "text": "Interconnection costs TEXT must fall.",
    }
    # A lone surrogate escaped as JSON allows (\ud800); Python decodes it to a str that no UTF-8 text can hold.
    raw = (
        json.dumps(body)
        .replace("TEXT", r"\ud800")
        .replace("Federation", r"Federation\udfff")
        .replace("costs", r"co\udbffsts")
    )
    with time_machine.travel(DURING, tick=False):
        response = client.post(
            f"/api/v1/consultations/{consultation.slug}/contributions",
            raw,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 201, response.content
    contribution = Contribution.objects.get()
    assert (contribution.title, contribution.text) == ("Interconnection", "Interconnection costs  must fall.")
    assert contribution.entity == entity
