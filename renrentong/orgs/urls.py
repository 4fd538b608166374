from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("schools/<int:school_id>/", views.school_page, name="school"),
    path("settings/", views.settings_page, name="settings"),
    path("classes/<int:class_id>/students/", views.class_students_fragment, name="class_students"),
]
