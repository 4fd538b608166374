from django.urls import path

from renrentong.evaluation import views
from renrentong.evaluation.archive import views as archive_views

app_name = "evaluation"
urlpatterns = [
    path("growth/", views.growth_page, name="growth"),
    path("records/", views.desk_page, name="desk"),
    path("records/<int:record_id>/", views.record_page, name="record"),
    path("records/<int:record_id>/delete/", views.record_delete, name="record_delete"),
    path("records/<int:record_id>/withdraw/", views.record_withdraw, name="record_withdraw"),
    path("records/<int:record_id>/reopen/", views.record_reopen, name="record_reopen"),
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("windows/", views.windows_page, name="windows"),
    path("archive/", archive_views.archive_page, name="archive"),
    path("archive/classes/<int:class_id>/", archive_views.class_page, name="archive_class"),
    path("archive/students/<int:student_id>/pdf/", archive_views.student_pdf, name="archive_pdf"),
    path("archive/export/", archive_views.export, name="archive_export"),
]
