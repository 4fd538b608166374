from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("password/", views.password_change_page, name="password_change"),
    path("identities/", views.identities_page, name="identities"),
]
