from django.db import migrations

from renrentong.core.schema import partition_by_month


class Migration(migrations.Migration):
    # Login events by month on PostgreSQL (core.partitions): kept six months, then archived.

    dependencies = [
        ('accounts', '0009_person_name_pinyin'),
    ]

    operations = [partition_by_month("accounts_loginevent", "at")]
