from django.core.management.base import BaseCommand

from renrentong.rosters.services import resume_stalled


class Command(BaseCommand):
    help = ("Queue again the import jobs whose worker stopped. `manage.py run_worker` does this by itself "
            "every 30 seconds; this command is for doing it by hand.")

    def handle(self, *args, **options):
        resumed = resume_stalled()
        self.stdout.write(f"Queued again: {resumed or 'none'}")
