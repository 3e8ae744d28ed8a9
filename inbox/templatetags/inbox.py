"""The inbox on every page: a count in the menu, a box on the landing page. Read once per request."""

from django import template
from django.utils import timezone

from inbox.sources import items_for

register = template.Library()


def request_items(request):
    if not hasattr(request, "_inbox_items"):
        user = request.user
        request._inbox_items = items_for(user, timezone.localdate()) if user.is_authenticated else []
    return request._inbox_items


@register.simple_tag(takes_context=True)
def inbox_count(context):
    request = context.get("request")
    return len(request_items(request)) if request is not None else 0


@register.inclusion_tag("inbox/box.html", takes_context=True)
def inbox_box(context, limit=5):
    items = request_items(context["request"])
    return {"items": items[:limit], "more": max(len(items) - limit, 0)}
