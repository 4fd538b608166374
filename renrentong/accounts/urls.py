from django.urls import path

from renrentong.accounts.phones import views as phone_views

from renrentong.accounts.code_login import views as code_login_views
from renrentong.accounts.login import views as login_views
from renrentong.accounts.passwords import views as password_views
from renrentong.accounts.privacy import views as privacy_views
from renrentong.accounts.recovery import views as recovery_views

# Included by renrentong/urls.py as the "accounts" namespace, with the registration pages of realname.
app_name = "accounts"
urlpatterns = [
    path("login/", login_views.login_page, name="login"),
    path("logout/", login_views.logout_page, name="logout"),
    path("password/", password_views.password_change_page, name="password_change"),
    path("identities/", login_views.identities_page, name="identities"),
    path("networks/", login_views.networks_page, name="networks"),
    path("recover/", recovery_views.recover_page, name="recover"),
    path("recover/student/", recovery_views.recover_student_page, name="recover_student"),
    path("recover/code/", recovery_views.recover_code_page, name="recover_code"),
    path("recover/reset/", recovery_views.recover_reset_page, name="recover_reset"),
    path("code-login/", code_login_views.code_login_page, name="code_login"),
    path("second-factor/", login_views.second_factor_page, name="second_factor"),
    path("second-factor/setup/", login_views.second_factor_setup_page, name="second_factor_setup"),
    path("phone/", phone_views.phone_page, name="phone"),
    path("phone/unbind/", phone_views.phone_unbind_page, name="phone_unbind"),
    path("people/<int:person_id>/reveal/<str:which>/", privacy_views.reveal_fragment, name="reveal"),
]
