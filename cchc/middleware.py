"""The project's middleware: Vietnamese unless the user chose English, one transaction per writing request, and
no caching of what a logged-in user receives."""

from django.conf import settings
from django.db import transaction
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

from cchc.lib.uploads import files_follow_the_transaction


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
        # Outside the transaction: once it has committed or rolled back, the files its saves wrote are kept or
        # deleted with it (cchc/lib/uploads.py).
        with files_follow_the_transaction(), transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a logged-in user: pages, exports and the JSON feed carry
    figures and names that must not stay in a shared computer's browser cache or in a proxy.

    Static files never get here (WhiteNoise answers them earlier, with their own long caching).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Added to what a view already said (a download's "private"), never replacing it.
            patch_cache_control(response, no_store=True)
        return response
