"""A unit's annual reform plan and its tasks, as the district officer keeps them."""

from collections import Counter

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cchc.lib.dates import DayMonthYearInput
from cchc.lib.versioning import VersionedModelForm

from .models import ReformPlan, ReformTask, Unit, holder_value, interval_label, pick_holder, split_holder_value


def unit_choice_label(unit, *, shared, memo=None):
    """A unit in a list to choose from: "Tỉnh Đồng Tháp (82)"; with its interval when another unit of the list
    has the same name or code, or when it no longer exists: "Tỉnh Đồng Tháp (87, đến 30/06/2025)".

    ``memo``: a dict kept over the labels of one list, whose units share a few intervals (a list of provinces
    labels some 60 units, most of them with the same dates) and the wording, translated once."""
    memo = {} if memo is None else memo
    interval = ""
    if shared or unit.valid_until:
        dates = (unit.valid_from, unit.valid_until)
        if dates not in memo:
            memo[dates] = interval_label(*dates)
        interval = memo[dates]
    if interval:
        if "label" not in memo:
            memo["label"] = gettext("%(name)s (%(code)s, %(interval)s)")
        return memo["label"] % {"name": unit.name, "code": unit.code, "interval": interval}
    return f"{unit.name} ({unit.code})"


class UnitChoiceIterator(ModelChoiceIterator):
    """The choices of a list of units, labelled by ``unit_choice_label`` (which needs the whole list)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = self.field.units()
        names = Counter(unit.name for unit in units)
        codes = Counter(unit.code for unit in units)
        memo = {}
        for unit in units:
            shared = names[unit.name] > 1 or codes[unit.code] > 1
            value = self.field.prepare_value(unit)
            if getattr(self.field, "by_code", False) and codes[unit.code] > 1:
                value = holder_value(unit)  # two holders of one code in the list: each its own value
            yield (ModelChoiceIteratorValue(value, unit), unit_choice_label(unit, shared=shared, memo=memo))


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen by its primary key, its label telling apart units of one name or code."""

    iterator = UnitChoiceIterator
    # The queryset's units when the caller has read them already (``offer``).
    offered = None

    def offer(self, units):
        """Offer ``units``, the queryset's rows read already (in its order): the list is drawn and a code resolved
        among them without reading the queryset. While the form is validated they may be more than the rows
        offered, but must hold every holder of the code asked for."""
        self.offered = list(units)
        self.widget.choices = self.choices

    def units(self):
        """The units of the list: those offered, else the queryset's (kept once read)."""
        return self.offered if self.offered is not None else list(self.queryset)

    def _set_queryset(self, queryset):
        self.offered = None  # another list
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class UnitCodeChoiceField(UnitChoiceField):
    """A unit chosen by its official code (``?province=82``), as URLs and query strings give it.

    The code is resolved among the field's queryset by ``Unit.objects.holding``: a code with a day
    (``82@2025-06-30``, the value the list gives each holder when it offers several holders of one code) to the
    unit that held it on that day; a plain code with ``period`` (which the form sets from its own period field)
    or ``on`` (a day the form knows, such as its session's) to the unit that held it then, else to today's
    holder (or its last).
    """

    by_code = True

    def __init__(self, *args, period=None, on=None, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)
        self.period, self.on = period, on

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Unit):
            return value
        code, day = split_holder_value(value)
        if day is not None:
            unit = self.queryset.holding(code, on=day)
        elif "@" in str(value):
            unit = None  # a day that is no day
        else:
            holders = self.queryset.filter(code=code)
            if self.offered is not None:
                holders = [unit for unit in self.offered if unit.code == code]
            unit = self._named_by_code(holders)
        if unit is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return unit

    def _named_by_code(self, holders):
        """Of the list's holders of one code, the one a plain code names (``pick_holder``): the holder in the
        form's period or on its day. A code nobody held then names its last holder, so that the page can say that
        this unit did not exist then (rather than that it does not exist at all)."""
        holders = list(holders)
        return pick_holder(holders, on=self.on, period=self.period) or pick_holder(holders)

    def bound_data(self, data, initial):
        """The option to show as chosen: a plain code the list offers under its holders' values shows the holder
        it was resolved to."""
        if data in self.empty_values or "@" in str(data):
            return data
        # Resolved among the list's own rows, which the options are drawn from: the queryset keeps them once read,
        # so drawing the field reads the list once and nothing more.
        code, _day = split_holder_value(data)
        holders = [unit for unit in self.units() if unit.code == code]
        unit = self._named_by_code(holders)
        if unit is not None and len(holders) > 1:
            return holder_value(unit)
        return data


# Dates shown and typed as dd/mm/yyyy (cchc/lib/dates.py), not the browser's picker in the browser's locale.
DateInput = DayMonthYearInput


class ReformPlanForm(VersionedModelForm):
    class Meta:
        model = ReformPlan
        fields = ["title", "reference_number", "issued_on", "note"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "reference_number": forms.TextInput(attrs={"class": "form-control"}),
            "issued_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        }


class ReformTaskForm(VersionedModelForm):
    class Meta:
        model = ReformTask
        fields = ["title", "area", "assigned_by", "deadline", "status", "completed_on"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "area": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "assigned_by": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "deadline": DateInput(),
            "status": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "completed_on": DateInput(),
        }
        error_messages = {"title": {"required": _("Give the task a title.")}}


def _label_each_input(form, row):
    """Give every input of a task row a name that says which task it belongs to: a screen reader reads
    "Deadline, task 3" rather than one column heading for a whole table of inputs."""
    for field in form.fields.values():
        field.widget.attrs["aria-label"] = _("%(field)s, task %(row)s") % {"field": field.label, "row": row}


class LabelledTaskForm(ReformTaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = (self.prefix or "").rpartition("-")[2]
        _label_each_input(self, int(number) + 1 if number.isdigit() else _("new"))


# A plan of a few hundred tasks is large (Bắc Yên's 2018 plan had 295); a posted count beyond the limit is refused
# before any form is built past it (Django would otherwise build up to 2,000 forms for a hostile count).
MAX_TASKS = 600

ReformTaskFormSet = inlineformset_factory(
    ReformPlan,
    ReformTask,
    form=LabelledTaskForm,
    extra=3,
    can_delete=True,
    min_num=0,
    max_num=MAX_TASKS,
    absolute_max=MAX_TASKS,
)
