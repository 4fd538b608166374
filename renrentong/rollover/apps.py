from django.apps import AppConfig


class RolloverConfig(AppConfig):
    name = "renrentong.rollover"
    label = "rollover"
