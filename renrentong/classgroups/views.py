"""Class group pages (SPC-3): the phone-width group page (messages, members, files, class circle), joining
by class code or invite link, and the head teacher's page (requests, settings, invite link)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.classgroups import access, selectors, services
from renrentong.classgroups.forms import DecisionForm, JoinForm, MessageForm, RemoveForm, ReplyForm, SettingForm
from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page

TABS = ("messages", "members", "files", "circle")


def _index_page(request: HttpRequest, error: UserFacingError | None = None, outcome=None) -> HttpResponse:
    actor = request.actor
    groups = selectors.my_groups(actor)
    return render_page(request, "classgroups/index.html", {
        "groups": [(g, selectors.counts(g.class_id)) for g in groups], "outcome": outcome,
        "code": request.POST.get("code", "")[:32] if request.method == "POST" else "",
        "uses_groups": access.uses_class_groups(actor)}, error)


@login_required
@on_refusal(_index_page)
def index(request: HttpRequest) -> HttpResponse:
    """My class groups, and joining one with a class code."""
    if request.method != "POST":
        return _index_page(request)
    outcome = services.ask_to_join(request.actor, code=valid(JoinForm(request.POST))["code"])
    return _index_page(request, outcome=outcome)


def _invite_page(request: HttpRequest, token: str, error: UserFacingError | None = None, outcome=None) -> HttpResponse:
    school_class = services.class_of_invite(token)
    return render_page(request, "classgroups/invite.html", {"school_class": school_class, "outcome": outcome,
                                                             "token": token}, error)


@login_required
@on_refusal(_invite_page)
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """An invite link: shows the class; asking opens a join request as the class code does."""
    if request.method != "POST":
        return _invite_page(request, token)
    outcome = services.ask_to_join(request.actor, token=token)
    return _invite_page(request, token, outcome=outcome)


def _group_page(request: HttpRequest, class_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    group = selectors.group_for(actor, class_id)
    tab = request.GET.get("tab", "messages")
    tab = tab if tab in TABS else "messages"
    context = {"group": group, "tab": tab, "group_tabs": TABS, "counts": selectors.counts(class_id),
               "is_teacher": access.is_teacher(actor), "is_parent": access.is_parent(actor),
               "parents_reply": access.parents_reply_publicly(group.parents_may_post),
               "parents_private": access.parents_write_privately(group.parents_may_post),
               "form": request.POST if request.method == "POST" else {}}
    if tab == "messages":
        context["messages_list"] = selectors.messages(actor, group)
        context["private"] = selectors.private_messages(actor, group)
        context["teachers"] = selectors.teachers_of(class_id)
    elif tab == "members":
        context["members"] = selectors.member_list(group)
    elif tab == "files":
        context["files"] = selectors.files(actor, group)
    else:
        context["messages_list"] = selectors.messages(actor, group, with_images_only=True)
    return render_page(request, "classgroups/group.html", context, error)


@login_required
def group_page(request: HttpRequest, class_id: int) -> HttpResponse:
    """The group: member counts, then messages, members, files or the class circle (班级圈)."""
    return _group_page(request, class_id)


def _back(class_id: int, tab: str = "messages") -> HttpResponse:
    return redirect(f"{reverse('classgroups:group', args=[class_id])}?tab={tab}")


@login_required
@require_POST
@on_refusal(_group_page)
def post_message(request: HttpRequest, class_id: int) -> HttpResponse:
    data = valid(MessageForm(request.POST))
    file_ids = [services.store_attachment(request.actor, class_id, f.read(), f.name or "")
                for f in request.FILES.getlist("files")[:9]]
    services.post_message(request.actor, class_id, data["text"], file_ids, data["roles"] or None)
    flash.success(request, _("Message sent. It reaches the members' inboxes in a moment."))
    return _back(class_id)


@login_required
@require_POST
@on_refusal(_group_page)
def reply(request: HttpRequest, class_id: int) -> HttpResponse:
    data = valid(ReplyForm(request.POST))
    services.reply(request.actor, class_id, data["text"], message_id=data["message_id"],
                   to_account_id=data["to_account_id"])
    return _back(class_id)


@login_required
@require_POST
def upload(request: HttpRequest, class_id: int) -> HttpResponse:
    found = request.FILES.get("file")
    if found is None:
        raise UserFacingError("classgroups.file_required")
    services.upload_file(request.actor, class_id, found.read(), found.name or "")
    return _back(class_id, "files")


@login_required
def download(request: HttpRequest, class_id: int, file_id: int) -> HttpResponse:
    """A group file: membership checked, then the signed link of uploads."""
    group = selectors.group_for(request.actor, class_id)
    found = selectors.group_file(request.actor, group, file_id)
    return redirect(selectors.signed_url(request.actor, found.file))


@login_required
@require_POST
def remove(request: HttpRequest, class_id: int) -> HttpResponse:
    """请出班级 (head teacher)."""
    data = valid(RemoveForm(request.POST))
    services.remove_member(request.actor, class_id, data["account_id"], data["role"])
    flash.success(request, _("The member was taken out of the class group."))
    return _back(class_id, "members")


def _manage_page(request: HttpRequest, class_id: int, error: UserFacingError | None = None,
                 invite_url: str = "") -> HttpResponse:
    group = selectors.managed_group(request.actor, class_id)
    return render_page(request, "classgroups/manage.html", {
        "group": group, "requests": selectors.pending_requests(group), "counts": selectors.counts(class_id),
        "choices": selectors.setting_choices(), "invite_url": invite_url}, error)


@login_required
@on_refusal(_manage_page)
def manage(request: HttpRequest, class_id: int) -> HttpResponse:
    """The head teacher's page: join requests to approve or refuse, what parents may post, an invite link."""
    if request.method != "POST":
        return _manage_page(request, class_id)
    action = request.POST.get("action", "")
    if action == "decide":
        data = valid(DecisionForm(request.POST))
        services.decide(request.actor, class_id, data["request_id"], approve=data["decision"] == "approve")
    elif action == "setting":
        services.set_parents_may_post(request.actor, class_id, valid(SettingForm(request.POST))["parents_may_post"])
    elif action == "invite":
        selectors.managed_group(request.actor, class_id)
        token = services.invite_token(request.actor, class_id)
        return _manage_page(request, class_id,
                            invite_url=request.build_absolute_uri(reverse("classgroups:invite", args=[token])))
    else:
        raise UserFacingError("field.invalid", field="action")
    return redirect("classgroups:manage", class_id)
