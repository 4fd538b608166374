"""Users and teaching through the API (ACC-5, ADM-1..ADM-4, ADM-7): /api/v1/school/users...,
/api/v1/school/recycle-bin, /api/v1/school/classes/{id}/..., /api/v1/school/teaching..."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Status

from renrentong.core.masking import refuse_number_in_url
from renrentong.core.schemas import ERRORS, Id, MAX_ID, Schema
from renrentong.orgs.selectors import school_for

from renrentong.schooladmin.teaching import services as teaching

from renrentong.schooladmin.users import services as users
router = Router(tags=["users and teaching"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}
KindName = Literal["student", "teacher", "parent"]
StateName = Literal["active", "pending", "frozen", "left", "graduated", "deleted"]


class UserOut(Schema):
    account_id: int
    person_id: int | None
    number: str
    name: str
    sex: str
    status: StateName
    status_label: str
    status_changed_at: datetime
    phone_masked: str
    id_number_masked: str
    local_student_number: str
    national_student_number_masked: str = Field(description="G430***********1234: the full number is read "
                                                "through /people/{id}/national-student-number, audited")
    class_id: int | None
    class_name: str
    details: list[str] = Field(description="A parent's children; a teacher's classes and subjects")
    restorable_by_school_until: datetime | None = Field(
        description="Deleted users: until when the school admin restores; after it only the province admin")


class UserPageOut(Schema):
    school_id: int
    kind: KindName
    total: int
    page: int
    pages: int
    page_size: int
    items: list[UserOut]


class UserDetailOut(UserOut):
    kinds: list[KindName]


class ListQuery(Schema):
    kind: KindName = "student"
    q: str = Field("", max_length=64, description="Name (part), account (start), phone, student or ID number")
    state: StateName | None = Field(None, description="One state; by default every state but deleted")
    class_id: str = Field("", pattern=r"^(|pool|[1-9][0-9]{0,17})$",
                          description="Students of one class, or `pool` for those with no class")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(users.PAGE_SIZE, ge=1, le=users.MAX_PAGE_SIZE)
    school_id: int | None = Field(None, ge=1, le=MAX_ID, description="Region admins: the school to read")


class BinQuery(Schema):
    kind: KindName = "student"
    q: str = Field("", max_length=64)
    page: int = Field(1, ge=1, le=100_000)
    school_id: int | None = Field(None, ge=1, le=MAX_ID)


class UserIn(Schema):
    kind: KindName
    name: str = Field(..., max_length=200)
    sex: str = Field("", max_length=4, description="M or F (男 or 女); parents may leave it out")
    id_number: str = Field("", max_length=40)
    phone: str = Field("", max_length=20, description="Teachers and parents: the login phone")
    class_id: int | None = Field(None, ge=1, le=MAX_ID, description="Students: the class; none = the pool")
    local_student_number: str = Field("", max_length=40)
    national_student_number: str = Field("", max_length=40)
    child_account_id: int | None = Field(None, ge=1, le=MAX_ID, description="Parents: a student of the school")
    relation: Literal["father", "mother", "guardian", "other"] = "guardian"


class CreatedOut(Schema):
    account_id: int
    number: str
    initial_password: str = Field(description="Shown once; empty when an existing account gained the identity")


class UserPatch(Schema):
    name: str | None = Field(None, max_length=200)
    sex: str | None = Field(None, max_length=4)
    phone: str | None = Field(None, max_length=20, description="Empty string removes a student's phone")


class StateOut(Schema):
    account_id: int
    status: StateName
    status_label: str


class UserUpdateOut(StateOut):
    initial_password: str = Field(
        "", description="Set when a phone change re-issued an untouched account's initial password (it came "
                        "from the old phone): the new one, shown once for the slip; empty otherwise")


class IdsIn(Schema):
    account_ids: list[Id] = Field(..., min_length=1, max_length=users.MAX_BATCH)


class ClassChangeIn(IdsIn):
    class_id: int = Field(..., ge=1, le=MAX_ID)


class CountOut(Schema):
    count: int


class UserClassOut(Schema):
    id: int
    name: str
    code: str
    enrollment_year: int = Field(description="入学年份")
    graduation_year: int = Field(description="毕业年份")


class MemberOut(Schema):
    account_id: int
    number: str
    name: str
    sex: str
    status_label: str


class ClassMembersOut(Schema):
    class_id: int
    class_name: str
    students: list[MemberOut]


def user_out(row: users.UserRow) -> dict:
    return vars(row)


def state_out(account) -> StateOut:
    return StateOut(account_id=account.pk, status=account.status, status_label=str(account.get_status_display()))


@router.get("/users", response={200: UserPageOut, **ERRORS},
            summary="A page of the school's students, teachers or parents, searched (ADM-1, ADM-7); "
                    "a phone or ID number is searched with POST /users/search")
def list_users(request: HttpRequest, filters: Query[ListQuery]):
    refuse_number_in_url(filters.q, "/api/v1/school/users/search")
    return _user_page(request, filters)


# POST, though it reads: a phone or ID number searched for travels in the body, never in a URL (NFR-1).
@router.post("/users/search", response={200: UserPageOut, **ERRORS},
             summary="The same page as GET /users, the search in the body (for phones and ID numbers)")
def search_users(request: HttpRequest, filters: ListQuery):
    return _user_page(request, filters)


def _user_page(request: HttpRequest, filters: ListQuery) -> UserPageOut:
    page = users.list_users(request.auth, filters.kind, school_id=filters.school_id, query=filters.q,
                            state=filters.state or "", class_id=filters.class_id or None, page=filters.page,
                            page_size=filters.page_size)
    return UserPageOut(school_id=page.school.pk, kind=page.kind, total=page.total, page=page.page, pages=page.pages,
                       page_size=page.page_size, items=[user_out(r) for r in page.rows])


@router.get("/recycle-bin", response={200: UserPageOut, **ERRORS},
            summary="Deleted users of the school, newest first (ACC-5)")
def recycle_bin(request: HttpRequest, kind: KindName = "student", q: str = Query("", max_length=64),
                page: int = Query(1, ge=1, le=100_000), school_id: int | None = Query(None, ge=1, le=MAX_ID)):
    refuse_number_in_url(q, "/api/v1/school/recycle-bin/search")
    return _bin_page(request, kind, q, page, school_id)


@router.post("/recycle-bin/search", response={200: UserPageOut, **ERRORS},
             summary="The same page as GET /recycle-bin, the search in the body (for phones and ID numbers)")
def search_recycle_bin(request: HttpRequest, body: BinQuery):
    return _bin_page(request, body.kind, body.q, body.page, body.school_id)


def _bin_page(request: HttpRequest, kind: str, q: str, page: int, school_id: int | None) -> UserPageOut:
    found = users.list_users(request.auth, kind, school_id=school_id, query=q, state="deleted", page=page)
    return UserPageOut(school_id=found.school.pk, kind=found.kind, total=found.total, page=found.page,
                       pages=found.pages, page_size=found.page_size, items=[user_out(r) for r in found.rows])


@router.post("/users", response={201: CreatedOut, **WRITE_ERRORS},
             summary="Add a student, teacher or parent (ADM-1)")
def create_user(request: HttpRequest, body: UserIn):
    created = users.create_user(request.auth, body.kind, body.dict())
    return Status(201, CreatedOut(account_id=created.account.pk, number=created.account.number,
                                  initial_password=created.initial_password))


@router.get("/users/{account_id}", response={200: UserDetailOut, **ERRORS}, summary="One user of the school")
def get_user(request: HttpRequest, account_id: int = Path(..., ge=1, le=MAX_ID),
             school_id: int | None = Query(None, ge=1, le=MAX_ID)):
    _, row, kinds = users.user_detail(request.auth, account_id, school_id)
    return {**user_out(row), "kinds": sorted(kinds)}


@router.patch("/users/{account_id}", response={200: UserUpdateOut, **WRITE_ERRORS},
              summary="Change a user's name, sex or phone (key information has its own endpoints)")
def update_user(request: HttpRequest, body: UserPatch, account_id: int = Path(..., ge=1, le=MAX_ID)):
    updated = users.update_user(request.auth, account_id, body.dict(exclude_unset=True))
    return UserUpdateOut(**state_out(updated.account).dict(), initial_password=updated.initial_password)


def _state_endpoint(action: str, verb, summary: str):
    @router.post(f"/users/{{account_id}}/{action}", response={200: StateOut, **WRITE_ERRORS}, summary=summary,
                 operation_id=f"users_{action}")
    def endpoint(request: HttpRequest, account_id: int = Path(..., ge=1, le=MAX_ID)):
        return state_out(verb(request.auth, account_id))

    return endpoint


_state_endpoint("freeze", users.freeze, "Freeze: the account cannot log in until unfrozen (ACC-5)")
_state_endpoint("unfreeze", users.unfreeze, "Unfreeze: back to the state before the freeze")
_state_endpoint("leave", users.leave_school, "Mark as left school (离校): a student's class ends")
_state_endpoint("reinstate", users.reinstate, "Back at school: active again; a student waits in the pool")
_state_endpoint("delete", users.delete, "Delete to the recycle bin, every link kept (ACC-5)")


@router.post("/users/{account_id}/restore", response={200: StateOut, **WRITE_ERRORS},
             summary="Restore from the recycle bin: school admin within the retention period, then province admin")
def restore_user(request: HttpRequest, account_id: int = Path(..., ge=1, le=MAX_ID),
                 school_id: int | None = Query(None, ge=1, le=MAX_ID)):
    return state_out(users.restore(request.auth, account_id, school_id))


@router.post("/class-change", response={200: CountOut, **WRITE_ERRORS},
             summary="Batch class change (批量调班): all the students move, or none (ADM-4)")
def class_change(request: HttpRequest, body: ClassChangeIn):
    return CountOut(count=users.change_class(request.auth, body.account_ids, body.class_id))


@router.get("/classes", response={200: list[UserClassOut], **ERRORS}, summary="The school's current classes")
def classes(request: HttpRequest):
    school = school_for(request.auth, not_allowed="users.not_allowed", region_admins=False)
    return [UserClassOut(id=c.pk, name=c.display_name(school.school_year), code=c.code,
                     enrollment_year=c.enrollment_year, graduation_year=c.graduation_year)
            for c in users.school_classes(school)]


@router.get("/classes/{class_id}/students", response={200: ClassMembersOut, **ERRORS},
            summary="Students of a class: the school admin's, or a head teacher's own class")
def class_students(request: HttpRequest, class_id: int = Path(..., ge=1, le=MAX_ID)):
    school_class, members = users.class_members(request.auth, class_id)
    return ClassMembersOut(class_id=school_class.pk, class_name=school_class.display_name(),
                           students=[vars(m) for m in members])


@router.post("/classes/{class_id}/remove", response={200: CountOut, **WRITE_ERRORS},
             summary="Remove students from the class (请出班级) into the school's pool (ADM-3)")
def remove_from_class(request: HttpRequest, body: IdsIn, class_id: int = Path(..., ge=1, le=MAX_ID)):
    return CountOut(count=users.remove_from_class(request.auth, class_id, body.account_ids))


# Teaching (ADM-2) -------------------------------------------------------------------------------------------

class TeacherOut(Schema):
    identity_id: int
    name: str
    number: str
    status: StateName


class GridClassOut(Schema):
    id: int
    name: str
    subjects: list[str] = Field(description="The subjects this class has (course arrangement)")
    teachers: dict[str, list[Id]] = Field(description="subject -> teacher identity ids")
    head_teacher_id: int | None


class UserGradeOut(Schema):
    cohort_id: int
    name: str


class GridOut(Schema):
    school_id: int
    grades: list[UserGradeOut]
    cohort_id: int | None
    subjects: list[str]
    classes: list[GridClassOut]
    teachers: list[TeacherOut]


class ClassCoursesIn(Schema):
    class_id: int = Field(..., ge=1, le=MAX_ID)
    subjects: list[str] = Field(..., max_length=100, description="Every subject the class has (replaces the list)")


class CoursesIn(Schema):
    classes: list[ClassCoursesIn] = Field(..., max_length=1000)


class CoursesOut(Schema):
    added: int
    removed: int
    assignments_ended: int


class CellIn(Schema):
    class_id: int = Field(..., ge=1, le=MAX_ID)
    subject: str = Field(..., max_length=64)
    teacher_id: int | None = Field(None, ge=1, le=MAX_ID, description="A teacher identity; null = nobody")


class HeadIn(Schema):
    class_id: int = Field(..., ge=1, le=MAX_ID)
    teacher_id: int | None = Field(None, ge=1, le=MAX_ID)


class AssignIn(Schema):
    cells: list[CellIn] = Field(default_factory=list, max_length=teaching.MAX_CELLS)
    head_teachers: list[HeadIn] = Field(default_factory=list, max_length=teaching.MAX_CELLS)


class AssignOut(Schema):
    cells: int
    heads: int


class OwnCourseOut(Schema):
    class_id: int
    class_name: str
    subject: str
    teacher_name: str
    mine: bool


class OwnTeachingOut(Schema):
    mine: list[OwnCourseOut]
    offered: list[OwnCourseOut]


class CourseIn(Schema):
    class_id: int = Field(..., ge=1, le=MAX_ID)
    subject: str = Field(..., max_length=64)


@router.get("/teaching", response={200: GridOut, **ERRORS},
            summary="One grade's teaching grid: classes x subjects -> teacher, and head teachers (ADM-2)")
def get_grid(request: HttpRequest, cohort_id: int | None = Query(None, ge=1, le=MAX_ID)):
    found = teaching.grid(request.auth, cohort_id)
    return GridOut(
        school_id=found.school.pk, grades=[UserGradeOut(cohort_id=c, name=n) for c, n in found.cohorts],
        cohort_id=found.cohort_id, subjects=found.subjects,
        classes=[GridClassOut(
            id=c.pk, name=c.display_name(found.school.school_year),
            subjects=[s for s in found.subjects if (c.pk, s) in found.arranged],
            teachers={s: ids for (cid, s), ids in found.teachers.items() if cid == c.pk},
            head_teacher_id=found.heads.get(c.pk)) for c in found.classes],
        teachers=[vars(t) for t in found.choices],
    )


@router.put("/teaching/courses", response={200: CoursesOut, **WRITE_ERRORS},
            summary="Set the subjects of classes (课程安排); removing one ends its teaching assignments")
def put_courses(request: HttpRequest, body: CoursesIn):
    return teaching.set_courses(request.auth, {c.class_id: c.subjects for c in body.classes})


@router.put("/teaching/assignments", response={200: AssignOut, **WRITE_ERRORS},
            summary="Save grid cells and head teachers in one transaction")
def put_assignments(request: HttpRequest, body: AssignIn):
    return teaching.assign(request.auth, [(c.class_id, c.subject, c.teacher_id) for c in body.cells],
                           [(h.class_id, h.teacher_id) for h in body.head_teachers])


@router.get("/my-teaching", response={200: OwnTeachingOut, **ERRORS},
            summary="A teacher's own classes and subjects, and the arranged courses of the school")
def my_teaching(request: HttpRequest):
    mine, offered = teaching.own_teaching(request.auth)
    return OwnTeachingOut(mine=[vars(m) for m in mine], offered=[vars(o) for o in offered])


@router.post("/my-teaching", response={201: CourseIn, **WRITE_ERRORS}, summary="Take an arranged course")
def take_course(request: HttpRequest, body: CourseIn):
    assignment = teaching.take_course(request.auth, body.class_id, body.subject)
    return Status(201, CourseIn(class_id=assignment.school_class_id, subject=assignment.subject))


@router.post("/my-teaching/drop", response={200: CourseIn, **WRITE_ERRORS}, summary="Stop teaching a course")
def drop_course(request: HttpRequest, body: CourseIn):
    teaching.drop_course(request.auth, body.class_id, body.subject)
    return CourseIn(class_id=body.class_id, subject=teaching.clean_subject(body.subject))
