from django.db import migrations


def partition(apps, schema_editor):
    # Deliveries by the month of what they push on PostgreSQL (core.partitions): kept six months, then archived.
    from renrentong.core import partitions

    partitions.partition_by_month(schema_editor, "push_delivery", "sent_at")


class Migration(migrations.Migration):

    dependencies = [
        ('push', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
    ]
