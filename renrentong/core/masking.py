"""Masked display forms of ID numbers and phones (NFR-1): 430***********1234, 137****5678."""


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_identifier(value: str) -> str:
    """What a login log may keep of whatever the user typed: enough to recognise, never the number."""
    return mask_id_number(value) if len(value) > 9 else value
