from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who did what to whom, written in the same transaction as the change (NFR-1, AUTH-5)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_identity_id = models.BigIntegerField(null=True, blank=True)
    verb = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    school_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"])]
