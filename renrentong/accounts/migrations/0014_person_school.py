# The person's copy of its account's home school (docs/scaling.md, "The school on every school-scoped row"),
# filled from the accounts. One statement: on a province's 25 million people it rewrites the table once, so run
# this `migrate` at a quiet hour.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0013_student_rows_school'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='school_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunSQL(
            "UPDATE accounts_person SET school_id = (SELECT a.home_school_id FROM accounts_account a "
            "WHERE a.person_id = accounts_person.id) WHERE EXISTS (SELECT 1 FROM accounts_account a "
            "WHERE a.person_id = accounts_person.id AND a.home_school_id IS NOT NULL)",
            migrations.RunSQL.noop,
        ),
    ]
