"""Page input of the user pages (ACC-5, ADM-1, ADM-3, ADM-4, ADM-7). Typed text is passed on as typed
(the services clean names, phones and ID numbers); ids and page numbers are read here, once."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField, IdListField
from renrentong.schooladmin.users import services as users


def _text(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, strip=False)


PLURALS = {"students": "student", "teachers": "teacher", "parents": "parent"}


class UserFilterForm(forms.Form):
    """The table's filters and pager; an unknown kind or state falls back to the default, as links may be old."""

    kind = _text(_("Kind"))
    q = _text(_("Search"))
    state = _text(_("State"))
    class_id = _text(_("Class"))
    school_id = IdField(label=_("School"))
    password = _text(_("Password"))
    activated = _text(_("Logged in"))
    t = _text(_("Search"))

    def clean_password(self) -> str:
        return "initial" if self.cleaned_data["password"] == "initial" else ""

    def clean_activated(self) -> str:
        value = self.cleaned_data["activated"]
        return value if value in ("yes", "no") else ""

    def clean_t(self) -> str:
        """The token of a search kept in the session (a phone or ID number stays out of the URL)."""
        value = self.cleaned_data["t"]
        return value if value.isascii() and value.replace("-", "").replace("_", "").isalnum() and len(value) <= 32 else ""

    def clean_kind(self) -> str:
        """student, teacher or parent; the plural forms (?kind=teachers, as the dashboards link) too."""
        kind = self.cleaned_data["kind"]
        kind = PLURALS.get(kind, kind)
        return kind if kind in users.KINDS else "student"

    def clean_state(self) -> str:
        state = self.cleaned_data["state"]
        return state if state in ("", *users.Status.values) else ""

    def clean_class_id(self) -> int | str:
        """A class id, "pool" (students without a class) or "" (every class)."""
        value = self.cleaned_data["class_id"]
        if value in ("", "pool"):
            return value
        return IdField(label=_("Class")).clean(value) or ""


class BatchForm(forms.Form):
    """A batch action on the chosen rows of the user table."""

    batch = _text(_("Action"))
    account_ids = IdListField(label=_("Users"), required=False)
    class_id = IdField(label=_("Class"))


class ClassChangeForm(forms.Form):
    account_ids = IdListField(label=_("Students"), required=False)
    class_id = IdField(label=_("Class"))


class MembersForm(forms.Form):
    account_ids = IdListField(label=_("Students"), required=False)


class NewUserForm(forms.Form):
    kind = _text(_("Kind"))
    name = _text(_("Name"))
    sex = _text(_("Sex"))
    id_number = _text(_("ID number"))
    phone = _text(_("Phone"))
    local_student_number = _text(_("Local student number"))
    national_student_number = _text(_("National student number"))
    relation = _text(_("Relation"))
    class_id = IdField(label=_("Class"))
    child_account_id = IdField(label=_("Child"))


class ChildSearchForm(forms.Form):
    kind = _text(_("Kind"))
    child_q = _text(_("Search"))

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        return kind if kind in users.KINDS else "student"


class EditUserForm(forms.Form):
    name = _text(_("Name"))
    sex = _text(_("Sex"))
    phone = _text(_("Phone"))
    clear_phone = forms.BooleanField(label=_("Unbind the phone from this account"), required=False)
