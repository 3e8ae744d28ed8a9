"""A unit's annual reform plan and its tasks, as the district officer keeps them."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from cchc.dates import DayMonthYearInput
from cchc.versioning import VersionedModelForm

from .models import ReformPlan, ReformTask

# Dates shown and typed as dd/mm/yyyy (cchc/dates.py), not the browser's picker in the browser's locale.
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
