"""A deterministic student roster for the import benchmark, and the database it is imported into.

    .venv/bin/python bench/generate_roster.py roster.xlsx [--csv roster.csv] [--rows 100000] [--seed 2026]

writes the file only. The benchmark (bench/bench_import.py) also calls `setup_database(world)`, which
creates what the file refers to with bulk inserts: a province, a city and 4 districts, 40 schools with
their campuses, stages, cohorts and 2,500 classes, the city admin who imports the file, and the people
the conflict rows name (students enrolled elsewhere or in another class, graduates, teachers).

The file has a `学校` column (the school's code) on each row, so one city admin imports it for all 40
schools. Every row is a child of the right age for its grade with a valid resident ID number (district
area code, birth date, check digit) and a national and local student number; parents have valid
mobile phones, and about 6% of the students are siblings who share their parents' phones. A few per
cent of the rows carry each of the conflicts and errors of docs/imports.md; each row's expected outcome
is known (Row.expect), so the benchmark can check what the import decided.

Everything derives from the seed: the same seed gives byte-identical rows (xlsx files also hold a
creation date) and the same database.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from renrentong.core.text import id_number_check_digit  # pure Python: no Django setup needed

SCHOOL_YEAR = 2026
TODAY = date(2026, 9, 1)
SCHOOLS = 40
CLASSES = 2_500
ROWS = 100_000

# Share of the rows with each problem (docs/imports.md, "Outcomes and conflicts"). Every other row is a
# new student. Errors and conflicts are not imported; move and transfer_in are.
RATES = {
    "enrolled_elsewhere": 0.015,   # (c) enrolled at another school: conflict, a transfer request
    "move": 0.02,                  # (b) already in this school, another class: moved
    "graduated": 0.01,             # (a) graduated from another school: transferred in
    "teacher_id": 0.005,           # (e) the ID number is a teacher's: conflict
    "invalid_check_digit": 0.01,   # error
    "invalid_phone": 0.01,         # error
    "duplicate": 0.01,             # error: the same ID number as an earlier row
    "unknown_class": 0.01,         # error, with the offer to create the class
    "missing_name": 0.01,          # error
    "id_as_number": 0.002,         # error: Excel turned the ID into a number
    "unknown_school": 0.002,       # error
}
SIBLING_RATE = 0.03       # a row that is the younger sibling of an earlier row: ~6% of students in pairs
SECOND_PARENT_RATE = 0.45
TEACHER_PARENT_RATE = 0.003  # a parent who is a teacher already on the platform: gains a parent identity
SPACED_NAME_RATE = 0.01   # "张 三": normalised, not rejected
FULL_WIDTH_RATE = 0.01    # "３班": normalised

EXPECT = {
    "create": "create", "move": "move", "graduated": "transfer_in",
    "enrolled_elsewhere": "conflict", "teacher_id": "conflict",
    "invalid_check_digit": "error", "invalid_phone": "error", "duplicate": "error", "unknown_class": "error",
    "missing_name": "error", "id_as_number": "error", "unknown_school": "error",
}
REASON = {
    "create": "", "move": "moved_in_school", "graduated": "graduated_elsewhere",
    "enrolled_elsewhere": "enrolled_elsewhere", "teacher_id": "id_held_by_other_role",
    "invalid_check_digit": "invalid_id_number", "invalid_phone": "invalid_phone", "duplicate": "duplicate_in_file",
    "unknown_class": "unknown_class", "missing_name": "missing_name", "id_as_number": "id_number_as_number",
    "unknown_school": "unknown_school",
}

HEADERS = ["学校", "姓名", "性别", "身份证号", "市网学籍号", "全国学籍号", "年级", "班级",
           "家长1姓名", "家长1关系", "家长1手机号", "家长2姓名", "家长2关系", "家长2手机号"]
TEXT_COLUMNS = {"身份证号", "市网学籍号", "全国学籍号", "家长1手机号", "家长2手机号"}

DISTRICTS = [("430102", "芙蓉区"), ("430103", "天心区"), ("430104", "岳麓区"), ("430105", "开福区")]
# Where children are born: mostly the school's district, else elsewhere in Hunan or a neighbouring province.
OTHER_AREAS = ["430111", "430112", "430121", "430181", "430182", "430602", "430702", "431102", "360102",
               "420106", "440304"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("子涵梓轩浩宇欣怡一诺雨桐梓萱思远俊熙若汐嘉怡沐阳语桐晨曦宇航佳琪铭泽诗涵明轩可馨天佑雅琪博文佳怡"
             "锦程皓然依诺安琪乐瑶俊杰欣妍昊天子墨奕辰艺涵煜祺紫萱")
PARENT_GIVEN = list("建国志强丽娟秀英伟明海燕红梅小军春华国庆晓东桂兰永刚淑珍卫东文静德华玉兰宏伟金凤")
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                   "155", "156", "157", "158", "159", "166", "173", "176", "177", "180", "181", "182", "183",
                   "185", "186", "187", "188", "189", "191", "198", "199"]
BAD_PHONES = ["12345678901", "1381234567", "23812345678", "138123456789", "1401234567a", "02188886666"]
CN_NUMERALS = "一二三四五六七八九"
# Kinds of school: (count, name suffix, stages); all 6-3 (grade 1-6 primary, 7-9 junior, 10-12 senior).
SCHOOL_KINDS = [
    (16, "小学", ("primary",)),
    (8, "实验学校", ("primary", "junior")),  # 九年一贯制
    (6, "中学", ("junior",)),
    (6, "高级中学", ("senior",)),
    (4, "完全中学", ("junior", "senior")),
]
STAGE_GRADES = {"primary": range(1, 7), "junior": range(7, 10), "senior": range(10, 13)}
STAGE_FIRST = {"primary": 1, "junior": 7, "senior": 10}


@dataclass
class SchoolPlan:
    index: int
    code: str
    name: str
    district: str  # region code
    stages: tuple[str, ...]
    classes_per_grade: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ClassPlan:
    school: str  # school code
    level: str
    enrollment_year: int
    number: int
    code: str
    graduated: bool = False

    @property
    def grade(self) -> int:
        return STAGE_FIRST[self.level] + SCHOOL_YEAR - self.enrollment_year


@dataclass
class Parent:
    name: str
    relation: str  # as written in the file: 父亲 / 母亲 / 爷爷 ...
    phone: str


@dataclass
class Existing:
    """A person the database holds before the import, named by a conflict row."""

    kind: str  # enrolled | graduated | teacher
    name: str
    sex: str
    id_number: str
    local_number: str | None
    national_number: str | None
    school: str  # school code: where enrolled, graduated from, or teaching
    class_code: str | None = None
    phone: str | None = None  # teachers


@dataclass
class Row:
    kind: str  # a key of EXPECT
    school: str  # the school code the row names
    name: str
    sex: str
    id_number: str
    local_number: str
    national_number: str
    grade_text: str
    class_text: str
    parents: list[Parent]
    class_code: str = ""  # the class the row names (not in the file; for the benchmark's baseline)
    id_as_number: bool = False

    @property
    def expect(self) -> tuple[str, str]:
        return EXPECT[self.kind], REASON[self.kind]

    def cells(self, with_school: bool = True) -> list[str]:
        parents = self.parents + [Parent("", "", "")] * (2 - len(self.parents))
        cells = [self.school, self.name, self.sex, self.id_number, self.local_number, self.national_number,
                 self.grade_text, self.class_text]
        for p in parents:
            cells += [p.name, p.relation, p.phone]
        return cells if with_school else cells[1:]


@dataclass
class World:
    seed: int
    schools: list[SchoolPlan]
    classes: list[ClassPlan]
    existing: list[Existing] = field(default_factory=list)
    teacher_phones: list[str] = field(default_factory=list)  # teachers who appear as parents
    admin_number: str = "90000001"

    def school(self, code: str) -> SchoolPlan:
        return self._by_code[code]

    def __post_init__(self) -> None:
        self._by_code = {s.code: s for s in self.schools}


@dataclass
class Roster:
    rows: list[Row]
    with_school: bool  # the file has a 学校 column (a city admin's file for many schools)
    school: str | None = None  # the one school of a file without that column

    def expected_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.rows:
            counts[r.expect[0]] = counts.get(r.expect[0], 0) + 1
        return counts

    def applied(self) -> list[Row]:
        return [r for r in self.rows if r.expect[0] in ("create", "move", "transfer_in")]


class Generator:
    """Builds the world and any number of rosters in it; all numbers drawn are unique across them."""

    def __init__(self, seed: int = 2026, schools: int = SCHOOLS, classes: int = CLASSES) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.local_counter = 0
        self.world = self._world(schools, classes)
        self._admin_classes = [c for c in self.world.classes if not c.graduated]
        self._by_school_grade: dict[tuple[str, int], list[ClassPlan]] = {}
        for c in self._admin_classes:
            self._by_school_grade.setdefault((c.school, c.grade), []).append(c)
        self._by_grade: dict[int, list[ClassPlan]] = {}
        for c in self._admin_classes:
            self._by_grade.setdefault(c.grade, []).append(c)

    # -- the world ------------------------------------------------------------------------------

    def _world(self, school_count: int, class_count: int) -> World:
        rng = self.rng
        schools: list[SchoolPlan] = []
        kinds = [kind for kind in SCHOOL_KINDS for _ in range(kind[0])]
        kinds = (kinds * (school_count // len(kinds) + 1))[:school_count]
        for i, (_, suffix, stages) in enumerate(kinds):
            district, district_name = DISTRICTS[i % len(DISTRICTS)]
            code = f"{district}{i + 1:03d}"
            schools.append(SchoolPlan(i, code, f"长沙市{district_name}第{i + 1}{suffix}", district, stages))
        slots = [(s, g) for s in schools for stage in s.stages for g in STAGE_GRADES[stage]]
        base, extra = divmod(class_count, len(slots))
        bigger = set(rng.sample(range(len(slots)), extra))
        classes: list[ClassPlan] = []
        for n, (school, grade) in enumerate(slots):
            school.classes_per_grade[grade] = base + (1 if n in bigger else 0)
        for school in schools:
            for stage in school.stages:
                for grade in STAGE_GRADES[stage]:
                    year = SCHOOL_YEAR - (grade - STAGE_FIRST[stage])
                    for number in range(1, school.classes_per_grade[grade] + 1):
                        classes.append(ClassPlan(school.code, stage, year, number,
                                                 f"C{school.index:02d}{year % 100:02d}{stage[0].upper()}{number:02d}"))
                # One graduated class per stage: where this year's graduates come from.
                year = SCHOOL_YEAR - len(STAGE_GRADES[stage])
                classes.append(ClassPlan(school.code, stage, year, 1,
                                         f"C{school.index:02d}{year % 100:02d}{stage[0].upper()}G1", graduated=True))
        return World(self.seed, schools, classes)

    # -- numbers ----------------------------------------------------------------------------------

    def birth_date(self, grade: int) -> date:
        # A first-grader of the 2026 school year was six on 31 August 2026: born 2019-09-01..2020-08-31.
        start = date(SCHOOL_YEAR - 6 - grade, 9, 1)
        return start + timedelta(days=self.rng.randrange(366 if start.year % 4 == 3 else 365))

    def id_number(self, birth: date, sex: str, area: str) -> str:
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if sex == "男" else 0)
            body = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = body + id_number_check_digit(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def area(self, district: str) -> str:
        return district if self.rng.random() < 0.8 else self.rng.choice(OTHER_AREAS)

    def phone(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def local_number(self, district: str, grade: int) -> str:
        self.local_counter += 1
        return f"{district}{SCHOOL_YEAR - grade + 1}{self.local_counter:07d}"

    def child_name(self, surname: str) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2, 2))))
        return surname + given

    def adult_name(self, surname: str | None = None) -> str:
        surname = surname or self.rng.choice(SURNAMES)
        return surname + "".join(self.rng.choice(PARENT_GIVEN) for _ in range(self.rng.choice((1, 2, 2))))

    def family(self) -> tuple[str, list[Parent]]:
        """A family name and its parents as a row lists them."""
        surname = self.rng.choice(SURNAMES)
        father = Parent(self.adult_name(surname), "父亲", self.phone())
        mother = Parent(self.adult_name(), "母亲", self.phone())
        roll = self.rng.random()
        if roll < 0.55:
            parents = [mother, father] if self.rng.random() < SECOND_PARENT_RATE else [mother]
        elif roll < 0.95:
            parents = [father, mother] if self.rng.random() < SECOND_PARENT_RATE else [father]
        else:
            parents = [Parent(self.adult_name(surname), self.rng.choice(("爷爷", "奶奶", "监护人")), self.phone())]
        return surname, parents

    @staticmethod
    def grade_text(grade: int, stages: tuple[str, ...], rng: random.Random) -> str:
        if grade >= 10:
            return "高" + CN_NUMERALS[grade - 10]
        if grade >= 7 and "primary" not in stages and rng.random() < 0.7:
            return "初" + CN_NUMERALS[grade - 7]
        return CN_NUMERALS[grade - 1] + "年级"

    def class_text(self, number: int) -> str:
        roll = self.rng.random()
        if roll < FULL_WIDTH_RATE:
            return "".join(chr(ord(c) + 0xFEE0) for c in str(number)) + "班"
        if roll < 0.2:
            return f"({number})班"
        return f"{number}班"

    # -- rosters ------------------------------------------------------------------------------

    def roster(self, rows: int, school: str | None = None, rates: dict[str, float] = RATES) -> Roster:
        """`rows` rows: for one school (no 学校 column) or spread over every class of every school."""
        rng = self.rng
        if school is not None:  # a file without a 学校 column cannot name an unknown school
            rates = {k: v for k, v in rates.items() if k != "unknown_school"}
        classes = [c for c in self._admin_classes if school is None or c.school == school]
        per_class = [rows // len(classes) + (1 if i < rows % len(classes) else 0) for i in range(len(classes))]
        slots = [c for c, n in zip(classes, per_class) for _ in range(n)]
        thresholds = []
        total = 0.0
        for kind, rate in rates.items():
            total += rate
            thresholds.append((total, kind))
        out: list[Row] = []
        created: list[int] = []  # indexes of rows that will be created: the sources of duplicates
        families: list[tuple[str, list[Parent], int]] = []  # (surname, parents, children so far)
        teachers = iter(self.world.teacher_phones)
        for klass in slots:
            plan = self.world.school(klass.school)
            roll = rng.random()
            kind = next((k for limit, k in thresholds if roll < limit), "create")
            if kind == "duplicate" and not created:
                kind = "create"
            sex = rng.choice("男女")
            grade = klass.grade
            if families and rng.random() < SIBLING_RATE:
                pick = rng.randrange(len(families))
                surname, parents, children = families[pick]
                if children == 1:
                    families[pick] = (surname, parents, 2)
                else:
                    surname, parents = self.family()
            else:
                surname, parents = self.family()
                families.append((surname, parents, 1))
            if rng.random() < TEACHER_PARENT_RATE:
                phone = next(teachers, None)
                if phone:
                    parents = [Parent(self.adult_name(surname), "父亲", phone)] + parents[1:]
            name = self.child_name(surname)
            id_number = self.id_number(self.birth_date(grade), sex, self.area(plan.district))
            row = Row(kind, klass.school, name, sex, id_number, self.local_number(plan.district, grade),
                      "G" + id_number, self.grade_text(grade, plan.stages, rng), self.class_text(klass.number),
                      [Parent(p.name, p.relation, p.phone) for p in parents], klass.code)
            if rng.random() < SPACED_NAME_RATE:
                row.name = row.name[0] + " " + row.name[1:]
            self._apply_kind(row, klass, out, created)
            if row.kind == "create":
                created.append(len(out))
            out.append(row)
        return Roster(out, with_school=school is None, school=school)

    def _apply_kind(self, row: Row, klass: ClassPlan, out: list[Row], created: list[int]) -> None:
        rng = self.rng
        kind = row.kind
        if kind == "invalid_check_digit":
            right = row.id_number[-1]
            row.id_number = row.id_number[:-1] + rng.choice([c for c in "0123456789X" if c != right])
            row.national_number = "G" + row.id_number
        elif kind == "invalid_phone":
            row.parents[-1].phone = rng.choice(BAD_PHONES)
        elif kind == "duplicate":
            source = out[rng.choice(created)]
            row.id_number, row.national_number = source.id_number, source.national_number
            row.sex = source.sex
        elif kind == "unknown_class":
            row.class_text = f"{self.world.school(klass.school).classes_per_grade[klass.grade] + 20}班"
        elif kind == "missing_name":
            row.name = ""
        elif kind == "id_as_number":
            if row.id_number.endswith("X"):  # not a number, so Excel would have kept it as text
                row.kind = "create"
                return
            row.id_as_number = True
        elif kind == "unknown_school":
            row.school = f"{klass.school[:6]}999"
        elif kind == "move":  # in this school's grade already, in another class
            others = [c for c in self._by_school_grade[(klass.school, klass.grade)] if c.number != klass.number]
            if not others:
                row.kind = "create"
                return
            self._existing("enrolled", row, rng.choice(others))
        elif kind == "enrolled_elsewhere":  # in the same grade at another school
            others = [c for c in self._by_grade[klass.grade] if c.school != klass.school]
            self._existing("enrolled", row, rng.choice(others))
        elif kind == "graduated":  # left another school's graduated class (or, failing that, any school)
            graduated = [c for c in self.world.classes if c.graduated and c.school != klass.school]
            self._existing("graduated", row, rng.choice(graduated))
        elif kind == "teacher_id":
            school = rng.choice([s for s in self.world.schools if s.code != klass.school])
            teacher_sex = rng.choice("男女")
            birth = date(rng.randrange(1970, 1998), rng.randrange(1, 13), rng.randrange(1, 29))
            row.id_number = self.id_number(birth, teacher_sex, self.area(school.district))
            row.sex = teacher_sex  # else the row is refused for a sex contradicting the ID, before the conflict
            row.national_number = "G" + row.id_number
            self.world.existing.append(Existing("teacher", self.adult_name(), teacher_sex, row.id_number, None, None,
                                                school.code, phone=self.phone()))

    def _existing(self, kind: str, row: Row, klass: ClassPlan) -> None:
        self.world.existing.append(Existing(kind, row.name.replace(" ", ""), row.sex, row.id_number,
                                            row.local_number, row.national_number, klass.school, klass.code))

    def teachers_as_parents(self, count: int) -> None:
        """Teachers with accounts whose phones later rows give as a parent's (call before roster())."""
        for _ in range(count):
            school = self.rng.choice(self.world.schools)
            phone = self.phone()
            birth = date(self.rng.randrange(1975, 1995), self.rng.randrange(1, 13), self.rng.randrange(1, 29))
            self.world.existing.append(Existing("teacher", self.adult_name(), "女", self.id_number(
                birth, "女", school.district), None, None, school.code, phone=phone))
            self.world.teacher_phones.append(phone)


def build(rows: int = ROWS, seed: int = 2026, single_school_rows: int = 0) -> tuple[World, Roster, Roster | None]:
    """The world, the city-wide roster of `rows` rows and, if asked, a one-school roster (school 0)."""
    # A larger roster is a larger city: schools and classes grow with it (1,000,000 rows: 400 schools).
    scale = max(1, rows // ROWS)
    gen = Generator(seed, SCHOOLS * scale, CLASSES * scale)
    gen.teachers_as_parents(max(1, int(rows * TEACHER_PARENT_RATE * 1.2)))
    roster = gen.roster(rows)
    single = gen.roster(single_school_rows, school=gen.world.schools[0].code) if single_school_rows else None
    return gen.world, roster, single


# -- files --------------------------------------------------------------------------------------

def write_xlsx(roster: Roster, path: Path) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    workbook.set_properties({"created": datetime(2026, 8, 20, 9, 0, 0)})  # reproducible bytes
    sheet = workbook.add_worksheet("学生名单")
    text = workbook.add_format({"num_format": "@"})
    headers = HEADERS if roster.with_school else HEADERS[1:]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header)
        if header in TEXT_COLUMNS:
            sheet.set_column(col, col, 20, text)
    id_col = headers.index("身份证号")
    for n, row in enumerate(roster.rows, 1):
        for col, value in enumerate(row.cells(roster.with_school)):
            if col == id_col and row.id_as_number:
                sheet.write_number(n, col, float(value))
            elif value:
                sheet.write_string(n, col, value)
    workbook.close()
    return path


def write_csv(roster: Roster, path: Path) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        headers = HEADERS if roster.with_school else HEADERS[1:]
        writer.writerow(headers)
        id_col = headers.index("身份证号")
        for row in roster.rows:
            cells = row.cells(roster.with_school)
            if row.id_as_number:
                cells[id_col] = f"{float(cells[id_col]):.5E}"  # what Excel writes: 4.30102E+17
            writer.writerow(cells)
    return path


# -- the database -------------------------------------------------------------------------------

@dataclass
class Installed:
    """What setup_database made, for the benchmark."""

    admin_account_id: int
    city_id: int
    school_ids: dict[str, int]  # code -> pk
    class_ids: dict[str, int]  # class code -> pk


def setup_database(world: World) -> Installed:
    """Create the world's regions, schools, structure, city admin and pre-existing people, set-based."""
    from django.db import transaction

    from renrentong.accounts.models import Account, Enrollment, Identity, Person
    from renrentong.accounts.passwords.services import issue_initial_password
    from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage
    from renrentong.orgs.policy import EffectivePolicy

    policy = EffectivePolicy()
    now = datetime(2026, 8, 25, 8, 0, 0).astimezone()
    with transaction.atomic():
        province = Region.objects.create(kind="province", name="湖南省", code="430000",
                                         support_contact="400-800-1234")
        city = Region.objects.create(kind="city", name="长沙市", code="430100", parent=province)
        districts = {code: Region.objects.create(kind="district", name=name, code=code, parent=city)
                     for code, name in DISTRICTS}
        schools = School.objects.bulk_create([
            School(district=districts[s.district], name=s.name, code=s.code, school_year=SCHOOL_YEAR,
                   admin_contact=f"0731-8{s.index:03d}-0000") for s in world.schools])
        school_ids = {s.code: s.pk for s in schools}
        campuses = Campus.objects.bulk_create([Campus(school_id=school_ids[s.code], name="本部") for s in world.schools])
        campus_of = {c.school_id: c.pk for c in campuses}
        stage_keys = [(s.code, level) for s in world.schools for level in s.stages]
        stages = Stage.objects.bulk_create([Stage(campus_id=campus_of[school_ids[code]], level=level, system="6-3")
                                            for code, level in stage_keys])
        stage_of = {key: st.pk for key, st in zip(stage_keys, stages, strict=True)}
        cohort_keys = sorted({(c.school, c.level, c.enrollment_year) for c in world.classes})
        cohorts = Cohort.objects.bulk_create([Cohort(stage_id=stage_of[(code, level)], enrollment_year=year)
                                              for code, level, year in cohort_keys])
        cohort_of = {key: co.pk for key, co in zip(cohort_keys, cohorts, strict=True)}
        classes = SchoolClass.objects.bulk_create([
            SchoolClass(school_id=school_ids[c.school], cohort_id=cohort_of[(c.school, c.level, c.enrollment_year)],
                        number=c.number, code=c.code,
                        kind=SchoolClass.Kind.GRADUATED if c.graduated else SchoolClass.Kind.ADMINISTRATIVE)
            for c in world.classes], batch_size=1000)
        class_ids = {c.code: c.pk for c in classes}

        # The city admin who imports the file.
        admin_person = Person.objects.create(name="市教育局管理员", sex="F")
        admin = Account(number=world.admin_number, person=admin_person, phone="13900000001", created_at=now,
                        status_changed_at=now)
        issue_initial_password(admin, "phone_last6", policy, now=now)
        admin.save()
        Identity.objects.create(account=admin, kind=Identity.Kind.REGION_ADMIN, region=city)

        # The people the conflict rows name, with accounts, identities and enrollments as they would have.
        people = []
        for e in world.existing:
            p = Person(name=e.name, sex="M" if e.sex == "男" else "F", local_student_number=e.local_number,
                       birth_date=date(int(e.id_number[6:10]), int(e.id_number[10:12]), int(e.id_number[12:14])))
            p.set_id_number(e.id_number)
            p.set_national_student_number(e.national_number)
            people.append(p)
        Person.objects.bulk_create(people, batch_size=2000)
        accounts = []
        for n, (e, p) in enumerate(zip(world.existing, people, strict=True)):
            status = Account.Status.GRADUATED if e.kind == "graduated" else Account.Status.ACTIVE
            a = Account(number=str(60_000_000 + n), person_id=p.pk, phone=e.phone, home_school_id=school_ids[e.school],
                        status=status, created_at=now, status_changed_at=now)
            issue_initial_password(a, "phone_last6" if e.kind == "teacher" else "pw_account_last6", policy, now=now)
            accounts.append(a)
        Account.objects.bulk_create(accounts, batch_size=2000)
        Identity.objects.bulk_create([
            Identity(account_id=a.pk, kind=Identity.Kind.TEACHER if e.kind == "teacher" else Identity.Kind.STUDENT,
                     school_id=school_ids[e.school], created_at=now)
            for e, a in zip(world.existing, accounts, strict=True)], batch_size=2000)
        Enrollment.objects.bulk_create([
            Enrollment(person_id=p.pk, school_class_id=class_ids[e.class_code], school_id=school_ids[e.school],
                       started_on=date(2024 if e.kind == "enrolled" else 2020, 9, 1),
                       ended_on=date(SCHOOL_YEAR, 7, 1) if e.kind == "graduated" else None,
                       reason="graduated" if e.kind == "graduated" else "")
            for e, p in zip(world.existing, people, strict=True) if e.class_code], batch_size=2000)
    return Installed(admin.pk, city.pk, school_ids, class_ids)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("xlsx", type=Path, help="the .xlsx file to write")
    parser.add_argument("--csv", type=Path, help="also write the roster as CSV (UTF-8)")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--school", action="store_true", help="one school's roster, no 学校 column")
    args = parser.parse_args(argv)
    gen = Generator(args.seed)
    gen.teachers_as_parents(max(1, int(args.rows * TEACHER_PARENT_RATE * 1.2)))
    roster = gen.roster(args.rows, school=gen.world.schools[0].code if args.school else None)
    write_xlsx(roster, args.xlsx)
    if args.csv:
        write_csv(roster, args.csv)
    counts = roster.expected_counts()
    print(f"{len(roster.rows)} rows, {len(gen.world.classes)} classes in {len(gen.world.schools)} schools, "
          f"{len(gen.world.existing)} people already in the database; expected: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
