"""Property tests of the account-name rules of teacher self-registration (ACC-4; seed 003: "6-16位数字或字母,
不可包含特殊字符或文字") and of the suggestion offered when a name is taken (seed 002: 姓名拼写+身份证后4位)."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renrentong.realname.registration.services import check_account_name, normalize_account_name, suggest_account_name
from renrentong.core.errors import UserFacingError
from renrentong.core.text import id_number_check_digit

VALID = re.compile(r"^[a-z0-9]{6,16}$")
alnum = st.text(alphabet=string.ascii_letters + string.digits, min_size=6, max_size=16)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(st.text(max_size=40))
def test_whatever_is_accepted_is_6_to_16_lowercase_letters_or_digits_with_a_letter(value):
    try:
        name = check_account_name(value)
    except UserFacingError as exc:
        assert exc.code.startswith("registration.account_name_")
        return
    assert VALID.match(name) and not name.isdigit()


@given(alnum.filter(lambda s: not s.isdigit()))
def test_every_name_of_letters_and_digits_is_accepted_in_lower_case(value):
    assert check_account_name(value) == value.lower()


@given(alnum.filter(lambda s: not s.isdigit()))
def test_full_width_forms_and_spaces_name_the_same_account(value):
    spaced = " ".join(full_width(value))
    assert check_account_name(spaced) == check_account_name(value)


@given(alnum.filter(lambda s: not s.isdigit()), st.sampled_from("_-.@!#中文 "), st.integers(0, 16))
def test_a_symbol_or_chinese_character_is_refused_and_named(value, bad, at):
    if bad == " ":
        return  # spaces are removed, not refused
    text = value[:at] + bad + value[at:]
    with pytest.raises(UserFacingError) as caught:
        check_account_name(text)
    assert caught.value.code == "registration.account_name_chars"
    assert normalize_account_name(bad) in caught.value.params["chars"]


@given(st.text(alphabet=string.digits, min_size=6, max_size=16))
def test_digits_only_are_kept_for_generated_numbers_and_phones(value):
    with pytest.raises(UserFacingError) as caught:
        check_account_name(value)
    assert caught.value.code == "registration.account_name_digits_only"


@given(st.integers(0, 5).map(lambda n: "a" * n) | st.integers(17, 40).map(lambda n: "a" * n))
def test_lengths_outside_6_to_16_give_the_length(value):
    with pytest.raises(UserFacingError) as caught:
        check_account_name(value)
    assert caught.value.code == "registration.account_name_length"
    assert caught.value.params["length"] == len(value)


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏"
names = st.text(alphabet=SURNAMES + "欧阳·ABCxyz", min_size=1, max_size=8)
id_bodies = st.integers(0, 999).map(lambda n: f"43010219880808{n:03d}")


@given(names, id_bodies, st.sets(st.text(alphabet=string.ascii_lowercase + string.digits, min_size=6, max_size=16),
                                 max_size=5))
def test_the_suggestion_is_a_valid_free_account_name_ending_in_the_id(name, body, taken):
    id_number = body + id_number_check_digit(body)
    suggestion = suggest_account_name(name, id_number, taken=lambda candidate: candidate in taken)
    assert check_account_name(suggestion) == suggestion
    assert suggestion not in taken
    assert id_number[-4:].lower() in suggestion


def test_the_suggestion_is_the_name_in_pinyin_and_the_last_four():
    assert suggest_account_name("张三", "43010219880808123X", taken=lambda c: False) == "zhangsan123x"
    assert suggest_account_name("张三", "43010219880808123X", taken=lambda c: c == "zhangsan123x") == "zhangsan123x1"
