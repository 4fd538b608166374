"""Password policy (AUTH-3), initial passwords (AUTH-2) and the text normalisers, with properties."""

import string
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renrentong.accounts.models import Account
from renrentong.accounts.passwords.services import (
    check_password_policy, initial_digest, issue_initial_password, matches_initial, random_password, RANDOM_ALPHABET,
)
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_id_number, mask_phone
from renrentong.core.text import id_number_check_digit, is_valid_id_number, normalize_id_number, normalize_text
from renrentong.orgs.policy import EffectivePolicy

SICHUAN = EffectivePolicy(password_rule="S")
ZHEJIANG = EffectivePolicy(password_rule="Z")


def account(number="12345678", phone="13712345678"):
    return Account(number=number, phone=phone)


def refusal(password, policy, acct=None):
    try:
        check_password_policy(password, acct or account(), policy)
    except UserFacingError as exc:
        return exc.code
    return None


@pytest.mark.parametrize("password,code", [
    ("Ab1", "password.length"),
    ("Abcdefgh1234567X", "password.length"),  # 16 > 15
    ("Abcdefg!1", "password.no_symbols"),
    ("Abcdefghij", "password.needs_digit"),
    ("abcdefgh12", "password.needs_upper"),
    ("ABCDEFGH12", "password.needs_lower"),
    ("Xk9mPq2vLa", None),
])
def test_sichuan_rule_names_what_failed(password, code):
    assert refusal(password, SICHUAN) == code


@pytest.mark.parametrize("password,code", [
    ("Ab1!", "password.length"),
    ("A" * 10 + "b1!" * 4, "password.length"),  # 22 > 20
    ("abcdefgh12", "password.classes"),  # two classes
    ("abcdefgh1!", None),  # lower, digit, symbol
    ("ABCDefgh!!", None),  # upper, lower, symbol
])
def test_zhejiang_rule_needs_three_of_four_classes(password, code):
    assert refusal(password, ZHEJIANG) == code


def test_messages_name_the_rule_in_chinese_and_english(settings):
    with pytest.raises(UserFacingError) as info:
        check_password_policy("Ab1", account(), SICHUAN)
    assert info.value.message == "密码长度须为 8-15 位。"
    from django.utils import translation

    with translation.override("en"):
        assert info.value.message == "The password must be 8 to 15 characters long."


def test_initial_and_common_passwords_are_refused():
    acct = account()
    assert refusal("Pw345678@", ZHEJIANG, acct) == "password.is_initial"
    assert refusal("Password1", SICHUAN, acct) == "password.common"
    assert refusal("Ab12345678x", SICHUAN, acct) == "password.contains_account"


def test_initial_password_rules_follow_the_seed_examples():
    policy = EffectivePolicy(school_default_password="School2026x")
    student = account(number="12345678", phone=None)
    assert issue_initial_password(student, "pw_account_last6", policy) == "Pw345678@"
    parent = account(number="900000001", phone="13712345678")
    assert issue_initial_password(parent, "pw_phone_last6", policy) == "Pw345678@"
    teacher = account(number="900000002", phone="13712345678")
    assert issue_initial_password(teacher, "phone_last6", policy) == "345678"
    assert issue_initial_password(account(), "school_default", policy) == "School2026x"
    assert matches_initial(parent, "Pw345678@") and not matches_initial(parent, "Pw345679@")
    assert not parent.has_usable_password()


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10_000))
def test_random_initial_passwords_pass_both_policies(_):
    password = random_password()
    assert refusal(password, SICHUAN) is None
    assert refusal(password, ZHEJIANG) is None
    assert len(password) == 10 and set(password) <= set(RANDOM_ALPHABET)


def test_random_initial_passwords_draw_every_character_of_the_alphabet_evenly():
    # 2,000 passwords hold 20,000 characters: each of the 55 is expected about 364 times (digits more, since a
    # password without one is drawn again); a character never or rarely drawn is a biased or broken mapping.
    drawn = Counter("".join(random_password() for _ in range(2000)))
    assert set(drawn) == set(RANDOM_ALPHABET)
    assert min(drawn.values()) > 250 and max(drawn.values()) < 600


@given(st.text(min_size=1, max_size=30))
def test_policy_never_crashes_and_accepts_only_what_it_describes(password):
    code = refusal(password, SICHUAN)
    if code is None:
        assert 8 <= len(password) <= 15
        assert all(c in string.ascii_letters + string.digits for c in password)


@given(st.text(alphabet="0123456789", min_size=8, max_size=9))
def test_initial_digest_depends_on_account_and_password(number):
    assert initial_digest(number, "Pw000000@") != initial_digest(number + "0", "Pw000000@")
    assert initial_digest(number, "a") == initial_digest(number, "a")


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_fullwidth_digits_and_spaces_normalise(digits):
    fullwidth = " ".join(chr(ord(c) + 0xFEE0) for c in digits) + "\u3000"
    assert normalize_text(fullwidth) == digits


@given(
    st.sampled_from(["110105", "430102", "510104", "330106", "440305"]),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2022, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_id_number_check_digit(area, birth, seq):
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    good = body + id_number_check_digit(body)
    assert is_valid_id_number(good)
    for wrong in "0123456789X":
        if wrong != good[-1]:
            assert not is_valid_id_number(body + wrong)
    assert normalize_id_number(good.lower()) == good.upper()


@given(st.text(max_size=20))
def test_id_number_validator_never_raises(value):
    is_valid_id_number(value)


@given(st.text(alphabet="0123456789X", min_size=8, max_size=18))
def test_masks_keep_only_the_ends(value):
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    assert masked[:3] == value[:3] and masked[-4:] == value[-4:]
    assert value[3:-4] == "" or set(masked[3:-4]) == {"*"}


def test_mask_examples():
    assert mask_id_number("430102201505171234") == "430***********1234"
    assert mask_phone("13712345678") == "137****5678"


def test_id_number_examples():
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("110105194912310021")  # wrong check digit
    assert not is_valid_id_number("110105194913310028")  # month 13
    assert not is_valid_id_number("１１０１０５１９４９１２３１００２X")  # full-width: normalise first
    assert is_valid_id_number(normalize_id_number("１１０１０５１９４９１２３１００２ｘ"))
