"""Where the smart classroom's modules lead outside this room, in one place.

Online practice, the wrong-answer book and personalised learning from wrong answers belong to
resources/practice/ (another room, built in parallel). The classroom links to them by URL name; until that
room's names exist the entry shows "coming soon" instead of a broken link. When practice lands, change the
names here if they differ, and nothing else."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

PRACTICE = "practice:index"  # 在线练习: the student's practice papers
PERSONALISED = "practice:wrong"  # 个性化学习: weak points from the student's wrong answers, "practise my weak points"
WRONG_ANSWERS = "practice:wrong"  # 错题本, in the personal centre
HISTORY = "practice:index"  # the student's papers, each with its attempts, in the personal centre


def url_of(name: str) -> str | None:
    """The page's address, or None while the room that owns it is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
