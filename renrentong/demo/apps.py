from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "renrentong.demo"
    default_auto_field = "django.db.models.BigAutoField"
