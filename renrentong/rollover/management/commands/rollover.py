from datetime import date

from django.core.management.base import BaseCommand, CommandError

from renrentong.rollover import services
from renrentong.rollover.tasks import run_scheduled_rollovers


class Command(BaseCommand):
    help = ("Roll over every school whose set date (rollover_auto_date) has come and that no admin has rolled "
            "by hand. Safe to run every day from cron: a school rolls into a school year once.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")
        parser.add_argument("--enqueue", action="store_true", help="queue the task for the worker instead")

    def handle(self, *args, **options):
        if options["enqueue"]:
            run_scheduled_rollovers.enqueue()
            self.stdout.write("Queued the scheduled rollover.")
            return
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD: {exc}") from exc
        runs = services.run_scheduled(today)
        for run in runs:
            self.stdout.write(f"{run.school.code} {run.from_year} -> {run.to_year}: {run.counts}")
        self.stdout.write(f"Rolled over {len(runs)} school(s).")
