"""Forms of the inspection pages: a session with its team and units, a recommendation, a unit's answer."""

from django import forms
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cchc.lib.dates import DayMonthYearInput
from cchc.lib.evidence import EVIDENCE_KINDS, max_bytes, validate_evidence_file
from cchc.lib.versioning import VersionedModelForm
from districts.forms import UnitChoiceIterator

from .models import InspectedUnit, InspectionSession, Recommendation, TeamMember
from .services import ANSWER_STATUSES


class DateInput(DayMonthYearInput):
    """Dates shown and typed as dd/mm/yyyy (cchc/lib/dates.py), whatever the browser's locale."""

    def __init__(self, attrs=None):
        super().__init__({"class": "form-control", **(attrs or {})})


def style(form):
    """Bootstrap classes on every widget, and the invalid mark on a field with an error."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        # Read the errors only once validation has run: asking for them would run it too early.
        errors = getattr(form, "_errors", None)
        if errors and name in errors:
            css += " is-invalid"
        widget.attrs["class"] = css
        if isinstance(widget, forms.Textarea):
            widget.attrs["rows"] = 3


class StyledMixin:
    def full_clean(self):
        super().full_clean()
        style(self)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class SessionForm(StyledMixin, VersionedModelForm):
    class Meta:
        model = InspectionSession
        fields = ["title", "inspecting_unit", "format", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, inspecting_units, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["inspecting_unit"]
        field.queryset = inspecting_units
        # Two Đồng Tháp (87 until 30/06/2025, 82 since): each label says when.
        field.iterator = UnitChoiceIterator
        field.empty_label = None
        field.error_messages["invalid_choice"] = _("You do not record sessions for this unit.")


class TeamMemberForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["full_name", "title", "is_lead"]


class BaseTeamFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        leads = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_lead") and not form.cleaned_data.get("DELETE") and form.has_changed()
        ]
        if len(leads) > 1:
            raise forms.ValidationError(_("A team has one lead."))


class InspectedUnitForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = InspectedUnit
        fields = ["unit", "department", "inspected_on", "chaired_by", "attended_by", "findings", "score"]
        widgets = {"inspected_on": DateInput(), "findings": forms.Textarea}
        # A score is written with a decimal comma in Vietnamese (82,5).
        localized_fields = ["score"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "This unit is not one the inspecting unit may inspect."
        )


class BaseInspectedUnitFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The row's own checks compare it with the session's dates and inspecting unit, also before the
        # session is saved.
        form.instance.session = self.instance
        return form

    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.has_changed() and not form.cleaned_data.get("DELETE")]
        if not any(form.cleaned_data.get("unit") for form in kept) and not any(
            form.instance.pk and not form.cleaned_data.get("DELETE") for form in self.forms
        ):
            raise forms.ValidationError(_("Add at least one unit inspected."))
        for form in self.forms:
            if form.instance.pk and form.cleaned_data.get("DELETE"):
                recommendations = Recommendation.objects.filter(session=self.instance, unit=form.instance.unit_id)
                if not form.instance.department and recommendations.exists():
                    raise forms.ValidationError(
                        _("%(unit)s has recommendations in this session: it cannot be taken out of it.")
                        % {"unit": form.instance.unit.name}
                    )


# Limits on the rows a session form takes: a posted count beyond them is refused before any form is built past
# them (Django would otherwise build up to 2,000 forms for a hostile count).
MAX_TEAM_MEMBERS = 50
MAX_INSPECTED_UNITS = 400


def _session_rows(model, form, formset, most):
    """The formset of a session's rows of ``model``: three blank rows to fill, each one deletable, at most ``most``."""
    return inlineformset_factory(
        InspectionSession,
        model,
        form=form,
        formset=formset,
        extra=3,
        can_delete=True,
        max_num=most,
        absolute_max=most,
    )


TeamFormSet = _session_rows(TeamMember, TeamMemberForm, BaseTeamFormSet, MAX_TEAM_MEMBERS)
InspectedUnitFormSet = _session_rows(InspectedUnit, InspectedUnitForm, BaseInspectedUnitFormSet, MAX_INSPECTED_UNITS)


class RecommendationForm(StyledMixin, VersionedModelForm):
    """A recommendation of a session, to one of the units it inspected."""

    class Meta:
        model = Recommendation
        fields = ["unit", "text", "area", "deadline"]
        widgets = {"deadline": DateInput(), "text": forms.Textarea}

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.session = session
        field = self.fields["unit"]
        field.queryset = field.queryset.filter(pk__in=session.inspected_units.values("unit"))
        field.error_messages["invalid_choice"] = _("Choose one of the units this session inspected.")


class AnswerForm(StyledMixin, forms.Form):
    """The owner unit's answer to a recommendation."""

    status = forms.TypedChoiceField(
        label=_("status"),
        choices=[(status.value, status.label) for status in ANSWER_STATUSES],
        error_messages={"invalid_choice": _("A unit marks its recommendation in progress or done.")},
    )
    closed_on = forms.DateField(
        label=_("done on"), required=False, widget=DateInput(), help_text=_("Only when the work is done.")
    )
    response = forms.CharField(
        label=_("unit's response"),
        widget=forms.Textarea,
        error_messages={"required": _("Say what the unit has done or is doing.")},
    )
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea, required=False)
    evidence_file = forms.FileField(
        label=_("evidence file"),
        required=False,
        validators=[validate_evidence_file],
        widget=forms.FileInput(attrs={"accept": ",".join(EVIDENCE_KINDS)}),
    )
    remove_file = forms.BooleanField(label=_("remove the attached file"), required=False)
    # The recommendation's version the answer was written from (cchc.lib.versioning).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["evidence_file"].help_text = _(
            "PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx), at most %(limit)s."
        ) % {"limit": filesizeformat(max_bytes())}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Recommendation.Status.DONE:
            closed_on = cleaned.get("closed_on")
            if closed_on is None and "closed_on" not in self.errors:
                self.add_error("closed_on", _("Give the day the work was done."))
            elif closed_on is not None and closed_on > self.today:
                self.add_error("closed_on", _("The day the work was done cannot be in the future."))
        return cleaned
