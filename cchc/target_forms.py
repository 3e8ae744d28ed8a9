"""Forms for targets: the province's staff set any target; a unit's officer a stricter one of their own."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.lib.forms import style_fields
from cchc.lib.periods import YEAR_OUT_OF_RANGE
from cchc.models import LegendSet, Target
from districts.models import Level, Unit

VALUE_ERRORS = {
    "invalid": _("The target is a percentage, e.g. 98 or 98,5."),
    "min_value": _("A target is a percentage from 0 to 100."),
    "max_value": _("A target is a percentage from 0 to 100."),
    "max_decimal_places": _("Give the target with at most two decimals."),
    "max_digits": _("A target is a percentage from 0 to 100."),
    "required": _("Give the target, e.g. 98."),
}


def value_field():
    """A percentage typed the Vietnamese way (98 or 98,5)."""
    return forms.DecimalField(
        label=_("Target (%)"),
        localize=True,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages=VALUE_ERRORS,
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.code})"


class TargetForm(forms.ModelForm):
    """Any target, for provincial staff: the unit is a province (all its units) or one district-level unit."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    unit = UnitChoiceField(
        queryset=Unit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT]),
        to_field_name="pk",
        label=_("For"),
        help_text=_("A province: the target of all its units; a unit: its own target, overriding the province's."),
    )

    class Meta:
        model = Target
        fields = ["indicator", "year", "unit", "value", "legend_set", "allows_stricter", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "year": {"required": _("Give the year, e.g. 2023.")},
            "unit": {"required": _("Choose the province or the unit.")},
            "indicator": {"required": _("Choose the indicator.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"] = value_field()
        self.fields["year"].error_messages.update(min_value=YEAR_OUT_OF_RANGE, max_value=YEAR_OUT_OF_RANGE)
        self.fields["legend_set"].queryset = LegendSet.objects.all()
        self.fields["legend_set"].empty_label = _("(the default set)")
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        style_fields(self)
        self.fields["allows_stricter"].widget.attrs["class"] = "form-check-input"


class OwnTargetForm(forms.ModelForm):
    """A unit's own stricter target, for its officer: the unit is theirs and fixed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Target
        fields = ["indicator", "year", "value", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}
        error_messages = TargetForm.Meta.error_messages

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.fields["value"] = value_field()
        self.fields["year"].initial = date.today().year
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        style_fields(self)


class TargetImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        error_messages={"required": _("Choose the file to import.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
