from django.urls import path

from renrentong.orgs import views
from renrentong.orgs.structure import views as structure
from renrentong.orgs.tenants import views as tenants

app_name = "orgs"  # renrentong/urls.py includes urlpatterns with accounts' pages in this namespace
urlpatterns = [
    path("schools/<int:school_id>/", structure.school_page, name="school"),
    path("settings/", views.settings_page, name="settings"),
    # Structure (ORG-4, ORG-5)
    path("schools/<int:school_id>/campuses/new/", structure.campus_new_page, name="campus_new"),
    path("campuses/<int:campus_id>/stages/new/", structure.stage_new_page, name="stage_new"),
    path("stages/<int:stage_id>/grades/new/", structure.grade_new_page, name="grade_new"),
    path("stages/<int:stage_id>/naming/", structure.naming_page, name="naming"),
    path("cohorts/<int:cohort_id>/classes/new/", structure.classes_new_page, name="classes_new"),
    path("classes/<int:class_id>/delete/", structure.class_delete, name="class_delete"),
    # School system, tenants (ORG-2, ORG-6); one tenant, approvals and school admins are in
    # accounts/admin_roles/urls.py, the class members in accounts/people/urls.py (joined in renrentong/urls.py)
    path("schools/<int:school_id>/system/", tenants.system_page, name="system"),
    path("tenants/", tenants.tenants_page, name="tenants"),
]
