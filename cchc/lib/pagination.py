"""Page sizes taken from the address (``?per_page=``) kept sane: the lists are paginated with this paginator.

django-tables2 reads ``per_page`` from the query string as any integer: ``-1`` or ``0`` made Django's paginator
divide by zero or ask for page -1 (a server error), and ``10000000`` would render every row at once.
"""

from django.core.paginator import Paginator

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


class BoundedPaginator(Paginator):
    """A page size below 1 gives the default page size; one above ``MAX_PER_PAGE`` gives ``MAX_PER_PAGE``."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True):
        per_page = int(per_page)
        if per_page < 1:
            per_page = DEFAULT_PER_PAGE
        super().__init__(object_list, min(per_page, MAX_PER_PAGE), orphans, allow_empty_first_page)
