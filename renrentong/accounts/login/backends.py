from django.contrib.auth.backends import BaseBackend

from renrentong.accounts.models import Account

USABLE_STATES = (Account.Status.ACTIVE, Account.Status.GRADUATED)


class AccountBackend(BaseBackend):
    """Loads the session's account; logging in itself goes through services.log_in."""

    def get_user(self, user_id):
        return (
            Account.objects.filter(pk=user_id, status__in=USABLE_STATES)
            .select_related("person", "home_school")
            .first()
        )
