from django.urls import include, path

app_name = "notices"
urlpatterns: list = [
    path("", include("renrentong.notices.inbox.urls")),
    path("", include("renrentong.notices.receipts.urls")),
]
