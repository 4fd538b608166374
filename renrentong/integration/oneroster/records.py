"""Our roster as OneRoster 1.2 objects, in the China profile of docs/oneroster.md (INT-2).

Read a school at a time, so that a district's export holds one school's people in memory, not the district's.
Each object is a Record: the file it goes in, the key of our object it stands for ("person:12"), the school
whose export answers for it, and its columns after sourcedId, status and dateLastModified, in header order.
A column that names another object holds a Ref (or a tuple of them), which the directory turns into that
object's sourcedId. Never an ID number, a national student number, a phone or a password: the national student
number goes in only at writing time, when granted (package.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import translation

from renrentong.accounts.models import (Account, CourseArrangement, Enrollment, Guardianship, HeadTeacher, Identity,
                                        Person, TeachingAssignment)
from renrentong.core.bulk import among
from renrentong.orgs.models import Region, School, SchoolClass

from renrentong.integration.oneroster.csvformat import ROSTERING

# The China profile: our region levels as OneRoster org types.
ORG_TYPES = {Region.Kind.PROVINCE: "state", Region.Kind.CITY: "local", Region.Kind.DISTRICT: "district"}
SEX = {"M": "male", "F": "female"}
# A father or mother is a parent; anyone else the school records as looking after the child is a guardian.
AGENT_ROLES = {Guardianship.Relation.FATHER: "parent", Guardianship.Relation.MOTHER: "parent",
               Guardianship.Relation.PARENT: "parent"}
# Compound surnames (复姓) that take two characters; every other Han name's surname is its first character.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 澹台 "
    "呼延 申屠 太史 公冶 濮阳 淳于 单于 钟离 闻人 赫连 万俟 百里 东郭 拓跋 司空".split())
SCHOOL_BOUND = ("courses", "classes", "roles", "enrollments")


def column(file: str, name: str) -> int:
    """The index of a file's column in a Record's cells (and a directory row): after sourcedId, status and
    dateLastModified."""
    return ROSTERING[f"{file}.csv"].header.index(name) - 3


ROLE_USER = column("roles", "userSourcedId")
USER_GRADES = column("users", "grades")


@dataclass(frozen=True)
class Ref:
    kind: str
    key: str


@dataclass
class Record:
    kind: str
    key: str
    school_id: int
    cells: list  # str, Ref or tuple[Ref, ...]


def split_name(name: str) -> tuple[str, str, str]:
    """(givenName, middleName, familyName). A Han name's surname is its first character, or two for a compound
    surname (复姓). A name written with a middle dot (买买提·艾力, as many Uyghur and other names are) is given name
    and family name with the dot as middleName, so that joined_name puts every name back exactly."""
    name = name.strip()
    if "·" in name:
        given, _, family = name.partition("·")
        if given and family:
            return given, "·", family
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[2:], "", name[:2]
    # A one-character name (none is valid here, names have two or more) would need both parts: it doubles.
    return (name[1:] or name), "", name[:1]


def joined_name(given: str, family: str, middle: str = "") -> str:
    if middle == "·":
        return f"{given}·{family}"
    if _is_han(given + family):
        return family + given
    return " ".join(filter(None, (given, middle, family)))


def _is_han(text: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def grade_code(grade: int) -> str:
    """Our grades 1-12 (一年级 ... 高三) are the CEDS grade levels 01-12 OneRoster uses."""
    return f"{grade:02d}"


def year_key(school_year: int) -> str:
    return f"year:{school_year}"


def sessions(school_years) -> list[Record]:
    """One schoolYear session per school year (September to August; OneRoster names a year by its end)."""
    return [Record("academicSessions", year_key(y), 0, [
        f"{y}-{y + 1}学年", "schoolYear", date(y, 9, 1).isoformat(), date(y + 1, 8, 31).isoformat(), "", str(y + 1),
    ]) for y in sorted(set(school_years))]


def region_orgs(regions) -> list[Record]:
    return [Record("orgs", f"region:{r.pk}", 0, [
        r.name, ORG_TYPES[r.kind], r.code, Ref("orgs", f"region:{r.parent_id}") if r.parent_id else "",
    ]) for r in regions]


def school_records(school: School, *, seen_people: set[int]) -> dict[str, list[Record]]:
    """Every object of one school: the school, its courses and classes (not the graduated), its students with
    their parents, its teachers, their roles, enrollments and demographics. `seen_people` holds the people
    already written by an earlier school of the same export (a teacher of two schools, a parent of children in
    two), whose users row is written once."""
    out: dict[str, list[Record]] = defaultdict(list)
    sid, year = school.pk, school.school_year
    school_ref = Ref("orgs", f"school:{sid}")
    out["orgs"].append(Record("orgs", f"school:{sid}", sid, [
        school.name, "school", school.code, Ref("orgs", f"region:{school.district_id}")]))

    classes = {c.pk: c for c in SchoolClass.objects.filter(school_id=sid).exclude(kind=SchoolClass.Kind.GRADUATED)
               .select_related("cohort__stage").order_by("pk") if not c.cohort.is_graduated(year)}
    subjects: dict[int, list[str]] = defaultdict(list)
    for class_id, subject in (CourseArrangement.objects.filter(school_id=sid, school_class_id__in=classes)
                              .order_by("subject").values_list("school_class_id", "subject")):
        subjects[class_id].append(subject)
    courses: dict[str, Record] = {}
    with translation.override("zh-hans"):  # the data's language, whoever asks: titles round-trip unchanged
        for c in classes.values():
            grade = grade_code(c.cohort.grade_number(year))
            homeroom = c.kind == SchoolClass.Kind.ADMINISTRATIVE
            course = "homeroom" if homeroom else (subjects[c.pk][0] if subjects[c.pk] else "teaching")
            course_key = f"course:{sid}:{year}:{course}"
            if course_key not in courses:
                title = {"homeroom": "行政班", "teaching": "走班"}.get(course, course)
                courses[course_key] = Record("courses", course_key, sid, [
                    Ref("academicSessions", year_key(year)), title, "", "", school_ref,
                    "" if course in ("homeroom", "teaching") else course, ""])
            out["classes"].append(Record("classes", f"class:{c.pk}", sid, [
                c.display_name(year), grade, Ref("courses", course_key), c.code,
                "homeroom" if homeroom else "scheduled", "", school_ref, (Ref("academicSessions", year_key(year)),),
                ",".join(subjects[c.pk]) if not homeroom else "", "", ""]))
    # A course's grades: those of its classes, so that a course row changes only with its classes.
    course_grades: dict[str, set[str]] = defaultdict(set)
    for record in out["classes"]:
        course_grades[record.cells[2].key].add(record.cells[1])
    for key, record in sorted(courses.items()):
        record.cells[3] = ",".join(sorted(course_grades[key]))
        out["courses"].append(record)

    students = list(Enrollment.objects.filter(school_id=sid, ended_on__isnull=True, school_class_id__in=classes)
                    .order_by("person_id").values_list("pk", "person_id", "school_class_id", "started_on"))
    student_ids = [person_id for _, person_id, _, _ in students]
    agents: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for student_id, guardian_id, relation in (Guardianship.objects.filter(among("student_id", student_ids))
                                              .order_by("student_id", "guardian_id")
                                              .values_list("student_id", "guardian_id", "relation")):
        agents[student_id].append((guardian_id, relation))
    teachers = list(Identity.objects.filter(school_id=sid, kind=Identity.Kind.TEACHER, account__person__isnull=False)
                    .order_by("pk").values_list("pk", "account__person_id"))
    teacher_person = dict(teachers)
    guardian_ids = {g for rows in agents.values() for g, _ in rows}
    people = _people(set(student_ids) | guardian_ids | set(teacher_person.values()))

    grade_of = {c.pk: grade_code(c.cohort.grade_number(year)) for c in classes.values()}
    for enrollment_id, person_id, class_id, started_on in students:
        person = people[person_id]
        user = _user(person, grades=grade_of[class_id], school_ref=school_ref,
                     agents=tuple(Ref("users", f"person:{g}") for g, _ in agents[person_id]))
        if person_id not in seen_people:
            out["users"].append(Record("users", f"person:{person_id}", sid, user))
            out["demographics"].append(Record("demographics", f"person:{person_id}", sid, [
                person["birth_date"].isoformat() if person["birth_date"] else "", SEX.get(person["sex"], "unspecified"),
                "", "", "", "", "", "", "", "", "", "", ""]))
            seen_people.add(person_id)
        out["roles"].append(_role(person_id, "student", sid, school_ref, primary=True))
        out["enrollments"].append(Record("enrollments", f"enrollment:{enrollment_id}", sid, [
            Ref("classes", f"class:{class_id}"), school_ref, Ref("users", f"person:{person_id}"), "student", "",
            started_on.isoformat(), ""]))

    staff = set(teacher_person.values())
    for person_id in sorted(staff):
        if person_id not in seen_people:
            out["users"].append(Record("users", f"person:{person_id}", sid, _user(people[person_id])))
            seen_people.add(person_id)
        out["roles"].append(_role(person_id, "teacher", sid, school_ref, primary=True))
    parent_roles: dict[int, str] = {}
    for rows in agents.values():
        for guardian_id, relation in rows:
            # "parent" wins over "guardian" for one who is a parent of one child and guardian of another
            if parent_roles.get(guardian_id) != "parent":
                parent_roles[guardian_id] = AGENT_ROLES.get(relation, "guardian")
    for guardian_id in sorted(parent_roles):
        if guardian_id not in seen_people:
            out["users"].append(Record("users", f"person:{guardian_id}", sid, _user(people[guardian_id])))
            seen_people.add(guardian_id)
        # A teacher who is also a parent at the school: teaching is the primary role there.
        out["roles"].append(_role(guardian_id, parent_roles[guardian_id], sid, school_ref,
                                  primary=guardian_id not in staff))

    heads = dict(HeadTeacher.objects.filter(school_id=sid, school_class_id__in=classes)
                 .values_list("school_class_id", "teacher_id"))
    taught = set(TeachingAssignment.objects.filter(among("teacher_id", list(teacher_person)), school_id=sid,
                                                   school_class_id__in=classes)
                 .values_list("school_class_id", "teacher_id"))
    taught |= {(class_id, teacher_id) for class_id, teacher_id in heads.items() if teacher_id in teacher_person}
    for class_id, teacher_id in sorted(taught):
        out["enrollments"].append(Record("enrollments", f"teaching:{class_id}:{teacher_id}", sid, [
            Ref("classes", f"class:{class_id}"), school_ref, Ref("users", f"person:{teacher_person[teacher_id]}"),
            "teacher", "true" if heads.get(class_id) == teacher_id else "false", "", ""]))
    return out


def _people(person_ids: set[int]) -> dict[int, dict]:
    wanted = sorted(person_ids)
    people = {p["pk"]: p for p in Person.objects.filter(among("pk", wanted)).values("pk", "name", "sex", "birth_date")}
    for p in people.values():
        p["number"], p["status"] = "", ""
    for person_id, number, status in (Account.objects.filter(among("person_id", wanted))
                                      .values_list("person_id", "number", "status")):
        people[person_id]["number"], people[person_id]["status"] = number, status
    return people


def _user(person: dict, *, grades: str = "", school_ref: Ref | str = "", agents: tuple = ()) -> list:
    given, middle, family = split_name(person["name"])
    enabled = "true" if person["status"] == Account.Status.ACTIVE else "false"
    user_ids = f"{{account:{person['number']}}}" if person["number"] else ""
    return [enabled, person["number"], user_ids, given, family, middle, "", "", "", "", agents, grades, "", "", "",
            "", "", "", school_ref, ""]


def _role(person_id: int, role: str, school_id: int, school_ref: Ref, *, primary: bool) -> Record:
    return Record("roles", f"role:{role}:{person_id}:{school_id}", school_id, [
        Ref("users", f"person:{person_id}"), "primary" if primary else "secondary", role, "", "", school_ref, ""])


def still_present(person_ids: list[int]) -> dict[int, int]:
    """Of people whose last school's export no longer finds them, those the platform still rosters somewhere,
    with a school that does: they moved, they did not go, so their users row stays."""
    found: dict[int, int] = {}
    enrolled = (Enrollment.objects.filter(among("person_id", person_ids), ended_on__isnull=True)
                .values_list("person_id", "school_id"))
    teaching = (Identity.objects.filter(among("account__person_id", person_ids), kind=Identity.Kind.TEACHER)
                .values_list("account__person_id", "school_id"))
    parents = (Enrollment.objects.filter(among("person__guardianships__guardian_id", person_ids), ended_on__isnull=True)
               .values_list("person__guardianships__guardian_id", "school_id"))
    for rows in (enrolled, teaching, parents):
        for person_id, school_id in rows:
            found.setdefault(person_id, school_id)
    return found


def schools_in(region_ids, school_ids=None):
    schools = School.objects.filter(district_id__in=region_ids) if school_ids is None else \
        School.objects.filter(Q(pk__in=school_ids))
    return schools.order_by("pk")
