import argparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from renrentong.core import periodic


class Command(BaseCommand):
    help = ("Run the task worker of the configured queue (the database worker, or RQ with REDIS_URL) "
            "together with its periodic duties, such as picking up imports whose worker died. "
            "Arguments after a -- go to the worker: run_worker --every 30 -- --interval 1")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the periodic duties once and exit.")
        parser.add_argument("--every", type=float, default=periodic.EVERY_SECONDS,
                            help="Seconds between two runs of the periodic duties.")
        parser.add_argument("worker_args", nargs=argparse.REMAINDER)

    def handle(self, *args, once=False, every=periodic.EVERY_SECONDS, worker_args=(), **options):
        if once:
            for path, result in periodic.run_duties().items():
                self.stdout.write(f"{path}: {result}")
            return
        if every <= 0:
            raise SystemExit("--every must be positive")
        worker_args = list(worker_args)
        if worker_args[:1] == ["--"]:
            worker_args = worker_args[1:]
        stop = periodic.start(every)
        try:
            if "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
                call_command("db_worker", *worker_args)
            else:
                call_command("rqworker", *(worker_args or ["default", "--job-class",
                                                           "django_tasks_rq.backend.Job"]))
        finally:
            stop.set()
