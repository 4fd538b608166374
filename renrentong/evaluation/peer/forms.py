"""Page input for peer evaluation (EVA-5): a classmate's grades, a switch, the city's criteria, the aggregates'
filters."""

from __future__ import annotations

from django import forms

from renrentong.core.web.forms import IdField, PageForm


class SwitchForm(PageForm):
    on = forms.ChoiceField(choices=[("1", "on"), ("0", "off")])


class ResultsFilterForm(PageForm):
    year = IdField(max_value=2100)
    grade = IdField()
    klass = IdField()


def criteria_from(data, rows: int) -> list[tuple[str, str]]:
    """The criteria form's rows (label_<n>, hint_<n>) in order; blank rows are dropped by the service."""
    return [(str(data.get(f"label_{n}", ""))[:200], str(data.get(f"hint_{n}", ""))[:400]) for n in range(rows)]


def grades_from(data, criteria) -> dict[int, str]:
    """The grade chosen for each criterion (fields grade_<criterion id>); a missing one is left out, and the
    service refuses the rating as incomplete."""
    chosen = {}
    for criterion in criteria:
        value = data.get(f"grade_{criterion.pk}", "")
        if value:
            chosen[criterion.pk] = value[:1]
    return chosen
