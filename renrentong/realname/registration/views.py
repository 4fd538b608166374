"""Pages of teacher self-registration (ACC-4): the form with its phone code, the confirmation, the status
page where an applicant reads a refusal and applies again, and the school suggestions the form loads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from renrentong.core.errors import UserFacingError
from renrentong.realname.models import RegistrationApplication

from renrentong.realname.registration import services as registration
from renrentong.core.web.client import client_address

FIELDS = ("school", "account_name", "name", "id_number", "phone", "token", "code")
SESSION_DONE = "registration_application"


def register_page(request: HttpRequest) -> HttpResponse:
    values = {key: request.POST.get(key, "") for key in FIELDS}
    error = None
    sent_to = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "send_code":
                challenge = registration.send_registration_code(values["phone"], source=client_address(request),
                                                                school=values["school"])
                values["token"] = challenge.token
                values["code"] = ""
                sent_to = challenge.masked_target
            else:
                application = registration.register(registration.RegistrationForm(
                    password=request.POST.get("password", ""),
                    repeat_password=request.POST.get("repeat_password", ""), **values,
                ), source=client_address(request))
                request.session[SESSION_DONE] = application.pk
                return redirect("accounts:register_done")
        except UserFacingError as exc:
            error = exc
    return render(request, "accounts/register.html", {"values": values, "error": error, "sent_to": sent_to},
                  status=error.status if error else 200)


def register_done_page(request: HttpRequest) -> HttpResponse:
    application = (RegistrationApplication.objects.filter(pk=request.session.get(SESSION_DONE) or 0)
                   .select_related("account", "school").first())
    if application is None:
        return redirect("accounts:register")
    return render(request, "accounts/register_done.html", {"application": application})


def register_status_page(request: HttpRequest) -> HttpResponse:
    """The applicant cannot log in before approval, so the account name (or phone) and password show
    the application here; a refused one can be sent again, to the same or another school."""
    error = None
    application = None
    identifier = request.POST.get("identifier", "")
    school = request.POST.get("school", "")
    if request.method == "POST":
        password = request.POST.get("password", "")
        try:
            if request.POST.get("action") == "reapply":
                application = registration.reapply(identifier, password, school, source=client_address(request))
            else:
                application = registration.application_status(identifier, password, source=client_address(request))
        except UserFacingError as exc:
            error = exc
    return render(request, "accounts/register_status.html", {
        "error": error, "application": application, "identifier": identifier, "school": school,
    }, status=error.status if error else 200)


@require_GET
def register_schools_fragment(request: HttpRequest) -> HttpResponse:
    """<option>s for the school field's datalist, loaded by htmx as the applicant types."""
    return render(request, "accounts/register_schools.html",
                  {"schools": registration.search_schools(request.GET.get("school", ""))})
