import time

from django.core.management.base import BaseCommand

from renrentong.demo.services import DemoBuilder
from renrentong.orgs.models import Region


class Command(BaseCommand):
    help = "Load the demo region (deterministic: the same seed gives the same data)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scale", type=float, default=1.0, help="Fraction of the classes per grade")
        parser.add_argument("--random-initial-passwords", action="store_true",
                            help="Keep the platform's random initial passwords instead of the demo's derived rules")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when regions already exist")

    def handle(self, *args, seed, scale, if_empty, random_initial_passwords=False, **options):
        if Region.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already loaded.")
                return
            self.stderr.write("The database already holds regions; load the demo into an empty database.")
            raise SystemExit(2)
        started = time.perf_counter()
        DemoBuilder(seed=seed, scale=scale, derived_initial_passwords=not random_initial_passwords).build()
        self.stdout.write(f"Demo region loaded in {time.perf_counter() - started:.1f} s.")
