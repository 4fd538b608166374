from django.db import migrations

from renrentong.core.schema import add_school_id


class Migration(migrations.Migration):
    # Login events and tokens carry their account's home school (the partition-ready schema, docs/scaling.md);
    # empty for a region's account and for a login that matched nobody.

    dependencies = [
        ('accounts', '0011_class_rows_school'),
    ]

    operations = [
        *add_school_id("loginevent", "accounts_loginevent", "SELECT a.home_school_id FROM accounts_account a "
                       "WHERE a.id = accounts_loginevent.account_id", required=False),
        *add_school_id("apitoken", "accounts_apitoken", "SELECT a.home_school_id FROM accounts_account a "
                       "WHERE a.id = accounts_apitoken.account_id", required=False),
    ]
