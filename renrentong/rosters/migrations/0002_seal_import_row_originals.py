"""An import row's original cells (full ID numbers and phones) are no longer kept in clear: a masked copy
for answers, and the cells sealed only for rows that did not go in, of jobs that can still be undone."""

import json

from django.db import migrations, models

BATCH = 2000
FINISHED = ("undone", "cancelled", "failed")
REJECTED = ("error", "conflict")


def seal_existing(apps, schema_editor):
    from renrentong.core.crypto import seal
    from renrentong.core.masking import mask_numbers_in

    ImportRow = apps.get_model("rosters", "ImportRow")
    ImportJob = apps.get_model("rosters", "ImportJob")
    finished = set(ImportJob.objects.filter(status__in=FINISHED).values_list("pk", flat=True))
    batch = []
    for row in ImportRow.objects.only("pk", "job_id", "original", "outcome").iterator(chunk_size=BATCH):
        cells = list(row.original or [])
        row.original_masked = [mask_numbers_in(str(c)) for c in cells]
        if row.outcome in REJECTED and row.job_id not in finished:
            row.original_key, row.original_cipher = seal(json.dumps(cells, ensure_ascii=False), "import_row")
        batch.append(row)
        if len(batch) >= BATCH:
            ImportRow.objects.bulk_update(batch, ["original_masked", "original_key", "original_cipher"])
            batch = []
    ImportRow.objects.bulk_update(batch, ["original_masked", "original_key", "original_cipher"])


def open_existing(apps, schema_editor):
    from renrentong.core.crypto import unseal

    ImportRow = apps.get_model("rosters", "ImportRow")
    batch = []
    for row in ImportRow.objects.iterator(chunk_size=BATCH):
        row.original = (json.loads(unseal(row.original_key, bytes(row.original_cipher), "import_row"))
                        if row.original_cipher else row.original_masked)
        batch.append(row)
    ImportRow.objects.bulk_update(batch, ["original"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('rosters', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='importrow',
            name='original_masked',
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name='importrow',
            name='original_key',
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name='importrow',
            name='original_cipher',
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.RunPython(seal_existing, open_existing),
        migrations.RemoveField(
            model_name='importrow',
            name='original',
        ),
    ]
