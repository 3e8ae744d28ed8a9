"""Downloads of a list page in three forms: .xlsx for people, a CSV for Excel in Vietnamese, a CSV for machines;
and the table export they are made from (``SpreadsheetExport``).

``?_export=xlsx`` (title block, number formats, frozen header, autofilter), ``?_export=csv_vi`` (semicolons,
decimal comma: what Excel set to Vietnamese opens as columns), ``?_export=csv`` (comma, decimal point, for
programs). Any other value shows the page.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tables2.export import ExportMixin, TableExport
from tablib import Dataset

from cchc.lib import excel

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("xlsx", "csv", "csv_vi")


def made_lines(user):
    """The title block's last lines, on every download: when it was made and by whom."""
    return [
        (_("Made on"), date_format(timezone.localtime(), "d/m/Y H:i")),
        (_("Made by"), user.get_full_name() or user.get_username()),
    ]


def spreadsheet_response(export_format, *, filename_base, sheet_title, title_lines, headers, rows, kinds):
    """The download of a page whose rows are not a django-tables2 table, in the same three forms as the list
    pages: ``xlsx`` (``title_lines`` above the table), ``csv_vi`` (for Excel in Vietnamese), ``csv`` (for
    programs: comma, decimal point, a byte-order mark so that Excel still shows the diacritics)."""
    if export_format == "xlsx":
        content = excel.write_xlsx(
            sheet_title=sheet_title, title_lines=title_lines, headers=headers, rows=rows, kinds=kinds
        )
        response = HttpResponse(content, content_type=XLSX_TYPE)
        filename = f"{filename_base}.xlsx"
    elif export_format == "csv_vi":
        content = excel.write_vietnamese_csv(headers=headers, rows=rows, kinds=kinds)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        filename = f"{filename_base}-excel-tieng-viet.csv"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([excel.plain(header) for header in headers])
        for row in rows:
            writer.writerow(["" if value is None else excel.plain(value) for value in row])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        filename = f"{filename_base}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PeopleExportMixin(ExportMixin):
    export_formats = ("xlsx", "csv", "csv_vi")
    export_trigger_param = "_export"

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get(self.export_trigger_param)
        if export_format in self.export_formats:
            return self.create_export(export_format)
        return super(ExportMixin, self).render_to_response(context, **kwargs)

    def get_export_title_lines(self):
        """The title block's lines after the page's own (``export_scope_lines``): when and by whom."""
        return [*self.export_scope_lines(), *made_lines(self.request.user)]

    def export_scope_lines(self):
        """Province, period, filters: each page says what its rows are."""
        return []

    def export_filename_base(self):
        return self.get_export_filename("xlsx").rsplit(".", 1)[0]

    def create_export(self, export_format):
        exporter = self.export_class(
            export_format="csv" if export_format == "csv_vi" else export_format,
            table=self.get_table(**self.get_table_kwargs()),
            exclude_columns=self.exclude_columns,
            dataset_kwargs=self.get_dataset_kwargs(),
        )
        if export_format == "csv":
            return exporter.response(filename=self.get_export_filename("csv"))
        if export_format == "csv_vi":
            response = HttpResponse(exporter.vietnamese_csv(), content_type="text/csv; charset=utf-8")
            filename = f"{self.export_filename_base()}-excel-tieng-viet.csv"
        else:
            response = HttpResponse(exporter.xlsx_for_people(self.get_export_title_lines()), content_type=XLSX_TYPE)
            filename = f"{self.export_filename_base()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def query_without(querydict, *names):
    """A page's query without some parameters (the download switch, the page number …): the links of its
    downloads and charts."""
    copy = querydict.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


def filter_lines(form):
    """The filters a user chose on a page's form, as (label, value shown) pairs, for the title block."""
    lines = []
    if form is None or not form.is_bound or not hasattr(form, "cleaned_data"):
        return lines
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", []):
            continue
        bound = form[name]
        choices = dict(getattr(field, "choices", []) or [])
        shown = choices.get(str(value), choices.get(value, value))
        if hasattr(value, "name"):
            shown = value.name
        lines.append((str(bound.label or name), str(shown)))
    return lines


class SpreadsheetExport(TableExport):
    """A table as a spreadsheet: numbers as numbers, text a spreadsheet would run made inert, CSV for Excel.

    Subclasses name the sheet (``title``) and may add rows after the table's (``extra_rows``).
    """

    title = None

    def __init__(self, export_format, table, **kwargs):
        self.table = table
        super().__init__(export_format, table, **kwargs)

    def extra_rows(self, table):
        return []

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        title = {"title": str(self.title)} if self.title else {}
        dataset = super().table_to_dataset(table, exclude_columns, {**title, **(dataset_kwargs or {})})
        rows = [*dataset, *self.extra_rows(table)]
        # plain(): a column without value_* exports what it renders; its links and badges must not reach a cell.
        return Dataset(
            *[tuple(excel.plain(value) for value in row) for row in rows],
            headers=[excel.plain(header) for header in dataset.headers],
            title=dataset.title,
        )

    def kinds(self):
        """What each exported column holds, for the people's formats (cchc/lib/excel.py): a column says
        ``export_kind = excel.RATE`` for rates; anything else is ``excel.AUTO``."""
        return [
            getattr(column.column, "export_kind", excel.AUTO)
            for column in self.table.columns.iterall()
            if not column.column.exclude_from_export
        ]

    def xlsx_for_people(self, title_lines):
        """The .xlsx with a title block, number formats, frozen header and autofilter."""
        return excel.write_xlsx(
            sheet_title=self.title or self.dataset.title or "",
            title_lines=title_lines,
            headers=self.dataset.headers,
            rows=list(self.dataset),
            kinds=self.kinds(),
        )

    def vietnamese_csv(self):
        return excel.write_vietnamese_csv(headers=self.dataset.headers, rows=list(self.dataset), kinds=self.kinds())

    def export(self):
        content = super().export()
        if self.format == self.CSV:
            # Excel reads a CSV as UTF-8, and so shows the diacritics, only with a byte-order mark.
            return "\ufeff" + content
        return content
