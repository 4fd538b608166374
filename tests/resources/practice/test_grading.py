"""The practice parsers and validators by property (RES-2): fill-in answers compare after normalising
(full-width to half-width, spaces collapsed and trimmed, case-insensitive for Latin); a typed number is read
with full-width digits, refused with its own reason for a comma, and graded within an absolute tolerance."""

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import assume, given, strategies as st

from renrentong.resources.practice.grading import (
    NumberRefused, grade, normalise_blank, parse_number, shown_key, within,
)

FULL_WIDTH = str.maketrans("0123456789.-+abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                           "０１２３４５６７８９．－＋ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
                           "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ")
numbers = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
words = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd")), min_size=1, max_size=20)


@given(st.text(max_size=60))
def test_normalising_twice_changes_nothing(text):
    once = normalise_blank(text)
    assert normalise_blank(once) == once
    assert once == once.strip() and "  " not in once


@given(words, st.text(alphabet=" \t\u3000", max_size=3), st.text(alphabet=" \t\u3000", max_size=3))
def test_spaces_around_and_full_width_never_change_a_fill_in_answer(word, before, after):
    typed = before + word.translate(FULL_WIDTH) + after
    assert normalise_blank(typed) == normalise_blank(word)
    assert grade("fill", [[word]], [typed]).correct


@given(words)
def test_latin_case_never_changes_a_fill_in_answer(word):
    assert grade("fill", [[word]], [word.upper()]).correct == (normalise_blank(word.upper()) == normalise_blank(word))
    assert grade("fill", [["Classroom"]], ["CLASSROOM"]).correct


@given(st.lists(words, min_size=1, max_size=4), words)
def test_any_accepted_answer_of_a_blank_is_right_and_another_word_is_not(accepted, other):
    assume(normalise_blank(other) not in {normalise_blank(a) for a in accepted})
    for answer in accepted:
        assert grade("fill", [accepted], [answer]).correct
    assert not grade("fill", [accepted], [other]).correct


def test_inner_spaces_collapse_to_one():
    assert normalise_blank("  class \u3000  room ") == "class room"
    assert grade("fill", [["class room"]], ["class    room"]).correct
    assert not grade("fill", [["classroom"]], ["class room"]).correct


@given(numbers)
def test_a_plain_decimal_parses_to_itself(value):
    assert parse_number(str(value)) == value


@given(numbers)
def test_full_width_digits_and_spaces_parse_as_typed(value):
    assert parse_number(" " + str(value).translate(FULL_WIDTH) + " ") == value


@given(numbers, numbers)
def test_a_comma_is_always_refused_as_a_comma(whole, part):
    typed = f"{abs(whole)},{abs(part)}"
    with pytest.raises(NumberRefused) as refused:
        parse_number(typed)
    assert refused.value.reason == "comma"
    with pytest.raises(NumberRefused) as full_width:
        parse_number(typed.replace(",", "，"))
    assert full_width.value.reason == "comma"


@given(st.text(max_size=20))
def test_any_text_parses_to_a_finite_decimal_or_is_refused(text):
    try:
        value = parse_number(text)
    except NumberRefused as refused:
        assert refused.reason in ("comma", "empty", "invalid")
        return
    assert isinstance(value, Decimal) and value.is_finite()
    folded = "".join(unicodedata.normalize("NFKC", text).split()).replace("\u2212", "-")
    assert value == Decimal(folded)


@pytest.mark.parametrize("typed", ["", " ", "NaN", "Infinity", "1.2.3", "π", "--1", "1e99999", "0x10", "½"])
def test_what_is_no_number_is_refused(typed):
    with pytest.raises(NumberRefused):
        parse_number(typed)


@given(numbers, st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False),
       st.decimals(min_value=-200, max_value=200, places=3, allow_nan=False, allow_infinity=False))
def test_tolerance_is_absolute_and_both_ends_count(value, tolerance, offset):
    assert within(value + offset, value, tolerance) == (abs(offset) <= tolerance)
    assert within(value + tolerance, value, tolerance) and within(value - tolerance, value, tolerance)


def test_numeric_grading_reads_full_width_and_refuses_a_comma_as_wrong():
    key = {"value": "3.14", "tolerance": "0.01"}
    assert grade("numeric", key, "３.１５").correct
    assert grade("numeric", key, "3.13").correct
    assert not grade("numeric", key, "3.16").correct
    assert not grade("numeric", key, "3,14").correct
    assert shown_key("numeric", key) == "3.14 ± 0.01"
    assert shown_key("numeric", {"value": "7", "tolerance": "0"}) == "7"


@given(st.lists(st.integers(0, 5), min_size=1, max_size=6, unique=True), st.permutations(range(6)))
def test_multiple_choice_is_right_only_with_exactly_the_keyed_options_in_any_order(key, order):
    chosen = [i for i in order if i in key]
    assert grade("multiple", sorted(key), chosen).correct
    assert not grade("multiple", sorted(key), chosen + [i for i in order if i not in key][:1]).correct or (
        len(key) == 6)


def test_no_response_is_wrong_and_shown_empty():
    for kind, key in [("single", 0), ("multiple", [0]), ("true_false", True), ("fill", [["a"]]),
                      ("numeric", {"value": "1", "tolerance": "0"})]:
        assert grade(kind, key, None).correct is False and grade(kind, key, None).shown == ""
    assert grade("true_false", False, False).correct and not grade("true_false", False, True).correct
