from django.apps import AppConfig


class RealnameConfig(AppConfig):
    name = "renrentong.realname"
    label = "realname"

    def ready(self) -> None:
        from renrentong.schooladmin.transfers.services import person_transferred

        from renrentong.realname.services import follow_transfer

        person_transferred.connect(follow_transfer, dispatch_uid="realname.follow_transfer")
