from django.apps import AppConfig


class AuditlogConfig(AppConfig):
    name = "renrentong.auditlog"
    default_auto_field = "django.db.models.BigAutoField"
