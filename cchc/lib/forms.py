"""What every form of the site shares: how its fields look."""

from django import forms


def style_fields(form):
    """Bootstrap classes on every widget, and the invalid mark on a field with an error."""
    for name, field in form.fields.items():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css
