"""The list pages' one shape (after NetBox's list views): a django-tables2 table over a django-filter filterset,
paginated with bounded page sizes, and most of them downloadable in the three forms of ``export_views``.

A page names its template, table, filterset (and export) and its queryset; the rest is here.
"""

from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from cchc.lib.export_views import PeopleExportMixin, filter_lines
from cchc.lib.pagination import DEFAULT_PER_PAGE, BoundedPaginator


class FilteredListView(SingleTableMixin, FilterView):
    """A filtered table in pages of ``DEFAULT_PER_PAGE`` rows (``?per_page=`` kept sane by ``BoundedPaginator``)."""

    table_pagination = {"per_page": DEFAULT_PER_PAGE, "paginator_class": BoundedPaginator}
    # An invalid filter shows its error next to the field and leaves the rows unfiltered, rather than an empty
    # table.
    strict = False


class ExportableListView(PeopleExportMixin, FilteredListView):
    """A filtered list downloadable as .xlsx, CSV for Excel in Vietnamese and CSV for machines; the title block
    names the filters chosen."""

    def export_scope_lines(self):
        filterset = getattr(self, "filterset", None)
        return filter_lines(filterset.form) if filterset is not None else []
