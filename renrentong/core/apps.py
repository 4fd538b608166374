from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renrentong.core"
    label = "core"
