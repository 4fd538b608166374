from django.urls import path

from renrentong.spaces import views

app_name = "spaces"
urlpatterns = [
    path("", views.feed_page, name="feed"),
    path("new/", views.compose_page, name="compose"),
    path("me/", views.my_space, name="mine"),
    path("posts/<int:post_id>/", views.post_page, name="post"),
    path("posts/<int:post_id>/report/", views.post_report, name="post_report"),
    path("posts/<int:post_id>/remove/", views.post_remove, name="post_remove"),
    path("posts/<int:post_id>/approve/", views.post_approve, name="post_approve"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("people/<int:account_id>/", views.person_space, name="person"),
    path("classes/<int:class_id>/", views.class_space_page, name="class_space"),
    path("classes/<int:class_id>/manage/", views.class_space_manage, name="class_space_manage"),
    path("classes/<int:class_id>/admins/", views.class_admin_add, name="class_admin_add"),
    path("classes/<int:class_id>/admins/<int:admin_id>/dismiss/", views.class_admin_dismiss,
         name="class_admin_dismiss"),
    path("schools/<int:school_id>/", views.school_space_page, name="school_space"),
    path("schools/<int:school_id>/manage/", views.school_space_manage, name="school_space_manage"),
    path("review/", views.review_page, name="review"),
    path("words/", views.words_page, name="words"),
    path("words/<int:word_id>/delete/", views.word_delete, name="word_delete"),
    path("words/children-public/", views.children_public_policy, name="children_public"),
    path("stats/", views.stats_page, name="stats"),
]
