"""Background work of the integration app; each task is safe to run twice and side by side (rows are claimed)."""

from django_tasks import task

from renrentong.integration import logout


@task()
def deliver_logouts() -> int:
    """Announce ended sessions to the apps (Back-Channel Logout); the periodic sweep retries what failed."""
    return logout.drain()
