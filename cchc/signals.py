"""Things said to a user as they log in."""

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.lib.roles import DISTRICT_OFFICER, has_role
from districts.models import Unit


def tell_of_closed_unit(sender, request, user, **kwargs):
    """An officer whose unit has closed (merged or abolished) is told so, and what happens to their account."""
    # Read afresh: the user object may carry a unit as it was when attached, not as it is now.
    unit = Unit.objects.filter(pk=user.unit_id).first() if user.unit_id else None
    if unit is None or unit.valid_until is None or unit.valid_until >= timezone.localdate():
        return
    if not has_role(user, DISTRICT_OFFICER):
        # Provincial staff follow every province whatever their unit: nothing changes for them.
        return
    messages.warning(
        request,
        _(
            "Your unit, %(unit)s, ceased to exist after %(date)s. You can still read its history; the provincial "
            "administrator will move your account to the unit that took over from it."
        )
        % {"unit": unit.name, "date": unit.valid_until.strftime("%d/%m/%Y")},
        # A login without a request's messages (the test client's force_login) has nowhere to say it.
        fail_silently=True,
    )
