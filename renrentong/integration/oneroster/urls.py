"""The OneRoster import pages under /oneroster/ (INT-2), in the "oneroster_imports" namespace."""

from django.urls import path

from renrentong.integration.oneroster import views

app_name = "oneroster_imports"  # "oneroster" is the REST service's (rest.py)
urlpatterns = [
    path("imports/", views.imports_page, name="imports"),
    path("imports/<int:job_id>/", views.job_page, name="job"),
    path("imports/<int:job_id>/status/", views.job_status, name="job_status"),
    path("imports/<int:job_id>/commit/", views.job_commit, name="job_commit"),
    path("imports/<int:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("imports/<int:job_id>/undo/", views.job_undo, name="job_undo"),
    path("export/", views.export_download, name="export"),
]
