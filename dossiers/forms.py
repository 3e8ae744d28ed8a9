"""The quarterly report form, laid out as the province's paper form: dossiers by level, procedures,
internal inspection, communication; the province-and-period form; the forms of the import of reports."""

import contextlib

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cchc.lib.forms import ChoicesOnFirstUse, QuickSelect, parsed_period
from cchc.lib.import_pages import UploadForm
from cchc.lib.numbers import NotAFigure, parse_figure
from cchc.lib.periods import Period, period_choices
from districts.forms import UnitCodeChoiceField
from districts.models import Unit

from .figures import ACTIVITY_FIGURES, DOSSIER_FIGURES, PROCEDURE_FIGURES, REPORT_FIGURES
from .models import LEVELS_OF_UNIT, ReportLevel
from .selectors import first_report_year


class FigureField(forms.IntegerField):
    """A figure: a whole number, 0 or more, with or without thousands dots; blank when not tracked."""

    default_error_messages = {
        "invalid": _("Enter a whole number, 0 or more (e.g. 17800 or 17.800)."),
        "min_value": _("A figure cannot be negative."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "class": "form-control form-control-sm text-end", "autocomplete": "off"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        # Read as the imports read a cell (cchc.lib.numbers): 17800, 17.800 or 17 800; 17,8, -3 or 1e4 refused.
        if isinstance(value, str):
            try:
                value = parse_figure(value)
            except NotAFigure as error:
                code = "min_value" if error.negative else "invalid"
                raise forms.ValidationError(self.error_messages[code], code=code) from None
        return super().to_python(value)


def field_name(level, code):
    return f"{level}__{code}"


class ReportForm(forms.Form):
    """Every figure of one unit's report for one quarter.

    The dossier figures have one field per level the unit reports (``district__received`` …); the procedure
    and activity figures one field each. ``confirm_warnings`` is offered once the figures raise warnings.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    confirm_warnings = forms.BooleanField(
        label=_("I have checked these figures: save them as they are."), required=False
    )

    def __init__(self, *args, unit, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.levels = levels
        for level in levels:
            for figure in DOSSIER_FIGURES:
                # The label names the level too: the district and commune inputs of a row must not share one.
                self.fields[field_name(level, figure.code)] = FigureField(
                    label=format_lazy("{}, {}", capfirst(figure.label), ReportLevel(level).label),
                    help_text=figure.help_text,
                )
        for figure in REPORT_FIGURES:
            self.fields[figure.code] = FigureField(label=figure.label, help_text=figure.help_text)

    @staticmethod
    def levels_for(unit, report=None):
        """The level rows the form offers: the unit's own levels, and "all levels" only where a report has it."""
        levels = [level for level in LEVELS_OF_UNIT[unit.level] if level != ReportLevel.ALL]
        if report is not None and report.levels.filter(level=ReportLevel.ALL).exists():
            levels.append(ReportLevel.ALL)
        return levels

    @classmethod
    def initial_for(cls, report, levels, previous_pending):
        """The form's starting values: the report's figures, or for a new report the previous quarter's pending
        offered as this quarter's carried over."""
        initial = {"version": report.version if report else 0, "note": report.note if report else ""}
        if report is None:
            for level in levels:
                if previous_pending.get(level) is not None:
                    initial[field_name(level, "carried_over")] = previous_pending[level]
            return initial
        rows = {row.level: row for row in report.levels.all()}
        for level in levels:
            row = rows.get(level)
            for figure in DOSSIER_FIGURES:
                initial[field_name(level, figure.code)] = getattr(row, figure.code) if row else None
        for figure in REPORT_FIGURES:
            initial[figure.code] = getattr(report, figure.code)
        return initial

    def level_values(self):
        return {
            level: {figure.code: self.cleaned_data.get(field_name(level, figure.code)) for figure in DOSSIER_FIGURES}
            for level in self.levels
        }

    def typed_level_values(self):
        """Each level's dossier figures as typed so far (or as saved, on an unbound form), read by the figures'
        own parser; a figure not (yet) readable counts as blank. For the live preview under the form."""
        values = {}
        for level in self.levels:
            values[level] = {}
            for figure in DOSSIER_FIGURES:
                bound = self[field_name(level, figure.code)]
                try:
                    values[level][figure.code] = bound.field.clean(bound.value())
                except ValidationError:
                    values[level][figure.code] = None
        return values

    def report_values(self):
        return {figure.code: self.cleaned_data.get(figure.code) for figure in REPORT_FIGURES}

    def add_service_errors(self, error):
        """Place the errors of ``dossiers.services.save_report`` next to their fields."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            level, _dot, code = key.rpartition(".")
            name = field_name(level, code) if level else code
            self.add_error(name if name in self.fields else None, messages)

    def show_saved_errors(self, errors):
        """Place a saved draft's identity errors (``services.report_errors``) beside the fields of an unbound
        form, so that the district sees what to mend before it can submit."""
        self._errors = self._errors or ErrorDict()
        self.cleaned_data = {}
        by_place = {}
        for where, message in errors:
            by_place.setdefault(where, []).append(message)
        self.add_service_errors(ValidationError(by_place))

    # The layout, for the template: sections of (label, [bound fields]) rows.
    def dossier_rows(self):
        return [(figure, [self[field_name(level, figure.code)] for level in self.levels]) for figure in DOSSIER_FIGURES]

    def procedure_fields(self):
        return [self[figure.code] for figure in PROCEDURE_FIGURES]

    def activity_fields(self):
        return [self[figure.code] for figure in ACTIVITY_FIGURES]


class CommentForm(forms.Form):
    """The province's comment when it returns or re-opens a report: the district reads it."""

    comment = forms.CharField(
        label=_("Comment for the district"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("Say why: the district will read this comment.")},
    )


class ProvincePeriodForm(forms.Form):
    """The province and the period, as the dashboard and the reporting completeness page ask them; the same query
    parameters as the JSON feed."""

    # A province by its code, resolved with the form's period (a code was reused across the 2025 reform).
    province = UnitCodeChoiceField(
        queryset=Unit.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Province"),
        empty_label=None,
        error_messages={"invalid_choice": _("This province does not exist or is not yours to see.")},
        widget=QuickSelect,
    )
    period = forms.CharField(required=False, label=_("Period"), widget=QuickSelect)

    def __init__(self, *args, provinces, whole_country=False, **kwargs):
        super().__init__(*args, **kwargs)
        if whole_country:
            # For those who see every province: no province is the whole country, a row per province.
            self.fields["province"].empty_label = _("Whole country")
        self.fields["province"].queryset = provinces.order_by("valid_until", "code")
        asked = self.data.get("period") if self.is_bound else None
        try:
            period = Period.parse(asked) if asked else None
        except ValueError:
            period = None
        # The list of periods is made when the field is drawn: a chart or the JSON feed reads the same form
        # without drawing it, and saves the query for the first year of data.
        self.fields["period"].widget.choices = ChoicesOnFirstUse(lambda: self._period_choices(period))
        # ``?province=82&period=2024Q4`` is Tiền Giang, ``…&period=2025Q4`` the new Đồng Tháp.
        self.fields["province"].period = period

    @staticmethod
    def _period_choices(period):
        choices = period_choices(first_report_year())
        if period is not None and all(period.code != code for _year, group in choices for code, _label in group):
            # A valid period outside the usual range still shows in the list as the one on screen.
            choices.append((str(period.year), [(period.code, period.label)]))
        return choices

    def clean_period(self):
        code = self.cleaned_data["period"]
        return parsed_period(code) if code else None


# --- The import of reports ------------------------------------------------------------------------------------

# The import template's first year.
FIRST_TEMPLATE_YEAR = 2018


class ReportUploadForm(UploadForm):
    approve = forms.BooleanField(
        label=_("Approve the imported reports (the Department of Home Affairs' approval)"),
        required=False,
    )

    def __init__(self, *args, may_approve, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_approve:
            del self.fields["approve"]


class TemplateForm(forms.Form):
    province = UnitCodeChoiceField(
        queryset=None,
        to_field_name="code",
        label=_("Province"),
        empty_label=None,
        error_messages={"invalid_choice": _("This province does not exist or is not yours to see.")},
    )
    quarter = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces.order_by("valid_until", "code")
        self.fields["quarter"].choices = period_choices(FIRST_TEMPLATE_YEAR, quarters_only=True)
        # The province code names the province that held it in the quarter chosen.
        with contextlib.suppress(ValueError):
            self.fields["province"].period = Period.parse(self.data.get("quarter") or "") if self.is_bound else None

    def clean(self):
        cleaned = super().clean()
        province, code = cleaned.get("province"), cleaned.get("quarter")
        if province is None or not code:
            return cleaned
        period = Period.parse(code)
        if not province.exists_between(period.start, period.end):
            self.add_error(
                "quarter",
                gettext("%(unit)s did not exist in %(period)s.") % {"unit": province.name, "period": period.label},
            )
        cleaned["period"] = period
        return cleaned
