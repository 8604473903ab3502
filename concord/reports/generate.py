"""Draft the synthesis report from the records: every number computed, every paragraph citing its sources.

``gather`` reads what the report needs in a fixed number of queries (whatever the number of contributions);
``draft_paragraphs`` turns it into paragraphs in the active language, in the shape of the Secretary-General's
report A/66/77-E/2011/103: summary; I background; II organisation (with the table); III issues; IV mechanisms and
proposals; V the role of the United Nations; conclusions, drafted for the secretariat. Sections III to V are a
synthesis drawn from the positions the contributions take (``synthesis``). Fixed wording comes from the translation
catalogues; numbers, dates and lists follow the language's rules (``concord.core.formats``); quotes are evidence
sentences, isolated and marked with their language.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.consultations.tables import distribution_table
from concord.contributions.models import Channel, Contribution
from concord.core import formats
from concord.deliberation.report import report_statements
from concord.meetings.models import Participant
from concord.policy.models import ContributionIssue, IssueForum, PolicyIssue, TagSource
from concord.policy.selectors import issues_by_group, public_campaigns
from concord.positions.report import report_positions
from concord.stakeholders.models import StakeholderGroup, entity_name_in

from . import synthesis, votes
from . import synthesis_text as t

# Without stances (the consultation not yet read against a codebook), section IV can only say which mechanisms the
# contributions mention: a mention is not support, so these paragraphs never say "put forward" (issue 15).
MECHANISMS = {
    "working-group": re.compile(
        r"working group|groupe de travail|grupo de trabajo|рабоч\w* групп|فريق عامل|فريق العمل|工作组", re.I
    ),
    "intergovernmental-body": re.compile(
        r"intergovernmental|intergouvernement|intergubernamental|межправительств|حكومي دولي|政府间", re.I
    ),
    "igf": re.compile(
        r"\bIGF\b|Internet Governance Forum|Forum sur la gouvernance|Foro para la Gobernanza|"
        r"Форум по вопросам управления|منتدى إدارة الإنترنت|互联网治理论坛",
        re.I,
    ),
    "multistakeholder": re.compile(
        r"multi-?stakeholder|multipartite|múltiples partes|многосторон|أصحاب المصلحة المتعددين|多利益攸关方", re.I
    ),
}
TAXONOMY = Path(__file__).resolve().parents[1] / "policy" / "taxonomy.json"
SYMBOL = re.compile(r"\b[A-Z]+/\d[\w./-]*\d")


@dataclass
class Para:
    key: str
    section: str
    text: str = ""
    sources: list[str] = field(default_factory=list)
    kind: str = "text"
    # Texts of the paragraph's footnotes: reference data with its source, never a finding of the consultation.
    footnotes: list[str] = field(default_factory=list)


class Record(NamedTuple):
    """One contribution as the paragraphs read it: a row, not a model instance (ten times cheaper at 100,000)."""

    id: int
    receipt_number: str
    channel: str
    consent: str
    language: str
    text: str
    extracted_text: str
    group_id: int
    entity_id: int | None
    group_label: str
    entity_name: str


@dataclass
class Facts:
    consultation: object
    table: object
    groups: list
    contributions: list[Record]
    issues: list[dict]
    tags: dict[int, list[tuple[str, float]]]
    campaign_of: dict[int, tuple[int, int]]  # public member id -> (public representative id, public size)
    forums: dict[str, list[dict]]  # issue slug -> [{"names": {lang: name}, "name", "paragraphs"}]
    meeting: object | None
    positions: list = field(default_factory=list)  # PositionSides: who took each side, with their sentences
    spokespersons: set[int] = field(default_factory=set)  # entities that presented as designated representatives
    questions: list = field(default_factory=list)  # the guiding questions
    answers: dict[int, list[int]] = field(default_factory=dict)  # question id -> public contributions answering it
    issues_listed: int = 0
    statements: dict | None = None  # the statements phase's votes (concord.deliberation.report), if it had one

    @cached_property
    def by_id(self) -> dict[int, Record]:
        return {c.id: c for c in self.contributions}

    def cite(self, contribution_ids) -> list[str]:
        """Receipt numbers for these contributions, a campaign cited once (by its canonical contribution)."""
        by_id, campaign_of = self.by_id, self.campaign_of
        canonical = {campaign_of[pk][0] if pk in campaign_of else pk for pk in contribution_ids}
        return sorted(by_id[pk].receipt_number for pk in canonical if pk in by_id)

    @property
    def issue_labels(self) -> dict[str, str]:
        return {row["issue"].slug: row["issue"].label for row in self.issues}

    @property
    def un_question(self) -> str | None:
        """The guiding question on the role of the United Nations, as the report prints it (None if not asked)."""
        question = self._un_question
        return None if question is None else _in_language(question, "text", self.consultation.original_language)

    @property
    def un_answers(self) -> list[int]:
        question = self._un_question
        return [] if question is None else self.answers.get(question.pk, [])

    @cached_property
    def _un_question(self):
        return next((q for q in self.questions if synthesis.UN_QUESTION.search(q.text)), None)

    def forum_names(self, slug: str) -> list[str]:
        language = t.lang()
        return [link["names"].get(language) or link["names"].get("en") or link["name"] for link in self.forums[slug]]

    @property
    def taxonomy_source(self) -> str:
        """Where the issue-to-forum map comes from, as a document symbol (never this report's own)."""
        symbol = _taxonomy_symbol()
        if not symbol or symbol == self.consultation.report_symbol:
            return _("the secretariat's issue-to-forum map")
        return _("the issue-to-forum map drawn from document %(symbol)s") % {"symbol": symbol}


@cache
def _taxonomy_symbol() -> str:
    try:
        found = SYMBOL.search(json.loads(TAXONOMY.read_text(encoding="utf-8")).get("source", ""))
    except (OSError, ValueError):
        return ""
    return found.group(0) if found else ""


def _records(consultation) -> list[Record]:
    """The public contributions only: the report is public, and quotes, names and citations come from these. Its
    totals come from the distribution table, which counts every contribution received (that is its definition)."""
    labels: dict[int, str] = {}
    records = []
    for *row, group_id, entity_id, group_slug, group_name, entity_name in (
        Contribution.objects.filter(consultation=consultation)
        .public()
        .annotate(entity_label=entity_name_in(t.lang(), "entity__"))
        .order_by("received_at", "id")
        .values_list(
            "id",
            "receipt_number",
            "channel",
            "consent",
            "language",
            "text",
            "extracted_text",
            "group_id",
            "entity_id",
            "group__slug",
            "group__name",
            "entity_label",
        )
    ):
        if group_id not in labels:
            # A plain string: a lazy label hashed as a dictionary key translates itself again each time.
            labels[group_id] = str(StakeholderGroup(slug=group_slug, name=group_name).label)
        records.append(Record(*row, group_id, entity_id, labels[group_id], entity_name or ""))
    return records


def gather(consultation) -> Facts:
    contributions = _records(consultation)
    tags: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for pk, slug, score in (
        ContributionIssue.objects.filter(contribution__consultation=consultation)
        .exclude(source=TagSource.REJECTED)
        .values_list("contribution_id", "issue__slug", "score")
    ):
        tags[pk].append((slug, score or 0.0))
    campaign_of = {
        member: (campaign.representative_id, campaign.size)
        for campaign in public_campaigns(consultation).values()
        for member in campaign.members
    }
    forums: dict[str, list[dict]] = defaultdict(list)
    for link in IssueForum.objects.select_related("issue", "forum"):
        forums[link.issue.slug].append({"names": link.forum.names or {}, "name": link.forum.name})
    answers: dict[int, list[int]] = defaultdict(list)
    public_ids = {c.id for c in contributions}
    for pk, given in (
        Contribution.objects.filter(consultation=consultation).exclude(answers=[]).values_list("id", "answers")
    ):
        if pk in public_ids:
            for item in given or []:
                if str(item.get("answer", "")).strip() and item.get("question_id") is not None:
                    answers[item["question_id"]].append(pk)
    meetings = list(consultation.meetings.all())
    return Facts(
        consultation=consultation,
        table=distribution_table(consultation),
        groups=consultation.ordered_groups(),
        contributions=contributions,
        issues=[row for row in issues_by_group(consultation) if row["total"]],
        tags=tags,
        campaign_of=campaign_of,
        forums=forums,
        meeting=meetings[0] if meetings else None,
        positions=report_positions(consultation),
        spokespersons=set(
            Participant.objects.filter(meeting__consultation=consultation, designated=True).values_list(
                "entity_id", flat=True
            )
        ),
        questions=list(consultation.questions.order_by("position", "id")),
        answers=dict(answers),
        issues_listed=PolicyIssue.objects.count(),
        statements=report_statements(consultation),
    )


def _in_language(obj, field_name: str, original: str) -> str:
    """A consultation text (a question, the meeting's place) in the active language when the secretariat entered
    it, else in its original language, isolated and marked as such."""
    language = t.lang()
    text = getattr(obj, field_name)
    if language != original:
        translated = (getattr(obj, "translations", None) or {}).get(language, {}).get(field_name)
        if translated:
            return translated
        return _("%(quote)s (in %(language)s)") % {
            "quote": t.quoted(text),
            "language": formats.language_name(original, language),
        }
    return text


def localized(consultation, field_name: str) -> tuple[str, str, str]:
    """The consultation's title or mandate in the active language: ``(text, its language, mark)``. Where the
    secretariat has not entered this language's text, the original shows, and the mark says so."""
    language = translation.get_language()
    text, written_in = consultation.text_in(field_name, language)
    if written_in == language or not text:
        return text, written_in, ""
    return (
        text,
        written_in,
        _("(original in %(language)s, not translated)") % {"language": formats.language_name(written_in, language)},
    )


def _marked(text: str, mark: str) -> str:
    return f"{formats.isolate(text)}{t.gap()}{mark}" if mark else text


def listing(items: list[str]) -> str:
    return t.listing(items)


def _without_self_citation(text: str, symbol: str) -> str:
    """The mandate as stored may end by citing where it was summarised; a report does not cite itself."""
    if not symbol:
        return text
    # Half- or full-width brackets (Chinese writes （…）), the full stop inside or after them.
    return re.sub(r"\s*[(（][^()（）]*" + re.escape(symbol) + r"[^()（）]*[)）][.。]?\s*$", "", text).strip()


def _field(consultation, name: str) -> tuple[str, str]:
    """A consultation field in the active language, marked when untranslated (fields R2's translations may lack)."""
    try:
        text, _language, mark = localized(consultation, name)
    except (AttributeError, TypeError):
        return getattr(consultation, name, ""), ""
    return text, mark


def draft_paragraphs(facts: Facts) -> list[Para]:
    c = facts.consultation
    table = facts.table
    language = t.lang()
    measured = synthesis.measure(facts)
    issue_rows = sorted(facts.issues, key=lambda row: -row["total"])
    opens, closes = formats.un_date(c.opens_at, language), formats.un_date(c.closes_at, language)
    paras: list[Para] = []

    # Summary.
    title, title_mark = _field(c, "title")
    reference, reference_mark = _field(c, "mandate_reference")
    outcome = _(
        "This report presents the outcome of the consultation %(title)s, held from %(opens)s to %(closes)s pursuant "
        "to %(mandate)s."
    ) % {
        "title": f"{t.quoted(title)}{t.gap()}{title_mark}" if title_mark else t.quoted(title),
        "opens": opens,
        "closes": closes,
        "mandate": _marked(reference, reference_mark),
    }
    outcome = t.sentences([outcome, _received(table.written_or_oral), _took_floor(table.debate_participants)])
    paras.append(Para("summary.outcome", "summary", outcome))
    if measured:
        paras.append(Para("summary.views", "summary", synthesis.summary_views(facts, measured)))
    elif issue_rows:
        top = [row["issue"].label for row in issue_rows[:3]]
        paras.append(
            Para(
                "summary.issues",
                "summary",
                ngettext(
                    "Contributors raised %(count)s public-policy issue: %(top)s.",
                    "Contributors raised %(count)s public-policy issues; the most frequently raised were %(top)s.",
                    len(issue_rows),
                )
                % {"count": t.n(len(issue_rows)), "top": t.listing(top)},
            )
        )

    # I. Background.
    mandate, mark = _field(c, "mandate")
    mandate = _without_self_citation(mandate, c.report_symbol)
    if mandate:
        paras.append(Para("background.mandate", "background", _marked(mandate, mark)))
    description, mark = _field(c, "description")
    if description:
        paras.append(Para("background.description", "background", _marked(description.split("\n\n")[0], mark)))

    # II. Organization.
    organization = _(
        "The consultation was open for contributions from %(opens)s to %(closes)s. Stakeholders could send written "
        "comments in any form at any time during the period."
    ) % {"opens": opens, "closes": closes}
    if facts.meeting is not None:
        organization += t.gap() + _(
            "They could also take part in the meeting held at %(place)s on %(date)s: presentations by designated "
            "representatives of each stakeholder group, followed by an open debate."
        ) % {
            "place": _in_language(facts.meeting, "place", c.original_language),
            "date": formats.un_date(facts.meeting.date, language),
        }
    paras.append(Para("organization.channels", "organization", organization))
    if facts.questions:
        # Sub-items are lettered (a), (b), ... as in UN documents; Arabic documents letter them (أ), (ب), ...
        letters = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ" if language == "ar" else "abcdefghijklmnopqrstuvwxyz"
        paras.append(
            Para(
                "organization.questions",
                "organization",
                _("Contributors were invited to focus on the following questions: %(questions)s")
                % {
                    "questions": t.gap().join(
                        f"({letters[i % len(letters)]}) {_in_language(q, 'text', c.original_language)}"
                        for i, q in enumerate(facts.questions)
                    )
                },
            )
        )
    groups_text = t.listing([g.label.lower() if i else g.label for i, g in enumerate(facts.groups)])
    paras.append(
        Para(
            "organization.counts",
            "organization",
            ngettext(
                "A total of %(count)s written or oral contribution was received from %(groups)s, as shown in the "
                "table below.",
                "A total of %(count)s written or oral contributions were received from %(groups)s, as shown in the "
                "table below.",
                table.written_or_oral,
            )
            % {"count": t.n(table.written_or_oral), "groups": groups_text},
            facts.cite([x.id for x in facts.contributions if x.channel != Channel.INTERVENTION]),
        )
    )
    paras.append(Para("organization.table", "organization", kind="table"))
    paras.append(
        Para(
            "organization.debate",
            "organization",
            ngettext(
                "In addition, %(count)s participant took the floor in the open debate.",
                "In addition, %(count)s participants took the floor in the open debate.",
                table.debate_participants,
            )
            % {"count": t.n(table.debate_participants)}
            + t.gap()
            + _(
                "All observations were taken into account in the preparation of this report, whether submitted in "
                "writing or expressed at the meeting."
            ),
            facts.cite([x.id for x in facts.contributions if x.channel == Channel.INTERVENTION]),
        )
    )
    paras.append(Para("organization.chart", "organization", kind="chart"))

    # III. Issues; IV. Mechanisms and proposals; V. The role of the United Nations; conclusions.
    paras += synthesis.issue_paras(facts, measured, Para)
    if issue_rows:
        paras.append(Para("issues.chart", "issues", kind="chart"))
    paras += synthesis.mechanism_paras(facts, measured, Para)
    if not facts.positions:
        paras += _mentions(facts)
    paras += synthesis.un_role_paras(facts, measured, Para)
    paras += synthesis.conclusion_paras(facts, measured, Para)
    paras += votes.vote_paras(facts.statements, measured, Para)
    return paras


def _received(count: int) -> str:
    return ngettext(
        "A total of %(count)s written or oral contribution was received,",
        "A total of %(count)s written or oral contributions were received,",
        count,
    ) % {"count": t.n(count)}


def _took_floor(count: int) -> str:
    return ngettext(
        "and %(count)s participant took the floor in the open debate.",
        "and %(count)s participants took the floor in the open debate.",
        count,
    ) % {"count": t.n(count)}


def _mentions(facts: Facts) -> list[Para]:
    """Without stances: how many contributions mention each mechanism, by group. A mention is not support."""
    labels = {
        "working-group": _(
            "a working group (for example under the Commission on Science and Technology for Development)"
        ),
        "intergovernmental-body": _("an intergovernmental body or platform"),
        "igf": _("the Internet Governance Forum"),
        "multistakeholder": _("multistakeholder processes"),
    }
    paras = []
    for slug, pattern in MECHANISMS.items():
        mentioning = [x for x in facts.contributions if pattern.search(x.text or "")]
        if not mentioning:
            continue
        text = ngettext(
            "%(count)s contribution mentions %(mechanism)s (%(groups)s); whether it supports or opposes it has not "
            "been analysed.",
            "%(count)s contributions mention %(mechanism)s (%(groups)s); whether they support or oppose it has not "
            "been analysed.",
            len(mentioning),
        ) % {
            "count": t.n(len(mentioning)),
            "mechanism": labels[slug],
            "groups": t.breakdown(x.group_label for x in mentioning),
        }
        paras.append(Para(f"mechanism.{slug}", "mechanisms", text, facts.cite([x.id for x in mentioning])))
    return paras
