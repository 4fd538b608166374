from django.urls import path

from renrentong.resources.practice import views

app_name = "practice"
urlpatterns = [
    path("", views.index, name="index"),
    path("papers/<int:paper_id>/", views.paper, name="paper"),
    path("papers/<int:paper_id>/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt, name="attempt"),
    path("attempts/<int:attempt_id>/answers/<int:question_id>/", views.save, name="save"),
    path("attempts/<int:attempt_id>/submit/", views.submit, name="submit"),
    path("wrong/", views.wrong, name="wrong"),
    path("wrong/practise/", views.practise_weak, name="practise_weak"),
    path("manage/", views.manage, name="manage"),
    path("manage/questions/", views.bank, name="bank"),
    path("manage/questions/new/", views.question_new, name="question_new"),
    path("manage/questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("manage/papers/new/", views.paper_new, name="paper_new"),
    path("manage/papers/<int:paper_id>/", views.paper_manage, name="paper_manage"),
    path("manage/papers/<int:paper_id>/classes/<int:class_id>/", views.results, name="results"),
]
