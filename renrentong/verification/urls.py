from django.urls import path

from . import views

app_name = "verification"
urlpatterns = [
    path("outbox/", views.outbox_page, name="outbox"),
]
