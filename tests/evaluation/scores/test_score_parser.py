"""The score parser and validator of the import (EVA-6), by property: what a person may type in a score cell
either parses to the number they meant or is refused, and the item's scale decides what fits."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from renrentong.core.text import normalize_text
from renrentong.evaluation.scores.importer import check_score, parse_score
from renrentong.evaluation.standard import DEFAULT_SCALE, SCORE_SCALES, scale_of

scores = st.decimals(min_value=0, max_value=999, places=2, allow_nan=False, allow_infinity=False)


@given(scores)
def test_a_plain_decimal_parses_to_itself(value):
    assert parse_score(str(value)) == value


@given(scores)
def test_full_width_digits_and_spaces_parse_as_typed(value):
    typed = " " + str(value).translate(str.maketrans("0123456789.", "０１２３４５６７８９．")) + " "
    assert parse_score(typed) == value


@given(st.text(max_size=20))
def test_any_text_parses_to_a_non_negative_decimal_or_is_refused(text):
    try:
        value = parse_score(text)
    except ValueError:
        return
    assert isinstance(value, Decimal) and value.is_finite() and value >= 0
    assert value == Decimal(normalize_text(text))  # the number typed, once folded (１８．５, ², spaces)


@pytest.mark.parametrize("typed", ["", " ", "优", "A", "-5", "+5", "1e2", "NaN", "Infinity", "5.", ".", "1.2.3",
                                   "1,5", "١٢", "12345678901234", "1 000 000 000 000"])
def test_what_is_no_score_is_refused(typed):
    with pytest.raises(ValueError):
        parse_score(typed)


@given(st.sampled_from(sorted(SCORE_SCALES) + ["a_city_item"]), scores)
def test_the_items_scale_decides_range_and_decimals(code, value):
    scale = scale_of(code)
    reason = check_score(value, code)
    if not scale.lowest <= value <= scale.highest:
        assert reason == "score_out_of_range"
    elif value != value.quantize(Decimal("0.1")):
        assert reason == "score_too_precise"
    else:
        assert reason is None


def test_the_fitness_test_takes_extra_points_and_other_items_do_not():
    assert check_score(Decimal("120"), "fitness_test") is None
    assert check_score(Decimal("100.1"), "pe_daily") == "score_out_of_range"
    assert check_score(Decimal("18.50"), "english_dialogue") is None
    assert scale_of("a_city_item") == DEFAULT_SCALE


def test_the_kept_parse_gives_back_every_field_the_commit_needs(world, catalogue):
    import marshal
    from dataclasses import fields

    from renrentong.core.spreadsheets.reader import Row, Table
    from renrentong.evaluation.scores import importer

    table = Table(fields=["name", "account", "item", "score"], rows=[
        Row(2, {"name": "李小明", "account": world.student_a.number, "item": "体育平时成绩", "score": "88"},
            ["李小明", world.student_a.number, "体育平时成绩", "88"]),
        Row(3, {"name": "", "account": "", "item": "", "score": "x"}, ["", "", "", "x"])])
    rows = importer.parse_rows(table, {}, world.school_a.pk, None)
    parts = [marshal.loads(marshal.dumps(part)) for part in importer.dump_parsed(rows)]
    loaded = importer.load_parsed(iter(parts))
    assert [set(vars(r)) for r in loaded] == [{f.name for f in fields(importer.ScoreRow)}] * 2
    for before, after in zip(rows, loaded):
        assert {**vars(before), "original": []} == vars(after)
