from django.urls import path

from renrentong.notices.inbox import views

urlpatterns = [
    path("inbox/more/", views.more, name="inbox_more"),
    path("inbox/<int:notice_id>/", views.item, name="inbox_item"),
    path("inbox/<int:notice_id>/confirm/", views.confirm, name="inbox_confirm"),
]
