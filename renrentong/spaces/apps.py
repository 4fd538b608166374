from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "renrentong.spaces"
    label = "spaces"
