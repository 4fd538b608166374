"""Pages of teacher self-registration (ACC-4): the form with its phone code, the confirmation, the status
page where an applicant reads a refusal and applies again, and the school suggestions the form loads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from renrentong.core.web.forms import valid
from renrentong.core.errors import UserFacingError
from renrentong.core.web.client import client_address
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.accounts.passwords.rules import password_rules
from renrentong.realname.registration import services as registration
from renrentong.realname.registration.forms import FIELDS, RegisterForm, RegistrationStatusForm

SESSION_DONE = "registration_application"


def _register_form_page(request: HttpRequest, error: UserFacingError | None = None, *, values: dict | None = None,
                        sent_to: str = "") -> HttpResponse:
    if values is None:
        values = {key: request.POST.get(key, "") for key in FIELDS}
    rules = password_rules(registration.platform_policy(), repeat_id="repeat_password")
    form = RegisterForm(request.POST if request.method == "POST" else None, rules=rules)
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "accounts/register.html", {"values": values, "sent_to": sent_to, "form": form},
                       error)


@on_refusal(_register_form_page)
def register_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _register_form_page(request)
    data = valid(RegisterForm(request.POST))
    values = {key: data[key] for key in FIELDS}
    if data["action"] == "send_code":
        challenge = registration.send_registration_code(values["phone"], source=client_address(request),
                                                        school=values["school"])
        return _register_form_page(request, values={**values, "token": challenge.token, "code": ""},
                                   sent_to=challenge.masked_target)
    application = registration.register(registration.RegistrationForm(
        password=data["password"], repeat_password=data["repeat_password"], **values,
    ), source=client_address(request))
    request.session[SESSION_DONE] = application.pk
    return redirect("accounts:register_done")


def register_done_page(request: HttpRequest) -> HttpResponse:
    application = registration.submitted_application(request.session.get(SESSION_DONE))
    if application is None:
        return redirect("accounts:register")
    return render(request, "accounts/register_done.html", {"application": application})


def _register_status_form_page(request: HttpRequest, error: UserFacingError | None = None,
                               application=None) -> HttpResponse:
    return render_page(request, "accounts/register_status.html", {
        "application": application, "identifier": request.POST.get("identifier", ""),
        "school": request.POST.get("school", ""),
    }, error)


@on_refusal(_register_status_form_page)
def register_status_page(request: HttpRequest) -> HttpResponse:
    """The applicant cannot log in before approval, so the account name (or phone) and password show
    the application here; a refused one can be sent again, to the same or another school."""
    if request.method != "POST":
        return _register_status_form_page(request)
    data = valid(RegistrationStatusForm(request.POST))
    if data["action"] == "reapply":
        application = registration.reapply(data["identifier"], data["password"], data["school"],
                                           source=client_address(request))
    else:
        application = registration.application_status(data["identifier"], data["password"],
                                                       source=client_address(request))
    return _register_status_form_page(request, application=application)


@require_GET
def register_schools_fragment(request: HttpRequest) -> HttpResponse:
    """<option>s for the school field's datalist, loaded by htmx as the applicant types."""
    return render(request, "accounts/register_schools.html",
                  {"schools": registration.search_schools(request.GET.get("school", ""))})
