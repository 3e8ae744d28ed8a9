"""Choices that carry the colour of their badge beside their label, after NetBox's ``ChoiceSet``: a status is
shown the same way everywhere, by one partial (``templates/partials/status_badge.html``)."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


class ColouredChoices:
    """Mixed into a ``TextChoices`` that names its colours in ``__colours__`` ({value: Bootstrap colour})."""

    @property
    def colour(self):
        """The Bootstrap colour of the choice's badge."""
        return type(self).__colours__[self.value]

    def badge(self, *, capitalised=False, css="", testid=""):
        """The choice's badge as HTML, for Python callers (tables); templates include the partial."""
        context = {"status": self, "capitalised": capitalised, "class": css, "testid": testid}
        # The partial's own HTML, trusted; stripped of the file's last line break.
        return mark_safe(render_to_string("partials/status_badge.html", context).strip())  # noqa: S308


def status_choice_property(choices):
    """The ``status_choice`` property of a model whose ``status`` field takes its values from ``choices``."""

    def choice(self):
        """The status as its choice, which carries its label and its badge's colour."""
        return choices(self.status)

    return property(choice)
