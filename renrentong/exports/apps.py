from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "renrentong.exports"
    label = "exports"
