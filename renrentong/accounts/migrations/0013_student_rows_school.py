from django.db import migrations, models

from renrentong.core.schema import add_school_id

# A student's current school: of the open enrollment, else of the latest one; 0 for one never enrolled.
CURRENT_SCHOOL = """coalesce((SELECT e.school_id FROM accounts_enrollment e WHERE e.person_id = {table}.student_id
    ORDER BY e.ended_on IS NOT NULL, e.ended_on DESC, e.id DESC LIMIT 1), 0)"""


class Migration(migrations.Migration):
    # Links and link requests live with their student's school (the partition-ready schema, docs/scaling.md).

    dependencies = [
        ('accounts', '0012_account_rows_school'),
    ]

    operations = [
        *add_school_id("guardianship", "accounts_guardianship", CURRENT_SCHOOL.format(table="accounts_guardianship")),
        *add_school_id("linkrequest", "accounts_linkrequest", CURRENT_SCHOOL.format(table="accounts_linkrequest")),
        migrations.RemoveConstraint(model_name='guardianship', name='one_guardianship'),
        migrations.AddConstraint(
            model_name='guardianship',
            constraint=models.UniqueConstraint(fields=('guardian', 'student', 'school_id'), name='one_guardianship'),
        ),
        migrations.RemoveConstraint(model_name='linkrequest', name='one_pending_link_request'),
        migrations.AddConstraint(
            model_name='linkrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')),
                                               fields=('guardian', 'student', 'school_id'),
                                               name='one_pending_link_request'),
        ),
    ]
