"""Pages: the school's user tables with search and paging, add and edit, state changes, the recycle
bin, batch class change and a head teacher's class (ACC-5, ADM-1, ADM-3, ADM-4, ADM-7)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.accounts.resets.services import reset_passwords
from renrentong.core.masking import kept_out_of_urls
from renrentong.core.spreadsheets import writer as spreadsheets
from renrentong.core.web.downloads import download
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.core.web.tables import Column, PageOf, Table, TableRequest, carried_search

from renrentong.schooladmin.users import access, batches
from renrentong.schooladmin.users import services as users
from renrentong.schooladmin.users.forms import (
    BatchForm, ChildSearchForm, ClassChangeForm, EditUserForm, MembersForm, NewUserForm, UserFilterForm,
)

STATE_ACTIONS = {
    "freeze": users.freeze, "unfreeze": users.unfreeze, "leave": users.leave_school,
    "reinstate": users.reinstate, "delete": users.delete,
}


TABLE_FLAGS = {"student": "students_table", "teacher": "teachers_table", "parent": "parents_table"}


def _table(kind: str) -> dict:
    """Which user table a page shows, as booleans for the templates (they compare no kinds)."""
    return {"kind": kind, **dict.fromkeys(TABLE_FLAGS.values(), False), TABLE_FLAGS[kind]: True}


# The columns of each table; `sort` names a key of users.SORTS (the whitelist ?sort= takes).
def _columns(kind: str, *, deleted: bool = False) -> list[Column]:
    name = Column("name", _("Name"), sort="name", css="text-nowrap")
    number = Column("number", _("Account"), sort="number")
    if deleted:
        return [name, number, Column("changed", _("Deleted"), sort="changed"),
                Column("until", _("School admin can restore until")), Column("actions", _("Actions"))]
    middle = [Column("phone", _("Phone")), Column("id_number", _("ID number"))]
    if kind == users.UserTable.STUDENT:
        middle += [Column("student_number", _("Student number")), Column("class", _("Class"))]
    elif kind == users.UserTable.PARENT:
        middle += [Column("details", _("Children"))]
    else:
        middle += [Column("details", _("Classes and subjects"))]
    return [name, number, *middle, Column("state", _("State"), sort="state"),
            Column("changed", _("Changed"), sort="changed"), Column("actions", _("Actions"))]


def _search(request: HttpRequest, params, filters: dict) -> tuple[str, dict]:
    """The search text and how links carry it: a name or account number as `q`; a search holding a phone
    or ID number (posted, NFR-1) under a random token `t`, the text itself staying in the session."""
    posted = filters["q"] if request.method == "POST" and "q" in params else None
    q, carried = carried_search(request, posted, filters["t"])
    if posted is None and not carried:
        q = kept_out_of_urls(filters["q"])
        carried = {"q": q}
    return q, carried


def _list_filters(request: HttpRequest, params, state: str | None) -> tuple[dict, dict]:
    """(what the selector takes, what the table's links keep) from the page's parameters."""
    filters = valid(UserFilterForm(params))
    kind, class_id = filters["kind"], filters["class_id"]
    chosen_state = state if state is not None else filters["state"]
    q, carried = _search(request, params, filters)
    wanted = {"school_id": filters["school_id"], "query": q, "state": chosen_state, "class_id": class_id or None,
              "password": filters["password"], "activated": filters["activated"]}
    kept = {"kind": kind, **carried, "state": "" if state is not None else chosen_state, "class_id": class_id,
            "password": filters["password"], "activated": filters["activated"],
            "school_id": params.get("school_id", "") if filters["school_id"] else ""}
    return wanted, kept


def _list_context(request: HttpRequest, params: QueryDict | dict, *, state: str | None = None) -> dict:
    deleted = state == users.Status.DELETED
    kind = valid(UserFilterForm(params))["kind"]
    columns = _columns(kind, deleted=deleted)
    asked = TableRequest.read(params, columns,
                              "-changed" if deleted else "name")
    wanted, kept = _list_filters(request, params, state)
    page = users.list_users(request.actor, kind, page=asked.page, page_size=asked.size, sort=asked.sort,
                            **wanted)
    is_admin = access.can_manage_users(request.actor)
    table = Table.build(columns, asked, PageOf(page.rows, page.total, page.page, page.pages), kept,
                        name="recycle-bin" if deleted else "users",
                        selectable=is_admin and not deleted, select_form="users-batch", unit=_("people"), empty_id="no-users",
                        empty=_("No deleted users yet.") if deleted else _NO_USERS)
    table.export_url = table.link(export="xlsx", page="")
    class_id = kept["class_id"]
    return {
        **_table(kind), "page": page, "table": table,
        "q": kept_out_of_urls(wanted["query"]),  # the search box echoes no number (NFR-1)
        "state": wanted["state"], "class_id": str(class_id), "password": kept["password"],
        "activated": kept["activated"], "school_id": kept["school_id"],
        "query": table.here,  # what a row's form carries back ("back")
        "classes": users.school_classes(page.school) if is_admin else [],
        "states": [(value, label) for value, label in users.Status.choices if value != users.Status.DELETED],
        "is_admin": is_admin, "kinds": [("student", "Students"), ("teacher", "Teachers"), ("parent", "Parents")],
    }


_NO_USERS = gettext_lazy("No users yet. The school admin adds them here or imports a roster.")


def _render_list(request: HttpRequest, params, error: UserFacingError | None = None, template="users.html",
                 state: str | None = None, notice: str = "") -> HttpResponse:
    context = _list_context(request, params, state=state)
    context.update(notice=notice)
    return render_page(request, f"schooladmin/{template}", context, error)


def _export(request: HttpRequest, params, *, state: str | None = None,
            account_ids: list[int] | None = None) -> HttpResponse:
    """The table's rows as .xlsx: the filtered ones, or the chosen ones; masked as on the page, audited."""
    kind = valid(UserFilterForm(params))["kind"]
    wanted, _kept = _list_filters(request, params, state)
    sort = TableRequest.read(params, _columns(kind, deleted=state == users.Status.DELETED),
                             "-changed" if state == users.Status.DELETED else "name").sort
    school, rows = users.rows_for_export(request.actor, kind, account_ids=account_ids, sort=sort, **wanted)
    headers = [_("Name"), _("Account"), _("Phone"), _("ID number"), _("Student number"), _("Class"),
               _("Children") if kind == users.UserTable.PARENT else _("Classes and subjects"), _("State")]
    data = [[r.name, r.number, r.phone_masked, r.id_number_masked, r.local_student_number, r.class_name,
             "、".join(r.details), r.status_label] for r in rows]
    batches.record_export(request.actor, school, kind, rows=len(data), chosen=account_ids is not None,
                        filters={k: v for k, v in wanted.items() if v and k != "query"},
                        searched=bool(wanted["query"]))
    title = str(dict(request_kinds())[kind])
    sheet = spreadsheets.Sheet(name=title, headers=[str(h) for h in headers], rows=data,
                               text_columns={str(h) for h in headers})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(spreadsheets.write_xlsx([sheet]), f"{school.name}-{title}-{stamp}.xlsx")


def request_kinds() -> list[tuple[str, str]]:
    return [("student", _("Students")), ("teacher", _("Teachers")), ("parent", _("Parents"))]


def _batch(request: HttpRequest) -> HttpResponse:
    """A batch action on the chosen rows: all or nothing (batches.run_batch); a refusal re-renders the
    table with one message naming every row that could not be done."""
    form = valid(BatchForm(request.POST))
    action, ids = form["batch"], form["account_ids"]
    back = _back(request)
    if action == "export":
        return _export(request, back, account_ids=ids)
    if action == "reset":
        results = reset_passwords(request.actor, ids)
        return render(request, "schooladmin/users_reset_done.html", {
            "results": results, "back": urlencode(back), "kind": back.get("kind", "student")})
    if action == "class_change":
        users.change_class(request.actor, ids, form["class_id"] or 0)
    else:
        batches.run_batch(request.actor, action, ids)
    return _back_to("schooladmin:users", back, f"batch-{action}")


def _users_page_with_refusal(request: HttpRequest, error: UserFacingError) -> HttpResponse:
    return _render_list(request, _back(request), error)


@on_refusal(_users_page_with_refusal)
def _batch_or_refusal(request: HttpRequest) -> HttpResponse:
    return _batch(request)


@login_required
def users_page(request: HttpRequest) -> HttpResponse:
    # The search form posts (a phone or ID number stays out of the URL); links and redirects use GET.
    if request.method == "POST" and "batch" in request.POST:
        return _batch_or_refusal(request)
    params = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return _export(request, params)
    return _render_list(request, params, notice=request.GET.get("done", ""))


@login_required
def recycle_bin_page(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return _export(request, params, state=users.Status.DELETED)
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
