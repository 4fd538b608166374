"""Who an identity may see (NFR-2): the Scope an identity gets, and the Actor built with it.

The one place that maps an identity's kind to a Scope; core's Scope only combines the ids it is given."""

from __future__ import annotations

from renrentong.core.actor import Actor, Scope
from renrentong.orgs.models import Region

from renrentong.accounts.models import Account, Enrollment, Guardianship, HeadTeacher, Identity, TeachingAssignment
from renrentong.accounts.selectors import region_descendants


def scope_of(identity: Identity) -> Scope:
    kind = identity.kind
    if kind == Identity.Kind.REGION_ADMIN:
        regions = region_descendants(identity.region)
        return Scope(
            kind="region",
            region_ids=frozenset(r.pk for r in regions),
            district_ids=frozenset(r.pk for r in regions if r.kind == Region.Kind.DISTRICT),
            whole_districts=True,
        )
    if kind == Identity.Kind.SCHOOL_ADMIN:
        return Scope(kind="school", school_ids=frozenset({identity.school_id}), whole_schools=True)
    if kind == Identity.Kind.TEACHER:
        taught = TeachingAssignment.objects.filter(teacher=identity).values_list("school_class_id", flat=True)
        headed = HeadTeacher.objects.filter(teacher=identity).values_list("school_class_id", flat=True)
        return Scope(kind="teacher", school_ids=frozenset({identity.school_id}),
                     class_ids=frozenset(taught) | frozenset(headed), whole_schools=True, class_members_only=True)
    person_id = identity.account.person_id
    if kind == Identity.Kind.STUDENT:
        people = {person_id} if person_id else set()
    else:
        people = set(Guardianship.objects.filter(guardian_id=person_id).values_list("student_id", flat=True))
    enrolled = Enrollment.objects.filter(person_id__in=people, ended_on__isnull=True)
    return Scope(
        kind="student" if kind == Identity.Kind.STUDENT else "guardian",
        school_ids=frozenset(enrolled.values_list("school_id", flat=True)),
        class_ids=frozenset(enrolled.values_list("school_class_id", flat=True)),
        person_ids=frozenset(people),
    )


def actor_for(account: Account, identity: Identity | None, via_token: bool = False) -> Actor:
    """The Actor for an account acting as one of its identities; its scope is computed on first use."""
    return Actor(account=account, identity=identity, via_token=via_token, scope_rule=scope_of)
