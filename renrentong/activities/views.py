"""Activity pages (ACT-1): for parents on the phone (activities open to my children, the detail with time,
place, programme and what to bring, signing up each child, my sign-ups with their status, cancelling), for
admins in the console (publish and edit, the sign-up list by status with approve, refuse and bulk approve,
its export, attendance)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.activities import access, exporting, filing, selectors, services
from renrentong.activities.forms import (
    ActivityForm, AttendanceForm, BulkApproveForm, DecisionForm, SignUpForm, StatusFilterForm,
)
from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.core.web.tables import Column, Table, TableRequest, page_of
from renrentong.exports.responses import export_response


# Parents (phone) -------------------------------------------------------------------------------------

@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Activities open to my children (parents); admins go to the activities they manage."""
    actor = request.actor
    if access.may_publish(actor):
        return redirect("activities:manage")
    return render_page(request, "activities/index.html", {
        "items": selectors.activities_for_parent(actor), "signs_up": access.signs_up_children(actor)})


def _detail_page(request: HttpRequest, activity_id: int, error: UserFacingError | None = None) -> HttpResponse:
    found = selectors.activity_for_parent(request.actor, activity_id)
    return render_page(request, "activities/detail.html", {"item": found, "activity": found.activity}, error)


@login_required
def detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    """活动详情: time, place, programme, what to bring, and each child's sign-up."""
    return _detail_page(request, activity_id)


@login_required
@require_POST
@on_refusal(_detail_page)
def sign_up(request: HttpRequest, activity_id: int) -> HttpResponse:
    outcome = services.sign_up(request.actor, activity_id, valid(SignUpForm(request.POST))["child_id"])
    if outcome.notice is not None:
        flash.warning(request, outcome.notice.message)
    else:
        flash.success(request, _("Signed up: %(status)s.") % {"status": outcome.sign_up.get_status_display()})
    return redirect("activities:detail", activity_id)


def _mine_page(request: HttpRequest, error: UserFacingError | None = None, **kwargs) -> HttpResponse:
    found = selectors.my_sign_ups(request.actor)
    filed = selectors.filed_material(s.pk for s in found)
    return render_page(request, "activities/mine.html", {
        "rows": [(s, selectors.waiting_position(s), s.pk in filed, filed.get(s.pk)) for s in found]}, error)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My children's sign-ups with their status, the school's reason, and cancel while allowed."""
    return _mine_page(request)


@login_required
@require_POST
@on_refusal(_mine_page)
def cancel(request: HttpRequest, sign_up_id: int) -> HttpResponse:
    services.cancel(request.actor, sign_up_id)
    flash.success(request, _("The sign-up was cancelled."))
    return redirect("activities:mine")


# Admins (console) ------------------------------------------------------------------------------------

@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The activities an admin organises, and the social practice open to their school."""
    actor = request.actor
    found = selectors.managed_activities(actor)
    return render_page(request, "activities/manage.html", {
        "rows": [(a, access.organises(actor, a)) for a in found]})


def _form_page(request: HttpRequest, form: ActivityForm, activity=None, error: UserFacingError | None = None):
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "activities/form.html", {"form": form, "activity": activity}, error)


def _form(request: HttpRequest, data=None, initial=None) -> ActivityForm:
    actor = request.actor
    return ActivityForm(data, initial=initial, classes=selectors.audience_classes(actor),
                        schools=selectors.audience_schools(actor))


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Publish an activity."""
    if not access.may_publish(request.actor):
        raise UserFacingError("activities.not_allowed")
    if request.method != "POST":
        return _form_page(request, _form(request, initial={"approval": "auto"}))
    form = _form(request, request.POST)
    if not form.is_valid():
        return _form_page(request, form, error=form.first_refusal())
    try:
        activity = services.publish(request.actor, form.draft())
    except UserFacingError as error:
        return _form_page(request, form, error=error)
    flash.success(request, _("The activity was published."))
    return redirect("activities:sign_ups", activity.pk)


@login_required
def edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.organised_activity(request.actor, activity_id)
    if request.method != "POST":
        return _form_page(request, _form(request, initial=ActivityForm.initial_of(activity)), activity)
    form = _form(request, request.POST)
    if not form.is_valid():
        return _form_page(request, form, activity, error=form.first_refusal())
    try:
        services.update(request.actor, activity_id, form.draft())
    except UserFacingError as error:
        return _form_page(request, form, activity, error=error)
    flash.success(request, _("The activity was saved."))
    return redirect("activities:sign_ups", activity_id)


def _columns() -> list[Column]:
    return [Column("queue", _("No."), sort="queue"), Column("child", _("Name")),
            Column("school", _("School")), Column("class", _("Class")), Column("parent", _("Parent")),
            Column("status", _("Status")), Column("signed", _("Signed up"), sort="signed", css="text-nowrap"),
            Column("actions", _("Actions"))]


SORTS = {"queue": "queue_number", "signed": "created_at"}


def _sign_ups_page(request: HttpRequest, activity_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    activity = selectors.activity_for_admin(actor, activity_id)
    status = valid(StatusFilterForm(request.GET, choices=selectors.status_choices()))["status"]
    asked = TableRequest.read(request.GET, _columns(), "queue", sizes=(50, 100, 200))
    order = ("-" if asked.descending else "") + SORTS[asked.sort_key]
    found = page_of(selectors.sign_ups_of(actor, activity, status).order_by(order, "pk"), asked.page, asked.size)
    found.rows = selectors.sign_up_rows(found.rows)
    table = Table.build(_columns(), asked, found, {"status": status}, name="sign-ups", unit=_("sign-ups"),
                        empty=_("No sign-ups yet."), selectable=access.deciding_school(actor) is not None,
                        select_form="bulk-form")
    table.export_url = table.link(export="xlsx", page="")
    return render_page(request, "activities/sign_ups.html", {
        "activity": activity, "table": table, "status": status, "statuses": selectors.status_choices(),
        "counts": selectors.counts(actor, activity), "organises": access.organises(actor, activity),
        "decides_for": access.deciding_school(actor)}, error)


@login_required
@on_refusal(_sign_ups_page)
def sign_ups(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The sign-up list by status: approve, refuse with a reason, approve the chosen ones; export."""
    actor = request.actor
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "decide":
            data = valid(DecisionForm(request.POST))
            if data["decision"] == "approve":
                services.approve(actor, data["sign_up_id"])
            else:
                services.refuse(actor, data["sign_up_id"], data["reason"])
        elif action == "bulk":
            count = services.approve_many(actor, activity_id, valid(BulkApproveForm(request.POST))["sign_up_ids"])
            flash.success(request, _("%(n)s sign-ups approved.") % {"n": count})
        else:
            raise UserFacingError("field.invalid", field="action")
        return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
    if request.GET.get("export") == "xlsx":
        status = valid(StatusFilterForm(request.GET, choices=selectors.status_choices()))["status"]
        return export_response(request, exporting.sign_ups_export, {"activity_id": activity_id, "status": status},
                               estimate=exporting.sign_ups_size(actor, activity_id, status), title=str(exporting.TITLE))
    return _sign_ups_page(request, activity_id)


def _attendance_page(request: HttpRequest, activity_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    activity = selectors.organised_activity(actor, activity_id)
    rows = selectors.sign_up_rows(selectors.sign_ups_of(actor, activity, "accepted")[:2000])
    return render_page(request, "activities/attendance.html", {"activity": activity, "rows": rows}, error)


@login_required
@on_refusal(_attendance_page)
def attendance(request: HttpRequest, activity_id: int) -> HttpResponse:
    """After the activity, the organiser ticks who came; the others are recorded as absent."""
    if request.method == "POST":
        data = valid(AttendanceForm(request.POST))
        came = set(data["attended"])
        count = services.confirm_attendance(request.actor, activity_id, sorted(came),
                                            [pk for pk in data["listed"] if pk not in came])
        flash.success(request, _("Attendance saved for %(n)s children.") % {"n": count})
        return redirect("activities:attendance", activity_id)
    return _attendance_page(request, activity_id)


# Filing attendance as evaluation material (issue 14 item 9) ----------------------------------------------

@login_required
@require_POST
@on_refusal(_mine_page)
def file_material(request: HttpRequest, sign_up_id: int) -> HttpResponse:
    """One click: the attended activity becomes a draft in the child's growth record (filed once)."""
    record, created = filing.file_as_material(request.actor, sign_up_id)
    if created:
        flash.success(request, _("Filed in the growth record as a draft: classify and submit it there."))
    else:
        flash.info(request, _("This activity was filed in the growth record before."))
    return redirect("activities:mine")


@login_required
@require_POST
@on_refusal(_sign_ups_page)
def file_attended(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The school admin files the activity for every attended child of the school at once."""
    done = filing.file_attended(request.actor, activity_id)
    flash.success(request, _("Filed for %(filed)s children; %(already)s filed before; %(elsewhere)s no longer at "
                             "the school.") % {"filed": done.filed, "already": done.already,
                                               "elsewhere": done.elsewhere})
    return redirect("activities:sign_ups", activity_id)

