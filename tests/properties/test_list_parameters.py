"""Every list page, fed generated query parameters: never a server error, whatever the names and values."""

import django_filters
import pytest
from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from cchc.filters import DashboardFilter
from cchc.lib.pagination import BoundedPaginator
from districts.access import visible_provinces
from districts.models import Unit
from dossiers.filters import ReviewFilter
from dossiers.forms import ProvincePeriodForm
from dossiers.models import QuarterlyReport
from inspections.filters import RecommendationFilter, SessionFilter
from inspections.models import InspectionSession, Recommendation
from tests.properties.conftest import counted, examples
from tests.properties.strategies import any_text, dates, ids, numbers

LIST_PAGES = [
    "/",
    "/api/indicators/",
    "/charts/on-time-by-unit/",
    "/charts/trend/",
    "/charts/channels/",
    "/districts/874/",
    "/districts/874/chart/",
    "/inspections/sessions/",
    "/inspections/recommendations/",
    "/dossiers/",
    "/dossiers/review/",
    "/dossiers/completeness/",
    "/targets/",
    "/compare/",
    "/inbox/",
    "/par-index/",
    "/api/par-index/",
    "/admin/dossiers/quarterlyreport/",
    "/admin/inspections/recommendation/",
    "/admin/districts/reformtask/",
]


def _filter_names():
    names = set(ProvincePeriodForm.base_fields)
    for filterset in (DashboardFilter, ReviewFilter, RecommendationFilter, SessionFilter):
        for name, spec in filterset.base_filters.items():
            names.add(name)
            if isinstance(spec, django_filters.OrderingFilter):
                names.add(spec.field_name)
    return names


# Every name a list page reads (its filters, the tables' sorting and paging, exports, the year and period
# choosers, the admin's lookups), and a few it does not.
PARAMETERS = sorted(
    _filter_names()
    | {"page", "per_page", "sort", "_export", "year", "period", "province", "approved", "q", "o", "p", "e"}
    | {"status__exact", "unit__id__exact", "session__id__exact", "year__exact", "all", "_to_field", "_popup"}
    | {"unit", "code", "kind", "indicator", "below", "set", "lang", "next"}
)

values = st.one_of(
    numbers,
    dates,
    ids,
    any_text,
    st.sampled_from(["87", "874", "2021", "2021Q3", "2024Q1", "2023M9", "2023H1", "xlsx", "csv", "json", "-unit"]),
    st.sampled_from(["submitted", "approved", "open", "overdue", "on_time", "online", "district", "9" * 4400]),
)
queries = st.dictionaries(st.sampled_from(PARAMETERS) | st.text(min_size=1, max_size=8), values, max_size=5)


@pytest.mark.django_db
@examples(300)
@given(page=st.sampled_from(LIST_PAGES), query=queries, who=st.sampled_from(["officer", "staff", "inspector"]))
def test_no_query_parameter_of_any_list_page_gives_a_server_error(world, page, query, who):
    counted("list page parameters")
    response = world["clients"][who].get(page, query)
    assert response.status_code < 500, (page, query)


def query_dict(query):
    data = QueryDict(mutable=True)
    for name, value in query.items():
        data[name] = value
    return data


# Each check answers the ids its filter kept and the ids it was given: a filter only ever narrows.


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def _dashboard(world, data, user):
    """The province asked for is one the user may see, whatever else the query holds."""
    provinces = visible_provinces(user)
    form = ProvincePeriodForm(data, provinces=provinces)
    DashboardFilter(data, queryset=Unit.objects.none()).form.is_valid()
    province = form.cleaned_data.get("province") if form.is_valid() else None
    return ({province.pk} if province else set()), _ids(provinces)


def _review(world, data, user):
    request = RequestFactory().get("/dossiers/review/")
    request.user = user
    given = QuarterlyReport.objects.all()
    filterset = ReviewFilter(data, queryset=given, request=request)
    return (_ids(filterset.qs) if filterset.is_valid() else set()), _ids(given)


def _recommendations(world, data, user):
    visible = Recommendation.objects.visible_to(user)
    today = world["recommendation"].deadline
    filterset = RecommendationFilter(
        data,
        queryset=visible.with_overdue(today),
        sessions=InspectionSession.objects.visible_to(user),
        units=Unit.objects.filter(pk__in=visible.values("unit")),
        today=today,
    )
    return (_ids(filterset.qs) if filterset.is_valid() else set()), _ids(visible)


def _sessions(world, data, user):
    visible = InspectionSession.objects.visible_to(user)
    filterset = SessionFilter(
        data, queryset=visible, inspecting_units=Unit.objects.filter(level__in=["province", "district"])
    )
    return (_ids(filterset.qs) if filterset.is_valid() else set()), _ids(visible)


def _paging(world, data, user):
    for value in data.values():
        try:
            paginator = BoundedPaginator(range(120), value)
        except (TypeError, ValueError):
            continue  # what django-tables2 passes is always a number; anything else is its to refuse
        page = paginator.get_page(data.get("page"))
        assert 1 <= page.number <= paginator.num_pages
    return set(), set()


FILTERS = [_dashboard, _review, _recommendations, _sessions, _paging]


@pytest.mark.django_db
@examples(4000)
@given(check=st.sampled_from(FILTERS), query=queries, who=st.sampled_from(["officer", "staff", "inspector"]))
def test_no_query_parameter_breaks_the_list_filters(world, check, query, who):
    """The filters and paging of the list pages directly: many more inputs than the pages take in the time.

    Whatever the query, no error escapes, and a filter keeps only rows of those the user sees."""
    counted("list filters")
    kept, given = check(world, query_dict(query), world["users"][who])
    assert kept <= given
