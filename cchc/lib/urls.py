"""URLs reversed once per process, for what a page links to many times (a dashboard links to each of its units,
and to the same comparison and charts on every page).

``reverse`` costs some 15 to 20 us a call (the namespaces, the pattern's regex, the quoting), four times a
look-up of what it answered before. Its answer depends on the name and arguments, the URLconf and the script
prefix alone (the site's patterns are not translated), never on the database.
"""

import functools

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse


def reversed_url(name, *args):
    """``reverse(name, args=args)``, kept per URLconf (its resolver, made anew when the URLconf changes) and
    script prefix."""
    return _reversed(get_resolver(get_urlconf()), get_script_prefix(), name, args)


@functools.lru_cache(maxsize=4096)
def _reversed(resolver, prefix, name, args):
    return reverse(name, args=args)
