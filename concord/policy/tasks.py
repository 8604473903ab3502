"""The worker's side of the background analysis (see ``background``)."""

from django_tasks import task


@task()
def analyse_when_settled(consultation_id: int) -> str:
    from .background import analyse_if_settled

    return analyse_if_settled(consultation_id)
