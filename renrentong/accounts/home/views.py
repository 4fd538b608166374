"""The home page of each identity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renrentong.orgs.policy import policy_for_school, weak_rules_of
from renrentong.orgs.selectors import school_tree, visible_schools

from renrentong.accounts import selectors
from renrentong.accounts.home.access import home_template_for


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
    "accounts/home_student.html": _student,
    "accounts/home_guardian.html": _guardian,
    "accounts/home_teacher.html": _teacher,
    "accounts/home_school_admin.html": _school_admin,
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    context = {"identity": actor.identity, "person": actor.account.person, "scope": actor.scope}
    template = home_template_for(actor)
    BLOCKS.get(template, _region_admin)(actor, context)
    return render(request, template, context)
