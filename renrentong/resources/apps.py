from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "renrentong.resources"
    label = "resources"
