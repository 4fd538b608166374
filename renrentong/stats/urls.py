from django.urls import path

from renrentong.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.home_page, name="home"),
    path("regions/<int:region_id>/", views.region_page, name="region"),
    path("schools/<int:school_id>/", views.school_page, name="school"),
    path("classes/<int:class_id>/", views.class_page, name="class"),
]
