"""People pages in the orgs namespace under /orgs/: renrentong/urls.py joins these to orgs' own patterns
(no app_name here)."""

from django.urls import path

from renrentong.accounts.people import views

urlpatterns = [
    path("classes/<int:class_id>/students/", views.class_students_fragment, name="class_students"),
]
