from django.apps import AppConfig


class SchoolAdminConfig(AppConfig):
    name = "renrentong.schooladmin"
    label = "schooladmin"
