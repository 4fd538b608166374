"""`{{ name|subject }}`: a standard subject in the reader's language (schooladmin.teaching.subjects)."""

from __future__ import annotations

from django import template

from renrentong.schooladmin.teaching.subjects import subject_label

register = template.Library()


@register.filter
def subject(value) -> str:
    return subject_label(str(value))


@register.filter
def subjects(values) -> list[str]:
    return [subject_label(str(v)) for v in values or ()]
