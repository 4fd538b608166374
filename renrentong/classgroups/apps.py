from django.apps import AppConfig


class ClassgroupsConfig(AppConfig):
    name = "renrentong.classgroups"
    label = "classgroups"
