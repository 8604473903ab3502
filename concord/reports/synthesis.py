"""Sections III to V and the conclusions: a synthesis drawn from the positions the contributions take.

Each paragraph says what was argued (the codebook's statement), by how many contributions of which groups on each
side, where the groups converge or diverge (``concord.analysis.agreement``, the rule of docs/positions.md), and
quotes the evidence sentences of that position only: a contribution that opposes a proposal is never counted, cited
or quoted among its proposers. Section III is organised by WSIS issue with the assessments ("X is not adequately
addressed by existing mechanisms"), section IV by proposal and principle, section V gathers the positions that give
the United Nations a role and the answers to the guiding question on it. Which bodies are competent for an issue is
reference data: a footnote with its source, never a finding.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.analysis.agreement import BETWEEN, ONE_GROUP, OPPOSE, SHARED, SUPPORT, TOO_FEW, WITHIN, Agreement
from concord.analysis.agreement import agreement as measure_agreement
from concord.contributions.models import Consent
from concord.positions.models import Kind
from concord.positions.report import PositionSides

from . import synthesis_text as t

# The forum that stands for the United Nations itself (General Assembly, ECOSOC) in the policy taxonomy: a position
# linked to it gives the UN a role, and is reported in section V.
UN_FORUM = "un"
# The guiding question on the role of the United Nations and the Secretary-General, in the six languages.
UN_QUESTION = re.compile(
    r"United Nations|Secretary-General|Nations Unies|Secrétaire général|Naciones Unidas|Secretari[oa] General|"
    r"Организаци\w* Объединенных Наций|Организаци\w* Объединённых Наций|Генеральн\w+ секретар|الأمم المتحدة|"
    r"الأمين العام|联合国|秘书长",
    re.IGNORECASE,
)


@dataclass
class Measured:
    """A position as the report counts it: the public contributions on each side (a campaign once), the measured
    agreement between groups, and the statement as printed."""

    sides: PositionSides
    support: list[int]
    oppose: list[int]
    result: Agreement
    statement: str
    groups_support: list[str] = field(default_factory=list)
    groups_oppose: list[str] = field(default_factory=list)
    # The statement's distinctive word stems (every language written), each weighted by how rare it is in the
    # codebook.
    weights: dict[str, float] = field(default_factory=dict)
    # (contribution id, sentence) -> how many positions that contribution takes a side on with that same sentence.
    shared: dict[tuple[int, str], int] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.sides.position.slug

    @property
    def kind(self) -> str:
        return self.sides.position.kind


WORD = re.compile(r"\w{4,}")
# A statement's word tells its position apart only if at most this many positions' statements use it: "public",
# "policy", "international" are in most, and a sentence sharing only those says nothing about this position.
DISTINCTIVE = 3


@lru_cache(maxsize=65536)  # a sentence quoted for several positions, or in an issue and in the conclusions
def stems(text: str) -> frozenset[str]:
    """Crude language-neutral stems (a word's first five letters), enough to tell a sentence about committees from
    one about languages in the six languages' alphabets; Chinese has no spaces and matches nothing, which only
    leaves the detector's score to rank its sentences."""
    return frozenset(word[:5] for word in WORD.findall(text.lower()) if not word.isdigit())


def measure(facts) -> list[Measured]:
    """Every position a counted public contribution takes a side on, with its agreement between groups."""
    statement_stems = {
        sides.position.pk: set().union(*(stems(text) for text in sides.position.statements().values()))
        for sides in facts.positions
    }
    frequency = Counter(stem for found in statement_stems.values() for stem in found)
    shared: Counter = Counter(
        (pk, evidence.text) for sides in facts.positions for pk, evidence in sides.evidence.items()
    )
    counted = {c.id: c.group_label for c in facts.contributions if facts.campaign_of.get(c.id, (c.id, 1))[0] == c.id}
    per_group = {str(g.label): 0 for g in facts.groups}
    for label in counted.values():
        per_group[label] = per_group.get(label, 0) + 1
    measured = []
    for sides in facts.positions:
        found = {}
        for side in (SUPPORT, OPPOSE):
            canonical = {facts.campaign_of.get(pk, (pk, 1))[0] for pk in getattr(sides, side)}
            found[side] = sorted(pk for pk in canonical if pk in counted)
        if not found[SUPPORT] and not found[OPPOSE]:
            continue
        pairs = [(counted[pk], side) for side in (SUPPORT, OPPOSE) for pk in found[side]]
        measured.append(
            Measured(
                sides,
                found[SUPPORT],
                found[OPPOSE],
                measure_agreement(sides.position.slug, pairs, per_group),
                t.statement_of(sides.position),
                [counted[pk] for pk in found[SUPPORT]],
                [counted[pk] for pk in found[OPPOSE]],
                {
                    stem: 1 / frequency[stem]
                    for stem in statement_stems[sides.position.pk]
                    if frequency[stem] <= DISTINCTIVE
                },
                shared,
            )
        )
    return measured


def is_un_role(item: Measured) -> bool:
    return UN_FORUM in item.sides.forums


def may_name(facts, record) -> bool:
    """The naming rule of the seed report: an entity is named only when it consented to be named and spoke as the
    designated representative of its group; everyone else is reported by stakeholder group."""
    return record.consent == Consent.NAMED and record.entity_id in facts.spokespersons


def quotes(facts, item: Measured, *, limit: int = 2) -> list[str]:
    """The most telling evidence sentence on each side; with no opponent, a second proposer from another group.

    The detector gives one sentence per stance, and the same sentence sometimes stands for several positions of a
    contribution: such a sentence says little about any one of them. So sentences are ranked by the words they
    share with the statement (rare words in the codebook weigh more), then by how many positions they stand for
    (fewest first), the detector's score, the report's language and the oldest contribution. A sentence standing
    for three positions or more and sharing no word with the statement is not quoted at all."""
    language = t.lang()

    relevance_of: dict[str, float] = {}  # a sentence many contributions share (a campaign's) is weighed once

    def ranked(ids):
        rows = []
        for pk in ids:
            evidence = item.sides.evidence.get(pk)
            if evidence is None:
                continue
            spread = item.shared.get((pk, evidence.text), 1)
            relevance = relevance_of.get(evidence.text)
            if relevance is None:
                relevance = relevance_of[evidence.text] = sum(item.weights.get(s, 0) for s in stems(evidence.text))
            if spread >= 3 and not relevance:
                continue
            record = facts.by_id[pk]
            rows.append(
                (
                    -round(relevance, 2),
                    spread,
                    -round(evidence.score, 2),
                    record.language != language,
                    pk,
                    record,
                    evidence,
                )
            )
        return [(row[-2], row[-1]) for row in sorted(rows, key=lambda row: row[:5])]

    support, oppose = ranked(item.support), ranked(item.oppose)
    chosen = [(SUPPORT, *support[0])] if support else []
    if oppose:
        chosen.append((OPPOSE, *oppose[0]))
    elif support:
        other = next((row for row in support[1:] if row[0].group_id != support[0][0].group_id), None)
        if other:
            chosen.append((t.ALSO_SUPPORT, *other))
    return [
        t.attributed(record, evidence, side=side, named=may_name(facts, record))
        for side, record, evidence in chosen[:limit]
    ]


def position_para(facts, item: Measured, section: str, para_class):
    parts = [
        t.position_opening(item.kind, item.statement, item.groups_support, item.groups_oppose, item.result),
        *quotes(facts, item),
    ]
    text = t.sentences(parts)
    return para_class(f"position.{item.slug}", section, text, facts.cite(item.support + item.oppose))


def forum_footnote(facts, slug: str) -> list[str]:
    """Which bodies the secretariat's reference data names as competent for an issue, with its source."""
    if not facts.forums.get(slug):
        return []
    names = facts.forum_names(slug)
    return [
        _(
            "Reference data, not a finding of the consultation: according to %(source)s, the bodies competent for "
            "this issue include %(forums)s."
        )
        % {"source": facts.taxonomy_source, "forums": t.listing(names)}
    ]


def issue_paras(facts, measured: list[Measured], para_class) -> list:
    """Section III: per issue raised (most raised first), who raised it, and what was said of how existing
    mechanisms address it (the assessments linked to the issue), with their evidence."""
    paras = []
    rows = sorted(facts.issues, key=lambda row: -row["total"])
    assessments = [m for m in measured if m.kind == Kind.ASSESSMENT]
    if rows:
        paras.append(
            para_class(
                "issues.intro",
                "issues",
                ngettext(
                    "Contributors raised %(count)s of the %(listed)s public-policy issues of the list of the World "
                    "Summit on the Information Society; they are presented below, the most raised first.",
                    "Contributors raised %(count)s of the %(listed)s public-policy issues of the list of the World "
                    "Summit on the Information Society; they are presented below, the most raised first.",
                    facts.issues_listed,
                )
                % {"count": t.n(len(rows)), "listed": t.n(facts.issues_listed)},
            )
        )
    by_issue: dict[str, list[int]] = {}
    for contribution in facts.contributions:
        for slug, _score in facts.tags.get(contribution.id, []):
            by_issue.setdefault(slug, []).append(contribution.id)
    for row in rows:
        issue = row["issue"]
        raising = [g for g in facts.groups if row["groups"][g.slug]["count"]]
        lead = max(raising, key=lambda g: (row["groups"][g.slug]["lift"] or 0, row["groups"][g.slug]["share"]))
        figures = row["groups"][lead.slug]
        leading = None
        if len(raising) > 1 and (figures["lift"] or 0) >= 1.5 and figures["count"] >= 2:
            leading = (str(lead.label), figures["share"])
        assessed = [item for item in assessments if issue.slug in item.sides.issues]
        parts = [
            t.issue_opening(
                issue.label,
                row["total"],
                {str(g.label): row["groups"][g.slug]["count"] for g in raising},
                len(facts.groups),
                leading,
                t.issue_assessed(any(m.support for m in assessed), any(m.oppose for m in assessed)),
            )
        ]
        cited = list(by_issue.get(issue.slug, []))
        for item in assessed:
            parts += [
                t.issue_assessment(item.statement, item.groups_support, item.groups_oppose),
                t.agreement_sentence(item.result),
                *quotes(facts, item),
            ]
            cited += item.support + item.oppose
        text = t.sentences(parts)
        paras.append(
            para_class(
                f"issue.{issue.slug}", "issues", text, facts.cite(cited), footnotes=forum_footnote(facts, issue.slug)
            )
        )
    paras += not_addressed_paras(facts, assessments, para_class)
    everyone = [row["issue"].label for row in rows if all(row["groups"][g.slug]["count"] for g in facts.groups)]
    if everyone and len(facts.groups) > 1:
        paras.append(
            para_class(
                "issues.agreement",
                "issues",
                ngettext(
                    "Every stakeholder group raised %(issues)s.",
                    "Every stakeholder group raised the following issues: %(issues)s.",
                    len(everyone),
                )
                % {"issues": t.listing(everyone)},
            )
        )
    return paras


def not_addressed_paras(facts, assessments: list[Measured], para_class) -> list:
    """The consultation's first question, answered from the assessments tied to an issue: which issues contributors
    called not adequately addressed, how many said so, and whether the groups agree."""
    tied = [m for m in assessments if m.sides.issues and m.support]
    if not tied:
        return []
    labels = facts.issue_labels
    tied.sort(key=lambda m: (-len(m.support), m.slug))
    items = [
        _("%(issue)s (%(count)s)")
        % {"issue": t.listing(labels.get(s, s) for s in m.sides.issues), "count": t.n(len(m.support))}
        for m in tied
    ]
    text = _(
        "Contributors assessed how existing mechanisms address these issues. Those most often described as not "
        "adequately addressed were, with the number of contributions saying so: %(items)s."
    ) % {"items": t.listing(items)}
    shared = [m for m in tied if m.result.classification == SHARED and m.result.direction == SUPPORT]
    contested = [m for m in tied if m.result.classification in (BETWEEN, WITHIN)]
    if shared:
        text += t.gap() + _("The stakeholder groups converged on this assessment for %(issues)s.") % {
            "issues": t.listing(labels.get(m.sides.issues[0], m.slug) for m in shared)
        }
    if contested:
        text += t.gap() + _("They diverged on %(issues)s.") % {
            "issues": t.listing(labels.get(m.sides.issues[0], m.slug) for m in contested)
        }
    cited = [pk for m in tied for pk in m.support + m.oppose]
    return [para_class("issues.not-addressed", "issues", text, facts.cite(cited))]


def mechanism_paras(facts, measured: list[Measured], para_class) -> list:
    """Section IV: first the assessments of cooperation as a whole (those tied to no issue: "already under way",
    "not yet started"), then each proposal and principle, in codebook order; those giving the UN a role go to V."""
    paras = [
        position_para(facts, m, "mechanisms", para_class)
        for m in measured
        if m.kind == Kind.ASSESSMENT and not m.sides.issues
    ]
    paras += [
        position_para(facts, m, "mechanisms", para_class)
        for m in measured
        if m.kind != Kind.ASSESSMENT and not is_un_role(m)
    ]
    return paras


def un_role_paras(facts, measured: list[Measured], para_class) -> list:
    """Section V, from the answers to the guiding question on the role of the United Nations and from the positions
    that give the United Nations a role."""
    paras = []
    question = facts.un_question
    if question is not None:
        answered = facts.un_answers
        text = _("The consultation asked: %(question)s") % {"question": question}
        if answered:
            text += t.gap() + ngettext(
                "%(count)s contribution answered it separately.",
                "%(count)s contributions answered it separately.",
                len(answered),
            ) % {"count": t.n(len(answered))}
            text += t.gap() + _("By stakeholder group: %(groups)s.") % {
                "groups": t.breakdown(facts.by_id[pk].group_label for pk in answered)
            }
        else:
            text += t.gap() + _(
                "No contribution answered it separately; what contributions said of the role of the United Nations "
                "is drawn from the positions below."
            )
        paras.append(para_class("un_role.question", "un_role", text, facts.cite(answered)))
    roles = [m for m in measured if m.kind != Kind.ASSESSMENT and is_un_role(m)]
    paras += [position_para(facts, m, "un_role", para_class) for m in roles]
    if not roles:
        paras.append(
            para_class(
                "un_role.none",
                "un_role",
                _("No contribution took a side on a proposal that gives the United Nations system a role."),
            )
        )
    return paras


def conclusion_paras(facts, measured: list[Measured], para_class) -> list:
    """The conclusions, drafted from the measured agreement and flagged as a draft for the secretariat: each
    paragraph opens with the marker, which the secretariat's edit replaces."""
    mark = _("[Draft for the secretariat]")
    shared = [m for m in measured if m.result.classification == SHARED]
    contested = [m for m in measured if m.result.classification in (BETWEEN, WITHIN)]
    rest = [m for m in measured if m.result.classification in (ONE_GROUP, TOO_FEW)]
    paras = []
    if shared:
        favour = [m.statement for m in shared if m.result.direction == SUPPORT]
        against = [m.statement for m in shared if m.result.direction == OPPOSE]
        parts = []
        if favour:
            parts.append(
                _("contributors from several stakeholder groups agreed with %(items)s") % {"items": t.listing(favour)}
            )
        if against:
            parts.append(_("they agreed in rejecting %(items)s") % {"items": t.listing(against)})
        text = _("In conclusion, %(findings)s.") % {"findings": t.listing(parts)}
        paras.append(("conclusions.convergence", text, [pk for m in shared for pk in m.support + m.oppose]))
    if contested:
        text = ngettext(
            "Views diverged on one position, which may need further debate: %(items)s.",
            "Views diverged on %(count)s positions, which may need further debate: %(items)s.",
            len(contested),
        ) % {"count": t.n(len(contested)), "items": t.listing(m.statement for m in contested)}
        paras.append(("conclusions.divergence", text, [pk for m in contested for pk in m.support + m.oppose]))
    if rest:
        text = ngettext(
            "On %(count)s other position, no agreement between stakeholder groups can be measured: too few "
            "contributions took a side, they were too evenly split, or all came from one group.",
            "On %(count)s other positions, no agreement between stakeholder groups can be measured: too few "
            "contributions took a side, they were too evenly split, or all came from one group.",
            len(rest),
        ) % {"count": t.n(len(rest))}
        paras.append(("conclusions.other", text, []))
    tied = sorted(
        (m for m in measured if m.kind == Kind.ASSESSMENT and m.sides.issues and m.support),
        key=lambda m: (-len(m.support), m.slug),
    )[:3]
    if tied:
        labels = facts.issue_labels
        text = _(
            "The issues contributors most often described as not adequately addressed by existing mechanisms were "
            "%(issues)s."
        ) % {"issues": t.listing(labels.get(m.sides.issues[0], m.slug) for m in tied)}
        paras.append(("conclusions.issues", text, [pk for m in tied for pk in m.support]))
    if not measured:
        rows = sorted(facts.issues, key=lambda row: -row["total"])[:3]
        text = _(
            "The contributions have not been read against a codebook of positions, so no agreement between "
            "stakeholder groups is measured. The issues most raised were %(issues)s."
        ) % {"issues": t.listing(row["issue"].label for row in rows) or "—"}
        paras.append(("conclusions.issues", text, []))
    return [para_class(key, "conclusions", f"{mark}{t.gap()}{text}", facts.cite(cited)) for key, text, cited in paras]


def summary_views(facts, measured: list[Measured]) -> str:
    """The summary's account of the views: how many positions were taken up and how the groups stood on them."""
    counts = Counter(m.result.classification for m in measured)
    shared, contested = counts[SHARED], counts[BETWEEN] + counts[WITHIN]
    text = ngettext(
        "Contributors took sides on %(count)s position on the issues, the cooperation mechanisms and the role of the "
        "United Nations.",
        "Contributors took sides on %(count)s positions on the issues, the cooperation mechanisms and the role of "
        "the United Nations.",
        len(measured),
    ) % {"count": t.n(len(measured))}
    if shared:
        text += t.gap() + ngettext(
            "The stakeholder groups converged on %(count)s of them.",
            "The stakeholder groups converged on %(count)s of them.",
            shared,
        ) % {"count": t.n(shared)}
    if contested:
        text += t.gap() + ngettext("They diverged on %(count)s.", "They diverged on %(count)s.", contested) % {
            "count": t.n(contested)
        }
    rest = len(measured) - shared - contested
    if rest:
        text += t.gap() + ngettext(
            "On %(count)s, no agreement between the groups can be measured.",
            "On %(count)s, no agreement between the groups can be measured.",
            rest,
        ) % {"count": t.n(rest)}
    return text
