from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "renrentong.activities"
    label = "activities"
