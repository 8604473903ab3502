from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import TurnKind


class RequestFloorForm(forms.Form):
    action = forms.ChoiceField(choices=[("request", "request"), ("withdraw", "withdraw")])
    kind = forms.ChoiceField(
        choices=[
            (TurnKind.INTERVENTION, TurnKind.INTERVENTION.label),
            (TurnKind.POINT_OF_ORDER, TurnKind.POINT_OF_ORDER.label),
        ],
        required=False,
    )
    turn = forms.IntegerField(required=False)


class ChairForm(forms.Form):
    ACTIONS = ["open", "close", "next", "give", "end", "strike"]
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    turn = forms.IntegerField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") in {"give", "strike"} and not data.get("turn"):
            self.add_error("turn", _("Choose a speaker."))
        return data


class RecordTurnForm(forms.Form):
    turn = forms.IntegerField(widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    text = forms.CharField(
        label=_("Text, notes or transcript"), required=False, widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"})
    )
    transcript = forms.FileField(label=_("Or a transcript file (plain text, UTF-8)"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("transcript")
        if upload:
            if upload.size > 2 * 1024 * 1024:
                self.add_error("transcript", _("A transcript file is at most 2 MB."))
                return data
            try:
                data["text"] = (data.get("text", "") + "\n\n" + upload.read().decode("utf-8-sig")).strip()
            except UnicodeDecodeError:
                self.add_error("transcript", _("The transcript must be plain UTF-8 text."))
        if not data.get("text", "").strip():
            self.add_error("text", _("Give the text, notes or transcript."))
        return data
