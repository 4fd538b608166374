from django.urls import include, path

from renrentong.notices import views

app_name = "notices"
urlpatterns: list = [
    path("compose/", views.compose_page, name="compose"),
    path("compose/audience/", views.audience_fragment, name="audience"),
    path("sent/", views.sent_page, name="sent"),
    path("sent/<int:notice_id>/", views.sent_detail_page, name="sent_detail"),
    path("sent/<int:notice_id>/status/", views.status_fragment, name="sent_status"),
    path("sent/<int:notice_id>/recall/", views.recall_action, name="recall"),
    path("sent/<int:notice_id>/correct/", views.correct_page, name="correct"),
    path("", include("renrentong.notices.inbox.urls")),
    path("", include("renrentong.notices.receipts.urls")),
]
