"""Property tests of person-name normalisation (RN-1, ACC-7): spaces, full-width forms, invisible characters
and the many dots of multi-part names never cause a silent mismatch, and different names stay different."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from renrentong.core.names import NAME_DOTS, name_key, names_match, normalize_person_name

chinese = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=6)
latin = st.text(alphabet=st.characters(min_codepoint=ord("A"), max_codepoint=ord("z"),
                                       categories=("Lu", "Ll")), min_size=1, max_size=8)
part = chinese | latin
noise = st.sampled_from([" ", "\u3000", "\t", "\u200b", "\ufeff", "\u00a0", "\n"])


@given(st.text(max_size=30))
def test_normalising_twice_changes_nothing(value):
    once = normalize_person_name(value)
    assert normalize_person_name(once) == once


@given(st.text(max_size=30))
def test_the_normal_form_has_no_whitespace_no_invisible_characters_and_only_one_kind_of_dot(value):
    result = normalize_person_name(value)
    assert not any(ch.isspace() for ch in result)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in result)
    assert not (set(result) & (NAME_DOTS - {"·"}))
    assert "··" not in result and not result.startswith("·") and not result.endswith("·")


@given(st.lists(part, min_size=1, max_size=3), st.data())
def test_noise_between_characters_never_matters(parts, data):
    name = "·".join(parts)
    noisy = "".join(ch + data.draw(st.sampled_from(["", "", "\u3000", " ", "\u200b"])) for ch in name)
    assert names_match(noisy, name)


@given(st.lists(part, min_size=2, max_size=3), st.sampled_from(sorted(NAME_DOTS)), noise)
def test_any_dot_between_the_parts_of_a_name_is_the_same_name(parts, dot, space):
    assert names_match(f"{space}{dot.join(parts)}{space}", "·".join(parts))


@given(latin)
def test_full_width_and_case_of_latin_letters_do_not_matter(value):
    wide = "".join(chr(ord(c) + 0xFEE0) for c in value)
    assert names_match(wide, value.swapcase())


@given(part, part)
def test_different_names_stay_different(a, b):
    assert names_match(a, b) == (name_key(a) == name_key(b))
    if a.casefold() != b.casefold():
        assert not names_match(a, b)


@given(st.text(alphabet=" \u3000\u200b·.", max_size=5))
def test_an_empty_name_matches_nothing(value):
    assert not names_match(value, value)
