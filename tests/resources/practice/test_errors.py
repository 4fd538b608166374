"""Every refusal of online practice is met by a test (HELP-1) and says who can fix it in both languages."""

from pathlib import Path
from string import Formatter

from renrentong.core.errors import UserFacingError
from renrentong.resources.practice.errors import ENTRIES

HERE = Path(__file__).parent


def test_every_error_code_is_a_test_case():
    tests = "".join(p.read_text() for p in [*HERE.rglob("test_*.py"),
                                            *HERE.parents[1].glob("browser/resources/*practice*.py")]
                    if p.name != "test_errors.py")
    untested = [code for code in ENTRIES if f'"{code}"' not in tests]
    assert untested == []


def test_every_error_has_both_languages_and_a_fixer():
    from django.utils import translation

    for code, spec in ENTRIES.items():
        assert spec.zh and spec.en and spec.who[0] and spec.who[1], code
        assert "。" in spec.zh or "：" in spec.zh, code
        assert spec.en.isascii(), code
        params = {name: "x" for text in (spec.zh, spec.en) for _, name, _, _ in Formatter().parse(text) if name}
        with translation.override("en"):
            assert UserFacingError(code, **params).message


def test_the_resources_catalogue_gathers_the_practice_entries():
    from renrentong.resources.errors import ENTRIES as RESOURCES

    assert set(ENTRIES) <= set(RESOURCES)
