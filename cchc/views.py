"""The provincial dashboard, its charts and the JSON feed of indicators."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc import flags, selectors
from cchc.comparisons import previous_period, same_period_a_year_earlier
from cchc.filters import DashboardFilter
from cchc.indicators import INDICATORS_BY_CODE
from cchc.lib.export_views import query_without
from cchc.lib.forms import style_fields
from cchc.lib.list_views import ExportableListView
from cchc.lib.periods import Period
from cchc.lib.urls import reversed_url
from cchc.scope import dashboard_scope, province_book, scope_rows, with_standings
from cchc.tables import DashboardExport, DashboardTable, RowData
from districts.access import sees_every_province


class DashboardView(ExportableListView):
    """A province's units (or the country's provinces) for a period. Since July 2025 a province's rows are its
    communes (up to ~170): in pages, the total over them all."""

    template_name = "cchc/dashboard.html"
    table_class = DashboardTable
    filterset_class = DashboardFilter
    export_class = DashboardExport
    flag_rows = None  # (quarter, its rows, the previous quarter's rows) for a province: see get_queryset

    def get(self, request, *args, **kwargs):
        self.scope = dashboard_scope(request, drawn=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The rows of the one read; the filters and the table's ordering work on them in Python. For a province
        # the same read gives the period's last quarter and the one before it, for the warning flags.
        # The same read also gives the same period a year earlier and the period before, for the cards' changes.
        scope = self.scope
        self.flag_rows = None
        self.earlier_totals = None
        if scope.province is None:
            return with_standings(scope, scope_rows(scope))
        quarter = Period.quarter(scope.period.year, scope.period.last_quarter)
        year_earlier, before = same_period_a_year_earlier(scope.period), previous_period(scope.period)
        rows, current, previous, rows_year_earlier, rows_before = selectors.rows_by_period(
            periods=[scope.period, quarter, quarter.previous_quarter(), year_earlier, before],
            province=scope.province,
            statuses=scope.statuses,
        )
        self.flag_rows = (quarter, current, previous)
        self.earlier_totals = {
            "year_earlier": (year_earlier, selectors.totals(rows_year_earlier)),
            "before": (before, selectors.totals(rows_before)),
        }
        return with_standings(scope, rows)

    def get_table_data(self):
        return RowData(list(self.object_list))

    def get_table_kwargs(self):
        return {"totals": selectors.totals(self.object_list)}

    def export_scope_lines(self):
        scope = self.scope
        lines = [
            (_("Province"), scope.province.name if scope.province else _("All provinces")),
            (_("Period"), scope.period.label),
            (_("Reports counted"), _("approved only") if scope.approved_only else _("submitted and approved")),
        ]
        return lines + super().export_scope_lines()

    def get_export_filename(self, export_format):
        province = self.scope.province.code if self.scope.province else "all"
        return f"cchc-{province}-{self.scope.period.code}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = context["table"]
        totals = table.totals
        scope = self.scope
        context.update(
            scope=scope,
            form=scope.form,
            totals=totals,
            cards=headline_cards(totals),
            province_existed=scope.province is not None
            and scope.province.exists_between(scope.period.start, scope.period.end),
            # No province at all to show: asked of the database only when the table has no row (its rows are the
            # provinces' or the province's units).
            no_province=scope.province is None and not self.object_list and not scope.provinces.exists(),
            export_query=query_without(self.request.GET, "_export"),
            chart_query=query_without(self.request.GET, "_export", "sort"),
            charts=[
                {"url": reversed_url("chart-on-time-by-unit"), "title": _("On-time rate by unit")},
                {
                    "url": reversed_url("chart-trend"),
                    "title": _("On-time and online rates over the last eight quarters"),
                },
                {"url": reversed_url("chart-channels"), "title": _("Dossiers received per quarter, by channel")},
            ],
            can_choose_approved=sees_every_province(self.request.user),
            flag_summary=flag_summary(*self.flag_rows) if self.flag_rows is not None else None,
            card_standings=card_standings(scope, totals),
            # The page shows the inbox's box: the menu above it counts the box's items instead of counting apart.
            inbox_box_shown=True,
            card_changes=card_changes(scope, totals, self.earlier_totals),
        )
        style_fields(context["filter"].form)
        return context


CARD_INDICATORS = (("on_time", "on_time_rate"), ("online", "online_rate"), ("plan", "plan_completion"))


def card_changes(scope, totals, earlier):
    """Each rate card's change, in points, against the same period a year earlier and the period before, with
    the link to the comparison that shows the counts of both."""
    if not earlier:
        return {}
    changes = {}
    for card, code in CARD_INDICATORS:
        now = totals["indicators"][code].value
        changes[card] = []
        for key, label in (("year_earlier", _("vs. a year earlier")), ("before", _("vs. the period before"))):
            period, earlier_totals = earlier[key]
            then = earlier_totals["indicators"][code].value
            url = (
                reversed_url("compare")
                + "?"
                + urlencode({"unit": scope.province.code, "first": period.code, "second": scope.period.code})
            )
            change = now - then if now is not None and then is not None else None
            changes[card].append({"label": label, "period": period, "change": change, "url": url})
    return changes


def card_standings(scope, totals):
    """The province's rates on the cards against the province's targets for the period's year, with their bands."""
    if scope.province is None:
        return {}
    book = province_book(scope)
    indicators = totals["indicators"]
    return {card: book.standing(scope.province, code, indicators[code].value) for card, code in CARD_INDICATORS}


def flag_summary(quarter, rows, previous_rows):
    """The open warning flags of the period's last quarter, counted per unit (from rows already read; one query
    for the keys of the dismissals), and each unit's link to its flags, written here: a province's dozen or more
    links cost some seventy template nodes otherwise."""
    raised = flags.open_quarter_flags(quarter=quarter, rows=rows, previous_rows=previous_rows)
    per_unit = {}
    for flag in raised:
        per_unit.setdefault(flag.unit.pk, [flag.unit, 0])[1] += 1
    links = format_html_join(
        ", ",
        '<a href="{}?year={}#flags">{}</a> ({})',
        (
            (reversed_url("districts:detail", unit.code), quarter.year, unit.name, count)
            for unit, count in sorted(per_unit.values(), key=lambda item: item[0].code)
        ),
    )
    return {"quarter": quarter, "count": len(raised), "links": links}


def headline_cards(totals):
    indicators = totals["indicators"]
    figures = totals["figures"]
    return {
        "to_handle": figures["to_handle"],
        "on_time": indicators["on_time_rate"],
        "on_time_indicator": INDICATORS_BY_CODE["on_time_rate"],
        "online": indicators["online_rate"],
        "online_indicator": INDICATORS_BY_CODE["online_rate"],
        "plan": indicators["plan_completion"],
        "plan_indicator": INDICATORS_BY_CODE["plan_completion"],
        "recommendations_open": totals["recommendations_open"],
        "recommendations_overdue": totals["recommendations_overdue"],
    }


def total_standings(scope, total):
    """The province total against the province's own targets (none for several provinces at once)."""
    if scope.province is None:
        return {}
    book = province_book(scope)
    return {code: book.standing(scope.province, code, pair.value) for code, pair in total["indicators"].items()}


def _json_target(standing):
    if standing is None or standing.target is None:
        return {"target": None, "band": None}
    band = standing.band
    return {
        "target": {
            "value": float(standing.target.value),
            "higher_is_better": INDICATORS_BY_CODE[standing.target.indicator].higher_is_better,
            "unit": standing.target.unit.code,
        },
        "band": {"label": band.label, "colour": band.colour} if band is not None else None,
    }


def _json_indicators(indicator_values, standings=None):
    """Each rate: ``numerator`` and ``denominator`` are the paired sums (over the rows where both are present),
    ``value`` the percentage, and ``coverage`` what they cover: ``{"denominator": the full denominator (summed
    wherever present), "share": paired denominator / full denominator, 0 to 1, 4 decimals}`` (``share`` is
    null when the full denominator is 0 or blank)."""
    return {
        code: {
            "numerator": pair.numerator,
            "denominator": pair.denominator,
            "value": float(pair.value) if pair.value is not None else None,
            "coverage": pair.coverage(),
            **_json_target((standings or {}).get(code)),
        }
        for code, pair in indicator_values.items()
    }


def _messages(errors):
    return {name: list(messages) for name, messages in errors.items()}


@require_GET
def indicators_feed(request):
    """``GET /api/indicators/?period=<code>[&province=<code>]``: every figure and indicator, as JSON."""
    scope = dashboard_scope(request, default_province=False)
    errors = _messages(scope.form.errors)
    if not request.GET.get("period"):
        errors.setdefault("period", [_("Give the period, e.g. period=2023H1.")])
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    if scope.province is not None:
        rows = selectors.province_rows(province=scope.province, period=scope.period, statuses=scope.statuses)
    else:
        rows = selectors.province_rows(provinces=scope.provinces, period=scope.period, statuses=scope.statuses)
    rows = with_standings(scope, rows)
    # The same row filters as the dashboard table: kind, and "only below a threshold".
    filterset = DashboardFilter(request.GET, queryset=rows)
    if filterset.form.errors:
        return JsonResponse({"errors": _messages(filterset.form.errors)}, status=400)
    rows = filterset.qs
    total = selectors.totals(rows)
    codes = selectors.FIGURE_CODES
    return JsonResponse(
        {
            "period": scope.period.code,
            "province": scope.province.code if scope.province else None,
            "approved_only": scope.approved_only,
            "units": [
                {
                    "code": row.code,
                    "name": row.name,
                    "kind": row.kind,
                    "figures": {code: getattr(row, code) for code in codes},
                    "indicators": _json_indicators(selectors.indicator_values(row), row.standings),
                }
                for row in rows
            ],
            "total": {
                "kind": scope.province.kind if scope.province else None,
                "figures": {code: total["figures"][code] for code in codes},
                "indicators": _json_indicators(total["indicators"], total_standings(scope, total)),
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )
