"""The dashboard's choices: which province and period (the selector's arguments), and which rows to keep."""

import functools
from decimal import Decimal

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.indicators import INDICATORS, INDICATORS_BY_CODE
from cchc.lib.forms import QuickInput, QuickSelect
from districts.models import Unit, UnitKind


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
        widget=QuickInput,
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

    @classmethod
    @functools.cache
    def shared_form_class(cls):
        """django-filter's form class of the filters, made once per process: its fields depend on the class's
        filters alone (their texts lazy, translated when shown), and django-filter would make the class and its
        four fields anew for every page (a form still copies its fields, as any form does)."""
        return django_filters.FilterSet.get_form_class(cls())

    def get_form_class(self):
        return self.shared_form_class()

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

    @property
    def keeps_every_row(self):
        """Whether ``qs`` keeps every row whatever the rows are: no filter asked for (or none valid)."""
        if not self.is_bound:
            return True
        self.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        asked_below = cleaned.get("indicator") and cleaned.get("below") is not None
        return not (cleaned.get("kind") or asked_below or cleaned.get("below_target"))

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
