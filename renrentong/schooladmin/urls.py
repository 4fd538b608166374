from django.urls import path

from renrentong.schooladmin.class_changes import views as class_changes_views

from renrentong.schooladmin.teaching import views as teaching_views

from renrentong.schooladmin.transfers import views as transfers_views

from renrentong.schooladmin.users import views as users_views
app_name = "schooladmin"
urlpatterns: list = [
    # Transfers (ADM-5)
    path("transfers/", transfers_views.transfers_page, name="transfers"),
    path("transfers/<int:request_id>/<str:action>/", transfers_views.transfer_action, name="transfer_action"),
    # Users, recycle bin, classes (ACC-5, ADM-1, ADM-3, ADM-4) and teaching (ADM-2)
    path("users/", users_views.users_page, name="users"),
    path("users/new/", users_views.new_user_page, name="user_new"),
    path("users/class-change/", users_views.class_change, name="class_change"),
    path("users/<int:account_id>/edit/", users_views.edit_user_page, name="user_edit"),
    path("users/<int:account_id>/<str:action>/", users_views.user_action, name="user_action"),
    path("recycle-bin/", users_views.recycle_bin_page, name="recycle_bin"),
    path("classes/<int:class_id>/", users_views.class_page, name="class_students"),
    path("teaching/", teaching_views.grid_page, name="teaching"),
    path("my-teaching/", teaching_views.own_teaching_page, name="my_teaching"),
    # Students' class-change requests (issue 10)
    path("class-changes/", class_changes_views.class_changes_page, name="class_changes"),
    path("class-changes/<int:request_id>/<str:action>/", class_changes_views.class_change_action,
         name="class_change_action"),
]
