"""Pages render a refusal one way, as the API does with its exception handler.

A service raises UserFacingError; no view catches it to render it by hand. RefusalMiddleware turns an
uncaught refusal into the error page, or into the error fragment when htmx asked (so the fragment
lands where the request's target is). A form page that must show the refusal beside what was typed
names its page renderer with `@on_refusal(page)`: the refusal re-renders that page with the error,
and the form, bound to request.POST, still holds the user's input.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renrentong.core.errors import UserFacingError

PageRenderer = Callable[..., HttpResponse]


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def refusal_response(request: HttpRequest, error: UserFacingError) -> HttpResponse:
    """The error page, or the error fragment for htmx, with the refusal's status."""
    template = "error_fragment.html" if is_htmx(request) else "error.html"
    response = render(request, template, {"error": error}, status=error.status)
    if is_htmx(request):
        # htmx swaps nothing on a 4xx by default; these headers let the fragment show where asked.
        response["HX-Reswap"] = "innerHTML"
    return response


def render_page(request: HttpRequest, template: str, context: dict, error: UserFacingError | None = None,
                ) -> HttpResponse:
    """A page that may carry a refusal: the error goes into the context and sets the status."""
    return render(request, template, {**context, "error": error}, status=error.status if error else 200)


def on_refusal(page: PageRenderer) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A refusal raised by the decorated view re-renders `page(request, *args, error=..., **kwargs)`."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except UserFacingError as error:
                return page(request, *args, error=error, **kwargs)

        return wrapped

    return decorate


def unless_unseen(page: PageRenderer) -> PageRenderer:
    """For `@on_refusal` on an action about one object: a refusal re-renders `page(request, error)`,
    except "scope.not_found", which has nothing to show beside it and goes on to the error page."""

    def rerender(request: HttpRequest, *args, error: UserFacingError, **kwargs) -> HttpResponse:
        if error.code == "scope.not_found":
            raise error
        return page(request, error)

    return rerender


class RefusalMiddleware:
    """Renders a refusal no view handled. API paths are left to the API's own exception handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UserFacingError) and not request.path.startswith("/api/"):
            return refusal_response(request, exception)
        return None
