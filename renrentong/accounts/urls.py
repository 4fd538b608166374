from django.urls import path

from renrentong.accounts.phones import views as phone_views

from renrentong.accounts import views


from renrentong.accounts.recovery import views as recovery_views

from renrentong.realname.registration import views as registration_views
app_name = "accounts"
urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("password/", views.password_change_page, name="password_change"),
    path("identities/", views.identities_page, name="identities"),
    path("networks/", views.networks_page, name="networks"),
    path("recover/", recovery_views.recover_page, name="recover"),
    path("recover/student/", recovery_views.recover_student_page, name="recover_student"),
    path("recover/code/", recovery_views.recover_code_page, name="recover_code"),
    path("recover/reset/", recovery_views.recover_reset_page, name="recover_reset"),
    path("code-login/", recovery_views.code_login_page, name="code_login"),
    path("second-factor/", recovery_views.second_factor_page, name="second_factor"),
    path("second-factor/setup/", recovery_views.second_factor_setup_page, name="second_factor_setup"),
    path("phone/", phone_views.phone_page, name="phone"),
    path("phone/unbind/", phone_views.phone_unbind_page, name="phone_unbind"),
    path("register/", registration_views.register_page, name="register"),
    path("register/done/", registration_views.register_done_page, name="register_done"),
    path("register/status/", registration_views.register_status_page, name="register_status"),
    path("register/schools/", registration_views.register_schools_fragment, name="register_schools"),
]
