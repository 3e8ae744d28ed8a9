"""Dates as Vietnamese users read and type them: dd/mm/yyyy.

The browser's own date picker shows the browser's locale (mm/dd/yyyy on most office machines), so date inputs
are text inputs showing dd/mm/yyyy. What is typed as dd/mm/yyyy (or d/m/yyyy, with / . or -) is handed to the
form field as an ISO date, which every language's input formats read the same way; anything else goes to the
field as typed, and gets the field's own error message.
"""

import re

from django import forms

DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


class DayMonthYearInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "class": "form-control form-control-sm",
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}",
        }
        super().__init__({**defaults, **(attrs or {})}, format="%d/%m/%Y")

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        match = DAY_MONTH_YEAR.match(value) if isinstance(value, str) else None
        if match:
            day, month, year = (int(part) for part in match.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
        return value
