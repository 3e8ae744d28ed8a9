"""What a dashboard request looks at (its scope: a province or the country, a period, which reports count) and
the rows it reads: shared by the dashboard, its charts and the JSON feed."""

from dataclasses import dataclass

from cchc import selectors
from cchc.indicators import INDICATORS
from cchc.lib.compiled import compiled
from cchc.lib.forms import style_fields
from cchc.lib.periods import Period
from cchc.targets import TargetBook, attach_standings
from districts.access import home_province, provinces_among, sees_every_province, visible_province_ids
from districts.models import Unit, split_holder_value
from dossiers.access import statuses_counted_for
from dossiers.forms import ProvincePeriodForm
from dossiers.models import ReportStatus
from dossiers.selectors import latest_period_with_data


@dataclass
class Scope:
    """What a dashboard request looks at: a province (or every visible one), a period, which reports count."""

    form: ProvincePeriodForm
    provinces: object  # queryset of the provinces the user may see
    province: Unit | None
    period: Period
    statuses: tuple
    approved_only: bool
    # No province chosen by a user who sees every province: the whole country, a row per province.
    country: bool = False
    # The targets of the period's year for the rows and the province, read once per request (with_standings).
    book: TargetBook | None = None
    # For the whole country on a page that draws the form: the provinces of the period, read for the form's list,
    # which are the country's rows (scope_rows).
    period_provinces: list | None = None


def dashboard_scope(request, *, default_province=True, drawn=False):
    """Read ``province``, ``period`` and ``approved`` from the query string, falling back to defaults.

    An invalid value leaves its error on the form (shown next to the field) and the default in its place.
    ``drawn``: the page draws the form (the dashboard; not its charts or the feed), whose list of provinces is
    then read together with the province asked for.
    """
    province_ids = visible_province_ids(request.user)
    provinces = provinces_among(province_ids)
    every_province = sees_every_province(request.user)
    form = ProvincePeriodForm(request.GET or None, provinces=provinces, whole_country=every_province)
    field = form.fields["province"]
    read = _provinces_and_asked(province_ids, field.period, request.GET.get("province")) if drawn else None
    if read is not None:
        field.offer(read)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    province = cleaned.get("province")
    # "province=" (the choice "whole country") asks for the country; no province in the query at all opens the
    # user's own province, or the country for one who sees every province and belongs to no unit (an
    # administrator: the first province in the list would be an arbitrary page to open on).
    asked = request.GET.get("province")
    country = (
        every_province and default_province and (asked == "" or (asked is None and home_province(request.user) is None))
    )
    # An invalid province leaves its error beside the field and the page on the user's own province.
    if province is None and default_province and not country:
        home = home_province(request.user)
        province = home if home is not None and provinces.filter(pk=home.pk).exists() else provinces.first()
    # District officers count approved reports only; provincial staff may ask for that too.
    statuses = statuses_counted_for(request.user, approved_only=request.GET.get("approved") == "1")
    approved_only = ReportStatus.SUBMITTED not in statuses
    period = cleaned.get("period")
    if period is None:
        period = latest_period_with_data(province=province, statuses=statuses)
    # The list offers the provinces of the period shown: a code names one of them at a time. When they were read
    # with the province asked for, it offers them as read and its queryset is never read: it is not made.
    if read is not None and period == field.period and (province is None or province in read):
        start, end = period.start, period.end
        field.offer(unit for unit in read if unit.exists_between(start, end) or unit == province)
    else:
        offered = provinces.active_in(period) | provinces.filter(pk=province.pk if province else None)
        field.queryset = offered.order_by("valid_until", "code")
    shown = {"province": province.code if province else "", "period": period.code}
    form.initial = shown
    if form.is_bound:
        # The choices show what the page shows, also where the query asked for something invalid.
        form.data = form.data.copy()
        for name, value in shown.items():
            if name in form.errors or not form.data.get(name):
                form.data[name] = value
    style_fields(form)
    country = country and province is None
    # Asked for the whole country, the list read holds no holder of a code: only the provinces of the period.
    period_provinces = read if country and read is not None and period == field.period else None
    return Scope(
        form, provinces, province, period, statuses, approved_only, country=country, period_provinces=period_provinces
    )


def _provinces_and_asked(province_ids, period, asked):
    """The provinces of ``period`` among ``province_ids`` (``visible_province_ids``) and every holder of the plain
    code ``asked`` (the list's order), in one read: the province is resolved among them and the list offers them
    (``None`` without a period)."""
    if period is None:
        return None
    code, day = split_holder_value(asked or "")
    holders_of = code if code and day is None and "@" not in asked else None
    return _provinces_and_holders(province_ids, period, holders_of).read()


@compiled
def _provinces_and_holders(province_ids, period, code):
    # Compiled once per (visible provinces, period, code asked): the read is built from three querysets, which
    # cost more to build and compile on every view of the dashboard than the database takes to answer.
    provinces = provinces_among(province_ids)
    read = provinces.active_in(period)
    if code is not None:
        read = read | provinces.filter(code=code)
    return read.order_by("valid_until", "code")


def scope_rows(scope, period=None):
    """The rows of the scope's table: its province's units; the provinces, for the whole country; else none.

    One read (``cchc.selectors``), whatever the number of rows.
    """
    period = period or scope.period
    if scope.province is not None:
        return selectors.province_rows(province=scope.province, period=period, statuses=scope.statuses)
    if scope.country:
        shown = scope.period_provinces if period == scope.period else None
        return selectors.country_rows(provinces=scope.provinces, period=period, statuses=scope.statuses, shown=shown)
    return []


def scope_rows_by_quarter(scope, quarters):
    """Each quarter's units of the scope (of every province the user sees, for the whole country), in one read:
    the units of each quarter shown, so that a district abolished in 2025 keeps its earlier quarters."""
    if scope.province is not None:
        return selectors.rows_by_period(periods=quarters, province=scope.province, statuses=scope.statuses)
    if scope.country:
        return selectors.rows_by_period(periods=quarters, provinces=scope.provinces, statuses=scope.statuses)
    return [[] for _quarter in quarters]


def country_sums_by_quarter(scope, quarters):
    """For the whole country, each quarter's rows of ``scope_rows_by_quarter`` added up per province in the
    database (``selectors.country_sums_by_period``): one read, some 34 to 63 rows a quarter."""
    return selectors.country_sums_by_period(periods=quarters, provinces=scope.provinces, statuses=scope.statuses)


def with_standings(scope, rows):
    """The rows, each with its standings against the targets of the period's year (once per request: the book
    also holds the province's own targets, for the cards and the total). One query for the targets, and one
    for the bands only when some target holds."""
    rows = list(rows)
    units = rows if scope.province is None else [*rows, scope.province]
    scope.book = TargetBook(year=scope.period.year, units=units, province=scope.province)
    return attach_standings(rows, scope.book, INDICATORS)


def province_book(scope):
    """The targets of the scope's province: the request's book when the rows were read, else a new one."""
    if scope.book is not None:
        return scope.book
    return TargetBook(year=scope.period.year, units=[scope.province])
