from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "renrentong.notices"
    label = "notices"
