from django.urls import path

from renrentong.realname import views

app_name = "realname"
urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    path("registry/", views.registry_page, name="registry"),
    path("registry/template/", views.template_download, name="template"),
    path("applications/", views.applications_page, name="applications"),
]
