"""Reads of the inspection pages: the follow-up counts of recommendations."""

from django.db.models import Count, Q

from cchc.lib.numbers import IndicatorValue

from .models import Recommendation, closed_on_time_q, due_q, overdue_q


def follow_up_counts(recommendations, today):
    """Counts over a queryset of recommendations, in one query: all, open, overdue, and closed on time.

    ``on_time`` pairs those closed on or before their deadline with those due (closed, or open past the
    deadline): the same share the dashboard shows per district.
    """
    counts = recommendations.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status__in=Recommendation.CLOSED_STATUSES)),
        overdue=Count("pk", filter=overdue_q(today)),
        due=Count("pk", filter=due_q(today)),
        closed_on_time=Count("pk", filter=closed_on_time_q()),
    )
    counts["on_time"] = IndicatorValue(counts["closed_on_time"], counts["due"])
    return counts
