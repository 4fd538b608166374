from django.urls import path

from renrentong.verification import views

app_name = "verification"
urlpatterns = [
    path("outbox/", views.outbox_page, name="outbox"),
]
