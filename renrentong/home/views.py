"""The home page of each identity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renrentong.orgs.policy import policy_for_school, weak_rules_of
from renrentong.orgs.selectors import school_tree, visible_schools

from renrentong.accounts import selectors
from renrentong.home.access import home_template_for


def _student(actor, context: dict) -> None:
    context["enrollment"] = selectors.current_enrollment(actor.account.person_id)


def _guardian(actor, context: dict) -> None:
    context["children"] = selectors.children_of(actor)


def _teacher(actor, context: dict) -> None:
    context["classes"] = selectors.classes_of_teacher(actor)


def _school_admin(actor, context: dict) -> None:
    identity = actor.identity
    context["school"], context["campuses"] = school_tree(actor, identity.school_id)
    context["can_print_slips"] = True
    policy = policy_for_school(identity.school)
    context["policy"] = policy
    context["weak_rules"] = weak_rules_of(policy)


def _region_admin(actor, context: dict) -> None:
    context["schools"] = visible_schools(actor)


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
    BLOCKS.get(template, _region_admin)(actor, context)
    return render(request, template, context)


@login_required
def messages_page(request: HttpRequest) -> HttpResponse:
    """The phone shell's 消息 tab: what waits for this identity (link requests, transfers, class changes).
    The notices inbox joins it when notices arrive (MSG-2)."""
    return render(request, "home/messages.html", {"identity": request.actor.identity})


@login_required
def growth_page(request: HttpRequest) -> HttpResponse:
    """The phone shell's 成长 tab for a student: the classes they have been in, newest first."""
    return render(request, "home/growth.html", {"history": selectors.enrollment_history(request.actor.account.person_id)})


@login_required
def me_page(request: HttpRequest) -> HttpResponse:
    """The phone shell's 我的 tab: who I am, my identities, password, phone, language, logout."""
    actor = request.actor
    return render(request, "home/me.html", {"person": actor.account.person, "identity": actor.identity})
