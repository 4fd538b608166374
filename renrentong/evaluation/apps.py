from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "renrentong.evaluation"
    label = "evaluation"

    def ready(self) -> None:
        from renrentong.accounts import following

        from renrentong.evaluation.archive.services import move_records

        # A student's written records follow them to a new school (issue 14 item 8); the other areas
        # that keep rows per student (scores, reviews) register theirs the same way.
        following.register("evaluation.records", move_records)
