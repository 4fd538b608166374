from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "renrentong.integration"
    label = "integration"
