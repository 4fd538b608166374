"""Password resets by others (AUTH-5): who may reset whom, to what, and the record of it.

- A class head teacher resets students of the classes they head, to the default password only, and
  sees it to copy [Z].
- A parent sets a new password of their choosing for their own child [C Z] (set_child_password).
- A school admin resets one or many of the school's teachers, students and parents, to the default or
  a custom password [J].
- District, city and province admins reset anyone below them, including admins of regions below [J Z].

Scope is decided from the target's identities, whatever id arrives: an account none of whose
identities the resetter can see is "not found" (404, the same as a missing one); an account that is
partly in scope (a teacher who is also an admin, a parent whose other identity is elsewhere) is
refused with the admin above who can do it (403). Nobody resets an admin at or above their own level.

A reset to the default or a custom password is stored like an initial password (a keyed digest, see
passwords.py): it works once, forces a change at the next login and expires after
`initial_password_days`. A password a parent chose for the child is a real password (no forced
change) only when the school recorded that parent (import or the users page); any other parent's
choice is kept like an initial password and forces a change at the child's next login. Every reset
bumps the credentials epoch, which ends the account's sessions, tokens and login locks (AUTH-8), and
writes one audit record per account in the same transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import Fixer, UserFacingError, in_language
from renrentong.core.text import normalize_text
from renrentong.orgs.models import SchoolClass

from renrentong.accounts.resets import access
from renrentong.accounts.resets.access import (
    ResetList, Resetter, Verdict, headed_classes, judge, lists_only_a_pick, resetter_role,
)
from renrentong.accounts.models import Account, Enrollment, Guardianship, HeadTeacher, Identity
from renrentong.accounts.passwords.services import (
    UNUSABLE, check_chosen_password, check_password_policy, initial_digest, issue_initial_password,
    set_chosen_password,
)
from renrentong.accounts.selectors import account_search, policy_for_account

MAX_BATCH = 500
# Accounts one resetter may reset per hour. A head teacher resets a few forgetful students; a school
# admin may reset a whole grade at the start of a term; a parent has a child or two.
RESETS_PER_HOUR = {"head_teacher": 100, "guardian": 10, "school_admin": 2000, "region_admin": 5000}
CANDIDATE_LIMIT = 200
# Marks a password an admin typed: kept as an initial password so that it forces a change at login.
CUSTOM_RULE = "admin_custom"
# Marks a password a parent chose for their child when the school did not record that parent.

ABOVE = {
    "head_teacher": Fixer.SCHOOL_ADMIN,
    "school_admin": Fixer.DISTRICT_ADMIN,
    "region_admin": ("上级管理员或平台技术支持", "an admin above you or platform support"),
}


# --- Rate limits ------------------------------------------------------------------------------------


def window_count(key: str) -> tuple[int, float]:
    """(count, started_at) of a counting window kept in the cache (Redis in production)."""
    return cache.get(key) or (0, 0.0)


def window_add(key: str, amount: int, seconds: int) -> None:
    """Add to a window that lasts `seconds` from its first entry (the retry time is then exact)."""
    count, started = window_count(key)
    now = time.time()
    if not started or started + seconds <= now:
        count, started = 0, now
    cache.set(key, (count + amount, started), max(int(started + seconds - now) + 1, 1))


def local_time(ts: float) -> str:
    return date_format(timezone.localtime(datetime.fromtimestamp(ts, tz=timezone.get_current_timezone())), "Y-m-d H:i")


def _spend_resets(actor: Actor, role: str, amount: int) -> None:
    key = f"reset:count:{actor.account.pk}"
    limit = RESETS_PER_HOUR[role]
    used, started = window_count(key)
    if started and started + 3600 > time.time() and used + amount > limit:
        raise UserFacingError("reset.rate_limited", limit=limit, until=local_time(started + 3600))
    window_add(key, amount, 3600)


# --- Who is resetting -------------------------------------------------------------------------------


# --- Whom they may reset ----------------------------------------------------------------------------


@dataclass
class Target:
    account: Account
    identities: list[Identity]
    enrollment: Enrollment | None  # the open one, for a student
    ward_enrollments: list[Enrollment]  # open enrollments of the person's children, for a parent

    @property
    def kinds(self) -> set[str]:
        return {i.kind for i in self.identities}

    @property
    def student_school(self):
        return access.student_school(self)

    @property
    def kind_label(self) -> str:
        return access.kind_label(self)


def load_targets(account_ids: list[int]) -> dict[int, Target]:
    """The accounts with everything the scope decision needs, in four queries for any batch size."""
    accounts = {
        a.pk: a for a in Account.objects.filter(pk__in=account_ids).select_related("person", "home_school")
    }
    identities: dict[int, list[Identity]] = {}
    for identity in Identity.objects.filter(account_id__in=accounts).select_related("school", "region"):
        identities.setdefault(identity.account_id, []).append(identity)
    person_ids = {a.person_id for a in accounts.values() if a.person_id}
    open_rows = Enrollment.objects.filter(ended_on__isnull=True).select_related(
        "school", "school_class__cohort__stage", "school_class__school")
    enrolled = {e.person_id: e for e in open_rows.filter(person_id__in=person_ids)}
    wards: dict[int, list[int]] = {}
    for guardian_id, student_id in Guardianship.objects.filter(guardian_id__in=person_ids).values_list(
            "guardian_id", "student_id"):
        wards.setdefault(guardian_id, []).append(student_id)
    ward_rows = {e.person_id: e for e in open_rows.filter(person_id__in={s for ws in wards.values() for s in ws})}
    return {
        pk: Target(
            account=account,
            identities=identities.get(pk, []),
            enrollment=enrolled.get(account.person_id),
            ward_enrollments=[ward_rows[s] for s in wards.get(account.person_id, []) if s in ward_rows],
        )
        for pk, account in accounts.items()
    }


def _check_all(actor: Actor, role: str, targets: list[Target]) -> list[Verdict]:
    headed = headed_classes(actor) if role == Resetter.HEAD_TEACHER else None
    verdicts = [judge(actor, role, t, headed) for t in targets]
    # Refusals that reveal nothing come first: one unknown id in a batch answers like a missing one.
    if any(not v.visible for v in verdicts):
        raise UserFacingError("scope.not_found")
    for target, verdict in zip(targets, verdicts):
        if not verdict.allowed:
            raise UserFacingError("reset.outside_authority", account=target.account.number,
                                  reason=in_language(*verdict.reason), above=in_language(*ABOVE[role]))
    return verdicts


# --- The verbs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResetResult:
    account_id: int
    account_number: str
    name: str
    password: str  # to show and copy once; "" when the resetter chose it themselves
    must_change_password: bool


def _default_rule(target: Target, policy) -> str:
    kind = target.kind_label
    if kind == ResetList.STUDENT:
        return policy.student_initial_rule
    if kind == ResetList.TEACHER:
        return policy.teacher_initial_rule
    return policy.parent_initial_rule


@transaction.atomic
def reset_passwords(actor: Actor, account_ids: list[int], *, mode: str = "default",
                    password: str = "") -> list[ResetResult]:
    """Reset the accounts to their default password or to `password` (mode "custom"), all or none."""
    role = resetter_role(actor)
    if role == Resetter.GUARDIAN:
        # A parent chooses the child's new password (set_child_password); there is no default for them.
        raise UserFacingError("reset.not_allowed")
    wanted = list(dict.fromkeys(account_ids))
    if not wanted:
        raise UserFacingError("reset.nothing_chosen")
    if len(wanted) > MAX_BATCH:
        raise UserFacingError("reset.too_many", limit=MAX_BATCH, count=len(wanted))
    if mode not in ("default", "custom"):
        raise UserFacingError("reset.invalid_mode")
    if mode == "custom" and role == Resetter.HEAD_TEACHER:
        raise UserFacingError("reset.custom_not_allowed")
    if mode == "custom" and not password:
        raise UserFacingError("reset.custom_missing")
    if actor.account.pk in wanted:
        raise UserFacingError("reset.self")
    loaded = load_targets(wanted)
    if len(loaded) != len(wanted):
        raise UserFacingError("scope.not_found")
    targets = [loaded[pk] for pk in wanted]
    verdicts = _check_all(actor, role, targets)
    policies = [policy_for_account(t.account) for t in targets]
    if mode == "custom":
        # Checked for every account before anything is written or counted: the rules may differ by school.
        for target, policy in zip(targets, policies):
            check_password_policy(password, target.account, policy)
    _spend_resets(actor, role, len(targets))

    locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=wanted)}
    now = timezone.now()
    results = []
    for target, verdict, policy in zip(targets, verdicts, policies):
        account = locked[target.account.pk]
        account.person = target.account.person
        if mode == "custom":
            account.password = UNUSABLE
            account.initial_password_rule = CUSTOM_RULE
            account.initial_password_digest = initial_digest(account.number, password)
            account.initial_password_issued_at = now
            account.initial_password_sealed = None
            shown, rule = password, CUSTOM_RULE
        else:
            rule = _default_rule(target, policy)
            shown = issue_initial_password(account, rule, policy, now=now)
        account.credentials_epoch += 1
        account.save(update_fields=["password", "initial_password_rule", "initial_password_digest",
                                    "initial_password_issued_at", "initial_password_sealed", "credentials_epoch"])
        details = {"how": mode, "rule": rule, "by": role, "batch": len(targets)}
        if verdict.region_id:
            details["region_id"] = verdict.region_id
        audit.record(actor, "password.reset", account, details, school_id=verdict.school_id)
        results.append(ResetResult(account.pk, account.number, account.person.name if account.person_id else "",
                                   shown, True))
    return results


@transaction.atomic
def set_child_password(actor: Actor, person_id: int, new: str, repeat: str) -> ResetResult:
    """A parent sets their own child's password (AUTH-5 [C Z]); it is the child's password from now on."""
    role = resetter_role(actor)
    if not access.resets_through_children_page(actor):
        raise UserFacingError("reset.not_allowed")
    guardian_person = actor.account.person_id
    link = Guardianship.objects.filter(guardian_id=guardian_person, student_id=person_id).first() \
        if guardian_person else None
    if link is None:
        raise UserFacingError("scope.not_found")
    account = Account.objects.select_for_update(of=("self",)).select_related("person", "home_school").filter(
        person_id=person_id).first()
    if account is None or not account.identities.filter(kind=Identity.Kind.STUDENT).exists():
        raise UserFacingError("reset.no_account")
    policy = policy_for_account(account)
    check_chosen_password(account, new, repeat, policy)
    _spend_resets(actor, role, 1)
    for_good = link.made_by_school
    enrollment = Enrollment.objects.filter(person_id=person_id, ended_on__isnull=True).first()
    school_id = enrollment.school_id if enrollment else account.home_school_id
    set_chosen_password(account, new, repeat, policy, for_good=for_good, audit_actor=actor, verb="password.reset",
                        details={"how": "parent", "by": role, "batch": 1, "forced_change": not for_good},
                        school_id=school_id)
    return ResetResult(account.pk, account.number, account.person.name, "", not for_good)


# --- Whom to offer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResetCandidate:
    account_id: int
    person_id: int | None
    account_number: str
    name: str
    kind: str  # student | teacher | parent (admins are listed as teacher: staff)
    class_name: str
    initial_outstanding: bool

    @property
    def has_parents_to_show(self) -> bool:
        """A student's row links to the student's parents (the school's view of the links)."""
        return access.lists_parents(self.kind) and self.person_id is not None


def reset_candidates(actor: Actor, *, kind: str = "student", class_id: int | None = None,
                     query: str = "") -> list[ResetCandidate]:
    """Accounts the actor may reset, for the reset page: a class, the teachers, or a search.

    A region admin's scope may hold millions of accounts, so they pick a class or search; the list is
    always capped. Only what the actor may reset is offered, and reset_passwords checks again."""
    role = resetter_role(actor)
    if role == Resetter.GUARDIAN:
        raise UserFacingError("reset.not_allowed")
    identity = actor.identity
    query = normalize_text(query)
    if role == Resetter.HEAD_TEACHER:
        headed = HeadTeacher.objects.filter(teacher=identity).values("school_class_id")
        accounts = Account.objects.filter(person__enrollments__ended_on__isnull=True,
                                          person__enrollments__school_class_id__in=headed)
        kind = ResetList.STUDENT
    elif kind == ResetList.TEACHER:
        staff = Identity.objects.filter(kind=Identity.Kind.TEACHER)
        staff = (staff.filter(school_id=identity.school_id) if role == Resetter.SCHOOL_ADMIN
                 else staff.filter(school__district_id__in=actor.scope.district_ids))
        accounts = Account.objects.filter(pk__in=staff.values("account_id"))
    elif kind == ResetList.ADMIN and role == Resetter.REGION_ADMIN:
        below = actor.scope.region_ids - {identity.region_id}
        admins = Identity.objects.filter(
            Q(kind=Identity.Kind.SCHOOL_ADMIN, school__district_id__in=actor.scope.district_ids)
            | Q(kind=Identity.Kind.REGION_ADMIN, region_id__in=below))
        accounts = Account.objects.filter(pk__in=admins.values("account_id"))
    elif kind == ResetList.PARENT:
        enrolled = _enrolled_in_scope(actor, role)
        accounts = Account.objects.filter(identities__kind=Identity.Kind.GUARDIAN,
                                          person__wards__student_id__in=enrolled.values("person_id"))
    else:
        kind = ResetList.STUDENT
        enrolled = _enrolled_in_scope(actor, role)
        accounts = Account.objects.filter(person_id__in=enrolled.values("person_id"))
    if class_id is not None:
        school_class = actor.scope.class_members(SchoolClass.objects.all()).filter(pk=class_id).first()
        if school_class is None:
            raise UserFacingError("scope.not_found")
        accounts = accounts.filter(person__enrollments__ended_on__isnull=True,
                                   person__enrollments__school_class=school_class)
    elif not query and lists_only_a_pick(role, kind):
        return []
    found = account_search(query)
    if found is not None:
        accounts = accounts.filter(found)
    accounts = accounts.exclude(pk=actor.account.pk).distinct().select_related("person").order_by(
        "person__name", "number")[:CANDIDATE_LIMIT * 2]
    targets = load_targets([a.pk for a in accounts])
    headed = headed_classes(actor) if role == Resetter.HEAD_TEACHER else None
    found = []
    for account in accounts:
        target = targets[account.pk]
        if not judge(actor, role, target, headed).allowed:
            continue
        class_name = ""
        if target.enrollment is not None:
            school_class = target.enrollment.school_class
            class_name = school_class.display_name()
        name = account.person.name if account.person_id else ""
        found.append(ResetCandidate(account.pk, account.person_id, account.number, name, target.kind_label,
                                    class_name, account.has_initial_password))
        if len(found) == CANDIDATE_LIMIT:
            break
    return found


def reset_classes(actor: Actor, role: str) -> list[tuple[int, str]]:
    """The classes a resetter picks from: the ones they head, or their school's; region admins search."""
    if role == Resetter.HEAD_TEACHER:
        classes = SchoolClass.objects.filter(pk__in=headed_classes(actor))
    elif role == Resetter.SCHOOL_ADMIN:
        classes = SchoolClass.objects.filter(school_id=actor.identity.school_id, kind=SchoolClass.Kind.ADMINISTRATIVE)
    else:
        return []
    classes = classes.select_related("cohort__stage", "school").order_by("-cohort__enrollment_year", "number")
    return [(c.pk, c.display_name()) for c in classes]


def _enrolled_in_scope(actor: Actor, role: str):
    enrolled = Enrollment.objects.filter(ended_on__isnull=True)
    if role == Resetter.SCHOOL_ADMIN:
        return enrolled.filter(school_id=actor.identity.school_id)
    return enrolled.filter(school__district_id__in=actor.scope.district_ids)


def reset_candidates_shown(actor: Actor, **filters) -> tuple[list[ResetCandidate], UserFacingError | None]:
    """The candidates for the resets page, or none and the refusal, which the page shows beside its filters."""
    try:
        return reset_candidates(actor, **filters), None
    except UserFacingError as refusal:
        return [], refusal
