"""The two shells' navigation: the console's grouped sidebar with badge counts, the phone's tab bar, and
the breadcrumbs. Each entry asks the owning app's access predicate, so the menu never offers a page that
would refuse the user; each page still checks on its own (NFR-2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renrentong.accounts.admin_roles import access as admin_roles_access
from renrentong.accounts.admin_roles import services as admin_roles
from renrentong.accounts.family import access as family_access
from renrentong.accounts.family import services as family
from renrentong.accounts.login import access as login_access
from renrentong.accounts.phones import access as phones_access
from renrentong.accounts.resets import access as resets_access
from renrentong.activities import access as activities_access
from renrentong.activities import selectors as activities
from renrentong.auditlog import access as audit_access
from renrentong.classgroups import access as classgroups_access
from renrentong.classgroups import selectors as classgroups
from renrentong.evaluation import access as evaluation_access
from renrentong.integration import access as integration_access
from renrentong.evaluation.peer import access as peer_access
from renrentong.evaluation.progress import access as progress_access
from renrentong.stats import access as stats_access
from renrentong.evaluation.review import access as review_access
from renrentong.evaluation.review import selectors as review
from renrentong.home import access
from renrentong.keyinfo import access as keyinfo_access
from renrentong.keyinfo import services as keyinfo
from renrentong.notices import access as notices_access
from renrentong.notices.inbox import selectors as inbox
from renrentong.notices.receipts import access as receipts_access
from renrentong.orgs import access as orgs_access
from renrentong.push import access as push_access
from renrentong.orgs.structure import access as structure_access
from renrentong.orgs.help import access as help_access
from renrentong.orgs.tenants import access as tenants_access
from renrentong.realname import access as realname_access
from renrentong.resources.lessonprep import access as lessonprep_access
from renrentong.resources.lessonprep import selectors as lessonprep
from renrentong.realname.registration import access as registration_access
from renrentong.realname.registration import services as registration
from renrentong.resources.classroom import access as classroom_access
from renrentong.resources.practice import access as practice_access
from renrentong.rollover import access as rollover_access
from renrentong.rosters import access as rosters_access
from renrentong.schooladmin.class_changes import access as class_change_access
from renrentong.schooladmin.class_changes import services as class_changes
from renrentong.schooladmin.teaching import access as teaching_access
from renrentong.schooladmin.transfers import services as transfers
from renrentong.schooladmin.users import access as users_access
from renrentong.spaces import access as spaces_access
from renrentong.spaces import selectors as spaces
from renrentong.wechat import access as wechat_access


@dataclass(frozen=True)
class Entry:
    label: object
    url_name: str
    test_id: str
    allowed: Callable
    args: Callable | None = None          # actor -> URL arguments
    count: Callable | None = None         # actor -> how many wait for this actor (审核 badges)
    also: tuple[str, ...] = ()            # other URL names that belong to this entry (for the active mark)


@dataclass
class Link:
    label: object
    url: str
    test_id: str
    active: bool
    count: int = 0


@dataclass
class Group:
    label: object
    links: list[Link] = field(default_factory=list)


def _school_of(actor):
    return (actor.identity.school_id,)


def _builds_own_school(actor) -> bool:
    # A region admin reaches a school's structure from the schools list, not from the menu.
    return structure_access.may_build_structure(actor) and actor.identity.school_id is not None


def _registrations_waiting(actor) -> int:
    return registration.applications_in_scope(actor).filter(status=registration.PENDING).count()


def _admin_requests_waiting(actor) -> int:
    return len(admin_roles.applications_queue(actor))


SIDEBAR: list[tuple[object, list[Entry]]] = [
    (_("Notices"), [
        Entry(_("Send a notice"), "notices:compose", "nav-compose", notices_access.may_send),
        Entry(_("Sent notices"), "notices:sent", "nav-sent", notices_access.may_send,
              also=("notices:sent_detail", "notices:correct")),
        Entry(_("Read receipts"), "notices:receipts_list", "nav-receipts", receipts_access.may_open_receipts,
              also=("notices:receipts", "notices:receipts_class")),
    ]),
    (_("People"), [
        Entry(_("Users"), "schooladmin:users", "nav-users", users_access.can_manage_users,
              also=("schooladmin:user_new", "schooladmin:user_edit", "schooladmin:class_students")),
        Entry(_("Recycle bin"), "schooladmin:recycle_bin", "nav-recycle-bin",
              lambda actor: users_access.can_manage_users(actor) and users_access.can_restore(actor)),
        Entry(_("Reset passwords"), "resets", "nav-resets", resets_access.may_open_resets),
        Entry(_("Who follows on WeChat"), "wechat:follows", "nav-wechat-follows", wechat_access.sees_follows,
              also=("wechat:class_follows",)),
    ]),
    (_("Import and export"), [
        Entry(_("Roster import"), "rosters:imports", "nav-imports", rosters_access.can_read_jobs, also=("rosters:job",)),
        Entry(_("OneRoster import"), "oneroster_imports:imports", "nav-oneroster-imports",
              integration_access.can_import_rosters, also=("oneroster_imports:job",)),
        Entry(_("Key information"), "keyinfo:index", "nav-keyinfo", keyinfo_access.follows_schools_below,
              also=("keyinfo:class", "keyinfo:person", "keyinfo:registry", "keyinfo:registry_upload")),
        Entry(_("Real-name registry"), "realname:registry", "nav-registry", realname_access.can_keep_registry),
    ]),
    (_("Class structure"), [
        Entry(_("Classes and grades"), "orgs:school", "nav-structure", _builds_own_school, args=_school_of,
              also=("orgs:campus_new", "orgs:stage_new", "orgs:grade_new", "orgs:naming", "orgs:classes_new", "orgs:system")),
        Entry(_("Schools (tenants)"), "orgs:tenants", "nav-tenants", tenants_access.can_manage_tenants, also=("orgs:tenant",)),
        Entry(_("Teaching grid"), "schooladmin:teaching", "nav-teaching", teaching_access.can_arrange_teaching),
        Entry(_("My teaching"), "schooladmin:my_teaching", "nav-my-teaching", teaching_access.can_take_courses),
        Entry(_("Promotion and graduation"), "rollover:page", "nav-rollover", rollover_access.can_roll_over),
        Entry(_("Alumni"), "rollover:alumni", "nav-alumni", rollover_access.can_roll_over),
    ]),
    (_("Reviews"), [
        Entry(_("School admin requests"), "orgs:approvals", "nav-approvals", admin_roles_access.can_appoint_school_admins,
              count=_admin_requests_waiting),
        Entry(_("Transfers"), "schooladmin:transfers", "nav-transfers", access.follows_transfer_queue, count=transfers.waiting_count),
        Entry(_("Class changes"), "schooladmin:class_changes", "nav-class-changes", class_change_access.follows_queue,
              count=class_changes.pending_count),
        Entry(_("Key information changes"), "keyinfo:index", "nav-keyinfo-requests", keyinfo_access.can_decide,
              count=lambda actor: len(keyinfo.pending_changes(actor)), also=("keyinfo:request",)),
        Entry(_("Teacher registrations"), "realname:applications", "nav-registrations",
              registration_access.can_decide_registrations, count=_registrations_waiting),
        Entry(_("Link requests"), "link_requests", "nav-link-requests", family_access.can_manage_students_parents,
              count=family.incoming_link_count),
        Entry(_("Class groups"), "classgroups:index", "nav-class-groups", classgroups_access.is_teacher,
              count=classgroups.waiting_count, also=("classgroups:group", "classgroups:manage")),
        Entry(_("Activities"), "activities:manage", "nav-activities", activities_access.may_publish,
              count=activities.pending_count, also=("activities:new", "activities:edit", "activities:sign_ups",
                                                    "activities:attendance")),
    ]),
    (_("Posts and spaces"), [
        Entry(_("Content review"), "spaces:review", "nav-spaces-review", spaces_access.follows_review_queue,
              count=spaces.review_waiting),
        Entry(_("Word list"), "spaces:words", "nav-spaces-words", spaces_access.edits_word_list),
        Entry(_("Space statistics"), "spaces:stats", "nav-spaces-stats", spaces_access.sees_stats),
    ]),
    (_("Comprehensive evaluation"), [
        Entry(_("Written records"), "evaluation:desk", "nav-evaluation-records", evaluation_access.keeps_material,
              also=("evaluation:record",)),
        Entry(_("Evaluation items"), "evaluation:catalogue", "nav-evaluation-catalogue",
              evaluation_access.reads_catalogue_page),
        Entry(_("Submission dates"), "evaluation:windows", "nav-evaluation-windows", evaluation_access.sets_window),
        Entry(_("Evaluation review"), "evaluation:review", "nav-evaluation-review", review_access.reviews_anything,
              count=review.pending_count, also=("evaluation:review_record",)),
        Entry(_("Reviewers"), "evaluation:reviewers", "nav-evaluation-reviewers", review_access.manages_review),
        Entry(_("Public display"), "evaluation:displays", "nav-evaluation-displays", review_access.manages_review,
              count=review.open_objection_count),
        Entry(_("Public display"), "evaluation:display", "nav-evaluation-display",
              lambda actor: review_access.sees_displays(actor) and not review_access.manages_review(actor)),
        Entry(_("Peer evaluation switches"), "evaluation:peer_switches", "nav-peer-switches", peer_access.sets_switch),
        Entry(_("Peer evaluation summary"), "evaluation:peer_results", "nav-peer-results", peer_access.reads_results),
        Entry(_("Submission progress"), "evaluation:progress", "nav-evaluation-progress",
              progress_access.sees_progress_page, also=("evaluation:progress_student",)),
        Entry(_("Evaluation archives"), "evaluation:archive", "nav-evaluation-archive", evaluation_access.is_school_admin,
              also=("evaluation:archive_class",)),
    ]),
    (_("Lesson preparation"), [
        Entry(_("Lesson preparation"), "lessonprep:index", "nav-lessonprep", lessonprep_access.prepares_lessons,
              also=("lessonprep:book", "lessonprep:chapter")),
        Entry(_("Report a missing textbook"), "lessonprep:missing", "nav-lessonprep-missing",
              lessonprep_access.reports_missing),
        Entry(_("Lesson preparation check"), "lessonprep:checking", "nav-lessonprep-checking", lessonprep.checks,
              also=("lessonprep:checking_teacher",)),
        Entry(_("Prep checkers"), "lessonprep:checkers", "nav-lessonprep-checkers", lessonprep_access.names_checkers),
        Entry(_("Textbook catalogue"), "lessonprep:catalogue", "nav-lessonprep-catalogue",
              lambda actor: lessonprep_access.keeps_catalogue(actor) or lessonprep_access.names_checkers(actor),
              also=("lessonprep:catalogue_book",)),
        Entry(_("Catalogue imports"), "lessonprep:imports", "nav-lessonprep-imports", lessonprep_access.keeps_catalogue,
              also=("lessonprep:import_job",)),
        Entry(_("Missing textbook reports"), "lessonprep:queue", "nav-lessonprep-queue",
              lessonprep_access.keeps_catalogue, count=lessonprep.open_report_count),
    ]),
    (_("Learning resources"), [
        Entry(_("Smart classroom"), "classroom:desk", "nav-classroom", classroom_access.browses,
              also=("classroom:index", "classroom:resource")),
        Entry(_("My resources"), "classroom:mine", "nav-classroom-mine", classroom_access.keeps_resources,
              also=("classroom:new", "classroom:edit")),
        Entry(_("School resources"), "classroom:school", "nav-classroom-school", classroom_access.takes_down),
        Entry(_("Recommended courses"), "classroom:recommendations", "nav-classroom-recommended",
              classroom_access.recommends),
        Entry(_("Online practice"), "practice:manage", "nav-practice", practice_access.sees_results_at_all,
              also=("practice:paper_new", "practice:paper_manage", "practice:results")),
        Entry(_("Question bank"), "practice:bank", "nav-practice-bank", practice_access.keeps_questions,
              also=("practice:question_new", "practice:question_edit")),
    ]),
    (_("Statistics"), [
        Entry(_("Usage statistics"), "stats:home", "nav-stats", stats_access.sees_statistics, also=("stats:region", "stats:school", "stats:class")),
    ]),
    (_("Settings"), [
        Entry(_("Account settings"), "orgs:settings", "nav-settings", orgs_access.can_edit_policy),
        Entry(_("FAQ and support contacts"), "help_edit", "nav-help-edit", help_access.can_edit_help),
        Entry(_("Apps signing in through the platform"), "apps", "nav-apps", integration_access.can_register_apps),
        Entry(_("School network addresses"), "accounts:networks", "nav-networks", login_access.can_manage_networks),
        Entry(_("Real-name verification"), "realname:verify", "nav-realname", access.has_identity),
        Entry(_("WeChat official account"), "wechat:config", "nav-wechat-config",
              lambda actor: wechat_access.configures_region(actor) is not None),
    ]),
    (_("Logs"), [
        Entry(_("Audit log"), "audit_log", "nav-audit", audit_access.can_read_audit_log),
        Entry(_("SMS outbox"), "verification:outbox", "nav-outbox", phones_access.can_read_outbox),
        Entry(_("Push outbox"), "push:outbox", "nav-push-outbox", push_access.can_read_outbox),
    ]),
]


def _current_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def sidebar(request, actor) -> list[Group]:
    current = _current_name(request)
    groups = []
    for label, entries in SIDEBAR:
        group = Group(label)
        for entry in entries:
            if not entry.allowed(actor):
                continue
            url = reverse(entry.url_name, args=entry.args(actor) if entry.args else ())
            active = current == entry.url_name or current in entry.also
            group.links.append(Link(entry.label, url, entry.test_id, active, entry.count(actor) if entry.count else 0))
        if group.links:
            groups.append(group)
    # An entry reached under two headings (key information) is marked active once, under the first.
    seen = False
    for group in groups:
        for link in group.links:
            link.active, seen = link.active and not seen, seen or link.active
    return groups


def breadcrumbs(request, groups: list[Group]) -> list[Link]:
    """Home › group › page, from the sidebar entry the current page belongs to."""
    for group in groups:
        for link in group.links:
            if link.active:
                return [Link(group.label, "", "", False), link]
    return []


@dataclass(frozen=True)
class Tab:
    key: str
    label: object
    url_name: str
    test_id: str
    icon: str
    also: tuple[str, ...] = ()


def tabs(request, actor) -> list[Link]:
    """The phone shell's bottom tab bar: 消息, 班级, 成长 (student) or 孩子 (parent), 我的."""
    current = _current_name(request)
    chosen = [
        Tab("messages", _("Messages"), "home:messages", "tab-messages", "messages"),
        Tab("class", _("Class"), "home", "tab-class", "class",
            also=("classgroups:index", "classgroups:group", "classgroups:manage", "classgroups:invite",
                  "lessonprep:index", "lessonprep:book", "lessonprep:chapter", "lessonprep:missing")),
    ]
    if access.is_guardian(actor):
        chosen.append(Tab("children", _("Children"), "children", "tab-children", "children",
                          also=("child_password", "evaluation:growth", "evaluation:record", "evaluation:display",
                                "activities:index", "activities:detail", "activities:mine", "evaluation:archive")))
    elif access.is_student(actor):
        # 成长: the growth record (成长记录, evaluation material) first, the classes over the years beside it.
        chosen.append(Tab("growth", _("Growth"), "evaluation:growth", "tab-growth", "growth",
                          also=("home:growth", "evaluation:record", "evaluation:peer", "evaluation:peer_rate",
                                "evaluation:archive", "evaluation:display", "classroom:index",
                                "classroom:resource", "practice:index", "practice:paper", "practice:attempt",
                                "practice:wrong")))
    chosen.append(Tab("me", _("Me"), "home:me", "tab-me", "me",
                      also=("accounts:password_change", "accounts:phone", "accounts:phone_unbind", "realname:verify",
                            "accounts:identities")))
    links = []
    for tab in chosen:
        link = Link(tab.label, reverse(tab.url_name), tab.test_id, current == tab.url_name or current in tab.also)
        link.icon = tab.icon
        if tab.key == "messages":
            link.count, link.badge = unread_badge(actor)
        links.append(link)
    return links


def unread_badge(actor) -> tuple[int, str]:
    """The inbox's unread count and its badge text ("", "7", "99+") for the 消息 tab and the console header."""
    count = inbox.unread_count(actor)
    return count, inbox.badge(count)


def header_inbox(actor) -> Link | None:
    """The console header's link to the inbox with its unread badge, for a teacher at a desk (readers only)."""
    if not notices_access.reads_inbox(actor):
        return None
    link = Link(_("Messages"), reverse("home:messages"), "header-inbox", False)
    link.count, link.badge = unread_badge(actor)
    return link
