from django.db import migrations


class Migration(migrations.Migration):
    """Key information's models now belong to the keyinfo app (keyinfo 0001); the tables stay (state only)."""

    dependencies = [
        ('schooladmin', '0003_class_change_requests'),
        ('keyinfo', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='KeyInfoFieldChange'),
                migrations.DeleteModel(name='KeyInfoChange'),
                migrations.DeleteModel(name='RegistryComparison'),
            ],
        ),
    ]
