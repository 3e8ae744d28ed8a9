"""The project's middleware: Vietnamese unless the user chose English, and one transaction per writing request."""

from django.conf import settings
from django.db import transaction
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


class AtomicWritesMiddleware:
    """Run the view of every request that may write in one transaction; reads run without one.

    What ``ATOMIC_REQUESTS`` does, for unsafe methods only: on SQLite every transaction begins with BEGIN
    IMMEDIATE (it takes the write lock at once, so that concurrent writers queue instead of failing), and
    wrapping page reads in one would make every reader wait for every writer. An exception in the view
    rolls the whole request back, as before.
    """

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in self.SAFE_METHODS or getattr(view_func, "_non_atomic_requests", None):
            return None
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
