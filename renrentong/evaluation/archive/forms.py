"""Page input of the archive pages (综合素质档案)."""

from __future__ import annotations

from django import forms

from renrentong.core.web.forms import IdField, PageForm


class ArchiveExportForm(PageForm):
    """Whose archives go into the .zip: a class's students (class_id), else all the school's graduates."""

    class_id = IdField(required=False)
    graduates = forms.BooleanField(required=False)
