"""The registration pages live under /accounts/ with the account pages' names (accounts:register ...);
renrentong/urls.py joins them to accounts' patterns, so that accounts imports no feature app."""

from django.urls import path

from renrentong.realname.registration import views

urlpatterns = [
    path("register/", views.register_page, name="register"),
    path("register/done/", views.register_done_page, name="register_done"),
    path("register/status/", views.register_status_page, name="register_status"),
    path("register/schools/", views.register_schools_fragment, name="register_schools"),
]
