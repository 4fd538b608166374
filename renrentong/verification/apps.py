from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "renrentong.verification"
    label = "verification"
