"""Every refusal of the statistics is met by a test (HELP-1) and says who can fix it in both languages."""

from pathlib import Path

from renrentong.core.errors import UserFacingError
from renrentong.stats.errors import ENTRIES

HERE = Path(__file__).parent


def test_every_error_code_is_a_test_case():
    tests = "".join(p.read_text() for p in [*HERE.rglob("test_*.py"), *HERE.parent.glob("browser/stats/*.py")]
                    if p.name != "test_errors.py")
    assert [code for code in ENTRIES if f'"{code}"' not in tests] == []


def test_every_error_has_both_languages_and_a_fixer():
    from django.utils import translation

    for code, spec in ENTRIES.items():
        assert spec.zh and spec.en and spec.who[0] and spec.who[1], code
        assert "。" in spec.zh, code
        assert spec.en.isascii(), code
        with translation.override("en"):
            assert UserFacingError(code).message == spec.en
