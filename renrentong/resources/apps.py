from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "renrentong.resources"
    label = "resources"

    def ready(self) -> None:
        # The textbook catalogue import (RES-4, lessonprep) runs on the roster import machinery, which sits
        # below resources and so cannot import it: the importer is registered here (rosters.worker).
        from renrentong.resources.lessonprep import importer
        from renrentong.rosters.worker import register_importer

        register_importer(importer.KIND, importer)
