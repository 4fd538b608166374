"""User-facing errors: one catalogue, Chinese and English text, and who can fix each (HELP-1).

Every refusal a user can meet is raised as a UserFacingError with a code from CATALOGUE. Pages show
it; the API returns it as {"code", "message", "who_can_fix", "contact"} with its 4xx status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language


class Fixer:
    """Who can fix a problem, in both languages."""

    SELF = ("本人", "you")
    CLASS_HEAD_TEACHER = ("班主任", "the class head teacher")
    SCHOOL_ADMIN = ("学校管理员", "the school admin")
    DISTRICT_ADMIN = ("区县管理员", "the district admin")
    PROVINCE_ADMIN = ("省级管理员", "the province admin")
    SUPPORT = ("平台技术支持", "platform support")


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    zh: str
    en: str
    who: tuple[str, str]


CATALOGUE: dict[str, ErrorSpec] = {}


def register_catalogues(modules) -> None:
    """Each app keeps its refusals in `<app>/errors.py` as ENTRIES = {code: ErrorSpec} (core's own in
    core/catalogue.py); CoreConfig.ready() joins them here at start, and a code two apps define fails
    the start instead of one silently winning."""
    CATALOGUE.clear()
    for module in modules:
        clash = CATALOGUE.keys() & module.ENTRIES.keys()
        if clash:
            raise ImproperlyConfigured(f"error codes defined twice: {sorted(clash)}")
        CATALOGUE.update(module.ENTRIES)


class UserFacingError(Exception):
    """A refusal the user can act on. `params` fill the message placeholders."""

    def __init__(self, code: str, *, contact: str = "", status: int | None = None, **params: object) -> None:
        if code not in CATALOGUE:
            raise KeyError(f"unknown error code {code!r}")
        self.code = code
        self.params = params
        self.contact = contact
        self.spec = CATALOGUE[code]
        self.status = status or self.spec.status
        super().__init__(code)

    @property
    def message(self) -> str:
        return in_language(self.spec.zh, self.spec.en).format(**self.params)

    @property
    def who_can_fix(self) -> str:
        return in_language(*self.spec.who)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "who_can_fix": self.who_can_fix, "contact": self.contact}


def in_language(zh: str, en: str) -> str:
    return en if (get_language() or "zh-hans").startswith("en") else zh
