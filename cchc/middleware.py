"""Vietnamese for everyone unless they chose English themselves."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The language the user chose with the language switcher (its cookie), else Vietnamese.

    Django's own middleware would follow the browser's Accept-Language header; most browsers in provincial
    offices are set to English, and their users expect the system in Vietnamese.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
