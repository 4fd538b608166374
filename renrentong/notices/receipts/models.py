"""Receipt tallies (MSG-3): per notice and class, how many recipient rows were addressed, have read and
have confirmed, so a city admin's per-school summary of a notice to 1.3 million parents sums 30,000 small
rows instead of joining 1.5 million recipient rows with 1.3 million inbox items (2 s on PostgreSQL).

The tallies of a notice are built once, after its fan-out, from the live rows (receipts.tallies.build);
from then on every read and confirm adds to them in the reader's own transaction. NoticeTally is the
notice's gate: readers hold it FOR SHARE while they count, the builder FOR UPDATE while it builds, so no
read is counted twice or lost between the two (docs/inbox.md). Registered by NoticesConfig.import_models."""

from django.db import models
from django.utils import timezone

from renrentong.notices.models import Notice


class NoticeTally(models.Model):
    """One per notice once anyone read it or its tallies were built: whether the tallies exist yet."""

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    school_id = models.BigIntegerField(null=True, blank=True)
    region_id = models.BigIntegerField(null=True, blank=True)  # a region's notice
    built = models.BooleanField(default=False)
    built_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)


class ReceiptTally(models.Model):
    """Addressed, read and confirmed recipient rows of one notice in one class (class 0: a school's
    teachers addressed by a region's notice). A parent of two children counts once in each child's class."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    school_id = models.BigIntegerField()
    class_id = models.BigIntegerField()
    addressed = models.PositiveIntegerField(default=0)
    read_count = models.PositiveIntegerField(default=0)
    confirmed_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "school_id", "class_id"], name="one_tally_per_class")]
