"""The OneRoster 1.2 CSV binding (1EdTech, Final Release 1.2.1) as data: the files a package may hold, each
rostering file's exact header, what must be filled in, the enumerations, and which columns name other objects.

The checker (csvcheck.py) reads only this module for the format, so a change to the binding is a change here.
We import the rostering files; the gradebook and resource files are known to the manifest but not read."""

from __future__ import annotations

from dataclasses import dataclass, field

MANIFEST = "manifest.csv"
MANIFEST_HEADER = ("propertyName", "value")
# Properties whose value is fixed by the version of the binding we read.
MANIFEST_VERSIONS = {"manifest.version": "1.0", "oneroster.version": "1.2"}
MANIFEST_OPTIONAL = frozenset({"source.systemName", "source.systemCode"})
MODES = frozenset({"bulk", "delta", "absent"})

# Every data file the 1.2 manifest must describe, by the name in its `file.<name>` property.
MANIFEST_FILES = (
    "academicSessions", "categories", "classes", "classResources", "courses", "courseResources", "demographics",
    "enrollments", "lineItemLearningObjectiveIds", "lineItems", "lineItemScoreScales", "orgs", "resources",
    "resultLearningObjectiveIds", "results", "resultScoreScales", "roles", "scoreScales", "userProfiles",
    "userResources", "users",
)

# The binding lets a producer add its own columns after the defined ones, named metadata.<anything>.
METADATA_PREFIX = "metadata."

# Every rostering file starts with these three; the last two are blank in bulk and filled in delta.
STATUS = "status"
DATE_LAST_MODIFIED = "dateLastModified"
DELTA_STATUSES = frozenset({"active", "tobedeleted"})
TO_BE_DELETED = "tobedeleted"

BOOLEANS = frozenset({"true", "false"})
# CEDS entry grade levels, as the binding lists them; a `grades` cell holds several, comma-separated.
GRADES = frozenset(["IT", "PR", "PK", "TK", "KG", *(f"{n:02d}" for n in range(1, 14)), "PS", "UG", "Other"])


@dataclass(frozen=True)
class Reference:
    """A column holding the sourcedId of an object in `target` (a file name); `many` when it holds a
    comma-separated list of them."""

    column: str
    target: str
    many: bool = False


@dataclass(frozen=True)
class FileFormat:
    name: str
    header: tuple[str, ...]
    required: tuple[str, ...]
    enums: dict[str, frozenset[str]] = field(default_factory=dict)
    dates: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    user_ids: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()


def _header(columns: str) -> tuple[str, ...]:
    return tuple(columns.split(","))


ACADEMIC_SESSIONS = FileFormat(
    name="academicSessions.csv",
    header=_header("sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear"),
    required=("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
    enums={"type": frozenset({"gradingPeriod", "semester", "schoolYear", "term"})},
    dates=("startDate", "endDate"),
    years=("schoolYear",),
    references=(Reference("parentSourcedId", "academicSessions.csv"),),
)

ORGS = FileFormat(
    name="orgs.csv",
    header=_header("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId"),
    required=("sourcedId", "name", "type"),
    enums={"type": frozenset({"department", "school", "district", "local", "state", "national"})},
    references=(Reference("parentSourcedId", "orgs.csv"),),
)

COURSES = FileFormat(
    name="courses.csv",
    header=_header("sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,"
                   "subjects,subjectCodes"),
    required=("sourcedId", "title", "orgSourcedId"),
    grades=("grades",),
    references=(Reference("schoolYearSourcedId", "academicSessions.csv"), Reference("orgSourcedId", "orgs.csv")),
)

CLASSES = FileFormat(
    name="classes.csv",
    header=_header("sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
                   "schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods"),
    required=("sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"),
    enums={"classType": frozenset({"homeroom", "scheduled"})},
    grades=("grades",),
    references=(
        Reference("courseSourcedId", "courses.csv"),
        Reference("schoolSourcedId", "orgs.csv"),
        Reference("termSourcedIds", "academicSessions.csv", many=True),
    ),
)

# resourceSourcedIds names resources.csv, which we do not read, so it is not checked as a reference.
USERS = FileFormat(
    name="users.csv",
    header=_header("sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,"
                   "identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,"
                   "resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,"
                   "primaryOrgSourcedId,pronouns"),
    required=("sourcedId", "enabledUser", "givenName", "familyName"),
    enums={"enabledUser": BOOLEANS},
    grades=("grades",),
    user_ids=("userIds",),
    references=(
        Reference("agentSourcedIds", "users.csv", many=True),
        Reference("primaryOrgSourcedId", "orgs.csv"),
    ),
)

# userProfileSourcedId names userProfiles.csv, which we do not read.
ROLES = FileFormat(
    name="roles.csv",
    header=_header("sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,"
                   "userProfileSourcedId"),
    required=("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
    enums={
        "roleType": frozenset({"primary", "secondary"}),
        "role": frozenset({"aide", "counselor", "districtAdministrator", "guardian", "parent", "principal", "proctor",
                           "relative", "siteAdministrator", "student", "systemAdministrator", "teacher"}),
    },
    dates=("beginDate", "endDate"),
    references=(Reference("userSourcedId", "users.csv"), Reference("orgSourcedId", "orgs.csv")),
)

ENROLLMENTS = FileFormat(
    name="enrollments.csv",
    header=_header("sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,"
                   "beginDate,endDate"),
    required=("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
    enums={"role": frozenset({"administrator", "proctor", "student", "teacher"}), "primary": BOOLEANS},
    dates=("beginDate", "endDate"),
    references=(
        Reference("classSourcedId", "classes.csv"),
        Reference("schoolSourcedId", "orgs.csv"),
        Reference("userSourcedId", "users.csv"),
    ),
)

_RACE_FLAGS = ("americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
               "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
               "hispanicOrLatinoEthnicity")

# A demographics row describes a user, so its own sourcedId is that user's.
DEMOGRAPHICS = FileFormat(
    name="demographics.csv",
    header=_header("sourcedId,status,dateLastModified,birthDate,sex," + ",".join(_RACE_FLAGS)
                   + ",countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus"),
    required=("sourcedId",),
    enums={"sex": frozenset({"male", "female", "other", "unspecified"}), **{flag: BOOLEANS for flag in _RACE_FLAGS}},
    dates=("birthDate",),
    references=(Reference("sourcedId", "users.csv"),),
)

# In the order they are checked: every file after the files its references point into (a file's references
# into itself are resolved once the whole file is read).
ROSTERING = {f.name: f for f in (ACADEMIC_SESSIONS, ORGS, COURSES, CLASSES, USERS, ROLES, ENROLLMENTS, DEMOGRAPHICS)}
