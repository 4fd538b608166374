from django.urls import path

from renrentong.push import views

app_name = "push"
urlpatterns = [
    path("outbox/", views.outbox_page, name="outbox"),
]
