from django.db import migrations, models

from renrentong.core.schema import partition_by_month


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
        # By the month of their notice on PostgreSQL (core.partitions): kept two school years.
        partition_by_month("notices_inboxitem", "notice_at", retention="24 months"),
    ]
