"""Reads about accounts and people, always starting from what the Actor may see."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import BigIntegerField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from renrentong.core.actor import Actor, Scope
from renrentong.core.crypto import id_number_digest, national_student_number_digest
from renrentong.core.errors import UserFacingError
from renrentong.core.text import is_valid_id_number, normalize_id_number, normalize_text
from renrentong.verification.services import CodeRecipient
from renrentong.orgs.models import Region, School, SchoolClass
from renrentong.orgs.policy import EffectivePolicy, policy_for, support_contact

from renrentong.accounts.family.access import acting_as_guardian
from renrentong.accounts.models import Account, Enrollment, Guardianship, HeadTeacher, Identity, Person, TeachingAssignment
from renrentong.accounts.people.pinyin import query_syllables, search_key


def region_descendants(region: Region) -> list[Region]:
    """The region and every region below it, nearest first, in one recursive query (a region admin's scope is
    read on each of their requests; a query per level was three for a province)."""
    table = Region._meta.db_table
    return list(Region.objects.raw(
        f"WITH RECURSIVE below (id, depth) AS (SELECT id, 0 FROM {table} WHERE id = %s "
        f"UNION ALL SELECT r.id, b.depth + 1 FROM {table} r JOIN below b ON r.parent_id = b.id) "
        f"SELECT r.* FROM {table} r JOIN below b ON r.id = b.id ORDER BY b.depth, r.id", [region.pk]))


def policy_for_account(account: Account) -> EffectivePolicy:
    """The policy an account lives under: its school's, else its admin region's, else the platform's."""
    if account.home_school_id:
        return policy_for(school=account.home_school)
    admin = account.identities.filter(kind=Identity.Kind.REGION_ADMIN).select_related("region").first()
    return policy_for(region=admin.region if admin else None)


def contact_for(account: Account | None) -> str:
    """The support contact shown with an error: the account's school's, else its region's, else the platform's."""
    return support_contact(account.home_school if account else None)


def code_recipient(account: Account | None) -> CodeRecipient:
    """Who a verification code is sent for, as the code sender needs to know them (it reads no account)."""
    if account is None:
        return CodeRecipient(contact=contact_for(None))
    admin = account.identities.filter(kind__in=(Identity.Kind.REGION_ADMIN, Identity.Kind.SCHOOL_ADMIN)).exists()
    school = account.home_school if account.home_school_id else None
    return CodeRecipient(account_id=account.pk, admin=admin, school_id=account.home_school_id,
                         district_id=school.district_id if school else None, contact=contact_for(account))


def people_in_scope(scope: Scope, qs: QuerySet[Person]) -> QuerySet[Person]:
    """Persons the scope may read: students enrolled in scope, staff of schools in scope."""
    enrolled = Enrollment.objects.filter(ended_on__isnull=True)
    # A student taken out of a class waits in the school's pool: a student identity and home school
    # there, and no open enrollment anywhere (schooladmin.users).
    # NOT EXISTS on the person's open enrollment, by its index: an exclude() across the relation wrote it as
    # NOT (EXISTS ... OR person IS NULL), which the planner cannot turn into an anti-join, so it hashed every
    # person's enrollments on each call (bench/bench_roster_partitions.py).
    pooled = Identity.objects.filter(kind=Identity.Kind.STUDENT, account__person__isnull=False).exclude(
        Exists(Enrollment.objects.filter(person_id=OuterRef("account__person_id"), ended_on__isnull=True)))
    # Staff only: a student identity keeps naming its old school after a transfer, so it must not
    # let that school's admins follow the student to the new one.
    staff_kinds = (Identity.Kind.TEACHER, Identity.Kind.SCHOOL_ADMIN)
    if scope.whole_districts:
        staff = Identity.objects.filter(kind__in=staff_kinds, school__district_id__in=scope.district_ids)
        pool = pooled.filter(school__district_id__in=scope.district_ids,
                             account__home_school__district_id__in=scope.district_ids)
        return _any_holds(qs, enrolled.filter(school__district_id__in=scope.district_ids), staff, pool)
    if scope.whole_schools and not scope.class_members_only:
        staff = Identity.objects.filter(kind__in=staff_kinds, school_id__in=scope.school_ids)
        pool = pooled.filter(school_id__in=scope.school_ids, account__home_school_id__in=scope.school_ids)
        return _any_holds(qs, enrolled.filter(school_id__in=scope.school_ids), staff, pool)
    if scope.class_members_only:
        return qs.filter(pk__in=enrolled.filter(school_class_id__in=scope.class_ids).values("person_id"))
    return qs.filter(pk__in=scope.person_ids)


def _any_holds(qs: QuerySet[Person], enrolled: QuerySet, staff: QuerySet, pool: QuerySet) -> QuerySet[Person]:
    """The persons of `qs` enrolled, on the staff or in the pool, each checked for that person by its index
    (EXISTS), the first that holds ending the check. Every caller asks about a few persons (one id, a class, an
    ID digest); as IN-lists the three were built whole for each call: every student of a district's schools
    hashed to answer for one person (bench/bench_roster_partitions.py)."""
    person = OuterRef("pk")
    return qs.filter(Exists(enrolled.filter(person_id=person)) | Exists(staff.filter(account__person_id=person))
                     | Exists(pool.filter(account__person_id=person)))


SEARCH_LIMIT = 64


def pinyin_prefix(field: str, key: str) -> Q:
    """`field` starts with `key` (lowercase letters), written so that an index can seek on it: SQLite's
    LIKE ignores case and so scans its (binary) index, while key <= value < next key is a range both
    databases seek (the stored pinyin is lowercase ASCII letters and digits only); the LIKE stays for
    exactness."""
    found = Q(**{f"{field}__startswith": key, f"{field}__gte": key})
    stem = key.rstrip("z")
    if stem:
        found &= Q(**{f"{field}__lt": stem[:-1] + chr(ord(stem[-1]) + 1)})
    return found


def _mixed_pinyin(key: str) -> Q | None:
    """Syllables and initials typed together ("dinglj", "dlijia" for 丁丽佳): the initials start with the
    pieces' first letters, and the pinyin holds the pieces in order from its start."""
    pieces = query_syllables(key)
    if len(pieces) < 2 or all(len(p) == 1 for p in pieces) or all(len(p) > 1 for p in pieces):
        return None  # one syllable, initials only, or whole syllables only: the plain prefixes cover them
    pattern = "^" + ".*".join(re.escape(p) for p in pieces)
    return pinyin_prefix("person__name_initials", "".join(p[0] for p in pieces)) & Q(
        person__name_pinyin__regex=pattern)


def account_search(query: str) -> Q | None:
    """The one search of people's accounts (issue 12), for the user tables, the recycle bin, the reset
    candidates and their API endpoints: a filter on Account, or None for an empty query.

    One query matches any of: the name (a part of it), its pinyin or initials (their start: "dinglijia",
    "dingl", "dlj" find 丁丽佳), the account number (its start), the phone (whole: phones are stored
    plain on the account), the local student number (whole), the national student number or ID number
    (whole, compared by their keyed digests: they are stored sealed)."""
    value = normalize_text(query)[:SEARCH_LIMIT]
    if not value:
        return None
    # Account numbers are digits, or a name a teacher chose at registration, kept in lower case.
    found = (Q(person__name__icontains=value) | Q(number__startswith=value if value.isdigit() else value.lower())
             | Q(person__local_student_number=value)
             | Q(person__national_student_number_digest=national_student_number_digest(value.upper())))
    key = search_key(value)
    if key:
        found |= pinyin_prefix("person__name_pinyin", key) | pinyin_prefix("person__name_initials", key)
        mixed = _mixed_pinyin(key)
        if mixed is not None:
            found |= mixed
    if value.isdigit() and len(value) == 11:
        found |= Q(phone=value)
    id_number = normalize_id_number(value)
    if len(id_number) == 18 and is_valid_id_number(id_number):
        found |= Q(person__id_number_digest=id_number_digest(id_number))
    return found


def find_accounts(identifier: str) -> list[Account]:
    """Accounts an identifier may name: account number, phone, ID number or student number (AUTH-1)."""
    value = normalize_text(identifier)
    if not value:
        return []
    # Account numbers are digits; a name a teacher chose at registration is kept in lower case.
    number = value if value.isdigit() else value.lower()
    found = list(Account.objects.filter(number=number).select_related("person", "home_school"))
    if found:
        return found
    if value.isdigit() and len(value) == 11:
        found = list(Account.objects.filter(phone=value).select_related("person", "home_school"))
        if found:
            return found
    people = Person.objects.none()
    if len(value) == 18:
        people = Person.objects.filter(id_number_digest=id_number_digest(normalize_id_number(value)))
    if not people.exists():
        people = Person.objects.filter(local_student_number=value) | Person.objects.filter(
            national_student_number_digest=national_student_number_digest(value.upper())
        )
    return list(Account.objects.filter(person__in=people).select_related("person", "home_school"))


def identities_of(account: Account) -> QuerySet[Identity]:
    return account.identities.select_related("school", "region").order_by("pk")


def own_identity(account: Account, identity_id: int) -> Identity:
    identity = identities_of(account).filter(pk=identity_id).first()
    if identity is None:
        raise UserFacingError("identity.not_yours")
    return identity


@dataclass(frozen=True)
class ChildView:
    person: Person
    account_number: str
    school: School | None
    school_class: SchoolClass | None
    relation: str


def children_of(actor: Actor) -> list[ChildView]:
    """A guardian's children, each with their current school and class (ACC-3)."""
    if not acting_as_guardian(actor):
        return []
    scope = actor.scope
    links = {
        g.student_id: g.get_relation_display()
        for g in Guardianship.objects.filter(guardian_id=actor.account.person_id, student_id__in=scope.person_ids)
    }
    enrollments = {
        e.person_id: e
        for e in Enrollment.objects.filter(person_id__in=links, ended_on__isnull=True).select_related(
            "school", "school_class__cohort__stage", "school_class__school"
        )
    }
    numbers = dict(Account.objects.filter(person_id__in=links).values_list("person_id", "number"))
    result = []
    for person in Person.objects.filter(pk__in=links).order_by("pk"):
        enrollment = enrollments.get(person.pk)
        result.append(ChildView(
            person=person,
            account_number=numbers.get(person.pk, ""),
            school=enrollment.school if enrollment else None,
            school_class=enrollment.school_class if enrollment else None,
            relation=links[person.pk],
        ))
    return result


def current_enrollment(person_id: int | None) -> Enrollment | None:
    if person_id is None:
        return None
    enrollment = (Enrollment.objects.filter(person_id=person_id, ended_on__isnull=True)
                  .select_related("school_class__cohort__stage", "school_class__school").first())
    # The school joined once: an enrollment's school is its class's. PostgreSQL took 0.7 ms to plan the query
    # joining it twice (the token endpoint reads this on every exchange), 0.3 ms once.
    if enrollment is not None and enrollment.school_id == enrollment.school_class.school_id:
        enrollment.school = enrollment.school_class.school
    return enrollment


def enrollment_history(person_id: int | None) -> list[Enrollment]:
    """A student's classes, newest first: the growth tab's timeline (transfers, promotions, graduation)."""
    if person_id is None:
        return []
    return list(
        Enrollment.objects.filter(person_id=person_id)
        .select_related("school", "school_class__cohort__stage", "school_class__school")
        .order_by("-started_on", "-pk")
    )


def courses_taught(identity: Identity) -> list[tuple[SchoolClass, str]]:
    """What a teacher teaches (任教): (class, subject) from the teaching assignments, in grade and class order.
    The one answer to the question: the home page, "my teaching" and the school's grid all read it, so
    they cannot disagree (issue 10: the grid and "my teaching" read the course arrangement instead)."""
    rows = TeachingAssignment.objects.filter(teacher=identity).select_related(
        "school_class__cohort__stage", "school_class__school").order_by(
        "school_class__cohort__enrollment_year", "school_class__number", "subject")
    return [(t.school_class, t.subject) for t in rows]


def classes_of_teacher(actor: Actor) -> list[tuple[SchoolClass, list[str], bool]]:
    """A teacher's classes: (class, subjects taught there, whether they are its head teacher)."""
    identity = actor.require_identity()
    subjects: dict[int, list[str]] = {}
    classes: dict[int, SchoolClass] = {}
    for school_class, subject in courses_taught(identity):
        classes.setdefault(school_class.pk, school_class)
        subjects.setdefault(school_class.pk, []).append(subject)
    for head in HeadTeacher.objects.filter(teacher=identity).select_related("school_class__cohort__stage",
                                                                            "school_class__school"):
        classes.setdefault(head.school_class_id, head.school_class)
    headed = set(HeadTeacher.objects.filter(teacher=identity).values_list("school_class_id", flat=True))
    ordered = sorted(classes.values(), key=lambda c: (c.cohort.enrollment_year, c.number, c.pk))
    return [(c, sorted(subjects.get(c.pk, [])), c.pk in headed) for c in ordered]


def students_of_class(actor: Actor, class_id: int) -> list[tuple[Person, str]]:
    """Students currently enrolled in a class the actor may see members of, with account numbers."""
    school_class = actor.scope.class_members(SchoolClass.objects.all()).filter(pk=class_id).first()
    if school_class is None:
        raise UserFacingError("scope.not_found")
    # The enrollment's school is its class's: naming it lets a school-partitioned table read one partition.
    people = Person.objects.filter(
        enrollments__school_class=school_class, enrollments__school_id=school_class.school_id,
        enrollments__ended_on__isnull=True,
    ).exclude(account__status=Account.Status.DELETED).order_by("name", "pk")  # the recycle bin is not the class
    people = list(people_in_scope(actor.scope, people))
    # The numbers of the people just read, by their ids: not the scoped query a second time.
    numbers = dict(Account.objects.filter(person_id__in=[p.pk for p in people]).values_list("person_id", "number"))
    return [(p, numbers.get(p.pk, "")) for p in people]


def person_in_scope(actor: Actor, person_id: int) -> Person:
    person = people_in_scope(actor.scope, Person.objects.all()).filter(pk=person_id).first()
    if person is None:
        raise UserFacingError("scope.not_found")
    return person



# Notice audiences (MSG-1): who a notice addresses, as querysets of rows
# (school_id, class_id, account_id, student_person_id) that the notices app inserts set-based
# (INSERT ... SELECT), never a query per recipient. `on` is the day the audience is fixed.
REACHABLE = (Account.Status.ACTIVE, Account.Status.FROZEN, Account.Status.PENDING)


def _enrolled_on(on, class_ids: list[int] | None, school_id: int | None, school_ids: list[int] | None = None) -> Q:
    where = Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    if class_ids is not None:
        where &= Q(school_class_id__in=class_ids)
    if school_id is not None:
        where &= Q(school_id=school_id)
    if school_ids is not None:
        where &= Q(school_id__in=school_ids)
    return where


def _joined_to_accounts(enrollments: QuerySet, person_column: str) -> QuerySet:
    """The enrollments joined straight to the reachable accounts of `person_column` (a column of
    accounts_enrollment or accounts_guardianship) by account.person_id: no hop through accounts_person,
    which the ORM's relation paths would add (two more index probes per row of a city's fan-out)."""
    account = Account._meta.db_table
    return enrollments.extra(
        tables=[account],
        where=[f'"{account}"."person_id" = {person_column}',
               f'"{account}"."status" IN ({", ".join(["%s"] * len(REACHABLE))})'],
        params=list(REACHABLE),
        select={"audience_account_id": f'"{account}"."id"'},
    )


def audience_parents(on, *, class_ids: list[int] | None = None, school_id: int | None = None,
                     school_ids: list[int] | None = None) -> QuerySet:
    """Rows (school_id, class_id, the parent's account_id, the child's person_id): enrollments of the day
    joined to their guardianships and the guardians' reachable accounts."""
    enrollment, guardianship = Enrollment._meta.db_table, Guardianship._meta.db_table
    enrollments = Enrollment.objects.filter(_enrolled_on(on, class_ids, school_id, school_ids)).extra(
        tables=[guardianship], where=[f'"{guardianship}"."student_id" = "{enrollment}"."person_id"'])
    return _joined_to_accounts(enrollments, f'"{guardianship}"."guardian_id"').values_list(
        "school_id", "school_class_id", "audience_account_id", "person_id")


def audience_students(on, *, class_ids: list[int] | None = None, school_id: int | None = None,
                      school_ids: list[int] | None = None) -> QuerySet:
    enrollments = Enrollment.objects.filter(_enrolled_on(on, class_ids, school_id, school_ids))
    return _joined_to_accounts(enrollments, f'"{Enrollment._meta.db_table}"."person_id"').values_list(
        "school_id", "school_class_id", "audience_account_id", "person_id")


def audience_teachers(*, class_ids: list[int] | None = None, school_id: int | None = None,
                      school_ids: list[int] | None = None) -> list[QuerySet]:
    """Teachers of the classes (teaching or heading them), or every teacher of a school (class 0)."""
    if class_ids is None:
        schools = Q(school_id=school_id) if school_ids is None else Q(school_id__in=school_ids)
        return [Identity.objects.filter(schools, kind=Identity.Kind.TEACHER, account__status__in=REACHABLE).annotate(
            no_class=Value(0, output_field=BigIntegerField()), no_child=Value(0, output_field=BigIntegerField())
        ).values_list("school_id", "no_class", "account_id", "no_child")]
    zero = Value(0, output_field=BigIntegerField())
    return [
        model.objects.filter(school_class_id__in=class_ids, teacher__account__status__in=REACHABLE).annotate(
            no_child=zero).values_list("school_class__school_id", "school_class_id", "teacher__account_id", "no_child")
        for model in (TeachingAssignment, HeadTeacher)
    ]


# A notice's roles (notices.models.Notice.Role) and the querysets of who holds each in an audience.
_AUDIENCES = {
    "parent": lambda on, **place: [audience_parents(on, **place)],
    "student": lambda on, **place: [audience_students(on, **place)],
    "teacher": lambda on, **place: audience_teachers(**place),
}
_TEACHER_ACCOUNT = {Identity: "account_id", TeachingAssignment: "teacher__account_id", HeadTeacher: "teacher__account_id"}


def people_names(person_ids) -> dict[int, str]:
    """Names of people by id (the children of an audience's rows), one query."""
    return dict(Person.objects.filter(pk__in=list(person_ids)).values_list("pk", "name"))


def audience_account_column(qs: QuerySet) -> str:
    """The name of an audience queryset's account id column when it is selected from as a subquery (values_list
    names each column after its lookup)."""
    return _TEACHER_ACCOUNT.get(qs.model, "audience_account_id")


def audience_account_ids(role: str, on, **place) -> list[RawSQL]:
    """The account ids holding `role` in an audience, one column each, for `pk__in=` (to count them). Raw
    SQL, because the audience joins name their tables (QuerySet.extra) and a subquery would re-alias them."""
    return [RawSQL(*qs.values_list(_TEACHER_ACCOUNT.get(qs.model, "audience_account_id"), flat=True)
                   .query.sql_with_params()) for qs in _AUDIENCES[role](on, **place)]


def empty_roles(on, *, roles: list[str], class_ids: list[int] | None = None,
                school_ids: list[int] | None = None) -> list[str]:
    """The chosen roles nobody in the audience holds an account for (no parent phone imported yet), found
    before sending, so a notice to nobody is refused with its reason before anything is written. Per role
    one EXISTS query on the first school, and only where it has nobody, one on all of them: a city's notice
    names hundreds of schools, and the first one almost always answers."""
    if class_ids is not None:
        places: list[dict] = [dict(class_ids=class_ids)]
    elif school_ids:
        ordered = list(school_ids)
        places = [dict(school_ids=ordered[:1])] + ([dict(school_ids=ordered)] if len(ordered) > 1 else [])
    else:
        return list(roles)
    empty = []
    for role in roles:
        found = False
        for place in places:
            found = any(qs.exists() for qs in _AUDIENCES[role](on, **place))
            if found:
                break
        if not found:
            empty.append(role)
    return empty
