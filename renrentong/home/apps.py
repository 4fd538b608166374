from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "renrentong.home"
    label = "home"
