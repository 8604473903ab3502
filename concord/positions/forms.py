from django import forms
from django.utils.translation import gettext_lazy as _

from .models import StanceValue


class EvidenceFilterForm(forms.Form):
    """Which figure's evidence to show: a stakeholder group and a stance, from the query string."""

    group = forms.ChoiceField(label=_("Stakeholder group"), required=False)
    stance = forms.ChoiceField(label=_("Stance"), required=False)

    def __init__(self, consultation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["group"].choices = every + [(g.slug, g.label) for g in consultation.ordered_groups()]
        self.fields["stance"].choices = every + list(StanceValue.choices)
