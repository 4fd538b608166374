"""The catalogue import's cell parsers (RES-4): grades, volumes and chapter numbers as schools type them; any
other text is a ValueError (a refused row), never another exception."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renrentong.resources.lessonprep.importer import parse_grade, parse_volume
from renrentong.resources.lessonprep.selectors import NUMBER, clean_label, number_key


@pytest.mark.parametrize("text, grade", [("3", 3), ("３", 3), ("3年级", 3), ("三年级", 3), ("七年级", 7), ("初一", 7),
                                         ("高二", 11), (" 12 ", 12)])
def test_grades_as_schools_write_them(text, grade):
    assert parse_grade(text) == grade


@pytest.mark.parametrize("text", ["0", "13", "十三年级", "三", "3.5", "", "grade 3"])
def test_other_grades_are_refused(text):
    with pytest.raises(ValueError):
        parse_grade(text)


@pytest.mark.parametrize("text, volume", [("上册", "first"), ("下 册", "second"), ("全一册", "whole"), ("First", "first")])
def test_volumes(text, volume):
    assert parse_volume(text) == volume


@given(st.text(max_size=20))
def test_any_cell_is_a_grade_or_a_value_error(text):
    try:
        assert 1 <= parse_grade(text) <= 12
    except ValueError:
        pass


@given(st.text(max_size=20))
def test_any_cell_is_a_volume_or_a_value_error(text):
    try:
        assert parse_volume(text) in ("first", "second", "whole")
    except ValueError:
        pass


@given(st.lists(st.integers(min_value=1, max_value=999), min_size=1, max_size=4))
def test_chapter_numbers_order_naturally(parts):
    number = ".".join(map(str, parts))
    assert NUMBER.match(number) and number_key(number) == tuple(parts)


@given(st.text(max_size=40))
def test_a_label_has_no_control_characters_nor_runs_of_spaces(text):
    label = clean_label(text)
    assert "  " not in label and label == label.strip()
    assert not any(ord(c) < 32 for c in label)
