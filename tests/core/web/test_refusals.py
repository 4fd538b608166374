"""A refusal raised by a page is rendered once: the error page, or the error fragment for htmx."""

from django.http import HttpResponse

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import RefusalMiddleware, on_refusal


def _unused(request):
    raise AssertionError("the middleware only handles exceptions here")


def test_htmx_refusal_is_a_fragment_not_a_page(rf):
    request = rf.get("/school/users/", HTTP_HX_REQUEST="true")
    response = RefusalMiddleware(_unused).process_exception(request, UserFacingError("auth.required"))
    body = response.content.decode()
    assert response.status_code == 401
    assert 'data-code="auth.required"' in body
    assert "<html" not in body
    assert response["HX-Reswap"] == "innerHTML"


def test_plain_refusal_is_the_whole_error_page(rf):
    request = rf.get("/school/users/")
    response = RefusalMiddleware(_unused).process_exception(request, UserFacingError("auth.required"))
    assert response.status_code == 401
    assert "<html" in response.content.decode()
    assert 'data-code="auth.required"' in response.content.decode()


def test_api_refusals_are_left_to_the_api_handler(rf):
    request = rf.get("/api/v1/me")
    assert RefusalMiddleware(_unused).process_exception(request, UserFacingError("auth.required")) is None


def test_other_exceptions_are_not_refusals(rf):
    assert RefusalMiddleware(_unused).process_exception(rf.get("/"), ValueError("boom")) is None


def test_on_refusal_rerenders_the_page_with_what_was_typed(rf):
    def page(request, error=None):
        return HttpResponse(f"typed={request.POST.get('name')} error={error.code if error else ''}",
                            status=error.status if error else 200)

    @on_refusal(page)
    def view(request):
        raise UserFacingError("auth.required")

    response = view(rf.post("/x", {"name": "张三"}))
    assert response.status_code == 401
    assert response.content.decode() == "typed=张三 error=auth.required"


def test_an_action_on_an_unseen_object_goes_to_the_error_page_not_beside_the_list(rf):
    import pytest

    from renrentong.core.web.refusals import unless_unseen

    def page(request, error=None):
        return HttpResponse(f"list error={error.code}", status=error.status)

    @on_refusal(unless_unseen(page))
    def act(request, request_id, action):
        raise UserFacingError(action)

    assert act(rf.post("/x"), 1, "auth.required").content.decode() == "list error=auth.required"
    with pytest.raises(UserFacingError) as unseen:
        act(rf.post("/x"), 1, "scope.not_found")
    assert unseen.value.code == "scope.not_found"
