"""What a button that changes something answers: that it is done, or why it was refused, as messages shown on
the page it leads back to."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def run_step(request, step, done_message):
    """Run ``step()``, then tell the user ``done_message``, or each reason the ``ValidationError`` it raised gave.

    The services behind the steps check everything before they write, in a transaction: a refused step has
    changed nothing.
    """
    try:
        step()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done_message)
