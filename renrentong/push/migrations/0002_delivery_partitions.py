from django.db import migrations

from renrentong.core.schema import partition_by_month


class Migration(migrations.Migration):
    # Deliveries by the month of what they push on PostgreSQL (core.partitions): kept six months, then archived.

    dependencies = [
        ('push', '0001_initial'),
    ]

    operations = [partition_by_month("push_delivery", "sent_at")]
