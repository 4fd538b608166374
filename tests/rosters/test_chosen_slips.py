"""Account slips of the accounts chosen in the user table (IMP-5, ADM-1): a PDF of exactly those
accounts, only the admin's own school's (another school's id prints nothing), and the printing audited.
The page's button posts to rosters:chosen_slips once the URL is wired (see the helper's report)."""

from __future__ import annotations

import pytest

from renrentong.core.errors import UserFacingError
from renrentong.core.models import AuditEvent
from renrentong.rosters import exports
from renrentong.rosters.selectors import slips_for_accounts

from tests.auditlog.test_audit_words_and_export import actor_of


def test_slips_of_the_chosen_accounts(world):
    actor = actor_of(world.school_admin_a)
    school, slips = slips_for_accounts(actor, [world.student_a2.pk, world.teacher_a.pk, world.student_a2.pk])
    assert school == world.school_a and [s.account for s in slips] == sorted(
        [world.student_a2.number, world.teacher_a.number], key=lambda n: {world.student_a2.number: "周",
                                                                         world.teacher_a.number: "王"}[n])
    assert all(s.password for s in slips)
    response = exports.chosen_slips_response(actor, [world.student_a.pk], "http://x/")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.get(verb="slips.print").details == {"accounts": 1, "who": "chosen"}


def test_another_schools_account_prints_nothing(world):
    actor = actor_of(world.school_admin_a)
    with pytest.raises(UserFacingError) as refused:
        slips_for_accounts(actor, [world.student_a.pk, world.student_b.pk])
    assert refused.value.code == "users.not_found"
    with pytest.raises(UserFacingError) as teacher:
        slips_for_accounts(actor_of(world.teacher_a), [world.student_a.pk])
    assert teacher.value.code == "users.not_allowed"
