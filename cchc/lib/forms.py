"""What every form of the site shares: how its fields look."""

from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.safestring import mark_safe

from cchc.lib.markup import escaped as _escaped
from cchc.lib.periods import Period


def style_fields(form):
    """Bootstrap classes on every widget, and the invalid mark on a field with an error."""
    for name, field in form.fields.items():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css


def parsed_period(code):
    """A period typed into a form (``2024``, ``2024H1``, ``2024Q3``…) as a ``Period``; the parser's reason as the
    field's error."""
    try:
        return Period.parse(code)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python, with the markup of Django's own templates (``select.html``,
    ``select_option.html``, ``attrs.html``), without a template include per option: the dashboard's lists of
    periods and provinces hold some 170 options, and rendering them through templates cost more than the
    page's figure read."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_escaped(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_escaped(group_name)}">')
            for option in options:
                option_value, label = _escaped(str(option["value"])), _escaped(option["label"])
                parts.append(f'\n  <option value="{option_value}"{_attributes(option["attrs"])}>{label}</option>')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class ChoicesOnFirstUse(CallableChoiceIterator):
    """Choices made by a function when first asked for, and kept: a ``<select>`` drawn asks for them twice, and
    a form read without being drawn (a chart's, the feed's) never makes them."""

    def __iter__(self):
        if not hasattr(self, "made"):
            self.made = list(super().__iter__())
        return iter(self.made)


def _attributes(attrs):
    """`` name="value"`` for each attribute, as ``django/forms/widgets/attrs.html`` writes them."""
    return mark_safe(
        "".join(
            f" {_escaped(name)}" if value is True else f' {_escaped(name)}="{_escaped(str(value))}"'
            for name, value in attrs.items()
            if value is not False
        )
    )
