from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce


class AuditEvent(models.Model):
    """Who did what to whom, written in the same transaction as the change (NFR-1, AUTH-5).

    Append-only and tamper-evident (core.auditchain): the database fills chain_seq and entry_hash as each row
    goes in, one hash chain per school and one for region-level actions (school_id null), and refuses UPDATE
    and DELETE. The account is no database foreign key: removing an account must not rewrite its history."""

    # Indexes: each is written with every entry, so only those the log's own reads use (bench/bench_audit.py):
    # the time, the actor, and a school's entries through the chain's key (its leading expression is the
    # school; auditlog.selectors filters on it).
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+"
    )
    actor_identity_id = models.BigIntegerField(null=True, blank=True)
    verb = models.CharField(max_length=64)
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    school_id = models.BigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    chain_seq = models.BigIntegerField(null=True, editable=False)
    entry_hash = models.BinaryField(max_length=32, null=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(Coalesce("school_id", 0), "chain_seq", name="audit_chain_seq")]


class AuditChainBase(models.Model):
    """Where an audit chain stood at the end of its months retired to the archive (core.partitions): its last
    archived entry's number and hash. The chain goes on from here when no entry of it is left in the live table,
    and `audit_verify` checks the first live entry against it, so the archived months need not be at hand."""

    chain = models.BigIntegerField(unique=True)  # the school id, 0 for region-level actions
    seq = models.BigIntegerField()
    entry_hash = models.BinaryField(max_length=32)
    through = models.DateTimeField()  # the end of the last month retired
