from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from concord.consultations.models import Consultation
from concord.contributions.models import Channel

# Past this page a database's OFFSET overflows (SQLite: 2**63): no reader pages this far, so refuse it with a 400.
MAX_PAGE = 10_000


class RecordFilterForm(forms.Form):
    """The record's filters, parsed from the query string; invalid values are reported, not ignored."""

    group = forms.ChoiceField(label=_("Stakeholder group"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)

    def __init__(self, consultation: Consultation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["group"].choices = every + [(g.slug, g.label) for g in consultation.ordered_groups()]
        self.fields["channel"].choices = every + list(Channel.choices)
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = every + [(c, names.get(c, c)) for c in consultation.languages]

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("group"):
            queryset = queryset.filter(group__slug=data["group"])
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        if data.get("language"):
            queryset = queryset.filter(language=data["language"])
        return queryset


def issue_name(issue, language: str) -> str:
    names = issue.names or {}
    return names.get(language) or names.get("en") or issue.name


class SearchForm(forms.Form):
    """The search page's query and filters; the API parses the same parameters into the same ``SearchParams``."""

    q = forms.CharField(label=_("Words or “a phrase”"), required=False, max_length=200)
    group = forms.ChoiceField(label=_("Stakeholder group"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    issue = forms.ChoiceField(label=_("Public-policy issue"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Relevance (with words), else oldest first")),
            ("relevance", _("Relevance")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("receipt", _("Receipt number")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)

    def __init__(self, consultation: Consultation, *args, **kwargs):
        from django.utils.translation import get_language
        from django_countries import countries

        from concord.contributions.access import public_contributions
        from concord.policy.models import PolicyIssue
        from concord.policy.selectors import public_campaigns
        from concord.stakeholders.models import EntityCategory

        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        language = get_language() or "en"
        self.fields["group"].choices = every + [(g.slug, g.label) for g in consultation.ordered_groups()]
        self.fields["channel"].choices = every + list(Channel.choices)
        self.fields["category"].choices = every + [(c.slug, c.label) for c in EntityCategory.objects.all()]
        codes = (
            public_contributions(consultation)
            .exclude(entity__country="")
            .order_by()
            .values_list("entity__country", flat=True)
            .distinct()
        )
        self.fields["country"].choices = every + sorted(
            ((code, countries.name(code) or code) for code in codes), key=lambda item: str(item[1])
        )
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = every + [(c, names.get(c, c)) for c in consultation.languages]
        self.fields["issue"].choices = every + [(i.slug, issue_name(i, language)) for i in PolicyIssue.objects.all()]
        # Named after a public member and counting the public ones: never a withheld, held or rejected receipt.
        campaigns = sorted(public_campaigns(consultation).values(), key=lambda c: (-c.size, c.pk))
        self.fields["campaign"].choices = (
            every
            + [("any", _("Part of a campaign")), ("none", _("Not part of a campaign"))]
            + [
                (str(c.pk), _("Campaign around %(receipt)s (%(size)d)") % {"receipt": c.receipt_number, "size": c.size})
                for c in campaigns
            ]
        )

    def params(self):
        from .search import SearchParams

        data = {k: v for k, v in self.cleaned_data.items() if k != "page"}
        return SearchParams(
            **{k: (v if v is not None else (None if k.startswith("received") else "")) for k, v in data.items()}
        )
