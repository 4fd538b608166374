import json

from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from renrentong.core.errors import UserFacingError


class PlatformLocaleMiddleware(LocaleMiddleware):
    """Pages speak Simplified Chinese unless the user chose English with the switch (a cookie), so a
    teacher whose browser happens to be set to English still gets the platform as colleagues see it.
    The API follows Accept-Language, which mobile clients set on purpose."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ApiErrorShapeMiddleware:
    """Unknown paths and methods under /api/ answer in the API's error shape, not Django's HTML."""

    CODES = {404: "request.not_found", 405: "request.method_not_allowed"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        code = self.CODES.get(response.status_code)
        if code and request.path.startswith("/api/") and "json" not in response.get("Content-Type", ""):
            shaped = HttpResponse(json.dumps(UserFacingError(code).as_dict(), ensure_ascii=False),
                                  status=response.status_code, content_type="application/json")
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response
