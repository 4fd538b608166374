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
