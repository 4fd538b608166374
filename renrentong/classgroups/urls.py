from django.urls import path

from renrentong.classgroups import views

app_name = "classgroups"
urlpatterns = [
    path("", views.index, name="index"),
    path("join/<str:token>/", views.invite, name="invite"),
    path("<int:class_id>/", views.group_page, name="group"),
    path("<int:class_id>/messages/", views.post_message, name="post"),
    path("<int:class_id>/replies/", views.reply, name="reply"),
    path("<int:class_id>/files/", views.upload, name="upload"),
    path("<int:class_id>/files/<int:file_id>/", views.download, name="file"),
    path("<int:class_id>/members/remove/", views.remove, name="remove"),
    path("<int:class_id>/manage/", views.manage, name="manage"),
]
