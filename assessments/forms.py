"""Forms of the PAR-index pages: a criterion's self-assessment and appraisal, the unit's answer, survey points,
the import of a criteria set and of Decision-766 results.

Points are typed as people write them (2, 1,5 or 1.5); the rules about them (maximum, halves, evidence) are the
model's and are checked by the services, which put their messages back at the criterion.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.lib.imports import CellError
from cchc.lib.periods import FIRST_YEAR, LAST_YEAR
from districts.models import Unit

from .imports import parse_points
from .models import CriteriaSet, ScoredUnits


class PointsField(forms.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control points"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()[:20]
        try:
            return parse_points(value, allow_blank=True)
        except CellError as error:
            raise forms.ValidationError(str(error)) from None


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SelfLeafForm(forms.Form):
    self_points = PointsField(label=_("self-assessed points"))
    evidence_number = forms.CharField(
        label=_("document number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    evidence_date = forms.DateField(
        label=_("document date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"),
    )
    evidence_file = forms.FileField(
        label=_("evidence file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}),
    )
    remove_file = forms.BooleanField(label=_("remove the file"), required=False)
    explanation = forms.CharField(
        label=_("explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class AppraisalLeafForm(forms.Form):
    appraised_points = PointsField(label=_("appraised points"))
    appraisal_comment = forms.CharField(
        label=_("appraisal comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class AnswerForm(VersionForm):
    answer = forms.CharField(
        label=_("unit's answer"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"})
    )


class SurveyForm(VersionForm):
    survey_points = PointsField(label=_("survey points"))


class CriteriaImportForm(forms.Form):
    province = forms.ModelChoiceField(label=_("province"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    scored_units = forms.ChoiceField(label=_("units scored"), choices=ScoredUnits.choices)
    title = forms.CharField(label=_("title"), max_length=255)
    decision = forms.CharField(label=_("decision"), max_length=100, required=False)
    file = forms.FileField(label=_("file (.xlsx or .csv)"))

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["year"].widget.attrs["class"] = "form-control"

    def clean_year(self):
        year = self.cleaned_data["year"]
        if CriteriaSet.objects.filter(
            province=self.source.province_id, year=year, scored_units=self.source.scored_units
        ).exists():
            raise forms.ValidationError(_("The province already has a criteria set for these units that year."))
        return year


class GroupScoreImportForm(forms.Form):
    file = forms.FileField(
        label=_("file (.xlsx or .csv)"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )
