from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import PasswordField, ShownForm


class PasswordChangeForm(ShownForm):
    """One's own password change (AUTH-2, 3). Right after a login with the password (the forced change of an
    initial password) the page drops `current_password`: the login has just proved it."""

    current_password = PasswordField(label=_("Current password"), required=True)
    new_password = PasswordField(label=_("New password"), required=True, autocomplete="new-password")
    repeat_password = PasswordField(label=_("Repeat the new password"), required=True, autocomplete="new-password")

    refusal_fields = {"password.wrong_current": "current_password", "password.mismatch": "repeat_password",
                      "password.": "new_password"}

    def __init__(self, *args, current_proved: bool = False, rules: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if current_proved:
            del self.fields["current_password"]
        self.fields["new_password"].rules = rules or []
