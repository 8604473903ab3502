from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from concord.consultations.models import Consultation
from concord.contributions.models import Channel


class RecordFilterForm(forms.Form):
    """The record's filters, parsed from the query string; invalid values are reported, not ignored."""

    group = forms.ChoiceField(label=_("Stakeholder group"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

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
