from django.db import migrations, models

from renrentong.core.schema import add_school_id

CLASS_ROWS = ["teachingassignment", "coursearrangement", "headteacher"]


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0010_loginevent_partitions'),
        ('orgs', '0003_school_system_from_stages'),
    ]

    operations = [
        # Each row's class's school (the partition-ready schema, docs/scaling.md).
        *[operation for model_name in CLASS_ROWS for operation in add_school_id(
            model_name, f"accounts_{model_name}",
            f"SELECT c.school_id FROM orgs_schoolclass c WHERE c.id = accounts_{model_name}.school_class_id")],
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
