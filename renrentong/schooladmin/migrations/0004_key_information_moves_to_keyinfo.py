from django.db import migrations

MOVED = ("keyinfochange", "keyinfofieldchange", "registrycomparison")


def move_content_types(apps, schema_editor):
    """Keep the models' content types (and the permissions hanging on them) by relabelling them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label="keyinfo", model=model).exists():
            ContentType.objects.using(db).filter(app_label="schooladmin", model=model).update(app_label="keyinfo")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not ContentType.objects.using(db).filter(app_label="schooladmin", model=model).exists():
            ContentType.objects.using(db).filter(app_label="keyinfo", model=model).update(app_label="schooladmin")


class Migration(migrations.Migration):
    """Key information's models now belong to the keyinfo app (keyinfo 0001); the tables stay (state only)."""

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
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
        migrations.RunPython(move_content_types, return_content_types),
    ]
