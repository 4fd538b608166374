"""The resources error catalogue (RES-1..RES-4): each refusal names its cause and who fixes it (HELP-1).

It joins the one catalogue at start (core.errors.register_catalogues); a code defined twice fails there.
Each room below keeps its own entries in `<room>/errors.py`; they are gathered here, so rooms never
edit one shared file."""

import importlib
import pkgutil

from renrentong.core.errors import ErrorSpec, Fixer

ENTRIES: dict[str, ErrorSpec] = {
    "resources.textbook_not_found": ErrorSpec(
        404, "该教材不存在或已停用。", "That textbook does not exist or was retired.", Fixer.SELF),
}


def _gather() -> None:
    package = importlib.import_module(__package__)
    for room in pkgutil.iter_modules(package.__path__):
        if room.ispkg and importlib.util.find_spec(f"{__package__}.{room.name}.errors") is not None:
            entries = importlib.import_module(f"{__package__}.{room.name}.errors").ENTRIES
            clash = ENTRIES.keys() & entries.keys()
            if clash:
                raise ValueError(f"error codes defined twice in resources: {sorted(clash)}")
            ENTRIES.update(entries)


_gather()
