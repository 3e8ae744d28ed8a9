"""A headline card's changes are written in Python (cchc_targets.card_changes): what the template they replaced
(below) wrote, character for character."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from cchc.lib.periods import Period
from cchc.templatetags.cchc_targets import card_changes

REPLACED = (
    "{% load i18n cchc_targets %}{% if changes %}"
    '<ul class="list-unstyled small mb-0 card-changes" data-testid="card-{{ testid }}-changes">'
    "{% for item in changes %}<li>{{ item.label }} ({{ item.period.code }}): "
    '<a href="{{ item.url }}" title="{% translate \'Both periods with their counts\' %}">'
    "{% points item.change %}</a></li>{% endfor %}</ul>{% endif %}"
)

CHANGES = [
    {
        "label": "vs. a <year> earlier",
        "period": Period.parse("2022H1"),
        "change": Decimal("1.25"),
        "url": "/compare/?unit=01&first=2022H1&second=2023H1",
    },
    {"label": "vs. the period before", "period": Period.parse("2022H2"), "change": None, "url": '/compare/?a="b"'},
    {"label": "x", "period": Period.parse("2022"), "change": Decimal("-0.5"), "url": "/"},
]


def test_the_card_changes_are_what_the_template_wrote():
    for language in ("vi", "en"):
        with translation.override(language):
            for changes, testid in ((CHANGES, "on-time"), (CHANGES[:1], "a&b"), ([], "plan"), (None, "plan")):
                expected = Template(REPLACED).render(Context({"changes": changes, "testid": testid}))
                assert card_changes(changes, testid) == expected
    assert "&amp;first=2022H1" in card_changes(CHANGES, "on-time")
