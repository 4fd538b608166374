from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "renrentong.uploads"
    label = "uploads"
