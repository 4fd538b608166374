"""Test data builders. People get valid ID numbers and phones; passwords stay initial (no Argon2)
unless a test sets one, so building a world costs milliseconds."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from functools import cache

import factory
from django.contrib.auth.hashers import make_password

from renrentong.accounts.models import (
    Account, Enrollment, Guardianship, HeadTeacher, Identity, Person, TeachingAssignment,
)
from renrentong.accounts.passwords.services import issue_initial_password
from renrentong.core.text import id_number_check_digit
from renrentong.accounts.login.events import LoginOutcome
from renrentong.accounts.login.services import issue_token
from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage
from renrentong.orgs.policy import EffectivePolicy

_ids = itertools.count(1)
_phones = itertools.count(10_000_000)

NEW_PASSWORD = "Xk9#mPq2vL"


def make_id_number(birth: date = date(2015, 5, 17), sex: str = "M", area: str = "430102") -> str:
    n = next(_ids) * 2 + (1 if sex == "M" else 0)
    body = f"{area}{birth:%Y%m%d}{n % 1000:03d}"
    return body + id_number_check_digit(body)


def make_phone() -> str:
    return f"138{next(_phones):08d}"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    kind = Region.Kind.DISTRICT
    name = factory.Sequence(lambda n: f"区{n}")
    code = factory.Sequence(lambda n: f"{430200 + n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"第{n}小学")
    code = factory.Sequence(lambda n: f"T{n:05d}")
    school_year = 2026
    registered = True


def make_class(school: School, number: int = 1, enrollment_year: int = 2024, level: str = "primary",
               system: str = "6-3") -> SchoolClass:
    campus = Campus.objects.filter(school=school).first() or Campus.objects.create(school=school, name="本部")
    stage, _ = Stage.objects.get_or_create(campus=campus, level=level, defaults={"system": system})
    cohort, _ = Cohort.objects.get_or_create(stage=stage, enrollment_year=enrollment_year)
    return SchoolClass.objects.create(
        school=school, cohort=cohort, number=number, code=f"{school.code}{enrollment_year % 100}{number:02d}"
    )


def make_person(name: str = "张三", sex: str = "M", id_number: str | None = "auto") -> Person:
    person = Person(name=name, sex=sex)
    if id_number:
        person.set_id_number(make_id_number(sex=sex) if id_number == "auto" else id_number)
    person.save()
    return person


_numbers = itertools.count(20_000_000)


def make_account(person: Person | None, *, phone: str | None = None, school: School | None = None,
                 rule: str = "pw_account_last6", status: str = Account.Status.ACTIVE) -> Account:
    account = Account(number=str(next(_numbers)), person=person, phone=phone, home_school=school, status=status)
    issue_initial_password(account, rule, EffectivePolicy())
    account.save()
    return account


def make_student(school_class: SchoolClass, name: str = "李小明", sex: str = "M", **kw) -> Account:
    person = make_person(name, sex)
    account = make_account(person, school=school_class.school, **kw)
    Identity.objects.create(account=account, kind=Identity.Kind.STUDENT, school=school_class.school)
    Enrollment.objects.create(person=person, school_class=school_class, school=school_class.school)
    return account


def make_parent(*children: Account, name: str = "李大明", phone: str | None = None) -> Account:
    person = make_person(name, "M")
    account = make_account(person, phone=phone or make_phone(), rule="pw_phone_last6",
                           school=children[0].home_school if children else None)
    Identity.objects.create(account=account, kind=Identity.Kind.GUARDIAN)
    for child in children:
        Guardianship.objects.create(guardian=person, student=child.person, relation="father")
    return account


def make_teacher(school: School, *, teaches: list[SchoolClass] = (), heads: list[SchoolClass] = (),
                 name: str = "王老师") -> Account:
    person = make_person(name, "F")
    account = make_account(person, phone=make_phone(), school=school, rule="phone_last6")
    identity = Identity.objects.create(account=account, kind=Identity.Kind.TEACHER, school=school)
    for school_class in teaches:
        TeachingAssignment.objects.create(teacher=identity, school_class=school_class, subject="数学")
    for school_class in heads:
        HeadTeacher.objects.create(teacher=identity, school_class=school_class)
    return account


def make_school_admin(school: School, account: Account | None = None) -> Account:
    account = account or make_account(make_person("赵校管", "F"), phone=make_phone(), school=school,
                                      rule="phone_last6")
    Identity.objects.create(account=account, kind=Identity.Kind.SCHOOL_ADMIN, school=school)
    return account


def make_region_admin(region: Region, name: str = "区管理员") -> Account:
    account = make_account(make_person(name, "F", id_number=None), phone=make_phone())
    Identity.objects.create(account=account, kind=Identity.Kind.REGION_ADMIN, region=region)
    return account


@cache
def _password_hash(password: str) -> str:
    # Argon2 takes a third of a second here; hash each password once, log in with it as often as needed.
    return make_password(password)


def give_password(account: Account, password: str = NEW_PASSWORD) -> Account:
    """A password of the user's own choosing, so the login goes past the forced change."""
    account.password = _password_hash(password)
    account.initial_password_rule = ""
    account.initial_password_digest = ""
    account.initial_password_issued_at = None
    account.save()
    return account


def as_user(client, account: Account, kind: str | None = None):
    """Log the test client in as the account, acting as its identity of `kind` (its only one by default)."""
    client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
    identities = account.identities.all()
    session = client.session
    session["identity_id"] = (identities.get(kind=kind) if kind else identities.get()).pk
    session.save()
    return client


def bearer(account: Account, kind: str | None = None) -> dict[str, str]:
    """Headers with a token acting as the account's identity of `kind` (its only one by default)."""
    identities = account.identities.all()
    identity = identities.get(kind=kind) if kind else identities.get()
    token = issue_token(LoginOutcome(account, identity, must_change_password=False))
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@dataclass
class World:
    """Two districts (X, Y) of one city, a school in each (A in X, B in Y), and every role."""

    province: Region
    city: Region
    district_x: Region
    district_y: Region
    school_a: School
    school_b: School
    class_a1: SchoolClass
    class_a2: SchoolClass
    class_b1: SchoolClass
    student_a: Account
    student_a2: Account
    parent_a: Account
    teacher_a: Account
    head_teacher_a: Account
    school_admin_a: Account
    student_b: Account
    parent_b: Account
    teacher_b: Account
    school_admin_b: Account
    district_admin_x: Account
    district_admin_y: Account
    city_admin: Account
    province_admin: Account


def build_world() -> World:
    province = Region.objects.create(kind="province", name="湖南省", code="430000", support_contact="400-800-1234")
    city = Region.objects.create(kind="city", name="长沙市", code="430100", parent=province)
    x = Region.objects.create(kind="district", name="芙蓉区", code="430102", parent=city)
    y = Region.objects.create(kind="district", name="天心区", code="430103", parent=city)
    a = SchoolFactory(district=x, name="芙蓉第一小学", code="A0001", admin_contact="0731-1111-0000")
    b = SchoolFactory(district=y, name="天心第一小学", code="B0001")
    a1, a2, b1 = make_class(a, 1), make_class(a, 2), make_class(b, 1)
    student_a = make_student(a1, "李小明")
    student_b = make_student(b1, "陈小红", "F")
    return World(
        province=province, city=city, district_x=x, district_y=y, school_a=a, school_b=b,
        class_a1=a1, class_a2=a2, class_b1=b1,
        student_a=student_a,
        student_a2=make_student(a2, "周小刚"),
        parent_a=make_parent(student_a, name="李大明"),
        teacher_a=make_teacher(a, teaches=[a1], name="王老师"),
        head_teacher_a=make_teacher(a, heads=[a1], name="刘班主任"),
        school_admin_a=make_school_admin(a),
        student_b=student_b,
        parent_b=make_parent(student_b, name="陈大红"),
        teacher_b=make_teacher(b, teaches=[b1], name="孙老师"),
        school_admin_b=make_school_admin(b),
        district_admin_x=make_region_admin(x, "芙蓉区管理员"),
        district_admin_y=make_region_admin(y, "天心区管理员"),
        city_admin=make_region_admin(city, "市局管理员"),
        province_admin=make_region_admin(province, "省管理员"),
    )


def use_derived_initial_rules(region) -> None:
    """The region chooses the rules derived from account numbers and phones (a new region draws random
    initial passwords, issue 10), for tests about what those rules give."""
    from renrentong.orgs.models import Policy

    policy, _ = Policy.objects.get_or_create(region=region)
    policy.values.update(student_initial_rule="pw_account_last6", parent_initial_rule="pw_phone_last6",
                         teacher_initial_rule="phone_last6")
    policy.save()


def set_rollover_window(world, start="07-01", end="06-30", auto="08-31"):
    """The province's rollover window; by default the whole year, so that the tests do not depend on the date."""
    from renrentong.orgs.models import Policy
    from renrentong.orgs.policy import policy_changed

    Policy.objects.update_or_create(region=world.province, defaults={"values": {
        "rollover_window_start": start, "rollover_window_end": end, "rollover_auto_date": auto}})
    policy_changed()


def make_rollover_due(world, year: int | None = None) -> int:
    """Puts both schools one year behind the target year; returns their school year."""
    from renrentong.orgs.policy import policy_for_school
    from renrentong.rollover.services import target_year

    year = year or target_year(date.today(), policy_for_school(world.school_a)) - 1
    School.objects.update(school_year=year)
    return year


def make_evaluation_catalogue(city, school_year: int = 2026) -> None:
    """The city's evaluation catalogue: the standard list of seed 000 (renrentong/evaluation/standard.py)."""
    from renrentong.evaluation.services import install_standard_catalogue

    install_standard_catalogue(city, school_year)


def open_evaluation_windows(world, school_year: int = 2026, schools=None) -> None:
    """Submission windows open today for the world's city and its schools (or the given ones)."""
    from datetime import timedelta

    from django.utils import timezone

    from renrentong.evaluation.models import SubmissionWindow

    today = timezone.localdate()
    span = {"opens_on": today - timedelta(days=10), "closes_on": today + timedelta(days=10)}
    SubmissionWindow.objects.create(region_id=world.city.pk, school_year=school_year, **span)
    for school in schools or (world.school_a, world.school_b):
        SubmissionWindow.objects.create(school_id=school.pk, school_year=school_year, **span)


def make_activity(publisher: Account, *, capacity: int = 10, approval: str = "auto", opens_in_days: int = -1,
                  closes_in_days: int = 5, starts_in_days: int = 7, cancel_in_days: int = 6, **fields):
    """An activity published through the service by a school admin (校园活动) or a region admin (社会实践);
    by default sign-up is open now, cancelling allowed for 6 days, the activity in a week."""
    from datetime import timedelta

    from django.utils import timezone

    from renrentong.accounts.access import actor_for
    from renrentong.activities.services import ActivityDraft, publish

    now = timezone.now()
    starts = now + timedelta(days=starts_in_days)
    draft = ActivityDraft(**{"title": "科技馆参观", "starts_at": starts, "ends_at": starts + timedelta(hours=3),
                             "place": "长沙市科技馆", "capacity": capacity, "approval": approval,
                             "signup_opens_at": now + timedelta(days=opens_in_days),
                             "signup_closes_at": now + timedelta(days=closes_in_days),
                             "cancel_until": now + timedelta(days=cancel_in_days),
                             "programme": "9:00 集合\n9:30 参观", "bring": "水杯", **fields})
    return publish(actor_for(publisher, publisher.identities.get()), draft)


def make_peer_class(world, size: int = 4, number: int = 9, school=None):
    """A graduating grade-9 class (junior secondary, enrolled 2024: grade 9 in the 2026 school year) of school A
    (or the given one) with `size` students; returns (class, [student accounts])."""
    school = school or world.school_a
    school_class = make_class(school, number, enrollment_year=2024, level="junior")
    names = ["张一", "王二", "李三", "赵四", "钱五", "孙六", "周七", "吴八"]
    return school_class, [make_student(school_class, names[i % len(names)] + ("" if i < 8 else str(i)))
                          for i in range(size)]


def open_peer_evaluation(world, school_year: int = 2026, schools=None, city: bool = True) -> None:
    """Peer evaluation (EVA-5) switched on by the city admin (which installs the standard criteria) and by the
    admins of school A and B (or the given schools' admins, as accounts)."""
    from renrentong.accounts.access import actor_for
    from renrentong.evaluation.peer.services import set_switch

    admins = schools if schools is not None else (world.school_admin_a, world.school_admin_b)
    for admin in ((world.city_admin,) if city else ()) + tuple(admins):
        set_switch(actor_for(admin, admin.identities.get()), school_year, True)
def make_written_records(student: Account, *, draft: int = 0, pending: int = 0, approved: int = 0, failed: int = 0,
                         item_code: str | None = "volunteer_service", school_year: int | None = None) -> None:
    """Written records of a student in the given states, written straight into the table (set-based), for
    tests of what is counted (evaluation progress, EVA-4); the flow itself is tested through the API."""
    from renrentong.accounts.models import Enrollment
    from renrentong.evaluation.models import EvidenceItem, WrittenRecord

    enrollment = Enrollment.objects.select_related("school").get(person_id=student.person_id, ended_on__isnull=True)
    year = school_year or enrollment.school.school_year
    item = EvidenceItem.objects.filter(code=item_code, school_year=year).first() if item_code else None
    rows = []
    for state, n in (("draft", draft), ("pending", pending), ("approved", approved), ("failed", failed)):
        rows += [WrittenRecord(
            school_id=enrollment.school_id, class_id=enrollment.school_class_id, school_year=year,
            student_id=student.person_id, author=student, author_kind="student", text=f"{state} {i}",
            happened_on=date(2026, 10, 1), item=item if state != "draft" else None, state=state,
            reason="照片不清楚" if state == "failed" else "") for i in range(n)]
    WrittenRecord.objects.bulk_create(rows)
