"""The OneRoster 1.2 rostering service, read-only (INT-3), under /ims/oneroster/rostering/v1p2/.

Registered apps call it with their own token (OAuth 2 client credentials) and see only the schools they serve
(NFR-2): an object outside them is `unknown_object`, as one that does not exist. It reads the OneRoster
directory (integration_rosterid), which the worker keeps up (refresh.py), so each answer is a few indexed
queries over rows already in OneRoster's shape, whatever the platform's tables look like."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.http import HttpRequest, JsonResponse
from ninja import Field as SchemaField
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError
from oauth2_provider.oauth2_backends import get_oauthlib_core

from renrentong.orgs.models import School
from renrentong.core.schemas import Schema
from renrentong.orgs.policy import region_contact

from renrentong.integration.models import LIVE, App, RosterId
from renrentong.integration.oneroster.csvformat import ROSTERING
from renrentong.integration.oneroster.rest_query import (
    Field, QueryError, link_header, parse_fields, parse_filter, parse_paging, parse_sort, to_q,
)
from renrentong.integration.selectors import ROSTER_SCOPES, served_by

CORE, FULL, DEMOGRAPHICS = SCOPES = ROSTER_SCOPES


class OneRosterError(Exception):
    def __init__(self, status: int, code: str, description: str, contact: str = "") -> None:
        super().__init__(description)
        self.status, self.code, self.description, self.contact = status, code, description, contact


def error_body(code: str, description: str, contact: str = "") -> dict:
    """The OneRoster status report (imsx_StatusInfo) of a refusal, with whom to ask (HELP-2)."""
    if contact:
        description = f"{description} Contact: {contact}"
    return {"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": description,
            "imsx_CodeMinor": {"imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": code}]}}


# ---------------------------------------------------------------------------------------------------------
# The objects: how a directory row (the CSV columns after the first three) becomes the REST binding's JSON.

def _text(v: str):
    return v


def _list(v: str):
    return [part for part in v.split(",") if part] if v else []


def _bool(v: str):
    return v == "true" if v else None


def _ref(target: str):
    def make(v: str):
        return {"href": f"{PREFIX}{target}/{v}", "sourcedId": v, "type": target.rstrip("s")} if v else None
    return make


def _refs(target: str):
    def make(v: str):
        return [_ref(target)(part) for part in _list(v)]
    return make


def _user_ids(v: str):
    out = []
    for part in (p.strip() for p in v.replace("},{", "}\x00{").split("\x00") if p.strip()):
        kind, _, identifier = part.strip("{}").partition(":")
        out.append({"type": kind, "identifier": identifier})
    return out


@dataclass(frozen=True)
class Kind:
    file: str  # the directory's kind: the CSV file's stem
    one: str  # the JSON key of a single object
    many: str  # of a collection
    columns: dict  # JSON name -> (CSV column, converter)

    def index(self, column: str) -> int:
        return ROSTERING[f"{self.file}.csv"].header.index(column) - 3

    def fields(self) -> dict[str, Field]:
        found = {"sourcedId": Field("sourcedId", "sourced_id"), "status": Field("status", "rr_status"),
                 "dateLastModified": Field("dateLastModified", "modified_at", "datetime")}
        for name, (column, convert) in self.columns.items():
            kind = "bool" if convert is _bool else "text"
            found[name] = Field(name, f"row__{self.index(column)}", kind)
        return found

    def to_json(self, item: RosterId) -> dict:
        out = {"sourcedId": item.sourced_id, "status": "active" if item.gone_at is None else "tobedeleted",
               "dateLastModified": item.modified_at.isoformat().replace("+00:00", "Z")}
        for name, (column, convert) in self.columns.items():
            out[name] = convert(item.row[self.index(column)])
        return out


PREFIX = "/ims/oneroster/rostering/v1p2/"
ORG = Kind("orgs", "org", "orgs", {
    "name": ("name", _text), "type": ("type", _text), "identifier": ("identifier", _text),
    "parent": ("parentSourcedId", _ref("orgs"))})
SESSION = Kind("academicSessions", "academicSession", "academicSessions", {
    "title": ("title", _text), "type": ("type", _text), "startDate": ("startDate", _text),
    "endDate": ("endDate", _text), "parent": ("parentSourcedId", _ref("academicSessions")),
    "schoolYear": ("schoolYear", _text)})
COURSE = Kind("courses", "course", "courses", {
    "title": ("title", _text), "schoolYear": ("schoolYearSourcedId", _ref("academicSessions")),
    "courseCode": ("courseCode", _text), "grades": ("grades", _list), "subjects": ("subjects", _list),
    "org": ("orgSourcedId", _ref("orgs")), "subjectCodes": ("subjectCodes", _list)})
CLASS = Kind("classes", "class", "classes", {
    "title": ("title", _text), "classCode": ("classCode", _text), "classType": ("classType", _text),
    "location": ("location", _text), "grades": ("grades", _list), "subjects": ("subjects", _list),
    "course": ("courseSourcedId", _ref("courses")), "school": ("schoolSourcedId", _ref("orgs")),
    "terms": ("termSourcedIds", _refs("academicSessions")), "subjectCodes": ("subjectCodes", _list),
    "periods": ("periods", _list)})
USER = Kind("users", "user", "users", {
    "enabledUser": ("enabledUser", _bool), "username": ("username", _text), "userIds": ("userIds", _user_ids),
    "givenName": ("givenName", _text), "familyName": ("familyName", _text), "middleName": ("middleName", _text),
    "identifier": ("identifier", _text), "email": ("email", _text), "sms": ("sms", _text),
    "phone": ("phone", _text), "agents": ("agentSourcedIds", _refs("users")), "grades": ("grades", _list),
    "primaryOrg": ("primaryOrgSourcedId", _ref("orgs")), "preferredGivenName": ("preferredGivenName", _text),
    "preferredFamilyName": ("preferredFamilyName", _text), "pronouns": ("pronouns", _text)})
ENROLLMENT = Kind("enrollments", "enrollment", "enrollments", {
    "class": ("classSourcedId", _ref("classes")), "school": ("schoolSourcedId", _ref("orgs")),
    "user": ("userSourcedId", _ref("users")), "role": ("role", _text), "primary": ("primary", _bool),
    "beginDate": ("beginDate", _text), "endDate": ("endDate", _text)})
DEMOGRAPHIC = Kind("demographics", "demographics", "demographics", {
    "birthDate": ("birthDate", _text), "sex": ("sex", _text)})
ROLE_COLUMNS = {"role": ROSTERING["roles.csv"].header.index("role") - 3,
                "roleType": ROSTERING["roles.csv"].header.index("roleType") - 3,
                "user": ROSTERING["roles.csv"].header.index("userSourcedId") - 3,
                "org": ROSTERING["roles.csv"].header.index("orgSourcedId") - 3}


# ---------------------------------------------------------------------------------------------------------
# Who is asking, and what they may see.

@dataclass
class Caller:
    app: App
    scopes: frozenset[str]
    schools: list[int]  # the ids of the schools the app serves: a list, so that a role's school is an index key
    region_keys: list[str]  # the directory keys of the regions it serves and those above them


def caller_of(request: HttpRequest) -> Caller:
    valid, oauth = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth, "access_token", None)
    if not valid or token is None or token.user_id is not None:
        raise OneRosterError(401, "unauthorisedrequest", "A valid access token of the app itself (OAuth 2 client "
                             "credentials, one of the scopes " + ", ".join(SCOPES) + ") is required.")
    app = token.application
    served = served_by(app)
    schools = School.objects.filter(pk__in=served.school_ids) if served.school_ids is not None else \
        School.objects.filter(district_id__in=served.region_ids)
    above = []
    region = app.region
    while region.parent_id:
        region = region.parent
        above.append(region.pk)
    keys = [f"region:{pk}" for pk in sorted(served.region_ids | set(above))]
    return Caller(app, frozenset(token.scope.split()), list(schools.values_list("pk", flat=True)), keys)


def require(caller: Caller, *any_of: str) -> None:
    if not caller.scopes & set(any_of):
        raise OneRosterError(403, "forbidden", "The token lacks the scope " + " or ".join(any_of) + ".",
                             region_contact(caller.app.region))


def _active(kind: str) -> QuerySet:
    return RosterId.objects.filter(LIVE, kind=kind).annotate(
        rr_status=Case(When(gone_at__isnull=True, then=Value("active")), default=Value("tobedeleted"),
                       output_field=CharField()))


def _role_users(caller: Caller, role: str | None = None, school: str | None = None) -> QuerySet:
    """The sourcedIds of the users holding a role (of this kind, at this school) at one of the app's schools: an
    index's entries (RosterId.user_sourced_id, written with each roles row), not every role's row read."""
    roles = RosterId.objects.filter(kind="roles", gone_at__isnull=True, school_id__in=caller.schools)
    if role:
        roles = roles.filter(**{f"row__{ROLE_COLUMNS['role']}": role})
    if school:
        roles = roles.filter(**{f"row__{ROLE_COLUMNS['org']}": school})
    return roles.values("user_sourced_id")


def visible(caller: Caller, kind: Kind) -> QuerySet:
    rows = _active(kind.file)
    if kind is ORG:
        return rows.filter(Q(local_key__in=caller.region_keys)
                           | Q(school_id__in=caller.schools, local_key__startswith="school:"))
    if kind is SESSION:
        return rows
    if kind is USER:
        return rows.filter(sourced_id__in=_role_users(caller))
    if kind is DEMOGRAPHIC:
        return rows.filter(sourced_id__in=_role_users(caller, "student"))
    return rows.filter(school_id__in=caller.schools)


def one(caller: Caller, kind: Kind, sourced_id: str, what: str | None = None, rows: QuerySet | None = None
        ) -> RosterId:
    found = (visible(caller, kind) if rows is None else rows).filter(sourced_id=sourced_id).first()
    if found is None:
        raise OneRosterError(404, "unknown_object", f"No {what or kind.one} {sourced_id!r} is visible to this app.",
                             region_contact(caller.app.region))
    return found


def collection(request: HttpRequest, kind: Kind, rows: QuerySet) -> JsonResponse:
    """A page of `rows` with the request's filter, sort, fields, limit and offset (OneRoster 1.2, 3.4)."""
    fields = kind.fields()
    params = request.GET
    try:
        if params.get("filter"):
            rows = rows.filter(to_q(parse_filter(params["filter"], fields)))
        order = parse_sort(params.get("sort"), params.get("orderBy"), fields)
        chosen = parse_fields(params.get("fields"), list(fields))
        limit, offset = parse_paging(params.get("limit"), params.get("offset"))
    except QueryError as exc:
        raise OneRosterError(400, exc.code, f"{exc.detail}") from exc
    total = rows.count()
    # The page's keys first, then its rows: the sort and the skipped offset carry keys, not every row's JSON.
    keys = list(rows.order_by(*order).values_list("pk", flat=True)[offset:offset + limit])
    found = RosterId.objects.in_bulk(keys)
    page = [found[pk] for pk in keys if pk in found]
    roles = _roles_of(request, [item.sourced_id for item in page]) if kind is USER else {}
    items = [_shaped(kind, item, chosen, roles) for item in page]
    response = JsonResponse({kind.many: items}, json_dumps_params={"ensure_ascii": False})
    response["X-Total-Count"] = str(total)
    query = {k: v for k, v in params.items() if k not in ("limit", "offset")}
    response["Link"] = link_header(request.path, query, limit=limit, offset=offset, total=total)
    return response


def single(request: HttpRequest, kind: Kind, item: RosterId) -> JsonResponse:
    try:
        chosen = parse_fields(request.GET.get("fields"), list(kind.fields()))
    except QueryError as exc:
        raise OneRosterError(400, exc.code, exc.detail) from exc
    roles = _roles_of(request, [item.sourced_id]) if kind is USER else {}
    return JsonResponse({kind.one: _shaped(kind, item, chosen, roles)},
                        json_dumps_params={"ensure_ascii": False})


def _shaped(kind: Kind, item: RosterId, chosen: list[str] | None, roles: dict[str, list[dict]]) -> dict:
    out = kind.to_json(item)
    if kind is USER:
        out["roles"] = roles.get(item.sourced_id, [])
    return {k: v for k, v in out.items() if k in chosen} if chosen else out


def _roles_of(request: HttpRequest, users: list[str]) -> dict[str, list[dict]]:
    """The roles of a page's users at the app's schools, in one query."""
    found: dict[str, list[dict]] = {}
    rows = RosterId.objects.filter(kind="roles", gone_at__isnull=True, school_id__in=request.rr_caller.schools,
                                   user_sourced_id__in=users).order_by("pk")
    for r in rows:
        found.setdefault(r.row[ROLE_COLUMNS["user"]], []).append({
            "roleType": r.row[ROLE_COLUMNS["roleType"]], "role": r.row[ROLE_COLUMNS["role"]],
            "org": _ref("orgs")(r.row[ROLE_COLUMNS["org"]])})
    return found


# ---------------------------------------------------------------------------------------------------------
# The endpoints.

api = NinjaAPI(title="Renrentong OneRoster 1.2 rostering (read-only)", version="1.2", urls_namespace="oneroster",
               description="OneRoster 1.2 rostering, read-only, for registered apps with their own token (OAuth 2 "
                           "client credentials at /oauth/token/). Only the schools the app serves are visible. "
                           "See docs/oneroster.md.", docs_url=None)


@api.exception_handler(OneRosterError)
def refused(request: HttpRequest, exc: OneRosterError) -> JsonResponse:
    response = JsonResponse(error_body(exc.code, exc.description, exc.contact), status=exc.status,
                            json_dumps_params={"ensure_ascii": False})
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="oneroster"'
    return response


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> JsonResponse:
    return refused(request, OneRosterError(400, "invalid_data", "The request's parameters are not valid."))


def _caller(request: HttpRequest, *scopes: str) -> Caller:
    if "\x00" in request.path or any("\x00" in v for vs in request.GET.lists() for v in vs[1]):
        raise OneRosterError(400, "invalid_data", "A request may not hold a NUL character.")
    caller = caller_of(request)
    require(caller, *scopes)
    request.rr_caller = caller
    return caller


class RosterListQuery(Schema):
    """OneRoster 1.2 collection parameters (section 3.4 of the REST binding); read as text so that a bad value
    gets the binding's own error code rather than a validation error."""

    limit: str | None = SchemaField(None, description="page size, default 100, at most 1000")
    offset: str | None = SchemaField(None, description="objects to skip, default 0")
    sort: str | None = SchemaField(None, description="a field to sort by")
    orderBy: str | None = SchemaField(None, description="asc (default) or desc")
    filter: str | None = SchemaField(None, description="e.g. familyName='张' AND dateLastModified>'2026-01-01'")
    fields: str | None = SchemaField(None, description="comma-separated fields to return")


class RosterOneQuery(Schema):
    fields: str | None = SchemaField(None, description="comma-separated fields to return")


ANSWERS = {200: dict, 400: dict, 401: dict, 403: dict, 404: dict}
Id = Path(..., description="a sourcedId")


def _by_ref(kind: Kind, column: str, value: str) -> Q:
    return Q(**{f"row__{kind.index(column)}": value})


def _in_enrollments(caller: Caller, column: str, **where: str) -> QuerySet:
    """The `column` (a sourcedId) of the enrollments in the app's schools that match `where`."""
    rows = RosterId.objects.filter(kind="enrollments", gone_at__isnull=True, school_id__in=caller.schools)
    for name, value in where.items():
        rows = rows.filter(_by_ref(ENROLLMENT, name, value))
    return rows.annotate(picked=KeyTextTransform(str(ENROLLMENT.index(column)), "row")).values("picked")


# Collections and single objects -------------------------------------------------------------------------

def _plain(kind: Kind, path: str, scopes: tuple[str, ...], label: str, extra: Q | None = None,
           role: str | None = None) -> None:
    def rows_of(caller: Caller) -> QuerySet:
        rows = visible(caller, kind)
        if extra is not None:
            rows = rows.filter(extra)
        if role:
            rows = rows.filter(sourced_id__in=_role_users(caller, role))
        return rows

    def listing(request: HttpRequest, q: Query[RosterListQuery]):
        return collection(request, kind, rows_of(_caller(request, *scopes)))

    def getting(request: HttpRequest, q: Query[RosterOneQuery], sourcedId: str = Id):
        caller = _caller(request, *scopes)
        return single(request, kind, one(caller, kind, sourcedId, label, rows_of(caller)))

    api.get(f"/{path}", response=ANSWERS, summary=f"All {path}", operation_id=f"getAll{path[0].upper()}{path[1:]}",
            tags=[path])(listing)
    api.get(f"/{path}/{{sourcedId}}", response=ANSWERS, summary=f"One {label}",
            operation_id=f"get{label[0].upper()}{label[1:]}", tags=[path])(getting)


CORE_SCOPES, DEMOGRAPHIC_SCOPES = (CORE, FULL), (FULL, DEMOGRAPHICS)
_plain(SESSION, "academicSessions", CORE_SCOPES, "academicSession")
_plain(SESSION, "terms", CORE_SCOPES, "term", extra=Q(row__1="term"))
_plain(SESSION, "gradingPeriods", CORE_SCOPES, "gradingPeriod", extra=Q(row__1="gradingPeriod"))
_plain(CLASS, "classes", CORE_SCOPES, "class")
_plain(COURSE, "courses", CORE_SCOPES, "course")
_plain(DEMOGRAPHIC, "demographics", DEMOGRAPHIC_SCOPES, "demographics")
_plain(ENROLLMENT, "enrollments", CORE_SCOPES, "enrollment")
_plain(ORG, "orgs", CORE_SCOPES, "org")
_plain(ORG, "schools", CORE_SCOPES, "school", extra=Q(row__1="school"))
_plain(USER, "users", CORE_SCOPES, "user")
_plain(USER, "students", CORE_SCOPES, "student", role="student")
_plain(USER, "teachers", CORE_SCOPES, "teacher", role="teacher")


# Nested paths ---------------------------------------------------------------------------------------------

def _school(caller: Caller, school: str) -> RosterId:
    return one(caller, ORG, school, "school")


@api.get("/schools/{schoolSourcedId}/classes", response=ANSWERS, tags=["schools"], summary="A school's classes")
def classes_of_school(request: HttpRequest, q: Query[RosterListQuery], schoolSourcedId: str = Id):
    caller = _caller(request, *CORE_SCOPES)
    _school(caller, schoolSourcedId)
    return collection(request, CLASS, visible(caller, CLASS).filter(_by_ref(CLASS, "schoolSourcedId",
                                                                            schoolSourcedId)))


@api.get("/schools/{schoolSourcedId}/courses", response=ANSWERS, tags=["schools"], summary="A school's courses")
def courses_of_school(request: HttpRequest, q: Query[RosterListQuery], schoolSourcedId: str = Id):
    caller = _caller(request, *CORE_SCOPES)
    _school(caller, schoolSourcedId)
    return collection(request, COURSE, visible(caller, COURSE).filter(_by_ref(COURSE, "orgSourcedId",
                                                                              schoolSourcedId)))


@api.get("/schools/{schoolSourcedId}/enrollments", response=ANSWERS, tags=["schools"],
         summary="A school's enrollments")
def enrollments_of_school(request: HttpRequest, q: Query[RosterListQuery], schoolSourcedId: str = Id):
    caller = _caller(request, *CORE_SCOPES)
    _school(caller, schoolSourcedId)
    return collection(request, ENROLLMENT, visible(caller, ENROLLMENT).filter(
        _by_ref(ENROLLMENT, "schoolSourcedId", schoolSourcedId)))


def _people_of_school(request, school: str, role: str):
    caller = _caller(request, *CORE_SCOPES)
    _school(caller, school)
    return collection(request, USER, visible(caller, USER).filter(
        sourced_id__in=_role_users(caller, role, school)))


@api.get("/schools/{schoolSourcedId}/students", response=ANSWERS, tags=["schools"], summary="A school's students")
def students_of_school(request: HttpRequest, q: Query[RosterListQuery], schoolSourcedId: str = Id):
    return _people_of_school(request, schoolSourcedId, "student")


@api.get("/schools/{schoolSourcedId}/teachers", response=ANSWERS, tags=["schools"], summary="A school's teachers")
def teachers_of_school(request: HttpRequest, q: Query[RosterListQuery], schoolSourcedId: str = Id):
    return _people_of_school(request, schoolSourcedId, "teacher")


@api.get("/schools/{schoolSourcedId}/terms", response=ANSWERS, tags=["schools"], summary="A school's terms")
def terms_of_school(request: HttpRequest, q: Query[RosterListQuery], schoolSourcedId: str = Id):
    caller = _caller(request, *CORE_SCOPES)
    _school(caller, schoolSourcedId)
    return collection(request, SESSION, visible(caller, SESSION).filter(row__1="term"))


def _members_of_class(request, class_id: str, role: str, school: str | None = None):
    caller = _caller(request, *CORE_SCOPES)
    if school is not None:
        _school(caller, school)
    found = one(caller, CLASS, class_id)
    if school is not None and found.row[CLASS.index("schoolSourcedId")] != school:
        raise OneRosterError(404, "unknown_object", f"No class {class_id!r} in school {school!r}.")
    users = _in_enrollments(caller, "userSourcedId", classSourcedId=class_id, role=role)
    return collection(request, USER, visible(caller, USER).filter(sourced_id__in=users))


@api.get("/classes/{classSourcedId}/students", response=ANSWERS, tags=["classes"], summary="A class's students")
def students_of_class(request: HttpRequest, q: Query[RosterListQuery], classSourcedId: str = Id):
    return _members_of_class(request, classSourcedId, "student")


@api.get("/classes/{classSourcedId}/teachers", response=ANSWERS, tags=["classes"], summary="A class's teachers")
def teachers_of_class(request: HttpRequest, q: Query[RosterListQuery], classSourcedId: str = Id):
    return _members_of_class(request, classSourcedId, "teacher")


@api.get("/schools/{schoolSourcedId}/classes/{classSourcedId}/enrollments", response=ANSWERS, tags=["schools"],
         summary="The enrollments of a class in a school")
def enrollments_of_class_in_school(request: HttpRequest, q: Query[RosterListQuery], schoolSourcedId: str = Id,
                                   classSourcedId: str = Id):
    caller = _caller(request, *CORE_SCOPES)
    _school(caller, schoolSourcedId)
    one(caller, CLASS, classSourcedId)
    return collection(request, ENROLLMENT, visible(caller, ENROLLMENT).filter(
        _by_ref(ENROLLMENT, "classSourcedId", classSourcedId), _by_ref(ENROLLMENT, "schoolSourcedId",
                                                                       schoolSourcedId)))


@api.get("/schools/{schoolSourcedId}/classes/{classSourcedId}/students", response=ANSWERS, tags=["schools"],
         summary="The students of a class in a school")
def students_of_class_in_school(request: HttpRequest, q: Query[RosterListQuery], schoolSourcedId: str = Id,
                                classSourcedId: str = Id):
    return _members_of_class(request, classSourcedId, "student", schoolSourcedId)


@api.get("/schools/{schoolSourcedId}/classes/{classSourcedId}/teachers", response=ANSWERS, tags=["schools"],
         summary="The teachers of a class in a school")
def teachers_of_class_in_school(request: HttpRequest, q: Query[RosterListQuery], schoolSourcedId: str = Id,
                                classSourcedId: str = Id):
    return _members_of_class(request, classSourcedId, "teacher", schoolSourcedId)


@api.get("/courses/{courseSourcedId}/classes", response=ANSWERS, tags=["courses"], summary="A course's classes")
def classes_of_course(request: HttpRequest, q: Query[RosterListQuery], courseSourcedId: str = Id):
    caller = _caller(request, *CORE_SCOPES)
    one(caller, COURSE, courseSourcedId)
    return collection(request, CLASS, visible(caller, CLASS).filter(_by_ref(CLASS, "courseSourcedId",
                                                                            courseSourcedId)))


def _classes_of_user(request, user: str, role: str | None):
    caller = _caller(request, *CORE_SCOPES)
    rows = visible(caller, USER)
    if role:
        rows = rows.filter(sourced_id__in=_role_users(caller, role))
    if not rows.filter(sourced_id=user).exists():
        raise OneRosterError(404, "unknown_object", f"No {role or 'user'} {user!r} is visible to this app.",
                             region_contact(caller.app.region))
    classes = _in_enrollments(caller, "classSourcedId", userSourcedId=user)
    return collection(request, CLASS, visible(caller, CLASS).filter(sourced_id__in=classes))


@api.get("/users/{userSourcedId}/classes", response=ANSWERS, tags=["users"], summary="A user's classes")
def classes_of_user(request: HttpRequest, q: Query[RosterListQuery], userSourcedId: str = Id):
    return _classes_of_user(request, userSourcedId, None)


@api.get("/students/{studentSourcedId}/classes", response=ANSWERS, tags=["students"], summary="A student's classes")
def classes_of_student(request: HttpRequest, q: Query[RosterListQuery], studentSourcedId: str = Id):
    return _classes_of_user(request, studentSourcedId, "student")


@api.get("/teachers/{teacherSourcedId}/classes", response=ANSWERS, tags=["teachers"], summary="A teacher's classes")
def classes_of_teacher(request: HttpRequest, q: Query[RosterListQuery], teacherSourcedId: str = Id):
    return _classes_of_user(request, teacherSourcedId, "teacher")
