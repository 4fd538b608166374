from django.db import migrations, models


def partition(apps, schema_editor):
    # Inbox items by the month of their notice on PostgreSQL (core.partitions): kept two school years.
    from renrentong.core import partitions

    partitions.partition_by_month(schema_editor, "notices_inboxitem", "notice_at", retention="24 months")


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0002_inbox'),
    ]

    operations = [
        migrations.AddField(
            model_name='inboxitem',
            name='notice_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.RunSQL(
            "UPDATE notices_inboxitem SET notice_at = coalesce((SELECT n.send_at FROM notices_notice n "
            "WHERE n.id = notices_inboxitem.notice_id), sort_at)",
            migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(
            model_name='inboxitem',
            name='notice_at',
            field=models.DateTimeField(),
        ),
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
    ]
