from django.apps import AppConfig


class RealnameConfig(AppConfig):
    name = "renrentong.realname"
    label = "realname"
