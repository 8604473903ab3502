"""Draft the synthesis report from the records: every number computed, every paragraph citing its sources.

``gather`` reads what the report needs in a fixed number of queries (whatever the number of contributions);
``draft_paragraphs`` turns it into paragraphs in the active language. Fixed wording comes from the translation
catalogues; numbers and dates follow the language's conventions; quotes stay in their original language.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.analysis.agreement import agreement
from concord.consultations.tables import distribution_table
from concord.contributions.models import Channel, Consent, Contribution
from concord.policy.models import ContributionIssue, IssueForum, PolicyIssue, TagSource
from concord.policy.selectors import issues_by_group, public_campaigns
from concord.positions.report import report_positions
from concord.positions.selectors import CLASS_LABELS
from concord.stakeholders.models import StakeholderGroup

# Sentences that put forward a mechanism, in the six languages; and the mechanisms of the report (paragraphs 25, 33).
PROPOSAL = re.compile(
    r"\b(propos|recommend|should establish|call for|suggest|proposons|recommandons|proponemos|recomendamos|"
    r"предлага|рекоменду)|نقترح|ندعو|نوصي|建议|提议|呼吁",
    re.IGNORECASE,
)
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
SENTENCE = re.compile(r"(?<=[.!?。！？؟])\s+")


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
    forums: dict[str, list[str]]
    meeting: object | None
    positions: list[dict] = field(default_factory=list)  # who put each codebook position forward, who opposed it

    @cached_property
    def by_id(self) -> dict[int, Record]:
        return {c.id: c for c in self.contributions}


def _records(consultation) -> list[Record]:
    """The public contributions only: the report is public, and quotes, names and citations come from these. Its
    totals come from the distribution table, which counts every contribution received (that is its definition)."""
    labels: dict[int, str] = {}
    records = []
    for *row, group_id, group_slug, group_name, entity_name in (
        Contribution.objects.filter(consultation=consultation)
        .public()
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
            "group__slug",
            "group__name",
            "entity__name",
        )
    ):
        if group_id not in labels:
            labels[group_id] = StakeholderGroup(slug=group_slug, name=group_name).label
        records.append(Record(*row, group_id, labels[group_id], entity_name or ""))
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
    forums: dict[str, list[str]] = defaultdict(list)
    for link in IssueForum.objects.select_related("issue", "forum"):
        forums[link.issue.slug].append(link.forum.names.get("en") or link.forum.name)
    return Facts(
        consultation=consultation,
        table=distribution_table(consultation),
        groups=consultation.ordered_groups(),
        contributions=contributions,
        issues=[row for row in issues_by_group(consultation) if row["total"]],
        tags=tags,
        campaign_of=campaign_of,
        forums=forums,
        meeting=consultation.meetings.first(),
        positions=report_positions(consultation),
    )


def localized(consultation, field: str) -> tuple[str, str, str]:
    """The consultation's title or mandate in the active language: ``(text, its language, mark)``. Where the
    secretariat has not entered this language's text, the original shows, and the mark says so."""
    language = translation.get_language()
    text, written_in = consultation.text_in(field, language)
    if written_in == language or not text:
        return text, written_in, ""
    return (
        text,
        written_in,
        _("(original in %(language)s, not translated)")
        % {"language": dict(settings.LANGUAGES).get(written_in, written_in)},
    )


def _marked(text: str, mark: str) -> str:
    return f"{text} {mark}" if mark else text


def n(value) -> str:
    return number_format(value, use_l10n=True, force_grouping=True)


def pct(share: float) -> str:
    return number_format(round(share * 100), use_l10n=True) + " %"


def listing(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def cite(facts: Facts, contribution_ids) -> list[str]:
    """Receipt numbers for these contributions, a campaign cited once (by its canonical contribution)."""
    by_id = facts.by_id
    cited, seen = [], set()
    for pk in contribution_ids:
        canonical = facts.campaign_of.get(pk, (pk, 1))[0]
        if canonical in seen or canonical not in by_id:
            continue
        seen.add(canonical)
        cited.append(by_id[canonical].receipt_number)
    return sorted(cited)


def _quote(contribution: Record) -> str:
    """The first sentence that says something: not a salutation ("Mr. Chair,") nor an abbreviation's stub."""
    text = (contribution.text or contribution.extracted_text or "").strip()
    for sentence in SENTENCE.split(text):
        if len(sentence) >= 40:
            return sentence[:280]
    return text[:280]


def _who(contribution: Record) -> str:
    if contribution.consent == Consent.NAMED:
        return contribution.entity_name
    return _("a contributor from the group “%(group)s”") % {"group": contribution.group_label}


def draft_paragraphs(facts: Facts) -> list[Para]:
    c = facts.consultation
    table = facts.table
    issues = PolicyIssue.objects.in_bulk(field_name="slug")
    paras: list[Para] = []
    issue_rows = sorted(facts.issues, key=lambda row: -row["total"])
    top = [row["issue"].label for row in issue_rows[:3]]

    # Summary.
    title, _language, title_mark = localized(c, "title")
    paras.append(
        Para(
            "summary.outcome",
            "summary",
            _(
                "This report presents the outcome of the consultation “%(title)s”, held from %(opens)s to %(closes)s "
                "pursuant to %(mandate)s. A total of %(contributions)s written or oral contributions were received, "
                "and "
                "%(participants)s participants took the floor in the open debate."
            )
            % {
                "title": _marked(title, title_mark),
                "opens": date_format(c.opens_at, "DATE_FORMAT"),
                "closes": date_format(c.closes_at, "DATE_FORMAT"),
                "mandate": c.mandate_reference,
                "contributions": n(table.written_or_oral),
                "participants": n(table.debate_participants),
            },
        )
    )
    if issue_rows:
        paras.append(
            Para(
                "summary.issues",
                "summary",
                ngettext(
                    "Contributors raised %(count)s public-policy issue: %(top)s.",
                    "Contributors raised %(count)s public-policy issues; the most frequently raised were %(top)s.",
                    len(issue_rows),
                )
                % {"count": n(len(issue_rows)), "top": listing(top)},
            )
        )

    # I. Background.
    mandate, _language, mark = localized(c, "mandate")
    if mandate:
        paras.append(Para("background.mandate", "background", _marked(mandate, mark)))
    if c.description:
        paras.append(Para("background.description", "background", c.description.split("\n\n")[0]))

    # II. Organization.
    organization = _(
        "The consultation was open for contributions from %(opens)s to %(closes)s. Stakeholders could send written "
        "comments in any form at any time during the period."
    ) % {"opens": date_format(c.opens_at, "DATE_FORMAT"), "closes": date_format(c.closes_at, "DATE_FORMAT")}
    if facts.meeting is not None:
        organization += " " + _(
            "They could also take part in the meeting held at %(place)s on %(date)s: presentations by designated "
            "representatives of each stakeholder group, followed by an open debate."
        ) % {"place": facts.meeting.place, "date": date_format(facts.meeting.date, "DATE_FORMAT")}
    paras.append(Para("organization.channels", "organization", organization))
    groups_text = listing([g.label.lower() if i else g.label for i, g in enumerate(facts.groups)])
    paras.append(
        Para(
            "organization.counts",
            "organization",
            _(
                "A total of %(contributions)s written or oral contributions were received from %(groups)s, as shown "
                "in the "
                "table below."
            )
            % {"contributions": n(table.written_or_oral), "groups": groups_text},
            cite(facts, [x.id for x in facts.contributions if x.channel != Channel.INTERVENTION]),
        )
    )
    paras.append(Para("organization.table", "organization", kind="table"))
    paras.append(
        Para(
            "organization.debate",
            "organization",
            _(
                "In addition, %(participants)s participants took the floor in the open debate. All observations were "
                "taken "
                "into account in the preparation of this report, whether submitted in writing or expressed at the "
                "meeting."
            )
            % {"participants": n(table.debate_participants)},
            cite(facts, [x.id for x in facts.contributions if x.channel == Channel.INTERVENTION]),
        )
    )
    paras.append(Para("organization.chart", "organization", kind="chart"))

    # III. Issues, most raised first.
    by_issue: dict[str, list[Record]] = defaultdict(list)
    score_of: dict[tuple[int, str], float] = {}
    for contribution in facts.contributions:
        for slug, score in facts.tags.get(contribution.id, []):
            by_issue[slug].append(contribution)
            score_of[contribution.id, slug] = score
    if issue_rows:
        paras.append(
            Para(
                "issues.intro",
                "issues",
                _(
                    "Contributors raised %(count)s of the %(listed)s public-policy issues of the list of the World "
                    "Summit "
                    "on the Information Society. They are presented below in the order of how many contributions "
                    "raised "
                    "them."
                )
                % {"count": n(len(issue_rows)), "listed": n(len(issues))},
            )
        )
    everyone, emphasised = [], []
    for row in issue_rows:
        issue = row["issue"]
        raising = [g for g in facts.groups if row["groups"][g.slug]["count"]]
        text = _("%(issue)s was raised in %(count)s contributions, by %(groups)s.") % {
            "issue": issue.label,
            "count": n(row["total"]),
            "groups": listing([g.label for g in raising]),
        }
        shares = [
            _("%(group)s: %(share)s") % {"group": g.label, "share": pct(row["groups"][g.slug]["share"])}
            for g in raising
        ]
        text += " " + _("Share of each group's contributions raising it: %(shares)s.") % {"shares": "; ".join(shares)}
        lead = max(raising, key=lambda g: (row["groups"][g.slug]["lift"] or 0, row["groups"][g.slug]["share"]))
        if len(raising) == len(facts.groups):
            everyone.append(issue.label)
        elif (row["groups"][lead.slug]["lift"] or 0) >= 1.5 and row["groups"][lead.slug]["count"] >= 2:
            emphasised.append((issue.label, lead.label))
        public = list(by_issue[issue.slug])  # every record here passed the gate (``_records``)
        public.sort(key=lambda x: -score_of[x.id, issue.slug])
        quoted_groups = set()
        quotes = []
        for x in public:
            if len(quotes) == 2:
                break
            if x.group_id in quoted_groups or not (quote := _quote(x)):
                continue
            quoted_groups.add(x.group_id)
            quotes.append(
                _("%(who)s wrote: «%(quote)s» [%(lang)s]") % {"who": _who(x), "quote": quote, "lang": x.language or "?"}
            )
        if quotes:
            text += " " + " ".join(quotes)
        paras.append(Para(f"issue.{issue.slug}", "issues", text, cite(facts, [x.id for x in by_issue[issue.slug]])))
    if everyone:
        paras.append(
            Para(
                "issues.agreement",
                "issues",
                _("Every stakeholder group raised %(issues)s: these are points of shared concern.")
                % {"issues": listing(everyone)},
            )
        )
    if emphasised:
        paras.append(
            Para(
                "issues.differences",
                "issues",
                _("Emphasis differed between groups, and these issues may need more debate: %(items)s.")
                % {
                    "items": "; ".join(
                        _("%(issue)s, raised above all by %(group)s") % {"issue": i, "group": g} for i, g in emphasised
                    )
                },
            )
        )
    paras.append(Para("issues.chart", "issues", kind="chart"))

    # IV. Mechanisms and proposals.
    for row in issue_rows[:8]:
        names = facts.forums.get(row["issue"].slug)
        if names:
            paras.append(
                Para(
                    f"forums.{row['issue'].slug}",
                    "mechanisms",
                    _("For %(issue)s, the competent international bodies include %(forums)s.")
                    % {"issue": row["issue"].label, "forums": listing(names)},
                )
            )
    mechanism_labels = {
        "working-group": _(
            "a working group (for example under the Commission on Science and Technology for Development)"
        ),
        "intergovernmental-body": _("an intergovernmental body or platform"),
        "igf": _("the Internet Governance Forum"),
        "multistakeholder": _("multistakeholder processes"),
    }
    paras.extend(_position_paras(facts))
    # Keyword matching counts opponents and mere mentions among proposers (issue 15): only without stances.
    proposing = [] if facts.positions else [x for x in facts.contributions if PROPOSAL.search(x.text or "")]
    for slug, pattern in MECHANISMS.items():
        supporters = [x for x in proposing if pattern.search(x.text or "")]
        if not supporters:
            continue
        by_group = Counter(x.group_label for x in supporters)
        paras.append(
            Para(
                f"mechanism.{slug}",
                "mechanisms",
                _("%(count)s contributions put forward %(mechanism)s (%(groups)s).")
                % {
                    "count": n(len(supporters)),
                    "mechanism": mechanism_labels[slug],
                    "groups": "; ".join(f"{group}: {n(k)}" for group, k in by_group.most_common()),
                },
                cite(facts, [x.id for x in supporters]),
            )
        )

    # V. Conclusions: the secretariat's own words; the generator only leaves the place for them.
    paras.append(
        Para("conclusions.secretariat", "conclusions", _("[The secretariat's conclusions are to be written here.]"))
    )
    return paras


def _position_paras(facts: Facts) -> list[Para]:
    """One paragraph per codebook position the public contributions take a side on: who put it forward and who
    opposed it, by group (a campaign counted once), and whether the groups agree (docs/positions.md)."""
    paras = []
    language = translation.get_language() or "en"
    # What the agreement rule counts: each group's public contributions, a campaign once (its representative).
    counted = {c.id: c.group_label for c in facts.contributions if facts.campaign_of.get(c.id, (c.id, 1))[0] == c.id}
    contributions_by_group = Counter(counted.values())
    for item in facts.positions:
        sides, pairs = {}, []
        for side in ("support", "oppose"):
            cited = {facts.campaign_of.get(pk, (pk, 1))[0] for pk in item[side]} & set(counted)
            groups = Counter(counted[pk] for pk in cited)
            pairs += [(counted[pk], side) for pk in cited]
            sides[side] = (n(len(cited)), "; ".join(f"{group}: {n(k)}" for group, k in groups.most_common()))
        result = agreement(item["position"].slug, pairs, contributions_by_group)
        label = str(CLASS_LABELS[result.classification])
        if result.direction:
            label += f" ({_('in favour') if result.direction == 'support' else _('against')})"
        values = {
            "statement": item["position"].statement_in(language)[0],
            "support": sides["support"][0],
            "support_groups": sides["support"][1],
            "oppose": sides["oppose"][0],
            "oppose_groups": sides["oppose"][1],
            "agreement": label,
        }
        if item["support"] and item["oppose"]:
            text = _(
                "“%(statement)s” Put forward by %(support)s contributions (%(support_groups)s) and opposed by "
                "%(oppose)s (%(oppose_groups)s); between stakeholder groups: %(agreement)s."
            )
        elif item["support"]:
            text = _(
                "“%(statement)s” Put forward by %(support)s contributions (%(support_groups)s); between stakeholder "
                "groups: %(agreement)s."
            )
        else:
            text = _(
                "“%(statement)s” Opposed by %(oppose)s contributions (%(oppose_groups)s); between stakeholder "
                "groups: %(agreement)s."
            )
        key = f"position.{item['position'].slug}"
        paras.append(Para(key, "mechanisms", text % values, cite(facts, item["support"] + item["oppose"])))
    return paras
