from django.db import migrations, models

CLASS_ROWS = ["teachingassignment", "coursearrangement", "headteacher"]


def add_school(model_name):
    # Added empty, filled from each row's class, then required (the partition-ready schema, docs/scaling.md).
    table = f"accounts_{model_name}"
    return [
        migrations.AddField(model_name=model_name, name="school_id",
                            field=models.BigIntegerField(editable=False, null=True)),
        migrations.RunSQL(
            f"UPDATE {table} SET school_id = (SELECT c.school_id FROM orgs_schoolclass c "
            f"WHERE c.id = {table}.school_class_id)", migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(model_name=model_name, name="school_id", field=models.BigIntegerField(editable=False)),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0010_loginevent_partitions'),
        ('orgs', '0003_school_system_from_stages'),
    ]

    operations = [
        *[operation for model_name in CLASS_ROWS for operation in add_school(model_name)],
        migrations.RemoveConstraint(model_name='teachingassignment', name='one_assignment'),
        migrations.AddConstraint(
            model_name='teachingassignment',
            constraint=models.UniqueConstraint(fields=('teacher', 'school_class', 'subject', 'school_id'),
                                               name='one_assignment'),
        ),
        migrations.RemoveConstraint(model_name='coursearrangement', name='one_course_per_subject'),
        migrations.AddConstraint(
            model_name='coursearrangement',
            constraint=models.UniqueConstraint(fields=('school_class', 'subject', 'school_id'),
                                               name='one_course_per_subject'),
        ),
    ]
