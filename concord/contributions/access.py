from django.http import Http404

from concord.consultations.models import Consultation

from .models import Contribution


def public_contributions(consultation: Consultation):
    """The contributions the public record may show, with what their pages display."""
    return (
        Contribution.objects.public()
        .filter(consultation=consultation)
        .select_related("entity", "entity__category", "group")
    )


def access_contribution_by_receipt(user, consultation: Consultation, receipt_number: str) -> Contribution:
    """A published contribution by its receipt number; a withheld one does not exist for the public record."""
    try:
        return public_contributions(consultation).get(receipt_number=receipt_number)
    except Contribution.DoesNotExist:
        raise Http404("No such contribution") from None
