"""Chart data for the dashboard, as JSON for Chart.js 4 (served from our own static files).

Each chart reads the same selector and the same filters as the dashboard table, so a chart always shows the
rows the table shows; each chart request is one read (one query), the trend and the channels reading their
eight quarters at once. The JSON carries its own title and axis labels; the page's script draws it and writes
the same numbers as a table for screen readers.
"""

from decimal import Decimal

from chartjs.views.lines import BaseLineChartView
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc import selectors
from cchc.filters import DashboardFilter
from cchc.lib import numbers
from cchc.lib.periods import TREND_QUARTERS
from cchc.scope import country_sums_by_quarter, dashboard_scope, scope_rows, scope_rows_by_quarter, with_standings

COLOURS = {
    "on_time": "#0d6efd",
    "province": "#dc3545",
    "online": "#198754",
    "in_person": "#6c757d",
    "postal": "#fd7e14",
    "target": "#000000",
}


def _shown(value, percent):
    if value is None:
        return "—"
    return numbers.format_rate(Decimal(str(value))) if percent else numbers.format_number(int(value))


def _percentage(value):
    return float(value) if value is not None else None


class DashboardChartView(BaseLineChartView):
    """django-chartjs's chart view, answering only the chart's own data (never the whole view context)."""

    chart_type = "bar"

    def get(self, request, *args, **kwargs):
        self.scope = dashboard_scope(request)
        self.prepare()
        return super().get(request, *args, **kwargs)

    def prepare(self):
        """Read what the chart shows, once, before its parts are asked for."""

    def filtered(self, rows):
        """The rows the dashboard's table keeps with the same filters."""
        return DashboardFilter(self.request.GET, queryset=rows).qs

    def rows_by_quarter(self, quarters):
        """Each quarter's rows, filtered, from one read."""
        return [self.filtered(rows) for rows in scope_rows_by_quarter(self.scope, quarters)]

    def get_context_data(self, **kwargs):
        datasets = self.get_datasets()
        return {
            "type": self.chart_type,
            "title": self.get_title(),
            "axes": self.get_axes(),
            "percent": self.percent,
            "stacked": getattr(self, "stacked", False),
            "labels": self.get_labels(),
            "datasets": datasets,
            # Each value as the pages write it (cchc.lib.numbers), for the tooltips and the table read aloud: the
            # script shows these, it never rounds or formats a figure itself.
            "shown": [[_shown(value, self.percent) for value in dataset["data"]] for dataset in datasets],
        }

    def get_datasets(self):
        return [
            {"label": str(label), "data": data, **options}
            for label, data, options in zip(
                self.get_providers(), self.get_data(), self.get_dataset_options_list(), strict=True
            )
        ]

    def render_to_response(self, context, **response_kwargs):
        return JsonResponse(context, json_dumps_params={"ensure_ascii": False})


class OnTimeByUnitChart(DashboardChartView):
    """On-time rate of each unit as bars, with the rate of all the rows together as a line."""

    percent = True

    def prepare(self):
        self.rows = self.filtered(with_standings(self.scope, scope_rows(self.scope)))
        self.total = selectors.totals(self.rows)["indicators"]["on_time_rate"].value
        # Each unit's on-time target (its own, else its province's), drawn as a line; none without any target.
        self.targets = [_percentage(row.standings["on_time_rate"].target_value) for row in self.rows]

    def get_title(self):
        return _("On-time rate by unit, %(period)s") % {"period": self.scope.period.label}

    def get_axes(self):
        return {"x": _("Unit"), "y": _("On-time rate (%)")}

    def get_labels(self):
        return [row.name for row in self.rows]

    def has_targets(self):
        return any(value is not None for value in self.targets)

    def get_providers(self):
        providers = [_("On-time rate"), _("All units shown")]
        return providers + [_("Target")] if self.has_targets() else providers

    def get_data(self):
        units = [_percentage(row.indicators["on_time_rate"].value) for row in self.rows]
        data = [units, [_percentage(self.total)] * len(self.rows)]
        return data + [self.targets] if self.has_targets() else data

    def get_dataset_options_list(self):
        options = [
            {"type": "bar", "backgroundColor": COLOURS["on_time"], "order": 2},
            {
                "type": "line",
                "borderColor": COLOURS["province"],
                "backgroundColor": COLOURS["province"],
                "pointRadius": 0,
                "order": 1,
            },
        ]
        if self.has_targets():
            options.append(
                {
                    "type": "line",
                    "borderColor": COLOURS["target"],
                    "backgroundColor": COLOURS["target"],
                    "borderDash": [6, 4],
                    "pointRadius": 3,
                    "pointStyle": "rectRot",
                    "order": 0,
                }
            )
        return options


class QuarterChart(DashboardChartView):
    """A chart of the last eight quarters up to the period shown, a point or a bar a quarter, read at once."""

    title = y_axis = ""

    def prepare(self):
        self.quarters = self.scope.period.quarters_ending(TREND_QUARTERS)
        if self.scope.country and DashboardFilter(self.request.GET).keeps_every_row:
            # The whole country, every unit kept: its provinces' sums (added up in the database) add up to the
            # same figures as its some 770 units' rows, read and built in Python.
            self.per_quarter = [self.of_sums(rows) for rows in country_sums_by_quarter(self.scope, self.quarters)]
        else:
            self.per_quarter = [self.of_quarter(rows) for rows in self.rows_by_quarter(self.quarters)]

    def of_quarter(self, rows):
        """What the chart shows of one quarter's rows (filtered as the table's)."""
        raise NotImplementedError

    def of_sums(self, rows):
        """What the chart shows of one quarter's rows added up per province (``country_sums_by_quarter``)."""
        raise NotImplementedError

    def get_title(self):
        return str(self.title)

    def get_axes(self):
        return {"x": _("Quarter"), "y": str(self.y_axis)}

    def get_labels(self):
        return [quarter.label for quarter in self.quarters]


class TrendChart(QuarterChart):
    """On-time and online rates of all the rows together, quarter by quarter, over the last eight quarters."""

    chart_type = "line"
    percent = True
    title = gettext_lazy("On-time and online rates over the last eight quarters")
    y_axis = gettext_lazy("Rate (%)")

    def of_quarter(self, rows):
        return selectors.totals(rows)["indicators"]

    # The provinces' sums carry the columns that ``totals`` adds up, each already summed over the units.
    of_sums = of_quarter

    def get_providers(self):
        return [_("On-time rate"), _("Online rate")]

    def get_data(self):
        return [
            [_percentage(totals["on_time_rate"].value) for totals in self.per_quarter],
            [_percentage(totals["online_rate"].value) for totals in self.per_quarter],
        ]

    def get_dataset_options_list(self):
        return [
            {"borderColor": COLOURS["on_time"], "backgroundColor": COLOURS["on_time"], "spanGaps": False},
            {"borderColor": COLOURS["online"], "backgroundColor": COLOURS["online"], "spanGaps": False},
        ]


def _split(rows, names):
    """``(in person, online, by post)`` added up over rows that give all three (``names``: received, online,
    by post); all three blank without any such row."""
    if not rows:
        return (None, None, None)
    received, online, postal = (sum(getattr(row, name) for row in rows) for name in names)
    return (received - online - postal, online, postal)


class ChannelsChart(QuarterChart):
    """Dossiers received per quarter by channel: in person, online, by post, stacked.

    In person is what was received neither online nor by post; a unit that left one of the three blank cannot
    be split, so it is left out of that quarter's bar rather than guessed.
    """

    percent = False
    stacked = True
    title = gettext_lazy("Dossiers received per quarter, by channel")
    y_axis = gettext_lazy("Dossiers")

    @staticmethod
    def of_quarter(rows):
        complete = [row for row in rows if None not in (row.received, row.received_online, row.received_postal)]
        return _split(complete, selectors.CHANNEL_CODES)

    @staticmethod
    def of_sums(rows):
        # Each province's sums over its units that give all three channels: blank when it has none.
        names = [f"{code}_split" for code in selectors.CHANNEL_CODES]
        return _split([row for row in rows if row.received_split is not None], names)

    def get_providers(self):
        return [_("In person"), _("Online"), _("By post")]

    def get_data(self):
        return [[channels[index] for channels in self.per_quarter] for index in range(3)]

    def get_dataset_options_list(self):
        return [
            {"backgroundColor": COLOURS["in_person"]},
            {"backgroundColor": COLOURS["online"]},
            {"backgroundColor": COLOURS["postal"]},
        ]
