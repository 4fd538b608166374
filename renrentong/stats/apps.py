from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "renrentong.stats"
    label = "stats"
