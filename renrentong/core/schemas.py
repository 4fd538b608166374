from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    who_can_fix: str
    contact: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}
