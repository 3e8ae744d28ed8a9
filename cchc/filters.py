"""The dashboard's choices: which province and period (the selector's arguments), and which rows to keep."""

from decimal import Decimal

import django_filters
from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cchc.indicators import INDICATORS, INDICATORS_BY_CODE
from cchc.lib.periods import Period, period_choices
from districts.forms import UnitCodeChoiceField
from districts.models import Unit, UnitKind
from dossiers.models import QuarterlyReport


def style_fields(form):
    """Bootstrap classes on every widget, and the invalid mark on a field with an error."""
    for name, field in form.fields.items():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python, with the markup of Django's own templates (``select.html``,
    ``select_option.html``, ``attrs.html``), without a template include per option: the dashboard's lists of
    periods and provinces hold some 170 options, and rendering them through templates cost more than the
    page's figure read."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>',
                        str(option["value"]),
                        _attributes(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class ChoicesOnFirstUse(CallableChoiceIterator):
    """Choices made by a function when first asked for, and kept: a ``<select>`` drawn asks for them twice."""

    def __iter__(self):
        if not hasattr(self, "made"):
            self.made = list(super().__iter__())
        return iter(self.made)


def _attributes(attrs):
    """`` name="value"`` for each attribute, as ``django/forms/widgets/attrs.html`` writes them."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )


# A province by its code, resolved with the form's period (a code was reused across the 2025 reform).
ProvinceChoiceField = UnitCodeChoiceField


class DashboardForm(forms.Form):
    """The province and the period; the same query parameters as the JSON feed."""

    province = ProvinceChoiceField(
        queryset=Unit.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Province"),
        empty_label=None,
        widget=QuickSelect,
        error_messages={"invalid_choice": _("This province does not exist or is not yours to see.")},
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
        first = QuarterlyReport.objects.order_by("year").values_list("year", flat=True).first()
        choices = period_choices(first)
        if period is not None and all(period.code != code for _year, group in choices for code, _label in group):
            # A valid period outside the usual range still shows in the list as the one on screen.
            choices.append((str(period.year), [(period.code, period.label)]))
        return choices

    def clean_period(self):
        code = self.cleaned_data["period"]
        if not code:
            return None
        try:
            return Period.parse(code)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class RowFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if "below" in self.errors or "indicator" in self.errors:
            return cleaned  # one mistake, one message: the field's own
        if bool(cleaned.get("indicator")) != (cleaned.get("below") is not None):
            raise forms.ValidationError(_("Choose both an indicator and a threshold, or neither."))
        return cleaned


class DashboardFilter(django_filters.FilterSet):
    """Which rows of the dashboard's table to keep: a filter over the rows ``cchc.selectors`` computed.

    The rows are a list (the read is one query, already run), so the filters apply in Python: pass that list as
    ``queryset``; ``qs`` is the list of the rows kept.
    """

    kind = django_filters.ChoiceFilter(
        choices=UnitKind.choices,
        label=_("Kind of unit"),
        empty_label=_("All kinds"),
        method="keep",
        widget=QuickSelect,
    )
    indicator = django_filters.ChoiceFilter(
        choices=[(indicator.code, indicator.label) for indicator in INDICATORS],
        label=_("Only units with"),
        empty_label=_("(any indicator)"),
        method="keep",
        widget=QuickSelect,
    )
    below = django_filters.NumberFilter(
        label=_("below (%)"),
        method="keep",
        localize=True,
        min_value=Decimal(0),
        max_value=Decimal(100),
        error_messages={
            "min_value": _("The threshold is a percentage from 0 to 100."),
            "max_value": _("The threshold is a percentage from 0 to 100."),
            "invalid": _("The threshold is a number, e.g. 98 or 98,5."),
        },
    )

    below_target = django_filters.ChoiceFilter(
        choices=[("any", _("any indicator"))] + [(indicator.code, indicator.label) for indicator in INDICATORS],
        label=_("Below target in"),
        empty_label=_("(show all)"),
        method="keep",
        widget=QuickSelect,
    )

    class Meta:
        model = Unit
        fields = ["kind"]
        form = RowFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        # django-filter wants a queryset for its own bookkeeping; the rows are kept apart.
        super().__init__(data, Unit.objects.none(), **kwargs)
        self.rows = list(queryset or [])

    def keep(self, queryset, name, value):
        # Applied together in filter_rows.
        return queryset

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            rows = self.rows
            if self.is_bound:
                self.is_valid()  # so that cleaned_data holds the valid fields (an invalid one filters nothing)
                rows = self.filter_rows(rows)
            self._qs = rows
        return self._qs

    def filter_rows(self, rows):
        cleaned = getattr(self.form, "cleaned_data", {})
        kind = cleaned.get("kind")
        if kind:
            rows = [row for row in rows if row.kind == kind]
        indicator = INDICATORS_BY_CODE.get(cleaned.get("indicator") or "")
        below = cleaned.get("below")
        if indicator and below is not None:
            # A unit without a value is not below anything.
            threshold = float(below) / 100
            rows = [
                row
                for row in rows
                if getattr(row, indicator.sort) is not None and getattr(row, indicator.sort) < threshold
            ]
        below_target = cleaned.get("below_target")
        if below_target:
            # Behind its target: a gap below 0 (a unit without a value or a target is not behind anything).
            def behind(row):
                standings = getattr(row, "standings", {})
                if below_target == "any":
                    return row_gap(row) is not None and row_gap(row) < 0
                standing = standings.get(below_target)
                return standing is not None and standing.gap is not None and standing.gap < 0

            rows = [row for row in rows if behind(row)]
        return rows


def row_gap(row):
    return getattr(row, "target_gap", None)
