from django.urls import path

from renrentong.uploads import views

app_name = "uploads"
urlpatterns = [
    path("upload/", views.upload_fragment, name="upload"),
    path("<str:token>/", views.file_page, name="file"),
]
