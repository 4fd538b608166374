"""Grade and class names as schools write them (IMP-1): parsers with examples and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renrentong.orgs.grades import chinese_number, parse_class_number, parse_grade, split_grade_and_class

CN = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


@pytest.mark.parametrize("text,grade", [
    ("三年级", 3), ("3年级", 3), ("３年级", 3), ("七年级", 7), ("初一", 7), ("初三", 9), ("高一", 10),
    ("高三", 12), ("Grade 3", 3), ("grade12", 12), ("3", 3), ("十二年级", 12), ("年级", None), ("十三年级", None),
    ("高四", None), ("", None), ("三班", None),
])
def test_grade_examples(text, grade):
    assert parse_grade(text) == grade


def test_junior_first_grade_follows_the_school_system():
    assert parse_grade("初一", junior_first_grade=6) == 6  # 五四制


@pytest.mark.parametrize("text,number", [("1班", 1), ("(2)班", 2), ("（3）班", 3), ("十一班", 11), ("12", 12),
                                         ("１班", 1), ("班", None), ("a班", None)])
def test_class_examples(text, number):
    assert parse_class_number(text) == number


def test_split():
    assert split_grade_and_class("三年级1班") == ("三年级", "1")
    assert split_grade_and_class("初二(3)班") == ("初二", "3")
    assert split_grade_and_class("1班") is None


@given(st.integers(min_value=1, max_value=99))
def test_chinese_numbers_round_trip(n):
    assert chinese_number(to_chinese(n)) == n
    assert chinese_number(str(n)) == n


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=40), st.booleans())
def test_any_spelling_of_grade_and_class_parses(grade, number, chinese):
    grade_text = f"{to_chinese(grade) if chinese else grade}年级"
    class_text = f"{number}班"
    assert parse_grade(grade_text) == grade
    assert parse_class_number(class_text) == number
    assert split_grade_and_class(grade_text + class_text) == (grade_text, str(number))


@given(st.text(max_size=12))
def test_parsers_never_raise(text):
    parse_grade(text)
    parse_class_number(text)
    split_grade_and_class(text)


@pytest.mark.parametrize("text", ["初፩", "高፪年级", "፩"])
def test_digits_int_refuses_are_no_grade(text):
    # "፩" (Ethiopic one) is a digit to str.isdigit() and survives NFKC, but int() refuses it.
    assert parse_grade(text) is None and chinese_number(text) is None
