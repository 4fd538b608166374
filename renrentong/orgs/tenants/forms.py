"""Page input of the tenant pages (ORG-2, ORG-6) and of the region admin's approvals queue.

An id that is no number is "not found" (as any id outside the actor's scope); a school year that is
no number is refused as one out of range."""

from __future__ import annotations

from django import forms

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import NumberField, PageForm
from renrentong.orgs.forms import levels_from, not_found


class _SystemFields(PageForm):
    system = forms.CharField(required=False)

    def levels(self) -> list[str]:
        return levels_from(self.data)


class SystemRequestForm(_SystemFields):
    """A school admin asks for another school system or stages, or withdraws a request."""

    refusals = {"withdraw": not_found}

    withdraw = NumberField()
    reason = forms.CharField(required=False, strip=False)


class SchoolRegistrationForm(_SystemFields):
    refusals = {"district_id": not_found, "school_year": lambda: UserFacingError("tenant.school_year")}

    district_id = NumberField(empty_value=0)
    name = forms.CharField(required=False, strip=False)
    code = forms.CharField(required=False, strip=False)
    school_year = NumberField()


class TenantForm(_SystemFields):
    """One of the tenant page's forms: registration, school system, appointing or removing an admin."""

    action = forms.CharField(required=False)
    registered = forms.CharField(required=False)
    account_id = NumberField(empty_value=0)
    identity_id = NumberField(empty_value=0)

    def __init__(self, data, school_name: str) -> None:
        super().__init__(data)
        self.refusals = {"identity_id": not_found,
                         "account_id": lambda: UserFacingError("admin_roles.not_a_teacher", school=school_name)}


class DecisionForm(PageForm):
    """Approve or refuse (with a reason) a school system request or a school admin application."""

    refusals = {"id": not_found}

    kind = forms.CharField(required=False)
    id = NumberField(empty_value=0)
    decision = forms.CharField(required=False)
    note = forms.CharField(required=False, strip=False)
