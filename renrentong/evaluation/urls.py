from django.urls import path

from renrentong.evaluation import views
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
    # Academic scores (EVA-6)
    path("scores/", scores_views.scores_page, name="scores"),
    path("scores/imports/", scores_views.imports_page, name="score_imports"),
    path("scores/imports/<int:job_id>/", scores_views.job_page, name="score_job"),
    path("scores/imports/<int:job_id>/status/", scores_views.job_status, name="score_job_status"),
    path("scores/imports/<int:job_id>/rejected/", scores_views.rejected_download, name="score_rejected"),
    path("scores/imports/<int:job_id>/<str:action>/", scores_views.job_action, name="score_job_action"),
    path("scores/template/", scores_views.template_download, name="score_template"),
]
