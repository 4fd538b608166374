"""The Actor (account + the identity it acts as) and its Scope, computed once per request (NFR-2).

Selectors start every read from `actor.scope`; services check it before every change. Scope is a
set of region, school, class and person ids plus the rule that combines them, expressed as query
filters so that a province admin's scope stays a handful of district ids, not 20,000 school ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from renrentong.core.errors import UserFacingError

# core imports no app: the account and identity are renrentong.accounts' Account and Identity rows,
# and the rule that turns an identity into a Scope is accounts' (renrentong.accounts.access.scope_of).
Account = Any
Identity = Any


@dataclass(frozen=True)
class Scope:
    """What an identity may see. Built by renrentong.accounts.access.scope_of, which alone decides it
    from the identity; the flags say how the ids combine, so the helpers here compare no identity kind."""

    kind: str  # a label for the record: region | school | teacher | guardian | student | none
    region_ids: frozenset[int] = frozenset()  # the admin's region and every region below it
    district_ids: frozenset[int] = frozenset()
    school_ids: frozenset[int] = frozenset()
    class_ids: frozenset[int] = frozenset()  # teacher: classes taught or headed; student: own class
    person_ids: frozenset[int] = frozenset()  # guardian: children; student: self
    whole_districts: bool = False  # every school of district_ids (a region admin)
    whole_schools: bool = False  # every class of school_ids (a school admin, a teacher's structure)
    class_members_only: bool = False  # members only of class_ids (a teacher)

    def regions(self, qs: QuerySet) -> QuerySet:
        return qs.filter(pk__in=self.region_ids) if self.whole_districts else qs.none()

    def schools(self, qs: QuerySet) -> QuerySet:
        if self.whole_districts:
            return qs.filter(district_id__in=self.district_ids)
        return qs.filter(pk__in=self.school_ids)

    def classes(self, qs: QuerySet) -> QuerySet:
        """Classes whose place in the structure the actor may see."""
        if self.whole_districts:
            return qs.filter(school__district_id__in=self.district_ids)
        if self.whole_schools:
            return qs.filter(school_id__in=self.school_ids)
        return qs.filter(pk__in=self.class_ids)

    def class_members(self, qs: QuerySet) -> QuerySet:
        """Classes whose members (names, accounts) the actor may see."""
        if self.class_members_only:
            return qs.filter(pk__in=self.class_ids)
        return self.classes(qs)


NO_SCOPE = Scope(kind="none")


@dataclass
class Actor:
    """Built by whoever authenticates (the login middleware, the API token auth, tests' helpers):
    renrentong.accounts.access.actor_for gives it the rule that computes its scope, on first use."""

    account: Account
    identity: Identity | None
    via_token: bool = field(default=False)
    scope_rule: Callable[[Identity], Scope] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def scope(self) -> Scope:
        # Fails closed: an Actor built without a rule sees nothing.
        if self.identity is None or self.scope_rule is None:
            return NO_SCOPE
        return self.scope_rule(self.identity)

    def require_identity(self) -> Identity:
        if self.identity is None:
            raise UserFacingError("identity.required")
        return self.identity
