from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "renrentong.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from renrentong.accounts import following
        from renrentong.accounts.family.services import move_links

        # Every login records last_login in complete_login's transaction (API logins start no session); Django's
        # receiver would write it a second time, in a commit of its own, on every page login.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")

        # A student's links to their parents live with the student's school and follow a transfer.
        following.register("accounts.links", move_links)
