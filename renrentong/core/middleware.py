from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
