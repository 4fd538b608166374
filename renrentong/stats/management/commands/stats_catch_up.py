"""manage.py stats_catch_up: what the worker's periodic duty does every 30 seconds, run by hand (after a
bulk load, or to see how far behind the figures are). Safe beside a running worker (docs/statistics.md)."""

from django.core.management.base import BaseCommand

from renrentong.stats.catchup import catch_up


class Command(BaseCommand):
    help = "Bring the usage statistics up to now (STAT-1): append new events and raise the rollups."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=1000, help="batches per source at most (5,000 rows each)")

    def handle(self, *args, rounds: int, **options):
        done = catch_up(rounds=rounds)
        total = sum(done.values())
        self.stdout.write(f"stats: {total} events appended" + "".join(f", {k} {v}" for k, v in done.items()))
