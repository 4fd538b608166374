from django.urls import path

from renrentong.rollover import views

app_name = "rollover"
urlpatterns = [
    path("", views.rollover_page, name="page"),
    path("runs/<int:run_id>/undo/", views.undo_run, name="undo"),
    path("alumni/", views.alumni_page, name="alumni"),
]
