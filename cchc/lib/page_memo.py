"""A page answered again from memory while nothing in the database has changed since it was rendered.

The dashboard, its charts and its feed are read far more often than the figures change: staff reload, go back
and forth between periods, and every view of the dashboard asks for its three charts. Rendering the page costs
tens of milliseconds of Python (templates, the table, the forms); a page whose every input is unchanged can be
answered with the bytes it gave last time. The numbers stay live: the page is remembered under the database's
*snapshot*, and any committed write anywhere in the database gives a new snapshot, so the next request renders
afresh. There is no expiry to tune and nothing to invalidate by hand.

Why the snapshot is a safe key (PostgreSQL; docs/performance.md, "Pages remembered until a write"):

- ``pg_current_snapshot()`` names exactly which transactions a statement can see (``xmin:xmax:in-progress``).
  Two statements with the same snapshot see the same committed rows; a read-only transaction takes no
  transaction id, so reads never change it, and any transaction that writes and commits changes it for good.
- The snapshot is read *before* the page is rendered. A write committed in between makes the page newer than
  its key, never older; and that key can no longer come back, since every later snapshot sees the write.
- Transaction ids are the server's, not one database's: a write to any database of the same PostgreSQL server
  also renders afresh. That errs on the side of freshness; on a server shared with busy databases fewer pages
  are answered from memory.
- A request inside a transaction (a test's, or a writing request's) is never remembered: its own uncommitted
  writes are invisible in the snapshot's name.

Everything else a page depends on is part of the key: the view and its full address (every filter, sort, page
and period), the language, today's date (deadlines and overdue flags), the host, and the visitor's session and
CSRF secret. A remembered page is therefore only ever given back to the session it was rendered for, with the
form tokens that session's cookie checks; another user, or the same user after logging in again, renders their
own. Pages with a message waiting (``django.contrib.messages``) are neither remembered nor answered from memory.

On other databases (SQLite, the embedded default) nothing names a snapshot across connections, and every page
is rendered each time.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone, translation

CACHE_ALIAS = "pages"
# Only what a page or its data answer as: downloads (exports) are rendered each time.
REMEMBERED_TYPES = ("text/html", "application/json")


def database_snapshot():
    """The name of what the database shows now, or ``None`` where pages must not be remembered."""
    if not getattr(settings, "PAGE_MEMO", True) or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def _has_messages(request):
    storage = getattr(request, "_messages", None)
    # Counting the stored and queued messages does not mark them read; iterating them would.
    return storage is not None and len(storage) > 0


def _key(request, view_name, snapshot):
    parts = (
        view_name,
        request.get_host(),
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate().isoformat(),
        request.session.session_key or "",
        # The CSRF secret the page's form tokens are made from: the cookie's, read by CsrfViewMiddleware, or the
        # one the page itself set (the response sends it as the new cookie, and the next request carries it).
        request.META.get("CSRF_COOKIE", ""),
        snapshot,
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def remembered_until_written(view):
    """Answer a logged-in GET of ``view`` from memory while the database is unchanged (see the module)."""
    named = getattr(view, "view_class", view)  # a class-based view's as_view() carries its class
    view_name = f"{named.__module__}.{named.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or not request.user.is_authenticated or _has_messages(request):
            return view(request, *args, **kwargs)
        snapshot = database_snapshot()
        if snapshot is None:
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = _key(request, view_name, snapshot)
        remembered = cache.get(key)
        if remembered is not None:
            content, content_type = remembered
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        content_type = response.get("Content-Type", "")
        if (
            response.status_code == 200
            and not response.streaming
            and not response.has_header("Content-Disposition")
            and content_type.split(";")[0] in REMEMBERED_TYPES
            and not _has_messages(request)
        ):
            cache.set(_key(request, view_name, snapshot), (response.content, content_type))
        return response

    return wrapper


@receiver(setting_changed)
def _forget_on_setting_change(**kwargs):
    # A page's output follows settings (the rounding, the language list); a test that changes one must not be
    # answered with a page rendered under the old value.
    if kwargs["setting"] != "CACHES":
        caches[CACHE_ALIAS].clear()
