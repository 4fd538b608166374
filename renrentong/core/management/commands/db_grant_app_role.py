from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from renrentong.core.auditchain import BASES, TABLE


class Command(BaseCommand):
    help = ("PostgreSQL: give the role the web and worker processes log in as what they need and no more: "
            "read and write on every table, but only INSERT and SELECT on the audit log and SELECT on its chains' "
            "bases (docs/operations.md). "
            "Run as the owner of the tables after every migrate.")

    def add_arguments(self, parser):
        parser.add_argument("role")
        parser.add_argument("--database", default="default")

    def handle(self, *args, role: str, database: str = "default", **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("only PostgreSQL has roles; SQLite is for development")
        name = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"no role {role}: create it first (CREATE ROLE {role} LOGIN PASSWORD ...)")
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {name}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}")
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {TABLE} FROM {name}")
            cursor.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {BASES} FROM {name}")
        self.stdout.write(f"{role}: read and write on every table; INSERT and SELECT only on {TABLE}, "
                          f"SELECT only on {BASES}")
