"""Key information pages (KEY-1..KEY-3), under /school/keyinfo/ as before the app had its own URLs."""

from django.urls import path

from renrentong.keyinfo import views

app_name = "keyinfo"
urlpatterns: list = [
    path("", views.keyinfo_page, name="index"),
    path("classes/<int:class_id>/", views.keyinfo_class, name="class"),
    path("people/<int:person_id>/", views.keyinfo_person, name="person"),
    path("requests/<int:change_id>/", views.keyinfo_request, name="request"),
    path("requests/<int:change_id>/reveal/<str:which>/", views.keyinfo_reveal, name="reveal"),
    path("incomplete.xlsx", views.keyinfo_incomplete, name="incomplete"),
    path("registry/", views.keyinfo_registry_upload, name="registry_upload"),
    path("registry/<int:comparison_id>/", views.keyinfo_registry, name="registry"),
]
