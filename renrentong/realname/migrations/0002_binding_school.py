from django.db import migrations, models
from django.db.models import Q

from renrentong.core.schema import add_school_id


class Migration(migrations.Migration):
    # A binding carries its registry entry's school, and the keys of an entry hold it (docs/scaling.md).

    dependencies = [
        ('realname', '0001_initial'),
    ]

    operations = [
        *add_school_id("binding", "realname_binding",
                       "SELECT e.school_id FROM realname_registryentry e WHERE e.id = realname_binding.entry_id"),
        migrations.RemoveConstraint(model_name='binding', name='one_live_own_binding_per_entry'),
        migrations.RemoveConstraint(model_name='binding', name='one_live_binding_per_account_and_entry'),
        migrations.AddConstraint(
            model_name='binding',
            constraint=models.UniqueConstraint(condition=Q(ended_at__isnull=True) & ~Q(role='parent'),
                                               fields=('entry', 'school_id'), name='one_live_own_binding_per_entry'),
        ),
        migrations.AddConstraint(
            model_name='binding',
            constraint=models.UniqueConstraint(condition=Q(ended_at__isnull=True),
                                               fields=('account', 'entry', 'school_id'),
                                               name='one_live_binding_per_account_and_entry'),
        ),
    ]
