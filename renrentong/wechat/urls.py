from django.urls import path

from renrentong.wechat import views

app_name = "wechat"
urlpatterns = [
    path("config/", views.config_page, name="config"),
    path("bind/", views.bind_page, name="bind"),
    path("bind/wechat/", views.oauth_start, name="oauth_start"),
    path("oauth/", views.oauth_return, name="oauth_return"),
    path("follows/", views.follows_page, name="follows"),
    path("follows/class/<int:class_id>/", views.class_follows_page, name="class_follows"),
    path("follows/sheet/", views.binding_sheet, name="sheet"),
    path("callback/<str:key>/", views.callback, name="callback"),
]
