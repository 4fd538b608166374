"""The national student number (全国学籍号, usually "G" + the ID number) is sealed like the ID number:
ciphertext, key id, keyed digest (unique, for login and lookups) and masked form; the clear column goes."""

from django.db import migrations, models

BATCH = 2000


def seal_existing(apps, schema_editor):
    from renrentong.core.crypto import seal_national_student_number

    Person = apps.get_model("accounts", "Person")
    todo = Person.objects.exclude(national_student_number__isnull=True).exclude(national_student_number="")
    batch = []
    for person in todo.only("pk", "national_student_number").iterator(chunk_size=BATCH):
        sealed = seal_national_student_number(person.national_student_number.upper())
        person.national_student_number_key = sealed.key_id
        person.national_student_number_cipher = sealed.ciphertext
        person.national_student_number_digest = sealed.digest
        person.national_student_number_masked = sealed.masked
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_update(batch, FIELDS)
            batch = []
    Person.objects.bulk_update(batch, FIELDS)


def open_existing(apps, schema_editor):
    from renrentong.core.crypto import open_national_student_number

    Person = apps.get_model("accounts", "Person")
    batch = []
    for person in Person.objects.exclude(national_student_number_cipher__isnull=True).iterator(chunk_size=BATCH):
        person.national_student_number = open_national_student_number(
            person.national_student_number_key, bytes(person.national_student_number_cipher))
        batch.append(person)
    Person.objects.bulk_update(batch, ["national_student_number"], batch_size=BATCH)


FIELDS = ["national_student_number_key", "national_student_number_cipher", "national_student_number_digest",
          "national_student_number_masked"]


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_link_requests_and_school_links'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='national_student_number_key',
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name='person',
            name='national_student_number_cipher',
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='person',
            name='national_student_number_digest',
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='person',
            name='national_student_number_masked',
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.RunPython(seal_existing, open_existing),
        migrations.RemoveField(
            model_name='person',
            name='national_student_number',
        ),
    ]
