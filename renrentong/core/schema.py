"""Migration operations for the partition-ready schema (issue 16 item 4, docs/scaling.md): a school-scoped table
gets the school_id column it lacked, filled for the rows it has, then required; a big append-mostly table is
partitioned by month on PostgreSQL (core.partitions)."""

from __future__ import annotations

from functools import partial

from django.db import migrations, models

from renrentong.core import partitions


def add_school_id(model_name: str, table: str, school_of_row: str, *, required: bool = True) -> list:
    """Operations adding `school_id` to `model_name` (its table `table`), filled with the SQL expression
    `school_of_row` (a scalar subquery that may name `{table}`'s columns), then NOT NULL unless not required.
    The SQL is the same on SQLite and PostgreSQL."""
    operations = [
        migrations.AddField(model_name=model_name, name="school_id",
                            field=models.BigIntegerField(null=True, blank=True)),
        migrations.RunSQL(f"UPDATE {table} SET school_id = ({school_of_row})", migrations.RunSQL.noop,
                          elidable=False),
    ]
    if required:
        operations.append(migrations.AlterField(model_name=model_name, name="school_id",
                                                field=models.BigIntegerField()))
    return operations


def _partition(apps, schema_editor, *, table: str, column: str, retention: str) -> None:
    partitions.partition_by_month(schema_editor, table, column, retention=retention)


def partition_by_month(table: str, column: str, *, retention: str = partitions.RETENTION) -> migrations.RunPython:
    """The operation partitioning `table` by the month of `column` (core.partitions.partition_by_month)."""
    return migrations.RunPython(partial(_partition, table=table, column=column, retention=retention),
                                migrations.RunPython.noop, elidable=False)
