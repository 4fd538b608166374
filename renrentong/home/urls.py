from django.urls import path

from renrentong.home import views

app_name = "home"
urlpatterns = [
    path("messages/", views.messages_page, name="messages"),
    path("growth/", views.growth_page, name="growth"),
    path("me/", views.me_page, name="me"),
    path("schools/export/", views.schools_export, name="schools_export"),
]
