"""The OneRoster 1.2 REST query language (INT-2): filter, sort and orderBy, fields, limit and offset, and the paging
Link header, with the spec's own examples, each error code, and properties over arbitrary client text."""

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Q
from hypothesis import given
from hypothesis import strategies as st

from renrentong.integration.models import RosterId
from renrentong.integration.oneroster.rest_query import (
    MAX_PREDICATES,
    Field,
    Logical,
    Predicate,
    QueryError,
    link_header,
    parse_fields,
    parse_filter,
    parse_paging,
    parse_sort,
    to_q,
)

# Lookups are real paths on RosterId, so that a Q built from them compiles to SQL.
FIELDS = {
    "sourcedId": Field("sourcedId", "sourced_id"),
    "status": Field("status", "row__0"),
    "org.sourcedId": Field("org.sourcedId", "row__1"),
    "enabledUser": Field("enabledUser", "row__2", "bool"),
    "givenName": Field("givenName", "row__4"),
    "familyName": Field("familyName", "row__5"),
    "dateLastModified": Field("dateLastModified", "modified_at", "datetime"),
}
TEXT_NAMES = [name for name, field in FIELDS.items() if field.kind == "text"]
OPERATORS = ["=", "!=", ">", ">=", "<", "<=", "~"]
BASE = "https://rrt.example.cn/ims/oneroster/rostering/v1p2/users"


def sql(q: Q) -> str:
    return str(RosterId.objects.filter(q).query)


def refused(code: str, call, *args, **kwargs) -> QueryError:
    with pytest.raises(QueryError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.detail
    return caught.value


# filter: the spec's examples


def test_one_predicate():
    node = parse_filter("familyName='Smith'", FIELDS)
    assert node == Predicate(FIELDS["familyName"], "=", "Smith", "Smith")
    q = to_q(node)
    assert q.children == [("row__5__exact", "Smith")] and not q.negated


def test_a_date_alone_is_midnight_utc():
    node = parse_filter("dateLastModified>'2015-01-01'", FIELDS)
    assert node.value == datetime(2015, 1, 1, tzinfo=UTC)
    assert to_q(node).children == [("modified_at__gt", datetime(2015, 1, 1, tzinfo=UTC))]


def test_two_predicates_joined_by_and():
    node = parse_filter("status='active' AND dateLastModified>'2015-01-01T00:00:00Z'", FIELDS)
    assert isinstance(node, Logical) and node.op == "AND"
    assert [(child.field.name, child.op, child.value) for child in node.children] == [
        ("status", "=", "active"), ("dateLastModified", ">", datetime(2015, 1, 1, tzinfo=UTC))]
    q = to_q(node)
    assert q.connector == Q.AND
    assert q.children == [("row__0__exact", "active"), ("modified_at__gt", datetime(2015, 1, 1, tzinfo=UTC))]


def test_contains_joined_by_or_is_case_insensitive():
    q = to_q(parse_filter("givenName~'ja' OR familyName~'li'", FIELDS))
    assert q.connector == Q.OR
    assert q.children == [("row__4__icontains", "ja"), ("row__5__icontains", "li")]
    assert "LIKE" in sql(q).upper()


def test_a_doubled_quote_and_a_logical_word_inside_a_value_stay_in_the_value():
    node = parse_filter("familyName='O''Brien AND Sons OR ''Co'''", FIELDS)
    assert isinstance(node, Predicate) and node.text == "O'Brien AND Sons OR 'Co'"
    assert parse_filter("familyName=''''", FIELDS).text == "'"
    assert parse_filter("familyName=''", FIELDS).text == ""


def test_chinese_values():
    node = parse_filter("familyName='张' AND givenName~'小明'", FIELDS)
    assert [child.value for child in node.children] == ["张", "小明"]


def test_every_operator_maps_to_its_lookup():
    lookups = {"=": "exact", "!=": "exact", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte", "~": "icontains"}
    for op, lookup in lookups.items():
        q = to_q(parse_filter(f"sourcedId{op}'x'", FIELDS))
        assert q.children == [(f"sourced_id__{lookup}", "x")] and q.negated == (op == "!=")


def test_not_equal_compiles_to_a_negation():
    assert "NOT" in sql(to_q(parse_filter("status!='tobedeleted'", FIELDS))).upper()


def test_whitespace_around_operators_and_logical_words():
    node = parse_filter("  familyName = 'Smith'   AND\tgivenName ~ 'ja'  ", FIELDS)
    assert [(child.field.name, child.op, child.text) for child in node.children] == [
        ("familyName", "=", "Smith"), ("givenName", "~", "ja")]


def test_a_chain_of_the_same_logical_operator():
    node = parse_filter("sourcedId='a' OR sourcedId='b' OR sourcedId='c'", FIELDS)
    assert node.op == "OR" and [child.text for child in node.children] == ["a", "b", "c"]
    assert to_q(node).children == [("sourced_id__exact", v) for v in "abc"]


def test_a_dotted_field_name_is_looked_up_as_it_is():
    assert to_q(parse_filter("org.sourcedId='s-1'", FIELDS)).children == [("row__1__exact", "s-1")]


def test_datetime_values_are_read_as_iso_8601_in_utc():
    east = parse_filter("dateLastModified>='2015-01-01T08:00:00+08:00'", FIELDS)
    assert east.value == datetime(2015, 1, 1, tzinfo=UTC)
    naive = parse_filter("dateLastModified<'2026-12-06T10:00:00.000'", FIELDS)
    assert naive.value == datetime(2026, 12, 6, 10, tzinfo=UTC)
    assert "modified_at" in sql(to_q(east))


def test_bool_values():
    assert parse_filter("enabledUser='true'", FIELDS).value is True
    assert to_q(parse_filter("enabledUser!='false'", FIELDS)).negated


# filter: refusals


@pytest.mark.parametrize("text, field", [
    ("nickname='x'", "nickname"),                              # unknown field
    ("", None),                                                # nothing
    ("='x'", None),                                            # no field name
    ("familyName'Smith'", "familyName"),                       # no operator
    ("familyName=>'Smith'", "familyName"),                     # no such operator
    ("familyName==Smith", "familyName"),                       # value not quoted
    ("familyName=Smith", "familyName"),
    ("familyName=\"Smith\"", "familyName"),                    # double quotes
    ("familyName='Smith", "familyName"),                       # unterminated
    ("familyName='O'Brien'", None),                            # a lone quote ends the value
    ("familyName='a' AND givenName='b' OR status='c'", None),  # AND and OR mixed
    ("familyName='a' and givenName='b'", None),                # logical words are upper case
    ("familyName='a'AND givenName='b'", None),                 # and surrounded by spaces
    ("familyName='a' AND", None),                              # nothing after the logical word
    ("familyName='a' AND ", None),
    ("familyName='a' givenName='b'", None),                    # no logical word
    ("familyName='a\x00'", "familyName"),                      # NUL cannot be stored or compared
    ("dateLastModified>'yesterday'", "dateLastModified"),
    ("dateLastModified>'2015-13-01'", "dateLastModified"),
    ("dateLastModified>'0001-01-01T00:00:00+01:00'", "dateLastModified"),  # before datetime's first instant
    ("dateLastModified~'2015'", "dateLastModified"),
    ("enabledUser='yes'", "enabledUser"),
    ("enabledUser='True'", "enabledUser"),
    ("enabledUser>'false'", "enabledUser"),
])
def test_a_malformed_filter_is_refused(text, field):
    assert refused("invalid_filter_field", parse_filter, text, FIELDS).field == field


def test_too_many_predicates_are_refused():
    parse_filter(" OR ".join(["sourcedId='x'"] * MAX_PREDICATES), FIELDS)
    refused("invalid_filter_field", parse_filter, " OR ".join(["sourcedId='x'"] * (MAX_PREDICATES + 1)), FIELDS)


# sort and orderBy


def test_sort():
    assert parse_sort(None, None, FIELDS) == ["pk"]
    assert parse_sort("", "desc", FIELDS) == ["pk"]
    assert parse_sort("familyName", None, FIELDS) == ["row__5", "pk"]
    assert parse_sort("familyName", "asc", FIELDS) == ["row__5", "pk"]
    assert parse_sort("dateLastModified", "desc", FIELDS) == ["-modified_at", "pk"]
    assert parse_sort("x", None, {"x": Field("x", "pk")}) == ["pk"]
    assert "ORDER BY" in str(RosterId.objects.order_by(*parse_sort("dateLastModified", "desc", FIELDS)).query)


def test_sort_refusals():
    assert refused("invalid_sort_field", parse_sort, "nickname", None, FIELDS).field == "nickname"
    refused("invalid_sort_field", parse_sort, "familyName", "down", FIELDS)
    refused("invalid_sort_field", parse_sort, "familyName", "DESC", FIELDS)


# fields


def test_fields():
    allowed = ["sourcedId", "status", "givenName", "familyName"]
    assert parse_fields(None, allowed) is None
    assert parse_fields("sourcedId,familyName", allowed) == ["sourcedId", "familyName"]
    assert parse_fields("sourcedId, familyName,sourcedId", allowed) == ["sourcedId", "familyName"]
    for blank in ("", "sourcedId,,familyName", "sourcedId,", " , "):
        refused("invalid_blank_selection_field", parse_fields, blank, allowed)
    assert refused("invalid_selection_field", parse_fields, "sourcedId,nickname", allowed).field == "nickname"


# limit and offset


def test_paging():
    assert parse_paging(None, None) == (100, 0)
    assert parse_paging("50", "20") == (50, 20)
    assert parse_paging(" 7 ", "007") == (7, 7)
    assert parse_paging("5000", None) == (1000, 0)
    assert parse_paging("9" * 5000, None) == (1000, 0)
    assert parse_paging(None, None, default=20, cap=10) == (10, 0)


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "1.5", "", "1e3", "+5", "٣"])
def test_a_bad_limit_is_refused(limit):
    assert refused("invalid_limit", parse_paging, limit, None).field == "limit"


@pytest.mark.parametrize("offset", ["-3", "x", "", "2.0", "9" * 20])
def test_a_bad_offset_is_refused(offset):
    assert refused("invalid_offset", parse_paging, None, offset).field == "offset"


# the Link header


def links(header: str) -> dict[str, dict[str, list[str]]]:
    found = {}
    for url, rel in re.findall(r'<([^>]*)>; rel="(\w+)"', header):
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == BASE
        found[rel] = parse_qs(parts.query, keep_blank_values=True)
    return found


def test_link_header_in_the_middle():
    query = {"filter": "familyName='张' AND status='active'", "sort": "familyName", "limit": "10", "offset": "10"}
    header = link_header(BASE, query, limit=10, offset=10, total=35)
    found = links(header)
    assert {rel: params["offset"] for rel, params in found.items()} == {
        "first": ["0"], "prev": ["0"], "next": ["20"], "last": ["30"]}
    for params in found.values():
        assert params["filter"] == [query["filter"]] and params["sort"] == ["familyName"] and params["limit"] == ["10"]
    assert " " not in header.split(";")[0] and "'" not in header


def test_link_header_on_the_first_and_last_pages():
    assert set(links(link_header(BASE, {}, limit=10, offset=0, total=35))) == {"first", "next", "last"}
    last = links(link_header(BASE, {}, limit=10, offset=30, total=35))
    assert set(last) == {"first", "prev", "last"} and last["prev"]["offset"] == ["20"]
    assert links(link_header(BASE, {}, limit=10, offset=30, total=30))["last"]["offset"] == ["20"]
    empty = links(link_header(BASE, {}, limit=10, offset=0, total=0))
    assert set(empty) == {"first", "last"} and empty["last"]["offset"] == ["0"]


# properties

_TOKENS = st.sampled_from([*FIELDS, "nickname", *OPERATORS, "'", "''", " ", "\t", " AND ", " OR ", "AND", "or",
                           "x", "张", "2015-01-01", "true", "\x00", ".", "="])


@given(st.one_of(st.text(), st.lists(_TOKENS, max_size=30).map("".join)))
def test_parse_filter_raises_only_query_errors(text):
    try:
        node = parse_filter(text, FIELDS)
    except QueryError as error:
        assert error.code == "invalid_filter_field"
    else:
        to_q(node)


_VALUES = st.text(alphabet=st.characters(blacklist_characters="\x00"))


@given(st.sampled_from(TEXT_NAMES), st.sampled_from(OPERATORS), _VALUES)
def test_a_quoted_value_comes_back_as_written(name, op, value):
    node = parse_filter(f"{name}{op}'" + value.replace("'", "''") + "'", FIELDS)
    assert isinstance(node, Predicate) and (node.field.name, node.op) == (name, op)
    assert node.text == value and node.value == value


@given(st.lists(st.tuples(st.sampled_from(TEXT_NAMES), st.sampled_from(OPERATORS), _VALUES), min_size=2, max_size=5),
       st.sampled_from([" AND ", " OR "]))
def test_quoted_values_come_back_as_written_in_a_chain(predicates, joiner):
    text = joiner.join(f"{name} {op} '" + value.replace("'", "''") + "'" for name, op, value in predicates)
    node = parse_filter(text, FIELDS)
    assert node.op == joiner.strip()
    assert [(child.field.name, child.op, child.text) for child in node.children] == predicates


_NUMBERS = st.one_of(st.none(), st.text(max_size=8), st.integers(-5, 10**25).map(str))


@given(_NUMBERS, _NUMBERS, st.integers(1, 5000), st.integers(1, 5000))
def test_paging_stays_within_its_bounds(limit, offset, default, cap):
    try:
        size, start = parse_paging(limit, offset, default=default, cap=cap)
    except QueryError as error:
        assert error.code in ("invalid_limit", "invalid_offset")
    else:
        assert 1 <= size <= cap and start >= 0


@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_sort_and_fields_raise_only_query_errors(first, second):
    for call in (lambda: parse_sort(first, second, FIELDS), lambda: parse_fields(first, TEXT_NAMES)):
        try:
            call()
        except QueryError:
            pass
