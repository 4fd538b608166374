from importlib import import_module

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "renrentong.notices"
    label = "notices"

    def import_models(self):
        super().import_models()
        # The receipts' own tables (MSG-3 tallies) live beside their code, in the notices app.
        import_module(f"{self.name}.receipts.models")
