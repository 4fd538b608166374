"""The school admin role pages, in the orgs namespace under /orgs/: renrentong/urls.py joins these to
orgs' own patterns (no app_name here)."""

from django.urls import path

from renrentong.accounts.admin_roles import views

urlpatterns = [
    path("tenants/<int:school_id>/", views.tenant_page, name="tenant"),
    path("approvals/", views.approvals_page, name="approvals"),
    path("apply-admin/", views.apply_admin_page, name="apply_admin"),
]
