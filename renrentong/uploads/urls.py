from django.urls import path

from renrentong.uploads import views

app_name = "uploads"
urlpatterns = [
    path("<str:token>/", views.file_page, name="file"),
]
