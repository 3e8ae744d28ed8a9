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
        # What ``get_context`` and ``optgroups`` hand the templates, written straight from the choices: a dict of a
        # dozen keys per option (``create_option``) cost more than writing the option.
        values = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        parts = [f'<select name="{_escaped(name)}"{_attributes(attrs)}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                group_name, options = option_value, option_label
            else:
                group_name, options = None, ((option_value if option_value is not None else "", option_label),)
            if group_name:
                parts.append(f'\n  <optgroup label="{_escaped(group_name)}">')
            for subvalue, sublabel in options:
                text = str(subvalue)
                # Only the first option of the value is chosen, as in ``optgroups``.
                selected = (not has_selected or self.allow_multiple_selected) and text in values
                has_selected |= selected
                chosen = " selected" if selected else ""
                parts.append(f'\n  <option value="{_escaped(text)}"{chosen}>{_escaped(sublabel)}</option>')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))

    def use_required_attribute(self, initial):
        # ``Select`` makes the list to look at its first choice, and ``BoundField.build_widget_attrs`` asks even
        # for a field that is not required, where the answer counts for nothing (the dashboard's lists are not).
        return self.is_required and super().use_required_attribute(initial)


class QuickInput(forms.TextInput):
    """A text ``<input>`` written in Python, with the markup of Django's own templates (``input.html``,
    ``attrs.html``): the three templates it takes cost more than the rest of the field."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        # ``value|stringformat:'s'``, escaped unless it is HTML already (as the filter keeps it).
        shown = "" if value is None else f' value="{_escaped(format(value))}"'
        kind = _escaped(widget["type"])
        return mark_safe(f'<input type="{kind}" name="{_escaped(name)}"{shown}{_attributes(widget["attrs"])}>')


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
