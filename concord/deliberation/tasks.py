"""The worker's side of the opinion groups' computation (see ``opinions.request_refresh``)."""

from django_tasks import task


@task()
def refresh_opinions(phase_id: int) -> str:
    from .models import Phase
    from .opinions import refresh

    phase = Phase.objects.select_related("consultation").filter(pk=phase_id).first()
    return "gone" if phase is None else refresh(phase)
