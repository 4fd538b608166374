from django.urls import include, path

from renrentong.accounts import views as account_views

from .api import api

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("renrentong.accounts.urls")),
    path("orgs/", include("renrentong.orgs.urls")),
    path("rosters/", include("renrentong.rosters.urls")),
    path("school/", include("renrentong.schooladmin.urls")),
    path("verification/", include("renrentong.verification.urls")),
    path("realname/", include("renrentong.realname.urls")),
    path("rollover/", include("renrentong.rollover.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
