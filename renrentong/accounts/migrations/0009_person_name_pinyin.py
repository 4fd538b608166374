"""The pinyin of every person's name, for search (issue 12): two indexed columns, filled in batches."""

from django.db import migrations, models

BATCH = 2000


def fill_pinyin(apps, schema_editor):
    """Existing rows in primary-key batches, one bulk UPDATE per batch (no per-row save), on SQLite and
    PostgreSQL alike. The historical model has no PersonQuerySet: the columns are set here."""
    from renrentong.accounts.people.pinyin import pinyin_of

    Person = apps.get_model("accounts", "Person")
    last = 0
    while True:
        batch = list(Person.objects.filter(pk__gt=last).order_by("pk").only("pk", "name")[:BATCH])
        if not batch:
            return
        for person in batch:
            person.name_pinyin, person.name_initials = pinyin_of(person.name)
        Person.objects.bulk_update(batch, ["name_pinyin", "name_initials"])
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_school_network_block"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_pinyin",
            field=models.CharField(blank=True, db_index=True, default="", max_length=384),
        ),
        migrations.AddField(
            model_name="person",
            name="name_initials",
            field=models.CharField(blank=True, db_index=True, default="", max_length=64),
        ),
        migrations.RunPython(fill_pinyin, migrations.RunPython.noop, elidable=True),
    ]
