from django.urls import path

from renrentong.rosters import views

app_name = "rosters"
urlpatterns = [
    path("imports/", views.imports_page, name="imports"),
    path("imports/<int:job_id>/", views.job_page, name="job"),
    path("imports/<int:job_id>/status/", views.job_status_fragment, name="job_status"),
    path("imports/<int:job_id>/rejected/", views.rejected_download, name="rejected"),
    path("imports/<int:job_id>/new-accounts/", views.new_accounts_download, name="new_accounts"),
    path("imports/<int:job_id>/<str:action>/", views.job_action, name="job_action"),
    path("templates/<str:kind>/", views.template_download, name="template"),
    path("classes/<int:class_id>/slips/", views.slips_download, name="slips"),
    path("slips/chosen/", views.chosen_slips_download, name="chosen_slips"),
    path("exports/<str:kind>/", views.roster_download, name="export"),
]
