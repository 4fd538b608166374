from django.db import migrations

from renrentong.core.schema import add_school_id


class Migration(migrations.Migration):
    # A graduate carries its run's school (docs/scaling.md).

    dependencies = [
        ('rollover', '0001_initial'),
    ]

    operations = add_school_id("graduate", "rollover_graduate",
                               "SELECT r.school_id FROM rollover_rolloverrun r WHERE r.id = rollover_graduate.run_id")
