from django.urls import path

from renrentong.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("<int:activity_id>/", views.detail, name="detail"),
    path("<int:activity_id>/sign-up/", views.sign_up, name="sign_up"),
    path("sign-ups/<int:sign_up_id>/cancel/", views.cancel, name="cancel"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.new, name="new"),
    path("manage/<int:activity_id>/", views.edit, name="edit"),
    path("manage/<int:activity_id>/sign-ups/", views.sign_ups, name="sign_ups"),
    path("manage/<int:activity_id>/attendance/", views.attendance, name="attendance"),
    path("sign-ups/<int:sign_up_id>/file/", views.file_material, name="file_material"),
    path("manage/<int:activity_id>/file-attended/", views.file_attended, name="file_attended"),
]
