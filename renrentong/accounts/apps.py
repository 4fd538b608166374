from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "renrentong.accounts"
    label = "accounts"

    def ready(self) -> None:
        from renrentong.accounts import following
        from renrentong.accounts.family.services import move_links

        # A student's links to their parents live with the student's school and follow a transfer.
        following.register("accounts.links", move_links)
