import importlib
import importlib.util

from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "renrentong.core"
    label = "core"

    def ready(self) -> None:
        # Each installed app of ours brings its error catalogue; core's own lives beside the mechanism.
        from renrentong.core import auditchain, errors

        auditchain.connect_signal()

        names = ["renrentong.core.catalogue"] + [
            f"{config.name}.errors" for config in apps.get_app_configs()
            if config.name.startswith("renrentong.") and config.name != self.name
        ]
        errors.register_catalogues(
            importlib.import_module(name) for name in names if importlib.util.find_spec(name) is not None)
