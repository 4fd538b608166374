"""The form template pack (issue 12): label tied to the input, help and error named by aria-describedby,
aria-invalid on a wrong field, what was typed kept (never a password), refusals beside their field."""

from __future__ import annotations

from django import forms

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import PasswordField, ShownForm


class SampleForm(ShownForm):
    name = forms.CharField(label="Name", help_text="As on the card", max_length=3)
    kind = forms.CharField(label="Kind", required=False, widget=forms.Select(choices=[("a", "A"), ("b", "B")]))
    secret = PasswordField(label="Secret")

    refusal_fields = {"password.": "secret", "login.unknown_account": "name"}


def test_a_wrong_field_carries_aria_invalid_and_its_error_beside_it():
    form = SampleForm({"name": "toolong", "kind": "b", "secret": "Hunter2!"})
    assert not form.is_valid()
    html = str(form)
    assert '<label class="form-label" for="name">Name' in html
    assert 'aria-invalid="true"' in html and 'class="form-control is-invalid"' in html
    assert 'aria-describedby="name_error name_helptext"' in html
    assert 'id="name_error"' in html and 'id="name_helptext"' in html
    assert 'value="toolong"' in html  # what was typed stays
    assert "Hunter2!" not in html  # a password never comes back
    assert 'class="form-select"' in html and '<option value="b" selected>' in html
    assert 'class="rr-password"' in html and 'autocomplete="current-password"' in html


def test_a_required_field_is_marked_and_an_untouched_form_has_no_errors():
    html = str(SampleForm())
    assert 'class="rr-required"' in html and "aria-invalid" not in html and "field-error" not in html


def test_a_service_refusal_goes_beside_the_field_it_is_about():
    form = SampleForm({"name": "ab", "secret": "x"})
    assert form.is_valid()
    form.show_refusal(UserFacingError("password.length", min=8, max=20))
    assert form.errors["secret"] == ["密码长度须为 8-20 位。"]
    form.show_refusal(UserFacingError("login.unknown_account"))
    assert "name" in form.errors
    other = SampleForm({"name": "ab", "secret": "x"})
    other.show_refusal(UserFacingError("identity.not_yours"))  # about no field: the page's block shows it
    assert not other.errors


def test_the_first_invalid_field_gives_the_field_invalid_refusal_for_the_page_block():
    form = SampleForm({"name": "toolong"})
    form.is_valid()
    assert form.first_refusal().code == "field.invalid"
