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
from renrentong.core.text import parse_number
from renrentong.orgs.selectors import school_for

from renrentong.schooladmin.users import services as users
STATE_ACTIONS = {
    "freeze": users.freeze, "unfreeze": users.unfreeze, "leave": users.leave_school,
    "reinstate": users.reinstate, "delete": users.delete,
}


def _list_context(request: HttpRequest, params: QueryDict | dict, *, state: str | None = None) -> dict:
    kind = params.get("kind") or "student"
    if kind not in users.KINDS:
        kind = "student"
    class_id = params.get("class_id") or ""
    if class_id != "pool":
        class_id = parse_number(class_id) or ""
    chosen_state = state if state is not None else params.get("state", "")
    if chosen_state not in ("", *users.Status.values):
        chosen_state = ""
    page = users.list_users(request.actor, kind, school_id=parse_number(params.get("school_id")) or None,
                            query=params.get("q", ""), state=chosen_state, class_id=class_id or None,
                            page=parse_number(params.get("page")) or 1)
    # The query goes into the pager's links and back after an action: never a phone or ID number in it (NFR-1);
    # a search by one finds one person, a single page.
    q = params.get("q", "")
    query = {"kind": kind, "q": kept_out_of_urls(q), "state": chosen_state, "class_id": class_id}
    if params.get("school_id"):
        query["school_id"] = params.get("school_id")
    is_admin = request.actor.identity.kind == "school_admin"
    return {
        "page": page, "kind": kind, "q": query["q"],  # the search box echoes no number (NFR-1)
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
    try:
        context = _list_context(request, params, state=state)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    context.update(error=error, notice=notice)
    return render(request, f"schooladmin/{template}", context, status=error.status if error else 200)


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


@login_required
@require_POST
def user_action(request: HttpRequest, account_id: int, action: str) -> HttpResponse:
    back = _back(request)
    if action == "restore":
        try:
            users.restore(request.actor, account_id, parse_number(back.get("school_id")) or None)
        except UserFacingError as exc:
            return _render_list(request, back, exc, template="users_recycle_bin.html", state=users.Status.DELETED)
        return _back_to("schooladmin:recycle_bin", back, "restore")
    verb = STATE_ACTIONS.get(action)
    if verb is None:
        return render(request, "error.html", {"error": UserFacingError("request.not_found")}, status=404)
    try:
        verb(request.actor, account_id)
    except UserFacingError as exc:
        return _render_list(request, back, exc)
    return _back_to("schooladmin:users", back, action)


@login_required
@require_POST
def class_change(request: HttpRequest) -> HttpResponse:
    back = _back(request)
    ids = [i for i in map(parse_number, request.POST.getlist("account_ids")) if i]
    try:
        users.change_class(request.actor, ids, parse_number(request.POST.get("class_id")) or 0)
    except UserFacingError as exc:
        return _render_list(request, back, exc)
    return _back_to("schooladmin:users", back, "class_change")


FORM_FIELDS = ("name", "sex", "id_number", "phone", "class_id", "local_student_number", "national_student_number",
               "child_account_id", "relation")


@login_required
def new_user_page(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind") or request.GET.get("kind") or "student"
    kind = kind if kind in users.KINDS else "student"
    error = created = None
    values = {f: request.POST.get(f, "") for f in FORM_FIELDS}
    try:
        school = school_for(request.actor, not_allowed="users.not_allowed", region_admins=False)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    if request.method == "POST":
        data = {**values, "class_id": parse_number(values["class_id"]) or None,
                "child_account_id": parse_number(values["child_account_id"]) or None}
        try:
            created = users.create_user(request.actor, kind, data)
        except UserFacingError as exc:
            error = exc
    children = []
    if kind == "parent":
        children = users.list_users(request.actor, "student", query=request.GET.get("child_q", ""),
                                    page_size=users.MAX_PAGE_SIZE).rows
    return render(request, "schooladmin/users_form.html", {
        "kind": kind, "values": values, "error": error, "created": created, "classes": users.school_classes(school),
        "children": children, "editing": None,
    }, status=error.status if error else (201 if created else 200))


@login_required
def edit_user_page(request: HttpRequest, account_id: int) -> HttpResponse:
    error = None
    try:
        _, row, kinds = users.user_detail(request.actor, account_id)
        school_for(request.actor, not_allowed="users.not_allowed", region_admins=False)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    values = {"name": row.name, "sex": row.sex, "phone": ""}
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in ("name", "sex", "phone")}
        data = {"name": values["name"], "sex": values["sex"]}
        if values["phone"] or request.POST.get("clear_phone"):
            data["phone"] = values["phone"]
        reissued = ""
        try:
            reissued = users.update_user(request.actor, account_id, data).initial_password
        except UserFacingError as exc:
            error = exc
        else:
            kind = next(k for k in users.KINDS if k in kinds)
            if not reissued:
                return redirect(f"{reverse('schooladmin:users')}?{urlencode({'kind': kind, 'done': 'update'})}")
            # The new initial password is shown once, here, as for a new user: no redirect may lose it.
            _, row, _ = users.user_detail(request.actor, account_id)
            values = {"name": row.name, "sex": row.sex, "phone": ""}
            return render(request, "schooladmin/users_form.html", {
                "kind": kind, "values": values, "error": None, "editing": row, "reissued": reissued})
    return render(request, "schooladmin/users_form.html", {
        "kind": next(k for k in users.KINDS if k in kinds), "values": values, "error": error, "editing": row,
    }, status=error.status if error else 200)


@login_required
def class_page(request: HttpRequest, class_id: int) -> HttpResponse:
    """A head teacher's (or the school admin's) class: its students, and 请出班级."""
    error = None
    removed = 0
    if request.method == "POST":
        ids = [i for i in map(parse_number, request.POST.getlist("account_ids")) if i]
        try:
            removed = users.remove_from_class(request.actor, class_id, ids)
        except UserFacingError as exc:
            error = exc
    try:
        school_class, members = users.class_members(request.actor, class_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    return render(request, "schooladmin/users_class.html", {
        "school_class": school_class, "members": members, "error": error, "removed": removed,
    }, status=error.status if error else 200)
