from django.urls import path

from renrentong.evaluation import views
from renrentong.evaluation.review import views as review_views

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
    # The school's review, reviewers, public display (公示) and objections (issue 14 item 4).
    path("review/", review_views.review_page, name="review"),
    path("review/records/<int:record_id>/", review_views.review_record_page, name="review_record"),
    path("review/records/<int:record_id>/files/<int:file_id>/", review_views.review_file, name="review_file"),
    path("review/reviewers/", review_views.reviewers_page, name="reviewers"),
    path("review/displays/", review_views.displays_page, name="displays"),
    path("display/", review_views.display_page, name="display"),
]
