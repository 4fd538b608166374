"""The answer when a request fails because the database or the cache cannot be reached (a failover, a restart):
503 with who can fix it, never a bare 500 (issue 16 item 3).

This is Django's handler500, not a middleware: a connection error can come from any middleware (the session,
the actor) and Django turns it into a 500 at that layer, out of reach of the middlewares around it. The handler
renders without context processors, which would query the database that is down."""

from __future__ import annotations

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from renrentong.core.availability import CACHE_ERRORS
from renrentong.core.errors import UserFacingError

RETRY_AFTER_SECONDS = 5


def _outage(exc: BaseException | None) -> str | None:
    if isinstance(exc, (OperationalError, InterfaceError)):
        return "service.database_unavailable"
    # The driver lost track of the connection on its own, without an error from the server: behind PgBouncer, when
    # the server went away mid-conversation, psycopg reports "received 2 results from command 'BEGIN'" as an
    # InternalError. An error the server reported carries its SQLSTATE and stays a 500 (a bug to fix). Django
    # checks a connection that raised before the next request uses it (close_if_unusable_or_obsolete).
    cause = exc.__cause__ if isinstance(exc, DatabaseError) else None
    if cause is not None and hasattr(cause, "sqlstate") and cause.sqlstate is None:
        return "service.database_unavailable"
    if isinstance(exc, CACHE_ERRORS):
        return "service.busy"
    return None


def server_error(request: HttpRequest) -> HttpResponse:
    code = _outage(sys.exc_info()[1])
    if code is None:
        return defaults.server_error(request)
    error = UserFacingError(code)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(error.as_dict(), status=error.status,
                                              json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.render_to_string("outage.html", {"error": error}), status=error.status)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
