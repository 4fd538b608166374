from django.urls import path

from renrentong.resources.lessonprep import views

app_name = "lessonprep"
urlpatterns = [
    path("", views.index_page, name="index"),
    path("books/<int:textbook_id>/", views.book_page, name="book"),
    path("chapters/<int:chapter_id>/", views.chapter_page, name="chapter"),
    path("missing/", views.missing_page, name="missing"),
    path("checking/", views.checking_page, name="checking"),
    path("checking/teachers/<int:teacher_id>/", views.teacher_page, name="checking_teacher"),
    path("checkers/", views.checkers_page, name="checkers"),
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("catalogue/<int:textbook_id>/", views.catalogue_book_page, name="catalogue_book"),
    path("catalogue/missing/", views.queue_page, name="queue"),
    path("catalogue/imports/", views.imports_page, name="imports"),
    path("catalogue/imports/template/", views.import_template, name="import_template"),
    path("catalogue/imports/<int:job_id>/", views.import_job_page, name="import_job"),
    path("catalogue/imports/<int:job_id>/status/", views.import_status, name="import_status"),
    path("catalogue/imports/<int:job_id>/rejected/", views.import_rejected, name="import_rejected"),
    path("catalogue/imports/<int:job_id>/<str:action>/", views.import_action, name="import_action"),
]
