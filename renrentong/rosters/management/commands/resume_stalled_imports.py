from django.core.management.base import BaseCommand

from renrentong.rosters.services import resume_stalled


class Command(BaseCommand):
    help = "Queue again the import jobs whose worker stopped (run it from cron every few minutes)."

    def handle(self, *args, **options):
        resumed = resume_stalled()
        self.stdout.write(f"Queued again: {resumed or 'none'}")
