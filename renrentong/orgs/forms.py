"""Page input of orgs: the shared form pieces, and the account settings form (AUTH-2, AUTH-3 per region).

Every page reads what was typed through a form. A form that does not validate becomes a refusal:
the one its field names (e.g. a class number that is no number is "structure.class_range", as the
service would say for a number out of range), or "request.invalid" naming the field. The refusal is
raised, and the page's @on_refusal renders it beside what was typed (a 400, never a 500).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import NumberField, PageForm
from renrentong.orgs import services
from renrentong.orgs.models import School

Refusal = Callable[[], UserFacingError]


def not_found() -> UserFacingError:
    """An id that is no number is answered as any id outside the actor's scope."""
    return UserFacingError("scope.not_found")


def levels_from(data) -> list[str]:
    """The stages ticked on a form (`level-primary`, ...), in School.LEVEL_ORDER."""
    return [level for level in School.LEVEL_ORDER if data.get(f"level-{level}")]


# --- Account settings -------------------------------------------------------------------------------

class PolicyForm(PageForm):
    """The settings fields sent (a page sends a subset; what was not sent is left as it is)."""

    def __init__(self, data, *, is_school: bool) -> None:
        super().__init__(data)
        allowed = services.SCHOOL_FIELDS if is_school else (
            set(services.CHOICES) | set(services.RANGES) | set(services.MONTH_DAYS) | {"school_default_password"})
        for name in sorted(allowed & set(data)):
            if services.CHOICES.get(name) == (True, False):  # a yes/no select sends 1 or 0
                self.fields[name] = forms.CharField(required=False)
            elif name in services.RANGES:
                self.fields[name] = NumberField()
            else:
                self.fields[name] = forms.CharField(required=False, strip=True)

    def refusal_for(self, field: str) -> UserFacingError:
        low, high = services.RANGES.get(field, (None, None))
        allowed = f"{low}-{high}" if low is not None else "text"
        return UserFacingError("policy.invalid_value", field=field, allowed=allowed)

    def typed(self) -> dict:
        """The fields that are valid, as values: the page shows them again beside a refusal."""
        self.is_valid()
        return {name: (value == "1" if services.CHOICES.get(name) == (True, False) else value)
                for name, value in self.cleaned_data.items() if value is not None}

    def changes(self) -> dict:
        data = self.valid_data()
        changes = {}
        for name, value in data.items():
            if services.CHOICES.get(name) == (True, False):
                changes[name] = value == "1"
            elif name in services.RANGES and value is None:
                raise self.refusal_for(name)  # a number field left empty
            else:
                changes[name] = value
        return changes
