from django.apps import AppConfig


class KeyinfoConfig(AppConfig):
    name = "renrentong.keyinfo"
    default_auto_field = "django.db.models.BigAutoField"
