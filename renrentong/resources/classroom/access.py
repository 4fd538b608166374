"""Who may do what in the smart classroom (RES-1, RES-3): the one place here that compares identity kinds.

Students browse (their grade and term by default), teachers browse and keep resources, school and region
admins keep resources and recommend courses, a school admin takes down what their school shares. A parent
browses as the child: the classroom tells them to switch identity (seed 000: the student account)."""

from __future__ import annotations

from renrentong.accounts.family.access import acting_as_guardian
from renrentong.core.actor import Actor
from renrentong.orgs import access as orgs_access

STUDENT = "student"


def is_student(actor: Actor | None) -> bool:
    identity = actor.identity if actor is not None else None
    return identity is not None and identity.kind == STUDENT


def is_guardian(actor: Actor | None) -> bool:
    return actor is not None and actor.identity is not None and acting_as_guardian(actor)


def browses(actor: Actor | None) -> bool:
    """Students and teachers open the classroom (seed 000: 老师、学生通过人人通个人账号登录)."""
    return is_student(actor) or orgs_access.acts_as_teacher(actor)


def keeps_resources(actor: Actor | None) -> bool:
    """Teachers upload lesson plans, courseware and links; school and region admins too (for recommending)."""
    return orgs_access.acts_as_teacher(actor) or orgs_access.acts_as_admin(actor)


def keeps_for_region(actor: Actor) -> bool:
    return orgs_access.acts_as_region_admin(actor)


def takes_down(actor: Actor | None) -> bool:
    return orgs_access.acts_as_school_admin(actor)


def recommends(actor: Actor | None) -> bool:
    return orgs_access.acts_as_admin(actor)


def owns(actor: Actor, resource) -> bool:
    return keeps_resources(actor) and resource.owner_id == actor.account.pk


def may_take_down(actor: Actor, resource) -> bool:
    """The school admin of the resource's school, for what it shares beyond its owner."""
    return (takes_down(actor) and resource.school_id is not None and resource.school_id == actor.identity.school_id
            and resource.sharing != "me")


def may_change_recommendation(actor: Actor, recommendation) -> bool:
    identity = actor.identity
    if orgs_access.acts_as_school_admin(actor):
        return recommendation.school_id is not None and recommendation.school_id == identity.school_id
    if orgs_access.acts_as_region_admin(actor):
        return recommendation.region_id is not None and recommendation.region_id == identity.region_id
    return False
