"""The home page of each identity."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.spreadsheets.writer import Sheet, write_xlsx
from renrentong.core.web.downloads import download
from renrentong.core.web.forms import IdField, valid
from renrentong.orgs import access as orgs_access
from renrentong.orgs.policy import policy_for_school, weak_rules_of
from renrentong.orgs.selectors import school_tree

from renrentong.accounts import selectors
from renrentong.accounts.family import access as family_access
from renrentong.accounts.resets import access as resets_access
from renrentong.accounts.family import services as family
from renrentong.home import selectors as figures
from renrentong.home.access import home_template_for
from renrentong.notices.inbox.selectors import messages_tab
from renrentong.schooladmin.transfers import services as transfers



class SchoolSearchForm(forms.Form):
    """The region admin's school search and pager; odd text finds nothing and fails nothing."""

    q = forms.CharField(required=False, max_length=64)
    page = IdField()

    @classmethod
    def of(cls, params) -> dict:
        # A NUL is no part of any school's name: dropped before Django's field refuses it, so odd text only
        # finds nothing.
        params = params.copy()
        params["q"] = params.get("q", "").replace("\x00", "")
        return valid(cls(params))


def _student(request, actor, context: dict) -> None:
    enrollment = selectors.current_enrollment(actor.account.person_id)
    context["enrollment"] = enrollment
    context["head_teacher"] = (figures.head_teachers([enrollment.school_class_id]).get(enrollment.school_class_id)
                               if enrollment else None)
    context["tasks"] = figures.student_tasks(actor, enrollment.school_id if enrollment else actor.identity.school_id)


def _guardian(request, actor, context: dict) -> None:
    children = family.children_of(actor)
    chosen = request.session.get(family.SESSION_CHILD)
    # The child the parent switched to comes first (else the first child, as on the children page: it is the
    # current one); the others keep their order.
    children.sort(key=lambda child: child.person.pk != chosen)
    heads = figures.head_teachers([c.school_class.pk for c in children if c.school_class])
    class_changes = figures.children_waiting([c.person.pk for c in children])
    links = [r for r in family.link_requests(actor) if r.direction == "incoming"]
    moves: dict[int, list] = {}
    for item in transfers.own_transfers(actor, limit=20):
        moves.setdefault(item.person_id, []).append(item)
    context["cards"] = [
        {"child": child, "current": index == 0,
         "head": heads.get(child.school_class.pk) if child.school_class else None,
         "class_change": class_changes.get(child.person.pk),
         "links": [r for r in links if r.child_person_id == child.person.pk],
         "transfers": moves.get(child.person.pk, [])[:2]}
        for index, child in enumerate(children)]


def _teacher(request, actor, context: dict) -> None:
    context["classes"] = figures.teacher_classes(actor, selectors.classes_of_teacher(actor))
    context["can_reset"] = resets_access.may_open_resets(actor)
    context["sees_link_requests"] = family_access.can_manage_students_parents(actor)


def _school_admin(request, actor, context: dict) -> None:
    identity = actor.identity
    context["school"], context["campuses"] = school_tree(actor, identity.school_id)
    context["can_print_slips"] = True
    policy = policy_for_school(identity.school)
    context["policy"] = policy
    context["weak_rules"] = weak_rules_of(policy)
    dashboard = figures.school_dashboard(actor)
    context["people"] = [dashboard.people[kind] for kind in figures.KINDS]
    context["class_rows"] = dashboard.classes
    # The chart reads its figures from a data attribute (no inline script under the CSP).
    context["chart"] = json.dumps({"names": [row.name for row in dashboard.classes],
                                   "activated": [row.activated for row in dashboard.classes],
                                   "not_activated": [row.not_activated for row in dashboard.classes],
                                   "labels": [_("Logged in at least once"), _("Not yet activated")]},
                                  ensure_ascii=False)
    context["approvals"] = figures.approvals_waiting(actor)
    context["imports"] = figures.imports_running(actor)


def _region_admin(request, actor, context: dict) -> None:
    search = SchoolSearchForm.of(request.GET)
    rows, page, pages = figures.region_page(actor, search["q"], search["page"] or 1)
    context.update({"rows": rows, "page": page, "pages": pages, "q": search["q"],
                    "previous_page": page - 1 if page > 1 else None, "next_page": page + 1 if page < pages else None})


BLOCKS = {
    "home/student.html": _student,
    "home/guardian.html": _guardian,
    "home/teacher.html": _teacher,
    "home/school_admin.html": _school_admin,
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    context = {"identity": actor.identity, "person": actor.account.person, "scope": actor.scope}
    template = home_template_for(actor)
    BLOCKS.get(template, _region_admin)(request, actor, context)
    return render(request, template, context)


@login_required
def schools_export(request: HttpRequest) -> HttpResponse:
    """The region admin's figures per school as a formula-safe .xlsx (the same search as the page)."""
    actor = request.actor
    if not orgs_access.acts_as_region_admin(actor):
        raise UserFacingError("home.export_not_allowed")
    search = SchoolSearchForm.of(request.GET)
    headers = [_("District"), _("School"), _("Code"), _("Students"), _("Students active"),
               _("Students logged in at least once"), _("Students on the initial password"), _("Teachers"),
               _("Teachers active"), _("Parents"), _("Parents active")]
    rows = ([row.school.district.name, row.school.name, row.school.code,
             row.count(figures.STUDENTS), row.active(figures.STUDENTS), row.people[figures.STUDENTS].activated,
             row.people[figures.STUDENTS].initial_password,
             row.count(figures.TEACHERS),
             row.active(figures.TEACHERS), row.count(figures.PARENTS), row.active(figures.PARENTS)]
            for row in figures.region_rows(actor, search["q"]))
    content = write_xlsx([Sheet(_("Schools"), headers, rows, text_columns={_("Code")})])
    return download(content, f"{_('Schools')}-{actor.identity.region.name}.xlsx")


@login_required
def messages_page(request: HttpRequest) -> HttpResponse:
    """The phone shell's 消息 tab: the notices inbox on top (newest first, a parent's child filter, keyset
    "older" link), then what waits for this identity (link requests, transfers, class changes)."""
    return render(request, "home/messages.html", {"identity": request.actor.identity, **messages_tab(request.actor, request.GET)})


@login_required
def growth_page(request: HttpRequest) -> HttpResponse:
    """The phone shell's 成长 tab for a student: the classes they have been in, newest first."""
    history = selectors.enrollment_history(request.actor.account.person_id)
    return render(request, "home/growth.html", {"history": history})


@login_required
def me_page(request: HttpRequest) -> HttpResponse:
    """The phone shell's 我的 tab: who I am, my identities, password, phone, language, logout."""
    actor = request.actor
    return render(request, "home/me.html", {"person": actor.account.person, "identity": actor.identity})
