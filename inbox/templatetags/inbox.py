"""The inbox on every page: a count in the menu, a box on the landing page. Read once per request."""

from django import template
from django.utils import timezone

from inbox.sources import count_for, items_for

register = template.Library()


def request_items(request):
    if not hasattr(request, "_inbox_items"):
        user = request.user
        request._inbox_items = items_for(user, timezone.localdate()) if user.is_authenticated else []
    return request._inbox_items


def request_count(request, *, items_shown=False):
    """How many items wait for the request's user: the length of the items when the page reads them anyway
    (``items_shown``: the landing page's box, further down, needs them), else counted without building them."""
    if items_shown or hasattr(request, "_inbox_items"):
        return len(request_items(request))
    if not hasattr(request, "_inbox_count"):
        user = request.user
        request._inbox_count = count_for(user, timezone.localdate()) if user.is_authenticated else 0
    return request._inbox_count


@register.simple_tag(takes_context=True)
def inbox_count(context):
    # The menu comes before the page's content: a page with the box says so in its context (``inbox_box_shown``).
    request = context.get("request")
    return request_count(request, items_shown=bool(context.get("inbox_box_shown"))) if request is not None else 0


@register.inclusion_tag("inbox/box.html", takes_context=True)
def inbox_box(context, limit=5):
    items = request_items(context["request"])
    return {"items": items[:limit], "more": max(len(items) - limit, 0)}
