"""The demo region: one province, one city, three districts, twelve registered schools with full
structures and about 19,000 students with their parents and teachers, plus one school that is not
yet registered (to show ORG-2's message). Deterministic: the same seed gives the same people.

Everything is written with bulk inserts in one transaction, so it takes seconds, not minutes.
"""

from __future__ import annotations

import random
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from renrentong.core.text import id_number_check_digit
from renrentong.orgs.models import Campus, Cohort, FaqEntry, Policy, Region, School, SchoolClass, Stage

from renrentong.accounts.models import (
    Account, CourseArrangement, Enrollment, Guardianship, HeadTeacher, Identity, TeachingAssignment,
)
from renrentong.accounts.people.services import NewPerson, create_people_with_accounts
from renrentong.demo.activities import publish_demo_activities
from renrentong.demo.classroom import publish_demo_resources
from renrentong.demo.textbooks import install_demo_textbooks
from renrentong.demo.notices import send_demo_notices
from renrentong.evaluation.services import install_standard_catalogue

DEMO_PASSWORD = "Demo@2026"
DERIVED_RULES = {"student_initial_rule": "pw_account_last6", "parent_initial_rule": "pw_phone_last6",
                 "teacher_initial_rule": "phone_last6"}
SCHOOL_YEAR = 2026
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "子涵浩然欣怡梓轩一诺雨桐宇轩思远佳怡俊杰诗琪博文晨阳若曦明轩雅婷嘉懿天佑紫萱泽宇可馨书瑶志强建华丽娟秀英海燕红梅"
MOBILE_PREFIXES = ["134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183",
                   "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181", "189"]
SUBJECTS = {"primary": ["语文", "数学", "英语", "科学"], "junior": ["语文", "数学", "英语", "物理"],
            "senior": ["语文", "数学", "英语", "物理", "化学"]}
DISTRICTS = [("芙蓉区", "430102"), ("天心区", "430103"), ("岳麓区", "430104")]
# (stage level, school system, classes per grade, students per class)
SCHOOL_KINDS = [
    ("小学", [("primary", "6-3", 6, 42)]),
    ("初级中学", [("junior", "6-3", 12, 45)]),
    ("高级中学", [("senior", "6-3", 12, 50)]),
    ("九年一贯制学校", [("primary", "5-4", 4, 40), ("junior", "5-4", 4, 45)]),
]


def demo_faq(province: Region, city: Region) -> list[tuple[Region, str, str, str]]:
    """The demo's FAQ (HELP-2): the province answers for logins and codes, the city for its own procedures."""
    return [
        (province, "用户登录", "忘记密码怎么办？",
         "在登录页点“忘记密码”，用绑定的手机号接收验证码后自助重置。学生也可以请家长在“孩子”页重置。\n"
         "没有绑定手机的，请联系学校管理员重置。"),
        (province, "用户登录", "忘记账号怎么办？",
         "学生的账号印在学校发的开通单上；家长用学校登记的手机号登录。也可以在登录页选择“短信验证码登录”。"),
        (province, "手机及短信", "收不到短信验证码？",
         "验证码 30 分钟内有效。请核对手机号，并暂时关闭短信拦截软件；3 分钟后仍未收到可以重新获取（每天有次数限制）。"),
        (city, "实名认证", "实名认证时提示“实名信息不存在或不正确”？",
         "请核对姓名和身份证号是否与学校登记的一致、是否填错位置。学校还没有录入的，请联系学校管理员补录后再认证。"),
        (city, "转学", "学生转学后，账号和成长记录怎么办？",
         "账号随人不随校：由转入学校发起转学申请，转出学校同意后，账号和成长记录一起转到新学校，不必重新注册。"),
    ]


class DemoBuilder:
    def __init__(self, seed: int = 2026, scale: float = 1.0, derived_initial_passwords: bool = True) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.derived_initial_passwords = derived_initial_passwords
        self.used_numbers: set[int] = set()
        self.used_phones: set[str] = set()
        self.id_seq: dict[tuple[str, date], int] = {}
        self.now = timezone.now()

    # -- generators ------------------------------------------------------------------------------
    def name(self, surname: str | None = None) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return (surname or self.rng.choice(SURNAMES)) + given

    def account_number(self, digits: int = 9) -> str:
        low, high = (10_000_000, 99_999_999) if digits == 8 else (100_000_000, 999_999_999)
        while True:
            n = self.rng.randint(low, high)
            if n not in self.used_numbers:
                self.used_numbers.add(n)
                return str(n)

    def phone(self) -> str:
        while True:
            p = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"
            if p not in self.used_phones:
                self.used_phones.add(p)
                return p

    def id_number(self, area: str, birth: date, sex: str) -> str:
        key = (area, birth)
        seq = self.id_seq.get(key, self.rng.randint(0, 200)) + 1
        if (seq % 2 == 1) != (sex == "M"):  # the 17th digit is odd for men, even for women
            seq += 1
        self.id_seq[key] = seq
        body = f"{area}{birth:%Y%m%d}{seq % 1000:03d}"
        return body + id_number_check_digit(body)

    def birth(self, year: int) -> date:
        return date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    # -- building --------------------------------------------------------------------------------
    def person(self, name: str, sex: str, id_number: str | None, role: str | None, school: School | None,
               phone: str | None = None, digits: int = 9) -> NewPerson:
        """A person with an account for the one constructor: its number drawn from the seed (the same seed
        gives the same logins), its initial password by the school's rule for the role."""
        return NewPerson(name=name, sex=sex, id_number=id_number or "", role=role, phone=phone,
                         school_id=school.pk if school else None, number=self.account_number(digits))

    @transaction.atomic
    def build(self) -> None:
        province = Region.objects.create(kind="province", name="湖南省", code="430000", support_contact="400-800-1234")
        # The demo keeps the derived rules its printed demo logins use (`manage.py demo_logins`), and says so:
        # the settings page warns about them. A new region draws random initial passwords (issue 10).
        # Without them (--random-initial-passwords) the demo region keeps the platform's random default.
        if self.derived_initial_passwords:
            Policy.objects.create(region=province, values=DERIVED_RULES)
        city = Region.objects.create(kind="city", name="长沙市", code="430100", parent=province,
                                     support_contact="0731-8888-1234")
        districts = [Region.objects.create(kind="district", name=n, code=c, parent=city) for n, c in DISTRICTS]
        FaqEntry.objects.bulk_create([FaqEntry(region=region, category=category, question=q, answer=a, position=i)
                                      for i, (region, category, q, a) in enumerate(demo_faq(province, city))])

        schools: list[tuple[School, list]] = []
        n = 0
        for d_index, district in enumerate(districts):
            for kind_name, stages in SCHOOL_KINDS:
                n += 1
                # The school's system is its stages' (issue 10: the header said 六三制 over 五四制 stages).
                school = School.objects.create(
                    district=district, name=f"{district.name[:2]}第{n}{kind_name}", code=f"S{district.code}{n:02d}",
                    school_year=SCHOOL_YEAR, admin_contact=f"0731-8{d_index}{n:02d}-0000", system=stages[0][1],
                )
                schools.append((school, stages))
        unregistered = School.objects.create(
            district=districts[0], name="芙蓉新建实验学校", code="S43010299", school_year=SCHOOL_YEAR, registered=False
        )
        schools.append((unregistered, [("primary", "6-3", 1, 30)]))

        people: list[NewPerson] = []  # each with its account
        admins: list[int] = []  # people whose accounts get the demo password
        identities: list[tuple[int, str, School | None, Region | None]] = []  # (account index, kind, ...)
        enrollments: list[tuple[int, SchoolClass, School]] = []  # (person index, class, school)
        guardianships: list[tuple[int, int, str]] = []  # (guardian person idx, student idx, relation)
        teaching: list[tuple[int, SchoolClass, str]] = []  # (identity idx, class, subject)
        heads: list[tuple[int, SchoolClass]] = []
        parent_by_phone: dict[str, int] = {}  # phone -> person index (siblings share)
        recent_parents: list[tuple[str, str]] = []  # (phone, surname) of families with a sibling to come

        def add(person: NewPerson) -> int:
            people.append(person)
            return len(people) - 1

        for school, stages in schools:
            area = school.district.code
            campus = Campus.objects.create(school=school, name="本部")
            teacher_idx: list[int] = []
            classes: list[tuple[SchoolClass, str]] = []
            for level, system, per_grade, size in stages:
                stage = Stage.objects.create(campus=campus, level=level, system=system)
                for offset in range(stage.years):
                    cohort = Cohort.objects.create(stage=stage, enrollment_year=SCHOOL_YEAR - offset)
                    for number in range(1, max(1, round(per_grade * self.scale)) + 1):
                        code = f"{school.code[-4:]}{level[0].upper()}{cohort.enrollment_year % 100:02d}{number:02d}"
                        sc = SchoolClass.objects.create(school=school, cohort=cohort, number=number, code=code)
                        sc.cohort = cohort
                        classes.append((sc, level))
                        grade = stage.first_grade + offset
                        for _ in range(size):
                            sex = self.rng.choice("MF")
                            birth_year = SCHOOL_YEAR - 6 - grade + 1
                            id_number = self.id_number(area, self.birth(birth_year), sex)
                            # Families with two children in the region share one parent phone (ACC-3).
                            sibling_of = None
                            if recent_parents and self.rng.random() < 0.06:
                                sibling_of = recent_parents.pop(self.rng.randrange(len(recent_parents)))
                            surname = sibling_of[1] if sibling_of else self.rng.choice(SURNAMES)
                            name = self.name(surname)
                            digits = 8 if self.rng.random() < 0.5 else 9
                            person = self.person(name, sex, id_number, "student", school, digits=digits)
                            person.local_student_number = f"L{id_number[:6]}{len(people):08d}"
                            person.national_student_number = f"G{id_number}"
                            student = add(person)
                            identities.append((student, Identity.Kind.STUDENT, school, None))
                            enrollments.append((student, sc, school))
                            phones = [sibling_of[0]] if sibling_of else [self.phone()]
                            if not sibling_of and self.rng.random() < 0.5:
                                phones.append(self.phone())
                            for k, phone in enumerate(phones):
                                relation = "father" if k == 0 else "mother"
                                if phone not in parent_by_phone:
                                    p_sex = "M" if relation == "father" else "F"
                                    p_name = self.name(surname if relation == "father" else None)
                                    p_id = self.id_number(area, self.birth(birth_year - self.rng.randint(24, 38)),
                                                          p_sex)
                                    idx = add(self.person(p_name, p_sex, p_id, "parent", school, phone=phone))
                                    parent_by_phone[phone] = idx
                                    identities.append((idx, Identity.Kind.GUARDIAN, None, None))
                                guardianships.append((parent_by_phone[phone], student, relation))
                            if not sibling_of and self.rng.random() < 0.07:
                                recent_parents.append((phones[0], surname))
            # Teachers: a head teacher per class, and subject teachers shared by two classes each.
            for i, (sc, level) in enumerate(classes):
                subjects = SUBJECTS[level]
                if i % 2 == 0:
                    group = []
                    for subject in subjects:
                        sex = self.rng.choice("MF")
                        phone = self.phone()
                        t_name = self.name()
                        t_id = self.id_number(area, self.birth(self.rng.randint(1970, 1998)), sex)
                        idx = add(self.person(t_name, sex, t_id, "teacher", school, phone=phone))
                        identities.append((idx, Identity.Kind.TEACHER, school, None))
                        group.append(len(identities) - 1)
                        teacher_idx.append(idx)
                    shared = group
                for subject, ident in zip(subjects, shared, strict=True):
                    teaching.append((ident, sc, subject))
                heads.append((shared[i % len(shared)] if i % 2 == 0 else shared[(i + 1) % len(shared)], sc))
            # The school admin is one of the teachers, so the account holds two identities (ACC-1).
            admin_account = teacher_idx[0]
            admins.append(admin_account)
            identities.append((admin_account, Identity.Kind.SCHOOL_ADMIN, school, None))
            if school.registered and school.pk == schools[0][0].pk:
                # A teacher who is also a parent, on the same phone (seed 000 #9).
                teacher_parent = teacher_idx[1]
                identities.append((teacher_parent, Identity.Kind.GUARDIAN, None, None))
                guardianships.append((teacher_parent, enrollments[-1][0], "mother"))

        # Region admins get a real (Argon2) password so the demo can be explored at once.
        region_admins = [(province, "省级管理员"), (city, "市局管理员")] + [(d, "区县管理员") for d in districts]
        for region, label in region_admins:
            name = self.name()
            number = self.account_number()
            idx = add(NewPerson(name=name, sex="F", phone=self.phone(), number=number))  # no role: no initial password
            admins.append(idx)
            identities.append((idx, Identity.Kind.REGION_ADMIN, None, region))

        made = create_people_with_accounts(people, now=self.now)
        person_ids = [m.person_id for m in made]
        account_ids = [m.account_id for m in made]
        # The administrators explore the demo at once with its printed password (Argon2, as a chosen one).
        Account.objects.filter(pk__in=[account_ids[i] for i in admins]).update(
            password=make_password(DEMO_PASSWORD), initial_password_rule="", initial_password_digest="",
            initial_password_issued_at=None, initial_password_sealed=None)
        identity_rows = Identity.objects.bulk_create(
            [Identity(account_id=account_ids[a], kind=k, school=s, region=r, created_at=self.now)
             for a, k, s, r in identities],
            batch_size=2000,
        )
        today = timezone.localdate()
        Enrollment.objects.bulk_create(
            [Enrollment(person_id=person_ids[p], school_class=c, school=s, started_on=today, reason="demo")
             for p, c, s in enrollments],
            batch_size=2000,
        )
        Guardianship.objects.bulk_create(
            # The school's own records: these parents set their children's passwords for good.
            [Guardianship(guardian_id=person_ids[g], student_id=person_ids[s], relation=r, added_by_school=True)
             for g, s, r in guardianships],
            batch_size=2000, ignore_conflicts=True,
        )
        TeachingAssignment.objects.bulk_create(
            [TeachingAssignment(teacher=identity_rows[i], school_class=c, subject=s) for i, c, s in teaching],
            batch_size=2000,
        )
        # Every taught subject is an arranged course of its class (ADM-2), as the grid shows it.
        CourseArrangement.objects.bulk_create(
            [CourseArrangement(school_class=c, subject=s) for _, c, s in teaching], batch_size=2000,
        )
        HeadTeacher.objects.bulk_create(
            [HeadTeacher(teacher=identity_rows[i], school_class=c) for i, c in heads], batch_size=2000
        )
        # The city's evaluation catalogue (EVA-1): seed 000's 5 dimensions and 23 items.
        install_standard_catalogue(city, SCHOOL_YEAR)
        send_demo_notices()
        publish_demo_activities()
        # The province's textbook catalogue (RES-4), which resources, practice and lesson preparation hang on.
        install_demo_textbooks(province)
        # The smart classroom's resources on those chapters, and recommended courses (RES-1, RES-3).
        publish_demo_resources()
