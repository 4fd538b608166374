"""The Actor (account + the identity it acts as) and its Scope, computed once per request (NFR-2).

Selectors start every read from `actor.scope`; services check it before every change. Scope is a
set of region, school, class and person ids plus the rule that combines them, expressed as query
filters so that a province admin's scope stays a handful of district ids, not 20,000 school ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from renrentong.core.errors import UserFacingError

if TYPE_CHECKING:
    from renrentong.accounts.models import Account, Identity


@dataclass(frozen=True)
class Scope:
    kind: str  # region | school | teacher | guardian | student | none
    region_ids: frozenset[int] = frozenset()  # the admin's region and every region below it
    district_ids: frozenset[int] = frozenset()
    school_ids: frozenset[int] = frozenset()
    class_ids: frozenset[int] = frozenset()  # teacher: classes taught or headed; student: own class
    person_ids: frozenset[int] = frozenset()  # guardian: children; student: self

    def regions(self, qs: QuerySet) -> QuerySet:
        return qs.filter(pk__in=self.region_ids) if self.kind == "region" else qs.none()

    def schools(self, qs: QuerySet) -> QuerySet:
        if self.kind == "region":
            return qs.filter(district_id__in=self.district_ids)
        return qs.filter(pk__in=self.school_ids)

    def classes(self, qs: QuerySet) -> QuerySet:
        """Classes whose place in the structure the actor may see."""
        if self.kind == "region":
            return qs.filter(school__district_id__in=self.district_ids)
        if self.kind in ("school", "teacher"):
            return qs.filter(school_id__in=self.school_ids)
        return qs.filter(pk__in=self.class_ids)

    def class_members(self, qs: QuerySet) -> QuerySet:
        """Classes whose members (names, accounts) the actor may see."""
        if self.kind == "teacher":
            return qs.filter(pk__in=self.class_ids)
        return self.classes(qs)

    def people(self, qs: QuerySet) -> QuerySet:
        """Persons the actor may read: students enrolled in scope, staff of schools in scope."""
        from renrentong.accounts.models import Enrollment, Identity

        enrolled = Enrollment.objects.filter(ended_on__isnull=True)
        # A student taken out of a class waits in the school's pool: a student identity and home school
        # there, and no open enrollment anywhere (schooladmin.users).
        pooled = Identity.objects.filter(kind=Identity.Kind.STUDENT).exclude(
            account__person__enrollments__ended_on__isnull=True)
        # Staff only: a student identity keeps naming its old school after a transfer, so it must not
        # let that school's admins follow the student to the new one.
        staff_kinds = (Identity.Kind.TEACHER, Identity.Kind.SCHOOL_ADMIN)
        if self.kind == "region":
            staff = Identity.objects.filter(kind__in=staff_kinds, school__district_id__in=self.district_ids)
            pool = pooled.filter(school__district_id__in=self.district_ids,
                                 account__home_school__district_id__in=self.district_ids)
            return qs.filter(
                Q(pk__in=enrolled.filter(school__district_id__in=self.district_ids).values("person_id"))
                | Q(pk__in=staff.values("account__person_id"))
                | Q(pk__in=pool.values("account__person_id"))
            )
        if self.kind == "school":
            staff = Identity.objects.filter(kind__in=staff_kinds, school_id__in=self.school_ids)
            pool = pooled.filter(school_id__in=self.school_ids, account__home_school_id__in=self.school_ids)
            return qs.filter(
                Q(pk__in=enrolled.filter(school_id__in=self.school_ids).values("person_id"))
                | Q(pk__in=staff.values("account__person_id"))
                | Q(pk__in=pool.values("account__person_id"))
            )
        if self.kind == "teacher":
            return qs.filter(pk__in=enrolled.filter(school_class_id__in=self.class_ids).values("person_id"))
        return qs.filter(pk__in=self.person_ids)


NO_SCOPE = Scope(kind="none")


@dataclass
class Actor:
    account: Account
    identity: Identity | None
    via_token: bool = field(default=False)

    @cached_property
    def scope(self) -> Scope:
        from renrentong.accounts.selectors import scope_of

        return scope_of(self.identity) if self.identity is not None else NO_SCOPE

    def require_identity(self) -> Identity:
        if self.identity is None:
            raise UserFacingError("identity.required")
        return self.identity
