from django.urls import path

from renrentong.resources.classroom import views

app_name = "classroom"
urlpatterns = [
    path("", views.index, name="index"),
    path("desk/", views.desk, name="desk"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("school/", views.school, name="school"),
    path("recommended/", views.recommendations, name="recommendations"),
    path("<int:resource_id>/", views.resource, name="resource"),
    path("<int:resource_id>/edit/", views.edit, name="edit"),
    path("<int:resource_id>/delete/", views.delete, name="delete"),
    path("<int:resource_id>/take-down/", views.take_down, name="take_down"),
]
