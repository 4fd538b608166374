from django.db import migrations

from renrentong.core.schema import add_school_id


class Migration(migrations.Migration):
    # What an import changed carries its row's school (docs/scaling.md): the row's, else the job's, else the
    # person's current school, else 0 (a region's).

    dependencies = [
        ('rosters', '0003_import_progress'),
        ('accounts', '0012_account_rows_school'),
    ]

    operations = add_school_id("importchange", "rosters_importchange", """coalesce(
        (SELECT max(r.school_id) FROM rosters_importrow r
          WHERE r.job_id = rosters_importchange.job_id AND r.person_id = rosters_importchange.person_id),
        (SELECT j.school_id FROM rosters_importjob j WHERE j.id = rosters_importchange.job_id),
        (SELECT max(e.school_id) FROM accounts_enrollment e
          WHERE e.person_id = rosters_importchange.person_id AND e.ended_on IS NULL), 0)""")
