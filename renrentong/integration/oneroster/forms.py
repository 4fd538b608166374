"""Page input of the OneRoster import pages (INT-2): the package upload and the commit's confirmation."""

from __future__ import annotations

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(required=False)  # its absence is the import's own refusal (import.file_missing)


class CommitForm(forms.Form):
    confirm_removals = forms.BooleanField(required=False)
