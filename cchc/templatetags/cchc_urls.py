"""``{% url_of "name" arg… %}``: Django's ``{% url %}`` for a URL that depends on its name and arguments alone,
looked up rather than reversed (``cchc.lib.urls.reversed_url``): every page's menu writes a dozen."""

from django import template

from cchc.lib.urls import reversed_url

register = template.Library()


@register.simple_tag
def url_of(name, *args):
    return reversed_url(name, *args)
