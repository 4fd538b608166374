from django.urls import path

from renrentong.orgs import views

app_name = "orgs"
urlpatterns = [
    path("schools/<int:school_id>/", views.school_page, name="school"),
    path("settings/", views.settings_page, name="settings"),
    path("classes/<int:class_id>/students/", views.class_students_fragment, name="class_students"),
    # Structure (ORG-4, ORG-5)
    path("schools/<int:school_id>/campuses/new/", views.campus_new_page, name="campus_new"),
    path("campuses/<int:campus_id>/stages/new/", views.stage_new_page, name="stage_new"),
    path("stages/<int:stage_id>/grades/new/", views.grade_new_page, name="grade_new"),
    path("stages/<int:stage_id>/naming/", views.naming_page, name="naming"),
    path("cohorts/<int:cohort_id>/classes/new/", views.classes_new_page, name="classes_new"),
    path("classes/<int:class_id>/delete/", views.class_delete, name="class_delete"),
    # School system, tenants, school admins (ORG-2, ORG-6, ADM-6)
    path("schools/<int:school_id>/system/", views.system_page, name="system"),
    path("tenants/", views.tenants_page, name="tenants"),
    path("tenants/<int:school_id>/", views.tenant_page, name="tenant"),
    path("approvals/", views.approvals_page, name="approvals"),
    path("apply-admin/", views.apply_admin_page, name="apply_admin"),
]
