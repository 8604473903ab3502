from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import VoteValue
from .services import MAX_STATEMENT_LENGTH


class VoteForm(forms.Form):
    """One vote from the voting page's plain form: which statement, and agree / disagree / pass."""

    statement = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    value = forms.TypedChoiceField(choices=VoteValue.choices, coerce=int)


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=MAX_STATEMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("One idea others can agree or disagree with. It is read by the secretariat before it is shown."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
