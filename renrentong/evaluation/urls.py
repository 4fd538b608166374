from django.urls import path

from renrentong.evaluation import views
from renrentong.evaluation.peer import views as peer_views
from renrentong.evaluation.progress import views as progress_views
from renrentong.evaluation.archive import views as archive_views
from renrentong.evaluation.review import views as review_views
from renrentong.evaluation.scores import views as scores_views

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
    path("peer/", peer_views.classmates_page, name="peer"),
    path("peer/classmates/<int:classmate_id>/", peer_views.rate_page, name="peer_rate"),
    path("peer/switches/", peer_views.switches_page, name="peer_switches"),
    path("peer/criteria/", peer_views.criteria_page, name="peer_criteria"),
    path("peer/results/", peer_views.results_page, name="peer_results"),
    path("progress/", progress_views.progress_page, name="progress"),
    path("progress/students/<int:student_id>/", progress_views.student_page, name="progress_student"),
    path("archive/", archive_views.archive_page, name="archive"),
    path("archive/classes/<int:class_id>/", archive_views.class_page, name="archive_class"),
    path("archive/students/<int:student_id>/pdf/", archive_views.student_pdf, name="archive_pdf"),
    path("archive/export/", archive_views.export, name="archive_export"),
    # The school's review, reviewers, public display (公示) and objections (issue 14 item 4).
    path("review/", review_views.review_page, name="review"),
    path("review/records/<int:record_id>/", review_views.review_record_page, name="review_record"),
    path("review/records/<int:record_id>/files/<int:file_id>/", review_views.review_file, name="review_file"),
    path("review/reviewers/", review_views.reviewers_page, name="reviewers"),
    path("review/displays/", review_views.displays_page, name="displays"),
    path("display/", review_views.display_page, name="display"),
    # Academic scores (EVA-6)
    path("scores/", scores_views.scores_page, name="scores"),
    path("scores/imports/", scores_views.imports_page, name="score_imports"),
    path("scores/imports/<int:job_id>/", scores_views.job_page, name="score_job"),
    path("scores/imports/<int:job_id>/status/", scores_views.job_status, name="score_job_status"),
    path("scores/imports/<int:job_id>/rejected/", scores_views.rejected_download, name="score_rejected"),
    path("scores/imports/<int:job_id>/<str:action>/", scores_views.job_action, name="score_job_action"),
    path("scores/template/", scores_views.template_download, name="score_template"),
]
