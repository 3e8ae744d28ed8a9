"""The dashboard's headline rate cards and their changes are written in Python (cchc_targets.rate_card and
card_changes): what the templates they replaced (below) wrote, character for character."""

from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from cchc.indicators import INDICATORS_BY_CODE
from cchc.lib.numbers import IndicatorValue
from cchc.lib.periods import Period
from cchc.targets import Standing
from cchc.templatetags.cchc_targets import card_changes, rate_card

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


REPLACED_CARD = (
    "{% load cchc_format cchc_targets i18n %}\n"
    '  <div class="col-6 col-lg-2">\n'
    '    <div class="card h-100"><div class="card-body">\n'
    '      <div class="small text-body-secondary">{{ label }}</div>\n'
    '      <div class="fs-4 fw-semibold" data-testid="card-{{ testid }}">{{ pair|rate }}</div>\n'
    '      {% if pair.value is not None %}<div class="small text-body-secondary">{{ pair.numerator|number }} / '
    "{{ pair.denominator|number }}</div>{% endif %}{% coverage pair indicator %}\n"
    '      {% if standing.target %}<div class="small" data-testid="card-{{ testid }}-target">{% translate "Target" %} '
    "{{ standing.target_shown }} {% band standing %}</div>{% endif %}\n"
    "      {% card_changes changes testid %}\n"
    "\n"
    "    </div></div>\n"
    "  </div>\n"
)


def test_the_rate_cards_are_what_the_template_wrote():
    band = SimpleNamespace(pk=3, label='Đạt "tốt"', shown_label="Tốt <b>")
    target = SimpleNamespace(indicator="on_time_rate", value=Decimal("98.00"))
    standings = [
        Standing(target, Decimal("97.5"), Decimal("-0.5"), band),
        Standing(target, Decimal("97.5"), Decimal("-0.5"), None),
        Standing(None, None, None, None),
        None,
        "",
    ]
    pairs = [
        IndicatorValue(1234, 1500),
        IndicatorValue(90, 100, 4700),
        IndicatorValue(None, 0),
        IndicatorValue(5, None),
    ]
    indicator = INDICATORS_BY_CODE["on_time_rate"]
    for language in ("vi", "en"):
        with translation.override(language):
            label = Template("{% load i18n %}{% translate 'On-time rate' as label %}{{ label }}").render(Context())
            for standing in standings:
                for pair in pairs:
                    for changes in (CHANGES, []):
                        context = {"label": label, "pair": pair, "indicator": indicator, "standing": standing}
                        context.update(changes=changes, testid="on-time")
                        expected = Template(REPLACED_CARD).render(Context(context))
                        assert rate_card(label, pair, indicator, standing, changes, "on-time") == expected
