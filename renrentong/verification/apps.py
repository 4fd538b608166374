from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class VerificationConfig(AppConfig):
    name = "renrentong.verification"
    label = "verification"

    def ready(self) -> None:
        checks.register(outbox_in_production, checks.Tags.security)


def outbox_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The outbox lets admins read codes: fine in development and demos, not in production."""
    from .providers import ALIYUN_SETTINGS, _setting

    backend = _setting("RRT_SMS_BACKEND", "outbox")
    if backend == "aliyun":
        missing = [name for name in ALIYUN_SETTINGS if not _setting(name)]
        if missing:
            return [checks.Error(f"RRT_SMS_BACKEND is aliyun but {', '.join(missing)} not set.",
                                 hint="See docs/verification.md.", id="verification.E001")]
    if backend == "outbox" and not settings.DEBUG:
        return [checks.Warning(
            "Verification codes go to the development SMS outbox, where admins can read them.",
            hint="Set RRT_SMS_BACKEND=aliyun and the RRT_ALIYUN_SMS_* variables (docs/verification.md).",
            id="verification.W001",
        )]
    return []
