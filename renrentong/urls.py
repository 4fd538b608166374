from django.urls import include, path

from renrentong.accounts.admin_roles.urls import urlpatterns as admin_role_patterns
from renrentong.accounts.family import views as family_views
from renrentong.home import views as home_views
from renrentong.accounts.people.urls import urlpatterns as people_patterns
from renrentong.accounts.phones import views as phone_views
from renrentong.accounts.urls import urlpatterns as account_patterns
from renrentong.auditlog import views as audit_views
from renrentong.integration import views as integration_views
from renrentong.integration.oneroster import rest as oneroster_rest
from renrentong.orgs.help import views as help_views
from renrentong.orgs.urls import urlpatterns as orgs_patterns
from renrentong.api import api
from renrentong.core.web import health
from renrentong.core.web.routing import nested_by_first_segment
from renrentong.realname.registration.urls import urlpatterns as registration_patterns

urlpatterns = [
    # The API first: its requests are the many small ones (a page pays one more pattern).
    path("api/v1/", nested_by_first_segment(api.urls)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", home_views.home, name="home"),
    path("my/", include("renrentong.home.urls")),
    path("accounts/", include((account_patterns + registration_patterns, "accounts"))),
    path("orgs/", include((orgs_patterns + admin_role_patterns + people_patterns, "orgs"))),
    path("rosters/", include("renrentong.rosters.urls")),
    path("exports/", include("renrentong.exports.urls")),
    path("school/keyinfo/", include("renrentong.keyinfo.urls")),
    path("school/", include("renrentong.schooladmin.urls")),
    path("verification/", include(([path("outbox/", phone_views.outbox_page, name="outbox")], "verification"))),
    path("realname/", include("renrentong.realname.urls")),
    path("rollover/", include("renrentong.rollover.urls")),
    # Outside /accounts/ on purpose: the forced password change and the identity choice guard these.
    path("resets/", family_views.resets_page, name="resets"),
    path("family/children/", family_views.children_page, name="children"),
    path("family/link-requests/", family_views.link_requests_page, name="link_requests"),
    path("family/children/<int:person_id>/password/", family_views.child_password_page, name="child_password"),
    path("family/students/<int:person_id>/guardians/", family_views.student_guardians_page,
         name="student_guardians"),
    path("help/", help_views.faq_page, name="help"),
    path("help/edit/", help_views.editor_page, name="help_edit"),
    path("audit/", audit_views.audit_log_page, name="audit_log"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path("notices/", include("renrentong.notices.urls")),
    path("files/", include("renrentong.uploads.urls")),
    path("class-groups/", include("renrentong.classgroups.urls")),
    path("activities/", include("renrentong.activities.urls")),
    path("resources/classroom/", include("renrentong.resources.classroom.urls")),
    path("push/", include("renrentong.push.urls")),
    path("wechat/", include("renrentong.wechat.urls")),
    path("spaces/", include("renrentong.spaces.urls")),
    path("evaluation/", include("renrentong.evaluation.urls")),
    path("lessonprep/", include("renrentong.resources.lessonprep.urls")),
    path("practice/", include("renrentong.resources.practice.urls")),
    path("stats/", include("renrentong.stats.urls")),
    path("oauth/", include("renrentong.integration.urls")),
    path("apps/", integration_views.apps_page, name="apps"),
    path("my/apps/", integration_views.allowed_apps_page, name="allowed_apps"),
    path("oneroster/", include("renrentong.integration.oneroster.urls")),  # OneRoster package imports (INT-2)
    # OneRoster 1.2 rostering, read-only, for registered apps (INT-3, docs/oneroster.md)
    path("ims/oneroster/rostering/v1p2/", oneroster_rest.api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
handler500 = "renrentong.core.web.outage.server_error"
