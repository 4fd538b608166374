from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "renrentong.orgs"
    label = "orgs"
