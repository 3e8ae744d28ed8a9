"""Downloads of a list page in three forms: .xlsx for people, a CSV for Excel in Vietnamese, a CSV for machines.

``?_export=xlsx`` (title block, number formats, frozen header, autofilter), ``?_export=csv_vi`` (semicolons,
decimal comma: what Excel set to Vietnamese opens as columns), ``?_export=csv`` (comma, decimal point, for
programs). Any other value shows the page.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tables2.export import ExportMixin

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        user = self.request.user
        made = date_format(timezone.localtime(), "d/m/Y H:i")
        return [
            *self.export_scope_lines(),
            (_("Made on"), made),
            (_("Made by"), user.get_full_name() or user.get_username()),
        ]

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
