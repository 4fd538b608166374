"""The query language of the OneRoster 1.2 REST rostering service (1EdTech): filter, sort, orderBy, fields, limit
and offset, and the paging `Link` header (RFC 8288).

Pure: no database, no request. The endpoint maps each OneRoster field name to the ORM path it lives at (a `Field`)
and turns a `QueryError` into the spec's statusInfo, whose codeMinor is the error's `code`. Every parser here
raises `QueryError` and nothing else on any input, since the text comes straight from a client's URL."""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from django.db.models import Q

CODES = frozenset({
    "invalid_filter_field", "invalid_selection_field", "invalid_sort_field", "invalid_blank_selection_field",
    "invalid_limit", "invalid_offset",
})
KINDS = frozenset({"text", "datetime", "bool"})
# A long OR chain becomes a left-deep SQL expression; SQLite refuses one deeper than 1000, and no client needs
# more than a page of sourcedIds in one filter.
MAX_PREDICATES = 100
# OFFSET is a signed 64-bit integer in PostgreSQL and SQLite; a larger one would fail in the database instead.
MAX_OFFSET = 2**63 - 1

# Two-character operators first, so that `>=` is not read as `>` followed by a value starting with `=`.
_OPERATORS = ("!=", ">=", "<=", "=", ">", "<", "~")
_OPERATOR_CHARS = frozenset("=!<>~")
_SPACE = " \t"
_LOGICAL = ("AND", "OR")
_LOOKUPS = {"=": "exact", "!=": "exact", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte", "~": "icontains"}
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_SHOWN = 40  # characters of an offending value quoted back in a detail


class QueryError(Exception):
    """A query parameter the service refuses; `code` is the OneRoster codeMinor, `field` the name at fault."""

    def __init__(self, code: str, field: str | None, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.field = field
        self.detail = detail


@dataclass(frozen=True)
class Field:
    """A OneRoster field a client may filter or sort on: its name in the spec, the ORM path holding it (e.g.
    "sourced_id", "row__3" for a JSON list's fourth cell), and how its filter values are read."""

    name: str
    lookup: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")


@dataclass(frozen=True)
class Predicate:
    """One `field<op>'value'`; `text` is the value as the client meant it (doubled quotes undone), `value` the
    same read for the field's kind (a str, an aware UTC datetime, or a bool)."""

    field: Field
    op: str
    text: str
    value: str | datetime | bool


@dataclass(frozen=True)
class Logical:
    """Predicates joined by one logical operator, "AND" or "OR" (the spec allows one kind per expression)."""

    op: str
    children: tuple[Predicate, ...]


Node = Predicate | Logical


def parse_filter(text: str, fields: Mapping[str, Field]) -> Node:
    if not isinstance(text, str):
        raise QueryError("invalid_filter_field", None, "the filter must be text")
    predicates: list[Predicate] = []
    joiner: str | None = None
    pos = 0
    while True:
        predicate, pos = _predicate(text, pos, fields)
        predicates.append(predicate)
        if len(predicates) > MAX_PREDICATES:
            raise QueryError("invalid_filter_field", None, f"a filter may join at most {MAX_PREDICATES} predicates")
        word, pos = _logical(text, pos)
        if word is None:
            break
        if joiner is not None and word != joiner:
            raise QueryError("invalid_filter_field", None, "a filter may use AND or OR, not both")
        joiner = word
    if joiner is None:
        return predicates[0]
    return Logical(joiner, tuple(predicates))


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _predicate(text: str, pos: int, fields: Mapping[str, Field]) -> tuple[Predicate, int]:
    pos = _skip(text, pos)
    start = pos
    while pos < len(text) and text[pos] not in _OPERATOR_CHARS and text[pos] not in _SPACE and text[pos] != "'":
        pos += 1
    name = text[start:pos]
    if not name:
        raise QueryError("invalid_filter_field", None, f"expected a field name at position {start}")
    field = fields.get(name)
    if field is None:
        raise QueryError("invalid_filter_field", name, f"{_shown(name)} is not a field this service filters on")
    pos = _skip(text, pos)
    op = next((candidate for candidate in _OPERATORS if text.startswith(candidate, pos)), None)
    if op is None:
        raise QueryError("invalid_filter_field", name, f"expected =, !=, >, >=, <, <= or ~ at position {pos}")
    pos = _skip(text, pos + len(op))
    if not text.startswith("'", pos):
        raise QueryError("invalid_filter_field", name, f"expected a value in single quotes at position {pos}")
    raw, pos = _quoted(text, pos + 1, name)
    return Predicate(field, op, raw, _typed(field, op, raw)), pos


def _quoted(text: str, pos: int, name: str) -> tuple[str, int]:
    parts = []
    while True:
        end = text.find("'", pos)
        if end < 0:
            raise QueryError("invalid_filter_field", name, "the value has no closing quote")
        parts.append(text[pos:end])
        if not text.startswith("''", end):
            break
        parts.append("'")
        pos = end + 2
    raw = "".join(parts)
    # PostgreSQL text cannot hold NUL; refused here it is the client's error, not a server error later.
    if "\x00" in raw:
        raise QueryError("invalid_filter_field", name, "the value holds a NUL character")
    return raw, end + 1


def _logical(text: str, pos: int) -> tuple[str | None, int]:
    after = _skip(text, pos)
    if after == len(text):
        return None, after
    if after > pos:
        for word in _LOGICAL:
            end = after + len(word)
            if text.startswith(word, after) and end < len(text) and text[end] in _SPACE:
                return word, end
    raise QueryError("invalid_filter_field", None, f"expected ' AND ' or ' OR ' at position {after}")


def _typed(field: Field, op: str, raw: str) -> str | datetime | bool:
    if field.kind == "text":
        return raw
    if field.kind == "bool":
        if op not in ("=", "!="):
            raise QueryError("invalid_filter_field", field.name, f"{field.name} compares only with = and !=")
        if raw not in ("true", "false"):
            raise QueryError("invalid_filter_field", field.name, f"{field.name} is 'true' or 'false'")
        return raw == "true"
    if op == "~":
        raise QueryError("invalid_filter_field", field.name, f"{field.name} is a date and time; ~ does not apply")
    return _datetime(field.name, raw)


def _datetime(name: str, raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
        # OneRoster times are UTC; a date alone or a time without offset is read as UTC. Converting now also
        # catches an instant that falls outside the datetime range (0001-01-01T00:00+01:00).
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise QueryError("invalid_filter_field", name, f"{_shown(raw)} is not an ISO 8601 date or time") from None


def to_q(node: Node) -> Q:
    if isinstance(node, Logical):
        join = operator.and_ if node.op == "AND" else operator.or_
        return functools.reduce(join, (to_q(child) for child in node.children))
    q = Q(**{f"{node.field.lookup}__{_LOOKUPS[node.op]}": node.value})
    return ~q if node.op == "!=" else q


def parse_sort(sort: str | None, order_by: str | None, fields: Mapping[str, Field]) -> list[str]:
    if order_by not in (None, "", "asc", "desc"):
        raise QueryError("invalid_sort_field", None, "orderBy is 'asc' or 'desc'")
    # The primary key comes last so that rows equal on the sort field keep one order from page to page.
    if sort is None or not sort.strip():
        return ["pk"]
    name = sort.strip()
    field = fields.get(name)
    if field is None:
        raise QueryError("invalid_sort_field", name, f"{_shown(name)} is not a field this service sorts on")
    column = f"-{field.lookup}" if order_by == "desc" else field.lookup
    return [column] if field.lookup == "pk" else [column, "pk"]


def parse_fields(fields_param: str | None, allowed: Sequence[str]) -> list[str] | None:
    if fields_param is None:
        return None
    known = set(allowed)
    chosen: list[str] = []
    for part in fields_param.split(","):
        name = part.strip()
        if not name:
            raise QueryError("invalid_blank_selection_field", None, "fields names an empty field")
        if name not in known:
            raise QueryError("invalid_selection_field", name, f"{_shown(name)} is not a field of this object")
        if name not in chosen:
            chosen.append(name)
    return chosen


def parse_paging(limit: str | None, offset: str | None, *, default: int = 100, cap: int = 1000) -> tuple[int, int]:
    if limit is None:
        size = min(default, cap)
    else:
        size = _count(limit, "invalid_limit", "limit")
        if size == 0:
            raise QueryError("invalid_limit", "limit", "limit must be at least 1")
        # The spec has the service return fewer than asked rather than refuse a large limit.
        size = min(size, cap)
    start = 0 if offset is None else _count(offset, "invalid_offset", "offset")
    if start > MAX_OFFSET:
        raise QueryError("invalid_offset", "offset", "offset is too large")
    return size, start


def _count(text: str, code: str, name: str) -> int:
    digits = text.strip()
    if not _DIGITS.fullmatch(digits):
        raise QueryError(code, name, f"{name} must be a whole number, not {_shown(text)}")
    digits = digits.lstrip("0") or "0"
    # int() refuses strings over 4300 digits; anything past 19 digits is beyond every cap and offset anyway.
    return int(digits) if len(digits) <= 19 else MAX_OFFSET + 1


def link_header(base_url: str, query: dict[str, str], *, limit: int, offset: int, total: int) -> str:
    kept = {key: value for key, value in query.items() if key not in ("limit", "offset")}
    separator = "&" if "?" in base_url else "?"

    def link(start: int, rel: str) -> str:
        params = urlencode({**kept, "limit": limit, "offset": start}, quote_via=quote, safe="")
        return f'<{base_url}{separator}{params}>; rel="{rel}"'

    last = (max(total, 1) - 1) // limit * limit
    links = [link(0, "first")]
    if offset > 0:
        links.append(link(max(offset - limit, 0), "prev"))
    if offset + limit < total:
        links.append(link(offset + limit, "next"))
    links.append(link(last, "last"))
    return ", ".join(links)


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")
