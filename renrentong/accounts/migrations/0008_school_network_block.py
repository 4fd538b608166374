import ipaddress

from django.db import migrations, models


def fill_blocks(apps, schema_editor):
    SchoolNetwork = apps.get_model("accounts", "SchoolNetwork")
    for row in SchoolNetwork.objects.all():
        network = ipaddress.ip_network(row.network, strict=False)
        widest = 24 if network.version == 4 else 48
        row.block = str(ipaddress.ip_network(f"{network.network_address}/{widest}", strict=False))
        row.save(update_fields=["block"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_login_counters_and_school_networks'),
    ]

    operations = [
        migrations.AddField(
            model_name='schoolnetwork',
            name='block',
            field=models.CharField(db_index=True, default='', max_length=64),
        ),
        migrations.RunPython(fill_blocks, migrations.RunPython.noop),
    ]
