"""ACC-8, seed 003 ("升级后登录后需要绑定手机号才能进入个人空间"): where the region asks for it, an account
without a phone (students excepted) is sent to the phone page after login until it binds one."""

from django.shortcuts import redirect
from django.urls import reverse

from renrentong.accounts.login.middleware import OPEN_PATHS
from renrentong.accounts.phones.access import must_bind_phone


class PhoneBindingMiddleware:
    """Runs after ActorMiddleware; the phone page itself is under /accounts/, which stays open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = getattr(request, "actor", None)
        if not request.path.startswith(OPEN_PATHS) and must_bind_phone(actor):
            return redirect(reverse("accounts:phone") + "?required=1")
        return self.get_response(request)
