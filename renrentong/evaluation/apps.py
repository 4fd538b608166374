from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "renrentong.evaluation"
    label = "evaluation"

    def ready(self) -> None:
        from renrentong.accounts import following

        from renrentong.evaluation.archive.services import move_records

        # A student's written records follow them to a new school (issue 14 item 8); the other areas
        # that keep rows per student register theirs the same way.
        following.register("evaluation.records", move_records)
        # The academic score import (EVA-6) runs on the roster import machinery, which sits below
        # evaluation and so cannot import it: the importer is registered here (rosters.worker).
        from renrentong.evaluation.scores import importer
        from renrentong.rosters.worker import register_importer

        register_importer(importer.KIND, importer)
        # Scores follow a transferred student like records do, and print in the archive.
        from renrentong.evaluation.archive.selectors import register_score_reader
        from renrentong.evaluation.scores.selectors import archive_lines
        from renrentong.evaluation.scores.services import move_scores

        following.register("evaluation.scores", move_scores)
        register_score_reader("evaluation.scores", archive_lines)
