from django.urls import path

from renrentong.exports import views

app_name = "exports"
urlpatterns = [
    path("<int:job_id>/", views.job_page, name="job"),
    path("<int:job_id>/status/", views.job_status, name="job_status"),
    path("<int:job_id>/file/", views.job_file, name="job_file"),
    path("<int:job_id>/retry/", views.job_retry, name="job_retry"),
]
