from django.db import migrations

from renrentong.core.schema import add_school_id


class Migration(migrations.Migration):
    # The account's home school (the partition-ready schema, docs/scaling.md).

    dependencies = [
        ('verification', '0001_initial'),
        ('accounts', '0012_account_rows_school'),
    ]

    operations = add_school_id("totpdevice", "verification_totpdevice", "SELECT a.home_school_id FROM "
                               "accounts_account a WHERE a.id = verification_totpdevice.account_id", required=False)
