"""Pages: the school's user tables with search and paging, add and edit, state changes, the recycle
bin, batch class change and a head teacher's class (ACC-5, ADM-1, ADM-3, ADM-4, ADM-7)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.masking import kept_out_of_urls
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.schooladmin.users import access
from renrentong.schooladmin.users import services as users
from renrentong.schooladmin.users.forms import (
    ChildSearchForm, ClassChangeForm, EditUserForm, MembersForm, NewUserForm, UserFilterForm,
)

STATE_ACTIONS = {
    "freeze": users.freeze, "unfreeze": users.unfreeze, "leave": users.leave_school,
    "reinstate": users.reinstate, "delete": users.delete,
}


TABLE_FLAGS = {"student": "students_table", "teacher": "teachers_table", "parent": "parents_table"}


def _table(kind: str) -> dict:
    """Which user table a page shows, as booleans for the templates (they compare no kinds)."""
    return {"kind": kind, **dict.fromkeys(TABLE_FLAGS.values(), False), TABLE_FLAGS[kind]: True}


def _list_context(request: HttpRequest, params: QueryDict | dict, *, state: str | None = None) -> dict:
    filters = valid(UserFilterForm(params))
    kind, class_id = filters["kind"], filters["class_id"]
    chosen_state = state if state is not None else filters["state"]
    page = users.list_users(request.actor, kind, school_id=filters["school_id"], query=filters["q"],
                            state=chosen_state, class_id=class_id or None, page=filters["page"] or 1)
    # The query goes into the pager's links and back after an action: never a phone or ID number in it (NFR-1);
    # a search by one finds one person, a single page.
    query = {"kind": kind, "q": kept_out_of_urls(filters["q"]), "state": chosen_state, "class_id": class_id}
    if params.get("school_id"):
        query["school_id"] = params.get("school_id")
    is_admin = access.can_manage_users(request.actor)
    return {
        **_table(kind), "page": page, "q": query["q"],  # the search box echoes no number (NFR-1)
        "state": chosen_state, "class_id": str(class_id),
        "school_id": params.get("school_id", ""),
        "query": urlencode({k: v for k, v in query.items() if v}),
        "base_query": urlencode({k: v for k, v in query.items() if v and k != "page"}),
        "classes": users.school_classes(page.school) if is_admin else [],
        "states": [(value, label) for value, label in users.Status.choices if value != users.Status.DELETED],
        "is_admin": is_admin, "kinds": [("student", "Students"), ("teacher", "Teachers"), ("parent", "Parents")],
    }


def _render_list(request: HttpRequest, params, error: UserFacingError | None = None, template="users.html",
                 state: str | None = None, notice: str = "") -> HttpResponse:
    context = _list_context(request, params, state=state)
    context.update(notice=notice)
    return render_page(request, f"schooladmin/{template}", context, error)


@login_required
def users_page(request: HttpRequest) -> HttpResponse:
    # The search form posts (a phone or ID number stays out of the URL); links and redirects use GET.
    params = request.POST if request.method == "POST" else request.GET
    return _render_list(request, params, notice=request.GET.get("done", ""))


@login_required
def recycle_bin_page(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    return _render_list(request, params, template="users_recycle_bin.html", state=users.Status.DELETED)


def _back(request: HttpRequest) -> dict:
    """The table's filters, carried through a POST so the admin lands where they were."""
    return dict(parse_qsl(request.POST.get("back", "")))


def _back_to(name: str, params: dict, done: str = "") -> HttpResponse:
    if done:
        params = {**params, "done": done}
    return redirect(f"{reverse(name)}?{urlencode(params)}")


def _table_with_refusal(request: HttpRequest, *args, error: UserFacingError, **kwargs) -> HttpResponse:
    """A refused action re-renders the table the admin came from, with the refusal above it."""
    if kwargs.get("action") == "restore":
        return _render_list(request, _back(request), error, template="users_recycle_bin.html",
                            state=users.Status.DELETED)
    return _render_list(request, _back(request), error)


@login_required
@require_POST
def user_action(request: HttpRequest, account_id: int, action: str) -> HttpResponse:
    if action != "restore" and action not in STATE_ACTIONS:
        raise UserFacingError("request.not_found")
    return _user_action(request, account_id=account_id, action=action)


@on_refusal(_table_with_refusal)
def _user_action(request: HttpRequest, account_id: int, action: str) -> HttpResponse:
    back = _back(request)
    if action == "restore":
        school_id = valid(UserFilterForm(back))["school_id"]
        users.restore(request.actor, account_id, school_id)
        return _back_to("schooladmin:recycle_bin", back, "restore")
    STATE_ACTIONS[action](request.actor, account_id)
    return _back_to("schooladmin:users", back, action)


@login_required
@require_POST
@on_refusal(_table_with_refusal)
def class_change(request: HttpRequest) -> HttpResponse:
    back = _back(request)
    form = valid(ClassChangeForm(request.POST))
    users.change_class(request.actor, form["account_ids"], form["class_id"] or 0)
    return _back_to("schooladmin:users", back, "class_change")


FORM_FIELDS = ("name", "sex", "id_number", "phone", "class_id", "local_student_number", "national_student_number",
               "child_account_id", "relation")


def _new_user_form_page(request: HttpRequest, error: UserFacingError | None = None, created=None) -> HttpResponse:
    school = users.admin_school(request.actor)
    chosen = valid(ChildSearchForm({"kind": request.POST.get("kind") or request.GET.get("kind") or "student",
                                    "child_q": request.GET.get("child_q", "")}))
    kind = chosen["kind"]
    values = {f: request.POST.get(f, "") for f in FORM_FIELDS}
    children = []
    if _table(kind)["parents_table"]:
        children = users.list_users(request.actor, "student", query=chosen["child_q"],
                                    page_size=users.MAX_PAGE_SIZE).rows
    context = {**_table(kind), "values": values, "created": created, "classes": users.school_classes(school),
               "children": children, "editing": None}
    if error is not None:
        return render_page(request, "schooladmin/users_form.html", context, error)
    return render(request, "schooladmin/users_form.html", {**context, "error": None},
                  status=201 if created else 200)


@login_required
@on_refusal(_new_user_form_page)
def new_user_page(request: HttpRequest) -> HttpResponse:
    users.admin_school(request.actor)
    if request.method != "POST":
        return _new_user_form_page(request)
    form = valid(NewUserForm(request.POST))
    kind = request.POST.get("kind") or request.GET.get("kind") or "student"
    data = {**{f: request.POST.get(f, "") for f in FORM_FIELDS},
            "class_id": form["class_id"], "child_account_id": form["child_account_id"]}
    created = users.create_user(request.actor, kind if kind in users.KINDS else "student", data)
    return _new_user_form_page(request, created=created)


def _edit_form_page(request: HttpRequest, account_id: int, error: UserFacingError | None = None) -> HttpResponse:
    _, row, kinds = users.user_detail(request.actor, account_id)
    users.admin_school(request.actor)
    values = {"name": row.name, "sex": row.sex, "phone": ""}
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in ("name", "sex", "phone")}
    return render_page(request, "schooladmin/users_form.html", {
        **_table(next(k for k in users.KINDS if k in kinds)), "values": values, "editing": row,
    }, error)


@login_required
@on_refusal(_edit_form_page)
def edit_user_page(request: HttpRequest, account_id: int) -> HttpResponse:
    _, row, kinds = users.user_detail(request.actor, account_id)
    users.admin_school(request.actor)
    if request.method != "POST":
        return _edit_form_page(request, account_id)
    form = valid(EditUserForm(request.POST))
    data = {"name": form["name"], "sex": form["sex"]}
    if form["phone"] or form["clear_phone"]:
        data["phone"] = form["phone"]
    reissued = users.update_user(request.actor, account_id, data).initial_password
    kind = next(k for k in users.KINDS if k in kinds)
    if not reissued:
        return redirect(f"{reverse('schooladmin:users')}?{urlencode({'kind': kind, 'done': 'update'})}")
    # The new initial password is shown once, here, as for a new user: no redirect may lose it.
    _, row, _ = users.user_detail(request.actor, account_id)
    values = {"name": row.name, "sex": row.sex, "phone": ""}
    return render(request, "schooladmin/users_form.html", {
        **_table(kind), "values": values, "error": None, "editing": row, "reissued": reissued})


def _class_members_page(request: HttpRequest, class_id: int, error: UserFacingError | None = None,
                        removed: int = 0) -> HttpResponse:
    school_class, members = users.class_members(request.actor, class_id)
    return render_page(request, "schooladmin/users_class.html", {
        "school_class": school_class, "members": members, "removed": removed,
    }, error)


@login_required
@on_refusal(_class_members_page)
def class_page(request: HttpRequest, class_id: int) -> HttpResponse:
    """A head teacher's (or the school admin's) class: its students, and 请出班级."""
    if request.method != "POST":
        return _class_members_page(request, class_id)
    ids = valid(MembersForm(request.POST))["account_ids"]
    removed = users.remove_from_class(request.actor, class_id, ids)
    return _class_members_page(request, class_id, removed=removed)
