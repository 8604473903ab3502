"""Who may see which positions and stances: one helper per object type, through the contributions' public gate."""

from django.http import Http404

from concord.contributions.access import public_contributions

from .models import Position, Stance


def access_position_by_slug(user, consultation, slug: str) -> Position:
    """A position of the consultation's codebook (the codebook is public with the consultation)."""
    try:
        return Position.objects.get(consultation=consultation, slug=slug)
    except Position.DoesNotExist:
        raise Http404("No such position") from None


def public_stances(consultation):
    """The stances the public may see: those of contributions that pass the public record's gate, and only those.
    A withheld, withdrawn, held or unpublished contribution's stance does not exist for the public."""
    return Stance.objects.filter(
        position__consultation=consultation,
        contribution__in=public_contributions(consultation).values("pk"),
    )
