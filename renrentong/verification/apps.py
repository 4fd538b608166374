from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class VerificationConfig(AppConfig):
    name = "renrentong.verification"
    label = "verification"

    def ready(self) -> None:
        checks.register(aliyun_configured, checks.Tags.security)
        checks.register(outbox_in_production, checks.Tags.security, deploy=True)
        checks.register(notices_configured, checks.Tags.security, deploy=True)


def aliyun_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from renrentong.verification.providers import ALIYUN_SETTINGS, _setting

    if _setting("RRT_SMS_BACKEND", "outbox") == "aliyun":
        missing = [name for name in ALIYUN_SETTINGS if not _setting(name)]
        if missing:
            return [checks.Error(f"RRT_SMS_BACKEND is aliyun but {', '.join(missing)} not set.",
                                 hint="See docs/verification.md.", id="verification.E001")]
    return []


def notices_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Parents are told by text message when someone asks to link their child (issue 10): without a notice
    template the gateway cannot send it, and a stranger's request would wait unseen by them."""
    from renrentong.verification.providers import _setting

    if _setting("RRT_SMS_BACKEND", "outbox") == "aliyun" and not _setting("RRT_ALIYUN_SMS_NOTICE_TEMPLATE_CODE"):
        return [checks.Warning(
            "RRT_ALIYUN_SMS_NOTICE_TEMPLATE_CODE is not set: parents are not told by text message when someone "
            "asks to link their child.",
            hint="Register a notice template with a ${content} variable at the gateway (docs/verification.md).",
            id="verification.W002",
        )]
    return []


def outbox_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The outbox keeps codes where admins' servers hold them: fine in development, not in production.

    `check --deploy` fails (an Error) when a production server would use it; a demo server that sets
    RRT_SMS_OUTBOX_ALLOWED=1 on purpose still gets a warning."""
    from renrentong.verification.providers import _setting

    if _setting("RRT_SMS_BACKEND", "outbox") != "outbox" or settings.DEBUG:
        return []
    if getattr(settings, "RRT_SMS_OUTBOX_ALLOWED", False):
        return [checks.Warning(
            "RRT_SMS_OUTBOX_ALLOWED=1: verification codes go to the development SMS outbox instead of phones.",
            hint="Only for demo servers; set RRT_SMS_BACKEND=aliyun for real users (docs/operations.md).",
            id="verification.W001",
        )]
    return [checks.Error(
        "Verification codes would go to the development SMS outbox, which refuses to send with DEBUG=0.",
        hint="Set RRT_SMS_BACKEND=aliyun and the RRT_ALIYUN_SMS_* variables (docs/verification.md and "
             "docs/operations.md).",
        id="verification.E002",
    )]
