from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "renrentong.push"
    label = "push"
