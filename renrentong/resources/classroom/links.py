"""Where the smart classroom's modules lead outside this room, in one place.

Online practice, the wrong-answer book and personalised learning from wrong answers belong to
resources/practice/ (another room, built in parallel). The classroom links to them by URL name; until that
room's names exist the entry shows "coming soon" instead of a broken link. When practice lands, change the
names here if they differ, and nothing else."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

PRACTICE = "practice:index"  # 在线练习: the student's practice papers
PERSONALISED = "practice:personalised"  # 个性化学习: learning drawn from the student's wrong answers
WRONG_ANSWERS = "practice:wrong_answers"  # 错题本, in the personal centre
HISTORY = "practice:history"  # the student's attempts, in the personal centre


def url_of(name: str) -> str | None:
    """The page's address, or None while the room that owns it is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
