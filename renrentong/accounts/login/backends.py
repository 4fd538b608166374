from django.contrib.auth.backends import BaseBackend
from django.db import DEFAULT_DB_ALIAS

from renrentong.accounts.models import Account

USABLE_STATES = (Account.Status.ACTIVE, Account.Status.GRADUATED)


class AccountBackend(BaseBackend):
    """Loads the session's account; logging in itself goes through services.log_in."""

    def get_user(self, user_id):
        return (
            # From the primary, never a replica: a frozen account or a new password holds at once.
            Account.objects.using(DEFAULT_DB_ALIAS).filter(pk=user_id, status__in=USABLE_STATES)
            .select_related("person", "home_school")
            .first()
        )
