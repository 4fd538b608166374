"""Set-based reads and writes for work on many rows at once (imports, rollover, bulk resets).

Such work runs one of these queries per few thousand rows, never one per row."""

from __future__ import annotations

from operator import attrgetter

from django.db import connection
from django.db.models import F, Lookup, Q

CHUNK = 5000


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False  # the right-hand side is a list of plain values, not one value of the field

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def among(field: str, values):
    """A filter: `field` (a path, as in filter()) is one of `values`, at most a few thousand of them.

    On PostgreSQL this is `field = ANY(%s)` with the values as one array parameter. An IN list has a
    placeholder per value, which Django and psycopg compose and split in Python: for the lookups of
    a 100,000-student import that cost more than running the queries (docs/benchmarks.md). SQLite
    has no arrays and gets the IN list.
    """
    if connection.vendor == "postgresql":
        return _AnyOf(F(field), list(values))
    return Q(**{f"{field}__in": values})


def bulk_insert(model, rows: list, *, ids: bool = True) -> list[int]:
    """Insert new rows of `model`; returns their primary keys in order (none with `ids=False`, for
    rows nothing refers to: on PostgreSQL no keys are then drawn).

    A row is an unsaved instance, whose primary key is set as bulk_create would, or a dict of field
    attnames, the fields it leaves out taking their default (evaluated once for the whole call). Dicts
    skip Model.__init__, which was a quarter of the Python time of a 100,000-student import.

    On PostgreSQL this is one COPY, with the ids drawn from the table's sequence first. bulk_create
    sends INSERTs with a placeholder per value (24,000 for 2,000 rows of 12 columns) that Django
    composes and psycopg then splits and quotes in Python: for the ~900,000 rows of that import it was
    most of the commit (docs/benchmarks.md, roster import). The models written here have no auto_now
    fields and no database defaults, which COPY would not apply.
    """
    if not rows:
        return []
    instances = not isinstance(rows[0], dict)
    if connection.vendor != "postgresql":
        objects = rows if instances else [model(**row) for row in rows]
        model.objects.bulk_create(objects, batch_size=2000)
        return [obj.pk for obj in objects] if ids else []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if ids or f is not meta.pk]
    if instances:
        values = attrgetter(*[f.attname for f in fields])
    else:
        defaults = [(f.attname, None if f is meta.pk else f.get_default()) for f in fields]
        unknown = rows[0].keys() - {name for name, _ in defaults}
        if unknown:
            raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")

        def values(row: dict) -> list:
            return [row.get(name, default) for name, default in defaults]
    json_fields = [(i, f) for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    pks: list[int] = []
    with connection.cursor() as cursor, connection.wrap_database_errors:  # Django's IntegrityError, as usual
        if ids:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(rows)])
            pks = [pk for (pk,) in cursor.fetchall()]
            for row, pk in zip(rows, pks, strict=True):
                if instances:
                    row.pk = pk
                    row._state.adding, row._state.db = False, connection.alias
                else:
                    row[meta.pk.attname] = pk
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                data = values(row)
                if json_fields:
                    data = list(data)
                    for i, f in json_fields:
                        data[i] = f.get_db_prep_save(data[i], connection)
                copy.write_row(data)
    return pks
