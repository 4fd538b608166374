from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "renrentong.evaluation"
    label = "evaluation"

    def ready(self) -> None:
        # The academic score import (EVA-6) runs on the roster import machinery, which sits below
        # evaluation and so cannot import it: the importer is registered here (rosters.worker).
        from renrentong.evaluation.scores import importer
        from renrentong.rosters.worker import register_importer

        register_importer(importer.KIND, importer)
