"""Which home page and which shell an identity sees, and which of the menus' entries that no single app
owns it is offered."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.schooladmin.transfers import access as transfer_access

HOME_TEMPLATES = {
    Identity.Kind.STUDENT: "home/student.html",
    Identity.Kind.GUARDIAN: "home/guardian.html",
    Identity.Kind.TEACHER: "home/teacher.html",
    Identity.Kind.SCHOOL_ADMIN: "home/school_admin.html",
}
REGION_HOME = "home/region_admin.html"

PHONE = "phone"
CONSOLE = "console"
PUBLIC = "public"
# Words in the user agents of phones and of WeChat's built-in browser.
_PHONE_AGENTS = ("MicroMessenger", "Mobile", "Android", "iPhone", "iPad", "HarmonyOS")


def _kind(actor):
    return actor.identity.kind if actor is not None and actor.identity is not None else None


def home_template_for(actor) -> str:
    return HOME_TEMPLATES.get(actor.identity.kind, REGION_HOME)


def shell_for(actor, user_agent: str) -> str:
    """Students and parents live on their phones; admins at a desk; a teacher gets the phone shell on a
    phone and the console at a desk. Without an identity (login, recovery) the page is a public phone page."""
    kind = _kind(actor)
    if kind in (Identity.Kind.STUDENT, Identity.Kind.GUARDIAN):
        return PHONE
    if kind == Identity.Kind.TEACHER:
        return PHONE if any(word in user_agent for word in _PHONE_AGENTS) else CONSOLE
    if kind in (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN):
        return CONSOLE
    return PUBLIC


def is_guardian(actor) -> bool:
    return _kind(actor) == Identity.Kind.GUARDIAN


def is_student(actor) -> bool:
    return _kind(actor) == Identity.Kind.STUDENT


def has_identity(actor) -> bool:
    return _kind(actor) is not None


def is_admin(actor) -> bool:
    return _kind(actor) in (Identity.Kind.REGION_ADMIN, Identity.Kind.SCHOOL_ADMIN)


def follows_transfer_queue(actor) -> bool:
    return transfer_access.can_decide(actor) or transfer_access.follows_schools_below(actor)


def can_print_slips(actor) -> bool:
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def personal_menu_for(actor) -> dict[str, bool]:
    """The personal menu's optional entries (each page still checks on its own)."""
    return {"second_factor": is_admin(actor)}
