"""core.masking: free text keeps no number long enough to be an ID number or a phone, and loses nothing else."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from renrentong.core.masking import mask_numbers_in, mask_numbers_in_each

# Digits (ASCII and full-width), the separators a number may be typed with, an ID number's X, and other text.
TEXT = st.text(alphabet=st.sampled_from("0123456789０１２３ -XxA张:/"), max_size=40)


@given(TEXT)
def test_free_text_keeps_no_run_of_ten_digits_and_nothing_else_changes(text):
    masked = mask_numbers_in(text)
    plain = unicodedata.normalize("NFKC", text) if len(text) >= 10 else text
    assert len(masked) == len(plain)
    for before, after in zip(plain, masked, strict=True):  # a masked number's middle goes, separators and all
        assert after == before or (after == "*" and (before.isdigit() or before in " -"))
    digits = 0
    for char in masked:  # digits separated by spaces and dashes only are one number
        if char.isdigit():
            digits += 1
            assert digits < 10, (text, masked)
        elif char not in " -":
            digits = 0


@given(st.lists(TEXT | st.text(max_size=12), max_size=8))
def test_a_row_is_masked_as_its_cells_are_one_by_one(cells):
    assert mask_numbers_in_each(cells) == [mask_numbers_in(cell) for cell in cells]


def test_a_row_of_chinese_cells_is_masked_cell_by_cell_alike():
    row = ["张三", "13712345678", "身份证 43010220100101123X 已核", "２０１０", "电话１３７１２３４５６７８"]
    assert mask_numbers_in_each(row) == ["张三", "137****5678", "身份证 430***********123X 已核", "２０１０",
                                         "电话137****5678"]
    assert mask_numbers_in_each(row[:3]) == ["张三", "137****5678", "身份证 430***********123X 已核"]


def test_each_kind_of_number_in_a_cell():
    assert mask_numbers_in("13712345678") == "137****5678"
    assert mask_numbers_in("身份证 43010220100101123X 已核") == "身份证 430***********123X 已核"
    assert mask_numbers_in("2026-09-01") == "2026-09-01"  # a date: eight digits
    assert mask_numbers_in("137 1234 5678") == "137******5678"
    assert mask_numbers_in("１３７１２３４５６７８") == "137****5678"
