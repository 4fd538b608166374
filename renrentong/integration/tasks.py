"""Background work of the integration app; each task is safe to run twice and side by side (rows are claimed)."""

from django_tasks import task

from renrentong.integration import logout


@task()
def deliver_logouts() -> int:
    """Announce ended sessions to the apps (Back-Channel Logout); the periodic sweep retries what failed."""
    return logout.drain()


def sweep_logouts() -> int:
    """Periodic duty (settings.PERIODIC_DUTIES): announcements due again after a pause, or left by a dead worker."""
    return logout.sweep(queue=deliver_logouts.enqueue)


def end_app_sessions(account, sid: str) -> int:
    """A platform session ended: what it signed in to is revoked and the apps are told (logout.end_app_sessions)."""
    return logout.end_app_sessions(account, sid, queue=deliver_logouts.enqueue)


def end_app_access(account, app) -> int:
    """The user withdrew an app: what it got is revoked and it is told (logout.end_app_access)."""
    return logout.end_app_access(account, app, queue=deliver_logouts.enqueue)
