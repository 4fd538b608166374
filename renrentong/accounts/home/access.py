"""Which home page an identity sees, and what it may do there."""

from __future__ import annotations

from renrentong.accounts.models import Identity

HOME_TEMPLATES = {
    Identity.Kind.STUDENT: "accounts/home_student.html",
    Identity.Kind.GUARDIAN: "accounts/home_guardian.html",
    Identity.Kind.TEACHER: "accounts/home_teacher.html",
    Identity.Kind.SCHOOL_ADMIN: "accounts/home_school_admin.html",
}
REGION_HOME = "accounts/home_region_admin.html"


def home_template_for(actor) -> str:
    return HOME_TEMPLATES.get(actor.identity.kind, REGION_HOME)


def can_print_slips(actor) -> bool:
    return actor.identity is not None and actor.identity.kind == Identity.Kind.SCHOOL_ADMIN


def menu_for(actor) -> dict[str, bool]:
    """Which links the page header shows this identity (each page still checks on its own)."""
    kind = actor.identity.kind if actor is not None and actor.identity is not None else None
    admin = kind in (Identity.Kind.REGION_ADMIN, Identity.Kind.SCHOOL_ADMIN)
    return {
        "second_factor": admin,
        "link_requests": kind in (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.TEACHER),
        "children": kind in (Identity.Kind.GUARDIAN, Identity.Kind.TEACHER),
        "resets": admin or kind == Identity.Kind.TEACHER,
        "school_users": kind == Identity.Kind.SCHOOL_ADMIN,
        "my_teaching": kind == Identity.Kind.TEACHER,
        "tenants": kind == Identity.Kind.REGION_ADMIN,
        "structure": kind == Identity.Kind.SCHOOL_ADMIN,
        "audit_and_rollover": admin,
        "realname": kind is not None,
        "registry": admin,
    }
