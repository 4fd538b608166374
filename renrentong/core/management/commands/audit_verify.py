from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from renrentong.core import auditchain
from renrentong.core.models import AuditEvent


class Command(BaseCommand):
    help = ("Check the audit log's hash chains and its latest signed seal (core.auditchain); name the first "
            "broken entry of each chain. Exits 1 when anything is broken.")

    def add_arguments(self, parser):
        parser.add_argument("--public-key", default=None,
                            help="The seal key's public half (base64) to check seals with, for an auditor who "
                                 "does not hold the key; by default the configured key's.")
        parser.add_argument("--database", default="default")
        parser.add_argument("--seal", action="store_true", help="Seal the chains' heads now, after checking.")

    def handle(self, *args, public_key=None, database="default", seal=False, **options):
        connection = connections[database]
        breaks = auditchain.verify(connection, public_key=public_key)
        for found in breaks:
            where = "seals" if found.chain < 0 else (
                f"school {found.chain}" if found.chain else "region level")
            entry = f" entry #{found.seq}" if found.seq is not None else ""
            row = f" (row id {found.entry_id})" if found.entry_id is not None else ""
            self.stdout.write(f"BROKEN {where}{entry}{row}: {found.reason}")
        if breaks:
            raise CommandError(f"audit log: {len(breaks)} chain(s) broken", returncode=1)
        chains = auditchain.heads(connection)
        stored = auditchain.seals()
        self.stdout.write(
            f"audit log intact: {AuditEvent.objects.using(database).count()} entries in {len(chains)} chains; "
            f"latest seal {stored[-1] if stored else 'none yet'}")
        if seal:
            self.stdout.write(f"sealed: {auditchain.seal(connection)}")
