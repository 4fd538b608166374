"""Set-based reads and writes for work on many rows at once (imports, rollover, bulk resets).

Such work runs one of these queries per few thousand rows, never one per row."""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable, Iterator
from operator import attrgetter, itemgetter

from django.db import connection
from django.db.models import F, Lookup, Q

CHUNK = 5000


def chunks(items: list, size: int | None = None):
    size = size or CHUNK  # read at call time, so a test can make chunks small
    for start in range(0, len(items), size):
        yield items[start:start + size]


def lookup_parts(items: list) -> Iterator[list]:
    """chunks() for among() lookups that scan their table, as those of sourcedIds in the OneRoster directory do:
    on PostgreSQL all of them in one query (one parameter; the scan costs the same for 50,000 values as for
    5,000, and 133 such queries of 5,000 took 8 s of a 100,000-student import), on SQLite a chunk at a time."""
    if connection.vendor == "postgresql":
        if items:
            yield items
        return
    yield from chunks(items)


def batched(items: Iterable, size: int | None = None) -> Iterator[list]:
    """chunks() of anything iterable, read as the chunks are asked for: a stream of rows a chunk at a time."""
    size = size or CHUNK
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


_SEPARATOR = "\x1f"  # ASCII unit separator


class _AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False  # the right-hand side is a list of plain values, not one value of the field

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        # One text parameter that the server splits: psycopg quotes an array parameter element by
        # element in Python (~1 µs each, 2 s of a 100,000-student import). The separator is a control
        # character, which normalised text never holds (core.text.normalize_text); values that might
        # hold it, or are neither text nor integers, go as an array.
        if values and all(type(v) is int for v in values):
            return f"{lhs} = ANY(string_to_array(%s, ',')::bigint[])", [*params, ",".join(map(str, values))]
        if values and all(type(v) is str and v and _SEPARATOR not in v for v in values):
            return f"{lhs} = ANY(string_to_array(%s, %s))", [*params, _SEPARATOR.join(values), _SEPARATOR]
        return f"{lhs} = ANY(%s)", [*params, values]


def among(field: str, values):
    """A filter: `field` (a path, as in filter()) is one of `values`, at most a few thousand of them.

    On PostgreSQL this is `field = ANY(...)` with the values as one parameter. An IN list has a
    placeholder per value, which Django and psycopg compose and split in Python: for the lookups of
    a 100,000-student import that cost more than running the queries (docs/benchmarks.md). SQLite
    has no arrays and gets the IN list.
    """
    if connection.vendor == "postgresql":
        return _AnyOf(F(field), list(values))
    return Q(**{f"{field}__in": values})


def bulk_insert(model, rows: Iterable, *, ids: bool = True) -> list[int]:
    """Insert new rows of `model`; returns their primary keys in order (none with `ids=False`, for
    rows nothing refers to: on PostgreSQL no keys are then drawn, and `rows` may be a stream, built as the COPY
    sends them, so that PostgreSQL stores rows on the other core while Python builds the next ones).

    A row is an unsaved instance, whose primary key is set as bulk_create would, or a dict of field
    attnames, the fields it leaves out taking their default (evaluated once for the whole call). Dicts
    skip Model.__init__, which was a quarter of the Python time of a 100,000-student import.

    On PostgreSQL this is one COPY, with the ids drawn from the table's sequence first. bulk_create
    sends INSERTs with a placeholder per value (24,000 for 2,000 rows of 12 columns) that Django
    composes and psycopg then splits and quotes in Python: for the ~900,000 rows of that import it was
    most of the commit (docs/benchmarks.md, roster import). The models written here have no auto_now
    fields and no database defaults, which COPY would not apply.
    """
    if ids:
        rows = rows if isinstance(rows, list) else list(rows)
        if not rows:
            return []
        first = rows[0]
    else:
        stream = iter(rows)
        first = next(stream, None)
        if first is None:
            return []
        rows = itertools.chain((first,), stream)
    instances = not isinstance(first, dict)
    if connection.vendor != "postgresql":
        objects = list(rows) if instances else [model(**row) for row in rows]
        model.objects.bulk_create(objects, batch_size=2000)
        return [obj.pk for obj in objects] if ids else []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if ids or f is not meta.pk]
    if instances:
        values = attrgetter(*[f.attname for f in fields])
    else:
        defaults = [(f.attname, None if f is meta.pk else f.get_default()) for f in fields]
        unknown = first.keys() - {name for name, _ in defaults}
        if unknown:
            raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")

        # A row's values picked in C from the row laid over the defaults: a get per field in Python was 10 of the
        # profiled seconds of a 100,000-student OneRoster import (1.8 million rows).
        base = dict(defaults)
        pick = itemgetter(*base)

        def values(row: dict):
            picked = pick({**base, **row})
            return picked if len(base) > 1 else (picked,)
    json_fields = [(i, f) for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    pks: list[int] = []
    with connection.cursor() as cursor, connection.wrap_database_errors:  # Django's IntegrityError, as usual
        if ids:
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                           [_sequence(cursor, meta.db_table, meta.pk.column), len(rows)])
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
                        data[i] = _json_text(f, data[i])
                copy.write_row(data)
    return pks


_sequences: dict[tuple[str, str], str] = {}


def _sequence(cursor, table: str, column: str) -> str:
    """The sequence of a table's serial column, looked up once per process: pg_get_serial_sequence in the query
    that draws the ids would run once per id (0.5 s of every 200,000 drawn, against 0.1 s for the ids)."""
    if (table, column) not in _sequences:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        _sequences[table, column] = cursor.fetchone()[0]
    return _sequences[table, column]


def bulk_set(model, fields: list[str], rows: list[tuple], *, only_where: dict | None = None) -> int:
    """Set `fields` of existing rows of `model`: each row is (primary key, *values in the order of fields).
    `only_where` ({field: value}) leaves the rows that no longer match it as they are. Returns how many rows
    were set.

    Django's bulk_update writes one CASE WHEN per field with a branch per row, which PostgreSQL evaluates
    row by row against every branch. On PostgreSQL this is one UPDATE ... FROM unnest(...) joined on the key
    per chunk, each column's values one array parameter: a short statement psycopg prepares once and whose
    values psycopg adapts itself (a placeholder per value is composed and split in Python). On SQLite, one
    prepared UPDATE run for every row (executemany).
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    guards = [(meta.get_field(name), value) for name, value in (only_where or {}).items()]
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    names = [quote(f.column) for f in columns]
    guard_values = [f.get_db_prep_save(value, connection) for f, value in guards]
    changed = 0
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            guard_sql = "".join(f" AND {quote(f.column)} = %s" for f, _ in guards)
            for part in chunks(rows):
                cursor.executemany(
                    f"UPDATE {table} SET {', '.join(f'{n} = %s' for n in names)} WHERE {pk} = %s{guard_sql}",
                    [[*(f.get_db_prep_save(value, connection) for f, value in zip(columns, row[1:], strict=True)),
                      row[0], *guard_values] for row in part])
                changed += cursor.rowcount
            return changed
        # JSON goes as text and is cast row by row: an array of jsonb would be quoted element by element.
        json_columns = {i for i, f in enumerate(columns) if f.get_internal_type() == "JSONField"}
        arrays = ", ".join([f"%s::{meta.pk.db_type(connection)}[]"]
                           + [f"%s::{'text' if i in json_columns else f.db_type(connection)}[]"
                              for i, f in enumerate(columns)])
        assignments = ", ".join(f"{n} = v.{n}{'::jsonb' if i in json_columns else ''}" for i, n in enumerate(names))
        guard_sql = "".join(f" AND t.{quote(f.column)} = %s" for f, _ in guards)
        statement = (f"UPDATE {table} AS t SET {assignments} FROM unnest({arrays}) AS v({pk}, {', '.join(names)}) "
                     f"WHERE t.{pk} = v.{pk}{guard_sql}")
        for part in chunks(rows):
            values = [[row[0] for row in part]]
            for i, f in enumerate(columns):
                column = [row[i + 1] for row in part]
                if i in json_columns:
                    values.append([_json_text(f, v) for v in column])
                else:
                    values.append([f.get_db_prep_save(v, connection) for v in column])
            cursor.execute(statement, [*values, *guard_values])
            changed += cursor.rowcount
    return changed


def _json_text(field, value) -> str | None:
    # JSON as text, for COPY and for text arrays cast on the server: what get_db_prep_save's adapter would write.
    if value is None:
        return None
    if not value and type(value) in (list, dict):  # a default, as most directory rows' `row` is when first written
        return "[]" if type(value) is list else "{}"
    return _encoder(field.encoder).encode(value)


@functools.cache
def _encoder(cls) -> json.JSONEncoder:
    # One encoder per class: json.dumps with arguments builds a new one for every value (a third of its time,
    # with 1.4 million values in a 100,000-student OneRoster import's preview).
    return (cls or json.JSONEncoder)(ensure_ascii=False)


def commit_without_waiting_for_disk() -> None:
    """The current transaction returns from its commit before the commit reaches the disk (PostgreSQL:
    synchronous_commit off for this transaction alone; the server writes it within a fraction of a second).
    Only for a step of resumable work whose rows and cursor commit together (a chunk of an import, a unit of a
    notice's fan-out): a server crash then loses whole steps with their cursor move, never one without the other,
    and the work runs them again. A step that ends the work and lets go of what a rerun needs must still wait."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# A table whose rows changed by more than this share of its size (and by GROWN_ROWS at least) since its planner
# statistics were taken gets them again from refresh_statistics.
GROWN_SHARE = 1.0
GROWN_ROWS = 5000


def refresh_statistics() -> list[str]:
    """ANALYZE the tables of this database that changed by more than their own size since their statistics were
    taken (PostgreSQL; nothing elsewhere); returns their names. For work that grows tables a chunk at a time and
    reads back what earlier chunks wrote (an import into an empty region): planned on the statistics of the empty
    table, its lookups scan every row the job has written so far (an index on `kind` alone, then a filter), which
    made a 100,000-student OneRoster import quadratic. Autovacuum would analyze them too, but a minute or more
    later, and not at all where it is off. Run between chunks, outside their transactions (ANALYZE holds its lock
    until the transaction ends): with doubling as the trigger a table is analyzed a logarithmic number of times."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return []
    with connection.cursor() as cursor:
        # This session's own changes reach the statistics views when it next goes idle, at most once a second
        # unless asked: the chunk just committed counts now.
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT quote_ident(s.schemaname) || '.' || quote_ident(s.relname) FROM pg_stat_user_tables s "
            "JOIN pg_class c ON c.oid = s.relid WHERE c.relkind = 'r' "
            "AND s.n_mod_since_analyze > GREATEST(%s, %s * GREATEST(c.reltuples, 0)) ORDER BY 1",
            [GROWN_ROWS, GROWN_SHARE])
        grown = [name for (name,) in cursor.fetchall()]
        for name in grown:  # one statement each: each table's lock is released as it is done
            cursor.execute(f"ANALYZE {name}")
    return grown


def bulk_delete(model, pks: list) -> int:
    """Delete the rows of `model` with these primary keys, a chunk at a time, applying the on_delete
    rule of every foreign key that refers to them as Django's delete() would (CASCADE deletes those
    rows the same way, SET_NULL clears the reference, PROTECT and RESTRICT refuse); returns how many
    rows of `model` went.

    Django's delete() loads every row it deletes as a model instance and names them in IN lists per
    relation: for the 218,000 accounts and people of an undone 100,000-student import that was most
    of the undo. This runs a few set-based queries per chunk instead. Where a rule or a model needs
    Django's own machinery (delete signals, SET_DEFAULT or SET(), a reference to another column,
    inherited models, rows a PROTECT or RESTRICT rule refers to), that chunk goes through delete(),
    which behaves as always (and raises ProtectedError where it should).
    """
    deleted = 0
    for chunk in chunks(list(pks)):
        deleted += _delete_chunk(model, chunk)
    return deleted


def _delete_chunk(model, pks: list) -> int:
    from django.db.models import deletion, signals

    meta = model._meta
    manager = model._base_manager

    def by_django() -> int:
        return manager.filter(pk__in=pks).delete()[1].get(meta.label, 0)

    if meta.parents or signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model):
        return by_django()
    cascades, clears = [], []
    for relation in deletion.get_candidate_relations_to_delete(meta):
        fk = relation.field
        rule = fk.remote_field.on_delete
        if rule is deletion.DO_NOTHING:
            continue
        if fk.target_field is not meta.pk or rule not in (deletion.CASCADE, deletion.SET_NULL, deletion.PROTECT,
                                                           deletion.RESTRICT):
            return by_django()
        referring = relation.related_model._base_manager.filter(among(fk.attname, pks))
        if rule in (deletion.PROTECT, deletion.RESTRICT):
            if referring.exists():
                return by_django()
        elif rule is deletion.CASCADE:
            cascades.append((relation.related_model, referring))
        else:
            clears.append((fk, referring))
    for related_model, referring in cascades:
        bulk_delete(related_model, list(referring.values_list("pk", flat=True)))
    for fk, referring in clears:
        referring.update(**{fk.name: None})
    # What delete() itself runs once nothing refers to the rows any more (Collector's fast delete).
    return manager.filter(among("pk", pks))._raw_delete(connection.alias)
