import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


def install_chain(apps, schema_editor):
    # Triggers number and hash each entry as it goes in and refuse changes (core.auditchain); entries already
    # there are chained first, in the order they were written.
    from renrentong.core import auditchain

    auditchain.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_cache_table'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='chain_seq',
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='entry_hash',
            field=models.BinaryField(editable=False, max_length=32, null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor_account',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(django.db.models.functions.comparison.Coalesce('school_id', 0), models.F('chain_seq'), name='audit_chain_seq'),
        ),
        migrations.RunPython(install_chain, migrations.RunPython.noop, elidable=False),
    ]
