"""Background upkeep of the public record after a contribution changes: its search entry and the sealed chain."""

from django_tasks import task


@task()
def contribution_changed(contribution_id: int) -> None:
    """Safe to run twice: indexing replaces the entry, sealing appends only what the chain lacks."""
    from .services import contribution_changed as update

    update(contribution_id)
    # The worker analyses the consultation again once its changes settle (concord/policy/background.py).
    from concord.policy.background import contribution_changed as analyse_later

    analyse_later(contribution_id)
