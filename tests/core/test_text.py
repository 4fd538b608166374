"""What people type is folded once and for all: normalising twice changes nothing, so a name saved after
normalisation always matches the same name typed again (ACC-7)."""

from hypothesis import given
from hypothesis import strategies as st

from renrentong.core.text import normalize_text


@given(st.text())
def test_normalising_twice_changes_nothing(value):
    once = normalize_text(value)
    assert normalize_text(once) == once


def test_a_control_character_between_a_letter_and_its_accent_does_not_leave_them_apart():
    # Found by hypothesis: NFKC first, then dropping the control character, left "e" + U+0301 unfolded.
    assert normalize_text("e\x00\u0301") == normalize_text("é") == "é"


@given(st.text(alphabet=" \u3000\t\n１２３ＡＢ李小明"))
def test_full_width_and_spaces_fold_to_the_same_text(value):
    assert normalize_text(value) == normalize_text(value.replace("\u3000", "").replace(" ", ""))
