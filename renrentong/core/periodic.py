"""Duties the task worker does by itself at intervals (django-tasks has no scheduler, and a cron line
is one more thing an operator can forget). `manage.py run_worker` starts the configured worker with a
thread that runs these; `manage.py run_worker --once` runs each duty once and exits."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

EVERY_SECONDS = 30


def duties() -> list[str]:
    """settings.PERIODIC_DUTIES: dotted paths of functions that take no argument, are safe to run at any
    time and from several processes at once, and return something worth logging (core imports no app)."""
    return list(getattr(settings, "PERIODIC_DUTIES", []))


def _load(path: str) -> Callable[[], object]:
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def run_duties() -> dict[str, object]:
    """Run every duty once; one that fails is logged and does not stop the others."""
    done: dict[str, object] = {}
    for path in duties():
        try:
            done[path] = _load(path)()
        except Exception:
            logger.exception("periodic duty %s failed", path)
            done[path] = None
    return done


def start(every: float = EVERY_SECONDS) -> threading.Event:
    """Run the duties now and then every `every` seconds in a daemon thread; set the event to stop."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            started = time.monotonic()
            close_old_connections()  # the thread's own connection: a database restart must not end the loop
            for path, result in run_duties().items():
                if result:
                    logger.info("periodic duty %s: %s", path, result)
            close_old_connections()
            stop.wait(max(0.0, every - (time.monotonic() - started)))

    threading.Thread(target=loop, name="periodic-duties", daemon=True).start()
    return stop
