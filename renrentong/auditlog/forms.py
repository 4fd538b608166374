"""Input of the audit log pages: the filters (kind, first and last day)."""

from __future__ import annotations

from datetime import date

from django import forms

from renrentong.core.errors import UserFacingError


class AuditFilterForm(forms.Form):
    """Always valid: a kind is cut to 64 characters, days are text here; `days()` parses them."""

    kind = forms.CharField(required=False, strip=False)
    date_from = forms.CharField(required=False, strip=False)
    date_to = forms.CharField(required=False, strip=False)

    def filters(self) -> dict[str, str]:
        """What the page shows back in its filter fields (and keeps in its page links)."""
        data = self.data
        return {"kind": str(data.get("kind", ""))[:64], "date_from": str(data.get("date_from", ""))[:20],
                "date_to": str(data.get("date_to", ""))[:20]}

    def days(self) -> tuple[date | None, date | None]:
        """(first day, last day); a day that is not one refuses with audit.invalid_date, naming it."""
        filters = self.filters()
        return _day(filters["date_from"]), _day(filters["date_to"])


def _day(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserFacingError("audit.invalid_date", value=value[:20]) from None
