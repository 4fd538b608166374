from django.db import migrations, models

from renrentong.core.schema import add_school_id


class Migration(migrations.Migration):
    # Each field of a change carries the change's school, and its key holds it (docs/scaling.md).

    dependencies = [
        ('keyinfo', '0001_initial'),
    ]

    operations = [
        *add_school_id("keyinfofieldchange", "schooladmin_keyinfofieldchange",
                       "SELECT c.school_id FROM schooladmin_keyinfochange c "
                       "WHERE c.id = schooladmin_keyinfofieldchange.change_id"),
        migrations.RemoveConstraint(model_name='keyinfofieldchange', name='one_field_per_change'),
        migrations.AddConstraint(
            model_name='keyinfofieldchange',
            constraint=models.UniqueConstraint(fields=('change', 'field', 'school_id'), name='one_field_per_change'),
        ),
    ]
