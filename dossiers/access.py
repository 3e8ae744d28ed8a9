"""Whose reports a user reads: which statuses of report count in the figures a user is shown.

Which *units'* reports a user may open is the one unit rule (``districts.access``, through
``QuarterlyReport.objects.visible_to(user)``); this module says which of those reports feed the figures, rates
and flags the user reads (docs/domain.md, §Users). Every page that reads figures asks it: the dashboard, its
charts and feed, the unit page, the comparison, the brief and the inspection sessions' check.
"""

from districts.access import sees_every_province

from .models import COUNTED_STATUSES, ReportStatus


def statuses_counted_for(user, *, approved_only=False, unit=None):
    """The statuses of the reports whose figures ``user`` is shown.

    - Those who follow every province (provincial staff, the inspection team, administrators) count every
      report handed in (``COUNTED_STATUSES``: submitted or approved), or approved ones only when they ask
      (``approved_only``, the dashboard's switch).
    - Anyone else counts approved reports only: a submitted report is not yet the province's word.
    - With ``unit``, a user attached to that very unit reads all its reports, drafts too: its own officers
      check their own figures (the inspection sessions' check against the reports).
    """
    if unit is not None and user.unit_id == unit.pk:
        return tuple(ReportStatus.values)
    if approved_only or not sees_every_province(user):
        return (ReportStatus.APPROVED,)
    return COUNTED_STATUSES
