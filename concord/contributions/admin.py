from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concord.core.admin_utils import ServiceAdmin, run_service_action

from . import services
from .models import Consent, Contribution

RECORD_FIELDS = [
    "consultation",
    "entity",
    "channel",
    "language",
    "title",
    "text",
    "received_at",
    "source",
    "consent",
    "meeting",
]


@admin.register(Contribution)
class ContributionAdmin(ServiceAdmin):
    """The secretariat records contributions received by e-mail, letter or at the meeting.

    A recorded contribution is not edited here (amendment keeps versions, see the written channel); its
    publication choice is changed with the actions.
    """

    list_display = [
        "receipt_number",
        "entity",
        "group",
        "channel",
        "language",
        "received_at",
        "source",
        "consent",
    ]
    list_filter = ["consultation", "group", "channel", "language", "source", "consent"]
    search_fields = ["receipt_number", "entity__name", "title", "text"]
    list_select_related = ["entity", "group"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["entity"]
    actions = ["publish_named", "publish_anonymous", "withhold"]

    def get_fields(self, request, obj=None):
        return RECORD_FIELDS if obj is None else ["receipt_number", "group", *RECORD_FIELDS, "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def service_create(self, request, form):
        data = dict(form.cleaned_data)
        consultation = data.pop("consultation")
        return services.record_contribution(request.user, consultation, **data)

    def service_update(self, request, obj, changes, form):
        return obj

    def _consent_action(self, request, queryset, consent, message):
        run_service_action(self, request, queryset, lambda user, obj: services.set_consent(user, obj, consent), message)

    @admin.action(description=_("Publish with the contributor's name"))
    def publish_named(self, request, queryset):
        self._consent_action(request, queryset, Consent.NAMED, _("%(count)d published with name."))

    @admin.action(description=_("Publish anonymously"))
    def publish_anonymous(self, request, queryset):
        self._consent_action(request, queryset, Consent.ANONYMOUS, _("%(count)d published anonymously."))

    @admin.action(description=_("Withhold from publication"))
    def withhold(self, request, queryset):
        self._consent_action(request, queryset, Consent.WITHHELD, _("%(count)d withheld."))
