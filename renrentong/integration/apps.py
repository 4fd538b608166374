from django.apps import AppConfig
from django.core import checks


class IntegrationConfig(AppConfig):
    name = "renrentong.integration"
    label = "integration"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from renrentong.integration.oneroster import importer
        from renrentong.rosters.worker import register_importer

        user_logged_out.connect(_ended, dispatch_uid="integration.end_app_sessions")
        register_importer(importer.KIND, importer)
        checks.register(provider_configured, checks.Tags.security, deploy=True)


def _ended(sender, request, user, **kwargs) -> None:
    """A platform session logged out (Django sends this before the session is flushed): the apps it signed in
    to hear of it (Back-Channel Logout)."""
    from renrentong.integration.logout import SESSION_SID
    from renrentong.integration.tasks import end_app_sessions

    session = getattr(request, "session", None)
    if user is not None and session is not None:
        end_app_sessions(user, session.get(SESSION_SID, ""))


def provider_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """In production the provider signs with a key the operator installed and names an https issuer that is
    not the development default (docs/oidc.md)."""
    from oauth2_provider.settings import oauth2_settings

    found = []
    if not oauth2_settings.OIDC_RSA_PRIVATE_KEY:
        found.append(checks.Error("No OpenID Connect signing key in RRT_OIDC_KEY_DIR.",
                                  hint="Run `manage.py oidc_keys rotate` (docs/oidc.md).", id="integration.E001"))
    if not oauth2_settings.OIDC_ISS_ENDPOINT.startswith("https://"):
        found.append(checks.Error("RRT_OIDC_ISSUER must be the platform's public https address.",
                                  hint="For example https://rrt.example.edu.cn (docs/oidc.md).", id="integration.E002"))
    return found
