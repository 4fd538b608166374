from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "renrentong.evaluation"
    label = "evaluation"
