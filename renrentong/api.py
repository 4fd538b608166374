"""The JSON API root under /api/v1/ (INT-3): bearer-token auth and one error shape for everything."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.errors import AuthenticationError, HttpError, ValidationError

from renrentong.accounts.login.auth import token_auth
from renrentong.core.availability import CACHE_ERRORS
from renrentong.core.errors import UserFacingError
from renrentong.core.validation import validation_error


class ReadableJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


# The one name under which every multipart operation takes its file (File(...) parameters are all `file`).
FILE_FIELD = "file"


class TextParser(Parser):
    """Query and form text never holds a NUL: PostgreSQL refuses one in any query (schemathesis sent one in
    an upload's key, a 500), and no field means one, so it is refused naming the field.

    A form value sent as a file part (a `kind` with a filename) lands in request.FILES, where the form never
    looks: the value would read as absent and its default be used (a teachers' file imported as students), so
    a file under any name but FILE_FIELD is refused naming that field (schemathesis found it)."""

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict:
        where = "query" if data is request.GET else "form"
        errors = [{"loc": (where, key), "type": "text_nul", "msg": "a NUL character in text"}
                  for key, values in data.lists() for value in values if isinstance(value, str) and "\x00" in value]
        if data is request.POST:
            errors += [{"loc": ("form", key), "type": "file_not_value", "msg": "a file where a value is expected"}
                       for key in request.FILES if key != FILE_FIELD]
        if errors:
            raise ValidationError(errors)
        return super().parse_querydict(data, list_fields, request)


NO_NUL = "^[^\\u0000]*$"


def _text_without_nul(schema: dict) -> None:
    for choice in schema.get("anyOf", ()):
        _text_without_nul(choice)
    if schema.get("type") == "string" and not {"pattern", "enum", "format", "const"} & schema.keys():
        schema["pattern"] = NO_NUL


class PlatformAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema says what TextParser enforces: query and form text holds no NUL (so clients and
        schemathesis know such a request is refused, not accepted)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", ()):
                    if parameter.get("in") == "query":
                        _text_without_nul(parameter["schema"])
                form = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
                for field in (form or {}).get("schema", {}).get("properties", {}).values():
                    _text_without_nul(field)
        return schema


api = PlatformAPI(
    renderer=ReadableJSONRenderer(),
    parser=TextParser(),
    title="Renrentong API",
    version="1",
    description=(
        "The platform's JSON API for mobile clients and apps. Log in with POST /auth/login to get a "
        "bearer token. Every error is JSON {code, message, who_can_fix, contact} with a 4xx status; "
        "send Accept-Language: en for English messages (Simplified Chinese by default)."
    ),
    urls_namespace="api",
    auth=token_auth,
)


def _error(request: HttpRequest, error: UserFacingError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=error.status)


@api.exception_handler(UserFacingError)
def user_facing(request: HttpRequest, exc: UserFacingError) -> HttpResponse:
    return _error(request, exc)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, UserFacingError("auth.required"))


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # One message per field in the request's language, naming the field as users know it (HELP-1).
    error, fields = validation_error(exc.errors)
    return api.create_response(request, {**error.as_dict(), "fields": fields}, status=error.status)


def cache_unreachable(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Fail closed with a clear answer wherever the cache is read first (policies, limits): never a 500.
    return _error(request, UserFacingError("service.busy"))


for _unreachable in CACHE_ERRORS:
    api.add_exception_handler(_unreachable, cache_unreachable)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 404:
        return _error(request, UserFacingError("request.not_found"))
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return _error(request, UserFacingError("request.body_not_json"))
    return _error(request, UserFacingError("request.invalid", detail=str(exc), status=exc.status_code))


from renrentong.accounts.api import router as accounts_router  # noqa: E402
from renrentong.orgs.api import router as orgs_router  # noqa: E402
from renrentong.realname.api import router as realname_router  # noqa: E402
from renrentong.rollover.api import router as rollover_router  # noqa: E402
from renrentong.rosters.api import router as rosters_router  # noqa: E402
from renrentong.schooladmin.api import router as schooladmin_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/", "renrentong.accounts.recovery.api.router")  # recovery, code login, second factor
api.add_router("/orgs", orgs_router)
api.add_router("/orgs", "renrentong.accounts.admin_roles.api.router")  # school admin roles (ADM-6)
api.add_router("/orgs", "renrentong.accounts.people.api.router")  # the students of a class
api.add_router("/rosters", rosters_router)
api.add_router("/school", schooladmin_router)
api.add_router("/school", "renrentong.keyinfo.api.router")  # key information (KEY-1..KEY-3)
api.add_router("/verification", "renrentong.accounts.phones.api.router")  # phone binding, the SMS outbox
api.add_router("/realname", realname_router)
api.add_router("/rollover", rollover_router)
api.add_router("/", "renrentong.accounts.family.api.router")  # resets by others, parents' children
api.add_router("/audit", "renrentong.auditlog.api.router")  # the audit log
api.add_router("/", "renrentong.notices.api.router")  # sending notices (MSG-1)
api.add_router("/files", "renrentong.uploads.api.router")  # uploads (SPC-4)
api.add_router("/class-groups/", "renrentong.classgroups.api.router")  # class groups (SPC-3)
api.add_router("/push", "renrentong.push.api.router")  # Web Push subscriptions, the push outbox (MSG-4)
api.add_router("/wechat", "renrentong.wechat.api.router")  # WeChat binding and who follows (MSG-2)
api.add_router("/spaces", "renrentong.spaces.api.router")  # posts, feeds, moderation (SPC-1, SPC-2)
api.add_router("/inbox", "renrentong.notices.inbox.api.router")  # the inbox (issue 13 item 2)
api.add_router("/receipts", "renrentong.notices.receipts.api.router")  # read receipts (MSG-3)
api.add_router("/evaluation", "renrentong.evaluation.api.router")  # evaluation material (EVA-1..EVA-3)
api.add_router("/evaluation/peer", "renrentong.evaluation.peer.api.router")  # peer evaluation (EVA-5)
api.add_router("/evaluation/progress", "renrentong.evaluation.progress.api.router")  # progress (EVA-4)
api.add_router("/evaluation/archive", "renrentong.evaluation.archive.api.router")  # archives (issue 14 item 8)
api.add_router("/evaluation/review", "renrentong.evaluation.review.api.router")  # the school's review, 公示 (item 4)
api.add_router("/evaluation/scores", "renrentong.evaluation.scores.api.router")  # academic scores (EVA-6)
api.add_router("/exports", "renrentong.exports.api.router")  # export jobs written by the worker (issue 12 item 5)
api.add_router("/stats", "renrentong.stats.api.router")  # usage statistics and charts (STAT-1, STAT-2)
api.add_router("/activities/", "renrentong.activities.api.router")  # activities and sign-ups (ACT-1)
api.add_router("/lessonprep", "renrentong.resources.lessonprep.api.router")  # lesson preparation (RES-4)
api.add_router("/resources/classroom/", "renrentong.resources.classroom.api.router")  # smart classroom (RES-1, RES-3)
api.add_router("/practice", "renrentong.resources.practice.api.router")  # online practice (RES-2)
api.add_router("/help", "renrentong.orgs.help.api.router")  # the FAQ and support contacts (HELP-2)
api.add_router("/apps", "renrentong.integration.api.router")  # apps signing users in through us (INT-1)
api.add_router("/oneroster", "renrentong.integration.oneroster.api.router")  # OneRoster CSV packages (INT-2)

__all__ = ["api"]
