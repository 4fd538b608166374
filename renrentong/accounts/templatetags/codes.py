from django import template

from renrentong.verification.constants import CODE_LENGTH

register = template.Library()


@register.simple_tag
def code_length() -> int:
    """The digits of a verification code (verification.constants.CODE_LENGTH), for maxlength and hints."""
    return CODE_LENGTH
