from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from renrentong.core import partitions


class Command(BaseCommand):
    help = ("PostgreSQL: list the monthly partitions of the big tables and the months archived; with --maintain, "
            "create the months ahead and retire those past their retention into the archive schema "
            "(core.partitions). Run --maintain daily as the tables' owner (docs/operations.md).")

    def add_arguments(self, parser):
        parser.add_argument("--maintain", action="store_true")
        parser.add_argument("--now", default=None,
                            help="ISO time to apply the retention from instead of now (catching up, drills).")
        parser.add_argument("--database", default="default")
        parser.add_argument("--exact", action="store_true",
                            help="count every month's rows (reads them all) instead of the planner's estimate")

    def handle(self, *args, maintain=False, now=None, database="default", exact=False, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("only PostgreSQL has partitions; SQLite is for development")
        if maintain:
            when = datetime.fromisoformat(now) if now else None
            for table, count in partitions.maintain(connection, when).items():
                self.stdout.write(f"{table}: {count} month(s) retired to {partitions.ARCHIVE}")
        for table in partitions.partitioned_tables(connection):
            parts = partitions.partitions(table, connection, exact=exact)
            months = [part for part in parts if part.starts is not None]
            default = sum(part.rows for part in parts if part.starts is None)
            self.stdout.write(
                f"{table}: {len(months)} months {months[0].starts:%Y-%m} to {months[-1].starts:%Y-%m}, "
                f"{'' if exact else 'about '}{sum(part.rows for part in months)} rows, {default} outside every month; "
                f"archived: {', '.join(partitions.archived(table, connection)) or 'none'}")
