from django.core.management.base import BaseCommand

from renrentong.accounts.tasks import prune_login_records


class Command(BaseCommand):
    help = "Queue the removal of expired API tokens and login events older than the retention period."

    def handle(self, *args, **options):
        result = prune_login_records.enqueue()
        self.stdout.write(f"Queued task {result.id}; the task worker runs it.")
