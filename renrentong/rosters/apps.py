from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "renrentong.rosters"
    label = "rosters"
